"""Reading a list of people (CSV or XLSX) for bulk enrolment, and checking it row by row.

Step 1 reads the file and previews each row's outcome, writing nothing. The rows travel back
with the confirmation as a signed token (`sign_rows`), so the file is not uploaded twice and
cannot be altered between preview and confirmation; step 2 checks them again against the
database as it is then, and enrols (`services.bulk_enrol`).
"""

import csv
import io
import re
from dataclasses import dataclass
from enum import StrEnum

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeTimedSerializer
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from tot.accounts.models import AgeGroup, Gender, User
from tot.accounts.services import normalise_email
from tot.enrolment.models import ACTIVE_STATUSES, Enrolment
from tot.extensions import db
from tot.forms import PHONE_PATTERN
from tot.permissions import Role
from tot.regions.models import Region
from tot.regions.services import open_regions
from tot.sessions.models import TrainingSession

MAX_ROWS = 500
TOKEN_MAX_AGE = 2 * 3600  # seconds between preview and confirmation
COLUMNS = ("name", "email", "region", "gender", "age_group", "phone")
REQUIRED_COLUMNS = ("name", "email", "region")
# Header texts people write, normalised (lower case, single spaces), to the column they mean.
HEADER_ALIASES = {
    "name": "name",
    "full name": "name",
    "фио": "name",
    "имя": "name",
    "email": "email",
    "e mail": "email",
    "email address": "email",
    "электронная почта": "email",
    "почта": "email",
    "region": "region",
    "регион": "region",
    "область": "region",
    "gender": "gender",
    "пол": "gender",
    "age group": "age_group",
    "age": "age_group",
    "возрастная группа": "age_group",
    "возраст": "age_group",
    "phone": "phone",
    "phone number": "phone",
    "telephone": "phone",
    "телефон": "phone",
}
GENDER_WORDS = {
    "woman": Gender.WOMAN,
    "female": Gender.WOMAN,
    "man": Gender.MAN,
    "male": Gender.MAN,
    "another": Gender.ANOTHER,
    "another gender": Gender.ANOTHER,
    "undisclosed": Gender.UNDISCLOSED,
    "prefer not to say": Gender.UNDISCLOSED,
}


def too_many_rows() -> str:
    return _("The file has more than %(max)d people: split it into smaller files.", max=MAX_ROWS)


class BulkFileError(Exception):
    """The file as a whole cannot be read; the message goes beside the file field."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RawRow:
    """One row of the file as text, with its line number in the file (the header is line 1)."""

    line: int
    cells: dict[str, str]


# --- reading the file ----------------------------------------------------------------------------


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone number Excel stored as a number
    return str(value).strip()


def _header_key(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", text.strip().lower()).strip()


def _columns(header: list[str]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, text in enumerate(header):
        column = HEADER_ALIASES.get(_header_key(text))
        if column and column not in positions:
            positions[column] = index
    missing = [column for column in REQUIRED_COLUMNS if column not in positions]
    if missing:
        raise BulkFileError(
            _(
                "The first row must name the columns: name, email, region, gender, age group, "
                "phone. Missing: %(missing)s.",
                missing=", ".join(missing),
            )
        )
    return positions


def _rows(table) -> list[RawRow]:
    """RawRows from an iterable of rows of values: the first row that is not blank is the header.

    Each keeps its row number as a spreadsheet shows it (the first row is 1).
    """
    numbered = enumerate(table, start=1)
    header = None
    for _line, values in numbered:
        texts = [_cell_text(value) for value in values]
        if any(texts):
            header = texts
            break
    if header is None:
        raise BulkFileError(_("The file is empty."))
    positions = _columns(header)
    rows = []
    for line, values in numbered:
        texts = [_cell_text(value) for value in values]
        if not any(texts):
            continue
        if len(rows) >= MAX_ROWS:
            raise BulkFileError(too_many_rows())
        rows.append(
            RawRow(
                line,
                {
                    column: texts[index] if index < len(texts) else ""
                    for column, index in positions.items()
                },
            )
        )
    if not rows:
        raise BulkFileError(_("The file has a header row but nobody below it."))
    return rows


def _csv_table(data: bytes):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BulkFileError(
            _("This CSV file is not in UTF-8. In Excel, save it as “CSV UTF-8”, then upload it.")
        ) from error
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    if "\t" in first_line and not first_line.count(delimiter):
        delimiter = "\t"
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise BulkFileError(_("We could not read this file as CSV.")) from error


def _xlsx_table(data: bytes):
    unreadable = _("We could not read this file as an Excel workbook (.xlsx).")
    if not data.startswith(b"PK"):
        raise BulkFileError(unreadable)
    limit = MAX_ROWS * 4  # lines read at most, blank ones included: never a whole "bomb"
    # openpyxl raises many kinds of errors on a damaged file (zip, XML, values): all mean the
    # same to the person uploading it.
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            if not workbook.worksheets:
                raise BulkFileError(_("The file is empty."))
            sheet_rows = workbook.worksheets[0].iter_rows(values_only=True)
            rows = [row for _, row in zip(range(limit + 1), sheet_rows, strict=False)]
        finally:
            workbook.close()
    except BulkFileError:
        raise
    except Exception as error:
        raise BulkFileError(unreadable) from error
    if len(rows) > limit:
        raise BulkFileError(too_many_rows())
    return rows


def read_upload(filename: str, data: bytes) -> list[RawRow]:
    """The rows of an uploaded CSV or XLSX file, or BulkFileError saying what is wrong."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in ("csv", "xlsx"):
        raise BulkFileError(_("Upload a CSV or an Excel (.xlsx) file."))
    if not data.strip():
        raise BulkFileError(_("The file is empty."))
    table = _csv_table(data) if extension == "csv" else _xlsx_table(data)
    return _rows(table)


# --- checking each row ---------------------------------------------------------------------------


class Outcome(StrEnum):
    NEW = "new"
    EXISTING = "existing"
    UNCHANGED = "unchanged"
    ERROR = "error"

    @property
    def label(self) -> str:
        return str(OUTCOME_LABELS[self])


OUTCOME_LABELS = {
    Outcome.NEW: _l("New account + enrol"),
    Outcome.EXISTING: _l("Existing account + enrol"),
    Outcome.UNCHANGED: _l("Already enrolled: no change"),
    Outcome.ERROR: _l("Skipped"),
}


@dataclass
class PreviewRow:
    line: int
    name: str
    email: str
    region: Region | None = None
    region_text: str = ""
    gender: str | None = None
    age_group: str | None = None
    phone: str | None = None
    user: User | None = None
    enrolment: Enrolment | None = None
    errors: list[str] | None = None

    @property
    def error(self) -> str | None:
        return " ".join(self.errors) if self.errors else None

    @property
    def outcome(self) -> Outcome:
        if self.errors:
            return Outcome.ERROR
        if self.enrolment is not None:
            return Outcome.UNCHANGED
        return Outcome.EXISTING if self.user is not None else Outcome.NEW


def _region_lookup() -> dict[str, list[Region]]:
    lookup: dict[str, list[Region]] = {}
    for region in open_regions():
        lookup.setdefault(region.name.strip().casefold(), []).append(region)
    return lookup


def _gender(text: str) -> Gender | None:
    return GENDER_WORDS.get(re.sub(r"\s+", " ", text.strip().lower()))


def _age_group(text: str) -> AgeGroup | None:
    value = re.sub(r"\s+", "", text).replace("–", "-").replace("—", "-")
    try:
        return AgeGroup(value)
    except ValueError:
        return None


def _check_cells(row: PreviewRow, cells: dict[str, str], regions: dict[str, list[Region]]):
    errors = row.errors
    if not row.name:
        errors.append(_("The name is missing."))
    elif len(row.name) > 200:
        errors.append(_("The name is longer than 200 characters."))
    email = cells.get("email", "")
    if not email:
        errors.append(_("The email address is missing."))
    else:
        try:
            validate_email(email, check_deliverability=False)
        except EmailNotValidError:
            errors.append(_("“%(email)s” is not a valid email address.", email=email))
    if not row.region_text:
        errors.append(_("The region is missing."))
    else:
        matches = regions.get(row.region_text.casefold(), [])
        if len(matches) == 1:
            row.region = matches[0]
        elif matches:
            errors.append(_("Two regions are called “%(region)s”.", region=row.region_text))
        else:
            errors.append(_("Unknown or retired region: “%(region)s”.", region=row.region_text))
    gender_text = cells.get("gender", "")
    if gender_text:
        gender = _gender(gender_text)
        if gender is None:
            errors.append(
                _(
                    "Unknown gender “%(gender)s”: use woman, man, another or prefer not to say.",
                    gender=gender_text,
                )
            )
        else:
            row.gender = gender.value
    age_text = cells.get("age_group", "")
    if age_text:
        age_group = _age_group(age_text)
        if age_group is None:
            errors.append(
                _(
                    "Unknown age group “%(age)s”: use 18-24, 25-34, 35-44, 45-54 or 55+.",
                    age=age_text,
                )
            )
        else:
            row.age_group = age_group.value
    phone = cells.get("phone", "")
    if phone:
        if re.fullmatch(PHONE_PATTERN, phone):
            row.phone = phone
        else:
            errors.append(_("The phone number “%(phone)s” looks wrong.", phone=phone))


def preview(session: TrainingSession, raw_rows: list[RawRow]) -> list[PreviewRow]:
    """Each row with what enrolling it would do, in a fixed number of queries. Writes nothing."""
    regions = _region_lookup()
    rows: list[PreviewRow] = []
    first_line_of: dict[str, int] = {}
    for raw in raw_rows:
        cells = raw.cells
        row = PreviewRow(
            line=raw.line,
            name=re.sub(r"\s+", " ", cells.get("name", "")).strip(),
            email=normalise_email(cells.get("email", "")),
            region_text=cells.get("region", "").strip(),
            errors=[],
        )
        _check_cells(row, cells, regions)
        if row.email and row.email in first_line_of:
            row.errors.append(
                _("The same email is already on line %(line)d.", line=first_line_of[row.email])
            )
        elif row.email:
            first_line_of[row.email] = row.line
        rows.append(row)

    emails = [row.email for row in rows if not row.errors]
    users = {
        user.email: user
        for user in db.session.scalars(
            select(User).where(User.email.in_(emails)).options(joinedload(User.region))
        )
    }
    enrolled = {
        enrolment.user_id: enrolment
        for enrolment in db.session.scalars(
            select(Enrolment).where(
                Enrolment.session_id == session.id,
                Enrolment.user_id.in_([user.id for user in users.values()]),
                Enrolment.status.in_(ACTIVE_STATUSES),
            )
        )
    }
    for row in rows:
        user = users.get(row.email) if not row.errors else None
        if user is None:
            continue
        row.user = user
        if user.role is not Role.PARTICIPANT:
            row.errors.append(_("This email belongs to a %(role)s account.", role=user.role.label))
        elif not user.active:
            row.errors.append(_("This account is deactivated."))
        else:
            row.enrolment = enrolled.get(user.id)
    return rows


# --- carrying the rows from preview to confirmation ----------------------------------------------


def _serializer(session: TrainingSession) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(
        current_app.config["SECRET_KEY"], salt=f"bulk-enrolment-{session.id}"
    )


def sign_rows(session: TrainingSession, raw_rows: list[RawRow]) -> str:
    return _serializer(session).dumps([[row.line, row.cells] for row in raw_rows])


def unsign_rows(session: TrainingSession, token: str) -> list[RawRow] | None:
    """The rows signed for this session, or None if the token is forged, stale or malformed."""
    try:
        data = _serializer(session).loads(token or "", max_age=TOKEN_MAX_AGE)
    except BadSignature:  # SignatureExpired is a BadSignature
        return None
    try:
        return [
            RawRow(int(line), {str(key): str(value) for key, value in cells.items()})
            for line, cells in data
        ]
    except (TypeError, ValueError, AttributeError):
        return None
