"""What a participant has done and where they stand: read-only queries, no rules."""

from dataclasses import dataclass

from sqlalchemy import ColumnElement, case, exists, func, or_, select
from sqlalchemy.orm import selectinload

from tot.accounts.models import User
from tot.curriculum.hooks import progress_recorded
from tot.curriculum.models import Activity, Module, Programme, ProgrammeStatus
from tot.extensions import db
from tot.learning.models import (
    ActivityCompletion,
    CheckAttempt,
    ModuleCompletion,
    ProgrammeProgress,
    Reflection,
)


def catalogue(language: str) -> list[Programme]:
    """Published programmes, those taught in the reader's language first, then by title."""
    return list(
        db.session.scalars(
            select(Programme)
            .where(Programme.status == ProgrammeStatus.PUBLISHED)
            .order_by(case((Programme.delivery_language == language, 0), else_=1), Programme.title)
        )
    )


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done >= self.total


def completed_activity_ids(user: User, activity_ids) -> set[int]:
    activity_ids = list(activity_ids)
    if not activity_ids:
        return set()
    return set(
        db.session.scalars(
            select(ActivityCompletion.activity_id).where(
                ActivityCompletion.user_id == user.id,
                ActivityCompletion.activity_id.in_(activity_ids),
            )
        )
    )


def progress_of(activities, done_ids: set[int]) -> Progress:
    required = [activity for activity in activities if activity.required]
    return Progress(sum(1 for a in required if a.id in done_ids), len(required))


def load_programme(programme_id: int) -> Programme | None:
    """A programme with its modules and activities, in three queries whatever their number."""
    return db.session.scalar(
        select(Programme)
        .where(Programme.id == programme_id)
        .options(selectinload(Programme.modules).selectinload(Module.activities))
    )


def load_module(module_id: int) -> Module | None:
    return db.session.scalar(
        select(Module)
        .where(Module.id == module_id)
        .options(selectinload(Module.activities), selectinload(Module.programme))
    )


@dataclass(frozen=True)
class ProgrammeOverview:
    modules: list[tuple[Module, Progress]]
    total: Progress
    done_ids: set[int]


def programme_overview(user: User, programme: Programme) -> ProgrammeOverview:
    """Progress per module and overall, in one query for the person's completions."""
    activities = [activity for module in programme.modules for activity in module.activities]
    done = (
        completed_activity_ids(user, (a.id for a in activities)) if user.is_authenticated else set()
    )
    modules = [(module, progress_of(module.activities, done)) for module in programme.modules]
    return ProgrammeOverview(modules, progress_of(activities, done), done)


def best_scores(user: User, activity_ids) -> dict[int, int]:
    activity_ids = list(activity_ids)
    if not activity_ids:
        return {}
    rows = db.session.execute(
        select(CheckAttempt.activity_id, func.max(CheckAttempt.score))
        .where(CheckAttempt.user_id == user.id, CheckAttempt.activity_id.in_(activity_ids))
        .group_by(CheckAttempt.activity_id)
    )
    return dict(rows.tuples().all())


def reflections_of(user: User, activity_ids) -> dict[int, Reflection]:
    activity_ids = list(activity_ids)
    if not activity_ids:
        return {}
    reflections = db.session.scalars(
        select(Reflection).where(
            Reflection.user_id == user.id, Reflection.activity_id.in_(activity_ids)
        )
    )
    return {reflection.activity_id: reflection for reflection in reflections}


def module_is_complete(user: User, module: Module) -> bool:
    return (
        db.session.scalar(
            select(ModuleCompletion.id).where(
                ModuleCompletion.user_id == user.id, ModuleCompletion.module_id == module.id
            )
        )
        is not None
    )


def my_programmes(user: User) -> list[ProgrammeProgress]:
    return list(
        db.session.scalars(
            select(ProgrammeProgress)
            .where(ProgrammeProgress.user_id == user.id)
            .options(selectinload(ProgrammeProgress.programme))
            .order_by(ProgrammeProgress.last_active_at.desc())
        )
    )


def next_activity(user: User, programme: Programme) -> Activity | None:
    """The first required activity not yet done, in module order (None when all are done)."""
    # The same programme (the session's identity map), its modules and activities now loaded.
    programme = load_programme(programme.id) or programme
    activities = [a for module in programme.modules for a in module.activities]
    done = completed_activity_ids(user, (a.id for a in activities))
    for activity in activities:
        if activity.required and activity.id not in done:
            return activity
    return None


def continue_where_left_off(user: User) -> Activity | None:
    """The next activity of the programme the participant worked on most recently."""
    for progress in my_programmes(user):
        if progress.completed_at is None and progress.programme.is_published:
            activity = next_activity(user, progress.programme)
            if activity is not None:
                return activity
    return None


def reflections_for_activity(activity: Activity, readable: ColumnElement[bool]):
    """The reflections on a discussion that a reader may read, newest first: `readable` is the
    rule, `services.reflections_readable_by(reader)`."""
    return (
        select(Reflection)
        .where(Reflection.activity_id == activity.id, readable)
        .options(selectinload(Reflection.user))
        .order_by(Reflection.updated_at.desc())
    )


def summaries(user: User, programmes) -> dict[int, Progress]:
    """Overall progress for each programme, in two queries whatever their number."""
    ids = [programme.id for programme in programmes]
    if not ids:
        return {}
    rows = db.session.execute(
        select(Module.programme_id, Activity.id)
        .join(Activity, Activity.module_id == Module.id)
        .where(Module.programme_id.in_(ids), Activity.required.is_(True))
    ).all()
    done = completed_activity_ids(user, (activity_id for _, activity_id in rows))
    totals: dict[int, list[int]] = {programme_id: [0, 0] for programme_id in ids}
    for programme_id, activity_id in rows:
        totals[programme_id][1] += 1
        totals[programme_id][0] += activity_id in done
    return {pid: Progress(done_count, total) for pid, (done_count, total) in totals.items()}


@progress_recorded.connect
def has_progress(_sender=None, *, activity_ids: list[int], module_id: int | None) -> bool:
    """Whether anyone has completed, attempted or reflected on these activities (or the module),
    which authoring then may not delete."""
    conditions = []
    if activity_ids:
        conditions += [
            exists().where(ActivityCompletion.activity_id.in_(activity_ids)),
            exists().where(CheckAttempt.activity_id.in_(activity_ids)),
            exists().where(Reflection.activity_id.in_(activity_ids)),
        ]
    if module_id is not None:
        conditions.append(exists().where(ModuleCompletion.module_id == module_id))
    if not conditions:
        return False
    return bool(db.session.scalar(select(or_(*conditions))))
