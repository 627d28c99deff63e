from tests.conftest import PASSWORD, field_error, flashes, log_in, page
from tot.accounts.models import Gender
from tot.extensions import db
from tot.i18n import Language
from tot.permissions import Role


def profile_form(user, **changes):
    data = {
        "full_name": user.full_name,
        "email": user.email,
        "region": str(user.region_id),
        "gender": user.gender.value,
        "age_group": user.age_group.value,
        "language": user.language.value,
        "phone": user.phone or "",
    }
    data.update(changes)
    return data


def test_a_participant_edits_their_profile(client, login_as):
    user = login_as(Role.PARTICIPANT)
    response = client.post(
        "/profile",
        data=profile_form(user, full_name="Aigerim Usenova", gender="undisclosed", language="ky"),
    )
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.full_name == "Aigerim Usenova"
    assert user.gender is Gender.UNDISCLOSED
    assert user.language is Language.KYRGYZ
    assert client.get_cookie("lang").value == "ky"
    assert page(client.get("/profile")).html["lang"] == "ky"


def test_the_profile_form_shows_the_current_answers(client, login_as):
    user = login_as(Role.PARTICIPANT, phone="+992 900 111 222")
    soup = page(client.get("/profile"))
    assert soup.select_one("#full_name")["value"] == user.full_name
    assert soup.select_one("#region option[selected]")["value"] == str(user.region_id)
    assert soup.select_one("input[name=gender][checked]")["value"] == "woman"
    assert soup.select_one("#phone")["value"] == "+992 900 111 222"


def test_an_email_used_by_someone_else_is_refused(client, login_as, make_user):
    make_user(email="taken@example.org")
    user = login_as(Role.PARTICIPANT)
    old_email = user.email
    response = client.post("/profile", data=profile_form(user, email="Taken@example.org"))
    assert response.status_code == 200
    assert "already exists" in field_error(page(response), "email")
    db.session.refresh(user)
    assert user.email == old_email


def test_staff_profile_has_no_participant_questions(client, login_as):
    user = login_as(Role.STAFF)
    soup = page(client.get("/profile"))
    assert soup.select_one("#region") is None
    assert soup.select_one("input[name=gender]") is None
    response = client.post(
        "/profile", data={"full_name": "New Name", "email": user.email, "language": "ru"}
    )
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.full_name == "New Name"
    assert user.language is Language.RUSSIAN


def test_changing_the_password_needs_the_current_one(client, login_as):
    user = login_as(Role.PARTICIPANT)
    response = client.post(
        "/profile/password",
        data={
            "current_password": "not my password",
            "password": "a brand new password",
            "confirm_password": "a brand new password",
        },
    )
    assert response.status_code == 200
    assert "not correct" in field_error(page(response), "current_password")
    db.session.refresh(user)
    assert user.check_password(PASSWORD)


def test_changing_the_password_logs_out_other_devices(app, client, login_as):
    user = login_as(Role.PARTICIPANT)
    other_device = app.test_client()
    log_in(other_device, user)
    assert other_device.get("/profile").status_code == 200

    response = client.post(
        "/profile/password",
        data={
            "current_password": PASSWORD,
            "password": "a brand new password",
            "confirm_password": "a brand new password",
        },
    )
    assert response.status_code == 302
    assert "Your password is changed" in " ".join(flashes(page(client.get("/profile"))))
    db.session.refresh(user)
    assert user.check_password("a brand new password")
    assert not user.check_password(PASSWORD)
    assert other_device.get("/profile").status_code == 302  # sent to log in again


def test_a_short_new_password_is_refused(client, login_as):
    user = login_as(Role.PARTICIPANT)
    response = client.post(
        "/profile/password",
        data={"current_password": PASSWORD, "password": "short", "confirm_password": "short"},
    )
    assert "at least 10" in field_error(page(response), "password")
    db.session.refresh(user)
    assert user.check_password(PASSWORD)


def test_profile_pages_need_a_login(client):
    for url in ("/profile", "/profile/password"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login")
