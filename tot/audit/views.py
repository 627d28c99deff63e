"""The audit log, for staff and administrators: filtered, paged, and as a file."""

from zoneinfo import ZoneInfo

from flask import Blueprint, render_template, request
from flask_babel import gettext as _

from tot.audit import services
from tot.audit.export import entry_rows
from tot.audit.forms import AuditFilterForm
from tot.db_types import utcnow
from tot.exports import download
from tot.extensions import db
from tot.i18n import select_timezone
from tot.pages import paginate
from tot.permissions import Role, roles

bp = Blueprint("audit", __name__)

PER_PAGE = 50
QUERY_FIELDS = ("action", "actor", "concerning", "from", "to")


def _filters() -> tuple[AuditFilterForm, services.AuditFilter | None]:
    """The filters from the query string, and what they ask for (None: they are wrong)."""
    form = AuditFilterForm(formdata=request.args)
    if not form.validate():
        return form, None
    # The reader's zone by name: a zoneinfo zone gives each day its own offset (Flask-Babel's
    # pytz zone, combined with a day, would take the zone's first offset in history).
    zone = ZoneInfo(select_timezone())
    since, until = services.period(form.first_day.data, form.last_day.data, zone)
    return form, services.AuditFilter(
        action=form.action.data,
        actor=form.actor.data or "",
        concerning=form.concerning.data or "",
        since=since,
        until=until,
    )


def _query() -> dict[str, str]:
    """The filters as given, for the pager's and the files' links."""
    return {name: request.args[name] for name in QUERY_FIELDS if request.args.get(name)}


@bp.route("/audit/")
@roles(Role.STAFF)
def index():
    form, filters = _filters()
    if filters is None:
        return render_template("audit/index.html", form=form, page=None, query={}), 400
    return render_template(
        "audit/index.html",
        form=form,
        page=paginate(services.search(filters), PER_PAGE),
        query=_query(),
        changes=services.changes,
        actor_name=services.actor_name,
    )


@bp.route("/audit/log.<any(csv, xlsx):file_format>")
@roles(Role.STAFF)
def export(file_format: str):
    form, filters = _filters()
    if filters is None:
        return render_template("audit/index.html", form=form, page=None, query={}), 400
    entries = db.session.scalars(services.search(filters))
    return download(
        entry_rows(entries),
        name=f"audit-log-{utcnow().date().isoformat()}",
        file_format=file_format,
        sheet_title=_("Audit log"),
    )
