"""A session's roster and attendance: who is in it, where they come from, how often they came.

Each list here is read with a fixed number of queries, however many people a session has.

The attendance rate is the share of *recorded* days a person was present: present days divided
by the days marked so far (present, absent or excused). A day nobody has marked yet does not
count against anyone, so the rate is meaningful during the session, not only after it.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload

from tot.accounts.models import User
from tot.enrolment.hooks import certificates_in_session
from tot.enrolment.models import Attendance, AttendanceStatus, Enrolment, EnrolmentStatus
from tot.enrolment.queries import confirmed_enrolments
from tot.enrolment.services import seat_counts
from tot.extensions import db
from tot.hooks import answers
from tot.regions.models import Region
from tot.sessions.models import SeatQuota, TrainingSession

# The order statuses appear in on a roster: seats first, then who waits, then who left.
STATUS_ORDER = [
    EnrolmentStatus.CONFIRMED,
    EnrolmentStatus.PENDING,
    EnrolmentStatus.WAITLISTED,
    EnrolmentStatus.REJECTED,
    EnrolmentStatus.WITHDRAWN,
]


@dataclass(frozen=True)
class AttendanceSummary:
    present: int = 0
    recorded: int = 0

    @property
    def rate(self) -> int | None:
        """Percent of recorded days present, or None while no day is recorded."""
        return round(100 * self.present / self.recorded) if self.recorded else None


NO_ATTENDANCE = AttendanceSummary()


@dataclass(frozen=True)
class RosterRow:
    enrolment: Enrolment
    attendance: AttendanceSummary

    @property
    def person(self) -> User:
        return self.enrolment.user


def attendance_summaries(session: TrainingSession) -> dict[int, AttendanceSummary]:
    """{enrolment id: days present and days recorded}, in one query."""
    rows = db.session.execute(
        select(
            Attendance.enrolment_id,
            func.sum(case((Attendance.status == AttendanceStatus.PRESENT, 1), else_=0)),
            func.count(),
        )
        .join(Enrolment, Attendance.enrolment_id == Enrolment.id)
        .where(Enrolment.session_id == session.id)
        .group_by(Attendance.enrolment_id)
    ).all()
    return {
        enrolment_id: AttendanceSummary(int(present or 0), recorded)
        for enrolment_id, present, recorded in rows
    }


def recorded_days(session_ids) -> dict[int, set[date]]:
    """{session id: the days on which someone's attendance is recorded} of each given session."""
    session_ids = list(session_ids)
    days: dict[int, set[date]] = {session_id: set() for session_id in session_ids}
    if session_ids:
        rows = db.session.execute(
            select(Enrolment.session_id, Attendance.day)
            .join(Attendance.enrolment)
            .where(Enrolment.session_id.in_(session_ids))
            .distinct()
        )
        for session_id, day in rows:
            days[session_id].add(day)
    return days


def roster(session: TrainingSession, status: EnrolmentStatus | None = None) -> list[RosterRow]:
    """Everyone who applied (or only those in `status`): seats first, then in order of applying."""
    rank = case(
        {member: position for position, member in enumerate(STATUS_ORDER)},
        value=Enrolment.status,
    )
    statement = (
        select(Enrolment)
        .where(Enrolment.session_id == session.id)
        .order_by(rank, Enrolment.applied_at, Enrolment.id)
        .options(joinedload(Enrolment.user), joinedload(Enrolment.region))
    )
    if status is not None:
        statement = statement.where(Enrolment.status == status)
    enrolments = db.session.scalars(statement).all()
    summaries = attendance_summaries(session)
    return [RosterRow(e, summaries.get(e.id, NO_ATTENDANCE)) for e in enrolments]


def roster_certificates(session: TrainingSession, reader: User) -> Any:
    """Who got a certificate, and what the reader may do about it (tot/enrolment/hooks.py), asked
    once for the whole roster; None when no feature issues certificates."""
    given = answers(certificates_in_session, session, reader=reader)
    return next((answer for answer in given if answer is not None), None)


@dataclass(frozen=True)
class RegionMix:
    """Confirmed seats of one region against its quota, if it has one."""

    region: Region | None
    confirmed: int
    quota: SeatQuota | None
    reservation_live: bool

    @property
    def name(self) -> str:
        return self.region.label if self.region is not None else _("No region given")

    @property
    def at_cap(self) -> bool:
        cap = self.quota.cap if self.quota is not None else None
        return cap is not None and self.confirmed >= cap


def region_mix(session: TrainingSession, now: datetime) -> list[RegionMix]:
    """Confirmed seats per region, beside each region's cap and reservation, in three queries."""
    counts = seat_counts(session)
    quotas: dict[int | None, SeatQuota] = {
        quota.region_id: quota
        for quota in db.session.scalars(
            select(SeatQuota)
            .where(SeatQuota.session_id == session.id)
            .options(joinedload(SeatQuota.region))
        )
    }
    wanted = {region_id for region_id in counts.by_region if region_id is not None} - set(quotas)
    regions: dict[int | None, Region] = {quota.region_id: quota.region for quota in quotas.values()}
    if wanted:
        regions.update(
            (region.id, region)
            for region in db.session.scalars(select(Region).where(Region.id.in_(wanted)))
        )
    region_ids = set(quotas) | set(counts.by_region)
    mix = [
        RegionMix(
            region=regions.get(region_id),
            confirmed=counts.by_region.get(region_id, 0),
            quota=quotas.get(region_id),
            reservation_live=region_id in quotas and quotas[region_id].reservation_live(now),
        )
        for region_id in region_ids
    ]
    return sorted(mix, key=lambda row: (row.region is None, row.name.lower()))


def attendance_grid(
    session: TrainingSession,
) -> tuple[list[Enrolment], dict[tuple[int, date], AttendanceStatus]]:
    """The people holding a seat, and every mark recorded for them, in two queries."""
    enrolments = confirmed_enrolments(session)
    marks = {
        (row.enrolment_id, row.day): row.status
        for row in db.session.scalars(
            select(Attendance)
            .join(Enrolment, Attendance.enrolment_id == Enrolment.id)
            .where(
                Enrolment.session_id == session.id,
                Enrolment.status == EnrolmentStatus.CONFIRMED,
            )
        )
    }
    return enrolments, marks


# --- export --------------------------------------------------------------------------------------


def roster_rows(session: TrainingSession, rows: list[RosterRow]):
    """The roster for a spreadsheet: a header, then a row a person."""
    yield [
        _("Name"),
        _("Email"),
        _("Region"),
        _("Gender"),
        _("Age group"),
        _("Status"),
        _("Applied"),
        _("Days present"),
        _("Days recorded"),
        _("Attendance rate (%)"),
    ]
    for row in rows:
        enrolment, person = row.enrolment, row.person
        rate = row.attendance.rate
        yield [
            person.full_name,
            person.email,
            enrolment.region.label if enrolment.region else "",
            person.gender.label if person.gender else "",
            person.age_group.value if person.age_group else "",
            enrolment.status.label,
            enrolment.applied_at.astimezone(session.zone).date().isoformat(),
            row.attendance.present,
            row.attendance.recorded,
            "" if rate is None else rate,
        ]
