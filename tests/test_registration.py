import pytest
from sqlalchemy import func, select

from tests.conftest import field_error, flashes, page
from tot.accounts.hooks import ALREADY_REGISTERED, CHOOSE_PASSWORD, email_person
from tot.accounts.models import AgeGroup, Gender, PrivacyAgreement, User
from tot.extensions import db
from tot.i18n import Language
from tot.permissions import Role

SENT = (
    "Thank you. We have sent a message to %s: follow the link in it to go on. "
    "If it does not arrive, check the address and your spam folder."
)


def user_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


@pytest.fixture
def good_form(region):
    return {
        "full_name": "Nurgul Sadykova",
        "email": "Nurgul.Sadykova@Example.org",
        "password": "a long enough pass",
        "confirm_password": "a long enough pass",
        "region": str(region.id),
        "gender": "woman",
        "age_group": "25-34",
        "language": "ru",
        "phone": "+996 555 123 456",
        "agree_privacy": "y",
    }


def test_registration_form_offers_every_question(client):
    soup = page(client.get("/register"))
    for field in ("full_name", "email", "password", "region", "language", "phone", "agree_privacy"):
        assert soup.select_one(f"#{field}") is not None, field
    genders = {i["value"] for i in soup.select("input[name=gender]")}
    assert genders == {"woman", "man", "another", "undisclosed"}
    ages = {i["value"] for i in soup.select("input[name=age_group]")}
    assert ages == {"18-24", "25-34", "35-44", "45-54", "55+"}
    languages = [o.get_text() for o in soup.select("#language option")]
    assert languages == ["English", "Русский", "Кыргызча", "Тоҷикӣ"]
    groups = {
        g["label"]: [o.get_text() for o in g.select("option")]
        for g in soup.select("#region optgroup")
    }
    assert "Osh Region" in groups["Kyrgyzstan"]
    assert "Dushanbe city" in groups["Tajikistan"]


def test_registration_creates_a_participant_and_records_consent(app, client, good_form, region):
    response = client.post("/register", data=good_form)
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard/"

    user = db.session.scalar(select(User).where(User.email == "nurgul.sadykova@example.org"))
    assert user is not None
    assert user.role is Role.PARTICIPANT
    assert user.full_name == "Nurgul Sadykova"
    assert user.region_id == region.id
    assert user.gender is Gender.WOMAN
    assert user.age_group is AgeGroup.AGE_25_34
    assert user.language is Language.RUSSIAN
    assert user.phone == "+996 555 123 456"
    assert user.check_password("a long enough pass")
    assert user.password_hash != "a long enough pass"

    agreement = db.session.scalar(
        select(PrivacyAgreement).where(PrivacyAgreement.user_id == user.id)
    )
    assert agreement.notice_version == app.config["PRIVACY_NOTICE_VERSION"]
    assert agreement.agreed_at is not None

    # Registered and signed in: the participant's dashboard opens.
    dashboard = client.get("/dashboard/participant")
    assert dashboard.status_code == 200
    assert "Nurgul Sadykova" in page(dashboard).main.get_text()


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("full_name", "", "Enter your name."),
        ("email", "", "Enter your email address."),
        ("email", "not-an-email", "Enter a valid email address"),
        ("password", "short", "Use at least 10 characters."),
        ("confirm_password", "something else entirely", "The two passwords are not the same."),
        ("region", "", "Choose your region."),
        ("region", "999999", "Not a valid choice"),
        ("gender", None, "Choose one of the answers"),
        ("gender", "robot", "Choose one of the answers"),
        ("age_group", None, "Choose your age group."),
        ("age_group", "12-17", "Choose your age group."),
        ("language", "fr", "Not a valid choice"),
        ("phone", "call me maybe", "Enter a phone number of digits"),
        ("agree_privacy", None, "You need to agree to the privacy notice to register."),
    ],
)
def test_each_bad_field_gets_a_message_beside_it_and_nothing_is_created(
    client, good_form, field, value, expected
):
    if value is None:
        good_form.pop(field)
    else:
        good_form[field] = value
    if field == "password":
        good_form["confirm_password"] = value
    before = user_count()

    response = client.post("/register", data=good_form)

    assert response.status_code == 200
    soup = page(response)
    assert expected in field_error(soup, field)
    assert soup.select_one(f"#{field}-error") is not None
    assert soup.select_one(".error-summary") is not None
    assert user_count() == before
    # The other answers are kept, so the person need not type them again.
    if field != "full_name":
        assert soup.select_one("#full_name")["value"] == "Nurgul Sadykova"


def test_an_email_already_used_in_another_letter_case_is_refused(client, good_form, make_user):
    make_user(email="nurgul.sadykova@example.org")
    before = user_count()

    response = client.post("/register", data={**good_form, "email": "NURGUL.Sadykova@EXAMPLE.ORG"})

    assert response.status_code == 200
    assert "already exists" in field_error(page(response), "email")
    assert user_count() == before


def test_a_signed_in_person_is_sent_to_their_dashboard(client, login_as):
    login_as(Role.PARTICIPANT)
    response = client.get("/register")
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard/"


def test_a_name_with_nul_characters_is_kept_without_them(client, good_form):
    """PostgreSQL cannot store a NUL character: the form takes it out, once, for every field."""
    response = client.post(
        "/register", data={**good_form, "full_name": "Nurgul\x00 Sadykova", "phone": "\x00"}
    )
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "nurgul.sadykova@example.org"))
    assert user.full_name == "Nurgul Sadykova"
    assert user.phone is None


def test_an_email_with_a_nul_character_gets_a_message_not_an_error(client, good_form):
    response = client.post("/register", data={**good_form, "email": "\x00"})
    assert response.status_code == 200
    assert "Enter your email address." in field_error(page(response), "email")


# --- registrations are throttled per address -----------------------------------------------------


def client_at(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_registrations_are_limited_per_address(app, good_form):
    app.config["REGISTRATION_LIMIT"] = "2 per minute"
    crowded = client_at(app, "10.0.0.1")
    for number in range(2):
        response = crowded.post("/register", data={**good_form, "email": f"p{number}@example.org"})
        assert response.status_code == 302
        crowded.post("/logout")
    before = user_count()

    response = crowded.post("/register", data={**good_form, "email": "p2@example.org"})

    assert response.status_code == 429
    assert "Too many attempts" in page(response).h1.get_text()
    assert user_count() == before
    elsewhere = client_at(app, "10.0.0.2")
    assert (
        elsewhere.post("/register", data={**good_form, "email": "p3@example.org"}).status_code
        == 302
    )


def test_a_taken_email_counts_towards_the_limit(app, good_form, make_user):
    """Each answer about a taken address is counted, so addresses cannot be tried by the hundred."""
    app.config["REGISTRATION_LIMIT"] = "2 per minute"
    make_user(email="nurgul.sadykova@example.org")
    client = client_at(app, "10.0.0.1")
    for _ in range(2):
        response = client.post("/register", data=good_form)
        assert "already exists" in field_error(page(response), "email")
    assert client.post("/register", data=good_form).status_code == 429


def test_a_form_with_mistakes_does_not_count(app, good_form):
    app.config["REGISTRATION_LIMIT"] = "1 per minute"
    client = client_at(app, "10.0.0.1")
    for _ in range(3):
        assert client.post("/register", data={**good_form, "email": ""}).status_code == 200
    assert client.post("/register", data=good_form).status_code == 302


def test_looking_at_the_form_does_not_count(app):
    app.config["REGISTRATION_LIMIT"] = "1 per minute"
    client = client_at(app, "10.0.0.1")
    for _ in range(3):
        assert client.get("/register").status_code == 200


# --- where email reaches people, the answer never says whether the address has an account --------


@pytest.fixture
def emails(app):
    """Email is configured; the emails the accounts feature asks to send, as (address, kind,
    link)."""
    sent: list[tuple[str, str, str]] = []

    def capture(_sender=None, *, user, kind, link):
        sent.append((user.email, kind, link))

    app.config["SMTP_HOST"] = "127.0.0.1"
    email_person.connect(capture, weak=False)
    yield sent
    email_person.disconnect(capture)


def answer(response) -> tuple:
    """What the person registering is told: where they are sent, and the message there."""
    return response.status_code, response.headers.get("Location")


def test_with_email_the_form_asks_no_password(client, emails):
    soup = page(client.get("/register"))
    assert soup.select_one("#password") is None
    assert soup.select_one("#confirm_password") is None
    assert "email you a link to choose your password" in soup.main.get_text()


def test_with_email_a_new_address_gets_a_link_to_choose_a_password(
    app, client, good_form, emails, region
):
    del good_form["password"], good_form["confirm_password"]

    response = client.post("/register", data=good_form)

    assert answer(response) == (302, "/")
    assert flashes(page(client.get("/"))) == [SENT % "nurgul.sadykova@example.org"]
    user = db.session.scalar(select(User).where(User.email == "nurgul.sadykova@example.org"))
    assert user.full_name == "Nurgul Sadykova"
    assert user.region_id == region.id
    assert not user.has_password
    assert db.session.scalar(select(PrivacyAgreement).filter_by(user_id=user.id)) is not None
    assert client.get("/dashboard/").headers["Location"].startswith("/login")  # not signed in

    [(address, kind, link)] = emails
    assert (address, kind) == ("nurgul.sadykova@example.org", CHOOSE_PASSWORD)
    assert link.startswith("/set-password/")
    new_password = {"password": "my own password", "confirm_password": "my own password"}
    assert client.post(link, data=new_password).status_code == 302
    login = {"email": "nurgul.sadykova@example.org", "password": "my own password"}
    assert client.post("/login", data=login).status_code == 302


def test_with_email_a_taken_address_gets_the_same_answer_and_its_owner_is_told(
    app, good_form, emails, make_user
):
    owner = make_user(email="aida@example.org", full_name="Aida Owner")
    del good_form["password"], good_form["confirm_password"]
    new = app.test_client().post("/register", data={**good_form, "email": "new@example.org"})
    taken_client = app.test_client()
    before = user_count()

    taken = taken_client.post("/register", data={**good_form, "email": "AIDA@example.org"})

    assert answer(taken) == answer(new)
    assert flashes(page(taken_client.get("/"))) == [SENT % "aida@example.org"]
    assert user_count() == before
    db.session.refresh(owner)
    assert owner.full_name == "Aida Owner"
    assert owner.has_password
    assert emails[-1] == ("aida@example.org", ALREADY_REGISTERED, "/login")


def test_with_email_an_account_still_without_a_password_gets_a_fresh_link(
    app, client, good_form, emails, make_user
):
    make_user(email="aida@example.org", password_hash=None)  # made by staff, never finished
    del good_form["password"], good_form["confirm_password"]

    response = client.post("/register", data={**good_form, "email": "aida@example.org"})

    assert answer(response) == (302, "/")
    [(address, kind, link)] = emails
    assert (address, kind) == ("aida@example.org", CHOOSE_PASSWORD)
    assert client.get(link).status_code == 200


def test_with_email_a_deactivated_account_is_told_nothing(
    app, client, good_form, emails, make_user
):
    gone = make_user(email="aida@example.org")
    gone.deactivate()
    db.session.commit()
    del good_form["password"], good_form["confirm_password"]

    response = client.post("/register", data={**good_form, "email": "aida@example.org"})

    assert answer(response) == (302, "/")
    assert emails == []


def test_with_email_a_retired_region_is_still_refused_beside_its_field(
    client, good_form, emails, make_region
):
    retired = make_region(retired=True)
    del good_form["password"], good_form["confirm_password"]
    before = user_count()

    response = client.post("/register", data={**good_form, "region": str(retired.id)})

    assert response.status_code == 200
    assert field_error(page(response), "region")
    assert user_count() == before
    assert emails == []


def test_without_anyone_to_send_email_registration_stays_as_it_was(
    app, client, good_form, monkeypatch
):
    """An SMTP server but no feature answering the email hook: the password is asked here."""
    app.config["SMTP_HOST"] = "127.0.0.1"
    monkeypatch.setattr(email_person, "receivers", {})
    assert page(client.get("/register")).select_one("#password") is not None
    assert client.post("/register", data=good_form).headers["Location"] == "/dashboard/"
