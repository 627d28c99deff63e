"""The facilitator's and the participant's dashboards: the session at hand, what is left to do,
the survey waiting, certificates and the trainings a graduate gave."""

from datetime import timedelta

import pytest

from tests.conftest import count_queries, page
from tests.factories import (
    add_cascade_training,
    certify,
    enrol,
    make_form,
    make_past_session,
    make_session,
    make_survey,
    sheet,
)
from tot.cascade.models import ReportStatus
from tot.db_types import utcnow
from tot.enrolment.models import EnrolmentStatus
from tot.extensions import db
from tot.permissions import Role

FACILITATOR = "/dashboard/facilitator"
PARTICIPANT = "/dashboard/participant"


def texts(soup, selector) -> list[str]:
    return [" ".join(node.get_text(" ", strip=True).split()) for node in soup.select(selector)]


def links(soup, selector) -> list[str]:
    return [a["href"] for a in soup.select(selector)]


# --- facilitator ---------------------------------------------------------------------------------


@pytest.fixture
def lead(login_as):
    return login_as(Role.FACILITATOR)


@pytest.fixture
def running(lead, make_user):
    """A three-day session in its second day: the first day's attendance recorded, not today's."""
    session = make_past_session(lead.region, lead, ends_in=timedelta(days=1), days=3)
    session.title = "Running TOT"
    for _ in range(2):
        enrol(session, make_user(), present=(True,))
    db.session.commit()
    return session


def test_the_facilitator_sees_the_session_running_and_what_is_left(
    client, lead, running, make_user
):
    ended = make_past_session(lead.region, lead, ends_in=timedelta(days=-3), title="Ended TOT")
    graduate = make_user()
    enrol(ended, graduate, present=(True, True))  # every day recorded, but no survey
    add_cascade_training(certify(graduate, ended))  # waits for verification
    someone_elses = make_past_session(lead.region, make_user(Role.FACILITATOR), days=3)
    enrol(someone_elses, make_user())

    soup = page(client.get(FACILITATOR))

    assert texts(soup, "#at-hand-heading") == ["Running now"]
    assert texts(soup, ".at-hand h3") == ["Running TOT"]
    assert texts(soup, ".at-hand .seats") == ["2 confirmed participants"]
    assert texts(soup, ".at-hand .attendance") == ["Attendance recorded for 1 of 2 days so far"]
    assert texts(soup, ".at-hand .survey") == ["No feedback survey yet. Set the survey"]
    assert texts(soup, ".tasks .task-attendance") == ["Record attendance for 1 day — Running TOT"]
    assert links(soup, ".task-attendance a") == [f"/sessions/{running.id}/attendance"]
    assert texts(soup, ".tasks .task-survey") == ["Open a feedback survey — Ended TOT"]
    assert links(soup, ".task-survey a") == [f"/sessions/{ended.id}/survey"]
    assert texts(soup, ".tasks .task-cascade") == ["Verify 1 cascade report"]
    assert links(soup, ".task-cascade a") == ["/cascade/cohorts"]
    assert texts(soup, "#stat-graduates .stat-number") == ["1"]


def test_a_survey_set_and_attendance_recorded_leave_nothing_to_do(client, lead, make_user):
    ended = make_past_session(lead.region, lead, ends_in=timedelta(days=-3))
    enrol(ended, make_user(), present=(True, False))
    make_survey(ended, make_form())  # open since the session ended

    soup = page(client.get(FACILITATOR))

    assert soup.select(".tasks li") == []
    assert texts(soup, ".tasks-done") == [
        "Nothing waits for you: attendance is recorded, surveys are set and reports are verified."
    ]
    assert texts(soup, "#at-hand-heading") == ["Your next session"]
    assert "You have no session scheduled." in texts(soup, ".at-hand p")[0]


def test_the_next_session_shows_its_survey_state(client, lead, make_user):
    upcoming = make_session(lead, title="Next TOT")
    enrol(upcoming, make_user())
    make_survey(upcoming, make_form())

    soup = page(client.get(FACILITATOR))

    assert texts(soup, "#at-hand-heading") == ["Your next session"]
    assert texts(soup, ".at-hand h3") == ["Next TOT"]
    assert texts(soup, ".at-hand .attendance") == ["Attendance is recorded from the first day."]
    assert texts(soup, ".at-hand .survey")[0].startswith("Feedback survey: Opens ")


def test_the_facilitator_dashboard_costs_the_same_however_many_sessions(
    client, lead, running, make_user
):
    make_survey(running, make_form(title="Running"))
    client.get(FACILITATOR)
    with count_queries() as few:
        client.get(FACILITATOR)
    for n in range(4):
        held = make_past_session(lead.region, lead, ends_in=timedelta(days=-n - 2))
        person = make_user()
        enrol(held, person, present=(True,))
        make_survey(held, make_form(title=f"Form {n}"))
        add_cascade_training(certify(person, held))
    with count_queries() as many:
        soup = page(client.get(FACILITATOR))
    assert many.count == few.count, many.statements
    assert len(soup.select(".task-attendance")) == 5  # the running one and four half-recorded


# --- participant ---------------------------------------------------------------------------------


@pytest.fixture
def participant(login_as):
    return login_as(Role.PARTICIPANT)


def test_the_participant_sees_the_next_session_and_the_survey_waiting(
    client, participant, make_user
):
    lead = make_user(Role.FACILITATOR)
    later = make_session(lead, title="Later TOT", starts_at=utcnow() + timedelta(days=30))
    sooner = make_session(lead, title="Sooner TOT")
    enrol(later, participant)
    enrol(sooner, participant, EnrolmentStatus.WAITLISTED)
    withdrawn = make_session(lead, title="Left TOT", starts_at=utcnow() + timedelta(days=1))
    enrol(withdrawn, participant, EnrolmentStatus.WITHDRAWN)
    attended = make_past_session(participant.region, lead, title="Attended TOT")
    enrol(attended, participant, present=(True,))
    form = make_form()
    make_survey(attended, form, opened_at=utcnow() - timedelta(hours=1))
    missed = make_past_session(participant.region, lead, title="Missed TOT")
    enrol(missed, participant, present=(False, False))  # absent: not theirs to answer
    make_survey(missed, make_form(title="Other"), opened_at=utcnow() - timedelta(hours=1))

    soup = page(client.get(PARTICIPANT))

    assert texts(soup, ".next-session h3") == ["Sooner TOT"]
    assert texts(soup, ".next-session .status") == ["On the waiting list"]
    assert texts(soup, ".survey-waiting a") == ["Give your feedback on “Attended TOT”"]
    assert links(soup, ".survey-waiting a") == [f"/sessions/{attended.id}/feedback"]

    client.post(f"/sessions/{attended.id}/feedback", data=sheet(form))
    assert page(client.get(PARTICIPANT)).select(".survey-waiting") == []


def test_no_survey_waits_once_it_closed_or_before_it_opens(client, participant, make_user):
    lead = make_user(Role.FACILITATOR)
    attended = make_past_session(participant.region, lead, ends_in=timedelta(days=-20))
    enrol(attended, participant, present=(True,))
    make_survey(attended, make_form(), closes_in=timedelta(days=-1))  # closed yesterday
    running = make_past_session(participant.region, lead, ends_in=timedelta(days=1))
    enrol(running, participant, present=(True,))
    make_survey(running, make_form(title="Later"))  # opens when the session ends

    soup = page(client.get(PARTICIPANT))

    assert soup.select(".survey-waiting") == []


def test_certificates_and_the_trainings_given_are_on_the_dashboard(client, participant, make_user):
    lead = make_user(Role.FACILITATOR)
    held = make_past_session(participant.region, lead, title="Held TOT")
    certificate = certify(participant, held)
    other = make_past_session(participant.region, lead, title="Other TOT")
    certify(participant, other, revoked=True)
    add_cascade_training(certificate, status=ReportStatus.VERIFIED, women=5, men=2, other_genders=0)
    add_cascade_training(certificate)  # waiting
    add_cascade_training(certificate, status=ReportStatus.RETURNED)

    soup = page(client.get(PARTICIPANT))

    certificates = texts(soup, ".my-certificates li")
    assert len(certificates) == 2
    assert [text for text in certificates if "Revoked" in text] != []
    assert links(soup, ".my-certificates a") == [f"/certificates/{certificate.id}.pdf"]
    assert texts(soup, ".my-cascade p")[0] == (
        "1 verified training · 7 people reached · 1 report waiting for verification"
    )
    assert texts(soup, ".cascade-returned") == ["1 report was returned to you for correction"]
    assert "/cascade/mine" in links(soup, ".my-cascade a")


def test_a_participant_without_certificates_or_sessions_reads_where_to_start(client, participant):
    soup = page(client.get(PARTICIPANT))
    assert soup.select(".my-certificates") == []
    assert soup.select(".my-cascade") == []
    assert "You have no session coming up." in texts(soup, ".next-session p")[0]


def test_the_participant_dashboard_costs_the_same_however_much_there_is(
    client, participant, make_user
):
    lead = make_user(Role.FACILITATOR)
    client.get(PARTICIPANT)
    with count_queries() as few:
        client.get(PARTICIPANT)
    for n in range(3):
        held = make_past_session(participant.region, lead, ends_in=timedelta(days=-n - 1))
        enrol(held, participant, present=(True,))
        make_survey(held, make_form(title=f"Form {n}"), opened_at=utcnow() - timedelta(days=1))
        add_cascade_training(certify(participant, held), status=ReportStatus.VERIFIED)
        enrol(make_session(lead), participant)
    with count_queries() as many:
        soup = page(client.get(PARTICIPANT))
    assert many.count == few.count, many.statements
    assert len(soup.select(".survey-waiting")) == 3
    assert len(soup.select(".my-certificates li")) == 3


# --- who may see which ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "allowed"),
    [(FACILITATOR, {Role.FACILITATOR}), (PARTICIPANT, {Role.PARTICIPANT})],
)
@pytest.mark.parametrize("role", list(Role))
def test_each_role_reaches_only_its_own_dashboard(client, login_as, url, allowed, role):
    login_as(role)
    assert client.get(url).status_code == (200 if role in allowed else 403)


@pytest.mark.parametrize("url", [FACILITATOR, PARTICIPANT])
def test_visitors_are_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
