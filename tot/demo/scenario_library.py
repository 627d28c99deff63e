"""The demo's role-play library: tags and scenarios, built from the plain data beside this file."""

import textwrap
from typing import Any

from tot.accounts.models import User
from tot.demo.curriculum_kyrgyz import KYRGYZ_SCENARIO
from tot.demo.curriculum_russian import RUSSIAN_SCENARIO
from tot.demo.scenarios_community import COMMUNITY_SCENARIOS
from tot.demo.scenarios_justice import JUSTICE_SCENARIOS
from tot.extensions import db
from tot.scenarios.models import Scenario, ScenarioRole, Tag

TAGS = [
    "legal aid",
    "torture victims",
    "women's leadership",
    "conflict and water",
    "media",
    "court monitoring",
    "support groups",
    "community dialogue",
]

SCENARIOS: list[dict[str, Any]] = [
    *JUSTICE_SCENARIOS,
    *COMMUNITY_SCENARIOS,
    RUSSIAN_SCENARIO,
    KYRGYZ_SCENARIO,
]


def markdown_text(text: str) -> str:
    """Markdown written indented inside Python source, without the indentation."""
    return textwrap.dedent(text).strip()


def _scenario(data: dict, tags: dict[str, Tag], author: User | None) -> Scenario:
    unknown = set(data["tags"]) - set(tags)
    if unknown:
        raise ValueError(f"scenario {data['key']!r} uses unknown tags {sorted(unknown)}")
    return Scenario(
        title=data["title"],
        situation=markdown_text(data["situation"]),
        objectives=markdown_text(data["objectives"]),
        observer_checklist="\n".join(data["checklist"]),
        debrief_questions="\n".join(data["debrief"]),
        group_min=data["group_min"],
        group_max=data["group_max"],
        duration_minutes=data["duration_minutes"],
        created_by_id=author.id if author else None,
        tags=[tags[name] for name in data["tags"]],
        roles=[
            ScenarioRole(
                position=position, name=name, public_description=public, private_brief=brief
            )
            for position, (name, public, brief) in enumerate(data["roles"], start=1)
        ],
    )


def seed_scenarios(author: User | None) -> dict[str, Scenario]:
    """Create the tags and the scenarios; return the scenarios by their key (e.g. "water-point")."""
    tags = {name: Tag(name=name) for name in TAGS}
    db.session.add_all(tags.values())
    scenarios = {data["key"]: _scenario(data, tags, author) for data in SCENARIOS}
    db.session.add_all(scenarios.values())
    db.session.flush()
    return scenarios
