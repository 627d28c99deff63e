"""The sessions blueprint, and what its view modules share: loading a session, paging.

`views.py` (browsing, scheduling), `quota_views.py` and `calendar_views.py` add their routes to
this one blueprint; `views.py` imports the other two, so importing it registers every route.
"""

from flask import Blueprint, abort
from flask_login import current_user

from tot.extensions import db
from tot.permissions import Role
from tot.sessions import services
from tot.sessions.models import TrainingSession

bp = Blueprint("sessions", __name__, url_prefix="/sessions")

PER_PAGE = 20
SCHEDULERS = (Role.STAFF, Role.FACILITATOR)  # administrators too: they may do all that staff can


def visible_or_404(session_id: int) -> TrainingSession:
    """A session the reader may see: a draft is not found for those who may not manage it."""
    session = db.get_or_404(TrainingSession, session_id)
    if not services.visible_to(session, current_user):
        abort(404)
    return session


def managed_or_403(session_id: int) -> TrainingSession:
    session = db.get_or_404(TrainingSession, session_id)
    if not services.can_manage(current_user, session):
        abort(403)
    return session
