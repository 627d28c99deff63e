"""A certificate: a graduate of a training session, with a public verification code."""

import secrets
from datetime import datetime

from sqlalchemy import ColumnElement, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tot.accounts.models import User
from tot.db_types import UTCDateTime, utcnow
from tot.extensions import Model
from tot.sessions.models import TrainingSession

CODE_BYTES = 24  # 32 URL-safe characters: too many to guess


def new_code() -> str:
    """A random code that starts with a letter or digit: a leading "-" reads badly in print and
    is taken for a formula by spreadsheets."""
    while True:
        code = secrets.token_urlsafe(CODE_BYTES)
        if code[0].isalnum():
            return code


class Certificate(Model):
    """One person's certificate for one session. It is never deleted: a wrong one is revoked."""

    __tablename__ = "certificates"
    __table_args__ = (UniqueConstraint("user_id", "session_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True, default=new_code)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_sessions.id"), index=True)
    # The name as it was when the certificate was issued: what the paper says.
    holder_name: Mapped[str] = mapped_column(String(200))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # None: issued when the session was marked complete; else the staff member who issued it.
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    issue_reason: Mapped[str | None] = mapped_column(Text)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoke_reason: Mapped[str | None] = mapped_column(Text)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    session: Mapped[TrainingSession] = relationship()
    issued_by: Mapped[User | None] = relationship(foreign_keys=[issued_by_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])

    def __init__(self, **kwargs):
        kwargs.setdefault("code", new_code())
        super().__init__(**kwargs)

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @hybrid_property
    def is_valid(self) -> bool:
        """Not revoked: its holder is a graduate of its session (in SQL too)."""
        return self.revoked_at is None

    @is_valid.inplace.expression
    @classmethod
    def _is_valid_condition(cls) -> ColumnElement[bool]:
        return cls.revoked_at.is_(None)

    @property
    def by_hand(self) -> bool:
        return self.issued_by_id is not None

    def revoke(self, by: User, reason: str, when: datetime) -> None:
        """Withdraw the certificate; the row, and why it was issued, stay for the record."""
        self.revoked_at = when
        self.revoked_by_id = by.id
        self.revoke_reason = reason
