import pytest

from tests.conftest import PASSWORD, flashes, page
from tot.extensions import db
from tot.permissions import Role
from tot.urls import is_safe_redirect

GENERIC_ERROR = "The email or password is not correct, or the account is not active."


def post_login(client, email, password=PASSWORD, **extra):
    return client.post("/login", data={"email": email, "password": password, **extra})


def signed_in(client) -> bool:
    """Whether the client is signed in: the dashboard opens instead of sending to the login page."""
    response = client.get("/dashboard/")
    return response.status_code == 302 and not response.headers["Location"].startswith("/login")


def test_login_with_the_right_password_lands_on_the_role_dashboard(client, make_user):
    user = make_user(Role.FACILITATOR, email="bolot@example.org")
    response = post_login(client, "Bolot@Example.org ")
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard/"
    assert client.get("/dashboard/").headers["Location"] == "/dashboard/facilitator"
    db.session.refresh(user)
    assert user.last_login_at is not None


@pytest.mark.parametrize(
    ("email", "password"),
    [("bolot@example.org", "wrong password"), ("nobody@example.org", PASSWORD)],
)
def test_a_failed_login_never_says_whether_the_email_exists(client, make_user, email, password):
    make_user(email="bolot@example.org")
    response = post_login(client, email, password)
    assert response.status_code == 200
    assert flashes(page(response)) == [GENERIC_ERROR]
    assert not signed_in(client)


def test_an_account_without_a_password_cannot_log_in(client, make_user):
    make_user(email="new@example.org", password_hash=None)
    response = post_login(client, "new@example.org", "")
    assert response.status_code == 200
    assert not signed_in(client)


def test_a_deactivated_account_cannot_log_in(client, make_user):
    user = make_user(email="gone@example.org")
    user.deactivate()
    db.session.commit()
    response = post_login(client, "gone@example.org")
    assert flashes(page(response)) == [GENERIC_ERROR]
    assert not signed_in(client)


def test_logout_is_a_post_and_ends_the_session(client, make_user):
    make_user(email="aida@example.org")
    post_login(client, "aida@example.org")
    assert signed_in(client)

    assert client.get("/logout").status_code == 405  # a GET never logs anyone out
    assert signed_in(client)

    response = client.post("/logout")
    assert response.status_code == 302
    assert not signed_in(client)


def test_remember_me_keeps_the_person_signed_in_after_the_browser_session(client, make_user):
    make_user(email="aida@example.org")
    post_login(client, "aida@example.org", remember="y")
    remember = client.get_cookie("remember_token")
    assert remember is not None
    assert remember.http_only

    client.delete_cookie("session")
    assert signed_in(client)


def test_without_remember_me_closing_the_browser_ends_the_session(client, make_user):
    make_user(email="aida@example.org")
    post_login(client, "aida@example.org")
    assert client.get_cookie("remember_token") is None
    client.delete_cookie("session")
    assert not signed_in(client)


def test_a_protected_page_sends_to_login_and_back(client, make_user):
    make_user(Role.STAFF, email="staff1@example.org")
    response = client.get("/regions/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")

    soup = page(client.get(response.headers["Location"]))
    assert soup.select_one("input[name=next]")["value"] == "/regions/"
    response = post_login(client, "staff1@example.org", next="/regions/")
    assert response.headers["Location"] == "/regions/"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/steal",
        "//evil.example/steal",
        "/\\evil.example",
        "http:/evil.example",
        "javascript:alert(1)",
        "evil.example",
    ],
)
def test_an_unsafe_next_is_refused(client, make_user, target):
    make_user(email="aida@example.org")
    response = post_login(client, "aida@example.org", next=target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard/"


def test_safe_redirects_are_paths_on_this_site():
    assert is_safe_redirect("/regions/?page=2")
    assert not is_safe_redirect("")
    assert not is_safe_redirect(None)
    assert not is_safe_redirect("/\x00evil")


def test_repeated_failed_logins_are_throttled(app, client, make_user):
    app.config["LOGIN_FAILURE_LIMIT"] = "3 per minute"
    make_user(email="aida@example.org")
    for _ in range(3):
        assert post_login(client, "aida@example.org", "wrong password").status_code == 200
    response = post_login(client, "aida@example.org", PASSWORD)
    assert response.status_code == 429
    assert "Too many attempts" in page(response).h1.get_text()
    assert not signed_in(client)


def test_a_signed_in_session_ends_when_the_account_is_deactivated(client, make_user):
    user = make_user(email="aida@example.org")
    post_login(client, "aida@example.org", remember="y")
    assert signed_in(client)
    user.deactivate()
    db.session.commit()
    assert not signed_in(client)
