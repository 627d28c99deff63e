"""The email outbox, on the worker's side: `flask send-mail` sends the emails that are due.

Requests only write `OutgoingEmail` rows (outbox.py). The worker takes a batch of due rows by
writing its mark into them in one UPDATE that also asks that no live worker has marked them (and
skips rows another transaction holds, on PostgreSQL): two workers running at once never take the
same email. Each email is then sent and its outcome committed at once, so a worker that stops
mid-batch sends at most the one email it was sending a second time; the marks of a worker that
stopped are taken over after `CLAIM_TIMEOUT`.

An email that fails is tried again after 1, 5, 25, 125 minutes, then every 6 hours, up to
`MAIL_MAX_ATTEMPTS` attempts; then it is given up on and kept, marked failed, for administrators to
see (`flask send-mail --failed`) and retry (`--retry-failed`). Sent emails are deleted after
`KEEP_SENT`: they may hold links to choose a password.
"""

import secrets
import smtplib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from flask import current_app
from sqlalchemy import ColumnElement, and_, delete, func, or_, select, update

from tot.db_types import utcnow
from tot.extensions import db
from tot.notifications.models import OutgoingEmail

BATCH = 20
SMTP_TIMEOUT = 10  # seconds; a batch then takes a few minutes at worst, well under CLAIM_TIMEOUT
CLAIM_TIMEOUT = timedelta(minutes=15)
FIRST_DELAY = timedelta(minutes=1)
DELAY_GROWTH = 5
LONGEST_DELAY = timedelta(hours=6)
KEEP_SENT = timedelta(days=14)
SMTP_ERRORS = (OSError, smtplib.SMTPException, ValueError)  # ValueError: a header mail refuses


@dataclass
class Round:
    """What one run of the worker did."""

    sent: int = 0
    to_retry: int = 0
    given_up: list[OutgoingEmail] = field(default_factory=list)

    @property
    def did_something(self) -> bool:
        return bool(self.sent or self.to_retry or self.given_up)


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after `attempts` failed attempts: 1, 5, 25, 125 minutes, then 6 hours."""
    return min(FIRST_DELAY * DELAY_GROWTH ** max(attempts - 1, 0), LONGEST_DELAY)


def send_due(now: datetime | None = None) -> Round:
    """Send every email due at `now`, batch after batch, each tried once in this run."""
    now = now or utcnow()
    worker = secrets.token_hex(8)
    done = Round()
    while batch := _claim(worker, now):
        _deliver(batch, now, done)
        if len(batch) < BATCH:
            break
    db.session.execute(delete(OutgoingEmail).where(OutgoingEmail.sent_at < now - KEEP_SENT))
    db.session.commit()
    return done


def _takeable(now: datetime) -> ColumnElement[bool]:
    return and_(
        OutgoingEmail.sent_at.is_(None),
        OutgoingEmail.failed_at.is_(None),
        OutgoingEmail.next_attempt_at <= now,
        or_(OutgoingEmail.claimed_by.is_(None), OutgoingEmail.claimed_at < now - CLAIM_TIMEOUT),
    )


def _claim(worker: str, now: datetime) -> list[OutgoingEmail]:
    """Mark up to BATCH due emails as this worker's, and commit: they are then its own."""
    due = (
        select(OutgoingEmail.id)
        .where(_takeable(now))
        .order_by(OutgoingEmail.next_attempt_at, OutgoingEmail.id)
        .limit(BATCH)
        .with_for_update(skip_locked=True)  # PostgreSQL; SQLite writes one at a time anyway
    )
    # `_takeable` again: on PostgreSQL, a row another worker marked meanwhile is read anew
    # after its lock is released, and left alone.
    db.session.execute(
        update(OutgoingEmail)
        .where(OutgoingEmail.id.in_(due.scalar_subquery()), _takeable(now))
        .values(claimed_by=worker, claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return list(
        db.session.scalars(
            select(OutgoingEmail)
            .where(OutgoingEmail.claimed_by == worker)
            .order_by(OutgoingEmail.next_attempt_at, OutgoingEmail.id)
        )
    )


def _deliver(batch: list[OutgoingEmail], now: datetime, done: Round) -> None:
    config = current_app.config
    with _Connection(config) as connection:
        for email in batch:
            email.attempts += 1
            try:
                connection.send(_message(email, config))
            except SMTP_ERRORS as error:
                _failed(email, error, now, done)
            else:
                email.sent_at = now
                email.last_error = None
                done.sent += 1
            email.claimed_by = email.claimed_at = None
            db.session.commit()


def _failed(email: OutgoingEmail, error: Exception, now: datetime, done: Round) -> None:
    email.last_error = f"{type(error).__name__}: {error}"[:1000]
    if email.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
        email.failed_at = now
        done.given_up.append(email)
        current_app.logger.error(
            "Gave up on email %s after %s attempts: %s", email.id, email.attempts, error
        )
    else:
        email.next_attempt_at = now + retry_delay(email.attempts)
        done.to_retry += 1
        current_app.logger.warning("Email %s not sent, will retry: %s", email.id, error)


def _message(email: OutgoingEmail, config) -> EmailMessage:
    sender = config["SMTP_SENDER"]
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    message = EmailMessage()
    message["From"] = sender
    message["To"] = email.recipient
    message["Subject"] = email.subject
    message["Date"] = format_datetime(email.created_at)
    # The same on every attempt, so that a mail server may recognise an email sent twice.
    message["Message-ID"] = f"<outbox-{email.id}-{email.created_at:%Y%m%d%H%M%S}@{domain}>"
    message.set_content(email.body)
    message["Content-Language"] = email.language  # after the content, which would clear it
    return message


class _Connection:
    """One SMTP connection for a batch: opened when first needed, opened again after an error.
    When the server cannot be reached at all, the rest of the batch fails at once."""

    def __init__(self, config) -> None:
        self.config = config
        self.smtp: smtplib.SMTP | None = None
        self.unreachable: Exception | None = None

    def __enter__(self) -> "_Connection":
        return self

    def __exit__(self, *exc) -> None:
        self._close()

    def send(self, message: EmailMessage) -> None:
        if self.unreachable is not None:
            raise ConnectionError(f"SMTP server unreachable: {self.unreachable}")
        if self.smtp is None:
            self.smtp = self._open()
        try:
            self.smtp.send_message(message)
        except SMTP_ERRORS:
            self._close()
            raise

    def _open(self) -> smtplib.SMTP:
        config = self.config
        try:
            smtp = smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=SMTP_TIMEOUT)
        except SMTP_ERRORS as error:
            self.unreachable = error
            raise
        try:
            if config.get("SMTP_STARTTLS"):
                smtp.starttls()
            if config.get("SMTP_USER"):
                smtp.login(config["SMTP_USER"], config["SMTP_PASSWORD"])
        except BaseException:
            smtp.close()
            raise
        return smtp

    def _close(self) -> None:
        if self.smtp is None:
            return
        smtp, self.smtp = self.smtp, None
        try:
            smtp.quit()
        except SMTP_ERRORS:
            smtp.close()


# --- for administrators ---------------------------------------------------------------------------


def given_up() -> list[OutgoingEmail]:
    """The emails given up on after their last attempt, oldest first."""
    return list(
        db.session.scalars(
            select(OutgoingEmail)
            .where(OutgoingEmail.failed_at.is_not(None))
            .order_by(OutgoingEmail.failed_at, OutgoingEmail.id)
        )
    )


def retry_given_up(now: datetime | None = None) -> int:
    """Give every email given up on a new round of attempts, due now; how many there were."""
    result = db.session.execute(
        update(OutgoingEmail)
        .where(OutgoingEmail.failed_at.is_not(None))
        .values(failed_at=None, attempts=0, next_attempt_at=now or utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount  # type: ignore[attr-defined]


def waiting() -> int:
    """How many emails wait to be sent (due now or later)."""
    return (
        db.session.scalar(
            select(func.count())
            .select_from(OutgoingEmail)
            .where(OutgoingEmail.sent_at.is_(None), OutgoingEmail.failed_at.is_(None))
        )
        or 0
    )
