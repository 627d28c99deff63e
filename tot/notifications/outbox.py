"""The email outbox, on the request's side: emails are written as rows, never sent, by a request.

`queue` keeps an email with the database session; when the session commits, the email becomes an
`OutgoingEmail` row in the same transaction, so it exists exactly when what it tells happened, and
a rolled-back request leaves none. `flask send-mail` (tot/notifications/mailer.py) sends the rows
later, with retries: a mail server that is down never fails a request nor loses an email.

Without `TOT_SMTP_HOST` nothing is queued. What is queued but not yet committed waits in
`db.session.info["outbox"]`; `discard` drops it (loading the demo data does, so that its fictional
people are never emailed).
"""

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import event

from tot.extensions import db
from tot.notifications.models import OutgoingEmail

PENDING = "outbox"  # the key of the emails waiting for the commit in `Session.info`
SUBJECT_LENGTH = 120


@dataclass(frozen=True)
class Email:
    """An email, worded already in its recipient's language."""

    recipient: str
    language: str
    subject: str
    body: str


def email_enabled() -> bool:
    """Whether emails go out at all: an SMTP server is configured."""
    return bool(current_app.config.get("SMTP_HOST"))


def queue(email: Email) -> None:
    """Send `email` once the current transaction commits (nothing, without an SMTP server)."""
    if email_enabled():
        db.session.info.setdefault(PENDING, []).append(email)


def discard() -> None:
    """Send none of the emails queued in the current transaction (the demo's fictional people)."""
    db.session.info.pop(PENDING, None)


@event.listens_for(db.session, "before_commit")
def _write_outbox(session) -> None:
    """The emails queued become rows of the transaction that is committing (flushed with it)."""
    for email in session.info.pop(PENDING, []):
        session.add(
            OutgoingEmail(
                recipient=email.recipient,
                language=email.language,
                subject=" ".join(email.subject.split())[:SUBJECT_LENGTH],  # one line
                body=email.body,
            )
        )


@event.listens_for(db.session, "after_rollback")
def _drop_outbox(session) -> None:
    session.info.pop(PENDING, None)
