from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import AnonymousUserMixin, UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from tot.db_types import UTCDateTime, enum_column, utcnow
from tot.extensions import Model
from tot.i18n import Language
from tot.permissions import Role
from tot.regions.models import Region


class Gender(StrEnum):
    WOMAN = "woman"
    MAN = "man"
    ANOTHER = "another"
    UNDISCLOSED = "undisclosed"

    @property
    def label(self) -> str:
        return str(GENDER_LABELS[self])


GENDER_LABELS = {
    Gender.WOMAN: _l("Woman"),
    Gender.MAN: _l("Man"),
    Gender.ANOTHER: _l("Another gender"),
    Gender.UNDISCLOSED: _l("Prefer not to say"),
}


class AgeGroup(StrEnum):
    AGE_18_24 = "18-24"
    AGE_25_34 = "25-34"
    AGE_35_44 = "35-44"
    AGE_45_54 = "45-54"
    AGE_55_PLUS = "55+"

    @property
    def label(self) -> str:
        return self.value.replace("-", "–")


class User(UserMixin, Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored normalised (trimmed, lower case): one address, one account, whatever the letter case.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    # None for an account whose owner has not yet chosen a password (created by staff).
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role), default=Role.PARTICIPANT, index=True)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    gender: Mapped[Gender | None] = mapped_column(enum_column(Gender))
    age_group: Mapped[AgeGroup | None] = mapped_column(enum_column(AgeGroup))
    language: Mapped[Language] = mapped_column(enum_column(Language), default=Language.ENGLISH)
    phone: Mapped[str | None] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped when the password changes or the account is deactivated: it ends every login
    # session, remember-me cookie and set-password link issued before.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    region: Mapped[Region | None] = relationship()

    def __init__(self, **kwargs):
        # Python-side defaults, so that a new, unflushed User is already consistent.
        kwargs.setdefault("role", Role.PARTICIPANT)
        kwargs.setdefault("language", Language.ENGLISH)
        kwargs.setdefault("active", True)
        kwargs.setdefault("session_version", 1)
        super().__init__(**kwargs)

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        """What the person's session and remember-me cookies carry: the secret of the login they
        came with (accounts/logins.py). Without a login, an id that opens nothing."""
        current = self.current_login
        return current.secret if current is not None else f"no-login:{self.id}"

    @property
    def current_login(self) -> "CurrentLogin | None":
        """The login this request came with, or began; None outside a login."""
        return self.__dict__.get("_current_login")

    @current_login.setter
    def current_login(self, current: "CurrentLogin | None") -> None:
        # Kept beside the mapped state (never stored): it belongs to this request only.
        self.__dict__["_current_login"] = current

    @property
    def is_staff(self) -> bool:
        """Staff or an administrator: the one test of it, for code and templates alike."""
        return self.role.is_staff

    @property
    def is_participant(self) -> bool:
        return self.role is Role.PARTICIPANT

    @property
    def has_password(self) -> bool:
        return self.password_hash is not None

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)
        self.session_version += 1

    def check_password(self, password: str) -> bool:
        return self.password_hash is not None and check_password_hash(self.password_hash, password)

    def deactivate(self) -> None:
        if self.active:
            self.active = False
            self.deactivated_at = utcnow()
            self.session_version += 1

    def reactivate(self) -> None:
        self.active = True
        self.deactivated_at = None

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class Visitor(AnonymousUserMixin):
    """Someone not signed in: answers the same questions as a User, always with no."""

    is_staff = False
    is_participant = False


class PrivacyAgreement(Model):
    """A person's agreement to one version of the privacy notice, and when it was given."""

    __tablename__ = "privacy_agreements"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    notice_version: Mapped[str] = mapped_column(String(20))
    agreed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()


class Login(Model):
    """One login of a person on one device, from logging in until it ends.

    It ends when the person logs out, ends it from another device, changes their password or is
    deactivated (the account's session version moves on), or after a long time unused. The
    person's cookies carry a random secret; only its digest is stored.
    """

    __tablename__ = "logins"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    secret_digest: Mapped[str] = mapped_column(String(64), unique=True)
    # The account's session version when the login began: it ends when that moves on.
    session_version: Mapped[int]
    # A short name of the browser and system (from the User-Agent), or None when unknown.
    browser: Mapped[str | None] = mapped_column(String(40))
    system: Mapped[str | None] = mapped_column(String(40))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When it was last used, to a few minutes (accounts/logins.py SEEN_EVERY).
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()

    @property
    def device(self) -> str:
        """The browser and system it came from, as a person recognises them."""
        if self.browser and self.system:
            return _("%(browser)s on %(system)s", browser=self.browser, system=self.system)
        return self.browser or self.system or _("An unknown browser")


@dataclass(frozen=True)
class CurrentLogin:
    """The login a request came with, and the secret its cookies carry."""

    login: Login
    secret: str
