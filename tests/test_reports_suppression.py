"""The rule of small cells (tot/reports/suppression.py): no figure about fewer people than the
minimum, and no total that gives one back."""

import random

import pytest

from tot.reports.suppression import Cell, Hidden, Line, suppress

MINIMUM = 3


def cells(*people) -> list[Cell]:
    return [Cell(count) for count in people]


def shown(parts) -> list[int | None]:
    return [cell.people if cell.shown else None for cell in parts]


def one_line(total, parts, minimum=MINIMUM) -> None:
    suppress([total, *parts], [Line(total, parts)], minimum)


def test_a_group_under_the_minimum_is_hidden_and_its_smallest_neighbour_too():
    total, parts = Cell(11), cells(5, 1, 4, 0, 1)
    one_line(total, parts)
    # 1 + 1 = 2 hidden: the total would give them away, so the smallest of the rest (4) goes too.
    assert shown(parts) == [5, None, None, 0, None]
    assert [cell.hidden for cell in parts] == [
        None,
        Hidden.FEW,
        Hidden.COMPLEMENT,
        None,
        Hidden.FEW,
    ]
    assert total.shown


def test_nothing_is_hidden_when_every_group_is_large_enough():
    total, parts = Cell(9), cells(3, 6, 0)
    one_line(total, parts)
    assert shown(parts) == [3, 6, 0]
    assert total.shown


def test_a_zero_describes_nobody_and_protects_nobody():
    total, parts = Cell(5), cells(0, 2, 3)
    one_line(total, parts)
    # The zero stays shown and is not chosen to hide next to the 2: the 3 is.
    assert shown(parts) == [0, None, None]


def test_one_hidden_group_is_never_alone_even_when_large():
    # A group hidden for another line's sake (5 people) may not be the only one hidden here.
    total, parts = Cell(20), cells(5, 7, 8)
    parts[0].hidden = Hidden.COMPLEMENT
    one_line(total, parts)
    assert shown(parts) == [None, None, 8]


def test_a_small_total_hides_everything_under_it():
    total, parts = Cell(2), cells(1, 1, 0)
    one_line(total, parts)
    assert total.too_few
    assert shown(parts) == [None, None, 0]


def test_a_hidden_total_cannot_be_added_up_from_its_parts():
    total, parts = Cell(12), cells(6, 6)
    total.hidden = Hidden.COMPLEMENT  # hidden for another line's sake
    one_line(total, parts)
    assert shown(parts) == [None, 6]


def test_a_total_with_a_single_group_goes_with_it():
    # Everyone in one group, hidden for another line's sake: the total is the same number.
    total, parts = Cell(4), cells(4, 0)
    parts[0].hidden = Hidden.COMPLEMENT
    one_line(total, parts)
    assert not total.shown
    assert total.hidden is Hidden.COMPLEMENT


def test_the_minimum_is_a_parameter():
    total, parts = Cell(9), cells(4, 5)
    one_line(total, parts, minimum=5)
    assert shown(parts) == [None, None]
    assert total.shown


def test_hiding_spreads_across_the_lines_that_cross():
    """Regions × genders with their totals: a cell hidden in its row hides another in its column."""
    table = {("osh", "w"): 5, ("osh", "m"): 1, ("sughd", "w"): 6, ("sughd", "m"): 7}
    grid, lines = _two_way(table, ["osh", "sughd"], ["w", "m"])
    suppress(grid.values(), lines, MINIMUM)
    # Osh men (1): hidden; Osh women hidden beside them (row); in the columns, Sughd's too.
    hidden = {key for key, cell in grid.items() if not cell.shown}
    assert hidden == {("osh", "w"), ("osh", "m"), ("sughd", "w"), ("sughd", "m")}
    assert grid["osh", "*"].shown
    assert grid["*", "*"].shown
    _assert_safe(lines)


def _two_way(table: dict, rows: list, columns: list):
    """Cells of a table with row, column and grand totals, and the lines they make."""
    grid = {key: Cell(people) for key, people in table.items()}
    for row in rows:
        grid[row, "*"] = Cell(sum(table[row, column] for column in columns))
    for column in columns:
        grid["*", column] = Cell(sum(table[row, column] for row in rows))
    grid["*", "*"] = Cell(sum(table.values()))
    lines = [
        Line(grid["*", "*"], [grid[row, "*"] for row in rows]),
        Line(grid["*", "*"], [grid["*", column] for column in columns]),
        *(Line(grid[row, "*"], [grid[row, column] for column in columns]) for row in rows),
        *(Line(grid["*", column], [grid[row, column] for row in rows]) for column in columns),
    ]
    return grid, lines


def _assert_safe(lines: list[Line], minimum=MINIMUM) -> None:
    for line in lines:
        members = [line.total, *(part for part in line.parts if part.people > 0)]
        unknown = [cell for cell in members if not cell.shown]
        assert len(unknown) != 1, "one hidden cell: subtraction gives it back"
        if line.total.shown:
            hidden_people = sum(cell.people for cell in unknown)
            assert hidden_people == 0 or hidden_people >= minimum


@pytest.mark.parametrize("seed", range(40))
def test_every_line_of_a_random_table_is_safe(seed):
    rng = random.Random(seed)
    rows = [f"region {n}" for n in range(rng.randint(1, 6))]
    columns = [f"group {n}" for n in range(rng.randint(1, 5))]
    table = {
        (row, column): rng.choice([0, 0, 1, 1, 2, 3, 4, 6, 9, 15])
        for row in rows
        for column in columns
    }
    grid, lines = _two_way(table, rows, columns)
    suppress(grid.values(), lines, MINIMUM)
    for cell in grid.values():
        if 0 < cell.people < MINIMUM:
            assert cell.too_few
        if cell.people == 0:
            assert cell.shown
    _assert_safe(lines)
