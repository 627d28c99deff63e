"""What a published quote shows of its speaker: only the details their consent lists.

A testimonial's attribution shows the name (first name or pseudonym) or "a participant", the age
group (never the exact age), the occupation, and the region or only the country, each only when
the speaker agreed. Changing the words of a published quote takes it off the public pages until
the speaker is asked again. Only staff record consent.
"""

import itertools
from datetime import date, timedelta

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import Boolean, Date, bindparam, text

from tests.conftest import field_error, flashes, make_config, page, scratch_database
from tests.factories import make_group, make_quote, region_named
from tot import create_app
from tot.db_types import UTCDateTime, utcnow
from tot.extensions import db
from tot.focusgroups import services
from tot.focusgroups.models import (
    Consent,
    ConsentChange,
    NameShown,
    PlaceShown,
    Quote,
    Shown,
)
from tot.permissions import Role

LAST_WEEK = date.today() - timedelta(days=7)
SPEAKER = {"speaker_name": "Cholpon", "age": 47, "occupation": "village council member"}


def attributions(soup) -> list[str]:
    return [cite.get_text(strip=True) for cite in soup.select("blockquote.testimonial cite")]


def words(soup) -> list[str]:
    return [
        " ".join(p.get_text(" ", strip=True) for p in quote.select("p"))
        for quote in soup.select("blockquote.testimonial")
    ]


def fresh(quote_id: int) -> Quote:
    db.session.expire_all()
    return db.session.get(Quote, quote_id)


def history(quote_id: int) -> list[ConsentChange]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            db.select(ConsentChange)
            .where(ConsentChange.quote_id == quote_id)
            .order_by(ConsentChange.id)
        )
    )


def consent_form(**overrides) -> dict:
    data = {
        "consent": "anonymous",
        "name_shown": "pseudonym",
        "pseudonym": "",
        "place_shown": "none",
        "consent_given_at": LAST_WEEK.isoformat(),
        "consent_method": "signed form",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


@pytest.fixture
def naryn(app):
    return region_named("Naryn Region")


@pytest.fixture
def group(app, naryn):
    return make_group(naryn)


@pytest.fixture
def staff(login_as):
    return login_as(Role.STAFF)


# --- what the public reads -----------------------------------------------------------------------

NAMES = {
    "anonymous": (Consent.ANONYMOUS, Shown(), "a participant"),
    "first name": (Consent.NAMED, Shown(NameShown.FIRST_NAME), "Cholpon"),
    "pseudonym": (Consent.NAMED, Shown(NameShown.PSEUDONYM, "Aida"), "Aida"),
}
PLACES = {
    PlaceShown.NONE: None,
    PlaceShown.COUNTRY: "Kyrgyzstan",
    PlaceShown.REGION: "Naryn Region",
}


@pytest.mark.parametrize(
    ("naming", "age_band", "occupation", "place"),
    list(itertools.product(NAMES, [False, True], [False, True], PLACES)),
)
def test_a_testimonial_shows_only_the_details_the_speaker_agreed_to(
    client, group, naming, age_band, occupation, place
):
    consent, name, shown_name = NAMES[naming]
    shown = Shown(name.name, name.pseudonym, age_band=age_band, occupation=occupation, place=place)
    make_quote(group, text="Heard.", consent=consent, shown=shown, featured=True, **SPEAKER)
    expected = [shown_name]
    if age_band:
        expected.append("aged 45–54")
    if occupation:
        expected.append("village council member")
    if PLACES[place]:
        expected.append(PLACES[place])

    for url, container in [("/testimonials", ".testimonials"), ("/", ".featured-quotes")]:
        soup = page(client.get(url))
        assert "47" not in soup.get_text(" "), url  # never the exact age
        quotes = soup.select_one(container)
        assert attributions(quotes) == [", ".join(expected)], url
        shown_text = quotes.get_text(" ")
        for detail, agreed in [
            ("Cholpon", naming == "first name"),
            ("Aida", naming == "pseudonym"),
            ("45–54", age_band),
            ("village council member", occupation),
            ("Naryn", place is PlaceShown.REGION),
            ("Kyrgyzstan", place is PlaceShown.COUNTRY),
        ]:
            assert (detail in shown_text) is agreed, (url, detail)


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        (14, "a participant"),  # below the youngest age group: no age at all
        (17, "a participant"),
        (18, "a participant, aged 18–24"),
        (24, "a participant, aged 18–24"),
        (25, "a participant, aged 25–34"),
        (44, "a participant, aged 35–44"),
        (54, "a participant, aged 45–54"),
        (55, "a participant, aged 55+"),
        (91, "a participant, aged 55+"),
        (None, "a participant"),
    ],
)
def test_the_age_is_shown_as_the_platforms_age_group(client, group, age, expected):
    make_quote(group, consent=Consent.ANONYMOUS, age=age, shown=Shown(age_band=True))
    assert attributions(page(client.get("/testimonials"))) == [expected]


def test_a_name_agreed_but_missing_falls_back_to_a_participant(app, group):
    # A quote published before names were chosen keeps the least revealing: no pseudonym, no name.
    quote = make_quote(group, consent=Consent.NAMED, shown=Shown(NameShown.FIRST_NAME))
    db.session.execute(db.update(Quote).values(name_shown=NameShown.PSEUDONYM, pseudonym=""))
    db.session.commit()
    with app.test_request_context():
        assert services.attribution(fresh(quote.id)) == "a participant"


def test_staff_see_every_detail_and_how_the_quote_is_shown(client, staff, group):
    quote = make_quote(
        group, consent=Consent.ANONYMOUS, **SPEAKER, shown=Shown(place=PlaceShown.COUNTRY)
    )
    article = page(client.get(f"/focus-groups/{group.id}")).select_one(f"#quote-{quote.id}")
    details = article.select_one(".details").get_text(" ", strip=True)
    for detail in ["Cholpon", "47", "village council member", "Naryn Region"]:
        assert detail in details
    public = article.select_one(".public-attribution").get_text(strip=True)
    assert public == "a participant, Kyrgyzstan"
    soup = page(client.get(f"/quotes/{quote.id}/consent"))
    assert soup.select_one(".public-attribution").get_text(strip=True) == public


# --- the staff form: the least revealing by default ----------------------------------------------


def checked(soup, name: str) -> list[str]:
    return [box["value"] for box in soup.select(f"input[name={name}][checked]")]


def test_every_choice_starts_at_the_least_revealing(client, staff, group):
    form = page(client.get(f"/focus-groups/{group.id}")).select_one("#add-quote form")
    assert checked(form, "consent") == ["internal"]
    assert checked(form, "name_shown") == ["pseudonym"]
    assert checked(form, "place_shown") == ["none"]
    assert checked(form, "show_age_band") == []
    assert checked(form, "show_occupation") == []
    offered = [box["value"] for box in form.select("input[name=consent]")]
    assert offered == ["internal", "anonymous", "named"]  # "to be asked again" is never chosen


def test_staff_record_the_details_agreed_and_the_public_reads_them(client, staff, group):
    quote = make_quote(group, **SPEAKER)
    form = page(client.get(f"/quotes/{quote.id}/consent"))
    assert checked(form, "name_shown") == ["pseudonym"]

    response = client.post(
        f"/quotes/{quote.id}/consent",
        data=consent_form(
            consent="named",
            pseudonym="  Aida  ",
            show_occupation="y",
            place_shown="region",
        ),
    )

    assert response.status_code == 302
    saved = fresh(quote.id)
    expected = Shown(NameShown.PSEUDONYM, "Aida", occupation=True, place=PlaceShown.REGION)
    assert (saved.consent, saved.shown) == (Consent.NAMED, expected)
    assert history(quote.id)[-1].shown == expected
    assert attributions(page(client.get("/testimonials"))) == [
        "Aida, village council member, Naryn Region"
    ]
    # The form shows what was agreed.
    form = page(client.get(f"/quotes/{quote.id}/consent"))
    assert checked(form, "place_shown") == ["region"]
    assert checked(form, "show_occupation") == ["y"]
    assert form.select_one("input#pseudonym")["value"] == "Aida"


def test_changing_only_what_is_shown_is_a_change_of_consent(client, staff, group):
    quote = make_quote(group, consent=Consent.ANONYMOUS)
    response = client.post(
        f"/quotes/{quote.id}/consent", data=consent_form(consent="anonymous", show_age_band="y")
    )
    assert response.status_code == 302
    assert [change.shown.age_band for change in history(quote.id)] == [False, True]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"consent": "pending"}, "consent", "Not a valid choice."),
        ({"consent": None}, "consent", "Choose what the speaker agreed to."),
        ({"name_shown": "full_name"}, "name_shown", "Not a valid choice."),
        ({"place_shown": "village"}, "place_shown", "Not a valid choice."),
        ({"pseudonym": "x" * 81}, "pseudonym", "At most 80 characters."),
        (
            {"consent": "named", "pseudonym": "   "},
            "pseudonym",
            "Enter the pseudonym the speaker chose, or publish anonymously.",
        ),
    ],
)
def test_bad_consent_input_is_shown_beside_the_field_and_nothing_changes(
    client, staff, group, overrides, field, message
):
    quote = make_quote(group, consent=Consent.ANONYMOUS)
    response = client.post(f"/quotes/{quote.id}/consent", data=consent_form(**overrides))
    assert response.status_code == 200
    assert field_error(page(response), field) == message
    saved = fresh(quote.id)
    assert (saved.consent, saved.shown) == (Consent.ANONYMOUS, Shown())
    assert len(history(quote.id)) == 1


# --- changing the words asks for consent again ---------------------------------------------------


def edit_form(quote: Quote, **overrides) -> dict:
    data = {
        "text": quote.text,
        "speaker_name": quote.speaker_name,
        "age": str(quote.age),
        "occupation": quote.occupation,
        "region_id": str(quote.region_id),
        "theme_list": ", ".join(theme.name for theme in quote.themes),
    }
    data.update(overrides)
    return data


def test_editing_the_words_of_a_published_quote_takes_it_off_the_public_pages(
    app, client, staff, group
):
    shown = Shown(NameShown.FIRST_NAME, age_band=True)
    quote = make_quote(
        group, text="Old words.", consent=Consent.NAMED, shown=shown, featured=True, **SPEAKER
    )
    visitor = app.test_client()
    assert words(page(visitor.get("/testimonials"))) == ["Old words."]

    response = client.post(f"/quotes/{quote.id}/edit", data=edit_form(quote, text="New words."))

    assert response.status_code == 302
    saved = fresh(quote.id)
    assert (saved.text, saved.consent, saved.featured) == ("New words.", Consent.PENDING, False)
    assert (saved.consent_given_at, saved.consent_method) == (None, "")
    assert saved.shown == shown  # kept, to start from when the answer is recorded
    last = history(quote.id)[-1]
    assert (last.consent, last.given_at, last.changed_by_id) == (Consent.PENDING, None, staff.id)
    soup = page(client.get(response.headers["Location"]))
    assert (
        "The quote is saved and taken off the public pages: the speaker agreed to other words. "
        "Ask them again, then record their consent."
    ) in flashes(soup)
    article = soup.select_one(f"#quote-{quote.id}")
    assert article.select_one(".consent-pending") is not None
    assert article.select_one(".consent").get_text(" ", strip=True) == "To be asked again"
    assert article.select_one(".public-attribution") is None
    assert article.select_one("form[action$='/feature']") is None

    for url in ["/testimonials", "/", "/testimonials?theme=confidence"]:
        body = visitor.get(url).get_data(as_text=True)
        assert "New words." not in body, url
        assert "Old words." not in body, url
    assert client.post(f"/quotes/{quote.id}/feature").status_code == 302
    assert fresh(quote.id).featured is False

    # The consent page says so, and starts from what was agreed before.
    form = page(client.get(f"/quotes/{quote.id}/consent"))
    assert form.select_one(".consent-pending") is not None
    assert checked(form, "consent") == []
    assert checked(form, "name_shown") == ["first_name"]
    assert checked(form, "show_age_band") == ["y"]

    client.post(
        f"/quotes/{quote.id}/consent",
        data=consent_form(consent="named", name_shown="first_name", show_age_band="y"),
    )
    assert fresh(quote.id).consent is Consent.NAMED
    soup = page(visitor.get("/testimonials"))
    assert words(soup) == ["New words."]
    assert attributions(soup) == ["Cholpon, aged 45–54"]


@pytest.mark.parametrize(
    "changes",
    [
        {"occupation": "teacher", "theme_list": "leadership"},
        {"text": "Old words,\r\n  said again. "},  # how a browser sends the same words back
    ],
)
def test_editing_a_published_quote_without_changing_its_words_keeps_it_published(
    client, staff, group, changes
):
    quote = make_quote(group, text="Old words,\nsaid again.", consent=Consent.ANONYMOUS)
    response = client.post(f"/quotes/{quote.id}/edit", data=edit_form(quote, **changes))
    assert response.status_code == 302
    assert fresh(quote.id).consent is Consent.ANONYMOUS
    assert len(history(quote.id)) == 1
    assert words(page(client.get("/testimonials"))) == ["Old words, said again."]


def test_editing_the_words_of_an_internal_quote_asks_nothing(client, staff, group):
    quote = make_quote(group, text="Old words.")
    client.post(f"/quotes/{quote.id}/edit", data=edit_form(quote, text="New words."))
    saved = fresh(quote.id)
    assert (saved.text, saved.consent) == ("New words.", Consent.INTERNAL)
    assert len(history(quote.id)) == 1


def test_a_first_name_shown_cannot_be_emptied_while_published(client, staff, group):
    quote = make_quote(group, consent=Consent.NAMED, shown=Shown(NameShown.FIRST_NAME))
    response = client.post(f"/quotes/{quote.id}/edit", data=edit_form(quote, speaker_name=" "))
    assert response.status_code == 200
    assert (
        field_error(page(response), "speaker_name")
        == "To publish with their first name, enter the speaker's first name."
    )
    assert fresh(quote.id).speaker_name == "Aigerim"


# --- only staff record consent -------------------------------------------------------------------


def state(quote_id: int) -> tuple:
    saved = fresh(quote_id)
    return saved.text, saved.consent, saved.shown, len(history(quote_id))


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.FACILITATOR, None])
def test_only_staff_record_consent_or_change_the_words(client, login_as, group, role):
    quote = make_quote(group, consent=Consent.ANONYMOUS)
    before = state(quote.id)
    if role is not None:
        login_as(role)
    publish_all = consent_form(
        consent="named",
        name_shown="first_name",
        show_age_band="y",
        show_occupation="y",
        place_shown="region",
    )

    for method, url, data in [
        ("get", f"/quotes/{quote.id}/consent", None),
        ("post", f"/quotes/{quote.id}/consent", publish_all),
        ("post", f"/quotes/{quote.id}/edit", edit_form(quote, text="Other words.")),
    ]:
        response = getattr(client, method)(url, data=data)
        if role is None:
            assert response.status_code == 302, url
            assert response.headers["Location"].startswith("/login"), url
        else:
            assert response.status_code == 403, url
            assert "Cholpon" not in response.get_data(as_text=True)

    assert state(quote.id) == before


def test_staff_and_administrators_may_record_consent(client, login_as, group):
    quote = make_quote(group)
    for role in (Role.STAFF, Role.ADMIN):
        login_as(role)
        response = client.post(
            f"/quotes/{quote.id}/consent",
            data=consent_form(show_occupation="y" if role is Role.ADMIN else None),
        )
        assert response.status_code == 302, role
    assert [change.consent for change in history(quote.id)] == [
        Consent.INTERNAL,
        Consent.ANONYMOUS,
        Consent.ANONYMOUS,
    ]


# --- the migration -------------------------------------------------------------------------------


@pytest.fixture
def empty_database_url(tmp_path_factory):
    with scratch_database("consent_details", tmp_path_factory) as url:
        yield url


def test_quotes_published_before_the_migration_show_the_least(empty_database_url):
    app = create_app(make_config(empty_database_url))
    with app.app_context():
        upgrade(revision="0008_logins")
        region_id = db.session.scalar(text("SELECT id FROM regions WHERE name = 'Naryn Region'"))
        values = {"region": region_id, "day": date(2026, 1, 10), "at": utcnow(), "yes": True}
        types = [
            bindparam("day", type_=Date()),
            bindparam("at", type_=UTCDateTime()),
            bindparam("yes", type_=Boolean()),
        ]
        db.session.execute(
            text(
                "INSERT INTO focus_groups (id, held_on, region_id, women, men, other_genders, "
                "notes, created_at) VALUES (1, :day, :region, 5, 3, 0, '', :at)"
            ).bindparams(*types[:2]),
            values,
        )
        db.session.execute(
            text(
                "INSERT INTO quotes (id, focus_group_id, text, speaker_name, age, occupation, "
                "region_id, consent, consent_given_at, consent_method, featured, created_at, "
                "updated_at) VALUES (1, 1, 'Words.', 'Cholpon', 47, 'village council member', "
                ":region, 'named', :day, 'signed form', :yes, :at, :at)"
            ).bindparams(*types),
            values,
        )
        db.session.commit()

        upgrade()

        quote = db.session.get(Quote, 1)
        assert quote.consent is Consent.NAMED
        assert quote.shown == Shown()
        with app.test_request_context():
            assert services.attribution(quote) == "a participant"
        quote.consent = Consent.PENDING
        db.session.commit()
        db.session.remove()

        # Going back, a quote waiting to be asked again is what it was then: internal.
        downgrade(revision="0008_logins")
        assert db.session.scalar(text("SELECT consent FROM quotes WHERE id = 1")) == "internal"
        db.session.remove()
        db.engine.dispose()
