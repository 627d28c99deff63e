"""What the public reads: published quotes as `Testimonial`s, and the featured ones.

Public pages never receive a `Quote`: they receive `Testimonial`s, built here, which carry only
what the speaker agreed to show.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload

from tot.curriculum.models import Programme
from tot.errors import DomainError
from tot.extensions import db
from tot.focusgroups.consent import PUBLISHED
from tot.focusgroups.models import Consent, FocusGroup, Quote, Theme, quote_themes
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


def attribution(quote: Quote) -> str:
    """ "Aigerim, 24, teacher, Osh Region" when the speaker agreed to their name being shown,
    else "participant, 24, teacher, Osh Region". Age, occupation and region only when known."""
    if quote.consent is Consent.NAMED and quote.speaker_name:
        who = quote.speaker_name
    else:
        who = _("participant")
    parts = [who]
    if quote.age is not None:
        parts.append(str(quote.age))
    if quote.occupation:
        parts.append(quote.occupation)
    if quote.region is not None:
        parts.append(quote.region.label)
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
