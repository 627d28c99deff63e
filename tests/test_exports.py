"""Spreadsheet exports: CSV and XLSX from one writer, with one guard against formulas."""

import io

import pytest
from openpyxl import load_workbook

from tests.factories import make_session
from tot.exports import csv_text, xlsx_bytes

ROWS = [["Name", "Comment", "Days"], ["Айгүл", '=HYPERLINK("http://evil")', 3], ["Bakyt", "-2", 0]]


def test_a_csv_starts_with_a_byte_order_mark_and_defuses_formulas():
    text = csv_text(ROWS)
    assert text.startswith("\ufeff")
    lines = text.removeprefix("\ufeff").splitlines()
    assert lines[1] == 'Айгүл,"\'=HYPERLINK(""http://evil"")",3'
    assert lines[2] == "Bakyt,'-2,0"


def test_an_xlsx_keeps_formulas_as_text_and_numbers_as_numbers():
    sheet = load_workbook(io.BytesIO(xlsx_bytes(ROWS, "Roster"))).active
    assert sheet.title == "Roster"
    formula = sheet.cell(row=2, column=2)
    assert (formula.value, formula.data_type) == ('=HYPERLINK("http://evil")', "s")
    assert sheet.cell(row=3, column=2).data_type == "s"
    assert sheet.cell(row=2, column=3).value == 3


@pytest.mark.parametrize(
    "url",
    [
        "/sessions/{id}/roster.xlsx",
        "/sessions/{id}/feedback/results.xlsx",
        "/focus-groups/quotes.xlsx",
    ],
)
def test_every_export_is_offered_as_xlsx_to_staff_only(client, login_as, make_user, url):

    session = make_session(make_user(role="facilitator"))
    login_as("participant")
    assert client.get(url.format(id=session.id)).status_code == 403
