"""A session's status: draft, published, cancelled, completed; and who hears of changes."""

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from tot.accounts.models import User
from tot.db_types import utcnow
from tot.enrolment.models import ACTIVE_STATUSES, Enrolment
from tot.errors import DomainError
from tot.extensions import db
from tot.notifications.services import session_news
from tot.sessions.models import SessionStatus, TrainingSession


def ensure_editable(session: TrainingSession) -> None:
    if session.status is SessionStatus.CANCELLED:
        raise DomainError(_("A cancelled session can no longer be changed."))
    if session.status is SessionStatus.COMPLETED:
        raise DomainError(_("A completed session can no longer be changed."))


def enrolled_people(session: TrainingSession) -> list[User]:
    """The people with an active enrolment (pending, confirmed or waitlisted) in a session."""
    return list(
        db.session.scalars(
            select(User)
            .join(Enrolment, Enrolment.user_id == User.id)
            .where(Enrolment.session_id == session.id, Enrolment.status.in_(ACTIVE_STATUSES))
            .order_by(User.id)
        )
    )


def publish(session: TrainingSession, now: datetime | None = None) -> None:
    now = now or utcnow()
    if session.status is not SessionStatus.DRAFT:
        raise DomainError(_("Only a draft session can be published."))
    if session.ends_at <= now:
        raise DomainError(_("This session is over: it can no longer be published."))
    if not session.programme.is_published:
        raise DomainError(_("Publish the programme first: it is still a draft."))
    session.status = SessionStatus.PUBLISHED


def cancel(session: TrainingSession, now: datetime | None = None) -> None:
    """Cancel a session: enrolment closes, and everyone enrolled is told."""
    now = now or utcnow()
    if session.status not in (SessionStatus.DRAFT, SessionStatus.PUBLISHED):
        raise DomainError(_("Only a draft or published session can be cancelled."))
    session.status = SessionStatus.CANCELLED
    session.cancelled_at = now
    db.session.flush()
    session_news(session, enrolled_people(session), "session.cancelled")


def complete(session: TrainingSession, now: datetime | None = None) -> None:
    now = now or utcnow()
    if session.status is not SessionStatus.PUBLISHED:
        raise DomainError(_("Only a published session can be marked completed."))
    if now < session.starts_at:
        raise DomainError(_("This session has not started yet."))
    session.status = SessionStatus.COMPLETED
