"""What people see of enrolments: read-only queries, and the panel on a session's page.

Nothing here writes or decides: the rules these show (who may apply, whether a seat fits, who
decides) are in `services`, and each is asked there.
"""

from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import contains_eager, joinedload

from tot.accounts.models import User
from tot.db_types import utcnow
from tot.enrolment.models import ACTIVE_STATUSES, Enrolment, EnrolmentStatus
from tot.enrolment.services import (
    SeatCounts,
    application_refusal,
    decidable_by,
    may_decide,
    may_withdraw,
    seat_counts,
    seat_refusal,
    window_refusal,
)
from tot.extensions import db
from tot.permissions import Role
from tot.sessions.access import can_manage
from tot.sessions.models import EnrolmentMode, SessionStatus, TrainingSession


def seats_left(session: TrainingSession, counts: SeatCounts | None = None) -> int:
    counts = counts if counts is not None else seat_counts(session)
    return max(0, session.capacity - counts.total)


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
    rows = db.session.execute(
        select(Enrolment.status, func.count())
        .where(Enrolment.session_id == session.id)
        .group_by(Enrolment.status)
    ).all()
    counts = dict.fromkeys(EnrolmentStatus, 0)
    counts.update(dict(rows))
    return counts


def session_panel(session: TrainingSession, user: User, now: datetime | None = None) -> dict:
    """What templates/enrolment/_session_panel.html needs on a session's page.

    Returns `{"enrolment_panel": {...}}`, for the page to merge into its context. In it, `viewer`
    says whose panel it is: "visitor" (log in to apply), "participant" (their enrolment, apply or
    the reason they cannot, withdraw), "manager" (counts by status and links), or "other".
    """
    now = now or utcnow()
    counts = seat_counts(session)
    panel = {
        "session": session,
        "viewer": "visitor",
        "capacity": session.capacity,
        "seats_left": seats_left(session, counts),
        "needs_approval": session.enrolment_mode is EnrolmentMode.APPROVAL,
        "open": window_refusal(session, now) is None,
    }
    if not user.is_authenticated:
        return {"enrolment_panel": panel}
    if can_manage(user, session):
        panel.update(
            viewer="manager",
            status_counts=status_counts(session),
            may_decide=may_decide(user, session),
            may_bulk_enrol=user.is_staff,
        )
    elif user.role is Role.PARTICIPANT:
        enrolment = latest_enrolment(session, user)
        refusal = application_refusal(session, user, now)
        active = enrolment is not None and enrolment.status.is_active
        panel.update(
            viewer="participant",
            enrolment=enrolment,
            active=active,
            can_apply=refusal is None,
            refusal=None if active else refusal,
            # What applying now would lead to when no seat fits: the waiting list.
            seat_note=(
                seat_refusal(session, user.region_id, counts, now)
                if refusal is None and session.enrolment_mode is EnrolmentMode.OPEN
                else None
            ),
            can_withdraw=active and may_withdraw(enrolment, now),
        )
    else:
        panel["viewer"] = "other"
    return {"enrolment_panel": panel}


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
