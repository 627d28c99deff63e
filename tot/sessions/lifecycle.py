"""A session's status: draft, published, cancelled, completed; and who hears of changes."""

from datetime import datetime

from flask_babel import gettext as _

from tot.db_types import utcnow
from tot.errors import DomainError
from tot.extensions import db
from tot.notifications.services import session_news
from tot.sessions.hooks import session_completed
from tot.sessions.models import SessionStatus, TrainingSession
from tot.sessions.seats import people_enrolled


def ensure_editable(session: TrainingSession) -> None:
    if session.is_cancelled:
        raise DomainError(_("A cancelled session can no longer be changed."))
    if not session.can_edit:
        raise DomainError(_("A completed session can no longer be changed."))


def publish(session: TrainingSession, now: datetime | None = None) -> None:
    now = now or utcnow()
    if not session.can_publish:
        raise DomainError(_("Only a draft session can be published."))
    if session.ends_at <= now:
        raise DomainError(_("This session is over: it can no longer be published."))
    if not session.programme.is_published:
        raise DomainError(_("Publish the programme first: it is still a draft."))
    session.status = SessionStatus.PUBLISHED


def cancel(session: TrainingSession, now: datetime | None = None) -> None:
    """Cancel a session: enrolment closes, and everyone enrolled is told."""
    now = now or utcnow()
    if not session.can_cancel:
        raise DomainError(_("Only a draft or published session can be cancelled."))
    session.status = SessionStatus.CANCELLED
    session.cancelled_at = now
    db.session.flush()
    session_news(session, people_enrolled(session), "session.cancelled")


def complete(session: TrainingSession, now: datetime | None = None) -> None:
    now = now or utcnow()
    if not session.can_complete:
        raise DomainError(_("Only a published session can be marked completed."))
    if now < session.starts_at:
        raise DomainError(_("This session has not started yet."))
    session.status = SessionStatus.COMPLETED
    db.session.flush()
    # What follows completion (certificates for those who earned one) belongs to features above.
    session_completed.send(session, now=now)
