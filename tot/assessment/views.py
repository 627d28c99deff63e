"""Pre/post self-assessment and its aggregate report.

Staff write the statements of a programme; a participant rates them once before and once after
the programme; staff read the change only in aggregate. No page shows one person's ratings.
"""

from decimal import Decimal

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user

from tot.assessment import services
from tot.assessment.forms import ReportFilterForm, StatementForm, rating_form
from tot.assessment.models import AssessmentStatement, Phase
from tot.curriculum.models import Programme
from tot.errors import DomainError
from tot.extensions import db
from tot.forms import report_error
from tot.pages import done, found, refused
from tot.permissions import Role, roles
from tot.regions.models import Region
from tot.regions.services import all_regions

bp = Blueprint("assessment", __name__)

STATEMENTS = "/manage/programmes/<int:programme_id>/statements"
STATEMENT = STATEMENTS + "/<int:statement_id>"


def _statements_url(programme_id: int) -> str:
    return url_for("assessment.statements", programme_id=programme_id)


def _statement_or_404(programme_id: int, statement_id: int) -> AssessmentStatement:
    programme = found(services.get_programme(programme_id))
    return found(services.find_statement(programme, statement_id))


# --- statements (staff) --------------------------------------------------------------------------


@bp.route(STATEMENTS, methods=["GET", "POST"])
@roles(Role.STAFF)
def statements(programme_id: int):
    programme = found(services.get_programme(programme_id))
    form = StatementForm()
    if form.validate_on_submit():
        try:
            services.add_statement(programme, form.text.data)
        except DomainError as error:
            db.session.rollback()
            report_error(form, error)
        else:
            return done(_("The statement is added."), _statements_url(programme.id))
    listed = services.statements_of(programme)
    return render_template(
        "assessment/statements.html",
        programme=programme,
        statements=listed,
        rated=services.rating_counts(statement.id for statement in listed),
        form=form,
    ), (400 if request.method == "POST" else 200)


@bp.route(STATEMENT + "/edit", methods=["GET", "POST"])
@roles(Role.STAFF)
def edit_statement(programme_id: int, statement_id: int):
    statement = _statement_or_404(programme_id, statement_id)
    form = StatementForm(obj=statement)
    if form.validate_on_submit():
        try:
            services.update_statement(statement, form.text.data)
        except DomainError as error:
            db.session.rollback()
            report_error(form, error)
        else:
            return done(_("The statement is saved."), _statements_url(programme_id))
    return render_template(
        "assessment/statement_form.html",
        statement=statement,
        programme=statement.programme,
        rated=services.rating_counts([statement.id]).get(statement.id, 0),
        form=form,
    ), (400 if request.method == "POST" else 200)


@bp.post(STATEMENT + "/move")
@roles(Role.STAFF)
def move_statement(programme_id: int, statement_id: int):
    statement = _statement_or_404(programme_id, statement_id)
    try:
        services.move_statement(statement, request.form.get("direction", ""))
    except DomainError as error:
        return refused(error, _statements_url(programme_id))
    return done(_("The statement is moved."), _statements_url(programme_id))


@bp.post(STATEMENT + "/delete")
@roles(Role.STAFF)
def delete_statement(programme_id: int, statement_id: int):
    statement = _statement_or_404(programme_id, statement_id)
    try:
        services.delete_statement(statement)
    except DomainError as error:
        return refused(error, _statements_url(programme_id))
    return done(_("The statement is deleted."), _statements_url(programme_id))


# --- rating (participants) -----------------------------------------------------------------------


def _rating_context(programme_id: int, phase_value: str) -> tuple[Programme, Phase]:
    phase = services.parse_phase(phase_value)
    programme = services.get_programme(programme_id)
    if phase is None or programme is None or not programme.is_published:
        abort(404)
    return programme, phase


@bp.route("/programmes/<int:programme_id>/self-assessment/<phase>", methods=["GET", "POST"])
@roles(Role.PARTICIPANT)
def rate(programme_id: int, phase: str):
    programme, phase = _rating_context(programme_id, phase)
    here = url_for("assessment.rate", programme_id=programme.id, phase=phase.value)
    page = {"programme": programme, "phase": phase}

    submitted = services.submission_of(current_user, programme, phase)
    if submitted is not None:
        if request.method == "POST":
            flash(_("You have already submitted this self-assessment."), "error")
            return redirect(here)
        return render_template("assessment/rate.html", submitted=submitted, **page)

    refusal = services.rating_refusal(current_user, programme, phase)
    if refusal:
        return render_template("assessment/rate.html", refusal=refusal, **page), 403

    statements = services.statements_of(programme)
    if not statements:
        status = 400 if request.method == "POST" else 200
        return render_template("assessment/rate.html", form=None, **page), status

    if request.method == "GET":
        return render_template(
            "assessment/rate.html", form=rating_form(statements, formdata=None), **page
        )
    form = rating_form(statements)
    if form.validate_on_submit():
        try:
            services.submit_assessment(
                current_user, programme, phase, services.parse_ratings(request.form)
            )
        except DomainError as error:
            db.session.rollback()
            report_error(form, error)
        else:
            return done(_("Your self-assessment is submitted."), here)
    return render_template("assessment/rate.html", form=form, **page), 400


# --- the report (staff) --------------------------------------------------------------------------


def format_average(value: Decimal) -> str:
    return format_decimal(value, format="0.0")


def format_change(value: Decimal) -> str:
    """One decimal with its sign: +1.3, -0.5, +0.0 (in the reader's locale)."""
    return format_decimal(value, format="+0.0;-0.0")


@bp.route("/reports/self-assessment")
@roles(Role.STAFF)
def report():
    form = ReportFilterForm(formdata=request.args)
    form.set_choices(services.programmes_with_statements(), all_regions())
    min_pairs = current_app.config.get("ASSESSMENT_MIN_PAIRS", services.DEFAULT_MIN_PAIRS)
    report = None
    if form.validate():
        programme = region = None
        if form.programme.data is not None:
            programme = db.session.get(Programme, form.programme.data)
        if form.region.data is not None:
            region = db.session.get(Region, form.region.data)
        report = services.self_assessment_report(programme, region, min_pairs=min_pairs)
    return render_template(
        "assessment/report.html",
        form=form,
        report=report,
        min_pairs=min_pairs,
        format_average=format_average,
        format_change=format_change,
    ), (200 if report is not None else 400)
