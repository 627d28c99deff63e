"""Loading for authoring: programmes, modules, activities and questions, found by id.

A number too big for an INTEGER key, or any id that does not belong where the URL says, finds
nothing rather than raising.
"""

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload, selectinload

from tot.curriculum.models import Activity, Module, Programme, Question
from tot.extensions import db
from tot.scenarios.models import Scenario

MAX_ID = 2**31 - 1  # the largest INTEGER key; a bigger number in a URL or form finds nothing


def ids_ok(*ids) -> bool:
    return all(isinstance(id_, int) and 0 < id_ <= MAX_ID for id_ in ids)


def get_programme(programme_id: int) -> Programme | None:
    return db.session.get(Programme, programme_id) if ids_ok(programme_id) else None


def programme_list() -> Select:
    """All programmes, drafts included, by title (a statement, for the view to paginate)."""
    return select(Programme).order_by(func.lower(Programme.title), Programme.id)


def module_counts(programme_ids) -> dict[int, int]:
    programme_ids = list(programme_ids)
    if not programme_ids:
        return {}
    rows = db.session.execute(
        select(Module.programme_id, func.count())
        .where(Module.programme_id.in_(programme_ids))
        .group_by(Module.programme_id)
    )
    return dict(rows.tuples().all())


def load_programme(programme_id: int) -> Programme | None:
    """A programme with everything its authoring page shows, in a fixed number of queries."""
    if not ids_ok(programme_id):
        return None
    return db.session.scalar(
        select(Programme)
        .where(Programme.id == programme_id)
        .options(
            joinedload(Programme.prerequisite),
            selectinload(Programme.modules)
            .selectinload(Module.activities)
            .selectinload(Activity.questions),
        )
    )


def load_module(programme_id: int, module_id: int) -> Module | None:
    """A module of this programme (None if it belongs to another), with its activities."""
    if not ids_ok(programme_id, module_id):
        return None
    return db.session.scalar(
        select(Module)
        .where(Module.id == module_id, Module.programme_id == programme_id)
        .options(
            joinedload(Module.programme),
            selectinload(Module.activities).selectinload(Activity.questions),
            selectinload(Module.activities).joinedload(Activity.scenario),
        )
    )


def load_activity(programme_id: int, module_id: int, activity_id: int) -> Activity | None:
    """An activity of this module of this programme, with its questions and their choices."""
    if not ids_ok(programme_id, module_id, activity_id):
        return None
    return db.session.scalar(
        select(Activity)
        .join(Activity.module)
        .where(
            Activity.id == activity_id,
            Activity.module_id == module_id,
            Module.programme_id == programme_id,
        )
        .options(
            joinedload(Activity.module).joinedload(Module.programme),
            joinedload(Activity.scenario),
            selectinload(Activity.questions).selectinload(Question.choices),
        )
    )


def find_question(activity: Activity, question_id: int) -> Question | None:
    return next((q for q in activity.questions if q.id == question_id), None)


def prerequisite_candidates(programme: Programme | None) -> list[Programme]:
    """Programmes that may be chosen as a prerequisite: every other one."""
    statement = select(Programme).order_by(func.lower(Programme.title), Programme.id)
    if programme is not None and programme.id is not None:
        statement = statement.where(Programme.id != programme.id)
    return list(db.session.scalars(statement))


def scenario_choices() -> list[Scenario]:
    return list(db.session.scalars(select(Scenario).order_by(func.lower(Scenario.title))))
