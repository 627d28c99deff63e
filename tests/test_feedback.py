"""Session feedback: reusable forms, a survey per session, anonymous answers, results and CSV."""

import csv
import io
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_skeleton

from tests.conftest import count_queries, field_error, flashes, log_in, page
from tests.factories import (
    add_responses,
    enrol_attended,
    make_form,
    make_past_session,
    make_programme,
    make_survey,
    questions_of,
    sheet,
)
from tot.db_types import utcnow
from tot.enrolment.models import EnrolmentStatus
from tot.exports import neutralise
from tot.extensions import db
from tot.feedback import services
from tot.feedback.models import (
    FeedbackForm,
    FeedbackReceipt,
    FeedbackResponse,
    PendingSheet,
    QuestionKind,
    SessionSurvey,
)
from tot.feedback.panel import feedback_panel
from tot.permissions import Role
from tot.sessions.models import SessionStatus, TrainingSession

BISHKEK = ZoneInfo("Asia/Bishkek")

# --- builders ------------------------------------------------------------------------------------


def response_count() -> int:
    """Answer sheets kept: in the results, or waiting for their batch (test_feedback_batches)."""
    return sum(
        db.session.scalar(db.select(db.func.count()).select_from(model))
        for model in (FeedbackResponse, PendingSheet)
    )


def receipt_count() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(FeedbackReceipt))


@pytest.fixture
def facilitator(make_user):
    return make_user(Role.FACILITATOR)


@pytest.fixture
def held(region, facilitator):
    """A session that ended yesterday, with the default form open for feedback."""
    session = make_past_session(region, facilitator)
    form = make_form()
    survey = make_survey(session, form)
    return session, form, survey


def answer_url(session) -> str:
    return f"/sessions/{session.id}/feedback"


def results_url(session) -> str:
    return f"/sessions/{session.id}/feedback/results"


# --- reusable forms ------------------------------------------------------------------------------


def test_staff_write_a_form_with_questions_of_each_kind(client, login_as):
    login_as(Role.STAFF)
    response = client.post(
        "/manage/feedback-forms/new", data={"title": "  After the training ", "intro": "Hello."}
    )
    assert response.status_code == 302
    form = db.session.scalars(db.select(FeedbackForm)).one()
    assert form.title == "After the training"
    assert response.headers["Location"] == f"/manage/feedback-forms/{form.id}"

    url = f"/manage/feedback-forms/{form.id}/questions"
    client.post(
        url,
        data={
            "text": "How safe did you feel?",
            "kind": "rating",
            "required": "y",
            "low_label": "Not at all",
            "high_label": "Very much",
            "options": "ignored for ratings",
        },
    )
    client.post(url, data={"text": "Best part?", "kind": "choice", "options": "A\n\n B \nC"})
    client.post(url, data={"text": "Anything else?", "kind": "text"})

    rating, choice, text = questions_of(form)
    assert (rating.kind, rating.required, rating.low_label, rating.high_label, rating.options) == (
        QuestionKind.RATING,
        True,
        "Not at all",
        "Very much",
        "",
    )
    assert (choice.kind, choice.required, choice.option_list) == (
        QuestionKind.CHOICE,
        False,
        ["A", "B", "C"],
    )
    assert (text.kind, text.position) == (QuestionKind.TEXT, 2)

    listing = page(client.get("/manage/feedback-forms"))
    assert listing.h1.get_text(strip=True) == "Feedback forms"
    row = listing.select_one("table.feedback-forms tbody tr")
    assert row.a.get_text(strip=True) == "After the training"
    assert row.select("td")[1].get_text(strip=True) == "3"


def test_a_form_needs_a_title(client, login_as):
    login_as(Role.STAFF)
    response = client.post("/manage/feedback-forms/new", data={"title": "   ", "intro": ""})
    assert response.status_code == 200
    assert field_error(page(response), "title") == "Enter a title."
    assert db.session.scalar(db.select(db.func.count()).select_from(FeedbackForm)) == 0


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ("Only one", "Give from 2 to 10 options, one a line."),
        ("\n".join(f"Option {n}" for n in range(11)), "Give from 2 to 10 options, one a line."),
        ("Yes\nyes", "Each option must be different."),
    ],
)
def test_a_choice_needs_two_to_ten_different_options(client, login_as, options, message):
    login_as(Role.STAFF)
    form = make_form(questions=[])
    response = client.post(
        f"/manage/feedback-forms/{form.id}/questions",
        data={"text": "Which?", "kind": "choice", "options": options},
    )
    assert response.status_code == 200
    assert field_error(page(response), "options") == message
    assert questions_of(form) == []


def test_a_question_needs_its_text_and_a_known_kind(client, login_as):
    login_as(Role.STAFF)
    form = make_form(questions=[])
    url = f"/manage/feedback-forms/{form.id}/questions"
    soup = page(client.post(url, data={"text": " ", "kind": "rating"}))
    assert field_error(soup, "text") == "Enter the question."
    soup = page(client.post(url, data={"text": "Why?", "kind": "essay"}))
    assert field_error(soup, "kind") != ""
    assert questions_of(form) == []


def test_questions_are_edited_moved_and_deleted(client, login_as):
    login_as(Role.STAFF)
    form = make_form()
    rating, choice, text = questions_of(form)
    base = f"/manage/feedback-forms/{form.id}/questions"

    response = client.post(
        f"{base}/{text.id}/edit", data={"text": "What would you change?", "kind": "choice"}
    )
    assert field_error(page(response), "options") == "Give from 2 to 10 options, one a line."
    client.post(
        f"{base}/{text.id}/edit",
        data={"text": "Length?", "kind": "choice", "options": "Too short\nRight\nToo long"},
    )
    db.session.refresh(text)
    assert (text.text, text.kind, text.option_list) == (
        "Length?",
        QuestionKind.CHOICE,
        ["Too short", "Right", "Too long"],
    )

    client.post(f"{base}/{text.id}/move", data={"direction": "up"})
    assert [q.id for q in questions_of(form)] == [rating.id, text.id, choice.id]
    client.post(f"{base}/{rating.id}/move", data={"direction": "sideways"})
    assert [q.id for q in questions_of(form)] == [rating.id, text.id, choice.id]

    response = client.post(f"{base}/{rating.id}/delete")
    assert response.status_code == 302
    assert [(q.id, q.position) for q in questions_of(form)] == [(text.id, 0), (choice.id, 1)]


def test_an_answered_form_keeps_its_questions_and_their_kinds(client, login_as, held):
    login_as(Role.STAFF)
    _, form, survey = held
    add_responses(survey, 1, lambda n: [4, "Theory"])
    rating, choice, _ = questions_of(form)
    base = f"/manage/feedback-forms/{form.id}/questions"

    soup = page(client.get(f"/manage/feedback-forms/{form.id}"))
    assert soup.select_one(".answered-notice") is not None
    assert soup.select("form[action$='/delete']") == []

    response = client.post(f"{base}/{choice.id}/delete", follow_redirects=True)
    assert "cannot be deleted" in " ".join(flashes(page(response)))
    assert len(questions_of(form)) == 3

    response = client.post(f"{base}/{rating.id}/edit", data={"text": "Useful?", "kind": "text"})
    assert "kind of answer cannot change" in field_error(page(response), "kind")
    db.session.refresh(rating)
    assert (rating.kind, rating.text) == (QuestionKind.RATING, "How useful was it?")

    # Rewording, and adding a question, are still allowed.
    client.post(
        f"{base}/{rating.id}/edit",
        data={"text": "Useful for your work?", "kind": "rating", "required": "y"},
    )
    client.post(base, data={"text": "New question", "kind": "text"})
    db.session.refresh(rating)
    assert rating.text == "Useful for your work?"
    assert len(questions_of(form)) == 4


def test_unknown_forms_and_questions_of_another_form_are_not_found(client, login_as):
    login_as(Role.STAFF)
    form, other = make_form(), make_form("Other")
    question = questions_of(other)[0]
    assert client.get("/manage/feedback-forms/999999").status_code == 404
    assert (
        client.get(f"/manage/feedback-forms/{form.id}/questions/{question.id}/edit").status_code
        == 404
    )
    assert (
        client.post(f"/manage/feedback-forms/{form.id}/questions/{question.id}/delete").status_code
        == 404
    )
    assert client.get("/manage/feedback-forms/99999999999").status_code == 404
    assert len(questions_of(other)) == 3


@pytest.mark.parametrize("role", [Role.FACILITATOR, Role.PARTICIPANT])
def test_only_staff_write_forms(client, login_as, role):
    login_as(role)
    form = make_form()
    assert client.get("/manage/feedback-forms").status_code == 403
    assert client.post("/manage/feedback-forms/new", data={"title": "X"}).status_code == 403
    assert (
        client.post(f"/manage/feedback-forms/{form.id}/edit", data={"title": "X"}).status_code
        == 403
    )
    db.session.refresh(form)
    assert form.title == "After the training"


def test_visitors_are_sent_to_log_in(client, held):
    session, _, _ = held
    for url in (
        "/manage/feedback-forms",
        "/manage/feedback",
        f"/sessions/{session.id}/survey",
        answer_url(session),
        results_url(session),
        results_url(session) + ".csv",
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/login?next="), url


# --- giving a session a survey -------------------------------------------------------------------


def test_a_facilitator_gives_their_session_a_form_open_14_days_by_default(
    client, region, facilitator
):
    session = make_past_session(region, facilitator, ends_in=timedelta(days=2))
    form = make_form()
    log_in(client, facilitator)
    url = f"/sessions/{session.id}/survey"

    soup = page(client.get(url))
    assert soup.h1.get_text(strip=True) == f"Feedback for “{session.title}”"
    default = session.ends_at.astimezone(BISHKEK).date() + timedelta(days=14)
    assert soup.select_one("#last_day")["value"] == default.isoformat()
    assert db.session.scalar(db.select(db.func.count()).select_from(SessionSurvey)) == 0  # GET

    response = client.post(url, data={"form_id": str(form.id), "last_day": default.isoformat()})
    assert response.status_code == 302
    survey = db.session.scalars(db.select(SessionSurvey)).one()
    assert survey.form_id == form.id
    assert survey.opened_at is None
    # Open until the end of the last day on the session's clock (Bishkek, UTC+6).
    assert survey.closes_at == datetime.combine(
        default + timedelta(days=1), time(), tzinfo=BISHKEK
    ).astimezone(UTC)
    assert not survey.is_open(utcnow())  # the session has not ended yet
    status = page(client.get(url)).select_one(".survey-status").get_text(" ", strip=True)
    day = format_skeleton("yMMMEd", default, locale="en")
    assert status.startswith("Opens ")
    assert status.endswith(f"until the end of {day} (Bishkek time)")


@pytest.mark.parametrize(
    ("last_day", "message"),
    [
        ("yesterday", "Enter a date, such as 2026-05-31."),
        ("", "Enter the last day to answer."),
        ("9999-12-31", "Choose a day at most 365 days after the session's last day."),
    ],
)
def test_the_last_day_must_be_a_real_day_soon_after_the_session(
    client, login_as, region, facilitator, last_day, message
):
    login_as(Role.STAFF)
    session = make_past_session(region, facilitator)
    form = make_form()
    response = client.post(
        f"/sessions/{session.id}/survey", data={"form_id": str(form.id), "last_day": last_day}
    )
    assert response.status_code == 200
    assert field_error(page(response), "last_day") == message
    assert db.session.scalar(db.select(db.func.count()).select_from(SessionSurvey)) == 0


def test_the_last_day_must_come_after_the_sessions_last_day(client, login_as, region, facilitator):
    login_as(Role.STAFF)
    session = make_past_session(region, facilitator)
    form = make_form()
    end_day = session.ends_at.astimezone(BISHKEK).date()
    response = client.post(
        f"/sessions/{session.id}/survey",
        data={"form_id": str(form.id), "last_day": end_day.isoformat()},
    )
    day = format_skeleton("yMMMd", end_day, locale="en")
    assert field_error(page(response), "last_day") == (
        f"Choose a day after the session's last day ({day})."
    )
    response = client.post(
        f"/sessions/{session.id}/survey",
        data={"form_id": "12345", "last_day": (end_day + timedelta(days=3)).isoformat()},
    )
    assert field_error(page(response), "form_id") == "Choose a feedback form."
    assert db.session.scalar(db.select(db.func.count()).select_from(SessionSurvey)) == 0


def test_open_now_opens_feedback_before_the_end(client, region, facilitator):
    session = make_past_session(region, facilitator, ends_in=timedelta(hours=3))
    survey = make_survey(session, make_form())
    log_in(client, facilitator)
    url = f"/sessions/{session.id}/survey"
    soup = page(client.get(url))
    button = soup.select_one(f"form[action='{url}/open'] button")
    assert button.get_text(strip=True) == "Open now"

    before = utcnow()
    response = client.post(f"{url}/open", follow_redirects=True)
    assert "Feedback is open" in " ".join(flashes(page(response)))
    db.session.refresh(survey)
    assert survey.opened_at is not None
    assert survey.opened_at >= before - timedelta(seconds=1)
    assert survey.is_open(utcnow())

    response = client.post(f"{url}/open", follow_redirects=True)
    assert "already open" in " ".join(flashes(page(response)))


def test_a_form_is_not_replaced_once_answered(client, login_as, held):
    login_as(Role.STAFF)
    session, form, survey = held
    other = make_form("Other")
    last_day = (session.ends_at.astimezone(BISHKEK).date() + timedelta(days=5)).isoformat()
    url = f"/sessions/{session.id}/survey"

    # Before anyone answered: replaced freely.
    client.post(url, data={"form_id": str(other.id), "last_day": last_day})
    db.session.refresh(survey)
    assert survey.form_id == other.id

    add_responses(survey, 1, lambda n: [5])
    response = client.post(url, data={"form_id": str(form.id), "last_day": last_day})
    assert "cannot be replaced" in field_error(page(response), "form_id")
    db.session.refresh(survey)
    assert survey.form_id == other.id

    # The last day can still move.
    later = (session.ends_at.astimezone(BISHKEK).date() + timedelta(days=30)).isoformat()
    client.post(url, data={"form_id": str(other.id), "last_day": later})
    db.session.refresh(survey)
    assert services.last_day(survey).isoformat() == later


def test_no_survey_for_a_cancelled_session_nor_with_an_empty_form(
    client, login_as, region, facilitator
):
    login_as(Role.STAFF)
    session = make_past_session(region, facilitator)
    form, empty = make_form(), make_form("Empty", questions=[])
    url = f"/sessions/{session.id}/survey"
    last_day = (session.ends_at.astimezone(BISHKEK).date() + timedelta(days=5)).isoformat()

    response = client.post(url, data={"form_id": str(empty.id), "last_day": last_day})
    assert "has no questions yet" in field_error(page(response), "form_id")

    session.status = SessionStatus.CANCELLED
    db.session.commit()
    response = client.post(url, data={"form_id": str(form.id), "last_day": last_day})
    assert "This session is cancelled: it gets no feedback survey." in flashes(page(response))
    assert db.session.scalar(db.select(db.func.count()).select_from(SessionSurvey)) == 0


def test_a_survey_whose_form_lost_its_questions_cannot_be_answered(client, login_as, held):
    session, form, _ = held
    enrol_attended(session, login_as(Role.PARTICIPANT))
    for question in questions_of(form):
        db.session.delete(question)
    db.session.commit()
    response = client.get(answer_url(session))
    assert response.status_code == 404
    assert "This session has no feedback form." in page(response).get_text()
    assert client.post(answer_url(session), data={}).status_code == 403
    assert (response_count(), receipt_count()) == (0, 0)


def test_only_the_sessions_facilitators_and_staff_set_up_its_feedback(
    client, make_user, region, facilitator
):
    session = make_past_session(region, facilitator)
    form = make_form()
    co = make_user(Role.FACILITATOR)
    session.co_facilitators.append(co)
    db.session.commit()
    data = {"form_id": str(form.id), "last_day": "2099-01-01"}
    for person, status in [
        (make_user(Role.FACILITATOR), 403),
        (make_user(Role.PARTICIPANT), 403),
        (co, 200),
        (make_user(Role.ADMIN), 200),
    ]:
        log_in(client, person)
        assert client.get(f"/sessions/{session.id}/survey").status_code == status
    log_in(client, make_user(Role.FACILITATOR))
    assert client.post(f"/sessions/{session.id}/survey", data=data).status_code == 403
    assert client.post(f"/sessions/{session.id}/survey/open").status_code == 403
    assert client.get("/sessions/999999/survey").status_code == 404
    assert db.session.scalar(db.select(db.func.count()).select_from(SessionSurvey)) == 0


# --- answering -----------------------------------------------------------------------------------


def test_an_attendee_answers_once_anonymously(client, login_as, held):
    session, form, survey = held
    me = login_as(Role.PARTICIPANT)
    enrol_attended(session, me, present=(False, True))

    soup = page(client.get(answer_url(session)))
    assert len(soup.select("h1")) == 1
    note = soup.select_one(".anonymity").get_text(" ", strip=True)
    assert "Your answers are stored without your name" in note
    assert "separate note that you have answered, so that nobody answers twice" in note
    assert "at least 3 people have answered" in note
    rating, choice, text = questions_of(form)
    assert [i["value"] for i in soup.select(f"input[name=q-{rating.id}]")] == list("12345")
    first = soup.select_one(f"input[name=q-{rating.id}][value='1']").parent
    assert first.get_text(" ", strip=True) == "1 – Not at all"

    response = client.post(answer_url(session), data=sheet(form, "5", "Theory", " More tea "))
    assert response.status_code == 302
    assert response.headers["Location"] == answer_url(session)
    saved = db.session.scalars(db.select(PendingSheet)).one()  # waiting for two more
    assert saved.answers == {str(rating.id): 5, str(choice.id): "Theory", str(text.id): "More tea"}
    receipt = db.session.scalars(db.select(FeedbackReceipt)).one()
    assert (receipt.survey_id, receipt.user_id) == (survey.id, me.id)

    soup = page(client.get(answer_url(session)))
    assert flashes(soup) == ["Thank you: your answers are saved, without your name."]
    assert (
        soup.select_one(".refusal").get_text(strip=True) == "You have already answered: thank you."
    )
    assert soup.select("form.answer-form") == []

    response = client.post(answer_url(session), data=sheet(form, "1", "Role-play"))
    assert response.status_code == 403
    assert "You have already answered: thank you." in page(response).get_text()
    assert (response_count(), receipt_count()) == (1, 1)


def test_required_questions_left_empty_are_marked_and_nothing_is_saved(client, login_as, held):
    session, form, _ = held
    enrol_attended(session, login_as(Role.PARTICIPANT))
    rating, choice, text = questions_of(form)
    response = client.post(answer_url(session), data={})
    assert response.status_code == 200
    soup = page(response)
    assert field_error(soup, f"q-{rating.id}") == "Choose an answer to this question."
    assert field_error(soup, f"q-{choice.id}") == "Choose an answer to this question."
    assert field_error(soup, f"q-{text.id}") == ""  # optional
    assert (response_count(), receipt_count()) == (0, 0)


@pytest.mark.parametrize(
    ("rating", "choice", "text", "bad", "message"),
    [
        ("6", "Theory", "", 0, "Choose a number from 1 to 5."),
        ("0", "Theory", "", 0, "Choose a number from 1 to 5."),
        ("four", "Theory", "", 0, "Choose a number from 1 to 5."),
        ("4", "Cooking", "", 1, "Choose one of the answers offered."),
        ("4", "Theory", "x" * 4001, 2, "An answer may have at most 4000 characters"),
    ],
)
def test_answers_outside_the_rules_are_refused(
    client, login_as, held, rating, choice, text, bad, message
):
    session, form, _ = held
    enrol_attended(session, login_as(Role.PARTICIPANT))
    response = client.post(answer_url(session), data=sheet(form, rating, choice, text))
    assert response.status_code == 200
    question = questions_of(form)[bad]
    assert field_error(page(response), f"q-{question.id}").startswith(message)
    assert (response_count(), receipt_count()) == (0, 0)


def test_a_text_answer_of_4000_characters_is_kept(client, login_as, held):
    session, form, _ = held
    enrol_attended(session, login_as(Role.PARTICIPANT))
    assert client.post(answer_url(session), data=sheet(form, text="x" * 4000)).status_code == 302
    assert response_count() == 1


@pytest.mark.parametrize(
    ("status", "present"),
    [
        (EnrolmentStatus.CONFIRMED, (False, False)),  # confirmed, absent every day
        (EnrolmentStatus.CONFIRMED, ()),  # confirmed, no attendance taken
        (EnrolmentStatus.WITHDRAWN, (True,)),  # present once, then withdrawn
        (EnrolmentStatus.PENDING, (True,)),
        (None, ()),  # not enrolled at all
    ],
)
def test_only_people_who_attended_may_answer(client, login_as, held, status, present):
    session, form, _ = held
    me = login_as(Role.PARTICIPANT)
    if status is not None:
        enrol_attended(session, me, status=status, present=present)
    message = "Only participants who attended this session can give feedback on it."
    response = client.get(answer_url(session))
    assert response.status_code == 403
    assert page(response).select_one(".refusal").get_text(strip=True) == message
    response = client.post(answer_url(session), data=sheet(form))
    assert response.status_code == 403
    assert (response_count(), receipt_count()) == (0, 0)


def test_an_attendee_of_another_session_may_not_answer(client, login_as, held, region, facilitator):
    session, form, _ = held
    other = make_past_session(region, facilitator, title="Another session")
    enrol_attended(other, login_as(Role.PARTICIPANT))
    assert client.post(answer_url(session), data=sheet(form)).status_code == 403
    assert response_count() == 0


def test_no_answers_before_feedback_opens(client, login_as, region, facilitator):
    session = make_past_session(region, facilitator, ends_in=timedelta(days=1))
    form = make_form()
    make_survey(session, form, closes_in=timedelta(days=20))
    enrol_attended(session, login_as(Role.PARTICIPANT))
    response = client.get(answer_url(session))
    assert response.status_code == 200
    refusal = page(response).select_one(".refusal").get_text(strip=True)
    assert refusal.startswith("Feedback for this session opens")
    assert "Bishkek time" in refusal
    assert page(response).select("form.answer-form") == []
    response = client.post(answer_url(session), data=sheet(form))
    assert response.status_code == 403
    assert (response_count(), receipt_count()) == (0, 0)


def test_opened_by_hand_it_can_be_answered_before_the_end(client, login_as, region, facilitator):
    session = make_past_session(region, facilitator, ends_in=timedelta(hours=2))
    form = make_form()
    make_survey(session, form, opened_at=utcnow() - timedelta(minutes=1))
    enrol_attended(session, login_as(Role.PARTICIPANT))
    assert client.post(answer_url(session), data=sheet(form)).status_code == 302
    assert (response_count(), receipt_count()) == (1, 1)


def test_no_answers_after_feedback_closes(client, login_as, region, facilitator):
    session = make_past_session(region, facilitator, ends_in=timedelta(days=-20))
    form = make_form()
    make_survey(session, form, closes_in=timedelta(days=-5))
    enrol_attended(session, login_as(Role.PARTICIPANT))
    response = client.get(answer_url(session))
    assert (
        page(response)
        .select_one(".refusal")
        .get_text(strip=True)
        .startswith("Feedback for this session closed")
    )
    response = client.post(answer_url(session), data=sheet(form))
    assert response.status_code == 403
    assert (response_count(), receipt_count()) == (0, 0)


def test_a_session_without_a_survey_says_so(client, login_as, region, facilitator):
    session = make_past_session(region, facilitator)
    enrol_attended(session, login_as(Role.PARTICIPANT))
    response = client.get(answer_url(session))
    assert response.status_code == 404
    assert "This session has no feedback form." in page(response).get_text()
    assert client.post(answer_url(session), data={}).status_code == 403
    assert client.get("/sessions/999999/feedback").status_code == 404


def test_a_draft_session_is_not_found(client, login_as, held):
    session, form, _ = held
    session.status = SessionStatus.DRAFT
    db.session.commit()
    enrol_attended(session, login_as(Role.PARTICIPANT))
    response = client.get(answer_url(session))
    assert response.status_code == 404
    assert session.title not in response.get_data(as_text=True)
    assert client.post(answer_url(session), data=sheet(form)).status_code == 404
    assert response_count() == 0


@pytest.mark.parametrize("role", [Role.FACILITATOR, Role.STAFF, Role.ADMIN])
def test_only_participants_answer(client, login_as, held, role):
    session, form, _ = held
    login_as(role)
    assert client.get(answer_url(session)).status_code == 403
    assert client.post(answer_url(session), data=sheet(form)).status_code == 403
    assert response_count() == 0


def test_the_answer_sheet_is_dated_by_the_utc_day(app, region, facilitator, make_user):
    """20:30 UTC on 4 May is already 5 May in Bishkek: the sheet, released at once in a batch of
    one, says 4 May, and nothing finer."""
    app.config["FEEDBACK_MIN_RESPONSES"] = 1
    now = datetime(2026, 5, 4, 20, 30, tzinfo=UTC)
    session = TrainingSession(
        programme=make_programme(),
        title="Dated",
        starts_at=now - timedelta(days=2),
        ends_at=now - timedelta(days=1),
        region=region,
        venue="Hall",
        timezone="Asia/Bishkek",
        capacity=20,
        lead_facilitator=facilitator,
        status=SessionStatus.COMPLETED,
    )
    db.session.add(session)
    form = make_form()
    survey = SessionSurvey(session=session, form=form, closes_at=now + timedelta(days=3))
    db.session.add(survey)
    person = make_user(Role.PARTICIPANT)
    enrol_attended(session, person)
    rating, choice, _ = questions_of(form)
    with app.test_request_context():
        services.submit_answers(person, session, survey, {rating.id: "3", choice.id: "Theory"}, now)
    saved = db.session.scalars(db.select(FeedbackResponse)).one()
    assert saved.submitted_on == date(2026, 5, 4)
    assert saved.answers == {str(rating.id): 3, str(choice.id): "Theory"}


# --- results -------------------------------------------------------------------------------------


def _ratings_and_comments(number):
    comments = ["Zebra crossing near the venue", "", "apples at the break", "More role-play"]
    return [[5, 4, 3, 4][number % 4], ["Role-play", "Theory"][number % 2], comments[number % 4]]


def test_results_stay_hidden_below_three_responses(client, held, facilitator):
    session, _, survey = held
    add_responses(survey, 2, _ratings_and_comments)
    log_in(client, facilitator)
    response = client.get(results_url(session))
    assert response.status_code == 200
    soup = page(response)
    main = soup.main.get_text(" ", strip=True)
    assert "not enough responses yet to show results without identifying people" in main
    assert "fewer than 3" in main
    assert soup.select(".question-result, .average, .distribution, .comments, meter") == []
    for hidden in ("Zebra", "Theory", "2 responses"):
        assert hidden not in main
    assert len(soup.select("h1")) == 1


def test_results_from_three_responses(client, held, facilitator):
    session, _, survey = held
    add_responses(survey, 3, _ratings_and_comments)
    log_in(client, facilitator)
    soup = page(client.get(results_url(session)))
    assert soup.select_one(".response-count").get_text(strip=True) == "3 responses"
    rating, choice, text = soup.select(".question-result")

    assert "Average: 4.0 of 5" in rating.select_one(".average").get_text(" ", strip=True)
    counts = {
        row.select_one(".answer-label").get_text(strip=True): row.select_one(
            ".answer-count"
        ).get_text(strip=True)
        for row in rating.select("tbody tr")
    }
    assert counts == {"1": "0", "2": "0", "3": "1", "4": "1", "5": "1"}
    meters = rating.select("meter")
    assert [(m["value"], m["max"]) for m in meters] == [
        ("0", "3"), ("0", "3"), ("1", "3"), ("1", "3"), ("1", "3")
    ]  # fmt: skip
    assert [td["data-label"] for td in rating.select("tbody tr")[0].select("td[data-label]")] == [
        "People",
        "Share",
    ]

    choices = [
        (
            row.select_one(".answer-label").get_text(strip=True),
            row.select_one(".answer-count").get_text(strip=True),
        )
        for row in choice.select("tbody tr")
    ]
    assert choices == [("Role-play", "2"), ("Theory", "1"), ("Discussion", "0")]

    # Alphabetical, whatever the order they were written in; empty answers are not comments.
    comments = [c.get_text(strip=True) for c in text.select(".comment")]
    assert comments == ["apples at the break", "Zebra crossing near the venue"]


def test_a_configured_minimum_of_five(app, client, held, facilitator):
    app.config["FEEDBACK_MIN_RESPONSES"] = 5
    session, _, survey = held
    add_responses(survey, 4, _ratings_and_comments)
    log_in(client, facilitator)
    soup = page(client.get(results_url(session)))
    assert "fewer than 5" in soup.main.get_text(" ", strip=True)
    assert soup.select(".question-result") == []
    add_responses(survey, 1, _ratings_and_comments)
    soup = page(client.get(results_url(session)))
    assert soup.select_one(".response-count").get_text(strip=True) == "5 responses"
    assert len(soup.select(".question-result")) == 3


def test_answers_to_an_option_since_reworded_still_count(client, login_as, held):
    session, form, survey = held
    add_responses(survey, 3, lambda n: [4, "Role-play"])
    choice = questions_of(form)[1]
    choice.options = "Role-plays\nTheory\nDiscussion"
    db.session.commit()
    login_as(Role.STAFF)
    section = page(client.get(results_url(session))).select(".question-result")[1]
    labels = [
        row.select_one(".answer-label").get_text(strip=True) for row in section.select("tbody tr")
    ]
    assert labels == ["Role-plays", "Theory", "Discussion", "Role-play"]


def test_who_may_read_results(client, make_user, held, facilitator):
    session, _, survey = held
    add_responses(survey, 3, _ratings_and_comments)
    co = make_user(Role.FACILITATOR)
    session.co_facilitators.append(co)
    db.session.commit()
    attendee = make_user(Role.PARTICIPANT)
    enrol_attended(session, attendee)
    for person, status in [
        (facilitator, 200),
        (co, 200),
        (make_user(Role.STAFF), 200),
        (make_user(Role.ADMIN), 200),
        (make_user(Role.FACILITATOR), 403),  # a facilitator of other sessions
        (attendee, 403),
    ]:
        log_in(client, person)
        assert client.get(results_url(session)).status_code == status, person.role
    assert client.get("/sessions/999999/feedback/results").status_code == 403  # a participant
    log_in(client, facilitator)
    assert client.get("/sessions/999999/feedback/results").status_code == 404


def test_results_of_a_session_without_survey(client, region, facilitator):
    session = make_past_session(region, facilitator)
    log_in(client, facilitator)
    soup = page(client.get(results_url(session)))
    assert "This session has no feedback form yet." in soup.main.get_text(" ", strip=True)


def test_results_and_overview_take_the_same_queries_for_3_and_30_responses(client, login_as, held):
    session, form, survey = held
    login_as(Role.STAFF)
    other = make_past_session(session.region, session.lead_facilitator, title="Second")
    other_survey = make_survey(other, form)

    def queries(url):
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        return counter.count

    add_responses(survey, 3, _ratings_and_comments)
    add_responses(other_survey, 3, _ratings_and_comments)
    few = (queries(results_url(session)), queries("/manage/feedback"))
    add_responses(survey, 27, _ratings_and_comments)
    add_responses(other_survey, 27, _ratings_and_comments)
    many = (queries(results_url(session)), queries("/manage/feedback"))
    assert few == many


def test_the_overview_lists_sessions_with_counts_told_from_the_minimum(client, login_as, held):
    session, form, survey = held
    other = make_past_session(session.region, session.lead_facilitator, title="Quiet session")
    make_survey(other, form)
    add_responses(survey, 4, _ratings_and_comments)
    make_past_session(session.region, session.lead_facilitator, title="No survey here")
    login_as(Role.STAFF)
    soup = page(client.get("/manage/feedback"))
    rows = {
        row.a.get_text(strip=True): row.select_one(".answer-count").get_text(strip=True)
        for row in soup.select("table.feedback-overview tbody tr")
    }
    assert rows == {session.title: "4 responses", "Quiet session": "fewer than 3 responses"}
    assert soup.select_one(f"a[href='{results_url(session)}']") is not None


@pytest.mark.parametrize("role", [Role.FACILITATOR, Role.PARTICIPANT])
def test_the_overview_is_for_staff(client, login_as, role):
    login_as(role)
    assert client.get("/manage/feedback").status_code == 403


# --- CSV -----------------------------------------------------------------------------------------


def test_staff_download_results_as_csv(client, login_as, held):
    session, _, survey = held
    add_responses(survey, 2, _ratings_and_comments)
    add_responses(survey, 1, lambda n: [2, "Theory", '=HYPERLINK("http://x")'])
    add_responses(survey, 1, lambda n: [1, "Theory", "Спасибо тренерам"])
    login_as(Role.STAFF)
    response = client.get(results_url(session) + ".csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == ["Session", session.title]
    assert rows[2] == ["Responses", "4"]
    assert rows[4] == ["Question number", "Question", "Kind", "Answer", "Count", "Average"]
    data = rows[5:]
    rating = [row for row in data if row[0] == "1"]
    assert [row[3:5] for row in rating[:5]] == [
        ["1", "1"],
        ["2", "1"],
        ["3", "0"],
        ["4", "1"],
        ["5", "1"],
    ]
    assert rating[5][3:] == ["Average", "4", "3.0"]
    choice = [row[3:5] for row in data if row[0] == "2"]
    assert choice == [["Role-play", "1"], ["Theory", "3"], ["Discussion", "0"]]
    comments = [row[3] for row in data if row[0] == "3"]
    assert comments == [
        '\'=HYPERLINK("http://x")',
        "Zebra crossing near the venue",
        "Спасибо тренерам",
    ]


def test_formula_cells_are_neutralised():
    assert [neutralise(v) for v in ["=1+1", "+7", "-2", "@SUM", "\tx", "plain", 3, None]] == [
        "'=1+1", "'+7", "'-2", "'@SUM", "'\tx", "plain", "3", ""
    ]  # fmt: skip


def test_no_csv_below_the_minimum(client, login_as, held):
    session, _, survey = held
    add_responses(survey, 2, _ratings_and_comments)
    login_as(Role.STAFF)
    response = client.get(results_url(session) + ".csv")
    assert response.status_code == 403
    assert response.mimetype == "text/html"
    text = page(response).main.get_text(" ", strip=True)
    assert "Fewer than 3 people have answered" in text
    assert "Zebra" not in text


def test_the_csv_is_for_staff_only(client, held, facilitator, make_user):
    session, _, survey = held
    add_responses(survey, 3, _ratings_and_comments)
    log_in(client, facilitator)
    assert client.get(results_url(session) + ".csv").status_code == 403
    assert page(client.get(results_url(session))).select(".button[href$='.csv']") == []
    log_in(client, make_user(Role.STAFF))
    assert client.get("/sessions/999999/feedback/results.csv").status_code == 404
    other = make_past_session(session.region, facilitator, title="No survey")
    assert client.get(results_url(other) + ".csv").status_code == 404


# --- on a session's page -------------------------------------------------------------------------


def test_the_session_panel_says_what_each_person_may_do(app, held, facilitator, make_user):
    session, _, _ = held
    attendee, stranger = make_user(Role.PARTICIPANT), make_user(Role.PARTICIPANT)
    enrol_attended(session, attendee)
    with app.test_request_context():
        manager = feedback_panel(session, reader=facilitator)
        assert (manager.manage, manager.count, manager.minimum) == (True, 0, 3)
        mine = feedback_panel(session, reader=attendee)
        assert (mine.manage, mine.is_open, mine.answered) == (False, True, False)
        assert feedback_panel(session, reader=stranger) is None
