"""Certificates: the PDF, issuing by hand and revoking (staff), an export, and public verifying."""

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from tot.certificates import services
from tot.certificates.document import certificate_pdf
from tot.certificates.export import certificate_rows
from tot.certificates.forms import IssueForm, RevokeForm, VerifyForm
from tot.certificates.models import Certificate
from tot.enrolment.models import Enrolment
from tot.errors import DomainError
from tot.exports import download
from tot.extensions import db, limiter
from tot.forms import report_error
from tot.pages import done, found, refused
from tot.permissions import Role, public, roles, signed_in
from tot.sessions.access import can_manage
from tot.sessions.models import TrainingSession

bp = Blueprint("certificates", __name__)

# Verifying is open to everyone: a limit per address keeps codes from being guessed in bulk
# (they are far too long to guess anyway) and the pages from being scraped for names.
VERIFY_LIMIT = "30 per minute"


def _verify_limit() -> str:
    return current_app.config.get("CERTIFICATE_VERIFY_LIMIT") or VERIFY_LIMIT


verify_limit = limiter.shared_limit(_verify_limit, scope="certificate-verify")


def _roster_url(session_id: int) -> str:
    return url_for("enrolment.roster", session_id=session_id, _anchor="people-heading")


def _managed_or_403(session_id: int) -> TrainingSession:
    session = db.get_or_404(TrainingSession, session_id)
    if not can_manage(current_user, session):
        abort(403)
    return session


# --- the PDF -------------------------------------------------------------------------------------


@bp.route("/certificates/<int:certificate_id>.pdf")
@signed_in
def pdf(certificate_id: int):
    """The holder, staff and the session's facilitators download it; for anyone else it is not
    there (404, whether or not it exists)."""
    certificate = services.load(certificate_id)
    if certificate is None or not services.may_download(current_user, certificate):
        abort(404)
    response = Response(certificate_pdf(certificate), mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="certificate-{certificate.id}.pdf"'
    )
    response.headers["Cache-Control"] = "private, no-store"  # it holds a person's name
    return response


# --- staff: by hand, revoking, everyone who earned one -------------------------------------------


@bp.post("/enrolments/<int:enrolment_id>/certificate")
@roles(Role.STAFF)
def issue(enrolment_id: int):
    """Issue a certificate by hand, from the roster's form; a missing reason is asked for again
    beside the field, on a page of its own."""
    enrolment = db.get_or_404(Enrolment, enrolment_id)
    session_id = enrolment.session_id
    refusal = services.issue_refusal(current_user, enrolment, services.certificate_for(enrolment))
    if refusal is not None:
        return refused(DomainError(refusal), _roster_url(session_id))
    form = IssueForm()
    if form.validate_on_submit():
        name = enrolment.user.full_name
        try:
            services.issue_by_hand(current_user, enrolment, form.reason.data)
        except DomainError as error:
            db.session.rollback()
            report_error(form, error)
        else:
            message = _("A certificate is issued to %(name)s, who is told.", name=name)
            return done(message, _roster_url(session_id))
    page = render_template(
        "certificates/issue.html",
        form=form,
        enrolment=enrolment,
        training_session=enrolment.session,
        standing=services.standing_of(enrolment),
        threshold=services.min_attendance(),
    )
    return page, 400


@bp.post("/certificates/<int:certificate_id>/revoke")
@roles(Role.STAFF)
def revoke(certificate_id: int):
    """Revoke a certificate, from the roster's form; a missing reason is asked for again beside
    the field, on a page of its own."""
    certificate = found(services.load(certificate_id))
    session_id = certificate.session_id
    refusal = services.revoke_refusal(current_user, certificate)
    if refusal is not None:
        return refused(DomainError(refusal), _roster_url(session_id))
    form = RevokeForm()
    if form.validate_on_submit():
        name = certificate.holder_name
        try:
            services.revoke(current_user, certificate, form.reason.data)
        except DomainError as error:
            db.session.rollback()
            report_error(form, error)
        else:
            message = _("The certificate of %(name)s is revoked; they are told why.", name=name)
            return done(message, _roster_url(session_id))
    page = render_template(
        "certificates/revoke.html",
        form=form,
        certificate=certificate,
        training_session=certificate.session,
    )
    return page, 400


@bp.post("/sessions/<int:session_id>/certificates/issue-earned")
@roles(Role.STAFF)
def issue_earned(session_id: int):
    """Everyone who has earned a certificate since the session was completed (a programme
    finished later) gets theirs; those who have one keep it."""
    session = db.get_or_404(TrainingSession, session_id)
    try:
        issued = services.issue_earned(session)
    except DomainError as error:
        return refused(error, _roster_url(session_id))
    if issued:
        message = ngettext(
            "%(num)d certificate is issued.", "%(num)d certificates are issued.", len(issued)
        )
    else:
        message = _("Nobody else has earned a certificate yet.")
    return done(message, _roster_url(session_id))


@bp.route("/sessions/<int:session_id>/certificates.<any(csv, xlsx):file_format>")
@roles(Role.STAFF, Role.FACILITATOR)
def export(session_id: int, file_format: str):
    session = _managed_or_403(session_id)
    rows = certificate_rows(session, services.certificates_in(session))
    return download(rows, name=f"certificates-{session.id}", file_format=file_format)


# --- verifying, for everyone ---------------------------------------------------------------------


@bp.route("/verify")
@public
@verify_limit
def verify():
    """A form to type a code in; a code that has the shape of one goes to its page."""
    form = VerifyForm(request.args)
    if "code" not in request.args:
        return render_template("certificates/verify.html", form=VerifyForm(formdata=None))
    if form.validate():
        code = services.normalise_code(form.code.data)
        if services.is_well_formed(code):
            return redirect(url_for("certificates.verify_code", code=code))
        form.code.errors = [
            _("This is not a verification code: it has 32 letters, digits, - and _.")
        ]
    return render_template("certificates/verify.html", form=form), 400


@bp.route("/verify/<code>")
@public
@verify_limit
def verify_code(code: str):
    """Valid or revoked (and when), with the holder's name, the programme and the session's
    dates; nothing else about the person. An unknown code says so, as a 404."""
    certificate: Certificate | None = services.find_by_code(code)
    if certificate is None:
        form = VerifyForm(formdata=None)
        return render_template("certificates/unknown.html", form=form), 404
    return render_template(
        "certificates/verified.html",
        certificate=certificate,
        training_session=certificate.session,
    )
