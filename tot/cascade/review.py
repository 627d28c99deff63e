"""Verifying reports: the cohort's facilitators or staff verify a report, or return it with a
comment; the graduate is told either way (in their own language)."""

from datetime import datetime

from flask import current_app, has_request_context, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import Select, case, func, select

from tot.accounts.models import User
from tot.cascade.models import CascadeTraining, ReportStatus
from tot.cascade.recording import clean, lock, with_details
from tot.cascade.scope import may_review, reviewable_by, trainings_in_view
from tot.db_types import utcnow
from tot.errors import DomainError
from tot.extensions import db
from tot.formats import format_date
from tot.notifications.services import send
from tot.texts import too_long

COMMENT_MAX = 2000


def review_refusal(user: User, training: CascadeTraining) -> str | None:
    """Why the user may not verify or return this report now, or None when they may."""
    if not may_review(user, training):
        return _("Only the facilitators of the graduate's session, or staff, review this report.")
    if training.is_verified:
        return _("This report is already verified.")
    if training.is_returned:
        return _("This report was returned to the graduate: it waits for their correction.")
    return None


def _locked_for_review(training: CascadeTraining, by: User) -> None:
    lock(training)  # the graduate may be correcting it now
    refusal = review_refusal(by, training)
    if refusal is not None:
        raise DomainError(refusal)


def _link(training: CascadeTraining) -> str:
    """The report's address, with or without a request (the demo seeder has none)."""
    if has_request_context():
        return url_for("cascade.show", training_id=training.id)
    return current_app.url_map.bind("localhost").build("cascade.show", {"training_id": training.id})


def _tell(training: CascadeTraining, kind: str, reason: str = "") -> None:
    graduate = training.graduate
    with force_locale(graduate.language.value):  # the date as the graduate reads dates
        held_on = format_date(training.held_on)
    send(
        graduate,
        kind,
        link=_link(training),
        date=held_on,
        place=training.settlement,
        reason=reason,
    )


def verify(training: CascadeTraining, by: User, now: datetime | None = None) -> None:
    """The report is right: it counts in the reach figures from now on."""
    _locked_for_review(training, by)
    training.verify(by, now or utcnow())
    _tell(training, "cascade.verified")
    db.session.flush()


def return_report(
    training: CascadeTraining, by: User, comment: str | None, now: datetime | None = None
) -> None:
    """Send the report back to the graduate, saying what to correct."""
    text = clean(comment)
    if not text:
        raise DomainError(_("Write what the graduate should correct."), field="comment")
    if len(text) > COMMENT_MAX:
        raise DomainError(too_long(COMMENT_MAX), field="comment")
    _locked_for_review(training, by)
    training.return_for_correction(by, now or utcnow(), text)
    _tell(training, "cascade.returned", reason=text)
    db.session.flush()


# --- the reviewers' lists ------------------------------------------------------------------------

_WAITING_FIRST = case(
    (CascadeTraining.status == ReportStatus.SUBMITTED, 0),
    (CascadeTraining.status == ReportStatus.RETURNED, 1),
    else_=2,
)


def cohort_reports(viewer: User) -> Select:
    """The reports of the viewer's cohorts (staff: all): waiting ones first, oldest first as
    they queued; then returned and verified ones, newest training first."""
    waiting_since = case(
        (CascadeTraining.status == ReportStatus.SUBMITTED, CascadeTraining.updated_at)
    )
    return with_details(
        select(CascadeTraining)
        .where(trainings_in_view(viewer))
        .order_by(
            _WAITING_FIRST,
            waiting_since.asc(),
            CascadeTraining.held_on.desc(),
            CascadeTraining.id.desc(),
        )
    )


def waiting_for(reviewer: User, limit: int | None = None) -> list[CascadeTraining]:
    """The reports the reviewer may verify now, longest waiting first, with their details."""
    statement = with_details(
        select(CascadeTraining)
        .where(CascadeTraining.status == ReportStatus.SUBMITTED, reviewable_by(reviewer))
        .order_by(CascadeTraining.updated_at, CascadeTraining.id)
    )
    if limit is not None:
        statement = statement.limit(limit)
    return list(db.session.scalars(statement).unique())


def waiting_count(reviewer: User) -> int:
    """How many reports wait for this reviewer."""
    return db.session.execute(
        select(func.count())
        .select_from(CascadeTraining)
        .where(CascadeTraining.status == ReportStatus.SUBMITTED, reviewable_by(reviewer))
    ).scalar_one()
