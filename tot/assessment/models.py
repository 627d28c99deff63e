"""Pre/post self-assessment: the same statements rated when a programme starts and ends.

Linked to the person, because change needs a pair; shown only in aggregate.
"""

from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tot.curriculum.models import Programme
from tot.db_types import UTCDateTime, enum_column, utcnow
from tot.extensions import Model


class Phase(StrEnum):
    BEFORE = "before"
    AFTER = "after"

    @property
    def label(self) -> str:
        return str(PHASE_LABELS[self])


PHASE_LABELS = {Phase.BEFORE: _l("Before the programme"), Phase.AFTER: _l("After the programme")}


class AssessmentStatement(Model):
    __tablename__ = "assessment_statements"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(Text)

    programme: Mapped[Programme] = relationship()


class SelfAssessment(Model):
    __tablename__ = "self_assessments"
    __table_args__ = (UniqueConstraint("user_id", "programme_id", "phase"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    phase: Mapped[Phase] = mapped_column(enum_column(Phase))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    ratings: Mapped[list["AssessmentRating"]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan"
    )


class AssessmentRating(Model):
    __tablename__ = "assessment_ratings"
    __table_args__ = (UniqueConstraint("assessment_id", "statement_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("self_assessments.id"), index=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("assessment_statements.id"), index=True)
    rating: Mapped[int] = mapped_column()  # 1 to 5

    assessment: Mapped[SelfAssessment] = relationship(back_populates="ratings")
    statement: Mapped[AssessmentStatement] = relationship()
