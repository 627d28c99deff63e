"""Rules of live role-play: forming groups, assigning roles, and who sees which brief."""

from tot.accounts.models import User
from tot.sessions.models import TrainingSession


def session_panel(session: TrainingSession, user: User) -> dict:
    """What templates/roleplay/_session_panel.html needs on a session's page."""
    return {}
