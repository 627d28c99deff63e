"""Answers enter the results only in batches of the minimum, so that no change singles one out.

A facilitator who sees who has just answered must not read that person's answers off the
difference between two views of the results, the counts or the exports. Answers wait, without
a name, until enough others have answered; they are released together, even when people answer
at the same instant; what is still waiting when the survey closes is not shown.
"""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.conftest import field_error, flashes, log_in, make_config, page
from tests.factories import (
    answer_survey,
    enrol_attended,
    make_form,
    make_past_session,
    make_survey,
    questions_of,
    sheet,
)
from tot import create_app
from tot.accounts.models import User
from tot.db_types import utcnow
from tot.extensions import db
from tot.feedback import services
from tot.feedback.models import FeedbackReceipt, FeedbackResponse, PendingSheet, SessionSurvey
from tot.permissions import Role
from tot.sessions.models import TrainingSession

THREADS = 10


def counts() -> tuple[int, int, int]:
    """(answer sheets in the results, sheets waiting, receipts)."""
    db.session.expire_all()
    return tuple(
        db.session.scalar(select(db.func.count()).select_from(model))
        for model in (FeedbackResponse, PendingSheet, FeedbackReceipt)
    )


@pytest.fixture
def held(region, make_user):
    """A session that ended yesterday, its survey open, and a staff member to read results."""
    session = make_past_session(region, make_user(Role.FACILITATOR))
    form = make_form()
    return session, form, make_survey(session, form)


def participants(make_user, how_many: int) -> list[User]:
    return [make_user(Role.PARTICIPANT) for _ in range(how_many)]


def attendees(make_user, session, how_many: int) -> list[User]:
    people = participants(make_user, how_many)
    for person in people:
        enrol_attended(session, person)
    return people


def answer(client, session, form, person, number: int) -> None:
    """The person answers through the form, and is thanked at once."""
    log_in(client, person)
    data = sheet(form, str(number % 5 + 1), "Theory", f"Comment of the answer nr {number}")
    response = client.post(f"/sessions/{session.id}/feedback", data=data, follow_redirects=True)
    assert flashes(page(response)) == ["Thank you: your answers are saved, without your name."]


def what_readers_see(client, session, reader) -> dict[str, str]:
    """Everything that tells of a survey's answers, as staff (who see the most) read it."""
    log_in(client, reader)
    base = f"/sessions/{session.id}"
    return {
        "results": page(client.get(f"{base}/feedback/results")).main.get_text(" ", strip=True),
        "csv": client.get(f"{base}/feedback/results.csv").get_data(as_text=True),
        "survey": page(client.get(f"{base}/survey")).select_one(".survey-count").get_text(),
        "panel": page(client.get(base)).select_one(".feedback-panel").get_text(" ", strip=True),
        "overview": page(client.get("/manage/feedback")).select_one(".answer-count").get_text(),
    }


# --- results change only by a whole batch --------------------------------------------------------


def test_one_more_answer_changes_nothing_a_reader_sees_until_its_batch_is_full(
    client, make_user, held
):
    session, form, _ = held
    staff = make_user(Role.STAFF)
    people = attendees(make_user, session, 6)
    for number, person in enumerate(people[:3]):
        answer(client, session, form, person, number)
    first = what_readers_see(client, session, staff)
    assert "3 responses" in first["results"]
    assert "Comment of the answer nr 2" in first["results"]

    for number in (3, 4):  # the facilitator saw them answer: the results must not tell what
        answer(client, session, form, people[number], number)
        assert what_readers_see(client, session, staff) == first
        assert counts() == (3, number - 2, number + 1)

    answer(client, session, form, people[5], 5)
    full = what_readers_see(client, session, staff)
    assert counts() == (6, 0, 6)
    assert "6 responses" in full["results"]
    for number in (3, 4, 5):
        assert f"Comment of the answer nr {number}" in full["results"]
        assert f"Comment of the answer nr {number}" in full["csv"]
    assert full["survey"] == full["overview"] == "6 responses"


def test_the_person_is_thanked_at_once_and_cannot_answer_twice(client, make_user, held):
    session, form, _ = held
    (person,) = attendees(make_user, session, 1)
    answer(client, session, form, person, 1)
    soup = page(client.get(f"/sessions/{session.id}/feedback"))
    assert soup.select_one(".refusal").get_text(strip=True) == (
        "You have already answered: thank you."
    )
    response = client.post(f"/sessions/{session.id}/feedback", data=sheet(form, "1"))
    assert response.status_code == 403
    assert counts() == (0, 1, 1)  # kept, waiting for two more


def test_no_results_nor_file_while_the_first_batch_waits(client, make_user, held):
    session, _, survey = held
    answer_survey(session, survey, participants(make_user, 2))
    log_in(client, make_user(Role.STAFF))
    soup = page(client.get(f"/sessions/{session.id}/feedback/results"))
    assert soup.select(".question-result") == []
    assert "fewer than 3 people have answered" in soup.main.get_text(" ", strip=True)
    assert client.get(f"/sessions/{session.id}/feedback/results.csv").status_code == 403
    assert counts() == (0, 2, 2)


def test_what_waits_when_the_survey_closes_is_never_shown(client, make_user, held):
    session, _, survey = held

    def comments(number):
        return [5, "Theory", f"Said by number {number}"]

    answer_survey(session, survey, participants(make_user, 4), comments)
    survey.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    reader = make_user(Role.STAFF)
    seen = what_readers_see(client, session, reader)
    assert "3 responses" in seen["results"]
    assert "Closed at the end of" in seen["results"]
    shown = [n for n in range(4) if f"Said by number {n}" in seen["results"]]
    assert len(shown) == 3
    assert f"Said by number {({0, 1, 2, 3} - set(shown)).pop()}" not in seen["csv"]
    assert counts() == (3, 1, 4)  # reading the results released nothing

    # Moved to a later last day, the waiting answer may still join a batch with two more.
    survey.closes_at = utcnow() + timedelta(days=3)
    db.session.commit()
    answer_survey(session, survey, participants(make_user, 2), comments)
    assert counts() == (6, 0, 6)


def test_a_configured_minimum_is_also_the_batch(app, make_user, held):
    app.config["FEEDBACK_MIN_RESPONSES"] = 5
    session, _, survey = held
    people = participants(make_user, 11)
    answer_survey(session, survey, people[:4])
    assert counts() == (0, 4, 4)
    answer_survey(session, survey, people[4:])
    assert counts() == (10, 1, 11)


# --- answers that wait still count as answers ----------------------------------------------------


def test_answers_still_waiting_keep_the_form_and_its_questions(client, make_user, held):
    session, form, survey = held
    answer_survey(session, survey, participants(make_user, 1))
    log_in(client, make_user(Role.STAFF))
    other = make_form("Other")
    last_day = services.last_day(survey).isoformat()
    response = client.post(
        f"/sessions/{session.id}/survey", data={"form_id": str(other.id), "last_day": last_day}
    )
    assert "cannot be replaced" in field_error(page(response), "form_id")
    question = questions_of(form)[0]
    client.post(f"/manage/feedback-forms/{form.id}/questions/{question.id}/delete")
    assert len(questions_of(form)) == 3
    db.session.refresh(survey)
    assert survey.form_id == form.id


# --- what the pages say --------------------------------------------------------------------------


def test_the_answer_page_says_answers_wait_for_others(client, make_user, held):
    session, _, _ = held
    log_in(client, attendees(make_user, session, 1)[0])
    note = page(client.get(f"/sessions/{session.id}/feedback")).select_one(".batches-note")
    assert note.get_text(" ", strip=True) == (
        "Your answers do not enter the results at once: they wait, without your name, until the "
        "answers of 3 people are waiting, then enter the results together in a shuffled order, "
        "so that nobody can pick out yours. Answers still waiting when the survey closes are "
        "not shown."
    )


def test_the_survey_and_results_pages_say_when_results_appear_and_grow(client, make_user, held):
    session, _, survey = held
    log_in(client, session.lead_facilitator)
    expected = (
        "Answers enter the results in groups of 3, in a shuffled order, so that no change in the "
        "results shows one person's answers: the results appear when the first 3 people have "
        "answered, then grow by 3 answers at a time. Answers that have not completed a group "
        "when the survey closes are not shown."
    )
    for url in (f"/sessions/{session.id}/survey", f"/sessions/{session.id}/feedback/results"):
        note = page(client.get(url)).select_one(".batches-note")
        assert note.get_text(" ", strip=True) == expected, url
    answer_survey(session, survey, participants(make_user, 3))
    results = page(client.get(f"/sessions/{session.id}/feedback/results"))
    assert results.select(".question-result")
    assert results.select_one(".batches-note").get_text(" ", strip=True) == expected


# --- answers sent at the same instant ------------------------------------------------------------


@pytest.fixture
def racing_app(app, database_url):
    """The same database, with a connection for every thread."""
    racing = create_app(
        make_config(
            database_url,
            SQLALCHEMY_ENGINE_OPTIONS={"pool_size": THREADS + 2, "max_overflow": THREADS},
        )
    )
    yield racing
    with racing.app_context():
        db.engine.dispose()


def answer_together(app, survey_id: int, user_ids: list[int]) -> list[str]:
    """Each person answers in a thread of their own (one request each), released at once by a
    barrier; returns the errors."""
    barrier = threading.Barrier(len(user_ids))
    errors: list[str] = []
    lock = threading.Lock()

    def one(user_id: int) -> None:
        with app.app_context(), app.test_request_context():
            try:
                survey = db.session.get(SessionSurvey, survey_id)
                session = db.session.get(TrainingSession, survey.session_id)
                user = db.session.get(User, user_id)
                rating, choice, _ = survey.form.questions
                raw = {rating.id: "3", choice.id: "Discussion"}
                barrier.wait(timeout=30)
                services.submit_answers(user, session, survey, raw, utcnow())
            except Exception as error:  # any error fails the test, below
                db.session.rollback()
                with lock:
                    errors.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=one, args=(user_id,)) for user_id in user_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return errors


def test_the_two_last_answers_sent_at_once_release_exactly_one_batch(racing_app, make_user, held):
    session, _, survey = held
    answer_survey(session, survey, participants(make_user, 1))
    last = attendees(make_user, session, 2)
    assert answer_together(racing_app, survey.id, [p.id for p in last]) == []
    assert counts() == (3, 0, 3)


def test_many_answers_at_once_lose_no_sheet_and_leave_no_full_batch_waiting(
    racing_app, make_user, held
):
    session, _, survey = held
    people = attendees(make_user, session, THREADS)
    assert answer_together(racing_app, survey.id, [p.id for p in people]) == []
    assert counts() == (9, 1, THREADS)
