"""Spreadsheet files for staff, CSV or XLSX, written one way with one guard against formulas.

What people wrote (a participant's comment, a quote, a name) may start like a formula: = + - @, a
tab or a carriage return. Opened in a spreadsheet program, such a cell would run on a staff
member's computer. In a CSV file it gets a leading apostrophe; in an XLSX file it is stored as
text, which a spreadsheet never runs. A CSV file starts with a byte-order mark, so that
spreadsheet programs read Cyrillic as UTF-8.

Every file of people's data leaves through `download` (or `download_json`), and each one is
recorded in the audit log there, with who downloaded it: the one place exports are audited.
"""

import csv
import io
import json
from collections.abc import Iterable, Sequence

from flask import Response
from flask_login import current_user
from openpyxl import Workbook

from tot.audit import services as audit
from tot.audit.models import AuditAction
from tot.extensions import db

FORMATS = ("csv", "xlsx")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
MIMETYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
SHEET_TITLE_MAX = 31  # what spreadsheet programs allow

Rows = Iterable[Sequence]


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def neutralise(value) -> str:
    """A CSV cell's text, with an apostrophe before anything a spreadsheet would run."""
    text = "" if value is None else str(value)
    return "'" + text if looks_like_formula(text) else text


def csv_text(rows: Rows) -> str:
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue()


def xlsx_bytes(rows: Rows, sheet_title: str = "") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    if sheet_title:
        sheet.title = sheet_title[:SHEET_TITLE_MAX]
    for row_number, row in enumerate(rows, start=1):
        for column_number, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column_number)
            if value is None or isinstance(value, bool):
                cell.value = "" if value is None else str(value)
            elif isinstance(value, int | float):
                cell.value = value  # numbers stay numbers, to add up
            else:
                cell.value = str(value)
                cell.data_type = "s"  # text, even if it starts like a formula
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def download(rows: Rows, *, name: str, file_format: str, sheet_title: str = "") -> Response:
    """The rows as a file to download, `name`.csv or `name`.xlsx; never kept by a cache
    (exports hold names of vulnerable people). The download is recorded in the audit log."""
    rows = list(rows)
    if file_format == "xlsx":
        body = xlsx_bytes(rows, sheet_title)
    else:
        body = csv_text(rows).encode("utf-8")
    return _file(body, name=name, file_format=file_format, lines=len(rows))


def download_json(data: dict, *, name: str, subject=None) -> Response:
    """`data` as `name`.json to download, recorded like every other file; `subject`: the person
    the file is about, when it is one person's data."""
    body = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    return _file(body, name=name, file_format="json", subject=subject)


def _file(body: bytes, *, name: str, file_format: str, lines=None, subject=None) -> Response:
    """The response of a file, after recording who downloaded it (committed: a download changes
    nothing else, and the record must outlast the request)."""
    details: dict[str, object] = {"file": f"{name}.{file_format}"}
    if lines is not None:
        details["lines"] = lines
    audit.record(AuditAction.EXPORTED, actor=current_user, subject=subject, after=details)
    db.session.commit()
    response = Response(body, mimetype=MIMETYPES[file_format])
    if file_format == "csv":
        response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
