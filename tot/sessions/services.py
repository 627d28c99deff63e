"""Rules of scheduling: who manages a session, double-booking, and status changes.

Times come in as wall-clock times on the session's clock (what a person types) and are stored as
UTC instants. Every comparison between sessions (double-booking, venue clashes, month filters)
compares instants, never local dates: 09:00 in Dushanbe (UTC+5) and 10:00 in Bishkek (UTC+6) are
the same moment.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_babel import gettext as _
from sqlalchemy import Select, and_, distinct, false, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from tot.accounts.models import User
from tot.curriculum.models import Programme, ProgrammeStatus
from tot.db_types import utcnow
from tot.enrolment.models import ACTIVE_STATUSES, Enrolment, EnrolmentStatus
from tot.errors import DomainError
from tot.extensions import db
from tot.notifications.services import session_news
from tot.permissions import Role
from tot.regions.models import Region
from tot.sessions.models import (
    CalendarToken,
    EnrolmentMode,
    SeatQuota,
    SessionStatus,
    TrainingSession,
    co_facilitators,
)
from tot.sessions.templating import session_span, session_time, zone_name

TITLE_MAX = 200
VENUE_MAX = 200
CAPACITY_RANGE = (1, 500)
SESSION_ZONES = ("Asia/Bishkek", "Asia/Dushanbe")  # offered in the form; a region's own too
YEAR_RANGE = (2000, 2100)  # dates outside are typing mistakes
FEED_HISTORY = timedelta(days=365)  # a personal feed keeps a year of past sessions


def can_manage(user: User, session: TrainingSession) -> bool:
    """Staff manage every session; a facilitator only the sessions they lead or co-lead."""
    if not user.is_authenticated:
        return False
    if user.role in (Role.ADMIN, Role.STAFF):
        return True
    return user.role is Role.FACILITATOR and session.is_facilitated_by(user)


def is_staff(user: User) -> bool:
    return user.is_authenticated and user.role in (Role.ADMIN, Role.STAFF)


def confirmed_seats(session: TrainingSession) -> int:
    """Confirmed seats, counted by the enrolment rules.

    The enrolment services are imported where used, not at the top: they import `can_manage`
    from this module, which must load first.
    """
    from tot.enrolment.services import seat_counts

    return seat_counts(session).total


def promote_waitlisted(session: TrainingSession) -> None:
    """Seats were freed (more capacity, a looser quota): the waiting list moves up, by the
    enrolment rules (which do nothing for a session that is not published)."""
    from tot.enrolment.services import promote_waitlisted as promote

    promote(session)


def visible_to(session: TrainingSession, user: User) -> bool:
    """Everyone sees a session once published (also when cancelled or completed); a draft is
    seen only by those who may manage it."""
    return session.status is not SessionStatus.DRAFT or can_manage(user, session)


# --- local times ---------------------------------------------------------------------------------


def zone_or_error(key: str | None, field_name: str = "timezone") -> ZoneInfo:
    try:
        return ZoneInfo(key or "")
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise DomainError(_("Choose a time zone from the list."), field=field_name) from error


def to_utc(local: datetime, zone: ZoneInfo, field_name: str) -> datetime:
    """The instant a wall-clock time on this zone's clock names; refuses a time the clocks skip."""
    wall = local.replace(tzinfo=None, second=0, microsecond=0)
    if not YEAR_RANGE[0] <= wall.year <= YEAR_RANGE[1]:
        raise DomainError(
            _(
                "Enter a date between %(first)d and %(last)d.",
                first=YEAR_RANGE[0],
                last=YEAR_RANGE[1],
            ),
            field=field_name,
        )
    instant = wall.replace(tzinfo=zone).astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != wall:
        raise DomainError(
            _("This time does not exist in %(zone)s: the clocks skip it.", zone=zone_name(zone)),
            field=field_name,
        )
    return instant


def local_wall(moment: datetime | None, zone: ZoneInfo) -> datetime | None:
    """An aware instant as the naive wall-clock time a form shows."""
    return moment.astimezone(zone).replace(tzinfo=None) if moment else None


# --- choices -------------------------------------------------------------------------------------


def programme_options(current: Programme | None = None) -> list[Programme]:
    """Published programmes, plus the session's own if it has since been unpublished."""
    programmes = list(
        db.session.scalars(
            select(Programme)
            .where(Programme.status == ProgrammeStatus.PUBLISHED)
            .order_by(Programme.title, Programme.id)
        )
    )
    if current is not None and current not in programmes:
        programmes.append(current)
    return programmes


def facilitator_options(current: list[User] | None = None) -> list[User]:
    """Active facilitators, plus those already on the session whatever has changed since."""
    people = list(
        db.session.scalars(
            select(User)
            .where(User.role == Role.FACILITATOR, User.active.is_(True))
            .order_by(User.full_name, User.id)
        )
    )
    for person in current or []:
        if person not in people:
            people.append(person)
    return people


# --- scheduling ----------------------------------------------------------------------------------


@dataclass
class SessionDetails:
    """What a person fills in to schedule a session. Times are wall-clock times (naive) on the
    session's clock: the chosen zone, or the region's when none is chosen."""

    programme: Programme | None
    title: str
    starts_local: datetime
    ends_local: datetime
    region: Region | None
    venue: str
    capacity: int
    lead_facilitator: User | None
    description: str = ""
    address: str = ""
    timezone: str | None = None
    enrolment_opens_local: datetime | None = None
    enrolment_closes_local: datetime | None = None
    enrolment_mode: EnrolmentMode = EnrolmentMode.OPEN
    co_facilitators: list[User] = field(default_factory=list)
    override_reason: str | None = None


@dataclass
class _Checked:
    """Details that passed every rule, ready to be written onto a session."""

    values: dict
    co_facilitators: list[User]
    override: tuple[str, int] | None  # (reason, staff id) when staff scheduled over a conflict
    recheck_overlaps: bool
    warnings: list[str]


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


def _check(actor: User, session: TrainingSession | None, details: SessionDetails) -> _Checked:
    """Every scheduling rule, in the order of the form; nothing is changed here."""
    current = session
    title = (details.title or "").strip()
    if not title:
        raise DomainError(_("Enter a title."), field="title")
    if len(title) > TITLE_MAX:
        raise DomainError(
            _("A title may have at most %(max)d characters.", max=TITLE_MAX), field="title"
        )

    programme = details.programme
    if programme is None:
        raise DomainError(_("Choose a programme."), field="programme_id")
    if not programme.is_published and (current is None or programme.id != current.programme_id):
        raise DomainError(_("Choose a published programme."), field="programme_id")

    region = details.region
    if region is None:
        raise DomainError(_("Choose a region."), field="region_id")
    if region.is_retired and (current is None or region.id != current.region_id):
        raise DomainError(_("This region is retired: choose another."), field="region_id")

    zone_key = details.timezone or region.timezone
    allowed_zones = {*SESSION_ZONES, region.timezone}
    if current is not None:
        allowed_zones.add(current.timezone)
    if zone_key not in allowed_zones:
        raise DomainError(_("Choose a time zone from the list."), field="timezone")
    zone = zone_or_error(zone_key)

    starts_at = to_utc(details.starts_local, zone, "starts_at")
    ends_at = to_utc(details.ends_local, zone, "ends_at")
    if ends_at <= starts_at:
        raise DomainError(_("The session must end after it starts."), field="ends_at")

    venue = (details.venue or "").strip()
    if not venue:
        raise DomainError(_("Enter the venue."), field="venue")
    if len(venue) > VENUE_MAX:
        raise DomainError(
            _("A venue may have at most %(max)d characters.", max=VENUE_MAX), field="venue"
        )

    capacity = details.capacity
    low, high = CAPACITY_RANGE
    if capacity is None or not low <= capacity <= high:
        raise DomainError(
            _("Enter a number of seats from %(min)d to %(max)d.", min=low, max=high),
            field="capacity",
        )
    if current is not None:
        confirmed = confirmed_seats(current)
        if capacity < confirmed:
            raise DomainError(
                _(
                    "%(count)d people already have a confirmed seat: the capacity cannot be lower.",
                    count=confirmed,
                ),
                field="capacity",
            )
        _check_quotas_fit(current.quotas, capacity)

    opens_at = (
        to_utc(details.enrolment_opens_local, zone, "enrolment_opens_at")
        if details.enrolment_opens_local
        else None
    )
    closes_at = (
        to_utc(details.enrolment_closes_local, zone, "enrolment_closes_at")
        if details.enrolment_closes_local
        else None
    )
    if closes_at is not None and closes_at > starts_at:
        raise DomainError(
            _("Enrolment must close by the time the session starts."),
            field="enrolment_closes_at",
        )
    if opens_at is not None and opens_at >= (closes_at or starts_at):
        raise DomainError(
            _("Enrolment must open before it closes (by default, when the session starts)."),
            field="enrolment_opens_at",
        )

    lead, co_list = _check_facilitators(actor, current, details)

    facilitator_ids = {lead.id, *(person.id for person in co_list)}
    recheck = current is None or (
        starts_at != current.starts_at
        or ends_at != current.ends_at
        or facilitator_ids != {person.id for person in current.facilitators}
    )
    override = None
    if recheck:
        override = _check_double_booking(
            actor, [lead, *co_list], starts_at, ends_at, current, details.override_reason
        )

    warnings = []
    place_changed = current is None or (
        recheck
        or region.id != current.region_id
        or venue.lower() != (current.venue or "").strip().lower()
    )
    if place_changed:
        for other in venue_clashes(
            region, venue, starts_at, ends_at, current.id if current else None
        ):
            warnings.append(
                _(
                    "“%(title)s” is at the same venue at an overlapping time (%(when)s). "
                    "Check that the rooms allow both.",
                    title=other.title,
                    when=session_span(other),
                )
            )

    values = {
        "programme": programme,
        "title": title,
        "description": (details.description or "").strip(),
        "starts_at": starts_at,
        "ends_at": ends_at,
        "region": region,
        "venue": venue,
        "address": (details.address or "").strip(),
        "timezone": zone.key,
        "capacity": capacity,
        "enrolment_opens_at": opens_at,
        "enrolment_closes_at": closes_at,
        "enrolment_mode": details.enrolment_mode or EnrolmentMode.OPEN,
        "lead_facilitator": lead,
    }
    return _Checked(values, co_list, override, recheck, warnings)


def _may_facilitate(person: User, current: TrainingSession | None) -> bool:
    """An active facilitator, or someone who already facilitates this session."""
    if current is not None and current.is_facilitated_by(person):
        return True
    return person.role is Role.FACILITATOR and person.active


def _check_facilitators(
    actor: User, current: TrainingSession | None, details: SessionDetails
) -> tuple[User, list[User]]:
    lead = details.lead_facilitator
    if lead is None:
        raise DomainError(_("Choose the lead facilitator."), field="lead_facilitator_id")
    if not _may_facilitate(lead, current):
        raise DomainError(
            _("Choose an active facilitator as the lead."), field="lead_facilitator_id"
        )
    if not is_staff(actor):
        kept = current.lead_facilitator_id if current is not None else actor.id
        if lead.id != kept:
            raise DomainError(
                _("Only staff can make someone else the lead facilitator."),
                field="lead_facilitator_id",
            )
    co_list: list[User] = []
    for person in details.co_facilitators:
        if person.id == lead.id or person in co_list:
            continue  # the lead is not also a co-facilitator
        if not _may_facilitate(person, current):
            raise DomainError(
                _("%(name)s is not an active facilitator.", name=person.full_name),
                field="co_facilitator_ids",
            )
        co_list.append(person)
    return lead, co_list


def _check_double_booking(
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
    if is_staff(actor) and reason:
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
    if is_staff(actor):
        messages.append(_("To schedule it anyway, give a reason for the override."))
    raise DomainError(" ".join(messages), field="starts_at")


def _write(session: TrainingSession, checked: _Checked) -> None:
    for name, value in checked.values.items():
        setattr(session, name, value)
    session.co_facilitators = checked.co_facilitators
    if checked.recheck_overlaps:
        reason, by_id = checked.override or (None, None)
        session.overlap_override_reason = reason
        session.overlap_override_by_id = by_id


def create_session(actor: User, details: SessionDetails) -> tuple[TrainingSession, list[str]]:
    """Schedule a draft session; returns it with warnings (such as a venue already in use)."""
    checked = _check(actor, None, details)
    session = TrainingSession(status=SessionStatus.DRAFT)
    _write(session, checked)
    db.session.add(session)
    db.session.flush()
    return session, checked.warnings


def update_session(actor: User, session: TrainingSession, details: SessionDetails) -> list[str]:
    """Change a session; people enrolled in a published one hear of a new time or place."""
    ensure_editable(session)
    checked = _check(actor, session, details)
    before, capacity_before = _time_and_place(session), session.capacity
    _write(session, checked)
    db.session.flush()
    if session.status is SessionStatus.PUBLISHED and _time_and_place(session) != before:
        session_news(session, enrolled_people(session), "session.changed")
    if session.capacity > capacity_before:
        promote_waitlisted(session)
    return checked.warnings


def _time_and_place(session: TrainingSession) -> tuple:
    return (session.starts_at, session.ends_at, session.region_id, session.venue, session.address)


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


# --- status --------------------------------------------------------------------------------------


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


# --- seat quotas ---------------------------------------------------------------------------------


def _check_quotas_fit(quotas: list[SeatQuota], capacity: int) -> None:
    reserved = sum(quota.reserved or 0 for quota in quotas)
    if reserved > capacity:
        raise DomainError(
            _(
                "The quotas reserve %(reserved)d seats: the capacity cannot be lower.",
                reserved=reserved,
            ),
            field="capacity",
        )
    largest = max((quota.cap or 0 for quota in quotas), default=0)
    if largest > capacity:
        raise DomainError(
            _("A quota caps a region at %(cap)d seats: the capacity cannot be lower.", cap=largest),
            field="capacity",
        )


def _check_quota(
    session: TrainingSession,
    quota: SeatQuota | None,
    region: Region | None,
    cap: int | None,
    reserved: int | None,
    reserved_until_local: datetime | None,
) -> datetime | None:
    if region is None:
        raise DomainError(_("Choose a region."), field="region_id")
    if region.is_retired and (quota is None or region.id != quota.region_id):
        raise DomainError(_("This region is retired: choose another."), field="region_id")
    if any(other.region_id == region.id and other is not quota for other in session.quotas):
        raise DomainError(
            _("This session already has a quota for %(region)s.", region=region.name),
            field="region_id",
        )
    if cap is None and reserved is None:
        raise DomainError(_("Give a cap, a number of reserved seats, or both."), field="cap")
    if cap is not None and not 1 <= cap <= session.capacity:
        raise DomainError(
            _(
                "Enter a cap from 1 to the session's capacity (%(capacity)d).",
                capacity=session.capacity,
            ),
            field="cap",
        )
    if reserved is not None:
        if reserved < 1:
            raise DomainError(_("Reserve at least 1 seat, or leave it empty."), field="reserved")
        if cap is not None and reserved > cap:
            raise DomainError(
                _("A region cannot have more seats reserved than its cap."), field="reserved"
            )
        others = sum(other.reserved or 0 for other in session.quotas if other is not quota)
        if others + reserved > session.capacity:
            raise DomainError(
                _(
                    "All quotas together may reserve at most %(capacity)d seats; "
                    "the others already reserve %(others)d.",
                    capacity=session.capacity,
                    others=others,
                ),
                field="reserved",
            )
    if reserved_until_local is None:
        return None
    if reserved is None:
        raise DomainError(
            _("A date to release seats needs reserved seats."), field="reserved_until"
        )
    return to_utc(reserved_until_local, session.zone, "reserved_until")


def add_quota(
    session: TrainingSession,
    *,
    region: Region | None,
    cap: int | None = None,
    reserved: int | None = None,
    reserved_until_local: datetime | None = None,
) -> SeatQuota:
    until = _check_quota(session, None, region, cap, reserved, reserved_until_local)
    quota = SeatQuota(region=region, cap=cap, reserved=reserved, reserved_until=until)
    session.quotas.append(quota)
    db.session.flush()
    return quota


def update_quota(
    quota: SeatQuota,
    *,
    region: Region | None,
    cap: int | None = None,
    reserved: int | None = None,
    reserved_until_local: datetime | None = None,
) -> None:
    until = _check_quota(quota.session, quota, region, cap, reserved, reserved_until_local)
    quota.region = region
    quota.cap = cap
    quota.reserved = reserved
    quota.reserved_until = until
    db.session.flush()
    promote_waitlisted(quota.session)


def delete_quota(quota: SeatQuota) -> None:
    session = quota.session
    session.quotas.remove(quota)
    db.session.flush()
    promote_waitlisted(session)


# --- finding sessions ----------------------------------------------------------------------------


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


def _with_details(statement: Select) -> Select:
    return statement.options(
        selectinload(TrainingSession.programme),
        selectinload(TrainingSession.region),
        selectinload(TrainingSession.lead_facilitator),
        selectinload(TrainingSession.co_facilitators),
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
    return _with_details(statement.order_by(TrainingSession.starts_at, TrainingSession.id))


def all_sessions(status: SessionStatus | None = None) -> Select:
    """Every session for staff, drafts included, latest start first."""
    statement = select(TrainingSession)
    if status is not None:
        statement = statement.where(TrainingSession.status == status)
    return _with_details(statement.order_by(TrainingSession.starts_at.desc(), TrainingSession.id))


def confirmed_counts(sessions) -> dict[int, int]:
    """Confirmed seats of each given session, in one grouped query."""
    ids = [session.id for session in sessions]
    if not ids:
        return {}
    rows = db.session.execute(
        select(Enrolment.session_id, func.count())
        .where(Enrolment.session_id.in_(ids), Enrolment.status == EnrolmentStatus.CONFIRMED)
        .group_by(Enrolment.session_id)
    )
    return dict(rows.all())


def _facilitated_by(user: User):
    return or_(
        TrainingSession.lead_facilitator_id == user.id,
        TrainingSession.id.in_(
            select(co_facilitators.c.session_id).where(co_facilitators.c.user_id == user.id)
        ),
    )


AGENDA_PAST_LIMIT = 30


def agenda(user: User, now: datetime | None = None) -> tuple[list, list]:
    """(upcoming, past) sessions for a person's agenda: those they lead or co-lead; for staff,
    every upcoming session. Upcoming soonest first; the most recent past sessions, latest first."""
    now = now or utcnow()
    if is_staff(user):
        condition = TrainingSession.ends_at > now
        upcoming = db.session.scalars(
            _with_details(
                select(TrainingSession)
                .where(condition)
                .order_by(TrainingSession.starts_at, TrainingSession.id)
            )
        ).all()
        return list(upcoming), []
    mine = _facilitated_by(user)
    upcoming = db.session.scalars(
        _with_details(
            select(TrainingSession)
            .where(mine, TrainingSession.ends_at > now)
            .order_by(TrainingSession.starts_at, TrainingSession.id)
        )
    ).all()
    past = db.session.scalars(
        _with_details(
            select(TrainingSession)
            .where(mine, TrainingSession.ends_at <= now)
            .order_by(TrainingSession.starts_at.desc(), TrainingSession.id.desc())
            .limit(AGENDA_PAST_LIMIT)
        )
    ).all()
    return list(upcoming), list(past)


def quota_summary(session: TrainingSession) -> list[SeatQuota]:
    return sorted(session.quotas, key=lambda quota: (quota.region.name, quota.id))


def describe_quota(quota: SeatQuota, now: datetime | None = None) -> str:
    """ "At most 10 seats; 4 reserved until Mon, May 4, 2026, 09:00 (Dushanbe time)"."""
    now = now or utcnow()
    parts = []
    if quota.cap is not None:
        parts.append(_("at most %(cap)d seats", cap=quota.cap))
    if quota.reserved:
        if quota.reserved_until is None:
            parts.append(_("%(count)d reserved", count=quota.reserved))
        elif quota.reservation_live(now):
            parts.append(
                _(
                    "%(count)d reserved until %(when)s",
                    count=quota.reserved,
                    when=session_time(quota.reserved_until, quota.session),
                )
            )
        else:
            parts.append(_("%(count)d were reserved, now open to all", count=quota.reserved))
    return "; ".join(parts)


# --- calendar feeds ------------------------------------------------------------------------------


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
    enrolled = select(Enrolment.session_id).where(
        Enrolment.user_id == user.id, Enrolment.status.in_(ACTIVE_STATUSES)
    )
    statement = select(TrainingSession).where(
        TrainingSession.ends_at > now - FEED_HISTORY,
        or_(
            _facilitated_by(user),
            and_(
                TrainingSession.id.in_(enrolled),
                TrainingSession.status != SessionStatus.DRAFT,
            ),
        ),
    )
    return list(
        db.session.scalars(
            _with_details(statement.order_by(TrainingSession.starts_at, TrainingSession.id))
        )
    )
