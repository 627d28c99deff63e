"""An audit entry: one thing someone did (or the platform did by a rule), kept for good.

The log is append-only. Nothing in the code changes or deletes an entry: the ORM refuses it here
(a flush that would update or delete one, an UPDATE or DELETE statement about them), and on
PostgreSQL a trigger refuses it too (migration 0011; emptying the whole log at once, as
`seed-demo --force` does, is the one deletion it allows).

An entry holds ids, codes, numbers and the wording of coded values, never free text that people
wrote (a reason, a name, an email): erasing a person (tot/privacy) must leave nothing of theirs
behind in a log that can never be changed.
"""

from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from tot.accounts.models import User
from tot.db_types import UTCDateTime, enum_column, utcnow
from tot.extensions import Model


class TargetKind(StrEnum):
    """What an entry's `target_id` is the id of."""

    ACCOUNT = "account"
    CERTIFICATE = "certificate"
    SESSION = "session"
    ENROLMENT = "enrolment"
    QUOTE = "quote"

    def describe(self, target_id: int) -> str:
        return str(TARGET_LABELS[self]) % {"id": target_id}


TARGET_LABELS = {
    TargetKind.ACCOUNT: _l("Account #%(id)d"),
    TargetKind.CERTIFICATE: _l("Certificate #%(id)d"),
    TargetKind.SESSION: _l("Session #%(id)d"),
    TargetKind.ENROLMENT: _l("Enrolment #%(id)d"),
    TargetKind.QUOTE: _l("Quote #%(id)d"),
}


class AuditAction(StrEnum):
    ROLE_CHANGED = "role_changed"
    ACCOUNT_DEACTIVATED = "account_deactivated"
    ACCOUNT_REACTIVATED = "account_reactivated"
    ACCOUNT_ERASED = "account_erased"
    NEW_DEVICE_LOGIN = "new_device_login"
    ENROLMENT_DECIDED = "enrolment_decided"
    CAPACITY_CHANGED = "capacity_changed"
    QUOTA_CHANGED = "quota_changed"
    CONSENT_CHANGED = "consent_changed"
    CERTIFICATE_ISSUED = "certificate_issued"
    CERTIFICATE_REVOKED = "certificate_revoked"
    EXPORTED = "exported"

    @property
    def label(self) -> str:
        return str(ACTION_LABELS[self])

    @property
    def target_kind(self) -> TargetKind | None:
        """What the entry's target is; None: an export, which has no target."""
        return ACTION_TARGETS.get(self)


ACTION_LABELS = {
    AuditAction.ROLE_CHANGED: _l("Role changed"),
    AuditAction.ACCOUNT_DEACTIVATED: _l("Account deactivated"),
    AuditAction.ACCOUNT_REACTIVATED: _l("Account reactivated"),
    AuditAction.ACCOUNT_ERASED: _l("Personal data erased"),
    AuditAction.NEW_DEVICE_LOGIN: _l("Login from a new device"),
    AuditAction.ENROLMENT_DECIDED: _l("Enrolment decided"),
    AuditAction.CAPACITY_CHANGED: _l("Capacity changed"),
    AuditAction.QUOTA_CHANGED: _l("Seat quota changed"),
    AuditAction.CONSENT_CHANGED: _l("Consent changed"),
    AuditAction.CERTIFICATE_ISSUED: _l("Certificate issued"),
    AuditAction.CERTIFICATE_REVOKED: _l("Certificate revoked"),
    AuditAction.EXPORTED: _l("File downloaded"),
}

ACTION_TARGETS = {
    AuditAction.ROLE_CHANGED: TargetKind.ACCOUNT,
    AuditAction.ACCOUNT_DEACTIVATED: TargetKind.ACCOUNT,
    AuditAction.ACCOUNT_REACTIVATED: TargetKind.ACCOUNT,
    AuditAction.ACCOUNT_ERASED: TargetKind.ACCOUNT,
    AuditAction.NEW_DEVICE_LOGIN: TargetKind.ACCOUNT,
    AuditAction.ENROLMENT_DECIDED: TargetKind.ENROLMENT,
    AuditAction.CAPACITY_CHANGED: TargetKind.SESSION,
    AuditAction.QUOTA_CHANGED: TargetKind.SESSION,
    AuditAction.CONSENT_CHANGED: TargetKind.QUOTE,
    AuditAction.CERTIFICATE_ISSUED: TargetKind.CERTIFICATE,
    AuditAction.CERTIFICATE_REVOKED: TargetKind.CERTIFICATE,
}


class AuditEntry(Model):
    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    action: Mapped[AuditAction] = mapped_column(enum_column(AuditAction), index=True)
    # None: the platform itself, by a rule (a certificate earned, an account past retention).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # The person the entry is about, if any: what they may download about themselves.
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # The id of the thing acted on; what kind of thing follows from the action.
    target_id: Mapped[int | None] = mapped_column()
    # {field: value} before and after (tot/audit/services.py writes and reads them).
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    subject: Mapped[User | None] = relationship(foreign_keys=[subject_id])

    @property
    def target(self) -> str:
        kind = self.action.target_kind
        if kind is None or self.target_id is None:
            return ""
        return kind.describe(self.target_id)

    def __repr__(self) -> str:
        return f"<AuditEntry {self.id} {self.action}>"


class AuditLogIsAppendOnly(RuntimeError):
    """Something tried to change or delete an audit entry."""


@event.listens_for(AuditEntry, "before_update")
def _refuse_update(_mapper, _connection, entry: AuditEntry) -> None:
    raise AuditLogIsAppendOnly(f"audit entry {entry.id} cannot be changed")


@event.listens_for(AuditEntry, "before_delete")
def _refuse_delete(_mapper, _connection, entry: AuditEntry) -> None:
    raise AuditLogIsAppendOnly(f"audit entry {entry.id} cannot be deleted")


@event.listens_for(Session, "do_orm_execute")
def _refuse_statements(state) -> None:
    """`update(AuditEntry)…` and `delete(AuditEntry)…` run through a session are refused too."""
    if (state.is_update or state.is_delete) and state.bind_mapper is AuditEntry.__mapper__:
        raise AuditLogIsAppendOnly("audit entries cannot be changed or deleted")
