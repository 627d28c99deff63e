"""The enrolment panel of a session's page, and what sessions ask of enrolment (their hooks).

Sessions know nothing of enrolment (docs/architecture.md); the functions connected here answer
what a session's page, lists, calendar feed and changes need to know of the people in it.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import ClassVar

from sqlalchemy import func, select

from tot.accounts.models import User
from tot.db_types import utcnow
from tot.enrolment.models import ACTIVE_STATUSES, Enrolment, EnrolmentStatus
from tot.enrolment.queries import latest_enrolment, seats_left, status_counts
from tot.enrolment.services import (
    application_refusal,
    may_decide,
    may_withdraw,
    promote_waitlisted,
    seat_counts,
    seat_refusal,
    window_refusal,
)
from tot.extensions import db
from tot.permissions import Role
from tot.sessions import hooks
from tot.sessions.access import can_manage
from tot.sessions.models import EnrolmentMode, TrainingSession


class Viewer(Enum):
    """Whose panel it is, which decides what it shows."""

    VISITOR = "visitor"  # not signed in: log in to apply
    PARTICIPANT = "participant"  # their enrolment: apply, the reason they cannot, withdraw
    MANAGER = "manager"  # staff or the session's facilitators: counts by status and links
    OTHER = "other"  # anyone else signed in: seats only


@dataclass
class EnrolmentPanel:
    training_session: TrainingSession
    viewer: Viewer
    seats_left: int
    open: bool
    # For a manager.
    status_counts: dict[EnrolmentStatus, int] | None = None
    may_decide: bool = False
    may_bulk_enrol: bool = False
    # For a participant.
    enrolment: Enrolment | None = None
    can_apply: bool = False
    refusal: str | None = None
    seat_note: str | None = None  # what applying now leads to when no seat fits
    can_withdraw: bool = False

    template: ClassVar[str] = "enrolment/_session_panel.html"
    order: ClassVar[int] = 10

    @property
    def needs_approval(self) -> bool:
        return self.training_session.enrolment_mode is EnrolmentMode.APPROVAL

    @property
    def for_visitor(self) -> bool:
        return self.viewer is Viewer.VISITOR

    @property
    def for_participant(self) -> bool:
        return self.viewer is Viewer.PARTICIPANT

    @property
    def for_manager(self) -> bool:
        return self.viewer is Viewer.MANAGER


@hooks.session_panels.connect
def enrolment_panel(
    session: TrainingSession, *, reader: User, now: datetime | None = None
) -> EnrolmentPanel:
    now = now or utcnow()
    counts = seat_counts(session)
    panel = EnrolmentPanel(
        training_session=session,
        viewer=Viewer.VISITOR,
        seats_left=seats_left(session, counts),
        open=window_refusal(session, now) is None,
    )
    if not reader.is_authenticated:
        return panel
    if can_manage(reader, session):
        panel.viewer = Viewer.MANAGER
        panel.status_counts = status_counts(session)
        panel.may_decide = may_decide(reader, session)
        panel.may_bulk_enrol = reader.is_staff
    elif reader.role is Role.PARTICIPANT:
        enrolment = latest_enrolment(session, reader)
        refusal = application_refusal(session, reader, now)
        active = enrolment is not None and enrolment.status.is_active
        panel.viewer = Viewer.PARTICIPANT
        panel.enrolment = enrolment
        panel.can_apply = refusal is None
        panel.refusal = None if active else refusal
        if refusal is None and session.enrolment_mode is EnrolmentMode.OPEN:
            panel.seat_note = seat_refusal(session, reader.region_id, counts, now)
        panel.can_withdraw = active and may_withdraw(enrolment, now)
    else:
        panel.viewer = Viewer.OTHER
    return panel


# --- what sessions ask (tot/sessions/hooks.py) ---------------------------------------------------


@hooks.confirmed_seats.connect
def confirmed_seats(_sender=None, *, sessions) -> dict[int, int]:
    """Confirmed seats of each given session, in one grouped query."""
    ids = [session.id for session in sessions]
    rows = db.session.execute(
        select(Enrolment.session_id, func.count())
        .where(Enrolment.session_id.in_(ids), Enrolment.status == EnrolmentStatus.CONFIRMED)
        .group_by(Enrolment.session_id)
    )
    return dict(rows.tuples().all())


@hooks.confirmed_by_region.connect
def confirmed_by_region(session: TrainingSession) -> dict[int | None, int]:
    return seat_counts(session).by_region


@hooks.people_enrolled.connect
def people_enrolled(session: TrainingSession) -> list[User]:
    """The people with an active enrolment (pending, confirmed or waitlisted)."""
    return list(
        db.session.scalars(
            select(User)
            .join(Enrolment, Enrolment.user_id == User.id)
            .where(Enrolment.session_id == session.id, Enrolment.status.in_(ACTIVE_STATUSES))
            .order_by(User.id)
        )
    )


@hooks.enrolled_session_ids.connect
def enrolled_session_ids(user: User):
    return select(Enrolment.session_id).where(
        Enrolment.user_id == user.id, Enrolment.status.in_(ACTIVE_STATUSES)
    )


@hooks.seats_freed.connect
def give_free_seats_to_the_waiting_list(session: TrainingSession) -> None:
    promote_waitlisted(session)
