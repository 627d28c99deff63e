import pytest
from sqlalchemy import func, select

from tests.conftest import field_error, page
from tot.accounts.models import AgeGroup, Gender, PrivacyAgreement, User
from tot.extensions import db
from tot.i18n import Language
from tot.permissions import Role


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
