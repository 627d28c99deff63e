"""What the report's charts show, ready for the chart macro (templates/_macros/charts.html).

A chart is categories (the regions) and one or more series of values; a hidden value has no bar,
only its text ("fewer than 3"), so a chart never shows more than the table beside it.
"""

from dataclasses import dataclass, field

from flask_babel import gettext as _

from tot.reports.outcomes import OutcomesReport, Row


@dataclass
class Series:
    name: str
    numbers: list[float | int | None] = field(default_factory=list)  # None: hidden, no bar
    texts: list[str] = field(default_factory=list)  # what each number reads as


@dataclass
class Chart:
    id: str
    title: str
    category_label: str
    categories: list[str]
    series: list[Series]
    max_value: float | int | None = None  # the end of the scale; None: the largest value


def _series(name: str, rows: list[Row], column: str) -> Series:
    series = Series(name)
    for row in rows:
        value = row.value(column)
        series.numbers.append(value.number)
        series.texts.append(value.text)
    return series


def report_charts(report: OutcomesReport) -> list[Chart]:
    """Reach by region, and attendance and completion rates by region."""
    rows = report.region_rows
    categories = [row.label for row in rows]
    region = _("Region")
    return [
        Chart(
            "chart-reach",
            _("People reached by region"),
            region,
            categories,
            [
                _series(_("Attended a session"), rows, "attended"),
                _series(_("Reached by cascade trainings"), rows, "reached"),
            ],
        ),
        Chart(
            "chart-rates",
            _("Attendance and completion rates by region"),
            region,
            categories,
            [
                _series(_("Attendance rate"), rows, "attendance_rate"),
                _series(_("Completion rate"), rows, "completion_rate"),
            ],
            max_value=100,
        ),
    ]
