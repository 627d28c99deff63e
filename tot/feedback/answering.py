"""Answering a survey: who has attended and answered, and which answers are kept.

Anonymity is a safety matter here. A participant's answers are kept as one answer sheet that
names nobody, and a separate `FeedbackReceipt` says that they have answered. The rule that decides
whether someone may answer now, and the keeping of the receipt and the sheet in separate
transactions (the sheet released into the results only in shuffled batches), are
`answer_refusal` and `submit_answers` in `tot.feedback.services`, whose docstring states the
design; this module gives them their parts.
"""

from enum import StrEnum

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import exists, select

from tot.accounts.models import User
from tot.enrolment.models import Attendance, AttendanceStatus, Enrolment, EnrolmentStatus
from tot.errors import DomainError
from tot.extensions import db
from tot.feedback.models import FeedbackQuestion, FeedbackReceipt, QuestionKind, SessionSurvey
from tot.sessions.models import TrainingSession

ANSWER_MAX = 4000
RATINGS = (1, 2, 3, 4, 5)


class Refusal(StrEnum):
    NO_SURVEY = "no_survey"
    NOT_ATTENDED = "not_attended"
    ANSWERED = "answered"
    NOT_OPEN = "not_open"
    CLOSED = "closed"


class AnswerRefused(DomainError):
    """This person may not answer this survey now; `reason` says which rule said no."""

    def __init__(self, message: str, reason: Refusal):
        super().__init__(message)
        self.reason = reason


class AnswersInvalid(DomainError):
    """Some answers break the rules: `errors` maps a form field's name to its message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(_("Please correct the answers marked below."))
        self.errors = errors


def answer_field(question: FeedbackQuestion) -> str:
    """The name of a question's field in the answer form."""
    return f"q-{question.id}"


def attended(user: User, session_id):
    """A condition: the person held a confirmed seat in the session (an id, or a column) and was
    present on at least one day."""
    return (
        exists()
        .where(Attendance.enrolment_id == Enrolment.id)
        .where(
            Enrolment.session_id == session_id,
            Enrolment.user_id == user.id,
            Enrolment.status == EnrolmentStatus.CONFIRMED,
            Attendance.status == AttendanceStatus.PRESENT,
        )
    )


def has_attended(user: User, session: TrainingSession) -> bool:
    """A confirmed participant of the session who was present on at least one day."""
    return bool(db.session.scalar(select(attended(user, session.id))))


def answered(user: User, survey_id):
    """A condition: the person has answered the survey (an id, or a column)."""
    return exists().where(
        FeedbackReceipt.survey_id == survey_id, FeedbackReceipt.user_id == user.id
    )


def has_answered(user: User, survey: SessionSurvey) -> bool:
    return bool(db.session.scalar(select(answered(user, survey.id))))


def as_rating(value) -> int | None:
    """A rating from 1 to 5 out of a form's input or a kept answer; None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.strip().isdigit() and len(value.strip()) == 1:
        number = int(value.strip())
    else:
        return None
    return number if number in RATINGS else None


def check_answers(questions: list[FeedbackQuestion], raw: dict) -> dict[str, int | str]:
    """The answers to keep, as {str(question id): value}; raw maps a question's id to its input.

    Ratings are whole numbers from 1 to 5, choices one of the options (kept as the option's text,
    so that a later rewording of the options does not change what was answered), texts at most
    ANSWER_MAX characters. Unanswered optional questions are left out.
    """
    answers: dict[str, int | str] = {}
    errors: dict[str, str] = {}
    for question in questions:
        value = raw.get(question.id)
        if isinstance(value, str):
            value = value.strip()
        if value is None or value == "":
            if question.required:
                errors[answer_field(question)] = (
                    _("Write an answer to this question.")
                    if question.kind is QuestionKind.TEXT
                    else _("Choose an answer to this question.")
                )
            continue
        if question.kind is QuestionKind.RATING:
            rating = as_rating(value)
            if rating is None:
                errors[answer_field(question)] = _("Choose a number from 1 to 5.")
            else:
                answers[str(question.id)] = rating
        elif question.kind is QuestionKind.CHOICE:
            if not isinstance(value, str) or value not in question.option_list:
                errors[answer_field(question)] = _("Choose one of the answers offered.")
            else:
                answers[str(question.id)] = value
        else:
            if not isinstance(value, str):
                errors[answer_field(question)] = _("Write an answer to this question.")
            elif len(value) > ANSWER_MAX:
                errors[answer_field(question)] = ngettext(
                    "An answer may have at most %(num)d character (this one has %(length)d).",
                    "An answer may have at most %(num)d characters (this one has %(length)d).",
                    ANSWER_MAX,
                    length=len(value),
                )
            else:
                answers[str(question.id)] = value
    if errors:
        raise AnswersInvalid(errors)
    return answers
