"""Live role-play in a session: groups, roles, role cards and debrief notes."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.routing import BuildError

from tot.errors import DomainError
from tot.extensions import db
from tot.forms import report_error
from tot.pages import found
from tot.permissions import Role, roles
from tot.roleplay import services
from tot.roleplay.forms import ActionForm, AssignmentForm, DebriefForm, StartRunForm
from tot.roleplay.models import RolePlayRun
from tot.roleplay.panel import manager_panel
from tot.scenarios.models import Scenario
from tot.sessions.access import can_manage
from tot.sessions.models import TrainingSession

bp = Blueprint("roleplay", __name__)

MANAGERS = (Role.STAFF, Role.FACILITATOR)  # administrators too; facilitators of the session only


# --- helpers -------------------------------------------------------------------------------------


def _managed_session(session_id: int) -> TrainingSession:
    session = db.get_or_404(TrainingSession, session_id)
    if not can_manage(current_user, session):
        abort(403)
    return session


def _managed_run(run_id: int) -> RolePlayRun:
    run = services.load_run(run_id)
    if run is None:
        abort(404)
    if not can_manage(current_user, run.session):
        abort(403)
    return run


def _session_url(session: TrainingSession) -> str:
    """The session's page; until it exists, the session's role-plays page (managers only)."""
    try:
        return url_for("sessions.show", session_id=session.id)
    except BuildError:
        return url_for("roleplay.session_runs", session_id=session.id)


def _run_url(run: RolePlayRun, anchor: str | None = None) -> str:
    return url_for("roleplay.show", run_id=run.id, _anchor=anchor)


def _render_run(run: RolePlayRun, *, assignment_form=None, debrief_form=None, status=200):
    """The run page; a form that failed is shown as posted, with its errors beside the fields."""
    groups = services.group_views(run)
    assignment_forms = {
        member.id: AssignmentForm.for_assignment(run, member)
        for view in groups
        for member in view.members
    }
    debrief_forms = {
        view.group.id: DebriefForm(
            formdata=None, prefix=f"group-{view.group.id}", notes=view.group.debrief_notes
        )
        for view in groups
    }
    if assignment_form is not None:
        assignment_forms[assignment_form.assignment_id] = assignment_form
    if debrief_form is not None:
        debrief_forms[debrief_form.group_id] = debrief_form
    return render_template(
        "roleplay/run.html",
        run=run,
        training_session=run.session,
        scenario=run.scenario,
        groups=groups,
        people_count=sum(len(view.members) for view in groups),
        confirmed=services.confirmed_user_ids(run.session),
        assignment_forms=assignment_forms,
        debrief_forms=debrief_forms,
        finish_form=ActionForm(),
        session_url=_session_url(run.session),
    ), status


# --- a session's role-plays ----------------------------------------------------------------------


@bp.route("/sessions/<int:session_id>/roleplays", methods=["GET", "POST"])
@roles(*MANAGERS)
def session_runs(session_id: int):
    """The session's role-plays and the form to start one (POST starts it)."""
    session = _managed_session(session_id)
    panel = manager_panel(session)
    status = 200
    if request.method == "POST":
        form = StartRunForm()
        form.set_choices(panel.programme_scenarios, panel.other_scenarios)
        if form.validate_on_submit():
            scenario = found(db.session.get(Scenario, form.scenario.data))
            try:
                started = services.start_run(session, scenario, current_user)
            except DomainError as error:
                db.session.rollback()
                panel.error = error.message
            else:
                db.session.commit()
                flash(
                    ngettext(
                        "The role-play “%(title)s” has started with %(num)d group.",
                        "The role-play “%(title)s” has started with %(num)d groups.",
                        len(started.run.groups),
                        title=scenario.title,
                    ),
                    "success",
                )
                for warning in started.warnings:
                    flash(warning, "info")
                return redirect(_run_url(started.run))
        else:
            panel.error = " ".join(str(message) for message in form.scenario.errors)
        panel.selected = form.scenario.data
        status = 400
    return render_template(
        "roleplay/session_runs.html",
        training_session=session,
        panel=panel,
        session_url=_session_url(session),
    ), status


# --- one run, for its managers -------------------------------------------------------------------


@bp.route("/roleplays/<int:run_id>")
@roles(*MANAGERS)
def show(run_id: int):
    return _render_run(_managed_run(run_id))


@bp.route("/roleplays/<int:run_id>/assignments/<int:assignment_id>", methods=["POST"])
@roles(*MANAGERS)
def move(run_id: int, assignment_id: int):
    run = _managed_run(run_id)
    assignment = next(
        (a for group in run.groups for a in group.assignments if a.id == assignment_id), None
    )
    if assignment is None:
        abort(404)
    name = assignment.user.full_name
    form = AssignmentForm.for_assignment(run, assignment, submitted=True)
    form.assignment_id = assignment_id
    if form.validate_on_submit():
        try:
            warnings = services.move_assignment(run, assignment, form.group.data, form.role.data)
        except DomainError as error:
            db.session.rollback()
            report_error(form, error)
        else:
            db.session.commit()
            role = assignment.role.name if assignment.role is not None else _("observer")
            flash(
                _(
                    "%(name)s is now in group %(number)d as %(role)s.",
                    name=name,
                    number=assignment.group.number,
                    role=role,
                ),
                "success",
            )
            for warning in warnings:
                flash(warning, "info")
            return redirect(_run_url(run, f"assignment-{assignment_id}"))
    return _render_run(found(services.load_run(run_id)), assignment_form=form, status=400)


@bp.route("/roleplays/<int:run_id>/groups/<int:group_id>/debrief", methods=["POST"])
@roles(*MANAGERS)
def debrief(run_id: int, group_id: int):
    run = _managed_run(run_id)
    group = next((g for g in run.groups if g.id == group_id), None)
    if group is None:
        abort(404)
    form = DebriefForm(prefix=f"group-{group_id}")
    form.group_id = group_id
    if form.validate_on_submit():
        try:
            services.save_debrief(group, form.notes.data)
        except DomainError as error:
            db.session.rollback()
            report_error(form, error)
        else:
            db.session.commit()
            flash(_("The notes of group %(number)d are saved.", number=group.number), "success")
            return redirect(_run_url(run, f"group-{group_id}"))
    return _render_run(found(services.load_run(run_id)), debrief_form=form, status=400)


@bp.route("/roleplays/<int:run_id>/finish", methods=["POST"])
@roles(*MANAGERS)
def finish(run_id: int):
    run = _managed_run(run_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        finished = services.finish_run(run)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(_run_url(run))
    db.session.commit()
    if finished.activities:
        flash(
            ngettext(
                "The role-play is finished. Its role-play activity is marked done for "
                "%(num)d participant.",
                "The role-play is finished. Its role-play activity is marked done for "
                "%(num)d participants.",
                finished.people,
            ),
            "success",
        )
    else:
        flash(
            _(
                "The role-play is finished. No role-play activity of this programme plays "
                "this scenario, so no progress was recorded."
            ),
            "success",
        )
    return redirect(_run_url(run))


@bp.route("/roleplays/<int:run_id>/cards")
@roles(*MANAGERS)
def cards(run_id: int):
    """Every person's card, or one group's (?group=<number>), each on its own printed page."""
    run = _managed_run(run_id)
    groups = services.group_views(run)
    number = request.args.get("group")
    if number is not None:
        groups = [view for view in groups if str(view.group.number) == number]
        if not groups:
            abort(404)
    return render_template(
        "roleplay/cards.html",
        run=run,
        training_session=run.session,
        scenario=run.scenario,
        groups=groups,
        only_group=groups[0].group if number is not None else None,
    )


# --- one run, for a participant who plays in it --------------------------------------------------


@bp.route("/roleplays/<int:run_id>/mine")
@roles(Role.PARTICIPANT)
def mine(run_id: int):
    run = services.load_run(run_id)
    if run is None:
        abort(404)
    assignment = services.assignment_of(run, current_user)
    if assignment is None or not services.may_view_own_role(run, current_user):
        abort(403)
    group = next(view for view in services.group_views(run) if view.group is assignment.group)
    return render_template(
        "roleplay/mine.html",
        run=run,
        training_session=run.session,
        scenario=run.scenario,
        assignment=assignment,
        group=group,
    )
