"""Authoring feedback forms: reusable forms and their questions.

A form's questions may be reworded and added to at any time; once anyone has answered the form
(in any session) a question's kind stays and no question can be deleted, so that the answers
already given keep their meaning.

Plain functions on the objects they act on: they flush, never commit (the view commits once), and
refuse bad input with a DomainError naming the form field the message belongs beside.
"""

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import selectinload

from tot import ordering
from tot.accounts.models import User
from tot.errors import DomainError
from tot.extensions import db
from tot.feedback.batches import sheets_kept
from tot.feedback.models import FeedbackForm, FeedbackQuestion, QuestionKind, SessionSurvey
from tot.texts import too_long

TITLE_MAX = 200
QUESTION_MAX = 1000
LABEL_MAX = 80  # the columns' length
OPTIONS_RANGE = (2, 10)
OPTION_MAX = 200


def form_list() -> Select:
    """All feedback forms by title (a statement, for the view to paginate)."""
    return select(FeedbackForm).order_by(func.lower(FeedbackForm.title), FeedbackForm.id)


def all_forms() -> list[FeedbackForm]:
    return list(db.session.scalars(form_list()))


def question_counts(form_ids) -> dict[int, int]:
    form_ids = list(form_ids)
    if not form_ids:
        return {}
    rows = db.session.execute(
        select(FeedbackQuestion.form_id, func.count())
        .where(FeedbackQuestion.form_id.in_(form_ids))
        .group_by(FeedbackQuestion.form_id)
    )
    return dict(rows.tuples().all())


def session_counts(form_ids) -> dict[int, int]:
    """How many sessions each form is given to."""
    form_ids = list(form_ids)
    if not form_ids:
        return {}
    rows = db.session.execute(
        select(SessionSurvey.form_id, func.count())
        .where(SessionSurvey.form_id.in_(form_ids))
        .group_by(SessionSurvey.form_id)
    )
    return dict(rows.tuples().all())


def load_form(form_id: int) -> FeedbackForm | None:
    return db.session.scalar(
        select(FeedbackForm)
        .where(FeedbackForm.id == form_id)
        .options(selectinload(FeedbackForm.questions))
    )


def find_question(form: FeedbackForm, question_id: int) -> FeedbackQuestion | None:
    return next((q for q in form.questions if q.id == question_id), None)


def is_answered(form: FeedbackForm) -> bool:
    """Whether anyone has answered this form, in any session: its questions' meaning is fixed."""
    return bool(
        db.session.scalar(
            select(exists().where(SessionSurvey.form_id == form.id, sheets_kept(SessionSurvey.id)))
        )
    )


def _clean_title(title: str | None) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise DomainError(_("Enter a title."), field="title")
    if len(title) > TITLE_MAX:
        raise DomainError(too_long(TITLE_MAX), field="title")
    return title


def create_form(*, title: str, intro: str = "", author: User | None = None) -> FeedbackForm:
    form = FeedbackForm(
        title=_clean_title(title),
        intro=(intro or "").strip(),
        created_by_id=author.id if author is not None else None,
    )
    db.session.add(form)
    db.session.flush()
    return form


def update_form(form: FeedbackForm, *, title: str, intro: str = "") -> None:
    form.title = _clean_title(title)
    form.intro = (intro or "").strip()
    db.session.flush()


@dataclass
class QuestionFields:
    text: str
    kind: QuestionKind | str | None
    required: bool = True
    options: str = ""
    low_label: str = ""
    high_label: str = ""


def _checked_question(fields: QuestionFields) -> dict:
    text = (fields.text or "").strip()
    if not text:
        raise DomainError(_("Enter the question."), field="text")
    if len(text) > QUESTION_MAX:
        raise DomainError(too_long(QUESTION_MAX), field="text")
    try:
        kind = QuestionKind(fields.kind or "")  # none given: a ValueError, as an unknown kind
    except ValueError:
        raise DomainError(_("Choose the kind of answer."), field="kind") from None
    values = {
        "text": text,
        "kind": kind,
        "required": bool(fields.required),
        "options": "",
        "low_label": "",
        "high_label": "",
    }
    if kind is QuestionKind.RATING:
        for name in ("low_label", "high_label"):
            label = " ".join((getattr(fields, name) or "").split())
            if len(label) > LABEL_MAX:
                raise DomainError(too_long(LABEL_MAX), field=name)
            values[name] = label
    elif kind is QuestionKind.CHOICE:
        values["options"] = "\n".join(_checked_options(fields.options))
    return values


def _checked_options(text: str | None) -> list[str]:
    options = [" ".join(line.split()) for line in (text or "").splitlines()]
    options = [option for option in options if option]
    low, high = OPTIONS_RANGE
    if not low <= len(options) <= high:
        raise DomainError(
            ngettext(
                "Give from %(min)d to %(num)d option, one a line.",
                "Give from %(min)d to %(num)d options, one a line.",
                high,
                min=low,
            ),
            field="options",
        )
    if any(len(option) > OPTION_MAX for option in options):
        raise DomainError(too_long(OPTION_MAX), field="options")
    if len({option.casefold() for option in options}) != len(options):
        raise DomainError(_("Each option must be different."), field="options")
    return options


def add_question(form: FeedbackForm, fields: QuestionFields) -> FeedbackQuestion:
    """A new question at the end of the form (allowed also once the form has been answered)."""
    questions = list(form.questions)
    ordering.renumber(questions)
    question = FeedbackQuestion(**_checked_question(fields), position=len(questions))
    form.questions.append(question)
    db.session.flush()
    return question


def update_question(question: FeedbackQuestion, fields: QuestionFields) -> None:
    """Reword a question. Once the form is answered its kind stays, so old answers keep meaning."""
    values = _checked_question(fields)
    if values["kind"] is not question.kind and is_answered(question.form):
        raise DomainError(
            _(
                "People have already answered this form, so the kind of answer cannot change. "
                "Add a new question instead."
            ),
            field="kind",
        )
    for name, value in values.items():
        setattr(question, name, value)
    db.session.flush()


def delete_question(question: FeedbackQuestion) -> None:
    form = question.form
    if is_answered(form):
        raise DomainError(
            _(
                "People have already answered this form, so its questions cannot be deleted: "
                "their answers would lose their meaning."
            )
        )
    form.questions.remove(question)  # delete-orphan removes the row
    ordering.renumber(list(form.questions))
    db.session.flush()


def move_question(question: FeedbackQuestion, direction: str) -> bool:
    """Swap a question with its neighbour "up" or "down". False when it is already at that end."""
    moved = ordering.move(question.form.questions, question, direction)
    db.session.flush()
    return moved
