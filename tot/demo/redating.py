"""Re-dating learning progress that services stamped with the seed's own clock."""

from datetime import datetime, timedelta

from sqlalchemy import select

from tot.accounts.models import User
from tot.curriculum.models import Activity
from tot.extensions import db
from tot.learning import services as learning
from tot.learning.models import ActivityCompletion, ModuleCompletion


def redate_learning(user: User, activity: Activity, when: datetime, seed_clock: datetime):
    """mark_role_played stamps the seed's clock: move the progress it made to the session day.

    The run's programme has no prerequisite, so moving a start earlier breaks no rule.
    """
    programme = activity.module.programme
    ids = {a.id for module in programme.modules for a in module.activities}
    completions = db.session.scalars(
        select(ActivityCompletion).where(
            ActivityCompletion.user_id == user.id, ActivityCompletion.activity_id.in_(ids)
        )
    ).all()
    for completion in completions:
        if completion.completed_at >= seed_clock:
            completion.completed_at = when
    done = {c.activity_id: c.completed_at for c in completions}
    progress = learning.programme_progress_of(user, programme)
    assert progress is not None  # mark_role_played has just recorded progress in the programme
    if progress.started_at >= min(done.values()):  # made by mark_role_played, or started later
        progress.started_at = min(done.values()) - timedelta(hours=3)
    progress.last_active_at = max(done.values())
    modules = {module.id: module for module in programme.modules}
    rows = db.session.scalars(
        select(ModuleCompletion).where(
            ModuleCompletion.user_id == user.id, ModuleCompletion.module_id.in_(modules)
        )
    ).all()
    for row in rows:
        if row.completed_at >= seed_clock:
            required = [a.id for a in modules[row.module_id].activities if a.required]
            row.completed_at = max(done[activity_id] for activity_id in required)
    if progress.completed_at is not None and progress.completed_at >= seed_clock:
        progress.completed_at = max(row.completed_at for row in rows)
