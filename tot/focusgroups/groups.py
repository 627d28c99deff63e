"""Focus groups: recording one, and the choices its form offers."""

from collections.abc import Iterable

from flask_babel import gettext as _
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from tot.accounts.models import User
from tot.curriculum.models import Programme
from tot.errors import DomainError
from tot.extensions import db
from tot.focusgroups.checks import check_past_date, clean, get_chosen, region_chosen
from tot.focusgroups.models import FocusGroup, Quote
from tot.permissions import Role
from tot.sessions.models import SessionStatus, TrainingSession
from tot.texts import too_long

ATTENDEES_RANGE = (0, 500)  # per gender
NOTES_MAX = 5000


def list_focus_groups(region_id: int | None = None, programme_id: int | None = None) -> Select:
    """Focus groups, newest first, with region, programme and facilitator loaded."""
    statement = select(FocusGroup).options(
        joinedload(FocusGroup.region),
        joinedload(FocusGroup.programme),
        joinedload(FocusGroup.facilitator),
    )
    if region_id:
        statement = statement.where(FocusGroup.region_id == region_id)
    if programme_id:
        statement = statement.where(FocusGroup.programme_id == programme_id)
    return statement.order_by(FocusGroup.held_on.desc(), FocusGroup.id.desc())


def quote_counts(groups: Iterable[FocusGroup]) -> dict[int, int]:
    """How many quotes each of the given focus groups has, in one query."""
    ids = [group.id for group in groups]
    if not ids:
        return {}
    rows = db.session.execute(
        select(Quote.focus_group_id, func.count())
        .where(Quote.focus_group_id.in_(ids))
        .group_by(Quote.focus_group_id)
    )
    return dict(rows.tuples().all())


def programme_options() -> list[Programme]:
    return list(db.session.scalars(select(Programme).order_by(Programme.title, Programme.id)))


def session_options(current: TrainingSession | None = None) -> list[TrainingSession]:
    """Sessions a focus group may be about: all but cancelled ones, newest first."""
    sessions = list(
        db.session.scalars(
            select(TrainingSession)
            .options(joinedload(TrainingSession.programme))
            .where(TrainingSession.status != SessionStatus.CANCELLED)
            .order_by(TrainingSession.starts_at.desc(), TrainingSession.id.desc())
        )
    )
    if current is not None and current not in sessions:
        sessions.append(current)
    return sessions


def facilitator_options(current: User | None = None) -> list[User]:
    """Active facilitators by name, and the group's facilitator even if no longer one."""
    people = list(
        db.session.scalars(
            select(User)
            .where(User.role == Role.FACILITATOR, User.active.is_(True))
            .order_by(User.full_name, User.id)
        )
    )
    if current is not None and current not in people:
        people.append(current)
    return people


def _check_count(value, field_name: str) -> int:
    low, high = ATTENDEES_RANGE
    if value is None:
        return 0
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise DomainError(
            _("Enter a number from %(min)d to %(max)d.", min=low, max=high), field=field_name
        )
    return value


def _is_active_facilitator(user: User) -> bool:
    return user.role is Role.FACILITATOR and user.active


def _checked_group(group: FocusGroup | None, fields: dict) -> dict:
    region = region_chosen(fields.get("region_id"), group.region if group else None)
    check_past_date(fields.get("held_on"), region, "held_on")
    programme = get_chosen(
        Programme, fields.get("programme_id"), "programme_id", _("Choose a programme.")
    )
    session = get_chosen(
        TrainingSession, fields.get("session_id"), "session_id", _("Choose a session.")
    )
    if session is not None:
        if programme is None:
            programme = session.programme
        elif session.programme_id != programme.id:
            raise DomainError(
                _(
                    "This session teaches another programme: “%(title)s”.",
                    title=session.programme.title,
                ),
                field="session_id",
            )
    facilitator = get_chosen(
        User, fields.get("facilitator_id"), "facilitator_id", _("Choose a facilitator.")
    )
    kept = facilitator is (group.facilitator if group else None)  # may have changed role since
    if facilitator is not None and not kept and not _is_active_facilitator(facilitator):
        raise DomainError(_("Choose a facilitator."), field="facilitator_id")
    counts = {
        name: _check_count(fields.get(name), name) for name in ("women", "men", "other_genders")
    }
    if sum(counts.values()) < 1:
        raise DomainError(_("Count at least one attendee."), field="women")
    notes = clean(fields.get("notes")).strip()
    if len(notes) > NOTES_MAX:
        raise DomainError(too_long(NOTES_MAX), field="notes")
    return {
        "held_on": fields["held_on"],
        "region": region,
        "programme": programme,
        "session": session,
        "facilitator": facilitator,
        **counts,
        "notes": notes,
    }


def create_focus_group(*, author: User | None = None, **fields) -> FocusGroup:
    """A new focus group. Fields: held_on, region_id, programme_id, session_id, facilitator_id,
    women, men, other_genders, notes."""
    group = FocusGroup(**_checked_group(None, fields))
    group.created_by_id = author.id if author is not None else None
    db.session.add(group)
    db.session.flush()
    return group


def update_focus_group(group: FocusGroup, **fields) -> None:
    for name, value in _checked_group(group, fields).items():
        setattr(group, name, value)
    db.session.flush()
