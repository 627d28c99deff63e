"""Anonymous session feedback.

A response holds no link to a person: no user or enrolment id, a random id (so its order among
other responses says nothing), a date no finer than the day, and all answers inside the row (so
no sequence of answer rows either). A separate receipt records only that a person has answered
a session's survey, so that nobody answers twice. An answer sheet first waits as a
`PendingSheet` and enters `feedback_responses` only in a shuffled batch: see
`tot.feedback.services` for why, and `tot.feedback.batches` for how.
"""

import uuid
from datetime import date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tot.db_types import UTCDateTime, enum_column, utcnow
from tot.extensions import Model
from tot.sessions.models import TrainingSession


class QuestionKind(StrEnum):
    RATING = "rating"  # 1 to 5, with labels for the ends
    CHOICE = "choice"  # one of the options
    TEXT = "text"  # free text

    @property
    def label(self) -> str:
        return str(QUESTION_KIND_LABELS[self])


QUESTION_KIND_LABELS = {
    QuestionKind.RATING: _l("Rating from 1 to 5"),
    QuestionKind.CHOICE: _l("Single choice"),
    QuestionKind.TEXT: _l("Free text"),
}


class FeedbackForm(Model):
    """A reusable survey that staff attach to sessions."""

    __tablename__ = "feedback_forms"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    intro: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    questions: Mapped[list["FeedbackQuestion"]] = relationship(
        back_populates="form", order_by="FeedbackQuestion.position", cascade="all, delete-orphan"
    )


class FeedbackQuestion(Model):
    __tablename__ = "feedback_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("feedback_forms.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[QuestionKind] = mapped_column(enum_column(QuestionKind))
    required: Mapped[bool] = mapped_column(default=True)
    options: Mapped[str] = mapped_column(Text, default="")  # choice: one option a line
    low_label: Mapped[str] = mapped_column(String(80), default="")  # rating: what 1 means
    high_label: Mapped[str] = mapped_column(String(80), default="")  # rating: what 5 means

    form: Mapped[FeedbackForm] = relationship(back_populates="questions")

    @property
    def option_list(self) -> list[str]:
        return [line.strip() for line in (self.options or "").splitlines() if line.strip()]


class SessionSurvey(Model):
    """A feedback form given to one session: open from when it ends (or by hand) until it closes."""

    __tablename__ = "session_surveys"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_sessions.id"), unique=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("feedback_forms.id"), index=True)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # opened by hand early
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Bumped by every transaction that adds to or releases the survey's waiting answer sheets:
    # the row lock that serialises them (tot/feedback/batches.py).
    pool_version: Mapped[int] = mapped_column(default=0)

    session: Mapped[TrainingSession] = relationship()
    form: Mapped[FeedbackForm] = relationship()

    def opens_at(self) -> datetime:
        return self.opened_at or self.session.ends_at

    def is_open(self, now: datetime) -> bool:
        # Written again in SQL as `tot.feedback.surveys.open_at`: change both together.
        return self.opens_at() <= now < self.closes_at


def random_id() -> str:
    """A fresh random key: it says nothing of when, or in which order, a row was written."""
    return uuid.uuid4().hex


class FeedbackResponse(Model):
    """One anonymous answer sheet in the results. Deliberately no person, no time of day, no
    sequence: it was written, with the rest of its batch and in shuffled order, by a transaction
    that wrote no receipt (tot/feedback/batches.py)."""

    __tablename__ = "feedback_responses"
    # SQLite would otherwise keep a hidden rowid in insertion order.
    __table_args__ = ({"sqlite_with_rowid": False},)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_id)
    survey_id: Mapped[int] = mapped_column(ForeignKey("session_surveys.id"), index=True)
    # The day (UTC) its batch entered the results: the same for every sheet of the batch.
    submitted_on: Mapped[date] = mapped_column(Date)
    answers: Mapped[dict] = mapped_column(JSON, default=dict)  # {question id: value}


class PendingSheet(Model):
    """An answer sheet waiting for enough others to enter the results with (tot/feedback/batches).

    Not even a day: nothing but the survey and the answers. Rewritten, with every other sheet
    waiting for the same survey and in shuffled order, each time a sheet joins them, and deleted
    when they are released; so no waiting row outlives the transaction that last wrote the pool.
    """

    __tablename__ = "feedback_pending_sheets"
    # SQLite would otherwise keep a hidden rowid in insertion order.
    __table_args__ = ({"sqlite_with_rowid": False},)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_id)
    survey_id: Mapped[int] = mapped_column(ForeignKey("session_surveys.id"), index=True)
    answers: Mapped[dict] = mapped_column(JSON, default=dict)  # {question id: value}


class FeedbackReceipt(Model):
    """That a person has answered a survey — never which answer is theirs."""

    __tablename__ = "feedback_receipts"
    __table_args__ = (UniqueConstraint("survey_id", "user_id"), {"sqlite_with_rowid": False})

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_id)
    survey_id: Mapped[int] = mapped_column(ForeignKey("session_surveys.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
