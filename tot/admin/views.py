"""Account administration: find people, create accounts, change roles, deactivate."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tot.accounts import services as accounts
from tot.accounts.models import User
from tot.admin import services
from tot.admin.forms import CreateAccountForm, RoleForm, UserSearchForm
from tot.audit import services as audit
from tot.errors import DomainError
from tot.extensions import db
from tot.forms import region_choices, report_error
from tot.pages import paginate
from tot.permissions import Role, roles
from tot.regions import services as regions
from tot.regions.models import Region

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/users")
@roles(Role.ADMIN)
def users():
    search = UserSearchForm(request.args)
    role = search.role.data if isinstance(search.role.data, Role) else None
    statement = accounts.search_users(search.q.data or "", role=role)
    page = paginate(statement, current_app.config["USERS_PER_PAGE"])
    return render_template("admin/users.html", search=search, page=page)


@bp.route("/users/new", methods=["GET", "POST"])
@roles(Role.ADMIN)
def create_user():
    form = CreateAccountForm()
    form.region.choices = region_choices(regions.open_regions(), placeholder=_("No region"))
    if form.validate_on_submit():
        region = db.session.get(Region, form.region.data) if form.region.data else None
        try:
            user = accounts.create_account(
                full_name=form.full_name.data,
                email=form.email.data,
                role=form.role.data,
                region=region,
                language=form.language.data,
            )
        except DomainError as error:
            report_error(form, error)
        else:
            db.session.commit()
            flash(
                _("The account is created. Send its owner the link below to choose a password."),
                "success",
            )
            return redirect(url_for("admin.user", user_id=user.id))
    return render_template("admin/create_user.html", form=form)


@bp.route("/users/<int:user_id>")
@roles(Role.ADMIN)
def user(user_id: int):
    person = db.get_or_404(User, user_id)
    link = None
    if not person.has_password and person.active:
        link = url_for(
            "accounts.set_password", token=accounts.set_password_token(person), _external=True
        )
    return render_template(
        "admin/user.html",
        person=person,
        role_form=RoleForm(role=person.role),
        link=link,
        erased=audit.is_erased(person),
    )


def _refuse(error: DomainError, user_id: int):
    flash(error.message, "error")
    return redirect(url_for("admin.user", user_id=user_id))


@bp.route("/users/<int:user_id>/role", methods=["POST"])
@roles(Role.ADMIN)
def change_role(user_id: int):
    person = db.get_or_404(User, user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        flash(_("Choose one of the roles offered."), "error")
        return redirect(url_for("admin.user", user_id=user_id))
    try:
        services.change_role(current_user, person, form.role.data)
    except DomainError as error:
        return _refuse(error, user_id)
    db.session.commit()
    flash(_("%(name)s is now: %(role)s.", name=person.full_name, role=person.role.label), "success")
    return redirect(url_for("admin.user", user_id=user_id))


@bp.route("/users/<int:user_id>/deactivate", methods=["POST"])
@roles(Role.ADMIN)
def deactivate(user_id: int):
    person = db.get_or_404(User, user_id)
    try:
        services.deactivate(current_user, person)
    except DomainError as error:
        return _refuse(error, user_id)
    db.session.commit()
    flash(
        _("%(name)s can no longer log in. Nothing was deleted.", name=person.full_name), "success"
    )
    return redirect(url_for("admin.user", user_id=user_id))


@bp.route("/users/<int:user_id>/reactivate", methods=["POST"])
@roles(Role.ADMIN)
def reactivate(user_id: int):
    person = db.get_or_404(User, user_id)
    try:
        services.reactivate(current_user, person)
    except DomainError as error:
        return _refuse(error, user_id)
    db.session.commit()
    flash(_("%(name)s can log in again.", name=person.full_name), "success")
    return redirect(url_for("admin.user", user_id=user_id))


@bp.route("/users/<int:user_id>/reset-password", methods=["POST"])
@roles(Role.ADMIN)
def reset_password(user_id: int):
    person = db.get_or_404(User, user_id)
    try:
        accounts.reset_password(current_user, person)
    except DomainError as error:
        return _refuse(error, user_id)
    db.session.commit()
    flash(_("The old password no longer works. Send the link below to its owner."), "success")
    return redirect(url_for("admin.user", user_id=user_id))
