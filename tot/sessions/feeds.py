"""Personal calendar feeds: the secret token in a person's feed URL, and what the feed holds.

The iCalendar text itself is written by `tot.sessions.calendar`.
"""

from datetime import datetime, timedelta

from sqlalchemy import and_, false, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from tot.accounts.models import User
from tot.db_types import utcnow
from tot.extensions import db
from tot.sessions.browsing import facilitated_by, with_details
from tot.sessions.models import CalendarToken, SessionStatus, TrainingSession
from tot.sessions.seats import enrolled_session_ids

FEED_HISTORY = timedelta(days=365)  # a personal feed keeps a year of past sessions


def calendar_token(user: User) -> CalendarToken | None:
    return db.session.scalar(select(CalendarToken).where(CalendarToken.user_id == user.id))


def create_calendar_token(user: User) -> CalendarToken:
    """The person's feed token, made on first request (a second request changes nothing)."""
    existing = calendar_token(user)
    if existing is not None:
        return existing
    token = CalendarToken(user_id=user.id, token=CalendarToken.new_secret())
    try:
        with db.session.begin_nested():
            db.session.add(token)
    except IntegrityError:  # made meanwhile, by another request
        existing = calendar_token(user)
        if existing is None:
            raise
        return existing
    return token


def reset_calendar_token(user: User) -> CalendarToken:
    """A new secret: the old feed URL stops working at once."""
    token = calendar_token(user)
    if token is None:
        return create_calendar_token(user)
    token.token = CalendarToken.new_secret()
    token.created_at = utcnow()
    db.session.flush()
    return token


def feed_owner(secret: str) -> User | None:
    """The active person whose feed this secret opens, or None."""
    if not secret or len(secret) > 64:
        return None
    token = db.session.scalar(
        select(CalendarToken)
        .where(CalendarToken.token == secret)
        .options(selectinload(CalendarToken.user))
    )
    if token is None or not token.user.active:
        return None
    return token.user


def feed_sessions(user: User, now: datetime | None = None) -> list[TrainingSession]:
    """A person's sessions for their calendar: those they hold an active enrolment in (pending,
    confirmed or waitlisted) and those they lead or co-lead; drafts only for their facilitators.
    Past sessions are kept for a year."""
    now = now or utcnow()
    statement = select(TrainingSession).where(
        TrainingSession.ends_at > now - FEED_HISTORY,
        or_(
            facilitated_by(user),
            and_(
                or_(false(), *(TrainingSession.id.in_(ids) for ids in enrolled_session_ids(user))),
                TrainingSession.status != SessionStatus.DRAFT,
            ),
        ),
    )
    return list(
        db.session.scalars(
            with_details(statement.order_by(TrainingSession.starts_at, TrainingSession.id))
        )
    )
