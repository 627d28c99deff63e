"""A session's roster, its CSV export, and attendance."""

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.conftest import count_queries, field_error, flashes, log_in, page
from tests.factories import apply_to, enrolment_of, make_session, region_named, statuses
from tot.accounts.models import AgeGroup, Gender
from tot.enrolment.models import Attendance, AttendanceStatus, EnrolmentStatus
from tot.extensions import db
from tot.permissions import Role
from tot.sessions.models import EnrolmentMode


@pytest.fixture
def lead(make_user):
    return make_user(Role.FACILITATOR)


def roster_rows(soup) -> dict[str, dict[str, str]]:
    """{name: {column class: text}} of the roster table."""
    rows = {}
    for tr in soup.select("table.roster tbody tr"):
        cells = {
            td["class"][0]: td.get_text(" ", strip=True)
            for td in tr.select("td[class]")
            if td["class"][0] != "actions"
        }
        rows[cells["name"]] = cells
    return rows


def mark(enrolment, day, status, by=None):
    db.session.add(
        Attendance(
            enrolment_id=enrolment.id,
            day=day,
            status=status,
            recorded_by_id=by.id if by else None,
        )
    )
    db.session.commit()


# --- roster ---------------------------------------------------------------------------------------


def test_the_roster_shows_each_person_with_their_attendance(client, make_user, lead):
    osh, naryn = region_named("Osh Region"), region_named("Naryn Region")
    session = make_session(lead, capacity=1, days=3)
    aigul = make_user(full_name="Айгүл Асанова", region=osh, gender=Gender.WOMAN)
    bakyt = make_user(
        full_name="Bakyt Osmonov", region=naryn, gender=Gender.MAN, age_group=AgeGroup.AGE_55_PLUS
    )
    seat = apply_to(session, aigul)
    apply_to(session, bakyt)
    first, second, _third = session.days
    mark(seat, first, AttendanceStatus.PRESENT)
    mark(seat, second, AttendanceStatus.ABSENT)

    log_in(client, lead)
    soup = page(client.get(f"/sessions/{session.id}/roster"))
    assert len(soup.find_all("h1")) == 1
    rows = roster_rows(soup)
    assert rows["Айгүл Асанова"] == {
        "name": "Айгүл Асанова",
        "region": "Osh Region",
        "gender": "Woman",
        "age-group": "25–34",
        "status": "Confirmed",
        "applied": rows["Айгүл Асанова"]["applied"],
        "rate": "50% (1 of 2 days)",
    }
    assert rows["Bakyt Osmonov"]["status"] == "On the waiting list"
    assert rows["Bakyt Osmonov"]["age-group"] == "55+"
    assert rows["Bakyt Osmonov"]["rate"] == "—"
    assert list(rows) == ["Айгүл Асанова", "Bakyt Osmonov"]  # seats first
    assert soup.select_one("table.roster td[data-label]") is not None


def test_the_roster_filters_by_status(client, make_user, lead):
    session = make_session(lead, capacity=1)
    holder, waiting = make_user(full_name="Holder"), make_user(full_name="Waiting")
    apply_to(session, holder)
    apply_to(session, waiting)
    log_in(client, lead)
    soup = page(client.get(f"/sessions/{session.id}/roster?status=waitlisted"))
    assert list(roster_rows(soup)) == ["Waiting"]
    assert soup.select_one("#status option[selected]")["value"] == "waitlisted"
    # A status that does not exist: a message beside the filter, and everyone shown.
    soup = page(client.get(f"/sessions/{session.id}/roster?status=nonsense"))
    assert field_error(soup, "status")
    assert sorted(roster_rows(soup)) == ["Holder", "Waiting"]


def test_the_region_mix_against_quotas(client, make_user, lead):
    osh, naryn, batken = (
        region_named(name) for name in ("Osh Region", "Naryn Region", "Batken Region")
    )
    session = make_session(
        lead,
        capacity=5,
        quotas=[(osh, 1, None, None), (batken, None, 2, None)],
    )
    for person in (make_user(region=osh), make_user(region=osh), make_user(region=naryn)):
        apply_to(session, person)
    log_in(client, lead)
    soup = page(client.get(f"/sessions/{session.id}/roster"))
    mix = {
        tr["data-region"]: (
            tr.select_one(".confirmed").get_text(strip=True),
            tr.select_one(".cap").get_text(" ", strip=True),
            tr.select_one(".reserved").get_text(" ", strip=True),
        )
        for tr in soup.select("table.region-mix tbody tr")
    }
    assert mix == {
        "Batken Region": ("0", "—", "2"),
        "Naryn Region": ("1", "—", "—"),
        "Osh Region": ("1", "1 (reached)", "—"),
    }


def test_rejecting_a_confirmed_seat_from_the_roster_promotes(client, make_user, lead):
    session = make_session(lead, capacity=1)
    holder, waiting = make_user(full_name="Holder"), make_user(full_name="Waiting")
    seat = apply_to(session, holder)
    apply_to(session, waiting)
    log_in(client, lead)
    soup = page(client.get(f"/sessions/{session.id}/roster"))
    form = soup.select_one(f"form[action='/enrolments/{seat.id}/reject']")
    assert form.select_one("input[name=back]")["value"] == "roster"
    assert soup.select("form.reject-form") == [form]  # only confirmed seats, here one

    response = client.post(
        form["action"], data={"reason": "", "back": "roster"}, follow_redirects=True
    )
    assert "Give a reason" in field_error(page(response), f"reason-{seat.id}")
    assert statuses(session)[holder.id] is EnrolmentStatus.CONFIRMED

    response = client.post(
        form["action"],
        data={"reason": "Asked to be replaced by a colleague.", "back": "roster"},
        follow_redirects=True,
    )
    assert response.request.path == f"/sessions/{session.id}/roster"
    assert statuses(session) == {
        holder.id: EnrolmentStatus.REJECTED,
        waiting.id: EnrolmentStatus.CONFIRMED,
    }


def test_a_co_facilitator_is_offered_no_rejection(client, make_user, lead):
    co = make_user(Role.FACILITATOR)
    session = make_session(lead, co_facilitators=[co])
    apply_to(session, make_user())
    log_in(client, co)
    soup = page(client.get(f"/sessions/{session.id}/roster"))
    assert len(roster_rows(soup)) == 1
    assert soup.select("form.reject-form") == []


def test_the_roster_takes_the_same_queries_for_3_or_15_people(client, make_user, lead, make_region):
    log_in(client, lead)

    def queries_with(people: int) -> int:
        session = make_session(lead, capacity=people, mode=EnrolmentMode.OPEN, days=2)
        for _ in range(people):
            person = make_user(region=make_region())
            seat = apply_to(session, person)
            mark(seat, session.days[0], AttendanceStatus.PRESENT)
        with count_queries() as queries:
            assert client.get(f"/sessions/{session.id}/roster").status_code == 200
        with count_queries() as csv_queries:
            assert client.get(f"/sessions/{session.id}/roster.csv").status_code == 200
        with count_queries() as attendance_queries:
            assert client.get(f"/sessions/{session.id}/attendance").status_code == 200
        return queries.count, csv_queries.count, attendance_queries.count

    assert queries_with(3) == queries_with(15)


# --- CSV ------------------------------------------------------------------------------------------


def test_the_csv_opens_in_excel_and_cannot_run_formulas(client, make_user, lead):
    session = make_session(lead, capacity=5)
    apply_to(session, make_user(full_name='=HYPERLINK("http://evil")', email="a@example.org"))
    apply_to(session, make_user(full_name="Гүлнара Токтосунова", email="b@example.org"))
    apply_to(session, make_user(full_name="+7 Mira", email="c@example.org"))
    apply_to(session, make_user(full_name="-Nur", email="d@example.org"))
    apply_to(session, make_user(full_name="@Aibek", email="e@example.org"))
    log_in(client, lead)
    response = client.get(f"/sessions/{session.id}/roster.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:6] == ["Name", "Email", "Region", "Gender", "Age group", "Status"]
    names = {row[0] for row in rows[1:]}
    assert names == {
        '\'=HYPERLINK("http://evil")',
        "Гүлнара Токтосунова",
        "'+7 Mira",
        "'-Nur",
        "'@Aibek",
    }
    assert all(row[5] == "Confirmed" for row in rows[1:])


def test_the_csv_follows_the_status_filter(client, make_user, lead):
    session = make_session(lead, capacity=1)
    apply_to(session, make_user(full_name="Holder"))
    apply_to(session, make_user(full_name="Waiting"))
    log_in(client, lead)
    body = client.get(f"/sessions/{session.id}/roster.csv?status=waitlisted").get_data()
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == ["Waiting"]


# --- attendance -----------------------------------------------------------------------------------


def test_the_attendance_grid_is_one_card_per_person_with_the_days(client, make_user, lead):
    session = make_session(lead, capacity=2, days=3)
    seated = [apply_to(session, make_user(full_name=name)) for name in ("Asel", "Bermet")]
    apply_to(session, make_user(full_name="Waiting"))
    log_in(client, lead)
    soup = page(client.get(f"/sessions/{session.id}/attendance"))
    cards = soup.select("fieldset.attendance-card")
    assert [card.legend.get_text(strip=True) for card in cards] == ["Asel", "Bermet"]
    for card, enrolment in zip(cards, seated, strict=True):
        names = [select_["name"] for select_ in card.select("select")]
        assert names == [f"a-{enrolment.id}-{day.isoformat()}" for day in session.days]
        for select_ in card.select("select"):
            assert soup.select_one(f"label[for='{select_['id']}']") is not None
    assert soup.select_one("form input[name=csrf_token]") is not None


def test_saving_attendance_upserts_and_computes_the_rate(client, make_user, lead):
    session = make_session(lead, capacity=2, days=3)
    one, two = (apply_to(session, make_user(full_name=name)) for name in ("Asel", "Bermet"))
    first, second, third = session.days
    log_in(client, lead)
    url = f"/sessions/{session.id}/attendance"
    response = client.post(
        url,
        data={
            f"a-{one.id}-{first}": "present",
            f"a-{one.id}-{second}": "absent",
            f"a-{one.id}-{third}": "",
            f"a-{two.id}-{first}": "excused",
        },
        follow_redirects=True,
    )
    assert response.request.path == url
    assert "saved" in " ".join(flashes(page(response)))
    rows = db.session.scalars(select(Attendance).order_by(Attendance.id)).all()
    assert {(r.enrolment_id, r.day, r.status) for r in rows} == {
        (one.id, first, AttendanceStatus.PRESENT),
        (one.id, second, AttendanceStatus.ABSENT),
        (two.id, first, AttendanceStatus.EXCUSED),
    }
    assert {r.recorded_by_id for r in rows} == {lead.id}

    # Saving again updates in place, and "not recorded" clears a mark.
    client.post(
        url,
        data={
            f"a-{one.id}-{first}": "present",
            f"a-{one.id}-{second}": "present",
            f"a-{two.id}-{first}": "",
        },
    )
    rows = db.session.scalars(select(Attendance)).all()
    assert {(r.enrolment_id, r.day, r.status) for r in rows} == {
        (one.id, first, AttendanceStatus.PRESENT),
        (one.id, second, AttendanceStatus.PRESENT),
    }
    soup = page(client.get(url))
    rates = {
        card.legend.get_text(strip=True): card.select_one(".rate").get_text(strip=True)
        for card in soup.select("fieldset.attendance-card")
    }
    assert rates == {"Asel": "100% (2 of 2 days)", "Bermet": "Nothing recorded yet"}
    selected = soup.select_one(f"select[name='a-{one.id}-{second}'] option[selected]")
    assert selected["value"] == "present"


def test_bad_attendance_input_changes_nothing(client, make_user, lead):
    session = make_session(lead, capacity=1, days=2)
    seat = apply_to(session, make_user())
    waiting = apply_to(session, make_user())
    other = apply_to(make_session(lead), make_user())
    first = session.days[0]
    log_in(client, lead)
    url = f"/sessions/{session.id}/attendance"
    for data in (
        {f"a-{seat.id}-{first}": "present", f"a-{seat.id}-{first + timedelta(days=9)}": "absent"},
        {f"a-{seat.id}-{first}": "present", f"a-{waiting.id}-{first}": "absent"},
        {f"a-{seat.id}-{first}": "present", f"a-{other.id}-{first}": "absent"},
        {f"a-{seat.id}-{first}": "asleep"},
        {f"a-{seat.id}-yesterday": "present"},
    ):
        response = client.post(url, data=data)
        assert response.status_code == 400, data
        assert flashes(page(response)), data
    assert db.session.scalars(select(Attendance)).all() == []


def test_attendance_is_for_the_sessions_managers(client, login_as, make_user, lead):
    session = make_session(lead)
    seat = apply_to(session, make_user())
    login_as(Role.FACILITATOR)
    data = {f"a-{seat.id}-{session.days[0]}": "present"}
    assert client.post(f"/sessions/{session.id}/attendance", data=data).status_code == 403
    login_as(Role.STAFF)
    assert client.post(f"/sessions/{session.id}/attendance", data=data).status_code == 302
    assert enrolment_of(session, seat.user).attendance[0].status is AttendanceStatus.PRESENT
