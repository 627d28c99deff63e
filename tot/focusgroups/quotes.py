"""Quotes from a focus group: their words, speaker, themes and, through `consent`, their consent."""

from collections.abc import Iterable, Sequence

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from tot.accounts.models import User
from tot.errors import DomainError
from tot.extensions import db
from tot.focusgroups.checks import clean, one_line, region_chosen
from tot.focusgroups.consent import (
    SHOWN_FIELDS,
    ask_again,
    check_consent,
    check_name,
    record_consent,
)
from tot.focusgroups.models import FocusGroup, Quote, Theme
from tot.labels import labels_named, parse_labels
from tot.texts import too_long

QUOTE_MAX = 2000
SPEAKER_NAME_MAX = 80
OCCUPATION_MAX = 120
AGE_RANGE = (14, 110)
THEME_MAX = 60
THEMES_PER_QUOTE = 20


def quotes_of(group: FocusGroup) -> list[Quote]:
    """A focus group's quotes, oldest first, with region, themes and consent history loaded."""
    return list(
        db.session.scalars(
            select(Quote)
            .where(Quote.focus_group_id == group.id)
            .options(
                joinedload(Quote.region),
                selectinload(Quote.themes),
            )
            .order_by(Quote.created_at, Quote.id)
        )
    )


# --- themes --------------------------------------------------------------------------------------


def normalise_theme(name: str) -> str:
    return one_line(name).lower()


def parse_themes(themes: str | Iterable[str]) -> list[str]:
    """Theme names from "Confidence, legal skills" or a list: trimmed, lower-cased, deduplicated."""
    return parse_labels(
        themes,
        normalise=normalise_theme,
        max_length=THEME_MAX,
        max_count=THEMES_PER_QUOTE,
        field="theme_list",
        too_long=too_long(THEME_MAX),
        too_many=ngettext(
            "A quote may have at most %(num)d theme.",
            "A quote may have at most %(num)d themes.",
            THEMES_PER_QUOTE,
        ),
    )


def themes_named(names: Sequence[str]) -> list[Theme]:
    """The themes with these names, creating those that do not exist yet."""
    return labels_named(Theme, names)


# --- quotes --------------------------------------------------------------------------------------


def _checked_quote(fields: dict, group: FocusGroup, quote: Quote | None) -> dict:
    """The words, speaker and themes of a quote from a form's values (its consent apart)."""
    text = clean(fields.get("text")).strip()
    if not text:
        raise DomainError(_("Enter the quote."), field="text")
    if len(text) > QUOTE_MAX:
        raise DomainError(too_long(QUOTE_MAX), field="text")
    speaker_name = one_line(fields.get("speaker_name"))
    if len(speaker_name) > SPEAKER_NAME_MAX:
        raise DomainError(
            too_long(SPEAKER_NAME_MAX),
            field="speaker_name",
        )
    age = fields.get("age")
    low, high = AGE_RANGE
    if age is not None and (
        not isinstance(age, int) or isinstance(age, bool) or not low <= age <= high
    ):
        raise DomainError(
            _("Enter an age from %(min)d to %(max)d, or leave it empty.", min=low, max=high),
            field="age",
        )
    occupation = one_line(fields.get("occupation"))
    if len(occupation) > OCCUPATION_MAX:
        raise DomainError(too_long(OCCUPATION_MAX), field="occupation")
    current_region = quote.region if quote is not None else group.region
    region = region_chosen(fields.get("region_id"), current_region)
    theme_names = parse_themes(fields.get("themes") or "")
    return {
        "text": text,
        "speaker_name": speaker_name,
        "age": age,
        "occupation": occupation,
        "region": region,
        "theme_names": theme_names,
    }


def add_quote(group: FocusGroup, *, by: User | None = None, **fields) -> Quote:
    """A new quote. Fields: text, speaker_name, age, occupation, region_id, themes, and its
    consent: consent, consent_given_at, consent_method and what it lets the public read
    (`consent.SHOWN_FIELDS`, the least revealing when left out). Its first consent is kept in
    the history."""
    values = _checked_quote(fields, group, None)
    agreement = check_consent(
        fields.get("consent"),
        fields.get("consent_given_at"),
        fields.get("consent_method"),
        speaker_name=values["speaker_name"],
        region=group.region,
        **{name: fields[name] for name in SHOWN_FIELDS if name in fields},
    )
    quote = Quote(
        text=values["text"],
        speaker_name=values["speaker_name"],
        age=values["age"],
        occupation=values["occupation"],
        region=values["region"],
        featured=False,
    )
    quote.themes = themes_named(values["theme_names"])
    record_consent(quote, agreement, by)
    group.quotes.append(quote)
    db.session.flush()
    return quote


def same_words(first: str, second: str) -> bool:
    """Do two texts read the same in public (the same paragraphs, spaces and line ends aside)?"""

    def paragraphs(text: str) -> list[str]:
        return [" ".join(line.split()) for line in text.splitlines() if line.strip()]

    return paragraphs(first) == paragraphs(second)


def update_quote(quote: Quote, *, by: User | None = None, **fields) -> bool:
    """Change a quote's words, speaker and themes (the fields of `add_quote` but its consent,
    which `consent.change_consent` changes). True when the words of a published quote changed:
    the speaker agreed to other words, so it is unpublished until they are asked again."""
    values = _checked_quote(fields, quote.focus_group, quote)
    check_name(quote.consent, quote.shown, values["speaker_name"])
    words_changed = not same_words(quote.text, values["text"])
    for name in ("text", "speaker_name", "age", "occupation", "region"):
        setattr(quote, name, values[name])
    quote.themes = themes_named(values["theme_names"])
    asked_again = words_changed and ask_again(quote, by=by)
    db.session.flush()
    return asked_again


def quotes_for_export() -> list[Quote]:
    """Every quote with its focus group, programme, region and themes loaded."""
    return list(
        db.session.scalars(
            select(Quote)
            .options(
                joinedload(Quote.focus_group).joinedload(FocusGroup.region),
                joinedload(Quote.focus_group).joinedload(FocusGroup.programme),
                joinedload(Quote.region),
                selectinload(Quote.themes),
            )
            .join(FocusGroup, FocusGroup.id == Quote.focus_group_id)
            .order_by(FocusGroup.held_on.desc(), FocusGroup.id.desc(), Quote.id)
        )
    )
