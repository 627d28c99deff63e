"""The demo content that `flask seed-demo` loads: curriculum, scenarios and learners' progress.

The demo is loaded once for this module (it takes a couple of seconds), then only read.
"""

import re
from collections import Counter, defaultdict
from datetime import timedelta

import pytest
from sqlalchemy import select

from tot.accounts.models import User
from tot.curriculum.models import Activity, ActivityKind, Module, Programme, ProgrammeStatus
from tot.db_types import utcnow
from tot.extensions import db
from tot.focusgroups.models import Quote
from tot.i18n import Language
from tot.learning import progress as learning_progress
from tot.learning import services
from tot.learning.models import (
    ActivityCompletion,
    CheckAttempt,
    ModuleCompletion,
    ProgrammeProgress,
    Reflection,
)
from tot.permissions import Role
from tot.scenarios.models import Scenario, ScenarioRole, Tag

WOMEN = "Women's Leadership TOT"
LEGAL = "Human Rights and Legal Aid TOT"
SURVIVORS = "Supporting Survivors of Torture: Advanced TOT"
TAGS = {
    "legal aid", "torture victims", "women's leadership", "conflict and water", "media",
    "court monitoring", "support groups", "community dialogue",
}  # fmt: skip


def all_of(model) -> list:
    return list(db.session.scalars(select(model)))


def programme(title: str) -> Programme:
    return db.session.scalar(select(Programme).filter_by(title=title))


def test_programmes_are_published_with_a_prerequisite_and_a_draft(demo):
    statuses = {p.title: p.status for p in all_of(Programme)}
    for title in (WOMEN, LEGAL, SURVIVORS):
        assert statuses[title] is ProgrammeStatus.PUBLISHED
        assert programme(title).published_at is not None
        assert programme(title).summary
        assert programme(title).audience
    assert ProgrammeStatus.DRAFT in statuses.values()
    assert programme(SURVIVORS).prerequisite.title == LEGAL
    assert programme(WOMEN).prerequisite is None


def test_curriculum_has_enough_modules_and_activities_of_every_kind(demo):
    modules = all_of(Module)
    activities = all_of(Activity)
    assert len(modules) >= 10
    assert len(activities) >= 30
    assert {activity.kind for activity in activities} == set(ActivityKind)
    for module in modules:
        assert module.objectives.strip()
        assert module.estimated_minutes > 0
        assert any(activity.required for activity in module.activities)


def test_theory_is_markdown_and_links_go_to_example_org(demo):
    theories = [a for a in all_of(Activity) if a.kind is ActivityKind.THEORY]
    assert all(a.body.startswith("#") for a in theories)
    links = [url for a in theories for _title, url in a.resource_links]
    assert links
    assert all(url.startswith("https://example.org/") for url in links)


def test_knowledge_checks_are_answerable(demo):
    checks = [a for a in all_of(Activity) if a.kind is ActivityKind.KNOWLEDGE_CHECK]
    assert checks
    kinds = Counter()
    for check in checks:
        assert 2 <= len(check.questions) <= 4, check.title
        assert 0 < (check.pass_mark or 0) <= 100
        for question in check.questions:
            correct = [choice for choice in question.choices if choice.correct]
            assert len(question.choices) >= 2, question.text
            assert len(correct) >= 1, question.text
            if not question.multiple:
                assert len(correct) == 1, question.text
            kinds[question.multiple] += 1
    assert kinds[True] > 0  # multiple choice
    assert kinds[False] > 0  # single choice


def test_every_role_play_plays_a_scenario(demo):
    role_plays = [a for a in all_of(Activity) if a.kind is ActivityKind.ROLE_PLAY]
    assert role_plays
    assert all(activity.scenario is not None for activity in role_plays)


def test_scenario_library_is_complete(demo):
    scenarios = all_of(Scenario)
    assert len(scenarios) >= 6
    assert len(all_of(ScenarioRole)) >= 15
    assert {tag.name for tag in all_of(Tag)} == TAGS
    for scenario in scenarios:
        assert scenario.situation, scenario.title
        assert scenario.objectives, scenario.title
        assert len(scenario.checklist_items) >= 3
        assert len(scenario.debrief_list) >= 3
        assert 2 <= scenario.group_min <= scenario.group_max
        assert scenario.duration_minutes > 0
        assert scenario.tags
        for role in scenario.roles:
            assert role.name
            assert role.public_description, role.name
            assert role.private_brief, role.name
    played = {a.scenario_id for a in all_of(Activity) if a.scenario_id}
    assert played == {scenario.id for scenario in scenarios}


def stages_of_participants() -> dict[str, set[int]]:
    """Participants' ids by how far they have gone in at least one programme."""
    done = defaultdict(set)
    for completion in all_of(ActivityCompletion):
        done[completion.user_id].add(completion.activity_id)
    modules_done = defaultdict(set)
    for completion in all_of(ModuleCompletion):
        modules_done[completion.user_id].add(completion.module_id)
    stages = defaultdict(set)
    for progress in all_of(ProgrammeProgress):
        modules = progress.programme.modules
        activity_ids = {activity.id for module in modules for activity in module.activities}
        if progress.completed_at is not None:
            stage = "programme complete"
        elif modules_done[progress.user_id] & {module.id for module in modules}:
            stage = "module complete"
        elif done[progress.user_id] & activity_ids:
            stage = "part-way through a module"
        else:
            stage = "started, nothing done"
        stages[stage].add(progress.user_id)
    participants = {u.id for u in all_of(User) if u.role is Role.PARTICIPANT}
    stages["not started"] = participants - {p.user_id for p in all_of(ProgrammeProgress)}
    return stages


def test_participants_are_at_every_stage(demo):
    stages = stages_of_participants()
    for stage in (
        "not started",
        "started, nothing done",
        "part-way through a module",
        "module complete",
        "programme complete",
    ):
        assert len(stages[stage]) >= 3, stage
    with_progress = {p.user_id for p in all_of(ProgrammeProgress)}
    assert len(with_progress) >= 30
    survivors = programme(SURVIVORS)
    assert any(p.programme_id == survivors.id for p in all_of(ProgrammeProgress))


def test_the_demo_participant_has_somewhere_to_continue(demo):
    user = db.session.scalar(select(User).filter_by(email="participant@example.org"))
    women = learning_progress.load_programme(programme(WOMEN).id)
    first, second = women.modules[0], women.modules[1]
    assert learning_progress.module_is_complete(user, first)
    assert not learning_progress.module_is_complete(user, second)
    progress = learning_progress.programme_overview(user, women).modules[1][1]
    assert 0 < progress.done < progress.total
    assert services.programme_progress_of(user, women).completed_at is None
    assert learning_progress.continue_where_left_off(user).module_id == second.id
    for title in (LEGAL, SURVIVORS):
        assert services.programme_progress_of(user, programme(title)) is None


def test_progress_obeys_the_learning_rules(demo):
    done = defaultdict(set)
    for completion in all_of(ActivityCompletion):
        done[completion.user_id].add(completion.activity_id)
    for completion in all_of(ModuleCompletion):
        required = {a.id for a in completion.module.activities if a.required}
        assert required <= done[completion.user_id]
    modules_done = {(c.user_id, c.module_id) for c in all_of(ModuleCompletion)}
    for progress in all_of(ProgrammeProgress):
        complete = all((progress.user_id, m.id) in modules_done for m in progress.programme.modules)
        assert complete == (progress.completed_at is not None)
        if progress.programme.prerequisite is not None:
            before = services.programme_progress_of(progress.user, progress.programme.prerequisite)
            assert before.completed_at is not None
            assert before.completed_at <= progress.started_at


def test_completions_have_their_evidence_in_time_order(demo):
    passed = {(a.user_id, a.activity_id) for a in all_of(CheckAttempt) if a.passed}
    reflected = {(r.user_id, r.activity_id) for r in all_of(Reflection)}
    started = {(p.user_id, p.programme_id): p.started_at for p in all_of(ProgrammeProgress)}
    for completion in all_of(ActivityCompletion):
        key = (completion.user_id, completion.activity_id)
        activity = completion.activity
        if activity.kind is ActivityKind.KNOWLEDGE_CHECK:
            assert key in passed
        if activity.kind is ActivityKind.DISCUSSION:
            assert key in reflected
        assert started[(completion.user_id, activity.module.programme_id)] < completion.completed_at
    assert len(reflected) == len(all_of(Reflection))


def test_progress_is_spread_over_past_weeks(demo):
    now = utcnow()
    moments = [c.completed_at for c in all_of(ActivityCompletion)]
    moments += [p.started_at for p in all_of(ProgrammeProgress)]
    moments += [a.submitted_at for a in all_of(CheckAttempt)]
    assert max(moments) < now
    assert len({moment.date() for moment in moments}) >= 14
    assert min(moments) < now - timedelta(weeks=4)


def test_some_checks_were_failed_before_they_were_passed(demo):
    attempts = defaultdict(list)
    for attempt in sorted(all_of(CheckAttempt), key=lambda a: a.submitted_at):
        attempts[(attempt.user_id, attempt.activity_id)].append(attempt)
    retried = [tries for tries in attempts.values() if len(tries) > 1]
    assert len(retried) >= 5
    for tries in retried:
        assert not tries[0].passed
        assert tries[-1].passed
        user = db.session.get(User, tries[0].user_id)
        assert learning_progress.best_scores(user, [tries[0].activity_id]) == {
            tries[0].activity_id: max(t.score for t in tries)
        }


def test_reflections_are_varied_and_first_person(demo):
    texts = [reflection.text for reflection in all_of(Reflection)]
    assert len(texts) >= 20
    assert len(set(texts)) >= 20
    assert all(re.search(r"\b(I|me|my|we|our)\b", text, re.IGNORECASE) for text in texts)


@pytest.mark.parametrize(
    ("language", "own_letters"), [(Language.RUSSIAN, set("ыэё")), (Language.KYRGYZ, set("өүң"))]
)
def test_a_complete_programme_is_written_in_russian_and_one_in_kyrgyz(demo, language, own_letters):
    programme = db.session.scalar(
        select(Programme)
        .filter_by(delivery_language=language, status=ProgrammeStatus.PUBLISHED)
        .where(Programme.title.not_in([WOMEN, LEGAL, SURVIVORS]))
    )
    activities = [activity for module in programme.modules for activity in module.activities]
    assert {activity.kind for activity in activities} == set(ActivityKind)
    checks = [a for a in activities if a.kind is ActivityKind.KNOWLEDGE_CHECK]
    assert all(check.questions for check in checks)
    scenario = next(a.scenario for a in activities if a.kind is ActivityKind.ROLE_PLAY)
    assert all(role.private_brief for role in scenario.roles)
    texts = [programme.title, programme.summary, scenario.situation]
    texts += [activity.body for activity in activities] + [r.private_brief for r in scenario.roles]
    for text in texts:
        assert not re.search(r"[A-Za-z]{4,}", text), text  # no English words
        assert own_letters & set(text.lower()) or len(text) < 80, text


def test_some_focus_group_quotes_are_in_russian_and_kyrgyz(demo):
    quotes = [quote.text for quote in all_of(Quote)]
    assert sum(1 for text in quotes if set("ыэ") & set(text) and not set("өүң") & set(text)) >= 3
    assert sum(1 for text in quotes if set("өүң") & set(text)) >= 3
