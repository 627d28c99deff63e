"""Enrolments: a participant in a training session, and their attendance per day."""

from datetime import date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, Index, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tot.accounts.models import User
from tot.db_types import UTCDateTime, enum_column, utcnow
from tot.extensions import Model, db
from tot.regions.models import Region
from tot.sessions.models import TrainingSession


class EnrolmentStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return str(ENROLMENT_STATUS_LABELS[self])

    @property
    def is_active(self) -> bool:
        return self in ACTIVE_STATUSES


ENROLMENT_STATUS_LABELS = {
    EnrolmentStatus.PENDING: _l("Waiting for approval"),
    EnrolmentStatus.CONFIRMED: _l("Confirmed"),
    EnrolmentStatus.WAITLISTED: _l("On the waiting list"),
    EnrolmentStatus.REJECTED: _l("Not accepted"),
    EnrolmentStatus.WITHDRAWN: _l("Withdrawn"),
}
ACTIVE_STATUSES = (EnrolmentStatus.PENDING, EnrolmentStatus.CONFIRMED, EnrolmentStatus.WAITLISTED)
_ACTIVE_SQL = "status IN ('pending', 'confirmed', 'waitlisted')"


class EnrolmentSource(StrEnum):
    """How an enrolment came about."""

    SELF = "self"  # the person applied
    BULK = "bulk"  # staff enrolled the person from an uploaded list


class Enrolment(Model):
    __tablename__ = "enrolments"
    __table_args__ = (
        # One active enrolment per person per session, enforced by the database too.
        Index(
            "uq_enrolments_active_person",
            "session_id",
            "user_id",
            unique=True,
            postgresql_where=db.text(_ACTIVE_SQL),
            sqlite_where=db.text(_ACTIVE_SQL),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_sessions.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # The person's region when they applied: what quotas count, and what reports show.
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    status: Mapped[EnrolmentStatus] = mapped_column(enum_column(EnrolmentStatus), index=True)
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the status last changed, and who changed it (None: the person, or the system).
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str | None] = mapped_column(Text)  # why it was rejected
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    waitlisted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    promoted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rejected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    source: Mapped[EnrolmentSource] = mapped_column(
        enum_column(EnrolmentSource, length=20), default=EnrolmentSource.SELF
    )

    session: Mapped[TrainingSession] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @property
    def is_confirmed(self) -> bool:
        return self.status is EnrolmentStatus.CONFIRMED

    @property
    def is_waitlisted(self) -> bool:
        return self.status is EnrolmentStatus.WAITLISTED

    @property
    def was_rejected(self) -> bool:
        return self.status is EnrolmentStatus.REJECTED

    @property
    def by_staff(self) -> bool:
        """Staff enrolled the person from an uploaded list."""
        return self.source is EnrolmentSource.BULK

    region: Mapped[Region | None] = relationship()
    attendance: Mapped[list["Attendance"]] = relationship(
        back_populates="enrolment", cascade="all, delete-orphan"
    )


class AttendanceStatus(StrEnum):
    PRESENT = "present"
    ABSENT = "absent"
    EXCUSED = "excused"

    @property
    def label(self) -> str:
        return str(ATTENDANCE_LABELS[self])


ATTENDANCE_LABELS = {
    AttendanceStatus.PRESENT: _l("Present"),
    AttendanceStatus.ABSENT: _l("Absent"),
    AttendanceStatus.EXCUSED: _l("Excused"),
}


class Attendance(Model):
    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("enrolment_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id"), index=True)
    day: Mapped[date] = mapped_column(Date)
    status: Mapped[AttendanceStatus] = mapped_column(enum_column(AttendanceStatus))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    enrolment: Mapped[Enrolment] = relationship(back_populates="attendance")
