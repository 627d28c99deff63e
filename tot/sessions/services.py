"""The sessions rules, in one place to import from.

The rules live in their own modules; this one gathers what views, tests and other features use:

- `access`: who may manage or see a session (`can_manage`, `visible_to`);
- `local_times`: wall-clock times on a session's clock and the UTC instants stored;
- `scheduling`: the details of a session, their rules, creating and changing sessions;
- `conflicts`: double-booking of facilitators and venues;
- `lifecycle`: publishing, cancelling, completing;
- `quotas`: seat quotas per region;
- `browsing`: the session lists and a person's agenda;
- `feeds`: personal calendar feed tokens and their sessions.

Other features that only need `can_manage` import it from `tot.sessions.access`: the scheduling
rules use the enrolment rules, which use `can_manage`.
"""

from tot.sessions.access import can_manage, visible_to
from tot.sessions.browsing import (
    AGENDA_PAST_LIMIT,
    agenda,
    all_sessions,
    parse_month,
    upcoming_sessions,
)
from tot.sessions.conflicts import facilitator_conflicts, venue_clashes
from tot.sessions.feeds import (
    FEED_HISTORY,
    calendar_token,
    create_calendar_token,
    feed_owner,
    feed_sessions,
    reset_calendar_token,
)
from tot.sessions.lifecycle import cancel, complete, ensure_editable, publish
from tot.sessions.local_times import YEAR_RANGE, local_wall, to_utc, zone_or_error
from tot.sessions.quotas import (
    add_quota,
    delete_quota,
    describe_quota,
    quota_summary,
    update_quota,
)
from tot.sessions.scheduling import (
    CAPACITY_RANGE,
    SESSION_ZONES,
    TITLE_MAX,
    VENUE_MAX,
    SessionDetails,
    create_session,
    facilitator_options,
    programme_options,
    update_session,
)
from tot.sessions.seats import confirmed_by_region, confirmed_counts, confirmed_total, panels

__all__ = [
    "AGENDA_PAST_LIMIT",
    "CAPACITY_RANGE",
    "FEED_HISTORY",
    "SESSION_ZONES",
    "TITLE_MAX",
    "VENUE_MAX",
    "YEAR_RANGE",
    "SessionDetails",
    "add_quota",
    "agenda",
    "all_sessions",
    "calendar_token",
    "can_manage",
    "cancel",
    "complete",
    "confirmed_by_region",
    "confirmed_counts",
    "confirmed_total",
    "create_calendar_token",
    "create_session",
    "delete_quota",
    "describe_quota",
    "ensure_editable",
    "facilitator_conflicts",
    "facilitator_options",
    "feed_owner",
    "feed_sessions",
    "local_wall",
    "panels",
    "parse_month",
    "programme_options",
    "publish",
    "quota_summary",
    "reset_calendar_token",
    "to_utc",
    "upcoming_sessions",
    "update_quota",
    "update_session",
    "venue_clashes",
    "visible_to",
    "zone_or_error",
]
