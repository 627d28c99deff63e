"""The demo's training sessions: schedule, enrolments in every state, attendance and role-play.

The demo is loaded once for this module (it takes a couple of seconds), then only read.
"""

from collections import Counter, defaultdict
from datetime import timedelta
from itertools import pairwise

from sqlalchemy import select

from tot.accounts.models import User
from tot.curriculum.models import ActivityKind
from tot.db_types import utcnow
from tot.demo.sessions_data import NEIGHBOURS
from tot.enrolment.models import Attendance, AttendanceStatus, Enrolment, EnrolmentStatus
from tot.extensions import db
from tot.learning.models import ActivityCompletion
from tot.notifications.models import Notification
from tot.regions.models import COUNTRY_TIMEZONES
from tot.roleplay.models import RolePlayRun
from tot.sessions.models import EnrolmentMode, SessionStatus, TrainingSession

FACILITATOR = "facilitator@example.org"
PARTICIPANT = "participant@example.org"


def all_of(model) -> list:
    return list(db.session.scalars(select(model)))


def user(email: str) -> User:
    return db.session.scalar(select(User).filter_by(email=email))


def enrolments_of(session: TrainingSession) -> list[Enrolment]:
    return list(db.session.scalars(select(Enrolment).filter_by(session_id=session.id)))


def confirmed(session: TrainingSession) -> list[Enrolment]:
    return [e for e in enrolments_of(session) if e.status is EnrolmentStatus.CONFIRMED]


def kind_of(session: TrainingSession, now) -> str:
    """past, running, upcoming, draft or cancelled."""
    if session.status in (SessionStatus.DRAFT, SessionStatus.CANCELLED):
        return session.status.value
    if session.status is SessionStatus.COMPLETED:
        return "past" if session.ends_at < now else "completed too early"
    if session.starts_at <= now < session.ends_at:
        return "running"
    return "upcoming" if now < session.starts_at else "published but over"


def test_sessions_cover_regions_of_both_countries_in_their_time_zones(demo):
    sessions = all_of(TrainingSession)
    assert len(sessions) >= 12
    assert len({session.region_id for session in sessions}) >= 6
    assert {session.region.country for session in sessions} == set(COUNTRY_TIMEZONES)
    for session in sessions:
        assert session.timezone == session.region.timezone
        assert session.timezone == COUNTRY_TIMEZONES[session.region.country]
        assert session.programme.is_published, session.title
        assert session.venue
        assert session.address
        assert session.description
        assert 12 <= session.capacity <= 25


def test_sessions_are_past_running_upcoming_draft_and_cancelled(demo):
    now = utcnow()
    kinds = defaultdict(list)
    for session in all_of(TrainingSession):
        kinds[kind_of(session, now)].append(session)
    assert set(kinds) == {"past", "running", "upcoming", "draft", "cancelled"}
    assert len(kinds["past"]) >= 3
    assert len(kinds["upcoming"]) >= 3
    for session in kinds["past"]:
        assert now - timedelta(weeks=10) < session.starts_at < now - timedelta(weeks=1)
    for session in kinds["running"]:
        assert (
            session.local_start.date() == (now.astimezone(session.zone) - timedelta(days=1)).date()
        )
    for session in kinds["upcoming"]:
        assert now + timedelta(weeks=1) <= session.starts_at <= now + timedelta(weeks=8)
        assert session.enrolment_opens_at < now < session.enrolment_closes_at, session.title
    assert all(session.cancelled_at < now for session in kinds["cancelled"])


def test_times_are_utc_local_working_days_and_ordered(demo):
    for session in all_of(TrainingSession):
        for moment in (session.starts_at, session.ends_at):
            assert moment.utcoffset() == timedelta(0)
        assert session.starts_at < session.ends_at
        assert 1 <= len(session.days) <= 3
        assert 8 <= session.local_start.hour <= 10, session.title
        assert 16 <= session.local_end.hour <= 18, session.title
        assert session.enrolment_opens_at < session.enrolment_closes_at <= session.starts_at


def test_every_enrolment_state_is_present(demo):
    enrolments = all_of(Enrolment)
    statuses = Counter(enrolment.status for enrolment in enrolments)
    assert set(statuses) == set(EnrolmentStatus)
    for enrolment in enrolments:
        assert enrolment.applied_at < enrolment.session.starts_at
        assert enrolment.applied_at <= enrolment.status_changed_at < utcnow()
        if enrolment.status is EnrolmentStatus.REJECTED:
            assert enrolment.reason
            assert enrolment.decided_by_id is not None
        if enrolment.status is EnrolmentStatus.WITHDRAWN:
            assert enrolment.withdrawn_at is not None
    assert any(e.session.enrolment_mode is EnrolmentMode.APPROVAL for e in enrolments)


def test_a_withdrawal_promoted_someone_from_a_full_session(demo):
    promotions = []
    for session in all_of(TrainingSession):
        people = enrolments_of(session)
        withdrawn = {e.withdrawn_at for e in people if e.status is EnrolmentStatus.WITHDRAWN}
        promoted = [e for e in people if e.promoted_at is not None]
        promotions += [e for e in promoted if e.promoted_at in withdrawn]
        waiting = [e for e in people if e.status is EnrolmentStatus.WAITLISTED]
        if promoted and waiting and session.status is SessionStatus.PUBLISHED:
            assert len(confirmed(session)) == session.capacity
    assert promotions
    assert all(e.status is EnrolmentStatus.CONFIRMED for e in promotions)


def test_seats_obey_capacity_and_quotas(demo):
    caps = reservations = 0
    for session in all_of(TrainingSession):
        seated = confirmed(session)
        assert len(seated) <= session.capacity, session.title
        by_region = Counter(enrolment.region_id for enrolment in seated)
        for quota in session.quotas:
            if quota.cap is not None:
                caps += 1
                assert by_region[quota.region_id] <= quota.cap, session.title
            if quota.reserved:
                reservations += 1
                assert quota.reserved_until is not None
                held = max(0, quota.reserved - by_region[quota.region_id])
                if quota.reservation_live(utcnow()):
                    assert len(seated) + held <= session.capacity
    assert caps >= 1
    assert reservations >= 1


def test_past_sessions_have_attendance_for_each_seat_and_day(demo):
    now = utcnow()
    past = [s for s in all_of(TrainingSession) if kind_of(s, now) == "past"]
    assert past
    statuses = Counter()
    for session in past:
        for enrolment in confirmed(session):
            days = {mark.day: mark for mark in enrolment.attendance}
            assert set(days) == set(session.days), session.title
            statuses.update(mark.status for mark in days.values())
            assert all(mark.recorded_by_id == session.lead_facilitator_id for mark in days.values())
    assert statuses[AttendanceStatus.PRESENT] > 0.8 * sum(statuses.values())
    assert statuses[AttendanceStatus.ABSENT] > 0
    assert statuses[AttendanceStatus.EXCUSED] > 0
    for mark in all_of(Attendance):
        assert mark.enrolment.status is EnrolmentStatus.CONFIRMED
        assert mark.recorded_at < now


def test_one_finished_role_play_run_with_groups_roles_and_debrief(demo):
    runs = [run for run in all_of(RolePlayRun) if run.finished_at is not None]
    assert len(runs) == 1
    run = runs[0]
    session, scenario = run.session, run.scenario
    assert session.status is SessionStatus.COMPLETED
    assert session.starts_at < run.created_at < run.finished_at < session.ends_at
    seated = {enrolment.user_id for enrolment in confirmed(session)}
    role_ids = {role.id for role in scenario.roles}
    players = set()
    for group in run.groups:
        assert group.debrief_notes.strip()
        assert scenario.group_min <= len(group.assignments) <= scenario.group_max
        roles = [a.role_id for a in group.assignments if a.role_id is not None]
        assert sorted(roles) == sorted(role_ids)  # every role played once, the rest observe
        players |= {assignment.user_id for assignment in group.assignments}
    assert any(a.role_id is None for group in run.groups for a in group.assignments)
    assert players <= seated
    assert len({group.debrief_notes for group in run.groups}) == len(run.groups)
    activities = [
        activity.id
        for module in session.programme.modules
        for activity in module.activities
        if activity.kind is ActivityKind.ROLE_PLAY and activity.scenario_id == scenario.id
    ]
    assert activities
    done = {
        (c.user_id, c.activity_id): c.completed_at
        for c in all_of(ActivityCompletion)
        if c.activity_id in activities
    }
    for player in players:
        assert done[(player, activities[0])] <= run.finished_at


def test_the_demo_facilitator_has_a_full_agenda(demo):
    now = utcnow()
    facilitator = user(FACILITATOR)
    theirs = [s for s in all_of(TrainingSession) if s.is_facilitated_by(facilitator)]
    assert {kind_of(s, now) for s in theirs} >= {"past", "running", "upcoming"}
    assert len([s for s in theirs if s.lead_facilitator_id == facilitator.id]) >= 3
    assert any(facilitator in s.co_facilitators for s in theirs)
    others = {s.lead_facilitator_id for s in all_of(TrainingSession)} - {facilitator.id}
    assert len(others) >= 4


def test_the_demo_participant_has_varied_sessions(demo):
    now = utcnow()
    participant = user(PARTICIPANT)
    mine = db.session.scalars(select(Enrolment).filter_by(user_id=participant.id)).all()
    states = {(kind_of(e.session, now), e.status) for e in mine}
    assert ("past", EnrolmentStatus.CONFIRMED) in states
    assert ("upcoming", EnrolmentStatus.CONFIRMED) in states
    assert states & {
        ("upcoming", EnrolmentStatus.PENDING),
        ("upcoming", EnrolmentStatus.WAITLISTED),
    }
    past = next(e for e in mine if kind_of(e.session, now) == "past")
    assert {mark.day for mark in past.attendance} == set(past.session.days)
    notified = db.session.scalars(select(Notification).filter_by(user_id=participant.id)).all()
    assert len(notified) >= len(mine)


def test_no_facilitator_is_double_booked(demo):
    by_person = defaultdict(list)
    for session in all_of(TrainingSession):
        if session.status is SessionStatus.CANCELLED:
            continue
        for person in session.facilitators:
            by_person[person.id].append(session)
    assert len(by_person) >= 5
    for sessions in by_person.values():
        sessions.sort(key=lambda s: s.starts_at)
        for earlier, later in pairwise(sessions):
            assert earlier.ends_at <= later.starts_at, (earlier.title, later.title)


def test_participants_come_mostly_from_the_region_and_its_neighbours(demo):
    for session in all_of(TrainingSession):
        people = enrolments_of(session)
        if session.programme.prerequisite is not None or not people:
            continue  # an advanced cohort gathers graduates from everywhere
        near = {session.region.name, *NEIGHBOURS[session.region.name]}
        close = sum(1 for enrolment in people if enrolment.region.name in near)
        assert close >= 0.7 * len(people), session.title


def test_nobody_holds_two_seats_at_the_same_time(demo):
    seats = defaultdict(list)
    for enrolment in all_of(Enrolment):
        if enrolment.status.is_active and enrolment.session.status is not SessionStatus.CANCELLED:
            seats[enrolment.user_id].append(enrolment.session)
    for sessions in seats.values():
        sessions.sort(key=lambda s: s.starts_at)
        for earlier, later in pairwise(sessions):
            assert earlier.ends_at <= later.starts_at


def test_notifications_are_dated_when_things_happened(demo):
    notifications = all_of(Notification)
    assert len(notifications) >= len(all_of(Enrolment))
    moments = [notification.created_at for notification in notifications]
    assert max(moments) < utcnow()
    assert len({moment.date() for moment in moments}) >= 20
    assert any(n.read_at is None for n in notifications)
    read = [n for n in notifications if n.read_at is not None]
    assert read
    assert all(n.created_at < n.read_at < utcnow() for n in read)
