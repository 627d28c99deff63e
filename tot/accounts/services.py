"""Rules about accounts: registration, signing in, passwords, roles and deactivation."""

from dataclasses import dataclass
from functools import cache

from flask import current_app, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, or_, select
from werkzeug.security import check_password_hash, generate_password_hash

from tot.accounts.hooks import ALREADY_REGISTERED, CHOOSE_PASSWORD, email_person
from tot.accounts.models import AgeGroup, Gender, PrivacyAgreement, User
from tot.db_types import utcnow
from tot.errors import DomainError
from tot.extensions import db
from tot.hooks import answers
from tot.i18n import Language
from tot.permissions import Role
from tot.regions.hooks import people_per_region
from tot.regions.models import Region

MIN_PASSWORD_LENGTH = 10


@cache
def _unknown_user_hash() -> str:
    """Checked for an unknown email, so that it costs as long as a wrong password."""
    return generate_password_hash("not anybody's password")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def _ensure_email_free(email: str, owner: User | None = None) -> None:
    existing = find_by_email(email)
    if existing is not None and existing is not owner:
        raise DomainError(_("An account with this email address already exists."), field="email")


def _ensure_region_open(region: Region | None) -> None:
    if region is not None and region.is_retired:
        raise DomainError(
            _("This region is no longer offered. Please choose another."), field="region"
        )


@dataclass(frozen=True)
class Registration:
    """What a person registering as a participant tells about themselves."""

    full_name: str
    email: str
    region: Region
    gender: Gender
    age_group: AgeGroup
    language: Language
    phone: str | None
    notice_version: str  # the privacy notice they agreed to


def register_participant(registration: Registration, password: str) -> User:
    """A participant registering, where the answer may say that the address is taken."""
    _ensure_email_free(registration.email)
    _ensure_region_open(registration.region)
    return _new_participant(registration, password)


def can_email_people() -> bool:
    """Whether email reaches people: an SMTP server is set, and a feature sends the email."""
    return bool(current_app.config.get("SMTP_HOST")) and bool(email_person.receivers)


def register_by_email(registration: Registration) -> None:
    """A participant registering where email reaches people (`can_email_people`).

    The answer is the same whether the address has an account or not; what happened is told by
    email, to the address's owner only:
    - a new address: the account is made without a password, and its owner gets a link to choose
      one (following it also shows that the address is theirs);
    - an active account still without a password: a fresh link to choose it;
    - an active account with a password: a note that the address has an account, and a link to
      log in. A deactivated account is told nothing.
    """
    _ensure_region_open(registration.region)
    existing = find_by_email(registration.email)
    if existing is None:
        _email_link_to_choose_password(_new_participant(registration, password=None))
    elif existing.active and not existing.has_password:
        _email_link_to_choose_password(existing)
    elif existing.active:
        link = url_for("accounts.login")
        answers(email_person, user=existing, kind=ALREADY_REGISTERED, link=link)


def _email_link_to_choose_password(user: User) -> None:
    link = url_for("accounts.set_password", token=set_password_token(user))
    answers(email_person, user=user, kind=CHOOSE_PASSWORD, link=link)


def _new_participant(registration: Registration, password: str | None) -> User:
    user = User(
        full_name=registration.full_name.strip(),
        email=normalise_email(registration.email),
        role=Role.PARTICIPANT,
        region=registration.region,
        gender=registration.gender,
        age_group=registration.age_group,
        language=registration.language,
        phone=(registration.phone or "").strip() or None,
    )
    if password is not None:
        user.set_password(password)
    db.session.add(user)
    agreement = PrivacyAgreement(
        user=user, notice_version=registration.notice_version, agreed_at=utcnow()
    )
    db.session.add(agreement)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active account with this email and password, or None — never saying which part failed."""
    user = find_by_email(email)
    if user is None or user.password_hash is None:
        check_password_hash(_unknown_user_hash(), password)
        return None
    if not user.check_password(password) or not user.is_active:
        return None
    return user


LOGIN_MESSAGE = _l("Please log in to see this page.")


def record_login(user: User) -> None:
    user.last_login_at = utcnow()


def change_password(user: User, current_password: str, new_password: str) -> None:
    if not user.check_password(current_password):
        raise DomainError(_("Your current password is not correct."), field="current_password")
    user.set_password(new_password)


def update_profile(user: User, **fields) -> None:
    """Update a person's own details. `fields` are the profile form's fields."""
    if "email" in fields:
        _ensure_email_free(fields["email"], owner=user)
        fields["email"] = normalise_email(fields["email"])
    if "region" in fields and fields["region"] is not user.region:
        _ensure_region_open(fields["region"])
    if "phone" in fields:
        fields["phone"] = (fields["phone"] or "").strip() or None
    if "full_name" in fields:
        fields["full_name"] = fields["full_name"].strip()
    for name, value in fields.items():
        setattr(user, name, value)


# --- administration -----------------------------------------------------------------------------


def search_users(query: str = "", role: Role | None = None, include_inactive: bool = True):
    """A select of people matching a name or email fragment, newest first."""
    statement = select(User).order_by(User.full_name, User.id)
    query = query.strip()
    if query:
        needle = query.lower()
        statement = statement.where(
            or_(
                func.lower(User.full_name).contains(needle, autoescape=True),
                User.email.contains(needle, autoescape=True),
            )
        )
    if role is not None:
        statement = statement.where(User.role == role)
    if not include_inactive:
        statement = statement.where(User.active.is_(True))
    return statement


def create_account(
    *,
    full_name: str,
    email: str,
    role: Role,
    region: Region | None = None,
    language: Language = Language.ENGLISH,
) -> User:
    """An account made by staff; its owner chooses a password through a one-time link.

    `language` is what its notifications and pages speak until the owner chooses another."""
    _ensure_email_free(email)
    _ensure_region_open(region)
    user = User(
        full_name=full_name.strip(),
        email=normalise_email(email),
        role=role,
        region=region,
        language=language,
    )
    db.session.add(user)
    db.session.flush()
    return user


def _is_last_active_admin(user: User) -> bool:
    if user.role is not Role.ADMIN or not user.active:
        return False
    admins = db.session.execute(
        select(func.count()).select_from(User).where(User.role == Role.ADMIN, User.active.is_(True))
    ).scalar_one()
    return admins <= 1


def change_role(actor: User, user: User, role: Role) -> None:
    if user.role is role:
        return
    if user.id == actor.id:
        raise DomainError(_("You cannot change your own role."), field="role")
    if _is_last_active_admin(user):
        raise DomainError(_("This is the last active administrator."), field="role")
    user.role = role


def deactivate(actor: User, user: User) -> None:
    if user.id == actor.id:
        raise DomainError(_("You cannot deactivate your own account."))
    if _is_last_active_admin(user):
        raise DomainError(_("This is the last active administrator."))
    user.deactivate()


def reactivate(user: User) -> None:
    user.reactivate()


# --- one-time set-password links -----------------------------------------------------------------


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="set-password")


def set_password_token(user: User) -> str:
    """A token for a set-password link; it stops working once any password is set."""
    return _serializer().dumps({"user": user.id, "version": user.session_version})


def user_for_set_password_token(token: str) -> User | None:
    max_age = current_app.config["SET_PASSWORD_LINK_DAYS"] * 24 * 3600
    try:
        data = _serializer().loads(token, max_age=max_age)
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict):
        return None
    user = db.session.get(User, data.get("user"))
    if user is None or not user.active or user.session_version != data.get("version"):
        return None
    return user


def reset_password(actor: User, user: User) -> None:
    """Forget a password so that its owner sets a new one through a one-time link."""
    if user.id == actor.id:
        raise DomainError(_("Change your own password from your profile."))
    user.password_hash = None
    user.session_version += 1


@people_per_region.connect
def people_in_each_region(_sender=None) -> dict[int, int]:
    """How many people name each region, in one query (for the regions page)."""
    rows = db.session.execute(
        select(User.region_id, func.count())
        .where(User.region_id.is_not(None))
        .group_by(User.region_id)
    )
    return {region_id: count for region_id, count in rows if region_id is not None}
