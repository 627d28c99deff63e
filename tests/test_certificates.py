"""Certificates: who earns one, issuing at completion and by hand, revoking, the PDF and who may
download it, public verification and its rate limit, and where people find them."""

import csv
import io
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from tests.conftest import count_queries, field_error, flashes, log_in, page
from tests.factories import enrol, local_start, make_programme, make_session, region_named
from tot.certificates import services
from tot.certificates.models import Certificate
from tot.db_types import utcnow
from tot.enrolment.models import Attendance, AttendanceStatus, Enrolment, EnrolmentStatus
from tot.errors import DomainError
from tot.extensions import db
from tot.formats import format_date
from tot.i18n import Language
from tot.learning.models import ProgrammeProgress
from tot.notifications.models import Notification
from tot.permissions import Role
from tot.sessions import lifecycle
from tot.sessions.hooks import session_completed
from tot.sessions.models import SessionStatus

# --- builders ------------------------------------------------------------------------------------


@pytest.fixture
def lead(make_user):
    return make_user(Role.FACILITATOR, full_name="Gulnara Asanova")


@pytest.fixture
def staff(make_user):
    return make_user(Role.STAFF, full_name="Staff Member")


def held_session(lead, days=5, **fields):
    """A published session of `days` days, 09:00 to 17:00 Bishkek time, over a few days ago."""
    fields.setdefault("programme", make_programme(title="Paralegals in the village"))
    return make_session(lead, starts_at=local_start(-(days + 3)), days=days, capacity=20, **fields)


def graduate(user, session) -> None:
    """The person has completed the session's programme."""
    db.session.add(
        ProgrammeProgress(user_id=user.id, programme_id=session.programme_id, completed_at=utcnow())
    )
    db.session.commit()


def seat(session, user, present: int, status=EnrolmentStatus.CONFIRMED):
    """An enrolment present on the first `present` days and absent on the others."""
    days = len(session.days)
    return enrol(session, user, status, present=[True] * present + [False] * (days - present))


def complete(session) -> None:
    lifecycle.complete(session)
    db.session.commit()


def certificates_of(session) -> list[Certificate]:
    return list(
        db.session.scalars(
            select(Certificate).where(Certificate.session_id == session.id).order_by(Certificate.id)
        )
    )


def certificate_of(session, user) -> Certificate | None:
    return db.session.scalar(
        select(Certificate).where(
            Certificate.session_id == session.id, Certificate.user_id == user.id
        )
    )


def notifications(user, kind: str) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification).where(Notification.user_id == user.id, Notification.kind == kind)
        )
    )


@pytest.fixture
def graduate_of(make_user, lead):
    """A completed session and a Kyrgyz-speaking graduate holding its certificate."""

    def make(**fields):
        fields.setdefault("full_name", "Айгүл Өмүрбекова")
        fields.setdefault("language", Language.KYRGYZ)
        session = held_session(lead, **fields.pop("session", {}))
        person = make_user(**fields)
        seat(session, person, 5)
        graduate(person, session)
        complete(session)
        return session, person, certificate_of(session, person)

    return make


# --- who earns one -------------------------------------------------------------------------------


def test_attending_enough_days_means_at_least_the_share(app):
    assert services.attended_enough(4, 5)  # 80%: exactly the default threshold
    assert not services.attended_enough(3, 4)  # 75%
    assert services.attended_enough(3, 4, threshold=75)
    assert not services.attended_enough(0, 0)


def test_a_standing_rounds_attendance_down_and_needs_the_programme(app, make_user, lead):
    session = held_session(lead, days=3)
    person = make_user()
    enrolment = seat(session, person, 2)
    standing = services.standing_of(enrolment)
    assert (standing.present, standing.days, standing.attendance) == (2, 3, 66)
    assert not standing.earned
    app.config["CERTIFICATE_MIN_ATTENDANCE"] = 60
    assert not services.standing_of(enrolment).earned  # the programme is not completed
    graduate(person, session)
    assert services.standing_of(enrolment).earned


def test_training_hours_come_from_the_days_and_the_daily_times(app, lead):
    from tot.certificates.document import hours_text

    five_days = held_session(lead, days=5)  # 09:00 to 17:00 each day
    assert services.training_minutes(five_days) == 5 * 8 * 60
    start = local_start(-3) + timedelta(minutes=30)  # 09:30
    one_day = make_session(lead, starts_at=start, ends_at=start + timedelta(hours=7))
    assert services.training_minutes(one_day) == 7 * 60
    assert hours_text(one_day) == "7 hours of training"
    two_days = make_session(
        lead, starts_at=start, ends_at=start + timedelta(days=1, hours=7, minutes=30)
    )
    assert services.training_minutes(two_days) == 2 * 450
    assert hours_text(two_days) == "15 hours of training"
    half = make_session(lead, starts_at=start, ends_at=start + timedelta(hours=3, minutes=30))
    assert hours_text(half) == "3.5 hours of training"


def test_completing_a_session_issues_certificates_to_those_who_earned_one(app, make_user, lead):
    session = held_session(lead, days=5)
    four_of_five = make_user(full_name="Four of five")
    three_of_five = make_user(full_name="Three of five")
    all_days_not_completed = make_user(full_name="Programme not completed")
    waitlisted = make_user(full_name="Waiting list")
    seat(session, four_of_five, 4)
    seat(session, three_of_five, 3)
    seat(session, all_days_not_completed, 5)
    seat(session, waitlisted, 5, status=EnrolmentStatus.WAITLISTED)
    for person in (four_of_five, three_of_five, waitlisted):
        graduate(person, session)

    complete(session)

    assert [c.user_id for c in certificates_of(session)] == [four_of_five.id]
    certificate = certificate_of(session, four_of_five)
    assert certificate.holder_name == "Four of five"
    assert len(certificate.code) == 32
    assert not certificate.by_hand
    assert not certificate.is_revoked
    (notification,) = notifications(four_of_five, "certificate.issued")
    assert notification.params["session"] == session.title
    assert notification.link == "/my/sessions"
    assert notifications(three_of_five, "certificate.issued") == []


def test_three_of_four_days_is_below_the_threshold_and_a_setting_changes_it(app, make_user, lead):
    strict, lenient = held_session(lead, days=4), held_session(lead, days=4)
    person = make_user()
    for session in (strict, lenient):
        seat(session, person, 3)
        graduate(person, session)

    complete(strict)
    app.config["CERTIFICATE_MIN_ATTENDANCE"] = 75
    complete(lenient)

    assert certificates_of(strict) == []
    assert [c.user_id for c in certificates_of(lenient)] == [person.id]


def test_excused_days_are_not_days_present(app, make_user, lead):
    session = held_session(lead, days=2)
    person = make_user()
    enrolment = seat(session, person, 1)
    graduate(person, session)
    mark = db.session.scalar(
        select(Attendance).where(
            Attendance.enrolment_id == enrolment.id, Attendance.status == AttendanceStatus.ABSENT
        )
    )
    mark.status = AttendanceStatus.EXCUSED
    db.session.commit()
    complete(session)
    assert certificates_of(session) == []


def test_completion_through_the_page_issues_once_however_often_it_is_asked(
    client, make_user, lead, staff
):
    session = held_session(lead)
    person = make_user()
    seat(session, person, 5)
    graduate(person, session)

    log_in(client, staff)
    response = client.post(f"/sessions/{session.id}/complete")
    assert response.status_code == 302
    assert db.session.get(type(session), session.id).status is SessionStatus.COMPLETED
    assert len(certificates_of(session)) == 1

    # The hook sent again, and "issue earned" pressed twice: nothing more.
    session_completed.send(session, now=utcnow())
    db.session.commit()
    for _ in range(2):
        soup = page(
            client.post(f"/sessions/{session.id}/certificates/issue-earned", follow_redirects=True)
        )
        assert "Nobody else has earned a certificate yet." in flashes(soup)
    assert len(certificates_of(session)) == 1
    assert len(notifications(person, "certificate.issued")) == 1


def test_issue_earned_gives_one_to_who_completed_the_programme_later(
    client, make_user, lead, staff
):
    session = held_session(lead)
    early, late = make_user(), make_user()
    seat(session, early, 5)
    seat(session, late, 4)
    graduate(early, session)
    complete(session)
    assert [c.user_id for c in certificates_of(session)] == [early.id]

    graduate(late, session)
    log_in(client, staff)
    soup = page(
        client.post(f"/sessions/{session.id}/certificates/issue-earned", follow_redirects=True)
    )
    assert "1 certificate is issued." in flashes(soup)
    assert {c.user_id for c in certificates_of(session)} == {early.id, late.id}


def test_issue_earned_waits_for_the_session_to_be_completed(client, make_user, lead, staff):
    session = held_session(lead)
    person = make_user()
    seat(session, person, 5)
    graduate(person, session)
    log_in(client, staff)
    soup = page(
        client.post(f"/sessions/{session.id}/certificates/issue-earned", follow_redirects=True)
    )
    assert "Certificates are issued once the session is marked completed." in flashes(soup)
    assert certificates_of(session) == []


def test_a_session_completed_with_nobody_in_it_issues_nothing(app, lead):
    session = held_session(lead)
    complete(session)
    assert certificates_of(session) == []


# --- by hand -------------------------------------------------------------------------------------


def test_staff_issue_one_by_hand_with_a_reason(client, make_user, lead, staff):
    session = held_session(lead)
    person = make_user(full_name="Just below")
    enrolment = seat(session, person, 3)
    complete(session)
    assert certificates_of(session) == []

    log_in(client, staff)
    assert client.get(f"/enrolments/{enrolment.id}/certificate").status_code == 405
    response = client.post(f"/enrolments/{enrolment.id}/certificate", data={"reason": "  "})
    assert response.status_code == 400
    soup = page(response)
    assert field_error(soup, "reason") == "Give a reason: it is kept with the certificate."
    standing = soup.select_one(".standing").get_text(" ", strip=True)
    assert "Present on 3 of 5 days (60%); a certificate needs 80%." in standing
    assert "The programme is not completed yet." in standing
    assert certificates_of(session) == []

    reason = "Missed two days for a court hearing of a client; made them up with the facilitator."
    response = client.post(f"/enrolments/{enrolment.id}/certificate", data={"reason": reason})
    assert response.status_code == 302
    certificate = certificate_of(session, person)
    assert certificate.by_hand
    assert certificate.issued_by_id == staff.id
    assert certificate.issue_reason == reason
    assert len(notifications(person, "certificate.issued")) == 1

    # A second one is refused, and the roster says why.
    soup = page(
        client.post(
            f"/enrolments/{enrolment.id}/certificate",
            data={"reason": "again"},
            follow_redirects=True,
        )
    )
    assert "This person already has a certificate for the session." in flashes(soup)
    assert len(certificates_of(session)) == 1


def test_a_certificate_by_hand_needs_a_completed_session_and_a_seat(client, make_user, lead, staff):
    running = held_session(lead)
    person = make_user()
    enrolment = seat(running, person, 5)
    log_in(client, staff)
    soup = page(
        client.post(
            f"/enrolments/{enrolment.id}/certificate",
            data={"reason": "Why not"},
            follow_redirects=True,
        )
    )
    assert "Certificates are issued once the session is marked completed." in flashes(soup)

    done = held_session(lead)
    withdrawn = seat(done, make_user(), 5, status=EnrolmentStatus.WITHDRAWN)
    complete(done)
    soup = page(
        client.post(
            f"/enrolments/{withdrawn.id}/certificate",
            data={"reason": "Why not"},
            follow_redirects=True,
        )
    )
    assert "Only a person who holds a seat in the session can receive its certificate." in flashes(
        soup
    )
    assert certificates_of(running) == certificates_of(done) == []


def test_facilitators_and_participants_may_not_issue_or_revoke(client, make_user, graduate_of):
    session, person, certificate = graduate_of()
    other = seat(session, make_user(), 5)
    for user in (session.lead_facilitator, person):
        log_in(client, user)
        assert (
            client.post(f"/enrolments/{other.id}/certificate", data={"reason": "x"}).status_code
            == 403
        )
        assert (
            client.post(f"/certificates/{certificate.id}/revoke", data={"reason": "x"}).status_code
            == 403
        )
        assert client.post(f"/sessions/{session.id}/certificates/issue-earned").status_code == 403
    assert certificate_of(session, other.user) is None
    assert not certificate_of(session, person).is_revoked


# --- revoking ------------------------------------------------------------------------------------


def test_revoking_keeps_the_certificate_and_verification_says_when(client, graduate_of, staff):
    session, person, certificate = graduate_of()
    log_in(client, staff)

    response = client.post(f"/certificates/{certificate.id}/revoke", data={"reason": ""})
    assert response.status_code == 400
    assert field_error(page(response), "reason") == (
        "Give a reason: the holder reads it in their notification."
    )
    assert not certificate_of(session, person).is_revoked

    reason = "Issued by mistake: the attendance was recorded for the wrong person."
    response = client.post(f"/certificates/{certificate.id}/revoke", data={"reason": reason})
    assert response.status_code == 302
    kept = certificate_of(session, person)
    assert kept is not None
    assert kept.id == certificate.id
    assert kept.is_revoked
    assert kept.revoke_reason == reason
    assert kept.revoked_by_id == staff.id
    (notification,) = notifications(person, "certificate.revoked")
    assert notification.params["reason"] == reason

    client.post("/logout")
    soup = page(client.get(f"/verify/{certificate.code}"))
    verdict = soup.select_one(".verdict").get_text(" ", strip=True)
    assert "Revoked" in verdict
    assert format_date(kept.revoked_at, session.zone) in verdict
    assert reason not in soup.get_text()  # why it was revoked is not public

    # Revoking again is refused; the holder can no longer download it.
    log_in(client, staff)
    soup = page(
        client.post(
            f"/certificates/{certificate.id}/revoke", data={"reason": "x"}, follow_redirects=True
        )
    )
    assert "This certificate is already revoked." in flashes(soup)
    log_in(client, person)
    assert client.get(f"/certificates/{certificate.id}.pdf").status_code == 404


def test_a_revoked_certificate_is_not_issued_again(app, make_user, graduate_of, staff):
    session, person, certificate = graduate_of()
    services.revoke(staff, certificate, "Wrong person")
    db.session.commit()
    assert services.issue_earned(session) == []
    with pytest.raises(DomainError, match="revoked"):
        services.issue_by_hand(staff, certificate_seat(session, person), "Second chance")


def certificate_seat(session, person):
    return db.session.scalar(
        select(Enrolment).where(Enrolment.session_id == session.id, Enrolment.user_id == person.id)
    )


# --- the PDF -------------------------------------------------------------------------------------


def pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.get_data()))
    assert len(reader.pages) == 1
    return reader.pages[0].extract_text()


def test_the_pdf_is_in_the_holders_language_with_every_letter(client, graduate_of, make_user, lead):
    co = make_user(Role.FACILITATOR, full_name="Bakyt Osmonov")
    _session, person, certificate = graduate_of(
        session={"co_facilitators": [co], "venue": "Өзгөн маданият үйү"}
    )
    client.application.config["ISSUING_ORGANISATION"] = "Укук жана Адилет коомдук бирикмеси"
    log_in(client, person)
    response = client.get(f"/certificates/{certificate.id}.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    assert "no-store" in response.headers["Cache-Control"]

    reader = PdfReader(io.BytesIO(response.get_data()))
    first = reader.pages[0]
    assert (round(float(first.mediabox.width)), round(float(first.mediabox.height))) == (842, 595)
    assert len(first.images) == 1  # the QR code
    text = first.extract_text()
    for expected in (
        "Айгүл Өмүрбекова",
        certificate.code,
        "Paralegals in the village",
        "Өзгөн маданият үйү",
        "Ош облусу",  # the region, named in Kyrgyz
        "Gulnara Asanova",
        "Bakyt Osmonov",
        "Укук жана Адилет коомдук бирикмеси",
        f"/verify/{certificate.code}",
    ):
        assert expected in text, expected
    assert "40" in text  # five days of eight hours


def test_the_pdf_speaks_tajik_with_its_letters(client, make_user, lead):
    session = held_session(lead, region=region_named("Dushanbe city"), timezone="Asia/Dushanbe")
    person = make_user(full_name="Ҷамшед Раҳимӣ Қодирзода Ӯғлӣ", language=Language.TAJIK)
    seat(session, person, 5)
    graduate(person, session)
    complete(session)
    log_in(client, person)
    text = pdf_text(client.get(f"/certificates/{certificate_of(session, person).id}.pdf"))
    assert "Ҷамшед Раҳимӣ Қодирзода Ӯғлӣ" in text
    assert "шаҳри Душанбе" in text


def test_long_titles_and_many_facilitators_still_fit_on_one_page(client, make_user, lead):
    many = [
        make_user(Role.FACILITATOR, full_name=f"Facilitator Number {n} Longname") for n in range(5)
    ]
    session = held_session(
        lead,
        programme=make_programme(title="A very long programme title " * 6),
        title="A session with a long title " * 6,
        co_facilitators=many,
    )
    person = make_user(full_name="Someone With A Rather Long Name Indeed Ova Uulu Kyzy " * 2)
    seat(session, person, 5)
    graduate(person, session)
    complete(session)
    log_in(client, person)
    text = pdf_text(client.get(f"/certificates/{certificate_of(session, person).id}.pdf"))
    assert certificate_of(session, person).code in text


def test_who_may_download_a_certificate(client, make_user, graduate_of, staff):
    co = make_user(Role.FACILITATOR)
    session, person, certificate = graduate_of(session={"co_facilitators": [co]})
    url = f"/certificates/{certificate.id}.pdf"
    for allowed in (person, staff, session.lead_facilitator, co, make_user(Role.ADMIN)):
        log_in(client, allowed)
        assert client.get(url).status_code == 200, allowed.role
    for refused in (make_user(), make_user(Role.FACILITATOR)):
        log_in(client, refused)
        assert client.get(url).status_code == 404, refused.role
    log_in(client, person)
    assert client.get(f"/certificates/{certificate.id + 1000}.pdf").status_code == 404
    client.post("/logout")
    response = client.get(url)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


# --- verifying -----------------------------------------------------------------------------------


def test_verifying_a_valid_code_shows_the_holder_programme_and_dates_only(client, graduate_of):
    session, person, certificate = graduate_of()
    response = client.get(f"/verify/{certificate.code}")
    assert response.status_code == 200
    soup = page(response)
    assert soup.select_one(".verdict").get_text(" ", strip=True).startswith("Valid")
    assert soup.select_one(".holder").get_text(strip=True) == "Айгүл Өмүрбекова"
    assert soup.select_one(".programme").get_text(strip=True) == "Paralegals in the village"
    dates = soup.select_one(".dates").get_text(strip=True)
    assert format_date(session.days[0]) in dates
    assert format_date(session.days[-1]) in dates
    text = soup.get_text(" ")
    for private in (person.email, session.venue, "Osh Region", person.gender.label):
        assert private not in text
    assert soup.select_one('meta[name="robots"]')["content"] == "noindex"


def test_an_unknown_code_says_so(client, graduate_of):
    _session, _person, certificate = graduate_of()
    for code in ("x" * 32, certificate.code[:-1] + ("A" if certificate.code[-1] != "A" else "B")):
        response = client.get(f"/verify/{code}")
        assert response.status_code == 404
        soup = page(response)
        assert soup.h1.get_text(strip=True) == "No certificate has this code"
        assert soup.select_one("form.verify-form input[name=code]") is not None
    assert client.get("/verify/not-a-code").status_code == 404


def test_the_verify_form_takes_a_code_or_the_address_and_says_what_is_wrong(client, graduate_of):
    _session, _person, certificate = graduate_of()
    soup = page(client.get("/verify"))
    assert soup.select_one("form.verify-form")["method"] == "get"
    assert field_error(soup, "code") == ""

    for typed in (certificate.code, f"  http://example.org/verify/{certificate.code}/ "):
        response = client.get("/verify", query_string={"code": typed})
        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"/verify/{certificate.code}")

    response = client.get("/verify", query_string={"code": ""})
    assert response.status_code == 400
    assert field_error(page(response), "code") == "Enter the code printed on the certificate."
    response = client.get("/verify", query_string={"code": "abc def!"})
    assert response.status_code == 400
    assert "not a verification code" in field_error(page(response), "code")


def test_verifying_is_rate_limited_per_address(client, graduate_of):
    _session, _person, certificate = graduate_of()
    for number in range(30):
        url = "/verify" if number % 2 else f"/verify/{certificate.code}"
        assert client.get(url).status_code == 200, number
    response = client.get(f"/verify/{certificate.code}")
    assert response.status_code == 429
    assert client.get("/verify").status_code == 429
    # Another address is not held back.
    other = client.get(f"/verify/{certificate.code}", environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert other.status_code == 200


def test_every_page_links_to_verification_in_its_footer(client):
    link = page(client.get("/")).select_one(".site-footer a[href='/verify']")
    assert link.get_text(strip=True) == "Verify a certificate"


# --- where people find them ----------------------------------------------------------------------


def test_my_sessions_offers_the_certificate_and_says_when_one_is_revoked(
    client, make_user, graduate_of, staff
):
    session, person, certificate = graduate_of(language=Language.ENGLISH)
    second = held_session(session.lead_facilitator, title="Second session")
    seat(second, person, 5)
    graduate(person, second)
    complete(second)
    services.revoke(staff, certificate_of(second, person), "Wrong person")
    db.session.commit()

    log_in(client, person)
    soup = page(client.get("/my/sessions"))
    cells = {
        row.select_one("td a").get_text(strip=True): row.select_one("td.certificate")
        for row in soup.select("tr.enrolment-row")
    }
    assert cells[session.title].select_one("a.is-issued")["href"] == (
        f"/certificates/{certificate.id}.pdf"
    )
    assert cells[session.title].select_one("a.certificate-verify")["href"] == (
        f"/verify/{certificate.code}"
    )
    assert cells["Second session"].select_one("a") is None
    assert "Revoked" in cells["Second session"].get_text()


def test_my_sessions_has_no_certificate_column_without_certificates(client, make_user, lead):
    person = make_user()
    seat(held_session(lead), person, 5)
    log_in(client, person)
    soup = page(client.get("/my/sessions"))
    assert soup.select("td.certificate") == []


def test_my_sessions_reads_certificates_in_a_constant_number_of_queries(client, make_user, lead):
    def queries_with(count: int) -> int:
        person = make_user()
        for _ in range(count):
            session = held_session(lead)
            seat(session, person, 5)
            graduate(person, session)
            complete(session)
        log_in(client, person)
        with count_queries() as queries:
            soup = page(client.get("/my/sessions"))
        assert len(soup.select("td.certificate a.is-issued")) == count
        return queries.count

    assert queries_with(1) == queries_with(5)


def roster_cells(soup) -> dict[str, object]:
    return {
        row.select_one("td.name").get_text(strip=True): row.select_one("td.certificate")
        for row in soup.select("table.roster tbody tr")
    }


def test_the_roster_shows_who_got_one_with_staff_actions(client, make_user, lead, staff):
    session = held_session(lead)
    earned, below, revoked = (make_user(full_name=name) for name in ("Earned", "Below", "Revoked"))
    seat(session, earned, 5)
    below_seat = seat(session, below, 2)
    seat(session, revoked, 5)
    graduate(earned, session)
    graduate(revoked, session)
    complete(session)
    services.revoke(staff, certificate_of(session, revoked), "Attendance was wrong")
    db.session.commit()
    issued = certificate_of(session, earned)

    log_in(client, staff)
    soup = page(client.get(f"/sessions/{session.id}/roster"))
    cells = roster_cells(soup)
    assert cells["Earned"].select_one("a.is-issued")["href"] == f"/certificates/{issued.id}.pdf"
    revoke_form = cells["Earned"].select_one("form.revoke-form")
    assert revoke_form["action"] == f"/certificates/{issued.id}/revoke"
    assert revoke_form.select_one("textarea[name=reason]") is not None
    issue_form = cells["Below"].select_one("form.issue-form")
    assert issue_form["action"] == f"/enrolments/{below_seat.id}/certificate"
    assert "Revoked" in cells["Revoked"].get_text()
    assert "Attendance was wrong" in cells["Revoked"].get_text()
    assert cells["Revoked"].select_one("form") is None
    assert soup.select_one(".certificate-earned form")["action"] == (
        f"/sessions/{session.id}/certificates/issue-earned"
    )

    # Facilitators see who got one, and act on nothing.
    log_in(client, lead)
    soup = page(client.get(f"/sessions/{session.id}/roster"))
    cells = roster_cells(soup)
    assert cells["Earned"].select_one("a.is-issued") is not None
    assert soup.select("table.roster form.revoke-form, table.roster form.issue-form") == []
    assert soup.select_one(".certificate-earned") is None


def test_a_roster_before_completion_has_no_certificate_column(client, make_user, lead):
    session = held_session(lead)
    seat(session, make_user(), 5)
    log_in(client, lead)
    soup = page(client.get(f"/sessions/{session.id}/roster"))
    assert soup.select("td.certificate") == []


def test_the_roster_reads_certificates_in_a_constant_number_of_queries(
    client, make_user, lead, staff
):
    def queries_with(count: int) -> tuple[int, int]:
        session = held_session(lead)
        people = [make_user() for _ in range(count)]
        for person in people:
            seat(session, person, 5)
            graduate(person, session)
        seat(session, make_user(), 1)  # one below the threshold: an issue form
        complete(session)
        services.revoke(staff, certificate_of(session, people[0]), "Wrong")
        db.session.commit()
        counts = []
        for reader in (staff, lead):
            log_in(client, reader)
            with count_queries() as queries:
                soup = page(client.get(f"/sessions/{session.id}/roster"))
            assert len(soup.select("td.certificate")) == count + 1
            counts.append(queries.count)
        return counts[0], counts[1]

    assert queries_with(1) == queries_with(5)


def test_a_sessions_certificates_export_without_running_formulas(client, make_user, lead, staff):
    session = held_session(lead)
    person = make_user(full_name='=HYPERLINK("http://evil")')
    seat(session, person, 5)
    graduate(person, session)
    complete(session)
    log_in(client, lead)
    response = client.get(f"/sessions/{session.id}/certificates.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["Name", "Verification code", "Issued"]
    assert rows[1][0] == '\'=HYPERLINK("http://evil")'
    assert rows[1][1] == certificate_of(session, person).code
    assert client.get(f"/sessions/{session.id}/certificates.xlsx").status_code == 200

    log_in(client, make_user(Role.FACILITATOR))
    assert client.get(f"/sessions/{session.id}/certificates.csv").status_code == 403


# --- for dashboards ------------------------------------------------------------------------------


def test_query_functions_for_dashboards(app, make_user, graduate_of, staff):
    session, person, _certificate = graduate_of()
    later = held_session(session.lead_facilitator, programme=session.programme)
    seat(later, person, 5)
    complete(later)
    assert [c.session_id for c in services.certificates_of(person)] == [later.id, session.id]
    services.revoke(staff, certificate_of(later, person), "Wrong")
    db.session.commit()
    assert services.valid_counts([session.id, later.id]) == {session.id: 1}
    assert services.counts_by_programme() == {session.programme_id: (1, 1)}
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 2
