"""The cascade rules, and the queries other features call (dashboards, staff reports).

The rules live in modules beside this one; this module is their public face (import from here):

    recording.py  graduates, their certificates, recording and correcting a report
    scope.py      whose cascade a person sees and reviews
    review.py     verifying or returning a report, and the reviewers' lists
    reach.py      reach figures, aggregated in SQL (verified trainings only)

For dashboards and reports:

    my_trainings(user) -> Select            a graduate's reports, with their details loaded
    people_reached(user) -> int             people in the graduate's verified trainings
    my_figures(user) -> ReachRow            the graduate's figures (and reports waiting)
    waiting_for(reviewer, limit) -> list    reports the reviewer may verify, longest waiting first
    waiting_count(reviewer) -> int          how many
    reach_totals(viewer, since=, until=) -> ReachRow          everything, with the multiplier
    reach_by_cohort / reach_by_graduate / reach_by_region / reach_by_programme
                        (viewer, since=, until=) -> list[ReachRow]

`viewer` decides whose cascade is counted: staff (or None) everything, a facilitator their own
cohorts, a participant their own reports.
"""

from tot.cascade.reach import (
    ReachRow,
    my_figures,
    people_reached,
    reach_by_cohort,
    reach_by_graduate,
    reach_by_programme,
    reach_by_region,
    reach_totals,
)
from tot.cascade.recording import (
    AGE_FIELDS,
    COUNT_RANGE,
    GENDER_FIELDS,
    HOURS_RANGE,
    NOTES_MAX,
    SETTLEMENT_MAX,
    TOPIC_MAX,
    certificates_of,
    co_trainer_options,
    edit_refusal,
    is_graduate,
    load_training,
    my_trainings,
    programme_options,
    record_refusal,
    record_training,
    today_in,
    update_training,
)
from tot.cascade.review import (
    COMMENT_MAX,
    cohort_reports,
    return_report,
    review_refusal,
    verify,
    waiting_count,
    waiting_for,
)
from tot.cascade.scope import may_review, may_see

__all__ = [
    "AGE_FIELDS",
    "COMMENT_MAX",
    "COUNT_RANGE",
    "GENDER_FIELDS",
    "HOURS_RANGE",
    "NOTES_MAX",
    "SETTLEMENT_MAX",
    "TOPIC_MAX",
    "ReachRow",
    "certificates_of",
    "co_trainer_options",
    "cohort_reports",
    "edit_refusal",
    "is_graduate",
    "load_training",
    "may_review",
    "may_see",
    "my_figures",
    "my_trainings",
    "people_reached",
    "programme_options",
    "reach_by_cohort",
    "reach_by_graduate",
    "reach_by_programme",
    "reach_by_region",
    "reach_totals",
    "record_refusal",
    "record_training",
    "return_report",
    "review_refusal",
    "today_in",
    "update_training",
    "verify",
    "waiting_count",
    "waiting_for",
]
