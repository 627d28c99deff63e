"""Rules of focus groups, quotes and consent, and what the public may read of them.

Consent is the heart of this feature. A quote is published only when its consent is "anonymous"
or "named"; every change of consent is kept as a `ConsentChange`; a quote that loses its consent
is unfeatured at once. Public pages never receive a `Quote`: they receive `Testimonial`s, built
here, which carry only what the speaker agreed to show.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload, selectinload

from tot.accounts.models import User
from tot.curriculum.models import Programme
from tot.errors import DomainError
from tot.extensions import db
from tot.focusgroups.models import Consent, ConsentChange, FocusGroup, Quote, Theme, quote_themes
from tot.permissions import Role
from tot.regions.models import Region
from tot.sessions.models import SessionStatus, TrainingSession

EARLIEST_DATE = date(2000, 1, 1)
ATTENDEES_RANGE = (0, 500)  # per gender
NOTES_MAX = 5000
QUOTE_MAX = 2000
SPEAKER_NAME_MAX = 80
OCCUPATION_MAX = 120
AGE_RANGE = (14, 110)
THEME_MAX = 60
THEMES_PER_QUOTE = 20
CONSENT_METHOD_MAX = 200
PUBLISHED = (Consent.ANONYMOUS, Consent.NAMED)
DATABASE_INTEGER_MAX = 2**31 - 1
DEFAULT_ZONE = ZoneInfo("Asia/Bishkek")


# --- text ----------------------------------------------------------------------------------------

# Control characters other than tab and line breaks: PostgreSQL refuses NUL in text, and none of
# them belongs in a quote or a name.
_CONTROL = dict.fromkeys(c for c in range(32) if chr(c) not in "\t\n\r")
_CONTROL[127] = None


def clean(value) -> str:
    """Text from a form without control characters (keeps tabs and line breaks)."""
    return str(value or "").translate(_CONTROL)


def one_line(value) -> str:
    """Text on one line: control characters dropped, runs of spaces made one."""
    return " ".join(clean(value).split())


# --- dates ---------------------------------------------------------------------------------------


def today_in(region: Region | None) -> date:
    """Today's date on the clock of the region (Bishkek when there is none)."""
    zone = region.zone if region is not None else DEFAULT_ZONE
    return datetime.now(zone).date()


def _check_past_date(value, region: Region | None, field_name: str) -> None:
    if not isinstance(value, date):
        raise DomainError(_("Enter a date, such as 2025-03-14."), field=field_name)
    if value < EARLIEST_DATE:
        raise DomainError(_("Enter a date in the year 2000 or later."), field=field_name)
    if value > today_in(region):
        raise DomainError(_("The date cannot be in the future."), field=field_name)


def _check_id(value) -> int | None:
    """An id from a form, or None; anything that cannot be a database id is refused."""
    if value is None or value == "":
        return None
    if (
        not isinstance(value, int)
        or isinstance(value, bool)
        or not 1 <= value <= DATABASE_INTEGER_MAX
    ):
        raise ValueError(value)
    return value


def _get(model, value, field_name: str, message: str):
    try:
        ident = _check_id(value)
    except ValueError:
        raise DomainError(message, field=field_name) from None
    if ident is None:
        return None
    found = db.session.get(model, ident)
    if found is None:
        raise DomainError(message, field=field_name)
    return found


def _region(value, current: Region | None, field_name: str = "region_id") -> Region:
    """An open region, or the one already recorded even if it has been retired since."""
    message = _("Choose a region.")
    region = _get(Region, value, field_name, message)
    if region is None:
        raise DomainError(message, field=field_name)
    if region.is_retired and region is not current:
        raise DomainError(_("This region is no longer offered."), field=field_name)
    return region


# --- focus groups --------------------------------------------------------------------------------


def list_focus_groups(region_id: int | None = None, programme_id: int | None = None) -> Select:
    """Focus groups, newest first, with region, programme and facilitator loaded."""
    statement = select(FocusGroup).options(
        joinedload(FocusGroup.region),
        joinedload(FocusGroup.programme),
        joinedload(FocusGroup.facilitator),
    )
    if region_id:
        statement = statement.where(FocusGroup.region_id == region_id)
    if programme_id:
        statement = statement.where(FocusGroup.programme_id == programme_id)
    return statement.order_by(FocusGroup.held_on.desc(), FocusGroup.id.desc())


def quote_counts(groups: Iterable[FocusGroup]) -> dict[int, int]:
    """How many quotes each of the given focus groups has, in one query."""
    ids = [group.id for group in groups]
    if not ids:
        return {}
    rows = db.session.execute(
        select(Quote.focus_group_id, func.count())
        .where(Quote.focus_group_id.in_(ids))
        .group_by(Quote.focus_group_id)
    )
    return dict(rows.all())


def programme_options() -> list[Programme]:
    return list(db.session.scalars(select(Programme).order_by(Programme.title, Programme.id)))


def session_options(current: TrainingSession | None = None) -> list[TrainingSession]:
    """Sessions a focus group may be about: all but cancelled ones, newest first."""
    sessions = list(
        db.session.scalars(
            select(TrainingSession)
            .options(joinedload(TrainingSession.programme))
            .where(TrainingSession.status != SessionStatus.CANCELLED)
            .order_by(TrainingSession.starts_at.desc(), TrainingSession.id.desc())
        )
    )
    if current is not None and current not in sessions:
        sessions.append(current)
    return sessions


def facilitator_options(current: User | None = None) -> list[User]:
    """Active facilitators by name, and the group's facilitator even if no longer one."""
    people = list(
        db.session.scalars(
            select(User)
            .where(User.role == Role.FACILITATOR, User.active.is_(True))
            .order_by(User.full_name, User.id)
        )
    )
    if current is not None and current not in people:
        people.append(current)
    return people


def _check_count(value, field_name: str) -> int:
    low, high = ATTENDEES_RANGE
    if value is None:
        return 0
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise DomainError(
            _("Enter a number from %(min)d to %(max)d.", min=low, max=high), field=field_name
        )
    return value


def _is_active_facilitator(user: User) -> bool:
    return user.role is Role.FACILITATOR and user.active


def _checked_group(group: FocusGroup | None, fields: dict) -> dict:
    region = _region(fields.get("region_id"), group.region if group else None)
    _check_past_date(fields.get("held_on"), region, "held_on")
    programme = _get(
        Programme, fields.get("programme_id"), "programme_id", _("Choose a programme.")
    )
    session = _get(TrainingSession, fields.get("session_id"), "session_id", _("Choose a session."))
    if session is not None:
        if programme is None:
            programme = session.programme
        elif session.programme_id != programme.id:
            raise DomainError(
                _(
                    "This session teaches another programme: “%(title)s”.",
                    title=session.programme.title,
                ),
                field="session_id",
            )
    facilitator = _get(
        User, fields.get("facilitator_id"), "facilitator_id", _("Choose a facilitator.")
    )
    kept = facilitator is (group.facilitator if group else None)  # may have changed role since
    if facilitator is not None and not kept and not _is_active_facilitator(facilitator):
        raise DomainError(_("Choose a facilitator."), field="facilitator_id")
    counts = {
        name: _check_count(fields.get(name), name) for name in ("women", "men", "other_genders")
    }
    if sum(counts.values()) < 1:
        raise DomainError(_("Count at least one attendee."), field="women")
    notes = clean(fields.get("notes")).strip()
    if len(notes) > NOTES_MAX:
        raise DomainError(
            _("Notes may have at most %(max)d characters.", max=NOTES_MAX), field="notes"
        )
    return {
        "held_on": fields["held_on"],
        "region": region,
        "programme": programme,
        "session": session,
        "facilitator": facilitator,
        **counts,
        "notes": notes,
    }


def create_focus_group(*, author: User | None = None, **fields) -> FocusGroup:
    """A new focus group. Fields: held_on, region_id, programme_id, session_id, facilitator_id,
    women, men, other_genders, notes."""
    group = FocusGroup(**_checked_group(None, fields))
    group.created_by_id = author.id if author is not None else None
    db.session.add(group)
    db.session.flush()
    return group


def update_focus_group(group: FocusGroup, **fields) -> None:
    for name, value in _checked_group(group, fields).items():
        setattr(group, name, value)
    db.session.flush()


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
    parts = themes.split(",") if isinstance(themes, str) else themes
    names: list[str] = []
    for part in parts:
        name = normalise_theme(part)
        if not name or name in names:
            continue
        if len(name) > THEME_MAX:
            raise DomainError(
                _("Each theme may have at most %(max)d characters.", max=THEME_MAX),
                field="theme_list",
            )
        names.append(name)
    if len(names) > THEMES_PER_QUOTE:
        raise DomainError(
            _("A quote may have at most %(max)d themes.", max=THEMES_PER_QUOTE),
            field="theme_list",
        )
    return names


def themes_named(names: Sequence[str]) -> list[Theme]:
    """The themes with these names, creating those that do not exist yet."""
    if not names:
        return []
    existing = {
        theme.name: theme
        for theme in db.session.scalars(select(Theme).where(Theme.name.in_(names)))
    }
    themes = []
    for name in names:
        theme = existing.get(name)
        if theme is None:
            theme = Theme(name=name)
            db.session.add(theme)
        themes.append(theme)
    return themes


# --- quotes and consent --------------------------------------------------------------------------


def _checked_consent(
    consent, given_at, method, *, speaker_name: str, region: Region | None
) -> tuple[Consent, date | None, str]:
    if not isinstance(consent, Consent):
        raise DomainError(_("Choose what the speaker agreed to."), field="consent")
    method = one_line(method)
    if len(method) > CONSENT_METHOD_MAX:
        raise DomainError(
            _("At most %(max)d characters.", max=CONSENT_METHOD_MAX), field="consent_method"
        )
    if given_at is not None:
        _check_past_date(given_at, region, "consent_given_at")
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


def _record_consent(
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


def _checked_quote(fields: dict, group: FocusGroup, quote: Quote | None) -> dict:
    text = clean(fields.get("text")).strip()
    if not text:
        raise DomainError(_("Enter the quote."), field="text")
    if len(text) > QUOTE_MAX:
        raise DomainError(
            _("A quote may have at most %(max)d characters.", max=QUOTE_MAX), field="text"
        )
    speaker_name = one_line(fields.get("speaker_name"))
    if len(speaker_name) > SPEAKER_NAME_MAX:
        raise DomainError(
            _("A name may have at most %(max)d characters.", max=SPEAKER_NAME_MAX),
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
        raise DomainError(_("At most %(max)d characters.", max=OCCUPATION_MAX), field="occupation")
    current_region = quote.region if quote is not None else group.region
    region = _region(fields.get("region_id"), current_region)
    theme_names = parse_themes(fields.get("themes") or "")
    consent = _checked_consent(
        fields.get("consent"),
        fields.get("consent_given_at"),
        fields.get("consent_method"),
        speaker_name=speaker_name,
        region=group.region,
    )
    return {
        "text": text,
        "speaker_name": speaker_name,
        "age": age,
        "occupation": occupation,
        "region": region,
        "theme_names": theme_names,
        "consent": consent,
    }


def add_quote(group: FocusGroup, *, by: User | None = None, **fields) -> Quote:
    """A new quote. Fields: text, speaker_name, age, occupation, region_id, themes,
    consent, consent_given_at, consent_method. Its first consent is kept in the history."""
    values = _checked_quote(fields, group, None)
    quote = Quote(
        text=values["text"],
        speaker_name=values["speaker_name"],
        age=values["age"],
        occupation=values["occupation"],
        region=values["region"],
        featured=False,
    )
    quote.themes = themes_named(values["theme_names"])
    _record_consent(quote, *values["consent"], by)
    group.quotes.append(quote)
    db.session.flush()
    return quote


def update_quote(quote: Quote, *, by: User | None = None, **fields) -> None:
    """Change a quote (the same fields as `add_quote`); a change of consent is kept."""
    values = _checked_quote(fields, quote.focus_group, quote)
    for name in ("text", "speaker_name", "age", "occupation", "region"):
        setattr(quote, name, values[name])
    quote.themes = themes_named(values["theme_names"])
    _record_consent(quote, *values["consent"], by)
    db.session.flush()


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
    values = _checked_consent(
        consent,
        consent_given_at,
        consent_method,
        speaker_name=quote.speaker_name,
        region=quote.focus_group.region,
    )
    changed = _record_consent(quote, *values, by)
    db.session.flush()
    return changed


def withdraw_consent(quote: Quote, *, by: User | None = None) -> bool:
    return change_consent(quote, consent=Consent.INTERNAL, by=by)


def feature(quote: Quote) -> None:
    """Show a quote on the home page. Only a quote with consent to publish."""
    if not quote.consent.publishable:
        raise DomainError(_("Only a quote with consent to publish can be featured."))
    quote.featured = True
    db.session.flush()


def unfeature(quote: Quote) -> None:
    quote.featured = False
    db.session.flush()


def consent_history(quote: Quote) -> list[tuple[ConsentChange, str]]:
    """The quote's consent changes, newest first, each with the name of who recorded it."""
    rows = db.session.execute(
        select(ConsentChange, User.full_name)
        .outerjoin(User, ConsentChange.changed_by_id == User.id)
        .where(ConsentChange.quote_id == quote.id)
        .order_by(ConsentChange.changed_at.desc(), ConsentChange.id.desc())
    )
    return [(change, name or "") for change, name in rows]


# --- what the public reads -----------------------------------------------------------------------


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
        parts.append(quote.region.name)
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


# --- the themes report ---------------------------------------------------------------------------


@dataclass
class ThemeTable:
    """How often each theme comes up, split by one dimension (region or programme)."""

    columns: list[tuple[object, str]]  # (key, label)
    rows: list[tuple[str, int, dict]]  # (theme, total, {key: count})


def _pivot(rows, none_label: str) -> ThemeTable:
    labels: dict[object, str] = {}
    counts: dict[str, dict] = {}
    for theme, key, label, count in rows:
        labels[key] = label if key is not None else none_label
        counts.setdefault(theme, {})[key] = count
    columns = sorted(labels.items(), key=lambda item: (item[0] is None, item[1].lower()))
    table_rows = sorted(
        ((theme, sum(by_key.values()), by_key) for theme, by_key in counts.items()),
        key=lambda row: (-row[1], row[0]),
    )
    return ThemeTable(columns=columns, rows=table_rows)


def themes_by_region() -> ThemeTable:
    """Quotes per theme and speaker's region, all consent levels, in one query."""
    rows = db.session.execute(
        select(Theme.name, Region.id, Region.name, func.count(Quote.id))
        .select_from(Theme)
        .join(quote_themes, quote_themes.c.theme_id == Theme.id)
        .join(Quote, Quote.id == quote_themes.c.quote_id)
        .outerjoin(Region, Region.id == Quote.region_id)
        .group_by(Theme.name, Region.id, Region.name)
    )
    return _pivot(rows.all(), _("No region"))


def themes_by_programme() -> ThemeTable:
    """Quotes per theme and focus group's programme, all consent levels, in one query."""
    rows = db.session.execute(
        select(Theme.name, Programme.id, Programme.title, func.count(Quote.id))
        .select_from(Theme)
        .join(quote_themes, quote_themes.c.theme_id == Theme.id)
        .join(Quote, Quote.id == quote_themes.c.quote_id)
        .join(FocusGroup, FocusGroup.id == Quote.focus_group_id)
        .outerjoin(Programme, Programme.id == FocusGroup.programme_id)
        .group_by(Theme.name, Programme.id, Programme.title)
    )
    return _pivot(rows.all(), _("No programme"))


# --- export --------------------------------------------------------------------------------------


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
