"""Small builders of programmes, modules, activities, checks and scenarios for tests."""

from tot.curriculum.models import (
    Activity,
    ActivityKind,
    Choice,
    Module,
    Programme,
    ProgrammeStatus,
    Question,
)
from tot.extensions import db
from tot.scenarios.models import Scenario, ScenarioRole


def make_programme(title="Legal Aid TOT", published=True, modules=1, **fields) -> Programme:
    """A programme with `modules` modules, each with one of every kind of activity."""
    programme = Programme(
        title=title,
        summary="A programme.",
        status=ProgrammeStatus.PUBLISHED if published else ProgrammeStatus.DRAFT,
        **fields,
    )
    db.session.add(programme)
    for number in range(modules):
        add_module(programme, f"Module {number + 1}")
    db.session.commit()
    return programme


def add_module(programme: Programme, title: str, kinds=None) -> Module:
    module = Module(programme=programme, title=title, position=len(programme.modules))
    db.session.add(module)
    for kind in kinds or list(ActivityKind):
        add_activity(module, kind)
    db.session.flush()
    return module


def add_activity(module: Module, kind: ActivityKind, required=True) -> Activity:
    activity = Activity(
        module=module,
        kind=kind,
        title=f"{kind.label} {len(module.activities) + 1}",
        position=len(module.activities),
        required=required,
        body="Some **text**.",
    )
    if kind is ActivityKind.KNOWLEDGE_CHECK:
        activity.pass_mark = 50
        add_question(activity, "Single?", [("Right", True), ("Wrong", False)])
        add_question(activity, "Multiple?", [("A", True), ("B", True), ("C", False)], multiple=True)
    if kind is ActivityKind.ROLE_PLAY:
        activity.scenario = make_scenario()
    db.session.add(activity)
    return activity


def add_question(activity: Activity, text: str, choices, multiple=False) -> Question:
    question = Question(
        activity=activity, text=text, multiple=multiple, position=len(activity.questions)
    )
    for position, (choice_text, correct) in enumerate(choices):
        question.choices.append(Choice(text=choice_text, correct=correct, position=position))
    return question


def make_scenario(title="Visit to a detention centre") -> Scenario:
    scenario = Scenario(
        title=title,
        situation="A family asks for help.",
        objectives="Listen first.",
        debrief_questions="What did you notice?\nWhat would you change?",
        observer_checklist="Introduced themselves",
        group_min=2,
        group_max=3,
    )
    scenario.roles.append(
        ScenarioRole(
            name="Lawyer",
            public_description="A young lawyer.",
            private_brief="SECRET-LAWYER",
            position=0,
        )
    )
    scenario.roles.append(
        ScenarioRole(
            name="Mother",
            public_description="The detainee's mother.",
            private_brief="SECRET-MOTHER",
            position=1,
        )
    )
    db.session.add(scenario)
    return scenario


def activity_of(programme: Programme, kind: ActivityKind, module_index=0) -> Activity:
    return next(a for a in programme.modules[module_index].activities if a.kind is kind)


def right_answers(activity: Activity) -> dict[str, list[str]]:
    return {
        f"q-{question.id}": [str(choice.id) for choice in question.choices if choice.correct]
        for question in activity.questions
    }
