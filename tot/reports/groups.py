"""The groups a report splits people into: region, gender and age group, and the period it covers.

Genders are reported as women, men, and everyone else together (another gender, not said, not
given): the last two alone would be groups of one or two people nearly everywhere. Age groups are
the accounts' own, plus those who gave none (a cascade training's "under 18, or not asked").
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, literal, type_coerce
from sqlalchemy.types import String

from tot.accounts.models import AgeGroup, Gender
from tot.regions.models import Region


class GenderGroup(StrEnum):
    WOMEN = "women"
    MEN = "men"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(GENDER_GROUP_LABELS[self])


GENDER_GROUP_LABELS = {
    GenderGroup.WOMEN: _l("Women"),
    GenderGroup.MEN: _l("Men"),
    GenderGroup.OTHER: _l("Another gender, or not said"),
}


class AgeBand(StrEnum):
    AGE_18_24 = AgeGroup.AGE_18_24.value
    AGE_25_34 = AgeGroup.AGE_25_34.value
    AGE_35_44 = AgeGroup.AGE_35_44.value
    AGE_45_54 = AgeGroup.AGE_45_54.value
    AGE_55_PLUS = AgeGroup.AGE_55_PLUS.value
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        if self is AgeBand.UNKNOWN:
            return str(AGE_UNKNOWN_LABEL)
        return AgeGroup(self.value).label

    @classmethod
    def of(cls, value: str | None) -> "AgeBand":
        return cls(value) if value in AGE_GROUP_VALUES else cls.UNKNOWN


AGE_UNKNOWN_LABEL = _l("Under 18, or not given")
AGE_GROUP_VALUES = {group.value for group in AgeGroup}


def gender_group(gender_column):
    """SQL: the report's gender group of a person's gender (NULL: not given)."""
    return case(
        (gender_column == Gender.WOMAN, literal(GenderGroup.WOMEN.value)),
        (gender_column == Gender.MAN, literal(GenderGroup.MEN.value)),
        else_=literal(GenderGroup.OTHER.value),
    )


def age_value(age_column):
    """SQL: a person's age group as stored ('25-34'), or NULL."""
    return type_coerce(age_column, String)


# A cell's key is (region, gender, age): a region id (None: region not given), a GenderGroup and
# an AgeBand, or EVERY for "all of them".
EVERY = "every"
Key = tuple[object, object, object]
GRAND_TOTAL: Key = (EVERY, EVERY, EVERY)


def region_order(region: Region | None) -> tuple:
    """By country then name; people who gave no region last."""
    return (1, "", "") if region is None else (0, region.country.value, region.label.casefold())


@dataclass(frozen=True)
class Period:
    """From the first day to the last, both included, on the reader's clock."""

    first: date
    last: date
    zone: ZoneInfo

    @property
    def starts_at(self) -> datetime:
        return datetime.combine(self.first, time(), tzinfo=self.zone)

    @property
    def ends_before(self) -> datetime:
        """The first instant after the period."""
        return datetime.combine(self.last + timedelta(days=1), time(), tzinfo=self.zone)


def twelve_months_to(last: date) -> date:
    """The first day of the twelve months that end with `last`."""
    try:
        a_year_before = last.replace(year=last.year - 1)
    except ValueError:  # 29 February
        a_year_before = last.replace(year=last.year - 1, day=28)
    return a_year_before + timedelta(days=1)


def chosen_period(first: date | None, last: date | None, today: date, zone: ZoneInfo) -> Period:
    """The period asked for; what is left out: the twelve months up to today (or to the last
    day chosen), or from the first day chosen up to today."""
    if last is None:
        last = today if first is None else max(first, today)
    if first is None:
        first = twelve_months_to(last)
    return Period(first, last, zone)
