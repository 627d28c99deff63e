from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tot.db_types import UTCDateTime, enum_column, utcnow
from tot.extensions import Model
from tot.i18n import Language
from tot.scenarios.models import Scenario


class ProgrammeStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])


STATUS_LABELS = {ProgrammeStatus.DRAFT: _l("Draft"), ProgrammeStatus.PUBLISHED: _l("Published")}


class Level(StrEnum):
    INTRODUCTORY = "introductory"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"

    @property
    def label(self) -> str:
        return str(LEVEL_LABELS[self])


LEVEL_LABELS = {
    Level.INTRODUCTORY: _l("Introductory"),
    Level.INTERMEDIATE: _l("Intermediate"),
    Level.ADVANCED: _l("Advanced"),
}


class ActivityKind(StrEnum):
    THEORY = "theory"
    DISCUSSION = "discussion"
    KNOWLEDGE_CHECK = "knowledge_check"
    ROLE_PLAY = "role_play"

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self])


KIND_LABELS = {
    ActivityKind.THEORY: _l("Theory"),
    ActivityKind.DISCUSSION: _l("Discussion"),
    ActivityKind.KNOWLEDGE_CHECK: _l("Knowledge check"),
    ActivityKind.ROLE_PLAY: _l("Role-play"),
}


class Programme(Model):
    """A TOT curriculum: ordered modules, possibly requiring another programme first."""

    __tablename__ = "programmes"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    audience: Mapped[str] = mapped_column(Text, default="")
    level: Mapped[Level] = mapped_column(enum_column(Level), default=Level.INTRODUCTORY)
    delivery_language: Mapped[Language] = mapped_column(
        enum_column(Language), default=Language.RUSSIAN
    )
    status: Mapped[ProgrammeStatus] = mapped_column(
        enum_column(ProgrammeStatus), default=ProgrammeStatus.DRAFT, index=True
    )
    # Self-paced: a participant may start it on their own, without a session.
    self_paced: Mapped[bool] = mapped_column(default=True)
    prerequisite_id: Mapped[int | None] = mapped_column(ForeignKey("programmes.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    prerequisite: Mapped["Programme | None"] = relationship(remote_side=[id])
    modules: Mapped[list["Module"]] = relationship(
        back_populates="programme", order_by="Module.position", cascade="all, delete-orphan"
    )

    @property
    def is_published(self) -> bool:
        return self.status is ProgrammeStatus.PUBLISHED

    def __str__(self) -> str:
        return self.title


class Module(Model):
    """A unit of learning inside a programme, made of ordered activities."""

    __tablename__ = "modules"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))
    objectives: Mapped[str] = mapped_column(Text, default="")  # Markdown
    estimated_minutes: Mapped[int] = mapped_column(default=60)

    programme: Mapped[Programme] = relationship(back_populates="modules")
    activities: Mapped[list["Activity"]] = relationship(
        back_populates="module", order_by="Activity.position", cascade="all, delete-orphan"
    )

    def __str__(self) -> str:
        return self.title


class Activity(Model):
    """One step of a module: theory, a discussion prompt, a knowledge check or a role-play."""

    __tablename__ = "activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[ActivityKind] = mapped_column(enum_column(ActivityKind))
    title: Mapped[str] = mapped_column(String(200))
    required: Mapped[bool] = mapped_column(default=True)
    # Markdown: the theory text, the discussion prompt, or an introduction to a check or role-play.
    body: Mapped[str] = mapped_column(Text, default="")
    # Theory: links to resources, one a line as "Title | https://…".
    resources: Mapped[str] = mapped_column(Text, default="")
    # Knowledge check: the score (in percent) needed to pass.
    pass_mark: Mapped[int | None] = mapped_column()
    # Role-play: the scenario played.
    scenario_id: Mapped[int | None] = mapped_column(ForeignKey("scenarios.id"), index=True)

    module: Mapped[Module] = relationship(back_populates="activities")
    scenario: Mapped[Scenario | None] = relationship()
    questions: Mapped[list["Question"]] = relationship(
        back_populates="activity", order_by="Question.position", cascade="all, delete-orphan"
    )

    @property
    def resource_links(self) -> list[tuple[str, str]]:
        links = []
        for line in (self.resources or "").splitlines():
            title, _, url = line.partition("|")
            if url.strip():
                links.append((title.strip() or url.strip(), url.strip()))
        return links

    def __str__(self) -> str:
        return self.title


class Question(Model):
    """A knowledge-check question: single choice (one right answer) or multiple choice."""

    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(Text)
    multiple: Mapped[bool] = mapped_column(default=False)

    activity: Mapped[Activity] = relationship(back_populates="questions")
    choices: Mapped[list["Choice"]] = relationship(
        back_populates="question", order_by="Choice.position", cascade="all, delete-orphan"
    )

    @property
    def correct_ids(self) -> set[int]:
        return {choice.id for choice in self.choices if choice.correct}


class Choice(Model):
    __tablename__ = "choices"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(String(500))
    correct: Mapped[bool] = mapped_column(default=False)

    question: Mapped[Question] = relationship(back_populates="choices")
