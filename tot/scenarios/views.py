"""The scenario library: role-plays that modules and sessions reuse."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tot.errors import DomainError
from tot.extensions import db
from tot.forms import report_error
from tot.pages import paginate
from tot.permissions import Role, roles
from tot.scenarios import services
from tot.scenarios.forms import LibrarySearchForm, MoveRoleForm, RoleForm, ScenarioForm
from tot.scenarios.models import Scenario, ScenarioRole

bp = Blueprint("scenarios", __name__, url_prefix="/scenarios")

PER_PAGE = 20
AUTHORS = (Role.STAFF, Role.FACILITATOR)  # administrators too: they may do all that staff can


def _role_or_404(scenario_id: int, role_id: int) -> ScenarioRole:
    """A role of this scenario; a role of another scenario is not found here."""
    return db.first_or_404(
        db.select(ScenarioRole).where(
            ScenarioRole.id == role_id, ScenarioRole.scenario_id == scenario_id
        )
    )


def _show(scenario: Scenario, role_form: RoleForm | None = None):
    return render_template(
        "scenarios/show.html",
        scenario=scenario,
        role_form=role_form or RoleForm(formdata=None),
    )


@bp.route("/")
@roles(*AUTHORS)
def index():
    search = LibrarySearchForm(request.args)
    names = services.tag_names()
    search.tag.choices = [("", _("Any tag")), *((name, name) for name in names)]
    statement = services.list_scenarios(search.q.data, search.tag.data)
    page = paginate(statement, PER_PAGE)
    return render_template(
        "scenarios/index.html",
        search=search,
        page=page,
        role_counts=services.role_counts(page.items),
    )


@bp.route("/new", methods=["GET", "POST"])
@roles(*AUTHORS)
def create():
    form = ScenarioForm()
    if form.validate_on_submit():
        try:
            scenario = services.create_scenario(author=current_user, **form.scenario_fields())
        except DomainError as error:
            db.session.rollback()
            report_error(form, error)
        else:
            db.session.commit()
            flash(_("“%(title)s” is added to the library.", title=scenario.title), "success")
            return redirect(url_for("scenarios.show", scenario_id=scenario.id))
    return render_template("scenarios/edit.html", form=form, scenario=None)


@bp.route("/<int:scenario_id>/edit", methods=["GET", "POST"])
@roles(*AUTHORS)
def edit(scenario_id: int):
    scenario = db.get_or_404(Scenario, scenario_id)
    form = ScenarioForm(obj=scenario, tag_list=", ".join(tag.name for tag in scenario.tags))
    if form.validate_on_submit():
        try:
            services.update_scenario(scenario, **form.scenario_fields())
        except DomainError as error:
            db.session.rollback()
            report_error(form, error)
        else:
            db.session.commit()
            flash(_("“%(title)s” is saved.", title=scenario.title), "success")
            return redirect(url_for("scenarios.show", scenario_id=scenario.id))
    return render_template("scenarios/edit.html", form=form, scenario=scenario)


@bp.route("/<int:scenario_id>")
@roles(*AUTHORS)
def show(scenario_id: int):
    return _show(db.get_or_404(Scenario, scenario_id))


@bp.route("/<int:scenario_id>/pack")
@roles(*AUTHORS)
def pack(scenario_id: int):
    scenario = db.get_or_404(Scenario, scenario_id)
    return render_template("scenarios/pack.html", scenario=scenario)


@bp.route("/<int:scenario_id>/roles", methods=["POST"])
@roles(*AUTHORS)
def add_role(scenario_id: int):
    scenario = db.get_or_404(Scenario, scenario_id)
    form = RoleForm()
    if form.validate_on_submit():
        try:
            role = services.add_role(scenario, **form.role_fields())
        except DomainError as error:
            db.session.rollback()
            report_error(form, error)
        else:
            db.session.commit()
            flash(_("The role “%(name)s” is added.", name=role.name), "success")
            return redirect(url_for("scenarios.show", scenario_id=scenario.id, _anchor="roles"))
    return _show(scenario, role_form=form)


@bp.route("/<int:scenario_id>/roles/<int:role_id>/edit", methods=["GET", "POST"])
@roles(*AUTHORS)
def edit_role(scenario_id: int, role_id: int):
    role = _role_or_404(scenario_id, role_id)
    form = RoleForm(obj=role)
    if form.validate_on_submit():
        try:
            services.update_role(role, **form.role_fields())
        except DomainError as error:
            db.session.rollback()
            report_error(form, error)
        else:
            db.session.commit()
            flash(_("The role “%(name)s” is saved.", name=role.name), "success")
            return redirect(url_for("scenarios.show", scenario_id=scenario_id, _anchor="roles"))
    return render_template("scenarios/role_edit.html", form=form, role=role)


@bp.route("/<int:scenario_id>/roles/<int:role_id>/delete", methods=["POST"])
@roles(*AUTHORS)
def delete_role(scenario_id: int, role_id: int):
    role = _role_or_404(scenario_id, role_id)
    name = role.name
    try:
        services.delete_role(role)
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("scenarios.show", scenario_id=scenario_id, _anchor="roles"))
    db.session.commit()
    flash(_("The role “%(name)s” is deleted.", name=name), "success")
    return redirect(url_for("scenarios.show", scenario_id=scenario_id, _anchor="roles"))


@bp.route("/<int:scenario_id>/roles/<int:role_id>/move", methods=["POST"])
@roles(*AUTHORS)
def move_role(scenario_id: int, role_id: int):
    role = _role_or_404(scenario_id, role_id)
    form = MoveRoleForm()
    if not form.validate_on_submit():
        flash(_("Choose to move the role up or down."), "error")
    elif services.move_role(role, form.direction.data):
        db.session.commit()
    return redirect(url_for("scenarios.show", scenario_id=scenario_id, _anchor=f"role-{role_id}"))
