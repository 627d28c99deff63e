"""In-app notifications, and email when SMTP is configured.

A notification stores a kind and parameters, not text: it is worded when read, in the reader's
language. Its email is worded now, in the recipient's language, and goes to the outbox
(`outbox.py`): written with the transaction that made it, sent later by `flask send-mail`. Without
`TOT_SMTP_HOST` no email is queued and nothing breaks.
"""

from flask import current_app, has_request_context, url_for
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from tot.accounts.hooks import ALREADY_REGISTERED, CHOOSE_PASSWORD, email_person
from tot.accounts.models import User
from tot.db_types import utcnow
from tot.extensions import db
from tot.notifications import outbox
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
    CHOOSE_PASSWORD: _l(
        "Welcome to the TOT platform. Follow this link to choose your password and start."
    ),
    ALREADY_REGISTERED: _l(
        "Someone asked to register on the TOT platform with your email address, which already "
        "has an account. If it was you, log in with this link; if you have forgotten your "
        "password, ask the staff of your programme. If it was not you, ignore this message."
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
    email(user, kind, link, **params)
    return notification


def email(user: User, kind: str, link: str | None = None, **params) -> None:
    """Email `user` the message of `kind`, in their language, once the transaction commits
    (through the outbox; nothing without an SMTP server). `send` does it with every notification."""
    if outbox.email_enabled():
        outbox.queue(_email(user.email, user.language.value, kind, params, link))


@email_person.connect
def _email_about_account(_sender=None, *, user: User, kind: str, link: str) -> None:
    """Email only: the link in it must not stay in the app's notifications."""
    email(user, kind, link)


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


# --- email ---------------------------------------------------------------------------------------


def _email(address: str, language: str, kind: str, params: dict, link: str | None) -> outbox.Email:
    base = current_app.config.get("PUBLIC_URL", "").rstrip("/")
    with force_locale(language):  # the recipient's language, not the sender's
        text = str(MESSAGES.get(kind, kind)) % _with_defaults(params)
        signature = gettext("TOT platform")
    body = f"{text}\n\n{base}{link or ''}\n\n-- \n{signature}\n"
    return outbox.Email(recipient=address, language=language, subject=text, body=body)


def mark_read(notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = utcnow()
