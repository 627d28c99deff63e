"""iCalendar files: one session's, and each person's secret-link feed of their sessions."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from tests.conftest import log_in, page
from tests.factories import YEAR, add_session, enrol, make_programme, region_named, utc
from tests.language_checks import english_words
from tot.enrolment.models import EnrolmentStatus
from tot.extensions import db
from tot.i18n import Language
from tot.permissions import Role
from tot.sessions.models import CalendarToken, SessionStatus


@pytest.fixture
def programme(app):
    return make_programme("Legal Aid TOT")


@pytest.fixture
def bishkek(app):
    return region_named("Bishkek city")


@pytest.fixture
def dushanbe(app):
    return region_named("Dushanbe city")


@pytest.fixture
def facilitator(make_user):
    return make_user(Role.FACILITATOR, full_name="Aida Facilitator")


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.get_data())


def events(calendar: Calendar) -> dict[str, object]:
    return {str(event["summary"]): event for event in calendar.walk("VEVENT")}


def feed_path(user) -> str:
    token = db.session.scalar(select(CalendarToken).filter_by(user_id=user.id))
    return f"/sessions/feed/{token.token}.ics"


def visitor(app):
    """A second browser, signed in as nobody."""
    return app.test_client()


# --- one session ---------------------------------------------------------------------------------


def test_a_sessions_calendar_file_uses_its_own_zone(client, programme, dushanbe, facilitator):
    # 09:00–12:00 in Dushanbe (UTC+5) is 04:00–07:00 UTC.
    session = add_session(
        programme,
        facilitator,
        dushanbe,
        utc(5, 4, 4),
        utc(5, 4, 7),
        title="Legal aid in Dushanbe",
        venue="Hotel Tajikistan",
        address="22 Rudaki Avenue\nDushanbe",
        description="Bring **your** questions.",
    )

    response = client.get(f"/sessions/{session.id}/calendar.ics")

    calendar = parse(response)
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="session-{session.id}.ics"'
    )
    [event] = calendar.walk("VEVENT")
    assert str(event["uid"]) == f"session-{session.id}@tot-platform"
    assert str(event["summary"]) == "Legal aid in Dushanbe"
    assert str(event["location"]) == "Hotel Tajikistan, 22 Rudaki Avenue, Dushanbe"
    assert "Bring **your** questions." in str(event["description"])
    assert str(event["url"]).endswith(f"/sessions/{session.id}")
    assert str(event["status"]) == "CONFIRMED"
    assert "dtstamp" in event

    start = event.decoded("dtstart")
    assert event["dtstart"].params["TZID"] == "Asia/Dushanbe"
    assert start.tzinfo.key == "Asia/Dushanbe"
    assert (start.hour, start.minute) == (9, 0)
    assert start == utc(5, 4, 4)  # the same instant
    end = event.decoded("dtend")
    assert end.tzinfo.key == "Asia/Dushanbe"
    assert end.hour == 12

    zones = [str(zone["tzid"]) for zone in calendar.walk("VTIMEZONE")]
    assert zones == ["Asia/Dushanbe"]
    assert calendar.get_missing_tzids() == set()


def test_a_bishkek_session_is_written_on_bishkek_time(client, programme, bishkek, facilitator):
    session = add_session(programme, facilitator, bishkek, utc(5, 4, 3), utc(5, 4, 6))
    [event] = parse(client.get(f"/sessions/{session.id}/calendar.ics")).walk("VEVENT")
    start = event.decoded("dtstart")
    assert start.tzinfo.key == "Asia/Bishkek"
    assert start.hour == 9  # 03:00 UTC + 6
    assert start.date().isoformat() == f"{YEAR}-05-04"


def test_a_cancelled_session_says_so(client, programme, bishkek, facilitator):
    session = add_session(
        programme,
        facilitator,
        bishkek,
        utc(5, 4, 3),
        utc(5, 4, 6),
        status=SessionStatus.CANCELLED,
    )
    [event] = parse(client.get(f"/sessions/{session.id}/calendar.ics")).walk("VEVENT")
    assert str(event["status"]) == "CANCELLED"


def test_a_drafts_file_is_only_for_its_managers(client, login_as, programme, bishkek, facilitator):
    draft = add_session(
        programme, facilitator, bishkek, utc(5, 4, 3), utc(5, 4, 6), status=SessionStatus.DRAFT
    )
    assert client.get(f"/sessions/{draft.id}/calendar.ics").status_code == 404
    login_as(Role.PARTICIPANT)
    assert client.get(f"/sessions/{draft.id}/calendar.ics").status_code == 404
    log_in(client, facilitator)
    [event] = parse(client.get(f"/sessions/{draft.id}/calendar.ics")).walk("VEVENT")
    assert str(event["status"]) == "TENTATIVE"


def test_the_session_page_links_to_its_file(client, programme, bishkek, facilitator):
    session = add_session(programme, facilitator, bishkek, utc(5, 4, 3), utc(5, 4, 6))
    link = page(client.get(f"/sessions/{session.id}")).select_one("a.calendar-link")
    assert link["href"] == f"/sessions/{session.id}/calendar.ics"


# --- the personal feed ---------------------------------------------------------------------------


def test_looking_at_the_calendar_page_creates_nothing(client, login_as):
    login_as(Role.PARTICIPANT)
    soup = page(client.get("/sessions/calendar"))
    assert soup.select_one("#feed-url") is None
    assert soup.select_one("form[action='/sessions/calendar'] button") is not None
    assert db.session.scalar(select(func.count()).select_from(CalendarToken)) == 0


def test_create_my_calendar_link(app, client, login_as):
    me = login_as(Role.PARTICIPANT)

    response = client.post("/sessions/calendar")

    assert response.status_code == 302
    token = db.session.scalar(select(CalendarToken).filter_by(user_id=me.id))
    assert len(token.token) >= 40
    soup = page(client.get("/sessions/calendar"))
    url = soup.select_one("#feed-url")["value"]
    assert urlsplit(url).path == f"/sessions/feed/{token.token}.ics"
    assert url.startswith("http")  # a full address, for calendar apps
    # Asking again changes nothing: the link already given keeps working.
    client.post("/sessions/calendar")
    assert db.session.scalar(select(CalendarToken.token).filter_by(user_id=me.id)) == token.token


def test_a_participants_feed_lists_their_active_enrolments(
    app, client, login_as, make_user, programme, bishkek, dushanbe, facilitator
):
    me = login_as(Role.PARTICIPANT)
    someone_else = make_user()
    confirmed = add_session(
        programme, facilitator, dushanbe, utc(5, 4, 4), utc(5, 4, 7), title="Confirmed"
    )
    waiting = add_session(
        programme, facilitator, bishkek, utc(5, 5, 3), utc(5, 5, 6), title="Waiting list"
    )
    pending = add_session(
        programme, facilitator, bishkek, utc(5, 6, 3), utc(5, 6, 6), title="Pending"
    )
    withdrawn = add_session(
        programme, facilitator, bishkek, utc(5, 7, 3), utc(5, 7, 6), title="Withdrawn"
    )
    theirs = add_session(
        programme, facilitator, bishkek, utc(5, 8, 3), utc(5, 8, 6), title="Someone else's"
    )
    add_session(programme, facilitator, bishkek, utc(5, 9, 3), utc(5, 9, 6), title="Not applied")
    enrol(confirmed, me)
    enrol(waiting, me, EnrolmentStatus.WAITLISTED)
    enrol(pending, me, EnrolmentStatus.PENDING)
    enrol(withdrawn, me, EnrolmentStatus.WITHDRAWN)
    enrol(theirs, someone_else)
    client.post("/sessions/calendar")

    calendar = parse(visitor(app).get(feed_path(me)))  # calendar apps do not log in

    found = events(calendar)
    assert set(found) == {"Confirmed", "Waiting list", "Pending"}
    start = found["Confirmed"].decoded("dtstart")
    assert (start.tzinfo.key, start.hour) == ("Asia/Dushanbe", 9)
    assert {str(zone["tzid"]) for zone in calendar.walk("VTIMEZONE")} == {
        "Asia/Dushanbe",
        "Asia/Bishkek",
    }


def test_a_cancelled_session_stays_in_the_feed_as_cancelled(
    app, client, login_as, programme, bishkek, facilitator
):
    me = login_as(Role.PARTICIPANT)
    session = add_session(programme, facilitator, bishkek, utc(5, 4, 3), utc(5, 4, 6))
    enrol(session, me)
    client.post("/sessions/calendar")
    login_as(Role.STAFF)
    client.post(f"/sessions/{session.id}/cancel")

    found = events(parse(visitor(app).get(feed_path(me))))
    assert str(found["A session"]["status"]) == "CANCELLED"


def test_a_facilitators_feed_lists_what_they_lead_or_co_lead(
    app, client, make_user, programme, bishkek, facilitator
):
    other = make_user(Role.FACILITATOR)
    add_session(programme, facilitator, bishkek, utc(5, 4, 3), utc(5, 4, 6), title="Leads")
    add_session(
        programme, other, bishkek, utc(5, 5, 3), utc(5, 5, 6), co=[facilitator], title="Co-leads"
    )
    add_session(programme, other, bishkek, utc(5, 6, 3), utc(5, 6, 6), title="Not theirs")
    log_in(client, facilitator)
    client.post("/sessions/calendar")

    found = events(parse(visitor(app).get(feed_path(facilitator))))
    assert set(found) == {"Leads", "Co-leads"}


def test_resetting_the_link_kills_the_old_one(app, client, login_as, programme, bishkek):
    me = login_as(Role.FACILITATOR)
    add_session(programme, me, bishkek, utc(5, 4, 3), utc(5, 4, 6))
    client.post("/sessions/calendar")
    old = feed_path(me)
    assert visitor(app).get(old).status_code == 200

    response = client.post("/sessions/calendar/reset")

    assert response.status_code == 302
    new = feed_path(me)
    assert new != old
    assert visitor(app).get(old).status_code == 404
    assert visitor(app).get(new).status_code == 200
    assert db.session.scalar(select(func.count()).select_from(CalendarToken)) == 1


def test_unknown_links_are_not_found(app, client, login_as):
    me = login_as(Role.PARTICIPANT)
    client.post("/sessions/calendar")
    real = feed_path(me)
    assert visitor(app).get("/sessions/feed/not-a-token.ics").status_code == 404
    assert visitor(app).get(real[:-8] + "x.ics").status_code == 404
    assert visitor(app).get("/sessions/feed/" + "a" * 300 + ".ics").status_code == 404


def test_a_deactivated_persons_feed_stops(app, client, login_as):
    me = login_as(Role.PARTICIPANT)
    client.post("/sessions/calendar")
    path = feed_path(me)
    me.deactivate()
    db.session.commit()
    assert visitor(app).get(path).status_code == 404


def test_an_empty_feed_is_still_a_calendar(app, client, login_as):
    me = login_as(Role.PARTICIPANT)
    client.post("/sessions/calendar")
    calendar = parse(visitor(app).get(feed_path(me)))
    assert calendar.walk("VEVENT") == []


def test_sessions_long_past_leave_the_feed(app, client, login_as, programme, bishkek):
    me = login_as(Role.FACILITATOR)
    now = utc(1, 1, 0, year=YEAR - 1)
    add_session(programme, me, bishkek, now - timedelta(days=800), now - timedelta(days=799))
    client.post("/sessions/calendar")
    assert parse(visitor(app).get(feed_path(me))).walk("VEVENT") == []


def test_the_calendar_pages_need_a_login(client):
    assert client.get("/sessions/calendar").status_code == 302
    assert client.post("/sessions/calendar").status_code == 302
    assert client.post("/sessions/calendar/reset").status_code == 302
    assert db.session.scalar(select(func.count()).select_from(CalendarToken)) == 0


@pytest.mark.parametrize("role", list(Role))
def test_everyone_signed_in_may_have_a_feed(client, login_as, role):
    login_as(role)
    response = client.get("/sessions/calendar")
    assert response.status_code == 200
    assert len(page(response).find_all("h1")) == 1
    assert client.post("/sessions/calendar").status_code == 302


def test_the_feed_is_named_in_its_owners_language(app, client, make_user):
    owner = make_user(Role.PARTICIPANT, language=Language.KYRGYZ)
    log_in(client, owner)
    client.post("/sessions/calendar")
    calendar_app = app.test_client()
    calendar_app.set_cookie("lang", "en")  # a calendar app's own language does not matter
    body = calendar_app.get(feed_path(owner)).get_data(as_text=True)
    name = next(line for line in body.splitlines() if line.startswith("X-WR-CALNAME:"))
    assert english_words(name.removeprefix("X-WR-CALNAME:")) == []
