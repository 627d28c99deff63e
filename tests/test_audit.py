"""The audit log: who did what and when (before → after), read by staff with filters and as a
file, never changed; and the events recorded now (roles, access, certificates, every export)."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DBAPIError

from tests.conftest import (
    PASSWORD,
    TEST_DATABASE_URL,
    count_queries,
    field_error,
    make_config,
    page,
    scratch_database,
)
from tests.factories import (
    apply_to,
    enrol,
    local_start,
    make_group,
    make_programme,
    make_quote,
    make_session,
)
from tot import create_app
from tot.audit import services as audit
from tot.audit.models import AuditAction, AuditEntry, AuditLogIsAppendOnly
from tot.certificates.models import Certificate
from tot.db_types import utcnow
from tot.extensions import db
from tot.focusgroups.consent import withdraw_consent
from tot.focusgroups.models import Consent
from tot.learning.models import ProgrammeProgress
from tot.permissions import Role
from tot.sessions import lifecycle
from tot.sessions.models import EnrolmentMode, SeatQuota
from tot.sessions.scheduling import SessionDetails, update_session

NOON = datetime(2026, 6, 15, 6, 0, tzinfo=UTC)  # 12:00 in Bishkek


def add_entry(action=AuditAction.ROLE_CHANGED, *, at=NOON, actor=None, subject=None, **fields):
    entry = AuditEntry(
        action=action,
        at=at,
        actor_id=actor.id if actor else None,
        subject_id=subject.id if subject else None,
        target_id=fields.pop("target_id", subject.id if subject else None),
        **fields,
    )
    db.session.add(entry)
    db.session.commit()
    return entry


def entries(action=None) -> list[AuditEntry]:
    db.session.expire_all()
    statement = select(AuditEntry).order_by(AuditEntry.id)
    if action is not None:
        statement = statement.where(AuditEntry.action == action)
    return list(db.session.scalars(statement))


def listed(response) -> list[dict[str, str]]:
    """The entries of the log's page, by column."""
    soup = page(response)
    return [
        {
            name: row.select_one(f"td.{name}").get_text(" ", strip=True)
            for name in ("when", "who", "what", "concerning", "change")
        }
        for row in soup.select("tr.audit-entry")
    ]


@pytest.fixture
def people(make_user):
    """An administrator who acts, and two people acted on."""
    return (
        make_user(Role.ADMIN, full_name="Aida Admin", email="aida@example.org"),
        make_user(full_name="Bakyt Bekov", email="bakyt@example.org"),
        make_user(full_name="Cholpon Chyngyz", email="cholpon@example.org"),
    )


# --- who reads it --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.STAFF, Role.ADMIN])
def test_staff_and_administrators_read_who_did_what_to_whom(client, login_as, people, role):
    admin, bakyt, _cholpon = people
    add_entry(actor=admin, subject=bakyt, before={"role": "participant"}, after={"role": "staff"})
    earlier = NOON - timedelta(hours=1)
    add_entry(
        AuditAction.CERTIFICATE_ISSUED, at=earlier, subject=bakyt, target_id=7, after={"by_hand": 0}
    )
    login_as(role)

    response = client.get("/audit/")

    assert response.status_code == 200
    first, second = listed(response)
    assert first["who"] == "Aida Admin"
    assert first["what"] == "Role changed"
    assert first["concerning"] == f"Bakyt Bekov Account #{bakyt.id}"
    assert first["change"] == "Role: participant → staff"
    assert second["who"] == "The platform"
    assert second["concerning"] == "Bakyt Bekov Certificate #7"
    assert second["change"] == "Issued by hand: 0"


@pytest.mark.parametrize("role", [Role.FACILITATOR, Role.PARTICIPANT])
def test_facilitators_and_participants_may_not_read_it(client, login_as, people, role):
    add_entry(actor=people[0], subject=people[1])
    login_as(role)
    for url in ("/audit/", "/audit/log.csv", "/audit/log.xlsx"):
        assert client.get(url).status_code == 403


def test_visitors_are_sent_to_log_in(client, people):
    for url in ("/audit/", "/audit/log.csv"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login")


def test_the_navigation_offers_it_to_staff_only(client, login_as):
    login_as(Role.STAFF)
    assert "/audit/" in {a["href"] for a in page(client.get("/")).select("header nav a")}
    login_as(Role.FACILITATOR)
    assert "/audit/" not in {a["href"] for a in page(client.get("/")).select("header nav a")}


# --- filters, pages, files -----------------------------------------------------------------------


def test_filters_by_action_actor_person_concerned_and_target(client, login_as, people, make_user):
    admin, bakyt, cholpon = people
    other_admin = make_user(Role.ADMIN, full_name="Dilnoza Director")
    add_entry(actor=admin, subject=bakyt)
    add_entry(AuditAction.ACCOUNT_DEACTIVATED, actor=other_admin, subject=cholpon)
    add_entry(AuditAction.CERTIFICATE_REVOKED, actor=other_admin, subject=bakyt, target_id=41)
    login_as(Role.STAFF)

    def whats(**query) -> list[tuple[str, str]]:
        response = client.get("/audit/", query_string=query)
        assert response.status_code == 200
        return [(row["what"], row["who"]) for row in listed(response)]

    assert whats(action="account_deactivated") == [("Account deactivated", "Dilnoza Director")]
    assert whats(actor="aida@EXAMPLE") == [("Role changed", "Aida Admin")]
    assert whats(actor="dilnoza") == [
        ("Certificate revoked", "Dilnoza Director"),
        ("Account deactivated", "Dilnoza Director"),
    ]
    assert whats(concerning="Cholpon") == [("Account deactivated", "Dilnoza Director")]
    assert whats(concerning="#41") == [("Certificate revoked", "Dilnoza Director")]
    assert whats(concerning="bakyt", actor="aida") == [("Role changed", "Aida Admin")]
    assert whats(actor="nobody at all") == []


def test_a_date_range_is_read_on_the_readers_clock(client, login_as, people):
    admin, bakyt, _ = people
    # Bishkek is UTC+6: 20:00 UTC on 14 June is 02:00 on 15 June there, 18:30 UTC on 16 June is
    # already 17 June.
    for target_id, at in [
        (1, datetime(2026, 6, 14, 17, 0, tzinfo=UTC)),
        (2, datetime(2026, 6, 14, 20, 0, tzinfo=UTC)),
        (3, datetime(2026, 6, 16, 17, 30, tzinfo=UTC)),
        (4, datetime(2026, 6, 16, 18, 30, tzinfo=UTC)),
    ]:
        add_entry(at=at, actor=admin, subject=bakyt, target_id=target_id)
    login_as(Role.STAFF)  # in Osh Region, on Bishkek's clock

    response = client.get("/audit/", query_string={"from": "2026-06-15", "to": "2026-06-16"})

    concerning = [row["concerning"] for row in listed(response)]
    assert concerning == ["Bakyt Bekov Account #3", "Bakyt Bekov Account #2"]
    only_from = client.get("/audit/", query_string={"from": "2026-06-15"})
    assert len(listed(only_from)) == 3


def test_wrong_filters_are_said_beside_their_field(client, login_as, people):
    add_entry(actor=people[0], subject=people[1])
    login_as(Role.STAFF)

    response = client.get("/audit/", query_string={"from": "15/06/2026"})
    assert response.status_code == 400
    assert field_error(page(response), "from") == "Enter a date, such as 2025-03-14."
    assert listed(response) == []

    response = client.get("/audit/", query_string={"from": "2026-06-15", "to": "2026-06-01"})
    assert response.status_code == 400
    assert field_error(page(response), "to") == "The last day comes before the first."

    response = client.get("/audit/", query_string={"action": "rewrite_history"})
    assert response.status_code == 400
    assert field_error(page(response), "action") == "Choose what was done from the list."

    assert client.get("/audit/log.csv", query_string={"to": "tomorrow"}).status_code == 400


def test_the_log_is_paged_newest_first(client, login_as, people):
    admin, bakyt, _ = people
    for minutes in range(55):
        add_entry(at=NOON + timedelta(minutes=minutes), actor=admin, subject=bakyt)
    login_as(Role.STAFF)

    first = page(client.get("/audit/"))
    assert len(first.select("tr.audit-entry")) == 50
    assert "55 entries" in first.get_text()
    second = client.get("/audit/", query_string={"page": 2})
    assert len(listed(second)) == 5
    assert client.get("/audit/", query_string={"page": 99}).status_code == 200


def test_a_page_costs_the_same_queries_however_many_people_it_shows(client, login_as, make_user):
    login_as(Role.STAFF)

    def queries_with(count: int) -> int:
        for _ in range(count):
            add_entry(
                actor=make_user(Role.ADMIN), subject=make_user(), before={"role": "participant"}
            )
        with count_queries() as counter:
            assert client.get("/audit/").status_code == 200
        return counter.count

    assert queries_with(3) == queries_with(30)


def test_staff_download_the_log_they_filtered_and_that_download_is_recorded(
    client, login_as, people
):
    admin, bakyt, cholpon = people
    add_entry(actor=admin, subject=bakyt, before={"role": "participant"}, after={"role": "staff"})
    add_entry(AuditAction.ACCOUNT_DEACTIVATED, actor=admin, subject=cholpon)
    reader = login_as(Role.STAFF)

    response = client.get("/audit/log.csv", query_string={"concerning": "bakyt"})

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["When", "Who", "What", "Person concerned", "Target", "What changed"]
    assert rows[1] == [
        "2026-06-15T06:00:00+00:00",
        "Aida Admin",
        "Role changed",
        "Bakyt Bekov",
        f"Account #{bakyt.id}",
        "Role: participant → staff",
    ]
    assert len(rows) == 2

    export = entries(AuditAction.EXPORTED)[-1]
    assert export.actor_id == reader.id
    assert export.after["file"].startswith("audit-log-")
    assert export.after["file"].endswith(".csv")
    assert export.after["lines"] == 2

    workbook = client.get("/audit/log.xlsx")
    sheet = load_workbook(io.BytesIO(workbook.get_data())).active
    assert sheet.cell(row=1, column=3).value == "What"
    assert sheet.max_row == 4  # the header, two entries, and the CSV download just recorded


# --- append-only ---------------------------------------------------------------------------------


def test_an_entry_cannot_be_changed_or_deleted_through_the_code(app, people):
    entry = add_entry(actor=people[0], subject=people[1], after={"role": "staff"})

    entry.after = {"role": "admin"}
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()

    db.session.delete(db.session.get(AuditEntry, entry.id))
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()

    with pytest.raises(AuditLogIsAppendOnly):
        db.session.execute(update(AuditEntry).values(actor_id=None))
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.execute(delete(AuditEntry).where(AuditEntry.id == entry.id))
    db.session.rollback()

    (kept,) = entries()
    assert (kept.actor_id, kept.after) == (people[0].id, {"role": "staff"})


@pytest.mark.skipif(
    not (TEST_DATABASE_URL or "").startswith("postgresql"), reason="a PostgreSQL trigger"
)
def test_postgresql_itself_refuses_to_change_an_entry_or_delete_some(tmp_path_factory):
    """The migration's trigger: no UPDATE; a DELETE only of the whole log (seed-demo --force)."""
    from flask_migrate import upgrade

    with scratch_database("audit", tmp_path_factory) as url:
        app = create_app(make_config(url))
        with app.app_context():
            upgrade()
            with db.engine.begin() as connection:
                connection.execute(
                    text(
                        "INSERT INTO audit_entries (at, action) VALUES "
                        "(now(), 'exported'), (now(), 'exported')"
                    )
                )
            for statement in (
                "UPDATE audit_entries SET action = 'role_changed'",
                "DELETE FROM audit_entries WHERE id = (SELECT min(id) FROM audit_entries)",
            ):
                with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as c:
                    c.execute(text(statement))
            with db.engine.begin() as connection:
                connection.execute(text("UPDATE audit_entries SET action = 'x' WHERE false"))
                assert connection.scalar(text("SELECT count(*) FROM audit_entries")) == 2
                connection.execute(text("DELETE FROM audit_entries"))
                assert connection.scalar(text("SELECT count(*) FROM audit_entries")) == 0
            db.session.remove()
            db.engine.dispose()


# --- what is recorded: roles and access ----------------------------------------------------------


def test_a_role_change_is_recorded_before_and_after_in_every_language(client, login_as, make_user):
    admin = login_as(Role.ADMIN)
    person = make_user(Role.PARTICIPANT)

    client.post(f"/admin/users/{person.id}/role", data={"role": "staff"})

    (entry,) = entries()
    assert entry.action is AuditAction.ROLE_CHANGED
    assert (entry.actor_id, entry.subject_id, entry.target_id) == (admin.id, person.id, person.id)
    assert entry.before["role"]["value"] == "participant"
    assert entry.after["role"]["value"] == "staff"
    assert entry.after["role"]["labels"]["en"] == "Staff"
    assert set(entry.after["role"]["labels"]) == {"en", "ru", "ky", "tg"}
    assert listed(client.get("/audit/"))[0]["change"] == "Role: Participant → Staff"


def test_a_refused_or_empty_role_change_records_nothing(client, login_as, make_user):
    admin = login_as(Role.ADMIN)
    person = make_user(Role.STAFF)
    client.post(f"/admin/users/{admin.id}/role", data={"role": "staff"})  # one's own: refused
    client.post(f"/admin/users/{person.id}/role", data={"role": "staff"})  # no change
    assert entries() == []


def test_deactivating_and_reactivating_are_recorded(client, login_as, make_user):
    admin = login_as(Role.ADMIN)
    person = make_user(Role.FACILITATOR)

    client.post(f"/admin/users/{person.id}/deactivate")
    client.post(f"/admin/users/{person.id}/deactivate")  # already done: nothing more
    client.post(f"/admin/users/{person.id}/reactivate")

    off, on = entries()
    assert (off.action, off.actor_id, off.subject_id) == (
        AuditAction.ACCOUNT_DEACTIVATED,
        admin.id,
        person.id,
    )
    assert (off.before, off.after) == ({"active": True}, {"active": False})
    assert on.action is AuditAction.ACCOUNT_REACTIVATED
    assert (on.before, on.after) == ({"active": False}, {"active": True})
    assert listed(client.get("/audit/"))[1]["change"] == "Can log in: yes → no"


# --- what is recorded: certificates and exports --------------------------------------------------


@pytest.fixture
def completed_session(make_user):
    """A completed session with two people who earned a certificate and one who did not."""
    lead = make_user(Role.FACILITATOR)
    session = make_session(
        lead, starts_at=local_start(-5), days=1, capacity=5, programme=make_programme()
    )
    earned = [make_user(), make_user()]
    for person in earned:
        enrol(session, person, present=[True])
        db.session.add(
            ProgrammeProgress(
                user_id=person.id, programme_id=session.programme_id, completed_at=utcnow()
            )
        )
    latecomer = make_user()
    enrolment = enrol(session, latecomer, present=[False])
    db.session.commit()
    lifecycle.complete(session)
    db.session.commit()
    return session, earned, latecomer, enrolment


def test_certificates_earned_are_recorded_as_issued_by_the_platform(completed_session):
    _session, earned, _latecomer, _enrolment = completed_session
    recorded = entries(AuditAction.CERTIFICATE_ISSUED)
    certificates = db.session.scalars(select(Certificate).order_by(Certificate.id)).all()
    assert [(e.actor_id, e.subject_id, e.target_id) for e in recorded] == [
        (None, person.id, certificate.id)
        for person, certificate in zip(earned, certificates, strict=True)
    ]
    assert recorded[0].after == {"session": certificates[0].session_id, "by_hand": False}


def test_issuing_by_hand_and_revoking_are_recorded(client, login_as, completed_session):
    session, earned, latecomer, enrolment = completed_session
    staff = login_as(Role.STAFF)

    client.post(f"/enrolments/{enrolment.id}/certificate", data={"reason": "Attended on paper"})
    by_hand = entries(AuditAction.CERTIFICATE_ISSUED)[-1]
    assert (by_hand.actor_id, by_hand.subject_id) == (staff.id, latecomer.id)
    assert by_hand.after == {"session": session.id, "by_hand": True}

    certificate = db.session.scalar(select(Certificate).filter_by(user_id=earned[0].id))
    client.post(f"/certificates/{certificate.id}/revoke", data={"reason": "Wrong person"})
    (revoked,) = entries(AuditAction.CERTIFICATE_REVOKED)
    assert (revoked.actor_id, revoked.subject_id, revoked.target_id) == (
        staff.id,
        earned[0].id,
        certificate.id,
    )
    assert (revoked.before, revoked.after) == ({"revoked": False}, {"revoked": True})
    assert "Wrong person" not in str(revoked.after)  # what people write stays out of the log


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/sessions/{id}/roster.csv", "roster-{id}.csv"),
        ("/sessions/{id}/certificates.xlsx", "certificates-{id}.xlsx"),
        ("/focus-groups/quotes.csv", "quotes-"),
    ],
)
def test_every_file_downloaded_is_recorded_with_who_downloaded_it(
    client, login_as, completed_session, url, name
):
    session = completed_session[0]
    reader = login_as(Role.STAFF)

    response = client.get(url.format(id=session.id))

    assert response.status_code == 200
    (entry,) = entries(AuditAction.EXPORTED)
    assert entry.actor_id == reader.id
    assert entry.after["file"].startswith(name.format(id=session.id))
    assert entry.after["lines"] >= 1
    assert entry.before is None


def test_a_refused_download_is_not_recorded(client, login_as, completed_session):
    login_as(Role.PARTICIPANT)
    assert client.get(f"/sessions/{completed_session[0].id}/roster.csv").status_code == 403
    assert entries(AuditAction.EXPORTED) == []


def test_the_wording_of_a_value_follows_the_reader(app, people):
    entry = audit.record(AuditAction.ROLE_CHANGED, actor=people[0], after={"role": Role.STAFF})
    db.session.commit()
    assert audit.worded(entry.after["role"]) == "Staff"
    assert audit.worded(True) == "yes"
    assert audit.worded(None) == "—"
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 1


# --- what is recorded: enrolment decisions, seats, consent, logins -------------------------------


def test_approving_and_rejecting_an_application_are_recorded(client, login_as, make_user):
    lead = make_user(Role.FACILITATOR)
    session = make_session(lead, mode=EnrolmentMode.APPROVAL, capacity=5)
    first, second = make_user(), make_user()
    approved, rejected = apply_to(session, first), apply_to(session, second)
    staff = login_as(Role.STAFF)

    client.post(f"/enrolments/{approved.id}/approve")
    client.post(f"/enrolments/{rejected.id}/reject", data={"reason": "Not from the region"})

    yes, no = entries(AuditAction.ENROLMENT_DECIDED)
    assert (yes.actor_id, yes.subject_id, yes.target_id) == (staff.id, first.id, approved.id)
    assert (yes.before["status"]["value"], yes.after["status"]["value"]) == (
        "pending",
        "confirmed",
    )
    assert (no.subject_id, no.target_id) == (second.id, rejected.id)
    assert (no.before["status"]["value"], no.after["status"]["value"]) == ("pending", "rejected")
    assert "Not from the region" not in str(no.after)
    change = listed(client.get("/audit/"))[0]["change"]
    assert change == "Status: Waiting for approval → Not accepted"


def test_a_capacity_change_is_recorded(app, make_user):
    lead = make_user(Role.FACILITATOR)
    staff = make_user(Role.STAFF)
    session = make_session(lead, capacity=5)
    zone = session.zone
    details = SessionDetails(
        programme=session.programme,
        title=session.title,
        starts_local=session.starts_at.astimezone(zone).replace(tzinfo=None),
        ends_local=session.ends_at.astimezone(zone).replace(tzinfo=None),
        region=session.region,
        venue=session.venue,
        capacity=8,
        lead_facilitator=lead,
    )
    update_session(staff, session, details)
    db.session.commit()
    update_session(staff, session, details)  # the same capacity again: nothing to record
    db.session.commit()

    (entry,) = entries(AuditAction.CAPACITY_CHANGED)
    assert (entry.actor_id, entry.target_id) == (staff.id, session.id)
    assert (entry.before, entry.after) == ({"capacity": 5}, {"capacity": 8})


def test_adding_changing_and_removing_a_quota_are_recorded(client, login_as, make_user, region):
    session = make_session(make_user(Role.FACILITATOR), capacity=10)
    staff = login_as(Role.STAFF)

    def quota_form(prefix, **values) -> dict:
        data = {"region_id": str(region.id), "cap": "", "reserved": "", "reserved_until": ""}
        return {f"{prefix}-{key}": value for key, value in {**data, **values}.items()}

    client.post(f"/sessions/{session.id}/quotas", data=quota_form("new", cap="6"))
    quota = db.session.scalar(select(SeatQuota))
    client.post(
        f"/sessions/{session.id}/quotas/{quota.id}", data=quota_form(f"quota-{quota.id}", cap="4")
    )
    client.post(f"/sessions/{session.id}/quotas/{quota.id}/delete")

    added, changed, removed = entries(AuditAction.QUOTA_CHANGED)
    assert {e.actor_id for e in (added, changed, removed)} == {staff.id}
    assert {e.target_id for e in (added, changed, removed)} == {session.id}
    assert added.before is None
    assert (added.after["cap"], added.after["region"]["labels"]["en"]) == (6, "Osh Region")
    assert (changed.before["cap"], changed.after["cap"]) == (6, 4)
    assert (removed.before["cap"], removed.after) == (4, None)
    assert listed(client.get("/audit/"))[1]["change"].startswith("Region: Osh Region → Osh Region")


def test_a_consent_change_is_recorded_and_a_new_quote_is_not(app, make_user, region):
    staff = make_user(Role.STAFF)
    quote = make_quote(make_group(region), consent=Consent.ANONYMOUS, by=staff)
    assert entries(AuditAction.CONSENT_CHANGED) == []

    withdraw_consent(quote, by=staff)
    db.session.commit()

    (entry,) = entries(AuditAction.CONSENT_CHANGED)
    assert (entry.actor_id, entry.target_id, entry.subject_id) == (staff.id, quote.id, None)
    assert entry.before["consent"]["value"] == "anonymous"
    assert entry.after["consent"]["value"] == "internal"
    assert "pseudonym" not in entry.after


PHONE = (
    "Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Mobile Safari/537.36"
)


def test_a_login_from_a_device_new_to_the_account_is_recorded(app, client, make_user):
    person = make_user(email="nargiza@example.org")

    def log_in_with_password(browser) -> None:
        response = browser.post(
            "/login",
            data={"email": "nargiza@example.org", "password": PASSWORD},
            headers={"User-Agent": PHONE},
        )
        assert response.status_code == 302
        browser.post("/logout")

    log_in_with_password(client)
    log_in_with_password(client)  # the same phone again: its device cookie vouches for it
    log_in_with_password(app.test_client())  # another phone

    first, other = entries(AuditAction.NEW_DEVICE_LOGIN)
    assert (first.actor_id, first.subject_id, first.target_id) == (person.id,) * 3
    assert other.subject_id == person.id
    assert first.before is None
    assert first.after == {"browser": "Chrome", "system": "Android"}
