"""What people see of enrolments: read-only queries (the session page's panel is in `panel`).

Nothing here writes or decides: the rules these show (who may apply, whether a seat fits, who
decides) are in `services`, and each is asked there.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import contains_eager, joinedload

from tot.accounts.models import User
from tot.curriculum.models import Programme
from tot.db_types import utcnow
from tot.enrolment.hooks import certificates_of_person
from tot.enrolment.models import ACTIVE_STATUSES, Enrolment, EnrolmentStatus
from tot.enrolment.services import SeatCounts, decidable_by, seat_counts
from tot.extensions import db
from tot.hooks import answers
from tot.learning.hooks import guides_participant, programme_opened
from tot.sessions.browsing import facilitated_by
from tot.sessions.models import SessionStatus, TrainingSession


def seats_left(session: TrainingSession, counts: SeatCounts | None = None) -> int:
    counts = counts if counts is not None else seat_counts(session)
    return session.seats_left(counts.total)


def latest_enrolment(session: TrainingSession, user: User) -> Enrolment | None:
    """The person's active enrolment, or else their last one (rejected or withdrawn)."""
    return db.session.scalar(
        select(Enrolment)
        .where(Enrolment.session_id == session.id, Enrolment.user_id == user.id)
        .order_by(
            case((Enrolment.status.in_(ACTIVE_STATUSES), 0), else_=1),
            Enrolment.status_changed_at.desc(),
            Enrolment.id.desc(),
        )
        .limit(1)
    )


def status_counts(session: TrainingSession) -> dict[EnrolmentStatus, int]:
    """How many enrolments of the session are in each status (every status present, maybe 0)."""
    statement = (
        select(Enrolment.status, func.count())
        .where(Enrolment.session_id == session.id)
        .group_by(Enrolment.status)
    )
    rows = db.session.execute(statement).tuples().all()
    counts = dict.fromkeys(EnrolmentStatus, 0)
    counts.update(rows)
    return counts


def my_enrolments(user: User, now: datetime | None = None) -> list[Enrolment]:
    """A person's enrolments: sessions still to come (soonest first), then past ones (latest)."""
    now = now or utcnow()
    enrolments = db.session.scalars(
        select(Enrolment)
        .join(Enrolment.session)
        .where(Enrolment.user_id == user.id)
        .order_by(TrainingSession.starts_at, Enrolment.id)
        .options(
            joinedload(Enrolment.session).joinedload(TrainingSession.region),
            joinedload(Enrolment.session).joinedload(TrainingSession.programme),
        )
    ).all()
    upcoming = [e for e in enrolments if e.session.ends_at > now]
    past = [e for e in enrolments if e.session.ends_at <= now]
    return upcoming + past[::-1]


def certificates_by_session(user: User) -> dict[int, Any]:
    """{session id: certificate} of a person, revoked ones too, from the feature that issues
    them (tot/enrolment/hooks.py), in one query."""
    given: dict[int, Any] = {}
    for answer in answers(certificates_of_person, user):
        given.update(answer)
    return given


def pending_applications(actor: User):
    """A select of applications waiting for a decision that `actor` may take, oldest first."""
    return (
        select(Enrolment)
        .join(Enrolment.session)
        .where(
            Enrolment.status == EnrolmentStatus.PENDING,
            TrainingSession.status == SessionStatus.PUBLISHED,
            decidable_by(actor),
        )
        .order_by(Enrolment.applied_at, Enrolment.id)
        .options(
            contains_eager(Enrolment.session),
            joinedload(Enrolment.user).joinedload(User.region),
            joinedload(Enrolment.region),
        )
    )


def confirmed_enrolments(session: TrainingSession) -> list[Enrolment]:
    """The people who hold a seat, by name, with their accounts loaded."""
    return list(
        db.session.scalars(
            select(Enrolment)
            .join(Enrolment.user)
            .where(
                Enrolment.session_id == session.id,
                Enrolment.status == EnrolmentStatus.CONFIRMED,
            )
            .order_by(func.lower(User.full_name), Enrolment.id)
            .options(joinedload(Enrolment.user), joinedload(Enrolment.region))
        )
    )


# --- what learning asks (tot/learning/hooks.py) --------------------------------------------------


@programme_opened.connect
def has_confirmed_seat(user: User, *, programme: Programme) -> bool:
    """A confirmed seat in a session of the programme opens the programme's content."""
    seat = (
        select(Enrolment.id)
        .join(TrainingSession, Enrolment.session_id == TrainingSession.id)
        .where(
            Enrolment.user_id == user.id,
            Enrolment.status == EnrolmentStatus.CONFIRMED,
            TrainingSession.programme_id == programme.id,
        )
        .limit(1)
    )
    return db.session.scalar(seat) is not None


@guides_participant.connect
def facilitates_a_session_of(
    facilitator: User, *, participant_id: Any, programme_id: Any
) -> ColumnElement[bool]:
    """A condition: the facilitator leads or co-leads a session of the programme in which the
    participant holds a confirmed seat. The ids may be values or SQL expressions (correlated
    with the query the condition is used in)."""
    return (
        select(Enrolment.id)
        .join(TrainingSession, Enrolment.session_id == TrainingSession.id)
        .where(
            Enrolment.user_id == participant_id,
            Enrolment.status == EnrolmentStatus.CONFIRMED,
            TrainingSession.programme_id == programme_id,
            facilitated_by(facilitator),
        )
        .exists()
    )
