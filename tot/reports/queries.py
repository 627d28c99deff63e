"""The outcomes report's figures, added up in the database: one statement per source, whatever
the number of people.

Each source (enrolments, feedback, self-assessment, cascade trainings) first lists its facts, one
row per enrolment, rating answer, pair of ratings or training, with the person's region, gender
group and age group; then adds them up at every level the report shows (region and gender,
region and age group, region, gender, age group, all) in one UNION ALL. Counting the people of
each level in SQL (COUNT DISTINCT) rather than adding up the finer levels matters: a person who
applied from two regions is one person in the total.

Nothing here returns a person: only counts and sums by group.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Integer,
    String,
    and_,
    case,
    cast,
    distinct,
    exists,
    func,
    literal_column,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import aliased

from tot.accounts.models import User
from tot.assessment.models import AssessmentRating, Phase, SelfAssessment
from tot.cascade.models import CascadeTraining, ReportStatus
from tot.certificates.models import Certificate
from tot.enrolment.models import Attendance, AttendanceStatus, Enrolment, EnrolmentStatus
from tot.extensions import db
from tot.feedback.models import FeedbackQuestion, FeedbackResponse, QuestionKind, SessionSurvey
from tot.learning.models import ProgrammeProgress
from tot.reports.groups import (
    EVERY,
    AgeBand,
    GenderGroup,
    Key,
    Period,
    age_value,
    gender_group,
)
from tot.reports.sql import rating_answer
from tot.sessions.models import SessionStatus, TrainingSession


class Measure(StrEnum):
    """What the report counts."""

    APPLICATIONS = "applications"
    CONFIRMED = "confirmed"
    ATTENDED = "attended"
    COMPLETED = "completed"
    CERTIFIED = "certified"
    FEEDBACK = "feedback"  # average rating
    CHANGE = "change"  # average self-assessment change
    TRAININGS = "trainings"  # verified cascade trainings
    REACHED = "reached"  # people the cascade trainings reached


@dataclass
class Tally:
    """A group's figure: `count` things (or answers averaged), about `people` people; `amount`
    is what averages add up (ratings, changes)."""

    count: int = 0
    people: int = 0
    amount: int = 0


Figures = dict[Measure, dict[Key, Tally]]

# The levels the report shows, as the dimensions kept. Never the finest (region, gender and age
# group together): only what adds up from it.
LEVELS: tuple[tuple[str, ...], ...] = (
    ("region_id", "gender"),
    ("region_id", "age"),
    ("region_id",),
    ("gender",),
    ("age",),
    (),
)
DIMENSIONS: tuple[tuple[str, Any], ...] = (
    ("region_id", Integer),
    ("gender", String),
    ("age", String),
)


def _by_levels(facts, aggregates: Callable) -> list:
    """Rows of (level, region_id, gender, age, *aggregates(facts)), one per group of each level."""
    added_up = aggregates(facts)  # the same expressions at every level
    selects = []
    for number, level in enumerate(LEVELS):
        columns = [literal_column(str(number), Integer).label("level")]
        for name, type_ in DIMENSIONS:
            columns.append(facts.c[name] if name in level else cast(null(), type_).label(name))
        grouped = select(*columns, *added_up).select_from(facts)
        selects.append(grouped.group_by(*(facts.c[name] for name in level)))
    return list(db.session.execute(union_all(*selects)))


def _key(row) -> Key:
    level = LEVELS[row.level]
    return (
        row.region_id if "region_id" in level else EVERY,
        GenderGroup(row.gender) if "gender" in level else EVERY,
        AgeBand.of(row.age) if "age" in level else EVERY,
    )


def _sessions_in_scope(programme_id: int | None):
    """Sessions not cancelled, of the programme if one is chosen."""
    condition = TrainingSession.status != SessionStatus.CANCELLED
    if programme_id is not None:
        condition = and_(condition, TrainingSession.programme_id == programme_id)
    return condition


def _flag(condition):
    return case((condition, 1), else_=0)


def _sum_and_people(column, person):
    """How many facts have the flag, and how many people they are."""
    return func.coalesce(func.sum(column), 0), func.count(distinct(case((column == 1, person))))


# --- enrolments ----------------------------------------------------------------------------------

FUNNEL = (Measure.CONFIRMED, Measure.ATTENDED, Measure.COMPLETED, Measure.CERTIFIED)


def _enrolment_facts(period: Period, programme_id: int | None):
    """One row per application made in the period to a session in scope."""
    confirmed = Enrolment.status == EnrolmentStatus.CONFIRMED
    present = exists().where(
        Attendance.enrolment_id == Enrolment.id, Attendance.status == AttendanceStatus.PRESENT
    )
    completed = exists().where(
        ProgrammeProgress.user_id == Enrolment.user_id,
        ProgrammeProgress.programme_id == TrainingSession.programme_id,
        ProgrammeProgress.completed_at.is_not(None),
    )
    certified = exists().where(
        Certificate.user_id == Enrolment.user_id,
        Certificate.session_id == Enrolment.session_id,
        Certificate.is_valid,
    )
    return (
        select(
            Enrolment.region_id.label("region_id"),
            gender_group(User.gender).label("gender"),
            age_value(User.age_group).label("age"),
            Enrolment.user_id.label("person"),
            _flag(confirmed).label(Measure.CONFIRMED.value),
            _flag(and_(confirmed, present)).label(Measure.ATTENDED.value),
            _flag(and_(confirmed, completed)).label(Measure.COMPLETED.value),
            _flag(and_(confirmed, certified)).label(Measure.CERTIFIED.value),
        )
        .join(TrainingSession, TrainingSession.id == Enrolment.session_id)
        .join(User, User.id == Enrolment.user_id)
        .where(
            _sessions_in_scope(programme_id),
            Enrolment.applied_at >= period.starts_at,
            Enrolment.applied_at < period.ends_before,
        )
        .cte("enrolment_facts")
    )


def enrolment_figures(period: Period, programme_id: int | None) -> Figures:
    """Applications, and how many of them were confirmed, attended, completed, certified."""

    def aggregates(facts):
        columns = [func.count(), func.count(distinct(facts.c.person))]
        for measure in FUNNEL:
            columns += _sum_and_people(facts.c[measure.value], facts.c.person)
        return columns

    figures: Figures = {measure: {} for measure in (Measure.APPLICATIONS, *FUNNEL)}
    for row in _by_levels(_enrolment_facts(period, programme_id), aggregates):
        key = _key(row)
        values = list(row)[len(DIMENSIONS) + 1 :]
        figures[Measure.APPLICATIONS][key] = Tally(values[0], values[1])
        for number, measure in enumerate(FUNNEL):
            count, people = values[2 + 2 * number : 4 + 2 * number]
            figures[measure][key] = Tally(int(count), people)
    return figures


# --- feedback ------------------------------------------------------------------------------------


def feedback_figures(period: Period, programme_id: int | None, minimum: int) -> dict[Key, Tally]:
    """Rating answers of the surveys of sessions in scope that ended in the period, by the
    session's region. A survey counts only once it has `minimum` responses, as its own results
    show only then: the report says nothing of a survey its results page would not."""
    enough = (
        select(FeedbackResponse.survey_id)
        .group_by(FeedbackResponse.survey_id)
        .having(func.count() >= minimum)
    )
    rating = rating_answer(FeedbackResponse.answers, FeedbackQuestion.id)
    rows = db.session.execute(
        select(
            TrainingSession.region_id,
            func.count(rating),
            func.coalesce(func.sum(rating), 0),
            func.count(distinct(case((rating.is_not(None), FeedbackResponse.id)))),
        )
        .select_from(FeedbackResponse)
        .join(SessionSurvey, SessionSurvey.id == FeedbackResponse.survey_id)
        .join(TrainingSession, TrainingSession.id == SessionSurvey.session_id)
        .join(
            FeedbackQuestion,
            and_(
                FeedbackQuestion.form_id == SessionSurvey.form_id,
                FeedbackQuestion.kind == QuestionKind.RATING,
            ),
        )
        .where(
            FeedbackResponse.survey_id.in_(enough),
            _sessions_in_scope(programme_id),
            TrainingSession.ends_at >= period.starts_at,
            TrainingSession.ends_at < period.ends_before,
        )
        .group_by(TrainingSession.region_id)
    )
    figures: dict[Key, Tally] = {}
    total = Tally()
    for region_id, answers, ratings, responses in rows:
        figures[(region_id, EVERY, EVERY)] = Tally(answers, responses, int(ratings))
        total.count += answers
        total.people += responses  # each response is one survey's, so one region's
        total.amount += int(ratings)
    figures[(EVERY, EVERY, EVERY)] = total
    return figures


# --- self-assessment -----------------------------------------------------------------------------


def _pair_facts(period: Period, programme_id: int | None):
    """One row per pair: a person's before and after ratings of the same statement (as in
    tot/assessment/report.py), the after given in the period."""
    before, after = aliased(SelfAssessment), aliased(SelfAssessment)
    rating_before, rating_after = aliased(AssessmentRating), aliased(AssessmentRating)
    query = (
        select(
            User.region_id.label("region_id"),
            gender_group(User.gender).label("gender"),
            age_value(User.age_group).label("age"),
            before.user_id.label("person"),
            (rating_after.rating - rating_before.rating).label("change"),
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
        .where(
            before.phase == Phase.BEFORE,
            after.submitted_at >= period.starts_at,
            after.submitted_at < period.ends_before,
        )
    )
    if programme_id is not None:
        query = query.where(before.programme_id == programme_id)
    return query.cte("pair_facts")


def change_figures(period: Period, programme_id: int | None) -> dict[Key, Tally]:
    """Pairs, the sum of their changes, and how many people gave them."""

    def aggregates(facts):
        return [
            func.count(),
            func.count(distinct(facts.c.person)),
            func.coalesce(func.sum(facts.c.change), 0),
        ]

    return {
        _key(row): Tally(row[-3], row[-2], int(row[-1]))
        for row in _by_levels(_pair_facts(period, programme_id), aggregates)
    }


# --- cascade trainings ---------------------------------------------------------------------------

GENDER_HEADCOUNTS: dict[GenderGroup | AgeBand, Any] = {
    GenderGroup.WOMEN: CascadeTraining.women,
    GenderGroup.MEN: CascadeTraining.men,
    GenderGroup.OTHER: CascadeTraining.other_genders,
}
AGE_HEADCOUNTS: dict[GenderGroup | AgeBand, Any] = {
    AgeBand.AGE_18_24: CascadeTraining.age_18_24,
    AgeBand.AGE_25_34: CascadeTraining.age_25_34,
    AgeBand.AGE_35_44: CascadeTraining.age_35_44,
    AgeBand.AGE_45_54: CascadeTraining.age_45_54,
    AgeBand.AGE_55_PLUS: CascadeTraining.age_55_plus,
    AgeBand.UNKNOWN: CascadeTraining.age_unknown,
}
HEADCOUNTS: dict[GenderGroup | AgeBand, Any] = {**GENDER_HEADCOUNTS, **AGE_HEADCOUNTS}


def _headcount(group: GenderGroup | AgeBand) -> str:
    return f"n_{group.name.lower()}"


def _training_facts(period: Period, programme_id: int | None):
    """One row per verified cascade training held in the period by a graduate of a session in
    scope; region: the training's; gender and age group: the graduate's."""
    return (
        select(
            CascadeTraining.region_id.label("region_id"),
            gender_group(User.gender).label("gender"),
            age_value(User.age_group).label("age"),
            CascadeTraining.graduate_id.label("person"),
            *(column.label(_headcount(group)) for group, column in HEADCOUNTS.items()),
        )
        .join(User, User.id == CascadeTraining.graduate_id)
        .join(Certificate, Certificate.id == CascadeTraining.certificate_id)
        .join(TrainingSession, TrainingSession.id == Certificate.session_id)
        .where(
            CascadeTraining.status == ReportStatus.VERIFIED,
            CascadeTraining.held_on >= period.first,
            CascadeTraining.held_on <= period.last,
            _sessions_in_scope(programme_id),
        )
        .cte("training_facts")
    )


def cascade_figures(period: Period, programme_id: int | None) -> Figures:
    """Trainings (by the graduate's gender and age group) and the people they reached (by the
    trainings' own headcounts)."""
    groups = list(HEADCOUNTS)

    def aggregates(facts):
        return [
            func.count(),
            func.count(distinct(facts.c.person)),
            *(func.coalesce(func.sum(facts.c[_headcount(group)]), 0) for group in groups),
        ]

    trainings: dict[Key, Tally] = {}
    reached: dict[Key, Tally] = {}
    for row in _by_levels(_training_facts(period, programme_id), aggregates):
        key = _key(row)
        values = list(row)[len(DIMENSIONS) + 1 :]
        trainings[key] = Tally(values[0], values[1])
        if key[1] != EVERY or key[2] != EVERY:
            continue  # grouped by the graduate: the headcounts are taken by region only
        sums = dict(zip(groups, (int(value) for value in values[2:]), strict=True))
        people = sum(sums[group] for group in GENDER_HEADCOUNTS)
        reached[key] = Tally(people, people)
        for group, headcount in sums.items():
            at = (key[0], group, EVERY) if group in GENDER_HEADCOUNTS else (key[0], EVERY, group)
            reached[at] = Tally(headcount, headcount)
    return {Measure.TRAININGS: trainings, Measure.REACHED: reached}
