"""Self-assessment: statements authoring, rating before and after, and the aggregate report."""

import pytest
from sqlalchemy import func, select

from tests.conftest import count_queries, field_error, flashes, log_in, page
from tests.factories import make_programme, region_named
from tot.assessment.models import AssessmentRating, AssessmentStatement, Phase, SelfAssessment
from tot.assessment.services import assessment_prompt
from tot.db_types import utcnow
from tot.extensions import db
from tot.learning.models import ProgrammeProgress
from tot.permissions import Role

LABELS = ["1 – Not at all", "2 – A little", "3 – Partly", "4 – Mostly", "5 – Completely"]
NOT_ENOUGH = "Not enough pairs to show without identifying people."
COMPLEMENT = "Hidden so that the smaller groups cannot be worked out from the others."


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def add_statements(programme, *texts) -> list[AssessmentStatement]:
    statements = [
        AssessmentStatement(programme=programme, text=text, position=position)
        for position, text in enumerate(texts, start=1)
    ]
    db.session.add_all(statements)
    db.session.commit()
    return statements


def start(user, programme) -> ProgrammeProgress:
    progress = ProgrammeProgress(user_id=user.id, programme_id=programme.id)
    db.session.add(progress)
    db.session.commit()
    return progress


def complete(user, programme) -> None:
    progress = db.session.scalar(
        select(ProgrammeProgress).filter_by(user_id=user.id, programme_id=programme.id)
    )
    if progress is None:
        progress = start(user, programme)
    progress.completed_at = utcnow()
    db.session.commit()


def rated(user, programme, phase: Phase, ratings: dict) -> SelfAssessment:
    """A submission stored directly: {statement: rating}."""
    assessment = SelfAssessment(user_id=user.id, programme_id=programme.id, phase=phase)
    assessment.ratings = [
        AssessmentRating(statement_id=statement.id, rating=rating)
        for statement, rating in ratings.items()
    ]
    db.session.add(assessment)
    db.session.commit()
    return assessment


def answers(statements, values) -> dict[str, str]:
    return {f"statement-{s.id}": str(v) for s, v in zip(statements, values, strict=True)}


def statement_texts(soup) -> list[str]:
    return [span.get_text(strip=True) for span in soup.select("table.statements .statement-text")]


def stored_ratings() -> list[tuple[int, int]]:
    return sorted(
        db.session.execute(select(AssessmentRating.statement_id, AssessmentRating.rating)).all()
    )


@pytest.fixture
def programme(app):
    return make_programme()


@pytest.fixture
def statements(programme):
    return add_statements(
        programme,
        "I can explain the rights of a detained person",
        "I feel confident speaking in front of a group",
    )


@pytest.fixture
def staff(login_as):
    return login_as(Role.STAFF)


# --- statements (staff) --------------------------------------------------------------------------


def test_staff_add_statements_and_see_them_in_order(client, staff, programme):
    url = f"/manage/programmes/{programme.id}/statements"
    soup = page(client.get(url))
    assert soup.h1.get_text(strip=True) == "Self-assessment statements"
    assert len(soup.select("h1")) == 1
    assert "No statements yet" in soup.get_text()

    for text in ("I can explain the rights of a detained person", "  I can  lead a role-play "):
        response = client.post(url, data={"text": text})
        assert response.status_code == 302
        assert response.headers["Location"] == url

    soup = page(client.get(url))
    assert statement_texts(soup) == [
        "I can explain the rights of a detained person",
        "I can lead a role-play",  # spaces tidied
    ]
    assert flashes(soup) == ["The statement is added."] * 2
    assert [s.position for s in db.session.scalars(select(AssessmentStatement))] == [1, 2]


def test_admins_manage_statements_too(client, login_as, programme):
    login_as(Role.ADMIN)
    url = f"/manage/programmes/{programme.id}/statements"
    assert client.post(url, data={"text": "I know where to refer a survivor"}).status_code == 302
    assert count(AssessmentStatement) == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Write the statement."),
        ("   ", "Write the statement."),
        ("x" * 301, "At most 300 characters."),
    ],
)
def test_a_statement_needs_text_of_at_most_300_characters(client, staff, programme, text, message):
    response = client.post(f"/manage/programmes/{programme.id}/statements", data={"text": text})
    assert response.status_code == 400
    assert field_error(page(response), "text") == message
    assert count(AssessmentStatement) == 0


def test_300_characters_are_allowed(client, staff, programme):
    client.post(f"/manage/programmes/{programme.id}/statements", data={"text": "y" * 300})
    assert db.session.scalar(select(AssessmentStatement.text)) == "y" * 300


def test_the_same_statement_twice_is_refused(client, staff, programme, statements):
    response = client.post(
        f"/manage/programmes/{programme.id}/statements",
        data={"text": "i feel confident speaking in front of a group"},
    )
    assert response.status_code == 400
    assert field_error(page(response), "text") == "This programme already has this statement."
    assert count(AssessmentStatement) == 2


def test_staff_edit_a_statement_and_bad_input_changes_nothing(client, staff, programme, statements):
    url = f"/manage/programmes/{programme.id}/statements/{statements[0].id}/edit"
    soup = page(client.get(url))
    assert soup.select_one("textarea#text").get_text(strip=True) == statements[0].text

    response = client.post(url, data={"text": ""})
    assert response.status_code == 400
    assert field_error(page(response), "text") == "Write the statement."
    response = client.post(url, data={"text": statements[1].text})
    assert field_error(page(response), "text") == "This programme already has this statement."
    assert db.session.get(AssessmentStatement, statements[0].id).text == statements[0].text

    response = client.post(url, data={"text": "I can explain a detainee's rights"})
    assert response.status_code == 302
    assert db.session.get(AssessmentStatement, statements[0].id).text == (
        "I can explain a detainee's rights"
    )


def test_editing_a_rated_statement_warns_about_its_meaning(
    client, staff, make_user, programme, statements
):
    rated(make_user(), programme, Phase.BEFORE, {statements[0]: 3, statements[1]: 3})
    url = f"/manage/programmes/{programme.id}/statements/{statements[0].id}/edit"
    notice = page(client.get(url)).select_one(".notice").get_text(" ", strip=True)
    assert notice.startswith("1 person has rated this statement.")


def test_statements_move_up_and_down(client, staff, programme):
    first, _second, third = add_statements(programme, "First", "Second", "Third")
    base = f"/manage/programmes/{programme.id}/statements"
    client.post(f"{base}/{third.id}/move", data={"direction": "up"})
    assert statement_texts(page(client.get(base))) == ["First", "Third", "Second"]
    client.post(f"{base}/{first.id}/move", data={"direction": "down"})
    assert statement_texts(page(client.get(base))) == ["Third", "First", "Second"]
    client.post(f"{base}/{third.id}/move", data={"direction": "up"})  # already first
    assert statement_texts(page(client.get(base))) == ["Third", "First", "Second"]

    response = client.post(f"{base}/{first.id}/move", data={"direction": "sideways"})
    assert response.status_code == 302
    soup = page(client.get(base))
    assert flashes(soup) == ["Choose to move up or down."]
    assert statement_texts(soup) == ["Third", "First", "Second"]


def test_an_unrated_statement_can_be_deleted(client, staff, programme, statements):
    base = f"/manage/programmes/{programme.id}/statements"
    response = client.post(f"{base}/{statements[0].id}/delete")
    assert response.status_code == 302
    assert statement_texts(page(client.get(base))) == [statements[1].text]


def test_a_rated_statement_cannot_be_deleted(client, staff, make_user, programme, statements):
    rated(make_user(), programme, Phase.BEFORE, {statements[0]: 2, statements[1]: 4})
    base = f"/manage/programmes/{programme.id}/statements"
    soup = page(client.get(base))
    assert soup.select_one(f"form[action='{base}/{statements[0].id}/delete']") is None

    client.post(f"{base}/{statements[0].id}/delete")
    soup = page(client.get(base))
    assert flashes(soup) == [
        "Participants have rated “I can explain the rights of a detained person”, so it cannot "
        "be deleted: their answers would lose their meaning. Change its wording instead."
    ]
    assert count(AssessmentStatement) == 2
    assert len(stored_ratings()) == 2


def test_statements_are_found_only_under_their_own_programme(client, staff, programme, statements):
    other = make_programme(title="Women's leadership TOT")
    sid = statements[0].id
    huge = "9" * 30
    for url in (
        f"/manage/programmes/{other.id}/statements/{sid}/edit",
        f"/manage/programmes/{programme.id}/statements/99999/edit",
        f"/manage/programmes/{programme.id}/statements/{huge}/edit",
        "/manage/programmes/99999/statements",
        f"/manage/programmes/{huge}/statements",
    ):
        assert client.get(url).status_code == 404, url
    for action in ("move", "delete"):
        url = f"/manage/programmes/{other.id}/statements/{sid}/{action}"
        assert client.post(url, data={"direction": "up"}).status_code == 404
    assert count(AssessmentStatement) == 2


# --- rating (participants) -----------------------------------------------------------------------


def rate_url(programme, phase="before") -> str:
    return f"/programmes/{programme.id}/self-assessment/{phase}"


def test_before_is_refused_until_the_participant_has_the_programme(
    client, login_as, programme, statements
):
    login_as(Role.PARTICIPANT)
    response = client.get(rate_url(programme))
    assert response.status_code == 403
    soup = page(response)
    assert "once you have started it" in soup.select_one(".notice").get_text()
    assert soup.select("input[type=radio]") == []

    response = client.post(rate_url(programme), data=answers(statements, [3, 3]))
    assert response.status_code == 403
    assert count(SelfAssessment) == 0


def test_before_opens_once_started_and_a_submission_is_final(
    client, login_as, programme, statements
):
    user = login_as(Role.PARTICIPANT)
    start(user, programme)
    soup = page(client.get(rate_url(programme)))
    assert len(soup.select("h1")) == 1
    assert [legend.get_text(strip=True) for legend in soup.select("form legend")] == [
        s.text for s in statements
    ]
    for statement in statements:
        radios = soup.select(f"input[type=radio][name=statement-{statement.id}]")
        assert [radio["value"] for radio in radios] == ["1", "2", "3", "4", "5"]
    labels = [label.get_text(" ", strip=True) for label in soup.select("form label.choice")]
    assert labels == LABELS * 2
    assert "cannot be changed afterwards" in soup.select_one(".notice.final").get_text()

    response = client.post(rate_url(programme), data=answers(statements, [2, 5]))
    assert response.status_code == 302
    assert response.headers["Location"] == rate_url(programme)
    assessment = db.session.scalar(select(SelfAssessment))
    assert (assessment.user_id, assessment.phase) == (user.id, Phase.BEFORE)
    assert stored_ratings() == [(statements[0].id, 2), (statements[1].id, 5)]

    soup = page(client.get(rate_url(programme)))
    assert flashes(soup) == ["Your self-assessment is submitted."]
    thanks = soup.select_one(".notice.submitted").get_text(strip=True)
    assert thanks.startswith("Thank you: submitted on ")
    assert soup.select("input[type=radio]") == []

    # A second try changes nothing.
    response = client.post(rate_url(programme), data=answers(statements, [1, 1]))
    assert response.status_code == 302
    assert flashes(page(client.get(rate_url(programme)))) == [
        "You have already submitted this self-assessment."
    ]
    assert count(SelfAssessment) == 1
    assert stored_ratings() == [(statements[0].id, 2), (statements[1].id, 5)]


def test_a_confirmed_seat_opens_before_without_starting(
    client, login_as, make_user, programme, statements
):
    from datetime import UTC, datetime, timedelta

    from tot.enrolment.models import Enrolment, EnrolmentStatus
    from tot.sessions.models import SessionStatus, TrainingSession

    user = login_as(Role.PARTICIPANT)
    begins = datetime.now(UTC) + timedelta(days=7)
    session = TrainingSession(
        programme=programme,
        title="Osh TOT",
        starts_at=begins,
        ends_at=begins + timedelta(days=2),
        region=user.region,
        venue="Hall",
        timezone="Asia/Bishkek",
        capacity=10,
        lead_facilitator=make_user(Role.FACILITATOR),
        status=SessionStatus.PUBLISHED,
    )
    seat = Enrolment(
        session=session, user_id=user.id, region_id=user.region_id, status=EnrolmentStatus.PENDING
    )
    db.session.add_all([session, seat])
    db.session.commit()
    assert client.get(rate_url(programme)).status_code == 403  # pending is not enough

    seat.status = EnrolmentStatus.CONFIRMED
    db.session.commit()
    assert client.get(rate_url(programme)).status_code == 200
    assert client.post(rate_url(programme), data=answers(statements, [4, 4])).status_code == 302
    assert count(SelfAssessment) == 1


def test_every_statement_must_be_rated(client, login_as, programme):
    statements = add_statements(programme, "One", "Two", "Three")
    start(login_as(Role.PARTICIPANT), programme)
    response = client.post(rate_url(programme), data={f"statement-{statements[1].id}": "4"})
    assert response.status_code == 400
    soup = page(response)
    assert field_error(soup, f"statement-{statements[0].id}") == (
        "Choose a rating for this statement."
    )
    assert field_error(soup, f"statement-{statements[1].id}") == ""
    assert field_error(soup, f"statement-{statements[2].id}") == (
        "Choose a rating for this statement."
    )
    # The rating given is kept on the page, and nothing is saved.
    assert soup.select_one(f"input[name=statement-{statements[1].id}][checked]")["value"] == "4"
    assert count(SelfAssessment) == 0
    assert count(AssessmentRating) == 0


@pytest.mark.parametrize("bad", ["0", "6", "-1", "3.5", "three", ""])
def test_ratings_outside_one_to_five_are_refused(client, login_as, programme, statements, bad):
    start(login_as(Role.PARTICIPANT), programme)
    data = {f"statement-{statements[0].id}": bad, f"statement-{statements[1].id}": "3"}
    response = client.post(rate_url(programme), data=data)
    assert response.status_code == 400
    assert field_error(page(response), f"statement-{statements[0].id}") == (
        "Choose a rating from 1 to 5."
    )
    assert count(SelfAssessment) == 0


def test_a_statement_of_another_programme_is_refused(client, login_as, programme, statements):
    (foreign,) = add_statements(make_programme(title="Conflict sensitivity"), "I stay calm")
    start(login_as(Role.PARTICIPANT), programme)
    data = {**answers(statements, [3, 4]), f"statement-{foreign.id}": "5"}
    response = client.post(rate_url(programme), data=data)
    assert response.status_code == 400
    assert flashes(page(response)) == [
        "A rating was given for a statement that is not in this form."
    ]
    response = client.post(rate_url(programme), data={**data, "statement-abc": "5"})
    assert response.status_code == 400
    assert count(SelfAssessment) == 0
    assert count(AssessmentRating) == 0


def test_after_is_refused_until_the_programme_is_complete(client, login_as, programme, statements):
    user = login_as(Role.PARTICIPANT)
    start(user, programme)
    response = client.get(rate_url(programme, "after"))
    assert response.status_code == 403
    assert "once you have completed it" in page(response).select_one(".notice").get_text()
    response = client.post(rate_url(programme, "after"), data=answers(statements, [5, 5]))
    assert response.status_code == 403
    assert count(SelfAssessment) == 0

    complete(user, programme)
    assert client.get(rate_url(programme, "after")).status_code == 200
    response = client.post(rate_url(programme, "after"), data=answers(statements, [5, 4]))
    assert response.status_code == 302
    assert db.session.scalar(select(SelfAssessment.phase)) is Phase.AFTER

    response = client.post(rate_url(programme, "after"), data=answers(statements, [1, 1]))
    assert response.status_code == 302
    assert count(SelfAssessment) == 1
    assert stored_ratings() == [(statements[0].id, 5), (statements[1].id, 4)]


def test_before_closes_once_the_programme_is_complete(client, login_as, programme, statements):
    user = login_as(Role.PARTICIPANT)
    complete(user, programme)
    response = client.post(rate_url(programme, "before"), data=answers(statements, [1, 1]))
    assert response.status_code == 403
    assert count(SelfAssessment) == 0


def test_a_programme_without_statements_has_nothing_to_rate(client, login_as, programme):
    start(login_as(Role.PARTICIPANT), programme)
    response = client.get(rate_url(programme))
    assert response.status_code == 200
    soup = page(response)
    assert soup.select_one(".nothing-to-rate").get_text(strip=True) == (
        "There is nothing to rate for this programme yet."
    )
    assert soup.select("form.rating-form") == []
    assert client.post(rate_url(programme), data={}).status_code == 400
    assert count(SelfAssessment) == 0


def test_unknown_phases_programmes_and_drafts_are_not_found(client, login_as, programme):
    draft = make_programme(title="Draft TOT", published=False)
    add_statements(draft, "Hidden")
    login_as(Role.PARTICIPANT)
    for url in (
        rate_url(programme, "during"),
        rate_url(programme, "BEFORE"),
        "/programmes/99999/self-assessment/before",
        f"/programmes/{'9' * 30}/self-assessment/before",
        rate_url(draft),
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, data={}).status_code == 404, url


def test_the_prompt_says_which_phase_to_do_now(make_user, programme):
    user = make_user()
    assert assessment_prompt(user, programme) is None  # no statements
    statements = add_statements(programme, "One")
    assert assessment_prompt(user, programme) is None  # does not have the programme
    start(user, programme)
    assert assessment_prompt(user, programme) is Phase.BEFORE
    rated(user, programme, Phase.BEFORE, {statements[0]: 2})
    assert assessment_prompt(user, programme) is None  # until complete
    complete(user, programme)
    assert assessment_prompt(user, programme) is Phase.AFTER
    rated(user, programme, Phase.AFTER, {statements[0]: 4})
    assert assessment_prompt(user, programme) is None

    late = make_user()
    complete(late, programme)
    assert assessment_prompt(late, programme) is Phase.AFTER  # a late "before" is no before
    assert assessment_prompt(make_user(Role.STAFF), programme) is None


# --- the report (staff) --------------------------------------------------------------------------


REPORT = "/reports/self-assessment"


def results(soup, programme) -> dict[str, list[str]]:
    """{statement text: [pairs, before, after, change] or [pairs, message]}."""
    rows = {}
    for tr in soup.select(f"#programme-{programme.id} table.statement-results tbody tr"):
        text = tr.select_one("td.statement").get_text(strip=True).split(". ", 1)[1]
        rows[text] = [td.get_text(strip=True) for td in tr.select("td")[1:]]
    return rows


def by_region(soup, programme) -> dict[str, list[str]]:
    return {
        tr.select_one("td.region").get_text(strip=True): [
            td.get_text(strip=True) for td in tr.select("td[data-statement]")
        ]
        for tr in soup.select(f"#programme-{programme.id} table.region-results tbody tr")
    }


def pairs(make_user, programme, statements, before, after, **user_fields) -> list:
    """One person per column: before[i][k] and after[i][k] rate statement k for person i."""
    people = []
    for before_ratings, after_ratings in zip(before, after, strict=True):
        person = make_user(**user_fields)
        rated(person, programme, Phase.BEFORE, dict(zip(statements, before_ratings, strict=True)))
        rated(person, programme, Phase.AFTER, dict(zip(statements, after_ratings, strict=True)))
        people.append(person)
    return people


def test_the_report_shows_averages_and_change_of_pairs_only(
    client, staff, make_user, programme, statements
):
    pairs(
        make_user,
        programme,
        statements,
        before=[(2, 5), (3, 5), (4, 4)],
        after=[(4, 4), (4, 4), (5, 4)],
    )
    unpaired = make_user()
    rated(unpaired, programme, Phase.BEFORE, {statements[0]: 1, statements[1]: 1})

    soup = page(client.get(REPORT))
    assert len(soup.select("h1")) == 1
    assert results(soup, programme) == {
        statements[0].text: ["3", "3.0", "4.3", "+1.3"],
        statements[1].text: ["3", "4.7", "4.0", "-0.7"],
    }
    meta = soup.select_one(f"#programme-{programme.id} .meta").get_text(strip=True)
    assert meta == "Answered before the programme: 4 · after: 3"
    cells = soup.select(f"#programme-{programme.id} table.statement-results td[data-label]")
    assert cells  # each cell names its column on a phone
    assert soup.select_one("table.statement-results")["class"] == ["stack", "statement-results"]


def test_a_group_under_the_minimum_is_hidden(client, app, staff, make_user, programme, statements):
    pairs(make_user, programme, statements, before=[(1, 1), (2, 2)], after=[(5, 5), (4, 4)])
    soup = page(client.get(REPORT))
    assert results(soup, programme) == {
        statements[0].text: ["2", NOT_ENOUGH],
        statements[1].text: ["2", NOT_ENOUGH],
    }
    assert "+3.0" not in soup.get_text()

    app.config["ASSESSMENT_MIN_PAIRS"] = 2
    soup = page(client.get(REPORT))
    assert results(soup, programme)[statements[0].text] == ["2", "1.5", "4.5", "+3.0"]


def test_a_statement_added_later_has_its_own_pairs(client, staff, make_user, programme, statements):
    pairs(make_user, programme, statements, before=[(1, 1)] * 3, after=[(2, 2)] * 3)
    (late,) = add_statements(programme, "I know the referral pathways")
    for person in pairs(make_user, programme, statements, before=[(1, 1)], after=[(3, 3)]):
        db.session.add(
            AssessmentRating(
                assessment_id=db.session.scalar(
                    select(SelfAssessment.id).filter_by(user_id=person.id, phase=Phase.AFTER)
                ),
                statement_id=late.id,
                rating=5,
            )
        )
    db.session.commit()
    rows = results(page(client.get(REPORT)), programme)
    assert rows[statements[0].text] == ["4", "1.0", "2.3", "+1.3"]
    assert rows[late.text] == ["0", NOT_ENOUGH]  # rated after only: no pair


def test_the_region_filter_and_the_breakdown_by_region(
    client, staff, make_user, region, programme, statements
):
    sughd = region_named("Sughd Region")
    pairs(make_user, programme, statements, before=[(2, 2)] * 3, after=[(3, 4)] * 3)
    pairs(make_user, programme, statements, before=[(4, 4)] * 3, after=[(3, 3)] * 3, region=sughd)

    soup = page(client.get(REPORT))
    assert results(soup, programme)[statements[0].text] == ["6", "3.0", "3.0", "+0.0"]
    breakdown = by_region(soup, programme)
    assert list(breakdown.items()) == [  # by country, then name
        ("Osh Region", ["+1.0", "+2.0"]),
        ("Sughd Region", ["-1.0", "-1.0"]),
    ]

    soup = page(client.get(REPORT, query_string={"region": region.id}))
    assert results(soup, programme) == {
        statements[0].text: ["3", "2.0", "3.0", "+1.0"],
        statements[1].text: ["3", "2.0", "4.0", "+2.0"],
    }
    assert list(by_region(soup, programme)) == ["Osh Region"]

    soup = page(client.get(REPORT, query_string={"region": sughd.id, "programme": programme.id}))
    assert results(soup, programme)[statements[1].text] == ["3", "4.0", "3.0", "-1.0"]

    # A region where nobody has rated yet: not enough pairs, said as such.
    naryn = region_named("Naryn Region")
    soup = page(client.get(REPORT, query_string={"region": naryn.id}))
    assert results(soup, programme)[statements[0].text] == ["0", NOT_ENOUGH]


def test_a_small_region_cannot_be_worked_out_from_the_total(
    client, staff, make_user, programme, statements
):
    naryn = region_named("Naryn Region")
    pairs(make_user, programme, statements, before=[(2, 2)] * 3, after=[(3, 3)] * 3)
    pairs(make_user, programme, statements, before=[(1, 1)], after=[(5, 5)], region=naryn)

    soup = page(client.get(REPORT))
    assert results(soup, programme)[statements[0].text] == ["4", "1.8", "3.5", "+1.8"]
    # Osh alone would give Naryn's one person away: total minus Osh.
    assert by_region(soup, programme) == {
        "Naryn Region": ["not shown", "not shown"],
        "Osh Region": ["not shown", "not shown"],
    }
    # The region filter hides alike.
    soup = page(client.get(REPORT, query_string={"region": naryn.id}))
    assert results(soup, programme)[statements[0].text] == ["1", NOT_ENOUGH]
    soup = page(client.get(REPORT, query_string={"region": staff.region_id}))
    assert results(soup, programme)[statements[0].text] == ["3", COMPLEMENT]


def test_no_report_shows_who_answered_or_how(client, staff, make_user, programme, statements):
    people = pairs(make_user, programme, statements, before=[(1, 2)] * 3, after=[(2, 3)] * 3)
    for params in ({}, {"programme": programme.id}, {"region": people[0].region_id}):
        text = page(client.get(REPORT, query_string=params)).get_text(" ")
        for person in people:
            assert person.full_name not in text
            assert person.email not in text
    # One row per statement, never per person.
    soup = page(client.get(REPORT))
    assert len(soup.select("table.statement-results tbody tr")) == len(statements)


def test_the_report_runs_the_same_queries_for_3_or_20_pairs(
    client, staff, make_user, make_region, programme, statements
):
    other = make_programme(title="Women's leadership TOT")
    other_statements = add_statements(other, "I can chair a meeting")
    pairs(make_user, programme, statements, before=[(2, 3)] * 3, after=[(4, 4)] * 3)
    pairs(make_user, other, other_statements, before=[(2,)] * 3, after=[(3,)] * 3)
    with count_queries() as few:
        client.get(REPORT)

    for _ in range(5):
        more_region = make_region()
        pairs(
            make_user,
            programme,
            statements,
            before=[(1, 2)] * 3,
            after=[(3, 3)] * 3,
            region=more_region,
        )
    pairs(make_user, programme, statements, before=[(1, 2)] * 2, after=[(3, 3)] * 2)
    assert count(SelfAssessment) == 2 * (20 + 3)
    with count_queries() as many:
        response = client.get(REPORT)
    assert response.status_code == 200
    assert many.count == few.count
    assert results(page(response), programme)[statements[0].text][0] == "20"


def test_no_statements_anywhere(client, staff, programme):
    soup = page(client.get(REPORT))
    assert "No programme has self-assessment statements yet." in soup.get_text()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"programme": "abc"}, "programme"),
        ({"programme": "99999"}, "programme"),
        ({"programme": "9" * 40}, "programme"),
        ({"region": "x"}, "region"),
        ({"region": "99999"}, "region"),
    ],
)
def test_bad_filters_get_a_message_beside_the_field(client, staff, statements, params, field):
    response = client.get(REPORT, query_string=params)
    assert response.status_code == 400
    soup = page(response)
    assert field_error(soup, field).startswith("Choose a ")
    assert soup.select("table.statement-results") == []


def test_a_draft_programme_is_offered_in_the_filter(client, staff, programme, statements):
    draft = make_programme(title="Draft TOT", published=False)
    add_statements(draft, "I can plan a training day")
    soup = page(client.get(REPORT))
    options = [option.get_text(strip=True) for option in soup.select("select#programme option")]
    assert options == ["All programmes", "Draft TOT", "Legal Aid TOT"]


# --- access and forms -----------------------------------------------------------------------------


def staff_routes(programme, statement):
    base = f"/manage/programmes/{programme.id}/statements"
    return [
        ("GET", base),
        ("POST", base),
        ("GET", f"{base}/{statement.id}/edit"),
        ("POST", f"{base}/{statement.id}/edit"),
        ("POST", f"{base}/{statement.id}/move"),
        ("POST", f"{base}/{statement.id}/delete"),
        ("GET", REPORT),
    ]


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.FACILITATOR])
def test_staff_pages_are_refused_to_others(client, login_as, programme, statements, role):
    login_as(role)
    for method, url in staff_routes(programme, statements[0]):
        response = client.open(url, method=method, data={"text": "Changed", "direction": "up"})
        assert response.status_code == 403, (method, url)
    assert [s.text for s in db.session.scalars(select(AssessmentStatement))] == [
        s.text for s in statements
    ]


def test_visitors_are_sent_to_log_in(client, programme, statements):
    routes = [*staff_routes(programme, statements[0]), ("GET", rate_url(programme))]
    routes.append(("POST", rate_url(programme, "after")))
    for method, url in routes:
        response = client.open(url, method=method, data={"text": "Changed"})
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/login?next="), url
    assert count(AssessmentStatement) == 2


@pytest.mark.parametrize("role", [Role.STAFF, Role.ADMIN, Role.FACILITATOR])
def test_only_participants_rate(client, login_as, programme, statements, role):
    login_as(role)
    for phase in ("before", "after"):
        assert client.get(rate_url(programme, phase)).status_code == 403
        response = client.post(rate_url(programme, phase), data=answers(statements, [3, 3]))
        assert response.status_code == 403
    assert count(SelfAssessment) == 0


def test_every_post_form_carries_a_csrf_token_and_a_post_without_one_changes_nothing(
    app, client, make_user, programme, statements
):
    app.config["WTF_CSRF_ENABLED"] = True
    participant = make_user()
    start(participant, programme)
    staff_member = make_user(Role.STAFF)

    log_in(client, staff_member)
    base = f"/manage/programmes/{programme.id}/statements"
    for url in (base, f"{base}/{statements[0].id}/edit"):
        forms = page(client.get(url)).select("form[method=post]")
        assert forms, url
        for form in forms:
            assert form.select_one("input[name=csrf_token]")["value"], (url, form)
    assert client.post(base, data={"text": "New"}).status_code == 400
    assert client.post(f"{base}/{statements[0].id}/delete").status_code == 400

    log_in(client, participant)
    form = page(client.get(rate_url(programme))).select_one("form.rating-form")
    assert form.select_one("input[name=csrf_token]")["value"]
    assert client.post(rate_url(programme), data=answers(statements, [3, 3])).status_code == 400
    assert count(AssessmentStatement) == 2
    assert count(SelfAssessment) == 0


def test_the_report_filters_are_a_get_form(client, staff, statements):
    form = page(client.get(REPORT)).select_one("form.report-filters")
    assert form["method"] == "get"
    assert form.select_one("input[name=csrf_token]") is None


def test_the_report_link_appears_only_where_there_is_something_to_report(client, login_as):
    login_as(Role.STAFF)
    empty = make_programme(title="No statements yet", published=False)
    soup = page(client.get(f"/manage/programmes/{empty.id}/statements"))
    assert soup.select(f"a[href='/reports/self-assessment?programme={empty.id}']") == []
