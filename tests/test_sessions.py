"""Scheduling training sessions, double-booking across time zones, quotas, status and browsing.

Bishkek is UTC+6 and Dushanbe UTC+5, all year round (neither has daylight saving time), so every
local time in these tests has one UTC instant, written out beside it.
"""

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from tests.conftest import count_queries, field_error, flashes, log_in, page
from tests.factories import YEAR, add_session, enrol, make_programme, region_named, utc
from tot.db_types import utcnow
from tot.enrolment.models import EnrolmentStatus
from tot.errors import DomainError
from tot.extensions import db
from tot.notifications.models import Notification
from tot.permissions import Role
from tot.regions.models import Region
from tot.sessions import services
from tot.sessions.models import (
    EnrolmentMode,
    SeatQuota,
    SessionStatus,
    TrainingSession,
)


@pytest.fixture
def bishkek(app) -> Region:
    return region_named("Bishkek city")  # Asia/Bishkek, UTC+6


@pytest.fixture
def dushanbe(app) -> Region:
    return region_named("Dushanbe city")  # Asia/Dushanbe, UTC+5


@pytest.fixture
def programme(app):
    return make_programme("Legal Aid TOT")


@pytest.fixture
def facilitator(make_user):
    return make_user(Role.FACILITATOR, full_name="Aida Facilitator")


@pytest.fixture
def other_facilitator(make_user):
    return make_user(Role.FACILITATOR, full_name="Bakyt Facilitator")


def session_form(programme, region, lead, **overrides) -> dict:
    data = {
        "programme_id": str(programme.id),
        "title": "Legal aid in Khujand",
        "description": "Bring **your** questions.",
        "starts_at": f"{YEAR}-05-04T09:00",
        "ends_at": f"{YEAR}-05-04T12:00",
        "region_id": str(region.id),
        "venue": "Hotel Sugd",
        "address": "12 Lenin Street",
        "timezone": "",
        "capacity": "20",
        "enrolment_opens_at": "",
        "enrolment_closes_at": "",
        "enrolment_mode": "open",
        "lead_facilitator_id": str(lead.id),
        "co_facilitator_ids": [],
        "override_reason": "",
    }
    data.update(overrides)
    return data


def session_count() -> int:
    return db.session.scalar(select(func.count()).select_from(TrainingSession))


def only_session() -> TrainingSession:
    return db.session.execute(select(TrainingSession)).scalar_one()


def fresh(session: TrainingSession) -> TrainingSession:
    db.session.expire_all()
    return db.session.get(TrainingSession, session.id)


def path_of(response) -> str:
    return urlsplit(response.headers["Location"]).path


def notifications(kind=None) -> list[Notification]:
    statement = select(Notification).order_by(Notification.user_id)
    if kind:
        statement = statement.filter_by(kind=kind)
    return list(db.session.scalars(statement))


# --- times on the session's clock -----------------------------------------------------------------


def test_the_time_filters_name_the_zone(app):
    from flask_babel import force_locale

    from tot.sessions.templating import local_input, session_time

    with app.test_request_context():
        shown = session_time(utc(5, 4, 4), "Asia/Dushanbe")
        assert "09:00" in shown
        assert "(Dushanbe time)" in shown
        assert "(Bishkek time)" in session_time(utc(5, 4, 4), "Asia/Bishkek")
        assert "10:00" in session_time(utc(5, 4, 4), "Asia/Bishkek")
        assert local_input(utc(5, 4, 4), "Asia/Bishkek") == f"{YEAR}-05-04T10:00"
        assert local_input(utc(5, 4, 19, 15), "Asia/Dushanbe") == f"{YEAR}-05-05T00:15"
        assert local_input(None, "Asia/Bishkek") == ""
        with force_locale("ru"):
            assert "мая" in session_time(utc(5, 4, 4), "Asia/Dushanbe")


# --- scheduling ----------------------------------------------------------------------------------


def test_staff_schedule_a_session_on_the_regions_clock(
    client, login_as, programme, dushanbe, facilitator
):
    login_as(Role.STAFF)
    assert client.get("/sessions/new").status_code == 200

    response = client.post("/sessions/new", data=session_form(programme, dushanbe, facilitator))

    assert response.status_code == 302
    session = only_session()
    assert path_of(response) == f"/sessions/{session.id}"
    assert session.status is SessionStatus.DRAFT
    assert session.timezone == "Asia/Dushanbe"  # left empty: the region's zone
    # 09:00–12:00 in Dushanbe (UTC+5) is 04:00–07:00 UTC.
    assert session.starts_at == utc(5, 4, 4)
    assert session.ends_at == utc(5, 4, 7)
    assert session.lead_facilitator_id == facilitator.id
    assert session.enrolment_closes_at is None  # closes when the session starts
    assert session.enrolment_mode is EnrolmentMode.OPEN
    soup = page(client.get(response.headers["Location"]))
    assert soup.h1.get_text(strip=True) == "Legal aid in Khujand"


def test_a_chosen_time_zone_wins_over_the_regions(
    client, login_as, programme, dushanbe, facilitator
):
    login_as(Role.STAFF)
    client.post(
        "/sessions/new",
        data=session_form(programme, dushanbe, facilitator, timezone="Asia/Bishkek"),
    )
    session = only_session()
    assert session.timezone == "Asia/Bishkek"
    assert session.starts_at == utc(5, 4, 3)  # 09:00 in Bishkek (UTC+6)


def test_enrolment_window_is_read_on_the_sessions_clock(
    client, login_as, programme, bishkek, facilitator
):
    login_as(Role.STAFF)
    client.post(
        "/sessions/new",
        data=session_form(
            programme,
            bishkek,
            facilitator,
            enrolment_opens_at=f"{YEAR}-04-01T08:00",
            enrolment_closes_at=f"{YEAR}-05-03T18:00",
            enrolment_mode="approval",
        ),
    )
    session = only_session()
    assert session.enrolment_opens_at == utc(4, 1, 2)
    assert session.enrolment_closes_at == utc(5, 3, 12)
    assert session.enrolment_mode is EnrolmentMode.APPROVAL


def test_a_facilitator_schedules_a_session_they_lead(
    client, login_as, make_user, programme, bishkek
):
    me = login_as(Role.FACILITATOR)
    colleague = make_user(Role.FACILITATOR, full_name="Colleague")
    soup = page(client.get("/sessions/new"))
    assert soup.select_one("#lead_facilitator_id option[selected]")["value"] == str(me.id)
    assert soup.select_one("#override_reason") is None  # overriding is for staff

    response = client.post(
        "/sessions/new",
        data=session_form(programme, bishkek, me, co_facilitator_ids=[str(colleague.id)]),
    )

    assert response.status_code == 302
    session = only_session()
    assert session.lead_facilitator_id == me.id
    assert [person.id for person in session.co_facilitators] == [colleague.id]


def test_a_facilitator_may_not_make_someone_else_the_lead(
    client, login_as, programme, bishkek, other_facilitator
):
    login_as(Role.FACILITATOR)
    response = client.post(
        "/sessions/new", data=session_form(programme, bishkek, other_facilitator)
    )
    assert response.status_code == 200
    assert "Only staff" in field_error(page(response), "lead_facilitator_id")
    assert session_count() == 0


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"ends_at": f"{YEAR}-05-04T08:00"}, "ends_at", "must end after it starts"),
        ({"ends_at": f"{YEAR}-05-04T09:00"}, "ends_at", "must end after it starts"),
        ({"starts_at": f"{YEAR}-02-30T09:00"}, "starts_at", "do not exist"),
        ({"ends_at": f"{YEAR}-13-01T09:00"}, "ends_at", "do not exist"),
        ({"starts_at": "tomorrow morning"}, "starts_at", "do not exist"),
        ({"starts_at": "0001-01-01T00:00"}, "starts_at", "between 2000 and 2100"),
        ({"starts_at": ""}, "starts_at", "Enter when the session starts"),
        (
            {"enrolment_closes_at": f"{YEAR}-05-04T09:30"},
            "enrolment_closes_at",
            "close by the time the session starts",
        ),
        (
            {
                "enrolment_opens_at": f"{YEAR}-05-02T10:00",
                "enrolment_closes_at": f"{YEAR}-05-01T10:00",
            },
            "enrolment_opens_at",
            "open before it closes",
        ),
        ({"capacity": "0"}, "capacity", "from 1 to 500"),
        ({"capacity": "501"}, "capacity", "from 1 to 500"),
        ({"capacity": "twenty"}, "capacity", "whole number"),
        ({"capacity": "99999999999999999999999"}, "capacity", "from 1 to 500"),
        ({"title": "  "}, "title", "Enter a title"),
        ({"venue": ""}, "venue", "Enter the venue"),
        ({"programme_id": ""}, "programme_id", "Choose a programme"),
        ({"region_id": ""}, "region_id", "Choose a region"),
        ({"region_id": "99999999999"}, "region_id", "Choose a region"),
        ({"timezone": "Europe/Paris"}, "timezone", "valid choice"),
        ({"co_facilitator_ids": ["abc"]}, "co_facilitator_ids", "from the list"),
    ],
)
def test_bad_input_is_shown_beside_its_field_and_nothing_is_saved(
    client, login_as, programme, dushanbe, facilitator, overrides, field, message
):
    login_as(Role.STAFF)
    response = client.post(
        "/sessions/new", data=session_form(programme, dushanbe, facilitator, **overrides)
    )
    assert response.status_code == 200
    soup = page(response)
    assert message in field_error(soup, field)
    assert soup.select_one(".error-summary") is not None
    assert session_count() == 0


def test_a_draft_programme_cannot_be_chosen(client, login_as, dushanbe, facilitator):
    login_as(Role.STAFF)
    draft = make_programme("Unfinished", published=False)
    soup = page(client.get("/sessions/new"))
    assert "Unfinished" not in soup.select_one("#programme_id").get_text()

    response = client.post("/sessions/new", data=session_form(draft, dushanbe, facilitator))
    assert field_error(page(response), "programme_id")
    assert session_count() == 0


def test_a_retired_region_cannot_be_chosen(client, login_as, make_region, programme, facilitator):
    login_as(Role.STAFF)
    retired = make_region("Old district", retired=True)
    response = client.post("/sessions/new", data=session_form(programme, retired, facilitator))
    assert field_error(page(response), "region_id")
    assert session_count() == 0


def test_the_edit_form_shows_local_times(client, login_as, programme, dushanbe, facilitator):
    session = add_session(programme, facilitator, dushanbe, utc(5, 4, 4), utc(5, 4, 7))
    login_as(Role.STAFF)
    soup = page(client.get(f"/sessions/{session.id}/edit"))
    assert soup.select_one("#starts_at")["value"] == f"{YEAR}-05-04T09:00"
    assert soup.select_one("#ends_at")["value"] == f"{YEAR}-05-04T12:00"
    assert soup.select_one("#starts_at")["type"] == "datetime-local"


def test_staff_edit_a_session(client, login_as, programme, dushanbe, bishkek, facilitator):
    session = add_session(programme, facilitator, dushanbe, utc(5, 4, 4), utc(5, 4, 7))
    login_as(Role.STAFF)
    response = client.post(
        f"/sessions/{session.id}/edit",
        data=session_form(programme, bishkek, facilitator, title="Moved to Bishkek"),
    )
    assert response.status_code == 302
    session = fresh(session)
    assert session.title == "Moved to Bishkek"
    assert session.region_id == bishkek.id
    assert session.timezone == "Asia/Bishkek"
    assert session.starts_at == utc(5, 4, 3)


def test_a_facilitator_edits_a_session_they_co_lead(
    client, login_as, programme, bishkek, other_facilitator
):
    me = login_as(Role.FACILITATOR)
    session = add_session(
        programme, other_facilitator, bishkek, utc(5, 4, 3), utc(5, 4, 6), co=[me]
    )
    assert client.get(f"/sessions/{session.id}/edit").status_code == 200
    response = client.post(
        f"/sessions/{session.id}/edit",
        data=session_form(
            programme,
            bishkek,
            other_facilitator,
            title="Renamed by the co-facilitator",
            co_facilitator_ids=[str(me.id)],
        ),
    )
    assert response.status_code == 302
    assert fresh(session).title == "Renamed by the co-facilitator"


def test_a_facilitator_may_not_edit_anothers_session(
    client, login_as, programme, bishkek, other_facilitator
):
    login_as(Role.FACILITATOR)
    session = add_session(
        programme, other_facilitator, bishkek, utc(5, 4, 3), utc(5, 4, 6), title="Theirs"
    )
    assert client.get(f"/sessions/{session.id}/edit").status_code == 403
    response = client.post(
        f"/sessions/{session.id}/edit",
        data=session_form(programme, bishkek, other_facilitator, title="Hijacked"),
    )
    assert response.status_code == 403
    assert fresh(session).title == "Theirs"
    for action in ("publish", "cancel", "complete"):
        assert client.post(f"/sessions/{session.id}/{action}").status_code == 403
    assert fresh(session).status is SessionStatus.PUBLISHED


def test_capacity_below_the_confirmed_seats_is_refused(
    client, login_as, make_user, programme, bishkek, facilitator
):
    session = add_session(programme, facilitator, bishkek, utc(5, 4, 3), utc(5, 4, 6))
    for _ in range(3):
        enrol(session, make_user())
    enrol(session, make_user(), EnrolmentStatus.WAITLISTED)  # not a seat
    login_as(Role.STAFF)

    response = client.post(
        f"/sessions/{session.id}/edit",
        data=session_form(programme, bishkek, facilitator, capacity="2", title="Smaller"),
    )
    assert "3 people already have a confirmed seat" in field_error(page(response), "capacity")
    assert fresh(session).capacity == 20
    assert fresh(session).title == "A session"

    response = client.post(
        f"/sessions/{session.id}/edit",
        data=session_form(programme, bishkek, facilitator, capacity="3"),
    )
    assert response.status_code == 302
    assert fresh(session).capacity == 3


def test_more_seats_move_the_waiting_list_up(
    client, login_as, make_user, programme, bishkek, facilitator
):
    session = add_session(programme, facilitator, bishkek, utc(5, 4, 3), utc(5, 4, 6), capacity=1)
    enrol(session, make_user())
    waiting = enrol(session, make_user(), EnrolmentStatus.WAITLISTED)
    login_as(Role.STAFF)
    client.post(
        f"/sessions/{session.id}/edit",
        data=session_form(
            programme,
            bishkek,
            facilitator,
            capacity="2",
            title="A session",
            venue="Community centre",
            address="",
        ),
    )
    db.session.refresh(waiting)
    assert waiting.status is EnrolmentStatus.CONFIRMED
    assert [n.user_id for n in notifications("enrolment.promoted")] == [waiting.user_id]


def test_capacity_below_the_quotas_reservations_is_refused(
    client, login_as, programme, bishkek, dushanbe, facilitator
):
    session = add_session(programme, facilitator, bishkek, utc(5, 4, 3), utc(5, 4, 6))
    session.quotas.append(SeatQuota(region=bishkek, reserved=6))
    session.quotas.append(SeatQuota(region=dushanbe, reserved=5))
    db.session.commit()
    login_as(Role.STAFF)
    response = client.post(
        f"/sessions/{session.id}/edit",
        data=session_form(programme, bishkek, facilitator, capacity="10"),
    )
    assert "reserve 11 seats" in field_error(page(response), "capacity")
    assert fresh(session).capacity == 20


def test_a_cancelled_session_can_no_longer_be_edited(
    client, login_as, programme, bishkek, facilitator
):
    session = add_session(
        programme,
        facilitator,
        bishkek,
        utc(5, 4, 3),
        utc(5, 4, 6),
        status=SessionStatus.CANCELLED,
    )
    login_as(Role.STAFF)
    response = client.get(f"/sessions/{session.id}/edit")
    assert response.status_code == 302
    assert "no longer be changed" in " ".join(flashes(page(client.get(path_of(response)))))


# --- double-booking ------------------------------------------------------------------------------


def test_the_same_instant_in_two_zones_is_a_double_booking(
    client, login_as, programme, bishkek, dushanbe, facilitator
):
    # 10:00–13:00 in Bishkek (UTC+6) is 04:00–07:00 UTC ...
    add_session(
        programme, facilitator, bishkek, utc(5, 4, 4), utc(5, 4, 7), title="Women's leadership"
    )
    login_as(Role.STAFF)
    # ... and so is 09:00–12:00 in Dushanbe (UTC+5): the local clocks differ, the instants do not.
    response = client.post("/sessions/new", data=session_form(programme, dushanbe, facilitator))

    error = field_error(page(response), "starts_at")
    assert "Aida Facilitator" in error
    assert "Women's leadership" in error
    assert "10:00–13:00 (Bishkek time)" in error  # the conflict, on its own clock
    assert session_count() == 1


def test_touching_sessions_across_zones_do_not_overlap(
    client, login_as, programme, bishkek, dushanbe, facilitator
):
    # 09:00–12:00 in Bishkek is 03:00–06:00 UTC.
    add_session(programme, facilitator, bishkek, utc(5, 4, 3), utc(5, 4, 6))
    login_as(Role.STAFF)
    # 11:00–14:00 in Dushanbe is 06:00–09:00 UTC: it starts the instant the other ends.
    response = client.post(
        "/sessions/new",
        data=session_form(
            programme,
            dushanbe,
            facilitator,
            starts_at=f"{YEAR}-05-04T11:00",
            ends_at=f"{YEAR}-05-04T14:00",
        ),
    )
    assert response.status_code == 302
    new = db.session.scalars(select(TrainingSession).order_by(TrainingSession.id.desc())).first()
    assert new.starts_at == utc(5, 4, 6)


@pytest.mark.parametrize(
    ("local_start", "local_end"),
    [
        ("12:00", "15:00"),  # 07:00–10:00 UTC: after 03:00–06:00 UTC
        ("11:30", "13:00"),  # 06:30–08:00 UTC: overlaps on the clocks (11:30 < 12:00), not in time
    ],
)
def test_later_instants_in_dushanbe_are_free(
    client, login_as, programme, bishkek, dushanbe, facilitator, local_start, local_end
):
    add_session(programme, facilitator, bishkek, utc(5, 4, 3), utc(5, 4, 6))  # 09–12 Bishkek
    login_as(Role.STAFF)
    response = client.post(
        "/sessions/new",
        data=session_form(
            programme,
            dushanbe,
            facilitator,
            starts_at=f"{YEAR}-05-04T{local_start}",
            ends_at=f"{YEAR}-05-04T{local_end}",
        ),
    )
    assert response.status_code == 302
    assert session_count() == 2


def test_around_midnight_instants_decide_not_dates(
    client, login_as, programme, bishkek, dushanbe, facilitator
):
    # An evening session in Bishkek, 20:00–23:30 on 4 May (UTC+6): 14:00–17:30 UTC.
    add_session(programme, facilitator, bishkek, utc(5, 4, 14), utc(5, 4, 17, 30), title="Evening")
    login_as(Role.STAFF)

    # 00:15–02:00 on 5 May in Dushanbe (UTC+5) is 19:15–21:00 UTC on 4 May: after it. Free.
    free = client.post(
        "/sessions/new",
        data=session_form(
            programme,
            dushanbe,
            facilitator,
            title="After midnight",
            starts_at=f"{YEAR}-05-05T00:15",
            ends_at=f"{YEAR}-05-05T02:00",
        ),
    )
    assert free.status_code == 302
    after = db.session.execute(
        select(TrainingSession).filter_by(title="After midnight")
    ).scalar_one()
    assert after.starts_at == utc(5, 4, 19, 15)
    assert after.ends_at == utc(5, 4, 21)

    # 22:00–23:59 on 4 May in Dushanbe is 17:00–18:59 UTC: inside the evening session.
    refused = client.post(
        "/sessions/new",
        data=session_form(
            programme,
            dushanbe,
            facilitator,
            title="Late in Dushanbe",
            starts_at=f"{YEAR}-05-04T22:00",
            ends_at=f"{YEAR}-05-04T23:59",
        ),
    )
    error = field_error(page(refused), "starts_at")
    assert "Evening" in error
    assert "20:00–23:30 (Bishkek time)" in error
    assert session_count() == 2


def test_different_local_dates_can_still_overlap(
    client, login_as, programme, bishkek, dushanbe, facilitator
):
    # 00:30–03:00 on 5 May in Bishkek (UTC+6) is 18:30–21:00 UTC on 4 May.
    add_session(
        programme, facilitator, bishkek, utc(5, 4, 18, 30), utc(5, 4, 21), title="Night shift"
    )
    login_as(Role.STAFF)
    # 23:00–23:45 on 4 May in Dushanbe (UTC+5) is 18:00–18:45 UTC on 4 May: overlaps, although
    # one is "4 May" and the other "5 May" on the local calendars.
    response = client.post(
        "/sessions/new",
        data=session_form(
            programme,
            dushanbe,
            facilitator,
            starts_at=f"{YEAR}-05-04T23:00",
            ends_at=f"{YEAR}-05-04T23:45",
        ),
    )
    assert "Night shift" in field_error(page(response), "starts_at")
    assert session_count() == 1


def test_a_co_facilitator_cannot_be_double_booked_either(
    client, login_as, make_user, programme, bishkek, facilitator, other_facilitator
):
    add_session(
        programme,
        other_facilitator,
        bishkek,
        utc(5, 4, 3),
        utc(5, 4, 6),
        co=[facilitator],
        title="Co-led",
    )
    third = make_user(Role.FACILITATOR, full_name="Chynara Facilitator")
    login_as(Role.STAFF)
    at_ten = {"starts_at": f"{YEAR}-05-04T10:00", "ends_at": f"{YEAR}-05-04T11:00"}

    # Co-facilitating again at the same time: refused.
    response = client.post(
        "/sessions/new",
        data=session_form(
            programme, bishkek, third, co_facilitator_ids=[str(facilitator.id)], **at_ten
        ),
    )
    error = field_error(page(response), "starts_at")
    assert "Aida Facilitator" in error
    assert "Co-led" in error
    assert "Chynara" not in error

    # Leading a session while co-facilitating another: refused too.
    response = client.post(
        "/sessions/new", data=session_form(programme, bishkek, facilitator, **at_ten)
    )
    assert "Aida Facilitator" in field_error(page(response), "starts_at")
    assert session_count() == 1


def test_cancelled_sessions_do_not_block_the_time(
    client, login_as, programme, bishkek, facilitator
):
    add_session(
        programme,
        facilitator,
        bishkek,
        utc(5, 4, 3),
        utc(5, 4, 6),
        status=SessionStatus.CANCELLED,
    )
    login_as(Role.STAFF)
    response = client.post("/sessions/new", data=session_form(programme, bishkek, facilitator))
    assert response.status_code == 302
    scheduled = db.session.scalar(
        select(TrainingSession).where(TrainingSession.status == SessionStatus.DRAFT)
    )
    assert scheduled.title == "Legal aid in Khujand"
    assert scheduled.lead_facilitator_id == facilitator.id
    assert scheduled.overlap_override_reason is None  # nothing to override
    assert urlsplit(response.headers["Location"]).path == f"/sessions/{scheduled.id}"
    assert session_count() == 2


def test_staff_override_a_double_booking_with_a_recorded_reason(
    client, login_as, programme, bishkek, facilitator
):
    add_session(programme, facilitator, bishkek, utc(5, 4, 3), utc(5, 4, 6), title="First")
    staff = login_as(Role.STAFF)

    refused = client.post("/sessions/new", data=session_form(programme, bishkek, facilitator))
    assert "give a reason for the override" in field_error(page(refused), "starts_at")
    assert session_count() == 1

    response = client.post(
        "/sessions/new",
        data=session_form(
            programme,
            bishkek,
            facilitator,
            title="Second",
            override_reason="Half-day visit only; her co-trainer covers the first session.",
        ),
    )
    assert response.status_code == 302
    second = db.session.execute(select(TrainingSession).filter_by(title="Second")).scalar_one()
    assert second.overlap_override_reason.startswith("Half-day visit only")
    assert second.overlap_override_by_id == staff.id
    soup = page(client.get(path_of(response)))
    assert "Half-day visit only" in soup.select_one(".override-note").get_text()


def test_a_facilitator_cannot_override_a_double_booking(client, login_as, programme, bishkek):
    me = login_as(Role.FACILITATOR)
    add_session(programme, me, bishkek, utc(5, 4, 3), utc(5, 4, 6), title="Mine already")
    response = client.post(
        "/sessions/new",
        data=session_form(programme, bishkek, me, override_reason="I can be in two places."),
    )
    soup = page(response)
    assert "Mine already" in field_error(soup, "starts_at")
    assert "override" not in field_error(soup, "starts_at")
    assert session_count() == 1


def test_the_rule_itself_lets_no_facilitator_override(app, programme, bishkek, facilitator):
    """Whatever a view passes on, only staff may schedule over another session."""
    add_session(programme, facilitator, bishkek, utc(5, 4, 3), utc(5, 4, 6), title="Taken")
    details = services.SessionDetails(
        programme=programme,
        title="Again",
        starts_local=datetime(YEAR, 5, 4, 9),
        ends_local=datetime(YEAR, 5, 4, 10),
        region=bishkek,
        venue="Elsewhere",
        capacity=10,
        lead_facilitator=facilitator,
        override_reason="Please",
    )
    with pytest.raises(DomainError) as refusal:
        services.create_session(facilitator, details)
    assert "Taken" in refusal.value.message
    assert refusal.value.field == "starts_at"
    db.session.rollback()
    assert session_count() == 1


def test_a_time_the_clocks_skip_is_refused():
    # Where clocks spring forward (not in Bishkek or Dushanbe), 02:30 on that night never happens.
    with pytest.raises(DomainError) as refusal:
        services.to_utc(datetime(2026, 3, 29, 2, 30), ZoneInfo("Europe/Berlin"), "starts_at")
    assert refusal.value.field == "starts_at"
    assert services.to_utc(
        datetime(2026, 3, 29, 3, 30), ZoneInfo("Europe/Berlin"), "starts_at"
    ) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


def test_an_unchanged_schedule_is_not_checked_again(
    client, login_as, programme, bishkek, facilitator
):
    """A session scheduled over another by staff stays editable for its facilitator."""
    add_session(programme, facilitator, bishkek, utc(5, 4, 3), utc(5, 4, 6), title="First")
    second = add_session(
        programme,
        facilitator,
        bishkek,
        utc(5, 4, 4),
        utc(5, 4, 5),
        title="Second",
        overlap_override_reason="Agreed",
    )
    log_in(client, facilitator)
    response = client.post(
        f"/sessions/{second.id}/edit",
        data=session_form(
            programme,
            bishkek,
            facilitator,
            title="Second, renamed",
            starts_at=f"{YEAR}-05-04T10:00",
            ends_at=f"{YEAR}-05-04T11:00",
        ),
    )
    assert response.status_code == 302
    assert fresh(second).title == "Second, renamed"

    # Moving it is checked again, and a facilitator cannot override.
    response = client.post(
        f"/sessions/{second.id}/edit",
        data=session_form(
            programme,
            bishkek,
            facilitator,
            starts_at=f"{YEAR}-05-04T10:30",
            ends_at=f"{YEAR}-05-04T11:00",
        ),
    )
    assert "First" in field_error(page(response), "starts_at")
    assert fresh(second).starts_at == utc(5, 4, 4)


def test_the_same_venue_at_the_same_time_is_a_warning(
    client, login_as, programme, bishkek, facilitator, other_facilitator
):
    add_session(
        programme,
        other_facilitator,
        bishkek,
        utc(5, 4, 4),
        utc(5, 4, 8),
        venue="Hotel Ala-Too",
        title="Conflict sensitivity",
    )
    login_as(Role.STAFF)
    response = client.post(
        "/sessions/new",
        data=session_form(programme, bishkek, facilitator, venue="  hotel ala-too "),
    )
    assert response.status_code == 302  # saved all the same
    assert session_count() == 2
    messages = flashes(page(client.get(path_of(response))))
    assert any(
        "Conflict sensitivity" in message and "same venue" in message for message in messages
    )


def test_the_same_venue_name_in_another_region_is_no_warning(
    client, login_as, programme, bishkek, dushanbe, facilitator, other_facilitator
):
    add_session(
        programme, other_facilitator, dushanbe, utc(5, 4, 4), utc(5, 4, 8), venue="Hotel Sugd"
    )
    login_as(Role.STAFF)
    response = client.post("/sessions/new", data=session_form(programme, bishkek, facilitator))
    assert not any("same venue" in m for m in flashes(page(client.get(path_of(response)))))


# --- status --------------------------------------------------------------------------------------


def test_publish_a_draft(client, login_as, programme, bishkek):
    me = login_as(Role.FACILITATOR)
    session = add_session(
        programme, me, bishkek, utc(5, 4, 3), utc(5, 4, 6), status=SessionStatus.DRAFT
    )
    assert client.get(f"/sessions/{session.id}/publish").status_code == 405
    response = client.post(f"/sessions/{session.id}/publish")
    assert response.status_code == 302
    assert fresh(session).status is SessionStatus.PUBLISHED
    # Publishing twice is refused with a message, not an error page.
    response = client.post(f"/sessions/{session.id}/publish", follow_redirects=True)
    assert "Only a draft" in " ".join(flashes(page(response)))


def test_cancel_tells_everyone_enrolled(
    client, login_as, make_user, programme, bishkek, facilitator
):
    session = add_session(programme, facilitator, bishkek, utc(5, 4, 3), utc(5, 4, 6))
    confirmed, waiting, pending, gone = (make_user() for _ in range(4))
    enrol(session, confirmed)
    enrol(session, waiting, EnrolmentStatus.WAITLISTED)
    enrol(session, pending, EnrolmentStatus.PENDING)
    enrol(session, gone, EnrolmentStatus.WITHDRAWN)
    login_as(Role.STAFF)

    response = client.post(f"/sessions/{session.id}/cancel")

    assert response.status_code == 302
    session = fresh(session)
    assert session.status is SessionStatus.CANCELLED
    assert session.cancelled_at is not None
    sent = notifications("session.cancelled")
    assert {n.user_id for n in sent} == {confirmed.id, waiting.id, pending.id}
    assert all(n.link == f"/sessions/{session.id}" for n in sent)
    soup = page(client.get(f"/sessions/{session.id}"))
    assert soup.select_one(".session-cancelled") is not None


def test_moving_a_published_session_tells_those_enrolled(
    client, login_as, make_user, programme, bishkek, facilitator
):
    session = add_session(programme, facilitator, bishkek, utc(5, 4, 3), utc(5, 4, 6))
    person = make_user()
    enrol(session, person)
    login_as(Role.STAFF)
    form = session_form(
        programme,
        bishkek,
        facilitator,
        title="A session",
        starts_at=f"{YEAR}-05-04T09:00",
        ends_at=f"{YEAR}-05-04T12:00",
        venue="Community centre",
        address="",
    )

    client.post(f"/sessions/{session.id}/edit", data={**form, "description": "New text"})
    assert notifications("session.changed") == []  # only the description changed

    client.post(f"/sessions/{session.id}/edit", data={**form, "starts_at": f"{YEAR}-05-04T10:00"})
    assert [n.user_id for n in notifications("session.changed")] == [person.id]

    client.post(
        f"/sessions/{session.id}/edit",
        data={**form, "starts_at": f"{YEAR}-05-04T10:00", "venue": "Hotel Ala-Too"},
    )
    assert len(notifications("session.changed")) == 2


def test_moving_a_draft_tells_nobody(client, login_as, make_user, programme, bishkek, facilitator):
    session = add_session(
        programme, facilitator, bishkek, utc(5, 4, 3), utc(5, 4, 6), status=SessionStatus.DRAFT
    )
    enrol(session, make_user())
    login_as(Role.STAFF)
    client.post(
        f"/sessions/{session.id}/edit",
        data=session_form(programme, bishkek, facilitator, starts_at=f"{YEAR}-05-04T08:00"),
    )
    assert notifications() == []


def test_mark_completed_only_once_started(client, login_as, programme, bishkek, facilitator):
    now = utcnow()
    future = add_session(programme, facilitator, bishkek, utc(5, 4, 3), utc(5, 4, 6))
    started = add_session(
        programme,
        facilitator,
        bishkek,
        now - timedelta(hours=5),
        now - timedelta(hours=1),
        title="Done",
    )
    login_as(Role.STAFF)
    response = client.post(f"/sessions/{future.id}/complete", follow_redirects=True)
    assert "not started yet" in " ".join(flashes(page(response)))
    assert fresh(future).status is SessionStatus.PUBLISHED

    client.post(f"/sessions/{started.id}/complete")
    assert fresh(started).status is SessionStatus.COMPLETED


# --- seat quotas ---------------------------------------------------------------------------------


def quota_form(region, prefix="new", **values) -> dict:
    data = {"region_id": str(region.id), "cap": "", "reserved": "", "reserved_until": ""}
    data.update(values)
    return {f"{prefix}-{key}": value for key, value in data.items()}


def test_add_edit_and_remove_quotas(client, login_as, programme, bishkek, dushanbe, facilitator):
    session = add_session(programme, facilitator, bishkek, utc(5, 4, 3), utc(5, 4, 6))
    login_as(Role.STAFF)
    assert client.get(f"/sessions/{session.id}/quotas").status_code == 200

    response = client.post(
        f"/sessions/{session.id}/quotas",
        data=quota_form(dushanbe, cap="8", reserved="5", reserved_until=f"{YEAR}-04-20T18:00"),
    )
    assert response.status_code == 302
    quota = db.session.execute(select(SeatQuota)).scalar_one()
    assert (quota.region_id, quota.cap, quota.reserved) == (dushanbe.id, 8, 5)
    assert quota.reserved_until == utc(4, 20, 12)  # 18:00 on the session's clock, Bishkek
    soup = page(client.get(f"/sessions/{session.id}"))
    assert "Dushanbe city" in soup.select_one(".quota-summary").get_text()

    # Caps may add up to more than the capacity.
    client.post(f"/sessions/{session.id}/quotas", data=quota_form(bishkek, cap="15"))
    assert db.session.scalar(select(func.count()).select_from(SeatQuota)) == 2

    prefix = f"quota-{quota.id}"
    response = client.post(
        f"/sessions/{session.id}/quotas/{quota.id}",
        data=quota_form(dushanbe, prefix=prefix, cap="10", reserved="2"),
    )
    assert response.status_code == 302
    db.session.refresh(quota)
    assert (quota.cap, quota.reserved, quota.reserved_until) == (10, 2, None)

    client.post(f"/sessions/{session.id}/quotas/{quota.id}/delete")
    assert db.session.scalars(select(SeatQuota.region_id)).all() == [bishkek.id]


def test_removing_a_cap_moves_the_waiting_list_up(
    client, login_as, make_user, programme, bishkek, facilitator
):
    session = add_session(programme, facilitator, bishkek, utc(5, 4, 3), utc(5, 4, 6), capacity=5)
    session.quotas.append(SeatQuota(region=bishkek, cap=1))
    db.session.commit()
    enrol(session, make_user(region=bishkek))
    waiting = enrol(session, make_user(region=bishkek), EnrolmentStatus.WAITLISTED)
    login_as(Role.STAFF)
    client.post(f"/sessions/{session.id}/quotas/{session.quotas[0].id}/delete")
    db.session.refresh(waiting)
    assert waiting.status is EnrolmentStatus.CONFIRMED


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"cap": "21"}, "cap", "from 1 to the session's capacity (20)"),
        ({"cap": "0"}, "cap", "from 1 to the session's capacity"),
        ({"cap": "-3"}, "cap", "from 1 to the session's capacity"),
        ({"cap": "4", "reserved": "5"}, "reserved", "more seats reserved than its cap"),
        ({"reserved": "0"}, "reserved", "at least 1"),
        ({"reserved": "15"}, "reserved", "at most 20 seats; the others already reserve 10"),
        ({}, "cap", "a cap, a number of reserved seats, or both"),
        ({"cap": "many"}, "cap", "whole number"),
        ({"cap": "5", "reserved_until": f"{YEAR}-04-01T10:00"}, "reserved_until", "reserved"),
        ({"reserved": "2", "reserved_until": f"{YEAR}-04-31T10:00"}, "reserved_until", "exist"),
    ],
)
def test_quota_rules(
    client, login_as, make_region, programme, bishkek, dushanbe, facilitator, values, field, message
):
    session = add_session(programme, facilitator, bishkek, utc(5, 4, 3), utc(5, 4, 6))
    session.quotas.append(SeatQuota(region=bishkek, reserved=10))
    db.session.commit()
    login_as(Role.STAFF)

    response = client.post(f"/sessions/{session.id}/quotas", data=quota_form(dushanbe, **values))

    assert response.status_code == 200
    assert message in field_error(page(response), f"new-{field}")
    assert db.session.scalar(select(func.count()).select_from(SeatQuota)) == 1


def test_one_quota_per_region(client, login_as, programme, bishkek, facilitator):
    session = add_session(programme, facilitator, bishkek, utc(5, 4, 3), utc(5, 4, 6))
    session.quotas.append(SeatQuota(region=bishkek, cap=5))
    db.session.commit()
    login_as(Role.STAFF)
    response = client.post(f"/sessions/{session.id}/quotas", data=quota_form(bishkek, cap="3"))
    assert "already has a quota for Bishkek city" in field_error(page(response), "new-region_id")


def test_editing_a_quota_shows_its_errors_in_its_own_form(
    client, login_as, programme, bishkek, dushanbe, facilitator
):
    session = add_session(programme, facilitator, bishkek, utc(5, 4, 3), utc(5, 4, 6))
    session.quotas.append(SeatQuota(region=dushanbe, cap=5))
    db.session.commit()
    quota = session.quotas[0]
    login_as(Role.STAFF)
    prefix = f"quota-{quota.id}"
    response = client.post(
        f"/sessions/{session.id}/quotas/{quota.id}",
        data=quota_form(dushanbe, prefix=prefix, cap="50"),
    )
    soup = page(response)
    assert "capacity" in field_error(soup, f"{prefix}-cap")
    assert field_error(soup, "new-cap") == ""
    db.session.refresh(quota)
    assert quota.cap == 5


def test_a_quota_of_another_session_is_not_found(client, login_as, programme, bishkek, facilitator):
    one = add_session(programme, facilitator, bishkek, utc(5, 4, 3), utc(5, 4, 6))
    two = add_session(programme, facilitator, bishkek, utc(5, 5, 3), utc(5, 5, 6))
    two.quotas.append(SeatQuota(region=bishkek, cap=5))
    db.session.commit()
    login_as(Role.STAFF)
    quota_id = two.quotas[0].id
    assert client.post(f"/sessions/{one.id}/quotas/{quota_id}/delete").status_code == 404
    assert db.session.scalar(select(func.count()).select_from(SeatQuota)) == 1


def test_only_the_sessions_managers_edit_quotas(
    client, login_as, programme, bishkek, other_facilitator
):
    session = add_session(programme, other_facilitator, bishkek, utc(5, 4, 3), utc(5, 4, 6))
    login_as(Role.FACILITATOR)
    assert client.get(f"/sessions/{session.id}/quotas").status_code == 403
    response = client.post(f"/sessions/{session.id}/quotas", data=quota_form(bishkek, cap="3"))
    assert response.status_code == 403
    assert db.session.scalar(select(func.count()).select_from(SeatQuota)) == 0


# --- browsing ------------------------------------------------------------------------------------


def listed(soup) -> list[str]:
    return [
        a.get_text(strip=True) for a in soup.select("table.session-list tbody td:first-child a")
    ]


def test_the_list_shows_published_upcoming_sessions(client, programme, bishkek, facilitator):
    now = utcnow()
    add_session(programme, facilitator, bishkek, utc(6, 2, 3), utc(6, 2, 6), title="Later")
    add_session(programme, facilitator, bishkek, utc(6, 1, 3), utc(6, 1, 6), title="Sooner")
    add_session(
        programme,
        facilitator,
        bishkek,
        now - timedelta(hours=1),
        now + timedelta(hours=2),
        title="Running now",
    )
    add_session(
        programme,
        facilitator,
        bishkek,
        utc(6, 1, 3),
        utc(6, 1, 6),
        title="A draft",
        status=SessionStatus.DRAFT,
    )
    add_session(
        programme,
        facilitator,
        bishkek,
        utc(6, 1, 3),
        utc(6, 1, 6),
        title="Cancelled",
        status=SessionStatus.CANCELLED,
    )
    add_session(
        programme, facilitator, bishkek, now - timedelta(days=2), now - timedelta(days=1),
        title="Over",
    )  # fmt: skip

    response = client.get("/sessions/")

    assert response.status_code == 200
    assert listed(page(response)) == ["Running now", "Sooner", "Later"]


def test_the_list_shows_local_times_with_the_zone_and_seats_left(
    client, make_user, programme, dushanbe, facilitator
):
    # 09:00–12:00 in Dushanbe.
    session = add_session(programme, facilitator, dushanbe, utc(5, 4, 4), utc(5, 4, 7), capacity=10)
    for _ in range(3):
        enrol(session, make_user())
    enrol(session, make_user(), EnrolmentStatus.PENDING)

    soup = page(client.get("/sessions/"))

    row = soup.select_one("tr.session-row")
    when = row.select_one(".when").get_text(" ", strip=True)
    assert "09:00–12:00" in when
    assert "Dushanbe time" in when
    assert "10:00" not in when
    assert "04:00" not in when
    assert row.select_one(".seats-left").get_text(strip=True) == "7 / 10"
    assert row.select_one(".programme").get_text(strip=True) == "Legal Aid TOT"
    assert "Dushanbe city" in row.select_one(".region").get_text()


def test_filter_by_region_and_programme(client, programme, bishkek, dushanbe, facilitator):
    other_programme = make_programme("Women's Leadership")
    add_session(programme, facilitator, bishkek, utc(6, 1, 3), utc(6, 1, 6), title="Legal B")
    add_session(programme, facilitator, dushanbe, utc(6, 2, 4), utc(6, 2, 7), title="Legal D")
    add_session(other_programme, facilitator, dushanbe, utc(6, 3, 4), utc(6, 3, 7), title="Women D")

    assert listed(page(client.get(f"/sessions/?region={dushanbe.id}"))) == ["Legal D", "Women D"]
    assert listed(page(client.get(f"/sessions/?programme={other_programme.id}"))) == ["Women D"]
    both = client.get(f"/sessions/?region={dushanbe.id}&programme={programme.id}")
    assert listed(page(both)) == ["Legal D"]


def test_filter_by_month_on_the_sessions_own_clock(
    client, programme, bishkek, dushanbe, facilitator
):
    # 00:30 on 1 June in Bishkek is 18:30 UTC on 31 May: a June session for the people there.
    add_session(
        programme, facilitator, bishkek, utc(5, 31, 18, 30), utc(5, 31, 21), title="June, early"
    )
    # 23:00–23:50 on 31 May in Dushanbe is 18:00–18:50 UTC: a May session.
    add_session(
        programme, facilitator, dushanbe, utc(5, 31, 18), utc(5, 31, 18, 50), title="May, late"
    )
    add_session(programme, facilitator, bishkek, utc(7, 1, 3), utc(7, 1, 6), title="July")

    assert listed(page(client.get(f"/sessions/?month={YEAR}-06"))) == ["June, early"]
    assert listed(page(client.get(f"/sessions/?month={YEAR}-05"))) == ["May, late"]
    assert listed(page(client.get(f"/sessions/?month={YEAR}-07"))) == ["July"]


def test_a_session_of_several_days_shows_in_each_month_it_runs(
    client, programme, bishkek, facilitator
):
    add_session(programme, facilitator, bishkek, utc(6, 29, 3), utc(7, 2, 11), title="Four days")
    assert listed(page(client.get(f"/sessions/?month={YEAR}-06"))) == ["Four days"]
    assert listed(page(client.get(f"/sessions/?month={YEAR}-07"))) == ["Four days"]
    assert listed(page(client.get(f"/sessions/?month={YEAR}-08"))) == []
    soup = page(client.get("/sessions/"))
    when = soup.select_one(".when").get_text(" ", strip=True)
    assert "09:00" in when
    assert "17:00" in when


@pytest.mark.parametrize(
    "query",
    [
        "month=May",
        "month=2026-13",
        "region=abc&programme=%00",
        "region=99999999999999999999999",
        "page=99999999999999999999",
        "page=-1",
    ],
)
def test_odd_filters_never_break_the_list(client, programme, bishkek, facilitator, query):
    add_session(programme, facilitator, bishkek, utc(6, 1, 3), utc(6, 1, 6))
    response = client.get(f"/sessions/?{query}")
    assert response.status_code == 200
    if "month" in query:
        assert "such as" in field_error(page(response), "month")


def test_the_list_is_paginated(client, programme, bishkek, facilitator):
    for day in range(1, 26):
        add_session(
            programme, facilitator, bishkek, utc(6, day, 3), utc(6, day, 6), title=f"S{day:02}"
        )
    first = page(client.get("/sessions/"))
    assert len(listed(first)) == 20
    assert first.select_one(".pager a[rel=next]") is not None
    second = page(client.get(f"/sessions/?page=2&region={bishkek.id}"))
    assert listed(second) == [f"S{day}" for day in range(21, 26)]


def test_the_list_costs_the_same_queries_for_few_or_many_sessions(
    client, make_user, make_region, programme, facilitator
):
    def add(count):
        for number in range(count):
            region = make_region()
            lead = make_user(Role.FACILITATOR)
            session = add_session(
                programme,
                lead,
                region,
                utc(6, 1 + number % 28, 3),
                utc(6, 1 + number % 28, 6),
                co=[facilitator],
            )
            enrol(session, make_user())

    add(2)
    with count_queries() as few:
        assert client.get("/sessions/").status_code == 200
    add(25)
    with count_queries() as many:
        assert client.get("/sessions/").status_code == 200
    assert many.count == few.count


# --- one session ---------------------------------------------------------------------------------


def test_a_session_page_shows_times_on_its_own_clock(client, programme, dushanbe, facilitator):
    session = add_session(
        programme,
        facilitator,
        dushanbe,
        utc(5, 4, 4),
        utc(5, 4, 7),
        title="Legal aid",
        description="Bring **your** questions.",
        address="12 Rudaki Avenue",
    )
    soup = page(client.get(f"/sessions/{session.id}"))
    when = soup.select_one(".when").get_text(" ", strip=True)
    assert "09:00–12:00" in when
    assert "Dushanbe time" in when
    assert "10:00" not in when  # not Bishkek's clock, the default of the site
    assert "04:00" not in when  # not UTC
    assert soup.select_one(".description strong").get_text() == "your"
    assert "12 Rudaki Avenue" in soup.select_one(".venue").get_text()
    assert "Aida Facilitator" in soup.select_one(".facilitators").get_text()
    assert len(soup.find_all("h1")) == 1
    assert soup.select_one(".manage-panel") is None  # visitors manage nothing


def test_a_participant_in_bishkek_still_reads_dushanbe_time(
    client, login_as, programme, dushanbe, bishkek, facilitator
):
    login_as(Role.PARTICIPANT, region=bishkek)
    session = add_session(programme, facilitator, dushanbe, utc(5, 4, 4), utc(5, 4, 7))
    when = page(client.get(f"/sessions/{session.id}")).select_one(".when").get_text()
    assert "09:00" in when
    assert "Dushanbe time" in when


def test_managers_see_the_buttons(client, login_as, programme, bishkek):
    me = login_as(Role.FACILITATOR)
    session = add_session(
        programme, me, bishkek, utc(5, 4, 3), utc(5, 4, 6), status=SessionStatus.DRAFT
    )
    soup = page(client.get(f"/sessions/{session.id}"))
    actions = {form["action"] for form in soup.select(".manage-panel form")}
    assert actions == {f"/sessions/{session.id}/publish", f"/sessions/{session.id}/cancel"}
    links = {a["href"] for a in soup.select(".manage-panel a")}
    assert f"/sessions/{session.id}/edit" in links
    assert f"/sessions/{session.id}/quotas" in links


@pytest.mark.parametrize("who", ["visitor", "participant", "other facilitator"])
def test_drafts_are_hidden_from_others(client, login_as, programme, bishkek, facilitator, who):
    draft = add_session(
        programme,
        facilitator,
        bishkek,
        utc(5, 4, 3),
        utc(5, 4, 6),
        status=SessionStatus.DRAFT,
    )
    if who == "participant":
        login_as(Role.PARTICIPANT)
    elif who == "other facilitator":
        login_as(Role.FACILITATOR)
    assert client.get(f"/sessions/{draft.id}").status_code == 404
    assert client.get(f"/sessions/{draft.id}/calendar.ics").status_code == 404


@pytest.mark.parametrize("who", ["staff", "lead", "co"])
def test_drafts_are_seen_by_staff_and_their_facilitators(
    client, login_as, make_user, programme, bishkek, facilitator, who
):
    co = make_user(Role.FACILITATOR)
    draft = add_session(
        programme,
        facilitator,
        bishkek,
        utc(5, 4, 3),
        utc(5, 4, 6),
        status=SessionStatus.DRAFT,
        co=[co],
    )
    if who == "staff":
        login_as(Role.STAFF)
    else:
        log_in(client, facilitator if who == "lead" else co)
    assert client.get(f"/sessions/{draft.id}").status_code == 200


def test_an_unknown_session_is_not_found(client):
    assert client.get("/sessions/424242").status_code == 404
    assert client.get("/sessions/99999999999").status_code == 404


# --- agenda and staff list -----------------------------------------------------------------------


def test_the_agenda_lists_what_i_lead_or_co_lead(
    client, login_as, programme, bishkek, other_facilitator
):
    me = login_as(Role.FACILITATOR)
    now = utcnow()
    add_session(programme, me, bishkek, utc(6, 2, 3), utc(6, 2, 6), title="I lead later")
    add_session(
        programme,
        other_facilitator,
        bishkek,
        utc(6, 1, 3),
        utc(6, 1, 6),
        co=[me],
        title="I co-lead",
    )
    add_session(programme, other_facilitator, bishkek, utc(6, 1, 3), utc(6, 1, 6), title="Not mine")
    add_session(
        programme, me, bishkek, now - timedelta(days=9), now - timedelta(days=8), title="Long ago"
    )
    add_session(
        programme, me, bishkek, now - timedelta(days=3), now - timedelta(days=2), title="Recently"
    )
    add_session(
        programme,
        me,
        bishkek,
        utc(7, 1, 3),
        utc(7, 1, 6),
        title="My draft",
        status=SessionStatus.DRAFT,
    )

    soup = page(client.get("/sessions/agenda"))

    assert listed(soup.select_one(".upcoming")) == ["I co-lead", "I lead later", "My draft"]
    assert listed(soup.select_one(".past")) == ["Recently", "Long ago"]
    assert "Not mine" not in soup.get_text()
    assert "(Bishkek time)" in soup.select_one(".upcoming .when").get_text()


def test_staff_agenda_lists_every_upcoming_session(
    client, login_as, programme, bishkek, facilitator, other_facilitator
):
    login_as(Role.STAFF)
    add_session(programme, facilitator, bishkek, utc(6, 2, 3), utc(6, 2, 6), title="One")
    add_session(programme, other_facilitator, bishkek, utc(6, 1, 3), utc(6, 1, 6), title="Two")
    soup = page(client.get("/sessions/agenda"))
    assert listed(soup.select_one(".upcoming")) == ["Two", "One"]


def test_the_agenda_costs_the_same_queries_for_few_or_many_sessions(
    client, login_as, make_user, make_region, programme
):
    me = login_as(Role.FACILITATOR)

    def add(count):
        for number in range(count):
            add_session(
                programme,
                me,
                make_region(),
                utc(6, 1 + number % 28, 3),
                utc(6, 1 + number % 28, 4),
                co=[make_user(Role.FACILITATOR)],
            )
            add_session(
                programme,
                make_user(Role.FACILITATOR),
                make_region(),
                utc(6, 1, 3) - timedelta(days=500 + number),
                utc(6, 1, 4) - timedelta(days=500 + number),
                co=[me],
            )

    add(2)
    with count_queries() as few:
        assert client.get("/sessions/agenda").status_code == 200
    add(20)
    with count_queries() as many:
        assert client.get("/sessions/agenda").status_code == 200
    assert many.count == few.count


def test_staff_list_every_session_by_status(client, login_as, programme, bishkek, facilitator):
    login_as(Role.STAFF)
    add_session(programme, facilitator, bishkek, utc(6, 1, 3), utc(6, 1, 6), title="Published")
    add_session(
        programme,
        facilitator,
        bishkek,
        utc(6, 2, 3),
        utc(6, 2, 6),
        title="Draft",
        status=SessionStatus.DRAFT,
    )
    assert set(listed(page(client.get("/sessions/manage")))) == {"Published", "Draft"}
    assert listed(page(client.get("/sessions/manage?status=draft"))) == ["Draft"]
    assert client.get("/sessions/manage?status=nonsense").status_code == 200


# --- who may do what -----------------------------------------------------------------------------

MANAGER_GETS = ["/sessions/{id}/edit", "/sessions/{id}/quotas"]
MANAGER_POSTS = [
    "/sessions/{id}/edit",
    "/sessions/{id}/publish",
    "/sessions/{id}/cancel",
    "/sessions/{id}/complete",
    "/sessions/{id}/quotas",
]


@pytest.fixture
def someones_session(programme, bishkek, other_facilitator):
    return add_session(
        programme,
        other_facilitator,
        bishkek,
        utc(5, 4, 3),
        utc(5, 4, 6),
        status=SessionStatus.DRAFT,
    )


def test_visitors_are_sent_to_log_in(client, someones_session):
    urls = [
        "/sessions/new",
        "/sessions/agenda",
        "/sessions/manage",
        "/sessions/calendar",
        *(url.format(id=someones_session.id) for url in MANAGER_GETS),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/login"), url
    for url in MANAGER_POSTS:
        response = client.post(url.format(id=someones_session.id))
        assert response.status_code == 302, url
    assert fresh(someones_session).status is SessionStatus.DRAFT


def test_participants_schedule_nothing(client, login_as, someones_session):
    login_as(Role.PARTICIPANT)
    for url in ["/sessions/new", "/sessions/agenda", "/sessions/manage"]:
        assert client.get(url).status_code == 403, url
    for url in MANAGER_GETS:
        assert client.get(url.format(id=someones_session.id)).status_code == 403, url
    for url in MANAGER_POSTS:
        assert client.post(url.format(id=someones_session.id)).status_code == 403, url
    assert fresh(someones_session).status is SessionStatus.DRAFT


def test_a_facilitator_manages_only_their_own_sessions(client, login_as, someones_session):
    login_as(Role.FACILITATOR)
    assert client.get("/sessions/manage").status_code == 403
    for url in MANAGER_GETS:
        assert client.get(url.format(id=someones_session.id)).status_code == 403, url
    for url in MANAGER_POSTS:
        assert client.post(url.format(id=someones_session.id)).status_code == 403, url
    assert fresh(someones_session).status is SessionStatus.DRAFT


@pytest.mark.parametrize("role", [Role.ADMIN, Role.STAFF])
def test_staff_and_administrators_manage_every_session(client, login_as, someones_session, role):
    login_as(role)
    for url in [*MANAGER_GETS, "/sessions/manage", "/sessions/new", "/sessions/agenda"]:
        response = client.get(url.format(id=someones_session.id))
        assert response.status_code == 200, url
        assert len(page(response).find_all("h1")) == 1, url
