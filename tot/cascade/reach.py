"""Reach figures: trainings delivered and people reached, per graduate, cohort, region and
programme, and the multiplier (people reached ÷ graduates).

Only verified trainings count, and only those of graduates whose certificate is still valid; the
reports waiting for verification are counted apart (`waiting`). Each function runs a fixed number
of SQL statements (one, or two for the totals), whatever the amount of data: everything is
aggregated in the database.

Every function takes `viewer` (whose cascade: see scope.py; None for everything) and an optional
period, `since` and `until` (inclusive), on the day the trainings were held.
"""

from dataclasses import dataclass
from datetime import date

from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, and_, case, distinct, func, select

from tot.accounts.models import User
from tot.cascade.models import CascadeTraining, ReportStatus
from tot.cascade.recording import AGE_FIELDS, GENDER_FIELDS
from tot.cascade.scope import cohorts_in_view, trainings_in_view
from tot.certificates.models import Certificate
from tot.curriculum.models import Programme
from tot.extensions import db
from tot.regions.models import Region
from tot.sessions.models import TrainingSession

T = CascadeTraining
VERIFIED = T.status == ReportStatus.VERIFIED
PEOPLE = T.people
COUNTED = (
    "trainings",
    "people",
    "hours",
    *GENDER_FIELDS,
    *AGE_FIELDS,
    "trainers",
    "waiting",
    "returned",
)


@dataclass(frozen=True)
class ReachRow:
    """The figures of one graduate, cohort, region or programme (or of everything: totals).

    `trainings`, `people`, `hours`, the gender and age counts and `trainers` (graduates who gave
    at least one) count verified trainings only; `waiting` counts reports waiting for
    verification, `returned` those sent back for correction. `graduates` is set for cohorts and
    totals only: valid certificates.
    """

    key: int | None
    label: str
    trainings: int = 0
    people: int = 0
    hours: int = 0
    women: int = 0
    men: int = 0
    other_genders: int = 0
    age_18_24: int = 0
    age_25_34: int = 0
    age_35_44: int = 0
    age_45_54: int = 0
    age_55_plus: int = 0
    age_unknown: int = 0
    trainers: int = 0
    waiting: int = 0
    returned: int = 0
    graduates: int | None = None
    detail: str = ""  # a cohort's programme and region

    @property
    def multiplier(self) -> float | None:
        """People reached per graduate; None where there are no graduates to divide by."""
        if not self.graduates:
            return None
        return self.people / self.graduates

    @property
    def multiplier_text(self) -> str:
        """The multiplier with one decimal, as the reader writes numbers ("—" without one)."""
        value = self.multiplier
        return "—" if value is None else format_decimal(value, format="#,##0.0")


def _sum(expression) -> ColumnElement:
    return func.coalesce(func.sum(expression), 0)


def _figures() -> list[ColumnElement]:
    """The aggregate columns of every table, named as ReachRow's fields."""
    return [
        _sum(case((VERIFIED, 1), else_=0)).label("trainings"),
        _sum(case((VERIFIED, PEOPLE), else_=0)).label("people"),
        _sum(case((VERIFIED, T.hours), else_=0)).label("hours"),
        *(
            _sum(case((VERIFIED, getattr(T, name)), else_=0)).label(name)
            for name in (*GENDER_FIELDS, *AGE_FIELDS)
        ),
        func.count(distinct(case((VERIFIED, T.graduate_id)))).label("trainers"),
        _sum(case((T.status == ReportStatus.SUBMITTED, 1), else_=0)).label("waiting"),
        _sum(case((T.status == ReportStatus.RETURNED, 1), else_=0)).label("returned"),
    ]


def _counted(viewer: User | None, since: date | None, until: date | None) -> ColumnElement:
    """Which reports the figures are made of: the viewer's, in the period, of valid certificates."""
    conditions = [trainings_in_view(viewer), Certificate.is_valid]
    if since is not None:
        conditions.append(T.held_on >= since)
    if until is not None:
        conditions.append(T.held_on <= until)
    return and_(*conditions)


def _aggregated(key, viewer, since, until):
    """A subquery of the figures per `key` (a column of the reports or their certificate)."""
    return (
        select(key.label("key"), *_figures())
        .select_from(T)
        .join(Certificate, Certificate.id == T.certificate_id)
        .where(_counted(viewer, since, until))
        .group_by(key)
        .subquery()
    )


def _numbers(row) -> dict:
    return {name: int(getattr(row, name) or 0) for name in COUNTED}


def _by_reach(rows: list[ReachRow]) -> list[ReachRow]:
    return sorted(rows, key=lambda row: (-row.people, -row.trainings, row.label.casefold()))


def reach_by_graduate(
    viewer: User | None = None, *, since: date | None = None, until: date | None = None
) -> list[ReachRow]:
    """Per graduate who reported (keyed by user id), most people reached first."""
    figures = _aggregated(T.graduate_id, viewer, since, until)
    rows = db.session.execute(
        select(User.id, User.full_name, figures).join(figures, figures.c.key == User.id)
    )
    return _by_reach([ReachRow(key=row.id, label=row.full_name, **_numbers(row)) for row in rows])


def reach_by_region(
    viewer: User | None = None, *, since: date | None = None, until: date | None = None
) -> list[ReachRow]:
    """Per region where the trainings were held (keyed by region id), most people first."""
    figures = _aggregated(T.region_id, viewer, since, until)
    rows = db.session.execute(select(Region, figures).join(figures, figures.c.key == Region.id))
    return _by_reach(
        [ReachRow(key=row.Region.id, label=row.Region.label, **_numbers(row)) for row in rows]
    )


def reach_by_programme(
    viewer: User | None = None, *, since: date | None = None, until: date | None = None
) -> list[ReachRow]:
    """Per programme taught (keyed by programme id; None: topics in the graduates' own words)."""
    figures = _aggregated(T.programme_id, viewer, since, until)
    rows = db.session.execute(
        select(Programme.title, figures)
        .select_from(figures)
        .outerjoin(Programme, Programme.id == figures.c.key)
    )
    return _by_reach(
        [
            ReachRow(key=row.key, label=row.title or _("Other topics"), **_numbers(row))
            for row in rows
        ]
    )


def _graduates_per_session():
    return (
        select(Certificate.session_id.label("session_id"), func.count().label("graduates"))
        .where(Certificate.is_valid)
        .group_by(Certificate.session_id)
        .subquery()
    )


def reach_by_cohort(
    viewer: User | None = None, *, since: date | None = None, until: date | None = None
) -> list[ReachRow]:
    """Per cohort (a session with graduates; keyed by session id), with its graduates and the
    multiplier; cohorts whose graduates have not trained yet are listed too. Latest first."""
    graduates = _graduates_per_session()
    figures = _aggregated(Certificate.session_id, viewer, since, until)
    rows = db.session.execute(
        select(
            TrainingSession.id.label("session_id"),
            TrainingSession.title.label("session_title"),
            Programme.title.label("programme_title"),
            Region,
            graduates.c.graduates,
            figures,
        )
        .select_from(TrainingSession)
        .join(graduates, graduates.c.session_id == TrainingSession.id)
        .join(Programme, Programme.id == TrainingSession.programme_id)
        .join(Region, Region.id == TrainingSession.region_id)
        .outerjoin(figures, figures.c.key == TrainingSession.id)
        .where(cohorts_in_view(viewer))
        .order_by(TrainingSession.starts_at.desc(), TrainingSession.id.desc())
    )
    return [
        ReachRow(
            key=row.session_id,
            label=row.session_title,
            detail=f"{row.programme_title} · {row.Region.label}",
            graduates=int(row.graduates),
            **_numbers(row),
        )
        for row in rows
    ]


def reach_totals(
    viewer: User | None = None, *, since: date | None = None, until: date | None = None
) -> ReachRow:
    """Everything the viewer follows, in two statements: the figures, and the graduates of the
    viewer's cohorts (each person once) for the multiplier."""
    row = db.session.execute(
        select(*_figures())
        .select_from(T)
        .join(Certificate, Certificate.id == T.certificate_id)
        .where(_counted(viewer, since, until))
    ).one()
    graduates = db.session.scalar(
        select(func.count(distinct(Certificate.user_id)))
        .join(TrainingSession, TrainingSession.id == Certificate.session_id)
        .where(Certificate.is_valid, cohorts_in_view(viewer))
    )
    return ReachRow(key=None, label=_("All"), graduates=int(graduates or 0), **_numbers(row))


def people_reached(user: User) -> int:
    """How many people took part in the verified trainings the user gave (one statement)."""
    return int(
        db.session.scalar(
            select(_sum(PEOPLE))
            .select_from(T)
            .join(Certificate, Certificate.id == T.certificate_id)
            .where(T.graduate_id == user.id, VERIFIED, Certificate.is_valid)
        )
        or 0
    )


def my_figures(user: User) -> ReachRow:
    """The user's own figures (verified trainings, people, waiting reports), in one statement."""
    row = db.session.execute(
        select(*_figures())
        .select_from(T)
        .join(Certificate, Certificate.id == T.certificate_id)
        .where(T.graduate_id == user.id, Certificate.is_valid)
    ).one()
    return ReachRow(key=user.id, label=user.full_name, **_numbers(row))
