"""Quotes as a spreadsheet for staff (written by tot.exports, which keeps formulas out)."""

from collections.abc import Iterable

from flask_babel import gettext as _

from tot.focusgroups.models import Quote


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


def quotes_rows(quotes: Iterable[Quote]):
    yield header()
    for quote in quotes:
        yield row(quote)
