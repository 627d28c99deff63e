"""Demo certificates, made with the certificates services as completing a session makes them.

A few people present in each completed demo session, who had not begun any programme online,
first complete the session's programme through the learning rules (tot.demo.progress.graduate),
so that every completed session can have graduates. Each completed session then issues its
certificates to those who earned one (a confirmed seat, the programme completed, enough days
present), dated when the session was marked completed. Staff then issue one by hand, with a
reason, to the featured demo participant (present in Osh, the programme still under way), and
revoke one, with a reason. Notifications are dated when it happened, and those older than a week
are read.
"""

import random
from datetime import datetime, timedelta

from sqlalchemy import select, update

from tot.accounts.models import User
from tot.certificates import services as certificates
from tot.certificates.models import Certificate
from tot.db_types import utcnow
from tot.demo.progress import graduate
from tot.enrolment.models import Enrolment, EnrolmentStatus
from tot.extensions import db
from tot.learning.models import ProgrammeProgress
from tot.notifications.models import Notification
from tot.sessions.models import SessionStatus, TrainingSession

FEATURED_EMAIL = "participant@example.org"
STAFF_EMAIL = "staff@example.org"
COMPLETED_AFTER = timedelta(hours=20)  # when the demo's staff marked a past session completed
GRADUATES_PER_SESSION = 2

BY_HAND_REASON = (
    "Present on every day of the training and led the practice group on the last one. The "
    "village has no mobile connection, so the last online modules are being finished on paper "
    "with the facilitator; issued by the programme coordinator."
)
REVOKE_REASON = (
    "Issued by mistake: the second day's attendance was recorded for the wrong person. The "
    "record is corrected; please contact us if you were present."
)


def _date_notifications(since: datetime, when: datetime) -> None:
    """Notifications the services just made carry the seed's clock: date them when it happened."""
    db.session.flush()
    db.session.execute(
        update(Notification)
        .where(Notification.created_at >= since)
        .values(created_at=when)
        .execution_options(synchronize_session=False)
    )


def _keep_updated_at(session: TrainingSession, updated_at: datetime) -> None:
    """Issuing takes the session's lock, which stamps its `updated_at` with the seed's clock."""
    db.session.execute(
        update(TrainingSession)
        .where(TrainingSession.id == session.id)
        .values(updated_at=updated_at)
        .execution_options(synchronize_session=False)
    )


def _completed_sessions() -> list[TrainingSession]:
    return list(
        db.session.scalars(
            select(TrainingSession)
            .where(TrainingSession.status == SessionStatus.COMPLETED)
            .order_by(TrainingSession.ends_at, TrainingSession.id)
        )
    )


def _graduate_some(rng: random.Random, sessions: list[TrainingSession]) -> None:
    """In each session, a few people present often enough who had no progress at all complete
    its programme before the session ends."""
    learners = set(db.session.scalars(select(ProgrammeProgress.user_id)))
    for session in sessions:
        fresh = [
            standing.enrolment.user
            for standing in certificates.standings(session)
            if certificates.attended_enough(standing.present, standing.days)
            and standing.enrolment.user_id not in learners
        ]
        for person in rng.sample(fresh, min(GRADUATES_PER_SESSION, len(fresh))):
            graduate(person, session.programme, rng, by=session.ends_at - timedelta(hours=2))
            learners.add(person.id)


def _uncertified_seat(person: User, sessions: list[TrainingSession]) -> Enrolment | None:
    """The person's latest seat in a completed session that has no certificate yet."""
    for session in reversed(sessions):
        seat = db.session.scalar(
            select(Enrolment).where(
                Enrolment.session_id == session.id,
                Enrolment.user_id == person.id,
                Enrolment.status == EnrolmentStatus.CONFIRMED,
            )
        )
        if seat is not None and certificates.certificate_for(seat) is None:
            return seat
    return None


def _someone_uncertified(rng: random.Random, sessions: list) -> Enrolment | None:
    seats = [
        seat
        for session in sessions
        for seat in db.session.scalars(
            select(Enrolment)
            .where(
                Enrolment.session_id == session.id,
                Enrolment.status == EnrolmentStatus.CONFIRMED,
            )
            .order_by(Enrolment.id)
        )
        if certificates.certificate_for(seat) is None
    ]
    return rng.choice(seats) if seats else None


def _mark_old_notifications_read(rng: random.Random, now: datetime) -> None:
    old = db.session.scalars(
        select(Notification)
        .where(
            Notification.kind.like("certificate.%"),
            Notification.created_at < now - timedelta(days=7),
            Notification.read_at.is_(None),
        )
        .execution_options(populate_existing=True)  # loaded ones still hold the seed's clock
    )
    for notification in old:
        notification.read_at = notification.created_at + timedelta(hours=rng.randint(1, 40))
    db.session.flush()


def seed_certificates(rng: random.Random, people: dict[str, User]) -> dict[str, int]:
    """Issue the demo's certificates (after `seed_sessions`); return counts for the seed report."""
    now = utcnow()
    staff, featured = people[STAFF_EMAIL], people[FEATURED_EMAIL]
    sessions = _completed_sessions()
    _graduate_some(rng, sessions)
    issued: list[Certificate] = []
    for session in sessions:
        updated_at = session.updated_at
        when = session.ends_at + COMPLETED_AFTER
        issued += certificates.issue_earned(session, now=when)
        _date_notifications(now, when)
        _keep_updated_at(session, updated_at)

    seat = _uncertified_seat(featured, sessions) or _someone_uncertified(rng, sessions)
    if seat is not None:
        updated_at = seat.session.updated_at
        when = seat.session.ends_at + timedelta(days=3, hours=2)
        issued.append(certificates.issue_by_hand(staff, seat, BY_HAND_REASON, now=when))
        _date_notifications(now, when)
        _keep_updated_at(seat.session, updated_at)

    revoked = 0
    earned = [c for c in issued if not c.by_hand and c.user_id != featured.id]
    if earned:
        certificate = rng.choice(earned)
        updated_at = certificate.session.updated_at
        when = certificate.issued_at + timedelta(days=rng.randint(2, 6), hours=rng.randint(1, 8))
        certificates.revoke(staff, certificate, REVOKE_REASON, now=when)
        _date_notifications(now, when)
        _keep_updated_at(certificate.session, updated_at)
        revoked = 1

    _mark_old_notifications_read(rng, now)
    # The demo's people are fictional: none of what the services queued is ever emailed.
    db.session.info.pop("outbox", None)
    return {"certificates": len(issued), "revoked certificates": revoked}
