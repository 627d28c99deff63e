"""A session's feedback results as a spreadsheet: the aggregates the results page shows, and the
comments (written by tot.exports, which keeps a comment from running as a formula)."""

from flask_babel import gettext as _

from tot.feedback.models import QuestionKind, SessionSurvey
from tot.feedback.services import Results
from tot.sessions.models import TrainingSession


def results_rows(session: TrainingSession, survey: SessionSurvey, results: Results):
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
