"""A cascade training: one a graduate delivered back home, with how many people took part."""

from datetime import date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, Date, ForeignKey, String, Table, Text
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tot.accounts.models import User
from tot.certificates.models import Certificate
from tot.curriculum.models import Programme
from tot.db_types import UTCDateTime, enum_column, utcnow
from tot.extensions import Model, db
from tot.regions.models import Region


class ReportStatus(StrEnum):
    SUBMITTED = "submitted"  # waiting for a facilitator or staff to look at it
    VERIFIED = "verified"  # checked: counts in the reach figures; no longer editable
    RETURNED = "returned"  # sent back with a comment, to be corrected

    @property
    def label(self) -> str:
        return str(REPORT_STATUS_LABELS[self])


REPORT_STATUS_LABELS = {
    ReportStatus.SUBMITTED: _l("Waiting for verification"),
    ReportStatus.VERIFIED: _l("Verified"),
    ReportStatus.RETURNED: _l("Returned for correction"),
}

# Other graduates who trained with the one who reports.
cascade_co_trainers = Table(
    "cascade_co_trainers",
    db.metadata,
    Column("training_id", ForeignKey("cascade_trainings.id"), primary_key=True),
    Column("user_id", ForeignKey("users.id"), primary_key=True),
)


class CascadeTraining(Model):
    """Headcounts only, never names: by gender, and by age group (which add up to the same)."""

    __tablename__ = "cascade_trainings"

    id: Mapped[int] = mapped_column(primary_key=True)
    graduate_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # The certificate the graduate trains on: its session is their cohort.
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificates.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date, index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    settlement: Mapped[str] = mapped_column(String(120))
    # What was taught: a programme of the platform, or else a topic in the graduate's words.
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("programmes.id"), index=True)
    topic: Mapped[str] = mapped_column(String(200), default="")
    hours: Mapped[int] = mapped_column()
    women: Mapped[int] = mapped_column(default=0)
    men: Mapped[int] = mapped_column(default=0)
    other_genders: Mapped[int] = mapped_column(default=0)  # another gender, or not said
    age_18_24: Mapped[int] = mapped_column(default=0)
    age_25_34: Mapped[int] = mapped_column(default=0)
    age_35_44: Mapped[int] = mapped_column(default=0)
    age_45_54: Mapped[int] = mapped_column(default=0)
    age_55_plus: Mapped[int] = mapped_column(default=0)
    age_unknown: Mapped[int] = mapped_column(default=0)  # under 18, or not asked
    notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ReportStatus] = mapped_column(
        enum_column(ReportStatus), default=ReportStatus.SUBMITTED, index=True
    )
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    graduate: Mapped[User] = relationship(foreign_keys=[graduate_id])
    certificate: Mapped[Certificate] = relationship()
    region: Mapped[Region] = relationship()
    programme: Mapped[Programme | None] = relationship()
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])
    co_trainers: Mapped[list[User]] = relationship(secondary=cascade_co_trainers)

    @hybrid_property
    def people(self) -> int:
        """How many took part (the sum by gender; the ages add up to the same), in SQL too."""
        return self.women + self.men + self.other_genders

    @property
    def editable(self) -> bool:
        return self.status is not ReportStatus.VERIFIED

    # What the status means, asked by the rules and the pages alike (never compared in a template).
    @property
    def is_verified(self) -> bool:
        return self.status is ReportStatus.VERIFIED

    @property
    def is_returned(self) -> bool:
        return self.status is ReportStatus.RETURNED

    @property
    def awaits_review(self) -> bool:
        """Waiting for a facilitator of the cohort or staff to verify or return it."""
        return self.status is ReportStatus.SUBMITTED

    @property
    def resubmitted(self) -> bool:
        """Sent again after it was returned: the earlier comment is still worth reading."""
        return self.awaits_review and bool(self.review_comment)

    @property
    def age_total(self) -> int:
        return (
            self.age_18_24
            + self.age_25_34
            + self.age_35_44
            + self.age_45_54
            + self.age_55_plus
            + self.age_unknown
        )

    @property
    def what(self) -> str:
        """What was taught: the programme's title, and the topic in the graduate's words."""
        parts = [self.programme.title] if self.programme is not None else []
        if self.topic:
            parts.append(self.topic)
        return " · ".join(parts)

    # State changes; who may make them, and when, is decided in tot/cascade/review.py.
    def verify(self, by: User, at: datetime) -> None:
        self.status = ReportStatus.VERIFIED
        self.reviewed_by_id = by.id
        self.reviewed_at = at

    def return_for_correction(self, by: User, at: datetime, comment: str) -> None:
        self.status = ReportStatus.RETURNED
        self.reviewed_by_id = by.id
        self.reviewed_at = at
        self.review_comment = comment

    def resubmit(self) -> None:
        """Corrected by the graduate: waiting for verification again (the comment stays)."""
        if self.is_returned:
            self.status = ReportStatus.SUBMITTED
