"""The one rule of small cells: no figure about fewer people than the minimum, and no total that
gives such a figure back.

A report is a set of cells, each a figure about a group of people (Osh Region; women; women of
Osh Region). Some cells add up to another one: the regions to the grand total, the genders of
one region to that region. Each such sum is a `Line`. A reader who sees a line's total and all
its parts but one can subtract; so can one who sees all the parts and not the total.

`suppress` hides, first, every cell about fewer people than the minimum (but more than none: a
zero describes nobody); then, line by line until nothing changes, as many more cells as keep
every line safe:

- a line never has exactly one hidden cell (its total counted among them), which subtraction
  would give back;
- when its total is shown, its hidden parts together describe no fewer people than the minimum
  (their sum is known: the total minus the parts shown).

The cell hidden to protect another is the line's smallest part still shown (or its total, when
no part is left), as in the self-assessment report (tot/assessment/report.py), which applies
the rule to a single line. Cells hidden so are hidden everywhere they appear, which may in turn
unsettle another line: hence the repetition until every line is safe.

This is the usual protection of published tables (no single suppression in a row or column);
it does not guard against comparing reports with different filters, which a reader with the
underlying lists could do anyway.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum


class Hidden(Enum):
    """Why a cell's figure is not shown."""

    FEW = "few"  # about fewer people than the minimum
    COMPLEMENT = "complement"  # enough people, but showing it would give a hidden cell back


@dataclass(eq=False)
class Cell:
    """A figure's group: how many people it describes, and whether it may be shown."""

    people: int = 0
    hidden: Hidden | None = None

    @property
    def shown(self) -> bool:
        return self.hidden is None

    @property
    def too_few(self) -> bool:
        return self.hidden is Hidden.FEW


@dataclass(eq=False)
class Line:
    """A total and the parts that add up to it (each person in one part only)."""

    total: Cell
    parts: Sequence[Cell]


def suppress(cells: Iterable[Cell], lines: Iterable[Line], minimum: int) -> None:
    """Hide the small cells, then whatever else would let a line give them back."""
    for cell in cells:
        if 0 < cell.people < minimum:
            cell.hidden = Hidden.FEW
    lines = list(lines)
    changed = True
    while changed:
        changed = False
        for line in lines:
            if _protect(line, minimum):
                changed = True


def _protect(line: Line, minimum: int) -> bool:
    """Hide one more cell of the line if it is not yet safe; whether one was hidden."""
    parts = [part for part in line.parts if part.people > 0]
    hidden = [part for part in parts if not part.shown]
    if line.total.shown:
        hidden_people = sum(part.people for part in hidden)
        exposed = len(hidden) == 1 or 0 < hidden_people < minimum
    else:
        exposed = not hidden and line.total.people > 0  # the parts add up to the total
    if not exposed:
        return False
    still_shown = sorted((part for part in parts if part.shown), key=lambda part: part.people)
    if still_shown:
        still_shown[0].hidden = Hidden.COMPLEMENT
        return True
    if line.total.shown:
        line.total.hidden = Hidden.COMPLEMENT
        return True
    return False
