"""How dates and times read everywhere on the site: one family of formats, in the reader's locale.

Templates use the filters `date` ("21 Dec 2026"), `datetime` ("21 Dec 2026, 09:00") and `day`
("Mon, 21 Dec", a day of a session whose year is plain), and for sessions `session_time` and
`session_span` (tot/sessions/templating.py), which are built from the same pieces. Flask-Babel's own
`dateformat`-style filters are removed by `register`, so a page cannot invent another format.

A date is shown as it is; an aware instant is first put on a clock: the zone given (a session's),
or else the reader's zone (their region's, see tot/i18n.py).
"""

from datetime import date, datetime, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.dates import get_datetime_format, match_skeleton
from flask_babel import get_locale, get_timezone

DATE = "yMMMd"  # 21 Dec 2026 · 21 дек. 2026 г.
WEEKDAY_DATE = "yMMMEd"  # Mon, 21 Dec 2026
DAY = "MMMEd"  # Mon, 21 Dec
CLOCK = "HH:mm"  # a 24-hour clock, as read in Kyrgyzstan and Tajikistan


def reader_locale() -> Locale:
    return get_locale() or Locale.parse("en")


@lru_cache(maxsize=64)
def _pattern(skeleton: str, locale: Locale) -> str:
    """The locale's pattern for a skeleton (CLDR's "availableFormats"), worked out once."""
    skeletons = locale.datetime_skeletons
    if skeleton not in skeletons:
        closest = match_skeleton(skeleton, skeletons)
        if closest is None:
            raise KeyError(skeleton)
        skeleton = closest
    return str(skeletons[skeleton])


@lru_cache(maxsize=16)
def _date_and_time(locale: Locale) -> str:
    """How the locale joins a date and a time, e.g. "{1}, {0}"."""
    # Babel annotates this as a DateTimePattern, but a locale's datetime formats are plain strings.
    return str(get_datetime_format("medium", locale=locale))


def _on_clock(value: date | datetime, zone: tzinfo | str | None) -> date | datetime:
    if not isinstance(value, datetime):
        return value
    if isinstance(zone, str):
        zone = ZoneInfo(zone)
    return value.astimezone(zone or get_timezone())


def _format(value: date | datetime, skeleton: str, locale: Locale) -> str:
    if isinstance(value, datetime):
        return babel_format_datetime(value, _pattern(skeleton, locale), locale=locale)
    return babel_format_date(value, _pattern(skeleton, locale), locale=locale)


def format_date(value: date | datetime | None, zone: tzinfo | str | None = None) -> str:
    """ "21 Dec 2026": a date, or the day of an instant on the given (or the reader's) clock."""
    if value is None:
        return ""
    return _format(_on_clock(value, zone), DATE, reader_locale())


def format_weekday_date(value: date | datetime, zone: tzinfo | str | None = None) -> str:
    """ "Mon, 21 Dec 2026"."""
    return _format(_on_clock(value, zone), WEEKDAY_DATE, reader_locale())


def format_day(value: date | datetime, zone: tzinfo | str | None = None) -> str:
    """ "Mon, 21 Dec": a day whose year is plain from the page (a day of a session)."""
    return _format(_on_clock(value, zone), DAY, reader_locale())


def format_clock(moment: datetime, zone: tzinfo | str | None = None) -> str:
    """ "09:00"."""
    return babel_format_datetime(_on_clock(moment, zone), CLOCK, locale=reader_locale())


def format_datetime(moment: datetime | None, zone: tzinfo | str | None = None) -> str:
    """ "21 Dec 2026, 09:00": an instant on the given (or the reader's) clock."""
    if moment is None:
        return ""
    locale = reader_locale()
    local = _on_clock(moment, zone)
    return _date_and_time(locale).format(
        babel_format_datetime(local, CLOCK, locale=locale), _format(local, DATE, locale)
    )


def register(app) -> None:
    """Called by create_app: the date filters, and no others."""
    for name in ("dateformat", "datetimeformat", "timeformat", "timedeltaformat"):
        app.jinja_env.filters.pop(name, None)
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.filters["day"] = format_day
