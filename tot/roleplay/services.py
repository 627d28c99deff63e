"""Rules of live role-play: forming groups, assigning roles, and who sees which brief.

A run is formed from the session's confirmed participants, dealt into groups by `grouping` (by
region, round-robin; the scenario's roles in order, everyone else observes; no randomness).
"""

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import joinedload, selectinload

from tot.accounts.models import User
from tot.curriculum.models import Activity, ActivityKind, Module
from tot.db_types import utcnow
from tot.enrolment.models import Enrolment, EnrolmentStatus
from tot.errors import DomainError
from tot.extensions import db
from tot.learning.services import mark_role_played
from tot.permissions import Role
from tot.roleplay.grouping import deal_groups, plan_groups
from tot.roleplay.models import RoleAssignment, RolePlayGroup, RolePlayRun
from tot.scenarios.hooks import role_played
from tot.scenarios.models import Scenario, ScenarioRole
from tot.sessions.models import SessionStatus, TrainingSession
from tot.texts import too_long

DEBRIEF_NOTES_MAX = 20_000

# --- choosing a scenario -------------------------------------------------------------------------


def programme_scenarios(session: TrainingSession) -> list[Scenario]:
    """Scenarios that the role-play activities of the session's programme play, in module order."""
    rows = db.session.scalars(
        select(Scenario)
        .join(Activity, Activity.scenario_id == Scenario.id)
        .join(Module, Activity.module_id == Module.id)
        .where(Module.programme_id == session.programme_id, Activity.kind == ActivityKind.ROLE_PLAY)
        .order_by(Module.position, Activity.position, Scenario.id)
    ).all()
    seen: dict[int, Scenario] = {}
    for scenario in rows:
        seen.setdefault(scenario.id, scenario)
    return list(seen.values())


def scenario_choices(session: TrainingSession) -> tuple[list[Scenario], list[Scenario]]:
    """(the programme's scenarios, every other scenario by title): the start form's options."""
    first = programme_scenarios(session)
    first_ids = {scenario.id for scenario in first}
    others = db.session.scalars(
        select(Scenario).where(Scenario.id.not_in(first_ids)).order_by(Scenario.title, Scenario.id)
    ).all()
    return first, list(others)


# --- starting a run ------------------------------------------------------------------------------


def confirmed_participants(session: TrainingSession) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(Enrolment, Enrolment.user_id == User.id)
            .where(
                Enrolment.session_id == session.id,
                Enrolment.status == EnrolmentStatus.CONFIRMED,
            )
            .order_by(User.id)
        ).unique()
    )


def confirmed_user_ids(session: TrainingSession) -> set[int]:
    return set(
        db.session.scalars(
            select(Enrolment.user_id).where(
                Enrolment.session_id == session.id,
                Enrolment.status == EnrolmentStatus.CONFIRMED,
            )
        )
    )


@dataclass
class StartedRun:
    run: RolePlayRun
    warnings: list[str] = field(default_factory=list)


def start_run(session: TrainingSession, scenario: Scenario, actor: User | None) -> StartedRun:
    """Form groups from the session's confirmed participants and give out the scenario's roles."""
    if session.status is SessionStatus.CANCELLED:
        raise DomainError(_("This session is cancelled."))
    roles = list(scenario.roles)
    if not roles:
        raise DomainError(
            _(
                "“%(title)s” has no roles yet: add roles to the scenario first.",
                title=scenario.title,
            ),
            field="scenario",
        )
    people = confirmed_participants(session)
    if not people:
        raise DomainError(_("This session has no confirmed participants yet."))
    plan = plan_groups(len(people), scenario.group_min, scenario.group_max)
    run = RolePlayRun(
        session=session,
        scenario=scenario,
        created_by_id=actor.id if actor is not None else None,
        created_at=utcnow(),
    )
    db.session.add(run)
    db.session.flush()
    for number, members in enumerate(deal_groups(people, roles, plan.groups), start=1):
        group = RolePlayGroup(run=run, number=number, debrief_notes="")
        for person, role in members:
            group.assignments.append(RoleAssignment(run_id=run.id, user=person, role=role))
        db.session.add(group)
    db.session.flush()
    return StartedRun(run, list(plan.warnings))


# --- reading a run -------------------------------------------------------------------------------


def load_run(run_id: int) -> RolePlayRun | None:
    """A run with its session, scenario and roles, groups and people, in a fixed few queries."""
    return db.session.scalar(
        select(RolePlayRun)
        .where(RolePlayRun.id == run_id)
        .options(
            joinedload(RolePlayRun.session).selectinload(TrainingSession.co_facilitators),
            joinedload(RolePlayRun.scenario).selectinload(Scenario.roles),
            selectinload(RolePlayRun.groups)
            .selectinload(RolePlayGroup.assignments)
            .options(
                joinedload(RoleAssignment.user).joinedload(User.region),
                joinedload(RoleAssignment.role),
            ),
        )
    )


def _member_order(assignment: RoleAssignment) -> tuple:
    role = assignment.role
    return (
        role is None,
        role.position if role is not None else 0,
        assignment.user.full_name.casefold(),
        assignment.id,
    )


@dataclass(frozen=True)
class GroupView:
    group: RolePlayGroup
    members: list[RoleAssignment]  # players in role order, then observers by name
    missing_roles: list[ScenarioRole]  # roles nobody in the group plays
    doubled_roles: list[ScenarioRole]  # roles two or more people in the group play

    @property
    def observers(self) -> list[RoleAssignment]:
        return [member for member in self.members if member.role_id is None]


def group_views(run: RolePlayRun) -> list[GroupView]:
    views = []
    for group in run.groups:
        members = sorted(group.assignments, key=_member_order)
        played = [member.role_id for member in members if member.role_id is not None]
        roles = run.scenario.roles
        views.append(
            GroupView(
                group=group,
                members=members,
                missing_roles=[role for role in roles if role.id not in played],
                doubled_roles=[role for role in roles if played.count(role.id) > 1],
            )
        )
    return views


def assignment_of(run: RolePlayRun, user: User) -> RoleAssignment | None:
    """The person's place in a loaded run (groups and assignments already in memory)."""
    for group in run.groups:
        for assignment in group.assignments:
            if assignment.user_id == user.id:
                return assignment
    return None


def may_view_own_role(run: RolePlayRun, user: User) -> bool:
    """A participant assigned in the run who still holds a confirmed seat in its session."""
    if not user.is_authenticated or user.role is not Role.PARTICIPANT:
        return False
    return assignment_of(run, user) is not None and user.id in confirmed_user_ids(run.session)


# --- changing a run ------------------------------------------------------------------------------


def _ensure_open(run: RolePlayRun) -> None:
    if run.finished_at is not None:
        raise DomainError(
            _("This role-play is finished: its groups and roles can no longer change.")
        )


def move_assignment(
    run: RolePlayRun, assignment: RoleAssignment, group_id: int | None, role_id: int | None
) -> list[str]:
    """Put a person in another group and/or role of this run; returns warnings to show."""
    _ensure_open(run)
    if assignment.run_id != run.id:
        raise DomainError(_("This person is not in this role-play."))
    group = next((g for g in run.groups if g.id == group_id), None)
    if group is None:
        raise DomainError(_("Choose one of this role-play's groups."), field="group")
    role = None
    if role_id is not None:
        role = next((r for r in run.scenario.roles if r.id == role_id), None)
        if role is None:
            raise DomainError(_("Choose one of this scenario's roles, or observer."), field="role")
    assignment.group = group  # the back-reference moves it between the groups' lists
    assignment.role = role
    db.session.flush()
    warnings = []
    if role is not None and sum(1 for a in group.assignments if a.role_id == role.id) > 1:
        warnings.append(
            _(
                "More than one person in group %(number)d now plays “%(role)s”.",
                number=group.number,
                role=role.name,
            )
        )
    return warnings


def save_debrief(group: RolePlayGroup, notes: str | None) -> None:
    """Keep a group's debrief notes as written (shown as Markdown, so nothing runs)."""
    notes = notes or ""
    if len(notes) > DEBRIEF_NOTES_MAX:
        raise DomainError(too_long(DEBRIEF_NOTES_MAX), field="notes")
    group.debrief_notes = notes
    db.session.flush()


def roleplay_activities(run: RolePlayRun) -> list[Activity]:
    """The role-play activities of the session's programme that play this run's scenario."""
    return list(
        db.session.scalars(
            select(Activity)
            .join(Module, Activity.module_id == Module.id)
            .where(
                Module.programme_id == run.session.programme_id,
                Activity.kind == ActivityKind.ROLE_PLAY,
                Activity.scenario_id == run.scenario_id,
            )
            .order_by(Module.position, Activity.position)
        )
    )


@dataclass(frozen=True)
class FinishedRun:
    people: int  # participants who had their role-play activities marked done
    activities: int  # the programme's role-play activities that play this scenario


def finish_run(run: RolePlayRun, now: datetime | None = None) -> FinishedRun:
    """Close the run: each participant who took part (and is still confirmed) has every
    role-play activity of the session's programme that plays this scenario marked done."""
    now = now or utcnow()
    # Set finished_at only if nobody has yet: two clicks on "finish" at once finish it once.
    result = db.session.execute(
        update(RolePlayRun)
        .where(RolePlayRun.id == run.id, RolePlayRun.finished_at.is_(None))
        .values(finished_at=now)
        .execution_options(synchronize_session=False)
    )
    # An UPDATE without RETURNING run by the session gives a CursorResult, which tells the rows
    # it changed.
    assert isinstance(result, CursorResult)
    if result.rowcount != 1:
        raise DomainError(_("This role-play is already finished."))
    run.finished_at = now
    activities = roleplay_activities(run)
    confirmed = confirmed_user_ids(run.session)
    marked = 0
    for group in run.groups:
        for assignment in group.assignments:
            person = assignment.user
            if person.id not in confirmed or person.role is not Role.PARTICIPANT:
                continue
            for activity in activities:
                mark_role_played(person, activity)
            marked += 1
    db.session.flush()
    return FinishedRun(people=marked if activities else 0, activities=len(activities))


# --- the session's page --------------------------------------------------------------------------


def runs_of(session: TrainingSession) -> list[RolePlayRun]:
    return list(
        db.session.scalars(
            select(RolePlayRun)
            .where(RolePlayRun.session_id == session.id)
            .options(joinedload(RolePlayRun.scenario))
            .order_by(RolePlayRun.created_at.desc(), RolePlayRun.id.desc())
        )
    )


def my_runs(session: TrainingSession, user: User) -> list[RolePlayRun]:
    """Runs of the session in which this participant has a part (only while confirmed)."""
    if user.id not in confirmed_user_ids(session):
        return []
    return list(
        db.session.scalars(
            select(RolePlayRun)
            .join(RoleAssignment, RoleAssignment.run_id == RolePlayRun.id)
            .where(RolePlayRun.session_id == session.id, RoleAssignment.user_id == user.id)
            .options(joinedload(RolePlayRun.scenario))
            .order_by(RolePlayRun.created_at.desc(), RolePlayRun.id.desc())
        )
    )


@role_played.connect
def has_been_played(role: ScenarioRole) -> bool:
    """Whether a role-play gave this role to someone (the scenario library then keeps it)."""
    played = select(RoleAssignment.id).where(RoleAssignment.role_id == role.id).limit(1)
    return db.session.scalar(played) is not None
