"""Knowledge-check questions and their choices: adding, editing and deleting them.

They flush, never commit (the view commits once), and refuse bad input with a DomainError naming
the form field the message belongs beside.
"""

from flask_babel import gettext as _
from flask_babel import ngettext

from tot.curriculum.models import Activity, ActivityKind, Choice, Question
from tot.curriculum.ordering import next_position
from tot.errors import DomainError
from tot.extensions import db

MIN_CHOICES = 2
MAX_CHOICES = 6


def _clean_choices(rows: list[tuple[str, bool]], multiple: bool) -> list[tuple[str, bool]]:
    """Keep the filled-in choices and check the question can be answered right."""
    choices = []
    for text, correct in rows:
        text = (text or "").strip()
        if text:
            choices.append((text, bool(correct)))
        elif correct:
            raise DomainError(
                _("A choice marked correct has no text: write it, or untick it."), field="choices"
            )
    if len(choices) < MIN_CHOICES:
        raise DomainError(
            ngettext(
                "Give at least %(num)d choice.", "Give at least %(num)d choices.", MIN_CHOICES
            ),
            field="choices",
        )
    if len(choices) > MAX_CHOICES:
        raise DomainError(
            ngettext("Give at most %(num)d choice.", "Give at most %(num)d choices.", MAX_CHOICES),
            field="choices",
        )
    correct_count = sum(1 for _text, correct in choices if correct)
    if correct_count == 0:
        raise DomainError(
            _("Mark at least one choice as correct: this question has no right answer."),
            field="choices",
        )
    if not multiple and correct_count > 1:
        raise DomainError(
            _(
                "A single-choice question has exactly one correct choice. Untick the others, "
                "or make it a multiple-choice question."
            ),
            field="choices",
        )
    return choices


def _check_activity_is_check(activity: Activity) -> None:
    if activity.kind is not ActivityKind.KNOWLEDGE_CHECK:
        raise DomainError(_("Only a knowledge check has questions."))


def _clean_question_text(text: str | None) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Write the question."), field="text")
    return text


def add_question(
    activity: Activity, *, text: str, multiple: bool, choices: list[tuple[str, bool]]
) -> Question:
    _check_activity_is_check(activity)
    text = _clean_question_text(text)
    cleaned = _clean_choices(choices, multiple)
    question = Question(
        activity=activity,
        text=text,
        multiple=bool(multiple),
        position=next_position(Question.position, Question.activity_id == activity.id),
    )
    for position, (choice_text, correct) in enumerate(cleaned, start=1):
        question.choices.append(Choice(position=position, text=choice_text, correct=correct))
    db.session.add(question)
    db.session.flush()
    return question


def update_question(
    question: Question, *, text: str, multiple: bool, choices: list[tuple[str, bool]]
) -> None:
    """Save a question. Existing choices are updated in place, so their ids stay the same."""
    text = _clean_question_text(text)
    cleaned = _clean_choices(choices, multiple)
    question.text = text
    question.multiple = bool(multiple)
    existing = sorted(question.choices, key=lambda choice: (choice.position, choice.id))
    for position, (choice_text, correct) in enumerate(cleaned, start=1):
        if position <= len(existing):
            choice = existing[position - 1]
            choice.text, choice.correct, choice.position = choice_text, correct, position
        else:
            question.choices.append(Choice(position=position, text=choice_text, correct=correct))
    for extra in existing[len(cleaned) :]:
        question.choices.remove(extra)  # deleted as an orphan
    db.session.flush()


def delete_question(question: Question) -> None:
    activity = question.activity
    if activity.module.programme.is_published and len(activity.questions) == 1:
        raise DomainError(
            _(
                "The programme is published and this is the last question of “%(title)s”: "
                "add another question first, or unpublish the programme.",
                title=activity.title,
            )
        )
    db.session.delete(question)
    db.session.flush()
