from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tot.db_types import UTCDateTime, enum_column, utcnow
from tot.extensions import db


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


class Region(db.Model):
    """An oblast or city where participants live and sessions are held."""

    __tablename__ = "regions"
    __table_args__ = (UniqueConstraint("country", "name", name="uq_regions_country_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    country: Mapped[Country] = mapped_column(enum_column(Country))
    timezone: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

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
        return self.name
