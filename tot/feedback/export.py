"""A session's feedback results as CSV: the same aggregates the results page shows, and comments.

UTF-8 with a byte-order mark, so that spreadsheet programs read Cyrillic text right. A cell that
starts like a formula (= + - @, or a tab or carriage return) gets a leading apostrophe, so that a
participant's comment cannot run as a formula on a staff member's computer.
"""

import csv
import io

from flask_babel import gettext as _

from tot.feedback.models import QuestionKind, SessionSurvey
from tot.feedback.services import Results
from tot.sessions.models import TrainingSession

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str:
    """The cell's text, with an apostrophe before anything a spreadsheet would run as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _rows(session: TrainingSession, survey: SessionSurvey, results: Results):
    yield [_("Session"), session.title]
    yield [_("Feedback form"), survey.form.title]
    yield [_("Responses"), results.count]
    yield []
    yield [_("Question number"), _("Question"), _("Kind"), _("Answer"), _("Count"), _("Average")]
    for number, result in enumerate(results.questions, start=1):
        question = result.question
        start = [number, question.text, question.kind.label]
        if question.kind is QuestionKind.RATING:
            for value, count in result.counts:
                yield [*start, value, count, ""]
            average = "" if result.average is None else f"{result.average:.1f}"
            yield [*start, _("Average"), result.answered, average]
        elif question.kind is QuestionKind.CHOICE:
            for option, count in result.counts:
                yield [*start, option, count, ""]
        else:
            for comment in result.comments:
                yield [*start, comment, "", ""]


def results_csv(session: TrainingSession, survey: SessionSurvey, results: Results) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in _rows(session, survey, results):
        writer.writerow([neutralise(cell) for cell in row])
    return BOM + buffer.getvalue()
