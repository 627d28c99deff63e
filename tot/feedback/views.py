"""Feedback forms, session surveys, anonymous answers and their results."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tot.db_types import utcnow
from tot.errors import DomainError
from tot.exports import download
from tot.extensions import db
from tot.feedback import services
from tot.feedback.export import results_rows
from tot.feedback.forms import (
    FormDetailsForm,
    MoveForm,
    QuestionForm,
    SessionSurveyForm,
    answer_form,
)
from tot.feedback.models import FeedbackForm, FeedbackQuestion
from tot.feedback.services import AnswerRefused, AnswersInvalid, Refusal
from tot.forms import report_error
from tot.pages import done, paginate, refused
from tot.permissions import Role, roles
from tot.sessions.access import can_manage
from tot.sessions.models import SessionStatus, TrainingSession

bp = Blueprint("feedback", __name__)

PER_PAGE = 50
MANAGERS = (Role.STAFF, Role.FACILITATOR)  # a facilitator only for their own sessions
FORMS = "/manage/feedback-forms"
QUESTION = FORMS + "/<int:form_id>/questions/<int:question_id>"
SESSION = "/sessions/<int:session_id>"


# --- helpers -------------------------------------------------------------------------------------


def _form_or_404(form_id: int) -> FeedbackForm:
    form = services.load_form(form_id)
    if form is None:
        abort(404)
    return form


def _question_or_404(form_id: int, question_id: int) -> FeedbackQuestion:
    question = services.find_question(_form_or_404(form_id), question_id)
    if question is None:
        abort(404)
    return question


def _managed_or_403(session_id: int) -> TrainingSession:
    """A session the signed-in person manages: staff, or one of its facilitators."""
    session = db.get_or_404(TrainingSession, session_id)
    if not can_manage(current_user, session):
        abort(403)
    return session


def _form_url(form_id: int, anchor: str | None = None) -> str:
    return url_for("feedback.show_form", form_id=form_id, _anchor=anchor)


# --- reusable forms (staff) ----------------------------------------------------------------------


@bp.route(FORMS)
@roles(Role.STAFF)
def forms():
    page = paginate(services.form_list(), PER_PAGE)
    ids = [form.id for form in page.items]
    return render_template(
        "feedback/forms.html",
        page=page,
        question_counts=services.question_counts(ids),
        session_counts=services.session_counts(ids),
    )


@bp.route(FORMS + "/new", methods=["GET", "POST"])
@roles(Role.STAFF)
def new_form():
    form = FormDetailsForm()
    if form.validate_on_submit():
        try:
            created = services.create_form(
                title=form.title.data, intro=form.intro.data, author=current_user
            )
        except DomainError as error:
            db.session.rollback()
            report_error(form, error)
        else:
            message = _("“%(title)s” is created: now add its questions.", title=created.title)
            return done(message, _form_url(created.id))
    return render_template("feedback/form_edit.html", form=form, feedback_form=None)


def _render_form(feedback_form: FeedbackForm, question_form: QuestionForm):
    return render_template(
        "feedback/form.html",
        feedback_form=feedback_form,
        question_form=question_form,
        answered=services.is_answered(feedback_form),
    )


@bp.route(FORMS + "/<int:form_id>")
@roles(Role.STAFF)
def show_form(form_id: int):
    return _render_form(_form_or_404(form_id), QuestionForm(formdata=None))


@bp.route(FORMS + "/<int:form_id>/edit", methods=["GET", "POST"])
@roles(Role.STAFF)
def edit_form(form_id: int):
    feedback_form = _form_or_404(form_id)
    form = FormDetailsForm(obj=feedback_form)
    if form.validate_on_submit():
        try:
            services.update_form(feedback_form, title=form.title.data, intro=form.intro.data)
        except DomainError as error:
            db.session.rollback()
            report_error(form, error)
        else:
            return done(_("“%(title)s” is saved.", title=feedback_form.title), _form_url(form_id))
    return render_template("feedback/form_edit.html", form=form, feedback_form=feedback_form)


@bp.post(FORMS + "/<int:form_id>/questions")
@roles(Role.STAFF)
def add_question(form_id: int):
    feedback_form = _form_or_404(form_id)
    form = QuestionForm()
    if form.validate_on_submit():
        try:
            question = services.add_question(feedback_form, form.question_fields())
        except DomainError as error:
            db.session.rollback()
            report_error(form, error)
        else:
            anchor = f"question-{question.id}"
            return done(_("The question is added."), _form_url(form_id, anchor))
    return _render_form(feedback_form, form)


@bp.route(QUESTION + "/edit", methods=["GET", "POST"])
@roles(Role.STAFF)
def edit_question(form_id: int, question_id: int):
    question = _question_or_404(form_id, question_id)
    form = QuestionForm(obj=question)
    if form.validate_on_submit():
        try:
            services.update_question(question, form.question_fields())
        except DomainError as error:
            db.session.rollback()
            report_error(form, error)
        else:
            anchor = f"question-{question_id}"
            return done(_("The question is saved."), _form_url(form_id, anchor))
    return render_template(
        "feedback/question_edit.html",
        form=form,
        question=question,
        answered=services.is_answered(question.form),
    )


@bp.post(QUESTION + "/move")
@roles(Role.STAFF)
def move_question(form_id: int, question_id: int):
    question = _question_or_404(form_id, question_id)
    form = MoveForm()
    if not form.validate_on_submit():
        flash(_("Choose to move the question up or down."), "error")
    elif services.move_question(question, form.direction.data):
        db.session.commit()
    return redirect(_form_url(form_id, f"question-{question_id}"))


@bp.post(QUESTION + "/delete")
@roles(Role.STAFF)
def delete_question(form_id: int, question_id: int):
    question = _question_or_404(form_id, question_id)
    try:
        services.delete_question(question)
    except DomainError as error:
        return refused(error, _form_url(form_id, f"question-{question_id}"))
    return done(_("The question is deleted."), _form_url(form_id, "questions"))


# --- across sessions (staff) ---------------------------------------------------------------------


@bp.route("/manage/feedback")
@roles(Role.STAFF)
def overview():
    page = paginate(services.overview(), PER_PAGE)
    return render_template(
        "feedback/overview.html",
        page=page,
        counts=services.response_counts(survey.id for survey in page.items),
        minimum=services.minimum_responses(),
        now=utcnow(),
        status_text=services.status_text,
    )


# --- a session's survey (staff and the session's facilitators) ----------------------------------


@bp.route(SESSION + "/survey", methods=["GET", "POST"])
@roles(*MANAGERS)
def session_survey(session_id: int):
    session = _managed_or_403(session_id)
    survey = services.survey_of(session)
    feedback_forms = services.all_forms()
    form = SessionSurveyForm(
        form_id=survey.form_id if survey else None,
        last_day=services.last_day(survey) if survey else services.default_last_day(session),
    )
    form.set_forms(feedback_forms, _("Choose a form"))
    if form.validate_on_submit():
        chosen = next((f for f in feedback_forms if f.id == form.form_id.data), None)
        try:
            services.set_survey(session, form=chosen, last_day=form.last_day.data)
        except DomainError as error:
            db.session.rollback()
            report_error(form, error)
        else:
            message = _("Feedback for “%(title)s” is set up.", title=session.title)
            return done(message, url_for("feedback.session_survey", session_id=session_id))
    now = utcnow()
    return render_template(
        "feedback/session_survey.html",
        training_session=session,
        survey=survey,
        form=form,
        state=services.survey_state(survey, now) if survey else None,
        status=services.status_text(survey, now) if survey else "",
        count=services.response_count(survey) if survey else 0,
        answered=services.has_answers(survey) if survey else False,
        minimum=services.minimum_responses(),
    )


@bp.post(SESSION + "/survey/open")
@roles(*MANAGERS)
def open_survey(session_id: int):
    session = _managed_or_403(session_id)
    back = url_for("feedback.session_survey", session_id=session_id)
    survey = services.survey_of(session)
    if survey is None:
        flash(_("Choose a feedback form first."), "error")
        return redirect(back)
    try:
        services.open_now(survey, utcnow())
    except DomainError as error:
        return refused(error, back)
    return done(_("Feedback is open: participants who attended can answer now."), back)


# --- answering (participants) --------------------------------------------------------------------


def _refusal_page(session: TrainingSession, refusal: AnswerRefused):
    """A page that says why; 403 for a refused POST, and for a session one did not attend."""
    if request.method == "POST" or refusal.reason is Refusal.NOT_ATTENDED:
        status = 403
    elif refusal.reason is Refusal.NO_SURVEY:
        status = 404
    else:  # already answered, not open yet, closed: plain information
        status = 200
    return (
        render_template("feedback/refused.html", training_session=session, refusal=refusal),
        status,
    )


@bp.route(SESSION + "/feedback", methods=["GET", "POST"])
@roles(Role.PARTICIPANT)
def answer(session_id: int):
    session = db.get_or_404(TrainingSession, session_id)
    if session.status is SessionStatus.DRAFT:  # not shown to participants at all
        abort(404)
    survey = services.survey_of(session)
    now = utcnow()
    refusal = services.answer_refusal(current_user, session, survey, now)
    if refusal is not None:
        return _refusal_page(session, refusal)
    assert survey is not None  # answer_refusal refuses a session without a survey
    questions = list(survey.form.questions)
    form = answer_form(questions)
    if form.validate_on_submit():
        try:
            services.submit_answers(current_user, session, survey, form.raw_answers(), now)
        except AnswerRefused as error:
            db.session.rollback()
            return _refusal_page(session, error)
        except AnswersInvalid as error:
            db.session.rollback()
            for name, message in error.errors.items():
                report_error(form, DomainError(message, field=name))
        else:  # submit_answers has committed: the receipt and the sheet, each on its own
            flash(_("Thank you: your answers are saved, without your name."), "success")
            return redirect(url_for("feedback.answer", session_id=session_id))
    return render_template(
        "feedback/answer.html",
        training_session=session,
        survey=survey,
        questions=questions,
        form=form,
        minimum=services.minimum_responses(),
        last_day=services.last_day_text(survey),
    )


# --- results (the session's facilitators and staff) ---------------------------------------------


@bp.route(SESSION + "/feedback/results")
@roles(*MANAGERS)
def results(session_id: int):
    session = _managed_or_403(session_id)
    survey = services.survey_of(session)
    outcome = services.results(survey) if survey else None
    now = utcnow()
    return render_template(
        "feedback/results.html",
        training_session=session,
        survey=survey,
        results=outcome,
        status=services.status_text(survey, now) if survey else "",
        may_export=current_user.is_staff,
    )


@bp.route(SESSION + "/feedback/results.<any(csv, xlsx):file_format>")
@roles(Role.STAFF)
def results_file(session_id: int, file_format: str):
    session = db.get_or_404(TrainingSession, session_id)
    survey = services.survey_of(session)
    if survey is None:
        abort(404)
    outcome = services.results(survey)
    if not outcome.shown:
        # Refused, and said why: a file with the few answers would identify the people.
        page = render_template(
            "feedback/export_refused.html", training_session=session, results=outcome
        )
        return page, 403
    rows = results_rows(session, survey, outcome)
    return download(rows, name=f"feedback-session-{session.id}", file_format=file_format)
