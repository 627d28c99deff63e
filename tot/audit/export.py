"""The audit log as a spreadsheet (written by tot.exports, like every file staff download)."""

from collections.abc import Iterable

from flask_babel import gettext as _

from tot.audit.models import AuditEntry
from tot.audit.services import actor_name, change_text


def entry_rows(entries: Iterable[AuditEntry]):
    yield [_("When"), _("Who"), _("What"), _("Person concerned"), _("Target"), _("What changed")]
    for entry in entries:
        yield [
            entry.at.isoformat(timespec="seconds"),  # in UTC, and saying so (+00:00)
            actor_name(entry),
            entry.action.label,
            entry.subject.full_name if entry.subject is not None else "",
            entry.target,
            change_text(entry),
        ]
