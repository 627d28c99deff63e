"""The scenario library: writing role-plays, their roles, the printable pack, and who may do it."""

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import count_queries, field_error, flashes, page
from tot.errors import DomainError
from tot.extensions import db
from tot.permissions import Role
from tot.scenarios import services
from tot.scenarios.models import Scenario, ScenarioRole, Tag


def scenario_form(**overrides) -> dict:
    data = {
        "title": "The water dispute at the canal",
        "situation": "Two villages share **one** irrigation canal. The dry season has begun.",
        "objectives": "- Practise active listening\n- Find a shared interest",
        "group_min": "3",
        "group_max": "5",
        "duration_minutes": "40",
        "tag_list": "conflict sensitivity, border villages",
        "observer_checklist": "Who speaks first?\nAre interests named?",
        "debrief_questions": "How did you feel?\nWhat would you do differently?",
    }
    data.update(overrides)
    return data


@pytest.fixture
def make_scenario(app):
    def make(title="A role-play", roles=(), tags=(), **fields) -> Scenario:
        values = {
            "title": title,
            "situation": "A situation.",
            "objectives": "Some objectives.",
            "observer_checklist": "",
            "debrief_questions": "",
            "group_min": 2,
            "group_max": 4,
            "duration_minutes": 45,
            "tags": list(tags),
        }
        values.update(fields)
        scenario = services.create_scenario(**values)
        for role in roles:
            if isinstance(role, str):
                role = {"name": role}
            services.add_role(scenario, **role)
        db.session.commit()
        return scenario

    return make


@pytest.fixture
def staff(login_as):
    return login_as(Role.STAFF)


def fresh(model, id_):
    db.session.expire_all()
    return db.session.get(model, id_)


def scenario_count() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(Scenario))


def role_names(scenario_id: int) -> list[str]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            db.select(ScenarioRole.name)
            .where(ScenarioRole.scenario_id == scenario_id)
            .order_by(ScenarioRole.position)
        )
    )


def listed_titles(soup) -> list[str]:
    return [
        a.get_text(strip=True) for a in soup.select("table.scenario-list tbody td:first-child a")
    ]


def path_of(response) -> str:
    return urlsplit(response.headers["Location"]).path


# --- writing a scenario --------------------------------------------------------------------------


def test_staff_add_a_scenario(client, staff):
    assert client.get("/scenarios/new").status_code == 200

    response = client.post("/scenarios/new", data=scenario_form())

    assert response.status_code == 302
    scenario = db.session.execute(db.select(Scenario)).scalar_one()
    assert path_of(response) == f"/scenarios/{scenario.id}"
    assert scenario.title == "The water dispute at the canal"
    assert scenario.group_min == 3
    assert scenario.group_max == 5
    assert scenario.duration_minutes == 40
    assert scenario.created_by_id == staff.id
    assert scenario.checklist_items == ["Who speaks first?", "Are interests named?"]
    assert scenario.debrief_list == ["How did you feel?", "What would you do differently?"]
    assert [tag.name for tag in scenario.tags] == ["border villages", "conflict sensitivity"]

    soup = page(client.get(response.headers["Location"]))
    assert soup.h1.get_text(strip=True) == "The water dispute at the canal"
    assert "“The water dispute at the canal” is added to the library." in flashes(soup)
    assert soup.select_one(".situation strong").get_text() == "one"
    assert [li.get_text(strip=True) for li in soup.select(".objectives li")] == [
        "Practise active listening",
        "Find a shared interest",
    ]
    assert [li.get_text(strip=True) for li in soup.select(".observer-checklist li")] == [
        "Who speaks first?",
        "Are interests named?",
    ]
    assert len(soup.select(".debrief-questions li")) == 2


def test_blank_lines_and_spaces_in_lists_are_dropped(client, staff):
    client.post(
        "/scenarios/new",
        data=scenario_form(
            observer_checklist="  Who speaks first?  \r\n\r\n   \r\nTone of voice\r\n",
            debrief_questions="\n\nWhat surprised you?\n",
        ),
    )

    scenario = db.session.execute(db.select(Scenario)).scalar_one()
    assert scenario.observer_checklist == "Who speaks first?\nTone of voice"
    assert scenario.debrief_list == ["What surprised you?"]


def test_the_edit_form_shows_the_scenario_and_saves_changes(client, staff, make_scenario):
    scenario = make_scenario(title="Old title", tags=["legal aid", "women's leadership"])

    soup = page(client.get(f"/scenarios/{scenario.id}/edit"))
    assert soup.select_one("input#title")["value"] == "Old title"
    assert soup.select_one("input#group_max")["value"] == "4"
    assert soup.select_one("input#tag_list")["value"] == "legal aid, women's leadership"

    response = client.post(
        f"/scenarios/{scenario.id}/edit",
        data=scenario_form(title="New title", group_min="2", group_max="2", tag_list="legal aid"),
    )

    assert response.status_code == 302
    assert path_of(response) == f"/scenarios/{scenario.id}"
    saved = fresh(Scenario, scenario.id)
    assert saved.title == "New title"
    assert (saved.group_min, saved.group_max, saved.duration_minutes) == (2, 2, 40)
    assert [tag.name for tag in saved.tags] == ["legal aid"]
    assert scenario_count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "Enter a title."),
        ({"title": "   "}, "title", "Enter a title."),
        ({"title": "x" * 201}, "title", "At most 200 characters."),
        (
            {"group_min": "6", "group_max": "5"},
            "group_max",
            "The largest group cannot be smaller than the smallest (6).",
        ),
        ({"group_min": "0"}, "group_min", "Enter a number of people from 1 to 30."),
        ({"group_max": "31"}, "group_max", "Enter a number of people from 1 to 30."),
        ({"group_min": ""}, "group_min", "Enter a number of people."),
        ({"group_min": "three"}, "group_min", "Enter a whole number, such as 4."),
        ({"duration_minutes": "4"}, "duration_minutes", "Enter a duration from 5 to 600 minutes."),
        (
            {"duration_minutes": "601"},
            "duration_minutes",
            "Enter a duration from 5 to 600 minutes.",
        ),
        ({"duration_minutes": "9" * 5000}, "duration_minutes", "Enter a whole number, such as 4."),
        ({"tag_list": "x" * 61}, "tag_list", "At most 60 characters."),
    ],
)
def test_bad_input_is_shown_beside_the_field_and_nothing_is_saved(
    client, staff, make_scenario, overrides, field, message
):
    response = client.post("/scenarios/new", data=scenario_form(**overrides))

    assert response.status_code == 200
    soup = page(response)
    assert field_error(soup, field) == message
    assert soup.select_one(".error-summary") is not None
    assert scenario_count() == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(Tag)) == 0

    scenario = make_scenario(title="Kept as it was", tags=["legal aid"])
    response = client.post(f"/scenarios/{scenario.id}/edit", data=scenario_form(**overrides))

    assert response.status_code == 200
    assert field_error(page(response), field) == message
    kept = fresh(Scenario, scenario.id)
    assert kept.title == "Kept as it was"
    assert (kept.group_min, kept.group_max, kept.duration_minutes) == (2, 4, 45)
    assert [tag.name for tag in kept.tags] == ["legal aid"]


def test_the_service_enforces_the_rules_for_any_caller(app):
    with pytest.raises(DomainError) as refused:
        services.create_scenario(
            title="Fine",
            situation="",
            objectives="",
            observer_checklist="",
            debrief_questions="",
            group_min=5,
            group_max=3,
            duration_minutes=30,
            tags="",
        )
    assert refused.value.field == "group_max"
    with pytest.raises(DomainError) as refused:
        services.create_scenario(
            title="Fine",
            situation="",
            objectives="",
            observer_checklist="",
            debrief_questions="",
            group_min=2,
            group_max=3,
            duration_minutes=601,
            tags="",
        )
    assert refused.value.field == "duration_minutes"


# --- tags ----------------------------------------------------------------------------------------


def test_tags_are_trimmed_lower_cased_and_deduplicated(client, staff):
    client.post(
        "/scenarios/new",
        data=scenario_form(tag_list=" Legal Aid, legal aid ,TORTURE   victims,, ,legal AID"),
    )

    scenario = db.session.execute(db.select(Scenario)).scalar_one()
    assert [tag.name for tag in scenario.tags] == ["legal aid", "torture victims"]
    assert db.session.scalar(db.select(db.func.count()).select_from(Tag)) == 2


def test_an_existing_tag_is_reused_not_created_again(client, staff, make_scenario):
    make_scenario(title="First", tags=["legal aid"])
    legal_aid = db.session.execute(db.select(Tag).filter_by(name="legal aid")).scalar_one()

    client.post("/scenarios/new", data=scenario_form(title="Second", tag_list="Legal aid, courts"))

    assert db.session.scalar(db.select(db.func.count()).select_from(Tag)) == 2
    second = db.session.execute(db.select(Scenario).filter_by(title="Second")).scalar_one()
    assert [tag.id for tag in second.tags if tag.name == "legal aid"] == [legal_aid.id]


def test_a_tag_of_exactly_sixty_characters_is_accepted(client, staff):
    response = client.post("/scenarios/new", data=scenario_form(tag_list="y" * 60))

    assert response.status_code == 302
    assert db.session.execute(db.select(Tag)).scalar_one().name == "y" * 60


# --- the library: search, filter, pages ----------------------------------------------------------


def test_the_library_lists_scenarios_with_their_facts(client, staff, make_scenario):
    make_scenario(
        title="Visiting a detention centre",
        tags=["torture victims", "legal aid"],
        roles=["Lawyer", "Guard", "Detainee"],
        group_min=3,
        group_max=6,
        duration_minutes=50,
    )
    make_scenario(title="Alone on stage", group_min=1, group_max=1, duration_minutes=5)

    soup = page(client.get("/scenarios/"))

    assert listed_titles(soup) == ["Alone on stage", "Visiting a detention centre"]
    rows = soup.select("table.scenario-list tbody tr")
    cells = [td.get_text(" ", strip=True) for td in rows[1].select("td")]
    assert cells == [
        "Visiting a detention centre",
        "legal aid , torture victims",
        "3–6 people",
        "50 min",
        "3",
    ]
    assert rows[0].select_one(".role-count").get_text(strip=True) == "0"
    assert "1 person" in rows[0].get_text(" ", strip=True)
    tag_link = rows[1].select_one("a.tag")
    assert parse_qs(urlsplit(tag_link["href"]).query) == {"tag": ["legal aid"]}
    assert all(td.has_attr("data-label") for td in rows[1].select("td")[1:])


def test_search_finds_text_in_title_or_situation_whatever_the_case(client, staff, make_scenario):
    make_scenario(title="Police station visit", situation="A lawyer asks to see a client.")
    make_scenario(title="Water dispute", situation="Neighbours meet at the POLICE post.")
    make_scenario(title="Election of a women's council", situation="Candidates speak.")

    soup = page(client.get("/scenarios/?q=pOlIcE"))

    assert listed_titles(soup) == ["Police station visit", "Water dispute"]
    assert soup.select_one("input#q")["value"] == "pOlIcE"
    assert listed_titles(page(client.get("/scenarios/?q=nothing+like+this"))) == []
    assert "No scenario matches." in page(client.get("/scenarios/?q=zzz")).get_text()


def test_search_wildcards_are_taken_literally(client, staff, make_scenario):
    make_scenario(title="Quota of 100% women")
    make_scenario(title="Quota of 1000 seats")
    make_scenario(title="snake_case title")
    make_scenario(title="snakeXcase title")

    assert listed_titles(page(client.get("/scenarios/?q=100%25"))) == ["Quota of 100% women"]
    assert listed_titles(page(client.get("/scenarios/?q=e_c"))) == ["snake_case title"]


def test_filter_by_tag(client, staff, make_scenario):
    make_scenario(title="At the court", tags=["legal aid"])
    make_scenario(title="At the clinic", tags=["torture victims", "legal aid"])
    make_scenario(title="At the canal", tags=["border villages"])

    soup = page(client.get("/scenarios/?tag=legal+aid"))

    assert listed_titles(soup) == ["At the clinic", "At the court"]
    options = [option["value"] for option in soup.select("select#tag option")]
    assert options == ["", "border villages", "legal aid", "torture victims"]
    assert soup.select_one("select#tag option[selected]")["value"] == "legal aid"
    assert listed_titles(page(client.get("/scenarios/?tag=Legal+Aid"))) == [
        "At the clinic",
        "At the court",
    ]
    assert listed_titles(page(client.get("/scenarios/?tag=legal+aid&q=clinic"))) == [
        "At the clinic"
    ]
    assert listed_titles(page(client.get("/scenarios/?tag=no+such+tag"))) == []


def test_the_library_is_paginated(client, staff, make_scenario):
    for number in range(23):
        make_scenario(title=f"Scenario {number:02d}", tags=["legal aid"])

    soup = page(client.get("/scenarios/?tag=legal+aid"))

    assert len(listed_titles(soup)) == 20
    assert listed_titles(soup)[0] == "Scenario 00"
    assert "23 scenarios" in soup.get_text(" ", strip=True)
    next_link = soup.select_one(".pager a[rel=next]")
    query = parse_qs(urlsplit(next_link["href"]).query)
    assert query["page"] == ["2"]
    assert query["tag"] == ["legal aid"]

    soup = page(client.get(next_link["href"]))
    assert listed_titles(soup) == ["Scenario 20", "Scenario 21", "Scenario 22"]
    assert soup.select_one(".pager a[rel=next]") is None
    assert client.get("/scenarios/?page=abc").status_code == 200
    assert listed_titles(page(client.get("/scenarios/?page=99"))) == []


def test_the_library_runs_as_many_queries_for_twelve_scenarios_as_for_two(
    client, staff, make_scenario
):
    def add(count):
        for _number in range(count):
            make_scenario(
                title=f"Scenario {scenario_count()}",
                tags=[f"theme {scenario_count()}", "shared"],
                roles=["First", "Second"],
            )

    add(2)
    client.get("/scenarios/")  # anything cached on a first request is cached now
    with count_queries() as two:
        response = client.get("/scenarios/")
    assert len(listed_titles(page(response))) == 2

    add(10)
    with count_queries() as twelve:
        response = client.get("/scenarios/")
    assert len(listed_titles(page(response))) == 12

    assert twelve.count == two.count, twelve.statements


# --- the scenario page ---------------------------------------------------------------------------


def test_the_scenario_page_shows_roles_with_their_private_brief_and_links(
    client, staff, make_scenario
):
    scenario = make_scenario(
        title="At the police station",
        tags=["legal aid"],
        roles=[
            {
                "name": "Lawyer",
                "public_description": "Came to see her client.",
                "private_brief": "You suspect the client was beaten.",
            },
            {"name": "Officer on duty", "private_brief": "You were told to stall."},
        ],
    )

    soup = page(client.get(f"/scenarios/{scenario.id}"))

    assert len(soup.find_all("h1")) == 1
    roles = soup.select("#roles li.role")
    assert [role.h3.get_text(strip=True) for role in roles] == ["Lawyer", "Officer on duty"]
    assert roles[0].select_one(".public-description").get_text(strip=True) == (
        "Came to see her client."
    )
    assert roles[0].select_one(".private-brief").get_text(strip=True) == (
        "You suspect the client was beaten."
    )
    hrefs = {a["href"] for a in soup.select("main a")}
    assert f"/scenarios/{scenario.id}/edit" in hrefs
    assert f"/scenarios/{scenario.id}/pack" in hrefs
    assert "#add-role" in hrefs
    assert f"/scenarios/{scenario.id}/roles/{scenario.roles[0].id}/edit" in hrefs
    assert "/scenarios/?tag=legal+aid" in hrefs
    assert soup.select_one("#add-role form")["action"] == (f"/scenarios/{scenario.id}/roles")


def test_markdown_with_a_script_is_shown_as_text(client, staff, make_scenario):
    scenario = make_scenario(
        title="Tricky <script>alert(1)</script>",
        situation="Hello <script>alert('situation')</script> *world*",
        objectives="<img src=x onerror=alert(1)>",
        roles=[{"name": "<script>x</script>", "private_brief": "<script>alert(2)</script>"}],
    )

    for path in (f"/scenarios/{scenario.id}", f"/scenarios/{scenario.id}/pack", "/scenarios/"):
        soup = page(client.get(path))
        assert soup.find("script") is None, path
        assert soup.select("main img") == [], path
    soup = page(client.get(f"/scenarios/{scenario.id}"))
    assert "<script>alert('situation')</script>" in soup.select_one(".situation").get_text()
    assert soup.select_one(".situation em").get_text() == "world"


def test_an_unknown_scenario_is_not_found(client, staff):
    for path in (
        "/scenarios/999999",
        "/scenarios/999999/edit",
        "/scenarios/999999/pack",
        "/scenarios/999999/roles/1/edit",
    ):
        assert client.get(path).status_code == 404, path
    for path in (
        "/scenarios/999999/edit",
        "/scenarios/999999/roles",
        "/scenarios/999999/roles/1/edit",
        "/scenarios/999999/roles/1/delete",
        "/scenarios/999999/roles/1/move",
    ):
        assert client.post(path, data={"name": "X", "direction": "up"}).status_code == 404, path
    assert client.get("/scenarios/abc").status_code == 404


# --- roles ---------------------------------------------------------------------------------------


def test_add_roles_in_order(client, staff, make_scenario):
    scenario = make_scenario()

    response = client.post(
        f"/scenarios/{scenario.id}/roles",
        data={
            "name": "  Mother of the detainee ",
            "public_description": "Worried.",
            "private_brief": "You brought a parcel.",
        },
    )
    client.post(f"/scenarios/{scenario.id}/roles", data={"name": "Investigator"})

    assert response.status_code == 302
    assert path_of(response) == f"/scenarios/{scenario.id}"
    assert role_names(scenario.id) == ["Mother of the detainee", "Investigator"]
    mother = db.session.execute(db.select(ScenarioRole).filter_by(position=0)).scalar_one()
    assert mother.public_description == "Worried."
    assert mother.private_brief == "You brought a parcel."


@pytest.mark.parametrize(
    ("name", "message"),
    [("", "Enter the role's name."), ("r" * 121, "At most 120 characters.")],
)
def test_a_role_needs_a_short_name(client, staff, make_scenario, name, message):
    scenario = make_scenario(roles=["Judge"])

    response = client.post(
        f"/scenarios/{scenario.id}/roles", data={"name": name, "private_brief": "Kept"}
    )

    assert response.status_code == 200
    soup = page(response)
    assert field_error(soup, "name") == message
    assert soup.select_one("textarea#private_brief").get_text(strip=True) == "Kept"
    assert role_names(scenario.id) == ["Judge"]


def test_edit_a_role(client, staff, make_scenario):
    scenario = make_scenario(roles=[{"name": "Judge", "private_brief": "Old brief"}])
    role_id = scenario.roles[0].id

    soup = page(client.get(f"/scenarios/{scenario.id}/roles/{role_id}/edit"))
    assert soup.select_one("input#name")["value"] == "Judge"
    assert soup.select_one("textarea#private_brief").get_text(strip=True) == "Old brief"

    response = client.post(
        f"/scenarios/{scenario.id}/roles/{role_id}/edit",
        data={"name": "Senior judge", "public_description": "Presides.", "private_brief": "New"},
    )

    assert response.status_code == 302
    role = fresh(ScenarioRole, role_id)
    assert (role.name, role.public_description, role.private_brief) == (
        "Senior judge",
        "Presides.",
        "New",
    )

    response = client.post(f"/scenarios/{scenario.id}/roles/{role_id}/edit", data={"name": ""})
    assert response.status_code == 200
    assert field_error(page(response), "name") == "Enter the role's name."
    assert fresh(ScenarioRole, role_id).name == "Senior judge"


def test_move_roles_up_and_down_without_javascript(client, staff, make_scenario):
    scenario = make_scenario(roles=["Judge", "Lawyer", "Witness"])
    judge, lawyer, witness = (role.id for role in scenario.roles)

    soup = page(client.get(f"/scenarios/{scenario.id}"))
    forms = soup.select("form.move-form")
    assert [[b["value"] for b in form.select("button[name=direction]")] for form in forms] == [
        ["down"],
        ["up", "down"],
        ["up"],
    ]

    response = client.post(
        f"/scenarios/{scenario.id}/roles/{witness}/move", data={"direction": "up"}
    )
    assert response.status_code == 302
    assert role_names(scenario.id) == ["Judge", "Witness", "Lawyer"]

    client.post(f"/scenarios/{scenario.id}/roles/{judge}/move", data={"direction": "down"})
    assert role_names(scenario.id) == ["Witness", "Judge", "Lawyer"]

    # Already at the end: nothing moves.
    client.post(f"/scenarios/{scenario.id}/roles/{lawyer}/move", data={"direction": "down"})
    client.post(f"/scenarios/{scenario.id}/roles/{witness}/move", data={"direction": "up"})
    assert role_names(scenario.id) == ["Witness", "Judge", "Lawyer"]

    response = client.post(
        f"/scenarios/{scenario.id}/roles/{judge}/move", data={"direction": "sideways"}
    )
    assert response.status_code == 302
    assert role_names(scenario.id) == ["Witness", "Judge", "Lawyer"]
    assert "Choose to move the role up or down." in flashes(page(client.get(path_of(response))))


def test_delete_a_role(client, staff, make_scenario):
    scenario = make_scenario(roles=["Judge", "Lawyer", "Witness"])
    lawyer = scenario.roles[1].id

    assert client.get(f"/scenarios/{scenario.id}/roles/{lawyer}/delete").status_code == 405
    response = client.post(f"/scenarios/{scenario.id}/roles/{lawyer}/delete")

    assert response.status_code == 302
    assert role_names(scenario.id) == ["Judge", "Witness"]
    assert fresh(ScenarioRole, lawyer) is None
    positions = db.session.scalars(db.select(ScenarioRole.position).order_by(ScenarioRole.position))
    assert list(positions) == [0, 1]
    assert "The role “Lawyer” is deleted." in flashes(page(client.get(path_of(response))))


def test_a_role_of_another_scenario_is_not_found_and_nothing_changes(client, staff, make_scenario):
    mine = make_scenario(title="Mine", roles=["Judge", "Lawyer"])
    other = make_scenario(title="Other", roles=["Guard", "Prisoner"])
    guard = other.roles[0].id
    prisoner = other.roles[1].id
    base = f"/scenarios/{mine.id}/roles"

    assert client.get(f"{base}/{guard}/edit").status_code == 404
    assert client.post(f"{base}/{guard}/edit", data={"name": "Hijacked"}).status_code == 404
    assert client.post(f"{base}/{prisoner}/move", data={"direction": "up"}).status_code == 404
    assert client.post(f"{base}/{guard}/delete").status_code == 404

    assert role_names(other.id) == ["Guard", "Prisoner"]
    assert role_names(mine.id) == ["Judge", "Lawyer"]


# --- the printable pack --------------------------------------------------------------------------


def test_the_pack_has_one_card_per_role_with_its_private_brief(client, staff, make_scenario):
    scenario = make_scenario(
        title="The canal",
        situation="The **dry** season.",
        observer_checklist="Who speaks first\nAre interests named",
        debrief_questions="What changed?",
        roles=[
            {"name": "Elder", "public_description": "Respected.", "private_brief": "Elder secret"},
            {"name": "Farmer", "private_brief": "Farmer secret"},
            {"name": "Official", "private_brief": "Official secret"},
        ],
    )

    response = client.get(f"/scenarios/{scenario.id}/pack")

    assert response.status_code == 200
    soup = page(response)
    assert soup.h1.get_text(strip=True) == "The canal"
    assert len(soup.find_all("h1")) == 1
    cards = soup.select(".role-card")
    assert [card.h3.get_text(strip=True) for card in cards] == ["Elder", "Farmer", "Official"]
    assert [card.select_one(".private-brief").get_text(strip=True) for card in cards] == [
        "Elder secret",
        "Farmer secret",
        "Official secret",
    ]
    assert cards[0].select_one(".public-description").get_text(strip=True) == "Respected."
    assert soup.select_one(".pack strong").get_text() == "dry"
    assert len(soup.select(".checklist li .tick-box")) == 2
    assert [li.get_text(strip=True) for li in soup.select(".debrief-questions li")] == [
        "What changed?"
    ]
    assert "Print" in soup.select_one(".pack-hint").get_text()
    stylesheets = [link["href"] for link in soup.select("head link[rel=stylesheet]")]
    assert "/static/css/pack.css" in stylesheets


def test_the_pack_stylesheet_prints_one_role_card_a_page(client, staff):
    response = client.get("/static/css/pack.css")

    assert response.status_code == 200
    css = response.get_data(as_text=True)
    response.close()
    print_rules = css[css.index("@media print") :]
    assert "break-after: page" in print_rules
    assert "page-break-after: always" in print_rules
    assert "dashed" in css


# --- who may do this -----------------------------------------------------------------------------


EXPECTED_ENDPOINTS = {
    "scenarios.index",
    "scenarios.create",
    "scenarios.edit",
    "scenarios.show",
    "scenarios.pack",
    "scenarios.add_role",
    "scenarios.edit_role",
    "scenarios.delete_role",
    "scenarios.move_role",
}


def requests_for(scenario_id: int, role_id: int) -> list[tuple[str, str, dict]]:
    base = f"/scenarios/{scenario_id}"
    role = f"{base}/roles/{role_id}"
    return [
        ("GET", "/scenarios/", {}),
        ("GET", "/scenarios/new", {}),
        ("GET", base, {}),
        ("GET", f"{base}/edit", {}),
        ("GET", f"{base}/pack", {}),
        ("GET", f"{role}/edit", {}),
        ("POST", "/scenarios/new", scenario_form(title="Intruded")),
        ("POST", f"{base}/edit", scenario_form(title="Intruded")),
        ("POST", f"{base}/roles", {"name": "Intruder"}),
        ("POST", f"{role}/edit", {"name": "Intruder"}),
        ("POST", f"{role}/move", {"direction": "down"}),
        ("POST", f"{role}/delete", {}),
    ]


def test_every_scenario_route_is_covered_by_the_access_tests(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert {e for e in endpoints if e.startswith("scenarios.")} == EXPECTED_ENDPOINTS


def assert_nothing_changed(scenario_id: int) -> None:
    assert scenario_count() == 1
    assert fresh(Scenario, scenario_id).title == "Untouched"
    assert role_names(scenario_id) == ["Judge", "Lawyer"]


def test_participants_may_not_use_the_library(client, login_as, make_scenario):
    scenario = make_scenario(title="Untouched", roles=["Judge", "Lawyer"])
    login_as(Role.PARTICIPANT)

    for method, path, data in requests_for(scenario.id, scenario.roles[0].id):
        response = client.open(path, method=method, data=data)
        assert response.status_code == 403, (method, path)

    assert_nothing_changed(scenario.id)
    nav = page(client.get("/profile")).select_one("header nav")
    assert "/scenarios/" not in [a["href"] for a in nav.select("a")]


def test_visitors_are_sent_to_log_in(client, make_scenario):
    scenario = make_scenario(title="Untouched", roles=["Judge", "Lawyer"])

    for method, path, data in requests_for(scenario.id, scenario.roles[0].id):
        response = client.open(path, method=method, data=data)
        assert response.status_code == 302, (method, path)
        location = urlsplit(response.headers["Location"])
        assert location.path == "/login", (method, path)
        if method == "GET":
            assert parse_qs(location.query)["next"] == [path]

    assert_nothing_changed(scenario.id)


@pytest.mark.parametrize("role", [Role.FACILITATOR, Role.STAFF, Role.ADMIN])
def test_facilitators_staff_and_admins_may_author(client, login_as, make_scenario, role):
    login_as(role)
    scenario = make_scenario(title="Untouched", roles=["Judge", "Lawyer"])

    for method, path, _data in requests_for(scenario.id, scenario.roles[0].id):
        if method == "GET":
            response = client.get(path)
            assert response.status_code == 200, path
            assert len(page(response).find_all("h1")) == 1, path

    response = client.post("/scenarios/new", data=scenario_form(title="By someone allowed"))
    assert response.status_code == 302
    created = db.session.execute(
        db.select(Scenario).filter_by(title="By someone allowed")
    ).scalar_one()
    client.post(f"/scenarios/{created.id}/roles", data={"name": "Chair"})
    assert role_names(created.id) == ["Chair"]
    response = client.post(f"/scenarios/{scenario.id}/edit", data=scenario_form(title="Changed"))
    assert response.status_code == 302
    assert fresh(Scenario, scenario.id).title == "Changed"
    nav = page(client.get("/scenarios/")).select_one("header nav")
    assert "/scenarios/" in [a["href"] for a in nav.select("a")]


def test_every_post_form_carries_a_csrf_token_and_a_post_without_one_changes_nothing(
    app, client, staff, make_scenario
):
    scenario = make_scenario(title="Untouched", roles=["Judge", "Lawyer"])
    app.config["WTF_CSRF_ENABLED"] = True
    pages = [
        "/scenarios/new",
        f"/scenarios/{scenario.id}",
        f"/scenarios/{scenario.id}/edit",
        f"/scenarios/{scenario.id}/roles/{scenario.roles[0].id}/edit",
    ]
    for path in pages:
        forms = page(client.get(path)).select("main form[method=post]")
        assert forms, path
        for form in forms:
            assert form.select_one("input[name=csrf_token]") is not None, (path, form)

    for method, path, data in requests_for(scenario.id, scenario.roles[0].id):
        if method == "POST":
            assert client.post(path, data=data).status_code == 400, path
    assert_nothing_changed(scenario.id)
