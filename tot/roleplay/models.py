"""Live role-play: a scenario run in a session, in groups, with roles assigned to people."""

from datetime import datetime

from sqlalchemy import ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tot.accounts.models import User
from tot.db_types import UTCDateTime, utcnow
from tot.extensions import Model
from tot.scenarios.models import Scenario, ScenarioRole
from tot.sessions.models import TrainingSession


class RolePlayRun(Model):
    __tablename__ = "role_play_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_sessions.id"), index=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    session: Mapped[TrainingSession] = relationship()
    scenario: Mapped[Scenario] = relationship()
    groups: Mapped[list["RolePlayGroup"]] = relationship(
        back_populates="run", order_by="RolePlayGroup.number", cascade="all, delete-orphan"
    )


class RolePlayGroup(Model):
    __tablename__ = "role_play_groups"
    __table_args__ = (UniqueConstraint("run_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("role_play_runs.id"), index=True)
    number: Mapped[int] = mapped_column()
    debrief_notes: Mapped[str] = mapped_column(Text, default="")

    run: Mapped[RolePlayRun] = relationship(back_populates="groups")
    assignments: Mapped[list["RoleAssignment"]] = relationship(
        back_populates="group", cascade="all, delete-orphan"
    )


class RoleAssignment(Model):
    """Who plays which role in a group; no role means an observer with the checklist."""

    __tablename__ = "role_assignments"
    __table_args__ = (UniqueConstraint("run_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("role_play_runs.id"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("role_play_groups.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    role_id: Mapped[int | None] = mapped_column(ForeignKey("scenario_roles.id"))

    group: Mapped[RolePlayGroup] = relationship(back_populates="assignments")
    user: Mapped[User] = relationship()
    role: Mapped[ScenarioRole | None] = relationship()
