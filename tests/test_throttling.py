"""Failed logins are counted per account and per address and account: strangers' failures do not
lock a person out, and guessing at one account is slowed from any address."""

import json

import pytest
from itsdangerous import base64_decode

from tests.conftest import PASSWORD, flashes, page
from tot.accounts.throttling import DEVICE_COOKIE
from tot.permissions import Role

GENERIC_ERROR = "The email or password is not correct, or the account is not active."


def client_at(app, address: str):
    """A browser reaching the site from `address` (its mobile carrier's, say)."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def post_login(client, email, password=PASSWORD):
    return client.post("/login", data={"email": email, "password": password})


def signed_in(client) -> bool:
    return client.get("/profile").status_code == 200


@pytest.fixture
def limits(app):
    """Small limits, to reach them in a few tries."""

    def set_limits(pair="3 per minute", account="1000 per minute"):
        app.config["LOGIN_FAILURE_LIMIT"] = pair
        app.config["LOGIN_ACCOUNT_FAILURE_LIMIT"] = account

    return set_limits


def fail(client, email, times):
    for _ in range(times):
        response = post_login(client, email, "wrong password")
        assert response.status_code == 200
        assert flashes(page(response)) == [GENERIC_ERROR]


# --- per address and account ---------------------------------------------------------------------


def test_failures_from_one_address_stop_that_address_guessing_at_that_account(
    app, make_user, limits
):
    limits(pair="3 per minute")
    make_user(email="aida@example.org")
    guesser = client_at(app, "10.0.0.1")
    fail(guesser, "aida@example.org", 3)

    response = post_login(guesser, "aida@example.org")  # even the right password waits

    assert response.status_code == 429
    assert "Too many attempts" in page(response).h1.get_text()
    assert not signed_in(guesser)


def test_the_owner_logs_in_from_another_address_meanwhile(app, make_user, limits):
    limits(pair="3 per minute")
    make_user(email="aida@example.org")
    fail(client_at(app, "10.0.0.1"), "aida@example.org", 3)

    owner = client_at(app, "10.0.0.2")
    assert post_login(owner, "aida@example.org").status_code == 302
    assert signed_in(owner)


def test_others_behind_the_same_address_are_not_locked_out(app, make_user, limits):
    """One mobile carrier's address: someone's mistakes do not stop their neighbours."""
    limits(pair="3 per minute")
    make_user(email="aida@example.org")
    make_user(email="bolot@example.org")
    fail(client_at(app, "10.0.0.1"), "aida@example.org", 3)

    neighbour = client_at(app, "10.0.0.1")
    assert post_login(neighbour, "bolot@example.org").status_code == 302
    assert signed_in(neighbour)


def test_an_email_without_an_account_is_counted_like_any_other(app, make_user, limits):
    """The throttle does not tell which emails have an account."""
    limits(pair="3 per minute")
    make_user(email="aida@example.org")
    guesser = client_at(app, "10.0.0.1")
    for email in ("aida@example.org", "nobody@example.org"):
        fail(guesser, email, 3)
        assert post_login(guesser, email, "wrong password").status_code == 429


def test_the_email_is_counted_whatever_its_letter_case(app, make_user, limits):
    limits(pair="3 per minute")
    make_user(email="aida@example.org")
    guesser = client_at(app, "10.0.0.1")
    for email in ("aida@example.org", "AIDA@example.org", " Aida@Example.ORG "):
        fail(guesser, email, 1)
    assert post_login(guesser, "aida@example.org").status_code == 429


def test_a_form_with_mistakes_is_not_counted(app, make_user, limits):
    limits(pair="1 per minute")
    make_user(email="aida@example.org")
    client = client_at(app, "10.0.0.1")
    for _ in range(3):
        assert client.post("/login", data={"email": "aida@example.org"}).status_code == 200
    assert post_login(client, "aida@example.org").status_code == 302


# --- per account, from any address ---------------------------------------------------------------


def test_guessing_at_one_account_from_many_addresses_is_slowed(app, make_user, limits):
    limits(pair="1000 per minute", account="4 per minute")
    make_user(email="aida@example.org")
    for number in range(4):
        fail(client_at(app, f"10.0.1.{number}"), "aida@example.org", 1)

    newcomer = client_at(app, "10.0.1.99")
    assert post_login(newcomer, "aida@example.org", "wrong password").status_code == 429
    assert post_login(newcomer, "aida@example.org").status_code == 429  # a new device waits
    assert not signed_in(newcomer)


def test_the_owner_on_a_device_they_used_before_is_not_locked_out(app, make_user, limits):
    limits(pair="1000 per minute", account="5 per minute")
    make_user(email="aida@example.org")
    phone = client_at(app, "10.0.2.1")
    assert post_login(phone, "aida@example.org").status_code == 302  # counts 1 of the 5
    phone.post("/logout", follow_redirects=True)
    for number in range(4):
        fail(client_at(app, f"10.0.1.{number}"), "aida@example.org", 1)
    assert post_login(client_at(app, "10.0.1.99"), "aida@example.org").status_code == 429

    phone.environ_base["REMOTE_ADDR"] = "10.0.2.2"  # and on the move
    assert post_login(phone, "aida@example.org").status_code == 302
    assert signed_in(phone)


def test_a_trusted_device_guesses_no_faster_than_one_address(app, make_user, limits):
    limits(pair="3 per minute", account="1000 per minute")
    make_user(email="aida@example.org")
    phone = client_at(app, "10.0.2.1")
    post_login(phone, "aida@example.org")
    phone.post("/logout", follow_redirects=True)
    for number in range(3):  # a new address for every try
        phone.environ_base["REMOTE_ADDR"] = f"10.0.3.{number}"
        fail(phone, "aida@example.org", 1)

    phone.environ_base["REMOTE_ADDR"] = "10.0.3.99"
    assert post_login(phone, "aida@example.org").status_code == 429


def test_a_device_cookie_vouches_only_for_the_accounts_that_logged_in_on_it(app, make_user, limits):
    limits(pair="1000 per minute", account="2 per minute")
    make_user(email="aida@example.org")
    make_user(email="bolot@example.org")
    phone = client_at(app, "10.0.2.1")
    post_login(phone, "aida@example.org")
    phone.post("/logout", follow_redirects=True)
    fail(client_at(app, "10.0.1.1"), "bolot@example.org", 2)

    assert post_login(phone, "bolot@example.org").status_code == 429


def test_a_forged_device_cookie_is_worth_nothing(app, make_user, limits):
    limits(pair="1000 per minute", account="2 per minute")
    make_user(email="aida@example.org")
    fail(client_at(app, "10.0.1.1"), "aida@example.org", 2)

    forger = client_at(app, "10.0.1.2")
    forger.set_cookie(DEVICE_COOKIE, "eyJkZXZpY2UiOiJ4In0.forged")
    assert post_login(forger, "aida@example.org").status_code == 429


def test_the_device_cookie_says_nothing_about_who_logged_in(app, client, make_user):
    user = make_user(Role.FACILITATOR, email="aida@example.org")
    post_login(client, "aida@example.org")
    cookie = client.get_cookie(DEVICE_COOKIE)

    assert cookie.http_only
    assert cookie.same_site == "Lax"
    payload = json.loads(base64_decode(cookie.value.split(".")[0]))
    assert set(payload) == {"device", "accounts"}
    text = json.dumps(payload)
    assert "aida" not in text
    assert str(user.id) not in payload["accounts"]


def test_every_attempt_counts_whatever_comes_of_it(app, make_user, limits):
    """Counted before the password is checked: a burst of guesses sent at once cannot all pass
    the check before the first of them is counted. Successes reset nothing."""
    limits(pair="3 per minute")
    make_user(email="aida@example.org")
    client = client_at(app, "10.0.0.1")
    for _ in range(2):
        assert post_login(client, "aida@example.org").status_code == 302
        client.post("/logout", follow_redirects=True)
    fail(client, "aida@example.org", 1)
    assert post_login(client, "aida@example.org").status_code == 429
    assert post_login(client_at(app, "10.0.0.2"), "aida@example.org").status_code == 302
