"""A participant who reads Kyrgyz or Tajik goes through the platform without one English word.

Registration (with mistakes first), a module, a knowledge check, an application to a session,
the notifications and the feedback survey, each page and message checked for English interface
text, over the demo data with everything people wrote rewritten in Cyrillic letters.
"""

from datetime import UTC, datetime

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from tests.conftest import log_in
from tests.language_checks import english_on_page
from tot.accounts.models import User
from tot.curriculum.models import ActivityKind, Programme, ProgrammeStatus
from tot.enrolment.models import Enrolment, EnrolmentStatus
from tot.extensions import db
from tot.feedback.models import FeedbackReceipt, SessionSurvey
from tot.i18n import Language
from tot.regions.models import Region
from tot.sessions.models import SessionStatus, TrainingSession


@pytest.fixture
def demo(cyrillic_demo_app):
    with cyrillic_demo_app.app_context():
        yield cyrillic_demo_app


class Reader:
    """A browser that reads every page it gets, and remembers any English it met."""

    def __init__(self, app, language: str):
        self.client = app.test_client()
        self.client.set_cookie("lang", language)
        self.language = language
        self.english: dict[str, list[str]] = {}
        self.soup: BeautifulSoup | None = None

    def _read(self, url: str, response) -> BeautifulSoup:
        assert response.status_code == 200, (url, response.status_code)
        html = response.get_data(as_text=True)
        self.soup = BeautifulSoup(html, "html.parser")
        assert self.soup.html["lang"] == self.language
        found = english_on_page(html)
        if found:
            self.english[url] = found
        return self.soup

    def get(self, url: str) -> BeautifulSoup:
        return self._read(url, self.client.get(url, follow_redirects=True))

    def submit(self, form_selector: str, **values) -> BeautifulSoup:
        """Send a form of the current page as a browser would, with some fields filled in."""
        form = self.soup.select_one(form_selector)
        assert form is not None, form_selector
        data = _form_values(form)
        data.update(values)
        action = form.get("action") or self.url
        return self._read(action, self.client.post(action, data=data, follow_redirects=True))

    @property
    def url(self) -> str:
        return self.soup.select_one("input[name=next]")["value"]


def _form_values(form) -> dict[str, str | list[str]]:
    data: dict[str, str | list[str]] = {}
    for field in form.select("input[name], textarea[name], select[name]"):
        name, kind = field["name"], field.get("type", "")
        if field.name == "select":
            chosen = field.select_one("option[selected]") or field.select_one("option")
            data[name] = chosen.get("value", "") if chosen else ""
        elif kind in ("radio", "checkbox"):
            if field.has_attr("checked"):
                data[name] = field.get("value", "y")
        elif kind != "submit":
            data[name] = field.get("value", field.get_text())
    return data


def _first_choices(form) -> dict[str, str]:
    """The first radio button of each group: an answer to every question."""
    answers = {}
    for radio in form.select("input[type=radio]"):
        answers.setdefault(radio["name"], radio["value"])
    return answers


@pytest.mark.parametrize("language", ["ky", "tg"])
def test_a_new_participant_meets_no_english(demo, language):
    reader = Reader(demo, language)
    osh = db.session.scalar(select(Region).filter_by(name_ky="Ош облусу"))

    # Registration: mistakes first, then right.
    reader.get("/register")
    soup = reader.submit("form.form", email="not an email", password="short")
    assert soup.select(".field-invalid"), "the mistakes are shown beside their fields"
    soup = reader.submit(
        "form.form",
        full_name="Айгүл Токтосунова",
        email=f"aigul.{language}@example.org",
        password="узун-сырсөз-2026",
        confirm_password="узун-сырсөз-2026",
        region=str(osh.id),
        gender="woman",
        age_group="25-34",
        agree_privacy="y",
    )
    newcomer = db.session.scalar(select(User).filter_by(email=f"aigul.{language}@example.org"))
    assert newcomer.language is Language(language)  # chosen by reading, not by English default

    # A module and its knowledge check, in the programme taught in Kyrgyz.
    programme = db.session.scalar(
        select(Programme).filter_by(
            delivery_language=Language.KYRGYZ, status=ProgrammeStatus.PUBLISHED
        )
    )
    reader.get("/programmes/")
    reader.get(f"/programmes/{programme.id}")
    reader.submit(f"form[action='/programmes/{programme.id}/start']")
    module = programme.modules[0]
    reader.get(f"/modules/{module.id}")
    check = next(a for a in module.activities if a.kind is ActivityKind.KNOWLEDGE_CHECK)
    soup = reader.get(f"/activities/{check.id}")
    reader.submit(
        f"form[action='/activities/{check.id}/check']",
        **_first_choices(soup.select_one(f"form[action='/activities/{check.id}/check']")),
    )

    # An application to the session of that programme in the newcomer's region.
    session = db.session.scalar(
        select(TrainingSession).where(
            TrainingSession.programme_id == programme.id,
            TrainingSession.status == SessionStatus.PUBLISHED,
        )
    )
    reader.get(f"/sessions/{session.id}")
    reader.submit(f"form[action='/sessions/{session.id}/apply']")
    assert (
        db.session.scalar(
            select(Enrolment.status).filter_by(session_id=session.id, user_id=newcomer.id)
        )
        is EnrolmentStatus.CONFIRMED
    )
    reader.get("/my/sessions")
    reader.get("/notifications/")
    reader.get("/dashboard/")

    assert not reader.english, reader.english


@pytest.mark.parametrize("language", ["ky", "tg"])
def test_the_feedback_survey_meets_no_english(demo, language):
    survey = next(
        survey
        for survey in db.session.scalars(select(SessionSurvey))
        if survey.is_open(datetime.now(UTC))
    )
    answered = select(FeedbackReceipt.user_id).where(FeedbackReceipt.survey_id == survey.id)
    participant = db.session.scalar(
        select(User)
        .join(Enrolment, Enrolment.user_id == User.id)
        .where(
            Enrolment.session_id == survey.session_id,
            Enrolment.status == EnrolmentStatus.CONFIRMED,
            User.id.not_in(answered),
            User.email != "participant@example.org",  # whose survey other tests read
        )
        .order_by(User.id)
    )
    participant.language = Language(language)
    db.session.commit()
    reader = Reader(demo, language)
    log_in(reader.client, participant)

    reader.get(f"/sessions/{survey.session_id}")
    soup = reader.get(f"/sessions/{survey.session_id}/feedback")
    # First without answering the required questions, then with an answer to each.
    reader.submit("form.form")
    form = soup.select_one("form.form")
    texts = {area["name"]: "Баары жакшы болду." for area in form.select("textarea")}
    reader.submit("form.form", **_first_choices(form), **texts)
    assert db.session.scalar(select(FeedbackReceipt).filter_by(user_id=participant.id))
    assert not reader.english, reader.english
