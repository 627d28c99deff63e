"""A record of every login, checked on every request, so that a login can really end.

Logging in makes a `Login` and gives it a random secret; the session cookie and the remember-me
cookie carry that secret (it is what `User.get_id` answers), and the database keeps only its
digest. Each request finds its login by the digest and is let in only while the login is live:

- it has not been ended (logging out, or "log out" from another device, deletes it);
- the account's session version is the one it began with (a new password or a deactivation
  moves the version on, and so ends every login of the account at once);
- the account is active, and the login was used within a remember-me cookie's lifetime.

So a copied session cookie, or a remember-me cookie, opens nothing once its login has ended.
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import ColumnElement, and_, delete, select
from sqlalchemy.orm import contains_eager

from tot.accounts.devices import describe
from tot.accounts.models import CurrentLogin, Login, User
from tot.db_types import utcnow
from tot.extensions import db

# How often a login's "last seen" time is brought up to date: not on every request.
SEEN_EVERY = timedelta(minutes=5)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _unused_for() -> timedelta:
    """A login unused this long ends, as a remember-me cookie would."""
    return current_app.config["REMEMBER_COOKIE_DURATION"]


def _live(now: datetime) -> ColumnElement[bool]:
    """The one test of a live login, in SQL (its query must join its user)."""
    return and_(
        Login.session_version == User.session_version,
        User.active.is_(True),
        Login.last_seen_at > now - _unused_for(),
    )


def start(user: User, user_agent: str | None) -> Login:
    """Begin a login of `user` on this device; it becomes the user's current login."""
    _forget_ended(user)
    secret = secrets.token_urlsafe(32)
    browser, system = describe(user_agent)
    now = utcnow()
    login = Login(
        user=user,
        secret_digest=_digest(secret),
        session_version=user.session_version,
        browser=browser,
        system=system,
        started_at=now,
        last_seen_at=now,
    )
    db.session.add(login)
    db.session.flush()
    user.current_login = CurrentLogin(login, secret)
    return login


def _forget_ended(user: User) -> None:
    """Delete the logins of `user` that have ended by themselves (old version, long unused)."""
    live = select(Login.id).join(Login.user).where(Login.user_id == user.id, _live(utcnow()))
    db.session.execute(
        delete(Login)
        .where(Login.user_id == user.id, Login.id.not_in(live))
        .execution_options(synchronize_session="fetch")
    )


def load_user(secret: str) -> User | None:
    """Flask-Login's loader: the person whose live login carries this secret, or None."""
    login = db.session.scalar(
        select(Login)
        .join(Login.user)
        .options(contains_eager(Login.user))
        .where(Login.secret_digest == _digest(secret), _live(utcnow()))
    )
    if login is None:
        return None
    login.user.current_login = CurrentLogin(login, secret)
    return login.user


def note_activity(user: User) -> bool:
    """Bring the current login's "last seen" time up to date if it is SEEN_EVERY old.

    Answers whether it changed anything (for the caller to commit)."""
    current = user.current_login
    now = utcnow()
    if current is None or now - current.login.last_seen_at < SEEN_EVERY:
        return False
    current.login.last_seen_at = now
    return True


def live_logins(user: User) -> list[Login]:
    """The person's live logins, the most recently used first."""
    return list(
        db.session.scalars(
            select(Login)
            .join(Login.user)
            .where(Login.user_id == user.id, _live(utcnow()))
            .order_by(Login.last_seen_at.desc(), Login.id.desc())
        )
    )


def end_current(user: User) -> None:
    """End the login this request came with (logging out)."""
    if user.current_login is not None:
        end(user, user.current_login.login.id)
        user.current_login = None


def end(user: User, login_id: int) -> bool:
    """End one login of `user`; False when `user` has no such login."""
    result = db.session.execute(
        delete(Login)
        .where(Login.id == login_id, Login.user_id == user.id)
        .execution_options(synchronize_session="fetch")
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def end_others(user: User) -> None:
    """End every login of `user` but the one this request came with."""
    statement = delete(Login).where(Login.user_id == user.id)
    if user.current_login is not None:
        statement = statement.where(Login.id != user.current_login.login.id)
    db.session.execute(statement.execution_options(synchronize_session="fetch"))
