"""Answer sheets wait apart from the results, and enter them in shuffled batches.

Why, and what this protects against, is stated in `tot.feedback.services`; this is how. Every
function here works in the caller's transaction and never commits: `seal` must be given a
transaction of its own that writes nothing else, least of all a receipt.

- `seal` takes the survey's lock, reads the sheets waiting for it, deletes them and writes them
  again, with the new one and in a new random order, either back into the waiting pool (while
  fewer than the minimum) or, once at least the minimum, into the results as one batch dated by
  the day only. So no row of a sheet was written by the transaction of a receipt: the waiting
  rows all by the latest transaction that added to the pool, a batch all by the one that
  released it; and a row's place in its table follows the shuffle, not the order of answering.
- Nothing else releases sheets: not a reading of the results (GET never writes), not the survey's
  closing. Sheets still waiting when the survey closes stay waiting and are never shown (they
  would join the results if the last day were moved later and enough others answered).
"""

import random
from datetime import date

from sqlalchemy import delete, exists, insert, or_, select, update

from tot.extensions import db
from tot.feedback.models import FeedbackResponse, PendingSheet, SessionSurvey, random_id

# The operating system's randomness: no seed that anyone could know or replay.
_RANDOM = random.SystemRandom()


def shuffled(sheets: list[dict]) -> list[dict]:
    """The sheets in an order nobody can predict or reconstruct."""
    order = list(sheets)
    _RANDOM.shuffle(order)
    return order


def lock_pool(survey_id: int) -> None:
    """Hold the survey's row until the transaction ends: an UPDATE of its pool version.

    On PostgreSQL that is a row lock; on SQLite it takes the database's write lock at once (so a
    second writer waits, as the enrolment lock does, rather than failing after both have read).
    Either way two answers sent at the same moment are sealed one after the other, and the
    second reads the pool as the first left it: no sheet is lost or written twice, and no full
    pool is left waiting.
    """
    db.session.execute(
        update(SessionSurvey)
        .where(SessionSurvey.id == survey_id)
        .values(pool_version=SessionSurvey.pool_version + 1)
        .execution_options(synchronize_session=False)
    )


def seal(survey_id: int, answers: dict, *, minimum: int, today: date) -> None:
    """Add one answer sheet to those waiting for the survey, and release them all into the
    results once they are at least `minimum`. `today` dates a released batch (UTC)."""
    lock_pool(survey_id)
    waiting = list(
        db.session.scalars(select(PendingSheet.answers).where(PendingSheet.survey_id == survey_id))
    )
    db.session.execute(
        delete(PendingSheet)
        .where(PendingSheet.survey_id == survey_id)
        .execution_options(synchronize_session=False)
    )
    sheets = shuffled([*waiting, answers])
    if len(sheets) >= minimum:
        write_batch(survey_id, sheets, today)
    else:
        rows = [{"id": random_id(), "survey_id": survey_id, "answers": sheet} for sheet in sheets]
        db.session.execute(insert(PendingSheet), rows)


def write_batch(survey_id: int, sheets: list[dict], day: date) -> None:
    """Write answer sheets into the results, in the order given (a shuffled one), all with the
    same day and each with a new random id."""
    rows = [
        {"id": random_id(), "survey_id": survey_id, "submitted_on": day, "answers": sheet}
        for sheet in sheets
    ]
    db.session.execute(insert(FeedbackResponse), rows)


def sheets_kept(survey_id):
    """A condition: answer sheets are kept for the survey (an id, or a column), in the results or
    still waiting; that is, someone has answered it."""
    return or_(
        exists().where(FeedbackResponse.survey_id == survey_id),
        exists().where(PendingSheet.survey_id == survey_id),
    )
