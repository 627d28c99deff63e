"""A feedback survey for a session: which form, when it opens and until which day it stays open.

Plain functions on the objects they act on: they flush, never commit (the view commits once), and
refuse bad input with a DomainError naming the form field the message belongs beside.
"""

from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import Select, func, select
from sqlalchemy.orm import contains_eager, joinedload

from tot.errors import DomainError
from tot.extensions import db
from tot.feedback.batches import sheets_kept
from tot.feedback.models import FeedbackForm, FeedbackResponse, SessionSurvey
from tot.formats import format_date, format_weekday_date
from tot.sessions.models import SessionStatus, TrainingSession
from tot.sessions.templating import session_time, zone_name

DEFAULT_OPEN_DAYS = 14  # after the session's last day, unless chosen otherwise
LATEST_CLOSE_DAYS = 365


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


def open_at(now: datetime):
    """A condition on a survey joined with its session: `SessionSurvey.is_open(now)` in SQL."""
    opens = func.coalesce(SessionSurvey.opened_at, TrainingSession.ends_at)
    return (opens <= now) & (SessionSurvey.closes_at > now)


def survey_state(survey: SessionSurvey, now: datetime) -> SurveyState:
    if survey.is_open(now):
        return SurveyState.OPEN
    return SurveyState.NOT_OPEN if now < survey.opens_at() else SurveyState.CLOSED


def response_count(survey: SessionSurvey) -> int:
    """The answer sheets in the survey's results: released ones only (tot/feedback/batches.py)."""
    return db.session.execute(
        select(func.count())
        .select_from(FeedbackResponse)
        .where(FeedbackResponse.survey_id == survey.id)
    ).scalar_one()


def response_counts(survey_ids) -> dict[int, int]:
    """`response_count` of each survey: released sheets only."""
    survey_ids = list(survey_ids)
    if not survey_ids:
        return {}
    rows = db.session.execute(
        select(FeedbackResponse.survey_id, func.count())
        .where(FeedbackResponse.survey_id.in_(survey_ids))
        .group_by(FeedbackResponse.survey_id)
    )
    return dict(rows.tuples().all())


def has_answers(survey: SessionSurvey) -> bool:
    """Whether anyone has answered the survey: sheets are kept, released or still waiting."""
    return bool(db.session.scalar(select(sheets_kept(survey.id))))


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
    day = format_weekday_date(last_day(survey))
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


def _checked_last_day(session: TrainingSession, day: date | None) -> date:
    """The day, when a survey may stay open until its end; else a DomainError."""
    session_last = session.local_end.date()
    if day is None:
        raise DomainError(_("Enter the last day to answer."), field="last_day")
    if day <= session_last:
        raise DomainError(
            _(
                "Choose a day after the session's last day (%(day)s).",
                day=format_date(session_last),
            ),
            field="last_day",
        )
    if day > session_last + timedelta(days=LATEST_CLOSE_DAYS):
        raise DomainError(
            ngettext(
                "Choose a day at most %(num)d day after the session's last day.",
                "Choose a day at most %(num)d days after the session's last day.",
                LATEST_CLOSE_DAYS,
            ),
            field="last_day",
        )
    return day


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
    day = _checked_last_day(session, last_day)
    survey = survey_of(session)
    if survey is None:
        survey = SessionSurvey(session=session, form=form)
        db.session.add(survey)
    elif survey.form_id != form.id and has_answers(survey):
        raise DomainError(
            _(
                "People have already answered this session's form, so it cannot be "
                "replaced by another."
            ),
            field="form_id",
        )
    survey.form = form
    survey.closes_at = closing_instant(session, day)
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
