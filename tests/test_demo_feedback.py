"""The feedback demo: anonymous survey answers, self-assessments, focus groups and consent.

The demo is loaded once for this module (as in test_demo_content), then only read. The checks
are the platform's rules: only people who were there answer, once; nothing links an answer to a
person; published quotes carry their consent; internal quotes never reach a public page.
"""

import re
from collections import Counter, defaultdict
from datetime import UTC, date, datetime

from bs4 import BeautifulSoup
from sqlalchemy import select

from tot.accounts.models import User
from tot.assessment.models import AssessmentStatement, Phase, SelfAssessment
from tot.curriculum.models import Programme, ProgrammeStatus
from tot.db_types import utcnow
from tot.enrolment.models import Attendance, AttendanceStatus, Enrolment, EnrolmentStatus
from tot.extensions import db
from tot.feedback.models import (
    FeedbackForm,
    FeedbackReceipt,
    FeedbackResponse,
    PendingSheet,
    QuestionKind,
    SessionSurvey,
)
from tot.focusgroups.models import Consent, ConsentChange, FocusGroup, Quote
from tot.learning.models import ProgrammeProgress
from tot.permissions import Role, rule_for
from tot.regions.models import Country

MINIMUM = 3  # FEEDBACK_MIN_RESPONSES by default
CYRILLIC = re.compile("[а-яА-ЯёЁ]")


def all_of(model) -> list:
    return list(db.session.scalars(select(model)))


def responses_per_survey() -> Counter:
    return Counter(response.survey_id for response in all_of(FeedbackResponse))


def waiting_per_survey() -> Counter:
    return Counter(sheet.survey_id for sheet in all_of(PendingSheet))


# --- Feedback ------------------------------------------------------------------------------


def test_two_forms_with_every_kind_of_question_are_in_use(demo):
    forms = all_of(FeedbackForm)
    assert len(forms) == 2
    questions = [question for form in forms for question in form.questions]
    assert {question.kind for question in questions} == set(QuestionKind)
    for question in questions:
        if question.kind is QuestionKind.RATING:
            assert question.low_label, question.text
            assert question.high_label, question.text
        if question.kind is QuestionKind.CHOICE:
            assert len(question.option_list) >= 2, question.text
    assert {survey.form_id for survey in all_of(SessionSurvey)} == {form.id for form in forms}


def test_surveys_follow_past_sessions_and_one_is_still_open(demo):
    now = utcnow()
    surveys = all_of(SessionSurvey)
    assert len(surveys) >= 3
    for survey in surveys:
        assert survey.session.ends_at < now
        assert survey.closes_at > survey.session.ends_at
    assert any(survey.is_open(now) for survey in surveys)


def test_enough_responses_and_exactly_one_survey_below_the_minimum(demo):
    counts, waiting = responses_per_survey(), waiting_per_survey()
    assert sum(counts.values()) >= 20
    assert all(count % MINIMUM == 0 for count in counts.values())  # whole batches only
    # One survey has too few answers to show: they wait, and none of it is in the results.
    assert len(waiting) == 1
    [(below, count)] = waiting.items()
    assert 1 <= count < MINIMUM
    assert below not in counts
    assert set(counts) | {below} == {survey.id for survey in all_of(SessionSurvey)}
    assert sum(1 for count in counts.values() if count >= MINIMUM) >= 2
    assert any(count > MINIMUM for count in counts.values())


def test_one_receipt_for_each_response_in_every_survey(demo):
    receipts = all_of(FeedbackReceipt)
    answered = responses_per_survey() + waiting_per_survey()
    assert Counter(receipt.survey_id for receipt in receipts) == answered
    assert len({(r.survey_id, r.user_id) for r in receipts}) == len(receipts)  # once each


def test_only_confirmed_participants_present_at_least_one_day_have_answered(demo):
    present = set(
        db.session.execute(
            select(Enrolment.session_id, Enrolment.user_id)
            .join(Attendance, Attendance.enrolment_id == Enrolment.id)
            .where(
                Enrolment.status == EnrolmentStatus.CONFIRMED,
                Attendance.status == AttendanceStatus.PRESENT,
            )
        ).all()
    )
    surveys = {survey.id: survey for survey in all_of(SessionSurvey)}
    for receipt in all_of(FeedbackReceipt):
        assert (surveys[receipt.survey_id].session_id, receipt.user_id) in present
        assert db.session.get(User, receipt.user_id).role is Role.PARTICIPANT


def test_responses_carry_no_person_and_only_the_day(demo):
    columns = set(FeedbackResponse.__table__.columns.keys())
    assert columns == {"id", "survey_id", "submitted_on", "answers"}
    now = utcnow()
    for response in all_of(FeedbackResponse):
        survey = db.session.get(SessionSurvey, response.survey_id)
        assert isinstance(response.submitted_on, date)
        assert not isinstance(response.submitted_on, datetime)
        # The feedback service dates an answer sheet by its day in UTC.
        first = survey.session.ends_at.astimezone(UTC).date()
        assert first <= response.submitted_on <= min(survey.closes_at, now).astimezone(UTC).date()


def test_answers_fit_their_questions(demo):
    for response in all_of(FeedbackResponse):
        survey = db.session.get(SessionSurvey, response.survey_id)
        questions = {str(question.id): question for question in survey.form.questions}
        assert set(response.answers) <= set(questions)
        for question_id, question in questions.items():
            value = response.answers.get(question_id)
            if question.required:
                assert value is not None, question.text
            if question.kind is QuestionKind.RATING:
                assert value in range(1, 6)
            elif question.kind is QuestionKind.CHOICE:
                assert value in question.option_list
            elif value is not None:
                assert isinstance(value, str)
                assert value.strip()


def test_answers_are_varied_with_some_comments_in_russian(demo):
    ratings, comments = [], []
    for response in all_of(FeedbackResponse):
        for value in response.answers.values():
            (ratings if isinstance(value, int) else comments).append(value)
    assert len(set(ratings)) >= 4
    free_text = [text for text in comments if "\n" not in text and len(text) > 25]
    assert len(set(free_text)) >= 10
    assert any(CYRILLIC.search(text) for text in free_text)


# --- Self-assessment -----------------------------------------------------------------------


def test_every_published_programme_has_three_to_five_statements(demo):
    published = db.session.scalars(
        select(Programme).where(Programme.status == ProgrammeStatus.PUBLISHED)
    ).all()
    counts = Counter(statement.programme_id for statement in all_of(AssessmentStatement))
    assert published
    for programme in published:
        assert 3 <= counts[programme.id] <= 5, programme.title


def test_participants_rate_themselves_before_and_after(demo):
    assessments = {(a.user_id, a.programme_id, a.phase): a for a in all_of(SelfAssessment)}
    progress = {(p.user_id, p.programme_id): p for p in all_of(ProgrammeProgress)}
    statements = defaultdict(set)
    for statement in all_of(AssessmentStatement):
        statements[statement.programme_id].add(statement.id)
    for (user_id, programme_id, phase), assessment in assessments.items():
        assert {rating.statement_id for rating in assessment.ratings} == statements[programme_id]
        assert all(1 <= rating.rating <= 5 for rating in assessment.ratings)
        started = progress[(user_id, programme_id)]
        if phase is Phase.AFTER:
            assert started.completed_at is not None
            assert assessments[(user_id, programme_id, Phase.BEFORE)].submitted_at < (
                assessment.submitted_at
            )
    before = {user for user, _programme, phase in assessments if phase is Phase.BEFORE}
    both = {user for user, _programme, phase in assessments if phase is Phase.AFTER}
    assert len(before) >= 40
    assert len(both) >= 10


def test_ratings_grow_after_a_programme_but_not_uniformly(demo):
    ratings = {}
    for assessment in all_of(SelfAssessment):
        key = (assessment.user_id, assessment.programme_id, assessment.phase)
        ratings[key] = {r.statement_id: r.rating for r in assessment.ratings}
    changes = [
        after[statement] - ratings[(user, programme, Phase.BEFORE)][statement]
        for (user, programme, phase), after in ratings.items()
        if phase is Phase.AFTER
        for statement in after
    ]
    assert sum(changes) / len(changes) > 0.5
    assert len(set(changes)) >= 3
    assert any(change <= 0 for change in changes)


# --- Focus groups and consent --------------------------------------------------------------


def test_focus_groups_in_both_countries_some_after_a_session(demo):
    groups = all_of(FocusGroup)
    today = utcnow().date()
    assert len(groups) >= 4
    assert {group.region.country for group in groups} == set(Country)
    assert len({group.region_id for group in groups}) >= 4
    for group in groups:
        assert group.held_on < today
        assert group.programme is not None
        assert group.attendees > 0
        assert group.notes
        assert group.quotes
        if group.session is not None:
            assert group.session.ends_at.date() < group.held_on
    assert any(group.session is not None for group in groups)


def test_quotes_have_speakers_themes_and_consent(demo):
    quotes = all_of(Quote)
    assert len(quotes) >= 12
    for quote in quotes:
        assert quote.text
        assert quote.speaker_name
        assert quote.age
        assert quote.occupation
        assert quote.region is not None
        assert quote.themes
    assert len({theme.name for quote in quotes for theme in quote.themes}) >= 6
    published = [quote for quote in quotes if quote.consent.publishable]
    assert len(published) >= 5
    assert {quote.consent for quote in published} == {Consent.NAMED, Consent.ANONYMOUS}


def test_every_publishable_quote_records_when_and_how_consent_was_given(demo):
    today = utcnow().date()
    for quote in all_of(Quote):
        assert quote.consent_history, quote.text  # its first consent is kept too
        last = quote.consent_history[-1]
        assert (last.consent, last.given_at, last.method) == (
            quote.consent,
            quote.consent_given_at,
            quote.consent_method,
        )
        if quote.consent.publishable:
            assert quote.consent_given_at is not None
            assert quote.consent_method.strip()
            assert quote.focus_group.held_on <= quote.consent_given_at <= today
    for change in all_of(ConsentChange):
        if change.consent.publishable:
            assert change.given_at is not None
            assert change.method.strip()


def test_featured_quotes_are_publishable(demo):
    featured = [quote for quote in all_of(Quote) if quote.featured]
    assert 2 <= len(featured) <= 3
    assert all(quote.consent.publishable for quote in featured)


def test_internal_quotes_and_a_withdrawn_consent(demo):
    quotes = all_of(Quote)
    internal = [quote for quote in quotes if quote.consent is Consent.INTERNAL]
    never_published = [
        q for q in internal if not any(c.consent.publishable for c in q.consent_history)
    ]
    assert never_published
    withdrawn = [
        quote
        for quote in internal
        if [change.consent for change in quote.consent_history] == [Consent.NAMED, Consent.INTERNAL]
    ]
    assert len(withdrawn) == 1
    assert not withdrawn[0].featured
    first, last = withdrawn[0].consent_history
    assert first.changed_at < last.changed_at
    assert first.given_at <= last.given_at


def test_internal_quotes_never_appear_on_public_pages(demo):
    internal = [quote.text for quote in all_of(Quote) if quote.consent is Consent.INTERNAL]
    client = demo.test_client()
    urls = [
        rule.rule
        for rule in demo.url_map.iter_rules()
        if "GET" in rule.methods
        and not rule.arguments
        and rule.endpoint != "static"
        and getattr(rule_for(rule.endpoint), "public", False)
    ]
    assert "/" in urls
    for url in urls:
        response = client.get(url)
        text = BeautifulSoup(response.get_data(as_text=True), "html.parser").get_text(" ")
        flat = " ".join(text.split())
        for quote in internal:
            assert " ".join(quote.split()) not in flat, url
