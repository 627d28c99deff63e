"""Ordered lists that authors rearrange with "up" and "down" buttons (roles, questions…)."""

from flask_babel import gettext as _

from tot.errors import DomainError


def renumber(items, start: int = 0) -> None:
    """Give the items consecutive positions, in their list order."""
    for position, item in enumerate(items, start=start):
        item.position = position


def move(items: list, item, direction: str, start: int = 0) -> bool:
    """Swap `item` with its neighbour "up" or "down"; False when it is already at that end."""
    if direction not in ("up", "down"):
        raise DomainError(_("Choose to move up or down."), field="direction")
    items = list(items)
    index = items.index(item)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(items):
        return False
    items[index], items[target] = items[target], items[index]
    renumber(items, start)
    return True
