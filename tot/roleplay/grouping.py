"""Forming role-play groups: how many, and who plays which role in each. Pure: no database.

People are sorted by region and dealt round-robin into groups, so that people of one region are
spread across the groups and the groups differ in size by one at most. In each group the
scenario's roles go out in their order, one each, while people remain; everyone else observes
with the checklist. The same people give the same groups: there is no randomness.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import ngettext

from tot.accounts.models import User
from tot.scenarios.models import ScenarioRole


@dataclass(frozen=True)
class GroupPlan:
    """How many groups to form for a number of people, and what the facilitator should know."""

    groups: int
    warnings: tuple[str, ...] = ()


def plan_groups(people: int, group_min: int, group_max: int) -> GroupPlan:
    """The fewest groups whose sizes (as equal as possible) all lie in group_min..group_max.

    Fewer people than group_min: one group of all, with a warning. When no number of groups fits
    (5 people, groups of 3-4), groups are made no smaller than group_min, so each can still play
    the roles, and some are larger than group_max, with a warning.
    """
    if people <= 0:
        return GroupPlan(0)
    group_min = max(1, group_min)
    group_max = max(group_min, group_max)
    if people < group_min:
        return GroupPlan(
            1,
            (
                _(
                    "There are fewer people (%(people)d) than the scenario's smallest group "
                    "(%(min)d): everyone plays in one group.",
                    people=people,
                    min=group_min,
                ),
            ),
        )
    fewest = -(-people // group_max)  # ceiling
    most = people // group_min
    for groups in range(fewest, most + 1):
        if people // groups >= group_min and -(-people // groups) <= group_max:
            return GroupPlan(groups)
    groups = max(1, most)
    return GroupPlan(
        groups,
        (
            ngettext(
                "%(num)d person cannot be split into groups of %(min)d to %(max)d: "
                "some groups are larger.",
                "%(num)d people cannot be split into groups of %(min)d to %(max)d: "
                "some groups are larger.",
                people,
                min=group_min,
                max=group_max,
            ),
        ),
    )


def _region_order(user: User) -> tuple:
    # People without a region come last; within a region, by name, then id for a stable order.
    return (user.region_id is None, user.region_id or 0, user.full_name.casefold(), user.id)


def deal_groups(
    people: Sequence[User], roles: Sequence[ScenarioRole], group_count: int
) -> list[list[tuple[User, ScenarioRole | None]]]:
    """People dealt into groups by region, each with a role (None: observer). Pure: no database."""
    if group_count <= 0:
        return []
    groups: list[list[User]] = [[] for _ in range(group_count)]
    for index, person in enumerate(sorted(people, key=_region_order)):
        groups[index % group_count].append(person)
    return [
        [(person, roles[seat] if seat < len(roles) else None) for seat, person in enumerate(group)]
        for group in groups
    ]
