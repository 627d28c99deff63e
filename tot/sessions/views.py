"""Scheduling sessions, browsing them, and calendars."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from tot.accounts.models import User
from tot.curriculum.models import Programme
from tot.enrolment import services as enrolment_services
from tot.errors import DomainError
from tot.extensions import db
from tot.feedback import services as feedback_services
from tot.forms import region_choices, report_error
from tot.permissions import Role, public, roles, signed_in
from tot.regions.models import Region
from tot.regions.services import open_regions, regions_for_choice
from tot.roleplay import services as roleplay_services
from tot.sessions import services
from tot.sessions.calendar import build_calendar
from tot.sessions.forms import (
    ManageFilterForm,
    QuotaForm,
    SessionFilterForm,
    SessionForm,
    programme_choices,
)
from tot.sessions.models import SeatQuota, TrainingSession

bp = Blueprint("sessions", __name__, url_prefix="/sessions")

PER_PAGE = 20
MAX_PAGE = 100_000
SCHEDULERS = (Role.STAFF, Role.FACILITATOR)  # administrators too: they may do all that staff can


# --- loading -------------------------------------------------------------------------------------


def _visible_or_404(session_id: int) -> TrainingSession:
    """A session the reader may see: a draft is not found for those who may not manage it."""
    session = db.get_or_404(TrainingSession, session_id)
    if not services.visible_to(session, current_user):
        abort(404)
    return session


def _managed_or_403(session_id: int) -> TrainingSession:
    session = db.get_or_404(TrainingSession, session_id)
    if not services.can_manage(current_user, session):
        abort(403)
    return session


def _quota_or_404(session: TrainingSession, quota_id: int) -> SeatQuota:
    return db.first_or_404(
        select(SeatQuota).where(SeatQuota.id == quota_id, SeatQuota.session_id == session.id)
    )


def _page_number() -> int:
    number = request.args.get("page", 1, type=int)
    return min(max(number, 1), MAX_PAGE)


def _link(session: TrainingSession) -> str:
    return url_for("sessions.show", session_id=session.id, _external=True)


def _calendar_response(body: bytes, filename: str | None = None) -> Response:
    response = Response(body, mimetype="text/calendar")  # Flask adds "; charset=utf-8"
    if filename:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-cache"
    return response


# --- browsing ------------------------------------------------------------------------------------


@bp.route("/")
@public
def index():
    filters = SessionFilterForm(request.args)
    filters.region.choices = region_choices(open_regions(), placeholder=_("All regions"))
    filters.programme.choices = [
        SelectChoice("", _("All programmes")),
        *programme_choices(services.programme_options())[1:],
    ]
    month = None
    if filters.month.data:
        month = services.parse_month(filters.month.data)
        if month is None:
            filters.month.errors = [_("Enter a year and month, such as 2026-05.")]
    statement = services.upcoming_sessions(
        region_id=filters.region.data, programme_id=filters.programme.data, month=month
    )
    page = db.paginate(statement, page=_page_number(), per_page=PER_PAGE, error_out=False)
    return render_template(
        "sessions/index.html",
        filters=filters,
        page=page,
        counts=services.confirmed_counts(page.items),
        filtered=bool(filters.region.data or filters.programme.data or month),
        query={
            "region": filters.region.data or "",
            "programme": filters.programme.data or "",
            "month": filters.month.data or "",
        },
    )


@bp.route("/<int:session_id>")
@public
def show(session_id: int):
    session = _visible_or_404(session_id)
    context = {
        "session": session,
        "may_manage": services.can_manage(current_user, session),
        "confirmed": enrolment_services.seat_counts(session).total,
        "quotas": services.quota_summary(session),
        "describe_quota": services.describe_quota,
    }
    context.update(enrolment_services.session_panel(session, current_user))
    context["roleplay_panel"] = roleplay_services.session_panel(session, current_user)
    context["feedback_panel"] = feedback_services.session_panel(session, current_user)
    return render_template("sessions/show.html", **context)


@bp.route("/agenda")
@roles(Role.FACILITATOR, Role.STAFF)
def agenda():
    upcoming, past = services.agenda(current_user)
    return render_template(
        "sessions/agenda.html",
        upcoming=upcoming,
        past=past,
        staff=services.is_staff(current_user),
    )


@bp.route("/manage")
@roles(Role.STAFF)
def manage():
    filters = ManageFilterForm(request.args)
    filters.set_choices()
    status = filters.chosen_status()
    page = db.paginate(
        services.all_sessions(status), page=_page_number(), per_page=PER_PAGE, error_out=False
    )
    return render_template(
        "sessions/manage.html",
        filters=filters,
        page=page,
        counts=services.confirmed_counts(page.items),
        status=status,
    )


# --- scheduling ----------------------------------------------------------------------------------


def _session_form(session: TrainingSession | None) -> SessionForm:
    if session is None:
        defaults = {"capacity": 20}
        if current_user.role is Role.FACILITATOR:
            defaults["lead_facilitator_id"] = current_user.id
        form = SessionForm(data=defaults)
        current_people, current_programme, current_region, zone = [], None, None, None
    else:
        zone = session.zone
        form = SessionForm(
            data={
                "programme_id": session.programme_id,
                "title": session.title,
                "description": session.description,
                "starts_at": services.local_wall(session.starts_at, zone),
                "ends_at": services.local_wall(session.ends_at, zone),
                "region_id": session.region_id,
                "venue": session.venue,
                "address": session.address,
                "timezone": session.timezone,
                "capacity": session.capacity,
                "enrolment_opens_at": services.local_wall(session.enrolment_opens_at, zone),
                "enrolment_closes_at": services.local_wall(session.enrolment_closes_at, zone),
                "enrolment_mode": session.enrolment_mode,
                "lead_facilitator_id": session.lead_facilitator_id,
                "co_facilitator_ids": [person.id for person in session.co_facilitators],
                "override_reason": session.overlap_override_reason or "",
            }
        )
        current_people = session.facilitators
        current_programme, current_region, zone = session.programme, session.region, zone.key
    if not services.is_staff(current_user):
        del form.override_reason  # only staff may schedule over another session
    form.set_choices(
        programmes=services.programme_options(current_programme),
        regions=regions_for_choice(current_region),
        facilitators=services.facilitator_options(current_people),
        timezone=zone,
    )
    return form


def _details(form: SessionForm) -> services.SessionDetails:
    def get(model, key):
        return db.session.get(model, key) if key is not None else None

    co_ids = [key for key in form.co_facilitator_ids.data or [] if key is not None]
    co_people = (
        list(db.session.scalars(select(User).where(User.id.in_(co_ids)).order_by(User.full_name)))
        if co_ids
        else []
    )
    return services.SessionDetails(
        programme=get(Programme, form.programme_id.data),
        title=form.title.data or "",
        description=form.description.data or "",
        starts_local=form.starts_at.data,
        ends_local=form.ends_at.data,
        region=get(Region, form.region_id.data),
        venue=form.venue.data or "",
        address=form.address.data or "",
        timezone=form.timezone.data or None,
        capacity=form.capacity.data,
        enrolment_opens_local=form.enrolment_opens_at.data,
        enrolment_closes_local=form.enrolment_closes_at.data,
        enrolment_mode=form.enrolment_mode.data,
        lead_facilitator=get(User, form.lead_facilitator_id.data),
        co_facilitators=co_people,
        override_reason=form.override_reason.data if "override_reason" in form else None,
    )


def _flash_warnings(warnings: list[str]) -> None:
    for warning in warnings:
        flash(warning, "warning")


def _edit_page(form: SessionForm, session: TrainingSession | None):
    return render_template(
        "sessions/edit.html",
        form=form,
        session=session,
        may_override="override_reason" in form,
    )


@bp.route("/new", methods=["GET", "POST"])
@roles(*SCHEDULERS)
def create():
    form = _session_form(None)
    if form.validate_on_submit():
        try:
            session, warnings = services.create_session(current_user, _details(form))
        except DomainError as error:
            db.session.rollback()
            report_error(form, error)
        else:
            db.session.commit()
            flash(
                _(
                    "“%(title)s” is scheduled as a draft. Publish it to open it.",
                    title=session.title,
                ),
                "success",
            )
            _flash_warnings(warnings)
            return redirect(url_for("sessions.show", session_id=session.id))
    return _edit_page(form, None)


@bp.route("/<int:session_id>/edit", methods=["GET", "POST"])
@roles(*SCHEDULERS)
def edit(session_id: int):
    session = _managed_or_403(session_id)
    try:
        services.ensure_editable(session)
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("sessions.show", session_id=session.id))
    form = _session_form(session)
    if form.validate_on_submit():
        try:
            warnings = services.update_session(current_user, session, _details(form))
        except DomainError as error:
            db.session.rollback()
            report_error(form, error)
        else:
            db.session.commit()
            flash(_("“%(title)s” is saved.", title=session.title), "success")
            _flash_warnings(warnings)
            return redirect(url_for("sessions.show", session_id=session.id))
    return _edit_page(form, session)


def _change_status(session_id: int, change, done: str):
    session = _managed_or_403(session_id)
    try:
        change(session)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(done % {"title": session.title}, "success")
    return redirect(url_for("sessions.show", session_id=session_id))


@bp.route("/<int:session_id>/publish", methods=["POST"])
@roles(*SCHEDULERS)
def publish(session_id: int):
    return _change_status(
        session_id, services.publish, _("“%(title)s” is published: people can now apply.")
    )


@bp.route("/<int:session_id>/cancel", methods=["POST"])
@roles(*SCHEDULERS)
def cancel(session_id: int):
    return _change_status(
        session_id,
        services.cancel,
        _("“%(title)s” is cancelled. Everyone enrolled has been told."),
    )


@bp.route("/<int:session_id>/complete", methods=["POST"])
@roles(*SCHEDULERS)
def complete(session_id: int):
    return _change_status(session_id, services.complete, _("“%(title)s” is marked completed."))


# --- seat quotas ---------------------------------------------------------------------------------


def _quota_form(session: TrainingSession, quota: SeatQuota | None, formdata=False) -> QuotaForm:
    """The add form (quota None) or one quota's edit form; formdata=False: from the request."""
    prefix = f"quota-{quota.id}" if quota else "new"
    kwargs = {} if formdata is not False else {"formdata": None}
    if quota is not None:
        kwargs["data"] = {
            "region_id": quota.region_id,
            "cap": quota.cap,
            "reserved": quota.reserved,
            "reserved_until": services.local_wall(quota.reserved_until, session.zone),
        }
    form = QuotaForm(prefix=prefix, **kwargs)
    form.region_id.choices = region_choices(regions_for_choice(quota.region if quota else None))
    return form


def _quotas_page(session: TrainingSession, add_form=None, failed: tuple | None = None):
    quotas = services.quota_summary(session)
    forms = {quota.id: _quota_form(session, quota) for quota in quotas}
    if failed is not None:
        quota_id, form = failed
        forms[quota_id] = form
    return render_template(
        "sessions/quotas.html",
        session=session,
        quotas=quotas,
        forms=forms,
        add_form=add_form or _quota_form(session, None),
        confirmed=enrolment_services.seat_counts(session),
        describe_quota=services.describe_quota,
    )


def _quota_values(form: QuotaForm) -> dict:
    region_id = form.region_id.data
    return {
        "region": db.session.get(Region, region_id) if region_id is not None else None,
        "cap": form.cap.data,
        "reserved": form.reserved.data,
        "reserved_until_local": form.reserved_until.data,
    }


def _quotas_editable_or_redirect(session: TrainingSession):
    try:
        services.ensure_editable(session)
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("sessions.show", session_id=session.id))
    return None


@bp.route("/<int:session_id>/quotas", methods=["GET", "POST"])
@roles(*SCHEDULERS)
def quotas(session_id: int):
    session = _managed_or_403(session_id)
    if request.method == "GET":
        return _quotas_page(session)
    refused = _quotas_editable_or_redirect(session)
    if refused:
        return refused
    form = _quota_form(session, None, formdata=True)
    if form.validate_on_submit():
        try:
            quota = services.add_quota(session, **_quota_values(form))
        except DomainError as error:
            db.session.rollback()
            report_error(form, error)
        else:
            db.session.commit()
            flash(_("The quota for %(region)s is added.", region=quota.region.name), "success")
            return redirect(url_for("sessions.quotas", session_id=session.id))
    return _quotas_page(session, add_form=form)


@bp.route("/<int:session_id>/quotas/<int:quota_id>", methods=["POST"])
@roles(*SCHEDULERS)
def edit_quota(session_id: int, quota_id: int):
    session = _managed_or_403(session_id)
    quota = _quota_or_404(session, quota_id)
    refused = _quotas_editable_or_redirect(session)
    if refused:
        return refused
    form = _quota_form(session, quota, formdata=True)
    if form.validate_on_submit():
        try:
            services.update_quota(quota, **_quota_values(form))
        except DomainError as error:
            db.session.rollback()
            report_error(form, error)
        else:
            db.session.commit()
            flash(_("The quota for %(region)s is saved.", region=quota.region.name), "success")
            return redirect(url_for("sessions.quotas", session_id=session.id))
    return _quotas_page(session, failed=(quota_id, form))


@bp.route("/<int:session_id>/quotas/<int:quota_id>/delete", methods=["POST"])
@roles(*SCHEDULERS)
def delete_quota(session_id: int, quota_id: int):
    session = _managed_or_403(session_id)
    quota = _quota_or_404(session, quota_id)
    refused = _quotas_editable_or_redirect(session)
    if refused:
        return refused
    name = quota.region.name
    services.delete_quota(quota)
    db.session.commit()
    flash(_("The quota for %(region)s is removed.", region=name), "success")
    return redirect(url_for("sessions.quotas", session_id=session.id))


# --- calendars -----------------------------------------------------------------------------------


@bp.route("/<int:session_id>/calendar.ics")
@public
def ics(session_id: int):
    session = _visible_or_404(session_id)
    return _calendar_response(build_calendar([session], _link), f"session-{session.id}.ics")


@bp.route("/feed/<token>.ics")
@public
def feed(token: str):
    owner = services.feed_owner(token)
    if owner is None:
        abort(404)
    body = build_calendar(services.feed_sessions(owner), _link, name=_("My training sessions"))
    return _calendar_response(body)


@bp.route("/calendar")
@signed_in
def calendar_settings():
    token = services.calendar_token(current_user)
    feed_url = url_for("sessions.feed", token=token.token, _external=True) if token else None
    return render_template("sessions/calendar.html", token=token, feed_url=feed_url)


@bp.route("/calendar", methods=["POST"])
@signed_in
def calendar_create():
    services.create_calendar_token(current_user)
    db.session.commit()
    flash(_("Your calendar link is ready."), "success")
    return redirect(url_for("sessions.calendar_settings"))


@bp.route("/calendar/reset", methods=["POST"])
@signed_in
def calendar_reset():
    services.reset_calendar_token(current_user)
    db.session.commit()
    flash(
        _("Your calendar link is replaced: the old link no longer works."),
        "success",
    )
    return redirect(url_for("sessions.calendar_settings"))
