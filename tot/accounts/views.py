from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from tot.accounts import logins, services, throttling
from tot.accounts.forms import (
    ChangePasswordForm,
    LoginForm,
    ProfileForm,
    RegistrationByEmailForm,
    RegistrationForm,
    SetPasswordForm,
    StaffProfileForm,
)
from tot.accounts.hooks import new_device_login
from tot.accounts.models import User
from tot.errors import DomainError
from tot.extensions import db, limiter
from tot.forms import region_choices, report_error
from tot.i18n import LANGUAGE_COOKIE, Language
from tot.permissions import Role, public, signed_in
from tot.regions import services as regions
from tot.regions.models import Region
from tot.urls import redirect_target

bp = Blueprint("accounts", __name__)


@bp.before_app_request
def note_login_activity() -> None:
    """Keep the current login's "last seen" time; committed at once, as nothing else is pending
    before the view runs."""
    if request.endpoint in (None, "static") or not current_user.is_authenticated:
        return
    if logins.note_activity(current_user._get_current_object()):
        db.session.commit()


def _start_login(user: User, remember: bool = False) -> None:
    """Begin a login of `user` on this device and sign the browser in with it (commits)."""
    logins.start(user, request.user_agent.string)
    db.session.commit()
    login_user(user, remember=remember)


def _registration_attempted(response) -> bool:
    return g.get("registration_attempted", False)


@bp.route("/register", methods=["GET", "POST"])
@public
@limiter.limit(
    lambda: current_app.config["REGISTRATION_LIMIT"],
    methods=["POST"],
    deduct_when=_registration_attempted,
)
def register():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.home"))
    by_email = services.can_email_people()
    form = RegistrationByEmailForm() if by_email else RegistrationForm()
    form.region.choices = region_choices(regions.open_regions())
    if form.validate_on_submit():
        g.registration_attempted = True  # counted per address, whatever the answer
        registration = services.Registration(
            full_name=form.full_name.data,
            email=form.email.data,
            region=db.session.get(Region, form.region.data),
            gender=form.gender.data,
            age_group=form.age_group.data,
            language=form.language.data,
            phone=form.phone.data,
            notice_version=current_app.config["PRIVACY_NOTICE_VERSION"],
        )
        user = None
        try:
            if by_email:
                services.register_by_email(registration)
            else:
                user = services.register_participant(registration, form.password.data)
        except DomainError as error:
            db.session.rollback()
            report_error(form, error)
        else:
            return _registered(user, registration.email)
    return render_template("accounts/register.html", form=form)


def _registered(user: User | None, email: str) -> Response:
    """The answer to a registration: signed in at once, or (by email) the same words whether
    or not the address had an account."""
    if user is None:
        db.session.commit()
        flash(
            _(
                "Thank you. We have sent a message to %(email)s: follow the link in it to go on. "
                "If it does not arrive, check the address and your spam folder.",
                email=services.normalise_email(email),
            ),
            "success",
        )
        return redirect(url_for("site.home"))
    _start_login(user)
    flash(_("Welcome, %(name)s. Your account is ready.", name=user.full_name), "success")
    return redirect(url_for("dashboard.home"))


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(redirect_target())
    form = LoginForm()
    if form.validate_on_submit():
        device_cookie = request.cookies.get(throttling.DEVICE_COOKIE)
        attempt = throttling.attempt(form.email.data, request.remote_addr, device_cookie)
        if throttling.refused(attempt):
            abort(429)
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            services.record_login(user)
            login = logins.start(user, request.user_agent.string)
            if attempt.device is None:  # no device cookie of this account: a device new to it
                new_device_login.send(user, browser=login.browser, system=login.system)
            db.session.commit()
            login_user(user, remember=form.remember.data)
            response = redirect(redirect_target())
            cookie = throttling.device_cookie_after_login(device_cookie, form.email.data)
            response.set_cookie(throttling.DEVICE_COOKIE, cookie, **_device_cookie_options())
            return response
        throttling.count_failure(attempt)
        flash(_("The email or password is not correct, or the account is not active."), "error")
    return render_template("accounts/login.html", form=form, next=request.args.get("next", ""))


def _device_cookie_options() -> dict:
    return {
        "max_age": throttling.DEVICE_COOKIE_DAYS * 24 * 3600,
        "httponly": True,
        "samesite": "Lax",
        "secure": current_app.config["SESSION_COOKIE_SECURE"],
    }


def _log_out() -> None:
    """End this browser's login on the server, then forget it in the browser (commits)."""
    if current_user.is_authenticated:
        logins.end_current(current_user._get_current_object())
        db.session.commit()
    logout_user()


@bp.route("/logout", methods=["POST"])
@signed_in
def logout():
    _log_out()
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
    return render_template(
        "accounts/profile.html",
        form=form,
        logins=logins.live_logins(user),
        current_login=user.current_login.login if user.current_login else None,
    )


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
            _start_login(user)  # the new session version has ended every other login
            flash(_("Your password is changed. Other devices have been logged out."), "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/change_password.html", form=form)


@bp.route("/profile/logins/<int:login_id>/end", methods=["POST"])
@signed_in
def end_login(login_id: int):
    """End one of the person's logins, from another device: its cookies open nothing more."""
    user = current_user._get_current_object()
    is_current = user.current_login is not None and user.current_login.login.id == login_id
    if not logins.end(user, login_id):
        abort(404)
    db.session.commit()
    if is_current:
        logout_user()
        flash(_("You are logged out."), "success")
        return redirect(url_for("site.home"))
    flash(_("That login has ended."), "success")
    return redirect(url_for("accounts.profile", _anchor="logins"))


@bp.route("/profile/logins/end-others", methods=["POST"])
@signed_in
def end_other_logins():
    logins.end_others(current_user._get_current_object())
    db.session.commit()
    flash(_("You are logged out on every other device."), "success")
    return redirect(url_for("accounts.profile", _anchor="logins"))


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
        _log_out()  # whoever was signed in on this browser
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
