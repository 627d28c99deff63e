"""Publication: what stops a programme from being published, and publishing or withdrawing it."""

from flask_babel import gettext as _

from tot.curriculum.models import Activity, ActivityKind, Programme, ProgrammeStatus
from tot.db_types import utcnow
from tot.errors import DomainError


def publication_problems(programme: Programme) -> list[str]:
    """What stops a programme from being published; an empty list when it is ready."""
    problems = []
    if not programme.modules:
        problems.append(_("Add at least one module before publishing."))
    if programme.prerequisite is not None and not programme.prerequisite.is_published:
        problems.append(
            _(
                "The required programme “%(title)s” is a draft: publish it first.",
                title=programme.prerequisite.title,
            )
        )
    for module in programme.modules:
        if not any(activity.required for activity in module.activities):
            problems.append(
                _(
                    "Module “%(title)s” has no required activity, so no one could complete it.",
                    title=module.title,
                )
            )
        for activity in module.activities:
            problem = _activity_problem(activity)
            if problem:
                problems.append(problem)
    return problems


def _activity_problem(activity: Activity) -> str | None:
    if activity.kind is ActivityKind.KNOWLEDGE_CHECK and not activity.questions:
        return _("The knowledge check “%(title)s” has no questions yet.", title=activity.title)
    if activity.kind is ActivityKind.ROLE_PLAY and activity.scenario_id is None:
        return _("The role-play “%(title)s” has no scenario yet.", title=activity.title)
    if activity.kind is ActivityKind.DISCUSSION and not (activity.body or "").strip():
        return _("The discussion “%(title)s” has no prompt yet.", title=activity.title)
    return None


def publish_programme(programme: Programme) -> None:
    problems = publication_problems(programme)
    if problems:
        raise DomainError(" ".join(problems))
    if not programme.is_published:
        programme.status = ProgrammeStatus.PUBLISHED
        programme.published_at = utcnow()


def unpublish_programme(programme: Programme) -> None:
    programme.status = ProgrammeStatus.DRAFT
    programme.published_at = None
