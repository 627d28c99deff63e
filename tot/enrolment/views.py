"""Applying, approving, waiting lists, rosters, attendance and bulk enrolment."""

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from tot.accounts.models import AgeGroup, Gender
from tot.accounts.services import set_password_token
from tot.db_types import utcnow
from tot.enrolment import attendance as attendance_rules
from tot.enrolment import bulk as bulk_enrolment
from tot.enrolment import queries, services
from tot.enrolment import roster as rosters
from tot.enrolment.bulk_files import COLUMN_LABELS
from tot.enrolment.forms import (
    ATTENDANCE_CHOICES,
    BACK_TO,
    AttendanceForm,
    BulkConfirmForm,
    BulkUploadForm,
    RejectForm,
    RosterFilterForm,
    cell_name,
    parse_marks,
)
from tot.enrolment.models import Enrolment, EnrolmentStatus
from tot.errors import DomainError
from tot.exports import download
from tot.extensions import db
from tot.forms import report_error
from tot.pages import paginate
from tot.permissions import Role, may_access, roles
from tot.sessions.access import can_manage
from tot.sessions.models import TrainingSession

bp = Blueprint("enrolment", __name__)

MANAGERS = (Role.STAFF, Role.FACILITATOR)  # and administrators, who may do all staff can
PER_PAGE = 25


def _managed_or_403(session_id: int) -> TrainingSession:
    session = db.get_or_404(TrainingSession, session_id)
    if not can_manage(current_user, session):
        abort(403)
    return session


def _decidable_or_403(enrolment_id: int) -> Enrolment:
    enrolment = db.get_or_404(Enrolment, enrolment_id)
    if not services.may_decide(current_user, enrolment.session):
        abort(403)
    return enrolment


def _to_session(session: TrainingSession):
    return redirect(url_for("sessions.show", session_id=session.id))


# --- participants --------------------------------------------------------------------------------


def _outcome_message(enrolment: Enrolment) -> str:
    title = enrolment.session.title
    if enrolment.status is EnrolmentStatus.CONFIRMED:
        return _("Your seat in “%(title)s” is confirmed.", title=title)
    if enrolment.status is EnrolmentStatus.WAITLISTED:
        return _("“%(title)s” is full for now: you are on the waiting list.", title=title)
    return _("Your application to “%(title)s” is sent: the organisers will decide.", title=title)


@bp.route("/sessions/<int:session_id>/apply", methods=["POST"])
@roles(Role.PARTICIPANT)
def apply(session_id: int):
    session = db.get_or_404(TrainingSession, session_id)
    try:
        enrolment = services.apply(session, current_user)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return _to_session(session)
    message = _outcome_message(enrolment)
    db.session.commit()
    flash(message, "success")
    return _to_session(session)


@bp.route("/enrolments/<int:enrolment_id>/withdraw", methods=["POST"])
@roles(Role.PARTICIPANT)
def withdraw(enrolment_id: int):
    enrolment = db.get_or_404(Enrolment, enrolment_id)
    if enrolment.user_id != current_user.id:
        abort(404)  # someone else's enrolment is not there for you
    session = enrolment.session
    back = (
        redirect(url_for("enrolment.my_sessions"))
        if request.form.get("back") == "my_sessions"
        else _to_session(session)
    )
    try:
        services.withdraw(current_user, enrolment)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return back
    db.session.commit()
    flash(_("You have withdrawn from “%(title)s”.", title=session.title), "success")
    return back


@bp.route("/my/sessions")
@roles(Role.PARTICIPANT)
def my_sessions():
    now = utcnow()
    return render_template(
        "enrolment/my_sessions.html",
        enrolments=queries.my_enrolments(current_user, now),
        certificates=queries.certificates_by_session(current_user),
        now=now,
    )


# --- decisions -----------------------------------------------------------------------------------


@bp.route("/approvals")
@roles(*MANAGERS)
def approvals():
    page = paginate(queries.pending_applications(current_user), PER_PAGE)
    forms = {
        enrolment.id: RejectForm(formdata=None, back="approvals").for_enrolment(enrolment.id)
        for enrolment in page.items
    }
    return render_template("enrolment/approvals.html", page=page, forms=forms)


@bp.route("/enrolments/<int:enrolment_id>/approve", methods=["POST"])
@roles(*MANAGERS)
def approve(enrolment_id: int):
    enrolment = _decidable_or_403(enrolment_id)
    name = enrolment.user.full_name
    try:
        services.approve(current_user, enrolment)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("enrolment.approvals"))
    confirmed = enrolment.status is EnrolmentStatus.CONFIRMED
    db.session.commit()
    if confirmed:
        flash(_("%(name)s has a confirmed seat.", name=name), "success")
    else:
        flash(_("%(name)s is approved; no seat fits now: on the waiting list.", name=name), "info")
    return redirect(url_for("enrolment.approvals"))


def _after_reject(form: RejectForm, session: TrainingSession):
    if form.back.data == "roster":
        return redirect(url_for("enrolment.roster", session_id=session.id))
    return redirect(url_for("enrolment.approvals"))


@bp.route("/enrolments/<int:enrolment_id>/reject", methods=["GET", "POST"])
@roles(*MANAGERS)
def reject(enrolment_id: int):
    enrolment = _decidable_or_403(enrolment_id)
    back = request.args.get("back")
    form = RejectForm(back=back if back in BACK_TO else "approvals").for_enrolment(enrolment.id)
    if form.validate_on_submit():
        session, name = enrolment.session, enrolment.user.full_name
        try:
            services.reject(current_user, enrolment, form.reason.data)
        except DomainError as error:
            db.session.rollback()
            report_error(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s is not accepted, and is told why.", name=name), "success")
            return _after_reject(form, session)
    return render_template("enrolment/reject.html", form=form, enrolment=enrolment)


# --- roster --------------------------------------------------------------------------------------


def _roster_filter() -> tuple[RosterFilterForm, EnrolmentStatus | None]:
    form = RosterFilterForm(request.args)
    if not form.validate():
        return form, None
    return form, form.status.data or None


@bp.route("/sessions/<int:session_id>/roster")
@roles(*MANAGERS)
def roster(session_id: int):
    session = _managed_or_403(session_id)
    filter_form, status = _roster_filter()
    rows = rosters.roster(session, status)
    may_decide = services.may_decide(current_user, session)
    return render_template(
        "enrolment/roster.html",
        training_session=session,
        rows=rows,
        filter_form=filter_form,
        status=status,
        counts=queries.status_counts(session),
        mix=rosters.region_mix(session, utcnow()),
        certificates=rosters.roster_certificates(session, current_user),
        may_decide=may_decide,
        forms={
            row.enrolment.id: RejectForm(formdata=None, back="roster").for_enrolment(
                row.enrolment.id
            )
            for row in rows
            if may_decide and row.enrolment.status is EnrolmentStatus.CONFIRMED
        },
    )


@bp.route("/sessions/<int:session_id>/roster.<any(csv, xlsx):file_format>")
@roles(*MANAGERS)
def roster_file(session_id: int, file_format: str):
    session = _managed_or_403(session_id)
    _form, status = _roster_filter()
    rows = rosters.roster_rows(session, rosters.roster(session, status))
    return download(rows, name=f"roster-{session.id}", file_format=file_format)


# --- attendance ----------------------------------------------------------------------------------


@bp.route("/sessions/<int:session_id>/attendance", methods=["GET", "POST"])
@roles(*MANAGERS)
def attendance(session_id: int):
    session = _managed_or_403(session_id)
    form = AttendanceForm()
    status = 200
    if form.validate_on_submit():
        posted = parse_marks(request.form)
        try:
            if posted is None:
                raise DomainError(_("Choose present, absent or excused for each day."))
            attendance_rules.record_attendance(current_user, session, posted)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
            status = 400
        else:
            db.session.commit()
            flash(_("Attendance is saved."), "success")
            return redirect(url_for("enrolment.attendance", session_id=session.id))
    enrolments, marks = rosters.attendance_grid(session)
    return (
        render_template(
            "enrolment/attendance.html",
            training_session=session,
            form=form,
            enrolments=enrolments,
            marks=marks,
            summaries=rosters.attendance_summaries(session),
            choices=ATTENDANCE_CHOICES,
            cell_name=cell_name,
        ),
        status,
    )


# --- bulk enrolment ------------------------------------------------------------------------------


def _bulk_page(session: TrainingSession, form: BulkUploadForm, status: int = 200):
    refusal = services.staff_enrolment_refusal(session, utcnow())
    page = render_template(
        "enrolment/bulk.html",
        training_session=session,
        form=form,
        refusal=refusal,
        columns=COLUMN_LABELS.values(),
        genders=list(Gender),
        age_groups=list(AgeGroup),
    )
    return page, status


@bp.route("/sessions/<int:session_id>/bulk", methods=["GET", "POST"])
@roles(Role.STAFF)
def bulk(session_id: int):
    session = db.get_or_404(TrainingSession, session_id)
    form = BulkUploadForm()
    if services.staff_enrolment_refusal(session, utcnow()) is None and form.validate_on_submit():
        upload = form.file.data
        try:
            raw_rows = bulk_enrolment.read_upload(upload.filename or "", upload.read())
        except bulk_enrolment.BulkFileError as error:
            form.file.errors = [*form.file.errors, error.message]
        else:
            rows = bulk_enrolment.preview(session, raw_rows)
            confirm = BulkConfirmForm(
                formdata=None, rows=bulk_enrolment.sign_rows(session, raw_rows)
            )
            return render_template(
                "enrolment/bulk_preview.html",
                training_session=session,
                rows=rows,
                confirm=confirm,
                to_enrol=sum(1 for row in rows if row.outcome.value in ("new", "existing")),
                seats_left=queries.seats_left(session),
            )
    return _bulk_page(session, form, 200 if not form.errors else 400)


@bp.route("/sessions/<int:session_id>/bulk/confirm", methods=["POST"])
@roles(Role.STAFF)
def bulk_confirm(session_id: int):
    session = db.get_or_404(TrainingSession, session_id)
    form = BulkConfirmForm()
    raw_rows = None
    if form.validate_on_submit():
        raw_rows = bulk_enrolment.unsign_rows(session, form.rows.data)
    if raw_rows is None:
        flash(_("This list has expired or was altered: upload the file again."), "error")
        return redirect(url_for("enrolment.bulk", session_id=session.id))
    try:
        results = bulk_enrolment.bulk_enrol(
            current_user, session, bulk_enrolment.preview(session, raw_rows)
        )
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("enrolment.bulk", session_id=session.id))
    # Everything the page shows is read now: the links need the new accounts' ids, and after
    # the commit every object would be loaded again, one query each.
    outcome = [
        {
            "line": result.line,
            "name": result.name,
            "email": result.email,
            "status": result.enrolment.status if result.enrolment else None,
            "unchanged": result.unchanged,
            "error": result.error,
            "link": url_for(
                "accounts.set_password",
                token=set_password_token(result.new_account),
                _external=True,
            )
            if result.new_account is not None
            else None,
        }
        for result in results
    ]
    db.session.commit()
    response = make_response(
        render_template("enrolment/bulk_result.html", training_session=session, results=outcome)
    )
    response.headers["Cache-Control"] = "no-store"  # the page holds one-time links
    return response


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error):
    """A file over the upload limit: say so beside the file field, not on a bare error page."""
    if request.endpoint != "enrolment.bulk" or not may_access(current_user, request.endpoint):
        return error
    session = db.session.get(TrainingSession, (request.view_args or {}).get("session_id", 0))
    if session is None:
        return error
    form = BulkUploadForm(formdata=None)
    form.file.errors = [_("The file is larger than 4 MB: split it into smaller files.")]
    return _bulk_page(session, form, 413)
