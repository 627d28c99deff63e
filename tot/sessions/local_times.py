"""Wall-clock times on a session's clock, turned into UTC instants and back.

Times come in as wall-clock times on the session's clock (what a person types) and are stored as
UTC instants. Every comparison between sessions (double-booking, venue clashes, month filters)
compares instants, never local dates: 09:00 in Dushanbe (UTC+5) and 10:00 in Bishkek (UTC+6) are
the same moment.
"""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_babel import gettext as _

from tot.errors import DomainError
from tot.sessions.templating import zone_name

YEAR_RANGE = (2000, 2100)  # dates outside are typing mistakes


def zone_or_error(key: str | None, field_name: str = "timezone") -> ZoneInfo:
    try:
        return ZoneInfo(key or "")
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise DomainError(_("Choose a time zone from the list."), field=field_name) from error


def to_utc(local: datetime, zone: ZoneInfo, field_name: str) -> datetime:
    """The instant a wall-clock time on this zone's clock names; refuses a time the clocks skip."""
    wall = local.replace(tzinfo=None, second=0, microsecond=0)
    if not YEAR_RANGE[0] <= wall.year <= YEAR_RANGE[1]:
        raise DomainError(
            _(
                "Enter a date between %(first)d and %(last)d.",
                first=YEAR_RANGE[0],
                last=YEAR_RANGE[1],
            ),
            field=field_name,
        )
    instant = wall.replace(tzinfo=zone).astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != wall:
        raise DomainError(
            _("This time does not exist in %(zone)s: the clocks skip it.", zone=zone_name(zone)),
            field=field_name,
        )
    return instant


def local_wall(moment: datetime | None, zone: ZoneInfo) -> datetime | None:
    """An aware instant as the naive wall-clock time a form shows."""
    return moment.astimezone(zone).replace(tzinfo=None) if moment else None
