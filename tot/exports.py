"""Spreadsheet files for staff, CSV or XLSX, written one way with one guard against formulas.

What people wrote (a participant's comment, a quote, a name) may start like a formula: = + - @, a
tab or a carriage return. Opened in a spreadsheet program, such a cell would run on a staff
member's computer. In a CSV file it gets a leading apostrophe; in an XLSX file it is stored as
text, which a spreadsheet never runs. A CSV file starts with a byte-order mark, so that
spreadsheet programs read Cyrillic as UTF-8.
"""

import csv
import io
from collections.abc import Iterable, Sequence

from flask import Response
from openpyxl import Workbook

FORMATS = ("csv", "xlsx")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
MIMETYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
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
    (exports hold names of vulnerable people)."""
    if file_format == "xlsx":
        body = xlsx_bytes(rows, sheet_title)
    else:
        body = csv_text(rows).encode("utf-8")
    response = Response(body, mimetype=MIMETYPES[file_format])
    if file_format == "csv":
        response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
