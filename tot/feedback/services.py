"""Rules of feedback: reusable forms, a survey per session, anonymous answers and their results.

Anonymity is a safety matter here, and it must hold against someone who can read the database
(a copy, a backup, its administrator), not only against the pages. The design:

1. Apart. A participant's answers are one answer sheet that names nobody (no person, all answers
   in the row); a separate `FeedbackReceipt` says that they have answered, so that nobody answers
   twice. The receipt is written and committed alone, in a transaction of its own; the sheet is
   written by the next transaction, which writes no receipt. (On PostgreSQL every row carries the
   id of the transaction that wrote it, `xmin`: had both rows one transaction, a join on it would
   name the author of every answer.)
2. Waiting. A sheet does not enter the results at once: it waits in `feedback_pending_sheets`
   (no date, no person) with the survey's other sheets not yet released. Each new sheet rewrites
   them all, in a new random order, so the waiting rows share the xmin of the latest sheet's
   transaction and their place in the table follows the shuffle, not the order of answering.
3. Batches. Once at least `minimum_responses()` (TOT_FEEDBACK_MIN_RESPONSES) sheets wait, the
   transaction that seals the last of them deletes them all and writes them into
   `feedback_responses` as new rows: new random ids, the day of release and nothing finer,
   inserted in shuffled order (PostgreSQL's physical order, ctid, follows the shuffle). All rows
   of a batch share one xmin, of a transaction that wrote no receipt, and one day.
4. Steps. Results, counts and exports read released sheets only, so they change only by a whole
   batch of at least the minimum: the difference between two views never holds fewer people's
   answers than that. Results appear with the first batch.
5. Closing. Sheets still waiting when the survey closes are never shown nor counted: releasing a
   smaller remainder would change the results by fewer than the minimum, and whoever knew who
   answered last would read their answers off the difference. They stay waiting (a later last
   day and more answers could still complete their batch). The pages say so in plain words.
6. Nothing that links a sheet to a receipt is returned, flashed or logged; a sheet's id is never
   shown.

What this cannot prevent: waiting sheets are stored readable. Someone reading the database while
sheets wait sees them and the receipts of those who answered since the last batch: the waiting
sheets are theirs as a group, and one person's when a single sheet waits; two copies taken while
sheets wait (two backups, say) show which sheet and which receipt came between them. A batch is
likewise the answers of the people who answered between two releases, a group of at least the
minimum; if all of them gave the same answer, that answer is known, as in any aggregate.
PostgreSQL keeps deleted rows until VACUUM and every change in its write-ahead log: whoever can
read its data files, WAL archives or physical backups can replay the transactions. Guard backups
and those files as the database superuser's access is guarded.

The rules live in modules beside this one, and this module is their public face (import from
here):

    authoring.py   reusable forms and their questions
    surveys.py     a session's survey: its form, when it opens, until which day, its state
    answering.py   who attended and who answered; checking answers
    batches.py     the waiting sheets, and their release in shuffled batches
    results.py     aggregated answers and the minimum number of responses

Kept here are the steps that join those parts: whether a person may answer now, keeping an answer
sheet apart from its receipt, and the panel on a session's page. (`answer_refusal` looks up
`has_answered` in this module, which a test replaces to reach the unique receipt.)

Plain functions on the objects they act on: they flush, never commit (the view commits once), and
refuse bad input with a DomainError naming the form field the message belongs beside. The one
exception is `submit_answers`, which commits twice: the separate transactions are the rule.
"""

from datetime import UTC, datetime

from flask_babel import gettext as _
from sqlalchemy import delete, exists, select
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
from tot.feedback.batches import seal
from tot.feedback.models import FeedbackQuestion, FeedbackReceipt, SessionSurvey
from tot.feedback.results import QuestionResult, Results, minimum_responses, results
from tot.feedback.surveys import (
    DEFAULT_OPEN_DAYS,
    LATEST_CLOSE_DAYS,
    SurveyState,
    closing_instant,
    default_last_day,
    has_answers,
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
    "has_answers",
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
    """Keep a receipt that this person answered, then, in a transaction of its own, their answer
    sheet among those waiting for a batch (released at once when it completes one). Commits both.

    Returns nothing on purpose: the caller has no use for the answer sheet, and must not be able
    to show, log or store anything of it next to the person.
    """
    refusal = answer_refusal(user, session, survey, now)
    if refusal is not None:
        raise refusal
    assert survey is not None  # answer_refusal refuses a session without a survey
    answers = check_answers(list(survey.form.questions), raw)
    survey_id, minimum = survey.id, minimum_responses()
    _keep_receipt(survey_id, user.id)
    try:
        seal(survey_id, answers, minimum=minimum, today=now.astimezone(UTC).date())
        db.session.commit()
    except Exception:
        db.session.rollback()
        _withdraw_receipt(survey_id, user.id)  # so that they can send their answers again
        raise


def _keep_receipt(survey_id: int, user_id: int) -> None:
    """The receipt, committed in a transaction that writes nothing of the answers."""
    db.session.add(FeedbackReceipt(survey_id=survey_id, user_id=user_id))
    try:
        db.session.commit()  # the unique receipt: a second tab sending the same form stops here
    except IntegrityError:
        db.session.rollback()
        raise AnswerRefused(_("You have already answered: thank you."), Refusal.ANSWERED) from None


def _withdraw_receipt(survey_id: int, user_id: int) -> None:
    db.session.execute(
        delete(FeedbackReceipt).where(
            FeedbackReceipt.survey_id == survey_id, FeedbackReceipt.user_id == user_id
        )
    )
    db.session.commit()
