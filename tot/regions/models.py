from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tot.db_types import UTCDateTime, enum_column, utcnow
from tot.extensions import Model


class Country(StrEnum):
    KYRGYZSTAN = "KG"
    TAJIKISTAN = "TJ"

    @property
    def label(self) -> str:
        return str(COUNTRY_LABELS[self])

    @property
    def default_timezone(self) -> str:
        return COUNTRY_TIMEZONES[self]


COUNTRY_LABELS = {Country.KYRGYZSTAN: _l("Kyrgyzstan"), Country.TAJIKISTAN: _l("Tajikistan")}
COUNTRY_TIMEZONES = {Country.KYRGYZSTAN: "Asia/Bishkek", Country.TAJIKISTAN: "Asia/Dushanbe"}


class Region(Model):
    """An oblast or city where participants live and sessions are held."""

    __tablename__ = "regions"
    __table_args__ = (UniqueConstraint("country", "name", name="uq_regions_country_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The name in English, which is also the name used when a language has none of its own.
    name: Mapped[str] = mapped_column(String(120))
    name_ru: Mapped[str | None] = mapped_column(String(120))
    name_ky: Mapped[str | None] = mapped_column(String(120))
    name_tg: Mapped[str | None] = mapped_column(String(120))
    country: Mapped[Country] = mapped_column(enum_column(Country))
    timezone: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def label(self) -> str:
        """The region's name in the reader's language."""
        return self.name_in(str(get_locale() or "en"))

    def name_in(self, language: str) -> str:
        return getattr(self, LOCAL_NAME_COLUMNS.get(language, "name"), None) or self.name

    @property
    def all_names(self) -> list[str]:
        """Every name the region goes by, for recognising it in an uploaded file."""
        local = (getattr(self, column) for column in LOCAL_NAME_COLUMNS.values())
        return [self.name, *(name for name in local if name)]

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def retire(self) -> None:
        if self.retired_at is None:
            self.retired_at = utcnow()

    def restore(self) -> None:
        self.retired_at = None

    def __str__(self) -> str:
        return self.label


# The columns holding a region's name in each interface language other than English.
LOCAL_NAME_COLUMNS = {"ru": "name_ru", "ky": "name_ky", "tg": "name_tg"}
