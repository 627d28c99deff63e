"""Rules of feedback: reusable forms, a survey per session, anonymous answers and their results.

Anonymity is a safety matter here. A participant's answers are written as one `FeedbackResponse`
that names nobody (a random id, the day only, all answers in the row), and a separate
`FeedbackReceipt` says that they have answered. Both are written in one transaction, and nothing
that links them is returned, flashed or logged. Results are shown only once enough people have
answered (`minimum_responses`); below that not even the exact number is told.

The rules live in modules beside this one, and this module is their public face (import from
here):

    authoring.py   reusable forms and their questions
    surveys.py     a session's survey: its form, when it opens, until which day, its state
    answering.py   who attended and who answered; checking answers
    results.py     aggregated answers and the minimum number of responses

Kept here are the steps that join those parts: whether a person may answer now, keeping an answer
sheet with its receipt, and the panel on a session's page. (`answer_refusal` looks up
`has_answered` in this module, which a test replaces to reach the unique receipt.)

Plain functions on the objects they act on: they flush, never commit (the view commits once), and
refuse bad input with a DomainError naming the form field the message belongs beside.
"""

from datetime import UTC, datetime

from flask_babel import gettext as _
from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager

from tot.accounts.models import User
from tot.extensions import db
from tot.feedback.answering import (
    ANSWER_MAX,
    RATINGS,
    AnswerRefused,
    AnswersInvalid,
    Refusal,
    answer_field,
    answered,
    attended,
    check_answers,
    has_answered,
    has_attended,
)
from tot.feedback.authoring import (
    LABEL_MAX,
    OPTION_MAX,
    OPTIONS_RANGE,
    QUESTION_MAX,
    TITLE_MAX,
    QuestionFields,
    add_question,
    all_forms,
    create_form,
    delete_question,
    find_question,
    form_list,
    is_answered,
    load_form,
    move_question,
    question_counts,
    session_counts,
    update_form,
    update_question,
)
from tot.feedback.models import FeedbackQuestion, FeedbackReceipt, FeedbackResponse, SessionSurvey
from tot.feedback.results import QuestionResult, Results, minimum_responses, results
from tot.feedback.surveys import (
    DEFAULT_OPEN_DAYS,
    LATEST_CLOSE_DAYS,
    SurveyState,
    closing_instant,
    default_last_day,
    last_day,
    last_day_text,
    open_at,
    open_now,
    overview,
    response_count,
    response_counts,
    set_survey,
    status_text,
    survey_of,
    survey_state,
)
from tot.permissions import Role
from tot.sessions.models import TrainingSession
from tot.sessions.templating import session_time

__all__ = [
    "ANSWER_MAX",
    "DEFAULT_OPEN_DAYS",
    "LABEL_MAX",
    "LATEST_CLOSE_DAYS",
    "OPTIONS_RANGE",
    "OPTION_MAX",
    "QUESTION_MAX",
    "RATINGS",
    "TITLE_MAX",
    "AnswerRefused",
    "AnswersInvalid",
    "QuestionFields",
    "QuestionResult",
    "Refusal",
    "Results",
    "SurveyState",
    "add_question",
    "all_forms",
    "answer_field",
    "answer_refusal",
    "check_answers",
    "closing_instant",
    "create_form",
    "default_last_day",
    "delete_question",
    "find_question",
    "form_list",
    "has_answered",
    "has_attended",
    "is_answered",
    "last_day",
    "last_day_text",
    "load_form",
    "minimum_responses",
    "move_question",
    "open_now",
    "overview",
    "question_counts",
    "response_count",
    "response_counts",
    "results",
    "session_counts",
    "set_survey",
    "status_text",
    "submit_answers",
    "survey_of",
    "survey_state",
    "update_form",
    "update_question",
]


def answer_refusal(
    user: User, session: TrainingSession, survey: SessionSurvey | None, now: datetime
) -> AnswerRefused | None:
    """Why this person cannot answer the session's survey now, or None when they may."""
    if user.role is not Role.PARTICIPANT or not has_attended(user, session):
        return AnswerRefused(
            _("Only participants who attended this session can give feedback on it."),
            Refusal.NOT_ATTENDED,
        )
    if survey is None or not survey.form.questions:
        return AnswerRefused(_("This session has no feedback form."), Refusal.NO_SURVEY)
    if has_answered(user, survey):
        return AnswerRefused(_("You have already answered: thank you."), Refusal.ANSWERED)
    state = survey_state(survey, now)
    if state is SurveyState.NOT_OPEN:
        return AnswerRefused(
            _(
                "Feedback for this session opens %(when)s.",
                when=session_time(survey.opens_at(), session),
            ),
            Refusal.NOT_OPEN,
        )
    if state is SurveyState.CLOSED:
        return AnswerRefused(
            _(
                "Feedback for this session closed at the end of %(day)s.",
                day=last_day_text(survey),
            ),
            Refusal.CLOSED,
        )
    return None


def surveys_waiting_for(user: User, now: datetime) -> list[SessionSurvey]:
    """The open surveys this person may answer now (what `answer_refusal` lets through), the one
    closing first first; with their sessions, in one statement."""
    if user.role is not Role.PARTICIPANT:
        return []
    return list(
        db.session.scalars(
            select(SessionSurvey)
            .join(SessionSurvey.session)
            .where(
                open_at(now),
                attended(user, SessionSurvey.session_id),
                ~answered(user, SessionSurvey.id),
                exists().where(FeedbackQuestion.form_id == SessionSurvey.form_id),
            )
            .order_by(SessionSurvey.closes_at, SessionSurvey.id)
            .options(contains_eager(SessionSurvey.session))
        )
    )


def submit_answers(
    user: User, session: TrainingSession, survey: SessionSurvey | None, raw: dict, now: datetime
) -> None:
    """Keep one anonymous answer sheet and, apart from it, a receipt that this person answered.

    Returns nothing on purpose: the caller has no use for the answer sheet's id, and must not be
    able to show, log or store it next to the person.
    """
    refusal = answer_refusal(user, session, survey, now)
    if refusal is not None:
        raise refusal
    assert survey is not None  # answer_refusal refuses a session without a survey
    answers = check_answers(list(survey.form.questions), raw)
    db.session.add(FeedbackReceipt(survey_id=survey.id, user_id=user.id))
    try:
        db.session.flush()  # the unique receipt: a second tab sending the same form stops here
    except IntegrityError:
        raise AnswerRefused(_("You have already answered: thank you."), Refusal.ANSWERED) from None
    db.session.add(
        FeedbackResponse(
            survey_id=survey.id, submitted_on=now.astimezone(UTC).date(), answers=answers
        )
    )
    db.session.flush()
