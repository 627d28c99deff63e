"""Charts drawn on the server (templates/_macros/charts.html): SVG with a name, and their numbers
in a table; on the outcomes report, the self-assessment report and the themes report."""

import re

import pytest
from bs4 import BeautifulSoup
from flask import render_template_string

from tests.conftest import count_queries, page
from tests.factories import make_group, make_programme, make_quote, region_named
from tot.assessment.models import AssessmentRating, AssessmentStatement, Phase, SelfAssessment
from tot.extensions import db
from tot.permissions import Role

MACROS = '{% from "_macros/charts.html" import bar_chart, heat_map %}'


def render(call: str, **context) -> BeautifulSoup:
    with_macros = MACROS + call
    return BeautifulSoup(render_template_string(with_macros, **context), "html.parser")


@pytest.fixture
def request_context(app):
    with app.test_request_context():
        yield


CHART = {
    "id": "chart-test",
    "title": "People trained by region",
    "category_label": "Region",
    "categories": ["Osh Region", "Gorno-Badakhshan Autonomous Region of the long name", "Naryn"],
    "series": [
        {"name": "Trained", "numbers": [10, None, 5], "texts": ["10", "fewer than 3", "5"]},
        {"name": "Reached", "numbers": [20, 0, 40], "texts": ["20", "0", "40"]},
    ],
}


def test_a_bar_chart_is_an_image_with_a_name_and_a_table(request_context):
    soup = render("{{ bar_chart(chart) }}", chart=CHART)
    svg = soup.select_one("figure#chart-test svg")
    assert svg["role"] == "img"
    assert soup.select_one(f"#{svg['aria-labelledby']}").get_text() == CHART["title"]
    table = soup.select_one(f"#{svg['aria-describedby']}")
    assert table.name == "table"
    assert "stack" in table["class"]
    rows = [[cell.get_text(strip=True) for cell in tr.select("th, td")] for tr in table.tbody("tr")]
    assert rows == [
        ["Osh Region", "10", "20"],
        ["Gorno-Badakhshan Autonomous Region of the long name", "fewer than 3", "0"],
        ["Naryn", "5", "40"],
    ]
    # The legend names each series; long labels are cut in the drawing, whole in the table.
    legend = [text.get_text() for text in svg.select("text.chart-legend")]
    assert legend == ["Trained", "Reached"]
    labels = [text.get_text() for text in svg.select("text.chart-label")]
    assert labels[1].endswith("…")
    assert len(labels[1]) <= 48


def test_bars_are_in_proportion_and_a_hidden_number_has_no_bar(request_context):
    soup = render("{{ bar_chart(chart) }}", chart=CHART)
    bars = soup.select("rect.chart-bar")
    # The scale ends at the largest number (40), on 320 units.
    assert [float(bar["width"]) for bar in bars] == [80.0, 160.0, 0.0, 40.0, 320.0]
    assert [bar["class"][1] for bar in bars] == [
        "chart-series-0",
        "chart-series-1",
        "chart-series-1",
        "chart-series-0",
        "chart-series-1",
    ]
    assert [text.get_text() for text in soup.select("text.chart-value-hidden")] == ["fewer than 3"]

    soup = render("{{ bar_chart(chart) }}", chart=dict(CHART, max_value=80))
    assert float(soup.select_one("rect.chart-bar")["width"]) == 40.0


def test_a_chart_may_be_described_by_a_table_already_on_the_page(request_context):
    soup = render("{{ bar_chart(chart, data_table=false, described_by='results') }}", chart=CHART)
    assert soup.select_one("svg")["aria-describedby"] == "results"
    assert soup.select("table") == []


def test_a_heat_map_shades_by_count(request_context):
    chart = {
        "id": "heat-test",
        "title": "Quotes per theme and region",
        "row_label": "Theme",
        "rows": ["confidence", "safety"],
        "columns": ["Osh Region", "Naryn Region"],
        "counts": [[4, 0], [2, 1]],
    }
    soup = render("{{ heat_map(chart) }}", chart=chart)
    svg = soup.select_one("svg")
    assert svg["role"] == "img"
    cells = svg.select("rect")
    assert len(cells) == 4
    assert [cell.get("fill-opacity") for cell in cells] == ["1.0", None, "0.57", "0.36"]
    assert "heat-empty" in cells[1]["class"]
    assert [text.get_text() for text in svg.select("text.heat-value")] == ["4", "0", "2", "1"]
    table = soup.select_one(f"#{svg['aria-describedby']}")
    assert [th.get_text() for th in table.thead("th")] == ["Theme", "Osh Region", "Naryn Region"]


def test_charts_need_no_script_and_no_inline_style(request_context):
    """The Content-Security-Policy forbids both: colours come from static/css/charts.css."""
    html = str(render("{{ bar_chart(chart) }}", chart=CHART))
    assert "<script" not in html
    assert not re.search(r"\sstyle=", html)


# --- the self-assessment report ------------------------------------------------------------------


def pairs(make_user, statements, before, after, count) -> None:
    for _ in range(count):
        person = make_user()
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


def add_statements(programme, *texts) -> list[AssessmentStatement]:
    statements = [
        AssessmentStatement(programme=programme, text=text, position=n)
        for n, text in enumerate(texts)
    ]
    db.session.add_all(statements)
    db.session.commit()
    return statements


def test_the_self_assessment_report_charts_before_and_after(client, login_as, make_user):
    login_as(Role.STAFF)
    programme = make_programme(title="Legal aid TOT")
    statements = add_statements(programme, "I can explain a detainee's rights", "I speak up")
    pairs(make_user, statements, before=(2, 3), after=(4, 4), count=3)
    quiet = make_programme(title="Quiet TOT")
    pairs(make_user, add_statements(quiet, "I listen"), before=(1,), after=(2,), count=2)

    soup = page(client.get("/reports/self-assessment"))
    charts = soup.select("figure.chart")
    assert [chart["id"] for chart in charts] == [f"chart-programme-{programme.id}"]
    svg = charts[0].select_one("svg")
    assert svg["role"] == "img"
    table = soup.select_one(f"#{svg['aria-describedby']}")
    assert "statement-results" in table["class"]  # the report's own table, kept as it was
    bars = svg.select("rect.chart-bar")
    assert [float(bar["width"]) for bar in bars] == [128.0, 256.0, 192.0, 256.0]  # of 5, on 320
    assert [text.get_text() for text in svg.select("text.chart-value")] == [
        "2.0",
        "4.0",
        "3.0",
        "4.0",
    ]
    # Too few pairs: no chart for that programme, its table says why as before.
    assert soup.select_one(f"#programme-{quiet.id} figure") is None
    assert soup.select_one('link[href$="css/charts.css"]') is not None


def test_the_self_assessment_chart_keeps_the_query_count(client, login_as, make_user):
    login_as(Role.STAFF)
    programme = make_programme(title="Legal aid TOT")
    statements = add_statements(programme, "I can explain a detainee's rights")
    pairs(make_user, statements, before=(2,), after=(4,), count=3)
    client.get("/reports/self-assessment")
    with count_queries() as few:
        client.get("/reports/self-assessment")
    more = add_statements(make_programme(title="Second TOT"), "One", "Two", "Three")
    pairs(make_user, more, before=(1, 2, 3), after=(3, 3, 3), count=6)
    with count_queries() as many:
        soup = page(client.get("/reports/self-assessment"))
    assert len(soup.select("figure.chart")) == 2
    assert many.count == few.count


# --- the themes report ---------------------------------------------------------------------------


def test_the_themes_report_has_a_heat_map_of_each_table(client, login_as, region):
    login_as(Role.STAFF)
    naryn = region_named("Naryn Region")
    group = make_group(region, programme=make_programme(title="Legal aid TOT"))
    make_quote(group, themes=("confidence", "safety"))
    make_quote(group, themes=("confidence",))
    make_quote(group, themes=("confidence",), region=naryn)

    soup = page(client.get("/focus-groups/themes"))
    maps = soup.select("figure.chart-heat")
    assert [figure["id"] for figure in maps] == [
        "heat-themes-by-region",
        "heat-themes-by-programme",
    ]
    svg = maps[0].select_one("svg")
    assert svg["role"] == "img"
    assert svg.title.get_text() == "Quotes per theme and region"
    table = soup.select_one(f"#{svg['aria-describedby']}")
    assert "themes-by-region" in table["class"]  # the report's own table, kept as it was
    # confidence: Naryn 1, Osh 2; safety: Naryn 0, Osh 1 (columns in the table's order)
    assert [text.get_text() for text in svg.select("text.heat-value")] == ["1", "2", "0", "1"]
    assert [rect.get("fill-opacity") for rect in svg.select("rect")] == [
        "0.57",
        "1.0",
        None,
        "0.57",
    ]


def test_no_heat_map_without_themes(client, login_as):
    login_as(Role.STAFF)
    soup = page(client.get("/focus-groups/themes"))
    assert soup.select("figure.chart") == []
    assert "No quote has a theme yet." in soup.get_text()
