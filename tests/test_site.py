import pytest

from tests.conftest import make_config, page
from tot import create_app
from tot.permissions import public


def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_the_database_does_not(tmp_path):
    unreachable = f"sqlite:///{tmp_path / 'no-such-folder' / 'tot.db'}"
    app = create_app(make_config(unreachable))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "unavailable"


def test_not_found_page_is_in_the_site_layout(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    soup = page(response)
    assert soup.h1.get_text() == "Page not found"
    assert soup.select_one("header.site-header") is not None


def test_forbidden_page_is_in_plain_words(client, login_as):
    login_as("participant")
    response = client.get("/admin/users")
    assert response.status_code == 403
    assert page(response).h1.get_text() == "You do not have access to this page"


@pytest.fixture
def failing_app(database_url, _app):
    app = create_app(make_config(database_url, TESTING=False))

    @app.route("/boom")
    @public
    def boom():
        raise RuntimeError("a bug")

    return app


def test_server_error_page_is_in_the_site_layout(failing_app):
    response = failing_app.test_client().get("/boom")
    assert response.status_code == 500
    soup = page(response)
    assert soup.h1.get_text() == "Something went wrong on our side"
    assert soup.select_one("header.site-header") is not None


def test_privacy_notice_shows_its_version(app, client):
    soup = page(client.get("/privacy"))
    assert app.config["PRIVACY_NOTICE_VERSION"] in soup.select_one(".meta").get_text()


def test_layout_has_a_skip_link_and_a_language_attribute(client):
    soup = page(client.get("/"))
    assert soup.html["lang"] == "en"
    skip = soup.select_one("a.skip-link")
    assert skip["href"] == "#main"
    assert soup.select_one("main#main") is not None
    assert soup.select_one('meta[name="viewport"]') is not None


def test_an_id_too_large_for_the_database_is_not_found(client, login_as):
    login_as("staff")
    assert client.get("/regions/99999999999999999999/edit").status_code == 404
    assert client.get("/programmes/99999999999999999999").status_code == 404
