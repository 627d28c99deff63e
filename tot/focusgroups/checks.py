"""Checks shared by focus groups, quotes and consent: text, dates, ids and regions from a form."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from tot.errors import DomainError
from tot.extensions import db
from tot.regions.models import Region

EARLIEST_DATE = date(2000, 1, 1)
DATABASE_INTEGER_MAX = 2**31 - 1
DEFAULT_ZONE = ZoneInfo("Asia/Bishkek")


# --- text ----------------------------------------------------------------------------------------

# Control characters other than tab and line breaks: PostgreSQL refuses NUL in text, and none of
# them belongs in a quote or a name.
_CONTROL = dict.fromkeys(c for c in range(32) if chr(c) not in "\t\n\r")
_CONTROL[127] = None


def clean(value) -> str:
    """Text from a form without control characters (keeps tabs and line breaks)."""
    return str(value or "").translate(_CONTROL)


def one_line(value) -> str:
    """Text on one line: control characters dropped, runs of spaces made one."""
    return " ".join(clean(value).split())


# --- dates ---------------------------------------------------------------------------------------


def today_in(region: Region | None) -> date:
    """Today's date on the clock of the region (Bishkek when there is none)."""
    zone = region.zone if region is not None else DEFAULT_ZONE
    return datetime.now(zone).date()


def check_past_date(value, region: Region | None, field_name: str) -> None:
    if not isinstance(value, date):
        raise DomainError(_("Enter a date, such as 2025-03-14."), field=field_name)
    if value < EARLIEST_DATE:
        raise DomainError(_("Enter a date in the year 2000 or later."), field=field_name)
    if value > today_in(region):
        raise DomainError(_("The date cannot be in the future."), field=field_name)


def check_id(value) -> int | None:
    """An id from a form, or None; anything that cannot be a database id is refused."""
    if value is None or value == "":
        return None
    if (
        not isinstance(value, int)
        or isinstance(value, bool)
        or not 1 <= value <= DATABASE_INTEGER_MAX
    ):
        raise ValueError(value)
    return value


def get_chosen(model, value, field_name: str, message: str):
    try:
        ident = check_id(value)
    except ValueError:
        raise DomainError(message, field=field_name) from None
    if ident is None:
        return None
    found = db.session.get(model, ident)
    if found is None:
        raise DomainError(message, field=field_name)
    return found


def region_chosen(value, current: Region | None, field_name: str = "region_id") -> Region:
    """An open region, or the one already recorded even if it has been retired since."""
    message = _("Choose a region.")
    region = get_chosen(Region, value, field_name, message)
    if region is None:
        raise DomainError(message, field=field_name)
    if region.is_retired and region is not current:
        raise DomainError(_("This region is no longer offered."), field=field_name)
    return region
