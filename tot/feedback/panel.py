"""The feedback panel of a session's page (asked for by sessions, tot/sessions/hooks.py)."""

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from tot.accounts.models import User
from tot.db_types import utcnow
from tot.feedback.models import SessionSurvey
from tot.feedback.services import (
    SurveyState,
    has_answered,
    has_attended,
    minimum_responses,
    response_count,
    status_text,
    survey_of,
    survey_state,
)
from tot.permissions import Role
from tot.sessions import hooks
from tot.sessions.access import can_manage
from tot.sessions.models import TrainingSession


@dataclass(frozen=True)
class FeedbackPanel:
    """Managers see the survey's state and links; a participant who attended, a link to answer
    (or a thank-you)."""

    training_session: TrainingSession
    manage: bool
    survey: SessionSurvey | None
    state: SurveyState | None
    status: str
    count: int = 0
    minimum: int = 0
    answered: bool = False

    template: ClassVar[str] = "feedback/_session_panel.html"
    order: ClassVar[int] = 30

    @property
    def is_open(self) -> bool:
        return self.state is SurveyState.OPEN


@hooks.session_panels.connect
def feedback_panel(
    session: TrainingSession, *, reader: User, now: datetime | None = None
) -> FeedbackPanel | None:
    if not reader.is_authenticated:
        return None
    now = now or utcnow()
    if can_manage(reader, session):
        survey = survey_of(session)
        return FeedbackPanel(
            training_session=session,
            manage=True,
            survey=survey,
            state=survey_state(survey, now) if survey else None,
            status=status_text(survey, now) if survey else "",
            count=response_count(survey) if survey else 0,
            minimum=minimum_responses(),
        )
    if reader.role is not Role.PARTICIPANT or not has_attended(reader, session):
        return None
    survey = survey_of(session)
    if survey is None:
        return None
    return FeedbackPanel(
        training_session=session,
        manage=False,
        survey=survey,
        state=survey_state(survey, now),
        status=status_text(survey, now),
        answered=has_answered(reader, survey),
    )
