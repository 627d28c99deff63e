"""Whose cascade a person sees, written once for the lists, the figures and the single report.

Staff see every cohort; a facilitator the cohorts of the sessions they lead or co-lead; a
participant only their own reports. `None` as viewer means everything: for staff reports and
dashboards that call the figures without a person.
"""

from sqlalchemy import false, select, true

from tot.accounts.models import User
from tot.cascade.models import CascadeTraining
from tot.certificates.models import Certificate
from tot.sessions.browsing import facilitated_by
from tot.sessions.models import TrainingSession


def _facilitated_session_ids(user: User):
    return select(TrainingSession.id).where(facilitated_by(user))


def cohorts_in_view(viewer: User | None):
    """A condition on TrainingSession: the cohorts whose cascade the viewer follows."""
    if viewer is None or viewer.is_staff:
        return true()
    if not viewer.is_authenticated or viewer.is_participant:
        return false()
    return facilitated_by(viewer)


def trainings_in_view(viewer: User | None):
    """A condition on CascadeTraining: the reports the viewer may read."""
    if viewer is None or viewer.is_staff:
        return true()
    if not viewer.is_authenticated:
        return false()
    if viewer.is_participant:
        return CascadeTraining.graduate_id == viewer.id
    return reviewable_by(viewer)


def reviewable_by(reviewer: User):
    """A condition on CascadeTraining: the reports the reviewer may verify or return."""
    if reviewer.is_staff:
        return true()
    if not reviewer.is_authenticated or reviewer.is_participant:
        return false()
    return CascadeTraining.certificate_id.in_(
        select(Certificate.id).where(Certificate.session_id.in_(_facilitated_session_ids(reviewer)))
    )


def may_review(user: User, training: CascadeTraining) -> bool:
    """Staff, or a facilitator (lead or co-) of the session the graduate's certificate is of."""
    if not user.is_authenticated or user.is_participant:
        return False
    return user.is_staff or training.certificate.session.is_facilitated_by(user)


def may_see(user: User, training: CascadeTraining) -> bool:
    """The graduate who gave it, and those who may review it."""
    if not user.is_authenticated:
        return False
    return training.graduate_id == user.id or may_review(user, training)
