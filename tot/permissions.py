"""Roles, and the one place where access to a page is decided.

Every view declares who may use it with exactly one of the decorators below. `enforce_access`
runs before every request and applies that declaration; an endpoint that declares nothing is
refused (fail closed), and a test walks `app.url_map` so that such an endpoint never ships.
Rules about particular objects (whose session, whose reflection) live in the feature's services.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from flask import abort, current_app, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from tot.extensions import login_manager


class Role(StrEnum):
    ADMIN = "admin"
    STAFF = "staff"
    FACILITATOR = "facilitator"
    PARTICIPANT = "participant"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])

    @property
    def is_staff(self) -> bool:
        """Staff, or an administrator: an administrator can do all that staff can."""
        return self in STAFF_ROLES


STAFF_ROLES = frozenset({Role.ADMIN, Role.STAFF})
ROLE_LABELS = {
    Role.ADMIN: _l("Administrator"),
    Role.STAFF: _l("Staff"),
    Role.FACILITATOR: _l("Facilitator"),
    Role.PARTICIPANT: _l("Participant"),
}


@dataclass(frozen=True)
class AccessRule:
    """Who may use an endpoint: everyone, anyone signed in, or the listed roles."""

    public: bool = False
    roles: frozenset[Role] | None = None  # None with public=False: any signed-in person

    def allows(self, user) -> bool:
        if self.public:
            return True
        if not user.is_authenticated:
            return False
        return self.roles is None or user.role in self.roles


ACCESS_ATTRIBUTE = "access_rule"
# Endpoints that Flask itself adds.
FRAMEWORK_RULES = {"static": AccessRule(public=True)}


def _declare(rule: AccessRule) -> Callable:
    def decorator(view: Callable) -> Callable:
        setattr(view, ACCESS_ATTRIBUTE, rule)
        return view

    return decorator


def public(view: Callable) -> Callable:
    """Anyone, signed in or not."""
    return _declare(AccessRule(public=True))(view)


def signed_in(view: Callable) -> Callable:
    """Any signed-in person, whatever their role."""
    return _declare(AccessRule())(view)


def roles(*allowed: Role) -> Callable:
    """Only the given roles. An administrator can do all that staff can."""
    granted = set(allowed)
    if Role.STAFF in granted:
        granted |= STAFF_ROLES
    return _declare(AccessRule(roles=frozenset(granted)))


def rule_for(endpoint: str | None) -> AccessRule | None:
    if endpoint is None:
        return None
    if endpoint in FRAMEWORK_RULES:
        return FRAMEWORK_RULES[endpoint]
    view = current_app.view_functions.get(endpoint)
    return getattr(view, ACCESS_ATTRIBUTE, None)


def may_access(user, endpoint: str) -> bool:
    rule = rule_for(endpoint)
    return rule is not None and rule.allows(user)


def enforce_access():
    """`before_request` hook: apply the endpoint's declared rule."""
    if request.endpoint is None:  # no route matched: Flask answers 404 or 405 itself
        return None
    rule = rule_for(request.endpoint)
    if rule is None:
        current_app.logger.error("Endpoint %s declares no access rule", request.endpoint)
        abort(403)
    if rule.allows(current_user):
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    abort(403)
