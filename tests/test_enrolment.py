"""Enrolment rules (through the services and over HTTP), the session panel, my sessions, approvals.

The session factories here are shared by the roster, bulk and concurrency tests.
"""

import itertools
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tests.conftest import count_queries, field_error, flashes, log_in, page
from tests.factories import (
    apply_to,
    enrolment_of,
    local_start,
    make_programme,
    make_session,
    region_named,
    statuses,
)
from tot.accounts.models import Visitor
from tot.enrolment import queries, services
from tot.enrolment.models import Enrolment, EnrolmentStatus
from tot.enrolment.panel import Viewer, enrolment_panel
from tot.errors import DomainError
from tot.extensions import db
from tot.learning.models import ProgrammeProgress
from tot.notifications.models import Notification
from tot.permissions import Role
from tot.sessions.models import EnrolmentMode, SessionStatus

_numbers = itertools.count(1)
BISHKEK = ZoneInfo("Asia/Bishkek")


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
def lead(make_user):
    return make_user(Role.FACILITATOR)


@pytest.fixture
def participants(make_user):
    def make(number, **fields):
        return [make_user(Role.PARTICIPANT, **fields) for _ in range(number)]

    return make


# --- the rules ------------------------------------------------------------------------------------


def test_open_mode_confirms_until_full_then_waitlists(lead, participants):
    session = make_session(lead, capacity=2)
    people = participants(3)
    results = [apply_to(session, person).status for person in people]
    assert results == [
        EnrolmentStatus.CONFIRMED,
        EnrolmentStatus.CONFIRMED,
        EnrolmentStatus.WAITLISTED,
    ]
    kinds = db.session.scalars(select(Notification.kind).order_by(Notification.id)).all()
    assert kinds == ["enrolment.confirmed", "enrolment.confirmed", "enrolment.waitlisted"]
    assert queries.seats_left(session) == 0


def test_approval_mode_waits_then_approve_confirms_or_waitlists_when_full(make_user, lead):
    session = make_session(lead, capacity=1, mode=EnrolmentMode.APPROVAL)
    first, second = make_user(), make_user()
    staff = make_user(Role.STAFF)
    one, two = apply_to(session, first), apply_to(session, second)
    assert (one.status, two.status) == (EnrolmentStatus.PENDING, EnrolmentStatus.PENDING)

    services.approve(staff, one)
    db.session.commit()
    services.approve(lead, two)  # the lead facilitator decides too
    db.session.commit()
    assert statuses(session) == {
        first.id: EnrolmentStatus.CONFIRMED,
        second.id: EnrolmentStatus.WAITLISTED,
    }
    assert one.decided_by_id == staff.id
    with pytest.raises(DomainError):
        services.approve(staff, one)  # no longer pending


def test_reject_needs_a_reason_and_tells_the_person(make_user, lead):
    session = make_session(lead, mode=EnrolmentMode.APPROVAL)
    person = make_user()
    enrolment = apply_to(session, person)
    with pytest.raises(DomainError) as refused:
        services.reject(lead, enrolment, "   ")
    assert refused.value.field == "reason"
    db.session.rollback()
    assert enrolment_of(session, person).status is EnrolmentStatus.PENDING

    services.reject(lead, enrolment, "The group is for lawyers this time.")
    db.session.commit()
    enrolment = enrolment_of(session, person)
    assert enrolment.status is EnrolmentStatus.REJECTED
    assert enrolment.reason == "The group is for lawyers this time."
    assert enrolment.rejected_at is not None
    rejected = db.session.scalar(select(Notification).filter_by(kind="enrolment.rejected"))
    assert rejected.user_id == person.id
    assert rejected.params["reason"] == "The group is for lawyers this time."


def test_only_staff_and_the_lead_decide(make_user, lead):
    co = make_user(Role.FACILITATOR)
    session = make_session(lead, mode=EnrolmentMode.APPROVAL, co_facilitators=[co])
    enrolment = apply_to(session, make_user())
    for outsider in (co, make_user(Role.FACILITATOR), make_user(Role.PARTICIPANT)):
        assert not services.may_decide(outsider, session)
        with pytest.raises(DomainError):
            services.approve(outsider, enrolment)
        db.session.rollback()
    assert enrolment_of(session, enrolment.user).status is EnrolmentStatus.PENDING


def test_applying_twice_is_refused_and_the_database_holds_too(make_user, lead):
    session = make_session(lead)
    person = make_user()
    apply_to(session, person)
    with pytest.raises(DomainError, match="already applied"):
        services.apply(session, person)
    db.session.rollback()

    # Even past the rules, the partial unique index refuses a second active enrolment...
    db.session.add(
        Enrolment(
            session_id=session.id,
            user_id=person.id,
            region_id=person.region_id,
            status=EnrolmentStatus.WAITLISTED,
        )
    )
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()

    # ...but after withdrawing, a person may apply again.
    services.withdraw(person, enrolment_of(session, person))
    db.session.commit()
    assert apply_to(session, person).status is EnrolmentStatus.CONFIRMED
    assert count(Enrolment, Enrolment.user_id == person.id) == 2


def test_the_enrolment_window(make_user, lead):
    opens = local_start(3)
    closes = local_start(7)
    session = make_session(lead, opens_at=opens, closes_at=closes)
    person = make_user()
    with pytest.raises(DomainError, match="not opened yet"):
        services.apply(session, person, now=opens - timedelta(minutes=1))
    with pytest.raises(DomainError, match="closed"):
        services.apply(session, person, now=closes)
    assert apply_to(session, person, now=opens).status is EnrolmentStatus.CONFIRMED

    # Without a closing time, enrolment closes when the session starts.
    other = make_session(lead)
    with pytest.raises(DomainError, match="closed"):
        services.apply(other, person, now=other.starts_at)


def test_a_prerequisite_must_be_completed_first(make_user, lead):
    basics = make_programme(title="Basics")
    advanced = make_programme(title="Advanced", prerequisite=basics, self_paced=False)
    session = make_session(lead, programme=advanced)
    person = make_user()
    with pytest.raises(DomainError, match="Basics"):
        services.apply(session, person)
    progress = ProgrammeProgress(user_id=person.id, programme_id=basics.id)
    db.session.add(progress)
    db.session.commit()
    with pytest.raises(DomainError, match="Basics"):  # started is not completed
        services.apply(session, person)
    progress.completed_at = datetime.now(UTC)
    db.session.commit()
    assert apply_to(session, person).status is EnrolmentStatus.CONFIRMED


def test_a_cancelled_or_draft_session_refuses_applications(make_user, lead):
    person = make_user()
    for status in (SessionStatus.CANCELLED, SessionStatus.DRAFT, SessionStatus.COMPLETED):
        session = make_session(lead, status=status)
        with pytest.raises(DomainError, match="not open"):
            services.apply(session, person)
    db.session.rollback()
    assert count(Enrolment) == 0


def test_only_participants_enrol(make_user, lead):
    session = make_session(lead)
    for role in (Role.FACILITATOR, Role.STAFF, Role.ADMIN):
        with pytest.raises(DomainError, match="Only participants"):
            services.apply(session, make_user(role))
    db.session.rollback()
    assert count(Enrolment) == 0


def test_a_regional_cap(make_user, lead, make_region):
    osh, naryn = region_named("Osh Region"), region_named("Naryn Region")
    session = make_session(lead, capacity=4, quotas=[(osh, 1, None, None)])
    from_osh = [make_user(region=osh) for _ in range(2)]
    from_naryn = make_user(region=naryn)
    assert apply_to(session, from_osh[0]).status is EnrolmentStatus.CONFIRMED
    assert apply_to(session, from_osh[1]).status is EnrolmentStatus.WAITLISTED
    assert apply_to(session, from_naryn).status is EnrolmentStatus.CONFIRMED
    assert "region" in services.seat_refusal(
        session, osh.id, services.seat_counts(session), datetime.now(UTC)
    )


def test_a_live_reservation_holds_seats_until_it_ends(make_user, lead):
    osh, batken = region_named("Osh Region"), region_named("Batken Region")
    until = local_start(5)
    session = make_session(lead, capacity=3, quotas=[(batken, None, 2, until)])
    before = until - timedelta(hours=1)
    people = [make_user(region=osh) for _ in range(3)]
    assert apply_to(session, people[0], now=before).status is EnrolmentStatus.CONFIRMED
    # Two of three seats are kept for Batken until `until`.
    assert apply_to(session, people[1], now=before).status is EnrolmentStatus.WAITLISTED
    assert apply_to(session, make_user(region=batken), now=before).status is (
        EnrolmentStatus.CONFIRMED
    )
    # After the reservation ends, the last seat is open to all: first to the person waiting.
    assert apply_to(session, people[2], now=until).status is EnrolmentStatus.WAITLISTED
    assert statuses(session)[people[1].id] is EnrolmentStatus.CONFIRMED


def test_withdrawing_a_confirmed_seat_promotes_the_earliest_waitlisted_who_fits(make_user, lead):
    osh, naryn = region_named("Osh Region"), region_named("Naryn Region")
    session = make_session(lead, capacity=2, quotas=[(osh, 1, None, None)])
    start = datetime.now(UTC)
    holder = make_user(region=naryn)
    osh_holder = make_user(region=osh)
    capped_out = make_user(region=osh)  # waits first, but Osh is at its cap
    next_eligible = make_user(region=naryn)
    last = make_user(region=naryn)
    for minutes, person in enumerate([holder, osh_holder, capped_out, next_eligible, last]):
        apply_to(session, person, now=start + timedelta(minutes=minutes))
    assert statuses(session)[capped_out.id] is EnrolmentStatus.WAITLISTED

    services.withdraw(holder, enrolment_of(session, holder))
    db.session.commit()
    now = statuses(session)
    assert now[holder.id] is EnrolmentStatus.WITHDRAWN
    assert now[capped_out.id] is EnrolmentStatus.WAITLISTED  # skipped, keeps their place
    assert now[next_eligible.id] is EnrolmentStatus.CONFIRMED
    assert now[last.id] is EnrolmentStatus.WAITLISTED
    promoted = db.session.scalars(select(Notification).filter_by(kind="enrolment.promoted")).all()
    assert [n.user_id for n in promoted] == [next_eligible.id]
    assert enrolment_of(session, next_eligible).promoted_at is not None

    # When the Osh seat frees, the Osh person waiting first gets it.
    services.reject(lead, enrolment_of(session, osh_holder), "Cannot travel in winter.")
    db.session.commit()
    assert statuses(session)[capped_out.id] is EnrolmentStatus.CONFIRMED


def test_rejecting_a_confirmed_seat_promotes_the_waiting_list(make_user, lead):
    session = make_session(lead, capacity=1)
    holder, waiting = make_user(), make_user()
    apply_to(session, holder)
    apply_to(session, waiting)
    services.reject(make_user(Role.STAFF), enrolment_of(session, holder), "Duplicate account.")
    db.session.commit()
    assert statuses(session) == {
        holder.id: EnrolmentStatus.REJECTED,
        waiting.id: EnrolmentStatus.CONFIRMED,
    }
    assert count(Notification, Notification.kind == "enrolment.promoted") == 1


def test_withdrawing_a_waitlisted_place_promotes_nobody(make_user, lead):
    session = make_session(lead, capacity=1)
    holder, first, second = make_user(), make_user(), make_user()
    for person in (holder, first, second):
        apply_to(session, person)
    services.withdraw(first, enrolment_of(session, first))
    db.session.commit()
    assert statuses(session)[second.id] is EnrolmentStatus.WAITLISTED
    with pytest.raises(DomainError):
        services.withdraw(second, enrolment_of(session, holder))  # not theirs


def test_expired_reservations_release_seats_to_waiting_lists(make_user, lead):
    osh, batken = region_named("Osh Region"), region_named("Batken Region")
    until = datetime.now(UTC) + timedelta(hours=1)
    session = make_session(lead, capacity=1, quotas=[(batken, None, 1, until)])
    person = make_user(region=osh)
    assert apply_to(session, person).status is EnrolmentStatus.WAITLISTED
    assert services.promote_all_waitlists(now=until - timedelta(minutes=1)) == 0
    assert services.promote_all_waitlists(now=until) == 1
    db.session.commit()
    assert statuses(session)[person.id] is EnrolmentStatus.CONFIRMED


def test_a_confirmed_seat_opens_the_programmes_modules(client, login_as, lead):
    programme = make_programme(title="Taught", self_paced=False)
    session = make_session(lead, programme=programme, capacity=1)
    person = login_as(Role.PARTICIPANT)
    module_url = f"/modules/{programme.modules[0].id}"
    assert client.get(module_url).status_code == 403
    response = client.post(f"/sessions/{session.id}/apply")
    assert response.status_code == 302
    assert enrolment_of(session, person).status is EnrolmentStatus.CONFIRMED
    assert client.get(module_url).status_code == 200


# --- applying and withdrawing over HTTP -----------------------------------------------------------


def test_apply_over_http(client, login_as, lead, make_user):
    session = make_session(lead, capacity=1)
    apply_to(session, make_user())  # the only seat is taken
    person = login_as(Role.PARTICIPANT)
    response = client.post(f"/sessions/{session.id}/apply", follow_redirects=True)
    assert response.request.path == f"/sessions/{session.id}"
    assert "waiting list" in " ".join(flashes(page(response)))
    assert enrolment_of(session, person).status is EnrolmentStatus.WAITLISTED

    again = client.post(f"/sessions/{session.id}/apply", follow_redirects=True)
    assert "already applied" in " ".join(flashes(page(again)))
    assert count(Enrolment, Enrolment.user_id == person.id) == 1


def test_applying_to_a_missing_session_is_not_found(client, login_as):
    login_as(Role.PARTICIPANT)
    assert client.post("/sessions/999999/apply").status_code == 404
    assert client.post("/sessions/99999999999/apply").status_code == 404


def test_withdraw_over_http_only_ones_own(app, client, login_as, make_user, lead):
    session = make_session(lead, capacity=1)
    owner = make_user()
    waiting = make_user()
    seat = apply_to(session, owner)
    apply_to(session, waiting)

    login_as(Role.PARTICIPANT)  # someone else
    assert client.post(f"/enrolments/{seat.id}/withdraw").status_code == 404
    assert statuses(session)[owner.id] is EnrolmentStatus.CONFIRMED

    log_in(client, owner)
    response = client.post(f"/enrolments/{seat.id}/withdraw", follow_redirects=True)
    assert response.request.path == f"/sessions/{session.id}"
    assert statuses(session) == {
        owner.id: EnrolmentStatus.WITHDRAWN,
        waiting.id: EnrolmentStatus.CONFIRMED,
    }
    # Withdrawing twice changes nothing and says why.
    again = client.post(
        f"/enrolments/{seat.id}/withdraw", data={"back": "my_sessions"}, follow_redirects=True
    )
    assert again.request.path == "/my/sessions"
    assert "no longer active" in " ".join(flashes(page(again)))


# --- the panel on the session page ----------------------------------------------------------------


def panel_of(response):
    soup = page(response)
    assert response.status_code == 200
    return soup.select_one("#enrolment")


def test_panel_for_a_visitor_says_log_in(client, lead):
    session = make_session(lead, capacity=5)
    panel = panel_of(client.get(f"/sessions/{session.id}"))
    assert "5 seats left of 5" in panel.get_text(" ", strip=True)
    link = panel.select_one(".login-to-apply a")
    assert link["href"].startswith("/login?next=")
    assert panel.select_one("form") is None


def test_panel_for_a_participant_applies_and_withdraws(client, login_as, lead):
    session = make_session(lead, capacity=2)
    person = login_as(Role.PARTICIPANT)
    panel = panel_of(client.get(f"/sessions/{session.id}"))
    form = panel.select_one("form")
    assert form["action"] == f"/sessions/{session.id}/apply"
    assert form.select_one("input[name=csrf_token]") is not None

    client.post(form["action"])
    panel = panel_of(client.get(f"/sessions/{session.id}"))
    assert panel.select_one(".enrolment-state").get_text(" ", strip=True).endswith("Confirmed")
    assert "1 seat left of 2" in panel.get_text(" ", strip=True)
    withdraw = panel.select_one("form")
    enrolment = enrolment_of(session, person)
    assert withdraw["action"] == f"/enrolments/{enrolment.id}/withdraw"

    client.post(withdraw["action"])
    panel = panel_of(client.get(f"/sessions/{session.id}"))
    assert "Withdrawn" in panel.select_one(".enrolment-state").get_text()
    assert panel.select_one("form")["action"] == f"/sessions/{session.id}/apply"  # may re-apply


def test_panel_shows_the_reason_for_a_rejection_and_refusals(client, login_as, lead, make_user):
    basics = make_programme(title="Basics")
    session = make_session(lead, mode=EnrolmentMode.APPROVAL)
    person = login_as(Role.PARTICIPANT)
    enrolment = apply_to(session, person)
    panel = panel_of(client.get(f"/sessions/{session.id}"))
    assert "Waiting for approval" in panel.get_text()
    services.reject(lead, enrolment, "This group is for Naryn.")
    db.session.commit()
    panel = panel_of(client.get(f"/sessions/{session.id}"))
    assert panel.select_one(".rejection-reason").get_text() == "Reason: This group is for Naryn."

    needs_basics = make_session(
        lead, programme=make_programme(title="Next", prerequisite=basics, self_paced=False)
    )
    panel = panel_of(client.get(f"/sessions/{needs_basics.id}"))
    assert "Basics" in panel.select_one(".refusal").get_text()
    assert panel.select_one("form") is None

    closed = make_session(lead, closes_at=datetime.now(UTC) - timedelta(minutes=1))
    panel = panel_of(client.get(f"/sessions/{closed.id}"))
    assert "closed" in panel.select_one(".refusal").get_text()


def test_panel_warns_a_participant_when_the_session_is_full(client, login_as, lead, make_user):
    session = make_session(lead, capacity=1)
    apply_to(session, make_user())
    login_as(Role.PARTICIPANT)
    panel = panel_of(client.get(f"/sessions/{session.id}"))
    assert "waiting list" in panel.select_one(".seat-note").get_text()


def test_panel_for_managers_counts_and_links(client, login_as, lead, make_user):
    session = make_session(lead, capacity=1)
    for _ in range(3):
        apply_to(session, make_user())
    log_in(client, lead)
    panel = panel_of(client.get(f"/sessions/{session.id}"))
    counts = {li["data-status"]: li.strong.get_text() for li in panel.select(".status-counts li")}
    assert counts["confirmed"] == "1"
    assert counts["waitlisted"] == "2"
    links = {a["href"] for a in panel.select(".manager-links a")}
    assert {
        f"/sessions/{session.id}/roster",
        f"/sessions/{session.id}/attendance",
        "/approvals",
    } <= links
    assert f"/sessions/{session.id}/bulk" not in links  # staff only

    login_as(Role.STAFF)
    panel = panel_of(client.get(f"/sessions/{session.id}"))
    assert f"/sessions/{session.id}/bulk" in {a["href"] for a in panel.select("a")}


def test_session_panel_context_for_each_viewer(app, lead, make_user):
    session = make_session(lead)
    assert enrolment_panel(session, reader=Visitor()).viewer is Viewer.VISITOR
    assert enrolment_panel(session, reader=lead).viewer is Viewer.MANAGER
    other = enrolment_panel(session, reader=make_user(Role.FACILITATOR))
    assert other.viewer is Viewer.OTHER
    mine = enrolment_panel(session, reader=make_user())
    assert (mine.viewer, mine.can_apply, mine.seats_left) == (Viewer.PARTICIPANT, True, 3)


# --- my sessions ----------------------------------------------------------------------------------


def test_my_sessions_lists_upcoming_first_with_status_and_local_times(
    client, login_as, make_user, lead
):
    person = login_as(Role.PARTICIPANT)
    soon = make_session(lead, title="Soon", starts_at=local_start(3))
    later = make_session(
        lead, title="Later", starts_at=local_start(30), mode=EnrolmentMode.APPROVAL
    )
    past = make_session(lead, title="Past", starts_at=local_start(-20))
    for session in (later, soon):
        apply_to(session, person)
    db.session.add(
        Enrolment(
            session_id=past.id,
            user_id=person.id,
            region_id=person.region_id,
            status=EnrolmentStatus.CONFIRMED,
        )
    )
    db.session.commit()
    someone_else = make_session(lead, title="Not mine")
    apply_to(someone_else, make_user())

    soup = page(client.get("/my/sessions"))
    assert soup.h1.get_text() == "My sessions"
    rows = soup.select("tr.enrolment-row")
    assert [row.a.get_text() for row in rows] == ["Soon", "Later", "Past"]
    assert rows[1].select_one(".status").get_text() == "Waiting for approval"
    assert "09:00" in rows[0].select_one(".when").get_text()
    assert "Bishkek time" in rows[0].select_one(".when").get_text()
    assert rows[0].select_one("form")["action"].endswith("/withdraw")
    assert rows[2].select_one("form") is None  # over


# --- approvals ------------------------------------------------------------------------------------


def test_approvals_list_what_the_reader_may_decide(client, login_as, make_user, lead):
    own = make_session(lead, title="Own", mode=EnrolmentMode.APPROVAL)
    others = make_session(make_user(Role.FACILITATOR), title="Others", mode=EnrolmentMode.APPROVAL)
    co_led = make_session(
        make_user(Role.FACILITATOR),
        title="Co-led",
        mode=EnrolmentMode.APPROVAL,
        co_facilitators=[lead],
    )
    for session in (own, others, co_led):
        apply_to(session, make_user())

    log_in(client, lead)
    soup = page(client.get("/approvals"))
    assert [a.get_text() for a in soup.select("tr.application td a")] == ["Own"]

    login_as(Role.STAFF)
    soup = page(client.get("/approvals"))
    assert sorted(a.get_text() for a in soup.select("tr.application td a")) == [
        "Co-led",
        "Others",
        "Own",
    ]


def test_approve_and_reject_over_http(client, login_as, make_user, lead):
    session = make_session(lead, capacity=1, mode=EnrolmentMode.APPROVAL)
    first, second, third = make_user(), make_user(), make_user()
    one, two, three = (apply_to(session, person) for person in (first, second, third))
    log_in(client, lead)

    response = client.post(f"/enrolments/{one.id}/approve", follow_redirects=True)
    assert response.request.path == "/approvals"
    assert "confirmed seat" in " ".join(flashes(page(response)))
    response = client.post(f"/enrolments/{two.id}/approve", follow_redirects=True)
    assert "waiting list" in " ".join(flashes(page(response)))

    # An empty reason: the message is beside the field, and nothing changes.
    response = client.post(f"/enrolments/{three.id}/reject", data={"reason": "  "})
    assert response.status_code == 200
    assert "Give a reason" in field_error(page(response), f"reason-{three.id}")
    assert statuses(session)[third.id] is EnrolmentStatus.PENDING

    response = client.post(
        f"/enrolments/{three.id}/reject",
        data={"reason": "Please apply to the Naryn session."},
        follow_redirects=True,
    )
    assert response.request.path == "/approvals"
    assert statuses(session) == {
        first.id: EnrolmentStatus.CONFIRMED,
        second.id: EnrolmentStatus.WAITLISTED,
        third.id: EnrolmentStatus.REJECTED,
    }
    # Approving what is already decided is refused with a message, nothing changes.
    response = client.post(f"/enrolments/{three.id}/approve", follow_redirects=True)
    assert "waiting for approval" in " ".join(flashes(page(response)))
    assert statuses(session)[third.id] is EnrolmentStatus.REJECTED


def test_the_approvals_page_offers_a_reason_field_per_application(client, make_user, lead):
    session = make_session(lead, mode=EnrolmentMode.APPROVAL)
    enrolments = [apply_to(session, make_user()) for _ in range(2)]
    log_in(client, lead)
    soup = page(client.get("/approvals"))
    assert len(soup.find_all("h1")) == 1
    for enrolment in enrolments:
        form = soup.select_one(f"form[action='/enrolments/{enrolment.id}/reject']")
        assert form.select_one(f"textarea#reason-{enrolment.id}[name=reason]") is not None
        assert form.select_one("input[name=csrf_token]") is not None
    assert soup.select_one("table.stack td[data-label]") is not None


def test_approvals_take_the_same_queries_for_3_or_15_people(client, login_as, make_user):
    login_as(Role.STAFF)

    def queries_with(people: int) -> int:
        session = make_session(make_user(Role.FACILITATOR), mode=EnrolmentMode.APPROVAL)
        for _ in range(people):
            apply_to(session, make_user())
        with count_queries() as queries:
            assert client.get("/approvals").status_code == 200
        return queries.count

    few = queries_with(3)
    many = queries_with(12)  # 15 waiting in all
    assert few == many


# --- who may do what ------------------------------------------------------------------------------


@pytest.fixture
def scene(make_user, lead):
    """A session led by `lead`, in approval mode, with one confirmed and one pending enrolment."""
    session = make_session(lead, capacity=1, mode=EnrolmentMode.APPROVAL)
    holder, applicant = make_user(), make_user()
    seat = apply_to(session, holder)
    services.approve(lead, seat)
    db.session.commit()
    pending = apply_to(session, applicant)
    return session, seat, pending


def routes(session, seat, pending):
    """(method, url) of every enrolment route, about this session's people."""
    return [
        ("post", f"/sessions/{session.id}/apply"),
        ("post", f"/enrolments/{seat.id}/withdraw"),
        ("get", "/my/sessions"),
        ("get", "/approvals"),
        ("post", f"/enrolments/{pending.id}/approve"),
        ("get", f"/enrolments/{pending.id}/reject"),
        ("post", f"/enrolments/{pending.id}/reject"),
        ("get", f"/sessions/{session.id}/roster"),
        ("get", f"/sessions/{session.id}/roster.csv"),
        ("get", f"/sessions/{session.id}/attendance"),
        ("post", f"/sessions/{session.id}/attendance"),
        ("get", f"/sessions/{session.id}/bulk"),
        ("post", f"/sessions/{session.id}/bulk"),
        ("post", f"/sessions/{session.id}/bulk/confirm"),
    ]


def test_visitors_are_sent_to_log_in_everywhere(client, scene):
    for method, url in routes(*scene):
        response = getattr(client, method)(url, data={"reason": "x"})
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/login?next="), url


def test_participants_are_refused_staff_pages(client, login_as, scene):
    login_as(Role.PARTICIPANT)
    staff_routes = [route for route in routes(*scene) if "/apply" not in route[1]]
    staff_routes = [r for r in staff_routes if "withdraw" not in r[1] and "/my/" not in r[1]]
    for method, url in staff_routes:
        assert getattr(client, method)(url, data={"reason": "x"}).status_code == 403, url
    session, _seat, pending = scene
    assert statuses(session)[pending.user_id] is EnrolmentStatus.PENDING


def test_a_facilitator_of_another_session_is_refused_and_nothing_changes(client, login_as, scene):
    session, seat, pending = scene
    login_as(Role.FACILITATOR)
    for method, url in routes(*scene):
        if url in ("/approvals",):
            continue  # their own (empty) list
        response = getattr(client, method)(url, data={"reason": "Not yours."})
        assert response.status_code == 403, url
    assert statuses(session) == {
        seat.user_id: EnrolmentStatus.CONFIRMED,
        pending.user_id: EnrolmentStatus.PENDING,
    }
    assert count(Notification, Notification.kind == "enrolment.rejected") == 0


def test_a_co_facilitator_sees_the_roster_but_does_not_decide(client, make_user, lead):
    co = make_user(Role.FACILITATOR)
    session = make_session(lead, mode=EnrolmentMode.APPROVAL, co_facilitators=[co])
    pending = apply_to(session, make_user())
    log_in(client, co)
    assert client.get(f"/sessions/{session.id}/roster").status_code == 200
    assert client.get(f"/sessions/{session.id}/attendance").status_code == 200
    assert client.post(f"/enrolments/{pending.id}/approve").status_code == 403
    assert client.post(f"/enrolments/{pending.id}/reject", data={"reason": "x"}).status_code == 403
    assert statuses(session)[pending.user_id] is EnrolmentStatus.PENDING
    assert client.get(f"/sessions/{session.id}/bulk").status_code == 403


def test_missing_things_are_not_found(client, login_as):
    login_as(Role.STAFF)
    for url in ("/sessions/999999/roster", "/sessions/999999/attendance", "/sessions/999999/bulk"):
        assert client.get(url).status_code == 404
    assert client.post("/enrolments/999999/approve").status_code == 404


# --- every page -----------------------------------------------------------------------------------


def test_every_enrolment_page_has_one_h1_phone_tables_and_csrf_in_each_form(
    app, make_user, lead, database_url
):
    """With CSRF switched on: every POST form on these pages carries its token."""
    from tests.conftest import make_config
    from tot import create_app

    session = make_session(lead, capacity=1, mode=EnrolmentMode.APPROVAL)
    participant = make_user()
    seat = apply_to(session, participant)
    services.approve(lead, seat)
    db.session.commit()
    apply_to(session, make_user())
    strict = create_app(make_config(database_url, WTF_CSRF_ENABLED=True))
    staff, own = strict.test_client(), strict.test_client()
    log_in(staff, make_user(Role.STAFF))
    log_in(own, participant)
    pages = [
        (own, "/my/sessions"),
        (own, f"/sessions/{session.id}"),
        (staff, "/approvals"),
        (staff, f"/enrolments/{seat.id}/reject?back=roster"),
        (staff, f"/sessions/{session.id}/roster"),
        (staff, f"/sessions/{session.id}/attendance"),
        (staff, f"/sessions/{session.id}/bulk"),
    ]
    for client, url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        soup = page(response)
        assert len(soup.find_all("h1")) == 1, url
        for table in soup.select("main table"):
            assert "stack" in table["class"], url
            for row in table.select("tbody tr"):
                # On a phone each cell is labelled, but the first (the row's title) and actions.
                unlabelled = [
                    td
                    for td in row.find_all("td")[1:]
                    if not td.has_attr("data-label") and "actions" not in td.get("class", [])
                ]
                assert unlabelled == [], url
        for form in soup.select("main form[method=post]"):
            assert form.select_one("input[name=csrf_token]") is not None, (url, form["action"])
