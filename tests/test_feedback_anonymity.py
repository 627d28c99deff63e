"""No answer sheet can be joined back to the person who wrote it, not even by reading the database.

A FeedbackResponse holds answers in the results; a PendingSheet answers waiting for their batch;
a FeedbackReceipt only that someone answered. These tests look at the tables themselves (what
could link a sheet to a person), at what each database transaction writes, at what really
happens when several people answer (ids, dates, logs, cookies and pages after the fact), and on
PostgreSQL at the system columns a reader of the database would join on: `xmin` (the transaction
that wrote a row) and `ctid` (its place in the table).
"""

import importlib.util
import logging
import re
import uuid
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import Date, DateTime, Integer, String, Time, event, inspect, select, text
from sqlalchemy.types import TypeDecorator

from tests.conftest import log_in, page
from tests.factories import (
    answer_survey,
    enrol_attended,
    make_form,
    make_past_session,
    make_survey,
    questions_of,
    sheet,
)
from tot.db_types import utcnow
from tot.extensions import db
from tot.feedback import batches, services
from tot.feedback.models import FeedbackReceipt, FeedbackResponse, PendingSheet
from tot.permissions import Role

SHEETS = {"feedback_responses", "feedback_pending_sheets"}
WRITE = re.compile(r'\s*(?:INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)', re.IGNORECASE)


def _base_type(column):
    kind = column.type
    return kind.impl if isinstance(kind, TypeDecorator) else kind


def _is_time_of_day(column) -> bool:
    return isinstance(_base_type(column), DateTime | Time)


def count(model) -> int:
    return db.session.scalar(select(db.func.count()).select_from(model))


def comment_of(answers: dict, form) -> str:
    return answers.get(str(questions_of(form)[2].id), "")


@pytest.fixture
def held(region, make_user):
    facilitator = make_user(Role.FACILITATOR)
    session = make_past_session(region, facilitator)
    form = make_form()
    return session, form, make_survey(session, form)


def attendees(make_user, session, how_many: int) -> list:
    people = [make_user(Role.PARTICIPANT) for _ in range(how_many)]
    for person in people:
        enrol_attended(session, person)
    return people


def answer_in_turn(client, session, form, people) -> None:
    """The people answer one after the other through the answer form, in the order given."""
    for number, person in enumerate(people):
        log_in(client, person)
        data = sheet(form, str(number % 5 + 1), text=f"Answer {number}")
        assert client.post(f"/sessions/{session.id}/feedback", data=data).status_code == 302


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


def test_a_waiting_sheet_holds_its_survey_and_answers_and_nothing_else():
    table = PendingSheet.__table__
    assert set(table.columns.keys()) == {"id", "survey_id", "answers"}  # not even a day
    assert {fk.column.table.name for fk in table.foreign_keys} == {"session_surveys"}
    assert inspect(PendingSheet).relationships.keys() == []
    (key,) = table.primary_key.columns
    assert isinstance(key.type, String)
    assert key.default.is_callable


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
        if fk.column.table.name in SHEETS
    ]
    assert pointing == []


def test_sqlite_keeps_no_hidden_insertion_order_for_sheets_or_receipts():
    for model in (FeedbackResponse, PendingSheet, FeedbackReceipt):
        assert model.__table__.dialect_options["sqlite"]["with_rowid"] is False


# --- the transactions ----------------------------------------------------------------------------


@contextmanager
def tables_written_per_transaction():
    """The tables each database transaction wrote into, in the order the transactions ended."""
    ended: list[set[str]] = []
    open_: dict[int, set[str]] = {}

    def execute(conn, cursor, statement, parameters, context, executemany):
        match = WRITE.match(statement)
        if match:
            open_.setdefault(id(conn), set()).add(match[1])

    def end(conn):
        tables = open_.pop(id(conn), set())
        if tables:
            ended.append(tables)

    listeners = [("before_cursor_execute", execute), ("commit", end), ("rollback", end)]
    for name, listener in listeners:
        event.listen(db.engine, name, listener)
    try:
        yield ended
    finally:
        for name, listener in listeners:
            event.remove(db.engine, name, listener)


def test_no_transaction_writes_a_receipt_and_an_answer_sheet(client, make_user, held):
    session, form, _ = held
    people = attendees(make_user, session, 4)
    with tables_written_per_transaction() as transactions:
        answer_in_turn(client, session, form, people)
    relevant = [t for t in transactions if t & (SHEETS | {"feedback_receipts"})]
    # One transaction keeps the receipt, the next the sheet: never both in one. The receipt comes
    # first, so that a second tab is stopped before its sheet is written.
    assert [("feedback_receipts" in t, bool(t & SHEETS)) for t in relevant] == [
        (True, False),
        (False, True),
    ] * 4
    # The third answer released a batch; the fourth waits alone in the pool.
    assert sum("feedback_responses" in t for t in relevant) == 1
    assert (count(FeedbackResponse), count(PendingSheet), count(FeedbackReceipt)) == (3, 1, 4)


def test_every_sheet_waiting_or_released_was_written_again_by_the_latest_pool_transaction(
    app, held, make_user
):
    """Each new sheet rewrites the pool: no waiting row keeps the id it was first written with,
    and a batch is all new rows, of one day."""
    session, form, survey = held
    people = [make_user(Role.PARTICIPANT) for _ in range(5)]
    answer_survey(session, survey, people[:2], lambda n: [n + 1, "Theory", f"Early {n}"])
    first_ids = set(db.session.scalars(select(PendingSheet.id)))
    answer_survey(session, survey, people[2:], lambda n: [n + 1, "Theory", f"Late {n}"])
    released = db.session.scalars(select(FeedbackResponse)).all()
    waiting = db.session.scalars(select(PendingSheet)).all()
    assert len(released) == 3
    assert len(waiting) == 2
    assert first_ids.isdisjoint({row.id for row in released} | {row.id for row in waiting})
    assert {comment_of(row.answers, form) for row in released} == {"Early 0", "Early 1", "Late 0"}
    assert len({row.submitted_on for row in released}) == 1


# --- what happens when people answer -------------------------------------------------------------


def test_several_answers_cannot_be_traced_to_the_people_who_gave_them(
    app, client, make_user, held, caplog
):
    caplog.set_level(logging.DEBUG)
    session, form, survey = held
    facilitator = session.lead_facilitator
    people = [make_user(Role.PARTICIPANT, full_name=f"Participant Nr{n}") for n in range(6)]
    exchanged = []  # everything the server sent back while people answered
    for number, person in enumerate(people):
        enrol_attended(session, person)
        log_in(client, person)
        comment = f"Comment number {number}"
        response = client.post(
            f"/sessions/{session.id}/feedback", data=sheet(form, str(number % 5 + 1), text=comment)
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
    assert len(responses) == len(receipts) == 6  # two batches of three
    assert count(PendingSheet) == 0
    assert {r.user_id for r in receipts} == {p.id for p in people}

    # By id: two unrelated random numbers, sharing nothing.
    response_ids = {r.id for r in responses}
    receipt_ids = {r.id for r in receipts}
    assert response_ids.isdisjoint(receipt_ids)
    for value in response_ids | receipt_ids:
        assert uuid.UUID(hex=value).version == 4
    joined = db.session.execute(
        select(FeedbackResponse.id).join(FeedbackReceipt, FeedbackReceipt.id == FeedbackResponse.id)
    ).all()
    assert joined == []

    # By time: the sheets of a batch differ in nothing but their random id and answers, and they
    # are all dated by the day the batch was released; any receipt matches each of them alike.
    assert {(r.survey_id, r.submitted_on) for r in responses} == {(survey.id, utcnow().date())}

    # Nothing the server said or logged carries a sheet's id.
    said = "\n".join([*exchanged, caplog.text])
    assert [value for value in response_ids if value in said] == []

    # And those who read results see answers, never names, nor the order of writing.
    log_in(client, facilitator)
    results = page(client.get(f"/sessions/{session.id}/feedback/results"))
    text_shown = results.main.get_text(" ", strip=True)
    assert "Comment number 0" in text_shown
    assert not any(p.full_name in text_shown or p.email in text_shown for p in people)
    log_in(client, make_user(Role.STAFF))
    exported = client.get(f"/sessions/{session.id}/feedback/results.csv").get_data(as_text=True)
    assert "Comment number 5" in exported
    assert not any(p.full_name in exported or p.email in exported for p in people)
    assert not any(value in exported for value in response_ids | receipt_ids)


def test_comments_are_never_shown_in_the_order_they_were_written(app, client, make_user, held):
    app.config["FEEDBACK_MIN_RESPONSES"] = 2
    session, form, _ = held
    written = ["Mango", "apricot", "Zucchini", "banana"]
    for comment in written:
        person = make_user(Role.PARTICIPANT)
        enrol_attended(session, person)
        log_in(client, person)
        client.post(f"/sessions/{session.id}/feedback", data=sheet(form, text=comment))
    log_in(client, session.lead_facilitator)
    soup = page(client.get(f"/sessions/{session.id}/feedback/results"))
    shown = [c.get_text(strip=True) for c in soup.select(".comment")]
    assert shown == ["apricot", "banana", "Mango", "Zucchini"]
    assert shown != written


def test_a_second_sheet_sent_at_the_same_moment_writes_nothing(app, held, make_user, monkeypatch):
    """Two tabs sending at once both pass the first check; the unique receipt stops the second
    before its sheet is written."""
    session, form, survey = held
    person = make_user(Role.PARTICIPANT)
    enrol_attended(session, person)
    rating, choice, _ = questions_of(form)
    raw = {rating.id: "4", choice.id: "Theory"}
    with app.test_request_context():
        services.submit_answers(person, session, survey, raw, utcnow())
        monkeypatch.setattr(services, "has_answered", lambda user, survey: False)
        with pytest.raises(services.AnswerRefused) as refused:
            services.submit_answers(person, session, survey, raw, utcnow())
    assert refused.value.reason is services.Refusal.ANSWERED
    assert (count(FeedbackReceipt), count(PendingSheet), count(FeedbackResponse)) == (1, 1, 0)


def test_when_the_sheet_cannot_be_kept_the_receipt_is_withdrawn(app, held, make_user, monkeypatch):
    """Else the person would be told they had answered, with no answers kept."""
    session, form, survey = held
    person = make_user(Role.PARTICIPANT)
    enrol_attended(session, person)
    rating, choice, _ = questions_of(form)
    raw = {rating.id: "2", choice.id: "Theory"}

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "seal", broken)
    with app.test_request_context(), pytest.raises(RuntimeError):
        services.submit_answers(person, session, survey, raw, utcnow())
    assert (count(FeedbackReceipt), count(PendingSheet)) == (0, 0)
    monkeypatch.undo()
    with app.test_request_context():
        services.submit_answers(person, session, survey, raw, utcnow())
    assert (count(FeedbackReceipt), count(PendingSheet)) == (1, 1)


# --- answers kept before batches: the migration writes them again ---------------------------------


def _migration():
    path = Path(__file__).parents[1] / "migrations" / "versions" / "0007_feedback_batches.py"
    spec = importlib.util.spec_from_file_location("feedback_batches_migration", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_migration_rewrites_sheets_kept_with_their_receipts(app, held, make_user):
    _session, form, survey = held
    rating, choice, text_q = questions_of(form)
    days = [utcnow().date().replace(day=1), utcnow().date()]
    kept = []
    for number in range(4):  # as before: receipt and sheet in one transaction, each its own day
        person = make_user(Role.PARTICIPANT)
        answers = {
            str(rating.id): number + 1,
            str(choice.id): "Theory",
            str(text_q.id): f"C{number}",
        }
        db.session.add(FeedbackReceipt(survey_id=survey.id, user_id=person.id))
        db.session.add(
            FeedbackResponse(survey_id=survey.id, submitted_on=days[number % 2], answers=answers)
        )
        db.session.commit()
        kept.append(answers)
    before = set(db.session.scalars(select(FeedbackResponse.id)))
    db.session.commit()

    with (
        db.engine.begin() as connection,
        Operations.context(MigrationContext.configure(connection)),
    ):
        _migration()._rewrite_earlier_responses()

    rows = db.session.scalars(select(FeedbackResponse)).all()
    assert sorted(r.answers[str(text_q.id)] for r in rows) == ["C0", "C1", "C2", "C3"]
    assert Counter(str(sorted(r.answers.items())) for r in rows) == Counter(
        str(sorted(a.items())) for a in kept
    )
    assert before.isdisjoint(r.id for r in rows)
    assert {r.submitted_on for r in rows} == {max(days)}
    if db.engine.dialect.name == "postgresql":
        linked = db.session.execute(
            text(
                "SELECT count(*) FROM feedback_receipts r "
                "JOIN feedback_responses a ON a.xmin = r.xmin"
            )
        ).scalar_one()
        assert linked == 0


# --- on PostgreSQL: the joins a reader of the database would try ----------------------------------


@pytest.fixture
def postgresql(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip(
            "xmin and ctid are PostgreSQL's system columns: SQLite has neither (its rowid is "
            "avoided by WITHOUT ROWID, and what each transaction writes is tested above)"
        )


def rows(sql: str) -> list:
    return db.session.execute(text(sql)).all()


def test_on_postgresql_no_xmin_join_links_a_sheet_to_its_author(
    postgresql, app, client, make_user, held
):
    session, form, _ = held
    answer_in_turn(client, session, form, attendees(make_user, session, 8))  # 3 + 3; 2 waiting
    db.session.commit()

    # The join of the issue: rows written by the same transaction as a receipt.
    for joined in (
        "SELECT count(*) FROM feedback_receipts r JOIN feedback_responses s ON s.xmin = r.xmin",
        "SELECT count(*) FROM feedback_receipts r, feedback_pending_sheets s WHERE s.xmin = r.xmin",
    ):
        assert rows(joined) == [(0,)], joined

    # Each batch was written by one transaction, all of it on one day; the waiting sheets too.
    batches_ = rows(
        "SELECT xmin::text::bigint, count(*), count(DISTINCT submitted_on) "
        "FROM feedback_responses GROUP BY 1"
    )
    assert sorted((size, days) for _xid, size, days in batches_) == [(3, 1), (3, 1)]
    waiting = rows("SELECT xmin::text::bigint, count(*) FROM feedback_pending_sheets GROUP BY 1")
    assert [size for _xid, size in waiting] == [2]
    group_of = {xid: size for xid, size, *_ in [*batches_, *waiting]}

    # Nor a join on the next transaction after a receipt: it wrote a whole group of sheets, which
    # nothing tells apart but their random ids and their answers.
    receipts = [xid for (xid,) in rows("SELECT xmin::text::bigint FROM feedback_receipts")]
    assert len(set(receipts)) == 8
    assert set(receipts).isdisjoint(group_of)
    for receipt in receipts:
        later = [xid for xid in group_of if xid > receipt]
        assert later
        assert group_of[min(later)] >= 2


def test_on_postgresql_the_place_of_a_sheet_follows_the_shuffle_not_the_order_of_answers(
    postgresql, app, client, make_user, held, monkeypatch
):
    """Here the shuffle is replaced by one that reverses the comments, to see its order in the
    table; the real one (batches.shuffled) draws on the operating system's randomness."""
    session, form, _ = held

    def reversed_by_comment(sheets):
        return sorted(sheets, key=lambda answers: comment_of(answers, form), reverse=True)

    monkeypatch.setattr(batches, "shuffled", reversed_by_comment)
    answer_in_turn(client, session, form, attendees(make_user, session, 5))  # 3; 2 waiting
    db.session.commit()
    released = [
        comment_of(a, form) for (a,) in rows("SELECT answers FROM feedback_responses ORDER BY ctid")
    ]
    waiting = [
        comment_of(a, form)
        for (a,) in rows("SELECT answers FROM feedback_pending_sheets ORDER BY ctid")
    ]
    assert released == ["Answer 2", "Answer 1", "Answer 0"]
    assert waiting == ["Answer 4", "Answer 3"]
