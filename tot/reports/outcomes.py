"""The outcomes report for staff and donors: by region, gender and age group, small groups hidden.

For the sessions in scope (not cancelled; of the programme chosen, if any):

- applications made in the period, and of them those confirmed, attended (present at least one
  day), completed (the session's programme, as learning records it) and certified (a certificate
  of that session, not revoked), by the person's region when they applied, gender and age group;
- the average rating of the feedback surveys of sessions that ended in the period, by the
  session's region only (feedback is anonymous: it has no gender or age);
- the average self-assessment change (after minus before, per statement pair) of pairs
  completed in the period, by the person's region, gender and age group;
- verified cascade trainings held in the period by graduates of those sessions (by the training's
  region, and the graduate's gender and age group), and the people they reached (by the
  trainings' own headcounts).

Every figure is hidden by one rule (tot/reports/suppression.py), applied to the whole report
before the region filter chooses the rows to show, so that a region reads the same in every view.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import format_decimal, format_number, format_percent, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from tot.curriculum.models import Programme
from tot.extensions import db
from tot.feedback.results import minimum_responses
from tot.regions.models import Region
from tot.reports import queries
from tot.reports.groups import (
    EVERY,
    GRAND_TOTAL,
    AgeBand,
    GenderGroup,
    Key,
    Period,
    region_order,
)
from tot.reports.queries import Measure, Tally
from tot.reports.suppression import Cell, Line, suppress

TENTH = Decimal("0.1")
NOT_APPLICABLE = "—"


@dataclass(eq=False)
class Figure(Cell):
    """A group's figure: a count, or `amount / count` for an average."""

    count: int = 0
    amount: int = 0


@dataclass(frozen=True)
class Column:
    name: str
    label: object  # a lazy string: the reader's language when shown
    in_files: object = None  # the heading in a spreadsheet, when not the same

    @property
    def file_label(self) -> object:
        return self.in_files or self.label


COLUMNS = (
    Column("applications", _l("Applications")),
    Column("confirmed", _l("Confirmed")),
    Column("attended", _l("Attended")),
    Column("attendance_rate", _l("Attendance rate"), _l("Attendance rate (%)")),
    Column("completed", _l("Completed the programme")),
    Column("completion_rate", _l("Completion rate"), _l("Completion rate (%)")),
    Column("certified", _l("Certified")),
    Column("feedback", _l("Average feedback (1–5)")),
    Column("change", _l("Average self-assessment change")),
    Column("trainings", _l("Cascade trainings")),
    Column("reached", _l("People reached")),
)
COLUMN_INDEX = {column.name: number for number, column in enumerate(COLUMNS)}
COLUMN_BY_NAME = {column.name: column for column in COLUMNS}


@dataclass(frozen=True)
class ColumnGroup:
    """Columns shown together in one table (all of them would not fit a screen)."""

    name: str
    title: object
    columns: tuple[int, ...]  # indexes into COLUMNS (and into a row's values)

    @classmethod
    def of(cls, name: str, title: object, *columns: str) -> "ColumnGroup":
        return cls(name, title, tuple(COLUMN_INDEX[column] for column in columns))


COLUMN_GROUPS = (
    ColumnGroup.of(
        "sessions",
        _l("Sessions"),
        *("applications", "confirmed", "attended", "attendance_rate"),
        *("completed", "completion_rate", "certified"),
    ),
    ColumnGroup.of(
        "results",
        _l("Feedback, self-assessment and cascade"),
        *("feedback", "change", "trainings", "reached"),
    ),
)
COUNTED = {
    "applications": Measure.APPLICATIONS,
    "confirmed": Measure.CONFIRMED,
    "attended": Measure.ATTENDED,
    "completed": Measure.COMPLETED,
    "certified": Measure.CERTIFIED,
    "trainings": Measure.TRAININGS,
    "reached": Measure.REACHED,
}
RATES = {
    "attendance_rate": (Measure.ATTENDED, Measure.CONFIRMED),
    "completion_rate": (Measure.COMPLETED, Measure.CONFIRMED),
}
AVERAGES = {"feedback": (Measure.FEEDBACK, "0.0"), "change": (Measure.CHANGE, "+0.0;-0.0")}
BY_REGION_ONLY = {Measure.FEEDBACK}  # anonymous: never by gender or age group


@dataclass
class Value:
    """One cell as the page shows it (`text`) and as a file keeps it (`number`, or the text)."""

    text: str
    number: int | float | None = None
    hidden: bool = False

    @property
    def for_file(self) -> int | float | str:
        return self.text if self.number is None else self.number


@dataclass
class Row:
    label: str
    key: Key
    values: list[Value]
    total: bool = False

    def value(self, column: str) -> Value:
        return self.values[COLUMN_INDEX[column]]


@dataclass
class Breakdown:
    name: str  # region, gender, age
    title: str
    group_label: str
    rows: list[Row]


@dataclass
class OutcomesReport:
    period: Period
    programme: Programme | None
    region: Region | None
    minimum: int
    breakdowns: list[Breakdown] = field(default_factory=list)

    @property
    def filters(self) -> dict:
        """The query string that asks for this report again (for its files)."""
        period = self.period
        arguments: dict = {"from": period.first.isoformat(), "to": period.last.isoformat()}
        if self.programme is not None:
            arguments["programme"] = self.programme.id
        if self.region is not None:
            arguments["region"] = self.region.id
        return arguments

    @property
    def by_region(self) -> Breakdown:
        return self.breakdowns[0]

    @property
    def region_rows(self) -> list[Row]:
        """The regions' rows, without the total."""
        return [row for row in self.by_region.rows if not row.total]


Grids = dict[Measure, dict[Key, Figure]]


def report_programmes() -> list[Programme]:
    """The programmes to choose from, by title."""
    return list(
        db.session.scalars(select(Programme).order_by(func.lower(Programme.title), Programme.id))
    )


def _grids(period: Period, programme_id: int | None, minimum: int) -> Grids:
    """Every figure of the report: one query per source."""
    tallies: dict[Measure, dict[Key, Tally]] = {}
    tallies.update(queries.enrolment_figures(period, programme_id))
    tallies[Measure.FEEDBACK] = queries.feedback_figures(period, programme_id, minimum)
    tallies[Measure.CHANGE] = queries.change_figures(period, programme_id)
    tallies.update(queries.cascade_figures(period, programme_id))
    return {
        measure: {
            key: Figure(people=tally.people, count=tally.count, amount=tally.amount)
            for key, tally in by_key.items()
        }
        for measure, by_key in tallies.items()
    }


def _region_keys(grids: Grids, region: Region | None) -> list:
    """The regions with something to report (and the one chosen), in the report's order."""
    keys = {
        key[0]
        for grid in grids.values()
        for key, figure in grid.items()
        if key[0] != EVERY and (figure.count or figure.people)
    }
    if region is not None:
        keys.add(region.id)
    return list(keys)


def _cross(region, dimension: int, group) -> Key:
    """The key of a region (or EVERY) crossed with a gender group (1) or an age group (2)."""
    return (region, group, EVERY) if dimension == 1 else (region, EVERY, group)


def _lines(grid: dict[Key, Figure], region_keys: list, by_person: bool) -> list[Line]:
    """The sums a reader could subtract from: each total and the parts that make it."""

    def at(key: Key) -> Figure:
        return grid.setdefault(key, Figure())

    total = at(GRAND_TOTAL)
    lines = [Line(total, [at((region, EVERY, EVERY)) for region in region_keys])]
    if not by_person:
        return lines
    for dimension, groups in ((1, list(GenderGroup)), (2, list(AgeBand))):
        lines.append(Line(total, [at(_cross(EVERY, dimension, group)) for group in groups]))
        for region in region_keys:
            parts = [at(_cross(region, dimension, group)) for group in groups]
            lines.append(Line(at((region, EVERY, EVERY)), parts))
        for group in groups:
            parts = [at(_cross(region, dimension, group)) for region in region_keys]
            lines.append(Line(at(_cross(EVERY, dimension, group)), parts))
    return lines


def _suppress(grids: Grids, region_keys: list, minimum: int) -> None:
    for measure, grid in grids.items():
        lines = _lines(grid, region_keys, by_person=measure not in BY_REGION_ONLY)
        suppress(list(grid.values()), lines, minimum)


# --- what the page and the files show -----------------------------------------------------------


def hidden_text(figure: Cell, minimum: int) -> str:
    if figure.too_few:
        return ngettext("fewer than %(num)d", "fewer than %(num)d", minimum)
    return _("not shown")


def _count(figure: Figure, minimum: int) -> Value:
    if not figure.shown:
        return Value(hidden_text(figure, minimum), hidden=True)
    return Value(format_number(figure.count), figure.count)


def _average(figure: Figure, minimum: int, pattern: str) -> Value:
    if not figure.shown:
        return Value(hidden_text(figure, minimum), hidden=True)
    if not figure.count:
        return Value(_("no data"))
    value = (Decimal(figure.amount) / Decimal(figure.count)).quantize(TENTH, ROUND_HALF_UP)
    value = abs(value) if value == 0 else value  # never "-0.0"
    return Value(format_decimal(value, format=pattern), float(value))


def _rate(part: Figure, whole: Figure) -> Value:
    if not (part.shown and whole.shown):
        return Value(_("not shown"), hidden=True)
    if not whole.count:
        return Value(_("no data"))
    percent = int((Decimal(100 * part.count) / whole.count).quantize(1, ROUND_HALF_UP))
    return Value(format_percent(Decimal(percent) / 100), percent)


def _values(grids: Grids, key: Key, minimum: int) -> list[Value]:
    def figure(measure: Measure) -> Figure:
        return grids[measure].get(key) or Figure()

    whole_region = key[1] == EVERY and key[2] == EVERY
    values = []
    for column in COLUMNS:
        if column.name in COUNTED:
            values.append(_count(figure(COUNTED[column.name]), minimum))
        elif column.name in RATES:
            part, whole = RATES[column.name]
            values.append(_rate(figure(part), figure(whole)))
        else:
            measure, pattern = AVERAGES[column.name]
            if measure in BY_REGION_ONLY and not whole_region:
                values.append(Value(NOT_APPLICABLE))
            else:
                values.append(_average(figure(measure), minimum, pattern))
    return values


def _region_label(region_id, regions: dict[int, Region]) -> str:
    if region_id is None:
        return _("Region not given")
    region = regions.get(region_id)
    return region.label if region is not None else str(region_id)


def _breakdowns(grids: Grids, region_keys: list, regions, chosen: Region | None, minimum: int):
    def row(label: str, key: Key, total: bool = False) -> Row:
        return Row(label, key, _values(grids, key, minimum), total)

    base = chosen.id if chosen is not None else EVERY
    total_label = _("Total")
    if chosen is not None:
        region_rows = [row(chosen.label, (chosen.id, EVERY, EVERY))]
    else:
        ordered = sorted(region_keys, key=lambda rid: region_order(regions.get(rid)))
        region_rows = [row(_region_label(rid, regions), (rid, EVERY, EVERY)) for rid in ordered]
        region_rows.append(row(total_label, GRAND_TOTAL, total=True))
    gender_rows = [row(group.label, (base, group, EVERY)) for group in GenderGroup]
    age_rows = [row(band.label, (base, EVERY, band)) for band in AgeBand]
    for rows in (gender_rows, age_rows):
        rows.append(row(total_label, (base, EVERY, EVERY), total=True))
    return [
        Breakdown("region", _("By region"), _("Region"), region_rows),
        Breakdown("gender", _("By gender"), _("Gender"), gender_rows),
        Breakdown("age", _("By age group"), _("Age group"), age_rows),
    ]


def outcomes_report(
    period: Period,
    regions: list[Region],
    programme: Programme | None = None,
    region: Region | None = None,
    minimum: int | None = None,
) -> OutcomesReport:
    """The report, in a fixed number of queries whatever the number of people.

    `regions` are all regions (for their names); `region` chooses the rows shown, not the
    figures: they are the same as in that region's row of the whole report.
    """
    minimum = minimum if minimum is not None else minimum_responses()
    grids = _grids(period, programme.id if programme is not None else None, minimum)
    region_keys = _region_keys(grids, region)
    _suppress(grids, region_keys, minimum)
    by_id = {each.id: each for each in regions}
    report = OutcomesReport(period, programme, region, minimum)
    report.breakdowns = _breakdowns(grids, region_keys, by_id, region, minimum)
    return report
