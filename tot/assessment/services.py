"""Rules of the self-assessment: statements, who rates when, and the report in aggregate only.

Plain functions on the objects they act on. They flush, never commit (the view commits once), and
refuse bad input with a DomainError naming the form field the message belongs beside.

Ratings are linked to the person because change needs a pair (the same person before and after),
but no function here returns one person's ratings: the report adds them up by statement and
region, and hides any group with fewer pairs than ASSESSMENT_MIN_PAIRS.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext as _
from sqlalchemy import exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, contains_eager

from tot.accounts.models import User
from tot.assessment.models import AssessmentRating, AssessmentStatement, Phase, SelfAssessment
from tot.curriculum.models import Programme
from tot.db_types import utcnow
from tot.errors import DomainError
from tot.extensions import db
from tot.learning.services import can_view_content, has_completed_programme
from tot.permissions import Role
from tot.regions.models import Region

STATEMENT_MAX = 300
RATINGS = (1, 2, 3, 4, 5)
FIELD_PREFIX = "statement-"  # a rating arrives as statement-<statement id>=<1..5>
DEFAULT_MIN_PAIRS = 3
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
    return dict(rows.all())


def _clean_text(
    programme: Programme, text: str | None, statement: AssessmentStatement | None = None
) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise DomainError(_("Write the statement."), field="text")
    if len(text) > STATEMENT_MAX:
        raise DomainError(
            _("Keep the statement to %(max)d characters or fewer.", max=STATEMENT_MAX),
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
    if direction not in ("up", "down"):
        raise DomainError(_("Choose to move up or down."))
    ordered = statements_of(statement.programme)
    index = ordered.index(statement)
    other = index - 1 if direction == "up" else index + 1
    if other < 0 or other >= len(ordered):
        return False
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, sibling in enumerate(ordered, start=1):
        sibling.position = position
    db.session.flush()
    return True


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


# --- the report (staff): aggregates only ---------------------------------------------------------

TENTH = Decimal("0.1")


def _tenth(numerator: int, denominator: int) -> Decimal:
    value = (Decimal(numerator) / Decimal(denominator)).quantize(TENTH, rounding=ROUND_HALF_UP)
    return abs(value) if value == 0 else value  # never "-0.0"


@dataclass
class Cell:
    """The pairs of one group (a statement, maybe in one region) and their sums of ratings."""

    pairs: int = 0
    sum_before: int = 0
    sum_after: int = 0
    # Why the numbers are hidden: None (shown), "few" (under the minimum), or "complement" (shown,
    # it would let the hidden smaller groups be worked out from the total).
    hidden: str | None = None

    def add(self, other: "Cell") -> None:
        self.pairs += other.pairs
        self.sum_before += other.sum_before
        self.sum_after += other.sum_after

    @property
    def shown(self) -> bool:
        return self.hidden is None

    @property
    def average_before(self) -> Decimal:
        return _tenth(self.sum_before, self.pairs)

    @property
    def average_after(self) -> Decimal:
        return _tenth(self.sum_after, self.pairs)

    @property
    def change(self) -> Decimal:
        return _tenth(self.sum_after - self.sum_before, self.pairs)


@dataclass
class StatementResult:
    statement: AssessmentStatement
    cell: Cell


@dataclass
class RegionResult:
    region: Region | None  # None: people who gave no region
    cells: list[Cell]  # one per statement, in the statements' order


@dataclass
class ProgrammeReport:
    programme: Programme
    statements: list[StatementResult]
    regions: list[RegionResult]
    answered_before: int = 0
    answered_after: int = 0


@dataclass
class Report:
    programmes: list[ProgrammeReport] = field(default_factory=list)
    min_pairs: int = DEFAULT_MIN_PAIRS


def programmes_with_statements() -> list[Programme]:
    return list(
        db.session.scalars(
            select(Programme)
            .where(exists().where(AssessmentStatement.programme_id == Programme.id))
            .order_by(func.lower(Programme.title), Programme.id)
        )
    )


def _pair_sums(programme_ids: list[int]):
    """Per statement and region: pairs, sum of ratings before, sum after. One query, in SQL.

    A pair is one person's "before" and "after" rating of the same statement.
    """
    before, after = aliased(SelfAssessment), aliased(SelfAssessment)
    rating_before, rating_after = aliased(AssessmentRating), aliased(AssessmentRating)
    return db.session.execute(
        select(
            rating_before.statement_id,
            User.region_id,
            func.count(),
            func.sum(rating_before.rating),
            func.sum(rating_after.rating),
        )
        .select_from(before)
        .join(
            after,
            (after.user_id == before.user_id)
            & (after.programme_id == before.programme_id)
            & (after.phase == Phase.AFTER),
        )
        .join(rating_before, rating_before.assessment_id == before.id)
        .join(
            rating_after,
            (rating_after.assessment_id == after.id)
            & (rating_after.statement_id == rating_before.statement_id),
        )
        .join(User, User.id == before.user_id)
        .where(before.phase == Phase.BEFORE, before.programme_id.in_(programme_ids))
        .group_by(rating_before.statement_id, User.region_id)
    ).all()


def _answer_counts(programme_ids: list[int], region_id: int | None) -> dict:
    query = (
        select(SelfAssessment.programme_id, SelfAssessment.phase, func.count())
        .where(SelfAssessment.programme_id.in_(programme_ids))
        .group_by(SelfAssessment.programme_id, SelfAssessment.phase)
    )
    if region_id is not None:
        query = query.join(User, User.id == SelfAssessment.user_id).where(
            User.region_id == region_id
        )
    return {(programme_id, phase): n for programme_id, phase, n in db.session.execute(query)}


def _suppress(total: Cell, cells: list[Cell], min_pairs: int) -> None:
    """Hide small groups, then enough of the others that the hidden ones cannot be derived.

    Without the second step, the total minus the regions shown would give the hidden region's
    numbers, which may be one person's.
    """
    for cell in cells:
        if cell.pairs < min_pairs:
            cell.hidden = "few"
    if total.pairs < min_pairs:
        total.hidden = "few"
        return
    shown = sorted((cell for cell in cells if cell.shown), key=lambda cell: cell.pairs)
    remainder = total.pairs - sum(cell.pairs for cell in shown)
    while shown and 0 < remainder < min_pairs:
        cell = shown.pop(0)
        cell.hidden = "complement"
        remainder += cell.pairs


def _region_key(region: Region | None) -> tuple:
    """By country then name; people who gave no region last."""
    return (1, "", "") if region is None else (0, region.country.value, region.name)


def self_assessment_report(
    programme: Programme | None = None,
    region: Region | None = None,
    min_pairs: int = DEFAULT_MIN_PAIRS,
) -> Report:
    """Per programme and statement: pairs, average before, after and change; and by region.

    A fixed number of queries whatever the number of people. The region filter (the person's
    region) shows the same numbers as that region's row of the breakdown, hidden alike.
    """
    query = (
        select(AssessmentStatement)
        .join(AssessmentStatement.programme)
        .options(contains_eager(AssessmentStatement.programme))
        .order_by(
            func.lower(Programme.title),
            Programme.id,
            AssessmentStatement.position,
            AssessmentStatement.id,
        )
    )
    if programme is not None:
        query = query.where(AssessmentStatement.programme_id == programme.id)
    statements_by_programme: dict[int, list[AssessmentStatement]] = defaultdict(list)
    for statement in db.session.scalars(query):
        statements_by_programme[statement.programme_id].append(statement)
    report = Report(min_pairs=min_pairs)
    if not statements_by_programme:
        return report

    programme_ids = list(statements_by_programme)
    by_statement: dict[int, dict[int | None, Cell]] = defaultdict(dict)
    for statement_id, region_id, pairs, sum_before, sum_after in _pair_sums(programme_ids):
        by_statement[statement_id][region_id] = Cell(pairs, int(sum_before), int(sum_after))
    region_ids = {rid for cells in by_statement.values() for rid in cells if rid is not None}
    regions = {r.id: r for r in db.session.scalars(select(Region).where(Region.id.in_(region_ids)))}
    counts = _answer_counts(programme_ids, region.id if region is not None else None)

    for programme_id, statements in statements_by_programme.items():
        programme_regions = {rid for s in statements for rid in by_statement.get(s.id, {})}
        if region is not None:
            programme_regions &= {region.id}
        region_order = sorted(programme_regions, key=lambda rid: _region_key(regions.get(rid)))
        rows = [RegionResult(regions.get(rid) if rid else None, []) for rid in region_order]
        results = []
        for statement in statements:
            cells = by_statement.get(statement.id, {})
            total = Cell()
            for cell in cells.values():
                total.add(cell)
            _suppress(total, list(cells.values()), min_pairs)
            for row, rid in zip(rows, region_order, strict=True):
                row.cells.append(cells.get(rid) or Cell(hidden="few"))
            if region is not None:
                total = cells.get(region.id) or Cell(hidden="few")
            results.append(StatementResult(statement, total))
        report.programmes.append(
            ProgrammeReport(
                programme=statements[0].programme,
                statements=results,
                regions=rows,
                answered_before=counts.get((programme_id, Phase.BEFORE), 0),
                answered_after=counts.get((programme_id, Phase.AFTER), 0),
            )
        )
    return report
