"""Finding English interface text on pages shown in another language.

Interface text that was never marked for translation stays English whatever the reader chose.
To find it, the pages are rendered in Russian, Kyrgyz or Tajik over data that has no Latin
letters either (`cyrillicise_content` rewrites what people wrote), and every visible text and
every attribute a person can hear or read is searched for Latin words. Text marked as being in
another language (`lang="en"`, as the language switch marks "English") is exempt.
"""

import re

import sqlalchemy as sa
from bs4 import BeautifulSoup, Comment, Doctype

from tot.extensions import db

LATIN = "abcdefghijklmnopqrstuvwxyz"
CYRILLIC = "абцдефгхийклмнопкрстуввхыз"
TO_CYRILLIC = str.maketrans(LATIN + LATIN.upper(), CYRILLIC + CYRILLIC.upper())
# Columns that are not prose: addresses, keys, hashes, zone names and what code looks up.
NOT_PROSE = {"email", "password_hash", "token", "timezone", "link", "kind"}

WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
NOT_WORDS = re.compile(
    r"\S+@\S+"  # email addresses
    r"|https?://\S*"  # links
    r"|\b(?:Asia|Europe|UTC)/[A-Za-z_]+"  # time zone names, shown beside their local name
    r"|\b(?:CSV|XLSX|PDF|UTF-8|TOT|iCalendar|Markdown|URL|QR|Excel)\b"  # names of formats
    r"|\.(?:ics|csv|xlsx)\b"  # file name endings
    r"|\bCtrl\+\w\b"  # a key on the keyboard
)
SPOKEN_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt", "data-label")


def cyrillicise_content() -> None:
    """Rewrite every text people wrote (titles, names, notes, answers…) in Cyrillic letters."""

    def rewrite(value):
        if isinstance(value, str):
            return value.translate(TO_CYRILLIC)
        if isinstance(value, dict):
            return {key: rewrite(item) for key, item in value.items()}
        if isinstance(value, list):
            return [rewrite(item) for item in value]
        return value

    with db.engine.begin() as connection:
        for table in db.metadata.sorted_tables:
            columns = [
                column
                for column in table.columns
                if column.name not in NOT_PROSE
                and not column.primary_key
                and not isinstance(column.type, sa.Enum)
                and isinstance(column.type, sa.String | sa.Text | sa.JSON)
            ]
            if not columns:
                continue
            keys = list(table.primary_key.columns)
            for row in connection.execute(sa.select(*keys, *columns)).all():
                connection.execute(
                    table.update()
                    .where(*[key == getattr(row, key.name) for key in keys])
                    .values({column.name: rewrite(getattr(row, column.name)) for column in columns})
                )


def english_words(text: str) -> list[str]:
    return WORD.findall(NOT_WORDS.sub(" ", text))


def _in_another_language(element, page_language: str) -> bool:
    for parent in (element, *element.parents):
        language = getattr(parent, "attrs", {}).get("lang")
        if language:
            return language != page_language
    return False


def english_on_page(html: str) -> list[str]:
    """The texts of a page that hold English words, outside parts marked as another language."""
    soup = BeautifulSoup(html, "html.parser")
    page_language = soup.html.get("lang", "") if soup.html else ""
    found = []
    for text in soup.find_all(string=True):
        if isinstance(text, Comment | Doctype) or text.parent.name in ("script", "style"):
            continue
        if english_words(text) and not _in_another_language(text.parent, page_language):
            found.append(" ".join(text.split()))
    for element in soup.find_all(True):
        values = [element.get(name) for name in SPOKEN_ATTRIBUTES]
        if element.name == "input" and element.get("type") in ("submit", "button"):
            values.append(element.get("value"))  # the text of the button
        for value in values:
            if value and english_words(value) and not _in_another_language(element, page_language):
                found.append(f"{element.name}: {value}")
    return found


def english_in_text_file(body: str, content_type: str) -> list[str]:
    """English words in the reader-facing parts of a CSV (its header) or an iCalendar file."""
    if content_type.startswith("text/csv"):
        header = body.lstrip("\ufeff").splitlines()[:1]
        return [line for line in header if english_words(line)]
    # iCalendar: unfold lines, drop the time zone definitions (the calendar app reads those).
    body = re.sub(r"BEGIN:VTIMEZONE.*?END:VTIMEZONE", "", body.replace("\r\n ", ""), flags=re.S)
    readable = ("SUMMARY", "DESCRIPTION", "LOCATION", "X-WR-CALNAME", "X-WR-CALDESC")
    found = []
    for line in body.splitlines():
        if line.startswith(readable):
            value = line.split(":", 1)[1].replace("\\n", " ").replace("\\,", ",")
            if english_words(value):
                found.append(line)
    return found
