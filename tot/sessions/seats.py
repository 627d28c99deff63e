"""What sessions know of the people in them, asked of enrolment through the hooks.

Enrolment is built on sessions (docs/architecture.md); these functions ask it, through
`tot.sessions.hooks`, what a session's page, its lists, its calendar feed and its changes need.
"""

from collections import Counter

from tot.accounts.models import User
from tot.hooks import answers
from tot.sessions import hooks
from tot.sessions.models import TrainingSession


def confirmed_counts(sessions) -> dict[int, int]:
    """{session id: confirmed seats} of each given session."""
    sessions = list(sessions)
    if not sessions:
        return {}
    counts: Counter[int] = Counter()
    for answer in answers(hooks.confirmed_seats, sessions=sessions):
        counts.update(answer)
    return dict(counts)


def confirmed_total(session: TrainingSession) -> int:
    return confirmed_counts([session]).get(session.id, 0)


def confirmed_by_region(session: TrainingSession) -> dict[int | None, int]:
    counts: Counter[int | None] = Counter()
    for answer in answers(hooks.confirmed_by_region, session):
        counts.update(answer)
    return dict(counts)


def people_enrolled(session: TrainingSession) -> list[User]:
    """The people with an active enrolment (pending, confirmed or waitlisted) in a session."""
    return [person for answer in answers(hooks.people_enrolled, session) for person in answer]


def enrolled_session_ids(user: User) -> list:
    """Queries of the ids of the sessions a person holds an active enrolment in."""
    return answers(hooks.enrolled_session_ids, user)


def seats_may_be_free(session: TrainingSession) -> None:
    """More capacity, or a quota changed: free seats go to the waiting list."""
    hooks.seats_freed.send(session)


def panels(session: TrainingSession, reader: User) -> list:
    """The panels of other features on the session's page, in their order."""
    shown = [panel for panel in answers(hooks.session_panels, session, reader=reader) if panel]
    return sorted(shown, key=lambda panel: panel.order)
