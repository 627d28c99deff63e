"""Many applications at the same instant never overfill a session or a regional cap.

Each thread is one request: its own application context, database session and connection. A
barrier releases them together. The row lock taken by the enrolment services serialises them
(on SQLite the database's write lock, with the busy timeout making writers wait).
"""

import threading

import pytest
from sqlalchemy import func, select

from tests.conftest import make_config
from tests.factories import make_session, region_named
from tot import create_app
from tot.accounts.models import User
from tot.enrolment import services
from tot.enrolment.models import Enrolment, EnrolmentSource, EnrolmentStatus
from tot.errors import DomainError
from tot.extensions import db
from tot.permissions import Role
from tot.sessions.models import EnrolmentMode, TrainingSession

THREADS = 20


def run_together(app, session_id: int, user_ids: list[int], **apply_kwargs) -> dict:
    """Apply every user at once, one thread each; returns what happened, counted."""
    barrier = threading.Barrier(len(user_ids))
    lock = threading.Lock()
    outcome = {"applied": 0, "refused": 0, "errors": []}

    def one(user_id: int) -> None:
        with app.app_context():
            try:
                session = db.session.get(TrainingSession, session_id)
                user = db.session.get(User, user_id)
                barrier.wait(timeout=30)
                services.apply(session, user, **apply_kwargs)
                db.session.commit()
                key = "applied"
            except DomainError:
                db.session.rollback()
                key = "refused"
            except Exception as error:  # anything else fails the test, below
                db.session.rollback()
                with lock:
                    outcome["errors"].append(repr(error))
                return
            finally:
                db.session.remove()
            with lock:
                outcome[key] += 1

    threads = [threading.Thread(target=one, args=(user_id,)) for user_id in user_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return outcome


def status_counts(session_id: int, **where) -> dict[EnrolmentStatus, int]:
    statement = (
        select(Enrolment.status, func.count())
        .where(Enrolment.session_id == session_id)
        .group_by(Enrolment.status)
    )
    for name, value in where.items():
        statement = statement.where(getattr(Enrolment, name) == value)
    db.session.expire_all()
    return dict(db.session.execute(statement).all())


@pytest.fixture
def lead(make_user):
    return make_user(Role.FACILITATOR)


@pytest.fixture
def racing_app(app, database_url):
    """The same database, with a connection pool big enough for every thread to hold one
    (the default pool, 5 + 10 overflow, would make the last threads queue for a connection)."""
    racing = create_app(
        make_config(
            database_url,
            SQLALCHEMY_ENGINE_OPTIONS={"pool_size": THREADS + 2, "max_overflow": THREADS},
        )
    )
    yield racing
    with racing.app_context():
        db.engine.dispose()


def test_twenty_at_once_for_three_seats(racing_app, make_user, lead):
    session = make_session(lead, capacity=3)
    user_ids = [make_user().id for _ in range(THREADS)]  # committed before the threads start
    outcome = run_together(racing_app, session.id, user_ids)
    assert outcome["errors"] == []
    assert outcome["applied"] + outcome["refused"] == THREADS
    counts = status_counts(session.id)
    assert counts.get(EnrolmentStatus.CONFIRMED) == 3
    assert counts.get(EnrolmentStatus.WAITLISTED) == outcome["applied"] - 3
    assert outcome["refused"] == 0  # nobody is refused: the others wait
    assert sum(counts.values()) == THREADS


def test_twenty_at_once_never_break_a_regional_cap(racing_app, make_user, lead):
    """Room for everyone from Naryn, and for Osh more than its cap: the cap alone must hold."""
    osh, naryn = region_named("Osh Region"), region_named("Naryn Region")
    session = make_session(lead, capacity=15, quotas=[(osh, 2, None, None)])
    from_osh = [make_user(region=osh).id for _ in range(THREADS // 2)]
    from_naryn = [make_user(region=naryn).id for _ in range(THREADS // 2)]
    outcome = run_together(racing_app, session.id, from_osh + from_naryn)
    assert outcome["errors"] == []
    assert outcome["applied"] == THREADS
    assert status_counts(session.id, region_id=osh.id) == {
        EnrolmentStatus.CONFIRMED: 2,
        EnrolmentStatus.WAITLISTED: THREADS // 2 - 2,
    }
    assert status_counts(session.id, region_id=naryn.id) == {
        EnrolmentStatus.CONFIRMED: THREADS // 2
    }


def test_twenty_at_once_for_a_capped_region_and_few_seats(racing_app, make_user, lead):
    """Capacity and cap both bind: whatever the order, neither is ever exceeded."""
    osh, naryn = region_named("Osh Region"), region_named("Naryn Region")
    session = make_session(lead, capacity=4, quotas=[(osh, 2, None, None)])
    from_osh = [make_user(region=osh).id for _ in range(THREADS // 2)]
    from_naryn = [make_user(region=naryn).id for _ in range(THREADS // 2)]
    outcome = run_together(racing_app, session.id, from_osh + from_naryn)
    assert outcome["errors"] == []
    confirmed_osh = status_counts(session.id, region_id=osh.id).get(EnrolmentStatus.CONFIRMED, 0)
    assert confirmed_osh <= 2
    counts = status_counts(session.id)
    assert counts == {EnrolmentStatus.CONFIRMED: 4, EnrolmentStatus.WAITLISTED: THREADS - 4}


def test_the_same_person_twenty_times_at_once_gets_one_enrolment(racing_app, make_user, lead):
    session = make_session(lead, capacity=3)
    person = make_user()
    outcome = run_together(racing_app, session.id, [person.id] * THREADS)
    assert outcome["errors"] == []
    assert (outcome["applied"], outcome["refused"]) == (1, THREADS - 1)
    assert status_counts(session.id) == {EnrolmentStatus.CONFIRMED: 1}


def test_bulk_enrolment_racing_self_applications_respects_capacity(racing_app, make_user, lead):
    """Staff enrolling (from a list) and participants applying share the same seats."""
    session_id = make_session(lead, capacity=4, mode=EnrolmentMode.APPROVAL).id
    user_ids = [make_user().id for _ in range(THREADS)]
    half = THREADS // 2
    results = []

    def racing(ids, **kwargs):
        results.append(run_together(racing_app, session_id, ids, **kwargs))

    threads = [
        threading.Thread(target=racing, args=(user_ids[:half],)),
        threading.Thread(
            target=racing, args=(user_ids[half:],), kwargs={"source": EnrolmentSource.BULK}
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert [r["errors"] for r in results] == [[], []]
    counts = status_counts(session_id)
    # In approval mode, self-applications wait for a decision; staff's take seats or wait.
    assert counts.get(EnrolmentStatus.PENDING) == half
    assert counts.get(EnrolmentStatus.CONFIRMED) == 4
    assert counts.get(EnrolmentStatus.WAITLISTED) == THREADS - half - 4


def test_approving_at_once_never_overfills(racing_app, make_user, lead):
    """Twenty pending applications approved by twenty requests at the same instant."""
    session = make_session(lead, capacity=3, mode=EnrolmentMode.APPROVAL)
    staff_id = make_user(Role.STAFF).id
    people = [make_user() for _ in range(THREADS)]
    enrolment_ids = [services.apply(session, person).id for person in people]
    db.session.commit()
    barrier = threading.Barrier(THREADS)
    errors = []

    def approve(enrolment_id: int) -> None:
        with racing_app.app_context():
            try:
                staff = db.session.get(User, staff_id)
                enrolment = db.session.get(Enrolment, enrolment_id)
                barrier.wait(timeout=30)
                services.approve(staff, enrolment)
                db.session.commit()
            except Exception as error:
                db.session.rollback()
                errors.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=approve, args=(e,)) for e in enrolment_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    counts = status_counts(session.id)
    assert counts == {EnrolmentStatus.CONFIRMED: 3, EnrolmentStatus.WAITLISTED: THREADS - 3}
