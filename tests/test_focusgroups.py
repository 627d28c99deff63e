"""Focus groups, their quotes and consent, the themes report and the CSV export (staff only)."""

import csv
import io
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

import pytest

from tests.conftest import count_queries, field_error, flashes, page
from tests.factories import make_group, make_programme, make_quote, make_session
from tot.errors import DomainError
from tot.exports import neutralise
from tot.extensions import db
from tot.focusgroups import services
from tot.focusgroups.models import (
    Consent,
    ConsentChange,
    FocusGroup,
    NameShown,
    PlaceShown,
    Quote,
    Shown,
    Theme,
)
from tot.permissions import Role
from tot.sessions.models import SessionStatus

LAST_WEEK = date.today() - timedelta(days=7)
YESTERDAY = date.today() - timedelta(days=1)
NEXT_WEEK = date.today() + timedelta(days=7)


# --- factories and helpers (test_testimonials.py uses them too) ----------------------------------


def fresh(model, id_):
    db.session.expire_all()
    return db.session.get(model, id_)


def count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def history(quote_id: int) -> list[ConsentChange]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            db.select(ConsentChange)
            .where(ConsentChange.quote_id == quote_id)
            .order_by(ConsentChange.id)
        )
    )


def path_of(response) -> str:
    return urlsplit(response.headers["Location"]).path


def group_form(region, **overrides) -> dict:
    data = {
        "held_on": LAST_WEEK.isoformat(),
        "region_id": str(region.id),
        "programme_id": "",
        "session_id": "",
        "facilitator_id": "",
        "women": "7",
        "men": "4",
        "other_genders": "1",
        "notes": "Two participants came with small children.",
    }
    data.update(overrides)
    return data


def quote_form(region, **overrides) -> dict:
    data = {
        "text": "I was afraid to speak to the police. Now I go with the women I help.",
        "speaker_name": "Nurgul",
        "age": "29",
        "occupation": "social worker",
        "region_id": str(region.id),
        "theme_list": "confidence, legal skills",
        "consent": "internal",
        "name_shown": "pseudonym",
        "pseudonym": "",
        "place_shown": "none",
        "consent_given_at": "",
        "consent_method": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def staff(login_as):
    return login_as(Role.STAFF)


@pytest.fixture
def group(app, region):
    return make_group(region)


# --- recording a focus group ---------------------------------------------------------------------


def test_staff_record_a_focus_group(client, staff, region, make_user):
    facilitator = make_user(Role.FACILITATOR, full_name="Gulnara Asanova")
    programme = make_programme("Women's leadership TOT")
    form = page(client.get("/focus-groups/new"))
    assert form.h1.get_text(strip=True) == "Record a focus group"
    assert "Gulnara Asanova" in form.select_one("select#facilitator_id").get_text()

    response = client.post(
        "/focus-groups/new",
        data=group_form(
            region,
            programme_id=str(programme.id),
            facilitator_id=str(facilitator.id),
            held_on=YESTERDAY.isoformat(),
        ),
    )

    assert response.status_code == 302
    saved = db.session.execute(db.select(FocusGroup)).scalar_one()
    assert path_of(response) == f"/focus-groups/{saved.id}"
    assert saved.held_on == YESTERDAY
    assert saved.region_id == region.id
    assert saved.programme_id == programme.id
    assert saved.facilitator_id == facilitator.id
    assert (saved.women, saved.men, saved.other_genders, saved.attendees) == (7, 4, 1, 12)
    assert saved.notes == "Two participants came with small children."
    assert saved.created_by_id == staff.id

    soup = page(client.get(response.headers["Location"]))
    assert len(soup.select("h1")) == 1
    assert "Osh Region" in soup.h1.get_text()
    details = soup.select_one(".group-details").get_text(" ", strip=True)
    assert "Women's leadership TOT" in details
    assert "Gulnara Asanova" in details
    assert "12 in all: 7 women, 4 men, 1 of another gender or not said" in details
    assert "The focus group is recorded. Now add what people said." in flashes(soup)


def test_empty_counts_are_zero_but_someone_must_attend(client, staff, region):
    response = client.post("/focus-groups/new", data=group_form(region, men="", other_genders=""))
    assert response.status_code == 302
    saved = db.session.execute(db.select(FocusGroup)).scalar_one()
    assert (saved.women, saved.men, saved.other_genders) == (7, 0, 0)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"held_on": ""}, "held_on", "Enter the date the focus group was held."),
        ({"held_on": "last Tuesday"}, "held_on", "Enter a date, such as 2025-03-14."),
        ({"held_on": "2025-02-30"}, "held_on", "Enter a date, such as 2025-03-14."),
        ({"held_on": NEXT_WEEK.isoformat()}, "held_on", "The date cannot be in the future."),
        ({"held_on": "1999-12-31"}, "held_on", "Enter a date in the year 2000 or later."),
        ({"region_id": ""}, "region_id", "Choose a region."),
        ({"region_id": "Osh"}, "region_id", "Choose a region."),
        ({"region_id": "99999999999999999999"}, "region_id", "Choose a region."),
        ({"programme_id": "424242"}, "programme_id", "Choose a programme."),
        ({"session_id": "x"}, "session_id", "Choose a session."),
        ({"women": "0", "men": "0", "other_genders": "0"}, "women", "Count at least one attendee."),
        ({"women": "", "men": "", "other_genders": ""}, "women", "Count at least one attendee."),
        ({"women": "501"}, "women", "Enter a number from 0 to 500."),
        ({"men": "-1"}, "men", "Enter a number from 0 to 500."),
        ({"other_genders": "two"}, "other_genders", "Enter a whole number, such as 4."),
        ({"women": "9" * 5000}, "women", "Enter a whole number, such as 4."),
        ({"notes": "x" * 5001}, "notes", "At most 5000 characters."),
    ],
)
def test_bad_group_input_is_shown_beside_the_field_and_nothing_changes(
    client, staff, region, overrides, field, message
):
    response = client.post("/focus-groups/new", data=group_form(region, **overrides))

    assert response.status_code == 200
    soup = page(response)
    assert field_error(soup, field) == message
    assert soup.select_one(".error-summary") is not None
    assert count(FocusGroup) == 0

    kept = make_group(region, women=2, men=2)
    response = client.post(f"/focus-groups/{kept.id}/edit", data=group_form(region, **overrides))
    assert response.status_code == 200
    assert field_error(page(response), field) == message
    again = fresh(FocusGroup, kept.id)
    assert (again.held_on, again.women, again.men) == (LAST_WEEK, 2, 2)
    assert again.notes == "Met in the community centre."


def test_only_facilitators_can_be_chosen_as_facilitator(client, staff, region, make_user):
    participant = make_user(Role.PARTICIPANT, full_name="Not A Facilitator")
    soup = page(client.get("/focus-groups/new"))
    assert "Not A Facilitator" not in soup.select_one("select#facilitator_id").get_text()

    response = client.post(
        "/focus-groups/new", data=group_form(region, facilitator_id=str(participant.id))
    )
    assert field_error(page(response), "facilitator_id") == "Choose a facilitator."
    assert count(FocusGroup) == 0
    # The service says so too, for any caller.
    with pytest.raises(DomainError) as refused:
        services.create_focus_group(
            held_on=LAST_WEEK, region_id=region.id, facilitator_id=participant.id, women=1
        )
    assert refused.value.field == "facilitator_id"


def test_a_retired_region_is_not_offered_but_an_old_group_keeps_it(
    client, staff, region, make_region
):
    retired = make_region("Closed Region", retired=True)
    soup = page(client.get("/focus-groups/new"))
    assert "Closed Region" not in soup.select_one("select#region_id").get_text()
    response = client.post("/focus-groups/new", data=group_form(retired))
    assert field_error(page(response), "region_id") == "Choose a region."
    with pytest.raises(DomainError) as refused:
        services.create_focus_group(held_on=LAST_WEEK, region_id=retired.id, women=1)
    assert refused.value.message == "This region is no longer offered."

    old = make_group(retired)
    response = client.post(f"/focus-groups/{old.id}/edit", data=group_form(retired, men="9"))
    assert response.status_code == 302
    assert fresh(FocusGroup, old.id).men == 9


def test_a_session_must_teach_the_chosen_programme(client, staff, region, make_user):
    lead = make_user(Role.FACILITATOR)
    legal_aid = make_programme("Legal aid TOT")
    leadership = make_programme("Leadership TOT")
    session = make_session(
        lead,
        programme=legal_aid,
        region=region,
        title=f"{legal_aid.title} in {region.name}",
        starts_at=datetime(2025, 3, 10, 4, 0, tzinfo=UTC),
        capacity=20,
        status=SessionStatus.DRAFT,
    )

    response = client.post(
        "/focus-groups/new",
        data=group_form(region, programme_id=str(leadership.id), session_id=str(session.id)),
    )
    assert response.status_code == 200
    assert (
        field_error(page(response), "session_id")
        == "This session teaches another programme: “Legal aid TOT”."
    )
    assert count(FocusGroup) == 0

    # A session alone brings its programme with it.
    response = client.post("/focus-groups/new", data=group_form(region, session_id=str(session.id)))
    assert response.status_code == 302
    saved = db.session.execute(db.select(FocusGroup)).scalar_one()
    assert (saved.session_id, saved.programme_id) == (session.id, legal_aid.id)


def test_the_edit_form_shows_the_group_and_saves_changes(client, staff, region, make_region):
    group = make_group(region, women=2, men=1)
    other = make_region("Test Valley")
    soup = page(client.get(f"/focus-groups/{group.id}/edit"))
    assert soup.select_one("input#held_on")["value"] == LAST_WEEK.isoformat()
    assert soup.select_one("input#women")["value"] == "2"
    assert soup.select_one("select#region_id option[selected]")["value"] == str(region.id)

    response = client.post(
        f"/focus-groups/{group.id}/edit",
        data=group_form(other, women="10", men="0", other_genders="0", notes=""),
    )

    assert response.status_code == 302
    saved = fresh(FocusGroup, group.id)
    assert (saved.region_id, saved.women, saved.men, saved.notes) == (other.id, 10, 0, "")
    assert count(FocusGroup) == 1


# --- the list ------------------------------------------------------------------------------------


def listed_dates(soup) -> list[str]:
    return [a.get_text(strip=True) for a in soup.select("table.focus-group-list tbody td a")]


def test_the_list_filters_by_region_and_programme(client, staff, region, make_region):
    naryn = make_region("Test Naryn")
    legal_aid = make_programme("Legal aid TOT")
    in_osh = make_group(region, programme=legal_aid, held_on=date(2025, 1, 10))
    make_quote(in_osh)
    make_quote(in_osh)
    make_group(naryn, programme=legal_aid, held_on=date(2025, 2, 10))
    make_group(region, held_on=date(2025, 3, 10))

    soup = page(client.get("/focus-groups/"))
    assert len(soup.select("h1")) == 1
    assert listed_dates(soup) == ["Mar 10, 2025", "Feb 10, 2025", "Jan 10, 2025"]
    rows = soup.select("table.focus-group-list tbody tr")
    assert rows[2].select_one(".quote-count").get_text(strip=True) == "2"
    assert rows[0].select_one(".quote-count").get_text(strip=True) == "0"

    soup = page(client.get(f"/focus-groups/?region={region.id}"))
    assert listed_dates(soup) == ["Mar 10, 2025", "Jan 10, 2025"]
    soup = page(client.get(f"/focus-groups/?programme={legal_aid.id}"))
    assert listed_dates(soup) == ["Feb 10, 2025", "Jan 10, 2025"]
    soup = page(client.get(f"/focus-groups/?programme={legal_aid.id}&region={naryn.id}"))
    assert listed_dates(soup) == ["Feb 10, 2025"]


@pytest.mark.parametrize(
    "query",
    [
        "region=abc&programme=xyz",
        "region=99999999999999999999&programme=-3",
        "page=-5",
        "page=100000000000000000000000000000",
        "page=abc",
    ],
)
def test_odd_list_parameters_are_ignored_not_errors(client, staff, region, query):
    make_group(region)
    response = client.get(f"/focus-groups/?{query}")
    assert response.status_code == 200


def test_the_list_is_paginated(client, staff, region):
    for day in range(25):
        make_group(region, held_on=date(2024, 1, 1) + timedelta(days=day))
    first = page(client.get("/focus-groups/"))
    assert len(listed_dates(first)) == 20
    assert first.select_one("a[rel=next]") is not None
    second = page(client.get("/focus-groups/?page=2"))
    assert len(listed_dates(second)) == 5


def test_the_list_runs_as_many_queries_for_twelve_groups_as_for_two(
    client, staff, region, make_user
):
    programme = make_programme("Legal aid TOT")

    def add(number):
        for _ in range(number):
            facilitator = make_user(Role.FACILITATOR)
            group = make_group(region, programme=programme, facilitator=facilitator)
            make_quote(group, themes=("confidence", f"theme {count(FocusGroup)}"))

    add(2)
    client.get("/focus-groups/")
    with count_queries() as two:
        response = client.get("/focus-groups/")
    assert len(listed_dates(page(response))) == 2

    add(10)
    with count_queries() as twelve:
        response = client.get("/focus-groups/")
    assert len(listed_dates(page(response))) == 12
    assert twelve.count == two.count, twelve.statements


def test_the_focus_group_page_runs_as_many_queries_for_twelve_quotes_as_for_two(
    client, staff, group
):
    def add(number):
        for n in range(number):
            make_quote(group, themes=("confidence", f"theme {n}"), consent=Consent.ANONYMOUS)

    add(2)
    client.get(f"/focus-groups/{group.id}")
    with count_queries() as two:
        response = client.get(f"/focus-groups/{group.id}")
    assert len(page(response).select("article.quote")) == 2

    add(10)
    with count_queries() as twelve:
        response = client.get(f"/focus-groups/{group.id}")
    assert len(page(response).select("article.quote")) == 12
    assert twelve.count == two.count, twelve.statements


# --- quotes --------------------------------------------------------------------------------------


def test_staff_add_a_quote_with_themes_and_its_first_consent(client, staff, group, make_region):
    soup = page(client.get(f"/focus-groups/{group.id}"))
    # The speaker's region starts as the group's.
    assert soup.select_one("select#region_id option[selected]")["value"] == str(group.region_id)
    assert soup.select_one("input[name=consent][value=internal]").has_attr("checked")

    response = client.post(
        f"/focus-groups/{group.id}/quotes",
        data=quote_form(
            group.region,
            theme_list=" Confidence, LEADERSHIP ,confidence,, legal   skills , ",
            consent="anonymous",
            consent_given_at=YESTERDAY.isoformat(),
            consent_method="verbal, recorded by facilitator",
            show_occupation="y",
            place_shown="region",
        ),
    )

    assert response.status_code == 302
    quote = db.session.execute(db.select(Quote)).scalar_one()
    assert path_of(response) == f"/focus-groups/{group.id}"
    assert response.headers["Location"].endswith(f"#quote-{quote.id}")
    assert quote.text == "I was afraid to speak to the police. Now I go with the women I help."
    assert (quote.speaker_name, quote.age, quote.occupation) == ("Nurgul", 29, "social worker")
    assert quote.region_id == group.region_id
    assert [theme.name for theme in quote.themes] == ["confidence", "leadership", "legal skills"]
    assert quote.consent is Consent.ANONYMOUS
    assert quote.consent_given_at == YESTERDAY
    assert quote.consent_method == "verbal, recorded by facilitator"
    assert quote.shown == Shown(occupation=True, place=PlaceShown.REGION)
    assert quote.featured is False
    [first] = history(quote.id)
    assert (first.consent, first.given_at, first.method, first.shown) == (
        Consent.ANONYMOUS,
        YESTERDAY,
        "verbal, recorded by facilitator",
        Shown(occupation=True, place=PlaceShown.REGION),
    )
    assert first.changed_by_id == staff.id

    soup = page(client.get(f"/focus-groups/{group.id}"))
    article = soup.select_one(f"#quote-{quote.id}")
    assert "I was afraid to speak to the police." in article.blockquote.get_text()
    assert (
        article.select_one(".consent").get_text(" ", strip=True).startswith("Publish anonymously")
    )
    assert (
        article.select_one(".public-attribution").get_text(strip=True)
        == "a participant, social worker, Osh Region"
    )
    # Staff still see every detail.
    assert "29" in article.select_one(".details").get_text()


def test_an_internal_quote_also_starts_its_history(client, staff, group):
    client.post(f"/focus-groups/{group.id}/quotes", data=quote_form(group.region))
    quote = db.session.execute(db.select(Quote)).scalar_one()
    assert quote.consent is Consent.INTERNAL
    assert [(c.consent, c.given_at, c.changed_by_id) for c in history(quote.id)] == [
        (Consent.INTERNAL, None, staff.id)
    ]


def test_themes_are_shared_between_quotes(client, staff, group):
    client.post(f"/focus-groups/{group.id}/quotes", data=quote_form(group.region))
    client.post(
        f"/focus-groups/{group.id}/quotes",
        data=quote_form(group.region, theme_list="Legal Skills, networking"),
    )
    names = db.session.scalars(db.select(Theme.name).order_by(Theme.name)).all()
    assert names == ["confidence", "legal skills", "networking"]


def test_control_characters_are_dropped_from_what_is_saved(client, staff, group):
    response = client.post(
        f"/focus-groups/{group.id}/quotes",
        data=quote_form(
            group.region,
            text="Line one\x00\r\nLine\x07 two",
            speaker_name="Nur\x00gul",
            theme_list="safe\x00ty",
        ),
    )
    assert response.status_code == 302
    quote = db.session.execute(db.select(Quote)).scalar_one()
    assert quote.text == "Line one\r\nLine two"
    assert quote.speaker_name == "Nurgul"
    assert [theme.name for theme in quote.themes] == ["safety"]


@pytest.mark.parametrize("level", ["anonymous", "named"])
def test_publish_consent_without_a_consent_date_is_refused(client, staff, group, level):
    response = client.post(
        f"/focus-groups/{group.id}/quotes",
        data=quote_form(group.region, consent=level, consent_method="signed form"),
    )

    assert response.status_code == 200
    soup = page(response)
    assert (
        field_error(soup, "consent_given_at")
        == "Enter the date consent was given: a quote is published only with it."
    )
    # What was typed is kept, so nothing must be typed again.
    assert soup.select_one("textarea#text").get_text().strip().startswith("I was afraid")
    assert count(Quote) == 0
    assert count(ConsentChange) == 0
    assert count(Theme) == 0


QUOTE_ERRORS = [
    ({"text": ""}, "text", "Enter the quote."),
    ({"text": "   "}, "text", "Enter the quote."),
    ({"text": "x" * 2001}, "text", "At most 2000 characters."),
    ({"speaker_name": "x" * 81}, "speaker_name", "At most 80 characters."),
    ({"age": "13"}, "age", "Enter an age from 14 to 110, or leave it empty."),
    ({"age": "111"}, "age", "Enter an age from 14 to 110, or leave it empty."),
    ({"age": "twenty"}, "age", "Enter a whole number, such as 4."),
    ({"occupation": "x" * 121}, "occupation", "At most 120 characters."),
    ({"region_id": ""}, "region_id", "Choose a region."),
    ({"region_id": "77777"}, "region_id", "Choose a region."),
    ({"theme_list": "x" * 61}, "theme_list", "At most 60 characters."),
    (
        {"theme_list": ",".join(f"t{n}" for n in range(21))},
        "theme_list",
        "A quote may have at most 20 themes.",
    ),
]

# Refused on the form of a new quote (its first consent); the consent form refuses them too.
CONSENT_ERRORS = [
    ({"consent": "everyone"}, "consent", "Not a valid choice."),
    ({"consent": "pending"}, "consent", "Not a valid choice."),
    (
        {"consent": "named", "consent_given_at": LAST_WEEK.isoformat()},
        "consent_method",
        "Say how consent was given, for example “signed form”.",
    ),
    (
        {
            "consent": "named",
            "consent_given_at": NEXT_WEEK.isoformat(),
            "consent_method": "signed form",
        },
        "consent_given_at",
        "The date cannot be in the future.",
    ),
    (
        {"consent": "anonymous", "consent_given_at": "soon", "consent_method": "signed form"},
        "consent_given_at",
        "Enter a date, such as 2025-03-14.",
    ),
    (
        {
            "consent": "named",
            "name_shown": "first_name",
            "speaker_name": "  ",
            "consent_given_at": LAST_WEEK.isoformat(),
            "consent_method": "signed form",
        },
        "speaker_name",
        "To publish with their first name, enter the speaker's first name.",
    ),
    ({"consent_method": "x" * 201}, "consent_method", "At most 200 characters."),
]


@pytest.mark.parametrize(("overrides", "field", "message"), QUOTE_ERRORS + CONSENT_ERRORS)
def test_bad_new_quote_input_is_shown_beside_the_field_and_nothing_changes(
    client, staff, group, overrides, field, message
):
    response = client.post(
        f"/focus-groups/{group.id}/quotes", data=quote_form(group.region, **overrides)
    )

    assert response.status_code == 200
    assert field_error(page(response), field) == message
    assert count(Quote) == 0
    assert count(ConsentChange) == 0


@pytest.mark.parametrize(("overrides", "field", "message"), QUOTE_ERRORS)
def test_bad_quote_edit_is_shown_beside_the_field_and_nothing_changes(
    client, staff, group, overrides, field, message
):
    quote = make_quote(group, text="Kept as it was", themes=("networking",))
    response = client.post(f"/quotes/{quote.id}/edit", data=quote_form(group.region, **overrides))
    assert response.status_code == 200
    assert field_error(page(response), field) == message
    kept = fresh(Quote, quote.id)
    assert kept.text == "Kept as it was"
    assert (kept.speaker_name, kept.age, kept.consent) == ("Aigerim", 24, Consent.INTERNAL)
    assert [theme.name for theme in kept.themes] == ["networking"]
    assert len(history(quote.id)) == 1


def test_editing_a_quote_changes_its_words_not_its_consent(client, staff, group):
    quote = make_quote(group, themes=("confidence",))
    soup = page(client.get(f"/quotes/{quote.id}/edit"))
    assert soup.select_one("input#theme_list")["value"] == "confidence"
    assert soup.select_one("input#speaker_name")["value"] == "Aigerim"
    # Consent has its own page: the edit form has none of its fields.
    assert soup.select_one("main form input[name=consent]") is None
    assert soup.select_one(f"main a[href='/quotes/{quote.id}/consent']") is not None

    response = client.post(
        f"/quotes/{quote.id}/edit",
        data=quote_form(
            group.region,
            text="New words.",
            theme_list="Leadership",
            # Consent fields sent anyway (a forged or stale form) change nothing.
            consent="named",
            name_shown="first_name",
            consent_given_at=YESTERDAY.isoformat(),
            consent_method="signed form",
        ),
    )
    assert response.status_code == 302
    saved = fresh(Quote, quote.id)
    assert saved.text == "New words."
    assert [theme.name for theme in saved.themes] == ["leadership"]
    assert saved.consent is Consent.INTERNAL
    assert len(history(quote.id)) == 1
    assert "The quote is saved." in flashes(page(client.get(response.headers["Location"])))


# --- consent -------------------------------------------------------------------------------------


def test_the_consent_form_gives_changes_and_withdraws_consent_keeping_history(client, staff, group):
    quote = make_quote(group)

    response = client.post(
        f"/quotes/{quote.id}/consent",
        data={
            "consent": "anonymous",
            "consent_given_at": LAST_WEEK.isoformat(),
            "consent_method": "signed form",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#quote-{quote.id}")
    client.post(
        f"/quotes/{quote.id}/consent",
        data={
            "consent": "named",
            "name_shown": "pseudonym",
            "pseudonym": "Aida",
            "show_age_band": "y",
            "place_shown": "country",
            "consent_given_at": YESTERDAY.isoformat(),
            "consent_method": "verbal, recorded by facilitator",
        },
    )
    named = Shown(NameShown.PSEUDONYM, "Aida", age_band=True, place=PlaceShown.COUNTRY)
    assert fresh(Quote, quote.id).shown == named
    response = client.post(f"/quotes/{quote.id}/consent", data={"consent": "internal"})
    assert response.status_code == 302

    saved = fresh(Quote, quote.id)
    assert saved.consent is Consent.INTERNAL
    assert (saved.consent_given_at, saved.consent_method) == (None, "")
    assert saved.shown == Shown()  # a withdrawal keeps nothing agreed
    rows = history(quote.id)
    assert [(row.consent, row.given_at, row.method, row.shown) for row in rows] == [
        (Consent.INTERNAL, None, "", Shown()),
        (Consent.ANONYMOUS, LAST_WEEK, "signed form", Shown()),
        (Consent.NAMED, YESTERDAY, "verbal, recorded by facilitator", named),
        (Consent.INTERNAL, None, "", Shown()),
    ]
    assert all(row.changed_by_id == staff.id for row in rows[1:])

    soup = page(client.get(f"/quotes/{quote.id}/consent"))
    assert len(soup.select("h1")) == 1
    assert soup.select_one(".current-consent").get_text(strip=True) == "Internal only"
    listed = [
        tr.select("td")[1].get_text(strip=True)
        for tr in soup.select("table.consent-history tbody tr")
    ]
    assert listed == ["Internal only", "Publish with name", "Publish anonymously", "Internal only"]
    details = [
        td.get_text(strip=True) for td in soup.select("table.consent-history .agreed-details")
    ]
    assert details == ["—", "pseudonym “Aida”, age group, country", "no name", "—"]
    assert staff.full_name in soup.select_one("table.consent-history").get_text()


def test_the_consent_form_refuses_publication_without_a_date(client, staff, group):
    quote = make_quote(group)
    response = client.post(
        f"/quotes/{quote.id}/consent",
        data={"consent": "named", "consent_given_at": "", "consent_method": "signed form"},
    )
    assert response.status_code == 200
    assert (
        field_error(page(response), "consent_given_at")
        == "Enter the date consent was given: a quote is published only with it."
    )
    assert fresh(Quote, quote.id).consent is Consent.INTERNAL
    assert len(history(quote.id)) == 1


def test_consent_to_publish_with_name_needs_a_name(client, staff, group):
    quote = make_quote(group, speaker_name="")
    publish = {
        "consent": "named",
        "consent_given_at": LAST_WEEK.isoformat(),
        "consent_method": "signed form",
    }
    response = client.post(
        f"/quotes/{quote.id}/consent", data={**publish, "name_shown": "first_name"}
    )
    assert response.status_code == 200
    # The first name is not on this form: the message is above it.
    assert "To publish with their first name, enter the speaker's first name." in flashes(
        page(response)
    )
    response = client.post(
        f"/quotes/{quote.id}/consent", data={**publish, "name_shown": "pseudonym", "pseudonym": " "}
    )
    assert response.status_code == 200
    assert (
        field_error(page(response), "pseudonym")
        == "Enter the pseudonym the speaker chose, or publish anonymously."
    )
    assert fresh(Quote, quote.id).consent is Consent.INTERNAL
    assert len(history(quote.id)) == 1


def test_recording_the_same_consent_again_adds_no_history(client, staff, group):
    quote = make_quote(group, consent=Consent.ANONYMOUS)
    response = client.post(
        f"/quotes/{quote.id}/consent",
        data={
            "consent": "anonymous",
            "consent_given_at": LAST_WEEK.isoformat(),
            "consent_method": "signed form",
        },
    )
    assert response.status_code == 302
    assert len(history(quote.id)) == 1
    soup = page(client.get(response.headers["Location"]))
    assert "The consent was already recorded like this: nothing changed." in flashes(soup)


def test_withdrawing_consent_unfeatures_the_quote(client, staff, group):
    quote = make_quote(group, consent=Consent.NAMED, featured=True)
    soup = page(client.get(f"/focus-groups/{group.id}"))
    withdraw = soup.select_one(f"#quote-{quote.id} form.withdraw-form")
    assert withdraw["action"] == f"/quotes/{quote.id}/consent"

    response = client.post(withdraw["action"], data={"consent": "internal"})

    assert response.status_code == 302
    saved = fresh(Quote, quote.id)
    assert (saved.consent, saved.featured) == (Consent.INTERNAL, False)
    assert [row.consent for row in history(quote.id)] == [Consent.NAMED, Consent.INTERNAL]
    soup = page(client.get(response.headers["Location"]))
    assert "The quote is internal only: it is not shown on any public page." in flashes(soup)
    assert soup.select_one(f"#quote-{quote.id} form.withdraw-form") is None


def test_the_service_withdraws_consent_for_any_caller(app, group):
    quote = make_quote(group, consent=Consent.ANONYMOUS, featured=True)
    assert services.withdraw_consent(quote) is True
    assert (quote.consent, quote.featured) == (Consent.INTERNAL, False)
    assert services.withdraw_consent(quote) is False


# --- featuring -----------------------------------------------------------------------------------


def test_only_a_quote_with_consent_to_publish_can_be_featured(client, staff, group):
    internal = make_quote(group, text="Internal words")
    response = client.post(f"/quotes/{internal.id}/feature")
    assert response.status_code == 302
    assert fresh(Quote, internal.id).featured is False
    soup = page(client.get(response.headers["Location"]))
    assert "Only a quote with consent to publish can be featured." in flashes(soup)
    assert soup.select_one(f"#quote-{internal.id} form[action$='/feature']") is None

    published = make_quote(group, text="Published words", consent=Consent.ANONYMOUS)
    response = client.post(f"/quotes/{published.id}/feature")
    assert fresh(Quote, published.id).featured is True
    soup = page(client.get(response.headers["Location"]))
    assert "The quote is featured on the home page." in flashes(soup)
    assert soup.select_one(f"#quote-{published.id} form[action$='/unfeature']") is not None

    client.post(f"/quotes/{published.id}/unfeature")
    assert fresh(Quote, published.id).featured is False


def test_getting_a_feature_url_changes_nothing(client, staff, group):
    quote = make_quote(group, consent=Consent.ANONYMOUS)
    assert client.get(f"/quotes/{quote.id}/feature").status_code == 405
    assert client.get(f"/quotes/{quote.id}/consent").status_code == 200
    assert fresh(Quote, quote.id).featured is False
    assert len(history(quote.id)) == 1


# --- the themes report ---------------------------------------------------------------------------


def report_table(soup, class_name) -> dict[str, dict[str, str]]:
    table = soup.select_one(f"table.{class_name}")
    headers = [th.get_text(strip=True) for th in table.select("thead th")]
    rows = {}
    for tr in table.select("tbody tr"):
        cells = [td.get_text(strip=True) for td in tr.select("td")]
        rows[cells[0]] = dict(zip(headers[1:], cells[1:], strict=True))
    return rows


def test_the_themes_report_counts_quotes_per_region_and_programme(
    client, staff, region, make_region
):
    naryn = make_region("Test Naryn")
    legal_aid = make_programme("Legal aid TOT")
    with_programme = make_group(region, programme=legal_aid)
    without = make_group(naryn)
    make_quote(with_programme, themes=("confidence", "legal skills"))
    make_quote(with_programme, themes=("confidence",), consent=Consent.NAMED)
    make_quote(with_programme, themes=("confidence",), region=naryn, consent=Consent.ANONYMOUS)
    make_quote(without, themes=("leadership", "confidence"))
    make_quote(without, themes=())

    soup = page(client.get("/focus-groups/themes"))

    assert soup.h1.get_text(strip=True) == "Themes report"
    assert report_table(soup, "themes-by-region") == {
        "confidence": {"All quotes": "4", "Osh Region": "2", "Test Naryn": "2"},
        "leadership": {"All quotes": "1", "Osh Region": "0", "Test Naryn": "1"},
        "legal skills": {"All quotes": "1", "Osh Region": "1", "Test Naryn": "0"},
    }
    assert report_table(soup, "themes-by-programme") == {
        "confidence": {"All quotes": "4", "Legal aid TOT": "3", "No programme": "1"},
        "leadership": {"All quotes": "1", "Legal aid TOT": "0", "No programme": "1"},
        "legal skills": {"All quotes": "1", "Legal aid TOT": "1", "No programme": "0"},
    }
    cell = soup.select_one("table.themes-by-region tbody td[data-label='Osh Region']")
    assert cell is not None  # each cell names its column when the table stacks on a phone


def test_the_themes_report_runs_the_same_queries_for_many_themes(client, staff, group):
    make_quote(group, themes=("confidence",))
    client.get("/focus-groups/themes")
    with count_queries() as one:
        client.get("/focus-groups/themes")
    for n in range(10):
        make_quote(group, themes=(f"theme {n}", "confidence"))
    with count_queries() as many:
        soup = page(client.get("/focus-groups/themes"))
    assert len(soup.select("table.themes-by-region tbody tr")) == 11
    assert many.count == one.count, many.statements


# --- the CSV export ------------------------------------------------------------------------------


def test_the_csv_lists_every_quote_with_its_consent(client, staff, region):
    programme = make_programme("Legal aid TOT")
    group = make_group(region, programme=programme, held_on=date(2025, 4, 2))
    make_quote(
        group,
        text="Тренинг изменил мою жизнь.",
        speaker_name="Айгерим",
        consent=Consent.NAMED,
        themes=("confidence", "legal skills"),
        featured=True,
    )
    make_quote(group, text="Internal words", speaker_name="Bakyt", age=None, occupation="")

    response = client.get("/focus-groups/quotes.csv")

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="quotes-')
    assert response.headers["Cache-Control"] == "private, no-store"
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == [
        "Focus group date",
        "Focus group region",
        "Programme",
        "Quote",
        "Speaker",
        "Age",
        "Occupation",
        "Speaker's region",
        "Themes",
        "Consent",
        "Consent date",
        "Consent method",
        "Featured",
    ]
    assert rows[1] == [
        "2025-04-02",
        "Osh Region",
        "Legal aid TOT",
        "Тренинг изменил мою жизнь.",
        "Айгерим",
        "24",
        "teacher",
        "Osh Region",
        "confidence, legal skills",
        "Publish with name",
        LAST_WEEK.isoformat(),
        "signed form",
        "yes",
    ]
    assert rows[2][3:6] == ["Internal words", "Bakyt", ""]
    assert rows[2][9:] == ["Internal only", "", "", "no"]
    assert len(rows) == 3


def test_the_csv_neutralises_formulas(client, staff, group):
    make_quote(
        group,
        text='=HYPERLINK("http://evil.example","click")',
        speaker_name="+Aigerim",
        occupation="@teacher",
        themes=("-confidence",),
    )
    rows = list(
        csv.reader(io.StringIO(client.get("/focus-groups/quotes.csv").get_data(as_text=True)))
    )
    assert rows[1][3] == '\'=HYPERLINK("http://evil.example","click")'
    assert rows[1][4] == "'+Aigerim"
    assert rows[1][6] == "'@teacher"
    assert rows[1][8] == "'-confidence"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+7 700", "'+7 700"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("teacher", "teacher"),
        ("a=b", "a=b"),
        (24, "24"),
        (None, ""),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


# --- who may do what -----------------------------------------------------------------------------


STAFF_PAGES = [
    "/focus-groups/",
    "/focus-groups/new",
    "/focus-groups/themes",
    "/focus-groups/quotes.csv",
    "/focus-groups/{group}",
    "/focus-groups/{group}/edit",
    "/quotes/{quote}/edit",
    "/quotes/{quote}/consent",
]


def staff_posts(group, quote) -> list[tuple[str, dict]]:
    publish = {
        "consent": "named",
        "name_shown": "first_name",
        "show_age_band": "y",
        "place_shown": "region",
        "consent_given_at": LAST_WEEK.isoformat(),
        "consent_method": "signed form",
    }
    return [
        ("/focus-groups/new", group_form(group.region)),
        (f"/focus-groups/{group.id}/edit", group_form(group.region, women="99")),
        (f"/focus-groups/{group.id}/quotes", quote_form(group.region)),
        (f"/quotes/{quote.id}/edit", quote_form(group.region, text="Changed")),
        (f"/quotes/{quote.id}/consent", publish),
        (f"/quotes/{quote.id}/feature", {}),
        (f"/quotes/{quote.id}/unfeature", {}),
    ]


def snapshot() -> tuple:
    db.session.expire_all()
    quotes = db.session.execute(
        db.select(
            Quote.id,
            Quote.text,
            Quote.consent,
            Quote.featured,
            Quote.name_shown,
            Quote.show_age_band,
            Quote.place_shown,
        ).order_by(Quote.id)
    ).all()
    groups = db.session.execute(
        db.select(FocusGroup.id, FocusGroup.women).order_by(FocusGroup.id)
    ).all()
    return quotes, groups, count(ConsentChange)


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.FACILITATOR])
def test_participants_and_facilitators_are_refused_everywhere(client, login_as, region, role):
    group = make_group(region)
    quote = make_quote(group, consent=Consent.ANONYMOUS, featured=True)
    before = snapshot()
    login_as(role)

    for url in STAFF_PAGES:
        response = client.get(url.format(group=group.id, quote=quote.id))
        assert response.status_code == 403, url
    for url, data in staff_posts(group, quote):
        assert client.post(url, data=data).status_code == 403, url

    assert snapshot() == before


def test_visitors_are_sent_to_log_in_and_change_nothing(client, region):
    group = make_group(region)
    quote = make_quote(group, consent=Consent.ANONYMOUS, featured=True)
    before = snapshot()

    for url in STAFF_PAGES:
        response = client.get(url.format(group=group.id, quote=quote.id))
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/login?next="), url
    for url, data in staff_posts(group, quote):
        response = client.post(url, data=data)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/login"), url

    assert snapshot() == before


def test_a_participant_opening_a_focus_group_is_refused(client, login_as, group):
    make_quote(group, text="Words only staff may read")
    login_as(Role.PARTICIPANT)
    response = client.get(f"/focus-groups/{group.id}")
    assert response.status_code == 403
    assert "Words only staff may read" not in response.get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.STAFF, Role.ADMIN])
def test_staff_and_administrators_open_every_staff_page(client, login_as, region, role):
    group = make_group(region)
    quote = make_quote(group)
    login_as(role)
    for url in STAFF_PAGES:
        response = client.get(url.format(group=group.id, quote=quote.id))
        assert response.status_code == 200, url
        if response.mimetype == "text/html":
            assert len(page(response).select("h1")) == 1, url


def test_unknown_ids_are_not_found(client, staff):
    for url in [
        "/focus-groups/4242",
        "/focus-groups/4242/edit",
        "/quotes/4242/edit",
        "/quotes/4242/consent",
        "/focus-groups/99999999999999999999",
    ]:
        assert client.get(url).status_code == 404, url
    for url in ["/quotes/4242/feature", "/quotes/4242/unfeature", "/focus-groups/4242/quotes"]:
        assert client.post(url).status_code == 404, url


def test_every_post_form_carries_a_csrf_token_and_is_refused_without(app, client, staff, group):
    quote = make_quote(group, consent=Consent.ANONYMOUS)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        for url in [
            "/focus-groups/new",
            f"/focus-groups/{group.id}",
            f"/focus-groups/{group.id}/edit",
            f"/quotes/{quote.id}/edit",
            f"/quotes/{quote.id}/consent",
        ]:
            forms = page(client.get(url)).select("main form[method=post]")
            assert forms, url
            for form in forms:
                assert form.select_one("input[name=csrf_token]") is not None, (url, form)
        response = client.post(f"/quotes/{quote.id}/feature")
        assert response.status_code == 400
        response = client.post(f"/quotes/{quote.id}/consent", data={"consent": "internal"})
        assert response.status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    saved = fresh(Quote, quote.id)
    assert (saved.consent, saved.featured) == (Consent.ANONYMOUS, False)
