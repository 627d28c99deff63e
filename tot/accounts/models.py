from datetime import datetime
from enum import StrEnum

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
        return f"{self.id}:{self.session_version}"

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
