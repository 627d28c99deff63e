"""Double-booking: a facilitator in two sessions at once, or two sessions at one venue.

Overlaps compare UTC instants, never local dates, so sessions on different clocks clash exactly
when they share a moment.
"""

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from tot.accounts.models import User
from tot.errors import DomainError
from tot.extensions import db
from tot.regions.models import Region
from tot.sessions.models import SessionStatus, TrainingSession, co_facilitators
from tot.sessions.templating import session_span


def facilitator_conflicts(
    people: list[User], starts_at: datetime, ends_at: datetime, exclude_id: int | None = None
) -> list[tuple[User, TrainingSession]]:
    """Each (person, other session) where the person facilitates a session that is not cancelled
    and whose [start, end) overlaps [starts_at, ends_at)."""
    ids = {person.id for person in people}
    if not ids:
        return []
    statement = (
        select(TrainingSession)
        .where(
            TrainingSession.status != SessionStatus.CANCELLED,
            TrainingSession.starts_at < ends_at,
            TrainingSession.ends_at > starts_at,
            or_(
                TrainingSession.lead_facilitator_id.in_(ids),
                TrainingSession.id.in_(
                    select(co_facilitators.c.session_id).where(co_facilitators.c.user_id.in_(ids))
                ),
            ),
        )
        .options(selectinload(TrainingSession.co_facilitators))
        .order_by(TrainingSession.starts_at, TrainingSession.id)
    )
    if exclude_id is not None:
        statement = statement.where(TrainingSession.id != exclude_id)
    conflicts = []
    for other in db.session.scalars(statement):
        for person in people:
            if other.is_facilitated_by(person):
                conflicts.append((person, other))
    return conflicts


def venue_clashes(
    region: Region, venue: str, starts_at: datetime, ends_at: datetime, exclude_id: int | None
) -> list[TrainingSession]:
    """Other sessions, not cancelled, at the same venue (same region, name in any letter case)
    at an overlapping time."""
    statement = select(TrainingSession).where(
        TrainingSession.region_id == region.id,
        func.lower(TrainingSession.venue) == venue.strip().lower(),
        TrainingSession.status != SessionStatus.CANCELLED,
        TrainingSession.starts_at < ends_at,
        TrainingSession.ends_at > starts_at,
    )
    if exclude_id is not None:
        statement = statement.where(TrainingSession.id != exclude_id)
    return list(db.session.scalars(statement.order_by(TrainingSession.starts_at)))


def check_double_booking(
    actor: User,
    people: list[User],
    starts_at: datetime,
    ends_at: datetime,
    current: TrainingSession | None,
    override_reason: str | None,
) -> tuple[str, int] | None:
    """None when nobody is double-booked; (reason, staff id) when staff override; else refuse."""
    conflicts = facilitator_conflicts(people, starts_at, ends_at, current.id if current else None)
    if not conflicts:
        return None
    reason = (override_reason or "").strip()
    if actor.is_staff and reason:
        return reason, actor.id
    messages = [
        _(
            "%(name)s already facilitates “%(title)s” at an overlapping time: %(when)s.",
            name=person.full_name,
            title=other.title,
            when=session_span(other),
        )
        for person, other in conflicts
    ]
    if actor.is_staff:
        messages.append(_("To schedule it anyway, give a reason for the override."))
    raise DomainError(" ".join(messages), field="starts_at")


def venue_warnings(
    region: Region,
    venue: str,
    starts_at: datetime,
    ends_at: datetime,
    current: TrainingSession | None,
) -> list[str]:
    """A warning for each other session at the same venue at an overlapping time."""
    return [
        _(
            "“%(title)s” is at the same venue at an overlapping time (%(when)s). "
            "Check that the rooms allow both.",
            title=other.title,
            when=session_span(other),
        )
        for other in venue_clashes(
            region, venue, starts_at, ends_at, current.id if current else None
        )
    ]
