"""Scheduling a session: the details a person fills in, every rule they must pass, and writing
them onto a new or existing session.

Times come in as wall-clock times on the session's clock and are stored as UTC instants (see
`tot.sessions.local_times`); double-booking is checked in `tot.sessions.conflicts`.
"""

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from tot.accounts.models import User
from tot.audit import services as audit
from tot.audit.models import AuditAction
from tot.curriculum.models import Programme, ProgrammeStatus
from tot.db_types import utcnow
from tot.errors import DomainError
from tot.extensions import db
from tot.notifications.services import session_news
from tot.permissions import Role
from tot.regions.models import Region
from tot.sessions.conflicts import check_double_booking, venue_warnings
from tot.sessions.lifecycle import ensure_editable, lock_session
from tot.sessions.local_times import to_utc, zone_or_error
from tot.sessions.models import EnrolmentMode, SessionStatus, TrainingSession
from tot.sessions.quotas import check_quotas_fit, seats_kept
from tot.sessions.seats import confirmed_by_region, people_enrolled, seats_may_be_free
from tot.texts import too_long

TITLE_MAX = 200
VENUE_MAX = 200
CAPACITY_RANGE = (1, 500)
SESSION_ZONES = ("Asia/Bishkek", "Asia/Dushanbe")  # offered in the form; a region's own too


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


# --- the details and their rules -----------------------------------------------------------------


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


def _check_title(title: str | None) -> str:
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Enter a title."), field="title")
    if len(title) > TITLE_MAX:
        raise DomainError(too_long(TITLE_MAX), field="title")
    return title


def _check_programme(programme: Programme | None, current: TrainingSession | None) -> Programme:
    if programme is None:
        raise DomainError(_("Choose a programme."), field="programme_id")
    if not programme.is_published and (current is None or programme.id != current.programme_id):
        raise DomainError(_("Choose a published programme."), field="programme_id")
    return programme


def _check_region(region: Region | None, current: TrainingSession | None) -> Region:
    if region is None:
        raise DomainError(_("Choose a region."), field="region_id")
    if region.is_retired and (current is None or region.id != current.region_id):
        raise DomainError(_("This region is retired: choose another."), field="region_id")
    return region


def _check_zone(key: str | None, region: Region, current: TrainingSession | None) -> ZoneInfo:
    """The chosen zone, or the region's: one offered in the form, or the session's own."""
    zone_key = key or region.timezone
    allowed_zones = {*SESSION_ZONES, region.timezone}
    if current is not None:
        allowed_zones.add(current.timezone)
    if zone_key not in allowed_zones:
        raise DomainError(_("Choose a time zone from the list."), field="timezone")
    return zone_or_error(zone_key)


def _check_times(details: SessionDetails, zone: ZoneInfo) -> tuple[datetime, datetime]:
    starts_at = to_utc(details.starts_local, zone, "starts_at")
    ends_at = to_utc(details.ends_local, zone, "ends_at")
    if ends_at <= starts_at:
        raise DomainError(_("The session must end after it starts."), field="ends_at")
    return starts_at, ends_at


def _check_venue(venue: str | None) -> str:
    venue = (venue or "").strip()
    if not venue:
        raise DomainError(_("Enter the venue."), field="venue")
    if len(venue) > VENUE_MAX:
        raise DomainError(too_long(VENUE_MAX), field="venue")
    return venue


def _check_capacity(capacity: int | None, current: TrainingSession | None, now: datetime) -> int:
    """Within the range, and for an existing session (its seat lock held) not below its
    confirmed seats, its quotas, or the seats taken and still kept by live reservations."""
    low, high = CAPACITY_RANGE
    if capacity is None or not low <= capacity <= high:
        raise DomainError(
            _("Enter a number of seats from %(min)d to %(max)d.", min=low, max=high),
            field="capacity",
        )
    if current is not None:
        by_region = confirmed_by_region(current)
        confirmed = sum(by_region.values())
        if capacity < confirmed:
            raise DomainError(
                ngettext(
                    "%(num)d person already has a confirmed seat: the capacity cannot be lower.",
                    "%(num)d people already have a confirmed seat: the capacity cannot be lower.",
                    confirmed,
                ),
                field="capacity",
            )
        check_quotas_fit(current.quotas, capacity)
        held = confirmed + seats_kept(current.quotas, by_region, now)
        if capacity < held:
            raise DomainError(
                ngettext(
                    "%(num)d seat is taken or reserved: the capacity cannot be lower.",
                    "%(num)d seats are taken or reserved: the capacity cannot be lower.",
                    held,
                ),
                field="capacity",
            )
    return capacity


def _check_enrolment_window(
    details: SessionDetails, zone: ZoneInfo, starts_at: datetime
) -> tuple[datetime | None, datetime | None]:
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
    return opens_at, closes_at


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
    if not actor.is_staff:
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


def _moved_or_restaffed(
    current: TrainingSession | None, starts_at: datetime, ends_at: datetime, people: list[User]
) -> bool:
    """A new session, or a new time or new facilitators: double-booking must be checked again."""
    return current is None or (
        starts_at != current.starts_at
        or ends_at != current.ends_at
        or {person.id for person in people} != {person.id for person in current.facilitators}
    )


def _moved_venue(current: TrainingSession | None, region: Region, venue: str) -> bool:
    return current is None or (
        region.id != current.region_id or venue.lower() != (current.venue or "").strip().lower()
    )


def _check(
    actor: User, session: TrainingSession | None, details: SessionDetails, now: datetime
) -> _Checked:
    """Every scheduling rule, in the order of the form; nothing is changed here."""
    current = session
    title = _check_title(details.title)
    programme = _check_programme(details.programme, current)
    region = _check_region(details.region, current)
    zone = _check_zone(details.timezone, region, current)
    starts_at, ends_at = _check_times(details, zone)
    venue = _check_venue(details.venue)
    capacity = _check_capacity(details.capacity, current, now)
    opens_at, closes_at = _check_enrolment_window(details, zone, starts_at)
    lead, co_list = _check_facilitators(actor, current, details)

    people = [lead, *co_list]
    recheck = _moved_or_restaffed(current, starts_at, ends_at, people)
    override = None
    if recheck:
        override = check_double_booking(
            actor, people, starts_at, ends_at, current, details.override_reason
        )
    warnings = []
    if recheck or _moved_venue(current, region, venue):
        warnings = venue_warnings(region, venue, starts_at, ends_at, current)

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


# --- writing -------------------------------------------------------------------------------------


def _write(session: TrainingSession, checked: _Checked) -> None:
    for name, value in checked.values.items():
        setattr(session, name, value)
    session.co_facilitators = checked.co_facilitators
    if checked.recheck_overlaps:
        reason, by_id = checked.override or (None, None)
        session.overlap_override_reason = reason
        session.overlap_override_by_id = by_id


def _time_and_place(session: TrainingSession) -> tuple:
    return (session.starts_at, session.ends_at, session.region_id, session.venue, session.address)


def create_session(actor: User, details: SessionDetails) -> tuple[TrainingSession, list[str]]:
    """Schedule a draft session; returns it with warnings (such as a venue already in use)."""
    checked = _check(actor, None, details, utcnow())
    session = TrainingSession(status=SessionStatus.DRAFT)
    _write(session, checked)
    db.session.add(session)
    db.session.flush()
    return session, checked.warnings


def update_session(
    actor: User, session: TrainingSession, details: SessionDetails, now: datetime | None = None
) -> list[str]:
    """Change a session; people enrolled in a published one hear of a new time or place.

    Under the session's seat lock, so that the capacity is checked against the seats as they
    are, and no application decides on the capacity it read before. A changed capacity is a
    decision on seats: the waiting list moves up, by the enrolment rules (which do nothing for
    a session that is not published)."""
    now = now or utcnow()
    lock_session(session)
    ensure_editable(session)
    checked = _check(actor, session, details, now)
    before, capacity_before = _time_and_place(session), session.capacity
    _write(session, checked)
    db.session.flush()
    if session.status is SessionStatus.PUBLISHED and _time_and_place(session) != before:
        session_news(session, people_enrolled(session), "session.changed")
    if session.capacity != capacity_before:
        audit.record(
            AuditAction.CAPACITY_CHANGED,
            actor=actor,
            target=session,
            before={"capacity": capacity_before},
            after={"capacity": session.capacity},
        )
        seats_may_be_free(session)
    return checked.warnings
