"""Times shown in a session's own time zone, always with the zone's name.

A session's times are stored as UTC instants; people read them on the clock of the place where
the session is held. `session_time` and `session_span` say which clock ("Dushanbe time"), so a
participant in Bishkek never mistakes 09:00 in Dushanbe for 09:00 at home.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from tot.formats import format_clock, format_weekday_date

# The zones sessions are held in, named for people. Any other IANA zone is shown by its name.
ZONE_NAMES = {
    "Asia/Bishkek": _l("Bishkek time"),
    "Asia/Dushanbe": _l("Dushanbe time"),
}
INPUT_FORMAT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends and shows


def _zone(where) -> ZoneInfo:
    """A ZoneInfo from a session, a region, a zone name or a ZoneInfo."""
    if isinstance(where, ZoneInfo):
        return where
    if isinstance(where, str):
        return ZoneInfo(where)
    return ZoneInfo(where.timezone)


def zone_name(where) -> str:
    """ "Dushanbe time" for Asia/Dushanbe; the IANA name for a zone without a friendly name."""
    key = _zone(where).key
    return str(ZONE_NAMES.get(key, key))


def session_time(moment: datetime | None, where) -> str:
    """ "Mon, May 4, 2026, 09:00 (Dushanbe time)": an aware instant on the session's clock."""
    if moment is None:
        return ""
    zone = _zone(where)
    return _(
        "%(day)s, %(time)s (%(zone)s)",
        day=format_weekday_date(moment, zone),
        time=format_clock(moment, zone),
        zone=zone_name(zone),
    )


def session_span(session) -> str:
    """When a session runs, on its own clock: one day, or first and last day, with the zone."""
    zone = session.zone
    start, end = session.starts_at, session.ends_at
    if start.astimezone(zone).date() == end.astimezone(zone).date():
        return _(
            "%(day)s, %(start)s–%(end)s (%(zone)s)",
            day=format_weekday_date(start, zone),
            start=format_clock(start, zone),
            end=format_clock(end, zone),
            zone=zone_name(zone),
        )
    return _(
        "%(first_day)s, %(start)s – %(last_day)s, %(end)s (%(zone)s)",
        first_day=format_weekday_date(start, zone),
        start=format_clock(start, zone),
        last_day=format_weekday_date(end, zone),
        end=format_clock(end, zone),
        zone=zone_name(zone),
    )


def local_input(moment: datetime | None, where) -> str:
    """The value of a datetime-local input showing an aware instant on the session's clock."""
    if moment is None:
        return ""
    return moment.astimezone(_zone(where)).strftime(INPUT_FORMAT)


def register(app) -> None:
    """Called by create_app: the filters that templates use for session times."""
    app.jinja_env.filters["session_time"] = session_time
    app.jinja_env.filters["session_span"] = session_span
    app.jinja_env.filters["zone_name"] = zone_name
    app.jinja_env.filters["local_input"] = local_input
