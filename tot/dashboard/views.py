"""Each role's landing page."""

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from tot.dashboard.facilitator import facilitator_desk
from tot.dashboard.participant import participant_desk
from tot.db_types import utcnow
from tot.i18n import reader_zone
from tot.learning import progress as learning_progress
from tot.permissions import Role, may_access, roles, signed_in
from tot.reports.headlines import staff_figures

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")

DASHBOARD_OF_ROLE = {
    Role.ADMIN: "dashboard.admin",
    Role.STAFF: "dashboard.staff",
    Role.FACILITATOR: "dashboard.facilitator",
    Role.PARTICIPANT: "dashboard.participant",
}


@bp.route("/")
@signed_in
def home():
    return redirect(url_for(DASHBOARD_OF_ROLE[current_user.role]))


@bp.route("/admin")
@roles(Role.ADMIN)
def admin():
    return render_template("dashboard/admin.html")


@bp.route("/staff")
@roles(Role.STAFF)
def staff():
    figures = staff_figures(current_user, utcnow(), reader_zone())
    return render_template(
        "dashboard/staff.html",
        figures=figures,
        this_year={"from": figures.year_starts.isoformat(), "to": figures.today.isoformat()},
        # The cascade pages are another feature's; linked once they exist and admit the reader.
        may_verify=may_access(current_user, "cascade.cohorts"),
    )


@bp.route("/facilitator")
@roles(Role.FACILITATOR)
def facilitator():
    now = utcnow()
    return render_template(
        "dashboard/facilitator.html", desk=facilitator_desk(current_user, now), now=now
    )


@bp.route("/participant")
@roles(Role.PARTICIPANT)
def participant():
    started = learning_progress.my_programmes(current_user)
    return render_template(
        "dashboard/participant.html",
        started=started,
        summaries=learning_progress.summaries(current_user, [p.programme for p in started]),
        next_up=learning_progress.continue_where_left_off(current_user),
        desk=participant_desk(current_user, utcnow()),
    )
