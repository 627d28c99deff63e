from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from tot.accounts import services
from tot.accounts.forms import (
    ChangePasswordForm,
    LoginForm,
    ProfileForm,
    RegistrationForm,
    SetPasswordForm,
    StaffProfileForm,
)
from tot.errors import DomainError
from tot.extensions import db, limiter
from tot.forms import region_choices, report_error
from tot.i18n import LANGUAGE_COOKIE, Language
from tot.permissions import Role, public, signed_in
from tot.regions import services as regions
from tot.regions.models import Region
from tot.urls import redirect_target

bp = Blueprint("accounts", __name__)


@bp.route("/register", methods=["GET", "POST"])
@public
def register():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.home"))
    form = RegistrationForm()
    form.region.choices = region_choices(regions.open_regions())
    if form.validate_on_submit():
        try:
            user = services.register_participant(
                full_name=form.full_name.data,
                email=form.email.data,
                password=form.password.data,
                region=db.session.get(Region, form.region.data),
                gender=form.gender.data,
                age_group=form.age_group.data,
                language=form.language.data,
                phone=form.phone.data,
                notice_version=current_app.config["PRIVACY_NOTICE_VERSION"],
            )
        except DomainError as error:
            report_error(form, error)
        else:
            db.session.commit()
            login_user(user)
            flash(_("Welcome, %(name)s. Your account is ready.", name=user.full_name), "success")
            return redirect(url_for("dashboard.home"))
    return render_template("accounts/register.html", form=form)


def _login_failed(response) -> bool:
    return g.get("login_failed", False)


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(
    lambda: current_app.config["LOGIN_FAILURE_LIMIT"], methods=["POST"], deduct_when=_login_failed
)
def login():
    if current_user.is_authenticated:
        return redirect(redirect_target())
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            g.login_failed = True
            flash(_("The email or password is not correct, or the account is not active."), "error")
        else:
            services.record_login(user)
            db.session.commit()
            login_user(user, remember=form.remember.data)
            return redirect(redirect_target())
    return render_template("accounts/login.html", form=form, next=request.args.get("next", ""))


@bp.route("/logout", methods=["POST"])
@signed_in
def logout():
    logout_user()
    flash(_("You are logged out."), "success")
    return redirect(url_for("site.home"))


@bp.route("/profile", methods=["GET", "POST"])
@signed_in
def profile():
    user = current_user._get_current_object()
    is_participant = user.role is Role.PARTICIPANT
    form_class = ProfileForm if is_participant else StaffProfileForm
    form = form_class(obj=user)
    if is_participant:
        form.region.choices = region_choices(regions.regions_for_choice(user.region))
        if request.method == "GET":
            form.region.data = user.region_id
    if form.validate_on_submit():
        fields = {name: field.data for name, field in form._fields.items() if name != "csrf_token"}
        if is_participant:
            fields["region"] = db.session.get(Region, fields.pop("region"))
        try:
            services.update_profile(user, **fields)
        except DomainError as error:
            db.session.rollback()
            report_error(form, error)
        else:
            db.session.commit()
            response = redirect(url_for("accounts.profile"))
            response.set_cookie(LANGUAGE_COOKIE, user.language.value, **_language_cookie_options())
            flash(_("Your profile is saved."), "success")
            return response
    return render_template("accounts/profile.html", form=form)


@bp.route("/profile/password", methods=["GET", "POST"])
@signed_in
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            services.change_password(user, form.current_password.data, form.password.data)
        except DomainError as error:
            report_error(form, error)
        else:
            db.session.commit()
            login_user(user)  # the new session version ends every other login of this account
            flash(_("Your password is changed. Other devices have been logged out."), "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/change_password.html", form=form)


@bp.route("/set-password/<token>", methods=["GET", "POST"])
@public
def set_password(token: str):
    user = services.user_for_set_password_token(token)
    if user is None:
        return render_template("accounts/set_password_invalid.html"), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        user.set_password(form.password.data)
        db.session.commit()
        logout_user()
        flash(_("Your password is set. You can log in now."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/set_password.html", form=form, user=user)


def _language_cookie_options() -> dict:
    return {
        "max_age": 365 * 24 * 3600,
        "httponly": True,
        "samesite": "Lax",
        "secure": current_app.config["SESSION_COOKIE_SECURE"],
    }


@bp.route("/language", methods=["POST"])
@public
def choose_language():
    try:
        language = Language(request.form.get("language", ""))
    except ValueError:
        flash(_("Choose one of the languages offered."), "error")
        return redirect(redirect_target("site.home"))
    if current_user.is_authenticated:
        current_user.language = language
        db.session.commit()
    response = redirect(redirect_target("site.home"))
    response.set_cookie(LANGUAGE_COOKIE, language.value, **_language_cookie_options())
    return response
