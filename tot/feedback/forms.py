"""Feedback forms: the shape of authoring, of a session's survey, and of an answer sheet.

The rules (2 to 10 options, the kind of an answered question, the last day after the session,
who may answer, ratings from 1 to 5) live in `tot.feedback.services`; these forms only check that
the input has the right shape and show the service's messages beside the fields.
"""

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from wtforms import BooleanField, DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from tot.feedback.models import FeedbackQuestion, QuestionKind
from tot.feedback.services import (
    ANSWER_MAX,
    LABEL_MAX,
    OPTIONS_RANGE,
    QUESTION_MAX,
    RATINGS,
    TITLE_MAX,
    QuestionFields,
    answer_field,
)
from tot.forms import EnumRadioField, Form, optional_int
from tot.texts import too_long_lazy

INTRO_MAX = 5000


class FormDetailsForm(Form):
    """A feedback form's title and introduction."""

    title = StringField(
        _l("Title"),
        validators=[
            DataRequired(message=_l("Enter a title.")),
            Length(max=TITLE_MAX, message=too_long_lazy(TITLE_MAX)),
        ],
    )
    intro = TextAreaField(
        _l("Introduction"),
        description=_l(
            "Shown above the questions. Participants are always told, in addition, how their "
            "anonymity is protected."
        ),
        validators=[
            Optional(),
            Length(max=INTRO_MAX, message=too_long_lazy(INTRO_MAX)),
        ],
        render_kw={"rows": 4},
    )


class QuestionForm(Form):
    text = TextAreaField(
        _l("Question"),
        validators=[
            DataRequired(message=_l("Enter the question.")),
            Length(max=QUESTION_MAX, message=too_long_lazy(QUESTION_MAX)),
        ],
        render_kw={"rows": 2},
    )
    kind = EnumRadioField(
        _l("Kind of answer"),
        enum_class=QuestionKind,
        default=QuestionKind.RATING,
        validators=[InputRequired(message=_l("Choose the kind of answer."))],
    )
    required = BooleanField(
        _l("An answer is required"),
        default=True,
        description=_l("Leave it unticked so that people may skip the question."),
    )
    low_label = StringField(
        _l("What 1 means (ratings only)"),
        description=_l("For example: Not at all."),
        validators=[Length(max=LABEL_MAX, message=too_long_lazy(LABEL_MAX))],
    )
    high_label = StringField(
        _l("What 5 means (ratings only)"),
        description=_l("For example: Very much."),
        validators=[Length(max=LABEL_MAX, message=too_long_lazy(LABEL_MAX))],
    )
    options = TextAreaField(
        _l("Options (single choice only)"),
        description=lazy_ngettext(
            "From %(min)d to %(num)d option, one a line.",
            "From %(min)d to %(num)d options, one a line.",
            OPTIONS_RANGE[1],
            min=OPTIONS_RANGE[0],
        ),
        render_kw={"rows": 5},
    )

    def question_fields(self) -> QuestionFields:
        return QuestionFields(
            text=self.text.data or "",
            kind=self.kind.data,
            required=bool(self.required.data),
            options=self.options.data or "",
            low_label=self.low_label.data or "",
            high_label=self.high_label.data or "",
        )


class MoveForm(Form):
    direction = SelectField(
        choices=[SelectChoice("up", _l("Up")), SelectChoice("down", _l("Down"))],
        validators=[InputRequired()],
    )


class SessionSurveyForm(Form):
    form_id = SelectField(
        _l("Feedback form"),
        coerce=optional_int,
        validate_choice=False,  # the service refuses a form that is gone, or a change too late
        validators=[InputRequired(message=_l("Choose a feedback form."))],
    )
    last_day = DateField(
        _l("Last day to answer"),
        invalid_value_message=_l("Enter a date, such as 2026-05-31."),
        description=_l(
            "On the session's own clock. Feedback stays open until the end of this day; "
            "it opens when the session ends, unless you open it earlier."
        ),
        validators=[InputRequired(message=_l("Enter the last day to answer."))],
    )

    def set_forms(self, forms, placeholder) -> None:
        self.form_id.choices = [SelectChoice("", placeholder)] + [
            SelectChoice(form.id, form.title) for form in forms
        ]


def _rating_choices(question: FeedbackQuestion) -> list[SelectChoice]:
    labels = {1: question.low_label, 5: question.high_label}
    return [
        SelectChoice(
            str(number), f"{number} – {labels[number]}" if labels.get(number) else str(number)
        )
        for number in RATINGS
    ]


def _answer_field(question: FeedbackQuestion):
    hint = None if question.required else _l("Optional: you may skip this question.")
    if question.kind is QuestionKind.RATING:
        return RadioField(
            question.text,
            choices=_rating_choices(question),
            validate_choice=False,  # the service says what a good answer is
            description=hint,
        )
    if question.kind is QuestionKind.CHOICE:
        return RadioField(
            question.text,
            choices=[SelectChoice(option) for option in question.option_list],
            validate_choice=False,
            description=hint,
        )
    return TextAreaField(
        question.text, description=hint, render_kw={"rows": 4, "maxlength": ANSWER_MAX}
    )


def answer_form(questions: list[FeedbackQuestion]) -> Form:
    """An answer sheet with one field per question, named `q-<question id>`."""

    class AnswerForm(Form):
        def raw_answers(self) -> dict[int, str | None]:
            return {question.id: self[answer_field(question)].data for question in questions}

    for question in questions:
        setattr(AnswerForm, answer_field(question), _answer_field(question))
    return AnswerForm()
