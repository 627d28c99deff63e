"""The cascade: graduates record the trainings they give back home; the facilitators of their
session (or staff) verify the reports or return them with a comment."""

import threading
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from tests.conftest import count_queries, field_error, flashes, log_in, page
from tests.factories import add_cascade_training as add_training
from tests.factories import certify, make_programme, make_session
from tot.accounts.models import User
from tot.cascade import services
from tot.cascade.models import CascadeTraining, ReportStatus
from tot.certificates.models import Certificate
from tot.db_types import utcnow
from tot.errors import DomainError
from tot.extensions import db
from tot.formats import format_date
from tot.i18n import Language
from tot.notifications.models import Notification
from tot.permissions import Role
from tot.sessions.models import SessionStatus

TODAY = date.today()
LAST_WEEK = TODAY - timedelta(days=7)
YESTERDAY = TODAY - timedelta(days=1)
NEXT_WEEK = TODAY + timedelta(days=7)
GENDERS = ("women", "men", "other_genders")
AGES = ("age_18_24", "age_25_34", "age_35_44", "age_45_54", "age_55_plus", "age_unknown")


# --- small builders of this module ---------------------------------------------------------------


def past_session(lead, *, title="Women's Leadership TOT in Osh", programme=None, co=(), **fields):
    """A completed session that began two months ago."""
    starts_at = utcnow() - timedelta(days=60)
    return make_session(
        lead,
        title=title,
        programme=programme or make_programme(title=f"{title} programme"),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(days=2, hours=8),
        status=SessionStatus.COMPLETED,
        capacity=20,
        co_facilitators=co,
        **fields,
    )


def training_form(certificate, region, **overrides) -> dict:
    data = {
        "certificate_id": str(certificate.id),
        "held_on": LAST_WEEK.isoformat(),
        "region_id": str(region.id),
        "settlement": "Kara-Suu",
        "programme_id": "",
        "topic": "Speaking up at village meetings",
        "hours": "6",
        "women": "12",
        "men": "3",
        "other_genders": "1",
        "age_18_24": "4",
        "age_25_34": "5",
        "age_35_44": "3",
        "age_45_54": "2",
        "age_55_plus": "1",
        "age_unknown": "1",
        "notes": "In the school library after lessons.",
    }
    data.update(overrides)
    return data


def fresh(training_id: int) -> CascadeTraining:
    db.session.expire_all()
    return db.session.get(CascadeTraining, training_id)


def count_trainings() -> int:
    return db.session.scalar(select(func.count()).select_from(CascadeTraining))


def notifications_of(user) -> list[Notification]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
        )
    )


def path_of(response) -> str:
    return urlsplit(response.headers["Location"]).path


@pytest.fixture
def facilitator(make_user):
    return make_user(Role.FACILITATOR, full_name="Bakyt Jumabaev")


@pytest.fixture
def cohort(facilitator):
    return past_session(facilitator)


@pytest.fixture
def graduate(client, make_user, cohort):
    """A participant holding a certificate of the cohort, signed in."""
    person = make_user(Role.PARTICIPANT, full_name="Aizada Toktogulova")
    certify(person, cohort)
    log_in(client, person)
    return person


@pytest.fixture
def certificate(graduate, cohort) -> Certificate:
    return db.session.scalar(select(Certificate).filter_by(user_id=graduate.id))


# --- who may open which page ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("/cascade/mine", {Role.PARTICIPANT}),
        ("/cascade/new", {Role.PARTICIPANT}),
        ("/cascade/cohorts", {Role.FACILITATOR, Role.STAFF, Role.ADMIN}),
        ("/cascade/reach", {Role.FACILITATOR, Role.STAFF, Role.ADMIN}),
        ("/cascade/reach/regions.csv", {Role.FACILITATOR, Role.STAFF, Role.ADMIN}),
    ],
)
@pytest.mark.parametrize("role", list(Role))
def test_each_role_against_each_cascade_page(client, login_as, url, allowed, role):
    login_as(role)
    response = client.get(url)
    assert response.status_code == (200 if role in allowed else 403), (role, url)


def test_visitors_are_sent_to_log_in(client):
    for url in ("/cascade/mine", "/cascade/new", "/cascade/cohorts", "/cascade/reach"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        (Role.PARTICIPANT, "/cascade/mine", "/cascade/cohorts"),
        (Role.FACILITATOR, "/cascade/cohorts", "/cascade/mine"),
        (Role.STAFF, "/cascade/cohorts", "/cascade/mine"),
    ],
)
def test_the_navigation_leads_each_role_to_its_cascade_page(client, login_as, role, shown, hidden):
    login_as(role)
    nav = {a["href"] for a in page(client.get("/")).select("header nav a")}
    assert shown in nav
    assert hidden not in nav


def test_the_pages_bring_their_own_stylesheet(client, graduate):
    soup = page(client.get("/cascade/mine"))
    assert "/static/css/cascade.css" in [link["href"] for link in soup.select("head link")]


# --- a participant without a certificate ---------------------------------------------------------


def test_a_participant_without_a_certificate_reads_a_kind_explanation(client, login_as, cohort):
    someone = login_as(Role.PARTICIPANT)
    certify(someone, cohort, revoked=True)  # a revoked certificate is no certificate

    soup = page(client.get("/cascade/mine"))
    assert soup.h1.get_text(strip=True) == "Trainings I gave"
    notice = soup.select_one(".no-certificate").get_text(" ", strip=True)
    assert "once you hold a certificate" in notice
    assert not soup.select('a[href="/cascade/new"]')

    soup = page(client.get("/cascade/new"))
    assert soup.select_one(".no-certificate") is not None
    assert soup.select_one("form.cascade-form") is None

    response = client.post("/cascade/new", data={"settlement": "Uzgen", "women": "3"})
    assert response.status_code == 200
    assert page(response).select_one(".no-certificate") is not None
    assert count_trainings() == 0
    assert services.record_refusal(someone) is not None
    with pytest.raises(DomainError):
        services.record_training(someone, settlement="Uzgen")


# --- recording -----------------------------------------------------------------------------------


def test_a_graduate_records_a_training(client, graduate, certificate, region, make_user, cohort):
    programme = make_programme("Human Rights and Legal Aid TOT")
    peer = make_user(Role.PARTICIPANT, full_name="Nurgul Abdyrakhmanova")
    certify(peer, cohort)
    stranger = make_user(Role.PARTICIPANT, full_name="Graduate Of Another Session")
    certify(stranger, past_session(make_user(Role.FACILITATOR), title="Another session"))

    soup = page(client.get("/cascade/new"))
    assert soup.h1.get_text(strip=True) == "Record a training"
    # The only certificate is chosen already, the region is the graduate's own.
    options = soup.select("select#certificate_id option")
    assert [option["value"] for option in options] == [str(certificate.id)]
    assert options[0].has_attr("selected")
    assert "Women's Leadership TOT in Osh" in options[0].get_text()
    assert soup.select_one("select#region_id option[selected]")["value"] == str(region.id)
    # Programmes are the published ones; co-trainers the other graduates of the cohort.
    assert "Human Rights and Legal Aid TOT" in soup.select_one("select#programme_id").get_text()
    co_trainers = soup.select_one(".field-checkboxes").get_text(" ", strip=True)
    assert "Nurgul Abdyrakhmanova" in co_trainers
    assert "Graduate Of Another Session" not in co_trainers
    assert "Aizada Toktogulova" not in co_trainers

    response = client.post(
        "/cascade/new",
        data=training_form(
            certificate, region, programme_id=str(programme.id), co_trainer_ids=[str(peer.id)]
        ),
    )

    assert response.status_code == 302
    saved = db.session.execute(select(CascadeTraining)).scalar_one()
    assert path_of(response) == f"/cascade/{saved.id}"
    assert saved.graduate_id == graduate.id
    assert saved.certificate_id == certificate.id
    assert saved.held_on == LAST_WEEK
    assert saved.region_id == region.id
    assert saved.settlement == "Kara-Suu"
    assert saved.programme_id == programme.id
    assert saved.topic == "Speaking up at village meetings"
    assert saved.hours == 6
    assert (saved.women, saved.men, saved.other_genders, saved.people) == (12, 3, 1, 16)
    assert [getattr(saved, name) for name in AGES] == [4, 5, 3, 2, 1, 1]
    assert [person.id for person in saved.co_trainers] == [peer.id]
    assert saved.status is ReportStatus.SUBMITTED
    assert saved.notes == "In the school library after lessons."

    soup = page(client.get(response.headers["Location"]))
    assert "Thank you: the training is recorded and waits for verification." in flashes(soup)
    assert soup.select_one(".report-status").get_text(strip=True) == "Waiting for verification"
    assert soup.select_one(".co-trainers").get_text(strip=True) == "Nurgul Abdyrakhmanova"
    assert soup.select_one(".people").get_text(strip=True) == "16"

    soup = page(client.get("/cascade/mine"))
    items = soup.select(".report-item")
    assert len(items) == 1
    assert "Kara-Suu" in items[0].get_text()
    assert soup.select_one(".figure-waiting").get_text(strip=True) == "1"
    assert soup.select_one(".figure-people").get_text(strip=True) == "0"  # not verified yet


def test_a_topic_alone_will_do_and_empty_counts_are_zero(client, graduate, certificate, region):
    response = client.post(
        "/cascade/new",
        data=training_form(
            certificate,
            region,
            men="",
            other_genders="",
            age_18_24="",
            age_25_34="12",
            age_35_44="",
            age_45_54="",
            age_55_plus="",
            age_unknown="",
        ),
    )
    assert response.status_code == 302
    saved = db.session.execute(select(CascadeTraining)).scalar_one()
    assert saved.programme_id is None
    assert (saved.women, saved.men, saved.other_genders, saved.age_25_34) == (12, 0, 0, 12)


def test_a_graduate_of_two_sessions_chooses_the_certificate(
    client, graduate, certificate, region, make_user
):
    other_lead = make_user(Role.FACILITATOR)
    second = certify(graduate, past_session(other_lead, title="Legal aid TOT in Bishkek"))
    soup = page(client.get("/cascade/new"))
    values = [option["value"] for option in soup.select("select#certificate_id option")]
    assert values[0] == ""  # nothing chosen for them
    assert set(values[1:]) == {str(certificate.id), str(second.id)}

    response = client.post(
        "/cascade/new", data=training_form(certificate, region, certificate_id="")
    )
    assert field_error(page(response), "certificate_id") == "Choose one of your certificates."

    response = client.post(
        "/cascade/new", data=training_form(certificate, region, certificate_id=str(second.id))
    )
    assert response.status_code == 302
    assert db.session.execute(select(CascadeTraining)).scalar_one().certificate_id == second.id


def test_only_ones_own_valid_certificate_can_be_chosen(
    client, graduate, certificate, region, make_user, cohort
):
    other = make_user(Role.PARTICIPANT)
    theirs = certify(other, past_session(make_user(Role.FACILITATOR), title="Theirs"))
    revoked = certify(graduate, past_session(make_user(Role.FACILITATOR), title="Mine, revoked"))
    revoked.revoked_at = utcnow()
    db.session.commit()
    for chosen in (theirs, revoked):
        response = client.post(
            "/cascade/new", data=training_form(certificate, region, certificate_id=str(chosen.id))
        )
        assert field_error(page(response), "certificate_id") == "Choose one of your certificates."
        # The service says so for any caller, whatever the form offered.
        with pytest.raises(DomainError) as refused:
            services.record_training(
                graduate, **{**training_form(certificate, region), "certificate_id": chosen.id}
            )
        assert refused.value.field == "certificate_id"
    assert count_trainings() == 0


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"held_on": ""}, "held_on", "Enter the date of the training."),
        ({"held_on": "2026-02-30"}, "held_on", "Enter a date, such as 2025-03-14."),
        ({"held_on": NEXT_WEEK.isoformat()}, "held_on", "The date cannot be in the future."),
        ({"region_id": ""}, "region_id", "Choose a region."),
        ({"region_id": "99999999999999999999"}, "region_id", "Choose a region."),
        ({"settlement": "   "}, "settlement", "Enter the town or village."),
        ({"settlement": "x" * 121}, "settlement", "At most 120 characters."),
        (
            {"programme_id": "", "topic": " "},
            "programme_id",
            "Choose a programme, or write the topic in your own words.",
        ),
        ({"programme_id": "424242"}, "programme_id", "Choose a programme from the list."),
        ({"topic": "x" * 201}, "topic", "At most 200 characters."),
        ({"hours": ""}, "hours", "Enter how many hours the training lasted."),
        ({"hours": "0"}, "hours", "Enter a number from 1 to 100."),
        ({"hours": "three"}, "hours", "Enter a whole number, such as 4."),
        ({"women": "-1"}, "women", "Enter a number from 0 to 1000."),
        ({"age_55_plus": "-2"}, "age_55_plus", "Enter a number from 0 to 1000."),
        ({"men": "1001"}, "men", "Enter a number from 0 to 1000."),
        ({"other_genders": "9" * 5000}, "other_genders", "Enter a whole number, such as 4."),
        (
            {"women": "0", "men": "0", "other_genders": "0", **dict.fromkeys(AGES, "0")},
            "women",
            "Count at least one participant.",
        ),
        (
            {"age_unknown": "3"},
            "age_18_24",
            "The totals differ: by age group 18, by gender 16. "
            "Count each participant once in each.",
        ),
        ({"co_trainer_ids": ["abc"]}, "co_trainer_ids", "Choose co-trainers from the list."),
        ({"notes": "x" * 5001}, "notes", "At most 5000 characters."),
    ],
)
def test_bad_input_is_shown_beside_the_field_and_nothing_changes(
    client, graduate, certificate, region, overrides, field, message
):
    response = client.post("/cascade/new", data=training_form(certificate, region, **overrides))

    assert response.status_code == 200
    soup = page(response)
    assert field_error(soup, field) == message
    assert soup.select_one(".error-summary") is not None
    assert count_trainings() == 0

    kept = add_training(certificate, women=2, men=2, other_genders=0)
    response = client.post(
        f"/cascade/{kept.id}/edit", data=training_form(certificate, region, **overrides)
    )
    assert response.status_code == 200
    assert field_error(page(response), field) == message
    again = fresh(kept.id)
    assert (again.held_on, again.women, again.men, again.settlement) == (LAST_WEEK, 2, 2, "Uzgen")


def test_the_training_cannot_be_before_the_graduates_session(
    client, graduate, certificate, region, cohort
):
    began = cohort.local_start.date()
    response = client.post(
        "/cascade/new",
        data=training_form(certificate, region, held_on=(began - timedelta(days=1)).isoformat()),
    )
    assert field_error(page(response), "held_on") == (
        f"The training cannot be before your TOT session began ({format_date(began)})."
    )
    assert count_trainings() == 0


def test_a_co_trainer_must_be_another_graduate_of_the_cohort(
    client, graduate, certificate, region, make_user, cohort
):
    not_graduated = make_user(Role.PARTICIPANT)
    elsewhere = make_user(Role.PARTICIPANT)
    certify(elsewhere, past_session(make_user(Role.FACILITATOR), title="Elsewhere"))
    for person in (not_graduated, elsewhere, graduate):
        response = client.post(
            "/cascade/new",
            data=training_form(certificate, region, co_trainer_ids=[str(person.id)]),
        )
        assert field_error(page(response), "co_trainer_ids") == "Choose co-trainers from the list."
        with pytest.raises(DomainError):
            services.record_training(
                graduate,
                **{
                    **training_form(certificate, region),
                    "certificate_id": certificate.id,
                    "co_trainer_ids": [person.id],
                },
            )
    assert count_trainings() == 0


def test_an_unpublished_programme_cannot_be_chosen(client, graduate, certificate, region):
    draft = make_programme("Draft programme", published=False)
    soup = page(client.get("/cascade/new"))
    assert "Draft programme" not in soup.select_one("select#programme_id").get_text()
    response = client.post(
        "/cascade/new", data=training_form(certificate, region, programme_id=str(draft.id))
    )
    assert field_error(page(response), "programme_id") == "Choose a programme from the list."


# --- editing one's own report --------------------------------------------------------------------


def test_a_graduate_edits_their_report_until_it_is_verified(client, graduate, certificate, region):
    training = add_training(certificate)
    soup = page(client.get(f"/cascade/{training.id}/edit"))
    assert soup.select_one("input#settlement")["value"] == "Uzgen"

    response = client.post(
        f"/cascade/{training.id}/edit", data=training_form(certificate, region, settlement="Nookat")
    )
    assert path_of(response) == f"/cascade/{training.id}"
    assert fresh(training.id).settlement == "Nookat"
    assert fresh(training.id).status is ReportStatus.SUBMITTED

    training = fresh(training.id)
    training.status = ReportStatus.VERIFIED
    db.session.commit()
    response = client.get(f"/cascade/{training.id}/edit")
    assert path_of(response) == f"/cascade/{training.id}"
    response = client.post(
        f"/cascade/{training.id}/edit", data=training_form(certificate, region, settlement="Aravan")
    )
    assert path_of(response) == f"/cascade/{training.id}"
    soup = page(client.get(f"/cascade/{training.id}"))
    assert "This report is verified: it can no longer be changed." in flashes(soup)
    assert not soup.select(f'a[href="/cascade/{training.id}/edit"]')
    assert fresh(training.id).settlement == "Nookat"
    with pytest.raises(DomainError):
        services.update_training(fresh(training.id), graduate, settlement="Aravan")


def test_another_graduate_can_neither_see_nor_edit_my_report(
    client, make_user, certificate, region, cohort
):
    training = add_training(certificate)
    other = make_user(Role.PARTICIPANT)
    certify(other, cohort)
    log_in(client, other)
    assert client.get(f"/cascade/{training.id}").status_code == 404
    assert client.get(f"/cascade/{training.id}/edit").status_code == 404
    response = client.post(
        f"/cascade/{training.id}/edit", data=training_form(certificate, region, settlement="X")
    )
    assert response.status_code == 404
    assert fresh(training.id).settlement == "Uzgen"
    mine = page(client.get("/cascade/mine"))
    assert not mine.select(".report-item")
    assert services.edit_refusal(other, training) is not None


def test_ids_beyond_the_database_are_not_found(client, graduate):
    assert client.get("/cascade/99999999999999999999").status_code == 404
    assert client.get("/cascade/424242/edit").status_code == 404


# --- verifying and returning ---------------------------------------------------------------------


def test_the_sessions_facilitator_verifies_a_report_and_the_graduate_is_told(
    client, facilitator, graduate, certificate
):
    training = add_training(certificate, held_on=LAST_WEEK)
    log_in(client, facilitator)
    soup = page(client.get("/cascade/cohorts"))
    row = soup.select_one(f'tr[data-training-id="{training.id}"]')
    assert row.select_one("button[formaction]")["formaction"] == f"/cascade/{training.id}/verify"
    assert soup.select_one("form.report-actions input[name=csrf_token]") is not None

    response = client.post(
        f"/cascade/{training.id}/verify", data={"next": "/cascade/cohorts?page=1"}
    )

    assert response.headers["Location"] == "/cascade/cohorts?page=1"
    saved = fresh(training.id)
    assert saved.status is ReportStatus.VERIFIED
    assert saved.reviewed_by_id == facilitator.id
    assert saved.reviewed_at is not None
    [notice] = notifications_of(graduate)
    assert notice.kind == "cascade.verified"
    assert notice.link == f"/cascade/{training.id}"
    assert notice.params["date"] == format_date(LAST_WEEK)
    assert notice.params["place"] == "Uzgen"

    soup = page(client.get("/cascade/cohorts"))
    assert "The report is verified: it now counts in the reach figures." in flashes(soup)
    row = soup.select_one(f'tr[data-training-id="{training.id}"]')
    assert row.select_one("button") is None  # nothing left to do

    # Verified once is verified: a second click changes nothing and says why.
    response = client.post(f"/cascade/{training.id}/verify")
    assert "This report is already verified." in flashes(page(client.get(path_of(response))))
    assert len(notifications_of(graduate)) == 1

    log_in(client, graduate)
    soup = page(client.get(f"/cascade/{training.id}"))
    assert "Verified by Bakyt Jumabaev" in soup.select_one(".verified-by").get_text()
    assert soup.select_one(".figure-people") is None
    soup = page(client.get("/cascade/mine"))
    assert soup.select_one(".figure-people").get_text(strip=True) == "10"


def test_the_date_in_the_notification_is_written_as_the_graduate_reads_dates(
    client, make_user, certificate, graduate
):
    graduate.language = Language.RUSSIAN
    db.session.commit()
    training = add_training(certificate, held_on=LAST_WEEK)
    log_in(client, make_user(Role.STAFF, language=Language.ENGLISH))
    client.post(f"/cascade/{training.id}/verify")
    [notice] = notifications_of(graduate)
    with force_locale("ru"):
        assert notice.params["date"] == format_date(LAST_WEEK)
    assert notice.params["date"] != format_date(LAST_WEEK)  # not the reviewer's English


def test_a_co_facilitator_and_staff_verify_too(client, make_user, graduate, certificate, cohort):
    co = make_user(Role.FACILITATOR)
    cohort.co_facilitators = [co]
    db.session.commit()
    first = add_training(certificate)
    second = add_training(certificate)
    log_in(client, co)
    client.post(f"/cascade/{first.id}/verify")
    log_in(client, make_user(Role.STAFF))
    client.post(f"/cascade/{second.id}/verify")
    assert fresh(first.id).status is ReportStatus.VERIFIED
    assert fresh(second.id).status is ReportStatus.VERIFIED
    assert fresh(first.id).reviewed_by_id == co.id


def test_only_the_cohorts_facilitators_or_staff_review(client, make_user, graduate, certificate):
    training = add_training(certificate)
    other_facilitator = make_user(Role.FACILITATOR)
    log_in(client, other_facilitator)
    assert client.post(f"/cascade/{training.id}/verify").status_code == 403
    response = client.post(f"/cascade/{training.id}/return", data={"comment": "No"})
    assert response.status_code == 403
    assert client.get(f"/cascade/{training.id}").status_code == 404
    soup = page(client.get("/cascade/cohorts"))
    assert not soup.select(f'tr[data-training-id="{training.id}"]')
    # The graduate cannot verify their own report, nor can another participant.
    log_in(client, graduate)
    assert client.post(f"/cascade/{training.id}/verify").status_code == 403
    assert fresh(training.id).status is ReportStatus.SUBMITTED
    assert services.review_refusal(other_facilitator, training) is not None
    with pytest.raises(DomainError):
        services.verify(fresh(training.id), other_facilitator)
    assert notifications_of(graduate) == []


def test_a_report_is_returned_with_a_comment_and_corrected(
    client, facilitator, graduate, certificate, region
):
    training = add_training(certificate)
    log_in(client, facilitator)
    soup = page(client.get(f"/cascade/{training.id}"))
    assert soup.select_one("form.return-form textarea#comment") is not None

    response = client.post(f"/cascade/{training.id}/return", data={"comment": "   "})
    assert response.status_code == 200
    assert field_error(page(response), "comment") == "Write what the graduate should correct."
    assert fresh(training.id).status is ReportStatus.SUBMITTED
    assert notifications_of(graduate) == []

    comment = "Please check the age groups: were some under 18?"
    response = client.post(f"/cascade/{training.id}/return", data={"comment": comment})
    assert path_of(response) == "/cascade/cohorts"
    saved = fresh(training.id)
    assert saved.status is ReportStatus.RETURNED
    assert saved.review_comment == comment
    [notice] = notifications_of(graduate)
    assert notice.kind == "cascade.returned"
    assert notice.params["reason"] == comment
    assert notice.params["place"] == "Uzgen"
    assert notice.link == f"/cascade/{training.id}"
    # Returned: it waits for the graduate, not for a reviewer.
    response = client.post(f"/cascade/{training.id}/verify")
    assert fresh(training.id).status is ReportStatus.RETURNED

    log_in(client, graduate)
    soup = page(client.get("/cascade/mine"))
    assert comment in soup.select_one(".review-comment").get_text()
    soup = page(client.get(f"/cascade/{training.id}/edit"))
    assert comment in soup.select_one(".review-comment").get_text()
    response = client.post(
        f"/cascade/{training.id}/edit",
        data=training_form(certificate, region, age_18_24="2", age_unknown="3"),
    )
    assert path_of(response) == f"/cascade/{training.id}"
    soup = page(client.get(path_of(response)))
    assert "The report is corrected and sent again for verification." in flashes(soup)
    assert comment in soup.select_one(".review-comment").get_text()  # for the reviewer to see
    resubmitted = fresh(training.id)
    assert resubmitted.status is ReportStatus.SUBMITTED
    assert resubmitted.age_unknown == 3

    log_in(client, facilitator)
    client.post(f"/cascade/{training.id}/verify")
    assert fresh(training.id).status is ReportStatus.VERIFIED


def test_a_too_long_comment_is_refused(client, facilitator, certificate):
    training = add_training(certificate)
    log_in(client, facilitator)
    response = client.post(f"/cascade/{training.id}/return", data={"comment": "x" * 2001})
    assert field_error(page(response), "comment") == "At most 2000 characters."
    assert fresh(training.id).status is ReportStatus.SUBMITTED


def test_changes_are_posted_never_got(client, facilitator, certificate):
    training = add_training(certificate)
    log_in(client, facilitator)
    assert client.get(f"/cascade/{training.id}/verify").status_code == 405
    assert client.get(f"/cascade/{training.id}/return").status_code == 405
    assert fresh(training.id).status is ReportStatus.SUBMITTED


def test_the_cohorts_page_lists_waiting_reports_first_and_only_my_cohorts(
    client, facilitator, make_user, graduate, certificate, cohort
):
    verified = add_training(certificate, status=ReportStatus.VERIFIED, held_on=YESTERDAY)
    returned = add_training(certificate, status=ReportStatus.RETURNED, held_on=YESTERDAY)
    waiting = add_training(certificate, held_on=LAST_WEEK - timedelta(days=30))
    other_lead = make_user(Role.FACILITATOR)
    elsewhere = make_user(Role.PARTICIPANT)
    theirs = add_training(certify(elsewhere, past_session(other_lead, title="Elsewhere")))

    log_in(client, facilitator)
    soup = page(client.get("/cascade/cohorts"))
    assert soup.h1.get_text(strip=True) == "Cascade of my cohorts"
    rows = [int(row["data-training-id"]) for row in soup.select("tr[data-training-id]")]
    assert rows == [waiting.id, returned.id, verified.id]
    assert soup.select_one(".figure-waiting").get_text(strip=True) == "1"
    assert [int(r["data-training-id"]) for r in soup.select("tr.is-waiting")] == [waiting.id]
    assert [t.id for t in services.waiting_for(facilitator)] == [waiting.id]
    assert services.waiting_count(facilitator) == 1

    log_in(client, make_user(Role.STAFF))
    soup = page(client.get("/cascade/cohorts"))
    assert soup.h1.get_text(strip=True) == "Cascade of all cohorts"
    rows = {int(row["data-training-id"]) for row in soup.select("tr[data-training-id]")}
    assert rows == {waiting.id, returned.id, verified.id, theirs.id}


def test_pages_run_as_many_queries_for_ten_reports_as_for_two(
    client, facilitator, make_user, graduate, certificate, cohort
):
    peers = [make_user(Role.PARTICIPANT) for _ in range(3)]
    for peer in peers:
        certify(peer, cohort)
    programme = make_programme("Women's Leadership TOT")

    def add(number):
        for n in range(number):
            add_training(
                certificate,
                status=[ReportStatus.SUBMITTED, ReportStatus.VERIFIED, ReportStatus.RETURNED][
                    n % 3
                ],
                programme=programme if n % 2 else None,
                co_trainers=peers[: n % 3],
            )

    def measure(url, who):
        log_in(client, who)
        with count_queries() as counter:
            response = client.get(url)
        assert response.status_code == 200
        return counter.count, len(page(response).select("[data-training-id]"))

    add(2)
    first = add_training(certificate)
    two = {
        "mine": measure("/cascade/mine", graduate),
        "cohorts": measure("/cascade/cohorts", facilitator),
        "show": measure(f"/cascade/{first.id}", facilitator),
        "edit": measure(f"/cascade/{first.id}/edit", graduate),
    }
    add(10)
    twelve = {
        "mine": measure("/cascade/mine", graduate),
        "cohorts": measure("/cascade/cohorts", facilitator),
        "show": measure(f"/cascade/{first.id}", facilitator),
        "edit": measure(f"/cascade/{first.id}/edit", graduate),
    }
    assert two["mine"][1] == 3
    assert twelve["mine"][1] == 13
    assert twelve["cohorts"][1] == 13
    for name in two:
        assert twelve[name][0] == two[name][0], name


# --- at the same instant -------------------------------------------------------------------------


def run_together(app, actions) -> dict:
    """Each action (a function of nothing, run in a request's own context and database
    session) in a thread of its own, released together; returns what happened, counted."""
    barrier = threading.Barrier(len(actions))
    guard = threading.Lock()
    outcome = {"done": 0, "refused": 0, "errors": []}

    def one(action) -> None:
        with app.app_context():
            try:
                prepared = action()
                barrier.wait(timeout=30)
                prepared()
                db.session.commit()
                key = "done"
            except DomainError:
                db.session.rollback()
                key = "refused"
            except Exception as error:  # anything else fails the test
                db.session.rollback()
                with guard:
                    outcome["errors"].append(repr(error))
                return
            finally:
                db.session.remove()
            with guard:
                outcome[key] += 1

    threads = [threading.Thread(target=one, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return outcome


def test_a_report_verified_by_several_reviewers_at_once_is_verified_once(
    app, facilitator, make_user, graduate, certificate
):
    training_id = add_training(certificate).id
    reviewer_ids = [facilitator.id] + [make_user(Role.STAFF).id for _ in range(5)]
    db.session.commit()

    def verify_as(reviewer_id):
        def prepare():
            training = services.load_training(training_id)
            reviewer = db.session.get(User, reviewer_id)
            return lambda: services.verify(training, reviewer)

        return prepare

    outcome = run_together(app, [verify_as(reviewer_id) for reviewer_id in reviewer_ids])

    assert outcome == {"done": 1, "refused": 5, "errors": []}
    assert len(notifications_of(graduate)) == 1
    assert fresh(training_id).status is ReportStatus.VERIFIED


def test_a_report_corrected_while_it_is_verified_is_either_verified_as_corrected_or_refused(
    app, facilitator, graduate, certificate, region
):
    training_id = add_training(certificate).id
    fields = {**training_form(certificate, region, settlement="Nookat")}
    fields.update(certificate_id=certificate.id, region_id=region.id, held_on=LAST_WEEK)
    for name in (*GENDERS, *AGES, "hours"):
        fields[name] = int(fields[name])
    graduate_id, facilitator_id = graduate.id, facilitator.id

    def correct():
        training = services.load_training(training_id)
        person = db.session.get(User, graduate_id)
        return lambda: services.update_training(training, person, **fields)

    def verify():
        training = services.load_training(training_id)
        reviewer = db.session.get(User, facilitator_id)
        return lambda: services.verify(training, reviewer)

    outcome = run_together(app, [correct, verify])

    assert outcome["errors"] == []
    saved = fresh(training_id)
    assert saved.status is ReportStatus.VERIFIED
    if outcome["refused"]:  # verified first: the correction came too late and changed nothing
        assert saved.settlement == "Uzgen"
    else:  # corrected first, then verified as corrected
        assert saved.settlement == "Nookat"
