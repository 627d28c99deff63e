"""Live role-play in a session: forming groups, editing them, debriefs, finishing, cards, briefs."""

import math
from collections import Counter
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from flask import render_template

from tests.conftest import count_queries, field_error, flashes, log_in, make_config, page
from tests.factories import activity_of, enrol_all, make_programme, make_session
from tot import create_app
from tot.accounts.models import User
from tot.curriculum.models import ActivityKind
from tot.enrolment.models import Enrolment, EnrolmentStatus
from tot.extensions import db
from tot.learning.models import ActivityCompletion
from tot.permissions import Role
from tot.roleplay import services
from tot.roleplay.models import RoleAssignment, RolePlayGroup, RolePlayRun
from tot.roleplay.panel import roleplay_panel
from tot.scenarios.models import Scenario, ScenarioRole
from tot.sessions.models import SessionStatus, TrainingSession

# --- builders ------------------------------------------------------------------------------------


def new_session(lead, region, programme=None, **fields) -> TrainingSession:
    start = datetime.now(UTC) + timedelta(days=3)
    fields.setdefault("title", "Osh legal aid TOT")
    fields.setdefault("starts_at", start)
    fields.setdefault("ends_at", start + timedelta(days=2))
    return make_session(
        lead,
        programme=programme or make_programme(),
        region=region,
        venue="Hall",
        timezone="Asia/Bishkek",
        capacity=30,
        **fields,
    )


def scenario_with(roles=("Lawyer", "Mother", "Guard"), group_min=3, group_max=4, **fields):
    scenario = Scenario(
        title=fields.pop("title", "Night at the police station"),
        situation=fields.pop("situation", "A detainee asks for a lawyer."),
        objectives="Practise calm questions.",
        observer_checklist=fields.pop("observer_checklist", "CHECK-ONE\nCHECK-TWO"),
        debrief_questions="What worked?",
        group_min=group_min,
        group_max=group_max,
        **fields,
    )
    for position, name in enumerate(roles):
        scenario.roles.append(
            ScenarioRole(
                name=name,
                position=position,
                public_description=f"PUBLIC-{name.upper()}",
                private_brief=f"SECRET-{name.upper()}",
            )
        )
    db.session.add(scenario)
    db.session.commit()
    return scenario


def people_from(make_user, make_region, sizes) -> list:
    """Participants: sizes[i] people from a new region i, created in turns (A, B, C, A, B, …),
    so that the order they signed up in does not already keep regions apart or together."""
    homes = [make_region() for _ in sizes]
    people = []
    for turn in range(max(sizes)):
        for home, size in zip(homes, sizes, strict=True):
            if turn < size:
                people.append(make_user(Role.PARTICIPANT, region=home))
    return people


def runs() -> list[RolePlayRun]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(RolePlayRun).order_by(RolePlayRun.id)))


def groups_of(run_id: int) -> list[list[RoleAssignment]]:
    db.session.expire_all()
    groups = db.session.scalars(
        db.select(RolePlayGroup)
        .where(RolePlayGroup.run_id == run_id)
        .order_by(RolePlayGroup.number)
    )
    return [list(group.assignments) for group in groups]


def layout(run_id: int) -> list[list[tuple[int, int | None]]]:
    """(user id, role id) per group, sorted: what a re-formed run must reproduce."""
    return [sorted((a.user_id, a.role_id or 0) for a in group) for group in groups_of(run_id)]


def start(client, session, scenario):
    return client.post(f"/sessions/{session.id}/roleplays", data={"scenario": str(scenario.id)})


@pytest.fixture
def facilitator(make_user):
    return make_user(Role.FACILITATOR)


@pytest.fixture
def played(client, make_user, make_region, facilitator, region):
    """A session of a programme whose role-play plays `scenario`, 6 people from 3 regions, a run."""
    programme = make_programme()
    scenario = activity_of(programme, ActivityKind.ROLE_PLAY).scenario  # Lawyer, Mother; 2-3
    session = new_session(facilitator, region, programme)
    people = people_from(make_user, make_region, [2, 2, 2])
    enrol_all(session, people)
    log_in(client, facilitator)
    assert start(client, session, scenario).status_code == 302
    run = runs()[-1]
    return SimpleNamespace(
        programme=programme, scenario=scenario, session=session, people=people, run=run
    )


# --- forming groups: the rules -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("people", "low", "high", "groups", "warned"),
    [
        (10, 3, 4, 3, False),  # 4/3/3
        (12, 2, 4, 3, False),
        (7, 2, 3, 3, False),  # 3/2/2
        (4, 2, 4, 1, False),
        (2, 3, 4, 1, True),  # fewer than the smallest group: one group of all
        (5, 3, 4, 1, True),  # 5 fits no split into 3-4: groups stay at least 3
        (0, 2, 4, 0, False),
    ],
)
def test_the_number_of_groups(app, people, low, high, groups, warned):
    plan = services.plan_groups(people, low, high)
    assert plan.groups == groups
    assert bool(plan.warnings) is warned


def test_dealing_spreads_regions_and_gives_roles_in_order():
    people = [
        SimpleNamespace(id=n, full_name=f"P{n}", region_id=region)
        for n, region in enumerate([1, 1, 1, 2, 2, 2, 3, 3, 3])
    ]
    roles = ["first", "second"]
    groups = services.deal_groups(people, roles, 3)
    assert [len(g) for g in groups] == [3, 3, 3]
    for group in groups:
        assert sorted(person.region_id for person, _ in group) == [1, 2, 3]
        assert [role for _, role in group] == ["first", "second", None]
    assert services.deal_groups(list(reversed(people)), roles, 3) == groups  # order-independent


# --- starting a run ------------------------------------------------------------------------------


def test_ten_people_form_three_mixed_groups_with_every_role(
    client, make_user, make_region, facilitator, region
):
    session = new_session(facilitator, region)
    scenario = scenario_with(group_min=3, group_max=4)
    people = people_from(make_user, make_region, [4, 3, 3])
    enrol_all(session, people)
    outsiders = people_from(make_user, make_region, [1, 1, 1])
    enrol_all(session, outsiders[:1], EnrolmentStatus.PENDING)
    enrol_all(session, outsiders[1:2], EnrolmentStatus.WAITLISTED)
    enrol_all(session, outsiders[2:], EnrolmentStatus.WITHDRAWN)
    log_in(client, facilitator)

    response = start(client, session, scenario)

    run = runs()[-1]
    assert response.status_code == 302
    assert response.headers["Location"] == f"/roleplays/{run.id}"
    assert (run.session_id, run.scenario_id) == (session.id, scenario.id)
    assert run.created_by_id == facilitator.id
    assert run.finished_at is None
    groups = groups_of(run.id)
    assert sorted((len(g) for g in groups), reverse=True) == [4, 3, 3]
    assigned = {a.user_id for g in groups for a in g}
    assert assigned == {p.id for p in people}  # confirmed only
    region_size = Counter(p.region_id for p in people)
    region_of = {p.id: p.region_id for p in people}
    for group in groups:
        for home, count in Counter(region_of[a.user_id] for a in group).items():
            assert count <= math.ceil(region_size[home] / len(groups))
        played = [a.role_id for a in group if a.role_id is not None]
        assert sorted(played) == sorted(role.id for role in scenario.roles)  # each role once
    observers = [sum(1 for a in g if a.role_id is None) for g in groups]
    assert sorted(observers) == [0, 0, 1]
    soup = page(client.get(response.headers["Location"]))
    assert "The role-play “Night at the police station” has started with 3 groups." in flashes(soup)


def test_no_group_has_two_people_of_one_region_when_that_is_avoidable(
    client, make_user, make_region, facilitator, region
):
    session = new_session(facilitator, region)
    scenario = scenario_with(group_min=3, group_max=3)
    enrol_all(session, people_from(make_user, make_region, [3, 3, 3]))
    log_in(client, facilitator)
    start(client, session, scenario)
    groups = groups_of(runs()[-1].id)
    assert len(groups) == 3
    for group in groups:
        regions = [a.user.region_id for a in group]
        assert len(set(regions)) == len(regions) == 3


def test_observers_are_balanced_between_groups(client, make_user, make_region, facilitator, region):
    session = new_session(facilitator, region)
    scenario = scenario_with(roles=("Lawyer", "Mother"), group_min=2, group_max=5)
    enrol_all(session, people_from(make_user, make_region, [5, 4, 4]))
    log_in(client, facilitator)
    start(client, session, scenario)
    groups = groups_of(runs()[-1].id)
    assert sorted(len(g) for g in groups) == [4, 4, 5]
    observers = [sum(1 for a in g if a.role_id is None) for g in groups]
    assert sum(observers) == 13 - 2 * 3
    assert max(observers) - min(observers) <= 1
    for group in groups:  # every role is played in every group
        assert sorted(a.role.name for a in group if a.role) == ["Lawyer", "Mother"]


def test_the_same_people_give_the_same_groups(client, make_user, make_region, facilitator, region):
    session = new_session(facilitator, region)
    scenario = scenario_with()
    enrol_all(session, people_from(make_user, make_region, [3, 4, 3]))
    log_in(client, facilitator)
    start(client, session, scenario)
    start(client, session, scenario)
    first, second = runs()
    assert layout(first.id) == layout(second.id)


def test_fewer_people_than_the_smallest_group_play_in_one_group_with_a_warning(
    client, make_user, make_region, facilitator, region
):
    session = new_session(facilitator, region)
    scenario = scenario_with(group_min=3, group_max=4)
    enrol_all(session, people_from(make_user, make_region, [1, 1]))
    log_in(client, facilitator)
    response = start(client, session, scenario)
    groups = groups_of(runs()[-1].id)
    assert [len(g) for g in groups] == [2]
    assert sorted(a.role.name for a in groups[0]) == ["Lawyer", "Mother"]  # Guard unplayed
    soup = page(client.get(response.headers["Location"]))
    assert any("fewer people (2)" in message for message in flashes(soup))
    assert "Nobody plays: Guard." in soup.select_one(".missing-roles").get_text()


def test_the_scenario_select_lists_the_programmes_scenarios_first(
    client, facilitator, region, make_user
):
    scenario_with(title="Aardvark library scenario")
    programme = make_programme()
    own = activity_of(programme, ActivityKind.ROLE_PLAY).scenario
    session = new_session(facilitator, region, programme)
    log_in(client, facilitator)
    soup = page(client.get(f"/sessions/{session.id}/roleplays"))
    assert len(soup.select("h1")) == 1
    groups = soup.select("#roleplay-scenario optgroup")
    assert [g["label"] for g in groups] == ["In this programme", "All other scenarios"]
    assert [o.get_text() for o in groups[0].select("option")] == [own.title]
    assert "Aardvark library scenario" in [o.get_text() for o in groups[1].select("option")]
    assert soup.select_one("#roleplay-scenario option[selected]")["value"] == str(own.id)
    form = soup.select_one("form.start-run-form")
    assert form["method"] == "post"
    assert form.select_one("input[name=csrf_token]")


@pytest.mark.parametrize("value", ["", "abc", "999999", "99999999999999999999"])
def test_an_unknown_scenario_is_refused(client, facilitator, region, make_user, value):
    session = new_session(facilitator, region)
    enrol_all(session, [make_user()])
    log_in(client, facilitator)
    response = client.post(f"/sessions/{session.id}/roleplays", data={"scenario": value})
    assert response.status_code == 400
    assert field_error(page(response), "roleplay-scenario")
    assert runs() == []


def test_a_scenario_without_roles_or_a_session_without_people_is_refused(
    client, facilitator, region, make_user
):
    session = new_session(facilitator, region)
    log_in(client, facilitator)
    scenario = scenario_with()
    response = start(client, session, scenario)
    assert response.status_code == 400
    assert "no confirmed participants" in page(response).select_one(".error").get_text()

    enrol_all(session, [make_user()])
    bare = scenario_with(roles=(), title="No roles yet")
    response = start(client, session, bare)
    assert response.status_code == 400
    assert "has no roles yet" in field_error(page(response), "roleplay-scenario")

    cancelled = new_session(facilitator, region, status=SessionStatus.CANCELLED)
    enrol_all(cancelled, [make_user()])
    assert start(client, cancelled, scenario).status_code == 400
    assert runs() == []


# --- the run page --------------------------------------------------------------------------------


def test_the_run_page_shows_groups_roles_and_regions(client, played):
    soup = page(client.get(f"/roleplays/{played.run.id}"))
    assert len(soup.select("h1")) == 1
    assert soup.h1.get_text(strip=True) == played.scenario.title
    sections = soup.select("section.run-group")
    assert len(sections) == len(groups_of(played.run.id)) == 2
    shown = {
        li.select_one(".member-name").get_text(strip=True): (
            li.select_one(".member-role").get_text(strip=True),
            li.select_one(".member-region").get_text(strip=True),
        )
        for li in soup.select("li.member")
    }
    for group in groups_of(played.run.id):
        for a in group:
            role = a.role.name if a.role else "Observer"
            assert shown[a.user.full_name] == (role, a.user.region.name)
    # Each person's edit form has unique field ids and posts to their assignment.
    ids = [tag["id"] for tag in soup.select("[id]")]
    assert len(ids) == len(set(ids))


def test_the_run_page_runs_a_fixed_number_of_queries(
    client, make_user, make_region, facilitator, region
):
    counts = []
    for sizes in ([2, 2, 2], [3] * 6):  # 6 people from 3 regions; 18 from 6
        session = new_session(facilitator, region)
        scenario = scenario_with(group_min=3, group_max=3)
        enrol_all(session, people_from(make_user, make_region, sizes))
        log_in(client, facilitator)
        start(client, session, scenario)
        run = runs()[-1]
        assert len(groups_of(run.id)) == sum(sizes) // 3
        with count_queries() as counter:
            assert client.get(f"/roleplays/{run.id}").status_code == 200
        counts.append(counter.count)
        with count_queries() as counter:
            assert client.get(f"/roleplays/{run.id}/cards").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[2]
    assert counts[1] == counts[3]


# --- moving people -------------------------------------------------------------------------------


def move_data(assignment_id: int, group_id, role) -> dict:
    return {f"assignment-{assignment_id}-group": group_id, f"assignment-{assignment_id}-role": role}


def test_a_person_moves_to_another_group_and_role(client, played):
    first, second = groups_of(played.run.id)
    person = next(a for a in first if a.role is not None)
    mother = next(r for r in played.scenario.roles if r.name == "Mother")
    target = db.session.get(RolePlayGroup, second[0].group_id)

    response = client.post(
        f"/roleplays/{played.run.id}/assignments/{person.id}",
        data=move_data(person.id, target.id, mother.id),
    )

    assert response.status_code == 302
    moved = db.session.get(RoleAssignment, person.id)
    assert (moved.group_id, moved.role_id) == (target.id, mother.id)
    soup = page(client.get(response.headers["Location"]))
    assert f"{moved.user.full_name} is now in group {target.number} as Mother." in flashes(soup)
    assert any("More than one person in group" in m for m in flashes(soup))

    response = client.post(
        f"/roleplays/{played.run.id}/assignments/{person.id}",
        data=move_data(person.id, target.id, "observer"),
    )
    assert response.status_code == 302
    assert db.session.get(RoleAssignment, person.id).role_id is None


def test_a_role_or_group_from_elsewhere_is_refused_and_nothing_changes(
    client, played, facilitator, region, make_user
):
    run = played.run
    other_session = new_session(facilitator, region)
    enrol_all(other_session, [make_user()])
    start(client, other_session, scenario_with(title="Another"))
    other_run = runs()[-1]
    foreign_group = groups_of(other_run.id)[0][0].group_id
    foreign_role = db.session.scalar(
        db.select(ScenarioRole.id).where(ScenarioRole.scenario_id == other_run.scenario_id)
    )
    person = groups_of(run.id)[0][0]
    before = layout(run.id)
    url = f"/roleplays/{run.id}/assignments/{person.id}"

    cases = [
        (move_data(person.id, foreign_group, person.role_id or "observer"), "group"),
        (move_data(person.id, person.group_id, foreign_role), "role"),
        (move_data(person.id, "x", "observer"), "group"),
        (move_data(person.id, person.group_id, "1.5"), "role"),
        ({f"assignment-{person.id}-group": person.group_id}, "role"),
    ]
    for data, bad_field in cases:
        response = client.post(url, data=data)
        assert response.status_code == 400, data
        assert field_error(page(response), f"assignment-{person.id}-{bad_field}"), data
        assert layout(run.id) == before

    other_person = groups_of(other_run.id)[0][0]
    response = client.post(
        f"/roleplays/{run.id}/assignments/{other_person.id}",
        data=move_data(other_person.id, person.group_id, "observer"),
    )
    assert response.status_code == 404
    assert client.post(f"/roleplays/{run.id}/assignments/999999", data={}).status_code == 404
    assert layout(run.id) == before


# --- debrief notes -------------------------------------------------------------------------------


def test_debrief_notes_are_saved_as_written_and_shown_safely(client, played):
    group_id = groups_of(played.run.id)[1][0].group_id
    notes = "They **listened**.\n<script>alert(1)</script>"
    response = client.post(
        f"/roleplays/{played.run.id}/groups/{group_id}/debrief",
        data={f"group-{group_id}-notes": notes},
    )
    assert response.status_code == 302
    assert db.session.get(RolePlayGroup, group_id).debrief_notes == notes
    soup = page(client.get(response.headers["Location"]))
    shown = soup.select_one(f"#group-{group_id} .debrief-notes")
    assert shown.select_one("strong").get_text() == "listened"
    assert shown.select("script") == []
    # A textarea's first line break is part of its markup, not of the text.
    assert soup.select_one(f"#group-{group_id}-notes").get_text().removeprefix("\r\n") == notes


def test_debrief_notes_too_long_or_for_another_group_are_refused(client, played):
    group_id = groups_of(played.run.id)[0][0].group_id
    url = f"/roleplays/{played.run.id}/groups/{group_id}/debrief"
    response = client.post(url, data={f"group-{group_id}-notes": "x" * 20_001})
    assert response.status_code == 400
    assert "At most 20000 characters." in field_error(page(response), f"group-{group_id}-notes")
    assert db.session.get(RolePlayGroup, group_id).debrief_notes == ""
    assert client.post(f"/roleplays/{played.run.id}/groups/999999/debrief").status_code == 404


# --- finishing -----------------------------------------------------------------------------------


def completions() -> set[tuple[int, int]]:
    db.session.expire_all()
    return set(
        db.session.execute(db.select(ActivityCompletion.user_id, ActivityCompletion.activity_id))
    )


def test_finishing_marks_the_role_play_activity_done_for_those_who_took_part(
    client, played, make_user
):
    role_play = activity_of(played.programme, ActivityKind.ROLE_PLAY)
    left = played.people[0]
    enrolment = db.session.scalar(db.select(Enrolment).where(Enrolment.user_id == left.id))
    enrolment.status = EnrolmentStatus.WITHDRAWN
    db.session.commit()
    bystander = make_user()
    enrol_all(played.session, [bystander])  # confirmed after the groups were formed: not in the run

    response = client.post(f"/roleplays/{played.run.id}/finish")

    assert response.status_code == 302
    assert db.session.get(RolePlayRun, played.run.id).finished_at is not None
    expected = {(p.id, role_play.id) for p in played.people[1:]}
    assert completions() == expected
    soup = page(client.get(response.headers["Location"]))
    assert "marked done for 5 participants" in " ".join(flashes(soup))
    assert soup.select("form[action$='/finish']") == []
    assert soup.select("form.move-form") == []

    # Finishing again is refused; moving people is refused; notes can still be written.
    again = client.post(f"/roleplays/{played.run.id}/finish")
    assert "already finished" in " ".join(flashes(page(client.get(again.headers["Location"]))))
    person = groups_of(played.run.id)[0][0]
    response = client.post(
        f"/roleplays/{played.run.id}/assignments/{person.id}",
        data=move_data(person.id, person.group_id, "observer"),
    )
    assert response.status_code == 400
    assert db.session.get(RoleAssignment, person.id).role_id == person.role_id
    group_id = person.group_id
    response = client.post(
        f"/roleplays/{played.run.id}/groups/{group_id}/debrief",
        data={f"group-{group_id}-notes": "Afterwards"},
    )
    assert response.status_code == 302
    assert completions() == expected


def test_finishing_a_scenario_no_activity_plays_records_no_progress(client, played):
    run = played.run
    other = scenario_with(roles=("Lawyer",), group_min=1, group_max=6, title="Elsewhere")
    start(client, played.session, other)
    other_run = runs()[-1]
    assert other_run.id != run.id
    response = client.post(f"/roleplays/{other_run.id}/finish")
    assert response.status_code == 302
    assert completions() == set()
    assert "no progress was recorded" in " ".join(
        flashes(page(client.get(response.headers["Location"])))
    )


# --- role cards ----------------------------------------------------------------------------------


def test_cards_give_each_person_their_own_brief_on_a_page(client, played):
    response = client.get(f"/roleplays/{played.run.id}/cards")
    assert response.status_code == 200
    soup = page(response)
    assert len(soup.select("h1")) == 1
    assert soup.select('link[href$="pack.css"]')
    cards = soup.select("article.person-card")
    assignments = [a for group in groups_of(played.run.id) for a in group]
    assert len(cards) == len(assignments) == 6
    for a in assignments:
        card = soup.select_one(f"#card-{a.id}")
        assert card.select_one(".card-person").get_text(strip=True) == a.user.full_name
        assert card.select_one(".card-group").get_text(strip=True) == str(a.group.number)
        assert "A family asks for help." in card.select_one(".situation").get_text()
        if a.role is None:
            assert card.select_one(".card-role").get_text(strip=True) == "Observer"
            assert "Introduced themselves" in card.select_one(".observer-checklist").get_text()
            assert card.select(".private-brief") == []
        else:
            assert card.select_one(".card-role").get_text(strip=True) == a.role.name
            assert card.select_one(".private-brief").get_text(strip=True) == a.role.private_brief
            assert card.select_one(".public-description").get_text(strip=True) == (
                a.role.public_description
            )
            other_briefs = {"SECRET-LAWYER", "SECRET-MOTHER"} - {a.role.private_brief}
            assert not any(brief in card.get_text() for brief in other_briefs)
    assert soup.select("script") == []


def test_cards_of_one_group(client, played):
    groups = groups_of(played.run.id)
    second = groups[1][0].group
    soup = page(client.get(f"/roleplays/{played.run.id}/cards?group={second.number}"))
    shown = {card["id"] for card in soup.select("article.person-card")}
    assert shown == {f"card-{a.id}" for a in groups[1]}
    for bad in ("99", "x", ""):
        response = client.get(f"/roleplays/{played.run.id}/cards?group={bad}")
        assert response.status_code == 404, bad


# --- a participant's own view --------------------------------------------------------------------


def pages_a_participant_can_open(client, run_id, programme) -> list:
    role_play = activity_of(programme, ActivityKind.ROLE_PLAY)
    urls = [
        f"/roleplays/{run_id}/mine",
        f"/roleplays/{run_id}",
        f"/roleplays/{run_id}/cards",
        f"/activities/{role_play.id}",
        f"/modules/{role_play.module_id}",
        "/dashboard/participant",
    ]
    return [(url, client.get(url)) for url in urls]


def test_a_player_sees_only_their_own_private_brief(client, played):
    player = next(a for group in groups_of(played.run.id) for a in group if a.role is not None)
    own = player.role.private_brief
    others = {"SECRET-LAWYER", "SECRET-MOTHER"} - {own}
    log_in(client, player.user)

    response = client.get(f"/roleplays/{played.run.id}/mine")

    assert response.status_code == 200
    soup = page(response)
    assert len(soup.select("h1")) == 1
    assert soup.h1.get_text(strip=True) == f"Your role in “{played.scenario.title}”"
    assert soup.select_one(".private-brief").get_text(strip=True) == own
    text = soup.get_text()
    for public in (
        "A family asks for help.",
        "Listen first.",
        "A young lawyer.",
        "The detainee's mother.",
        "What did you notice?",
    ):
        assert public in text
    members = [li.select_one(".member-name").get_text(strip=True) for li in soup.select(".member")]
    assert sorted(members) == sorted(
        a.user.full_name for a in groups_of(played.run.id)[player.group.number - 1]
    )
    for url, response in pages_a_participant_can_open(client, played.run.id, played.programme):
        body = response.get_data(as_text=True)
        assert not any(secret in body for secret in others), url


def test_an_observer_gets_the_checklist_and_no_brief(client, played):
    observer = next(a for group in groups_of(played.run.id) for a in group if a.role is None)
    log_in(client, observer.user)
    soup = page(client.get(f"/roleplays/{played.run.id}/mine"))
    assert soup.select(".private-brief") == []
    assert "Introduced themselves" in soup.select_one(".observer-checklist").get_text()
    for url, response in pages_a_participant_can_open(client, played.run.id, played.programme):
        body = response.get_data(as_text=True)
        assert "SECRET-LAWYER" not in body, url
        assert "SECRET-MOTHER" not in body, url


def test_only_a_participant_in_the_run_with_a_confirmed_seat_opens_it(client, played, make_user):
    url = f"/roleplays/{played.run.id}/mine"
    log_in(client, make_user())
    assert client.get(url).status_code == 403
    assert client.get("/roleplays/999999/mine").status_code == 404

    gone = played.people[0]
    enrolment = db.session.scalar(db.select(Enrolment).where(Enrolment.user_id == gone.id))
    enrolment.status = EnrolmentStatus.REJECTED
    db.session.commit()
    log_in(client, gone)
    assert client.get(url).status_code == 403

    log_in(client, played.people[1])
    assert client.get(url).status_code == 200
    for role in (Role.FACILITATOR, Role.STAFF, Role.ADMIN):
        log_in(client, make_user(role))
        assert client.get(url).status_code == 403, role


# --- the session page's panel --------------------------------------------------------------------


def render_panel(app, panel) -> str:
    with app.test_request_context("/"):
        return render_template("roleplay/_session_panel.html", panel=panel)


def test_the_session_panel_for_each_kind_of_person(app, client, played, make_user):
    session = db.session.get(TrainingSession, played.session.id)

    manager = roleplay_panel(
        session, reader=db.session.get(User, played.session.lead_facilitator_id)
    )
    html = BeautifulSoup(render_panel(app, manager), "html.parser")
    assert [a["href"] for a in html.select(".run-item a")] == [
        f"/roleplays/{played.run.id}",
        f"/roleplays/{played.run.id}/cards",
    ]
    assert html.select_one("form.start-run-form")["action"] == f"/sessions/{session.id}/roleplays"

    player = played.people[0]
    mine = roleplay_panel(session, reader=player)
    links = BeautifulSoup(render_panel(app, mine), "html.parser").select("a")
    assert [(a.get_text(), a["href"]) for a in links] == [
        (f"Your role in “{played.scenario.title}”", f"/roleplays/{played.run.id}/mine")
    ]
    assert "SECRET" not in render_panel(app, mine)

    for other in (make_user(), make_user(Role.FACILITATOR)):
        assert roleplay_panel(session, reader=other) is None


# --- who may do what -----------------------------------------------------------------------------


def manager_requests(run, session, assignment, group_id):
    return [
        ("get", f"/sessions/{session.id}/roleplays", None),
        ("post", f"/sessions/{session.id}/roleplays", {"scenario": str(run.scenario_id)}),
        ("get", f"/roleplays/{run.id}", None),
        ("get", f"/roleplays/{run.id}/cards", None),
        (
            "post",
            f"/roleplays/{run.id}/assignments/{assignment.id}",
            move_data(assignment.id, group_id, "observer"),
        ),
        (
            "post",
            f"/roleplays/{run.id}/groups/{group_id}/debrief",
            {f"group-{group_id}-notes": "Hi"},
        ),
        ("post", f"/roleplays/{run.id}/finish", {}),
    ]


def state(run_id: int):
    db.session.expire_all()
    groups = groups_of(run_id)
    return (
        len(runs()),
        db.session.get(RolePlayRun, run_id).finished_at,
        layout(run_id),
        [g[0].group.debrief_notes for g in groups if g],
        completions(),
    )


@pytest.mark.parametrize("who", ["visitor", "participant", "player", "other facilitator"])
def test_people_who_do_not_manage_the_session_are_refused_and_nothing_changes(
    client, played, make_user, who
):
    assignment = groups_of(played.run.id)[0][0]
    requests = manager_requests(played.run, played.session, assignment, assignment.group_id)
    before = state(played.run.id)
    if who == "visitor":
        with client.session_transaction() as flask_session:
            flask_session.clear()
    elif who == "participant":
        log_in(client, make_user())
    elif who == "player":
        log_in(client, played.people[0])
    else:
        log_in(client, make_user(Role.FACILITATOR))
    for method, url, data in requests:
        response = getattr(client, method)(url, data=data)
        if who == "visitor":
            assert response.status_code == 302, url
            assert response.headers["Location"].startswith("/login?next="), url
        else:
            assert response.status_code == 403, url
            assert "SECRET" not in response.get_data(as_text=True)
    assert state(played.run.id) == before


@pytest.mark.parametrize("role", [Role.STAFF, Role.ADMIN])
def test_staff_and_admins_manage_every_sessions_runs(client, played, make_user, role):
    log_in(client, make_user(role))
    assert client.get(f"/roleplays/{played.run.id}").status_code == 200
    assert client.get(f"/roleplays/{played.run.id}/cards").status_code == 200
    assert start(client, played.session, played.scenario).status_code == 302
    assert len(runs()) == 2


def test_a_co_facilitator_manages_the_sessions_runs(client, played, make_user):
    co = make_user(Role.FACILITATOR)
    session = db.session.get(TrainingSession, played.session.id)
    session.co_facilitators.append(co)
    db.session.commit()
    log_in(client, co)
    assert client.get(f"/roleplays/{played.run.id}").status_code == 200


def test_unknown_runs_sessions_and_groups_are_not_found(client, played):
    for method, url in [
        ("get", "/roleplays/999999"),
        ("get", "/roleplays/999999/cards"),
        ("post", "/roleplays/999999/finish"),
        ("post", "/roleplays/999999/assignments/1"),
        ("post", "/roleplays/999999/groups/1/debrief"),
        ("get", "/sessions/999999/roleplays"),
        ("post", "/sessions/999999/roleplays"),
        ("get", "/roleplays/99999999999999"),
    ]:
        assert getattr(client, method)(url).status_code == 404, url


def test_pages_of_a_run_change_nothing_when_read(client, played):
    before = state(played.run.id)
    for url in (f"/roleplays/{played.run.id}", f"/roleplays/{played.run.id}/cards"):
        assert client.get(url).status_code == 200
    assert state(played.run.id) == before


def test_every_form_carries_a_csrf_token_and_a_post_without_one_is_refused(database_url, played):
    guarded = create_app(make_config(database_url, WTF_CSRF_ENABLED=True))
    browser = guarded.test_client()
    log_in(browser, db.session.get(User, played.session.lead_facilitator_id))
    db.session.commit()
    run_id = played.run.id
    with guarded.app_context():
        soup = page(browser.get(f"/roleplays/{run_id}"))
        forms = soup.select("main form[method=post]")
        assert len(forms) > 3
        for form in forms:
            assert form.select_one("input[name$=csrf_token]")["value"], form.get("action")
        assert browser.post(f"/roleplays/{run_id}/finish").status_code == 400
        panel = page(browser.get(f"/sessions/{played.session.id}/roleplays"))
        assert panel.select_one("form.start-run-form input[name=csrf_token]")["value"]
    assert db.session.get(RolePlayRun, run_id).finished_at is None


def test_a_role_played_in_a_session_cannot_be_deleted(client, login_as, make_user, region):
    programme = make_programme()
    scenario = activity_of(programme, ActivityKind.ROLE_PLAY).scenario
    facilitator = make_user(Role.FACILITATOR)
    player = make_user(Role.PARTICIPANT)
    start = datetime.now(UTC) - timedelta(days=3)
    session = TrainingSession(
        programme=programme, title="Past", starts_at=start, ends_at=start + timedelta(hours=8),
        region=region, venue="Hall", timezone="Asia/Bishkek", capacity=10,
        lead_facilitator=facilitator, status=SessionStatus.COMPLETED,
    )  # fmt: skip
    run = RolePlayRun(session=session, scenario=scenario)
    group = RolePlayGroup(run=run, number=1)
    db.session.add_all([session, run, group])
    db.session.flush()
    role = scenario.roles[0]
    db.session.add(RoleAssignment(run_id=run.id, group=group, user_id=player.id, role_id=role.id))
    db.session.commit()

    login_as(Role.STAFF)
    response = client.post(f"/scenarios/{scenario.id}/roles/{role.id}/delete")
    assert response.status_code == 302
    assert db.session.get(ScenarioRole, role.id) is not None
