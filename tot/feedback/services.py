"""Rules of feedback: reusable forms, a survey per session, anonymous answers and their results.

Anonymity is a safety matter here. A participant's answers are written as one `FeedbackResponse`
that names nobody (a random id, the day only, all answers in the row), and a separate
`FeedbackReceipt` says that they have answered. Both are written in one transaction, and nothing
that links them is returned, flashed or logged. Results are shown only once enough people have
answered (`minimum_responses`); below that not even the exact number is told.

Plain functions on the objects they act on: they flush, never commit (the view commits once), and
refuse bad input with a DomainError naming the form field the message belongs beside.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from babel.dates import format_skeleton
from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import Select, exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from tot.accounts.models import User
from tot.db_types import utcnow
from tot.enrolment.models import Attendance, AttendanceStatus, Enrolment, EnrolmentStatus
from tot.errors import DomainError
from tot.extensions import db
from tot.feedback.models import (
    FeedbackForm,
    FeedbackQuestion,
    FeedbackReceipt,
    FeedbackResponse,
    QuestionKind,
    SessionSurvey,
)
from tot.permissions import Role
from tot.sessions.models import SessionStatus, TrainingSession
from tot.sessions.services import can_manage
from tot.sessions.templating import session_time, zone_name

TITLE_MAX = 200
QUESTION_MAX = 1000
LABEL_MAX = 80  # the columns' length
OPTIONS_RANGE = (2, 10)
OPTION_MAX = 200
ANSWER_MAX = 4000
RATINGS = (1, 2, 3, 4, 5)
DEFAULT_OPEN_DAYS = 14  # after the session's last day, unless chosen otherwise
LATEST_CLOSE_DAYS = 365


def minimum_responses() -> int:
    """How many answer sheets a survey needs before anyone sees its results."""
    return max(1, int(current_app.config.get("FEEDBACK_MIN_RESPONSES", 3)))


# --- reusable forms ------------------------------------------------------------------------------


def form_list() -> Select:
    """All feedback forms by title (a statement, for the view to paginate)."""
    return select(FeedbackForm).order_by(func.lower(FeedbackForm.title), FeedbackForm.id)


def all_forms() -> list[FeedbackForm]:
    return list(db.session.scalars(form_list()))


def question_counts(form_ids) -> dict[int, int]:
    form_ids = list(form_ids)
    if not form_ids:
        return {}
    rows = db.session.execute(
        select(FeedbackQuestion.form_id, func.count())
        .where(FeedbackQuestion.form_id.in_(form_ids))
        .group_by(FeedbackQuestion.form_id)
    )
    return dict(rows.all())


def session_counts(form_ids) -> dict[int, int]:
    """How many sessions each form is given to."""
    form_ids = list(form_ids)
    if not form_ids:
        return {}
    rows = db.session.execute(
        select(SessionSurvey.form_id, func.count())
        .where(SessionSurvey.form_id.in_(form_ids))
        .group_by(SessionSurvey.form_id)
    )
    return dict(rows.all())


def load_form(form_id: int) -> FeedbackForm | None:
    return db.session.scalar(
        select(FeedbackForm)
        .where(FeedbackForm.id == form_id)
        .options(selectinload(FeedbackForm.questions))
    )


def find_question(form: FeedbackForm, question_id: int) -> FeedbackQuestion | None:
    return next((q for q in form.questions if q.id == question_id), None)


def is_answered(form: FeedbackForm) -> bool:
    """Whether anyone has answered this form, in any session: its questions' meaning is fixed."""
    return bool(
        db.session.scalar(
            select(
                exists()
                .where(FeedbackResponse.survey_id == SessionSurvey.id)
                .where(SessionSurvey.form_id == form.id)
            )
        )
    )


def _clean_title(title: str | None) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise DomainError(_("Enter a title."), field="title")
    if len(title) > TITLE_MAX:
        raise DomainError(
            _("A title may have at most %(max)d characters.", max=TITLE_MAX), field="title"
        )
    return title


def create_form(*, title: str, intro: str = "", author: User | None = None) -> FeedbackForm:
    form = FeedbackForm(
        title=_clean_title(title),
        intro=(intro or "").strip(),
        created_by_id=author.id if author is not None else None,
    )
    db.session.add(form)
    db.session.flush()
    return form


def update_form(form: FeedbackForm, *, title: str, intro: str = "") -> None:
    form.title = _clean_title(title)
    form.intro = (intro or "").strip()
    db.session.flush()


@dataclass
class QuestionFields:
    text: str
    kind: QuestionKind | str | None
    required: bool = True
    options: str = ""
    low_label: str = ""
    high_label: str = ""


def _checked_question(fields: QuestionFields) -> dict:
    text = (fields.text or "").strip()
    if not text:
        raise DomainError(_("Enter the question."), field="text")
    if len(text) > QUESTION_MAX:
        raise DomainError(
            _("A question may have at most %(max)d characters.", max=QUESTION_MAX), field="text"
        )
    try:
        kind = QuestionKind(fields.kind)
    except ValueError:
        raise DomainError(_("Choose the kind of answer."), field="kind") from None
    values = {
        "text": text,
        "kind": kind,
        "required": bool(fields.required),
        "options": "",
        "low_label": "",
        "high_label": "",
    }
    if kind is QuestionKind.RATING:
        for name in ("low_label", "high_label"):
            label = " ".join((getattr(fields, name) or "").split())
            if len(label) > LABEL_MAX:
                raise DomainError(
                    _("A label may have at most %(max)d characters.", max=LABEL_MAX), field=name
                )
            values[name] = label
    elif kind is QuestionKind.CHOICE:
        values["options"] = "\n".join(_checked_options(fields.options))
    return values


def _checked_options(text: str | None) -> list[str]:
    options = [" ".join(line.split()) for line in (text or "").splitlines()]
    options = [option for option in options if option]
    low, high = OPTIONS_RANGE
    if not low <= len(options) <= high:
        raise DomainError(
            _("Give from %(min)d to %(max)d options, one a line.", min=low, max=high),
            field="options",
        )
    if any(len(option) > OPTION_MAX for option in options):
        raise DomainError(
            _("An option may have at most %(max)d characters.", max=OPTION_MAX), field="options"
        )
    if len({option.casefold() for option in options}) != len(options):
        raise DomainError(_("Each option must be different."), field="options")
    return options


def _renumber(questions: list[FeedbackQuestion]) -> None:
    for position, question in enumerate(questions):
        question.position = position


def add_question(form: FeedbackForm, fields: QuestionFields) -> FeedbackQuestion:
    """A new question at the end of the form (allowed also once the form has been answered)."""
    questions = list(form.questions)
    _renumber(questions)
    question = FeedbackQuestion(**_checked_question(fields), position=len(questions))
    form.questions.append(question)
    db.session.flush()
    return question


def update_question(question: FeedbackQuestion, fields: QuestionFields) -> None:
    """Reword a question. Once the form is answered its kind stays, so old answers keep meaning."""
    values = _checked_question(fields)
    if values["kind"] is not question.kind and is_answered(question.form):
        raise DomainError(
            _(
                "People have already answered this form, so the kind of answer cannot change. "
                "Add a new question instead."
            ),
            field="kind",
        )
    for name, value in values.items():
        setattr(question, name, value)
    db.session.flush()


def delete_question(question: FeedbackQuestion) -> None:
    form = question.form
    if is_answered(form):
        raise DomainError(
            _(
                "People have already answered this form, so its questions cannot be deleted: "
                "their answers would lose their meaning."
            )
        )
    form.questions.remove(question)  # delete-orphan removes the row
    _renumber(list(form.questions))
    db.session.flush()


def move_question(question: FeedbackQuestion, direction: str) -> bool:
    """Swap a question with its neighbour "up" or "down". False when it is already at that end."""
    if direction not in ("up", "down"):
        raise DomainError(_("Choose to move the question up or down."), field="direction")
    questions = list(question.form.questions)
    index = questions.index(question)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(questions):
        return False
    questions[index], questions[target] = questions[target], questions[index]
    _renumber(questions)
    db.session.flush()
    return True


# --- a survey for a session ----------------------------------------------------------------------


class SurveyState(StrEnum):
    NOT_OPEN = "not_open"
    OPEN = "open"
    CLOSED = "closed"


def survey_of(session: TrainingSession) -> SessionSurvey | None:
    """The session's survey, with its form and the form's questions."""
    return db.session.scalar(
        select(SessionSurvey)
        .where(SessionSurvey.session_id == session.id)
        .options(joinedload(SessionSurvey.form).selectinload(FeedbackForm.questions))
    )


def survey_state(survey: SessionSurvey, now: datetime) -> SurveyState:
    if survey.is_open(now):
        return SurveyState.OPEN
    return SurveyState.NOT_OPEN if now < survey.opens_at() else SurveyState.CLOSED


def response_count(survey: SessionSurvey) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(FeedbackResponse)
        .where(FeedbackResponse.survey_id == survey.id)
    )


def response_counts(survey_ids) -> dict[int, int]:
    survey_ids = list(survey_ids)
    if not survey_ids:
        return {}
    rows = db.session.execute(
        select(FeedbackResponse.survey_id, func.count())
        .where(FeedbackResponse.survey_id.in_(survey_ids))
        .group_by(FeedbackResponse.survey_id)
    )
    return dict(rows.all())


def closing_instant(session: TrainingSession, last_day: date) -> datetime:
    """The end of `last_day` on the session's clock: local midnight after it, in UTC."""
    return datetime.combine(last_day + timedelta(days=1), time(), tzinfo=session.zone).astimezone(
        UTC
    )


def last_day(survey: SessionSurvey) -> date:
    """The last local day on which the survey can be answered."""
    return (survey.closes_at.astimezone(survey.session.zone) - timedelta(microseconds=1)).date()


def last_day_text(survey: SessionSurvey) -> str:
    """ "Mon, Dec 7, 2026 (Bishkek time)": the last day to answer, on the session's clock."""
    day = format_skeleton("yMMMEd", last_day(survey), locale=get_locale() or "en")
    return _("%(day)s (%(zone)s)", day=day, zone=zone_name(survey.session))


def status_text(survey: SessionSurvey, now: datetime) -> str:
    """Whether people can answer now, and until when, in words."""
    state = survey_state(survey, now)
    if state is SurveyState.OPEN:
        return _("Open until the end of %(day)s", day=last_day_text(survey))
    if state is SurveyState.NOT_OPEN:
        return _(
            "Opens %(when)s, until the end of %(day)s",
            when=session_time(survey.opens_at(), survey.session),
            day=last_day_text(survey),
        )
    return _("Closed at the end of %(day)s", day=last_day_text(survey))


def default_last_day(session: TrainingSession) -> date:
    return session.local_end.date() + timedelta(days=DEFAULT_OPEN_DAYS)


def _check_last_day(session: TrainingSession, day: date | None) -> None:
    session_last = session.local_end.date()
    if day is None:
        raise DomainError(_("Enter the last day to answer."), field="last_day")
    if day <= session_last:
        raise DomainError(
            _(
                "Choose a day after the session's last day (%(day)s).",
                day=session_last.isoformat(),
            ),
            field="last_day",
        )
    if day > session_last + timedelta(days=LATEST_CLOSE_DAYS):
        raise DomainError(
            _(
                "Choose a day at most %(days)d days after the session's last day.",
                days=LATEST_CLOSE_DAYS,
            ),
            field="last_day",
        )


def set_survey(
    session: TrainingSession, *, form: FeedbackForm | None, last_day: date | None
) -> SessionSurvey:
    """Give the session a feedback form, open until the end of `last_day` on its clock.

    The form cannot change once people have answered: their answers belong to its questions.
    """
    if session.status is SessionStatus.CANCELLED:
        raise DomainError(_("This session is cancelled: it gets no feedback survey."))
    if form is None:
        raise DomainError(_("Choose a feedback form."), field="form_id")
    if not form.questions:
        raise DomainError(
            _("This form has no questions yet: add some first, or choose another form."),
            field="form_id",
        )
    _check_last_day(session, last_day)
    survey = survey_of(session)
    if survey is None:
        survey = SessionSurvey(session=session, form=form)
        db.session.add(survey)
    elif survey.form_id != form.id and response_count(survey) > 0:
        raise DomainError(
            _(
                "People have already answered this session's form, so it cannot be "
                "replaced by another."
            ),
            field="form_id",
        )
    survey.form = form
    survey.closes_at = closing_instant(session, last_day)
    db.session.flush()
    return survey


def open_now(survey: SessionSurvey, now: datetime) -> None:
    """Open the survey before the session's end (for example on its last afternoon)."""
    if survey.session.status is SessionStatus.CANCELLED:
        raise DomainError(_("This session is cancelled: its feedback cannot open."))
    state = survey_state(survey, now)
    if state is SurveyState.OPEN:
        raise DomainError(_("Feedback for this session is already open."))
    if state is SurveyState.CLOSED:
        raise DomainError(
            _("Feedback for this session has closed. Choose a later last day to answer first.")
        )
    survey.opened_at = now
    db.session.flush()


# --- answering -----------------------------------------------------------------------------------


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


def has_attended(user: User, session: TrainingSession) -> bool:
    """A confirmed participant of the session who was present on at least one day."""
    return bool(
        db.session.scalar(
            select(
                exists()
                .where(Attendance.enrolment_id == Enrolment.id)
                .where(
                    Enrolment.session_id == session.id,
                    Enrolment.user_id == user.id,
                    Enrolment.status == EnrolmentStatus.CONFIRMED,
                    Attendance.status == AttendanceStatus.PRESENT,
                )
            )
        )
    )


def has_answered(user: User, survey: SessionSurvey) -> bool:
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    FeedbackReceipt.survey_id == survey.id, FeedbackReceipt.user_id == user.id
                )
            )
        )
    )


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


def _rating(value) -> int | None:
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
            rating = _rating(value)
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
                errors[answer_field(question)] = _(
                    "An answer may have at most %(max)d characters (this one has %(length)d).",
                    max=ANSWER_MAX,
                    length=len(value),
                )
            else:
                answers[str(question.id)] = value
    if errors:
        raise AnswersInvalid(errors)
    return answers


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


# --- results -------------------------------------------------------------------------------------


@dataclass
class QuestionResult:
    question: FeedbackQuestion
    answered: int = 0  # how many answer sheets answer this question
    average: float | None = None  # ratings
    counts: list[tuple[str, int]] = field(default_factory=list)  # ratings 1..5, or options
    comments: list[str] = field(default_factory=list)  # free text, in alphabetical order

    def percent(self, count: int) -> int:
        return round(100 * count / self.answered) if self.answered else 0


@dataclass
class Results:
    count: int
    minimum: int
    questions: list[QuestionResult] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        return self.count >= self.minimum


def _question_result(question: FeedbackQuestion, values: list) -> QuestionResult:
    result = QuestionResult(question)
    if question.kind is QuestionKind.RATING:
        ratings = [r for r in (_rating(v) for v in values) if r is not None]
        tally = Counter(ratings)
        result.answered = len(ratings)
        result.counts = [(str(rating), tally[rating]) for rating in RATINGS]
        if ratings:
            result.average = round(sum(ratings) / len(ratings), 1)
    elif question.kind is QuestionKind.CHOICE:
        chosen = [v for v in values if isinstance(v, str) and v]
        tally = Counter(chosen)
        offered = question.option_list
        # Answers to options since reworded or removed still count, under their own words.
        earlier = sorted((v for v in tally if v not in offered), key=str.casefold)
        result.answered = len(chosen)
        result.counts = [(option, tally[option]) for option in [*offered, *earlier]]
    else:
        comments = [v.strip() for v in values if isinstance(v, str) and v.strip()]
        result.answered = len(comments)
        # Never in the order they were written: that order could point to a person.
        result.comments = sorted(comments, key=lambda text: (text.casefold(), text))
    return result


def results(survey: SessionSurvey, minimum: int | None = None) -> Results:
    """The survey's aggregated answers, in one query whatever their number.

    Below the minimum the result carries the count (for the caller's decision) and nothing else.
    """
    minimum = minimum_responses() if minimum is None else minimum
    sheets = list(
        db.session.scalars(
            select(FeedbackResponse.answers).where(FeedbackResponse.survey_id == survey.id)
        )
    )
    outcome = Results(count=len(sheets), minimum=minimum)
    if not outcome.shown:
        return outcome
    for question in survey.form.questions:
        key = str(question.id)
        values = [sheet.get(key) for sheet in sheets if isinstance(sheet, dict) and key in sheet]
        outcome.questions.append(_question_result(question, values))
    return outcome


# --- across sessions, and on a session's page ----------------------------------------------------


def overview() -> Select:
    """Every session with a survey, latest first (a statement, for the view to paginate)."""
    return (
        select(SessionSurvey)
        .join(SessionSurvey.session)
        .options(
            contains_eager(SessionSurvey.session).joinedload(TrainingSession.region),
            joinedload(SessionSurvey.form),
        )
        .order_by(TrainingSession.starts_at.desc(), SessionSurvey.id)
    )


def session_panel(session: TrainingSession, user: User, now: datetime | None = None) -> dict:
    """What templates/feedback/_session_panel.html needs on a session's page.

    Those who manage the session get the survey's state and links; a participant who attended
    gets a link to answer (or a thank-you); everyone else an empty dict (nothing is shown).
    """
    if not user.is_authenticated:
        return {}
    now = now or utcnow()
    if can_manage(user, session):
        survey = survey_of(session)
        return {
            "session": session,
            "manage": True,
            "survey": survey,
            "state": survey_state(survey, now) if survey else None,
            "status": status_text(survey, now) if survey else "",
            "count": response_count(survey) if survey else 0,
            "minimum": minimum_responses(),
        }
    if user.role is not Role.PARTICIPANT or not has_attended(user, session):
        return {}
    survey = survey_of(session)
    if survey is None:
        return {}
    return {
        "session": session,
        "manage": False,
        "survey": survey,
        "state": survey_state(survey, now),
        "status": status_text(survey, now),
        "answered": has_answered(user, survey),
    }
