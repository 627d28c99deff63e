"""Regions: the reference list, and how staff (and administrators) add, rename, retire, restore."""

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import PASSWORD, field_error, flashes, page
from tot.accounts.models import User
from tot.extensions import db
from tot.i18n import Language
from tot.permissions import Role
from tot.regions.models import Country, Region

KYRGYZ_REGIONS = {
    "Batken Region",
    "Chüy Region",
    "Issyk-Kul Region",
    "Jalal-Abad Region",
    "Naryn Region",
    "Osh Region",
    "Talas Region",
    "Bishkek city",
    "Osh city",
}
TAJIK_REGIONS = {
    "Sughd Region",
    "Khatlon Region",
    "Gorno-Badakhshan Autonomous Region",
    "Districts of Republican Subordination",
    "Dushanbe city",
}


# --- helpers -------------------------------------------------------------------------------------


def all_regions() -> list[Region]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(Region)))


def region_count() -> int:
    db.session.expire_all()
    return db.session.scalar(db.select(db.func.count()).select_from(Region))


def user_count() -> int:
    db.session.expire_all()
    return db.session.scalar(db.select(db.func.count()).select_from(User))


def fresh(region: Region) -> Region:
    db.session.expire_all()
    return db.session.get(Region, region.id)


def find_region(name: str, country: Country) -> Region | None:
    db.session.expire_all()
    return db.session.execute(
        db.select(Region).filter_by(name=name, country=country)
    ).scalar_one_or_none()


def table_rows(soup) -> dict[str, list[str]]:
    """The regions table, by region name: [country, time zone, people, status]."""
    result = {}
    for row in soup.select("table tbody tr"):
        cells = [cell.get_text(" ", strip=True) for cell in row.select("td")]
        result[row.select_one("td strong").get_text(strip=True)] = cells[1:5]
    return result


def offered_region_ids(soup) -> set[str]:
    return {option["value"] for option in soup.select("select#region option") if option["value"]}


def registration(region_id, **fields) -> dict:
    data = {
        "full_name": "Madina Rahimova",
        "email": "madina@example.org",
        "password": PASSWORD,
        "confirm_password": PASSWORD,
        "region": str(region_id),
        "gender": "woman",
        "age_group": "25-34",
        "language": "ru",
        "phone": "+996 555 123 456",
        "agree_privacy": "y",
    }
    data.update(fields)
    return data


@pytest.fixture
def staff(login_as) -> User:
    return login_as(Role.STAFF)


# --- the reference list --------------------------------------------------------------------------


def test_the_fourteen_reference_regions_exist(app):
    regions = all_regions()

    assert len(regions) == 14
    kyrgyz = [region for region in regions if region.country is Country.KYRGYZSTAN]
    tajik = [region for region in regions if region.country is Country.TAJIKISTAN]
    assert {region.name for region in kyrgyz} == KYRGYZ_REGIONS
    assert {region.name for region in tajik} == TAJIK_REGIONS
    assert {region.timezone for region in kyrgyz} == {"Asia/Bishkek"}
    assert {region.timezone for region in tajik} == {"Asia/Dushanbe"}
    assert not any(region.is_retired for region in regions)


def test_the_regions_page_lists_them_for_staff(client, staff):
    response = client.get("/regions/")

    assert response.status_code == 200
    rows = table_rows(page(response))
    assert set(rows) == KYRGYZ_REGIONS | TAJIK_REGIONS
    assert rows["Naryn Region"][:2] == ["Kyrgyzstan", "Asia/Bishkek"]
    assert rows["Khatlon Region"][:2] == ["Tajikistan", "Asia/Dushanbe"]
    assert rows["Osh Region"][2] == "1"  # the staff member lives there
    assert rows["Naryn Region"][2] == "0"
    assert {cells[3] for cells in rows.values()} == {"Offered"}


def test_administrators_manage_regions_too(client, login_as):
    login_as(Role.ADMIN)

    assert client.get("/regions/").status_code == 200
    response = client.post(
        "/regions/", data={"name": "Kara-Balta", "country": "KG", "timezone": "Asia/Bishkek"}
    )

    assert response.status_code == 302
    assert find_region("Kara-Balta", Country.KYRGYZSTAN) is not None


# --- adding --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "country", "timezone"),
    [
        ("Tokmok city", Country.KYRGYZSTAN, "Asia/Bishkek"),
        ("Khujand city", Country.TAJIKISTAN, "Asia/Dushanbe"),
    ],
)
def test_add_a_region(client, staff, name, country, timezone):
    response = client.post(
        "/regions/", data={"name": f"  {name} ", "country": country.value, "timezone": timezone}
    )

    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/regions/"
    region = find_region(name, country)
    assert region is not None
    assert region.timezone == timezone
    assert not region.is_retired
    assert region_count() == 15

    soup = page(client.get("/regions/"))
    assert f"{name} is added." in flashes(soup)
    assert table_rows(soup)[name] == [country.label, timezone, "0", "Offered"]


def test_the_same_name_may_exist_in_the_other_country(client, staff):
    response = client.post(
        "/regions/", data={"name": "Osh Region", "country": "TJ", "timezone": "Asia/Dushanbe"}
    )

    assert response.status_code == 302
    assert find_region("Osh Region", Country.TAJIKISTAN) is not None
    assert find_region("Osh Region", Country.KYRGYZSTAN) is not None


@pytest.mark.parametrize("name", ["osh REGION", "Osh Region", "  Osh region  "])
def test_a_duplicate_name_in_the_same_country_is_refused(client, staff, name):
    before = region_count()

    response = client.post(
        "/regions/", data={"name": name, "country": "KG", "timezone": "Asia/Bishkek"}
    )

    assert response.status_code == 200
    soup = page(response)
    assert field_error(soup, "name") == "Kyrgyzstan already has a region with this name."
    assert region_count() == before
    osh = [region for region in all_regions() if region.name.lower() == "osh region"]
    assert len(osh) == 1


@pytest.mark.parametrize("name", ["", "   "])
def test_an_empty_name_is_refused(client, staff, name):
    before = region_count()

    response = client.post(
        "/regions/", data={"name": name, "country": "TJ", "timezone": "Asia/Dushanbe"}
    )

    assert response.status_code == 200
    assert field_error(page(response), "name") == "Enter the region's name."
    assert region_count() == before


def test_an_unknown_country_is_refused(client, staff):
    before = region_count()

    response = client.post(
        "/regions/", data={"name": "Almaty", "country": "KZ", "timezone": "Asia/Bishkek"}
    )

    assert response.status_code == 200
    assert field_error(page(response), "country")
    assert region_count() == before


# --- renaming, retiring, restoring ---------------------------------------------------------------


def test_rename_a_region(client, staff, make_region):
    region = make_region(name="Chui Oblast")

    assert client.get(f"/regions/{region.id}/edit").status_code == 200
    response = client.post(
        f"/regions/{region.id}/edit", data={"name": "Chüy Valley", "timezone": "Asia/Bishkek"}
    )

    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/regions/"
    renamed = fresh(region)
    assert renamed.name == "Chüy Valley"
    assert renamed.country is Country.KYRGYZSTAN
    assert renamed.timezone == "Asia/Bishkek"
    assert region_count() == 15


def test_the_edit_form_shows_the_current_values(client, staff, make_region):
    region = make_region(name="Isfara District", country=Country.TAJIKISTAN)

    soup = page(client.get(f"/regions/{region.id}/edit"))

    assert soup.select_one("input#name")["value"] == "Isfara District"
    assert soup.select_one("select#timezone option[selected]")["value"] == "Asia/Dushanbe"


def test_renaming_to_a_name_already_used_is_refused(client, staff, make_region):
    region = make_region(name="Kant District")

    response = client.post(
        f"/regions/{region.id}/edit", data={"name": "NARYN region", "timezone": "Asia/Bishkek"}
    )

    assert response.status_code == 200
    assert field_error(page(response), "name") == "Kyrgyzstan already has a region with this name."
    assert fresh(region).name == "Kant District"


def test_a_region_may_keep_its_name_in_another_letter_case(client, staff, make_region):
    region = make_region(name="Kant district")

    response = client.post(
        f"/regions/{region.id}/edit", data={"name": "Kant District", "timezone": "Asia/Bishkek"}
    )

    assert response.status_code == 302
    assert fresh(region).name == "Kant District"


def test_rename_with_an_empty_name_is_refused(client, staff, region):
    response = client.post(
        f"/regions/{region.id}/edit", data={"name": "", "timezone": "Asia/Bishkek"}
    )

    assert response.status_code == 200
    assert field_error(page(response), "name") == "Enter the region's name."
    assert fresh(region).name == "Osh Region"


def test_retire_and_restore_a_region(client, staff, region):
    response = client.post(f"/regions/{region.id}/retire")

    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/regions/"
    retired = fresh(region)
    assert retired.is_retired
    assert retired.retired_at is not None
    assert region_count() == 14  # nothing is deleted
    soup = page(client.get("/regions/"))
    assert table_rows(soup)["Osh Region"][3] == "Retired"
    assert any("Osh Region is retired" in message for message in flashes(soup))

    response = client.post(f"/regions/{region.id}/restore")

    assert response.status_code == 302
    restored = fresh(region)
    assert not restored.is_retired
    assert restored.retired_at is None
    soup = page(client.get("/regions/"))
    assert table_rows(soup)["Osh Region"][3] == "Offered"
    assert "Osh Region is offered again." in flashes(soup)


def test_an_unknown_region_is_not_found(client, staff):
    assert client.get("/regions/999999/edit").status_code == 404
    for action in ("edit", "retire", "restore"):
        response = client.post(
            f"/regions/999999/{action}", data={"name": "X", "timezone": "Asia/Bishkek"}
        )
        assert response.status_code == 404, action


# --- a retired region and registration -----------------------------------------------------------


def test_an_open_region_is_offered_and_accepted_at_registration(client, region):
    soup = page(client.get("/register"))
    assert str(region.id) in offered_region_ids(soup)
    assert len(offered_region_ids(soup)) == 14

    response = client.post("/register", data=registration(region.id))

    assert response.status_code == 302
    db.session.expire_all()
    person = db.session.execute(db.select(User).filter_by(email="madina@example.org")).scalar_one()
    assert person.region_id == region.id


def test_a_retired_region_is_not_offered_at_registration(client, make_region):
    retired = make_region(name="Old District", retired=True)
    other_retired = make_region(name="Former Oblast", country=Country.TAJIKISTAN)
    other_retired.retire()
    db.session.commit()

    soup = page(client.get("/register"))

    offered = offered_region_ids(soup)
    assert str(retired.id) not in offered
    assert str(other_retired.id) not in offered
    assert len(offered) == 14
    labels = soup.select_one("select#region").get_text(" ", strip=True)
    assert "Old District" not in labels
    assert "Former Oblast" not in labels


def test_a_region_retired_by_staff_disappears_from_registration(client, app, staff, region):
    client.post(f"/regions/{region.id}/retire")

    soup = page(app.test_client().get("/register"))

    assert str(region.id) not in offered_region_ids(soup)
    assert "Osh Region" not in soup.select_one("select#region").get_text(" ", strip=True)


def test_registering_with_a_retired_region_is_refused(client, make_region):
    retired = make_region(name="Old District", retired=True)
    before = user_count()

    response = client.post("/register", data=registration(retired.id))

    assert response.status_code == 200
    soup = page(response)
    assert field_error(soup, "region")
    assert user_count() == before
    assert db.session.execute(db.select(User).filter_by(email="madina@example.org")).first() is None


def test_a_participant_keeps_a_region_retired_after_they_chose_it(client, login_as, make_region):
    old = make_region(name="Old District")
    person = login_as(Role.PARTICIPANT, region=old)
    old.retire()
    db.session.commit()

    response = client.get("/profile")

    assert response.status_code == 200
    selected = page(response).select_one("select#region option[selected]")
    assert selected is not None
    assert selected["value"] == str(old.id)
    assert "Old District" in selected.get_text()
    db.session.expire_all()
    assert db.session.get(User, person.id).region_id == old.id


# --- who may do this -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.FACILITATOR, Role.PARTICIPANT])
def test_facilitators_and_participants_may_not_manage_regions(
    client, login_as, region, make_region, role
):
    login_as(role)
    retired = make_region(name="Old District", retired=True)
    before = region_count()

    assert client.get("/regions/").status_code == 403
    assert client.get(f"/regions/{region.id}/edit").status_code == 403
    response = client.post(
        "/regions/", data={"name": "Intruded", "country": "KG", "timezone": "Asia/Bishkek"}
    )
    assert response.status_code == 403
    response = client.post(
        f"/regions/{region.id}/edit", data={"name": "Renamed", "timezone": "Asia/Dushanbe"}
    )
    assert response.status_code == 403
    assert client.post(f"/regions/{region.id}/retire").status_code == 403
    assert client.post(f"/regions/{retired.id}/restore").status_code == 403

    assert region_count() == before
    assert find_region("Intruded", Country.KYRGYZSTAN) is None
    unchanged = fresh(region)
    assert unchanged.name == "Osh Region"
    assert unchanged.timezone == "Asia/Bishkek"
    assert not unchanged.is_retired
    assert fresh(retired).is_retired


def test_anonymous_visitors_are_sent_to_log_in(client, region, make_region):
    retired = make_region(name="Old District", retired=True)
    before = region_count()

    for path in ("/regions/", f"/regions/{region.id}/edit"):
        response = client.get(path)
        assert response.status_code == 302, path
        location = urlsplit(response.headers["Location"])
        assert location.path == "/login"
        assert parse_qs(location.query)["next"] == [path]
    posts = [
        ("/regions/", {"name": "Intruded", "country": "KG", "timezone": "Asia/Bishkek"}),
        (f"/regions/{region.id}/edit", {"name": "Renamed", "timezone": "Asia/Dushanbe"}),
        (f"/regions/{region.id}/retire", {}),
        (f"/regions/{retired.id}/restore", {}),
    ]
    for path, data in posts:
        response = client.post(path, data=data)
        assert response.status_code == 302, path
        assert urlsplit(response.headers["Location"]).path == "/login"

    assert region_count() == before
    assert fresh(region).name == "Osh Region"
    assert not fresh(region).is_retired
    assert fresh(retired).is_retired


# --- names in each language ----------------------------------------------------------------------


def test_every_reference_region_has_a_name_in_each_language(app):
    for region in all_regions():
        assert all((region.name_ru, region.name_ky, region.name_tg)), region.name
    osh = next(region for region in all_regions() if region.name == "Osh Region")
    assert (osh.name_in("ru"), osh.name_in("ky"), osh.name_in("tg")) == (
        "Ошская область",
        "Ош облусу",
        "Вилояти Ӯш",
    )
    assert osh.name_in("en") == "Osh Region"


def test_people_choose_their_region_by_its_name_in_their_language(client):
    client.set_cookie("lang", "ky")
    soup = page(client.get("/register"))
    names = {option.get_text(strip=True) for option in soup.select("select#region option")}
    assert {"Ош облусу", "Бишкек шаары", "Душанбе шаары"} <= names
    assert "Osh Region" not in names
    groups = [group["label"] for group in soup.select("select#region optgroup")]
    assert groups == ["Кыргызстан", "Тажикстан"]


def test_staff_give_a_region_its_names_and_an_empty_one_falls_back_to_english(
    client, staff, make_region
):
    region = make_region(name="Tokmok city")
    response = client.post(
        f"/regions/{region.id}/edit",
        data={
            "name": "Tokmok city",
            "name_ru": " город Токмок ",
            "name_ky": "Токмок шаары",
            "name_tg": "",
            "timezone": "Asia/Bishkek",
        },
    )
    assert response.status_code == 302
    renamed = fresh(region)
    assert (renamed.name_ru, renamed.name_ky, renamed.name_tg) == (
        "город Токмок",
        "Токмок шаары",
        None,
    )
    assert renamed.name_in("tg") == "Tokmok city"
    client.set_cookie("lang", "ru")
    staff.language = Language.RUSSIAN
    db.session.commit()
    rows = table_rows(page(client.get("/regions/")))
    assert "город Токмок" in rows


def test_a_local_name_that_is_too_long_is_refused(client, staff, region):
    response = client.post(
        f"/regions/{region.id}/edit",
        data={"name": region.name, "name_ru": "я" * 121, "timezone": region.timezone},
    )
    assert field_error(page(response), "name_ru") == "At most 120 characters."
    assert fresh(region).name_ru == "Ошская область"
