"""Rules of authoring: programmes, their ordered modules and their activities.

Plain functions on the objects they act on. They flush, never commit (the view commits once), and
refuse bad input with a DomainError naming the form field the message belongs beside. Loading lives
in `queries`, positions and moves in `ordering`, publication in `publishing`, and knowledge-check
questions in `questions`.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from flask_babel import gettext as _

from tot.curriculum.hooks import progress_recorded
from tot.curriculum.models import (
    Activity,
    ActivityKind,
    Level,
    Module,
    Programme,
    ProgrammeStatus,
)
from tot.curriculum.ordering import next_position
from tot.curriculum.queries import ids_ok
from tot.errors import DomainError
from tot.extensions import db
from tot.hooks import answers
from tot.i18n import Language
from tot.scenarios.models import Scenario
from tot.texts import too_long

TITLE_MAX = 200
DEFAULT_PASS_MARK = 80


# --- programmes ----------------------------------------------------------------------------------


def _clean_title(title: str | None, field: str = "title") -> str:
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Enter a title."), field=field)
    if len(title) > TITLE_MAX:
        raise DomainError(too_long(TITLE_MAX), field=field)
    return title


def _check_prerequisite(programme: Programme | None, prerequisite: Programme | None) -> None:
    if prerequisite is None:
        return
    if programme is not None and prerequisite.id == programme.id:
        raise DomainError(_("A programme cannot require itself."), field="prerequisite_id")
    if programme is not None and programme.id is not None:
        seen: set[int] = set()
        step: Programme | None = prerequisite
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
    found = db.session.get(model, id_) if ids_ok(id_) else None
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
        position=next_position(Module.position, Module.programme_id == programme.id),
    )
    db.session.add(module)
    db.session.flush()
    return module


def update_module(module: Module, *, title: str, objectives: str, estimated_minutes: int) -> None:
    module.title = _clean_title(title)
    module.objectives = (objectives or "").strip()
    module.estimated_minutes = _check_minutes(estimated_minutes)
    db.session.flush()


def _has_progress(activity_ids: list[int], module_id: int | None = None) -> bool:
    """Whether anyone has completed, attempted or reflected on these activities (or the module)."""
    return any(answers(progress_recorded, activity_ids=activity_ids, module_id=module_id))


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
        position=next_position(Activity.position, Activity.module_id == module.id),
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
