"""Who may manage, and who may see, a session.

Kept apart from the rest of the sessions rules so that other features (enrolment, feedback,
role-play) can ask `can_manage` without loading the scheduling rules, which in turn use theirs.
"""

from tot.accounts.models import User
from tot.permissions import Role
from tot.sessions.models import SessionStatus, TrainingSession


def can_manage(user: User, session: TrainingSession) -> bool:
    """Staff manage every session; a facilitator only the sessions they lead or co-lead."""
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    return user.role is Role.FACILITATOR and session.is_facilitated_by(user)


def visible_to(session: TrainingSession, user: User) -> bool:
    """Everyone sees a session once published (also when cancelled or completed); a draft is
    seen only by those who may manage it."""
    return session.status is not SessionStatus.DRAFT or can_manage(user, session)
