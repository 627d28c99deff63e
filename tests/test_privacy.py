"""Personal data rights: a person downloads what the platform holds about them (and nothing of
anyone else); an administrator erases a person on request, confirmed twice; accounts deactivated
long ago are erased by `flask purge-inactive`."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from tests.conftest import PASSWORD, field_error, flashes, log_in, page
from tests.factories import (
    activity_of,
    add_cascade_training,
    add_responses,
    certify,
    enrol,
    make_form,
    make_past_session,
    make_scenario,
    make_survey,
)
from tot.accounts.models import Login, PrivacyAgreement, User
from tot.assessment.models import AssessmentRating, AssessmentStatement, Phase, SelfAssessment
from tot.audit.models import AuditAction, AuditEntry
from tot.cascade.models import CascadeTraining
from tot.certificates.models import Certificate
from tot.curriculum.models import ActivityKind
from tot.db_types import utcnow
from tot.enrolment.models import Attendance, Enrolment
from tot.extensions import db
from tot.feedback.models import FeedbackReceipt, FeedbackResponse
from tot.learning.models import (
    ActivityCompletion,
    CheckAttempt,
    ModuleCompletion,
    ProgrammeProgress,
    Reflection,
)
from tot.notifications.models import Notification, OutgoingEmail
from tot.notifications.services import send
from tot.permissions import Role
from tot.privacy.services import months_before
from tot.roleplay.models import RoleAssignment, RolePlayGroup, RolePlayRun
from tot.sessions.models import CalendarToken

# --- a person's whole record ---------------------------------------------------------------------


def give_a_record(person: User, session, words: str) -> None:
    """Something of `person` in every feature; what they wrote contains `words`."""
    programme = session.programme
    discussion = activity_of(programme, ActivityKind.DISCUSSION)
    check = activity_of(programme, ActivityKind.KNOWLEDGE_CHECK)
    enrol(session, person, present=[True, False])
    db.session.add_all(
        [
            PrivacyAgreement(user_id=person.id, notice_version="2026-11"),
            ProgrammeProgress(user_id=person.id, programme_id=programme.id),
            ModuleCompletion(user_id=person.id, module_id=programme.modules[0].id),
            ActivityCompletion(user_id=person.id, activity_id=discussion.id),
            Reflection(user_id=person.id, activity_id=discussion.id, text=f"I learnt {words}"),
            CheckAttempt(
                user_id=person.id, activity_id=check.id, answers={}, score=75, passed=True
            ),
            CalendarToken(user_id=person.id, token=f"feed-{person.id}-secret"),
            OutgoingEmail(
                recipient=person.email, subject=f"Email on {words}", body="Hello", language="en"
            ),
        ]
    )
    statement = AssessmentStatement(programme_id=programme.id, text="I can explain rights")
    assessment = SelfAssessment(user_id=person.id, programme_id=programme.id, phase=Phase.BEFORE)
    assessment.ratings.append(AssessmentRating(statement=statement, rating=2))
    db.session.add(assessment)
    run = RolePlayRun(session_id=session.id, scenario=make_scenario())
    group = RolePlayGroup(run=run, number=1)
    db.session.add(group)
    db.session.flush()
    db.session.add(RoleAssignment(run_id=run.id, group=group, user_id=person.id))
    send(person, "session.changed", link="/sessions/1", session=session.title)
    db.session.commit()
    certificate = certify(person, session)
    add_cascade_training(certificate, notes=f"Notes about {words}", women=7, men=2)


@pytest.fixture
def session(make_user, region):
    return make_past_session(region, make_user(Role.FACILITATOR), title="Paralegals, Osh")


@pytest.fixture
def survey(session):
    return make_survey(session, make_form())


def downloaded(client) -> dict:
    response = client.post("/my/data/download")
    assert response.status_code == 200
    return json.loads(response.get_data(as_text=True))


# --- downloading one's own data ------------------------------------------------------------------


def test_a_person_downloads_everything_held_about_them(client, login_as, make_user, session):
    person = login_as(Role.PARTICIPANT, full_name="Aigul Osmonova", email="aigul@example.org")
    give_a_record(person, session, "mediation")

    response = client.post("/my/data/download")

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="my-data-')
    assert "no-store" in response.headers["Cache-Control"]
    data = json.loads(response.get_data(as_text=True))
    assert data["profile"]["full_name"] == "Aigul Osmonova"
    assert data["profile"]["email"] == "aigul@example.org"
    assert data["profile"]["privacy_agreements"][0]["notice_version"] == "2026-11"
    assert data["profile"]["calendar_feed_since"] is not None
    (enrolment,) = data["enrolments"]
    assert enrolment["session"]["title"] == "Paralegals, Osh"
    assert [day["status"] for day in enrolment["attendance"]] == ["present", "absent"]
    learning = data["learning"]
    assert len(learning["programmes"]) == 1
    assert len(learning["modules_completed"]) == 1
    assert len(learning["activities_completed"]) == 1
    assert learning["knowledge_checks"][0]["score_percent"] == 75
    assert learning["reflections"][0]["text"] == "I learnt mediation"
    assert data["self_assessments"][0]["ratings"] == [
        {"statement": "I can explain rights", "rating": 2}
    ]
    assert data["role_plays"][0]["scenario"] == "Visit to a detention centre"
    assert data["certificates"][0]["holder_name"] == "Aigul Osmonova"
    assert data["cascade_reports"][0]["notes"] == "Notes about mediation"
    assert data["cascade_reports"][0]["people"]["women"] == 7
    assert "Paralegals, Osh" in data["notifications"][0]["message"]
    assert data["emails"][0]["subject"] == "Email on mediation"
    # The download itself is in the log, about them.
    assert data["audit_entries"] == []
    (entry,) = db.session.scalars(select(AuditEntry)).all()
    assert (entry.action, entry.actor_id, entry.subject_id) == (
        AuditAction.EXPORTED,
        person.id,
        person.id,
    )


def test_the_file_holds_nobody_elses_data(client, login_as, make_user, session):
    other = make_user(full_name="Zarina Karimova", email="zarina@example.org")
    give_a_record(other, session, "the secret of Zarina")
    person = login_as(Role.PARTICIPANT, full_name="Aigul Osmonova")
    give_a_record(person, session, "mediation")

    text = json.dumps(downloaded(client), ensure_ascii=False)

    assert "Zarina" not in text
    assert "zarina@example.org" not in text
    assert "Aigul Osmonova" in text
    assert text.count("I learnt") == 1


def test_anonymous_feedback_is_not_in_it_only_that_they_answered(client, login_as, session, survey):
    person = login_as(Role.PARTICIPANT)
    db.session.add(FeedbackReceipt(survey_id=survey.id, user_id=person.id))
    db.session.commit()
    add_responses(survey, 1, answers=lambda _n: [5, "Theory", "My own secret comment"])

    data = downloaded(client)

    assert data["feedback_given"] == [
        {"session": {"id": session.id, "title": session.title}, "answered": True}
    ]
    assert "My own secret comment" not in json.dumps(data, ensure_ascii=False)


def test_the_audit_entries_about_a_person_are_in_their_file(client, login_as, make_user):
    person = login_as(Role.FACILITATOR)
    admin = make_user(Role.ADMIN, full_name="Aida Admin")
    db.session.add(
        AuditEntry(
            action=AuditAction.ROLE_CHANGED,
            actor_id=admin.id,
            subject_id=person.id,
            target_id=person.id,
            before={"role": {"value": "participant", "labels": {"en": "Participant"}}},
            after={"role": {"value": "facilitator", "labels": {"en": "Facilitator"}}},
        )
    )
    db.session.commit()

    (entry,) = downloaded(client)["audit_entries"]

    assert entry["action"] == "role_changed"
    assert entry["by"] == "staff"
    assert (entry["before"], entry["after"]) == ({"role": "participant"}, {"role": "facilitator"})
    assert "Aida" not in json.dumps(entry)


@pytest.mark.parametrize("role", list(Role))
def test_everyone_signed_in_finds_the_download_on_their_profile(client, login_as, role):
    login_as(role)
    links = {a["href"] for a in page(client.get("/profile")).select("main a")}
    assert "/my/data" in links
    soup = page(client.get("/my/data"))
    assert soup.select_one('form[action="/my/data/download"][method="post"] button')


def test_visitors_are_sent_to_log_in_and_a_get_downloads_nothing(client, login_as):
    for response in (client.get("/my/data"), client.post("/my/data/download")):
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login")
    login_as(Role.PARTICIPANT)
    assert client.get("/my/data/download").status_code == 405
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0


# --- erasing on request --------------------------------------------------------------------------


def counts(person: User) -> dict[str, int]:
    """What the figures are made of."""
    db.session.expire_all()

    def count(model, *where) -> int:
        return db.session.scalar(select(func.count()).select_from(model).where(*where))

    return {
        "enrolments": count(Enrolment, Enrolment.user_id == person.id),
        "attendance": count(Attendance),
        "progress": count(ProgrammeProgress, ProgrammeProgress.user_id == person.id),
        "checks": count(CheckAttempt, CheckAttempt.user_id == person.id),
        "reflections": count(Reflection, Reflection.user_id == person.id),
        "assessments": count(SelfAssessment, SelfAssessment.user_id == person.id),
        "role plays": count(RoleAssignment, RoleAssignment.user_id == person.id),
        "certificates": count(Certificate, Certificate.user_id == person.id),
        "responses": count(FeedbackResponse),
        "people reached": db.session.scalar(
            select(func.sum(CascadeTraining.women + CascadeTraining.men))
        ),
    }


@pytest.fixture
def admin(login_as):
    return login_as(Role.ADMIN, full_name="Aida Admin")


@pytest.fixture
def person(make_user, session, survey):
    """A participant with a whole record, who answered the survey, logged in on a device."""
    person = make_user(
        full_name="Aigul Osmonova", email="aigul@example.org", phone="+996 555 123 456"
    )
    give_a_record(person, session, "mediation")
    db.session.add(FeedbackReceipt(survey_id=survey.id, user_id=person.id))
    db.session.commit()
    add_responses(survey, 1, answers=lambda _n: [5, "Theory", "Anonymous words"])
    return person


def erase(client, person, typed):
    return client.post(f"/admin/users/{person.id}/erase", data={"email": typed})


def test_an_administrator_confirms_twice_before_erasing(client, admin, person):
    user_page = page(client.get(f"/admin/users/{person.id}"))
    assert user_page.select_one(f'a[href="/admin/users/{person.id}/erase"]')

    confirmation = client.get(f"/admin/users/{person.id}/erase")
    assert confirmation.status_code == 200
    soup = page(confirmation)
    assert "aigul@example.org" in soup.select_one("main").get_text()
    assert soup.select_one("form[method=post] input[name=email]")

    for typed in ("", "someone@example.org"):
        response = erase(client, person, typed)
        assert response.status_code == 200
        assert (
            field_error(page(response), "email") == "Type the email address exactly as shown above."
        )
    db.session.expire_all()
    assert db.session.get(User, person.id).full_name == "Aigul Osmonova"
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0


def test_erasing_removes_what_identifies_the_person_and_keeps_the_figures(
    client, admin, person, app
):
    db.session.add(
        OutgoingEmail(recipient="zarina@example.org", subject="-", body="-", language="en")
    )
    before = counts(person)
    db.session.add(Login(user_id=person.id, secret_digest="d" * 64, session_version=1))
    db.session.commit()

    response = erase(client, person, "  AIGUL@example.org ")

    assert response.status_code == 302
    assert response.headers["Location"] == f"/admin/users/{person.id}"
    db.session.expire_all()
    erased = db.session.get(User, person.id)
    assert erased.full_name == f"Erased person #{person.id}"
    assert erased.email == f"erased-{person.id}@erased.invalid"
    assert erased.password_hash is None
    assert erased.phone is None
    assert not erased.active
    assert erased.deactivated_at is not None
    # Who they were in the figures stays.
    assert (erased.role, erased.region_id, erased.gender) == (
        Role.PARTICIPANT,
        person.region_id,
        person.gender,
    )
    assert counts(person) == before
    # What they wrote is gone.
    assert db.session.scalar(select(Reflection.text).filter_by(user_id=person.id)) == ""
    training = db.session.scalar(select(CascadeTraining).filter_by(graduate_id=person.id))
    assert (training.notes, training.women, training.men) == ("", 7, 2)
    certificate = db.session.scalar(select(Certificate).filter_by(user_id=person.id))
    assert certificate.holder_name == f"Erased person #{person.id}"
    assert certificate.is_revoked
    assert certificate.revoke_reason == "Erased on request"
    # What was theirs alone is deleted.
    for model in (Notification, CalendarToken, Login):
        mine = select(func.count()).select_from(model).where(model.user_id == person.id)
        assert db.session.scalar(mine) == 0
    assert db.session.scalars(select(OutgoingEmail.recipient)).all() == ["zarina@example.org"]
    # And it is recorded.
    erasure = db.session.scalar(select(AuditEntry).filter_by(action=AuditAction.ACCOUNT_ERASED))
    assert (erasure.actor_id, erasure.subject_id) == (admin.id, person.id)
    assert (erasure.before, erasure.after) == ({"active": True}, {"active": False, "erased": True})
    assert "Aigul" not in json.dumps([e.after for e in db.session.scalars(select(AuditEntry))])
    user_page = page(client.get(f"/admin/users/{person.id}"))
    assert "Personal data erased" in user_page.select_one("dl.details").get_text()
    assert not user_page.select_one(f'a[href="/admin/users/{person.id}/erase"]')


def test_an_erased_person_cannot_log_in_again(client, app, admin, person):
    own = app.test_client()
    log_in(own, person)
    assert own.get("/profile").status_code == 200

    erase(client, person, "aigul@example.org")

    assert own.get("/profile").status_code == 302
    visitor = app.test_client()
    for email in ("aigul@example.org", f"erased-{person.id}@erased.invalid"):
        visitor.post("/login", data={"email": email, "password": PASSWORD})
        assert visitor.get("/profile").status_code == 302
    response = client.post(f"/admin/users/{person.id}/reactivate", follow_redirects=True)
    assert "stays closed" in " ".join(flashes(page(response)))
    db.session.expire_all()
    assert not db.session.get(User, person.id).active


def test_an_erasure_happens_once_and_never_to_oneself(client, admin, person):
    erase(client, person, "aigul@example.org")
    response = client.get(f"/admin/users/{person.id}/erase", follow_redirects=True)
    assert "already erased" in " ".join(flashes(page(response)))
    erased_email = f"erased-{person.id}@erased.invalid"
    assert erase(client, person, erased_email).status_code == 302
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .filter_by(action=AuditAction.ACCOUNT_ERASED)
        )
        == 1
    )

    response = erase(client, admin, admin.email)
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, admin.id).full_name == "Aida Admin"


@pytest.mark.parametrize("role", [Role.STAFF, Role.FACILITATOR, Role.PARTICIPANT])
def test_only_administrators_erase(client, login_as, person, role):
    login_as(role)
    assert client.get(f"/admin/users/{person.id}/erase").status_code == 403
    assert erase(client, person, "aigul@example.org").status_code == 403
    db.session.expire_all()
    assert db.session.get(User, person.id).full_name == "Aigul Osmonova"


def test_a_visitor_is_sent_to_log_in_and_an_unknown_person_is_not_found(client, login_as, person):
    response = erase(client, person, "aigul@example.org")
    assert response.headers["Location"].startswith("/login")
    login_as(Role.ADMIN)
    assert client.get("/admin/users/999999/erase").status_code == 404


# --- retention -----------------------------------------------------------------------------------


def purge(app, *args):
    return app.test_cli_runner().invoke(args=["purge-inactive", *args])


def deactivated(make_user, days_ago: int, **fields) -> User:
    user = make_user(**fields)
    user.active = False
    user.deactivated_at = utcnow() - timedelta(days=days_ago)
    db.session.commit()
    return user


def test_purge_erases_only_accounts_deactivated_longer_than_the_months_given(app, make_user):
    old = deactivated(make_user, 400, full_name="Long Gone")
    recent = deactivated(make_user, 300, full_name="Recently Left")
    active = make_user(full_name="Still Here")

    result = purge(app, "--months", "12")

    assert result.exit_code == 0, result.output
    assert "Erased 1 accounts" in result.output
    db.session.expire_all()
    assert db.session.get(User, old.id).full_name == f"Erased person #{old.id}"
    assert db.session.get(User, recent.id).full_name == "Recently Left"
    assert db.session.get(User, active.id).full_name == "Still Here"
    (erasure,) = db.session.scalars(select(AuditEntry)).all()
    assert (erasure.action, erasure.actor_id, erasure.subject_id) == (
        AuditAction.ACCOUNT_ERASED,
        None,
        old.id,
    )
    assert erasure.before == {"active": False}

    again = purge(app, "--months", "12")
    assert "Erased 0 accounts" in again.output
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 1


def test_purge_needs_a_number_of_months(app, make_user):
    person = deactivated(make_user, 4000)
    for args in ((), ("--months", "0"), ("--months", "soon")):
        assert purge(app, *args).exit_code != 0
    db.session.expire_all()
    assert db.session.get(User, person.id).full_name.startswith("Person ")


def test_months_are_calendar_months():
    moment = datetime(2027, 3, 31, 10, 0, tzinfo=UTC)
    assert months_before(moment, 1) == datetime(2027, 2, 28, 10, 0, tzinfo=UTC)
    assert months_before(moment, 13) == datetime(2026, 2, 28, 10, 0, tzinfo=UTC)
    assert months_before(moment, 25) == datetime(2025, 2, 28, 10, 0, tzinfo=UTC)
    assert months_before(datetime(2028, 3, 30, tzinfo=UTC), 1) == datetime(2028, 2, 29, tzinfo=UTC)
