"""Writing the audit log, and reading it back: the filters staff use, the wording of a change.

Every feature records through `record`; nothing else writes an entry, and nothing changes one
(tot/audit/models.py). The values before and after are stored as JSON: numbers, yes/no, codes,
and coded values (a role, a status, a region) with their wording in every interface language as
it read when the entry was made, so that the log reads in its reader's language and a later
change of the code or its words does not rewrite history.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from enum import Enum

from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, exists, select
from sqlalchemy.orm import joinedload

from tot.accounts.hooks import new_device_login
from tot.accounts.models import User
from tot.accounts.services import search_users
from tot.audit.models import AuditAction, AuditEntry
from tot.db_types import utcnow
from tot.extensions import db
from tot.i18n import Language

# The words of the fields an entry may hold; a field not listed here is shown by its code.
FIELD_LABELS = {
    "role": _l("Role"),
    "active": _l("Can log in"),
    "erased": _l("Personal data erased"),
    "revoked": _l("Revoked"),
    "by_hand": _l("Issued by hand"),
    "session": _l("Session"),
    "status": _l("Status"),
    "capacity": _l("Capacity"),
    "region": _l("Region"),
    "cap": _l("Cap"),
    "reserved": _l("Reserved seats"),
    "consent": _l("Consent"),
    "name_shown": _l("Name shown"),
    "place_shown": _l("Place shown"),
    "show_age_band": _l("Age group shown"),
    "show_occupation": _l("Occupation shown"),
    "file": _l("File"),
    "lines": _l("Lines"),
    "browser": _l("Browser"),
    "system": _l("System"),
}
NUMBER = re.compile(r"^#?\s*(\d{1,9})$")


# --- writing -------------------------------------------------------------------------------------


def record(
    action: AuditAction,
    *,
    actor=None,
    subject: User | None = None,
    target=None,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEntry:
    """Add an entry to the log, in the caller's transaction (it is kept only if that commits).

    `actor`: who did it (a signed-in person; None or a visitor: the platform, by a rule);
    `subject`: the person it is about; `target`: the thing acted on (its id is kept; its kind
    follows from the action); `before`/`after`: {field: value} of what changed."""
    entry = AuditEntry(
        at=utcnow(),
        action=action,
        actor_id=actor.id if getattr(actor, "is_authenticated", False) else None,
        subject_id=_id_of(subject),
        target_id=_id_of(target),
        before=_recorded(before),
        after=_recorded(after),
    )
    db.session.add(entry)
    return entry


def _id_of(thing) -> int | None:
    if thing is None or isinstance(thing, int):
        return thing
    if thing.id is None:  # new, not yet written: writing it gives it its id
        db.session.flush()
    return thing.id


def _recorded(values: dict | None) -> dict | None:
    if values is None:
        return None
    return {str(field): _value(value) for field, value in values.items()}


def _value(value):
    if hasattr(value, "label"):  # a role, a status, a region: its code and its words
        return _worded(value)
    if isinstance(value, Enum):
        return value.value
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, date):  # a datetime is a date too
        return value.isoformat()
    return str(value)


def _worded(value) -> dict:
    code = value.value if isinstance(value, Enum) else getattr(value, "id", None)
    labels = {}
    for language in Language:
        with force_locale(language.value):
            labels[language.value] = str(value.label)
    return {"value": code, "labels": labels}


# --- reading an entry ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One field of an entry, worded for its reader; `before` is None when there was no before.
    `literal`: the values are names the platform gave (a file's), not words to translate."""

    field: str
    before: str | None
    after: str
    literal: bool = False


def changes(entry: AuditEntry) -> list[Change]:
    before, after = entry.before or {}, entry.after or {}
    fields = list(dict.fromkeys([*before, *after]))
    return [
        Change(
            field=str(FIELD_LABELS.get(field, field)),
            before=worded(before.get(field)) if field in before else None,
            after=worded(after.get(field)),
            literal=isinstance(after.get(field), str),
        )
        for field in fields
    ]


def change_text(entry: AuditEntry) -> str:
    """The changes of an entry on one line (for files)."""
    return "; ".join(
        f"{change.field}: {change.after}"
        if change.before is None
        else f"{change.field}: {change.before} → {change.after}"
        for change in changes(entry)
    )


def worded(value) -> str:
    """A recorded value in the reader's language."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dict):
        labels = value.get("labels") or {}
        language = str(get_locale() or Language.ENGLISH.value)
        text = labels.get(language) or labels.get(Language.ENGLISH.value)
        return str(text if text is not None else value.get("value", ""))
    return str(value)


def actor_name(entry: AuditEntry) -> str:
    return entry.actor.full_name if entry.actor is not None else _("The platform")


# --- finding entries -----------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditFilter:
    """What staff look for: an action, who did it, whom or what it concerns, when."""

    action: AuditAction | None = None
    actor: str = ""
    concerning: str = ""  # a name or email fragment, or a target's number ("#12")
    since: datetime | None = None  # from this moment on
    until: datetime | None = None  # before this moment


def period(
    first: date | None, last: date | None, zone: tzinfo
) -> tuple[datetime | None, datetime | None]:
    """The moments from the start of `first` to the end of `last`, on the reader's clock."""
    since = datetime.combine(first, time(), zone) if first else None
    until = datetime.combine(last + timedelta(days=1), time(), zone) if last else None
    return since, until


def _people_matching(text: str):
    return search_users(text).with_only_columns(User.id).order_by(None)


def search(filters: AuditFilter) -> Select:
    """The entries matching the filters, newest first, with who did it and whom it concerns."""
    statement = (
        select(AuditEntry)
        .options(joinedload(AuditEntry.actor), joinedload(AuditEntry.subject))
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    )
    if filters.action is not None:
        statement = statement.where(AuditEntry.action == filters.action)
    if filters.actor.strip():
        statement = statement.where(AuditEntry.actor_id.in_(_people_matching(filters.actor)))
    concerning = filters.concerning.strip()
    number = NUMBER.match(concerning)
    if number:
        statement = statement.where(AuditEntry.target_id == int(number.group(1)))
    elif concerning:
        statement = statement.where(AuditEntry.subject_id.in_(_people_matching(concerning)))
    if filters.since is not None:
        statement = statement.where(AuditEntry.at >= filters.since)
    if filters.until is not None:
        statement = statement.where(AuditEntry.at < filters.until)
    return statement


def entries_about(person: User) -> list[AuditEntry]:
    """Every entry about a person, oldest first (for the download of their own data)."""
    return list(
        db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.subject_id == person.id)
            .order_by(AuditEntry.at, AuditEntry.id)
        )
    )


# --- what the log is the record of ---------------------------------------------------------------


def erased_condition(user_id_column):
    """SQL: the person's personal data has been erased (the log holds the one record of it)."""
    return exists().where(
        AuditEntry.action == AuditAction.ACCOUNT_ERASED, AuditEntry.subject_id == user_id_column
    )


def is_erased(person: User) -> bool:
    return bool(db.session.scalar(select(erased_condition(person.id))))


# --- what lower features tell (tot/accounts/hooks.py) --------------------------------------------


@new_device_login.connect
def record_new_device_login(user: User, browser: str | None, system: str | None) -> None:
    record(
        AuditAction.NEW_DEVICE_LOGIN,
        actor=user,
        subject=user,
        target=user,
        after={"browser": browser, "system": system},
    )
