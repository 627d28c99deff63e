"""Quotes as CSV for staff: opens in spreadsheet programs, and cannot smuggle formulas into them."""

import csv
import io
from collections.abc import Iterable

from flask_babel import gettext as _

from tot.focusgroups.models import Quote

BOM = "\ufeff"  # so that spreadsheet programs read the file as UTF-8 (Cyrillic names!)
# A cell starting with one of these is read as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str:
    """A cell's text, with a leading apostrophe when a spreadsheet would take it for a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def header() -> list[str]:
    return [
        _("Focus group date"),
        _("Focus group region"),
        _("Programme"),
        _("Quote"),
        _("Speaker"),
        _("Age"),
        _("Occupation"),
        _("Speaker's region"),
        _("Themes"),
        _("Consent"),
        _("Consent date"),
        _("Consent method"),
        _("Featured"),
    ]


def row(quote: Quote) -> list:
    group = quote.focus_group
    return [
        group.held_on.isoformat(),
        group.region.label,
        group.programme.title if group.programme else "",
        quote.text,
        quote.speaker_name,
        quote.age if quote.age is not None else "",
        quote.occupation,
        quote.region.label if quote.region else "",
        ", ".join(theme.name for theme in quote.themes),
        quote.consent.label,
        quote.consent_given_at.isoformat() if quote.consent_given_at else "",
        quote.consent_method,
        _("yes") if quote.featured else _("no"),
    ]


def quotes_csv(quotes: Iterable[Quote]) -> str:
    """The whole file, byte-order mark first."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer)
    writer.writerow([neutralise(cell) for cell in header()])
    for quote in quotes:
        writer.writerow([neutralise(cell) for cell in row(quote)])
    return buffer.getvalue()
