"""Reach figures of the cascade, checked against numbers worked out by hand; their pages and
spreadsheets; the statements they cost; and the demo cascade."""

import csv
import io
import random
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from tests.conftest import count_queries, log_in, page
from tests.factories import (
    add_cascade_training,
    certify,
    make_programme,
    make_session,
    region_named,
)
from tot.accounts.models import User
from tot.cascade import services
from tot.cascade.models import CascadeTraining, ReportStatus
from tot.certificates.models import Certificate
from tot.db_types import utcnow
from tot.demo.cascade import PLAN, seed_cascade
from tot.extensions import db
from tot.notifications.models import Notification
from tot.permissions import Role
from tot.regions.models import Country
from tot.sessions.models import SessionStatus

TODAY = date.today()
AGES = ("age_18_24", "age_25_34", "age_35_44", "age_45_54", "age_55_plus", "age_unknown")
V, S, R = ReportStatus.VERIFIED, ReportStatus.SUBMITTED, ReportStatus.RETURNED


# --- small builders of this module ---------------------------------------------------------------


def past_session(lead, *, title, region=None, programme=None):
    starts_at = utcnow() - timedelta(days=90)
    return make_session(
        lead,
        title=title,
        region=region,
        programme=programme or make_programme(title=f"{title} programme"),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(days=2, hours=8),
        status=SessionStatus.COMPLETED,
        capacity=20,
    )


def add_training(
    certificate,
    status,
    region,
    *,
    women,
    men=0,
    other=0,
    programme=None,
    days_ago=10,
    hours=4,
    ages=None,
):
    return add_cascade_training(
        certificate,
        status=status,
        region=region,
        women=women,
        men=men,
        other_genders=other,
        programme=programme,
        topic="" if programme else "In my own words",
        held_on=TODAY - timedelta(days=days_ago),
        hours=hours,
        ages=ages,
        settlement="Somewhere",
    )


class World:
    """Two cohorts, A (three graduates, and one whose certificate was revoked) and B (two), and
    seven reports; the figures expected are worked out in the tests by hand."""

    def __init__(self, make_user):
        self.lead_a = make_user(Role.FACILITATOR, full_name="Lead of A")
        self.lead_b = make_user(Role.FACILITATOR, full_name="Lead of B")
        self.osh, self.naryn, self.sughd = (
            region_named("Osh Region"),
            region_named("Naryn Region"),
            region_named("Sughd Region"),
        )
        self.programme = make_programme("Women's Leadership TOT")
        self.a = past_session(self.lead_a, title="Cohort A", region=self.osh)
        self.b = past_session(self.lead_b, title="Cohort B", region=self.sughd)
        people = {
            name: make_user(Role.PARTICIPANT, full_name=name)
            for name in ("G1", "G2", "G3", "G4", "G5", "G6")
        }
        self.g = people
        c = {name: certify(people[name], self.a) for name in ("G1", "G2", "G3")}
        c["G4"] = certify(people["G4"], self.a, revoked=True)
        c.update({name: certify(people[name], self.b) for name in ("G5", "G6")})
        p = self.programme
        self.trainings = [
            add_training(
                c["G1"], V, self.osh, women=10, men=2, programme=p, days_ago=30,
                ages={"age_18_24": 2, "age_25_34": 5, "age_35_44": 3, "age_45_54": 1,
                      "age_55_plus": 1},
            ),
            add_training(c["G1"], V, self.naryn, women=5, men=5, other=1, days_ago=10, hours=3),
            add_training(c["G2"], S, self.osh, women=8, programme=p),
            add_training(c["G2"], R, self.osh, women=7),
            add_training(c["G5"], V, self.sughd, women=18, men=2, programme=p, days_ago=20,
                         hours=6),
            add_training(c["G4"], V, self.sughd, women=30, programme=p),  # revoked: not counted
            add_training(c["G6"], S, self.sughd, women=9),
        ]  # fmt: skip


@pytest.fixture
def world(app, make_user):
    return World(make_user)


def figures(row) -> tuple:
    return (row.trainings, row.people, row.waiting)


# --- the figures ---------------------------------------------------------------------------------


def test_reach_by_cohort_with_graduates_and_multiplier(world):
    rows = {row.label: row for row in services.reach_by_cohort()}
    assert set(rows) == {"Cohort A", "Cohort B"}
    a, b = rows["Cohort A"], rows["Cohort B"]
    assert (a.graduates, a.trainers, *figures(a)) == (3, 1, 2, 12 + 11, 1)
    assert (b.graduates, b.trainers, *figures(b)) == (2, 1, 1, 20, 1)
    assert a.multiplier == pytest.approx(23 / 3)
    assert b.multiplier == pytest.approx(10.0)
    assert a.multiplier_text == "7.7"
    assert a.key == world.a.id
    assert a.detail == "Cohort A programme · Osh Region"


def test_reach_by_region_programme_and_graduate(world):
    regions = {row.label: figures(row) for row in services.reach_by_region()}
    assert regions == {
        "Osh Region": (1, 12, 1),
        "Naryn Region": (1, 11, 0),
        "Sughd Region": (1, 20, 1),
    }

    programmes = {row.label: figures(row) for row in services.reach_by_programme()}
    assert programmes == {"Women's Leadership TOT": (2, 32, 1), "Other topics": (1, 11, 1)}

    graduates = services.reach_by_graduate()
    assert [row.label for row in graduates][:2] == ["G1", "G5"]  # most people reached first
    assert {row.label: figures(row) for row in graduates} == {
        "G1": (2, 23, 0),
        "G5": (1, 20, 0),
        "G2": (0, 0, 1),
        "G6": (0, 0, 1),
    }
    g1 = graduates[0]
    assert (g1.women, g1.men, g1.other_genders, g1.hours) == (15, 7, 1, 7)
    assert (g1.age_18_24, g1.age_25_34, g1.age_unknown) == (2, 5, 11)


def test_reach_totals_and_a_graduates_people_reached(world, make_user):
    totals = services.reach_totals()
    assert figures(totals) == (3, 43, 2)
    assert totals.graduates == 5  # G1, G2, G3, G5, G6: a revoked certificate makes no graduate
    assert totals.multiplier == pytest.approx(43 / 5)
    assert (totals.women, totals.men, totals.other_genders, totals.hours) == (33, 9, 1, 13)
    assert services.people_reached(world.g["G1"]) == 23
    assert services.people_reached(world.g["G2"]) == 0
    assert services.people_reached(world.g["G4"]) == 0  # verified, but the certificate is revoked
    assert figures(services.my_figures(world.g["G2"])) == (0, 0, 1)
    # Staff see everything, as the reports that ask without a person do.
    assert services.reach_totals(make_user(Role.STAFF)) == totals


def test_a_facilitator_sees_the_reach_of_their_own_cohorts(world):
    totals = services.reach_totals(world.lead_a)
    assert (*figures(totals), totals.graduates) == (2, 23, 1, 3)
    assert totals.multiplier_text == "7.7"
    assert [row.label for row in services.reach_by_cohort(world.lead_a)] == ["Cohort A"]
    regions = {row.label: figures(row) for row in services.reach_by_region(world.lead_a)}
    assert regions == {"Osh Region": (1, 12, 1), "Naryn Region": (1, 11, 0)}
    assert {row.label for row in services.reach_by_graduate(world.lead_b)} == {"G5", "G6"}
    # A participant's figures are their own.
    participant = world.g["G1"]
    assert figures(services.reach_totals(participant)) == (2, 23, 0)
    assert services.reach_by_cohort(participant) == []


def test_reach_in_a_period(world):
    since = TODAY - timedelta(days=15)
    totals = services.reach_totals(since=since)
    assert figures(totals)[:2] == (1, 11)  # only the Naryn training was held since
    until = TODAY - timedelta(days=25)
    assert figures(services.reach_totals(until=until)) == (1, 12, 0)
    regions = {row.label: row.trainings for row in services.reach_by_region(since=since)}
    assert regions["Naryn Region"] == 1
    assert regions.get("Osh Region", 0) == 0


def test_no_graduates_no_multiplier(app):
    totals = services.reach_totals()
    assert (totals.trainings, totals.people, totals.graduates) == (0, 0, 0)
    assert totals.multiplier is None
    assert totals.multiplier_text == "—"
    assert services.reach_by_cohort() == []


def test_the_reach_page_shows_the_figures_and_says_what_counts(client, world, make_user):
    log_in(client, make_user(Role.STAFF))
    soup = page(client.get("/cascade/reach"))
    assert soup.h1.get_text(strip=True) == "Reach of the cascade"
    assert "Only verified trainings count" in soup.select_one(".notice").get_text()
    assert soup.select_one(".figure-people").get_text(strip=True) == "43"
    assert soup.select_one(".figure-graduates").get_text(strip=True) == "5"
    assert soup.select_one(".figure-multiplier").get_text(strip=True) == "8.6"
    assert soup.select_one(".figure-waiting").get_text(strip=True) == "2"
    cohort_a = soup.select_one(f'table.reach-cohorts tr[data-key="{world.a.id}"]')
    assert cohort_a.select_one(".graduates").get_text(strip=True) == "3"
    assert cohort_a.select_one(".people").get_text(strip=True) == "23"
    assert cohort_a.select_one(".multiplier").get_text(strip=True) == "7.7"
    naryn = soup.select_one(f'table.reach-regions tr[data-key="{world.naryn.id}"]')
    assert naryn.select_one(".people").get_text(strip=True) == "11"
    other = soup.select_one('table.reach-programmes tr[data-key=""]')
    assert other.select_one(".label").get_text(strip=True) == "Other topics"
    links = {a["href"] for a in soup.select(".downloads a")}
    assert "/cascade/reach/cohorts.csv" in links
    assert "/cascade/reach/graduates.xlsx" in links

    log_in(client, world.lead_b)
    soup = page(client.get("/cascade/reach"))
    assert [row["data-key"] for row in soup.select("table.reach-cohorts tr[data-key]")] == [
        str(world.b.id)
    ]
    assert soup.select_one(".figure-people").get_text(strip=True) == "20"
    soup = page(client.get("/cascade/cohorts"))
    assert soup.select_one(".figure-multiplier").get_text(strip=True) == "10.0"


def test_the_reach_tables_download_as_csv_and_xlsx(client, world):
    log_in(client, world.lead_a)
    response = client.get("/cascade/reach/cohorts.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    header = rows[0]
    assert header[:3] == ["Session", "Programme and region", "Graduates"]
    assert header[-1] == "Multiplier"
    assert len(rows) == 2  # only the facilitator's own cohort
    line = dict(zip(header, rows[1], strict=True))
    assert line["Session"] == "Cohort A"
    assert (line["Graduates"], line["People reached"], line["Verified trainings"]) == (
        "3",
        "23",
        "2",
    )
    assert line["Reports waiting for verification"] == "1"
    assert line["Multiplier"] == "7.67"

    response = client.get("/cascade/reach/regions.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    assert sheet.title == "Reach by region"
    values = list(sheet.values)
    assert values[0][:3] == ("Region", "Verified trainings", "People reached")
    by_region = {row[0]: row[2] for row in values[1:]}
    assert by_region == {"Osh Region": 12, "Naryn Region": 11}  # numbers stay numbers

    assert client.get("/cascade/reach/nothing.csv").status_code == 404
    assert client.get("/cascade/reach/regions.pdf").status_code == 404


def test_the_reach_and_its_page_cost_the_same_statements_for_ten_trainings_as_for_two(
    client, app, make_user
):
    lead = make_user(Role.FACILITATOR)
    programme = make_programme("Women's Leadership TOT")
    regions = [region_named(name) for name in ("Osh Region", "Naryn Region", "Sughd Region")]
    cohorts = [past_session(lead, title=f"Cohort {n}") for n in range(2)]

    def add(number):
        for n in range(number):
            person = make_user(Role.PARTICIPANT)
            certificate = certify(person, cohorts[n % 2])
            add_training(
                certificate,
                [V, S, R][n % 3],
                regions[n % 3],
                women=n + 1,
                programme=programme if n % 2 else None,
            )

    calls = {
        "totals": lambda: services.reach_totals(lead),
        "cohort": lambda: services.reach_by_cohort(lead),
        "graduate": lambda: services.reach_by_graduate(),
        "region": lambda: services.reach_by_region(),
        "programme": lambda: services.reach_by_programme(),
        "people": lambda: services.people_reached(lead),
        "waiting": lambda: services.waiting_for(lead),
    }

    def measure():
        counts = {}
        assert lead.role is Role.FACILITATOR  # loaded before counting
        for name, call in calls.items():
            with count_queries() as counter:
                call()
            counts[name] = counter.count
        log_in(client, lead)
        with count_queries() as counter:
            assert client.get("/cascade/reach").status_code == 200
        counts["page"] = counter.count
        with count_queries() as counter:
            assert client.get("/cascade/reach/graduates.xlsx").status_code == 200
        counts["file"] = counter.count
        return counts

    add(2)
    two = measure()
    add(10)
    twelve = measure()
    assert twelve == two
    assert two["totals"] == 2
    assert all(two[name] == 1 for name in ("cohort", "graduate", "region", "programme", "people"))
    assert len(services.reach_by_graduate()) == 12


# --- the demo cascade ----------------------------------------------------------------------------


@pytest.fixture
def demo_world(app, make_user):
    """What the certificates demo leaves: graduates of sessions in both countries."""
    women = make_programme("Women's Leadership TOT")
    legal = make_programme("Human Rights and Legal Aid TOT")
    sessions = {
        "Osh city": past_session(
            make_user(Role.FACILITATOR), title="WL Osh", region=region_named("Osh city"),
            programme=women,
        ),
        "Sughd Region": past_session(
            make_user(Role.FACILITATOR), title="WL Khujand", region=region_named("Sughd Region"),
            programme=women,
        ),
        "Khatlon Region": past_session(
            make_user(Role.FACILITATOR), title="Legal Bokhtar",
            region=region_named("Khatlon Region"), programme=legal,
        ),
    }  # fmt: skip
    homes = {
        "Osh city": ["Osh Region", "Osh Region", "Jalal-Abad Region", "Issyk-Kul Region"],
        "Sughd Region": ["Sughd Region", "Sughd Region"],
        "Khatlon Region": ["Khatlon Region", "Dushanbe city"],
    }
    featured = make_user(
        Role.PARTICIPANT, email="participant@example.org", region=region_named("Osh Region")
    )
    certify(featured, sessions["Osh city"])
    for where, regions in homes.items():
        for home in regions:
            certify(make_user(Role.PARTICIPANT, region=region_named(home)), sessions[where])
    revoked = make_user(Role.PARTICIPANT, region=region_named("Naryn Region"))
    certify(revoked, sessions["Osh city"], revoked=True)
    return sessions


def test_the_demo_cascade(demo_world):
    counts = seed_cascade(random.Random(2026))
    db.session.commit()
    trainings = list(db.session.scalars(select(CascadeTraining)))
    assert counts["cascade trainings"] == len(trainings) == len(PLAN) >= 12
    regions = {training.region for training in trainings}
    assert len(regions) >= 5
    assert {region.country for region in regions} == {Country.KYRGYZSTAN, Country.TAJIKISTAN}

    statuses = [training.status for training in trainings]
    assert statuses.count(ReportStatus.RETURNED) == 1
    assert statuses.count(ReportStatus.VERIFIED) >= 3
    assert statuses.count(ReportStatus.SUBMITTED) >= 3
    assert sum(1 for training in trainings if training.co_trainers) >= 2
    for training in trainings:
        certificate = training.certificate
        assert not certificate.is_revoked
        assert certificate.user_id == training.graduate_id
        assert training.people == training.age_total > 0
        assert training.programme is not None or training.topic
        assert certificate.session.local_start.date() <= training.held_on < TODAY
        assert training.held_on >= TODAY - timedelta(days=200)  # in the past months
        assert training.graduate not in training.co_trainers
        for person in training.co_trainers:
            assert db.session.scalar(
                select(Certificate).filter_by(user_id=person.id, session_id=certificate.session_id)
            )
        if training.is_verified or training.is_returned:
            assert training.reviewed_by_id == certificate.session.lead_facilitator_id
            assert training.created_at <= training.reviewed_at <= utcnow()
        if training.programme is not None and training.programme.title.startswith("Women"):
            assert training.women > training.men + training.other_genders
    returned = next(training for training in trainings if training.is_returned)
    assert returned.review_comment
    assert returned.graduate.email == "participant@example.org"  # to try correcting it

    notices = list(db.session.scalars(select(Notification)))
    kinds = sorted(notice.kind for notice in notices)
    assert kinds.count("cascade.returned") == 1
    assert kinds.count("cascade.verified") == statuses.count(ReportStatus.VERIFIED)
    assert all(notice.created_at <= utcnow() - timedelta(hours=1) for notice in notices)
    # The figures take the demo as any other data.
    assert services.reach_totals().trainings == statuses.count(ReportStatus.VERIFIED)


def test_the_demo_cascade_without_graduates_makes_nothing(app):
    assert seed_cascade(random.Random(1)) == {"cascade trainings": 0}
    assert db.session.scalar(select(CascadeTraining)) is None
    assert db.session.scalar(select(User)) is None
