"""The holes that remained in enrolment under concurrency, each shut and held shut.

- Cancelling while people apply: an application that waited for the cancellation is refused;
  one that got in first is among the people told of it.
- Lowering the capacity (or a cap) while people apply: the edit counts seats under the session's
  lock, and an application decides on the capacity as it is once it holds the lock.
- A reservation that lapses between two decisions: its seats go to the waiting list, in order,
  before any other decision about a seat.

"Another request" is another application context: its own database session and connection, as
each request has in production. Some tests interleave two requests by hand (they fail without
the re-reading under the lock, on SQLite and PostgreSQL alike); others release many threads at
once, as `test_enrolment_concurrency` does.
"""

import threading
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.conftest import field_error, flashes, log_in, make_config, page
from tests.factories import (
    apply_to,
    details_of,
    enrol,
    enrolment_of,
    local_start,
    make_session,
    region_named,
    statuses,
)
from tot import create_app
from tot.accounts.models import User
from tot.db_types import utcnow
from tot.enrolment import services
from tot.enrolment.models import Enrolment, EnrolmentStatus
from tot.errors import DomainError
from tot.extensions import db
from tot.notifications.models import Notification
from tot.permissions import Role
from tot.regions.models import Region
from tot.sessions import hooks as session_hooks
from tot.sessions import lifecycle, quotas, scheduling
from tot.sessions.models import EnrolmentMode, SeatQuota, SessionStatus, TrainingSession

THREADS = 20


@pytest.fixture
def lead(make_user):
    return make_user(Role.FACILITATOR)


@pytest.fixture
def staff(make_user):
    return make_user(Role.STAFF)


@pytest.fixture
def racing_app(app, database_url):
    """The same database, with a connection for every thread (see test_enrolment_concurrency)."""
    racing = create_app(
        make_config(
            database_url,
            SQLALCHEMY_ENGINE_OPTIONS={"pool_size": THREADS + 4, "max_overflow": THREADS},
        )
    )
    yield racing
    with racing.app_context():
        db.engine.dispose()


@contextmanager
def another_request(app):
    """A request of its own: an application context with its own database session."""
    with app.app_context():
        try:
            yield
        finally:
            db.session.remove()


def fresh(model, key):
    db.session.expire_all()
    return db.session.get(model, key)


def confirmed(session_id: int) -> int:
    db.session.expire_all()
    return db.session.scalar(
        select(func.count()).where(
            Enrolment.session_id == session_id, Enrolment.status == EnrolmentStatus.CONFIRMED
        )
    )


def told(kind: str) -> set[int]:
    return set(db.session.scalars(select(Notification.user_id).where(Notification.kind == kind)))


def run_threads(actions, timeout=120) -> list[str]:
    """Run each action in a thread of its own, released together; returns unexpected errors."""
    barrier = threading.Barrier(len(actions))
    errors: list[str] = []

    def run(action) -> None:
        try:
            barrier.wait(timeout=30)
            action()
        except Exception as error:  # anything else fails the test
            errors.append(repr(error))

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads)
    return errors


def applying(app, session_id: int, user_id: int, outcome: dict):
    """An action: the person applies, in a request of their own."""

    def act() -> None:
        with another_request(app):
            session = db.session.get(TrainingSession, session_id)
            user = db.session.get(User, user_id)
            try:
                services.apply(session, user)
                db.session.commit()
                outcome["applied"].append(user_id)
            except DomainError:
                db.session.rollback()
                outcome["refused"].append(user_id)

    return act


# --- cancelling while people apply ----------------------------------------------------------------


def test_an_application_that_waited_for_a_cancellation_is_refused(racing_app, make_user, lead):
    session_id = make_session(lead, capacity=3).id
    person_id = make_user().id
    with another_request(racing_app):
        session = db.session.get(TrainingSession, session_id)
        person = db.session.get(User, person_id)
        # The application was read (and looked fine) before the session was cancelled...
        assert services.application_refusal(session, person, utcnow()) is None
        with another_request(racing_app):
            lifecycle.cancel(db.session.get(TrainingSession, session_id))
            db.session.commit()
        # ...and reaches the seats after: it reads the session again, and is refused.
        with pytest.raises(DomainError, match="not open for enrolment"):
            services.apply(session, person)
        db.session.rollback()
    assert statuses(fresh(TrainingSession, session_id)) == {}
    assert told("enrolment.confirmed") == set()


def test_an_approval_that_waited_for_a_cancellation_is_refused(racing_app, make_user, lead):
    session = make_session(lead, capacity=3, mode=EnrolmentMode.APPROVAL)
    enrolment_id = apply_to(session, make_user()).id
    lead_id, session_id = lead.id, session.id
    with another_request(racing_app):
        enrolment = db.session.get(Enrolment, enrolment_id)
        assert enrolment.session.status is SessionStatus.PUBLISHED
        with another_request(racing_app):
            lifecycle.cancel(db.session.get(TrainingSession, session_id))
            db.session.commit()
        with pytest.raises(DomainError, match="not open for enrolment"):
            services.approve(db.session.get(User, lead_id), enrolment)
        db.session.rollback()
    assert fresh(Enrolment, enrolment_id).status is EnrolmentStatus.PENDING


def test_applications_racing_a_cancellation_are_refused_or_told(racing_app, make_user, lead, staff):
    """Everyone active in the cancelled session heard of the cancellation; nobody else did."""
    session_id = make_session(lead, capacity=5).id
    user_ids = [make_user().id for _ in range(THREADS - 1)]
    outcome: dict[str, list[int]] = {"applied": [], "refused": []}

    def cancelling() -> None:
        with another_request(racing_app):
            lifecycle.cancel(db.session.get(TrainingSession, session_id))
            db.session.commit()

    actions = [applying(racing_app, session_id, user_id, outcome) for user_id in user_ids]
    errors = run_threads([*actions[: THREADS // 2], cancelling, *actions[THREADS // 2 :]])
    assert errors == []
    assert sorted(outcome["applied"] + outcome["refused"]) == sorted(user_ids)
    session = fresh(TrainingSession, session_id)
    assert session.status is SessionStatus.CANCELLED
    active = {user for user, status in statuses(session).items() if status.is_active}
    assert active == set(outcome["applied"])
    assert told("session.cancelled") == active
    # Whoever was confirmed got in before the cancellation, and heard of both.
    assert told("enrolment.confirmed") <= active


# --- lowering the capacity while people apply ----------------------------------------------------


def test_an_application_decides_on_the_capacity_as_it_is_once_locked(
    racing_app, make_user, lead, staff
):
    session = make_session(lead, capacity=3)
    for _ in range(2):
        apply_to(session, make_user())
    session_id, person_id, staff_id = session.id, make_user().id, staff.id
    with another_request(racing_app):
        session = db.session.get(TrainingSession, session_id)
        person = db.session.get(User, person_id)
        assert session.capacity == 3  # read before the edit
        with another_request(racing_app):
            edited = db.session.get(TrainingSession, session_id)
            scheduling.update_session(
                db.session.get(User, staff_id), edited, details_of(edited, capacity=2)
            )
            db.session.commit()
        enrolment = services.apply(session, person)
        db.session.commit()
        assert enrolment.status is EnrolmentStatus.WAITLISTED
    assert confirmed(session_id) == 2
    assert fresh(TrainingSession, session_id).capacity == 2


def test_a_capacity_edit_counts_the_seats_under_the_lock(racing_app, make_user, lead, staff):
    """An application arriving while the edit counts the seats waits for the edit, then decides
    on the new capacity: the session is never left with more people than seats."""
    session = make_session(lead, capacity=3)
    for _ in range(2):
        apply_to(session, make_user())
    session_id, person_id, staff_id = session.id, make_user().id, staff.id
    outcome: dict[str, list[int]] = {"applied": [], "refused": []}
    latecomer = threading.Thread(target=applying(racing_app, session_id, person_id, outcome))
    editing = threading.get_ident()

    def meanwhile(_sender=None, **_kwargs) -> dict:
        """While the edit counts the seats, another request applies (at most a second)."""
        if threading.get_ident() == editing and not latecomer.is_alive():
            latecomer.start()
            latecomer.join(timeout=1)
        return {}

    counting = (session_hooks.confirmed_seats, session_hooks.confirmed_by_region)
    for hook in counting:  # however the edit counts the seats
        hook.connect(meanwhile, weak=False)
    try:
        with another_request(racing_app):
            edited = db.session.get(TrainingSession, session_id)
            try:
                scheduling.update_session(
                    db.session.get(User, staff_id), edited, details_of(edited, capacity=2)
                )
                db.session.commit()
            except DomainError:
                db.session.rollback()
    finally:
        for hook in counting:
            hook.disconnect(meanwhile)
        if latecomer.ident is not None:
            latecomer.join(timeout=60)
    assert outcome["applied"] == [person_id]
    session = fresh(TrainingSession, session_id)
    assert confirmed(session_id) <= session.capacity
    assert (session.capacity, confirmed(session_id)) == (2, 2)  # the edit went first
    assert statuses(session)[person_id] is EnrolmentStatus.WAITLISTED


def test_applications_racing_a_lower_capacity_never_overbook(racing_app, make_user, lead, staff):
    session = make_session(lead, capacity=THREADS)
    for _ in range(THREADS // 2):
        apply_to(session, make_user())
    session_id, staff_id = session.id, staff.id
    user_ids = [make_user().id for _ in range(THREADS - 1)]
    outcome: dict[str, list[int]] = {"applied": [], "refused": []}
    edit: dict[str, str] = {}

    def lowering() -> None:
        with another_request(racing_app):
            edited = db.session.get(TrainingSession, session_id)
            try:
                scheduling.update_session(
                    db.session.get(User, staff_id),
                    edited,
                    details_of(edited, capacity=THREADS // 2 + 2),
                )
                db.session.commit()
                edit["outcome"] = "saved"
            except DomainError as error:
                db.session.rollback()
                edit["outcome"] = error.message

    actions = [applying(racing_app, session_id, user_id, outcome) for user_id in user_ids]
    assert run_threads([*actions[:5], lowering, *actions[5:]]) == []
    assert sorted(outcome["applied"]) == sorted(user_ids)  # everyone applies: seat or wait
    session = fresh(TrainingSession, session_id)
    assert confirmed(session_id) <= session.capacity
    if edit["outcome"] == "saved":
        assert session.capacity == THREADS // 2 + 2
    else:
        assert "confirmed seat" in edit["outcome"]
        assert session.capacity == THREADS


def test_an_application_decides_on_a_cap_added_while_it_waited(racing_app, make_user, lead, staff):
    osh = region_named("Osh Region")
    session = make_session(lead, capacity=5)
    apply_to(session, make_user(region=osh))
    session_id, person_id = session.id, make_user(region=osh).id
    with another_request(racing_app):
        session = db.session.get(TrainingSession, session_id)
        person = db.session.get(User, person_id)
        assert session.quotas == []  # as the session's page read it
        with another_request(racing_app):
            quotas.add_quota(
                db.session.get(TrainingSession, session_id),
                region=db.session.get(Region, osh.id),
                cap=1,
            )
            db.session.commit()
        assert services.apply(session, person).status is EnrolmentStatus.WAITLISTED
        db.session.commit()
    assert confirmed(session_id) == 1


# --- what staff change is checked against the seats as they are ----------------------------------


def test_a_cap_below_the_regions_confirmed_seats_is_refused(client, make_user, lead, staff):
    osh, naryn = region_named("Osh Region"), region_named("Naryn Region")
    session = make_session(lead, capacity=6)
    for person in (make_user(region=osh), make_user(region=osh), make_user(region=naryn)):
        apply_to(session, person)
    log_in(client, staff)
    form = {
        "new-region_id": str(osh.id),
        "new-cap": "1",
        "new-reserved": "",
        "new-reserved_until": "",
    }
    response = client.post(f"/sessions/{session.id}/quotas", data=form)
    assert response.status_code == 200
    assert "2 people from this region already have a confirmed seat" in field_error(
        page(response), "new-cap"
    )
    assert db.session.scalar(select(func.count()).select_from(SeatQuota)) == 0
    form["new-cap"] = "2"
    assert client.post(f"/sessions/{session.id}/quotas", data=form).status_code == 302


def test_a_reservation_never_keeps_seats_others_hold(make_user, lead):
    osh, batken = region_named("Osh Region"), region_named("Batken Region")
    session = make_session(lead, capacity=4)
    for _ in range(3):
        apply_to(session, make_user(region=osh))
    with pytest.raises(DomainError, match="At most 1 seat can be reserved") as refused:
        quotas.add_quota(session, region=batken, reserved=2)
    assert refused.value.field == "reserved"
    db.session.rollback()
    # A reservation that has lapsed keeps nothing: it may say what it likes.
    lapsed = local_start(-1).replace(tzinfo=None)
    quotas.add_quota(session, region=batken, reserved=2, reserved_until_local=lapsed)
    db.session.commit()


def test_a_capacity_below_the_seats_taken_and_kept_is_refused(make_user, lead, staff):
    osh, batken = region_named("Osh Region"), region_named("Batken Region")
    session = make_session(lead, capacity=6, quotas=[(batken, None, 3, None)])
    for _ in range(2):
        apply_to(session, make_user(region=osh))
    # 2 taken by Osh and 3 kept for Batken: 5 seats.
    with pytest.raises(DomainError, match="5 seats are taken or reserved") as refused:
        scheduling.update_session(staff, session, details_of(session, capacity=4))
    assert refused.value.field == "capacity"
    db.session.rollback()
    scheduling.update_session(staff, session, details_of(session, capacity=5))
    db.session.commit()
    assert fresh(TrainingSession, session.id).capacity == 5


def test_removing_a_quota_of_a_session_cancelled_meanwhile_changes_nothing(
    client, make_user, lead, staff
):
    session = make_session(lead, capacity=4, quotas=[(region_named("Osh Region"), 2, None, None)])
    quota_id = session.quotas[0].id
    log_in(client, staff)
    lifecycle.cancel(session)
    db.session.commit()
    response = client.post(
        f"/sessions/{session.id}/quotas/{quota_id}/delete", follow_redirects=True
    )
    assert response.status_code == 200
    assert "cancelled session can no longer be changed" in " ".join(flashes(page(response)))
    assert db.session.get(SeatQuota, quota_id) is not None


def test_a_quota_removed_meanwhile(make_user, lead, racing_app):
    """Changing it says so; removing it again is no error (it is gone, as asked)."""
    osh, naryn = region_named("Osh Region"), region_named("Naryn Region")
    session = make_session(lead, capacity=4, quotas=[(osh, 2, None, None), (naryn, 2, None, None)])
    to_change, to_remove = (quota.id for quota in session.quotas)

    def meanwhile_removed(quota_id: int) -> None:
        with another_request(racing_app):
            quotas.delete_quota(db.session.get(SeatQuota, quota_id))
            db.session.commit()

    with another_request(racing_app):
        changing = db.session.get(SeatQuota, to_change)
        region = changing.region
        meanwhile_removed(to_change)
        with pytest.raises(DomainError, match="removed meanwhile"):
            quotas.update_quota(changing, region=region, cap=3)
        db.session.rollback()
    with another_request(racing_app):
        removing = db.session.get(SeatQuota, to_remove)
        meanwhile_removed(to_remove)
        quotas.delete_quota(removing)
        db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(SeatQuota)) == 0


# --- a reservation lapses between two decisions ---------------------------------------------------


@pytest.fixture
def lapsing(make_user, lead):
    """One seat, kept for Batken until a minute ago (`until`); an Osh person waits for it since
    before. Nobody has acted on the session since the reservation lapsed."""
    osh, batken = region_named("Osh Region"), region_named("Batken Region")
    until = utcnow() - timedelta(minutes=1)
    session = make_session(lead, capacity=1, quotas=[(batken, None, 1, until)])
    waiting = make_user(region=osh)
    assert apply_to(session, waiting, now=until - timedelta(hours=1)).status is (
        EnrolmentStatus.WAITLISTED
    )
    return session, waiting, until, osh


def test_a_newcomer_after_the_lapse_waits_behind_the_waiting_list(lapsing, make_user):
    session, waiting, until, osh = lapsing
    newcomer = make_user(region=osh)
    assert apply_to(session, newcomer, now=until).status is EnrolmentStatus.WAITLISTED
    assert statuses(session) == {
        waiting.id: EnrolmentStatus.CONFIRMED,
        newcomer.id: EnrolmentStatus.WAITLISTED,
    }
    assert told("enrolment.promoted") == {waiting.id}
    assert told("enrolment.confirmed") == set()


def test_an_approval_after_the_lapse_serves_the_waiting_list_first(make_user, lead, staff):
    osh, batken = region_named("Osh Region"), region_named("Batken Region")
    until = utcnow() - timedelta(minutes=1)
    session = make_session(
        lead, capacity=1, mode=EnrolmentMode.APPROVAL, quotas=[(batken, None, 1, until)]
    )
    waiting, newcomer = make_user(region=osh), make_user(region=osh)
    earlier = until - timedelta(hours=1)
    services.approve(staff, apply_to(session, waiting, now=earlier), now=earlier)
    pending = apply_to(session, newcomer, now=earlier)
    db.session.commit()
    assert statuses(session)[waiting.id] is EnrolmentStatus.WAITLISTED
    services.approve(staff, pending, now=until)
    db.session.commit()
    assert statuses(session) == {
        waiting.id: EnrolmentStatus.CONFIRMED,
        newcomer.id: EnrolmentStatus.WAITLISTED,
    }


def test_any_change_after_the_lapse_serves_the_waiting_list(lapsing, make_user):
    """Even one that frees no seat: withdrawing from the waiting list."""
    session, waiting, until, osh = lapsing
    other = make_user(region=osh)
    apply_to(session, other, now=until - timedelta(minutes=30))
    services.withdraw(other, enrolment_of(session, other), now=until)
    db.session.commit()
    assert statuses(session)[waiting.id] is EnrolmentStatus.CONFIRMED


def test_a_quota_edit_after_the_lapse_serves_the_waiting_list(lapsing, make_user):
    session, waiting, until, osh = lapsing
    quotas.add_quota(session, region=osh, cap=1, now=until)
    db.session.commit()
    assert statuses(session)[waiting.id] is EnrolmentStatus.CONFIRMED


def test_a_cancelled_session_serves_nobody(lapsing, make_user):
    session, waiting, until, osh = lapsing
    lifecycle.cancel(session, now=until - timedelta(minutes=5))
    db.session.commit()
    assert services.promote_waitlisted(session, now=until) == []
    with pytest.raises(DomainError, match="not open"):
        services.apply(session, make_user(region=osh), now=until)
    db.session.rollback()
    assert statuses(session) == {waiting.id: EnrolmentStatus.WAITLISTED}
    enrol(session, make_user(region=osh), EnrolmentStatus.WAITLISTED)
    assert services.promote_all_waitlists(now=until) == 0
