"""Positions and moves: modules in a programme, activities in a module, questions in a check."""

from sqlalchemy import func, select

from tot import ordering
from tot.curriculum.models import Activity, Module, Question
from tot.extensions import db


def next_position(column, *criteria) -> int:
    return (db.session.scalar(select(func.max(column)).where(*criteria)) or 0) + 1


def move(siblings: list, item, direction: str) -> bool:
    """Swap an item with its neighbour above or below, numbering the siblings 1..n afresh."""
    ordered = sorted(siblings, key=lambda sibling: (sibling.position, sibling.id))
    moved = ordering.move(ordered, item, direction, start=1)
    db.session.flush()
    return moved


def move_module(module: Module, direction: str) -> bool:
    return move(module.programme.modules, module, direction)


def move_activity(activity: Activity, direction: str) -> bool:
    return move(activity.module.activities, activity, direction)


def move_question(question: Question, direction: str) -> bool:
    return move(question.activity.questions, question, direction)
