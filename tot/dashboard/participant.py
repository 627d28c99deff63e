"""What a participant's dashboard shows besides their learning: the next session, the survey
waiting for them, their certificates and the trainings they gave."""

from dataclasses import dataclass
from datetime import datetime

from tot.accounts.models import User
from tot.cascade.reach import ReachRow, my_figures
from tot.certificates.models import Certificate
from tot.certificates.services import certificates_of
from tot.enrolment.models import Enrolment
from tot.enrolment.queries import my_enrolments
from tot.feedback.models import SessionSurvey
from tot.feedback.services import last_day_text, surveys_waiting_for


@dataclass(frozen=True)
class WaitingSurvey:
    survey: SessionSurvey
    last_day: str  # the last day to answer, in words, on the session's clock


@dataclass(frozen=True)
class ParticipantDesk:
    next_enrolment: Enrolment | None  # the soonest session they hold or wait for a seat in
    surveys: list[WaitingSurvey]
    certificates: list[Certificate]
    reach: ReachRow

    @property
    def is_graduate(self) -> bool:
        return any(not certificate.is_revoked for certificate in self.certificates)


def participant_desk(user: User, now: datetime) -> ParticipantDesk:
    upcoming = [
        enrolment
        for enrolment in my_enrolments(user, now)
        if enrolment.session.ends_at > now
        and enrolment.status.is_active
        and not enrolment.session.is_cancelled
    ]
    return ParticipantDesk(
        next_enrolment=upcoming[0] if upcoming else None,
        surveys=[
            WaitingSurvey(survey, last_day_text(survey))
            for survey in surveys_waiting_for(user, now)
        ],
        certificates=certificates_of(user),
        reach=my_figures(user),
    )
