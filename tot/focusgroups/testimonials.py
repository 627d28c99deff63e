"""What the public reads: published quotes as `Testimonial`s, and the featured ones.

Public pages never receive a `Quote`: they receive `Testimonial`s, built here, which carry only
what the speaker agreed to show. `attribution` is the one place that decides what that is: staff
pages ask it too ("shown publicly as").
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload

from tot.accounts.models import AgeGroup
from tot.curriculum.models import Programme
from tot.errors import DomainError
from tot.extensions import db
from tot.focusgroups.consent import PUBLISHED
from tot.focusgroups.models import (
    Consent,
    FocusGroup,
    NameShown,
    PlaceShown,
    Quote,
    Theme,
    quote_themes,
)
from tot.focusgroups.quotes import normalise_theme


@dataclass(frozen=True)
class Testimonial:
    """A published quote as the public sees it: the words and an attribution, nothing else."""

    id: int
    text: str
    attribution: str
    themes: list[str] = field(default_factory=list)

    @property
    def paragraphs(self) -> list[str]:
        return [line.strip() for line in self.text.splitlines() if line.strip()]


def _youngest(group: AgeGroup) -> int:
    return int(group.value.rstrip("+").split("-")[0])


def age_group_of(age: int | None) -> AgeGroup | None:
    """The platform's age group (the accounts' `AgeGroup`) of an age; None below the youngest."""
    if age is None:
        return None
    return max(
        (group for group in AgeGroup if _youngest(group) <= age), key=_youngest, default=None
    )


def _speaker(quote: Quote) -> str:
    shown = quote.shown
    if quote.consent is Consent.NAMED:
        if shown.name is NameShown.FIRST_NAME and quote.speaker_name:
            return quote.speaker_name
        if shown.name is NameShown.PSEUDONYM and shown.pseudonym:
            return shown.pseudonym
    return _("a participant")


def _place(quote: Quote) -> str:
    if quote.region is None or quote.place_shown is PlaceShown.NONE:
        return ""
    if quote.place_shown is PlaceShown.COUNTRY:
        return quote.region.country.label
    return quote.region.label


def attribution(quote: Quote) -> str:
    """Who said it, as the speaker agreed it may be shown, and nothing more: "Aida, aged 25–34,
    teacher, Osh Region" with everything agreed; "a participant, Kyrgyzstan" with no name and
    only the country. Never the exact age: its age group, and only from the youngest group on."""
    shown = quote.shown
    parts = [_speaker(quote)]
    group = age_group_of(quote.age) if shown.age_band else None
    if group is not None:
        parts.append(_("aged %(age_group)s", age_group=group.label))
    if shown.occupation and quote.occupation:
        parts.append(quote.occupation)
    place = _place(quote)
    if place:
        parts.append(place)
    return ", ".join(parts)


def as_testimonials(quotes: Iterable[Quote]) -> list[Testimonial]:
    """Public forms of quotes; any quote without consent to publish is left out."""
    return [
        Testimonial(
            id=quote.id,
            text=quote.text,
            attribution=attribution(quote),
            themes=[theme.name for theme in quote.themes],
        )
        for quote in quotes
        if quote.consent.publishable
    ]


def published_quotes(theme: str | None = None, programme_id: int | None = None) -> Select:
    """A select of quotes with consent to publish, newest first, region and themes loaded."""
    statement = (
        select(Quote)
        .where(Quote.consent.in_(PUBLISHED))
        .options(joinedload(Quote.region), selectinload(Quote.themes))
        .order_by(Quote.created_at.desc(), Quote.id.desc())
    )
    theme_name = normalise_theme(theme or "")
    if theme_name:
        statement = statement.where(Quote.themes.any(Theme.name == theme_name))
    if programme_id:
        statement = statement.where(Quote.focus_group.has(FocusGroup.programme_id == programme_id))
    return statement


def published_theme_names() -> list[str]:
    """Themes of published quotes only: an internal quote's themes are not shown publicly."""
    used = (
        select(quote_themes.c.theme_id)
        .join(Quote, Quote.id == quote_themes.c.quote_id)
        .where(Quote.consent.in_(PUBLISHED))
    )
    return list(
        db.session.scalars(select(Theme.name).where(Theme.id.in_(used)).order_by(Theme.name))
    )


def published_programmes() -> list[Programme]:
    """Programmes with at least one published quote."""
    used = (
        select(FocusGroup.programme_id)
        .join(Quote, Quote.focus_group_id == FocusGroup.id)
        .where(Quote.consent.in_(PUBLISHED), FocusGroup.programme_id.is_not(None))
    )
    return list(
        db.session.scalars(
            select(Programme).where(Programme.id.in_(used)).order_by(Programme.title, Programme.id)
        )
    )


# --- featured on the home page -------------------------------------------------------------------


def feature(quote: Quote) -> None:
    """Show a quote on the home page. Only a quote with consent to publish."""
    if not quote.consent.publishable:
        raise DomainError(_("Only a quote with consent to publish can be featured."))
    quote.featured = True
    db.session.flush()


def unfeature(quote: Quote) -> None:
    quote.featured = False
    db.session.flush()


def featured_quotes(limit: int = 3) -> list[Testimonial]:
    """Featured quotes with consent to publish, newest first, for the home page."""
    quotes = db.session.scalars(
        select(Quote)
        .where(Quote.featured.is_(True), Quote.consent.in_(PUBLISHED))
        .options(joinedload(Quote.region), selectinload(Quote.themes))
        .order_by(Quote.created_at.desc(), Quote.id.desc())
        .limit(limit)
    )
    return as_testimonials(quotes)
