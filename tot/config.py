"""Configuration from the environment, with defaults that live in the instance folder.

Every setting a deployment may change is read from a `TOT_*` environment variable (a `.env` file in
the project root is read too). Nothing secret is committed: without `TOT_SECRET_KEY`, a key is
generated into `instance/secret_key` on first start and reused afterwards.
"""

import os
import secrets
import tempfile
from datetime import timedelta
from pathlib import Path

PRIVACY_NOTICE_VERSION = "2026-11"


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _instance_secret_key(instance_path: Path) -> str:
    """The instance's key, made on first start; several processes may start at once."""
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        # Written whole under a private name, then linked into place: linking fails if another
        # process got there first, and no process ever reads a half-written key.
        fd, draft = tempfile.mkstemp(dir=instance_path, prefix=".secret_key-")  # mode 0600
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
        try:
            os.link(draft, key_file)
        except FileExistsError:
            pass
        finally:
            os.unlink(draft)
    return key_file.read_text().strip()


def from_environment(instance_path: str) -> dict:
    instance = Path(instance_path)
    https = _flag("TOT_HTTPS")
    database_url = os.environ.get("TOT_DATABASE_URL") or f"sqlite:///{instance / 'tot.db'}"
    return {
        "SECRET_KEY": os.environ.get("TOT_SECRET_KEY") or _instance_secret_key(instance),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": https,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": https,
        "REMEMBER_COOKIE_DURATION": timedelta(days=30),
        "PREFERRED_URL_SCHEME": "https" if https else "http",
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the login session
        "BABEL_DEFAULT_LOCALE": "en",
        # Login attempts allowed (limits-library expressions) before HTTP 429: per address and
        # account together, and per account from anywhere (accounts/throttling.py).
        "LOGIN_FAILURE_LIMIT": os.environ.get("TOT_LOGIN_FAILURE_LIMIT", "5 per 5 minutes"),
        "LOGIN_ACCOUNT_FAILURE_LIMIT": os.environ.get(
            "TOT_LOGIN_ACCOUNT_FAILURE_LIMIT", "20 per hour"
        ),
        # Registrations tried per client address before HTTP 429.
        "REGISTRATION_LIMIT": os.environ.get("TOT_REGISTRATION_LIMIT", "60 per hour"),
        # Rate-limit counters are shared by all app instances when a Redis URL is given.
        "RATELIMIT_STORAGE_URI": os.environ.get("TOT_REDIS_URL", "memory://"),
        # How many reverse proxies sit in front of the app (for the client's real address).
        "PROXY_COUNT": int(os.environ.get("TOT_PROXY_COUNT", "0")),
        "PRIVACY_NOTICE_VERSION": PRIVACY_NOTICE_VERSION,
        "USERS_PER_PAGE": 25,
        # Feedback and self-assessment results are shown only above these numbers, so that
        # nobody can be recognised from their answers.
        "FEEDBACK_MIN_RESPONSES": int(os.environ.get("TOT_FEEDBACK_MIN_RESPONSES", "3")),
        "ASSESSMENT_MIN_PAIRS": int(os.environ.get("TOT_ASSESSMENT_MIN_PAIRS", "3")),
        # A certificate needs the programme completed and at least this share of the session's
        # days attended (a percentage).
        "CERTIFICATE_MIN_ATTENDANCE": int(os.environ.get("TOT_CERTIFICATE_MIN_ATTENDANCE", "80")),
        # The organisation that issues certificates, as printed on them (unset: the platform's
        # name, in the holder's language).
        "ISSUING_ORGANISATION": os.environ.get("TOT_ISSUING_ORGANISATION"),
        # Look-ups of certificate codes allowed per client (a limits-library expression).
        "CERTIFICATE_VERIFY_LIMIT": os.environ.get("TOT_CERTIFICATE_VERIFY_LIMIT", "30 per minute"),
        # Email for notifications: sent only when an SMTP host is configured.
        "SMTP_HOST": os.environ.get("TOT_SMTP_HOST"),
        "SMTP_PORT": int(os.environ.get("TOT_SMTP_PORT", "587")),
        "SMTP_USER": os.environ.get("TOT_SMTP_USER"),
        "SMTP_PASSWORD": os.environ.get("TOT_SMTP_PASSWORD"),
        "SMTP_STARTTLS": _flag("TOT_SMTP_STARTTLS", default=True),
        "SMTP_SENDER": os.environ.get("TOT_SMTP_SENDER", "tot-platform@localhost"),
        # Attempts `flask send-mail` makes to send an email before giving up on it.
        "MAIL_MAX_ATTEMPTS": int(os.environ.get("TOT_MAIL_MAX_ATTEMPTS", "8")),
        # Where `flask backup` writes copies of the SQLite database.
        "BACKUP_DIR": os.environ.get("TOT_BACKUP_DIR") or str(instance / "backups"),
        # The site's address as people reach it, for links in emails and calendar feeds.
        "PUBLIC_URL": os.environ.get("TOT_PUBLIC_URL", "http://127.0.0.1:5000"),
        "MAX_CONTENT_LENGTH": 4 * 1024 * 1024,  # uploads (bulk enrolment files)
        "SET_PASSWORD_LINK_DAYS": 7,
    }
