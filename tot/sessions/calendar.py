"""iCalendar (RFC 5545) files: one session, or a person's feed of sessions.

Start and end are written as local times with the session's TZID (Asia/Bishkek, Asia/Dushanbe),
and the matching VTIMEZONE components are included, so that a calendar app shows 09:00 in
Dushanbe as 09:00 Dushanbe time, and as 10:00 to a reader whose phone is set to Bishkek.
"""

from collections.abc import Callable, Iterable
from datetime import timedelta

from icalendar import Calendar, Event

from tot.db_types import utcnow
from tot.sessions.models import SessionStatus, TrainingSession

PRODUCT_ID = "-//TOT platform//Training sessions//EN"
ICAL_STATUS = {
    SessionStatus.DRAFT: "TENTATIVE",
    SessionStatus.PUBLISHED: "CONFIRMED",
    SessionStatus.COMPLETED: "CONFIRMED",
    SessionStatus.CANCELLED: "CANCELLED",
}


def uid(session: TrainingSession) -> str:
    return f"session-{session.id}@tot-platform"


def _one_line(text: str) -> str:
    return ", ".join(part.strip() for part in (text or "").splitlines() if part.strip())


def event_for(session: TrainingSession, link: str) -> Event:
    event = Event()
    event.add("uid", uid(session))
    event.add("summary", session.title)
    event.add("dtstart", session.local_start)  # aware, with the session's ZoneInfo: TZID
    event.add("dtend", session.local_end)
    event.add("dtstamp", session.updated_at or utcnow())
    if session.created_at:
        event.add("created", session.created_at)
    if session.updated_at:
        event.add("last-modified", session.updated_at)
    location = ", ".join(part for part in (session.venue, _one_line(session.address)) if part)
    if location:
        event.add("location", location)
    description = "\n\n".join(
        part
        for part in (session.programme.title, (session.description or "").strip(), link)
        if part
    )
    event.add("description", description)
    event.add("url", link)
    event.add("status", ICAL_STATUS[session.status])
    return event


def build_calendar(
    sessions: Iterable[TrainingSession], link: Callable[[TrainingSession], str], name: str = ""
) -> bytes:
    """An iCalendar file with one VEVENT per session and the VTIMEZONEs they use."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if name:
        calendar.add("x-wr-calname", name)
    sessions = list(sessions)
    for session in sessions:
        calendar.add_component(event_for(session, link(session)))
    if sessions:
        # The rules of a year around these sessions: a short VTIMEZONE for each zone.
        first = min(session.local_start for session in sessions).date() - timedelta(days=366)
        last = max(session.local_end for session in sessions).date() + timedelta(days=366)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    return calendar.to_ical()
