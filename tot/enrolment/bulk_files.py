"""Reading an uploaded list of people (CSV or XLSX) for bulk enrolment into rows of text.

What each row means, and what enrolling it would do, is checked in `bulk`.
"""

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar

from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from openpyxl import load_workbook

from tot.i18n import Language

MAX_ROWS = 500
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
# A column may also be named as the interface names it, in any of its languages.
COLUMN_LABELS = {
    "name": _l("Name"),
    "email": _l("Email"),
    "region": _l("Region"),
    "gender": _l("Gender"),
    "age_group": _l("Age group"),
    "phone": _l("Phone"),
}


K = TypeVar("K")


def in_every_language(labels: Mapping[K, object]) -> list[tuple[str, K]]:
    """(text, key) for each label of a {key: lazy label} mapping, in every interface language."""
    named: list[tuple[str, K]] = []
    for language in Language:
        with force_locale(language.value):
            named += [(str(label), key) for key, label in labels.items()]
    return named


def too_many_rows() -> str:
    return ngettext(
        "The file has more than %(num)d person: split it into smaller files.",
        "The file has more than %(num)d people: split it into smaller files.",
        MAX_ROWS,
    )


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
    return str(value).replace("\x00", "").strip()  # PostgreSQL stores no NUL; nobody means one


def _header_key(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", text.strip().lower()).strip()


def _columns(header: list[str]) -> dict[str, int]:
    aliases = {_header_key(text): column for text, column in in_every_language(COLUMN_LABELS)}
    aliases.update(HEADER_ALIASES)
    positions: dict[str, int] = {}
    for index, text in enumerate(header):
        column = aliases.get(_header_key(text))
        if column and column not in positions:
            positions[column] = index
    missing = [column for column in REQUIRED_COLUMNS if column not in positions]
    if missing:
        raise BulkFileError(
            _(
                "The first row must name the columns: %(columns)s. Missing: %(missing)s.",
                columns=", ".join(str(label) for label in COLUMN_LABELS.values()),
                missing=", ".join(str(COLUMN_LABELS[column]) for column in missing),
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
    rows: list[RawRow] = []
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
