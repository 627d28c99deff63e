"""How often logging in may fail: per account, and per address and account together.

Many people reach the site through one address: a mobile carrier's, a training venue's Wi-Fi.
Counting failures per address alone locked them all out once a few of them mistyped, the right
password included, and did not slow a guesser who moves from address to address. So attempts are
counted per account, and the counters are:

- address and account (`LOGIN_FAILURE_LIMIT`, 5 per 5 minutes): one place guessing at one
  account is stopped soon, whatever its password; others at that address are not affected;
- account (`LOGIN_ACCOUNT_FAILURE_LIMIT`, 20 per hour): guessing at one account from many
  addresses is slowed as a whole. It does not stop the account's owner on a device they have
  logged in from before (a signed "device" cookie says so, OWASP's "device cookies"): there a
  counter of that device and account (the first limit again) stands in for it, so strangers'
  failures never lock the owner out of their own phone, and a stolen device cookie guesses no
  faster than one address.

There is no limit per address alone: it would again lock out everyone behind a shared address,
and letting the right password through it would tell a guesser which one was right, slowing
nobody. Accounts are counted under a keyed digest of the email (never the email itself), and an
email with no account is counted like any other, so the answers tell nobody which emails exist.

Every attempt is counted before its password is checked, whatever comes of it: checking the
counters first and counting only failures afterwards let a burst of requests sent at once all pass
the check before any was counted. Counting is the limits library's atomic "hit", which refuses once
the limit is reached. A person logging in normally stays far below the limits.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from limits import RateLimitItem, parse

from tot.accounts.services import normalise_email
from tot.extensions import limiter

DEVICE_COOKIE = "tot_device"
DEVICE_COOKIE_DAYS = 365
DEVICE_ACCOUNTS = 10  # the accounts a device cookie vouches for, the most recent first


@dataclass(frozen=True)
class LoginAttempt:
    """Who tries to log in to which account: `device` is set when the device has done so before."""

    account: str  # the keyed digest of the email
    address: str
    device: str | None


def _account_key(email: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, normalise_email(email).encode(), hashlib.sha256).hexdigest()[:32]


def attempt(email: str, address: str | None, device_cookie: str | None) -> LoginAttempt:
    account = _account_key(email)
    device = _read_device_cookie(device_cookie)
    trusted = device is not None and account in device[1]
    return LoginAttempt(account, address or "unknown", device[0] if trusted and device else None)


def _limit(name: str) -> RateLimitItem:
    return parse(current_app.config[name])


Counter = tuple[RateLimitItem, tuple[str, ...]]


def _pair(attempt: LoginAttempt) -> Counter:
    return _limit("LOGIN_FAILURE_LIMIT"), ("login-pair", attempt.address, attempt.account)


def _account(attempt: LoginAttempt) -> Counter:
    return _limit("LOGIN_ACCOUNT_FAILURE_LIMIT"), ("login-account", attempt.account)


def _device(device: str, attempt: LoginAttempt) -> Counter:
    return _limit("LOGIN_FAILURE_LIMIT"), ("login-device", device, attempt.account)


def _checked(attempt: LoginAttempt) -> list[Counter]:
    """The counters that may refuse this attempt, and count it."""
    if attempt.device is not None:
        return [_pair(attempt), _device(attempt.device, attempt)]
    return [_pair(attempt), _account(attempt)]


def refused(attempt: LoginAttempt) -> bool:
    """Count this attempt; whether it must wait (HTTP 429), before its password is even checked.

    Every counter is hit (not only up to the first that refuses), so that a refused attempt
    counts everywhere alike."""
    if not limiter.enabled:
        return False
    strategy = limiter.limiter
    admitted = [strategy.hit(item, *keys) for item, keys in _checked(attempt)]
    return not all(admitted)


def count_failure(attempt: LoginAttempt) -> None:
    """A failure from a trusted device counts against the account as a whole too: guessing from
    a stolen phone is slowed like guessing from anywhere else."""
    if not limiter.enabled or attempt.device is None:
        return
    item, keys = _account(attempt)
    limiter.limiter.hit(item, *keys)


# --- the device cookie: "this browser has logged in to these accounts" --------------------------


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="login-device")


def _read_device_cookie(cookie: str | None) -> tuple[str, list[str]] | None:
    """(device id, account digests) from a genuine device cookie, or None."""
    if not cookie:
        return None
    try:
        data = _serializer().loads(cookie)
    except BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    device, accounts = data.get("device"), data.get("accounts")
    if not isinstance(device, str) or not isinstance(accounts, list):
        return None
    return device, [account for account in accounts if isinstance(account, str)]


def device_cookie_after_login(cookie: str | None, email: str) -> str:
    """The device cookie to send after a successful login: it vouches for this account too.

    It holds a random device id and keyed digests of accounts, so whoever reads it on a shared
    phone learns nothing about who logged in there."""
    device, accounts = _read_device_cookie(cookie) or (secrets.token_urlsafe(16), [])
    account = _account_key(email)
    accounts = [account, *(known for known in accounts if known != account)][:DEVICE_ACCOUNTS]
    return _serializer().dumps({"device": device, "accounts": accounts})
