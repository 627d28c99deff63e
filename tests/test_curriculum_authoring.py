"""Staff author programmes, modules, activities and knowledge checks."""

import pytest

from tests.conftest import count_queries, field_error, flashes, page
from tot.curriculum.models import (
    Activity,
    ActivityKind,
    Choice,
    Level,
    Module,
    Programme,
    ProgrammeStatus,
    Question,
)
from tot.extensions import db
from tot.i18n import Language
from tot.learning.models import ActivityCompletion
from tot.permissions import Role
from tot.scenarios.models import Scenario

# --- factories and helpers -----------------------------------------------------------------------


def draft_programme(title="Women's leadership", modules=0, **fields) -> Programme:
    programme = Programme(title=title, **fields)
    for number in range(1, modules + 1):
        programme.modules.append(Module(title=f"Module {number}", position=number))
    db.session.add(programme)
    db.session.commit()
    return programme


def make_module(programme: Programme, title="Listening to survivors", **fields) -> Module:
    fields.setdefault("position", len(programme.modules) + 1)
    module = Module(programme=programme, title=title, **fields)
    db.session.add(module)
    db.session.commit()
    return module


def make_activity(module: Module, kind=ActivityKind.THEORY, title="Reading", **fields) -> Activity:
    fields.setdefault("position", len(module.activities) + 1)
    activity = Activity(module=module, kind=kind, title=title, **fields)
    db.session.add(activity)
    db.session.commit()
    return activity


def make_question(activity: Activity, text="Which right is absolute?", multiple=False) -> Question:
    question = Question(
        activity=activity,
        text=text,
        multiple=multiple,
        position=len(activity.questions) + 1,
        choices=[
            Choice(position=1, text="Freedom from torture", correct=True),
            Choice(position=2, text="Freedom of assembly", correct=False),
        ],
    )
    db.session.add(question)
    db.session.commit()
    return question


def bare_scenario(title="A visit to the police station") -> Scenario:
    scenario = Scenario(title=title)
    db.session.add(scenario)
    db.session.commit()
    return scenario


def ready_programme(title="Legal aid basics") -> Programme:
    """A programme that may be published: one module with one required theory activity."""
    programme = draft_programme(title)
    make_activity(make_module(programme), ActivityKind.THEORY, "The law on legal aid")
    return programme


def fresh(model, id_):
    db.session.expire_all()
    return db.session.get(model, id_)


def module_titles(programme_id: int) -> list[str]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            db.select(Module.title)
            .where(Module.programme_id == programme_id)
            .order_by(Module.position, Module.id)
        )
    )


def activity_titles(module_id: int) -> list[str]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            db.select(Activity.title)
            .where(Activity.module_id == module_id)
            .order_by(Activity.position, Activity.id)
        )
    )


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def snapshot() -> list:
    """Every authoring row, to show that a refused request changed nothing."""
    db.session.expire_all()
    rows = []
    for model, columns in (
        (Programme, ("title", "status", "published_at", "prerequisite_id", "summary")),
        (Module, ("programme_id", "position", "title", "objectives", "estimated_minutes")),
        (Activity, ("module_id", "position", "title", "body", "resources", "pass_mark")),
        (Question, ("activity_id", "position", "text", "multiple")),
        (Choice, ("question_id", "position", "text", "correct")),
    ):
        for row in db.session.scalars(db.select(model).order_by(model.id)):
            rows.append((model.__name__, row.id, *(getattr(row, c) for c in columns)))
    return rows


def programme_data(**fields) -> dict:
    data = {
        "title": "Conflict sensitivity in border villages",
        "summary": "How to talk about water and land without raising tensions.",
        "audience": "Youth workers and village council members.",
        "level": "intermediate",
        "delivery_language": "ky",
        "self_paced": "y",
        "prerequisite_id": "",
    }
    data.update(fields)
    return data


def question_data(text="Which of these are rights?", answer_type="single", choices=()) -> dict:
    data = {"text": text, "answer_type": answer_type}
    for index, (choice_text, correct) in enumerate(choices):
        data[f"choices-{index}-text"] = choice_text
        if correct:
            data[f"choices-{index}-correct"] = "y"
    return data


@pytest.fixture
def staff(login_as):
    return login_as(Role.STAFF)


def module_url(module: Module) -> str:
    return f"/manage/programmes/{module.programme_id}/modules/{module.id}"


def activity_url(activity: Activity) -> str:
    return f"{module_url(activity.module)}/activities/{activity.id}"


# --- programmes ----------------------------------------------------------------------------------


def test_the_list_shows_every_programme_with_status_level_and_modules(client, staff):
    draft_programme("Human rights and legal aid", modules=3, level=Level.ADVANCED)
    draft_programme(
        "Supporting torture victims", status=ProgrammeStatus.PUBLISHED, level=Level.INTERMEDIATE
    )

    soup = page(client.get("/manage/programmes/"))

    rows = {
        row.select_one("td").get_text(strip=True): [
            cell.get_text(strip=True) for cell in row.select("td")[1:]
        ]
        for row in soup.select("table tbody tr")
    }
    assert rows["Human rights and legal aid"] == ["Draft", "Advanced", "Русский", "3"]
    assert rows["Supporting torture victims"] == ["Published", "Intermediate", "Русский", "0"]
    assert soup.select_one("a[href='/manage/programmes/new']") is not None
    assert len(soup.select("h1")) == 1
    assert all(cell.has_attr("data-label") for cell in soup.select("tbody td")[1:5])


def test_staff_see_the_authoring_link_in_the_navigation(client, staff):
    nav = {a["href"] for a in page(client.get("/")).select("header nav a")}
    assert "/manage/programmes/" in nav


def test_creating_a_programme(client, staff):
    prerequisite = draft_programme("Human rights basics")

    response = client.post(
        "/manage/programmes/new", data=programme_data(prerequisite_id=str(prerequisite.id))
    )

    programme = db.session.scalar(
        db.select(Programme).filter_by(title="Conflict sensitivity in border villages")
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/manage/programmes/{programme.id}"
    assert programme.status is ProgrammeStatus.DRAFT
    assert programme.published_at is None
    assert programme.level is Level.INTERMEDIATE
    assert programme.delivery_language is Language.KYRGYZ
    assert programme.self_paced is True
    assert programme.prerequisite_id == prerequisite.id
    assert programme.audience == "Youth workers and village council members."


def test_the_new_programme_form_offers_none_first_then_programmes(client, staff):
    draft_programme("Human rights basics")

    soup = page(client.get("/manage/programmes/new"))

    options = soup.select("select#prerequisite_id option")
    assert [o.get_text(strip=True) for o in options] == ["None", "Human rights basics"]
    assert {o["value"] for o in soup.select("select#delivery_language option")} == {
        "en",
        "ru",
        "ky",
        "tg",
    }


def test_editing_a_programme(client, staff):
    programme = draft_programme("Old title", self_paced=True)

    soup = page(client.get(f"/manage/programmes/{programme.id}/edit"))
    assert soup.select_one("input#title")["value"] == "Old title"
    assert soup.select_one("select#prerequisite_id option")["value"] == ""

    response = client.post(
        f"/manage/programmes/{programme.id}/edit",
        data=programme_data(title="New title", level="advanced", self_paced=""),
    )

    assert response.status_code == 302
    programme = fresh(Programme, programme.id)
    assert programme.title == "New title"
    assert programme.level is Level.ADVANCED
    assert programme.self_paced is False


@pytest.mark.parametrize("title", ["", "   "])
def test_an_empty_title_is_refused_beside_the_field(client, staff, title):
    response = client.post("/manage/programmes/new", data=programme_data(title=title))

    assert response.status_code == 200
    assert field_error(page(response), "title") != ""
    assert count(Programme) == 0


def test_a_too_long_title_is_refused(client, staff):
    response = client.post("/manage/programmes/new", data=programme_data(title="x" * 201))

    assert field_error(page(response), "title") != ""
    assert count(Programme) == 0


def test_a_programme_cannot_require_itself(client, staff):
    programme = draft_programme("Legal aid")
    before = snapshot()

    response = client.post(
        f"/manage/programmes/{programme.id}/edit",
        data=programme_data(title="Legal aid", prerequisite_id=str(programme.id)),
    )

    assert response.status_code == 200
    assert "itself" in field_error(page(response), "prerequisite_id")
    assert snapshot() == before


def test_a_cycle_of_prerequisites_is_refused(client, staff):
    first = draft_programme("A")
    second = draft_programme("B", prerequisite=first)
    third = draft_programme("C", prerequisite=second)
    before = snapshot()

    # A requires C, which requires B, which requires A.
    response = client.post(
        f"/manage/programmes/{first.id}/edit",
        data=programme_data(title="A", prerequisite_id=str(third.id)),
    )

    assert response.status_code == 200
    assert "circle" in field_error(page(response), "prerequisite_id")
    assert snapshot() == before

    # The short circle too: A requires B requires A.
    response = client.post(
        f"/manage/programmes/{first.id}/edit",
        data=programme_data(title="A", prerequisite_id=str(second.id)),
    )
    assert "circle" in field_error(page(response), "prerequisite_id")
    assert fresh(Programme, first.id).prerequisite_id is None


def test_an_unknown_prerequisite_is_refused_beside_the_field(client, staff):
    response = client.post("/manage/programmes/new", data=programme_data(prerequisite_id="999999"))

    assert field_error(page(response), "prerequisite_id") != ""
    assert count(Programme) == 0


def test_publishing_and_unpublishing(client, staff):
    programme = ready_programme()

    response = client.post(f"/manage/programmes/{programme.id}/publish")

    assert response.status_code == 302
    programme = fresh(Programme, programme.id)
    assert programme.status is ProgrammeStatus.PUBLISHED
    assert programme.published_at is not None
    soup = page(client.get(f"/manage/programmes/{programme.id}"))
    assert soup.select_one("form[action$='/unpublish']") is not None

    client.post(f"/manage/programmes/{programme.id}/unpublish")

    programme = fresh(Programme, programme.id)
    assert programme.status is ProgrammeStatus.DRAFT
    assert programme.published_at is None


def test_publishing_a_programme_without_modules_is_refused(client, staff):
    programme = draft_programme("Empty")

    response = client.post(f"/manage/programmes/{programme.id}/publish", follow_redirects=True)

    assert "Add at least one module before publishing." in flashes(page(response))
    assert fresh(Programme, programme.id).status is ProgrammeStatus.DRAFT


def test_publishing_with_a_knowledge_check_without_questions_is_refused(client, staff):
    programme = ready_programme()
    make_activity(programme.modules[0], ActivityKind.KNOWLEDGE_CHECK, "Check on legal aid")

    response = client.post(f"/manage/programmes/{programme.id}/publish", follow_redirects=True)

    messages = " ".join(flashes(page(response)))
    assert "Check on legal aid" in messages
    assert "no questions" in messages
    assert fresh(Programme, programme.id).status is ProgrammeStatus.DRAFT


def test_publishing_with_a_role_play_without_scenario_is_refused(client, staff):
    programme = ready_programme()
    make_activity(programme.modules[0], ActivityKind.ROLE_PLAY, "At the police station")

    response = client.post(f"/manage/programmes/{programme.id}/publish", follow_redirects=True)

    assert "At the police station" in " ".join(flashes(page(response)))
    assert fresh(Programme, programme.id).status is ProgrammeStatus.DRAFT


def test_publishing_with_a_draft_prerequisite_is_refused(client, staff):
    draft = draft_programme("Basics, still a draft")
    programme = ready_programme()
    programme.prerequisite = draft
    db.session.commit()

    response = client.post(f"/manage/programmes/{programme.id}/publish", follow_redirects=True)

    assert "Basics, still a draft" in " ".join(flashes(page(response)))
    assert fresh(Programme, programme.id).status is ProgrammeStatus.DRAFT


def test_the_authoring_page_lists_modules_in_order_with_a_preview_link(client, staff):
    programme = draft_programme("Legal aid")
    make_module(programme, "Second", position=2)
    make_module(programme, "First", position=1)

    soup = page(client.get(f"/manage/programmes/{programme.id}"))

    assert soup.h1.get_text(strip=True) == "Legal aid"
    titles = [row.select_one("td a").get_text(strip=True) for row in soup.select("tbody tr")]
    assert titles == ["First", "Second"]
    assert soup.select_one(f"a[href='/programmes/{programme.id}']") is not None
    # The first module cannot go up, the last cannot go down.
    first, last = soup.select("tbody tr")
    assert [i["value"] for i in first.select("input[name=direction]")] == ["down"]
    assert [i["value"] for i in last.select("input[name=direction]")] == ["up"]
    assert soup.select_one("form[action$='/publish']") is not None


# --- modules -------------------------------------------------------------------------------------


def test_adding_modules_appends_them_at_the_end(client, staff):
    programme = draft_programme("Legal aid", modules=2)

    response = client.post(
        f"/manage/programmes/{programme.id}/modules",
        data={"title": "Case work", "objectives": "- Listen\n- Record", "estimated_minutes": "90"},
    )

    module = db.session.scalar(db.select(Module).filter_by(title="Case work"))
    assert response.status_code == 302
    assert response.headers["Location"] == module_url(module)
    assert module.position == 3
    assert module.estimated_minutes == 90
    assert module.objectives == "- Listen\n- Record"
    assert module_titles(programme.id) == ["Module 1", "Module 2", "Case work"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": "", "estimated_minutes": "60"}, "title"),
        ({"title": "Case work", "estimated_minutes": "4"}, "estimated_minutes"),
        ({"title": "Case work", "estimated_minutes": "1001"}, "estimated_minutes"),
        ({"title": "Case work", "estimated_minutes": "an hour"}, "estimated_minutes"),
    ],
)
def test_a_bad_module_is_refused_beside_the_field(client, staff, data, field):
    programme = draft_programme("Legal aid")

    response = client.post(f"/manage/programmes/{programme.id}/modules", data=data)

    assert response.status_code == 200
    assert field_error(page(response), field) != ""
    assert count(Module) == 0


def test_editing_a_module(client, staff):
    programme = draft_programme("Legal aid")
    module = make_module(programme, "Old", estimated_minutes=30)
    url = f"{module_url(module)}/edit"

    assert page(client.get(url)).select_one("input#title")["value"] == "Old"
    response = client.post(
        url, data={"title": "New", "objectives": "Know the law", "estimated_minutes": "45"}
    )

    assert response.status_code == 302
    module = fresh(Module, module.id)
    assert (module.title, module.objectives, module.estimated_minutes) == (
        "New",
        "Know the law",
        45,
    )


def test_moving_modules_up_and_down(client, staff):
    programme = draft_programme("Legal aid", modules=3)
    first, second, third = programme.modules

    client.post(f"{module_url(third)}/move", data={"direction": "up"})
    assert module_titles(programme.id) == ["Module 1", "Module 3", "Module 2"]

    client.post(f"{module_url(first)}/move", data={"direction": "down"})
    assert module_titles(programme.id) == ["Module 3", "Module 1", "Module 2"]

    # At the ends nothing changes.
    client.post(f"{module_url(third)}/move", data={"direction": "up"})
    client.post(f"{module_url(second)}/move", data={"direction": "down"})
    assert module_titles(programme.id) == ["Module 3", "Module 1", "Module 2"]


def test_a_move_in_no_direction_changes_nothing(client, staff):
    programme = draft_programme("Legal aid", modules=2)
    before = snapshot()

    response = client.post(
        f"{module_url(programme.modules[1])}/move", data={"direction": "sideways"}
    )

    assert response.status_code == 302
    assert snapshot() == before


def test_reordering_a_module_of_another_programme_is_not_found(client, staff):
    mine = draft_programme("Mine", modules=2)
    other = draft_programme("Other", modules=2)
    before = snapshot()

    wrong = f"/manage/programmes/{mine.id}/modules/{other.modules[1].id}"
    assert client.post(f"{wrong}/move", data={"direction": "up"}).status_code == 404
    assert client.post(f"{wrong}/delete").status_code == 404
    assert client.get(f"{wrong}/edit").status_code == 404
    assert client.get(wrong).status_code == 404

    assert snapshot() == before
    assert module_titles(other.id) == ["Module 1", "Module 2"]


def test_deleting_a_module(client, staff):
    programme = draft_programme("Legal aid", modules=2)
    module = programme.modules[0]
    make_activity(module)

    response = client.post(f"{module_url(module)}/delete")

    assert response.status_code == 302
    assert module_titles(programme.id) == ["Module 2"]
    assert count(Activity) == 0


def test_deleting_a_module_with_participant_progress_is_refused(client, staff, make_user):
    programme = draft_programme("Legal aid", modules=2)
    module = programme.modules[0]
    activity = make_activity(module)
    participant = make_user(Role.PARTICIPANT)
    db.session.add(ActivityCompletion(user_id=participant.id, activity_id=activity.id))
    db.session.commit()
    before = snapshot()

    response = client.post(f"{module_url(module)}/delete", follow_redirects=True)

    assert "progress" in " ".join(flashes(page(response)))
    assert snapshot() == before


def test_markdown_in_objectives_is_rendered_safely(client, staff):
    programme = draft_programme("Legal aid")
    module = make_module(programme, objectives="**Know** the law\n\n<script>alert('x')</script>")

    soup = page(client.get(module_url(module)))

    objectives = soup.select_one(".objectives")
    assert objectives.select_one("strong").get_text() == "Know"
    assert soup.select("script") == []
    assert "<script>alert('x')</script>" in objectives.get_text()


# --- activities ----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(ActivityKind))
def test_adding_an_activity_of_each_kind(client, staff, kind):
    programme = draft_programme("Legal aid")
    module = make_module(programme)
    make_activity(module, title="First")

    response = client.post(
        f"{module_url(module)}/activities", data={"kind": kind.value, "title": "Second"}
    )

    activity = db.session.scalar(db.select(Activity).filter_by(title="Second"))
    assert response.status_code == 302
    assert response.headers["Location"] == f"{activity_url(activity)}/edit"
    assert activity.kind is kind
    assert activity.position == 2
    assert activity.required is True
    assert page(client.get(response.headers["Location"])).h1 is not None


def test_an_activity_without_a_title_is_refused(client, staff):
    module = make_module(draft_programme("Legal aid"))

    response = client.post(f"{module_url(module)}/activities", data={"kind": "theory", "title": ""})

    assert field_error(page(response), "title") != ""
    assert count(Activity) == 0


def test_editing_a_theory_activity(client, staff):
    activity = make_activity(make_module(draft_programme("Legal aid")))
    url = f"{activity_url(activity)}/edit"

    soup = page(client.get(url))
    assert soup.select_one("textarea#resources") is not None
    assert soup.select_one("#pass_mark") is None

    response = client.post(
        url,
        data={
            "title": "The law on legal aid",
            "required": "",
            "body": "## What the law says",
            "resources": "Legal aid act | https://example.org/act\n\n  Guide|http://example.org/g ",
        },
    )

    assert response.status_code == 302
    activity = fresh(Activity, activity.id)
    assert activity.title == "The law on legal aid"
    assert activity.required is False
    assert activity.body == "## What the law says"
    assert activity.resource_links == [
        ("Legal aid act", "https://example.org/act"),
        ("Guide", "http://example.org/g"),
    ]


@pytest.mark.parametrize(
    "resources",
    [
        "Bad | javascript:alert(1)",
        "Data | data:text/html,hello",
        "Files | ftp://example.org/file",
        "https://example.org/no-title",
        "Local | /relative/path",
    ],
)
def test_a_bad_resource_link_is_refused_beside_the_field(client, staff, resources):
    activity = make_activity(make_module(draft_programme("Legal aid")))
    before = snapshot()

    response = client.post(
        f"{activity_url(activity)}/edit",
        data={"title": "Reading", "required": "y", "resources": resources},
    )

    assert response.status_code == 200
    assert field_error(page(response), "resources") != ""
    assert snapshot() == before


def test_editing_a_discussion_prompt(client, staff):
    activity = make_activity(
        make_module(draft_programme("Legal aid")), ActivityKind.DISCUSSION, "Talk"
    )
    url = f"{activity_url(activity)}/edit"

    assert "Discussion prompt" in page(client.get(url)).select_one("label[for=body]").get_text()
    response = client.post(url, data={"title": "Talk", "required": "y", "body": ""})
    assert field_error(page(response), "body") != ""

    client.post(url, data={"title": "Talk", "required": "y", "body": "When did you feel heard?"})
    assert fresh(Activity, activity.id).body == "When did you feel heard?"


def test_editing_a_knowledge_check_pass_mark(client, staff):
    module = make_module(draft_programme("Legal aid"))
    activity = make_activity(module, ActivityKind.KNOWLEDGE_CHECK, "Check", pass_mark=80)
    url = f"{activity_url(activity)}/edit"

    response = client.post(url, data={"title": "Check", "required": "y", "pass_mark": "0"})
    assert field_error(page(response), "pass_mark") != ""
    response = client.post(url, data={"title": "Check", "required": "y", "pass_mark": "101"})
    assert field_error(page(response), "pass_mark") != ""
    assert fresh(Activity, activity.id).pass_mark == 80

    client.post(url, data={"title": "Check", "required": "y", "pass_mark": "70", "body": "Intro"})
    activity = fresh(Activity, activity.id)
    assert (activity.pass_mark, activity.body) == (70, "Intro")


def test_editing_a_role_play(client, staff):
    scenario = bare_scenario("Negotiating water rights")
    module = make_module(draft_programme("Conflict sensitivity"))
    activity = make_activity(module, ActivityKind.ROLE_PLAY, "Play")
    url = f"{activity_url(activity)}/edit"

    options = page(client.get(url)).select("select#scenario_id option")
    assert [o.get_text(strip=True) for o in options][1:] == ["Negotiating water rights"]

    client.post(
        url,
        data={"title": "Play", "required": "y", "body": "Groups of 3", "scenario_id": scenario.id},
    )
    activity = fresh(Activity, activity.id)
    assert activity.scenario_id == scenario.id
    assert activity.body == "Groups of 3"


@pytest.mark.parametrize("scenario_id", ["", "999999", "not-a-number"])
def test_a_role_play_without_a_scenario_is_refused(client, staff, scenario_id):
    bare_scenario()
    module = make_module(draft_programme("Conflict sensitivity"))
    activity = make_activity(module, ActivityKind.ROLE_PLAY, "Play")
    before = snapshot()

    response = client.post(
        f"{activity_url(activity)}/edit",
        data={"title": "Play renamed", "required": "y", "scenario_id": scenario_id},
    )

    assert response.status_code == 200
    assert field_error(page(response), "scenario_id") != ""
    assert snapshot() == before


def test_moving_and_deleting_activities(client, staff):
    module = make_module(draft_programme("Legal aid"))
    first = make_activity(module, title="One")
    make_activity(module, title="Two")
    third = make_activity(module, title="Three")

    client.post(f"{activity_url(third)}/move", data={"direction": "up"})
    assert activity_titles(module.id) == ["One", "Three", "Two"]
    client.post(f"{activity_url(first)}/move", data={"direction": "up"})
    assert activity_titles(module.id) == ["One", "Three", "Two"]

    response = client.post(f"{activity_url(first)}/delete")
    assert response.headers["Location"] == module_url(module)
    assert activity_titles(module.id) == ["Three", "Two"]


def test_activities_under_the_wrong_module_or_programme_are_not_found(client, staff):
    programme = draft_programme("Legal aid")
    module = make_module(programme, "Mine")
    other_module = make_module(programme, "Other")
    activity = make_activity(other_module)
    other_programme = draft_programme("Other programme")
    before = snapshot()

    for base in (
        f"/manage/programmes/{programme.id}/modules/{module.id}/activities/{activity.id}",
        f"/manage/programmes/{other_programme.id}/modules/{other_module.id}/activities/{activity.id}",
    ):
        assert client.get(f"{base}/edit").status_code == 404
        assert client.post(f"{base}/edit", data={"title": "Hijacked"}).status_code == 404
        assert client.post(f"{base}/move", data={"direction": "up"}).status_code == 404
        assert client.post(f"{base}/delete").status_code == 404
    assert snapshot() == before


def test_deleting_an_activity_with_participant_progress_is_refused(client, staff, make_user):
    module = make_module(draft_programme("Legal aid"))
    activity = make_activity(module)
    participant = make_user(Role.PARTICIPANT)
    db.session.add(ActivityCompletion(user_id=participant.id, activity_id=activity.id))
    db.session.commit()

    response = client.post(f"{activity_url(activity)}/delete", follow_redirects=True)

    assert "progress" in " ".join(flashes(page(response)))
    assert count(Activity) == 1


# --- knowledge-check questions -------------------------------------------------------------------


@pytest.fixture
def check(app) -> Activity:
    module = make_module(draft_programme("Legal aid"))
    return make_activity(module, ActivityKind.KNOWLEDGE_CHECK, "Check", pass_mark=80)


def test_the_check_page_has_six_rows_of_choices(client, staff, check):
    soup = page(client.get(f"{activity_url(check)}/edit"))

    form = soup.select_one("form.question-form")
    assert len(form.select("input[name$='-text']")) == 6
    assert len(form.select("input[type=checkbox][name$='-correct']")) == 6
    assert form.select_one("input[name=csrf_token]") is not None


def test_adding_a_single_choice_question(client, staff, check):
    response = client.post(
        f"{activity_url(check)}/questions",
        data=question_data(
            "Is torture ever allowed?",
            choices=[("Never", True), ("", False), ("In war", False), ("", False)],
        ),
    )

    assert response.status_code == 302
    question = db.session.scalar(db.select(Question))
    assert question.text == "Is torture ever allowed?"
    assert question.multiple is False
    assert [(c.text, c.correct) for c in question.choices] == [
        ("Never", True),
        ("In war", False),
    ]


def test_adding_a_multiple_choice_question(client, staff, check):
    client.post(
        f"{activity_url(check)}/questions",
        data=question_data(
            answer_type="multiple",
            choices=[("Life", True), ("Fair trial", True), ("A car", False)],
        ),
    )

    question = db.session.scalar(db.select(Question))
    assert question.multiple is True
    assert [c.correct for c in question.choices] == [True, True, False]
    soup = page(client.get(f"{activity_url(check)}/edit"))
    assert len(soup.select(".questions .correct")) == 2


@pytest.mark.parametrize(
    ("answer_type", "choices", "words"),
    [
        ("single", [("Yes", False), ("No", False)], "no right answer"),
        ("multiple", [("Yes", False), ("No", False)], "no right answer"),
        ("single", [("Yes", True), ("No", True)], "exactly one"),
        ("single", [("Only one", True)], "at least 2"),
        ("single", [("", True), ("No", False), ("Maybe", False)], "no text"),
    ],
)
def test_a_question_that_cannot_be_answered_right_is_refused(
    client, staff, check, answer_type, choices, words
):
    response = client.post(
        f"{activity_url(check)}/questions",
        data=question_data(answer_type=answer_type, choices=choices),
    )

    assert response.status_code == 200
    assert words in field_error(page(response), "choices")
    assert count(Question) == 0
    assert count(Choice) == 0


def test_a_question_without_text_is_refused(client, staff, check):
    response = client.post(
        f"{activity_url(check)}/questions",
        data=question_data("  ", choices=[("Yes", True), ("No", False)]),
    )

    assert field_error(page(response), "text") != ""
    assert count(Question) == 0


def test_editing_a_question_keeps_its_choice_ids(client, staff, check):
    question = make_question(check)
    first_id, second_id = (choice.id for choice in question.choices)
    url = f"{activity_url(check)}/questions/{question.id}/edit"

    soup = page(client.get(url))
    assert soup.select_one("#choices-0-text")["value"] == "Freedom from torture"
    assert soup.select_one("#choices-0-correct").has_attr("checked")
    assert soup.select_one("input[name=answer_type][value=single]").has_attr("checked")

    response = client.post(
        url,
        data=question_data(
            "Which rights can never be limited?",
            answer_type="multiple",
            choices=[("Freedom from torture", True), ("Freedom from slavery", True)],
        ),
    )

    assert response.status_code == 302
    question = fresh(Question, question.id)
    assert question.text == "Which rights can never be limited?"
    assert question.multiple is True
    assert [(c.id, c.text, c.correct) for c in question.choices] == [
        (first_id, "Freedom from torture", True),
        (second_id, "Freedom from slavery", True),
    ]


def test_editing_a_question_to_have_no_correct_answer_changes_nothing(client, staff, check):
    question = make_question(check)
    before = snapshot()

    response = client.post(
        f"{activity_url(check)}/questions/{question.id}/edit",
        data=question_data(choices=[("Freedom from torture", False), ("Assembly", False)]),
    )

    assert "no right answer" in field_error(page(response), "choices")
    assert snapshot() == before


def test_moving_and_deleting_questions(client, staff, check):
    first = make_question(check, "First?")
    second = make_question(check, "Second?")
    base = f"{activity_url(check)}/questions"

    client.post(f"{base}/{second.id}/move", data={"direction": "up"})
    db.session.expire_all()
    assert [q.text for q in fresh(Activity, check.id).questions] == ["Second?", "First?"]

    client.post(f"{base}/{first.id}/delete")
    assert [q.text for q in fresh(Activity, check.id).questions] == ["Second?"]
    assert count(Choice) == 2


def test_a_question_of_another_activity_is_not_found(client, staff, check):
    other = make_activity(check.module, ActivityKind.KNOWLEDGE_CHECK, "Other check", pass_mark=50)
    question = make_question(other)
    before = snapshot()

    base = f"{activity_url(check)}/questions/{question.id}"
    assert client.get(f"{base}/edit").status_code == 404
    assert client.post(f"{base}/move", data={"direction": "up"}).status_code == 404
    assert client.post(f"{base}/delete").status_code == 404
    assert snapshot() == before


def test_questions_are_only_for_knowledge_checks(client, staff):
    theory = make_activity(make_module(draft_programme("Legal aid")))

    response = client.post(
        f"{activity_url(theory)}/questions",
        data=question_data(choices=[("Yes", True), ("No", False)]),
    )

    assert response.status_code == 200
    assert "Only a knowledge check has questions." in flashes(page(response))
    assert count(Question) == 0


def test_publishing_once_the_check_has_a_question(client, staff, check):
    make_question(check)

    client.post(f"/manage/programmes/{check.module.programme_id}/publish")

    assert fresh(Programme, check.module.programme_id).is_published


# --- access --------------------------------------------------------------------------------------


@pytest.fixture
def routes(app):
    """Every authoring route, as (method, url), with real ids."""
    programme = draft_programme("Legal aid")
    module = make_module(programme)
    activity = make_activity(module, ActivityKind.KNOWLEDGE_CHECK, "Check", pass_mark=80)
    make_activity(module, title="Second")
    question = make_question(activity)
    p = f"/manage/programmes/{programme.id}"
    m = module_url(module)
    a = activity_url(activity)
    q = f"{a}/questions/{question.id}"
    return [
        ("GET", "/manage/programmes/"),
        ("GET", "/manage/programmes/new"),
        ("POST", "/manage/programmes/new"),
        ("GET", p),
        ("GET", f"{p}/edit"),
        ("POST", f"{p}/edit"),
        ("POST", f"{p}/publish"),
        ("POST", f"{p}/unpublish"),
        ("POST", f"{p}/modules"),
        ("GET", m),
        ("GET", f"{m}/edit"),
        ("POST", f"{m}/edit"),
        ("POST", f"{m}/move"),
        ("POST", f"{m}/delete"),
        ("POST", f"{m}/activities"),
        ("GET", f"{a}/edit"),
        ("POST", f"{a}/edit"),
        ("POST", f"{a}/move"),
        ("POST", f"{a}/delete"),
        ("POST", f"{a}/questions"),
        ("GET", f"{q}/edit"),
        ("POST", f"{q}/edit"),
        ("POST", f"{q}/move"),
        ("POST", f"{q}/delete"),
    ]


ANY_INPUT = {
    "title": "Changed",
    "estimated_minutes": "60",
    "kind": "theory",
    "direction": "down",
    "level": "advanced",
    "delivery_language": "en",
    "pass_mark": "50",
    "text": "Changed?",
    "answer_type": "single",
    "choices-0-text": "A",
    "choices-0-correct": "y",
    "choices-1-text": "B",
}


def test_staff_and_admins_may_open_every_page(client, login_as, routes):
    for role in (Role.STAFF, Role.ADMIN):
        login_as(role)
        for method, url in routes:
            if method == "GET":
                response = client.get(url)
                assert response.status_code == 200, (role, url)
                assert len(page(response).select("h1")) == 1, url


@pytest.mark.parametrize("role", [Role.FACILITATOR, Role.PARTICIPANT])
def test_facilitators_and_participants_are_refused_everywhere(client, login_as, routes, role):
    login_as(role)
    before = snapshot()

    for method, url in routes:
        response = client.open(url, method=method, data=ANY_INPUT if method == "POST" else None)
        assert response.status_code == 403, (method, url)

    assert snapshot() == before
    assert "/manage/programmes/" not in {
        a["href"] for a in page(client.get("/")).select("header nav a")
    }


def test_visitors_are_sent_to_log_in(client, routes):
    before = snapshot()

    for method, url in routes:
        response = client.open(url, method=method, data=ANY_INPUT if method == "POST" else None)
        assert response.status_code == 302, (method, url)
        assert response.headers["Location"].startswith("/login?next="), url

    assert snapshot() == before


def test_every_post_form_on_the_authoring_pages_carries_a_csrf_token(app, client, staff, routes):
    app.config["WTF_CSRF_ENABLED"] = True
    for method, url in routes:
        if method == "GET":
            for form in page(client.get(url)).select("form[method=post]"):
                assert form.select_one("input[name=csrf_token]") is not None, (url, form)


def test_a_post_without_csrf_token_is_refused_and_changes_nothing(app, client, staff, routes):
    app.config["WTF_CSRF_ENABLED"] = True
    before = snapshot()

    for method, url in routes:
        if method == "POST":
            assert client.post(url, data=ANY_INPUT).status_code == 400, url

    assert snapshot() == before


def test_ids_too_large_for_the_database_are_not_found(client, staff):
    huge = "9" * 30
    for url in (
        f"/manage/programmes/{huge}",
        f"/manage/programmes/{huge}/edit",
        f"/manage/programmes/1/modules/{huge}",
        f"/manage/programmes/1/modules/1/activities/{huge}/edit",
    ):
        assert client.get(url).status_code == 404, url
    response = client.post("/manage/programmes/new", data=programme_data(prerequisite_id=huge))
    assert field_error(page(response), "prerequisite_id") != ""
    assert count(Programme) == 0


def test_no_authoring_route_fails_on_empty_input(client, staff, routes):
    for method, url in routes:
        if method == "POST":
            assert client.post(url, data={}).status_code < 500, url


# --- queries -------------------------------------------------------------------------------------


def programme_with(modules: int) -> Programme:
    scenario = bare_scenario()
    programme = draft_programme(f"Programme with {modules} modules", prerequisite=None)
    for number in range(1, modules + 1):
        module = make_module(programme, f"Module {number}", position=number)
        make_activity(module, ActivityKind.THEORY, "Read", position=1)
        make_question(
            make_activity(module, ActivityKind.KNOWLEDGE_CHECK, "Check", position=2, pass_mark=60)
        )
        make_activity(module, ActivityKind.ROLE_PLAY, "Play", position=3, scenario=scenario)
    return programme


def queries_for(client, url: str) -> int:
    db.session.expire_all()
    with count_queries() as queries:
        response = client.get(url)
    assert response.status_code == 200
    return queries.count


def test_the_programme_page_runs_the_same_queries_for_2_or_8_modules(client, staff):
    small, large = programme_with(2), programme_with(8)

    assert queries_for(client, f"/manage/programmes/{small.id}") == queries_for(
        client, f"/manage/programmes/{large.id}"
    )


def test_the_module_page_runs_the_same_queries_for_2_or_10_activities(client, staff):
    scenario = bare_scenario()
    programme = draft_programme("Legal aid")
    small, large = make_module(programme, "Small"), make_module(programme, "Large")
    kinds = list(ActivityKind)
    for module, size in ((small, 2), (large, 10)):
        for number in range(size):
            kind = kinds[number % len(kinds)]
            activity = make_activity(
                module,
                kind,
                f"Activity {number}",
                position=number + 1,
                scenario=scenario if kind is ActivityKind.ROLE_PLAY else None,
            )
            if kind is ActivityKind.KNOWLEDGE_CHECK:
                make_question(activity)

    assert queries_for(client, module_url(small)) == queries_for(client, module_url(large))


def test_the_programme_list_runs_the_same_queries_for_1_or_6_programmes(client, staff):
    draft_programme("First", modules=2)
    few = queries_for(client, "/manage/programmes/")
    for number in range(5):
        draft_programme(f"More {number}", modules=number)

    assert queries_for(client, "/manage/programmes/") == few
