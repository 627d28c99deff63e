"""Staff enrol people from an uploaded CSV or XLSX: a preview first, then a confirmation."""

import io
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from tests.conftest import count_queries, field_error, flashes, log_in, page
from tests.factories import apply_to, make_programme, make_session, region_named, statuses
from tot.accounts.models import AgeGroup, Gender, User
from tot.enrolment.models import Enrolment, EnrolmentSource, EnrolmentStatus
from tot.extensions import db
from tot.i18n import Language
from tot.notifications.models import Notification
from tot.permissions import Role
from tot.sessions.models import EnrolmentMode

HEADER = "name,email,region,gender,age group,phone\n"


@pytest.fixture
def lead(make_user):
    return make_user(Role.FACILITATOR)


@pytest.fixture
def staff(client, make_user):
    person = make_user(Role.STAFF)
    log_in(client, person)
    return person


def upload(client, session, content, filename="people.csv"):
    data = content.encode("utf-8") if isinstance(content, str) else content
    return client.post(
        f"/sessions/{session.id}/bulk",
        data={"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def outcomes(soup) -> dict[int, tuple[str, str]]:
    """{line: (outcome, text)} of the preview table."""
    return {
        int(tr["data-line"]): (
            tr["data-outcome"],
            tr.select_one(".outcome").get_text(" ", strip=True),
        )
        for tr in soup.select("tr.preview-row")
    }


def confirm(client, session, soup):
    token = soup.select_one("form input[name=rows]")["value"]
    return client.post(f"/sessions/{session.id}/bulk/confirm", data={"rows": token})


def users() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def enrolments() -> int:
    return db.session.scalar(select(func.count()).select_from(Enrolment))


def xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- preview --------------------------------------------------------------------------------------


def test_the_preview_shows_each_rows_outcome_and_writes_nothing(client, staff, make_user, lead):
    session = make_session(lead, capacity=10)
    make_user(email="known@example.org", full_name="Known Person")
    enrolled = make_user(email="enrolled@example.org")
    apply_to(session, enrolled)
    before = (users(), enrolments(), db.session.scalar(select(func.count(Notification.id))))
    content = HEADER + (
        "Айгүл Асанова,aigul@example.org,osh region,woman,25-34,+996 555 123 456\n"  # line 2
        "Known Person,KNOWN@example.org,Osh Region,,,\n"  # 3
        "Already,enrolled@example.org,Osh Region,man,55+,\n"  # 4
        "Nobody,nobody@example.org,Atlantis,woman,25-34,\n"  # 5
        "Bad Email,not-an-email,Osh Region,,,\n"  # 6
        "Again,aigul@example.org,Osh Region,,,\n"  # 7
        ",noname@example.org,Osh Region,,,\n"  # 8
        "Odd Gender,odd@example.org,Osh Region,sometimes,25-34,\n"  # 9
        "Odd Age,age@example.org,Osh Region,woman,17,\n"  # 10
        "\n"  # a blank line is ignored
        "Private,private@example.org,Naryn Region,Prefer not to say,45 – 54,\n"  # 12
    )
    response = upload(client, session, content)
    assert response.status_code == 200
    soup = page(response)
    result = outcomes(soup)
    assert {line: outcome for line, (outcome, _text) in result.items()} == {
        2: "new",
        3: "existing",
        4: "unchanged",
        5: "error",
        6: "error",
        7: "error",
        8: "error",
        9: "error",
        10: "error",
        12: "new",
    }
    assert result[2][1] == "New account + enrol"
    assert result[3][1] == "Existing account + enrol"
    assert result[4][1].startswith("Already enrolled: no change")
    assert "Atlantis" in result[5][1]
    assert "not a valid email" in result[6][1]
    assert "line 2" in result[7][1]
    assert "name is missing" in result[8][1]
    assert "Unknown gender" in result[9][1]
    assert "Unknown age group" in result[10][1]
    assert (users(), enrolments(), db.session.scalar(select(func.count(Notification.id)))) == before
    assert soup.select_one("form[action$='/bulk/confirm'] button").get_text() == "Enrol 3 people"


def test_confirming_creates_accounts_and_enrols(client, staff, make_user, lead):
    session = make_session(lead, capacity=2, mode=EnrolmentMode.APPROVAL)
    known = make_user(email="known@example.org", region=region_named("Naryn Region"))
    content = HEADER + (
        "Айгүл Асанова,aigul@example.org,Osh Region,woman,18-24,+996 555 123 456\n"
        "Known Person,known@example.org,Osh Region,,,\n"
        "Bakyt Osmonov,bakyt@example.org,Batken Region,prefer not to say,55+,\n"
        "Broken,broken,Osh Region,,,\n"
    )
    soup = page(upload(client, session, content))
    response = confirm(client, session, soup)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    result = page(response)

    aigul = db.session.scalar(select(User).filter_by(email="aigul@example.org"))
    assert aigul.full_name == "Айгүл Асанова"
    assert aigul.role is Role.PARTICIPANT
    assert aigul.password_hash is None
    assert aigul.region.name == "Osh Region"
    assert (aigul.gender, aigul.age_group, aigul.phone) == (
        Gender.WOMAN,
        AgeGroup.AGE_18_24,
        "+996 555 123 456",
    )
    bakyt = db.session.scalar(select(User).filter_by(email="bakyt@example.org"))
    assert bakyt.gender is Gender.UNDISCLOSED
    # Approval mode does not hold staff's enrolment: seats while they last, then the list.
    assert statuses(session) == {
        aigul.id: EnrolmentStatus.CONFIRMED,
        known.id: EnrolmentStatus.CONFIRMED,
        bakyt.id: EnrolmentStatus.WAITLISTED,
    }
    enrolment = db.session.scalar(select(Enrolment).filter_by(user_id=known.id))
    assert enrolment.source is EnrolmentSource.BULK
    assert enrolment.decided_by_id == staff.id
    assert enrolment.region.name == "Naryn Region"  # the account's own region, not the file's
    assert db.session.scalar(select(func.count()).select_from(User).filter_by(email="broken")) == 0

    links = {li["data-email"]: li.input["value"] for li in result.select("li.set-password")}
    assert set(links) == {"aigul@example.org", "bakyt@example.org"}  # new accounts only
    assert links["aigul@example.org"].startswith("http://localhost/set-password/")
    client.post("/logout")
    assert (
        client.get(links["aigul@example.org"].removeprefix("http://localhost")).status_code == 200
    )
    assert "Skipped" in result.select_one("tr[data-line='5'] .result").get_text()


def test_the_same_file_twice_changes_nothing(client, staff, lead):
    session = make_session(lead, capacity=5)
    content = HEADER + "Asel Ibraimova,asel@example.org,Osh Region,woman,25-34,\n"
    first = page(upload(client, session, content))
    confirm(client, session, first)
    counts = (users(), enrolments())

    soup = page(upload(client, session, content))
    assert outcomes(soup)[2][0] == "unchanged"
    assert soup.select_one("form[action$='/bulk/confirm']") is None  # nothing to do
    assert (users(), enrolments()) == counts

    # Even replaying the first confirmation changes nothing.
    result = page(confirm(client, session, first))
    assert "no change" in result.select_one("tr[data-line='2'] .result").get_text()
    assert result.select("li.set-password") == []
    assert (users(), enrolments()) == counts


def test_staff_enrol_outside_the_window_and_without_the_prerequisite(client, staff, lead):
    from tests.factories import make_programme

    basics = make_programme(title="Basics")
    session = make_session(
        lead,
        programme=make_programme(title="Advanced", prerequisite=basics, self_paced=False),
        closes_at=datetime.now(UTC) - timedelta(days=1),
    )
    content = HEADER + "Asel,asel@example.org,Osh Region,,,\n"
    confirm(client, session, page(upload(client, session, content)))
    assert list(statuses(session).values()) == [EnrolmentStatus.CONFIRMED]


def test_an_xlsx_file(client, staff, lead):
    session = make_session(lead, capacity=5)
    content = xlsx(
        [
            ["Name", "Email", "Region", "Gender", "Age group", "Phone"],
            ["Гүлнара", "gulnara@example.org", "Naryn Region", "Woman", "35-44", 996555000111],
            [None, None, None, None, None, None],
            ["Nurlan", "nurlan@example.org", "Chüy Region", "man", "25–34", None],
        ]
    )
    soup = page(upload(client, session, content, "people.xlsx"))
    assert {line: o for line, (o, _t) in outcomes(soup).items()} == {2: "new", 4: "new"}
    confirm(client, session, soup)
    gulnara = db.session.scalar(select(User).filter_by(email="gulnara@example.org"))
    assert gulnara.phone == "996555000111"
    assert gulnara.age_group is AgeGroup.AGE_35_44
    assert len(statuses(session)) == 2


def test_a_semicolon_csv_with_a_byte_order_mark(client, staff, lead):
    session = make_session(lead)
    content = (
        "\ufeff\nName;Email;Region\nАсел;asel@example.org;Ош\nAsel;asel2@example.org;OSH REGION\n"
    )
    soup = page(upload(client, session, content))
    result = outcomes(soup)
    assert result[3][0] == "error"  # "Ош" is not a region's name here
    assert result[4][0] == "new"  # row numbers as a spreadsheet shows them


# --- files that cannot be used --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("people.txt", HEADER + "A,a@example.org,Osh Region,,,\n", "CSV or an Excel"),
        ("people.xls", b"\xd0\xcf\x11\xe0 old excel", "CSV or an Excel"),
        ("people.csv", "", "empty"),
        ("people.csv", "\n\n", "empty"),
        ("people.csv", HEADER, "nobody below"),
        ("people.csv", "who,where\nA,Osh\n", "Missing: Name, Email, Region."),
        (
            "people.csv",
            b"name,email,region\n" + "Асел,a@example.org,Osh".encode("cp1251"),
            "UTF-8",
        ),
        ("people.xlsx", b"PK\x03\x04 this is not really a workbook", "Excel workbook"),
        ("people.xlsx", b"name,email,region\n", "Excel workbook"),
    ],
)
def test_unusable_files_get_a_message_beside_the_field(
    client, staff, lead, filename, content, message
):
    session = make_session(lead)
    before = (users(), enrolments())
    response = upload(client, session, content, filename)
    assert response.status_code == 400
    assert message in field_error(page(response), "file")
    assert (users(), enrolments()) == before


def test_no_file_at_all(client, staff, lead):
    session = make_session(lead)
    response = client.post(f"/sessions/{session.id}/bulk", data={})
    assert response.status_code == 400
    assert "Choose a CSV" in field_error(page(response), "file")


def test_too_many_rows(client, staff, lead):
    session = make_session(lead)
    content = HEADER + "".join(f"P{n},p{n}@example.org,Osh Region,,,\n" for n in range(501))
    response = upload(client, session, content)
    assert "more than 500" in field_error(page(response), "file")


def test_a_file_over_4_mb(app, client, staff, lead):
    session = make_session(lead)
    content = HEADER + "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = upload(client, session, content)
    assert response.status_code == 413
    soup = page(response)
    assert "larger than 4 MB" in field_error(soup, "file")
    assert soup.h1.get_text() == "Enrol people from a list"
    assert users() == 2  # staff and lead, nothing else


def test_a_forged_or_stale_confirmation_is_refused(client, staff, lead):
    session = make_session(lead)
    other = make_session(lead)
    soup = page(upload(client, session, HEADER + "Asel,asel@example.org,Osh Region,,,\n"))
    token = soup.select_one("input[name=rows]")["value"]
    before = (users(), enrolments())
    for url, rows in (
        (f"/sessions/{session.id}/bulk/confirm", token[:-2] + "xx"),
        (f"/sessions/{session.id}/bulk/confirm", ""),
        (f"/sessions/{other.id}/bulk/confirm", token),  # signed for another session
    ):
        response = client.post(url, data={"rows": rows}, follow_redirects=True)
        assert "upload the file again" in " ".join(flashes(page(response)))
    assert (users(), enrolments()) == before


def test_a_cancelled_session_takes_no_list(client, staff, lead):
    from tot.sessions.models import SessionStatus

    session = make_session(lead, status=SessionStatus.CANCELLED)
    soup = page(client.get(f"/sessions/{session.id}/bulk"))
    assert "not open" in soup.select_one(".notice").get_text()
    assert soup.select_one("input[type=file]") is None
    response = upload(client, session, HEADER + "Asel,asel@example.org,Osh Region,,,\n")
    assert page(response).select_one("tr.preview-row") is None
    assert enrolments() == 0


def test_existing_accounts_that_cannot_enrol(client, staff, make_user, lead):
    session = make_session(lead)
    make_user(Role.FACILITATOR, email="facilitator@example.org")
    gone = make_user(email="gone@example.org")
    gone.deactivate()
    db.session.commit()
    content = HEADER + "F,facilitator@example.org,Osh Region,,,\nG,gone@example.org,Osh Region,,,\n"
    result = outcomes(page(upload(client, session, content)))
    assert result[2][0] == result[3][0] == "error"
    assert "Facilitator" in result[2][1]
    assert "deactivated" in result[3][1]


def test_only_staff_enrol_from_a_list(client, login_as, lead):
    session = make_session(lead)
    for role in (Role.PARTICIPANT, Role.FACILITATOR):
        login_as(role)
        assert client.get(f"/sessions/{session.id}/bulk").status_code == 403
        assert upload(client, session, HEADER).status_code == 403
    log_in(client, lead)  # even the session's own lead
    assert client.get(f"/sessions/{session.id}/bulk").status_code == 403
    login_as(Role.ADMIN)
    assert client.get(f"/sessions/{session.id}/bulk").status_code == 200


def test_the_preview_takes_the_same_queries_for_3_or_15_rows(client, staff, make_user, lead):
    session = make_session(lead, capacity=50)

    def queries_with(rows: int) -> int:
        lines = []
        for n in range(rows):
            person = make_user()
            lines.append(f"{person.full_name},{person.email},Osh Region,,,")
            lines.append(f"New {n},new{rows}-{n}@example.org,Osh Region,,,")
        with count_queries() as queries:
            assert upload(client, session, HEADER + "\n".join(lines)).status_code == 200
        return queries.count

    assert queries_with(3) == queries_with(15)


def test_a_list_written_in_kyrgyz_or_russian_is_understood(client, staff, lead):
    """Columns, genders and regions as the interface names them, in any of its languages."""
    programme = make_programme(
        title="Параюрист", self_paced=False, delivery_language=Language.KYRGYZ
    )
    session = make_session(lead, capacity=5, programme=programme)
    content = (
        "Аты-жөнү,Электрондук почта,Аймак,Жынысы,Курак тобу\n"
        "Жылдыз Абдыкадырова,jyldyz@example.org,Ош облусу,Аял,25-34\n"
        "Бакыт Осмонов,bakyt@example.org,Баткенская область,мужчина,35-44\n"
    )
    soup = page(upload(client, session, content))
    assert {outcome for outcome, _text in outcomes(soup).values()} == {"new"}
    confirm(client, session, soup)

    jyldyz = db.session.scalar(select(User).filter_by(email="jyldyz@example.org"))
    assert (jyldyz.region.name, jyldyz.gender) == ("Osh Region", Gender.WOMAN)
    assert jyldyz.language is Language.KYRGYZ  # the language the training is taught in
    bakyt = db.session.scalar(select(User).filter_by(email="bakyt@example.org"))
    assert (bakyt.region.name, bakyt.gender) == ("Batken Region", Gender.MAN)


def test_nul_characters_in_a_file_are_taken_out(client, staff, lead):
    """PostgreSQL stores no NUL: a list exported by some old program must not fail to import."""
    session = make_session(lead, capacity=5)
    content = HEADER + "Asel\x00 Ibraimova,asel@example.org\x00,Osh Region,woman,25-34,+996\x00555"

    soup = page(upload(client, session, content))
    assert outcomes(soup)[2][0] == "new"
    assert confirm(client, session, soup).status_code == 200

    asel = db.session.scalar(select(User).filter_by(email="asel@example.org"))
    assert (asel.full_name, asel.phone) == ("Asel Ibraimova", "+996555")
