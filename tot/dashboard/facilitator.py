"""What a facilitator's dashboard shows: the session at hand, the tasks left, their cohorts' reach.

Every figure comes from the feature that owns it; this module only chooses the sessions and puts
the answers together, with a fixed number of statements however many sessions a person leads.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from tot.accounts.models import User
from tot.cascade.reach import ReachRow, reach_totals
from tot.enrolment.queries import pending_applications
from tot.enrolment.roster import recorded_days
from tot.extensions import db
from tot.feedback.models import SessionSurvey
from tot.feedback.surveys import response_counts, status_text
from tot.sessions.browsing import facilitated_by, with_details
from tot.sessions.models import SessionStatus, TrainingSession
from tot.sessions.seats import confirmed_counts

# How long after a session its missing attendance and survey stay on the list of tasks.
TASKS_LOOK_BACK = timedelta(days=30)


@dataclass(frozen=True)
class SessionState:
    """Where one session stands: seats, attendance recorded so far, and its survey."""

    session: TrainingSession
    confirmed: int
    days_so_far: list[date]
    days_recorded: set[date]
    survey: SessionSurvey | None
    survey_text: str  # whether people can answer now, and until when
    responses: int

    @property
    def days_missing(self) -> list[date]:
        return [day for day in self.days_so_far if day not in self.days_recorded]

    @property
    def has_ended(self) -> bool:
        return bool(self.days_so_far) and self.days_so_far[-1] == self.session.days[-1]


@dataclass(frozen=True)
class FacilitatorDesk:
    at_hand: SessionState | None  # the session running now, else the next one
    attendance_missing: list[SessionState]
    survey_missing: list[SessionState]
    applications_waiting: int
    reach: ReachRow  # of the cohorts they led; `waiting` is the reports to verify

    @property
    def task_count(self) -> int:
        return (
            len(self.attendance_missing)
            + len(self.survey_missing)
            + (1 if self.applications_waiting else 0)
            + (1 if self.reach.waiting else 0)
        )


def _sessions(user: User, now: datetime) -> list[TrainingSession]:
    """The person's sessions running now or ended lately, and the next one, soonest first."""
    mine = [
        facilitated_by(user),
        TrainingSession.status.in_((SessionStatus.PUBLISHED, SessionStatus.COMPLETED)),
    ]
    recent = db.session.scalars(
        with_details(
            select(TrainingSession)
            .where(*mine, TrainingSession.starts_at <= now)
            .where(TrainingSession.ends_at > now - TASKS_LOOK_BACK)
            .order_by(TrainingSession.starts_at, TrainingSession.id)
        )
    ).all()
    upcoming = db.session.scalars(
        with_details(
            select(TrainingSession)
            .where(*mine, TrainingSession.starts_at > now)
            .order_by(TrainingSession.starts_at, TrainingSession.id)
            .limit(1)
        )
    ).all()
    return [*recent, *upcoming]


def _states(sessions: list[TrainingSession], now: datetime) -> list[SessionState]:
    ids = [session.id for session in sessions]
    seats = confirmed_counts(sessions)
    recorded = recorded_days(ids)
    surveys = (
        {
            survey.session_id: survey
            for survey in db.session.scalars(
                select(SessionSurvey).where(SessionSurvey.session_id.in_(ids))
            )
        }
        if ids
        else {}
    )
    responses = response_counts(survey.id for survey in surveys.values())
    states = []
    for session in sessions:
        today = now.astimezone(session.zone).date()
        survey = surveys.get(session.id)
        states.append(
            SessionState(
                session=session,
                confirmed=seats.get(session.id, 0),
                days_so_far=[day for day in session.days if day <= today],
                days_recorded=recorded.get(session.id, set()),
                survey=survey,
                survey_text=status_text(survey, now) if survey else "",
                responses=responses.get(survey.id, 0) if survey else 0,
            )
        )
    return states


def facilitator_desk(user: User, now: datetime) -> FacilitatorDesk:
    states = _states(_sessions(user, now), now)
    running_or_next = [state for state in states if state.session.ends_at > now]
    seated = [state for state in states if state.confirmed]
    return FacilitatorDesk(
        at_hand=running_or_next[0] if running_or_next else None,
        attendance_missing=[state for state in seated if state.days_missing],
        survey_missing=[state for state in seated if state.has_ended and state.survey is None],
        applications_waiting=db.session.scalar(
            select(func.count()).select_from(pending_applications(user).subquery())
        )
        or 0,
        reach=reach_totals(user),
    )
