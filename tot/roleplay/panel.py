"""The role-play panel of a session's page (asked for by sessions, tot/sessions/hooks.py)."""

from dataclasses import dataclass, field
from typing import ClassVar

from tot.accounts.models import User
from tot.permissions import Role
from tot.roleplay.models import RolePlayRun
from tot.roleplay.services import my_runs, runs_of, scenario_choices
from tot.scenarios.models import Scenario
from tot.sessions import hooks
from tot.sessions.access import can_manage
from tot.sessions.models import TrainingSession


@dataclass
class RolePlayPanel:
    """Managers see the session's runs and start one; a participant sees the runs they play in."""

    training_session: TrainingSession
    manage: bool
    runs: list[RolePlayRun] = field(default_factory=list)
    programme_scenarios: list[Scenario] = field(default_factory=list)
    other_scenarios: list[Scenario] = field(default_factory=list)
    selected: int | None = None
    error: str | None = None

    template: ClassVar[str] = "roleplay/_session_panel.html"
    order: ClassVar[int] = 20


def manager_panel(session: TrainingSession) -> RolePlayPanel:
    """The panel of someone who manages the session: its runs, and the scenarios to start one."""
    first, others = scenario_choices(session)
    return RolePlayPanel(
        training_session=session,
        manage=True,
        runs=runs_of(session),
        programme_scenarios=first,
        other_scenarios=others,
        selected=first[0].id if first else None,
    )


@hooks.session_panels.connect
def roleplay_panel(session: TrainingSession, *, reader: User) -> RolePlayPanel | None:
    if not reader.is_authenticated:
        return None
    if can_manage(reader, session):
        return manager_panel(session)
    if reader.role is Role.PARTICIPANT:
        mine = my_runs(session, reader)
        if mine:
            return RolePlayPanel(training_session=session, manage=False, runs=mine)
    return None
