"""The staff dashboard's numbers: what waits for staff, and what the year has brought so far.

All of them in one statement, whatever the amount of data. Months and years are the reader's
(their clock), as everywhere on the site.
"""

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import distinct, exists, func, select

from tot.accounts.models import User
from tot.cascade.models import CascadeTraining, ReportStatus
from tot.certificates.models import Certificate
from tot.enrolment.models import Attendance, AttendanceStatus, Enrolment, EnrolmentStatus
from tot.enrolment.queries import pending_applications
from tot.extensions import db
from tot.sessions.models import SessionStatus, TrainingSession


@dataclass(frozen=True)
class StaffFigures:
    waiting_applications: int  # waiting for a decision the reader may take
    sessions_this_month: int  # published or completed, starting this month
    trained_this_year: int  # people confirmed and present in a session that ended this year
    certified_this_year: int  # people given a certificate this year (not revoked)
    cascade_trainings: int  # verified, held this year
    cascade_people: int  # reached by those trainings
    cascade_waiting: int  # reports waiting for verification
    year_starts: date
    today: date


def _instant(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), tzinfo=zone)


def staff_figures(reader: User, now: datetime, zone: ZoneInfo) -> StaffFigures:
    today = now.astimezone(zone).date()
    month, next_month = today.replace(day=1), _next_month(today)
    year, next_year = date(today.year, 1, 1), date(today.year + 1, 1, 1)
    waiting = select(func.count()).select_from(pending_applications(reader).subquery())
    sessions = select(func.count(TrainingSession.id)).where(
        TrainingSession.status.in_((SessionStatus.PUBLISHED, SessionStatus.COMPLETED)),
        TrainingSession.starts_at >= _instant(month, zone),
        TrainingSession.starts_at < _instant(next_month, zone),
    )
    present = exists().where(
        Attendance.enrolment_id == Enrolment.id, Attendance.status == AttendanceStatus.PRESENT
    )
    trained = (
        select(func.count(distinct(Enrolment.user_id)))
        .join(TrainingSession, TrainingSession.id == Enrolment.session_id)
        .where(
            Enrolment.status == EnrolmentStatus.CONFIRMED,
            present,
            TrainingSession.status != SessionStatus.CANCELLED,
            TrainingSession.ends_at >= _instant(year, zone),
            TrainingSession.ends_at <= now,
        )
    )
    certified = select(func.count(distinct(Certificate.user_id))).where(
        Certificate.is_valid,
        Certificate.issued_at >= _instant(year, zone),
        Certificate.issued_at < _instant(next_year, zone),
    )
    verified_this_year = (
        CascadeTraining.status == ReportStatus.VERIFIED,
        CascadeTraining.held_on >= year,
        CascadeTraining.held_on < next_year,
    )
    trainings = select(func.count(CascadeTraining.id)).where(*verified_this_year)
    people = select(func.coalesce(func.sum(CascadeTraining.people), 0)).where(*verified_this_year)
    reports_waiting = select(func.count(CascadeTraining.id)).where(
        CascadeTraining.status == ReportStatus.SUBMITTED
    )
    counts = [
        int(value or 0)
        for value in db.session.execute(
            select(
                *(
                    query.scalar_subquery()
                    for query in (waiting, sessions, trained, certified, trainings, people)
                ),
                reports_waiting.scalar_subquery(),
            )
        ).one()
    ]
    return StaffFigures(
        waiting_applications=counts[0],
        sessions_this_month=counts[1],
        trained_this_year=counts[2],
        certified_this_year=counts[3],
        cascade_trainings=counts[4],
        cascade_people=counts[5],
        cascade_waiting=counts[6],
        year_starts=year,
        today=today,
    )


def _next_month(day: date) -> date:
    return date(day.year + 1, 1, 1) if day.month == 12 else date(day.year, day.month + 1, 1)
