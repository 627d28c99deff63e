"""Recording attendance: the session's managers mark, day by day, the people who hold a seat.

Marking takes the same lock as the seat rules (`services.lock_session`), so the people it
accepts are those who hold a seat now. Reading attendance back (grids, rates) is in `roster`.
"""

from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select

from tot.accounts.models import User
from tot.db_types import utcnow
from tot.enrolment.models import Attendance, AttendanceStatus, Enrolment, EnrolmentStatus
from tot.enrolment.services import lock_session
from tot.errors import DomainError
from tot.extensions import db
from tot.sessions.access import can_manage
from tot.sessions.models import SessionStatus, TrainingSession


def record_attendance(
    actor: User,
    session: TrainingSession,
    marks: dict[tuple[int, date], AttendanceStatus | None],
    now: datetime | None = None,
) -> int:
    """Save a grid of marks {(enrolment id, day): status, or None to clear}; returns changes.

    Only people who hold a seat, on the session's own days, are marked; a manager of the
    session marks them. Nothing is saved when any cell is out of bounds.
    """
    now = now or utcnow()
    if not can_manage(actor, session):
        raise DomainError(_("Only the session's facilitators and staff record attendance."))
    if session.status is SessionStatus.CANCELLED:
        raise DomainError(_("This session is cancelled."))
    days = set(session.days)
    lock_session(session)
    seated = set(
        db.session.scalars(
            select(Enrolment.id).where(
                Enrolment.session_id == session.id,
                Enrolment.status == EnrolmentStatus.CONFIRMED,
            )
        )
    )
    if any(enrolment_id not in seated or day not in days for enrolment_id, day in marks):
        raise DomainError(
            _("Someone in this list no longer holds a seat, or a day is not a session day.")
        )
    existing = {
        (row.enrolment_id, row.day): row
        for row in db.session.scalars(
            select(Attendance).where(Attendance.enrolment_id.in_({e for e, _day in marks}))
        )
    }
    changed = 0
    for (enrolment_id, day), status in marks.items():
        row = existing.get((enrolment_id, day))
        if status is None:
            if row is not None:
                db.session.delete(row)
                changed += 1
        elif row is None:
            db.session.add(
                Attendance(
                    enrolment_id=enrolment_id,
                    day=day,
                    status=status,
                    recorded_at=now,
                    recorded_by_id=actor.id,
                )
            )
            changed += 1
        elif row.status is not status:
            row.status = status
            row.recorded_at = now
            row.recorded_by_id = actor.id
            changed += 1
    db.session.flush()
    return changed
