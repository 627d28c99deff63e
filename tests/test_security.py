from tests.conftest import PASSWORD, make_config, page
from tot import create_app


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
