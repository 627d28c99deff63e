"""The enrolment rules, all in one place.

Every change that can take or free a seat first locks the session's row (`lock_session`, in
`tot.sessions.lifecycle`: capacity and quota edits and cancelling take the same lock): an UPDATE
of its version counter. On PostgreSQL that holds a row lock until commit; on SQLite it takes the
database's write lock. Either way, concurrent applications for the last seats are served one
after another, and the seat counts each one reads are current. Once the lock is held, the session
(its status, capacity, window and quotas) is read again, and so is the enrolment decided on:
an application that waited for a cancellation is refused, one that waited for a lower capacity
counts against it, and two clicks on "approve" cannot both count.

A reservation lapses at an instant, not by anyone's action: seats it kept become free without
a request. So every change here, once it holds the lock, first gives such seats to the waiting
list, in order (`_serve_waiting_list`): a newcomer never takes a seat ahead of the people who
wait for it. `promote_all_waitlists` (hourly, from cron) does the same for sessions nobody acts on.

A service that raises DomainError has written nothing the caller needs to keep: views roll back.

What is not a seat rule lives beside this module and asks the rules here: read-only queries and
the session page's panel in `queries`, recording attendance in `attendance`, enrolling from an
uploaded list in `bulk`.
"""

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import false, func, select, true
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from tot.accounts.models import User
from tot.audit import services as audit
from tot.audit.models import AuditAction
from tot.db_types import utcnow
from tot.enrolment.models import ACTIVE_STATUSES, Enrolment, EnrolmentSource, EnrolmentStatus
from tot.errors import DomainError
from tot.extensions import db
from tot.learning.services import has_completed_programme
from tot.notifications import services as notify
from tot.permissions import Role
from tot.sessions.lifecycle import lock_session  # attendance and certificates take it from here
from tot.sessions.models import EnrolmentMode, SeatQuota, SessionStatus, TrainingSession
from tot.sessions.quotas import seats_kept


@dataclass
class SeatCounts:
    """Confirmed seats in a session, in all and per region."""

    total: int = 0
    by_region: dict[int | None, int] = field(default_factory=dict)

    def add(self, region_id: int | None) -> None:
        self.total += 1
        self.by_region[region_id] = self.by_region.get(region_id, 0) + 1


def seat_counts(session: TrainingSession) -> SeatCounts:
    statement = (
        select(Enrolment.region_id, func.count())
        .where(Enrolment.session_id == session.id, Enrolment.status == EnrolmentStatus.CONFIRMED)
        .group_by(Enrolment.region_id)
    )
    rows = db.session.execute(statement).tuples().all()
    by_region = dict(rows)
    return SeatCounts(sum(by_region.values()), by_region)


def seat_refusal(
    session: TrainingSession, region_id: int | None, counts: SeatCounts, now: datetime
) -> str | None:
    """Why a person from this region cannot take a seat now, or None when a seat fits the rules."""
    if counts.total >= session.capacity:
        return _("The session is full.")
    quotas: dict[int | None, SeatQuota] = {quota.region_id: quota for quota in session.quotas}
    own = quotas.get(region_id)
    if own is not None and own.cap is not None and counts.by_region.get(region_id, 0) >= own.cap:
        return _("All seats for your region are taken.")
    held_for_others = seats_kept(session.quotas, counts.by_region, now, but_for=region_id)
    if session.capacity - counts.total - held_for_others <= 0:
        return _("The remaining seats are reserved for other regions for now.")
    return None


def _reread(enrolment: Enrolment) -> None:
    """After taking the lock: the enrolment as it is now, not as this request first read it."""
    db.session.refresh(enrolment, attribute_names=["status"])


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


def staff_enrolment_refusal(session: TrainingSession, now: datetime) -> str | None:
    """Why staff may not enrol people into this session now: the window does not bind them."""
    if session.status is not SessionStatus.PUBLISHED:
        return _("This session is not open for enrolment.")
    if now >= session.ends_at:
        return _("This session is over.")
    return None


def application_refusal(
    session: TrainingSession, user: User, now: datetime, by_staff: bool = False
) -> str | None:
    """Why this person may not apply (or be enrolled by staff), or None (seats are decided then).

    Staff enrolling someone (`by_staff`) decide for the programme: the enrolment window and the
    prerequisite do not bind them, but the session must still be published and not over.
    """
    if user.role is not Role.PARTICIPANT:
        return _("Only participants enrol in sessions.")
    if not user.active:
        return _("This account is deactivated.")
    refusal = staff_enrolment_refusal(session, now) if by_staff else window_refusal(session, now)
    if refusal:
        return refusal
    prerequisite = session.programme.prerequisite
    if (
        not by_staff
        and prerequisite is not None
        and not has_completed_programme(user, prerequisite)
    ):
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


def _seat_status(session: TrainingSession, region_id: int | None, now: datetime):
    if seat_refusal(session, region_id, seat_counts(session), now) is None:
        return EnrolmentStatus.CONFIRMED
    return EnrolmentStatus.WAITLISTED


def apply(
    session: TrainingSession,
    user: User,
    now: datetime | None = None,
    source: EnrolmentSource = EnrolmentSource.SELF,
    actor: User | None = None,
) -> Enrolment:
    """A participant applies: pending in approval mode, else confirmed or waitlisted.

    From a list (`source` BULK) staff (`actor`) enrol the person: that is the staff's decision,
    so it is confirmed when a seat fits (else waitlisted) even in approval mode, and neither the
    enrolment window nor the prerequisite applies (see `application_refusal`).
    """
    now = now or utcnow()
    by_staff = source is EnrolmentSource.BULK
    refusal = application_refusal(session, user, now, by_staff=by_staff)
    if refusal:
        raise DomainError(refusal)
    lock_session(session)
    # Again, on the session as it is now: it may have been cancelled or closed, its capacity
    # lowered, or the person may have applied in another request, while this one waited.
    refusal = application_refusal(session, user, now, by_staff=by_staff)
    if refusal:
        raise DomainError(refusal)
    _serve_waiting_list(session, now)
    if session.enrolment_mode is EnrolmentMode.APPROVAL and not by_staff:
        status = EnrolmentStatus.PENDING
    else:
        status = _seat_status(session, user.region_id, now)
    # Built complete before it joins the session: no autoflush can write it half-made.
    enrolment = Enrolment(
        session=session, user_id=user.id, region_id=user.region_id, applied_at=now, source=source
    )
    _set_status(enrolment, status, now, actor)
    db.session.add(enrolment)
    try:
        db.session.flush()
    except IntegrityError as error:
        raise DomainError(_("You have already applied to this session.")) from error
    notify.enrolment_outcome(enrolment)
    return enrolment


def may_decide(actor: User, session: TrainingSession) -> bool:
    """Staff, and the session's lead facilitator, approve and reject applications."""
    if actor.is_staff:
        return True
    return actor.role is Role.FACILITATOR and actor.id == session.lead_facilitator_id


def decidable_by(actor: User):
    """`may_decide` as a SQL condition on TrainingSession, for lists of applications."""
    if actor.is_staff:
        return true()
    if actor.role is Role.FACILITATOR:
        return TrainingSession.lead_facilitator_id == actor.id
    return false()


def _ensure_may_decide(actor: User, session: TrainingSession) -> None:
    if not may_decide(actor, session):
        raise DomainError(_("Only staff and the session's lead facilitator decide on enrolments."))


def approve(actor: User, enrolment: Enrolment, now: datetime | None = None) -> None:
    """Confirmed when a seat fits the rules, else waitlisted: approval never overfills."""
    now = now or utcnow()
    session = enrolment.session
    _ensure_may_decide(actor, session)
    lock_session(session)
    _reread(enrolment)
    if enrolment.status is not EnrolmentStatus.PENDING:
        raise DomainError(_("Only an application waiting for approval can be approved."))
    if session.status is not SessionStatus.PUBLISHED:
        raise DomainError(_("This session is not open for enrolment."))
    _serve_waiting_list(session, now)  # the people waiting come first
    _set_status(enrolment, _seat_status(session, enrolment.region_id, now), now, actor)
    _record_decision(actor, enrolment, EnrolmentStatus.PENDING)
    db.session.flush()
    notify.enrolment_outcome(enrolment)


def reject(actor: User, enrolment: Enrolment, reason: str, now: datetime | None = None) -> None:
    """Refuse an application, or take back a seat; a freed seat goes to the waiting list."""
    now = now or utcnow()
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give a reason: the person will read it."), field="reason")
    session = enrolment.session
    _ensure_may_decide(actor, session)
    lock_session(session)
    _reread(enrolment)
    if not enrolment.status.is_active:
        raise DomainError(_("This enrolment is no longer active."))
    was = enrolment.status
    _set_status(enrolment, EnrolmentStatus.REJECTED, now, actor)
    _record_decision(actor, enrolment, was)
    enrolment.reason = reason
    db.session.flush()
    notify.enrolment_outcome(enrolment)
    _serve_waiting_list(session, now)  # the seat it freed, if any


def _record_decision(actor: User, enrolment: Enrolment, was: EnrolmentStatus) -> None:
    """The audit log's entry of a decision on an application (tot/audit)."""
    before, after = {"status": was}, {"status": enrolment.status}
    audit.record(
        AuditAction.ENROLMENT_DECIDED,
        actor=actor,
        subject=enrolment.user,
        target=enrolment,
        before=before,
        after=after,
    )


def withdraw(user: User, enrolment: Enrolment, now: datetime | None = None) -> None:
    now = now or utcnow()
    if enrolment.user_id != user.id:
        raise DomainError(_("You can withdraw only your own enrolment."))
    session = enrolment.session
    if now >= session.ends_at:
        raise DomainError(_("This session is over."))
    lock_session(session)
    _reread(enrolment)
    if now >= session.ends_at:  # its dates may have changed meanwhile
        raise DomainError(_("This session is over."))
    if not enrolment.status.is_active:
        raise DomainError(_("This enrolment is no longer active."))
    _set_status(enrolment, EnrolmentStatus.WITHDRAWN, now)
    db.session.flush()
    _serve_waiting_list(session, now)  # the seat it freed, if any


def may_withdraw(enrolment: Enrolment | None, now: datetime) -> bool:
    return enrolment is not None and enrolment.status.is_active and now < enrolment.session.ends_at


def promote_waitlisted(session: TrainingSession, now: datetime | None = None) -> list[Enrolment]:
    """Give free seats to the earliest waitlisted people who now fit the rules, in order."""
    now = now or utcnow()
    lock_session(session)
    return _serve_waiting_list(session, now)


def _serve_waiting_list(session: TrainingSession, now: datetime) -> list[Enrolment]:
    """Free seats to the earliest waitlisted people who fit the rules now, in order; the seat
    lock is held. Someone whose region is capped out is passed over, keeping their place."""
    if session.status is not SessionStatus.PUBLISHED:
        return []
    waiting = db.session.scalars(
        select(Enrolment)
        .where(Enrolment.session_id == session.id, Enrolment.status == EnrolmentStatus.WAITLISTED)
        .order_by(Enrolment.applied_at, Enrolment.id)
        .options(joinedload(Enrolment.user))
    ).all()
    promoted = []
    counts = seat_counts(session)
    for enrolment in waiting:
        if counts.total >= session.capacity:
            break
        if seat_refusal(session, enrolment.region_id, counts, now) is None:
            _set_status(enrolment, EnrolmentStatus.CONFIRMED, now)
            enrolment.promoted_at = now
            counts.add(enrolment.region_id)
            notify.promoted(enrolment)
            promoted.append(enrolment)
    db.session.flush()
    return promoted


def promote_all_waitlists(now: datetime | None = None) -> int:
    """Promote waiting lists of every session not yet over (seats freed by expired reservations)."""
    now = now or utcnow()
    sessions = db.session.scalars(
        select(TrainingSession)
        .where(
            TrainingSession.status == SessionStatus.PUBLISHED,
            TrainingSession.ends_at > now,
            TrainingSession.id.in_(
                select(Enrolment.session_id).where(Enrolment.status == EnrolmentStatus.WAITLISTED)
            ),
        )
        .order_by(TrainingSession.id)
    ).all()
    return sum(len(promote_waitlisted(session, now)) for session in sessions)
