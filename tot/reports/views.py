"""The reports pages (staff): outcomes by region, gender and age group, with charts and files."""

from datetime import datetime

from flask import Blueprint, render_template, request
from flask_babel import gettext as _

from tot.exports import download
from tot.i18n import reader_zone
from tot.permissions import Role, roles
from tot.regions.services import all_regions
from tot.reports import export, outcomes
from tot.reports.charts import report_charts
from tot.reports.forms import OutcomesFilterForm
from tot.reports.groups import chosen_period

bp = Blueprint("reports", __name__)


def _report() -> tuple[OutcomesFilterForm, outcomes.OutcomesReport | None]:
    """The filters from the query string, and the report they ask for (None: they are wrong)."""
    form = OutcomesFilterForm(formdata=request.args)
    regions = all_regions()
    programmes = outcomes.report_programmes()
    form.set_choices(programmes, regions)
    if not form.validate():
        return form, None
    zone = reader_zone()
    period = chosen_period(form.first_day.data, form.last_day.data, datetime.now(zone).date(), zone)
    for field, day in ((form.first_day, period.first), (form.last_day, period.last)):
        field.data, field.raw_data = day, [day.isoformat()]  # the page shows the period used
    report = outcomes.outcomes_report(
        period,
        regions,
        programme=next((p for p in programmes if p.id == form.programme.data), None),
        region=next((r for r in regions if r.id == form.region.data), None),
    )
    return form, report


@bp.route("/reports/")
@roles(Role.STAFF)
def index():
    form, report = _report()
    if report is None:
        return render_template("reports/index.html", form=form, report=None), 400
    return render_template(
        "reports/index.html",
        form=form,
        report=report,
        charts=report_charts(report),
        columns=outcomes.COLUMNS,
        column=outcomes.COLUMN_BY_NAME,
        column_groups=outcomes.COLUMN_GROUPS,
    )


@bp.route("/reports/outcomes.<any(csv, xlsx):file_format>")
@roles(Role.STAFF)
def outcomes_file(file_format: str):
    form, report = _report()
    if report is None:
        return render_template("reports/index.html", form=form, report=None), 400
    return download(
        export.report_rows(report),
        name=export.file_name(report),
        file_format=file_format,
        sheet_title=_("Outcomes"),
    )
