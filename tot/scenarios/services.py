"""Rules of the scenario library: finding scenarios, writing them, and ordering their roles."""

from collections.abc import Iterable, Sequence

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from tot import ordering
from tot.errors import DomainError
from tot.extensions import db
from tot.hooks import answers
from tot.labels import labels_named, parse_labels
from tot.scenarios.hooks import role_played
from tot.scenarios.models import Scenario, ScenarioRole, Tag, scenario_tags
from tot.texts import too_long

TITLE_MAX = 200
ROLE_NAME_MAX = 120
TAG_MAX = 60
TAGS_PER_SCENARIO = 20
GROUP_SIZE_RANGE = (1, 30)
DURATION_RANGE = (5, 600)  # minutes

# --- finding scenarios ---------------------------------------------------------------------------


def list_scenarios(q: str | None = "", tag: str | None = None) -> Select:
    """A select of scenarios, by title, matching a text in title or situation and a tag name.

    Tags are eager-loaded; count the roles of a page with `role_counts`.
    """
    statement = (
        select(Scenario).options(selectinload(Scenario.tags)).order_by(Scenario.title, Scenario.id)
    )
    needle = (q or "").strip().lower()
    if needle:
        statement = statement.where(
            or_(
                func.lower(Scenario.title).contains(needle, autoescape=True),
                func.lower(Scenario.situation).contains(needle, autoescape=True),
            )
        )
    tag_name = normalise_tag(tag or "")
    if tag_name:
        statement = statement.where(Scenario.tags.any(Tag.name == tag_name))
    return statement


def role_counts(scenarios: Iterable[Scenario]) -> dict[int, int]:
    """How many roles each of the given scenarios has, in one query."""
    ids = [scenario.id for scenario in scenarios]
    if not ids:
        return {}
    rows = db.session.execute(
        select(ScenarioRole.scenario_id, func.count())
        .where(ScenarioRole.scenario_id.in_(ids))
        .group_by(ScenarioRole.scenario_id)
    )
    return dict(rows.tuples().all())


def tag_names() -> list[str]:
    """The names of the tags at least one scenario carries, for the library's filter."""
    used = select(scenario_tags.c.tag_id)
    return list(db.session.scalars(select(Tag.name).where(Tag.id.in_(used)).order_by(Tag.name)))


# --- writing scenarios ---------------------------------------------------------------------------


def normalise_tag(name: str) -> str:
    return " ".join(name.split()).lower()


def parse_tags(tags: str | Iterable[str]) -> list[str]:
    """Tag names from "legal aid, Torture victims" or a list: trimmed, lower-cased, deduplicated."""
    return parse_labels(
        tags,
        normalise=normalise_tag,
        max_length=TAG_MAX,
        max_count=TAGS_PER_SCENARIO,
        field="tag_list",
        too_long=too_long(TAG_MAX),
        too_many=ngettext(
            "A scenario may have at most %(num)d tag.",
            "A scenario may have at most %(num)d tags.",
            TAGS_PER_SCENARIO,
        ),
    )


def tags_named(names: Sequence[str]) -> list[Tag]:
    """The tags with these names, creating those that do not exist yet."""
    return labels_named(Tag, names)


def _lines(text: str | None) -> str:
    """One item a line, blank lines and surrounding spaces dropped."""
    return "\n".join(line.strip() for line in (text or "").splitlines() if line.strip())


def _check_in_range(value, bounds: tuple[int, int], field: str, message: str) -> None:
    low, high = bounds
    if not isinstance(value, int) or not low <= value <= high:
        raise DomainError(message, field=field)


def _checked_fields(
    *,
    title: str,
    situation: str | None,
    objectives: str | None,
    observer_checklist: str | None,
    debrief_questions: str | None,
    group_min: int,
    group_max: int,
    duration_minutes: int,
    tags: str | Iterable[str],
) -> dict:
    title = " ".join((title or "").split())
    if not title:
        raise DomainError(_("Enter a title."), field="title")
    if len(title) > TITLE_MAX:
        raise DomainError(too_long(TITLE_MAX), field="title")
    group_message = _(
        "Enter a number of people from %(min)d to %(max)d.",
        min=GROUP_SIZE_RANGE[0],
        max=GROUP_SIZE_RANGE[1],
    )
    _check_in_range(group_min, GROUP_SIZE_RANGE, "group_min", group_message)
    _check_in_range(group_max, GROUP_SIZE_RANGE, "group_max", group_message)
    if group_min > group_max:
        raise DomainError(
            _("The largest group cannot be smaller than the smallest (%(min)d).", min=group_min),
            field="group_max",
        )
    _check_in_range(
        duration_minutes,
        DURATION_RANGE,
        "duration_minutes",
        ngettext(
            "Enter a duration from %(min)d to %(num)d minute.",
            "Enter a duration from %(min)d to %(num)d minutes.",
            DURATION_RANGE[1],
            min=DURATION_RANGE[0],
        ),
    )
    return {
        "title": title,
        "situation": (situation or "").strip(),
        "objectives": (objectives or "").strip(),
        "observer_checklist": _lines(observer_checklist),
        "debrief_questions": _lines(debrief_questions),
        "group_min": group_min,
        "group_max": group_max,
        "duration_minutes": duration_minutes,
        "tag_names": parse_tags(tags or ""),
    }


def create_scenario(*, author=None, **fields) -> Scenario:
    """A new scenario. Fields: title, situation, objectives, observer_checklist,
    debrief_questions, group_min, group_max, duration_minutes, tags (text or names)."""
    values = _checked_fields(**fields)
    tags = tags_named(values.pop("tag_names"))
    scenario = Scenario(**values, created_by_id=author.id if author is not None else None)
    scenario.tags = tags
    db.session.add(scenario)
    db.session.flush()
    return scenario


def update_scenario(scenario: Scenario, **fields) -> None:
    """Change a scenario's text, numbers and tags (the same fields as `create_scenario`)."""
    values = _checked_fields(**fields)
    tags = tags_named(values.pop("tag_names"))
    for name, value in values.items():
        setattr(scenario, name, value)
    scenario.tags = tags
    db.session.flush()


# --- roles ---------------------------------------------------------------------------------------


def _checked_role(name: str, public_description: str | None, private_brief: str | None) -> dict:
    name = " ".join((name or "").split())
    if not name:
        raise DomainError(_("Enter the role's name."), field="name")
    if len(name) > ROLE_NAME_MAX:
        raise DomainError(
            too_long(ROLE_NAME_MAX),
            field="name",
        )
    return {
        "name": name,
        "public_description": (public_description or "").strip(),
        "private_brief": (private_brief or "").strip(),
    }


def add_role(
    scenario: Scenario, *, name: str, public_description: str = "", private_brief: str = ""
) -> ScenarioRole:
    """A new role, placed after the scenario's other roles."""
    values = _checked_role(name, public_description, private_brief)
    roles = list(scenario.roles)
    ordering.renumber(roles)
    role = ScenarioRole(**values, position=len(roles))
    scenario.roles.append(role)
    db.session.flush()
    return role


def update_role(
    role: ScenarioRole, *, name: str, public_description: str = "", private_brief: str = ""
) -> None:
    for field, value in _checked_role(name, public_description, private_brief).items():
        setattr(role, field, value)
    db.session.flush()


def delete_role(role: ScenarioRole) -> None:
    """Remove a role, unless a live role-play has already given it to someone."""
    if any(answers(role_played, role)):
        raise DomainError(
            _("This role has been played in a session, so it is kept. Rename it instead.")
        )
    scenario = role.scenario
    scenario.roles.remove(role)  # delete-orphan removes the row
    ordering.renumber(list(scenario.roles))
    db.session.flush()


def move_role(role: ScenarioRole, direction: str) -> bool:
    """Swap a role with its neighbour "up" or "down". False when it is already at that end."""
    moved = ordering.move(role.scenario.roles, role, direction)
    db.session.flush()
    return moved
