"""Email through an outbox: requests write rows in their transaction; `flask send-mail` sends
them, retrying with a growing delay, and two workers never send the same email."""

import os
import signal
import smtplib
import threading
from datetime import timedelta

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from tests.factories import enrol, make_session
from tests.language_checks import english_words
from tot.db_types import utcnow
from tot.enrolment.models import EnrolmentStatus
from tot.extensions import db
from tot.i18n import Language
from tot.notifications import mailer
from tot.notifications import services as notify
from tot.notifications.models import Notification, OutgoingEmail
from tot.permissions import Role
from tot.sessions.models import SessionStatus, TrainingSession


class MailServer:
    """Stands for the SMTP server: records what it is sent. `down` refuses every connection,
    `refused` the addresses it rejects; `on_send` runs while a message is being sent."""

    def __init__(self) -> None:
        self.sent: list = []
        self.connections = 0
        self.down = False
        self.refused: set[str] = set()
        self.on_send = None
        self.lock = threading.Lock()

    def connect(self, host, port, timeout=None):
        if self.down:
            raise ConnectionRefusedError(111, "Connection refused")
        with self.lock:
            self.connections += 1
        return FakeConnection(self)

    def recipients(self) -> list[str]:
        return sorted(message["To"] for message in self.sent)


class FakeConnection:
    def __init__(self, server: MailServer) -> None:
        self.server = server

    def starttls(self):
        pass

    def login(self, user, password):
        pass

    def send_message(self, message):
        if message["To"] in self.server.refused:
            raise smtplib.SMTPRecipientsRefused({message["To"]: (550, b"No such user")})
        if self.server.on_send:
            self.server.on_send(message)
        with self.server.lock:
            self.server.sent.append(message)

    def quit(self):
        pass

    def close(self):
        pass


@pytest.fixture
def smtp(app, monkeypatch) -> MailServer:
    """Email configured, and a fake SMTP server in place of the real one."""
    app.config.update(SMTP_HOST="mail.example.org", SMTP_SENDER="tot@example.org")
    server = MailServer()
    monkeypatch.setattr("tot.notifications.mailer.smtplib.SMTP", server.connect)
    return server


def queue_for(*people, kind="enrolment.confirmed", session="Osh TOT") -> None:
    for person in people:
        notify.send(person, kind, link="/sessions/1", session=session)
    db.session.commit()


def outbox() -> list[OutgoingEmail]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutgoingEmail).order_by(OutgoingEmail.id)))


def run_cli(app, *args):
    result = app.test_cli_runner().invoke(args=["send-mail", *args])
    db.session.expire_all()
    return result


# --- requests queue, they never send -------------------------------------------------------------


def test_an_email_is_queued_with_the_commit_and_sent_by_the_worker(app, make_user, smtp):
    person = make_user(email="aida@example.org")
    notify.send(person, "enrolment.confirmed", link="/sessions/1", session="Osh TOT")
    assert db.session.scalar(select(func.count()).select_from(OutgoingEmail)) == 0
    db.session.commit()
    [email] = outbox()
    assert (email.recipient, email.language, email.attempts) == ("aida@example.org", "en", 0)
    assert "Osh TOT" in email.subject
    assert smtp.sent == []

    result = run_cli(app)

    assert result.exit_code == 0, result.output
    assert "Sent 1; 0 to retry later; 0 given up; 0 waiting." in result.output
    [message] = smtp.sent
    assert (message["To"], message["From"]) == ("aida@example.org", "tot@example.org")
    assert "Osh TOT" in message["Subject"]
    assert "/sessions/1" in message.get_content()
    [email] = outbox()
    assert email.sent_at is not None
    assert email.attempts == 1
    # Sending again sends nothing twice.
    assert run_cli(app).exit_code == 0
    assert len(smtp.sent) == 1


def test_no_email_is_queued_when_the_transaction_is_rolled_back(app, make_user, smtp):
    person = make_user()
    notify.send(person, "enrolment.confirmed", session="Osh TOT")
    db.session.rollback()
    db.session.commit()
    assert outbox() == []


def test_without_smtp_nothing_is_queued_and_nothing_breaks(app, make_user):
    person = make_user()
    queue_for(person)
    assert outbox() == []
    assert db.session.scalar(select(Notification.kind)) == "enrolment.confirmed"
    result = run_cli(app)
    assert result.exit_code == 0
    assert "not configured" in result.output


def test_an_email_is_written_in_the_recipients_language(app, make_user, smtp):
    """Staff reading English approve a Kyrgyz reader's seat: the email is in Kyrgyz."""
    person = make_user(language=Language.KYRGYZ)
    with app.test_request_context(headers={"Accept-Language": "en"}):
        queue_for(person, session="Ош ТОТ")
    mailer.send_due()
    [message] = smtp.sent
    subject, body = message["Subject"], message.get_content()
    with app.test_request_context(), force_locale("ky"):
        assert subject == gettext("Your seat in “%(session)s” is confirmed.", session="Ош ТОТ")
        assert gettext("TOT platform") in body
    assert english_words(subject) == []
    assert message["Content-Language"] == "ky"


def test_a_reason_written_on_several_lines_makes_a_one_line_subject(app, make_user, smtp):
    person = make_user()
    notify.send(person, "enrolment.rejected", session="Osh TOT", reason="Full.\r\nSorry!")
    db.session.commit()
    assert mailer.send_due().sent == 1
    [message] = smtp.sent
    assert message["Subject"].endswith("was not accepted: Full. Sorry!")
    assert "Sorry!" in message.get_content()


def test_cancelling_a_session_queues_emails_and_sends_none_in_the_request(
    client, login_as, make_user, smtp
):
    smtp.down = True  # were the request to send, it would fail
    lead = make_user(Role.FACILITATOR)
    session = make_session(lead)
    people = [make_user() for _ in range(3)]
    for person in people:
        enrol(session, person)
    login_as(Role.STAFF)

    response = client.post(f"/sessions/{session.id}/cancel")

    assert response.status_code == 302
    assert db.session.get(TrainingSession, session.id).status is SessionStatus.CANCELLED
    assert smtp.connections == 0
    emails = outbox()
    assert sorted(email.recipient for email in emails) == sorted(p.email for p in people)
    assert all(email.sent_at is None and email.attempts == 0 for email in emails)


# --- retries -------------------------------------------------------------------------------------


def test_retry_delays_grow_fivefold_up_to_six_hours():
    minutes = [mailer.retry_delay(attempts) / timedelta(minutes=1) for attempts in range(1, 8)]
    assert minutes == [1, 5, 25, 125, 360, 360, 360]


def test_an_smtp_failure_keeps_the_email_for_a_retry_with_backoff(
    client, login_as, make_user, smtp
):
    smtp.down = True
    person = make_user(email="bakyt@example.org")
    session = make_session(make_user(Role.FACILITATOR))
    enrol(session, person)
    login_as(Role.STAFF)
    assert client.post(f"/sessions/{session.id}/cancel").status_code == 302

    start = utcnow()
    done = mailer.send_due(now=start)

    assert (done.sent, done.to_retry, done.given_up) == (0, 1, [])
    [email] = outbox()
    assert (email.sent_at, email.failed_at) == (None, None)
    assert email.attempts == 1
    assert email.next_attempt_at == start + timedelta(minutes=1)
    assert "Connection refused" in email.last_error
    assert email.claimed_by is None

    # Not due yet: not tried.
    assert not mailer.send_due(now=start + timedelta(seconds=59)).did_something
    assert outbox()[0].attempts == 1

    mailer.send_due(now=start + timedelta(minutes=1))
    [email] = outbox()
    assert email.attempts == 2
    assert email.next_attempt_at == start + timedelta(minutes=6)

    smtp.down = False
    done = mailer.send_due(now=start + timedelta(minutes=6))
    assert done.sent == 1
    assert smtp.recipients() == ["bakyt@example.org"]
    [email] = outbox()
    assert (email.attempts, email.sent_at) == (3, start + timedelta(minutes=6))


def test_one_refused_address_does_not_hold_up_the_others(app, make_user, smtp):
    people = [make_user(email=f"p{number}@example.org") for number in range(3)]
    smtp.refused = {"p1@example.org"}
    queue_for(*people)

    done = mailer.send_due()

    assert (done.sent, done.to_retry) == (2, 1)
    assert smtp.recipients() == ["p0@example.org", "p2@example.org"]
    refused = next(email for email in outbox() if email.recipient == "p1@example.org")
    assert "SMTPRecipientsRefused" in refused.last_error
    assert refused.sent_at is None


def test_an_email_is_given_up_after_the_last_attempt_and_shown(app, make_user, smtp):
    app.config["MAIL_MAX_ATTEMPTS"] = 3
    smtp.down = True
    queue_for(make_user(email="cholpon@example.org"))
    now = utcnow()
    for _attempt in range(2):
        assert mailer.send_due(now=now).to_retry == 1
        now = outbox()[0].next_attempt_at

    done = mailer.send_due(now=now)

    assert [email.recipient for email in done.given_up] == ["cholpon@example.org"]
    [email] = outbox()
    assert (email.attempts, email.failed_at, email.sent_at) == (3, now, None)
    # Kept, never tried again by itself ...
    assert not mailer.send_due(now=now + timedelta(days=30)).did_something
    assert outbox()[0].attempts == 3
    # ... shown to administrators ...
    listing = run_cli(app, "--failed")
    assert "cholpon@example.org" in listing.output
    assert "after 3 attempts" in listing.output
    assert "Connection refused" in listing.output
    # ... and sent when they ask for another try, once the server is back.
    smtp.down = False
    result = run_cli(app, "--retry-failed")
    assert "1 emails given up on will be tried again." in result.output
    assert smtp.recipients() == ["cholpon@example.org"]
    assert outbox()[0].sent_at is not None


def test_the_worker_says_when_it_gives_up(app, make_user, smtp):
    app.config["MAIL_MAX_ATTEMPTS"] = 1
    smtp.down = True
    queue_for(make_user(email="dilnoza@example.org"))
    result = run_cli(app)
    assert "Sent 0; 0 to retry later; 1 given up; 0 waiting." in result.output
    assert "Given up: email" in result.output
    assert "dilnoza@example.org" in result.output


# --- workers side by side ------------------------------------------------------------------------


def test_a_second_worker_does_not_send_what_the_first_is_sending(app, make_user, smtp):
    people = [make_user() for _ in range(3)]
    queue_for(*people)
    second: list[mailer.Round] = []

    def second_worker(message):
        if not second:  # while the first worker sends its first email
            with app.app_context():  # another worker: its own session and connection
                second.append(mailer.send_due())
                db.session.remove()

    smtp.on_send = second_worker
    first = mailer.send_due()

    assert first.sent == 3
    assert second[0].sent == 0
    assert smtp.recipients() == sorted(person.email for person in people)


def test_two_workers_at_once_send_each_email_exactly_once(app, make_user, smtp):
    count = mailer.BATCH + 10  # more than one batch: both workers take some
    people = [make_user() for _ in range(count)]
    queue_for(*people)
    barrier = threading.Barrier(2)
    errors: list[str] = []

    def worker() -> None:
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                mailer.send_due()
            except Exception as error:  # anything else fails the test, below
                errors.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert smtp.recipients() == sorted(person.email for person in people)
    assert all(email.sent_at is not None and email.attempts == 1 for email in outbox())


def test_the_emails_of_a_worker_that_stopped_are_taken_over_later(app, make_user, smtp):
    queue_for(make_user(email="left@example.org"), make_user(email="recent@example.org"))
    now = utcnow()
    left, recent = outbox()
    left.claimed_by, left.claimed_at = "stopped", now - mailer.CLAIM_TIMEOUT - timedelta(seconds=1)
    recent.claimed_by, recent.claimed_at = "busy", now - timedelta(minutes=1)
    db.session.commit()

    assert mailer.send_due(now=now).sent == 1

    assert smtp.recipients() == ["left@example.org"]


def test_sent_emails_are_deleted_after_two_weeks(app, make_user, smtp):
    queue_for(make_user(), make_user())
    mailer.send_due()
    sent_at = outbox()[0].sent_at
    mailer.send_due(now=sent_at + mailer.KEEP_SENT - timedelta(seconds=1))
    assert len(outbox()) == 2
    mailer.send_due(now=sent_at + mailer.KEEP_SENT + timedelta(seconds=1))
    assert outbox() == []


def test_as_a_service_it_sends_until_told_to_stop(app, make_user, smtp, monkeypatch):
    queue_for(make_user(email="erkin@example.org"))
    # Instead of waiting, the service is sent SIGTERM, as systemd stops it.
    monkeypatch.setattr("tot.cli.time.sleep", lambda seconds: os.kill(os.getpid(), signal.SIGTERM))
    handler = signal.getsignal(signal.SIGTERM)

    result = run_cli(app, "--watch", "60")

    assert result.exit_code == 0, result.output
    assert "Sent 1;" in result.output
    assert result.output.rstrip().endswith("Stopped.")
    assert smtp.recipients() == ["erkin@example.org"]
    assert signal.getsignal(signal.SIGTERM) is handler


def test_the_demo_data_queues_no_email(app, smtp):
    """The demo's people are fictional: loading it with email configured emails nobody."""
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count()).select_from(Notification)) > 0
    assert outbox() == []


def test_an_unanswered_application_still_queues_its_email(client, login_as, make_user, smtp):
    """Any notification, not only cancelling, goes through the outbox."""
    session = make_session(make_user(Role.FACILITATOR), capacity=1)
    enrol(session, make_user())
    person = login_as(Role.PARTICIPANT)
    response = client.post(f"/sessions/{session.id}/apply")
    assert response.status_code in {302, 303}
    status = db.session.scalar(select(Notification.kind).where(Notification.user_id == person.id))
    assert status == f"enrolment.{EnrolmentStatus.WAITLISTED.value}"
    assert [email.recipient for email in outbox()] == [person.email]
    assert smtp.sent == []
