"""The enrolment rules, all in one place.

Every change that can take or free a seat first locks the session's row (`_lock`): an UPDATE of
its version counter. On PostgreSQL that holds a row lock until commit; on SQLite it takes the
database's write lock. Either way, concurrent applications for the last seats are served one
after another, and the seat counts each one reads are current.
"""

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from tot.accounts.models import User
from tot.db_types import utcnow
from tot.enrolment.models import ACTIVE_STATUSES, Enrolment, EnrolmentStatus
from tot.errors import DomainError
from tot.extensions import db
from tot.learning.services import has_completed_programme
from tot.notifications import services as notify
from tot.permissions import Role
from tot.sessions.models import EnrolmentMode, SessionStatus, TrainingSession


@dataclass
class SeatCounts:
    """Confirmed seats in a session, in all and per region."""

    total: int = 0
    by_region: dict[int | None, int] = field(default_factory=dict)


def seat_counts(session: TrainingSession) -> SeatCounts:
    rows = db.session.execute(
        select(Enrolment.region_id, func.count())
        .where(Enrolment.session_id == session.id, Enrolment.status == EnrolmentStatus.CONFIRMED)
        .group_by(Enrolment.region_id)
    ).all()
    by_region = dict(rows)
    return SeatCounts(sum(by_region.values()), by_region)


def seat_refusal(
    session: TrainingSession, region_id: int | None, counts: SeatCounts, now: datetime
) -> str | None:
    """Why a person from this region cannot take a seat now, or None when a seat fits the rules."""
    if counts.total >= session.capacity:
        return _("The session is full.")
    quotas = {quota.region_id: quota for quota in session.quotas}
    own = quotas.get(region_id)
    if own is not None and own.cap is not None and counts.by_region.get(region_id, 0) >= own.cap:
        return _("All seats for your region are taken.")
    held_for_others = sum(
        max(0, quota.reserved - counts.by_region.get(quota.region_id, 0))
        for quota in quotas.values()
        if quota.region_id != region_id and quota.reservation_live(now)
    )
    if session.capacity - counts.total - held_for_others <= 0:
        return _("The remaining seats are reserved for other regions for now.")
    return None


def _lock(session: TrainingSession) -> None:
    db.session.execute(
        update(TrainingSession)
        .where(TrainingSession.id == session.id)
        .values(enrolment_version=TrainingSession.enrolment_version + 1)
        .execution_options(synchronize_session=False)
    )


def active_enrolment(session: TrainingSession, user: User) -> Enrolment | None:
    return db.session.scalar(
        select(Enrolment).where(
            Enrolment.session_id == session.id,
            Enrolment.user_id == user.id,
            Enrolment.status.in_(ACTIVE_STATUSES),
        )
    )


def window_refusal(session: TrainingSession, now: datetime) -> str | None:
    if session.status is not SessionStatus.PUBLISHED:
        return _("This session is not open for enrolment.")
    if session.enrolment_opens_at and now < session.enrolment_opens_at:
        return _("Enrolment has not opened yet.")
    closes = session.enrolment_closes_at or session.starts_at
    if now >= closes:
        return _("Enrolment for this session has closed.")
    return None


def application_refusal(session: TrainingSession, user: User, now: datetime) -> str | None:
    """Why this person may not apply, or None (seats are decided when they do)."""
    if user.role is not Role.PARTICIPANT:
        return _("Only participants enrol in sessions.")
    refusal = window_refusal(session, now)
    if refusal:
        return refusal
    prerequisite = session.programme.prerequisite
    if prerequisite is not None and not has_completed_programme(user, prerequisite):
        return _("Complete “%(title)s” first: this session builds on it.", title=prerequisite.title)
    if active_enrolment(session, user) is not None:
        return _("You have already applied to this session.")
    return None


def _set_status(enrolment: Enrolment, status: EnrolmentStatus, now: datetime, actor=None) -> None:
    enrolment.status = status
    enrolment.status_changed_at = now
    enrolment.decided_by_id = actor.id if actor is not None else None
    stamp = {
        EnrolmentStatus.CONFIRMED: "confirmed_at",
        EnrolmentStatus.WAITLISTED: "waitlisted_at",
        EnrolmentStatus.WITHDRAWN: "withdrawn_at",
        EnrolmentStatus.REJECTED: "rejected_at",
    }.get(status)
    if stamp:
        setattr(enrolment, stamp, now)


def _seat_or_waitlist(enrolment: Enrolment, now: datetime, actor=None) -> None:
    session = enrolment.session
    if seat_refusal(session, enrolment.region_id, seat_counts(session), now) is None:
        _set_status(enrolment, EnrolmentStatus.CONFIRMED, now, actor)
    else:
        _set_status(enrolment, EnrolmentStatus.WAITLISTED, now, actor)
    db.session.flush()


def apply(session: TrainingSession, user: User, now: datetime | None = None, source="self"):
    """A participant applies: pending in approval mode, else confirmed or waitlisted."""
    now = now or utcnow()
    refusal = application_refusal(session, user, now)
    if refusal:
        raise DomainError(refusal)
    _lock(session)
    if active_enrolment(session, user) is not None:  # applied meanwhile, in another request
        raise DomainError(_("You have already applied to this session."))
    enrolment = Enrolment(
        session=session, user_id=user.id, region_id=user.region_id, applied_at=now, source=source
    )
    db.session.add(enrolment)
    if session.enrolment_mode is EnrolmentMode.APPROVAL and source == "self":
        _set_status(enrolment, EnrolmentStatus.PENDING, now)
    else:
        _seat_or_waitlist(enrolment, now)
    try:
        db.session.flush()
    except IntegrityError as error:
        raise DomainError(_("You have already applied to this session.")) from error
    notify.enrolment_outcome(enrolment)
    return enrolment


def may_decide(actor: User, session: TrainingSession) -> bool:
    """Staff, and the session's lead facilitator, approve and reject applications."""
    return actor.role in (Role.ADMIN, Role.STAFF) or actor.id == session.lead_facilitator_id


def approve(actor: User, enrolment: Enrolment, now: datetime | None = None) -> None:
    now = now or utcnow()
    if enrolment.status is not EnrolmentStatus.PENDING:
        raise DomainError(_("Only an application waiting for approval can be approved."))
    _lock(enrolment.session)
    _seat_or_waitlist(enrolment, now, actor)
    notify.enrolment_outcome(enrolment)


def reject(actor: User, enrolment: Enrolment, reason: str, now: datetime | None = None) -> None:
    now = now or utcnow()
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give a reason: the person will read it."), field="reason")
    if not enrolment.status.is_active:
        raise DomainError(_("This enrolment is no longer active."))
    _lock(enrolment.session)
    freed = enrolment.status is EnrolmentStatus.CONFIRMED
    _set_status(enrolment, EnrolmentStatus.REJECTED, now, actor)
    enrolment.reason = reason
    db.session.flush()
    notify.enrolment_outcome(enrolment)
    if freed:
        promote_waitlisted(enrolment.session, now)


def withdraw(user: User, enrolment: Enrolment, now: datetime | None = None) -> None:
    now = now or utcnow()
    if enrolment.user_id != user.id:
        raise DomainError(_("You can withdraw only your own enrolment."))
    if not enrolment.status.is_active:
        raise DomainError(_("This enrolment is no longer active."))
    if now >= enrolment.session.ends_at:
        raise DomainError(_("This session is over."))
    _lock(enrolment.session)
    freed = enrolment.status is EnrolmentStatus.CONFIRMED
    _set_status(enrolment, EnrolmentStatus.WITHDRAWN, now)
    db.session.flush()
    if freed:
        promote_waitlisted(enrolment.session, now)


def promote_waitlisted(session: TrainingSession, now: datetime | None = None) -> list[Enrolment]:
    """Give free seats to the earliest waitlisted people who now fit the rules, in order."""
    now = now or utcnow()
    if session.status is not SessionStatus.PUBLISHED:
        return []
    _lock(session)
    waiting = db.session.scalars(
        select(Enrolment)
        .where(Enrolment.session_id == session.id, Enrolment.status == EnrolmentStatus.WAITLISTED)
        .order_by(Enrolment.applied_at, Enrolment.id)
    ).all()
    promoted = []
    for enrolment in waiting:
        if seat_refusal(session, enrolment.region_id, seat_counts(session), now) is None:
            _set_status(enrolment, EnrolmentStatus.CONFIRMED, now)
            enrolment.promoted_at = now
            db.session.flush()
            notify.promoted(enrolment)
            promoted.append(enrolment)
    return promoted


def session_panel(session: TrainingSession, user: User) -> dict:
    """What templates/enrolment/_session_panel.html needs on a session's page."""
    return {}
