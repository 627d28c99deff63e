"""Consent to publish a quote: what it needs, how a change is kept, and its history.

A quote is published only when its consent is "anonymous" or "named" (`PUBLISHED`); every change
of consent is kept as a `ConsentChange`; a quote that loses its consent is unfeatured at once.
"""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from tot.accounts.models import User
from tot.errors import DomainError
from tot.extensions import db
from tot.focusgroups.checks import check_past_date, one_line
from tot.focusgroups.models import Consent, ConsentChange, Quote
from tot.regions.models import Region
from tot.texts import too_long

CONSENT_METHOD_MAX = 200
PUBLISHED = (Consent.ANONYMOUS, Consent.NAMED)


def check_consent(
    consent, given_at, method, *, speaker_name: str, region: Region | None
) -> tuple[Consent, date | None, str]:
    if not isinstance(consent, Consent):
        raise DomainError(_("Choose what the speaker agreed to."), field="consent")
    method = one_line(method)
    if len(method) > CONSENT_METHOD_MAX:
        raise DomainError(too_long(CONSENT_METHOD_MAX), field="consent_method")
    if given_at is not None:
        check_past_date(given_at, region, "consent_given_at")
    if consent.publishable:
        if given_at is None:
            raise DomainError(
                _("Enter the date consent was given: a quote is published only with it."),
                field="consent_given_at",
            )
        if not method:
            raise DomainError(
                _("Say how consent was given, for example “signed form”."),
                field="consent_method",
            )
    if consent is Consent.NAMED and not speaker_name:
        raise DomainError(
            _("To publish with a name, enter the speaker's first name or a pseudonym."),
            field="speaker_name",
        )
    return consent, given_at, method


def record_consent(
    quote: Quote, consent: Consent, given_at: date | None, method: str, by: User | None
) -> bool:
    """Set the quote's consent and keep the change. False when nothing changed."""
    unchanged = (
        quote.id is not None
        and quote.consent is consent
        and quote.consent_given_at == given_at
        and (quote.consent_method or "") == method
    )
    if unchanged:
        return False
    quote.consent = consent
    quote.consent_given_at = given_at
    quote.consent_method = method
    if not consent.publishable:
        quote.featured = False
    quote.consent_history.append(
        ConsentChange(
            consent=consent,
            given_at=given_at,
            method=method,
            changed_by_id=by.id if by is not None else None,
        )
    )
    return True


def change_consent(
    quote: Quote,
    *,
    consent,
    consent_given_at: date | None = None,
    consent_method: str = "",
    by: User | None = None,
) -> bool:
    """Give, change or withdraw consent. False when nothing changed.

    Withdrawing (consent "internal") takes the quote off every public page at once and
    unfeatures it; the history keeps what was agreed before.
    """
    values = check_consent(
        consent,
        consent_given_at,
        consent_method,
        speaker_name=quote.speaker_name,
        region=quote.focus_group.region,
    )
    changed = record_consent(quote, *values, by)
    db.session.flush()
    return changed


def withdraw_consent(quote: Quote, *, by: User | None = None) -> bool:
    return change_consent(quote, consent=Consent.INTERNAL, by=by)


def consent_history(quote: Quote) -> list[tuple[ConsentChange, str]]:
    """The quote's consent changes, newest first, each with the name of who recorded it."""
    rows = db.session.execute(
        select(ConsentChange, User.full_name)
        .outerjoin(User, ConsentChange.changed_by_id == User.id)
        .where(ConsentChange.quote_id == quote.id)
        .order_by(ConsentChange.changed_at.desc(), ConsentChange.id.desc())
    )
    return [(change, name or "") for change, name in rows]
