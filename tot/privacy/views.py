"""A person's own data, to download; an administrator erases a person on request."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tot.accounts.models import User
from tot.db_types import utcnow
from tot.errors import DomainError
from tot.exports import download_json
from tot.extensions import db
from tot.pages import refused
from tot.permissions import Role, roles, signed_in
from tot.privacy import services
from tot.privacy.forms import EraseForm
from tot.privacy.personal_data import personal_data

bp = Blueprint("privacy", __name__)


@bp.route("/my/data")
@signed_in
def my_data():
    return render_template("privacy/my_data.html")


@bp.post("/my/data/download")
@signed_in
def download():
    """The signed-in person's own data, and nobody else's: there is no one else to ask for."""
    person = current_user._get_current_object()
    return download_json(
        personal_data(person), name=f"my-data-{utcnow().date().isoformat()}", subject=person
    )


@bp.route("/admin/users/<int:user_id>/erase", methods=["GET", "POST"])
@roles(Role.ADMIN)
def erase(user_id: int):
    """First the administrator opens this page, then confirms by typing the person's email."""
    person = db.get_or_404(User, user_id)
    back = url_for("admin.user", user_id=person.id)
    refusal = services.erase_refusal(current_user, person)
    if refusal is not None:
        flash(refusal, "error")
        return redirect(back)
    form = EraseForm(person.email)
    if form.validate_on_submit():
        try:
            services.erase(current_user, person)
        except DomainError as error:
            return refused(error, back)
        db.session.commit()
        flash(_("The person's personal data is erased. The account is closed for good."), "success")
        return redirect(back)
    return render_template("privacy/erase.html", person=person, form=form)
