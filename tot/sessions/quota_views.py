"""Seat quotas of one session: the page that lists them, and adding, changing, removing one."""

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from tot.errors import DomainError
from tot.extensions import db
from tot.forms import region_choices, report_error
from tot.permissions import roles
from tot.regions.models import Region
from tot.regions.services import regions_for_choice
from tot.sessions import services
from tot.sessions.blueprint import SCHEDULERS, bp, managed_or_403
from tot.sessions.forms import QuotaForm
from tot.sessions.models import SeatQuota, TrainingSession


def _quota_or_404(session: TrainingSession, quota_id: int) -> SeatQuota:
    return db.first_or_404(
        select(SeatQuota).where(SeatQuota.id == quota_id, SeatQuota.session_id == session.id)
    )


def _quota_form(session: TrainingSession, quota: SeatQuota | None, formdata=False) -> QuotaForm:
    """The add form (quota None) or one quota's edit form; formdata=False: from the request."""
    prefix = f"quota-{quota.id}" if quota else "new"
    kwargs: dict[str, Any] = {} if formdata is not False else {"formdata": None}
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
        training_session=session,
        quotas=quotas,
        forms=forms,
        add_form=add_form or _quota_form(session, None),
        confirmed=services.confirmed_total(session),
        confirmed_by_region=services.confirmed_by_region(session),
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
    session = managed_or_403(session_id)
    if request.method == "GET":
        return _quotas_page(session)
    refused = _quotas_editable_or_redirect(session)
    if refused:
        return refused
    form = _quota_form(session, None, formdata=True)
    if form.validate_on_submit():
        try:
            quota = services.add_quota(session, actor=current_user, **_quota_values(form))
        except DomainError as error:
            db.session.rollback()
            report_error(form, error)
        else:
            db.session.commit()
            flash(_("The quota for %(region)s is added.", region=quota.region.label), "success")
            return redirect(url_for("sessions.quotas", session_id=session.id))
    return _quotas_page(session, add_form=form)


@bp.route("/<int:session_id>/quotas/<int:quota_id>", methods=["POST"])
@roles(*SCHEDULERS)
def edit_quota(session_id: int, quota_id: int):
    session = managed_or_403(session_id)
    quota = _quota_or_404(session, quota_id)
    refused = _quotas_editable_or_redirect(session)
    if refused:
        return refused
    form = _quota_form(session, quota, formdata=True)
    if form.validate_on_submit():
        try:
            services.update_quota(quota, actor=current_user, **_quota_values(form))
        except DomainError as error:
            db.session.rollback()
            report_error(form, error)
        else:
            db.session.commit()
            flash(_("The quota for %(region)s is saved.", region=quota.region.label), "success")
            return redirect(url_for("sessions.quotas", session_id=session.id))
    return _quotas_page(session, failed=(quota_id, form))


@bp.route("/<int:session_id>/quotas/<int:quota_id>/delete", methods=["POST"])
@roles(*SCHEDULERS)
def delete_quota(session_id: int, quota_id: int):
    session = managed_or_403(session_id)
    quota = _quota_or_404(session, quota_id)
    refused = _quotas_editable_or_redirect(session)
    if refused:
        return refused
    name = quota.region.label
    try:
        services.delete_quota(quota, actor=current_user)
    except DomainError as error:  # the session was cancelled or completed meanwhile
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("sessions.show", session_id=session.id))
    db.session.commit()
    flash(_("The quota for %(region)s is removed.", region=name), "success")
    return redirect(url_for("sessions.quotas", session_id=session.id))
