"""Demo participants at every stage of progress, made with the learning services.

Progress goes through the same functions a participant's clicks call (start_programme, mark_read,
save_reflection, submit_check, mark_prepared), so the demo obeys the real rules: prerequisites,
module and programme completion. Afterwards the timestamps are spread over past weeks, in the
order things happened, so that the demo does not look as if everything was done in one second.
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from tot.accounts.models import User
from tot.curriculum.models import Activity, ActivityKind, Programme
from tot.db_types import utcnow
from tot.demo.reflections import REFLECTIONS
from tot.extensions import db
from tot.learning import services
from tot.learning.models import (
    ActivityCompletion,
    CheckAttempt,
    ModuleCompletion,
    ProgrammeProgress,
    Reflection,
)
from tot.permissions import Role

ALL = 1_000  # "every module" of a programme


@dataclass(frozen=True)
class Step:
    """Start a programme, complete its first `modules`, then `activities` of the next one."""

    programme: str  # key, as returned by seed_curriculum
    modules: int = 0
    activities: int = 0  # required activities done in the next module (fewer than it has)


# (how many participants, the steps each of them took, in order)
JOURNEYS: list[tuple[int, list[Step]]] = [
    (5, [Step("women")]),  # started, nothing done yet
    (3, [Step("legal")]),
    (5, [Step("women", 0, 2)]),  # part-way through the first module
    (3, [Step("legal", 0, 1)]),
    (5, [Step("women", 1)]),  # first module complete
    (3, [Step("women", 2, 1)]),
    (4, [Step("legal", 1, 2)]),
    (4, [Step("women", ALL)]),  # whole programme complete
    (3, [Step("legal", ALL)]),  # may now start the advanced programme
    (2, [Step("legal", ALL), Step("survivors", 0, 1)]),
    (2, [Step("women", ALL), Step("legal", ALL), Step("survivors", ALL)]),
    (2, [Step("women", ALL), Step("legal", 2)]),
]

# The documented demo participant: first module of Women's Leadership done, second under way.
FEATURED_EMAIL = "participant@example.org"
FEATURED_STEPS = [Step("women", 1, 2)]

FAILED_FIRST_TRY = 0.3  # the share of knowledge checks failed once before they were passed


def _failing_count(activity: Activity) -> int:
    """How many questions to get wrong for a score under the pass mark."""
    total = len(activity.questions)
    for wrong in range(1, total):
        if round(100 * (total - wrong) / total) < (activity.pass_mark or 0):
            return wrong
    return total


def _answers(activity: Activity, wrong: int = 0) -> dict[int, set[int]]:
    """Right answers to every question, except wrong ones to the first `wrong` questions."""
    answers = {}
    for index, question in enumerate(activity.questions):
        right = {choice.id for choice in question.choices if choice.correct}
        mistake = {choice.id for choice in question.choices if not choice.correct}
        answers[question.id] = set(sorted(mistake)[:1]) if index < wrong else right
    return answers


def _do(user: User, activity: Activity, rng: random.Random, fail_rate: float) -> None:
    kind = activity.kind
    if kind is ActivityKind.THEORY:
        services.mark_read(user, activity)
    elif kind is ActivityKind.DISCUSSION:
        services.save_reflection(user, activity, rng.choice(REFLECTIONS[activity.title]))
    elif kind is ActivityKind.ROLE_PLAY:
        services.mark_prepared(user, activity)
    else:
        if rng.random() < fail_rate:
            services.submit_check(user, activity, _answers(activity, _failing_count(activity)))
        if not services.submit_check(user, activity, _answers(activity)).attempt.passed:
            raise RuntimeError(f"demo answers to {activity.title!r} do not pass")


def _walk(user: User, programme: Programme, step: Step, rng: random.Random, fail_rate: float):
    services.start_programme(user, programme)
    modules = programme.modules
    completed = min(step.modules, len(modules))
    for module in modules[:completed]:
        for activity in module.activities:
            if activity.required or rng.random() < 0.5:
                _do(user, activity, rng, fail_rate)
    if step.activities and completed < len(modules):
        required = [a for a in modules[completed].activities if a.required]
        if step.activities >= len(required):
            raise ValueError(f"{step} would complete the module, not leave it part-way")
        for activity in required[: step.activities]:
            _do(user, activity, rng, fail_rate)


def _rows(model, user: User) -> list:
    return list(
        db.session.scalars(select(model).where(model.user_id == user.id).order_by(model.id))
    )


def _spread_over_time(user: User, rng: random.Random) -> None:
    """Re-date a participant's progress over past weeks, keeping the order things happened in."""
    completions = _rows(ActivityCompletion, user)
    moment = utcnow() - timedelta(days=2 + 2 * len(completions), hours=rng.randint(0, 23))
    done_at, module_of = {}, {}
    for completion in completions:
        moment += timedelta(hours=rng.randint(2, 40), minutes=rng.randint(0, 59))
        completion.completed_at = done_at[completion.activity_id] = moment
        module_of[completion.activity_id] = completion.activity.module_id
    for attempt in _rows(CheckAttempt, user):
        when = done_at.get(attempt.activity_id, moment)
        attempt.submitted_at = when if attempt.passed else when - timedelta(minutes=30)
    for reflection in _rows(Reflection, user):
        reflection.created_at = reflection.updated_at = done_at[reflection.activity_id]
    module_done = {}
    for completion in _rows(ModuleCompletion, user):
        required = [a.id for a in completion.module.activities if a.required]
        completion.completed_at = module_done[completion.module_id] = max(
            done_at[a_id] for a_id in required
        )
    for progress in _rows(ProgrammeProgress, user):
        module_ids = {module.id for module in progress.programme.modules}
        times = sorted(when for a_id, when in done_at.items() if module_of[a_id] in module_ids)
        if not times:
            moment += timedelta(hours=rng.randint(2, 40))
            times = [moment]
        progress.started_at = times[0] - timedelta(minutes=rng.randint(5, 90))
        progress.last_active_at = times[-1]
        if progress.completed_at is not None:
            progress.completed_at = max(module_done[m_id] for m_id in module_ids)


def _journey(user, steps, programmes, rng, fail_rate=FAILED_FIRST_TRY) -> None:
    for step in steps:
        _walk(user, programmes[step.programme], step, rng, fail_rate)
    _spread_over_time(user, rng)


def seed_progress(
    rng: random.Random, people: dict[str, User], programmes: dict[str, Programme]
) -> int:
    """Give demo participants progress; return how many have some. Most others have none."""
    participants = [
        user
        for email, user in people.items()
        if user.role is Role.PARTICIPANT and email != FEATURED_EMAIL
    ]
    wanted = sum(count for count, _ in JOURNEYS)
    chosen = iter(rng.sample(participants, wanted))
    _journey(people[FEATURED_EMAIL], FEATURED_STEPS, programmes, rng, fail_rate=1.0)
    for count, steps in JOURNEYS:
        for _ in range(count):
            _journey(next(chosen), steps, programmes, rng)
    db.session.flush()
    return wanted + 1


def graduate(user: User, programme: Programme, rng: random.Random, by: datetime) -> None:
    """Complete a whole programme for a participant who has no progress yet (a graduate of one of
    its sessions, for the certificates), through the learning rules, spread over past weeks and
    finished before `by`."""
    _walk(user, programme, Step("graduate", ALL), rng, FAILED_FIRST_TRY)
    _spread_over_time(user, rng)
    progress = _rows(ProgrammeProgress, user)
    latest = max(row.completed_at or row.last_active_at for row in progress)
    if latest <= by:
        return
    shift = latest - by + timedelta(minutes=rng.randint(30, 300))
    for completion in [*_rows(ActivityCompletion, user), *_rows(ModuleCompletion, user)]:
        completion.completed_at -= shift
    for attempt in _rows(CheckAttempt, user):
        attempt.submitted_at -= shift
    for reflection in _rows(Reflection, user):
        reflection.created_at -= shift
        reflection.updated_at = reflection.created_at
    for row in progress:
        row.started_at -= shift
        row.last_active_at -= shift
        if row.completed_at is not None:
            row.completed_at -= shift
    db.session.flush()
