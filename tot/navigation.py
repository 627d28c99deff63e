"""The main navigation: each link is shown only to those the page's access rule admits."""

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from tot.i18n import Language
from tot.notifications.services import unread_count
from tot.permissions import may_access

MAIN_LINKS = [
    ("dashboard.home", _l("Dashboard")),
    ("learning.catalogue", _l("Programmes")),
    ("learning.my_programmes", _l("My programmes")),
    ("sessions.index", _l("Sessions")),
    ("enrolment.my_sessions", _l("My sessions")),
    ("cascade.mine", _l("Trainings I gave")),
    ("sessions.agenda", _l("My agenda")),
    ("enrolment.approvals", _l("Approvals")),
    ("curriculum.index", _l("Authoring")),
    ("scenarios.index", _l("Scenarios")),
    ("focusgroups.index", _l("Focus groups")),
    ("cascade.cohorts", _l("Cascade")),
    ("reports.index", _l("Reports")),
    ("admin.users", _l("Accounts")),
    ("audit.index", _l("Audit log")),
    ("regions.index", _l("Regions")),
]


def inject_navigation() -> dict:
    links = []
    if current_user.is_authenticated:
        links = [
            (endpoint, label)
            for endpoint, label in MAIN_LINKS
            if may_access(current_user, endpoint)
        ]
    unread = unread_count(current_user) if current_user.is_authenticated else 0
    return {
        "main_links": links,
        "languages": list(Language),
        "current_locale": _current_locale,
        "unread_notifications": unread,
    }


def _current_locale() -> str:
    return str(get_locale() or "en")
