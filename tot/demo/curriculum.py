"""The demo's programmes, modules and activities, built from the plain data beside this file."""

from datetime import timedelta
from typing import Any

from tot.curriculum.models import (
    Activity,
    ActivityKind,
    Choice,
    Module,
    Programme,
    ProgrammeStatus,
    Question,
)
from tot.db_types import utcnow
from tot.demo.curriculum_kyrgyz import KYRGYZ_PROGRAMME
from tot.demo.curriculum_legal_aid import LEGAL_AID
from tot.demo.curriculum_russian import RUSSIAN_PROGRAMME
from tot.demo.curriculum_survivors import CONFLICT_SENSITIVITY, SURVIVORS
from tot.demo.curriculum_womens_leadership import WOMENS_LEADERSHIP
from tot.demo.scenario_library import markdown_text
from tot.extensions import db
from tot.scenarios.models import Scenario

# A prerequisite comes before the programme that requires it.
PROGRAMMES: list[dict[str, Any]] = [
    WOMENS_LEADERSHIP,
    LEGAL_AID,
    SURVIVORS,
    CONFLICT_SENSITIVITY,
    RUSSIAN_PROGRAMME,
    KYRGYZ_PROGRAMME,
]

# How long ago each programme was written (and published, a little later).
AGE_IN_DAYS = {
    "women": 400,
    "legal": 380,
    "survivors": 300,
    "draft": 12,
    "ru-programme": 210,
    "ky-programme": 150,
}


def _choices(question_kind: str, text: str, choices: list[str]) -> list[Choice]:
    correct = sum(1 for choice in choices if choice.startswith("*"))
    if len(choices) < 2 or correct == 0 or (question_kind == "single" and correct != 1):
        raise ValueError(f"question {text!r}: wrong number of choices or correct choices")
    return [
        Choice(position=position, text=choice.removeprefix("*"), correct=choice.startswith("*"))
        for position, choice in enumerate(choices, start=1)
    ]


def _questions(data: list[tuple[str, str, list[str]]]) -> list[Question]:
    return [
        Question(
            position=position,
            text=text,
            multiple=kind == "multiple",
            choices=_choices(kind, text, choices),
        )
        for position, (kind, text, choices) in enumerate(data, start=1)
    ]


def _activity(position: int, data: dict, scenarios: dict[str, Scenario]) -> Activity:
    kind = data["kind"]
    activity = Activity(
        position=position,
        kind=kind,
        title=data["title"],
        required=data.get("required", True),
        body=markdown_text(data.get("body", "")),
        resources="\n".join(f"{title} | {url}" for title, url in data.get("resources", [])),
    )
    if kind is ActivityKind.KNOWLEDGE_CHECK:
        activity.pass_mark = data["pass_mark"]
        activity.questions = _questions(data["questions"])
    elif kind is ActivityKind.ROLE_PLAY:
        activity.scenario = scenarios[data["scenario"]]
    return activity


def _module(position: int, data: dict, scenarios: dict[str, Scenario]) -> Module:
    return Module(
        position=position,
        title=data["title"],
        objectives=markdown_text(data["objectives"]),
        estimated_minutes=data["estimated_minutes"],
        activities=[
            _activity(number, activity, scenarios)
            for number, activity in enumerate(data["activities"], start=1)
        ],
    )


def _programme(data: dict, scenarios: dict, built: dict[str, Programme]) -> Programme:
    written = utcnow() - timedelta(days=AGE_IN_DAYS[data["key"]])
    published = data["published"]
    return Programme(
        title=data["title"],
        summary=markdown_text(data["summary"]),
        audience=markdown_text(data["audience"]),
        level=data["level"],
        delivery_language=data["delivery_language"],
        status=ProgrammeStatus.PUBLISHED if published else ProgrammeStatus.DRAFT,
        self_paced=True,
        prerequisite=built[data["prerequisite"]] if data["prerequisite"] else None,
        created_at=written,
        updated_at=written + timedelta(days=5),
        published_at=written + timedelta(days=5) if published else None,
        modules=[
            _module(position, module, scenarios)
            for position, module in enumerate(data["modules"], start=1)
        ],
    )


def seed_curriculum(scenarios: dict[str, Scenario]) -> dict[str, Programme]:
    """Create the programmes; return them by key: "women", "legal", "survivors", "draft"."""
    built: dict[str, Programme] = {}
    for data in PROGRAMMES:
        built[data["key"]] = _programme(data, scenarios, built)
    db.session.add_all(built.values())
    db.session.flush()
    return built
