"""In-app notifications; their emails are tested in test_outbox.py."""

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


def test_a_notification_is_worded_in_the_readers_language(client, make_user):
    reader = make_user(Role.PARTICIPANT, language=Language.TAJIK)
    send(reader, "session.cancelled", session="Тренинг дар Хуҷанд")
    log_in(client, reader)
    text = page(client.get("/notifications/")).select_one(".notification").get_text(" ", strip=True)
    assert "Тренинг дар Хуҷанд" in text
    assert english_words(text) == []
