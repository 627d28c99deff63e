"""The staff dashboard: what waits for staff and what the year has brought, each number a link."""

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import count_queries, page
from tests.factories import add_cascade_training, certify, enrol, make_programme, make_session
from tot.cascade.models import ReportStatus
from tot.db_types import utcnow
from tot.enrolment.models import EnrolmentStatus
from tot.permissions import Role
from tot.sessions.models import SessionStatus

DASHBOARD = "/dashboard/staff"
BISHKEK = ZoneInfo("Asia/Bishkek")  # the staff member's clock: their region is Osh


def this_year() -> int:
    return datetime.now(BISHKEK).year


def cascade(certificate, *, status=ReportStatus.VERIFIED, held_on=None, women=0, men=0, other=0):
    return add_cascade_training(
        certificate,
        status=status,
        held_on=held_on or datetime.now(BISHKEK).date(),
        region=certificate.session.region,
        topic="Legal aid",
        hours=3,
        women=women,
        men=men,
        other_genders=other,
        ages={"age_25_34": women + men + other},
    )


def session_at(lead, programme, starts_at, *, status=SessionStatus.PUBLISHED, hours=8):
    return make_session(
        lead,
        programme=programme,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        capacity=50,
        status=status,
    )


def stats(soup) -> dict[str, tuple[str, str | None]]:
    """{card id: (number, link)}."""
    return {
        card["id"].removeprefix("stat-"): (
            card.select_one(".stat-number").get_text(strip=True),
            card.a["href"] if card.a else None,
        )
        for card in soup.select("li.stat")
    }


@pytest.fixture
def staff(login_as):
    return login_as(Role.STAFF)


@pytest.fixture
def year_of_work(app, make_user):
    """Sessions, people and cascade trainings around this month and this year."""
    lead = make_user(Role.FACILITATOR)
    programme = make_programme(title="Legal aid TOT")
    now = utcnow()
    year_starts = datetime(this_year(), 1, 1, tzinfo=BISHKEK)
    local = now.astimezone(BISHKEK)
    next_month = (local.replace(day=28) + timedelta(days=4)).replace(day=1, hour=9)

    ended = session_at(lead, programme, now - timedelta(hours=10))  # this month, this year
    session_at(lead, programme, now - timedelta(minutes=5), status=SessionStatus.DRAFT)
    cancelled = session_at(
        lead, programme, now - timedelta(hours=9), status=SessionStatus.CANCELLED
    )
    running = session_at(lead, programme, now - timedelta(hours=1))  # ends later today
    later = session_at(lead, programme, next_month + timedelta(days=2))
    last_year = session_at(lead, programme, year_starts - timedelta(days=3), hours=10)

    people = [make_user() for _ in range(7)]
    a, b, c, d, e, f, g = people
    enrol(ended, a, present=(True,))
    enrol(ended, b, present=(True,))
    enrol(ended, c, present=(False,))  # absent: not trained
    enrol(running, a, present=(True,))  # a twice: one person
    enrol(running, d, present=(True,))  # not ended yet
    enrol(cancelled, e, present=(True,))
    enrol(last_year, f, present=(True,))
    enrol(later, g, EnrolmentStatus.PENDING)  # waiting
    enrol(later, c, EnrolmentStatus.PENDING)  # waiting
    enrol(cancelled, d, EnrolmentStatus.PENDING)  # a cancelled session decides nothing
    enrol(later, e, EnrolmentStatus.WAITLISTED)

    cert_a, cert_b = certify(a, ended), certify(b, ended)
    certify(c, ended, revoked=True)
    certify(f, last_year, issued_at=last_year.ends_at)
    cascade(cert_a, women=5, men=3)
    cascade(cert_b, women=2, other=1)
    cascade(cert_b, status=ReportStatus.SUBMITTED, women=10)
    cascade(cert_a, status=ReportStatus.RETURNED, men=4)
    cascade(cert_a, held_on=date(this_year() - 1, 12, 1), women=20)
    return SimpleNamespace(people=people, sessions=[ended, running])


def test_the_numbers_and_where_they_lead(client, staff, year_of_work):
    soup = page(client.get(DASHBOARD))
    year = this_year()
    today = datetime.now(BISHKEK).date().isoformat()
    report = f"/reports/?from={year}-01-01&to={today}"
    month = datetime.now(BISHKEK).month
    # Published or completed, starting this month: the session that ended and the one running.
    this_month = [s for s in year_of_work.sessions if s.local_start.month == month]
    assert stats(soup) == {
        "waiting-applications": ("2", "/approvals"),
        "cascade-waiting": ("1", "/cascade/cohorts"),
        "sessions-this-month": (str(len(this_month)), "/sessions/manage"),
        "trained": ("2", report),
        "certified": ("2", report),
        "cascade-trainings": ("2", report),
        "cascade-people": ("11", report),
    }


def test_the_links_that_were_there_stay(client, staff):
    links = {a["href"] for a in page(client.get(DASHBOARD)).select("main .link-list a")}
    assert {
        "/sessions/manage",
        "/sessions/new",
        "/approvals",
        "/manage/feedback",
        "/manage/feedback-forms",
        "/reports/self-assessment",
        "/focus-groups/",
        "/focus-groups/themes",
        "/manage/programmes/",
        "/scenarios/",
        "/programmes/",
        "/regions/",
        "/reports/",
    } <= links


def test_nothing_yet_reads_zero(client, staff):
    assert {number for number, _link in stats(page(client.get(DASHBOARD))).values()} == {"0"}


def test_the_dashboard_runs_the_same_queries_however_much_there_is(
    client, staff, make_user, year_of_work
):
    client.get(DASHBOARD)
    with count_queries() as few:
        client.get(DASHBOARD)
    lead = make_user(Role.FACILITATOR)
    programme = make_programme(title="Women's leadership TOT")
    for hours in range(10, 15):
        held = session_at(lead, programme, utcnow() - timedelta(hours=hours))
        for _ in range(4):
            person = make_user()
            enrol(held, person, present=(True,))
            cascade(certify(person, held), women=1, men=1)
    with count_queries() as many:
        soup = page(client.get(DASHBOARD))
    assert many.count == few.count, many.statements
    assert stats(soup)["trained"][0] == "22"
    assert stats(soup)["cascade-people"][0] == "51"


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.FACILITATOR])
def test_others_are_refused(client, login_as, role):
    login_as(role)
    assert client.get(DASHBOARD).status_code == 403


def test_visitors_are_sent_to_log_in(client):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_administrators_see_it_too(client, login_as, year_of_work):
    login_as(Role.ADMIN)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert stats(page(response))["waiting-applications"][0] == "2"


def test_a_certificate_issued_last_year_counts_last_year(client, staff, make_user):
    lead = make_user(Role.FACILITATOR)
    held = session_at(lead, make_programme(), datetime(this_year() - 1, 6, 1, 4, tzinfo=UTC))
    person = make_user()
    certify(person, held, issued_at=datetime(this_year() - 1, 6, 2, tzinfo=UTC))
    assert stats(page(client.get(DASHBOARD)))["certified"][0] == "0"
