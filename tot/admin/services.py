"""Account administration's rules on top of the accounts' own: each change is audited.

The rules of roles and access (not your own account, never the last administrator) live in
tot/accounts/services.py; this records what an administrator changed, before → after."""

from flask_babel import gettext as _

from tot.accounts import services as accounts
from tot.accounts.models import User
from tot.audit import services as audit
from tot.audit.models import AuditAction
from tot.errors import DomainError
from tot.permissions import Role


def change_role(actor: User, person: User, role: Role) -> None:
    before = person.role
    accounts.change_role(actor, person, role)
    if person.role is not before:
        audit.record(
            AuditAction.ROLE_CHANGED,
            actor=actor,
            subject=person,
            target=person,
            before={"role": before},
            after={"role": person.role},
        )


def deactivate(actor: User, person: User) -> None:
    was_active = person.active
    accounts.deactivate(actor, person)
    if was_active:
        _record_access(AuditAction.ACCOUNT_DEACTIVATED, actor, person)


def reactivate(actor: User, person: User) -> None:
    """An erased person's account stays closed: nothing is left to log in with."""
    if audit.is_erased(person):
        raise DomainError(_("This person's personal data was erased: the account stays closed."))
    was_active = person.active
    accounts.reactivate(person)
    if not was_active:
        _record_access(AuditAction.ACCOUNT_REACTIVATED, actor, person)


def _record_access(action: AuditAction, actor: User, person: User) -> None:
    audit.record(
        action,
        actor=actor,
        subject=person,
        target=person,
        before={"active": not person.active},
        after={"active": person.active},
    )
