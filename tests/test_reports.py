"""The outcomes report (staff): figures by region, gender and age group, filters, small cells,
files, charts, query counts and who may read it.

One small world, built below, spans two regions, every gender group and several age groups; its
figures are worked out by hand in the tests.
"""

import csv
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from tests.conftest import count_queries, field_error, page
from tests.factories import (
    add_cascade_training,
    add_responses,
    certify,
    enrol,
    make_form,
    make_programme,
    make_session,
    make_survey,
    region_named,
)
from tot.accounts.models import AgeGroup, Gender
from tot.assessment.models import AssessmentRating, AssessmentStatement, Phase, SelfAssessment
from tot.cascade.models import ReportStatus
from tot.db_types import utcnow
from tot.enrolment.models import EnrolmentStatus
from tot.extensions import db
from tot.learning.models import ProgrammeProgress
from tot.permissions import Role
from tot.sessions.models import SessionStatus

REPORT = "/reports/"
COLUMNS = [
    "applications",
    "confirmed",
    "attended",
    "attendance_rate",
    "completed",
    "completion_rate",
    "certified",
    "feedback",
    "change",
    "trainings",
    "reached",
]
FEW = "fewer than 3"
NOT_SHOWN = "not shown"
OTHER = "Another gender, or not said"
UNKNOWN_AGE = "Under 18, or not given"


# --- private builders: certificates and cascade trainings are rows here, nothing more -------------


def cascade(certificate, region, *, status=ReportStatus.VERIFIED, days_ago=30, **headcounts):
    ages = {name: headcounts.pop(name) for name in list(headcounts) if name.startswith("age_")}
    return add_cascade_training(
        certificate,
        region=region,
        status=status,
        held_on=date.today() - timedelta(days=days_ago),
        settlement="Kara-Suu",
        topic="Rights of detained people",
        women=headcounts.pop("women", 0),
        men=headcounts.pop("men", 0),
        other_genders=headcounts.pop("other_genders", 0),
        ages=ages,
        **headcounts,
    )


def completed(person, programme, done=True) -> None:
    db.session.add(
        ProgrammeProgress(
            user_id=person.id, programme_id=programme.id, completed_at=utcnow() if done else None
        )
    )
    db.session.commit()


def rated(person, statements, before, after) -> None:
    """A person's self-assessment before and after, one rating per statement."""
    for phase, ratings in ((Phase.BEFORE, before), (Phase.AFTER, after)):
        assessment = SelfAssessment(
            user_id=person.id, programme_id=statements[0].programme_id, phase=phase
        )
        assessment.ratings = [
            AssessmentRating(statement_id=statement.id, rating=rating)
            for statement, rating in zip(statements, ratings, strict=True)
        ]
        db.session.add(assessment)
    db.session.commit()


def past_session(lead, programme, region, *, status=SessionStatus.COMPLETED, ended_days_ago=4):
    ends_at = utcnow() - timedelta(days=ended_days_ago)
    return make_session(
        lead,
        programme=programme,
        region=region,
        starts_at=ends_at - timedelta(hours=8),
        ends_at=ends_at,
        capacity=30,
        status=status,
    )


def feedback(training_session, *ratings) -> None:
    survey = make_survey(training_session, make_form())
    add_responses(survey, len(ratings), answers=lambda n: [ratings[n], "Role-play", "Thanks"])


# --- the world -----------------------------------------------------------------------------------


@dataclass
class World:
    programme: object
    other_programme: object
    osh: object
    sughd: object
    people: dict


@pytest.fixture
def staff(login_as):
    return login_as(Role.STAFF)


@pytest.fixture
def world(app, make_user, region) -> World:
    """Legal aid TOT in Osh (s1) and Sughd (s2), and noise the report must leave out.

    person  region  gender       age     in      status     present completed certificate
    a       Osh     woman        18-24   s1      confirmed  yes     yes       yes
    b       Osh     woman        25-34   s1      confirmed  yes     no        -
    c       Osh     man          25-34   s1      confirmed  no      -         -
    d       Osh     man          35-44   s1      pending    -       (yes)     -
    e       Sughd   woman        35-44   s2      confirmed  yes     yes       yes
    f       Sughd   not said     45-54   s2      confirmed  yes     yes       revoked
    g       Sughd   man          -       s2      rejected   -       -         -
    """
    osh, sughd = region, region_named("Sughd Region")
    lead = make_user(Role.FACILITATOR)
    legal_aid = make_programme(title="Legal aid TOT")
    other = make_programme(title="Women's leadership TOT")

    def person(name, where, gender, age):
        return make_user(full_name=name, region=where, gender=gender, age_group=age)

    people = {
        "a": person("Aigerim", osh, Gender.WOMAN, AgeGroup.AGE_18_24),
        "b": person("Bermet", osh, Gender.WOMAN, AgeGroup.AGE_25_34),
        "c": person("Chyngyz", osh, Gender.MAN, AgeGroup.AGE_25_34),
        "d": person("Daniyar", osh, Gender.MAN, AgeGroup.AGE_35_44),
        "e": person("Elmira", sughd, Gender.WOMAN, AgeGroup.AGE_35_44),
        "f": person("Farrukh", sughd, Gender.UNDISCLOSED, AgeGroup.AGE_45_54),
        "g": person("Gulom", sughd, Gender.MAN, None),
    }
    a, b, c, d, e, f, g = people.values()
    s1 = past_session(lead, legal_aid, osh)
    s2 = past_session(lead, legal_aid, sughd)
    enrol(s1, a, present=(True,))
    enrol(s1, b, present=(True,))
    enrol(s1, c, present=(False,))
    enrol(s1, d, EnrolmentStatus.PENDING)
    enrol(s2, e, present=(True,))
    enrol(s2, f, present=(True,))
    enrol(s2, g, EnrolmentStatus.REJECTED)
    for who in (a, d, e, f):
        completed(who, legal_aid)
    completed(b, legal_aid, done=False)
    cert_a, cert_e = certify(a, s1), certify(e, s2)
    certify(f, s2, revoked=True)
    feedback(s1, 4, 5, 3)
    feedback(s2, 2, 5)
    statements = [
        AssessmentStatement(programme_id=legal_aid.id, text=text, position=n)
        for n, text in enumerate(["I can explain a detainee's rights", "I speak up"])
    ]
    db.session.add_all(statements)
    db.session.commit()
    rated(a, statements, before=(2, 3), after=(4, 4))
    rated(c, statements, before=(1, 1), after=(2, 1))
    rated(e, statements, before=(3, 3), after=(2, 5))
    # Cascade: e lives in Sughd and trained in Osh; the region is the training's.
    cascade(cert_a, osh, women=5, men=3, age_18_24=4, age_25_34=4)
    cascade(cert_e, osh, women=2, men=2, other_genders=1, age_35_44=3, age_unknown=2)
    cascade(cert_a, sughd, status=ReportStatus.SUBMITTED, women=9, age_25_34=9)

    # Left out: a cancelled session; an application and a training from before the period.
    cancelled = past_session(lead, legal_aid, osh, status=SessionStatus.CANCELLED)
    enrol(cancelled, b, present=(True,))
    h = person("Hamid", osh, Gender.MAN, AgeGroup.AGE_25_34)
    early = enrol(s1, h, present=(True,))
    early.applied_at = utcnow() - timedelta(days=400)
    db.session.commit()
    cascade(cert_e, sughd, days_ago=400, women=6, age_35_44=6)

    # Another programme, in Osh: in the report of all programmes only.
    s4 = past_session(lead, other, osh)
    i = person("Islam", osh, Gender.MAN, AgeGroup.AGE_55_PLUS)
    enrol(s4, i, present=(True,))
    cascade(certify(i, s4), osh, women=10, age_45_54=10)
    feedback(s4, 1, 1, 1)
    people.update(h=h, i=i)
    return World(legal_aid, other, osh, sughd, people)


def figures(soup, breakdown="region") -> dict[str, list[str]]:
    """{row: [the cells of COLUMNS]} of a breakdown's tables (sessions, then the results)."""
    cells: dict[str, dict[str, str]] = {}
    for table in soup.select(f"table.figures-{breakdown}"):
        for tr in table.select("tbody tr"):
            row = cells.setdefault(tr.th.get_text(strip=True), {})
            row.update({td["class"][0]: td.get_text(strip=True) for td in tr.select("td")})
    return {label: [row[name] for name in COLUMNS] for label, row in cells.items()}


def report(client, **filters):
    response = client.get(REPORT, query_string=filters)
    assert response.status_code == 200
    return page(response)


@pytest.fixture
def no_minimum(app):
    """Every figure shown, to compare with those worked out by hand."""
    app.config["FEEDBACK_MIN_RESPONSES"] = 1


# --- the figures ---------------------------------------------------------------------------------


def test_figures_by_region_are_those_worked_out_by_hand(client, staff, world, no_minimum):
    soup = report(client, programme=world.programme.id)
    assert soup.h1.get_text(strip=True) == "Outcomes report"
    assert figures(soup) == {
        "Osh Region": ["4", "3", "2", "67%", "1", "33%", "1", "4.0", "+1.0", "2", "13"],
        "Sughd Region": ["3", "2", "2", "100%", "2", "100%", "1", "3.5", "+0.5", "0", "0"],
        "Total": ["7", "5", "4", "80%", "3", "60%", "2", "3.8", "+0.8", "2", "13"],
    }


def test_figures_by_gender(client, staff, world, no_minimum):
    soup = report(client, programme=world.programme.id)
    assert figures(soup, "gender") == {
        "Women": ["3", "3", "3", "100%", "2", "67%", "2", "—", "+1.0", "2", "7"],
        "Men": ["3", "1", "0", "0%", "0", "0%", "0", "—", "+0.5", "0", "5"],
        OTHER: ["1", "1", "1", "100%", "1", "100%", "0", "—", "no data", "0", "1"],
        "Total": ["7", "5", "4", "80%", "3", "60%", "2", "3.8", "+0.8", "2", "13"],
    }
    # Feedback is anonymous: never by gender, and the page says why.
    hint = soup.select_one("section[aria-labelledby=gender-heading] .hint").get_text()
    assert "Feedback is anonymous" in hint


def test_figures_by_age_group(client, staff, world, no_minimum):
    soup = report(client, programme=world.programme.id)
    assert figures(soup, "age") == {
        "18–24": ["1", "1", "1", "100%", "1", "100%", "1", "—", "+1.5", "1", "4"],
        "25–34": ["2", "2", "1", "50%", "0", "0%", "0", "—", "+0.5", "0", "4"],
        "35–44": ["2", "1", "1", "100%", "1", "100%", "1", "—", "+0.5", "1", "3"],
        "45–54": ["1", "1", "1", "100%", "1", "100%", "0", "—", "no data", "0", "0"],
        "55+": ["0", "0", "0", "no data", "0", "no data", "0", "—", "no data", "0", "0"],
        UNKNOWN_AGE: ["1", "0", "0", "no data", "0", "no data", "0", "—", "no data", "0", "2"],
        "Total": ["7", "5", "4", "80%", "3", "60%", "2", "3.8", "+0.8", "2", "13"],
    }


def test_all_programmes_add_the_other_programme(client, staff, world, no_minimum):
    soup = report(client)
    rows = figures(soup)
    # i: one more application, attended, certified; a survey of three 1s; 10 people reached.
    assert rows["Osh Region"] == ["5", "4", "3", "75%", "1", "25%", "2", "2.5", "+1.0", "3", "23"]
    assert rows["Total"][:2] == ["8", "6"]
    assert figures(soup, "age")["55+"][:4] == ["1", "1", "1", "100%"]

    soup = report(client, programme=world.other_programme.id)
    assert figures(soup) == {
        "Osh Region": ["1", "1", "1", "100%", "0", "0%", "1", "1.0", "no data", "1", "10"],
        "Total": ["1", "1", "1", "100%", "0", "0%", "1", "1.0", "no data", "1", "10"],
    }


def bishkek_today() -> date:
    """Today on the staff member's clock (their region's: Osh)."""
    return datetime.now(ZoneInfo("Asia/Bishkek")).date()


def test_the_period_chooses_applications_trainings_and_surveys(client, staff, world, no_minimum):
    today = bishkek_today()
    long_ago = {
        "from": (today - timedelta(days=500)).isoformat(),
        "to": (today - timedelta(days=300)).isoformat(),
        "programme": world.programme.id,
    }
    soup = report(client, **long_ago)
    assert figures(soup) == {  # h's early application; e's early training in Sughd
        "Osh Region": ["1", "1", "1", "100%", "0", "0%", "0", "no data", "no data", "0", "0"],
        "Sughd Region": [
            *["0", "0", "0", "no data", "0", "no data", "0"],
            *["no data"] * 2,
            "1",
            "6",
        ],
        "Total": ["1", "1", "1", "100%", "0", "0%", "0", "no data", "no data", "1", "6"],
    }
    # The dates shown are the period used.
    assert soup.select_one("input#from")["value"] == long_ago["from"]


def test_the_period_is_the_last_twelve_months_unless_chosen(client, staff, world, no_minimum):
    soup = report(client, programme=world.programme.id)
    today = bishkek_today()
    assert soup.select_one("input#to")["value"] == today.isoformat()
    first = date.fromisoformat(soup.select_one("input#from")["value"])
    assert first == today.replace(year=today.year - 1) + timedelta(days=1)
    # One day is a period too: nothing was applied for a year ago today.
    soup = report(client, programme=world.programme.id, **{"from": first, "to": first})
    assert figures(soup)["Total"][0] == "0"


def test_a_day_of_the_period_is_a_day_on_the_readers_clock(
    client, staff, make_user, region, no_minimum
):
    """An application made at half past midnight in Osh belongs to that day, not the one
    before (Bishkek's zone was once taken at its 1924 offset, +4:58, and moved it)."""
    day = bishkek_today() - timedelta(days=10)
    session = past_session(make_user(Role.FACILITATOR), make_programme(), region)
    enrolment = enrol(session, make_user(region=region))
    half_past_midnight = datetime.combine(day, time(0, 30), tzinfo=ZoneInfo("Asia/Bishkek"))
    enrolment.applied_at = half_past_midnight.astimezone(UTC)
    db.session.commit()

    def applications_on(one_day):
        soup = report(client, **{"from": one_day.isoformat(), "to": one_day.isoformat()})
        return figures(soup)["Total"][0]

    assert (applications_on(day), applications_on(day - timedelta(days=1))) == ("1", "0")


def test_the_region_filter_shows_that_region_alone(client, staff, world, no_minimum):
    soup = report(client, programme=world.programme.id, region=world.sughd.id)
    assert figures(soup) == {
        "Sughd Region": ["3", "2", "2", "100%", "2", "100%", "1", "3.5", "+0.5", "0", "0"],
    }
    assert figures(soup, "gender") == {
        "Women": ["1", "1", "1", "100%", "1", "100%", "1", "—", "+0.5", "0", "0"],
        "Men": ["1", "0", "0", "no data", "0", "no data", "0", "—", "no data", "0", "0"],
        OTHER: ["1", "1", "1", "100%", "1", "100%", "0", "—", "no data", "0", "0"],
        "Total": ["3", "2", "2", "100%", "2", "100%", "1", "3.5", "+0.5", "0", "0"],
    }
    # A region with nothing: zeros, not an error.
    naryn = region_named("Naryn Region")
    soup = report(client, programme=world.programme.id, region=naryn.id)
    assert figures(soup)["Naryn Region"][:3] == ["0", "0", "0"]


def test_nobody_is_named_on_the_report(client, staff, world):
    text = report(client).get_text(" ")
    for person in world.people.values():
        assert person.full_name not in text
        assert person.email not in text


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        ({"from": "yesterday"}, "from"),
        ({"to": "2026-02-30"}, "to"),
        ({"from": "1899-01-01"}, "from"),
        ({"from": "2026-05-02", "to": "2026-05-01"}, "to"),
        ({"programme": "abc"}, "programme"),
        ({"programme": "99999"}, "programme"),
        ({"region": "9" * 30}, "region"),
    ],
)
def test_bad_filters_are_said_beside_the_field(client, staff, filters, field):
    response = client.get(REPORT, query_string=filters)
    assert response.status_code == 400
    soup = page(response)
    assert field_error(soup, field)
    assert soup.select("table.figures") == []
    assert soup.select("figure.chart") == []
    assert client.get("/reports/outcomes.csv", query_string=filters).status_code == 400


# --- small cells ---------------------------------------------------------------------------------


def test_small_groups_and_their_complements_are_hidden(client, staff, world):
    soup = report(client, programme=world.programme.id)
    rows = figures(soup)
    # Applications: 4 and 3 people, shown.
    assert [rows[name][0] for name in ("Osh Region", "Sughd Region", "Total")] == ["4", "3", "7"]
    # Confirmed: Sughd has 2; Osh would give them away (5 - 3): hidden too.
    assert [rows[name][1] for name in ("Osh Region", "Sughd Region", "Total")] == [
        NOT_SHOWN,
        FEW,
        "5",
    ]
    # A rate from a hidden figure is hidden alike.
    assert rows["Sughd Region"][3] == NOT_SHOWN
    by_gender = figures(soup, "gender")
    # One person of another gender or not said; women (3) hidden, else 7 - 3 - 3 gives them.
    assert [by_gender[name][0] for name in ("Women", "Men", OTHER, "Total")] == [
        NOT_SHOWN,
        "3",
        FEW,
        "7",
    ]
    # Feedback: s2 has two answers, fewer than a survey needs: Sughd has none, the total is s1's.
    assert [rows[name][7] for name in ("Osh Region", "Sughd Region", "Total")] == [
        "4.0",
        "no data",
        "4.0",
    ]
    # The region filter hides alike: a region reads the same in every view.
    alone = figures(report(client, programme=world.programme.id, region=world.osh.id))
    assert alone["Osh Region"] == rows["Osh Region"]
    text = soup.get_text(" ")
    assert "fewer than 3 people reads “fewer than 3”" in text


def test_the_minimum_comes_from_the_settings(client, app, staff, world):
    app.config["FEEDBACK_MIN_RESPONSES"] = 5
    rows = figures(report(client, programme=world.programme.id))
    assert rows["Sughd Region"][0] == "fewer than 5"
    assert rows["Total"][0] == "7"


# --- files ---------------------------------------------------------------------------------------


def file_table(rows) -> dict[tuple[str, str], list]:
    """{(breakdown, group): [COLUMNS]} of a file's rows, below its heading row."""
    heading = next(n for n, row in enumerate(rows) if row and row[0] == "Breakdown")
    return {(row[0], row[1]): list(row[2:]) for row in rows[heading + 1 :]}


def test_the_csv_holds_the_page_with_small_groups_hidden(client, staff, world):
    response = client.get("/reports/outcomes.csv", query_string={"programme": world.programme.id})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True).removeprefix("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1] == ["Programme", "Legal aid TOT"]
    heading = rows[next(n for n, row in enumerate(rows) if row and row[0] == "Breakdown")]
    assert heading[2:5] == ["Applications", "Confirmed", "Attended"]
    assert heading[5] == "Attendance rate (%)"
    table = file_table(rows)
    assert table["Region", "Osh Region"][:4] == ["4", NOT_SHOWN, FEW, NOT_SHOWN]
    assert table["Region", "Sughd Region"][:2] == ["3", FEW]
    assert table["Gender", OTHER][0] == FEW
    assert table["Gender", "Women"][7] == "—"
    assert table["Region", "Total"][7] == "4.0"
    assert len(table) == 3 + 4 + 7  # regions and total, genders and total, ages and total
    for person in world.people.values():
        assert person.full_name not in text


def test_the_xlsx_keeps_numbers_as_numbers_and_hidden_cells_as_text(
    client, staff, world, no_minimum
):
    response = client.get("/reports/outcomes.xlsx", query_string={"programme": world.programme.id})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    table = file_table([[cell.value for cell in row] for row in sheet.iter_rows()])
    assert table["Region", "Osh Region"] == [4, 3, 2, 67, 1, 33, 1, 4.0, 1.0, 2, 13]
    assert table["Age group", "55+"][3] == "no data"

    client.application.config["FEEDBACK_MIN_RESPONSES"] = 3
    response = client.get("/reports/outcomes.xlsx", query_string={"programme": world.programme.id})
    sheet = load_workbook(io.BytesIO(response.data)).active
    table = file_table([[cell.value for cell in row] for row in sheet.iter_rows()])
    assert table["Region", "Sughd Region"][:2] == [3, FEW]
    assert table["Gender", "Women"][0] == NOT_SHOWN


def test_the_page_links_to_its_files_with_its_filters(client, staff, world):
    soup = report(client, programme=world.programme.id, region=world.osh.id)
    links = [a["href"] for a in soup.select(".downloads a")]
    assert len(links) == 2
    assert links[0].startswith("/reports/outcomes.csv?")
    assert f"programme={world.programme.id}" in links[0]
    assert f"region={world.osh.id}" in links[1]


# --- charts --------------------------------------------------------------------------------------


def test_charts_are_svg_with_a_name_and_their_numbers_in_a_table(client, staff, world):
    soup = report(client, programme=world.programme.id)
    charts = soup.select("figure.chart")
    assert [chart["id"] for chart in charts] == ["chart-reach", "chart-rates"]
    for chart in charts:
        svg = chart.select_one("svg")
        assert svg["role"] == "img"
        title = svg.select_one("title")
        assert svg["aria-labelledby"] == title["id"]
        table = soup.select_one(f"#{svg['aria-describedby']}")
        assert table.name == "table"
        assert [th.get_text(strip=True) for th in table.select("tbody th")] == [
            "Osh Region",
            "Sughd Region",
        ]
        # As wide as its drawing, and narrower on a phone (the stylesheet's max-width).
        assert svg["viewbox"].split()[2] == svg["width"]
    reach = soup.select_one("#chart-reach-data")
    assert [td.get_text(strip=True) for td in reach.select("tbody tr")[0].select("td")] == [
        FEW,
        "13",
    ]
    # A hidden figure draws no bar, only its text: every rate by region is hidden here.
    rates = soup.select_one("#chart-rates")
    hidden = [t.get_text() for t in rates.select("text.chart-value-hidden")]
    assert hidden == [NOT_SHOWN, NOT_SHOWN, NOT_SHOWN, NOT_SHOWN]
    assert rates.select("rect.chart-bar") == []


def test_bars_are_as_long_as_their_values(client, staff, world, no_minimum):
    soup = report(client, programme=world.programme.id)
    bars = soup.select("#chart-rates rect.chart-bar")
    widths = [float(bar["width"]) for bar in bars]
    # Osh: 67% and 33%; Sughd: 100% and 100%, on a scale that ends at 100%.
    osh = [pytest.approx(0.67 * 320, abs=0.1), pytest.approx(0.33 * 320, abs=0.1)]
    assert widths == [*osh, 320.0, 320.0]
    assert soup.select_one('link[href$="css/charts.css"]') is not None


# --- query counts --------------------------------------------------------------------------------


def test_the_report_runs_the_same_queries_for_few_or_many_people(
    client, staff, world, make_user, make_region
):
    client.get(REPORT)
    with count_queries() as few:
        client.get(REPORT)
    with count_queries() as few_file:
        client.get("/reports/outcomes.xlsx")

    lead = make_user(Role.FACILITATOR)
    for _ in range(4):
        where = make_region()
        held = past_session(lead, world.programme, where)
        feedback(held, 3, 4, 5, 5)
        for number in range(6):
            person = make_user(region=where, gender=Gender.MAN, age_group=AgeGroup.AGE_45_54)
            enrol(held, person, present=(number % 2 == 0,))
            completed(person, world.programme)
            cascade(certify(person, held), where, women=3, men=4, age_35_44=7)
    with count_queries() as many:
        response = client.get(REPORT)
    assert many.count == few.count, many.statements
    assert len(figures(page(response))) == 2 + 4 + 1
    with count_queries() as many_file:
        client.get("/reports/outcomes.xlsx")
    assert many_file.count == few_file.count


# --- who may read it -----------------------------------------------------------------------------


@pytest.mark.parametrize("url", [REPORT, "/reports/outcomes.csv", "/reports/outcomes.xlsx"])
@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.FACILITATOR])
def test_participants_and_facilitators_are_refused(client, login_as, url, role):
    login_as(role)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", [REPORT, "/reports/outcomes.csv"])
def test_visitors_are_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("role", [Role.STAFF, Role.ADMIN])
def test_staff_and_administrators_read_it_and_find_it_in_the_navigation(client, login_as, role):
    login_as(role)
    assert client.get(REPORT).status_code == 200
    assert client.get("/reports/outcomes.csv").status_code == 200
    nav = {a["href"] for a in page(client.get("/")).select("header nav a")}
    assert REPORT in nav


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.FACILITATOR])
def test_the_navigation_hides_it_from_others(client, login_as, role):
    login_as(role)
    nav = {a["href"] for a in page(client.get("/")).select("header nav a")}
    assert REPORT not in nav
