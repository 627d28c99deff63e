"""Demo training sessions, enrolments, attendance and one finished role-play run.

Sessions are built from tot.demo.sessions_data at local times in their region's time zone, dated
relative to the moment the demo is loaded. Enrolments go through the enrolment services (apply,
approve, reject, withdraw) with `now=` set to instants inside each session's enrolment window, in
the order they happened, so seats, quotas, waiting lists and promotions obey the real rules.
Whatever the services stamp with the seed's own clock (notifications, the role-play's learning
progress) is then dated back to when it happened.
"""

import math
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import product

from sqlalchemy import select, update

from tot.accounts.models import User
from tot.curriculum.models import ActivityKind, Programme
from tot.db_types import utcnow
from tot.demo import sessions_data
from tot.demo.redating import redate_learning
from tot.demo.scenario_library import markdown_text
from tot.enrolment import services as enrolment
from tot.enrolment.models import Attendance, AttendanceStatus, Enrolment, EnrolmentStatus
from tot.extensions import db
from tot.learning import services as learning
from tot.notifications import services as notify
from tot.notifications.models import Notification
from tot.permissions import Role
from tot.regions.models import Region
from tot.roleplay.models import RoleAssignment, RolePlayGroup, RolePlayRun
from tot.scenarios.models import Scenario
from tot.sessions.models import EnrolmentMode, SeatQuota, SessionStatus, TrainingSession

FACILITATOR_EMAIL = "facilitator@example.org"
PARTICIPANT_EMAIL = "participant@example.org"
STAFF_EMAIL = "staff@example.org"
COUNTED = ("sessions", "enrolments", "attendance records", "role-play runs")


@dataclass
class DemoWorld:
    """What building the sessions needs, and who is already busy when."""

    rng: random.Random
    now: datetime
    regions: dict[str, Region]
    programmes: dict[str, Programme]
    scenarios: dict[str, Scenario]
    facilitators: dict[str | int, User]
    participants: list[User]
    featured: User
    staff: User
    # user id -> (starts_at, ends_at, programme id) of every session they applied to
    busy: dict[int, list[tuple[datetime, datetime, int]]] = field(
        default_factory=lambda: defaultdict(list)
    )


def _at(day: date, hhmm: str, zone) -> datetime:
    """A local wall-clock time on a day in a zone, as an aware UTC datetime."""
    hour, minute = (int(part) for part in hhmm.split(":"))
    return datetime.combine(day, time(hour, minute), tzinfo=zone).astimezone(UTC)


def _quota(data: dict, world: DemoWorld, starts_at: datetime) -> SeatQuota:
    until = data.get("until_days")
    return SeatQuota(
        region=world.regions[data["region"]],
        cap=data.get("cap"),
        reserved=data.get("reserved"),
        reserved_until=starts_at - timedelta(days=until) if until is not None else None,
    )


def _session(data: dict, world: DemoWorld) -> TrainingSession:
    region = world.regions[data["region"]]
    first = world.now.astimezone(region.zone).date() + timedelta(days=data["start_in_days"])
    starts_at = _at(first, data["hours"][0], region.zone)
    ends_at = _at(first + timedelta(days=data["days"] - 1), data["hours"][1], region.zone)
    opens = min(starts_at - timedelta(weeks=5), world.now - timedelta(days=10))
    created = opens - timedelta(days=3)
    session = TrainingSession(
        programme=world.programmes[data["programme"]],
        title=data["title"],
        description=markdown_text(data["description"]),
        starts_at=starts_at,
        ends_at=ends_at,
        region=region,
        venue=data["venue"],
        address=data["address"],
        timezone=region.timezone,
        capacity=data["capacity"],
        enrolment_opens_at=opens,
        enrolment_closes_at=starts_at - timedelta(days=2),
        enrolment_mode=data["mode"],
        lead_facilitator=world.facilitators[data["lead"]],
        co_facilitators=[world.facilitators[key] for key in data["co"]],
        # Applications need a published session; past ones are completed once enrolment is done.
        status=data["status"] if data["status"] is SessionStatus.DRAFT else SessionStatus.PUBLISHED,
        created_at=created,
        updated_at=created,
        quotas=[_quota(quota, world, starts_at) for quota in data.get("quotas", [])],
    )
    db.session.add(session)
    db.session.flush()
    return session


def _is_free(world: DemoWorld, user: User, session: TrainingSession) -> bool:
    """Not in another session at the same time, nor in another session of the same programme."""
    return all(
        programme_id != session.programme_id
        and (ends <= session.starts_at or starts >= session.ends_at)
        for starts, ends, programme_id in world.busy[user.id]
    )


def _applicants(world: DemoWorld, session: TrainingSession, count: int) -> list[User]:
    """People of the session's region first, then its neighbours, then farther away."""
    home, near = session.region.name, set(sessions_data.NEIGHBOURS[session.region.name])
    prerequisite = session.programme.prerequisite
    free = [
        user
        for user in world.participants
        if _is_free(world, user, session)
        and (prerequisite is None or learning.has_completed_programme(user, prerequisite))
    ]
    if prerequisite is None:  # else an advanced cohort, open to graduates of both countries
        country = session.region.country
        free = [
            u
            for u in free
            if u.region is not None and (u.region.name in near or u.region.country is country)
        ]

    def closeness(user: User) -> float:
        name = user.region.name if user.region is not None else None
        rank = 0.0 if name == home else 0.6 if name in near else 2.0
        return rank + world.rng.random()

    return sorted(free, key=closeness)[:count]


def _cancelled_at(world: DemoWorld, data: dict) -> datetime | None:
    days = data.get("cancelled_days_ago")
    return None if days is None else world.now - timedelta(days=days, hours=5)


def _last_moment(world: DemoWorld, session: TrainingSession, data: dict) -> datetime:
    """The latest instant anything about enrolment happened (closing, cancellation or now)."""
    ends = (session.enrolment_closes_at, world.now - timedelta(hours=1), _cancelled_at(world, data))
    return min(moment for moment in ends if moment is not None)


def _decisions(world: DemoWorld, data: dict, applications: list, last: datetime) -> list[tuple]:
    """Approval mode: the latest stay pending, some are rejected, the others approved."""
    rng = world.rng
    ordered = [(when, user) for when, _, _, user in applications if user is not world.featured]
    decided = ordered[: len(ordered) - data.get("pending", 0)]
    rejected = {
        user.id for _, user in rng.sample(decided, min(data.get("reject", 0), len(decided)))
    }
    events = []
    for applied, user in decided:
        when = min(applied + timedelta(hours=rng.uniform(6, 72)), last)
        events.append((when, 1, "reject" if user.id in rejected else "approve", user))
    return events


def _plan(world: DemoWorld, session: TrainingSession, data: dict) -> list[tuple]:
    """(when, order, action, person) for every enrolment event of a session, in time order."""
    rng, opens = world.rng, session.enrolment_opens_at
    assert opens is not None  # _session gives every demo session its enrolment window
    last = _last_moment(world, session, data)
    applicants = _applicants(world, session, data["applicants"])
    span = last - opens
    moments = sorted(opens + span * rng.uniform(0.05, 0.9) for _ in applicants)
    events: list[tuple[datetime, int, str, User | None]] = [
        (when, 0, "apply", user) for when, user in zip(moments, applicants, strict=True)
    ]
    if data.get("featured"):
        events.insert(0, (opens + timedelta(hours=20), 0, "apply", world.featured))
    if session.enrolment_mode is EnrolmentMode.APPROVAL:
        events += _decisions(world, data, events, last)
    latest = max((when for when, *_ in events), default=opens)
    for _ in range(data.get("withdraw", 0)):
        events.append((latest + (last - latest) * rng.uniform(0.3, 0.9), 2, "withdraw", None))
    return sorted(events, key=lambda event: (event[0], event[1]))


def _date_notifications(world: DemoWorld, when: datetime) -> None:
    """Notifications the services just made carry the seed's clock: date them when it happened."""
    db.session.flush()
    db.session.execute(
        update(Notification)
        .where(Notification.created_at >= world.now)
        .values(created_at=when)
        .execution_options(synchronize_session=False)  # see _mark_old_notifications_read
    )


def _withdraw_someone(world: DemoWorld, enrolments: dict, when: datetime) -> None:
    confirmed = [
        e
        for e in enrolments.values()
        if e.status is EnrolmentStatus.CONFIRMED and e.user_id != world.featured.id
    ]
    chosen = world.rng.choice(confirmed)
    enrolment.withdraw(chosen.user, chosen, now=when)


def _enrol(world: DemoWorld, session: TrainingSession, data: dict) -> dict[int, Enrolment]:
    """Play the session's enrolment events through the services; return enrolments by person."""
    enrolments: dict[int, Enrolment] = {}
    reasons = sessions_data.REJECTION_REASONS[data["programme"]]
    for when, _order, action, user in _plan(world, session, data):
        if action == "apply":
            enrolments[user.id] = enrolment.apply(session, user, now=when)
            world.busy[user.id].append((session.starts_at, session.ends_at, session.programme_id))
        elif action == "approve":
            enrolment.approve(session.lead_facilitator, enrolments[user.id], now=when)
        elif action == "reject":
            reason = world.rng.choice(reasons)
            enrolment.reject(world.staff, enrolments[user.id], reason, now=when)
        else:
            _withdraw_someone(world, enrolments, when)
        _date_notifications(world, when)
    return enrolments


def _finish(world: DemoWorld, session: TrainingSession, data: dict, enrolments: dict) -> None:
    """Past sessions are completed and cancelled ones cancelled, as staff would do."""
    touched = max([session.created_at, *(e.status_changed_at for e in enrolments.values())])
    if data["status"] is SessionStatus.COMPLETED:
        session.status = SessionStatus.COMPLETED
        touched = session.ends_at + timedelta(hours=20)
    elif data["status"] is SessionStatus.CANCELLED:
        cancelled_at = _cancelled_at(world, data)
        assert cancelled_at is not None  # the data of a cancelled session say when it was
        touched = session.cancelled_at = cancelled_at
        session.status = SessionStatus.CANCELLED
        active = [e.user for e in enrolments.values() if e.status.is_active]
        notify.session_news(session, active, "session.cancelled")
        _date_notifications(world, touched)
    # Set explicitly, so the flush does not stamp the seed's clock (the column has onupdate).
    session.updated_at = touched + timedelta(seconds=1)
    db.session.flush()


def _attendance(world: DemoWorld, session: TrainingSession, enrolments: dict) -> int:
    """Each confirmed person, each day already over, recorded by the lead facilitator."""
    today = world.now.astimezone(session.zone).date()
    weights = sessions_data.ATTENDANCE_WEIGHTS
    seats = [e for e in enrolments.values() if e.status is EnrolmentStatus.CONFIRMED]
    days = [day for day in session.days if day < today]
    for seat, day in product(seats, days):
        mark = world.rng.choices(list(weights), weights=list(weights.values()))[0]
        db.session.add(
            Attendance(
                enrolment=seat,
                day=day,
                status=mark,
                recorded_at=_at(day, "17:20", session.zone),
                recorded_by_id=session.lead_facilitator_id,
            )
        )
    db.session.flush()
    return len(seats) * len(days)


def _role_play_run(world: DemoWorld, session: TrainingSession, key: str, seats):
    """A finished run on the second day among those present: roles in order, the rest observe."""
    scenario = world.scenarios[key]
    day = session.days[min(1, len(session.days) - 1)]
    people = [
        seat.user
        for seat in seats
        for mark in seat.attendance
        if mark.day == day and mark.status is AttendanceStatus.PRESENT
    ]
    world.rng.shuffle(people)
    groups = math.ceil(len(people) / scenario.group_max)
    if groups == 0 or len(people) < groups * scenario.group_min:
        raise ValueError(f"too few people present in {session.title!r} for {key!r}")
    run = RolePlayRun(
        session=session,
        scenario=scenario,
        created_by_id=session.lead_facilitator_id,
        created_at=_at(day, "10:40", session.zone),
        finished_at=_at(day, "12:25", session.zone),
    )
    db.session.add(run)
    db.session.flush()
    roles = sorted(scenario.roles, key=lambda role: role.position)
    for number in range(groups):
        group = RolePlayGroup(
            run=run, number=number + 1, debrief_notes=sessions_data.DEBRIEF_NOTES[key][number]
        )
        for index, user in enumerate(people[number::groups]):
            role = roles[index] if index < len(roles) else None  # the rest observe
            group.assignments.append(RoleAssignment(run_id=run.id, user_id=user.id, role=role))
        db.session.add(group)
    db.session.flush()
    return run, people


def _play(world: DemoWorld, session: TrainingSession, key: str, enrolments: dict) -> None:
    seats = [e for e in enrolments.values() if e.status is EnrolmentStatus.CONFIRMED]
    run, people = _role_play_run(world, session, key, seats)
    activity = next(  # the programme's role-play activity that plays this scenario
        activity
        for module in session.programme.modules
        for activity in module.activities
        if activity.kind is ActivityKind.ROLE_PLAY and activity.scenario_id == run.scenario_id
    )
    for user in people:
        learning.mark_role_played(user, activity)
        redate_learning(user, activity, run.finished_at, world.now)
    db.session.flush()


def _mark_old_notifications_read(world: DemoWorld) -> None:
    """People have read what they were told more than a week ago."""
    old = db.session.scalars(
        select(Notification)
        .where(Notification.created_at < world.now - timedelta(days=7))
        .execution_options(populate_existing=True)  # loaded ones still hold the seed's clock
    )
    for notification in old:
        notification.read_at = notification.created_at + timedelta(hours=world.rng.randint(1, 40))
    db.session.flush()


def _world(rng: random.Random, people: dict[str, User], programmes, scenarios) -> DemoWorld:
    others = [
        user
        for email, user in people.items()
        if user.role is Role.FACILITATOR and email != FACILITATOR_EMAIL
    ]
    return DemoWorld(
        rng=rng,
        now=utcnow(),
        regions={region.name: region for region in db.session.scalars(select(Region))},
        programmes=programmes,
        scenarios=scenarios,
        facilitators={"demo": people[FACILITATOR_EMAIL], **dict(enumerate(others, start=1))},
        participants=[
            user
            for email, user in people.items()
            if user.role is Role.PARTICIPANT and email != PARTICIPANT_EMAIL
        ],
        featured=people[PARTICIPANT_EMAIL],
        staff=people[STAFF_EMAIL],
    )


def seed_sessions(
    rng: random.Random,
    people: dict[str, User],
    programmes: dict[str, Programme],
    scenarios: dict[str, Scenario],
) -> dict[str, int]:
    """Create the demo sessions with their enrolments; return counts for the seed report."""
    world = _world(rng, people, programmes, scenarios)
    counts: defaultdict[str, int] = defaultdict(int)
    for data in sessions_data.SESSIONS:
        session = _session(data, world)
        draft = data["status"] is SessionStatus.DRAFT
        enrolments = {} if draft else _enrol(world, session, data)
        _finish(world, session, data, enrolments)
        counts["attendance records"] += _attendance(world, session, enrolments)
        if data.get("role_play"):
            _play(world, session, data["role_play"], enrolments)
            counts["role-play runs"] += 1
        counts["sessions"] += 1
        counts["enrolments"] += len(enrolments)
    _mark_old_notifications_read(world)
    # The demo's people are fictional: none of what the services queued is ever emailed.
    db.session.info.pop("outbox", None)
    return {name: counts[name] for name in COUNTED}
