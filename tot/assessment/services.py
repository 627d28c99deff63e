"""Rules of the self-assessment: its statements, and who rates when.

Plain functions on the objects they act on. They flush, never commit (the view commits once), and
refuse bad input with a DomainError naming the form field the message belongs beside.

Ratings are linked to the person because change needs a pair (the same person before and after),
but no function here returns one person's ratings. The report, in aggregate only, is in `report`
(its functions are also found here).
"""

from dataclasses import dataclass
from typing import ClassVar

from flask_babel import gettext as _
from sqlalchemy import exists, func, select
from sqlalchemy.exc import IntegrityError

from tot import ordering
from tot.accounts.models import User
from tot.assessment.models import AssessmentRating, AssessmentStatement, Phase, SelfAssessment
from tot.assessment.report import DEFAULT_MIN_PAIRS as DEFAULT_MIN_PAIRS
from tot.assessment.report import programmes_with_statements as programmes_with_statements
from tot.assessment.report import self_assessment_report as self_assessment_report
from tot.curriculum.models import Programme
from tot.db_types import utcnow
from tot.errors import DomainError
from tot.extensions import db
from tot.learning.hooks import programme_panels
from tot.learning.services import can_view_content, has_completed_programme
from tot.permissions import Role
from tot.texts import too_long

STATEMENT_MAX = 300
RATINGS = (1, 2, 3, 4, 5)
FIELD_PREFIX = "statement-"  # a rating arrives as statement-<statement id>=<1..5>
MAX_ID = 2**31 - 1  # the largest INTEGER key; a bigger number finds nothing


def rating_field_name(statement_id: int) -> str:
    return f"{FIELD_PREFIX}{statement_id}"


def _id_ok(value) -> bool:
    return isinstance(value, int) and 0 < value <= MAX_ID


# --- statements (staff) --------------------------------------------------------------------------


def get_programme(programme_id: int) -> Programme | None:
    return db.session.get(Programme, programme_id) if _id_ok(programme_id) else None


def statements_of(programme: Programme) -> list[AssessmentStatement]:
    return list(
        db.session.scalars(
            select(AssessmentStatement)
            .where(AssessmentStatement.programme_id == programme.id)
            .order_by(AssessmentStatement.position, AssessmentStatement.id)
        )
    )


def find_statement(programme: Programme, statement_id: int) -> AssessmentStatement | None:
    if not _id_ok(statement_id):
        return None
    statement = db.session.get(AssessmentStatement, statement_id)
    if statement is None or statement.programme_id != programme.id:
        return None
    return statement


def rating_counts(statement_ids) -> dict[int, int]:
    """How many people rated each statement (a count, never who or how)."""
    statement_ids = list(statement_ids)
    if not statement_ids:
        return {}
    rows = db.session.execute(
        select(AssessmentRating.statement_id, func.count())
        .where(AssessmentRating.statement_id.in_(statement_ids))
        .group_by(AssessmentRating.statement_id)
    )
    return dict(rows.tuples().all())


def _clean_text(
    programme: Programme, text: str | None, statement: AssessmentStatement | None = None
) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise DomainError(_("Write the statement."), field="text")
    if len(text) > STATEMENT_MAX:
        raise DomainError(
            too_long(STATEMENT_MAX),
            field="text",
        )
    clash = select(AssessmentStatement.id).where(
        AssessmentStatement.programme_id == programme.id,
        func.lower(AssessmentStatement.text) == text.lower(),
    )
    if statement is not None:
        clash = clash.where(AssessmentStatement.id != statement.id)
    if db.session.scalar(clash.limit(1)) is not None:
        raise DomainError(_("This programme already has this statement."), field="text")
    return text


def add_statement(programme: Programme, text: str | None) -> AssessmentStatement:
    text = _clean_text(programme, text)
    last = db.session.scalar(
        select(func.max(AssessmentStatement.position)).where(
            AssessmentStatement.programme_id == programme.id
        )
    )
    statement = AssessmentStatement(programme=programme, text=text, position=(last or 0) + 1)
    db.session.add(statement)
    db.session.flush()
    return statement


def update_statement(statement: AssessmentStatement, text: str | None) -> None:
    statement.text = _clean_text(statement.programme, text, statement)
    db.session.flush()


def move_statement(statement: AssessmentStatement, direction: str) -> bool:
    """Swap with the neighbour above or below; False when there is nothing to do."""
    moved = ordering.move(statements_of(statement.programme), statement, direction, start=1)
    db.session.flush()
    return moved


def is_rated(statement: AssessmentStatement) -> bool:
    return bool(
        db.session.scalar(select(exists().where(AssessmentRating.statement_id == statement.id)))
    )


def delete_statement(statement: AssessmentStatement) -> None:
    refusal = _(
        "Participants have rated “%(text)s”, so it cannot be deleted: their answers would lose "
        "their meaning. Change its wording instead.",
        text=statement.text,
    )
    if is_rated(statement):
        raise DomainError(refusal)
    try:
        with db.session.begin_nested():
            db.session.delete(statement)
    except IntegrityError as error:  # rated meanwhile, by another request
        raise DomainError(refusal) from error


# --- rating (participants) -----------------------------------------------------------------------


def parse_phase(value: str) -> Phase | None:
    try:
        return Phase(value)
    except ValueError:
        return None


def submission_of(user: User, programme: Programme, phase: Phase) -> SelfAssessment | None:
    """Whether (and when) the person submitted: the page shows only the date, never the ratings."""
    return db.session.scalar(
        select(SelfAssessment).where(
            SelfAssessment.user_id == user.id,
            SelfAssessment.programme_id == programme.id,
            SelfAssessment.phase == phase,
        )
    )


def submitted_phases(user: User, programme: Programme) -> set[Phase]:
    return set(
        db.session.scalars(
            select(SelfAssessment.phase).where(
                SelfAssessment.user_id == user.id, SelfAssessment.programme_id == programme.id
            )
        )
    )


def has_statements(programme: Programme) -> bool:
    return bool(
        db.session.scalar(select(exists().where(AssessmentStatement.programme_id == programme.id)))
    )


def rating_refusal(user: User, programme: Programme, phase: Phase) -> str | None:
    """Why this person may not rate this phase now (submitted or not), or None if they may."""
    if user.role is not Role.PARTICIPANT:
        return _("Only participants rate themselves.")
    if phase is Phase.BEFORE:
        if not can_view_content(user, programme):
            return _(
                "The self-assessment before the programme opens once you have started it or "
                "hold a confirmed seat in one of its sessions."
            )
        # A "before" given after the end would make a false pair.
        if has_completed_programme(user, programme):
            return _(
                "You have completed this programme, so the self-assessment before it is closed."
            )
        return None
    if not has_completed_programme(user, programme):
        return _("The self-assessment after the programme opens once you have completed it.")
    return None


def assessment_prompt(user: User, programme: Programme) -> Phase | None:
    """The self-assessment this person should do now for this programme, or None.

    Before: they have the programme (started or a confirmed seat), have not completed it, and have
    not rated "before" yet. After: they have completed it and have not rated "after" yet. Nothing
    when the programme has no statements. A few queries per programme.
    """
    if not getattr(user, "is_authenticated", False) or user.role is not Role.PARTICIPANT:
        return None
    if not programme.is_published or not has_statements(programme):
        return None
    done = submitted_phases(user, programme)
    for phase in (Phase.BEFORE, Phase.AFTER):
        if phase not in done and rating_refusal(user, programme, phase) is None:
            return phase
    return None


@dataclass(frozen=True)
class RatingPrompt:
    """The panel on a participant's programme page that asks them to rate themselves now."""

    programme: Programme
    phase: Phase
    template: ClassVar[str] = "assessment/_programme_panel.html"

    @property
    def before(self) -> bool:
        return self.phase is Phase.BEFORE


@programme_panels.connect
def rating_prompt(user: User, *, programme: Programme) -> RatingPrompt | None:
    """Learning's programme page asks: the self-assessment to do now, if any."""
    phase = assessment_prompt(user, programme)
    return RatingPrompt(programme, phase) if phase is not None else None


def parse_ratings(formdata) -> dict[int, int] | None:
    """{statement id: rating} from fields statement-<id>; None if a key or value is no number."""
    ratings: dict[int, int] = {}
    for key in formdata:
        if not key.startswith(FIELD_PREFIX):
            continue
        try:
            ratings[int(key[len(FIELD_PREFIX) :])] = int(formdata.get(key))
        except (TypeError, ValueError):
            return None
    return ratings


def submit_assessment(
    user: User, programme: Programme, phase: Phase, ratings: dict[int, int] | None
) -> SelfAssessment:
    """Record one phase's ratings, all at once and for good: a submission is never edited."""
    if submission_of(user, programme, phase) is not None:
        raise DomainError(_("You have already submitted this self-assessment."))
    refusal = rating_refusal(user, programme, phase)
    if refusal:
        raise DomainError(refusal)
    statements = statements_of(programme)
    if not statements:
        raise DomainError(_("There is nothing to rate for this programme yet."))
    if ratings is None or set(ratings) - {statement.id for statement in statements}:
        raise DomainError(_("A rating was given for a statement that is not in this form."))
    for statement in statements:
        if statement.id not in ratings:
            raise DomainError(
                _("Choose a rating for this statement."), field=rating_field_name(statement.id)
            )
        if ratings[statement.id] not in RATINGS:
            raise DomainError(
                _("Choose a rating from 1 to 5."), field=rating_field_name(statement.id)
            )
    assessment = SelfAssessment(
        user_id=user.id, programme_id=programme.id, phase=phase, submitted_at=utcnow()
    )
    assessment.ratings = [
        AssessmentRating(statement_id=statement.id, rating=ratings[statement.id])
        for statement in statements
    ]
    try:
        with db.session.begin_nested():
            db.session.add(assessment)
    except IntegrityError as error:  # submitted meanwhile (a double click), or a statement deleted
        raise DomainError(_("You have already submitted this self-assessment.")) from error
    return assessment
