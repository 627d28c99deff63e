"""A session's status: draft, published, cancelled, completed; who hears of changes; and the lock
every change of its seats takes.

`lock_session` serialises everything that can take, free or limit a seat of one session:
applications and decisions (enrolment), capacity and quota edits, and status changes here. Each
takes the lock first, then decides on the session as it is once the lock is held.
"""

from datetime import datetime
from functools import cache

from flask_babel import gettext as _
from sqlalchemy import inspect, select, update
from sqlalchemy.orm.attributes import set_committed_value

from tot.db_types import utcnow
from tot.errors import DomainError
from tot.extensions import db
from tot.notifications.services import session_news
from tot.sessions.hooks import session_completed
from tot.sessions.models import SeatQuota, SessionStatus, TrainingSession
from tot.sessions.seats import people_enrolled


@cache
def _columns() -> tuple[str, ...]:
    return tuple(column.key for column in inspect(TrainingSession).column_attrs)


def lock_session(session: TrainingSession) -> None:
    """Take the session's seat lock, then read the session and its quotas again.

    The lock is an UPDATE of the session's version counter: on PostgreSQL a row lock held until
    commit, on SQLite the database's write lock. What this request read of the session before
    (its status, capacity, enrolment window, quotas) may have changed while it waited: once the
    lock is held nobody else can change them, so they are read again, as they are now.
    Pending changes are written first (the UPDATE flushes), so none is lost by the reading.
    """
    db.session.execute(
        update(TrainingSession)
        .where(TrainingSession.id == session.id)
        .values(enrolment_version=TrainingSession.enrolment_version + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(session, attribute_names=_columns())
    quotas = db.session.scalars(
        select(SeatQuota)
        .where(SeatQuota.session_id == session.id)
        .order_by(SeatQuota.id)
        .execution_options(populate_existing=True)
    ).all()
    set_committed_value(session, "quotas", list(quotas))


def ensure_editable(session: TrainingSession) -> None:
    if session.is_cancelled:
        raise DomainError(_("A cancelled session can no longer be changed."))
    if not session.can_edit:
        raise DomainError(_("A completed session can no longer be changed."))


def publish(session: TrainingSession, now: datetime | None = None) -> None:
    now = now or utcnow()
    lock_session(session)
    if not session.can_publish:
        raise DomainError(_("Only a draft session can be published."))
    if session.ends_at <= now:
        raise DomainError(_("This session is over: it can no longer be published."))
    if not session.programme.is_published:
        raise DomainError(_("Publish the programme first: it is still a draft."))
    session.status = SessionStatus.PUBLISHED


def cancel(session: TrainingSession, now: datetime | None = None) -> None:
    """Cancel a session: enrolment closes, and everyone enrolled is told.

    Under the seat lock: an application waiting for it reads the session cancelled and is
    refused, and one that got in first is among the people told."""
    now = now or utcnow()
    lock_session(session)
    if not session.can_cancel:
        raise DomainError(_("Only a draft or published session can be cancelled."))
    session.status = SessionStatus.CANCELLED
    session.cancelled_at = now
    db.session.flush()
    session_news(session, people_enrolled(session), "session.cancelled")


def complete(session: TrainingSession, now: datetime | None = None) -> None:
    now = now or utcnow()
    lock_session(session)
    if not session.can_complete:
        raise DomainError(_("Only a published session can be marked completed."))
    if now < session.starts_at:
        raise DomainError(_("This session has not started yet."))
    session.status = SessionStatus.COMPLETED
    db.session.flush()
    # What follows completion (certificates for those who earned one) belongs to features above.
    session_completed.send(session, now=now)
