"""Demo feedback: anonymous session surveys, self-assessments, focus groups and their quotes.

Runs after the sessions demo, on what it left (past sessions, enrolments, attendance), and
writes the models directly, keeping the rules by construction: only participants confirmed and
present at least one day answer a survey, once each (a receipt each, written in order of user id,
and answers drawn without looking at who answered); a publishable quote always has the date and
the way its consent was given, and every consent is kept as a ConsentChange.

Answer sheets reach the results as the feedback service lets them: through its waiting pool
(`tot.feedback.batches.seal`), in shuffled batches of the minimum, each dated by the day of its
last answer. So that every such survey shows results, its number of answers is a whole number of
batches. The one survey kept below the minimum has its one or two sheets still waiting: nothing
of it is shown, as its results page says.
"""

import itertools
import math
import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from tot.accounts.models import User
from tot.assessment.models import AssessmentRating, AssessmentStatement, Phase, SelfAssessment
from tot.curriculum.models import Programme, ProgrammeStatus
from tot.db_types import utcnow
from tot.demo.clock import TITLES
from tot.demo.feedback_data import (
    ASSESSMENT_STATEMENTS,
    COMMENT_RATE,
    COMMENTS,
    FORMS,
    MOODS,
    RATING_WEIGHTS,
)
from tot.demo.focusgroups import STAFF_EMAIL, seed_focus_groups
from tot.enrolment.models import Attendance, AttendanceStatus, Enrolment, EnrolmentStatus
from tot.extensions import db
from tot.feedback.batches import seal
from tot.feedback.models import (
    FeedbackForm,
    FeedbackQuestion,
    FeedbackReceipt,
    QuestionKind,
    SessionSurvey,
)
from tot.feedback.results import minimum_responses
from tot.learning.models import ProgrammeProgress
from tot.permissions import Role
from tot.sessions.models import SessionStatus, TrainingSession

# The documented demo participant is left to answer their own session's survey, still open.
FEATURED_PARTICIPANT = "participant@example.org"
SURVEY_DAYS = (10, 14, 21)  # the last day to answer, counted from the session's last day
STILL_OPEN_FOR = timedelta(days=9)  # an open survey's last day is at least this far from today
ANSWER_SHARE = (0.55, 0.9)  # the share of the people present who answer (when enough do)
QUESTIONS = {question["text"]: question for form in FORMS for question in form["questions"]}


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


# --- Feedback forms and anonymous responses -------------------------------------------------


def _seed_forms(author: User, since: datetime) -> list[FeedbackForm]:
    forms = [
        FeedbackForm(
            title=data["title"],
            intro=data["intro"],
            created_by_id=author.id,
            created_at=since,
            questions=[
                FeedbackQuestion(
                    position=position,
                    text=question["text"],
                    kind=question["kind"],
                    required=question["kind"] is not QuestionKind.TEXT,
                    options="\n".join(question.get("options", {})),
                    low_label=question.get("low", ""),
                    high_label=question.get("high", ""),
                )
                for position, question in enumerate(data["questions"], start=1)
            ],
        )
        for data in FORMS
    ]
    db.session.add_all(forms)
    db.session.flush()
    return forms


def _past_sessions_with_attendees(now: datetime) -> list[tuple[TrainingSession, list[int]]]:
    """Past sessions, oldest first, with the participants confirmed and present at least a day."""
    rows = db.session.execute(
        select(TrainingSession, Enrolment.user_id)
        .join(Enrolment, Enrolment.session_id == TrainingSession.id)
        .join(Attendance, Attendance.enrolment_id == Enrolment.id)
        .join(User, User.id == Enrolment.user_id)
        .where(
            TrainingSession.ends_at < now,
            TrainingSession.status != SessionStatus.CANCELLED,
            User.role == Role.PARTICIPANT,
            Enrolment.status == EnrolmentStatus.CONFIRMED,
            Attendance.status == AttendanceStatus.PRESENT,
        )
        .order_by(TrainingSession.ends_at, TrainingSession.id, Enrolment.user_id)
    )
    present: dict[TrainingSession, set[int]] = {}
    for session, user_id in rows:
        present.setdefault(session, set()).add(user_id)
    return [(session, sorted(people)) for session, people in present.items()]


def _response_counts(rng: random.Random, attendees: list[list[int]], minimum: int) -> list[int]:
    """How many answer each session's survey: one session below the minimum (not the latest,
    when there is a choice), the others at or above it; 0 (no survey) where too few came."""
    earlier = attendees[:-1] or attendees
    below = min(range(len(earlier)), key=lambda index: len(earlier[index]))
    counts = []
    for index, people in enumerate(attendees):
        present = len(people)
        if index == below:
            counts.append(min(present, rng.randint(1, max(1, minimum - 1))))
        elif present >= minimum:
            fewest = max(minimum, math.ceil(present * ANSWER_SHARE[0]))
            counts.append(rng.randint(fewest, max(fewest, int(present * ANSWER_SHARE[1]))))
        else:
            counts.append(0)
    return counts


def _comment_decks(rng: random.Random) -> dict[tuple[str, str], Iterator[str]]:
    """Comments dealt from shuffled decks, so that none repeats before all of its kind are used."""
    decks: dict[tuple[str, str], Iterator[str]] = {}
    for key, moods in COMMENTS.items():
        for mood, texts in moods.items():
            decks[key, mood] = itertools.cycle(rng.sample(texts, len(texts)))
    return decks


def _answers(rng: random.Random, form: FeedbackForm, comments: dict) -> dict[str, object]:
    """One answer sheet in one mood; optional free text is often left out."""
    mood = _pick(rng, MOODS)
    answers: dict[str, object] = {}
    for question in form.questions:
        data = QUESTIONS[question.text]
        if question.kind is QuestionKind.RATING:
            answers[str(question.id)] = rng.choices(range(1, 6), RATING_WEIGHTS[mood])[0]
        elif question.kind is QuestionKind.CHOICE:
            answers[str(question.id)] = _pick(rng, data["options"])
        elif rng.random() < COMMENT_RATE:
            answers[str(question.id)] = next(comments[data["comments"], mood])
    return answers


def _answer_survey(
    rng, survey: SessionSurvey, respondents: list[int], now, comments, minimum: int
) -> None:
    """A receipt for each respondent, and as many answer sheets sealed in the order they came,
    most within a day or two of the session's end (a batch is dated by its last one's UTC day)."""
    latest = min(survey.closes_at, now) - timedelta(minutes=1)
    for user_id in sorted(respondents):
        db.session.add(FeedbackReceipt(survey_id=survey.id, user_id=user_id))
    times = sorted(
        min(survey.session.ends_at + timedelta(hours=rng.expovariate(1 / 30)), latest)
        for _ in respondents
    )
    sheets = [_answers(rng, survey.form, comments) for _ in respondents]
    for answered, answers in zip(times, sheets, strict=True):
        seal(survey.id, answers, minimum=minimum, today=answered.astimezone(UTC).date())


def _closing(session: TrainingSession, last_day: date) -> datetime:
    """The end of the last day to answer on the session's clock, as the feedback service sets it."""
    midnight = datetime.combine(last_day + timedelta(days=1), time(), tzinfo=session.zone)
    return midnight.astimezone(UTC)


def _leave_open(attended: list, featured: User | None) -> tuple[set[int], list]:
    """The latest survey stays open, and so does the demo participant's latest, unanswered by
    them so that the documented demo account can try the form. Returns the sessions whose
    survey is open, and who may be counted among each session's respondents."""
    open_ids = {attended[-1][0].id} if attended else set()
    if featured is None:
        return open_ids, attended
    open_ids.update([session.id for session, people in attended if featured.id in people][-1:])
    return open_ids, [
        (session, [i for i in people if i != featured.id or session.id not in open_ids])
        for session, people in attended
    ]


def _seed_surveys(rng: random.Random, author: User, featured: User | None, now) -> dict:
    attended = _past_sessions_with_attendees(now)
    since = min(
        [now - timedelta(days=180)] + [s.starts_at - timedelta(days=14) for s, _ in attended]
    )
    standard, short = _seed_forms(author, since)
    open_ids, attended = _leave_open(attended, featured)
    minimum = minimum_responses()
    counts = _response_counts(rng, [people for _, people in attended], minimum) if attended else []
    comments = _comment_decks(rng)
    surveys = responses = 0
    for (session, people), count in zip(attended, counts, strict=True):
        if not count:
            continue
        if count >= minimum:
            count -= count % minimum  # whole batches: all of them in the results
        last_day = session.local_end.date() + timedelta(days=rng.choice(SURVEY_DAYS))
        if session.id in open_ids:
            last_day = max(last_day, now.astimezone(session.zone).date() + STILL_OPEN_FOR)
        survey = SessionSurvey(
            session=session,
            form=short if surveys % 3 == 1 else standard,
            closes_at=_closing(session, last_day),
            created_at=max(since, session.starts_at - timedelta(days=3)),
        )
        db.session.add(survey)
        db.session.flush()
        _answer_survey(rng, survey, rng.sample(people, count), now, comments, minimum)
        surveys += 1
        responses += count
    db.session.flush()
    return {"feedback forms": 2, "session surveys": surveys, "feedback responses": responses}


# --- Self-assessment before and after a programme -------------------------------------------


def _seed_statements() -> dict[int, list[tuple[AssessmentStatement, float]]]:
    """The statements of each published programme, with how people typically rate them before."""
    published = {
        programme.title: programme
        for programme in db.session.scalars(
            select(Programme).where(Programme.status == ProgrammeStatus.PUBLISHED)
        )
    }
    statements = {}
    for key, items in ASSESSMENT_STATEMENTS.items():
        programme = published.get(TITLES[key])
        if programme is None:
            continue
        statements[programme.id] = [
            (AssessmentStatement(programme_id=programme.id, position=number, text=text), typical)
            for number, (text, typical) in enumerate(items, start=1)
        ]
        db.session.add_all(statement for statement, _typical in statements[programme.id])
    db.session.flush()
    return statements


def _rating(value: float) -> int:
    return min(5, max(1, round(value)))


def _assessment(progress, phase: Phase, when: datetime, statements, ratings: list[int]) -> None:
    db.session.add(
        SelfAssessment(
            user_id=progress.user_id,
            programme_id=progress.programme_id,
            phase=phase,
            submitted_at=when,
            ratings=[
                AssessmentRating(statement_id=statement.id, rating=rating)
                for (statement, _typical), rating in zip(statements, ratings, strict=True)
            ],
        )
    )


def _seed_self_assessments(rng: random.Random, now: datetime) -> dict:
    """A "before" for everyone who started a programme, an "after" for those who completed it.

    Change is real but uneven: most grow by a point or two, some hardly, and a few rate
    themselves lower on something once they know how much there is to it.
    """
    statements = _seed_statements()
    progresses = db.session.scalars(
        select(ProgrammeProgress)
        .join(User, User.id == ProgrammeProgress.user_id)
        .where(User.role == Role.PARTICIPANT, ProgrammeProgress.programme_id.in_(statements))
        .order_by(ProgrammeProgress.id)
    )
    before_count = after_count = 0
    for progress in progresses:
        items = statements[progress.programme_id]
        leaning = rng.gauss(0, 0.5)  # some people rate themselves higher than others do
        before = [_rating(rng.gauss(typical + leaning, 0.7)) for _statement, typical in items]
        when = min(progress.started_at + timedelta(minutes=rng.randint(1, 4)), now)
        _assessment(progress, Phase.BEFORE, when, items, before)
        before_count += 1
        if progress.completed_at is None:
            continue
        growth = rng.uniform(0.2, 1.8)
        after = [_rating(rating + max(-1, round(rng.gauss(growth, 0.7)))) for rating in before]
        when = min(progress.completed_at + timedelta(hours=rng.randint(1, 72)), now)
        _assessment(progress, Phase.AFTER, when, items, after)
        after_count += 1
    db.session.flush()
    return {
        "assessment statements": sum(len(items) for items in statements.values()),
        "self-assessments": before_count + after_count,
    }


# --- Focus groups, quotes and consent -------------------------------------------------------


def seed_feedback(rng: random.Random, people: dict[str, User]) -> dict[str, int]:
    """Surveys with anonymous answers for past sessions, self-assessments, and focus groups.

    Call after the sessions demo; returns counts for the seed-demo report.
    """
    now = utcnow()
    counts = _seed_surveys(rng, people[STAFF_EMAIL], people.get(FEATURED_PARTICIPANT), now)
    counts.update(_seed_self_assessments(rng, now))
    counts.update(seed_focus_groups(rng, people, now))
    return counts
