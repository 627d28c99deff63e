"""In-app notifications, and email when SMTP is configured.

A notification stores a kind and parameters, not text: it is worded when read, in the reader's
language. Emails are sent only after the transaction that made them commits, so a failed request
never sends one; without `TOT_SMTP_HOST` nothing is sent and nothing breaks.
"""

import smtplib
from email.message import EmailMessage

from flask import current_app, has_request_context, url_for
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import event, func, select, update

from tot.accounts.models import User
from tot.db_types import utcnow
from tot.extensions import db
from tot.notifications.models import Notification

MESSAGES = {
    "enrolment.confirmed": _l("Your seat in “%(session)s” is confirmed."),
    "enrolment.waitlisted": _l("“%(session)s” is full for now: you are on the waiting list."),
    "enrolment.pending": _l("Your application to “%(session)s” waits for approval."),
    "enrolment.rejected": _l("Your application to “%(session)s” was not accepted: %(reason)s"),
    "enrolment.promoted": _l("A seat became free: your place in “%(session)s” is confirmed."),
    "session.changed": _l("“%(session)s” has changed: please check its dates and place."),
    "session.cancelled": _l("“%(session)s” is cancelled. We are sorry."),
    "certificate.issued": _l("Your certificate for “%(session)s” is ready."),
    "certificate.revoked": _l("Your certificate for “%(session)s” was withdrawn: %(reason)s"),
    "cascade.verified": _l(
        "Your report on the training of %(date)s in %(place)s is verified. Thank you."
    ),
    "cascade.returned": _l(
        "Your report on the training of %(date)s in %(place)s needs a correction: %(reason)s"
    ),
}


def message(notification: Notification) -> str:
    template = MESSAGES.get(notification.kind)
    if template is None:
        return notification.kind
    return str(template) % _with_defaults(notification.params or {})


def _with_defaults(params: dict) -> dict:
    return {"session": "", "reason": "", "date": "", "place": "", **params}


def send(user: User, kind: str, link: str | None = None, **params) -> Notification:
    notification = Notification(user_id=user.id, kind=kind, params=params, link=link)
    db.session.add(notification)
    db.session.info.setdefault("outbox", []).append(
        (user.email, user.language.value, kind, params, link)
    )
    return notification


def _session_link(session) -> str:
    return _path("sessions.show", session_id=session.id)


def _path(endpoint: str, **values) -> str:
    """A site path, built with or without a request (commands like seed-demo have none)."""
    if has_request_context():
        return url_for(endpoint, **values)
    return current_app.url_map.bind("localhost").build(endpoint, values)


def enrolment_outcome(enrolment) -> None:
    kind = f"enrolment.{enrolment.status.value}"
    if kind in MESSAGES:
        send(
            enrolment.user,
            kind,
            link=_session_link(enrolment.session),
            session=enrolment.session.title,
            reason=enrolment.reason or "",
        )


def promoted(enrolment) -> None:
    send(
        enrolment.user,
        "enrolment.promoted",
        link=_session_link(enrolment.session),
        session=enrolment.session.title,
    )


def session_news(session, users, kind: str) -> None:
    for user in users:
        send(user, kind, link=_session_link(session), session=session.title)


def unread_count(user: User) -> int:
    return db.session.execute(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
    ).scalar_one()


def recent(user: User):
    return (
        select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )


def mark_all_read(user: User) -> None:
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )


# --- email, after commit -------------------------------------------------------------------------


@event.listens_for(db.session, "after_commit")
def _send_outbox(session) -> None:
    outbox = session.info.pop("outbox", [])
    if not outbox or not current_app.config.get("SMTP_HOST"):
        return
    for email, language, kind, params, link in outbox:
        try:
            _email(email, language, kind, params, link)
        except (OSError, smtplib.SMTPException):
            current_app.logger.exception("Could not email a notification to %s", email)


@event.listens_for(db.session, "after_rollback")
def _drop_outbox(session) -> None:
    session.info.pop("outbox", None)


def _email(address: str, language: str, kind: str, params: dict, link: str | None) -> None:
    config = current_app.config
    base = config.get("PUBLIC_URL", "").rstrip("/")
    with force_locale(language):  # the recipient's language, not the sender's
        text = str(MESSAGES[kind]) % _with_defaults(params)
        signature = gettext("TOT platform")
    mail = EmailMessage()
    mail["From"] = config["SMTP_SENDER"]
    mail["To"] = address
    mail["Subject"] = text[:120]
    mail.set_content(f"{text}\n\n{base}{link or ''}\n\n-- \n{signature}\n")
    with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=10) as smtp:
        if config.get("SMTP_STARTTLS"):
            smtp.starttls()
        if config.get("SMTP_USER"):
            smtp.login(config["SMTP_USER"], config["SMTP_PASSWORD"])
        smtp.send_message(mail)


def mark_read(notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = utcnow()
