"""Training sessions: a programme taught in a region and venue, at real instants in time."""

import secrets
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tot.accounts.models import User
from tot.curriculum.models import Programme
from tot.db_types import UTCDateTime, enum_column, utcnow
from tot.extensions import Model, db
from tot.regions.models import Region


class SessionStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"
    COMPLETED = "completed"

    @property
    def label(self) -> str:
        return str(SESSION_STATUS_LABELS[self])


SESSION_STATUS_LABELS = {
    SessionStatus.DRAFT: _l("Draft"),
    SessionStatus.PUBLISHED: _l("Published"),
    SessionStatus.CANCELLED: _l("Cancelled"),
    SessionStatus.COMPLETED: _l("Completed"),
}


class EnrolmentMode(StrEnum):
    OPEN = "open"
    APPROVAL = "approval"

    @property
    def label(self) -> str:
        return str(MODE_LABELS[self])


MODE_LABELS = {
    EnrolmentMode.OPEN: _l("Open: confirmed while seats last"),
    EnrolmentMode.APPROVAL: _l("Needs approval"),
}

co_facilitators = Table(
    "session_co_facilitators",
    db.metadata,
    Column("session_id", ForeignKey("training_sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id"), primary_key=True),
)


class TrainingSession(Model):
    """A scheduled training of one programme ("session" in the UI)."""

    __tablename__ = "training_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")  # Markdown, for participants
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    venue: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(Text, default="")
    timezone: Mapped[str] = mapped_column(String(64))
    capacity: Mapped[int] = mapped_column()
    enrolment_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    enrolment_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    enrolment_mode: Mapped[EnrolmentMode] = mapped_column(
        enum_column(EnrolmentMode), default=EnrolmentMode.OPEN
    )
    lead_facilitator_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[SessionStatus] = mapped_column(
        enum_column(SessionStatus), default=SessionStatus.DRAFT, index=True
    )
    # Staff may schedule over a facilitator's other session; the reason is kept.
    overlap_override_reason: Mapped[str | None] = mapped_column(Text)
    overlap_override_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Bumped by every enrolment change: the row lock that serialises them (see enrolment).
    enrolment_version: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    programme: Mapped[Programme] = relationship()
    region: Mapped[Region] = relationship()
    lead_facilitator: Mapped[User] = relationship(foreign_keys=[lead_facilitator_id])
    co_facilitators: Mapped[list[User]] = relationship(secondary=co_facilitators)
    quotas: Mapped[list["SeatQuota"]] = relationship(
        back_populates="session", cascade="all, delete-orphan"
    )

    def __init__(self, **kwargs):
        kwargs.setdefault("enrolment_version", 0)
        super().__init__(**kwargs)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def local_start(self) -> datetime:
        return self.starts_at.astimezone(self.zone)

    @property
    def local_end(self) -> datetime:
        return self.ends_at.astimezone(self.zone)

    @property
    def days(self) -> list[date]:
        """The local calendar days the session runs on."""
        first, last = self.local_start.date(), self.local_end.date()
        return [first + timedelta(days=n) for n in range((last - first).days + 1)]

    @property
    def facilitators(self) -> list[User]:
        return [self.lead_facilitator, *self.co_facilitators]

    # What its status allows; the lifecycle rules (tot/sessions/lifecycle.py) and the session's
    # page both ask these, so the page never restates a rule.
    @property
    def is_draft(self) -> bool:
        return self.status is SessionStatus.DRAFT

    @property
    def is_cancelled(self) -> bool:
        return self.status is SessionStatus.CANCELLED

    @property
    def is_completed(self) -> bool:
        return self.status is SessionStatus.COMPLETED

    @property
    def can_edit(self) -> bool:
        """Its details, seats and quotas can change until it is cancelled or completed."""
        return self.status in (SessionStatus.DRAFT, SessionStatus.PUBLISHED)

    @property
    def can_publish(self) -> bool:
        return self.status is SessionStatus.DRAFT

    @property
    def can_cancel(self) -> bool:
        return self.status in (SessionStatus.DRAFT, SessionStatus.PUBLISHED)

    @property
    def can_complete(self) -> bool:
        return self.status is SessionStatus.PUBLISHED

    def seats_left(self, confirmed: int) -> int:
        """Free seats when `confirmed` of them are taken (never fewer than none)."""
        return max(0, self.capacity - confirmed)

    def is_facilitated_by(self, user: User) -> bool:
        return user.id == self.lead_facilitator_id or any(
            user.id == co.id for co in self.co_facilitators
        )

    def __str__(self) -> str:
        return self.title


class SeatQuota(Model):
    """Per-region seats inside a session: a cap (at most N), and/or a reservation (N kept)."""

    __tablename__ = "seat_quotas"
    __table_args__ = (UniqueConstraint("session_id", "region_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("training_sessions.id", ondelete="CASCADE"), index=True
    )
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"))
    cap: Mapped[int | None] = mapped_column()
    reserved: Mapped[int | None] = mapped_column()
    # After this instant the reserved seats open to everyone.
    reserved_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    session: Mapped[TrainingSession] = relationship(back_populates="quotas")
    region: Mapped[Region] = relationship()

    def reservation_live(self, now: datetime) -> bool:
        return bool(self.reserved) and (self.reserved_until is None or now < self.reserved_until)


class CalendarToken(Model):
    """The secret in a person's calendar-feed URL; resetting it kills the old URL."""

    __tablename__ = "calendar_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()

    @staticmethod
    def new_secret() -> str:
        return secrets.token_urlsafe(32)
