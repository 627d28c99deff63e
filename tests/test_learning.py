import pytest
from sqlalchemy import func, select

from tests.conftest import count_queries, field_error, flashes, page
from tests.factories import (
    activity_of,
    add_activity,
    add_module,
    make_programme,
    right_answers,
)
from tot.curriculum.models import ActivityKind
from tot.extensions import db
from tot.i18n import Language
from tot.learning.models import (
    ActivityCompletion,
    CheckAttempt,
    ModuleCompletion,
    ProgrammeProgress,
    Reflection,
)
from tot.permissions import Role


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def progress_values(soup) -> list[tuple[int, int]]:
    return [(int(p["value"]), int(p["max"])) for p in soup.select("progress")]


@pytest.fixture
def programme(app):
    return make_programme(modules=2)


@pytest.fixture
def learner(client, login_as, programme):
    user = login_as(Role.PARTICIPANT)
    client.post(f"/programmes/{programme.id}/start")
    return user


# --- catalogue and access ---------------------------------------------------------------------


def test_the_catalogue_is_public_and_lists_published_programmes_only(client, programme):
    make_programme(title="Secret draft", published=False)
    soup = page(client.get("/programmes/"))
    titles = [h.get_text(strip=True) for h in soup.select(".card h2")]
    assert titles == ["Legal Aid TOT"]


@pytest.mark.parametrize(
    ("language", "first"),
    [("ky", "Параюрист"), ("ru", "Мониторинг"), ("en", "Advocacy")],
)
def test_the_catalogue_lists_programmes_in_the_readers_language_first(client, language, first):
    make_programme(title="Мониторинг", delivery_language=Language.RUSSIAN)
    make_programme(title="Параюрист", delivery_language=Language.KYRGYZ)
    make_programme(title="Advocacy", delivery_language=Language.ENGLISH)
    client.set_cookie("lang", language)
    soup = page(client.get("/programmes/"))
    titles = [h.get_text(strip=True) for h in soup.select(".card h2")]
    assert titles[0] == first
    card = soup.select(".card")[0]
    assert card.h2["lang"] == language  # the title is read in the language it is written in
    assert Language(language).label in card.select_one(".meta").get_text()


def test_a_draft_is_hidden_from_all_but_staff(client, login_as):
    draft = make_programme(title="Secret draft", published=False)
    assert client.get(f"/programmes/{draft.id}").status_code == 404
    login_as(Role.PARTICIPANT)
    assert client.get(f"/programmes/{draft.id}").status_code == 404
    assert client.get(f"/modules/{draft.modules[0].id}").status_code == 403


def test_staff_preview_a_draft_without_recording_progress(client, login_as):
    draft = make_programme(title="Secret draft", published=False)
    login_as(Role.STAFF)
    assert client.get(f"/programmes/{draft.id}").status_code == 200
    theory = activity_of(draft, ActivityKind.THEORY)
    soup = page(client.get(f"/activities/{theory.id}"))
    assert "Preview" in soup.select_one(".notice").get_text()
    assert soup.select_one(f"form[action='/activities/{theory.id}/read']") is None
    assert client.post(f"/activities/{theory.id}/read").status_code == 403
    assert count(ActivityCompletion) == 0


def test_a_visitor_sees_the_outline_but_not_the_content(client, programme):
    soup = page(client.get(f"/programmes/{programme.id}"))
    assert [h.get_text(strip=True) for h in soup.select(".module-item h3")] == [
        "Module 1",
        "Module 2",
    ]
    assert soup.select(".module-item h3 a") == []
    module = programme.modules[0]
    response = client.get(f"/modules/{module.id}")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_a_participant_must_start_a_programme_before_opening_it(client, login_as, programme):
    login_as(Role.PARTICIPANT)
    module = programme.modules[0]
    theory = activity_of(programme, ActivityKind.THEORY)
    assert client.get(f"/modules/{module.id}").status_code == 403
    assert client.get(f"/activities/{theory.id}").status_code == 403
    assert client.post(f"/activities/{theory.id}/read").status_code == 403
    assert count(ActivityCompletion) == 0

    response = client.post(f"/programmes/{programme.id}/start")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/modules/{module.id}"
    assert count(ProgrammeProgress) == 1
    assert client.get(f"/modules/{module.id}").status_code == 200


def test_starting_twice_keeps_one_record(client, learner, programme):
    client.post(f"/programmes/{programme.id}/start")
    assert count(ProgrammeProgress) == 1


def test_a_prerequisite_must_be_completed_first(client, login_as, programme):
    advanced = make_programme(title="Advanced TOT", prerequisite=programme)
    user = login_as(Role.PARTICIPANT)
    soup = page(client.get(f"/programmes/{advanced.id}"))
    assert "Complete “Legal Aid TOT” first" in soup.select_one(".panel").get_text()
    assert soup.select_one(f"form[action='/programmes/{advanced.id}/start']") is None

    client.post(f"/programmes/{advanced.id}/start")
    assert count(ProgrammeProgress) == 0

    db.session.add(ProgrammeProgress(user_id=user.id, programme_id=programme.id))
    db.session.commit()
    db.session.execute(
        ProgrammeProgress.__table__.update().values(completed_at=func.current_timestamp())
    )
    db.session.commit()
    client.post(f"/programmes/{advanced.id}/start")
    assert db.session.scalar(
        select(ProgrammeProgress).filter_by(user_id=user.id, programme_id=advanced.id)
    )


def test_a_programme_taught_only_in_sessions_cannot_be_started_alone(client, login_as):
    taught = make_programme(title="Taught TOT", self_paced=False)
    login_as(Role.PARTICIPANT)
    response = client.post(f"/programmes/{taught.id}/start", follow_redirects=True)
    assert any("apply to a session" in message for message in flashes(page(response)))
    assert count(ProgrammeProgress) == 0


@pytest.mark.parametrize("role", [Role.FACILITATOR, Role.STAFF])
def test_only_participants_start_programmes(client, login_as, programme, role):
    login_as(role)
    assert client.post(f"/programmes/{programme.id}/start").status_code == 403
    assert count(ProgrammeProgress) == 0


# --- completing a module end to end ----------------------------------------------------------


def test_a_participant_completes_a_module_and_the_bars_move(client, learner, programme):
    module = programme.modules[0]
    assert progress_values(page(client.get(f"/modules/{module.id}"))) == [(0, 4)]

    theory = activity_of(programme, ActivityKind.THEORY)
    client.post(f"/activities/{theory.id}/read")
    assert progress_values(page(client.get(f"/modules/{module.id}"))) == [(1, 4)]

    discussion = activity_of(programme, ActivityKind.DISCUSSION)
    client.post(f"/activities/{discussion.id}/reflection", data={"text": "I learned to listen."})
    check = activity_of(programme, ActivityKind.KNOWLEDGE_CHECK)
    client.post(f"/activities/{check.id}/check", data=right_answers(check))
    assert progress_values(page(client.get(f"/modules/{module.id}"))) == [(3, 4)]
    assert count(ModuleCompletion) == 0

    role_play = activity_of(programme, ActivityKind.ROLE_PLAY)
    client.post(f"/activities/{role_play.id}/prepared")
    soup = page(client.get(f"/modules/{module.id}"))
    assert progress_values(soup) == [(4, 4)]
    assert "You have completed this module." in soup.get_text()
    completion = db.session.scalar(select(ModuleCompletion).filter_by(user_id=learner.id))
    assert completion.module_id == module.id
    assert completion.completed_at is not None

    overview = page(client.get(f"/programmes/{programme.id}"))
    assert progress_values(overview) == [(4, 8), (4, 4), (0, 4)]
    assert "4 of 8 done (50%)" in overview.get_text()
    progress = db.session.scalar(select(ProgrammeProgress).filter_by(user_id=learner.id))
    assert progress.completed_at is None


def test_completing_every_module_completes_the_programme(client, login_as):
    short = make_programme(title="Short", modules=0)
    module = add_module(short, "Only module", kinds=[ActivityKind.THEORY])
    add_activity(module, ActivityKind.THEORY, required=False)
    db.session.commit()
    user = login_as(Role.PARTICIPANT)
    client.post(f"/programmes/{short.id}/start")
    client.post(f"/activities/{module.activities[0].id}/read")
    progress = db.session.scalar(select(ProgrammeProgress).filter_by(user_id=user.id))
    assert progress.completed_at is not None  # the optional activity is not needed
    assert "You completed this programme" in page(client.get(f"/programmes/{short.id}")).get_text()


def test_the_wrong_action_for_an_activity_changes_nothing(client, learner, programme):
    discussion = activity_of(programme, ActivityKind.DISCUSSION)
    response = client.post(f"/activities/{discussion.id}/read", follow_redirects=True)
    assert "does not belong" in " ".join(flashes(page(response)))
    assert count(ActivityCompletion) == 0


# --- knowledge checks ------------------------------------------------------------------------


def test_a_failed_check_shows_the_score_and_which_answers_were_wrong(client, learner, programme):
    check = activity_of(programme, ActivityKind.KNOWLEDGE_CHECK)
    single, multiple = check.questions
    wrong_single = next(c for c in single.choices if not c.correct)
    answers = {
        f"q-{single.id}": [str(wrong_single.id)],
        f"q-{multiple.id}": [str(multiple.choices[0].id)],
    }
    response = client.post(f"/activities/{check.id}/check", data=answers)
    assert response.status_code == 302
    soup = page(client.get(response.headers["Location"]))
    assert soup.select_one("#result h2").get_text(strip=True) == "Your score: 0%"
    assert {f["id"] for f in soup.select(".question-wrong")} == {
        f"question-{single.id}",
        f"question-{multiple.id}",
    }
    assert count(ActivityCompletion) == 0
    assert db.session.scalar(select(CheckAttempt.passed)) is False


def test_retries_are_allowed_and_the_best_score_is_kept(client, learner, programme):
    check = activity_of(programme, ActivityKind.KNOWLEDGE_CHECK)
    _single, multiple = check.questions
    half = {**right_answers(check), f"q-{multiple.id}": [str(multiple.choices[2].id)]}
    client.post(f"/activities/{check.id}/check", data=half)  # 50%: passes at a 50% mark
    client.post(f"/activities/{check.id}/check", data={})  # 0%
    assert count(CheckAttempt) == 2
    soup = page(client.get(f"/activities/{check.id}"))
    assert "Your best score so far: 50%." in soup.get_text()
    assert count(ActivityCompletion) == 1

    client.post(f"/activities/{check.id}/check", data=right_answers(check))
    assert "Your best score so far: 100%." in page(client.get(f"/activities/{check.id}")).get_text()


@pytest.mark.parametrize(
    "bad",
    [
        "question of another check",
        "choice of another question",
        "two answers to one",
        "not a number",
    ],
)
def test_answers_that_do_not_fit_the_check_are_refused(client, learner, programme, bad):
    check = activity_of(programme, ActivityKind.KNOWLEDGE_CHECK)
    other_check = activity_of(programme, ActivityKind.KNOWLEDGE_CHECK, module_index=1)
    single, multiple = check.questions
    answers = right_answers(check)
    if bad == "question of another check":
        answers.update(right_answers(other_check))
    elif bad == "choice of another question":
        answers[f"q-{single.id}"] = [str(multiple.choices[0].id)]
    elif bad == "two answers to one":
        answers[f"q-{single.id}"] = [str(c.id) for c in single.choices]
    else:
        answers[f"q-{single.id}"] = ["first"]
    response = client.post(f"/activities/{check.id}/check", data=answers, follow_redirects=True)
    assert response.status_code == 200
    assert flashes(page(response))
    assert count(CheckAttempt) == 0
    assert count(ActivityCompletion) == 0


def test_someone_elses_attempt_cannot_be_viewed(app, client, learner, programme, make_user):
    check = activity_of(programme, ActivityKind.KNOWLEDGE_CHECK)
    other = make_user(Role.PARTICIPANT)
    attempt = CheckAttempt(
        user_id=other.id, activity_id=check.id, answers={}, score=0, passed=False
    )
    db.session.add(attempt)
    db.session.commit()
    assert client.get(f"/activities/{check.id}?attempt={attempt.id}").status_code == 404


# --- reflections -----------------------------------------------------------------------------


def test_a_reflection_is_editable_until_the_module_is_complete(client, learner, programme):
    discussion = activity_of(programme, ActivityKind.DISCUSSION)
    url = f"/activities/{discussion.id}/reflection"
    client.post(url, data={"text": "First thoughts."})
    client.post(url, data={"text": "Second thoughts."})
    reflection = db.session.scalar(select(Reflection))
    assert reflection.text == "Second thoughts."
    assert count(Reflection) == 1

    for kind in (ActivityKind.THEORY, ActivityKind.ROLE_PLAY):
        client.post(
            f"/activities/{activity_of(programme, kind).id}/"
            + ("read" if kind is ActivityKind.THEORY else "prepared")
        )
    check = activity_of(programme, ActivityKind.KNOWLEDGE_CHECK)
    client.post(f"/activities/{check.id}/check", data=right_answers(check))
    assert count(ModuleCompletion) == 1

    response = client.post(url, data={"text": "Too late."}, follow_redirects=True)
    assert "can no longer be changed" in page(response).get_text()
    db.session.refresh(reflection)
    assert reflection.text == "Second thoughts."
    soup = page(client.get(f"/activities/{discussion.id}"))
    assert soup.select_one("textarea") is None
    assert soup.select_one("blockquote.reflection").get_text() == "Second thoughts."


def test_an_empty_reflection_gets_a_message_beside_the_field(client, learner, programme):
    discussion = activity_of(programme, ActivityKind.DISCUSSION)
    response = client.post(f"/activities/{discussion.id}/reflection", data={"text": "   "})
    assert response.status_code == 400
    assert "Write your reflection" in field_error(page(response), "text")
    assert count(Reflection) == 0


def test_who_may_read_a_reflection(app, client, learner, programme, make_user):
    discussion = activity_of(programme, ActivityKind.DISCUSSION)
    client.post(f"/activities/{discussion.id}/reflection", data={"text": "Private words."})
    reflection = db.session.scalar(select(Reflection))
    url = f"/reflections/{reflection.id}"
    assert client.get(url).status_code == 200  # the author

    from tests.conftest import log_in

    for role, expected in [
        (Role.PARTICIPANT, 403),
        (Role.FACILITATOR, 403),
        (Role.STAFF, 200),
        (Role.ADMIN, 200),
    ]:
        other = app.test_client()
        log_in(other, make_user(role))
        response = other.get(url)
        assert response.status_code == expected, role
        if expected == 200:
            assert "Private words." in page(response).get_text()
        listing = other.get(f"/activities/{discussion.id}/reflections")
        assert listing.status_code == (200 if role in (Role.STAFF, Role.ADMIN) else 403)


# --- role-play and content safety ------------------------------------------------------------


def test_a_self_paced_role_play_shows_public_parts_only(client, learner, programme):
    role_play = activity_of(programme, ActivityKind.ROLE_PLAY)
    soup = page(client.get(f"/activities/{role_play.id}"))
    text = soup.get_text()
    assert "The detainee's mother." in text
    assert "What did you notice?" in text
    assert "SECRET-LAWYER" not in text
    assert "SECRET-MOTHER" not in text
    client.post(f"/activities/{role_play.id}/prepared")
    assert db.session.scalar(select(ActivityCompletion.activity_id)) == role_play.id


def test_markdown_cannot_inject_html_or_script(client, learner, programme):
    theory = activity_of(programme, ActivityKind.THEORY)
    theory.body = (
        "Hello <script>alert('x')</script> [click](javascript:alert(1)) <b onclick=x>b</b>"
    )
    db.session.commit()
    soup = page(client.get(f"/activities/{theory.id}"))
    prose = soup.select_one(".prose")
    assert prose.select("script, b, [onclick]") == []
    assert not [a for a in prose.select("a") if a.get("href", "").startswith("javascript")]
    assert "<script>" in prose.get_text()  # shown as text, harmless


# --- where to go next ------------------------------------------------------------------------


def test_continue_where_you_left_off(client, learner, programme):
    theory = activity_of(programme, ActivityKind.THEORY)
    client.post(f"/activities/{theory.id}/read")
    discussion = activity_of(programme, ActivityKind.DISCUSSION)
    for url in ("/dashboard/participant", "/my/programmes"):
        link = page(client.get(url)).select_one(".continue a")
        assert link["href"] == f"/activities/{discussion.id}", url


def test_my_programmes_lists_what_i_started(client, learner, programme):
    make_programme(title="Not started")
    soup = page(client.get("/my/programmes"))
    assert [h.get_text(strip=True) for h in soup.select(".panel h2")] == ["Legal Aid TOT"]
    assert progress_values(soup) == [(0, 8)]


# --- queries stay constant -------------------------------------------------------------------


def _queries(client, url) -> int:
    with count_queries() as counter:
        assert client.get(url).status_code == 200
    return counter.count


def test_programme_and_module_pages_run_a_fixed_number_of_queries(client, login_as, make_user):
    small = make_programme(title="Small", modules=2)
    large = make_programme(title="Large", modules=6)
    for _ in range(3):
        add_activity(large.modules[0], ActivityKind.THEORY)
        add_activity(large.modules[0], ActivityKind.KNOWLEDGE_CHECK)
    db.session.commit()
    user = login_as(Role.PARTICIPANT)
    for programme in (small, large):
        client.post(f"/programmes/{programme.id}/start")
        for module in programme.modules:
            for activity in module.activities:
                if activity.kind is ActivityKind.KNOWLEDGE_CHECK:
                    client.post(f"/activities/{activity.id}/check", data={})
                    client.post(f"/activities/{activity.id}/check", data=right_answers(activity))
    others = [make_user(Role.PARTICIPANT) for _ in range(5)]
    for other in others:
        db.session.add(ProgrammeProgress(user_id=other.id, programme_id=large.id))
    db.session.commit()
    assert user.id

    pages = [
        ("/programmes/{}", lambda p: p.id),
        ("/modules/{}", lambda p: p.modules[0].id),
    ]
    for template, pick in pages:
        assert _queries(client, template.format(pick(small))) == _queries(
            client, template.format(pick(large))
        ), template


def test_lists_of_programmes_run_a_fixed_number_of_queries(client, login_as):
    login_as(Role.PARTICIPANT)
    first = make_programme(title="First")
    client.post(f"/programmes/{first.id}/start")
    urls = ["/programmes/", "/my/programmes", "/dashboard/participant"]
    before = {url: _queries(client, url) for url in urls}
    for number in range(4):
        more = make_programme(title=f"More {number}", modules=2)
        client.post(f"/programmes/{more.id}/start")
    after = {url: _queries(client, url) for url in urls}
    assert after == before


# --- sessions open the door ------------------------------------------------------------------


def _session_with_seat(programme, facilitator, participant, status):
    from datetime import UTC, datetime, timedelta

    from tot.enrolment.models import Enrolment
    from tot.sessions.models import SessionStatus, TrainingSession

    start = datetime.now(UTC) + timedelta(days=7)
    session = TrainingSession(
        programme=programme,
        title="Osh TOT",
        starts_at=start,
        ends_at=start + timedelta(days=2),
        region=participant.region,
        venue="Hall",
        timezone="Asia/Bishkek",
        capacity=10,
        lead_facilitator=facilitator,
        status=SessionStatus.PUBLISHED,
    )
    db.session.add(session)
    db.session.add(
        Enrolment(
            session=session, user_id=participant.id, region_id=participant.region_id, status=status
        )
    )
    db.session.commit()
    return session


def test_a_confirmed_seat_opens_the_programme_without_starting_it(client, login_as, make_user):
    from tot.enrolment.models import EnrolmentStatus

    taught = make_programme(title="Taught TOT", self_paced=False)
    participant = login_as(Role.PARTICIPANT)
    module_url = f"/modules/{taught.modules[0].id}"
    assert client.get(module_url).status_code == 403
    _session_with_seat(taught, make_user(Role.FACILITATOR), participant, EnrolmentStatus.WAITLISTED)
    assert client.get(module_url).status_code == 403  # waiting is not enough

    other = make_programme(title="Other TOT", self_paced=False)
    _session_with_seat(other, make_user(Role.FACILITATOR), participant, EnrolmentStatus.CONFIRMED)
    assert client.get(f"/modules/{other.modules[0].id}").status_code == 200
    theory = activity_of(other, ActivityKind.THEORY)
    client.post(f"/activities/{theory.id}/read")
    progress = db.session.scalar(select(ProgrammeProgress).filter_by(user_id=participant.id))
    assert progress.programme_id == other.id  # now in "my programmes"


def test_facilitators_read_reflections_of_their_own_participants_only(app, client, make_user):
    from tests.conftest import log_in
    from tot.enrolment.models import EnrolmentStatus

    programme = make_programme()
    author = make_user(Role.PARTICIPANT)
    own_facilitator = make_user(Role.FACILITATOR)
    _session_with_seat(programme, own_facilitator, author, EnrolmentStatus.CONFIRMED)
    discussion = activity_of(programme, ActivityKind.DISCUSSION)
    reflection = Reflection(user_id=author.id, activity_id=discussion.id, text="Words.")
    db.session.add(reflection)
    db.session.commit()

    log_in(client, own_facilitator)
    assert client.get(f"/reflections/{reflection.id}").status_code == 200
    stranger = app.test_client()
    log_in(stranger, make_user(Role.FACILITATOR))
    assert stranger.get(f"/reflections/{reflection.id}").status_code == 403
