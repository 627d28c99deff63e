"""Focus groups run by staff, the quotes collected, and the consent that governs each quote."""

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, Date, ForeignKey, String, Table, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tot.accounts.models import User
from tot.curriculum.models import Programme
from tot.db_types import UTCDateTime, enum_column, utcnow
from tot.extensions import Model, db
from tot.regions.models import Region
from tot.sessions.models import TrainingSession


class FocusGroup(Model):
    __tablename__ = "focus_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    held_on: Mapped[date] = mapped_column(Date)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("programmes.id"), index=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("training_sessions.id"))
    facilitator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Attendees counted by gender: numbers only, no names.
    women: Mapped[int] = mapped_column(default=0)
    men: Mapped[int] = mapped_column(default=0)
    other_genders: Mapped[int] = mapped_column(default=0)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    region: Mapped[Region] = relationship()
    programme: Mapped[Programme | None] = relationship()
    session: Mapped[TrainingSession | None] = relationship()
    facilitator: Mapped[User | None] = relationship(foreign_keys=[facilitator_id])
    quotes: Mapped[list["Quote"]] = relationship(
        back_populates="focus_group", cascade="all, delete-orphan"
    )

    @property
    def attendees(self) -> int:
        return self.women + self.men + self.other_genders


class Theme(Model):
    """What a quote speaks of: confidence, leadership, networking, legal skills, rehabilitation…"""

    __tablename__ = "themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)


quote_themes = Table(
    "quote_themes",
    db.metadata,
    Column("quote_id", ForeignKey("quotes.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True),
)


class Consent(StrEnum):
    INTERNAL = "internal"  # never published
    ANONYMOUS = "anonymous"  # published without the name
    NAMED = "named"  # published with the first name or the pseudonym the speaker chose
    # The words changed after the speaker agreed: not published until they are asked again.
    # Set by the platform only, never chosen on a form.
    PENDING = "pending"

    @property
    def label(self) -> str:
        return str(CONSENT_LABELS[self])

    @property
    def publishable(self) -> bool:
        return self in (Consent.ANONYMOUS, Consent.NAMED)


CONSENT_LABELS = {
    Consent.INTERNAL: _l("Internal only"),
    Consent.ANONYMOUS: _l("Publish anonymously"),
    Consent.NAMED: _l("Publish with name"),
    Consent.PENDING: _l("To be asked again"),
}


class NameShown(StrEnum):
    """Which name a quote published with a name shows."""

    PSEUDONYM = "pseudonym"  # one the speaker chose
    FIRST_NAME = "first_name"

    @property
    def label(self) -> str:
        return str(NAME_SHOWN_LABELS[self])


NAME_SHOWN_LABELS = {
    NameShown.PSEUDONYM: _l("A pseudonym the speaker chose"),
    NameShown.FIRST_NAME: _l("The speaker's first name"),
}


class PlaceShown(StrEnum):
    """What a published quote shows of where its speaker lives."""

    NONE = "none"
    COUNTRY = "country"
    REGION = "region"

    @property
    def label(self) -> str:
        return str(PLACE_SHOWN_LABELS[self])


PLACE_SHOWN_LABELS = {
    PlaceShown.NONE: _l("Nothing"),
    PlaceShown.COUNTRY: _l("Only the country"),
    PlaceShown.REGION: _l("The region"),
}


@dataclass(frozen=True)
class Shown:
    """What the speaker agreed the public may read besides their words; the least by default."""

    name: NameShown = NameShown.PSEUDONYM
    pseudonym: str = ""
    age_band: bool = False
    occupation: bool = False
    place: PlaceShown = PlaceShown.NONE


class ShownColumns:
    """The columns of `Shown`, on a quote (agreed now) and on each consent change (agreed then).

    Their server defaults are the least revealing, for rows written before they existed."""

    name_shown: Mapped[NameShown] = mapped_column(
        enum_column(NameShown),
        default=NameShown.PSEUDONYM,
        server_default=NameShown.PSEUDONYM.value,
    )
    pseudonym: Mapped[str] = mapped_column(String(80), default="", server_default="")
    show_age_band: Mapped[bool] = mapped_column(default=False, server_default=false())
    show_occupation: Mapped[bool] = mapped_column(default=False, server_default=false())
    place_shown: Mapped[PlaceShown] = mapped_column(
        enum_column(PlaceShown), default=PlaceShown.NONE, server_default=PlaceShown.NONE.value
    )

    @property
    def shown(self) -> Shown:
        return Shown(
            name=self.name_shown or NameShown.PSEUDONYM,
            pseudonym=self.pseudonym or "",
            age_band=bool(self.show_age_band),
            occupation=bool(self.show_occupation),
            place=self.place_shown or PlaceShown.NONE,
        )

    @shown.setter
    def shown(self, value: Shown) -> None:
        self.name_shown = value.name
        self.pseudonym = value.pseudonym
        self.show_age_band = value.age_band
        self.show_occupation = value.occupation
        self.place_shown = value.place


class Quote(ShownColumns, Model):
    __tablename__ = "quotes"

    id: Mapped[int] = mapped_column(primary_key=True)
    focus_group_id: Mapped[int] = mapped_column(ForeignKey("focus_groups.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    speaker_name: Mapped[str] = mapped_column(
        String(80), default=""
    )  # for staff; never a family name
    age: Mapped[int | None] = mapped_column()
    occupation: Mapped[str] = mapped_column(String(120), default="")
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))
    consent: Mapped[Consent] = mapped_column(
        enum_column(Consent), default=Consent.INTERNAL, index=True
    )
    consent_given_at: Mapped[date | None] = mapped_column(Date)
    consent_method: Mapped[str] = mapped_column(String(200), default="")
    featured: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    focus_group: Mapped[FocusGroup] = relationship(back_populates="quotes")
    region: Mapped[Region | None] = relationship()
    themes: Mapped[list[Theme]] = relationship(secondary=quote_themes, order_by=Theme.name)
    consent_history: Mapped[list["ConsentChange"]] = relationship(
        back_populates="quote", order_by="ConsentChange.changed_at", cascade="all, delete-orphan"
    )

    @property
    def consent_pending(self) -> bool:
        """Its words changed after the speaker agreed: their consent must be asked again."""
        return self.consent is Consent.PENDING


class ConsentChange(ShownColumns, Model):
    """Every change of a quote's consent, with what it let the public read, kept as a record."""

    __tablename__ = "quote_consent_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    quote_id: Mapped[int] = mapped_column(ForeignKey("quotes.id"), index=True)
    consent: Mapped[Consent] = mapped_column(enum_column(Consent))
    given_at: Mapped[date | None] = mapped_column(Date)
    method: Mapped[str] = mapped_column(String(200), default="")
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    quote: Mapped[Quote] = relationship(back_populates="consent_history")
