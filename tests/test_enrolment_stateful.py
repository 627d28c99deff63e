"""Random sequences of everything that takes, frees or limits a seat keep every seat rule.

A Hypothesis state machine (`RuleBasedStateMachine`) drives one session through applications,
withdrawals, approvals, rejections, capacity and quota edits, a cancellation and the passing of
time, each step a request of its own (committed, or rolled back when refused). After every step it
reads the database and checks, on its own reckoning rather than by asking the rules it checks:

- confirmed seats never exceed the capacity;
- no region holds more confirmed seats than its cap;
- live reservations are respected: the seats taken plus those still kept for a region never
  exceed the capacity (so nobody from elsewhere took a kept seat);
- the waiting list is served in order: after each decision nobody waiting fits a free seat, so
  no newcomer was seated ahead of them (lapsed reservations included);
- nobody becomes active in a cancelled session: whoever is active there was active when it was
  cancelled, unchanged, and was told of the cancellation;
- a refused step changes nothing, and nobody holds two active enrolments in the session.

Time is the machine's: every service is given `now`, and the clock enrolment reads for itself
(when seats freed by a quota or capacity edit go to the waiting list) is the machine's too.
"""

from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import select

from tests.factories import details_of, make_session, region_named
from tot.accounts.models import User
from tot.db_types import utcnow
from tot.enrolment import services
from tot.enrolment.models import ACTIVE_STATUSES, Enrolment, EnrolmentStatus
from tot.errors import DomainError
from tot.extensions import db
from tot.notifications.models import Notification
from tot.permissions import Role
from tot.sessions import lifecycle, quotas, scheduling
from tot.sessions.local_times import local_wall
from tot.sessions.models import EnrolmentMode, SeatQuota, SessionStatus, TrainingSession

REGIONS = ("Osh Region", "Naryn Region", "Batken Region")
PEOPLE_PER_REGION = 2  # six people, more than the seats
PICK = st.integers(0, 5)
# A quota as staff give it (region, cap, reserved, reserved for how many hours from now):
# a cap, or seats reserved (for ever, or for a while), or both.
QUOTAS = st.one_of(
    st.tuples(st.sampled_from(REGIONS), st.integers(1, 2), st.none(), st.none()),
    st.tuples(
        st.sampled_from(REGIONS),
        st.none() | st.integers(1, 3),
        st.integers(1, 2),
        st.none() | st.integers(1, 3),
    ),
)

# Small enough to run in a few seconds on SQLite and PostgreSQL, in the normal suite.
STATEFUL = settings(
    max_examples=12,
    stateful_step_count=25,
    deadline=None,
    database=None,  # nothing written into the work tree
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)


class Clock:
    now: datetime = utcnow()


class SeatRules(RuleBasedStateMachine):
    def __init__(self, world: dict, clock: Clock) -> None:
        super().__init__()
        db.session.rollback()
        self.world = world
        self.clock = clock
        clock.now = utcnow()
        self.decided_at = clock.now  # the last decision on seats: the waiting list is served
        self.session_id: int | None = None
        self.at_cancel: dict[int, EnrolmentStatus] | None = None

    # --- what is there ---------------------------------------------------------------------

    @property
    def session(self) -> TrainingSession:
        return db.session.get(TrainingSession, self.session_id)

    def enrolments(self) -> list[Enrolment]:
        return list(
            db.session.scalars(
                select(Enrolment)
                .where(Enrolment.session_id == self.session_id)
                .order_by(Enrolment.applied_at, Enrolment.id)
            )
        )

    def active_enrolment(self, person) -> Enrolment | None:
        return db.session.scalar(
            select(Enrolment).where(
                Enrolment.session_id == self.session_id,
                Enrolment.user_id == person.id,
                Enrolment.status.in_(ACTIVE_STATUSES),
            )
        )

    def snapshot(self) -> tuple:
        session = self.session
        return (
            session.status,
            session.capacity,
            sorted(
                (q.region_id, q.cap, q.reserved, q.reserved_until)
                for q in db.session.scalars(
                    select(SeatQuota).where(SeatQuota.session_id == self.session_id)
                )
            ),
            [(e.id, e.status) for e in self.enrolments()],
        )

    def step(self, action, *, decides: bool = True) -> bool:
        """One request: the action at the machine's time, committed; or refused, and then
        nothing has changed. Returns whether it went through."""
        self.clock.now += timedelta(minutes=1)  # no two steps at the same instant
        before = self.snapshot()
        try:
            action(self.clock.now)
        except DomainError:
            db.session.rollback()
            assert self.snapshot() == before, "a refused step changed something"
            return False
        db.session.commit()
        if decides:
            self.decided_at = self.clock.now
        return True

    # --- the steps ---------------------------------------------------------------------------

    @initialize(
        capacity=st.integers(1, 4),
        mode=st.sampled_from(EnrolmentMode),
        quota=st.none() | QUOTAS,
        applicants=st.lists(PICK, max_size=len(REGIONS) * PEOPLE_PER_REGION),
    )
    def schedule(self, capacity: int, mode: EnrolmentMode, quota, applicants) -> None:
        """A published session, maybe with a quota, and people who have applied already."""
        session = make_session(self.world["lead"], capacity=capacity, mode=mode)
        self.session_id = session.id
        if quota is not None:
            self.set_quota(quota)
        for pick in applicants:
            self.apply(pick)

    def someone(self, pick: int, statuses) -> Enrolment | None:
        """The `pick`-th (round the list) active enrolment in one of these statuses, if any."""
        chosen = [e for e in self.enrolments() if e.status in statuses]
        return chosen[pick % len(chosen)] if chosen else None

    @rule(pick=PICK)
    def apply(self, pick: int) -> None:
        """Someone without an active enrolment applies."""
        active = {e.user_id for e in self.enrolments() if e.status.is_active}
        people = self.world["people"]  # ids
        free = [person for person in people if person not in active]
        if not free:
            return
        user = db.session.get(User, free[pick % len(free)])
        open_ = self.session.status is SessionStatus.PUBLISHED
        went = self.step(lambda now: services.apply(self.session, user, now=now))
        assert went == open_, "refused though the session is open and they have not applied"

    @rule(pick=PICK)
    def withdraw(self, pick: int) -> None:
        enrolment = self.someone(pick, ACTIVE_STATUSES)
        if enrolment is not None:
            user = enrolment.user
            went = self.step(lambda now: services.withdraw(user, enrolment, now=now))
            assert went, "an active enrolment can be withdrawn until the session ends"

    @rule(pick=PICK)
    def approve(self, pick: int) -> None:
        enrolment = self.someone(pick, ACTIVE_STATUSES)
        if enrolment is not None:
            pending = enrolment.status is EnrolmentStatus.PENDING
            published = self.session.status is SessionStatus.PUBLISHED
            went = self.step(lambda now: services.approve(self.world["staff"], enrolment, now=now))
            assert went == (pending and published)

    @rule(pick=PICK)
    def reject(self, pick: int) -> None:
        enrolment = self.someone(pick, ACTIVE_STATUSES)
        if enrolment is not None:
            went = self.step(
                lambda now: services.reject(self.world["lead"], enrolment, "No place.", now=now)
            )
            assert went, "an active enrolment can always be rejected"

    @precondition(lambda self: self.at_cancel is None)
    @rule(dice=st.integers(0, 7))
    def cancel(self, dice: int) -> None:
        """Now and then (a cancelled session has nothing more to show)."""
        if dice:
            return
        at_cancel = {e.id: e.status for e in self.enrolments() if e.status.is_active}
        if self.step(lambda now: lifecycle.cancel(self.session, now=now)):
            self.at_cancel = at_cancel

    @rule(capacity=st.integers(1, 5))
    def change_capacity(self, capacity: int) -> None:
        session = self.session
        changed = capacity != session.capacity
        self.step(
            lambda now: scheduling.update_session(
                self.world["staff"], session, details_of(session, capacity=capacity), now=now
            ),
            decides=changed,
        )

    @rule(quota=QUOTAS)
    def set_quota(self, quota: tuple) -> None:
        """Add a quota for a region, or change the one it has."""
        region, cap, reserved, hours = quota
        session = self.session
        place = region_named(region)
        existing = next((q for q in session.quotas if q.region_id == place.id), None)

        def change(now: datetime) -> None:
            until = local_wall(now + timedelta(hours=hours), session.zone) if hours else None
            values = {"region": place, "cap": cap, "reserved": reserved}
            if existing is None:
                quotas.add_quota(session, reserved_until_local=until, now=now, **values)
            else:
                quotas.update_quota(existing, reserved_until_local=until, now=now, **values)

        self.step(change)

    @rule(region=st.sampled_from(REGIONS))
    def remove_quota(self, region: str) -> None:
        place = region_named(region)
        existing = next((q for q in self.session.quotas if q.region_id == place.id), None)
        if existing is not None:
            self.step(lambda _now: quotas.delete_quota(existing))

    @rule(hours=st.integers(1, 2))
    def time_passes(self, hours: int) -> None:
        """Reservations may lapse meanwhile; nobody acts until the next step."""
        self.clock.now += timedelta(hours=hours)

    # --- what always holds ------------------------------------------------------------------

    @invariant()
    def every_seat_rule_holds(self) -> None:
        if self.session_id is None:
            return
        session = self.session  # read again: every step ends its transaction
        enrolments = self.enrolments()
        quota_list = list(
            db.session.scalars(select(SeatQuota).where(SeatQuota.session_id == self.session_id))
        )
        by_region: dict[int | None, int] = {}
        for enrolment in enrolments:
            if enrolment.status is EnrolmentStatus.CONFIRMED:
                by_region[enrolment.region_id] = by_region.get(enrolment.region_id, 0) + 1
        self.seats_within_capacity_caps_and_reservations(session, by_region, quota_list)
        self.waiting_list_served_in_order(session, enrolments, by_region, quota_list)
        self.nobody_joins_a_cancelled_session(session, enrolments)
        active = [e.user_id for e in enrolments if e.status.is_active]
        assert len(active) == len(set(active)), "two active enrolments of one person"

    def kept(self, quota_list, by_region, *, but_for=None) -> int:
        """Seats that reservations live at the last decision still keep, reckoned here."""
        return sum(
            max(0, q.reserved - by_region.get(q.region_id, 0))
            for q in quota_list
            if q.reserved
            and (q.reserved_until is None or self.decided_at < q.reserved_until)
            and q.region_id != but_for
        )

    def seats_within_capacity_caps_and_reservations(self, session, by_region, quota_list):
        total = sum(by_region.values())
        assert total <= session.capacity, "more people confirmed than seats"
        for quota in quota_list:
            if quota.cap is not None:
                assert by_region.get(quota.region_id, 0) <= quota.cap, "a region over its cap"
        assert total + self.kept(quota_list, by_region) <= session.capacity, (
            "a seat kept for a region went to someone else"
        )

    def waiting_list_served_in_order(self, session, enrolments, by_region, quota_list):
        """After a decision nobody waits who fits a free seat: nobody was passed over."""
        if session.status is not SessionStatus.PUBLISHED:
            return
        total = sum(by_region.values())
        caps = {q.region_id: q.cap for q in quota_list}
        for enrolment in enrolments:
            if enrolment.status is not EnrolmentStatus.WAITLISTED:
                continue
            region = enrolment.region_id
            cap = caps.get(region)
            fits = (
                total < session.capacity
                and (cap is None or by_region.get(region, 0) < cap)
                and session.capacity - total - self.kept(quota_list, by_region, but_for=region) > 0
            )
            assert not fits, "someone waits for a seat that is free for them"

    def nobody_joins_a_cancelled_session(self, session, enrolments):
        if self.at_cancel is None:
            return
        assert session.status is SessionStatus.CANCELLED
        active = {e.id: e.status for e in enrolments if e.status.is_active}
        for enrolment_id, status in active.items():
            assert self.at_cancel.get(enrolment_id) is status, "active after the cancellation"
        told = set(
            db.session.scalars(
                select(Notification.user_id).where(
                    Notification.kind == "session.cancelled",
                    Notification.link == f"/sessions/{self.session_id}",
                )
            )
        )
        assert {e.user_id for e in enrolments if e.id in active} <= told, "not told"


@pytest.fixture
def world(make_user):
    people = [
        make_user(region=region_named(region)).id
        for region in REGIONS
        for _ in range(PEOPLE_PER_REGION)
    ]
    return {"lead": make_user(Role.FACILITATOR), "staff": make_user(Role.STAFF), "people": people}


def test_random_sequences_keep_every_seat_rule(app, world, monkeypatch):
    clock = Clock()
    # The clock enrolment reads when no `now` is passed: seats freed by an edit go to the
    # waiting list through a hook, at the machine's time.
    monkeypatch.setattr(services, "utcnow", lambda: clock.now)
    run_state_machine_as_test(lambda: SeatRules(world, clock), settings=STATEFUL)
