import pytest

from tests.conftest import PASSWORD, field_error, make_config, page
from tests.factories import make_session
from tot import create_app
from tot.extensions import db
from tot.permissions import Role


def test_every_response_carries_the_security_headers(client):
    for url in ("/", "/login", "/no-such-page", "/healthz"):
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"


def test_pages_have_no_inline_script_and_nothing_from_other_sites(client):
    soup = page(client.get("/register"))
    for script in soup.select("script"):
        assert script.get("src", "").startswith("/static/")
    for link in soup.select("link[href]"):
        assert link["href"].startswith("/static/")
    assert not soup.select("[onclick], [onsubmit], [onchange], [onload]")


def test_session_cookie_is_httponly_and_samesite_lax(client, make_user):
    make_user(email="aida@example.org")
    client.post("/login", data={"email": "aida@example.org", "password": PASSWORD, "remember": "y"})
    for name in ("session", "remember_token"):
        cookie = client.get_cookie(name)
        assert cookie.http_only, name
        assert cookie.same_site == "Lax", name
        assert not cookie.secure, name


def test_cookies_are_secure_when_https_is_configured(monkeypatch, database_url):
    monkeypatch.setenv("TOT_HTTPS", "1")
    app = create_app(make_config(database_url))
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    with app.test_client() as client:
        response = client.get("/", base_url="https://localhost")
        assert "max-age" in response.headers["Strict-Transport-Security"]


def test_a_post_without_csrf_token_is_refused_and_changes_nothing(app, client, region):
    app.config["WTF_CSRF_ENABLED"] = True
    form = {
        "full_name": "No Token",
        "email": "no.token@example.org",
        "password": "a long enough pass",
        "confirm_password": "a long enough pass",
        "region": str(region.id),
        "gender": "woman",
        "age_group": "25-34",
        "language": "en",
        "agree_privacy": "y",
    }
    response = client.post("/register", data=form)
    assert response.status_code == 400
    assert "expired" in page(response).main.get_text()
    from tot.accounts.services import find_by_email

    assert find_by_email("no.token@example.org") is None

    # With the token from the form, the same request goes through.
    token = page(client.get("/register")).select_one("input[name=csrf_token]")["value"]
    response = client.post("/register", data={**form, "csrf_token": token})
    assert response.status_code == 302
    assert find_by_email("no.token@example.org") is not None


def test_every_post_form_carries_a_csrf_token(app, client, login_as):
    from tot.permissions import Role

    app.config["WTF_CSRF_ENABLED"] = True
    login_as(Role.ADMIN)
    for url in ("/", "/profile", "/profile/password", "/admin/users/new", "/regions/"):
        for form in page(client.get(url)).select("form[method=post]"):
            assert form.select_one("input[name=csrf_token]") is not None, (url, form)


def test_a_secret_key_is_generated_into_the_instance_folder(monkeypatch, tmp_path, database_url):
    monkeypatch.delenv("TOT_SECRET_KEY", raising=False)
    monkeypatch.setenv("TOT_INSTANCE_PATH", str(tmp_path))
    config = make_config(database_url)
    del config["SECRET_KEY"]
    first = create_app(config).config["SECRET_KEY"]
    assert len(first) >= 32
    assert (tmp_path / "secret_key").read_text() == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert create_app(config).config["SECRET_KEY"] == first  # reused, not regenerated


def test_workers_starting_at_once_share_one_secret_key(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    from tot.config import _instance_secret_key

    with ThreadPoolExecutor(max_workers=8) as pool:
        keys = set(pool.map(lambda _: _instance_secret_key(tmp_path), range(16)))
    assert len(keys) == 1
    assert len(keys.pop()) == 64
    assert [path.name for path in tmp_path.iterdir()] == ["secret_key"]  # no drafts left behind


# --- pages are not kept in the browser's cache ---------------------------------------------------


def test_a_signed_in_persons_pages_are_not_stored(client, login_as):
    login_as(Role.PARTICIPANT)
    for url in ("/profile", "/dashboard/participant", "/notifications/", "/no-such-page"):
        assert client.get(url).headers["Cache-Control"] == "no-store", url


def test_pages_with_a_form_are_not_stored(client):
    for url in ("/login", "/register", "/"):
        assert client.get(url).headers["Cache-Control"] == "no-store", url


def test_redirects_after_a_post_are_not_stored(client, login_as):
    login_as(Role.PARTICIPANT)
    response = client.post("/logout")
    assert response.status_code == 302
    assert response.headers["Cache-Control"] == "no-store"


def test_static_files_may_be_cached(client, login_as):
    login_as(Role.PARTICIPANT)
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_a_response_that_chose_its_own_caching_keeps_it(client, make_user):
    training = make_session(make_user(Role.FACILITATOR))
    response = client.get(f"/sessions/{training.id}/calendar.ics")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-cache"


# --- NUL characters: taken out of forms, refused in addresses; never a server error ---------------


def test_a_profile_saved_with_nul_characters_is_kept_without_them(client, login_as):
    user = login_as(Role.STAFF)
    response = client.post(
        "/profile",
        data={"full_name": "Aida\x00 Bekova", "email": user.email, "language": "en", "phone": ""},
    )
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.full_name == "Aida Bekova"


def test_nul_characters_in_a_login_are_taken_out_before_it_is_checked(client, make_user):
    make_user(email="aida@example.org")
    empty = client.post("/login", data={"email": "\x00", "password": "\x00"})
    assert empty.status_code == 200
    assert field_error(page(empty), "email") == "Enter your email address."

    with_nul = {"email": "aida@\x00example.org", "password": f"\x00{PASSWORD}"}
    assert client.post("/login", data=with_nul).status_code == 302


@pytest.mark.parametrize(
    "url",
    [
        "/admin/users?q=%00",
        "/admin/users?q=a%00b&role=%00",
        "/scenarios/?q=%00",
        "/sessions/?region=%00&programme=%00",
        "/sessions/manage?programme=%00",
        "/reports/?region=%00",
    ],
)
def test_searches_with_nul_characters_still_answer(client, login_as, url):
    login_as(Role.ADMIN)
    response = client.get(url)
    assert response.status_code == 200, url


@pytest.mark.parametrize(
    "url", ["/verify/%00", "/verify/ABC%00DEF", "/sessions/feed/%00.ics", "/set-password/%00"]
)
def test_an_address_holding_a_nul_character_leads_nowhere(client, url):
    assert client.get(url).status_code == 404
