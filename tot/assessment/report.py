"""The self-assessment report (staff): aggregates only.

Ratings are linked to the person because change needs a pair (the same person before and after),
but nothing here returns one person's ratings: the report adds them up by statement and region,
and hides any group with fewer pairs than ASSESSMENT_MIN_PAIRS (DEFAULT_MIN_PAIRS unless set).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

from sqlalchemy import exists, func, select
from sqlalchemy.orm import aliased, contains_eager

from tot.accounts.models import User
from tot.assessment.models import AssessmentRating, AssessmentStatement, Phase, SelfAssessment
from tot.curriculum.models import Programme
from tot.extensions import db
from tot.regions.models import Region

DEFAULT_MIN_PAIRS = 3
TENTH = Decimal("0.1")


def _tenth(numerator: int, denominator: int) -> Decimal:
    value = (Decimal(numerator) / Decimal(denominator)).quantize(TENTH, rounding=ROUND_HALF_UP)
    return abs(value) if value == 0 else value  # never "-0.0"


class Hidden(Enum):
    """Why a cell's numbers are hidden."""

    FEW = "few"  # fewer pairs than the minimum
    COMPLEMENT = "complement"  # enough, but the total would give away the hidden smaller cells


@dataclass
class Cell:
    """The pairs of one group (a statement, maybe in one region) and their sums of ratings."""

    pairs: int = 0
    sum_before: int = 0
    sum_after: int = 0
    hidden: Hidden | None = None  # None: shown

    def add(self, other: "Cell") -> None:
        self.pairs += other.pairs
        self.sum_before += other.sum_before
        self.sum_after += other.sum_after

    @property
    def shown(self) -> bool:
        return self.hidden is None

    @property
    def too_few(self) -> bool:
        return self.hidden is Hidden.FEW

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
            cell.hidden = Hidden.FEW
    if total.pairs < min_pairs:
        total.hidden = Hidden.FEW
        return
    shown = sorted((cell for cell in cells if cell.shown), key=lambda cell: cell.pairs)
    remainder = total.pairs - sum(cell.pairs for cell in shown)
    while shown and 0 < remainder < min_pairs:
        cell = shown.pop(0)
        cell.hidden = Hidden.COMPLEMENT
        remainder += cell.pairs


def _region_key(region: Region | None) -> tuple:
    """By country then name; people who gave no region last."""
    return (1, "", "") if region is None else (0, region.country.value, region.label)


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
    regions: dict[int | None, Region] = {
        r.id: r for r in db.session.scalars(select(Region).where(Region.id.in_(region_ids)))
    }
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
            # A region without pairs for the statement: too few to show.
            for row, rid in zip(rows, region_order, strict=True):
                row.cells.append(cells.get(rid) or Cell(hidden=Hidden.FEW))
            if region is not None:
                total = cells.get(region.id) or Cell(hidden=Hidden.FEW)
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
