import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import select

from tests.conftest import log_in, page
from tests.language_checks import english_words
from tot.extensions import db
from tot.i18n import Language
from tot.notifications import services as notify
from tot.notifications.models import Notification
from tot.permissions import Role


def send(user, kind="enrolment.confirmed", link="/programmes/", **params):
    notification = notify.send(user, kind, link=link, session=params.get("session", "Osh TOT"))
    db.session.commit()
    return notification


def test_notifications_are_listed_with_an_unread_count(client, login_as):
    user = login_as(Role.PARTICIPANT)
    send(user)
    send(user, "session.cancelled")
    soup = page(client.get("/notifications/"))
    texts = [li.select_one("p").get_text(" ", strip=True) for li in soup.select(".notification")]
    assert texts == [
        "New “Osh TOT” is cancelled. We are sorry.",
        "New Your seat in “Osh TOT” is confirmed.",
    ]
    assert soup.select_one("header .count").get_text() == "2"


def test_opening_a_notification_marks_it_read_and_follows_its_link(client, login_as):
    user = login_as(Role.PARTICIPANT)
    notification = send(user, link="/programmes/")
    response = client.post(f"/notifications/{notification.id}/open")
    assert response.headers["Location"] == "/programmes/"
    db.session.refresh(notification)
    assert notification.read_at is not None
    assert page(client.get("/notifications/")).select_one("header .count") is None


def test_listing_does_not_mark_anything_read(client, login_as):
    user = login_as(Role.PARTICIPANT)
    send(user)
    client.get("/notifications/")
    assert db.session.scalar(select(Notification.read_at)) is None


def test_mark_all_read(client, login_as):
    user = login_as(Role.PARTICIPANT)
    send(user)
    send(user)
    client.post("/notifications/read-all")
    assert all(n.read_at for n in db.session.scalars(select(Notification)))


def test_someone_elses_notification_cannot_be_opened(client, login_as, make_user):
    other = make_user(Role.PARTICIPANT)
    notification = send(other)
    login_as(Role.PARTICIPANT)
    assert client.post(f"/notifications/{notification.id}/open").status_code == 404
    db.session.refresh(notification)
    assert notification.read_at is None
    assert "Osh TOT" not in page(client.get("/notifications/")).get_text()


def test_an_off_site_link_is_never_followed(client, login_as):
    user = login_as(Role.PARTICIPANT)
    notification = send(user, link="https://evil.example/")
    assert (
        client.post(f"/notifications/{notification.id}/open").headers["Location"]
        == "/notifications/"
    )


def test_visitors_are_sent_to_log_in(client):
    assert client.get("/notifications/").headers["Location"].startswith("/login")


class FakeSMTP:
    sent: list = []  # noqa: RUF012

    def __init__(self, host, port, timeout=None):
        self.host = host

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self):
        pass

    def login(self, user, password):
        pass

    def send_message(self, message):
        FakeSMTP.sent.append(message)


@pytest.fixture
def smtp(monkeypatch):
    FakeSMTP.sent = []
    monkeypatch.setattr("tot.notifications.services.smtplib.SMTP", FakeSMTP)
    return FakeSMTP


def test_email_is_sent_after_commit_when_smtp_is_configured(app, make_user, smtp):
    app.config.update(SMTP_HOST="mail.example.org", SMTP_SENDER="tot@example.org")
    user = make_user(Role.PARTICIPANT, email="aida@example.org")
    with app.test_request_context():
        notify.send(user, "enrolment.confirmed", link="/sessions/1", session="Osh TOT")
        assert smtp.sent == []  # not before the commit
        db.session.commit()
    assert len(smtp.sent) == 1
    assert smtp.sent[0]["To"] == "aida@example.org"
    assert "Osh TOT" in smtp.sent[0]["Subject"]


def test_no_email_when_the_transaction_is_rolled_back(app, make_user, smtp):
    app.config.update(SMTP_HOST="mail.example.org")
    user = make_user(Role.PARTICIPANT)
    with app.test_request_context():
        notify.send(user, "enrolment.confirmed", session="Osh TOT")
        db.session.rollback()
        db.session.commit()
    assert smtp.sent == []


def test_without_smtp_nothing_is_sent_and_nothing_breaks(app, make_user, smtp):
    user = make_user(Role.PARTICIPANT)
    with app.test_request_context():
        notify.send(user, "enrolment.confirmed", session="Osh TOT")
        db.session.commit()
    assert smtp.sent == []
    assert db.session.scalar(select(Notification.kind)) == "enrolment.confirmed"


def test_an_email_is_written_in_the_recipients_language(app, make_user, smtp):
    """Staff reading English approve a Kyrgyz reader's seat: the email is in Kyrgyz."""
    app.config.update(SMTP_HOST="mail.example.org")
    user = make_user(Role.PARTICIPANT, language=Language.KYRGYZ)
    with app.test_request_context(headers={"Accept-Language": "en"}):
        notify.send(user, "enrolment.confirmed", link="/sessions/1", session="Ош ТОТ")
        db.session.commit()
    subject, body = smtp.sent[0]["Subject"], smtp.sent[0].get_content()
    with app.test_request_context(), force_locale("ky"):
        assert subject == gettext("Your seat in “%(session)s” is confirmed.", session="Ош ТОТ")
        assert gettext("TOT platform") in body
    assert english_words(subject) == []


def test_a_notification_is_worded_in_the_readers_language(client, make_user):
    reader = make_user(Role.PARTICIPANT, language=Language.TAJIK)
    send(reader, "session.cancelled", session="Тренинг дар Хуҷанд")
    log_in(client, reader)
    text = page(client.get("/notifications/")).select_one(".notification").get_text(" ", strip=True)
    assert "Тренинг дар Хуҷанд" in text
    assert english_words(text) == []
