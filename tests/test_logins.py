"""Logins that end: logging out ends the login on the server, remember-me included; a person sees
where they are logged in and ends the logins they do not want."""

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.conftest import PASSWORD, count_queries, flashes, log_in, page
from tot.accounts.devices import describe
from tot.accounts.models import Login, User
from tot.accounts.services import set_password_token
from tot.db_types import utcnow
from tot.extensions import db
from tot.permissions import Role

CHROME_ON_ANDROID = (
    "Mozilla/5.0 (Linux; Android 13; SM-A135F) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Mobile Safari/537.36"
)
FIREFOX_ON_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0"
)


def post_login(client, email, password=PASSWORD, user_agent=CHROME_ON_ANDROID, **extra):
    return client.post(
        "/login",
        data={"email": email, "password": password, **extra},
        headers={"User-Agent": user_agent},
    )


def opens_profile(client) -> bool:
    """Whether the client's cookies open the profile (else it is sent to log in)."""
    response = client.get("/profile")
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert response.headers["Location"].startswith("/login")
    return response.status_code == 200


def copy_of(app, client, *names: str):
    """Another browser holding copies of `client`'s cookies `names` (a stolen or shared copy)."""
    other = app.test_client()
    for name in names:
        other.set_cookie(name, client.get_cookie(name).value)
    return other


def login_count(user: User) -> int:
    return db.session.scalar(select(func.count()).select_from(Login).filter_by(user_id=user.id))


def logins_listed(client) -> list[tuple[str, bool]]:
    """(device, is this device) of each login on the profile page."""
    cards = page(client.get("/profile")).select("#logins .login")
    return [
        (card.strong.get_text(strip=True), card.select_one(".badge") is not None) for card in cards
    ]


# --- logging out ends the login ------------------------------------------------------------------


def test_a_copied_session_cookie_opens_nothing_after_logout(app, client, make_user):
    make_user(email="aida@example.org")
    post_login(client, "aida@example.org")
    copy = copy_of(app, client, "session")
    assert opens_profile(copy)  # the copy works while the login lasts

    client.post("/logout")

    assert not opens_profile(client)
    assert not opens_profile(copy)


def test_a_remember_me_cookie_opens_nothing_after_logout(app, client, make_user):
    make_user(email="aida@example.org")
    post_login(client, "aida@example.org", remember="y")
    copy = copy_of(app, client, "remember_token")
    assert opens_profile(copy)  # a browser with only the remember-me cookie is let in

    client.post("/logout")

    assert not opens_profile(copy_of(app, copy, "remember_token"))
    assert not opens_profile(copy)


def test_logout_deletes_the_login_and_keeps_the_others(app, client, make_user):
    user = make_user(email="aida@example.org")
    other = app.test_client()
    post_login(client, "aida@example.org")
    post_login(other, "aida@example.org")
    assert login_count(user) == 2

    client.post("/logout")

    assert login_count(user) == 1
    assert opens_profile(other)


def test_a_cookie_from_before_login_records_opens_nothing(client, make_user):
    user = make_user()
    with client.session_transaction() as session:
        session["_user_id"] = f"{user.id}:{user.session_version}"  # the old form of the id
    assert not opens_profile(client)


def test_a_login_keeps_only_a_digest_of_the_secret_its_cookies_carry(client, make_user):
    user = make_user(email="aida@example.org")
    post_login(client, "aida@example.org", user_agent=FIREFOX_ON_WINDOWS)
    with client.session_transaction() as session:
        secret = session["_user_id"]

    login = db.session.scalar(select(Login).filter_by(user_id=user.id))
    assert str(user.id) not in secret.split(":")
    assert login.secret_digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {login.secret_digest, login.browser, login.system}
    assert (login.browser, login.system) == ("Firefox", "Windows")
    assert login.session_version == user.session_version


# --- the profile lists the logins, and ends them -------------------------------------------------


def test_the_profile_lists_each_login_and_marks_this_device(app, client, make_user):
    make_user(email="aida@example.org")
    phone, laptop = client, app.test_client()
    post_login(phone, "aida@example.org", user_agent=CHROME_ON_ANDROID)
    post_login(laptop, "aida@example.org", user_agent=FIREFOX_ON_WINDOWS)

    assert sorted(logins_listed(phone)) == [
        ("Chrome on Android", True),
        ("Firefox on Windows", False),
    ]
    assert sorted(logins_listed(laptop)) == [
        ("Chrome on Android", False),
        ("Firefox on Windows", True),
    ]
    soup = page(phone.get("/profile"))
    times = soup.select_one("#logins .login .meta").get_text(" ", strip=True)
    assert "Logged in:" in times
    assert "Last active:" in times
    # Only the other login has a button, and there is one to end all the others.
    assert len(soup.select("#logins .login form")) == 1
    assert soup.select_one("#logins form[action='/profile/logins/end-others']") is not None


def test_the_times_are_shown_in_the_readers_zone(client, make_user, region):
    make_user(email="aida@example.org", region=region)  # Osh Region: Asia/Bishkek, UTC+6
    post_login(client, "aida@example.org")
    login = db.session.scalar(select(Login))
    login.started_at = login.last_seen_at = utcnow().replace(hour=3, minute=7)
    db.session.commit()

    times = page(client.get("/profile")).select_one("#logins .login .meta").get_text(" ")
    assert "09:07" in times


def test_ending_another_login_ends_its_cookies(app, client, make_user):
    user = make_user(email="aida@example.org")
    post_login(client, "aida@example.org")
    cafe = app.test_client()
    post_login(cafe, "aida@example.org", user_agent=FIREFOX_ON_WINDOWS, remember="y")
    cafe_login = db.session.scalar(select(Login).filter_by(browser="Firefox"))
    remembered = copy_of(app, cafe, "remember_token")

    response = client.post(f"/profile/logins/{cafe_login.id}/end")

    assert response.status_code == 302
    assert response.headers["Location"] == "/profile#logins"
    assert flashes(page(client.get("/profile"))) == ["That login has ended."]
    assert not opens_profile(cafe)
    assert not opens_profile(remembered)
    assert opens_profile(client)
    assert login_count(user) == 1


def test_log_out_on_every_other_device(app, client, make_user):
    user = make_user(email="aida@example.org")
    post_login(client, "aida@example.org")
    others = [app.test_client(), app.test_client()]
    for other in others:
        post_login(other, "aida@example.org", remember="y")

    response = client.post("/profile/logins/end-others")

    assert response.status_code == 302
    assert flashes(page(client.get("/profile"))) == ["You are logged out on every other device."]
    assert opens_profile(client)
    assert not any(opens_profile(other) for other in others)
    assert logins_listed(client) == [("Chrome on Android", True)]
    assert login_count(user) == 1


def test_ending_this_devices_own_login_logs_out(client, make_user):
    user = make_user(email="aida@example.org")
    post_login(client, "aida@example.org")
    login = db.session.scalar(select(Login).filter_by(user_id=user.id))

    response = client.post(f"/profile/logins/{login.id}/end")

    assert response.headers["Location"] == "/"
    assert not opens_profile(client)


def test_nobody_ends_another_persons_login(app, client, make_user):
    make_user(email="aida@example.org")
    make_user(email="bolot@example.org")
    post_login(client, "aida@example.org")
    bolot = app.test_client()
    post_login(bolot, "bolot@example.org")
    bolots_login = db.session.scalar(
        select(Login).join(Login.user).where(User.email == "bolot@example.org")
    )

    assert client.post(f"/profile/logins/{bolots_login.id}/end").status_code == 404
    assert client.post("/profile/logins/999999/end").status_code == 404
    client.post("/profile/logins/end-others")
    assert opens_profile(bolot)

    visitor = app.test_client()
    response = visitor.post(f"/profile/logins/{bolots_login.id}/end")
    assert response.headers["Location"].startswith("/login")
    assert opens_profile(bolot)


def test_ending_logins_is_a_post(client, make_user):
    make_user(email="aida@example.org")
    post_login(client, "aida@example.org")
    login = db.session.scalar(select(Login))
    assert client.get(f"/profile/logins/{login.id}/end").status_code == 405
    assert client.get("/profile/logins/end-others").status_code == 405
    assert opens_profile(client)


def test_the_profile_page_costs_the_same_however_many_logins(app, client, make_user):
    user = make_user(email="aida@example.org")
    post_login(client, "aida@example.org")
    client.get("/profile")
    with count_queries() as one:
        client.get("/profile")
    for _ in range(5):
        log_in(app.test_client(), user)
    with count_queries() as six:
        response = client.get("/profile")
    assert len(page(response).select("#logins .login")) == 6
    assert six.count == one.count


# --- passwords and deactivation end every login --------------------------------------------------


def test_changing_the_password_ends_every_other_login(app, client, make_user):
    user = make_user(email="aida@example.org")
    post_login(client, "aida@example.org")
    other = app.test_client()
    post_login(other, "aida@example.org", remember="y")
    remembered = copy_of(app, other, "remember_token")

    response = client.post(
        "/profile/password",
        data={
            "current_password": PASSWORD,
            "password": "a brand new password",
            "confirm_password": "a brand new password",
        },
    )

    assert response.status_code == 302
    assert opens_profile(client)  # this device goes on, with a login of its own
    assert not opens_profile(other)
    assert not opens_profile(remembered)
    assert len(logins_listed(client)) == 1
    db.session.refresh(user)
    assert user.check_password("a brand new password")


def test_deactivation_ends_every_login_remember_me_included(app, client, make_user, login_as):
    person = make_user(email="aida@example.org")
    phone = app.test_client()
    post_login(phone, "aida@example.org", remember="y")
    remembered = copy_of(app, phone, "remember_token")
    login_as(Role.ADMIN)

    response = client.post(f"/admin/users/{person.id}/deactivate")

    assert response.status_code == 302
    assert not opens_profile(phone)
    assert not opens_profile(remembered)

    # Reactivated, the account needs a new login: the old ones stay ended.
    client.post(f"/admin/users/{person.id}/reactivate")
    assert not opens_profile(remembered)
    assert post_login(app.test_client(), "aida@example.org").status_code == 302


def test_choosing_a_password_through_a_link_ends_the_login_open_in_that_browser(
    app, client, make_user
):
    make_user(email="aida@example.org")
    newcomer = make_user(email="new@example.org", password_hash=None)
    post_login(client, "aida@example.org")
    copy = copy_of(app, client, "session")
    link = f"/set-password/{set_password_token(newcomer)}"

    new_password = {"password": "my own password", "confirm_password": "my own password"}
    assert client.post(link, data=new_password).status_code == 302

    assert not opens_profile(client)
    assert not opens_profile(copy)


def test_a_login_unused_for_longer_than_remember_me_lasts_ends(app, client, make_user):
    make_user(email="aida@example.org")
    post_login(client, "aida@example.org", remember="y")
    login = db.session.scalar(select(Login))
    login.last_seen_at = utcnow() - app.config["REMEMBER_COOKIE_DURATION"] - timedelta(minutes=1)
    db.session.commit()

    assert not opens_profile(client)


def test_last_active_is_kept_up_to_date_without_a_write_per_request(client, make_user):
    make_user(email="aida@example.org")
    post_login(client, "aida@example.org")
    login = db.session.scalar(select(Login))
    just_now = login.last_seen_at

    client.get("/profile")
    db.session.refresh(login)
    assert login.last_seen_at == just_now  # used a moment ago: not written again

    a_while_ago = utcnow() - timedelta(minutes=30)
    login.last_seen_at = a_while_ago
    db.session.commit()
    client.get("/profile")
    db.session.refresh(login)
    assert login.last_seen_at > a_while_ago


def test_logins_that_ended_by_themselves_are_forgotten_at_the_next_login(app, make_user):
    user = make_user(email="aida@example.org")
    for _ in range(3):
        post_login(app.test_client(), "aida@example.org")
    user.set_password("a brand new password")  # ends those three
    db.session.commit()

    post_login(app.test_client(), "aida@example.org", password="a brand new password")

    assert login_count(user) == 1


# --- the device's name ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user_agent", "expected"),
    [
        (CHROME_ON_ANDROID, ("Chrome", "Android")),
        (FIREFOX_ON_WINDOWS, ("Firefox", "Windows")),
        (
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "HeadlessChrome/156.0.0.0 Safari/537.36",
            ("Chrome", "Linux"),
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
            ("Safari", "iPhone"),
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/120.0.0.0 YaBrowser/24.1.0.0 Safari/537.36",
            ("Yandex Browser", "Windows"),
        ),
        (
            "Mozilla/5.0 (Linux; Android 13; SAMSUNG SM-A536B) AppleWebKit/537.36 (KHTML, like "
            "Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36",
            ("Samsung Internet", "Android"),
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like "
            "Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91",
            ("Edge", "macOS"),
        ),
        ("curl/8.4.0", (None, None)),
        ("", (None, None)),
        (None, (None, None)),
    ],
)
def test_the_device_is_named_from_its_user_agent(user_agent, expected):
    assert describe(user_agent) == expected


def test_an_unknown_device_is_still_listed(client, make_user):
    make_user(email="aida@example.org")
    post_login(client, "aida@example.org", user_agent="curl/8.4.0")
    assert logins_listed(client) == [("An unknown browser", True)]
