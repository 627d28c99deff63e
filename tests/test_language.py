from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from flask_babel import force_locale, ngettext

from tests.conftest import flashes, page
from tot import formats
from tot.extensions import db
from tot.i18n import Language
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
    assert [o["value"] for o in form.select("option")] == ["en", "ru", "ky", "tg"]


def test_tajik_is_offered_and_followed(client):
    assert lang(client, **{"Accept-Language": "tg-TJ,tg;q=0.9,ru;q=0.5"}) == "tg"
    client.post("/language", data={"language": "tg"})
    soup = page(client.get("/"))
    assert soup.html["lang"] == "tg"
    assert soup.select_one("form.language-form option[selected]")["value"] == "tg"


def test_a_new_account_speaks_the_language_it_was_registered_in(client):
    client.set_cookie("lang", "ky")
    soup = page(client.get("/register"))
    assert soup.select_one("select#language option[selected]")["value"] == "ky"


def test_interface_text_is_translated_with_plural_forms(client):
    client.set_cookie("lang", "ru")
    soup = page(client.get("/"))
    assert soup.select_one("a.skip-link").get_text(strip=True) == "Перейти к содержанию"
    with client.application.test_request_context(), force_locale("ru"):
        forms = [
            ngettext(
                "%(num)d seat left of %(capacity)d",
                "%(num)d seats left of %(capacity)d",
                n,
                capacity=30,
            )
            for n in (1, 3, 5, 21)
        ]
    assert [form.split(" из ")[0] for form in forms] == [
        "Осталось 1 место",
        "Осталось 3 места",
        "Осталось 5 мест",
        "Осталось 21 место",
    ]


@pytest.mark.parametrize(
    ("language", "day", "moment"),
    [
        ("en", "Dec 21, 2026", "Dec 21, 2026, 15:30"),
        ("ru", "21 дек. 2026\u202fг.", "21 дек. 2026\u202fг., 15:30"),
        ("ky", "2026-ж. 21-дек.", "2026-ж. 21-дек. 15:30"),
        ("tg", "21 Дек 2026", "21 Дек 2026 15:30"),
    ],
)
def test_dates_follow_the_readers_language(app, language, day, moment):
    instant = datetime(2026, 12, 21, 9, 30, tzinfo=UTC)  # 15:30 in Bishkek
    with app.test_request_context(), force_locale(language):
        assert formats.format_date(date(2026, 12, 21)) == day
        assert formats.format_datetime(instant, "Asia/Bishkek") == moment


def test_pages_have_one_family_of_date_formats(app):
    # Flask-Babel's free-form filters are gone: a template can only use the named formats.
    for name in ("dateformat", "datetimeformat", "timeformat"):
        assert name not in app.jinja_env.filters
    assert {"date", "datetime", "day", "session_time", "session_span"} <= set(app.jinja_env.filters)
    templates = Path(app.root_path, "..", "templates").rglob("*.html")
    assert not [t.name for t in templates if "strftime" in t.read_text()]
