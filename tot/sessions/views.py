"""Browsing and scheduling sessions; the blueprint with every sessions route.

The blueprint is defined in `blueprint.py`. Seat quotas and calendars have their own view
modules, imported here so that importing this module (as `tot/__init__.py` does) registers
all the routes.
"""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from tot.accounts.models import User
from tot.curriculum.models import Programme
from tot.errors import DomainError
from tot.extensions import db
from tot.forms import region_choices, report_error
from tot.pages import paginate
from tot.permissions import Role, public, roles
from tot.regions.models import Region
from tot.regions.services import open_regions, regions_for_choice
from tot.sessions import calendar_views, quota_views, services
from tot.sessions.blueprint import (
    PER_PAGE,
    SCHEDULERS,
    bp,
    managed_or_403,
    visible_or_404,
)
from tot.sessions.forms import ManageFilterForm, SessionFilterForm, SessionForm, programme_choices
from tot.sessions.models import TrainingSession

__all__ = ["bp"]

# Imported for their routes, which they add to bp: importing this module registers them all.
VIEW_MODULES = (calendar_views, quota_views)

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
    page = paginate(statement, PER_PAGE)
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
    session = visible_or_404(session_id)
    context = {
        "training_session": session,
        "may_manage": services.can_manage(current_user, session),
        "confirmed": services.confirmed_total(session),
        "quotas": services.quota_summary(session),
        "describe_quota": services.describe_quota,
    }
    context["panels"] = services.panels(session, current_user)
    return render_template("sessions/show.html", **context)


@bp.route("/agenda")
@roles(Role.FACILITATOR, Role.STAFF)
def agenda():
    upcoming, past = services.agenda(current_user)
    return render_template(
        "sessions/agenda.html",
        upcoming=upcoming,
        past=past,
        staff=current_user.is_staff,
    )


@bp.route("/manage")
@roles(Role.STAFF)
def manage():
    filters = ManageFilterForm(request.args)
    filters.set_choices()
    status = filters.chosen_status()
    page = paginate(services.all_sessions(status), PER_PAGE)
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
        current_people, current_programme, current_region, zone_name = [], None, None, None
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
        current_programme, current_region = session.programme, session.region
        zone_name = zone.key
    if not current_user.is_staff:
        del form.override_reason  # only staff may schedule over another session
    form.set_choices(
        programmes=services.programme_options(current_programme),
        regions=regions_for_choice(current_region),
        facilitators=services.facilitator_options(current_people),
        timezone=zone_name,
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
        training_session=session,
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
    session = managed_or_403(session_id)
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
    session = managed_or_403(session_id)
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
