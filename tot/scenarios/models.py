from datetime import datetime

from sqlalchemy import Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tot.db_types import UTCDateTime, utcnow
from tot.extensions import Model, db

scenario_tags = Table(
    "scenario_tags",
    db.metadata,
    Column("scenario_id", ForeignKey("scenarios.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
)


class Tag(Model):
    """A theme a scenario can be found by: legal aid, torture victims, conflict and water…"""

    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)

    def __str__(self) -> str:
        return self.name


class Scenario(Model):
    """A role-play: a situation, roles with private briefs, an observer checklist and a debrief."""

    __tablename__ = "scenarios"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    situation: Mapped[str] = mapped_column(Text, default="")  # Markdown
    objectives: Mapped[str] = mapped_column(Text, default="")  # Markdown
    observer_checklist: Mapped[str] = mapped_column(Text, default="")  # one item a line
    debrief_questions: Mapped[str] = mapped_column(Text, default="")  # one question a line
    group_min: Mapped[int] = mapped_column(default=2)
    group_max: Mapped[int] = mapped_column(default=4)
    duration_minutes: Mapped[int] = mapped_column(default=45)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    roles: Mapped[list["ScenarioRole"]] = relationship(
        back_populates="scenario",
        order_by="ScenarioRole.position",
        cascade="all, delete-orphan",
    )
    tags: Mapped[list[Tag]] = relationship(secondary=scenario_tags, order_by=Tag.name)

    @property
    def checklist_items(self) -> list[str]:
        return _lines(self.observer_checklist)

    @property
    def debrief_list(self) -> list[str]:
        return _lines(self.debrief_questions)

    def __str__(self) -> str:
        return self.title


class ScenarioRole(Model):
    """A part in a scenario. Its private brief is for the player only (and staff, facilitators)."""

    __tablename__ = "scenario_roles"

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(
        ForeignKey("scenarios.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(120))
    public_description: Mapped[str] = mapped_column(Text, default="")
    private_brief: Mapped[str] = mapped_column(Text, default="")

    scenario: Mapped[Scenario] = relationship(back_populates="roles")


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
