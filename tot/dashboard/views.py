"""Each role's landing page."""

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from tot.learning import progress as learning_progress
from tot.permissions import Role, roles, signed_in

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
    return render_template("dashboard/staff.html")


@bp.route("/facilitator")
@roles(Role.FACILITATOR)
def facilitator():
    return render_template("dashboard/facilitator.html")


@bp.route("/participant")
@roles(Role.PARTICIPANT)
def participant():
    started = learning_progress.my_programmes(current_user)
    return render_template(
        "dashboard/participant.html",
        started=started,
        summaries=learning_progress.summaries(current_user, [p.programme for p in started]),
        next_up=learning_progress.continue_where_left_off(current_user),
    )
