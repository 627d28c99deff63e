"""Account administration by an administrator: find, create, change role, deactivate, reset."""

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import PASSWORD, field_error, flashes, log_in, page
from tot.accounts import services as accounts
from tot.accounts.models import User
from tot.errors import DomainError
from tot.extensions import db
from tot.permissions import Role

NEW_PASSWORD = "a brand new passphrase"
LOGIN_FAILED = "The email or password is not correct, or the account is not active."


# --- helpers -------------------------------------------------------------------------------------


def fresh(user: User) -> User | None:
    """The user as the database has it now."""
    db.session.expire_all()
    return db.session.get(User, user.id)


def user_count() -> int:
    db.session.expire_all()
    return db.session.scalar(db.select(db.func.count()).select_from(User))


def rows(soup) -> list[list[str]]:
    return [
        [cell.get_text(" ", strip=True) for cell in row.select("td")]
        for row in soup.select("table tbody tr")
    ]


def listed_names(soup) -> list[str]:
    return [cells[0] for cells in rows(soup)]


def set_password_link(soup) -> str:
    """The path of the one-time set-password link shown on a person's page."""
    field = soup.select_one("input.copy-field")
    assert field is not None, "no set-password link on the page"
    parts = urlsplit(field["value"])
    assert parts.path.startswith("/set-password/")
    return parts.path


def details(soup) -> dict[str, str]:
    """The facts listed on a person's page, by label."""
    terms = [dt.get_text(" ", strip=True) for dt in soup.select("dl.details dt")]
    values = [dd.get_text(" ", strip=True) for dd in soup.select("dl.details dd")]
    return dict(zip(terms, values, strict=True))


def pending_flashes(client) -> list[tuple[str, str]]:
    """The (category, message) pairs waiting for the client's next page."""
    with client.session_transaction() as session:
        return [tuple(pair) for pair in session.get("_flashes", [])]


def post_login(client, email: str, password: str):
    return client.post("/login", data={"email": email, "password": password})


def is_signed_in(client) -> bool:
    response = client.get("/dashboard/")
    assert response.status_code == 302
    return urlsplit(response.headers["Location"]).path != "/login"


@pytest.fixture
def admin(login_as) -> User:
    return login_as(Role.ADMIN, full_name="Ada Admin")


@pytest.fixture
def visitor(app):
    """A second, separate browser."""
    return app.test_client()


# --- the account list ----------------------------------------------------------------------------


def test_search_by_part_of_a_name(client, admin, make_user):
    make_user(full_name="Aigerim Toktogulova")
    make_user(full_name="Bakyt Osmonov")
    make_user(Role.FACILITATOR, full_name="Jyldyz Toktosunova")

    response = client.get("/admin/users", query_string={"q": "tokto"})

    assert response.status_code == 200
    soup = page(response)
    assert sorted(listed_names(soup)) == ["Aigerim Toktogulova", "Jyldyz Toktosunova"]
    assert soup.select_one("input[name=q]")["value"] == "tokto"


def test_search_by_email_in_another_letter_case(client, admin, make_user):
    make_user(full_name="Nurlan Kadyrov", email="nurlan.k@example.org")
    make_user(full_name="Someone Else", email="someone@example.org")

    response = client.get("/admin/users", query_string={"q": "NURLAN.K@Example.ORG"})

    soup = page(response)
    assert listed_names(soup) == ["Nurlan Kadyrov"]
    assert rows(soup)[0][1] == "nurlan.k@example.org"


def test_filter_by_role(client, admin, make_user):
    make_user(Role.FACILITATOR, full_name="Farida Facilitator")
    make_user(Role.FACILITATOR, full_name="Fuad Facilitator")
    make_user(Role.STAFF, full_name="Sara Staff")
    make_user(Role.PARTICIPANT, full_name="Pavel Participant")

    response = client.get("/admin/users", query_string={"role": "facilitator"})

    soup = page(response)
    assert sorted(listed_names(soup)) == ["Farida Facilitator", "Fuad Facilitator"]
    assert {cells[2] for cells in rows(soup)} == {"Facilitator"}
    assert soup.select_one("select#role option[selected]")["value"] == "facilitator"


def test_search_and_role_filter_together(client, admin, make_user):
    make_user(Role.FACILITATOR, full_name="Aida Facilitator")
    make_user(Role.PARTICIPANT, full_name="Aida Participant")

    response = client.get("/admin/users", query_string={"q": "aida", "role": "participant"})

    assert listed_names(page(response)) == ["Aida Participant"]


def test_the_list_is_paginated(client, admin, make_user):
    for number in range(30):
        make_user(full_name=f"Listed Person {number:02d}")  # with the admin: 31 accounts

    first = page(client.get("/admin/users"))
    second = page(client.get("/admin/users", query_string={"page": 2}))

    assert len(rows(first)) == 25
    assert len(rows(second)) == 6
    assert set(listed_names(first)).isdisjoint(listed_names(second))
    everyone = set(listed_names(first)) | set(listed_names(second))
    assert everyone == {"Ada Admin"} | {f"Listed Person {n:02d}" for n in range(30)}
    assert "31 accounts" in first.get_text(" ", strip=True)

    next_link = first.select_one(".pager a[rel=next]")
    assert next_link is not None
    assert first.select_one(".pager a[rel=prev]") is None
    assert parse_qs(urlsplit(next_link["href"]).query)["page"] == ["2"]
    previous_link = second.select_one(".pager a[rel=prev]")
    assert previous_link is not None
    assert second.select_one(".pager a[rel=next]") is None
    assert parse_qs(urlsplit(previous_link["href"]).query)["page"] == ["1"]


def test_the_pager_keeps_the_filters(client, admin, make_user):
    for number in range(27):
        make_user(Role.FACILITATOR, full_name=f"Trainer {number:02d}")
    make_user(Role.PARTICIPANT, full_name="Trainer Participant")

    soup = page(client.get("/admin/users", query_string={"q": "trainer", "role": "facilitator"}))

    assert len(rows(soup)) == 25
    query = parse_qs(urlsplit(soup.select_one(".pager a[rel=next]")["href"]).query)
    assert query["q"] == ["trainer"]
    assert query["role"] == ["facilitator"]
    second = page(client.get(soup.select_one(".pager a[rel=next]")["href"]))
    assert len(rows(second)) == 2


def test_a_short_list_has_no_pager(client, admin, make_user):
    make_user()

    soup = page(client.get("/admin/users"))

    assert len(rows(soup)) == 2
    assert soup.select_one(".pager") is None


def test_search_wildcards_are_taken_literally(client, admin, make_user):
    make_user(full_name="Aibek 100% Sure")
    make_user(full_name="Other Person")
    names = listed_names(page(client.get("/admin/users", query_string={"q": "%"})))
    assert names == ["Aibek 100% Sure"]


def test_search_ignores_letter_case_in_cyrillic_too(client, admin, make_user):
    make_user(full_name="АЙГЕРИМ Усенова")
    make_user(full_name="Other Person")
    names = listed_names(page(client.get("/admin/users", query_string={"q": "айгерим"})))
    assert names == ["АЙГЕРИМ Усенова"]


def test_a_search_without_match_says_so(client, admin, make_user):
    make_user(full_name="Aigerim Toktogulova")

    soup = page(client.get("/admin/users", query_string={"q": "zzz-nobody"}))

    assert rows(soup) == [["No account matches."]]
    assert soup.select_one("table tbody a") is None


# --- creating accounts ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.STAFF, Role.FACILITATOR])
def test_create_an_account_and_its_owner_sets_a_password(client, admin, visitor, region, role):
    response = client.post(
        "/admin/users/new",
        data={
            "full_name": "  Gulnara Asanova ",
            "email": "Gulnara.Asanova@Example.ORG",
            "role": role.value,
            "region": str(region.id),
        },
    )

    db.session.expire_all()
    person = db.session.execute(
        db.select(User).filter_by(email="gulnara.asanova@example.org")
    ).scalar_one()
    assert person.full_name == "Gulnara Asanova"
    assert person.role is role
    assert person.region_id == region.id
    assert person.password_hash is None
    assert person.active is True

    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == f"/admin/users/{person.id}"

    soup = page(client.get(f"/admin/users/{person.id}"))
    assert soup.h1.get_text(strip=True) == "Gulnara Asanova"
    assert flashes(soup) == [
        "The account is created. Send its owner the link below to choose a password."
    ]
    facts = details(soup)
    assert facts["Email"] == "gulnara.asanova@example.org"
    assert facts["Role"] == role.label
    assert facts["Password"] == "Not chosen yet"
    link = set_password_link(soup)

    # The owner follows the link, in their own browser.
    assert visitor.get(link).status_code == 200
    response = visitor.post(link, data={"password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/login"
    assert fresh(person).check_password(NEW_PASSWORD)

    response = post_login(visitor, "gulnara.asanova@example.org", NEW_PASSWORD)
    assert response.status_code == 302
    assert is_signed_in(visitor)

    # The link works once.
    again = visitor.get(link)
    assert again.status_code == 404
    assert "no longer works" in page(again).h1.get_text()
    anonymous = visitor.application.test_client()
    assert anonymous.get(link).status_code == 404
    response = anonymous.post(
        link, data={"password": "another passphrase", "confirm_password": "another passphrase"}
    )
    assert response.status_code == 404
    assert fresh(person).check_password(NEW_PASSWORD)


def test_create_without_a_region(client, admin):
    response = client.post(
        "/admin/users/new",
        data={"full_name": "No Region", "email": "no.region@example.org", "role": "staff"},
    )

    assert response.status_code == 302
    db.session.expire_all()
    person = db.session.execute(
        db.select(User).filter_by(email="no.region@example.org")
    ).scalar_one()
    assert person.region is None
    assert person.role is Role.STAFF


def test_the_create_form_is_offered(client, admin):
    soup = page(client.get("/admin/users/new"))

    assert soup.select_one("input#full_name") is not None
    assert soup.select_one("input#email") is not None
    roles_offered = {option["value"] for option in soup.select("select#role option")}
    assert roles_offered == {"admin", "staff", "facilitator", "participant"}


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"full_name": ""}, "full_name", "Enter a name."),
        ({"full_name": "   "}, "full_name", "Enter a name."),
        ({"email": ""}, "email", "Enter your email address."),
        ({"email": "not-an-email"}, "email", "Enter a valid email address"),
        ({"email": "person@"}, "email", "Enter a valid email address"),
        ({"email": "TAKEN@Example.org"}, "email", "already exists"),
    ],
)
def test_create_refuses_bad_input(client, admin, make_user, fields, field, message):
    make_user(email="taken@example.org")
    before = user_count()
    data = {"full_name": "Valid Name", "email": "valid@example.org", "role": "facilitator"}
    data.update(fields)

    response = client.post("/admin/users/new", data=data)

    assert response.status_code == 200
    soup = page(response)
    assert message in field_error(soup, field)
    assert user_count() == before
    assert db.session.execute(db.select(User).filter_by(email="valid@example.org")).first() is None


def test_create_refuses_an_unknown_role(client, admin):
    before = user_count()

    response = client.post(
        "/admin/users/new",
        data={"full_name": "Valid Name", "email": "valid@example.org", "role": "superuser"},
    )

    assert response.status_code == 200
    assert field_error(page(response), "role")
    assert user_count() == before


def test_create_refuses_a_retired_region(client, admin, make_region):
    retired = make_region(retired=True)
    before = user_count()

    response = client.post(
        "/admin/users/new",
        data={
            "full_name": "Valid Name",
            "email": "valid@example.org",
            "role": "facilitator",
            "region": str(retired.id),
        },
    )

    assert response.status_code == 200
    assert field_error(page(response), "region")
    assert user_count() == before


# --- roles ---------------------------------------------------------------------------------------


def test_change_a_role(client, admin, make_user):
    person = make_user(Role.FACILITATOR)

    response = client.post(f"/admin/users/{person.id}/role", data={"role": "staff"})

    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == f"/admin/users/{person.id}"
    assert fresh(person).role is Role.STAFF
    assert pending_flashes(client) == [("success", f"{person.full_name} is now: Staff.")]


def test_change_role_refuses_an_unknown_role(client, admin, make_user):
    person = make_user(Role.FACILITATOR)

    client.post(f"/admin/users/{person.id}/role", data={"role": "emperor"})

    assert fresh(person).role is Role.FACILITATOR
    assert pending_flashes(client) == [("error", "Choose one of the roles offered.")]


def test_an_admin_cannot_change_their_own_role(client, admin, make_user):
    make_user(Role.ADMIN)  # another administrator: the last-admin rule is not what refuses
    own_page = page(client.get(f"/admin/users/{admin.id}"))
    assert own_page.select_one(f"form[action='/admin/users/{admin.id}/role']") is None
    assert "This is your own account." in own_page.get_text(" ", strip=True)

    response = client.post(f"/admin/users/{admin.id}/role", data={"role": "staff"})

    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == f"/admin/users/{admin.id}"
    assert fresh(admin).role is Role.ADMIN
    assert pending_flashes(client) == [("error", "You cannot change your own role.")]
    assert client.get("/admin/users").status_code == 200


def test_the_last_active_admin_cannot_be_demoted(app, make_user):
    only_admin = make_user(Role.ADMIN)
    make_user(Role.ADMIN, active=False)  # a deactivated administrator does not count
    someone_else = make_user(Role.STAFF)

    with app.test_request_context():  # the messages are translated for a request
        with pytest.raises(DomainError, match="last active administrator"):
            accounts.change_role(someone_else, only_admin, Role.STAFF)
        with pytest.raises(DomainError, match="last active administrator"):
            accounts.deactivate(someone_else, only_admin)
    db.session.rollback()
    assert fresh(only_admin).role is Role.ADMIN
    assert fresh(only_admin).active is True

    make_user(Role.ADMIN)
    with app.test_request_context():
        accounts.change_role(someone_else, only_admin, Role.STAFF)
    db.session.commit()
    assert fresh(only_admin).role is Role.STAFF


def test_a_second_admin_can_demote_the_first(client, make_user, visitor):
    first = make_user(Role.ADMIN)
    log_in(client, first)
    response = client.post(f"/admin/users/{first.id}/role", data={"role": "staff"})
    assert response.status_code == 302
    assert fresh(first).role is Role.ADMIN  # alone, the first administrator stays one

    second = make_user(Role.ADMIN)
    log_in(visitor, second)
    response = visitor.post(f"/admin/users/{first.id}/role", data={"role": "staff"})

    assert response.status_code == 302
    assert fresh(first).role is Role.STAFF
    assert fresh(second).role is Role.ADMIN
    # The demoted person has lost the administration pages at once.
    assert client.get("/admin/users").status_code == 403


# --- deactivation --------------------------------------------------------------------------------


def test_deactivate_an_account(client, admin, make_user, visitor):
    person = make_user(Role.FACILITATOR)
    before = user_count()

    response = client.post(f"/admin/users/{person.id}/deactivate")

    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == f"/admin/users/{person.id}"
    person = fresh(person)
    assert person is not None  # nothing deleted
    assert person.active is False
    assert person.deactivated_at is not None
    assert user_count() == before
    soup = page(client.get(f"/admin/users/{person.id}"))
    assert flashes(soup) == [f"{person.full_name} can no longer log in. Nothing was deleted."]
    assert details(soup)["Status"] == "Deactivated"
    assert soup.select_one(f"form[action='/admin/users/{person.id}/reactivate']") is not None
    assert soup.select_one(f"form[action='/admin/users/{person.id}/deactivate']") is None
    assert soup.select_one("input.copy-field") is None  # no set-password link for it either
    # The list still shows the person.
    listed = rows(page(client.get("/admin/users", query_string={"q": person.email})))
    assert listed == [[person.full_name, person.email, "Facilitator", "Osh Region", "Deactivated"]]


def test_a_deactivated_person_cannot_log_in(client, admin, make_user, visitor):
    person = make_user(Role.PARTICIPANT)
    bystander = make_user(Role.PARTICIPANT)
    client.post(f"/admin/users/{person.id}/deactivate")

    response = post_login(visitor, person.email, PASSWORD)

    assert response.status_code == 200
    assert flashes(page(response)) == [LOGIN_FAILED]
    assert not is_signed_in(visitor)
    # The same answer as a wrong password for an active account: nothing gives the reason away.
    wrong = post_login(visitor.application.test_client(), bystander.email, "not the password")
    assert wrong.status_code == 200
    assert flashes(page(wrong)) == [LOGIN_FAILED]
    assert fresh(person).last_login_at is None


def test_deactivation_ends_a_session_already_open(client, admin, make_user, app):
    person = make_user(Role.FACILITATOR)
    other_client = app.test_client()
    log_in(other_client, person)
    assert is_signed_in(other_client)

    client.post(f"/admin/users/{person.id}/deactivate")

    response = other_client.get("/dashboard/")
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/login"
    assert parse_qs(location.query)["next"] == ["/dashboard/"]
    assert other_client.get("/profile").status_code == 302


def test_reactivation_brings_login_back(client, admin, make_user, visitor):
    person = make_user(Role.FACILITATOR)
    client.post(f"/admin/users/{person.id}/deactivate")
    assert post_login(visitor, person.email, PASSWORD).status_code == 200

    response = client.post(f"/admin/users/{person.id}/reactivate")

    assert response.status_code == 302
    person = fresh(person)
    assert person.active is True
    assert person.deactivated_at is None
    response = post_login(visitor, person.email, PASSWORD)
    assert response.status_code == 302
    assert is_signed_in(visitor)
    assert fresh(person).last_login_at is not None


def test_an_admin_cannot_deactivate_themselves(client, admin, make_user):
    make_user(Role.ADMIN)  # another administrator: the last-admin rule is not what refuses
    own_page = page(client.get(f"/admin/users/{admin.id}"))
    assert own_page.select_one(f"form[action='/admin/users/{admin.id}/deactivate']") is None

    response = client.post(f"/admin/users/{admin.id}/deactivate")

    assert response.status_code == 302
    me = fresh(admin)
    assert me.active is True
    assert me.deactivated_at is None
    assert pending_flashes(client) == [("error", "You cannot deactivate your own account.")]
    assert is_signed_in(client)
    assert client.get("/admin/users").status_code == 200


# --- password reset ------------------------------------------------------------------------------


def test_an_admin_cannot_reset_their_own_password(client, admin):
    response = client.post(f"/admin/users/{admin.id}/reset-password")
    assert response.status_code == 302
    assert pending_flashes(client) == [("error", "Change your own password from your profile.")]
    assert fresh(admin).check_password(PASSWORD)
    assert is_signed_in(client)


def test_reset_a_password(client, admin, make_user, visitor, app):
    person = make_user(Role.FACILITATOR)
    signed_in_elsewhere = app.test_client()
    log_in(signed_in_elsewhere, person)
    assert is_signed_in(signed_in_elsewhere)
    before = fresh(person).session_version

    response = client.post(f"/admin/users/{person.id}/reset-password")

    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == f"/admin/users/{person.id}"
    person = fresh(person)
    assert person.password_hash is None
    assert person.session_version > before
    assert person.active is True

    soup = page(client.get(f"/admin/users/{person.id}"))
    assert flashes(soup) == ["The old password no longer works. Send the link below to its owner."]
    assert details(soup)["Password"] == "Not chosen yet"
    link = set_password_link(soup)

    old = post_login(visitor, person.email, PASSWORD)
    assert old.status_code == 200
    assert flashes(page(old)) == [LOGIN_FAILED]
    assert not is_signed_in(visitor)
    assert not is_signed_in(signed_in_elsewhere)

    visitor.post(link, data={"password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})
    assert post_login(visitor, person.email, NEW_PASSWORD).status_code == 302
    assert is_signed_in(visitor)


def test_no_link_is_shown_for_an_account_with_a_password(client, admin, make_user):
    person = make_user(Role.FACILITATOR)

    soup = page(client.get(f"/admin/users/{person.id}"))

    assert details(soup)["Password"] == "Set"
    assert soup.select_one("input.copy-field") is None
    assert soup.select_one(f"form[action='/admin/users/{person.id}/reset-password']") is not None
    assert soup.select_one(f"form[action='/admin/users/{person.id}/deactivate']") is not None


# --- who may do this -----------------------------------------------------------------------------


def admin_pages(person: User) -> list[str]:
    return ["/admin/users", "/admin/users/new", f"/admin/users/{person.id}"]


def admin_actions(person: User) -> list[tuple[str, dict]]:
    return [
        (
            "/admin/users/new",
            {"full_name": "Intruder", "email": "new@example.org", "role": "admin"},
        ),
        (f"/admin/users/{person.id}/role", {"role": "admin"}),
        (f"/admin/users/{person.id}/deactivate", {}),
        (f"/admin/users/{person.id}/reactivate", {}),
        (f"/admin/users/{person.id}/reset-password", {}),
    ]


def snapshot(person: User) -> tuple:
    person = fresh(person)
    return (
        person.role,
        person.active,
        person.deactivated_at,
        person.password_hash,
        person.session_version,
    )


@pytest.mark.parametrize("role", [Role.STAFF, Role.FACILITATOR, Role.PARTICIPANT])
def test_only_admins_may_use_the_admin_pages(client, login_as, make_user, role):
    login_as(role)
    make_user(Role.ADMIN)
    person = make_user(Role.FACILITATOR)
    before_count, before = user_count(), snapshot(person)

    for path in admin_pages(person):
        assert client.get(path).status_code == 403, path
    for path, data in admin_actions(person):
        assert client.post(path, data=data).status_code == 403, path

    assert user_count() == before_count
    assert snapshot(person) == before


@pytest.mark.parametrize("role", [Role.STAFF, Role.FACILITATOR, Role.PARTICIPANT])
def test_a_denied_deactivated_person_stays_deactivated(client, login_as, make_user, role):
    login_as(role)
    person = make_user(Role.FACILITATOR, active=False)
    before = snapshot(person)

    assert client.post(f"/admin/users/{person.id}/reactivate").status_code == 403

    assert snapshot(person) == before


def test_anonymous_visitors_are_sent_to_log_in(client, make_user):
    person = make_user(Role.FACILITATOR)
    before_count, before = user_count(), snapshot(person)

    for path in admin_pages(person):
        response = client.get(path)
        assert response.status_code == 302, path
        location = urlsplit(response.headers["Location"])
        assert location.path == "/login"
        assert parse_qs(location.query)["next"] == [path]
    for path, data in admin_actions(person):
        response = client.post(path, data=data)
        assert response.status_code == 302, path
        assert urlsplit(response.headers["Location"]).path == "/login"

    assert user_count() == before_count
    assert snapshot(person) == before


def test_an_unknown_person_is_not_found(client, admin):
    missing = 999_999

    assert client.get(f"/admin/users/{missing}").status_code == 404
    for action in ("role", "deactivate", "reactivate", "reset-password"):
        response = client.post(f"/admin/users/{missing}/{action}", data={"role": "staff"})
        assert response.status_code == 404, action
