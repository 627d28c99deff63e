"""Rules of scheduling: who manages a session, double-booking, and status changes."""

from tot.accounts.models import User
from tot.permissions import Role
from tot.sessions.models import TrainingSession


def can_manage(user: User, session: TrainingSession) -> bool:
    """Staff manage every session; a facilitator only the sessions they lead or co-lead."""
    if not user.is_authenticated:
        return False
    if user.role in (Role.ADMIN, Role.STAFF):
        return True
    return user.role is Role.FACILITATOR and session.is_facilitated_by(user)
