"""The results of a survey: answers aggregated per question, shown only past a threshold.

Results are made of released answer sheets only (`feedback_responses`; the sheets still waiting
for a batch never count: tot/feedback/batches.py), and shown only once there are enough of them
(`minimum_responses`); below that not even the exact number is told. Free-text answers are
sorted, never in the order they were written.
"""

from collections import Counter
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select

from tot.extensions import db
from tot.feedback.answering import RATINGS, as_rating
from tot.feedback.models import FeedbackQuestion, FeedbackResponse, QuestionKind, SessionSurvey


def minimum_responses() -> int:
    """How many answer sheets a survey needs before anyone sees its results: also the smallest
    batch in which waiting sheets are released into the results."""
    return max(1, int(current_app.config.get("FEEDBACK_MIN_RESPONSES", 3)))


@dataclass
class QuestionResult:
    question: FeedbackQuestion
    answered: int = 0  # how many answer sheets answer this question
    average: float | None = None  # ratings
    counts: list[tuple[str, int]] = field(default_factory=list)  # ratings 1..5, or options
    comments: list[str] = field(default_factory=list)  # free text, in alphabetical order

    def percent(self, count: int) -> int:
        return round(100 * count / self.answered) if self.answered else 0


@dataclass
class Results:
    count: int
    minimum: int
    questions: list[QuestionResult] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        return self.count >= self.minimum


def _question_result(question: FeedbackQuestion, values: list) -> QuestionResult:
    result = QuestionResult(question)
    if question.kind is QuestionKind.RATING:
        ratings = [r for r in (as_rating(v) for v in values) if r is not None]
        tally = Counter(ratings)
        result.answered = len(ratings)
        result.counts = [(str(rating), tally[rating]) for rating in RATINGS]
        if ratings:
            result.average = round(sum(ratings) / len(ratings), 1)
    elif question.kind is QuestionKind.CHOICE:
        chosen = [v for v in values if isinstance(v, str) and v]
        times_chosen = Counter(chosen)
        offered = question.option_list
        # Answers to options since reworded or removed still count, under their own words.
        earlier = sorted((v for v in times_chosen if v not in offered), key=str.casefold)
        result.answered = len(chosen)
        result.counts = [(option, times_chosen[option]) for option in [*offered, *earlier]]
    else:
        comments = [v.strip() for v in values if isinstance(v, str) and v.strip()]
        result.answered = len(comments)
        # Never in the order they were written: that order could point to a person.
        result.comments = sorted(comments, key=lambda text: (text.casefold(), text))
    return result


def results(survey: SessionSurvey, minimum: int | None = None) -> Results:
    """The survey's aggregated answers, in one query whatever their number.

    Below the minimum the result carries the count (for the caller's decision) and nothing else.
    """
    minimum = minimum_responses() if minimum is None else minimum
    sheets = list(
        db.session.scalars(
            select(FeedbackResponse.answers).where(FeedbackResponse.survey_id == survey.id)
        )
    )
    outcome = Results(count=len(sheets), minimum=minimum)
    if not outcome.shown:
        return outcome
    for question in survey.form.questions:
        key = str(question.id)
        values = [sheet.get(key) for sheet in sheets if isinstance(sheet, dict) and key in sheet]
        outcome.questions.append(_question_result(question, values))
    return outcome
