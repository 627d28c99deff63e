"""Erasing a person on request, and after a retention period: the one rule of what goes.

`erase` is the only way a person is erased, whether an administrator does it (tot/privacy/views)
or `flask purge-inactive` does it to accounts deactivated long ago. What identifies the person,
and what they wrote, is removed for good; what they took part in stays, under no name, so that
the figures (enrolments, attendance, progress, anonymous feedback, cascade headcounts,
certificates counted) do not change:

- the account: the name becomes "Erased person #id", the email a unique address that can never
  receive mail, no password, no phone, no last login; deactivated. Role, region, gender and age
  group stay: the reports count by them, and alone they name nobody;
- what they wrote: reflections, the notes and review comments of their cascade reports, the reason
  given when an application was refused;
- certificates: the name on them is erased, and they are revoked ("Erased on request"), so that a
  verification no longer vouches for anyone;
- their notifications, emails (sent or waiting), calendar feed and logins are deleted;
- the erasure is recorded in the audit log (which holds no names), and the log is how the
  platform knows a person was erased.
"""

from calendar import monthrange
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import delete, select, update

from tot.accounts import services as accounts
from tot.accounts.models import Login, User
from tot.audit import services as audit
from tot.audit.models import AuditAction
from tot.cascade.models import CascadeTraining
from tot.certificates.models import Certificate
from tot.db_types import utcnow
from tot.enrolment.models import Enrolment
from tot.errors import DomainError
from tot.extensions import db
from tot.learning.models import Reflection
from tot.notifications.models import Notification, OutgoingEmail
from tot.sessions.models import CalendarToken

# Stored data, the same in every language (like any name): not interface text.
ERASED_NAME = "Erased person #{id}"
ERASED_EMAIL = "erased-{id}@erased.invalid"  # .invalid: a domain that can never exist (RFC 2606)
ERASED_REASON = "Erased on request"


def erase_refusal(actor: User | None, person: User) -> str | None:
    """Why `actor` may not erase this person now, or None if they may."""
    if audit.is_erased(person):
        return _("This person's personal data is already erased.")
    if actor is not None and actor.id == person.id:
        return _("You cannot erase your own account. Another administrator can.")
    return None


def erase(actor: User | None, person: User, now: datetime | None = None) -> None:
    """Erase a person's personal data (see above). `actor`: the administrator, or None when the
    platform does it after the retention period. An active account is first deactivated, by the
    accounts' rules (never the last administrator)."""
    now = now or utcnow()
    refusal = erase_refusal(actor, person)
    if refusal is not None:
        raise DomainError(refusal)
    was_active = person.active
    if was_active:
        if actor is None:
            raise DomainError(_("Only an account that is deactivated is erased this way."))
        accounts.deactivate(actor, person)
    _forget(person)  # first: the outbox is addressed by the email about to be erased
    _erase_account(person)
    _erase_writing(person)
    _erase_certificates(actor, person, now)
    audit.record(
        AuditAction.ACCOUNT_ERASED,
        actor=actor,
        subject=person,
        target=person,
        before={"active": was_active},
        after={"active": False, "erased": True},
    )
    db.session.flush()


def _erase_account(person: User) -> None:
    person.full_name = ERASED_NAME.format(id=person.id)
    person.email = ERASED_EMAIL.format(id=person.id)
    person.password_hash = None
    person.phone = None
    person.last_login_at = None
    person.session_version += 1  # ends every login and set-password link still around


def _erase_writing(person: User) -> None:
    db.session.execute(update(Reflection).where(Reflection.user_id == person.id).values(text=""))
    db.session.execute(
        update(CascadeTraining)
        .where(CascadeTraining.graduate_id == person.id)
        .values(notes="", review_comment="")
    )
    db.session.execute(update(Enrolment).where(Enrolment.user_id == person.id).values(reason=None))


def _erase_certificates(actor: User | None, person: User, now: datetime) -> None:
    certificates = db.session.scalars(select(Certificate).where(Certificate.user_id == person.id))
    for certificate in certificates:
        certificate.holder_name = ERASED_NAME.format(id=person.id)
        certificate.issue_reason = None
        was_revoked = certificate.is_revoked
        if not was_revoked:
            certificate.revoked_at = now
            certificate.revoked_by_id = actor.id if actor is not None else None
        certificate.revoke_reason = ERASED_REASON
        audit.record(
            AuditAction.CERTIFICATE_REVOKED,
            actor=actor,
            subject=person,
            target=certificate,
            before={"revoked": was_revoked},
            after={"revoked": True, "erased": True},
        )


def _forget(person: User) -> None:
    """What exists only for the person's own use, and the emails to them (sent or waiting)."""
    for model in (Notification, CalendarToken, Login):
        db.session.execute(delete(model).where(model.user_id == person.id))
    db.session.execute(delete(OutgoingEmail).where(OutgoingEmail.recipient == person.email))


# --- retention -----------------------------------------------------------------------------------


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (the month's last day if shorter)."""
    year, month_index = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    month = month_index + 1
    day = min(moment.day, monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def purge_inactive(months: int, now: datetime | None = None) -> list[User]:
    """Erase every account deactivated more than `months` months ago and not erased yet."""
    now = now or utcnow()
    cutoff = months_before(now, months)
    people = list(
        db.session.scalars(
            select(User)
            .where(
                User.active.is_(False),
                User.deactivated_at.is_not(None),
                User.deactivated_at < cutoff,
                ~audit.erased_condition(User.id),
            )
            .order_by(User.id)
        )
    )
    for person in people:
        erase(None, person, now)
    return people
