"""Bulk enrolment: checking a list of people row by row, then enrolling them.

Step 1 reads the file (`bulk_files.read_upload`) and previews each row's outcome, writing
nothing. The rows travel back with the confirmation as a signed token (`sign_rows`), so the file
is not uploaded twice and cannot be altered between preview and confirmation; step 2 checks them
again against the database as it is then, and enrols (`bulk_enrol`), by the enrolment rules in
`services`. The views take the whole flow from here: `read_upload` and `BulkFileError` are
re-exported from `bulk_files`.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from tot.accounts import services as accounts
from tot.accounts.models import GENDER_LABELS, AgeGroup, Gender, User
from tot.accounts.services import normalise_email
from tot.db_types import utcnow
from tot.enrolment.bulk_files import BulkFileError as BulkFileError
from tot.enrolment.bulk_files import RawRow, in_every_language
from tot.enrolment.bulk_files import read_upload as read_upload
from tot.enrolment.models import ACTIVE_STATUSES, Enrolment, EnrolmentSource
from tot.enrolment.services import apply, staff_enrolment_refusal
from tot.errors import DomainError
from tot.extensions import db
from tot.forms import PHONE_PATTERN
from tot.permissions import Role
from tot.regions.models import Region
from tot.regions.services import open_regions
from tot.sessions.models import TrainingSession

NAME_MAX = 200  # as the users table holds
TOKEN_MAX_AGE = 2 * 3600  # seconds between preview and confirmation
GENDER_WORDS = {
    "woman": Gender.WOMAN,
    "female": Gender.WOMAN,
    "man": Gender.MAN,
    "male": Gender.MAN,
    "another": Gender.ANOTHER,
    "another gender": Gender.ANOTHER,
    "undisclosed": Gender.UNDISCLOSED,
    "prefer not to say": Gender.UNDISCLOSED,
}


# --- checking each row ---------------------------------------------------------------------------


class Outcome(StrEnum):
    NEW = "new"
    EXISTING = "existing"
    UNCHANGED = "unchanged"
    ERROR = "error"

    @property
    def label(self) -> str:
        return str(OUTCOME_LABELS[self])


OUTCOME_LABELS = {
    Outcome.NEW: _l("New account + enrol"),
    Outcome.EXISTING: _l("Existing account + enrol"),
    Outcome.UNCHANGED: _l("Already enrolled: no change"),
    Outcome.ERROR: _l("Skipped"),
}


@dataclass
class PreviewRow:
    line: int
    name: str
    email: str
    region: Region | None = None
    region_text: str = ""
    gender: str | None = None
    age_group: str | None = None
    phone: str | None = None
    user: User | None = None
    enrolment: Enrolment | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def error(self) -> str | None:
        return " ".join(self.errors) if self.errors else None

    @property
    def outcome(self) -> Outcome:
        if self.errors:
            return Outcome.ERROR
        if self.enrolment is not None:
            return Outcome.UNCHANGED
        return Outcome.EXISTING if self.user is not None else Outcome.NEW


def _region_lookup() -> dict[str, list[Region]]:
    lookup: dict[str, list[Region]] = {}
    for region in open_regions():
        for name in set(region.all_names):
            lookup.setdefault(name.strip().casefold(), []).append(region)
    return lookup


def _gender_key(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().casefold())


def _gender_lookup() -> dict[str, Gender]:
    """The English words people write, and each gender's label in every interface language."""
    labels = {gender: GENDER_LABELS[gender] for gender in Gender}
    words = {_gender_key(text): gender for text, gender in in_every_language(labels)}
    words.update(GENDER_WORDS)
    return words


def _gender(text: str, words: dict[str, Gender]) -> Gender | None:
    return words.get(_gender_key(text))


def _age_group(text: str) -> AgeGroup | None:
    value = re.sub(r"\s+", "", text).replace("–", "-").replace("—", "-")
    try:
        return AgeGroup(value)
    except ValueError:
        return None


def _check_cells(
    row: PreviewRow,
    cells: dict[str, str],
    regions: dict[str, list[Region]],
    genders: dict[str, Gender],
):
    errors = row.errors
    if not row.name:
        errors.append(_("The name is missing."))
    elif len(row.name) > NAME_MAX:
        errors.append(
            ngettext(
                "The name is longer than %(num)d character.",
                "The name is longer than %(num)d characters.",
                NAME_MAX,
            )
        )
    email = cells.get("email", "")
    if not email:
        errors.append(_("The email address is missing."))
    else:
        try:
            validate_email(email, check_deliverability=False)
        except EmailNotValidError:
            errors.append(_("“%(email)s” is not a valid email address.", email=email))
    if not row.region_text:
        errors.append(_("The region is missing."))
    else:
        matches = regions.get(row.region_text.casefold(), [])
        if len(matches) == 1:
            row.region = matches[0]
        elif matches:
            errors.append(_("Two regions are called “%(region)s”.", region=row.region_text))
        else:
            errors.append(_("Unknown or retired region: “%(region)s”.", region=row.region_text))
    gender_text = cells.get("gender", "")
    if gender_text:
        gender = _gender(gender_text, genders)
        if gender is None:
            errors.append(
                _(
                    "Unknown gender “%(gender)s”: use woman, man, another or prefer not to say.",
                    gender=gender_text,
                )
            )
        else:
            row.gender = gender.value
    age_text = cells.get("age_group", "")
    if age_text:
        age_group = _age_group(age_text)
        if age_group is None:
            errors.append(
                _(
                    "Unknown age group “%(age)s”: use 18-24, 25-34, 35-44, 45-54 or 55+.",
                    age=age_text,
                )
            )
        else:
            row.age_group = age_group.value
    phone = cells.get("phone", "")
    if phone:
        if re.fullmatch(PHONE_PATTERN, phone):
            row.phone = phone
        else:
            errors.append(_("The phone number “%(phone)s” looks wrong.", phone=phone))


def preview(session: TrainingSession, raw_rows: list[RawRow]) -> list[PreviewRow]:
    """Each row with what enrolling it would do, in a fixed number of queries. Writes nothing."""
    regions, genders = _region_lookup(), _gender_lookup()
    rows: list[PreviewRow] = []
    first_line_of: dict[str, int] = {}
    for raw in raw_rows:
        cells = raw.cells
        row = PreviewRow(
            line=raw.line,
            name=re.sub(r"\s+", " ", cells.get("name", "")).strip(),
            email=normalise_email(cells.get("email", "")),
            region_text=cells.get("region", "").strip(),
            errors=[],
        )
        _check_cells(row, cells, regions, genders)
        if row.email and row.email in first_line_of:
            row.errors.append(
                _("The same email is already on line %(line)d.", line=first_line_of[row.email])
            )
        elif row.email:
            first_line_of[row.email] = row.line
        rows.append(row)

    emails = [row.email for row in rows if not row.errors]
    users = {
        user.email: user
        for user in db.session.scalars(
            select(User).where(User.email.in_(emails)).options(joinedload(User.region))
        )
    }
    enrolled = {
        enrolment.user_id: enrolment
        for enrolment in db.session.scalars(
            select(Enrolment).where(
                Enrolment.session_id == session.id,
                Enrolment.user_id.in_([user.id for user in users.values()]),
                Enrolment.status.in_(ACTIVE_STATUSES),
            )
        )
    }
    for row in rows:
        user = users.get(row.email) if not row.errors else None
        if user is None:
            continue
        row.user = user
        if user.role is not Role.PARTICIPANT:
            row.errors.append(_("This email belongs to a %(role)s account.", role=user.role.label))
        elif not user.active:
            row.errors.append(_("This account is deactivated."))
        else:
            row.enrolment = enrolled.get(user.id)
    return rows


# --- carrying the rows from preview to confirmation ----------------------------------------------


def _serializer(session: TrainingSession) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(
        current_app.config["SECRET_KEY"], salt=f"bulk-enrolment-{session.id}"
    )


def sign_rows(session: TrainingSession, raw_rows: list[RawRow]) -> str:
    return _serializer(session).dumps([[row.line, row.cells] for row in raw_rows])


def unsign_rows(session: TrainingSession, token: str) -> list[RawRow] | None:
    """The rows signed for this session, or None if the token is forged, stale or malformed."""
    try:
        data = _serializer(session).loads(token or "", max_age=TOKEN_MAX_AGE)
    except BadSignature:  # SignatureExpired is a BadSignature
        return None
    try:
        return [
            RawRow(int(line), {str(key): str(value) for key, value in cells.items()})
            for line, cells in data
        ]
    except (TypeError, ValueError, AttributeError):
        return None


# --- enrolling -----------------------------------------------------------------------------------


@dataclass
class BulkResult:
    """What became of one row of an uploaded list."""

    line: int
    name: str
    email: str
    enrolment: Enrolment | None = None
    new_account: User | None = None
    unchanged: bool = False
    error: str | None = None


def bulk_enrol(actor: User, session: TrainingSession, rows, now: datetime | None = None):
    """Enrol the rows of a checked list (`preview`): make missing accounts, then apply.

    Rows with errors are skipped; people already enrolled are left as they are. New accounts
    are participants without a password: they choose one through a one-time link.
    """
    now = now or utcnow()
    if not actor.is_staff:
        raise DomainError(_("Only staff enrol people from a list."))
    refusal = staff_enrolment_refusal(session, now)
    if refusal:
        raise DomainError(refusal)
    results = []
    for row in rows:
        result = BulkResult(row.line, row.name, row.email, error=row.error)
        results.append(result)
        if row.error:
            continue
        if row.enrolment is not None:
            result.unchanged = True
            result.enrolment = row.enrolment
            continue
        user = row.user
        if user is None:
            user = accounts.create_account(
                full_name=row.name,
                email=row.email,
                role=Role.PARTICIPANT,
                region=row.region,
                # until they choose, newcomers read the language their training is taught in
                language=session.programme.delivery_language,
            )
            user.gender = Gender(row.gender) if row.gender else None
            user.age_group = AgeGroup(row.age_group) if row.age_group else None
            user.phone = row.phone or None
            result.new_account = user
        try:
            result.enrolment = apply(
                session, user, now=now, source=EnrolmentSource.BULK, actor=actor
            )
        except DomainError as error:
            result.error = error.message
    db.session.flush()
    return results
