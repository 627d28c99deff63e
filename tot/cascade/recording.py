"""Recording cascade trainings: who may, what a report must hold, and the choices its form offers.

A graduate is someone holding a certificate of a session that is not revoked; the certificate a
training builds on names the cohort (the session) it counts for. Headcounts only, never names:
by gender, and by age group, and both add up to the same number of people.
"""

from collections.abc import Iterable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import Select, exists, select, update
from sqlalchemy.orm import joinedload, selectinload

from tot.accounts.models import User
from tot.cascade.models import CascadeTraining, ReportStatus
from tot.certificates.models import Certificate
from tot.curriculum.models import Programme, ProgrammeStatus
from tot.errors import DomainError
from tot.extensions import db
from tot.formats import format_date
from tot.regions.models import Region
from tot.sessions.models import TrainingSession
from tot.texts import too_long

SETTLEMENT_MAX = 120
TOPIC_MAX = 200
NOTES_MAX = 5000
HOURS_RANGE = (1, 100)
COUNT_RANGE = (0, 1000)  # people in one box (one gender, or one age group)
DATABASE_INTEGER_MAX = 2**31 - 1
DEFAULT_ZONE = ZoneInfo("Asia/Bishkek")
REVIEW_STATE = ["status", "reviewed_by_id", "reviewed_at", "review_comment"]

GENDER_FIELDS = ("women", "men", "other_genders")
AGE_FIELDS = ("age_18_24", "age_25_34", "age_35_44", "age_45_54", "age_55_plus", "age_unknown")

# Control characters other than tab and line breaks: PostgreSQL refuses NUL in text.
_CONTROL = dict.fromkeys(c for c in range(32) if chr(c) not in "\t\n\r")
_CONTROL[127] = None


def clean(value) -> str:
    """Text from a form without control characters (keeps tabs and line breaks), trimmed."""
    return str(value or "").translate(_CONTROL).strip()


def one_line(value) -> str:
    return " ".join(clean(value).split())


def today_in(region: Region | None) -> date:
    """Today on the clock of the region (Bishkek when there is none)."""
    zone = region.zone if region is not None else DEFAULT_ZONE
    return datetime.now(zone).date()


# --- graduates and their certificates ------------------------------------------------------------


def certificates_of(user: User) -> list[Certificate]:
    """The user's valid certificates, newest first, with their session and programme loaded."""
    if not user.is_authenticated:
        return []
    return list(
        db.session.scalars(
            select(Certificate)
            .options(joinedload(Certificate.session).joinedload(TrainingSession.programme))
            .where(Certificate.user_id == user.id, Certificate.is_valid)
            .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
        )
    )


def is_graduate(user: User) -> bool:
    """Does the user hold at least one valid certificate?"""
    if not user.is_authenticated:
        return False
    return bool(
        db.session.scalar(
            select(exists().where(Certificate.user_id == user.id, Certificate.is_valid))
        )
    )


# --- what the form offers ------------------------------------------------------------------------


def programme_options(current: Programme | None = None) -> list[Programme]:
    """The published programmes, by title; and the report's own even if unpublished since."""
    programmes = list(
        db.session.scalars(
            select(Programme)
            .where(Programme.status == ProgrammeStatus.PUBLISHED)
            .order_by(Programme.title, Programme.id)
        )
    )
    if current is not None and current not in programmes:
        programmes.append(current)
    return programmes


def co_trainer_options(graduate: User, current: Iterable[User] = ()) -> list[User]:
    """Who may be named as co-trainer: the other graduates of the graduate's own cohorts (people
    they trained with, so nobody's name is shown to strangers), and those already named."""
    cohorts = select(Certificate.session_id).where(
        Certificate.user_id == graduate.id, Certificate.is_valid
    )
    peers = select(Certificate.user_id).where(
        Certificate.session_id.in_(cohorts), Certificate.is_valid
    )
    people = list(
        db.session.scalars(
            select(User)
            .where(User.id.in_(peers), User.id != graduate.id, User.active.is_(True))
            .order_by(User.full_name, User.id)
        )
    )
    for person in current:
        if person not in people:
            people.append(person)
    return people


# --- checks --------------------------------------------------------------------------------------


def _id_of(value) -> int | None:
    if value is None or value == "":
        return None
    if (
        not isinstance(value, int)
        or isinstance(value, bool)
        or not 1 <= value <= DATABASE_INTEGER_MAX
    ):
        raise ValueError(value)
    return value


def _certificate_chosen(graduate: User, value) -> Certificate:
    message = _("Choose one of your certificates.")
    try:
        ident = _id_of(value)
    except ValueError:
        raise DomainError(message, field="certificate_id") from None
    certificate = db.session.get(Certificate, ident) if ident is not None else None
    if certificate is None or certificate.user_id != graduate.id or certificate.is_revoked:
        raise DomainError(message, field="certificate_id")
    return certificate


def _region_chosen(value, current: Region | None) -> Region:
    message = _("Choose a region.")
    try:
        ident = _id_of(value)
    except ValueError:
        raise DomainError(message, field="region_id") from None
    region = db.session.get(Region, ident) if ident is not None else None
    if region is None:
        raise DomainError(message, field="region_id")
    if region.is_retired and region is not current:
        raise DomainError(_("This region is no longer offered."), field="region_id")
    return region


def _check_date(value, region: Region, certificate: Certificate) -> date:
    if not isinstance(value, date):
        raise DomainError(_("Enter a date, such as 2025-03-14."), field="held_on")
    if value > today_in(region):
        raise DomainError(_("The date cannot be in the future."), field="held_on")
    began = certificate.session.local_start.date()
    if value < began:
        raise DomainError(
            _(
                "The training cannot be before your TOT session began (%(date)s).",
                date=format_date(began),
            ),
            field="held_on",
        )
    return value


def _programme_chosen(value, current: Programme | None) -> Programme | None:
    message = _("Choose a programme from the list.")
    try:
        ident = _id_of(value)
    except ValueError:
        raise DomainError(message, field="programme_id") from None
    if ident is None:
        return None
    programme = db.session.get(Programme, ident)
    if programme is None or not (programme.is_published or programme is current):
        raise DomainError(message, field="programme_id")
    return programme


def _check_number(value, field_name: str, low: int, high: int, *, empty: int | None) -> int:
    if value is None and empty is not None:
        return empty
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise DomainError(
            _("Enter a number from %(min)d to %(max)d.", min=low, max=high), field=field_name
        )
    return value


def _text(value, field_name: str, limit: int, *, multiline: bool = False) -> str:
    text = clean(value) if multiline else one_line(value)
    if len(text) > limit:
        raise DomainError(too_long(limit), field=field_name)
    return text


def _co_trainers_chosen(graduate: User, values, current: list[User]) -> list[User]:
    wanted = []
    for value in values or ():
        try:
            ident = _id_of(value)
        except ValueError:
            ident = 0
        if ident is not None and ident not in wanted:
            wanted.append(ident)
    if not wanted:
        return []
    allowed = {person.id: person for person in co_trainer_options(graduate, current)}
    if any(ident not in allowed for ident in wanted):
        raise DomainError(_("Choose co-trainers from the list."), field="co_trainer_ids")
    return [allowed[ident] for ident in wanted]


def _checked(graduate: User, training: CascadeTraining | None, fields: dict) -> dict:
    certificate = _certificate_chosen(graduate, fields.get("certificate_id"))
    region = _region_chosen(fields.get("region_id"), training.region if training else None)
    held_on = _check_date(fields.get("held_on"), region, certificate)
    settlement = _text(fields.get("settlement"), "settlement", SETTLEMENT_MAX)
    if not settlement:
        raise DomainError(_("Enter the town or village."), field="settlement")
    programme = _programme_chosen(
        fields.get("programme_id"), training.programme if training else None
    )
    topic = _text(fields.get("topic"), "topic", TOPIC_MAX)
    if programme is None and not topic:
        raise DomainError(
            _("Choose a programme, or write the topic in your own words."), field="programme_id"
        )
    hours = _check_number(fields.get("hours"), "hours", *HOURS_RANGE, empty=None)
    counts = {
        name: _check_number(fields.get(name), name, *COUNT_RANGE, empty=0)
        for name in GENDER_FIELDS + AGE_FIELDS
    }
    people = sum(counts[name] for name in GENDER_FIELDS)
    if people < 1:
        raise DomainError(_("Count at least one participant."), field="women")
    ages = sum(counts[name] for name in AGE_FIELDS)
    if ages != people:
        raise DomainError(
            _(
                "The totals differ: by age group %(ages)d, by gender %(people)d. "
                "Count each participant once in each.",
                ages=ages,
                people=people,
            ),
            field="age_18_24",
        )
    notes = _text(fields.get("notes"), "notes", NOTES_MAX, multiline=True)
    co_trainers = _co_trainers_chosen(
        graduate, fields.get("co_trainer_ids"), training.co_trainers if training else []
    )
    return {
        "certificate": certificate,
        "held_on": held_on,
        "region": region,
        "settlement": settlement,
        "programme": programme,
        "topic": topic,
        "hours": hours,
        **counts,
        "notes": notes,
        "co_trainers": co_trainers,
    }


def lock(training: CascadeTraining) -> None:
    """Take the report's row lock, held until the transaction ends, and re-read its state: a
    graduate correcting it and a reviewer verifying it (or two reviewers) take turns. The lock
    is an UPDATE that changes nothing: a row lock on PostgreSQL, the write lock on SQLite."""
    db.session.execute(
        update(CascadeTraining)
        .where(CascadeTraining.id == training.id)
        .values(status=CascadeTraining.status, updated_at=CascadeTraining.updated_at)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(training, attribute_names=REVIEW_STATE)


# --- recording and correcting --------------------------------------------------------------------


def record_refusal(user: User) -> str | None:
    """Why the user may not record a cascade training, or None when they may."""
    if not user.is_authenticated or not user.is_participant:
        return _("Only graduates record the trainings they give.")
    if not is_graduate(user):
        return _("You can record the trainings you give once you hold a certificate.")
    return None


def record_training(graduate: User, **fields) -> CascadeTraining:
    """A new report, waiting for verification. Fields: certificate_id, held_on, region_id,
    settlement, programme_id, topic, hours, women, men, other_genders, the six age groups
    (age_18_24 … age_unknown), notes, co_trainer_ids."""
    refusal = record_refusal(graduate)
    if refusal is not None:
        raise DomainError(refusal)
    training = CascadeTraining(
        graduate=graduate, status=ReportStatus.SUBMITTED, **_checked(graduate, None, fields)
    )
    db.session.add(training)
    db.session.flush()
    return training


def edit_refusal(user: User, training: CascadeTraining) -> str | None:
    """Why the user may not change this report, or None when they may."""
    if not user.is_authenticated or training.graduate_id != user.id:
        return _("Only the graduate who gave the training may change its report.")
    if not training.editable:
        return _("This report is verified: it can no longer be changed.")
    return None


def update_training(training: CascadeTraining, by: User, **fields) -> None:
    """Correct a report (same fields as record_training). A returned report is sent again."""
    lock(training)  # a reviewer may be verifying it now
    refusal = edit_refusal(by, training)
    if refusal is not None:
        raise DomainError(refusal)
    for name, value in _checked(by, training, fields).items():
        setattr(training, name, value)
    training.resubmit()
    db.session.flush()


# --- a graduate's own reports --------------------------------------------------------------------


def with_details(statement: Select) -> Select:
    """A statement of reports with what a list of them shows loaded, in a fixed number of
    queries."""
    return statement.options(
        joinedload(CascadeTraining.graduate),
        joinedload(CascadeTraining.region),
        joinedload(CascadeTraining.programme),
        joinedload(CascadeTraining.certificate)
        .joinedload(Certificate.session)
        .joinedload(TrainingSession.programme),
        joinedload(CascadeTraining.reviewed_by),
        selectinload(CascadeTraining.co_trainers),
    )


def my_trainings(user: User) -> Select:
    """The user's own reports, newest training first (returned ones first: they need work)."""
    return with_details(
        select(CascadeTraining)
        .where(CascadeTraining.graduate_id == user.id)
        .order_by(
            (CascadeTraining.status == ReportStatus.RETURNED).desc(),
            CascadeTraining.held_on.desc(),
            CascadeTraining.id.desc(),
        )
    )


def load_training(training_id: int) -> CascadeTraining | None:
    return db.session.scalar(
        with_details(select(CascadeTraining).where(CascadeTraining.id == training_id))
    )
