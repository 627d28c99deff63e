"""No answer sheet can be joined back to the person who wrote it.

A FeedbackResponse holds the answers; a FeedbackReceipt only that someone answered. These tests
look at the tables themselves (what could link a sheet to a person) and at what really happens
when several people answer (ids, dates, logs, cookies and pages after the fact).
"""

import logging
import uuid

import pytest
from sqlalchemy import Date, DateTime, Integer, String, Time, inspect, select
from sqlalchemy.types import TypeDecorator

from tests.conftest import log_in, page
from tests.factories import (
    enrol_attended,
    make_form,
    make_past_session,
    make_survey,
    questions_of,
    sheet,
)
from tot.db_types import utcnow
from tot.extensions import db
from tot.feedback import services
from tot.feedback.models import FeedbackReceipt, FeedbackResponse
from tot.permissions import Role


def _base_type(column):
    kind = column.type
    return kind.impl if isinstance(kind, TypeDecorator) else kind


def _is_time_of_day(column) -> bool:
    return isinstance(_base_type(column), DateTime | Time)


# --- the tables ----------------------------------------------------------------------------------


def test_a_response_row_holds_no_person_no_time_and_no_sequence():
    table = FeedbackResponse.__table__
    assert set(table.columns.keys()) == {"id", "survey_id", "submitted_on", "answers"}
    # Its only link goes to the survey: none to users, enrolments or receipts.
    assert {fk.column.table.name for fk in table.foreign_keys} == {"session_surveys"}
    assert inspect(FeedbackResponse).relationships.keys() == []
    # A day at most: no column can hold a time of day.
    assert [c.name for c in table.columns if _is_time_of_day(c)] == []
    assert isinstance(_base_type(table.c.submitted_on), Date)
    # The key is a random string, not a counter that would give away the order of answers.
    (key,) = table.primary_key.columns
    assert key.name == "id"
    assert isinstance(key.type, String)
    assert not isinstance(key.type, Integer)
    assert key.default is not None
    assert key.default.is_callable
    assert [c.name for c in table.columns if c.autoincrement is True] == []


def test_a_receipt_says_only_who_answered_which_survey():
    table = FeedbackReceipt.__table__
    assert set(table.columns.keys()) == {"id", "survey_id", "user_id"}
    assert {fk.column.table.name for fk in table.foreign_keys} == {"session_surveys", "users"}
    assert [c.name for c in table.columns if _is_time_of_day(c)] == []
    (key,) = table.primary_key.columns
    assert isinstance(key.type, String)


def test_no_table_points_at_an_answer_sheet():
    pointing = [
        (table.name, fk.parent.name)
        for table in db.metadata.sorted_tables
        for fk in table.foreign_keys
        if fk.column.table.name == "feedback_responses"
    ]
    assert pointing == []


# --- what happens when people answer -------------------------------------------------------------


def test_several_answers_cannot_be_traced_to_the_people_who_gave_them(
    app, client, make_user, region, caplog
):
    caplog.set_level(logging.DEBUG)
    facilitator = make_user(Role.FACILITATOR)
    session = make_past_session(region, facilitator)
    form = make_form()
    survey = make_survey(session, form)
    people = [make_user(Role.PARTICIPANT, full_name=f"Participant Nr{n}") for n in range(5)]
    exchanged = []  # everything the server sent back while people answered
    for number, person in enumerate(people):
        enrol_attended(session, person)
        log_in(client, person)
        comment = f"Comment number {number}"
        response = client.post(
            f"/sessions/{session.id}/feedback", data=sheet(form, str(number + 1), text=comment)
        )
        assert response.status_code == 302
        exchanged.append(str(response.headers))
        exchanged.append(response.get_data(as_text=True))
        cookie = client.get_cookie("session")
        serializer = app.session_interface.get_signing_serializer(app)
        exchanged.append(str(serializer.loads(cookie.value)))
        exchanged.append(client.get(f"/sessions/{session.id}/feedback").get_data(as_text=True))

    responses = list(db.session.scalars(select(FeedbackResponse)))
    receipts = list(db.session.scalars(select(FeedbackReceipt)))
    assert len(responses) == len(receipts) == 5
    assert {r.user_id for r in receipts} == {p.id for p in people}

    # By id: two unrelated random numbers, sharing nothing.
    response_ids = {r.id for r in responses}
    receipt_ids = {r.id for r in receipts}
    assert response_ids.isdisjoint(receipt_ids)
    for value in response_ids | receipt_ids:
        assert uuid.UUID(hex=value).version == 4
    for receipt in receipts:
        assert not any(receipt.id[:8] in r.id or r.id[:8] in receipt.id for r in responses)
    joined = db.session.execute(
        select(FeedbackResponse.id).join(FeedbackReceipt, FeedbackReceipt.id == FeedbackResponse.id)
    ).all()
    assert joined == []

    # By time or order: the sheets of one day differ in nothing but their random id and answers,
    # so any receipt matches each of them equally well.
    assert {(r.survey_id, r.submitted_on) for r in responses} == {(survey.id, utcnow().date())}
    for receipt in receipts:
        candidates = [r for r in responses if r.survey_id == receipt.survey_id]
        assert len(candidates) == 5

    # Nothing the server said or logged carries a sheet's id.
    said = "\n".join([*exchanged, caplog.text])
    assert [value for value in response_ids if value in said] == []

    # And those who read results see answers, never names, nor the order of writing.
    log_in(client, facilitator)
    results = page(client.get(f"/sessions/{session.id}/feedback/results"))
    text = results.main.get_text(" ", strip=True)
    assert "Comment number 0" in text
    assert not any(person.full_name in text or person.email in text for person in people)
    log_in(client, make_user(Role.STAFF))
    exported = client.get(f"/sessions/{session.id}/feedback/results.csv").get_data(as_text=True)
    assert "Comment number 4" in exported
    assert not any(person.full_name in exported or person.email in exported for person in people)
    assert not any(value in exported for value in response_ids | receipt_ids)


def test_comments_are_never_shown_in_the_order_they_were_written(client, make_user, region):
    facilitator = make_user(Role.FACILITATOR)
    session = make_past_session(region, facilitator)
    form = make_form()
    make_survey(session, form)
    written = ["Mango", "apricot", "Zucchini", "banana"]
    for comment in written:
        person = make_user(Role.PARTICIPANT)
        enrol_attended(session, person)
        log_in(client, person)
        client.post(f"/sessions/{session.id}/feedback", data=sheet(form, text=comment))
    log_in(client, facilitator)
    soup = page(client.get(f"/sessions/{session.id}/feedback/results"))
    shown = [c.get_text(strip=True) for c in soup.select(".comment")]
    assert shown == ["apricot", "banana", "Mango", "Zucchini"]
    assert shown != written


def test_a_second_sheet_sent_at_the_same_moment_writes_nothing(app, make_user, region, monkeypatch):
    """Two tabs sending at once both pass the first check; the unique receipt stops the second."""
    session = make_past_session(region, make_user(Role.FACILITATOR))
    form = make_form()
    survey = make_survey(session, form)
    person = make_user(Role.PARTICIPANT)
    enrol_attended(session, person)
    rating, choice, _ = questions_of(form)
    raw = {rating.id: "4", choice.id: "Theory"}
    with app.test_request_context():
        services.submit_answers(person, session, survey, raw, utcnow())
        db.session.commit()
        monkeypatch.setattr(services, "has_answered", lambda user, survey: False)
        with pytest.raises(services.AnswerRefused) as refused:
            services.submit_answers(person, session, survey, raw, utcnow())
        db.session.rollback()
    assert refused.value.reason is services.Refusal.ANSWERED
    for model in (FeedbackResponse, FeedbackReceipt):
        assert db.session.scalar(select(db.func.count()).select_from(model)) == 1


def test_sqlite_keeps_no_hidden_insertion_order_for_responses_or_receipts():
    from tot.feedback.models import FeedbackReceipt, FeedbackResponse

    for model in (FeedbackResponse, FeedbackReceipt):
        assert model.__table__.dialect_options["sqlite"]["with_rowid"] is False
