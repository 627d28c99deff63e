"""Finding sessions: the public list with its filters, the staff list, and a person's agenda.

A month filter compares instants: a session is in May when it runs at some moment of May on its
own clock.
"""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Select, and_, distinct, false, or_, select
from sqlalchemy.orm import selectinload

from tot.accounts.models import User
from tot.db_types import utcnow
from tot.extensions import db
from tot.sessions.local_times import YEAR_RANGE
from tot.sessions.models import SessionStatus, TrainingSession, co_facilitators

AGENDA_PAST_LIMIT = 30


def parse_month(text: str | None) -> tuple[int, int] | None:
    """(year, month) from "2026-05"; None for anything else."""
    try:
        year, month = (int(part) for part in (text or "").strip().split("-"))
    except ValueError:
        return None
    if not (1 <= month <= 12 and YEAR_RANGE[0] <= year <= YEAR_RANGE[1]):
        return None
    return year, month


def _month_condition(year: int, month: int):
    """Sessions running at some moment of this month on their own clock."""
    zones = db.session.scalars(select(distinct(TrainingSession.timezone))).all()
    next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
    parts = []
    for key in zones:
        try:
            zone = ZoneInfo(key)
        except (ZoneInfoNotFoundError, ValueError):
            continue
        first = datetime(year, month, 1, tzinfo=zone).astimezone(UTC)
        after = datetime(next_year, next_month, 1, tzinfo=zone).astimezone(UTC)
        parts.append(
            and_(
                TrainingSession.timezone == key,
                TrainingSession.starts_at < after,
                TrainingSession.ends_at > first,
            )
        )
    return or_(*parts) if parts else false()


def with_details(statement: Select) -> Select:
    """The statement with what a list of sessions shows eager-loaded."""
    return statement.options(
        selectinload(TrainingSession.programme),
        selectinload(TrainingSession.region),
        selectinload(TrainingSession.lead_facilitator),
        selectinload(TrainingSession.co_facilitators),
    )


def facilitated_by(user: User):
    """A condition: the session is led or co-led by this person."""
    return or_(
        TrainingSession.lead_facilitator_id == user.id,
        TrainingSession.id.in_(
            select(co_facilitators.c.session_id).where(co_facilitators.c.user_id == user.id)
        ),
    )


def upcoming_sessions(
    now: datetime | None = None,
    *,
    region_id: int | None = None,
    programme_id: int | None = None,
    month: tuple[int, int] | None = None,
) -> Select:
    """Published sessions not yet over, soonest first, with what a list shows eager-loaded."""
    now = now or utcnow()
    statement = select(TrainingSession).where(
        TrainingSession.status == SessionStatus.PUBLISHED, TrainingSession.ends_at > now
    )
    if region_id is not None:
        statement = statement.where(TrainingSession.region_id == region_id)
    if programme_id is not None:
        statement = statement.where(TrainingSession.programme_id == programme_id)
    if month is not None:
        statement = statement.where(_month_condition(*month))
    return with_details(statement.order_by(TrainingSession.starts_at, TrainingSession.id))


def all_sessions(status: SessionStatus | None = None) -> Select:
    """Every session for staff, drafts included, latest start first."""
    statement = select(TrainingSession)
    if status is not None:
        statement = statement.where(TrainingSession.status == status)
    return with_details(statement.order_by(TrainingSession.starts_at.desc(), TrainingSession.id))


def agenda(user: User, now: datetime | None = None) -> tuple[list, list]:
    """(upcoming, past) sessions for a person's agenda: those they lead or co-lead; for staff,
    every upcoming session. Upcoming soonest first; the most recent past sessions, latest first."""
    now = now or utcnow()
    if user.is_staff:
        condition = TrainingSession.ends_at > now
        upcoming = db.session.scalars(
            with_details(
                select(TrainingSession)
                .where(condition)
                .order_by(TrainingSession.starts_at, TrainingSession.id)
            )
        ).all()
        return list(upcoming), []
    mine = facilitated_by(user)
    upcoming = db.session.scalars(
        with_details(
            select(TrainingSession)
            .where(mine, TrainingSession.ends_at > now)
            .order_by(TrainingSession.starts_at, TrainingSession.id)
        )
    ).all()
    past = db.session.scalars(
        with_details(
            select(TrainingSession)
            .where(mine, TrainingSession.ends_at <= now)
            .order_by(TrainingSession.starts_at.desc(), TrainingSession.id.desc())
            .limit(AGENDA_PAST_LIMIT)
        )
    ).all()
    return list(upcoming), list(past)
