"""Rules of learning: who may open what, starting a programme, completing activities, progress."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, false, or_, select, true
from sqlalchemy.orm import selectinload

from tot.accounts.models import User
from tot.curriculum.models import Activity, ActivityKind, Module, Programme, Question
from tot.db_types import utcnow
from tot.errors import DomainError
from tot.extensions import db
from tot.hooks import answers
from tot.learning.hooks import guides_participant, programme_opened
from tot.learning.models import (
    ActivityCompletion,
    CheckAttempt,
    ModuleCompletion,
    ProgrammeProgress,
    Reflection,
)
from tot.learning.progress import (
    completed_activity_ids,
    module_is_complete,
    progress_of,
    reflections_for_activity,
    reflections_of,
)
from tot.permissions import Role
from tot.texts import too_long

# --- access --------------------------------------------------------------------------------------


def programme_progress_of(user: User, programme: Programme) -> ProgrammeProgress | None:
    return db.session.scalar(
        select(ProgrammeProgress).where(
            ProgrammeProgress.user_id == user.id, ProgrammeProgress.programme_id == programme.id
        )
    )


def has_completed_programme(user: User, programme: Programme) -> bool:
    progress = programme_progress_of(user, programme)
    return progress is not None and progress.completed_at is not None


def can_view_content(user: User, programme: Programme) -> bool:
    """Whether a person may open a programme's modules and activities.

    Staff (and admins) see everything, drafts included, to author and preview. Facilitators may
    read published programmes. A participant reads a published programme once they have started
    it, or once they hold a confirmed seat in a session of it.
    """
    if user.is_staff:
        return True
    if not programme.is_published:
        return False
    if user.role is Role.FACILITATOR:
        return True
    if programme_progress_of(user, programme) is not None:
        return True
    return any(answers(programme_opened, user, programme=programme))


def can_record_progress(user: User, programme: Programme) -> bool:
    """Only a participant who has the programme records progress; others only preview."""
    return user.role is Role.PARTICIPANT and can_view_content(user, programme)


def ensure_progress_record(user: User, programme: Programme) -> ProgrammeProgress:
    """A participant with a confirmed seat gets the programme in "my programmes" on first use."""
    progress = programme_progress_of(user, programme)
    if progress is None:
        progress = ProgrammeProgress(
            user_id=user.id, programme_id=programme.id, started_at=utcnow()
        )
        db.session.add(progress)
        db.session.flush()
    return progress


def start_refusal(user: User, programme: Programme) -> str | None:
    """Why this participant may not start the programme on their own, or None if they may."""
    if user.role is not Role.PARTICIPANT:
        return _("Only participants take programmes.")
    if not programme.is_published:
        return _("This programme is not open yet.")
    if not programme.self_paced:
        return _("This programme is taught in sessions: apply to a session to take part.")
    if programme.prerequisite is not None and not has_completed_programme(
        user, programme.prerequisite
    ):
        return _(
            "Complete “%(title)s” first: this programme builds on it.",
            title=programme.prerequisite.title,
        )
    return None


def start_programme(user: User, programme: Programme) -> ProgrammeProgress:
    existing = programme_progress_of(user, programme)
    if existing is not None:
        return existing
    refusal = start_refusal(user, programme)
    if refusal:
        raise DomainError(refusal)
    progress = ProgrammeProgress(user_id=user.id, programme_id=programme.id, started_at=utcnow())
    db.session.add(progress)
    db.session.flush()
    return progress


# --- progress ------------------------------------------------------------------------------------


def _complete(user: User, activity: Activity) -> None:
    """Record an activity as done, then the module and programme if they are now complete."""
    now = utcnow()
    module = activity.module
    programme = module.programme
    progress = ensure_progress_record(user, programme)
    progress.last_active_at = now
    if activity.id not in completed_activity_ids(user, [activity.id]):
        db.session.add(
            ActivityCompletion(user_id=user.id, activity_id=activity.id, completed_at=now)
        )
        db.session.flush()

    if module_is_complete(user, module):
        return
    if not progress_of(
        module.activities, completed_activity_ids(user, (a.id for a in module.activities))
    ).complete:
        return
    db.session.add(ModuleCompletion(user_id=user.id, module_id=module.id, completed_at=now))
    db.session.flush()

    if progress.completed_at is not None:
        return
    completed_modules = set(
        db.session.scalars(
            select(ModuleCompletion.module_id).where(
                ModuleCompletion.user_id == user.id,
                ModuleCompletion.module_id.in_([m.id for m in programme.modules]),
            )
        )
    )
    if programme.modules and all(m.id in completed_modules for m in programme.modules):
        progress.completed_at = now


def _ensure_kind(activity: Activity, kind: ActivityKind) -> None:
    if activity.kind is not kind:
        raise DomainError(_("This action does not belong to this kind of activity."))


def mark_read(user: User, activity: Activity) -> None:
    _ensure_kind(activity, ActivityKind.THEORY)
    _complete(user, activity)


def mark_prepared(user: User, activity: Activity) -> None:
    _ensure_kind(activity, ActivityKind.ROLE_PLAY)
    _complete(user, activity)


def mark_role_played(user: User, activity: Activity) -> None:
    """Taking part in a live role-play counts as the activity done (sessions feature)."""
    _ensure_kind(activity, ActivityKind.ROLE_PLAY)
    _complete(user, activity)


MAX_REFLECTION_LENGTH = 10_000


def save_reflection(user: User, activity: Activity, text: str) -> Reflection:
    _ensure_kind(activity, ActivityKind.DISCUSSION)
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Write your reflection before saving."), field="text")
    if len(text) > MAX_REFLECTION_LENGTH:
        raise DomainError(
            too_long(MAX_REFLECTION_LENGTH),
            field="text",
        )
    if module_is_complete(user, activity.module):
        raise DomainError(_("This module is complete: its reflections can no longer be changed."))
    reflection = reflections_of(user, [activity.id]).get(activity.id)
    if reflection is None:
        reflection = Reflection(user_id=user.id, activity_id=activity.id, text=text)
        db.session.add(reflection)
    else:
        reflection.text = text
    _complete(user, activity)
    return reflection


def load_check(activity_id: int) -> Activity | None:
    return db.session.scalar(
        select(Activity)
        .where(Activity.id == activity_id)
        .options(selectinload(Activity.questions).selectinload(Question.choices))
    )


@dataclass(frozen=True)
class CheckResult:
    attempt: CheckAttempt
    wrong_question_ids: set[int]


def submit_check(user: User, activity: Activity, answers: dict[int, set[int]]) -> CheckResult:
    """Score a knowledge check. `answers` maps question ids to the chosen choice ids."""
    _ensure_kind(activity, ActivityKind.KNOWLEDGE_CHECK)
    questions = {question.id: question for question in activity.questions}
    if not questions:
        raise DomainError(_("This knowledge check has no questions yet."))
    unknown = set(answers) - set(questions)
    if unknown:
        raise DomainError(_("An answer was given to a question that is not in this check."))
    for question_id, chosen in answers.items():
        question = questions[question_id]
        if not chosen <= {choice.id for choice in question.choices}:
            raise DomainError(_("An answer was given that is not one of the question's choices."))
        if not question.multiple and len(chosen) > 1:
            raise DomainError(_("Choose only one answer to a single-choice question."))
    wrong = {qid for qid, q in questions.items() if answers.get(qid, set()) != q.correct_ids}
    score = round(100 * (len(questions) - len(wrong)) / len(questions))
    passed = score >= (activity.pass_mark or 0)
    attempt = CheckAttempt(
        user_id=user.id,
        activity_id=activity.id,
        answers={str(qid): sorted(chosen) for qid, chosen in answers.items()},
        score=score,
        passed=passed,
        submitted_at=utcnow(),
    )
    db.session.add(attempt)
    if passed:
        _complete(user, activity)
    db.session.flush()
    return CheckResult(attempt, wrong)


# --- reflections, as others read them -----------------------------------------------------------


def reflections_readable_by(reader: User) -> ColumnElement[bool]:
    """Who reads a reflection, as a condition on Reflection: the one rule, for one reflection and
    for lists alike. Its author; staff; and the facilitators who guide the author in the
    reflection's programme (they lead or co-lead a session of that programme in which the author
    holds a confirmed seat), never in another programme the author also took."""
    if reader.is_staff:
        return true()
    if not reader.is_authenticated:
        return false()
    own = Reflection.user_id == reader.id
    if reader.role is not Role.FACILITATOR:
        return own
    programme_id = (
        select(Module.programme_id)
        .join(Activity, Activity.module_id == Module.id)
        .where(Activity.id == Reflection.activity_id)
        .correlate(Reflection)  # the reflection of the query the condition is used in
        .scalar_subquery()
    )
    guided = answers(
        guides_participant, reader, participant_id=Reflection.user_id, programme_id=programme_id
    )
    return or_(own, *guided)


def can_read_reflection(viewer: User, reflection: Reflection) -> bool:
    readable = select(Reflection.id).where(
        Reflection.id == reflection.id, reflections_readable_by(viewer)
    )
    return db.session.scalar(readable) is not None


def reflections_on(activity: Activity, reader: User):
    """A select of the reflections on a discussion that `reader` may read, newest first."""
    return reflections_for_activity(activity, reflections_readable_by(reader))


# --- where to go next ----------------------------------------------------------------------------


def result_of(activity: Activity, attempt: CheckAttempt) -> CheckResult:
    """An earlier attempt's result, recomputed from its stored answers."""
    answers = {int(qid): set(chosen) for qid, chosen in (attempt.answers or {}).items()}
    wrong = {q.id for q in activity.questions if answers.get(q.id, set()) != q.correct_ids}
    return CheckResult(attempt, wrong)
