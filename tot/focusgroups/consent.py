"""Consent to publish a quote: what it needs, what it lets the public read, how a change is kept.

A quote is published only when its consent is "anonymous" or "named" (`PUBLISHED`), and then
shows only the details its consent lists (`Shown`: which name, age band, occupation, place);
every change of consent is kept as a `ConsentChange`; a quote that loses its consent is
unfeatured at once. When the words of a published quote change, the speaker agreed to other
words: the quote leaves the public pages and waits for its consent to be asked again (`PENDING`).
"""

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from tot.accounts.models import User
from tot.audit import services as audit
from tot.audit.models import AuditAction
from tot.errors import DomainError
from tot.extensions import db
from tot.focusgroups.checks import check_past_date, one_line
from tot.focusgroups.models import Consent, ConsentChange, NameShown, PlaceShown, Quote, Shown
from tot.regions.models import Region
from tot.texts import too_long

CONSENT_METHOD_MAX = 200
PSEUDONYM_MAX = 80
PUBLISHED = (Consent.ANONYMOUS, Consent.NAMED)
# What staff may record; "to be asked again" is set by the platform when the words change.
CHOOSABLE = (Consent.INTERNAL, Consent.ANONYMOUS, Consent.NAMED)
# The form fields of what a consent lets the public read (see `check_shown`).
SHOWN_FIELDS = ("name_shown", "pseudonym", "show_age_band", "show_occupation", "place_shown")


@dataclass(frozen=True)
class Agreement:
    """What the speaker agreed to, when and how: one consent, checked."""

    consent: Consent
    given_at: date | None = None
    method: str = ""
    shown: Shown = field(default_factory=Shown)


def check_shown(
    *, name_shown=NameShown.PSEUDONYM, pseudonym="", show_age_band=False,
    show_occupation=False, place_shown=PlaceShown.NONE,
) -> Shown:  # fmt: skip
    """The details a consent lets the public read, from a form's values."""
    if not isinstance(name_shown, NameShown):
        raise DomainError(_("Choose which name is shown."), field="name_shown")
    if not isinstance(place_shown, PlaceShown):
        raise DomainError(
            _("Choose what is shown of where the speaker lives."), field="place_shown"
        )
    pseudonym = one_line(pseudonym)
    if len(pseudonym) > PSEUDONYM_MAX:
        raise DomainError(too_long(PSEUDONYM_MAX), field="pseudonym")
    return Shown(
        name=name_shown,
        pseudonym=pseudonym,
        age_band=show_age_band is True,
        occupation=show_occupation is True,
        place=place_shown,
    )


def check_name(consent: Consent, shown: Shown, speaker_name: str) -> None:
    """A quote published with a name has that name."""
    if consent is not Consent.NAMED:
        return
    if shown.name is NameShown.PSEUDONYM and not shown.pseudonym:
        raise DomainError(
            _("Enter the pseudonym the speaker chose, or publish anonymously."), field="pseudonym"
        )
    if shown.name is NameShown.FIRST_NAME and not speaker_name:
        raise DomainError(
            _("To publish with their first name, enter the speaker's first name."),
            field="speaker_name",
        )


def check_consent(
    consent, given_at, method, *, speaker_name: str, region: Region | None, **shown_fields
) -> Agreement:
    if not isinstance(consent, Consent) or consent not in CHOOSABLE:
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
    shown = check_shown(**shown_fields)
    check_name(consent, shown, speaker_name)
    return Agreement(consent, given_at, method, shown)


def _agreement_of(quote: Quote) -> Agreement:
    return Agreement(quote.consent, quote.consent_given_at, quote.consent_method or "", quote.shown)


def _audited(quote: Quote) -> dict:
    """What the audit log keeps of a quote's consent (not the pseudonym: words people chose)."""
    shown = ("name_shown", "place_shown", "show_age_band", "show_occupation")
    return {"consent": quote.consent, **{name: getattr(quote, name) for name in shown}}


def record_consent(quote: Quote, agreement: Agreement, by: User | None) -> bool:
    """Set the quote's consent and keep the change. False when nothing changed."""
    if quote.id is not None and _agreement_of(quote) == agreement:
        return False
    before = _audited(quote) if quote.id is not None else None  # a new quote: no change to log
    quote.consent = agreement.consent
    quote.consent_given_at = agreement.given_at
    quote.consent_method = agreement.method
    quote.shown = agreement.shown
    if not agreement.consent.publishable:
        quote.featured = False
    change = ConsentChange(
        consent=agreement.consent,
        given_at=agreement.given_at,
        method=agreement.method,
        changed_by_id=by.id if by is not None else None,
    )
    change.shown = agreement.shown
    quote.consent_history.append(change)
    if before is not None:
        audit.record(
            AuditAction.CONSENT_CHANGED,
            actor=by,
            target=quote,
            before=before,
            after=_audited(quote),
        )
    return True


def change_consent(
    quote: Quote,
    *,
    consent,
    consent_given_at: date | None = None,
    consent_method: str = "",
    by: User | None = None,
    **shown_fields,
) -> bool:
    """Give, change or withdraw consent, with the details it lets the public read (`check_shown`'s
    fields; the least revealing when left out). False when nothing changed.

    Withdrawing (consent "internal") takes the quote off every public page at once and
    unfeatures it; the history keeps what was agreed before.
    """
    agreement = check_consent(
        consent,
        consent_given_at,
        consent_method,
        speaker_name=quote.speaker_name,
        region=quote.focus_group.region,
        **shown_fields,
    )
    changed = record_consent(quote, agreement, by)
    db.session.flush()
    return changed


def withdraw_consent(quote: Quote, *, by: User | None = None) -> bool:
    return change_consent(quote, consent=Consent.INTERNAL, by=by)


def ask_again(quote: Quote, *, by: User | None = None) -> bool:
    """The words of a published quote changed: unpublish it until its consent is recorded again.

    The details agreed before are kept, to start from when the answer is recorded. False when
    the quote was not published (nothing to ask again)."""
    if not quote.consent.publishable:
        return False
    return record_consent(quote, Agreement(Consent.PENDING, shown=quote.shown), by)


def consent_history(quote: Quote) -> list[tuple[ConsentChange, str]]:
    """The quote's consent changes, newest first, each with the name of who recorded it."""
    rows = db.session.execute(
        select(ConsentChange, User.full_name)
        .outerjoin(User, ConsentChange.changed_by_id == User.id)
        .where(ConsentChange.quote_id == quote.id)
        .order_by(ConsentChange.changed_at.desc(), ConsentChange.id.desc())
    )
    return [(change, name or "") for change, name in rows]


def agreed_details(consent: Consent, shown: Shown) -> str:
    """For staff: what a consent lets the public read ("pseudonym “Aida”, age group, region")."""
    if not consent.publishable:
        return ""
    if consent is Consent.ANONYMOUS:
        parts = [_("no name")]
    elif shown.name is NameShown.FIRST_NAME:
        parts = [_("first name")]
    else:
        parts = [_("pseudonym “%(name)s”", name=shown.pseudonym)]
    if shown.age_band:
        parts.append(_("age group"))
    if shown.occupation:
        parts.append(_("occupation"))
    if shown.place is PlaceShown.COUNTRY:
        parts.append(_("country"))
    elif shown.place is PlaceShown.REGION:
        parts.append(_("region"))
    return ", ".join(parts)
