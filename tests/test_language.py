from tests.conftest import flashes, page
from tot.accounts.models import Language
from tot.extensions import db
from tot.permissions import Role


def lang(client, url="/", **headers) -> str:
    return page(client.get(url, headers=headers)).html["lang"]


def test_english_is_the_default(client):
    assert lang(client) == "en"


def test_the_browser_language_is_followed(client):
    assert lang(client, **{"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"}) == "ru"
    assert lang(client, **{"Accept-Language": "ky"}) == "ky"
    assert lang(client, **{"Accept-Language": "fr"}) == "en"


def test_a_chosen_language_is_kept_in_a_cookie_and_beats_the_browser(client):
    response = client.post("/language", data={"language": "ky", "next": "/privacy"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/privacy"
    assert lang(client, **{"Accept-Language": "ru"}) == "ky"


def test_a_signed_in_persons_preference_comes_first_and_is_saved(client, login_as):
    user = login_as(Role.PARTICIPANT, language=Language.RUSSIAN)
    client.set_cookie("lang", "en")
    assert lang(client, "/profile") == "ru"
    client.post("/language", data={"language": "ky"})
    db.session.refresh(user)
    assert user.language is Language.KYRGYZ


def test_an_unknown_language_is_refused_and_changes_nothing(client):
    response = client.post("/language", data={"language": "xx"}, follow_redirects=True)
    assert "Choose one of the languages offered." in flashes(page(response))
    assert client.get_cookie("lang") is None


def test_the_language_switch_never_redirects_off_site(client):
    response = client.post("/language", data={"language": "ru", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_every_page_offers_the_language_switch(client):
    soup = page(client.get("/"))
    form = soup.select_one("form.language-form")
    assert form["method"] == "post"
    assert [o["value"] for o in form.select("option")] == ["en", "ru", "ky"]
