"""Rules of authoring: programmes, their ordered modules, activities and knowledge checks.

Plain functions on the objects they act on. They flush, never commit (the view commits once), and
refuse bad input with a DomainError naming the form field the message belongs beside.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from tot.accounts.models import Language
from tot.curriculum.models import (
    Activity,
    ActivityKind,
    Choice,
    Level,
    Module,
    Programme,
    ProgrammeStatus,
    Question,
)
from tot.db_types import utcnow
from tot.errors import DomainError
from tot.extensions import db
from tot.learning.models import ActivityCompletion, CheckAttempt, ModuleCompletion, Reflection
from tot.scenarios.models import Scenario

TITLE_MAX = 200
DEFAULT_PASS_MARK = 80
MIN_CHOICES = 2
MAX_CHOICES = 6


# --- loading -------------------------------------------------------------------------------------

MAX_ID = 2**31 - 1  # the largest INTEGER key; a bigger number in a URL or form finds nothing


def _ids_ok(*ids) -> bool:
    return all(isinstance(id_, int) and 0 < id_ <= MAX_ID for id_ in ids)


def get_programme(programme_id: int) -> Programme | None:
    return db.session.get(Programme, programme_id) if _ids_ok(programme_id) else None


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
    return dict(rows.all())


def load_programme(programme_id: int) -> Programme | None:
    """A programme with everything its authoring page shows, in a fixed number of queries."""
    if not _ids_ok(programme_id):
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
    if not _ids_ok(programme_id, module_id):
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
    if not _ids_ok(programme_id, module_id, activity_id):
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


# --- programmes ----------------------------------------------------------------------------------


def _clean_title(title: str | None, field: str = "title") -> str:
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Enter a title."), field=field)
    if len(title) > TITLE_MAX:
        raise DomainError(
            _("Keep the title to %(max)d characters or fewer.", max=TITLE_MAX), field=field
        )
    return title


def _check_prerequisite(programme: Programme | None, prerequisite: Programme | None) -> None:
    if prerequisite is None:
        return
    if programme is not None and prerequisite.id == programme.id:
        raise DomainError(_("A programme cannot require itself."), field="prerequisite_id")
    if programme is not None and programme.id is not None:
        seen: set[int] = set()
        step = prerequisite
        while step is not None and step.id not in seen:
            if step.id == programme.id:
                raise DomainError(
                    _(
                        "“%(title)s” already requires this programme, directly or through "
                        "another: choosing it would make a circle no one could enter.",
                        title=prerequisite.title,
                    ),
                    field="prerequisite_id",
                )
            seen.add(step.id)
            step = step.prerequisite
    if programme is not None and programme.is_published and not prerequisite.is_published:
        raise DomainError(
            _(
                "“%(title)s” is a draft: publish it before a published programme requires it.",
                title=prerequisite.title,
            ),
            field="prerequisite_id",
        )


def _find(model, id_: int | None, field: str):
    """The chosen row, or None when nothing was chosen; refused if it no longer exists."""
    if id_ is None:
        return None
    found = db.session.get(model, id_) if _ids_ok(id_) else None
    if found is None:
        raise DomainError(_("That choice no longer exists: choose again."), field=field)
    return found


@dataclass
class ProgrammeFields:
    title: str
    summary: str
    audience: str
    level: Level
    delivery_language: Language
    self_paced: bool
    prerequisite_id: int | None = None


def create_programme(fields: ProgrammeFields) -> Programme:
    programme = Programme(status=ProgrammeStatus.DRAFT)
    _apply_programme_fields(programme, fields)
    db.session.add(programme)
    db.session.flush()
    return programme


def update_programme(programme: Programme, fields: ProgrammeFields) -> None:
    _apply_programme_fields(programme, fields)
    db.session.flush()


def _apply_programme_fields(programme: Programme, fields: ProgrammeFields) -> None:
    title = _clean_title(fields.title)
    prerequisite = _find(Programme, fields.prerequisite_id, "prerequisite_id")
    _check_prerequisite(programme, prerequisite)
    programme.title = title
    programme.summary = (fields.summary or "").strip()
    programme.audience = (fields.audience or "").strip()
    programme.level = fields.level
    programme.delivery_language = fields.delivery_language
    programme.self_paced = bool(fields.self_paced)
    programme.prerequisite = prerequisite


def publication_problems(programme: Programme) -> list[str]:
    """What stops a programme from being published; an empty list when it is ready."""
    problems = []
    if not programme.modules:
        problems.append(_("Add at least one module before publishing."))
    if programme.prerequisite is not None and not programme.prerequisite.is_published:
        problems.append(
            _(
                "The required programme “%(title)s” is a draft: publish it first.",
                title=programme.prerequisite.title,
            )
        )
    for module in programme.modules:
        if not any(activity.required for activity in module.activities):
            problems.append(
                _(
                    "Module “%(title)s” has no required activity, so no one could complete it.",
                    title=module.title,
                )
            )
        for activity in module.activities:
            problem = _activity_problem(activity)
            if problem:
                problems.append(problem)
    return problems


def _activity_problem(activity: Activity) -> str | None:
    if activity.kind is ActivityKind.KNOWLEDGE_CHECK and not activity.questions:
        return _("The knowledge check “%(title)s” has no questions yet.", title=activity.title)
    if activity.kind is ActivityKind.ROLE_PLAY and activity.scenario_id is None:
        return _("The role-play “%(title)s” has no scenario yet.", title=activity.title)
    if activity.kind is ActivityKind.DISCUSSION and not (activity.body or "").strip():
        return _("The discussion “%(title)s” has no prompt yet.", title=activity.title)
    return None


def publish_programme(programme: Programme) -> None:
    problems = publication_problems(programme)
    if problems:
        raise DomainError(" ".join(problems))
    if not programme.is_published:
        programme.status = ProgrammeStatus.PUBLISHED
        programme.published_at = utcnow()


def unpublish_programme(programme: Programme) -> None:
    programme.status = ProgrammeStatus.DRAFT
    programme.published_at = None


# --- ordering ------------------------------------------------------------------------------------


def _next_position(column, *criteria) -> int:
    return (db.session.scalar(select(func.max(column)).where(*criteria)) or 0) + 1


def _move(siblings: list, item, direction: str) -> bool:
    """Swap an item with its neighbour above or below; numbers the siblings 1..n afresh.

    Returns False when there is nothing to do (first item up, last item down).
    """
    if direction not in ("up", "down"):
        raise DomainError(_("Choose to move up or down."))
    ordered = sorted(siblings, key=lambda sibling: (sibling.position, sibling.id))
    index = ordered.index(item)
    other = index - 1 if direction == "up" else index + 1
    if other < 0 or other >= len(ordered):
        return False
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, sibling in enumerate(ordered, start=1):
        sibling.position = position
    db.session.flush()
    return True


# --- modules -------------------------------------------------------------------------------------


def _check_minutes(minutes: int | None) -> int:
    if minutes is None or not 5 <= minutes <= 1000:
        raise DomainError(_("Enter a number of minutes from 5 to 1000."), field="estimated_minutes")
    return minutes


def add_module(
    programme: Programme, *, title: str, objectives: str, estimated_minutes: int
) -> Module:
    module = Module(
        programme=programme,
        title=_clean_title(title),
        objectives=(objectives or "").strip(),
        estimated_minutes=_check_minutes(estimated_minutes),
        position=_next_position(Module.position, Module.programme_id == programme.id),
    )
    db.session.add(module)
    db.session.flush()
    return module


def update_module(module: Module, *, title: str, objectives: str, estimated_minutes: int) -> None:
    module.title = _clean_title(title)
    module.objectives = (objectives or "").strip()
    module.estimated_minutes = _check_minutes(estimated_minutes)
    db.session.flush()


def move_module(module: Module, direction: str) -> bool:
    return _move(module.programme.modules, module, direction)


def _has_progress(activity_ids: list[int], module_id: int | None = None) -> bool:
    """Whether anyone has completed, attempted or reflected on these activities (or the module)."""
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


def delete_module(module: Module) -> None:
    if _has_progress([activity.id for activity in module.activities], module.id):
        raise DomainError(
            _(
                "Participants have progress in “%(title)s”, so it cannot be deleted. "
                "Edit it instead.",
                title=module.title,
            )
        )
    programme = module.programme
    if programme.is_published and len(programme.modules) == 1:
        raise DomainError(
            _("A published programme needs a module: unpublish it before deleting its last one.")
        )
    db.session.delete(module)
    db.session.flush()


# --- activities ----------------------------------------------------------------------------------


def add_activity(module: Module, *, kind: ActivityKind, title: str) -> Activity:
    if not isinstance(kind, ActivityKind):
        raise DomainError(_("Choose a kind of activity."), field="kind")
    activity = Activity(
        module=module,
        kind=kind,
        title=_clean_title(title),
        required=True,
        body="",
        resources="",
        pass_mark=DEFAULT_PASS_MARK if kind is ActivityKind.KNOWLEDGE_CHECK else None,
        position=_next_position(Activity.position, Activity.module_id == module.id),
    )
    db.session.add(activity)
    db.session.flush()
    return activity


def clean_resources(text: str | None) -> str:
    """Check resource links, one a line as "Title | https://…"; return them tidied."""
    lines = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        title, bar, url = (part.strip() for part in line.partition("|"))
        if not bar or not title or not url:
            raise DomainError(
                _(
                    "Line %(number)d: write a title, a bar and a link: Title | https://…",
                    number=number,
                ),
                field="resources",
            )
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc or " " in url:
            raise DomainError(
                _(
                    "Line %(number)d: the link must be a web address starting with "
                    "https:// or http://.",
                    number=number,
                ),
                field="resources",
            )
        lines.append(f"{title} | {url}")
    return "\n".join(lines)


@dataclass
class ActivityFields:
    title: str
    required: bool
    body: str = ""
    resources: str = ""
    pass_mark: int | None = None
    scenario_id: int | None = None


def update_activity(activity: Activity, fields: ActivityFields) -> None:
    """Save an activity's fields; which fields count depends on its kind."""
    title = _clean_title(fields.title)
    body = (fields.body or "").strip()
    resources = ""
    pass_mark = None
    scenario = None
    if activity.kind is ActivityKind.THEORY:
        resources = clean_resources(fields.resources)
    elif activity.kind is ActivityKind.DISCUSSION and not body:
        raise DomainError(_("Write the discussion prompt."), field="body")
    elif activity.kind is ActivityKind.KNOWLEDGE_CHECK:
        pass_mark = fields.pass_mark
        if pass_mark is None or not 1 <= pass_mark <= 100:
            raise DomainError(_("Enter a pass mark from 1 to 100 percent."), field="pass_mark")
    elif activity.kind is ActivityKind.ROLE_PLAY:
        scenario = _find(Scenario, fields.scenario_id, "scenario_id")
        if scenario is None:
            raise DomainError(_("Choose the scenario to play."), field="scenario_id")
    activity.title = title
    activity.required = bool(fields.required)
    activity.body = body
    activity.resources = resources
    activity.pass_mark = pass_mark
    activity.scenario = scenario
    db.session.flush()


def move_activity(activity: Activity, direction: str) -> bool:
    return _move(activity.module.activities, activity, direction)


def delete_activity(activity: Activity) -> None:
    if _has_progress([activity.id]):
        raise DomainError(
            _(
                "Participants have progress in “%(title)s”, so it cannot be deleted. "
                "Edit it instead.",
                title=activity.title,
            )
        )
    db.session.delete(activity)
    db.session.flush()


# --- knowledge-check questions -------------------------------------------------------------------


def _clean_choices(rows: list[tuple[str, bool]], multiple: bool) -> list[tuple[str, bool]]:
    """Keep the filled-in choices and check the question can be answered right."""
    choices = []
    for text, correct in rows:
        text = (text or "").strip()
        if text:
            choices.append((text, bool(correct)))
        elif correct:
            raise DomainError(
                _("A choice marked correct has no text: write it, or untick it."), field="choices"
            )
    if len(choices) < MIN_CHOICES:
        raise DomainError(_("Give at least %(min)d choices.", min=MIN_CHOICES), field="choices")
    if len(choices) > MAX_CHOICES:
        raise DomainError(_("Give at most %(max)d choices.", max=MAX_CHOICES), field="choices")
    correct_count = sum(1 for _text, correct in choices if correct)
    if correct_count == 0:
        raise DomainError(
            _("Mark at least one choice as correct: this question has no right answer."),
            field="choices",
        )
    if not multiple and correct_count > 1:
        raise DomainError(
            _(
                "A single-choice question has exactly one correct choice. Untick the others, "
                "or make it a multiple-choice question."
            ),
            field="choices",
        )
    return choices


def _check_activity_is_check(activity: Activity) -> None:
    if activity.kind is not ActivityKind.KNOWLEDGE_CHECK:
        raise DomainError(_("Only a knowledge check has questions."))


def _clean_question_text(text: str | None) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Write the question."), field="text")
    return text


def add_question(
    activity: Activity, *, text: str, multiple: bool, choices: list[tuple[str, bool]]
) -> Question:
    _check_activity_is_check(activity)
    text = _clean_question_text(text)
    cleaned = _clean_choices(choices, multiple)
    question = Question(
        activity=activity,
        text=text,
        multiple=bool(multiple),
        position=_next_position(Question.position, Question.activity_id == activity.id),
    )
    for position, (choice_text, correct) in enumerate(cleaned, start=1):
        question.choices.append(Choice(position=position, text=choice_text, correct=correct))
    db.session.add(question)
    db.session.flush()
    return question


def update_question(
    question: Question, *, text: str, multiple: bool, choices: list[tuple[str, bool]]
) -> None:
    """Save a question. Existing choices are updated in place, so their ids stay the same."""
    text = _clean_question_text(text)
    cleaned = _clean_choices(choices, multiple)
    question.text = text
    question.multiple = bool(multiple)
    existing = sorted(question.choices, key=lambda choice: (choice.position, choice.id))
    for position, (choice_text, correct) in enumerate(cleaned, start=1):
        if position <= len(existing):
            choice = existing[position - 1]
            choice.text, choice.correct, choice.position = choice_text, correct, position
        else:
            question.choices.append(Choice(position=position, text=choice_text, correct=correct))
    for extra in existing[len(cleaned) :]:
        question.choices.remove(extra)  # deleted as an orphan
    db.session.flush()


def move_question(question: Question, direction: str) -> bool:
    return _move(question.activity.questions, question, direction)


def delete_question(question: Question) -> None:
    activity = question.activity
    if activity.module.programme.is_published and len(activity.questions) == 1:
        raise DomainError(
            _(
                "The programme is published and this is the last question of “%(title)s”: "
                "add another question first, or unpublish the programme.",
                title=activity.title,
            )
        )
    db.session.delete(question)
    db.session.flush()
