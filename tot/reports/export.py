"""The outcomes report as spreadsheet rows: what the page shows, hidden cells hidden alike."""

from collections.abc import Iterator

from flask_babel import gettext as _
from flask_babel import ngettext

from tot.formats import format_date
from tot.reports.outcomes import COLUMNS, NOT_APPLICABLE, OutcomesReport


def report_rows(report: OutcomesReport) -> Iterator[list]:
    """A few lines saying what the file covers, then one table: a row per group."""
    period = report.period
    yield [
        _("Period"),
        _("%(first)s – %(last)s", first=format_date(period.first), last=format_date(period.last)),
    ]
    yield [_("Programme"), report.programme.title if report.programme else _("All programmes")]
    yield [_("Region"), report.region.label if report.region else _("All regions")]
    yield [
        ngettext(
            "Figures about fewer than %(num)d person are not shown.",
            "Figures about fewer than %(num)d people are not shown.",
            report.minimum,
        ),
        _(
            "Feedback is anonymous: it is reported by the session's region only (%(mark)s).",
            mark=NOT_APPLICABLE,
        ),
    ]
    yield []
    yield [_("Breakdown"), _("Group"), *(str(column.file_label) for column in COLUMNS)]
    for breakdown in report.breakdowns:
        for row in breakdown.rows:
            yield [breakdown.group_label, row.label, *(value.for_file for value in row.values)]


def file_name(report: OutcomesReport) -> str:
    return f"outcomes-{report.period.first.isoformat()}-{report.period.last.isoformat()}"
