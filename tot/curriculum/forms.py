"""Authoring forms: the shape of programmes, modules, activities and questions.

The rules (no cycles of prerequisites, valid resource links, a right answer to every question)
live in `tot.curriculum.services` and `tot.curriculum.questions`; these forms only check that the
input has the right shape.
"""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from tot.curriculum.models import ActivityKind, Level
from tot.curriculum.questions import MAX_CHOICES
from tot.curriculum.services import TITLE_MAX
from tot.forms import EnumSelectField, Form, SubForm, language_choices, optional_int
from tot.i18n import Language
from tot.texts import too_long_lazy

MARKDOWN_HINT = _l("Markdown: **bold**, *italic*, lists with “- ”, links as [text](https://…).")
TEXT_MAX = 20_000


def title_field():
    return StringField(
        _l("Title"),
        validators=[
            DataRequired(message=_l("Enter a title.")),
            Length(max=TITLE_MAX, message=too_long_lazy(TITLE_MAX)),
        ],
    )


def text_field(label, description=None):
    return TextAreaField(
        label,
        description=description,
        validators=[
            Optional(),
            Length(max=TEXT_MAX, message=too_long_lazy(TEXT_MAX)),
        ],
        render_kw={"rows": 6},
    )


class ProgrammeForm(Form):
    title = title_field()
    summary = text_field(_l("Summary"), _l("What the programme is about, in a few sentences."))
    audience = text_field(_l("Audience"), _l("Who it is for, and what they should know already."))
    level = EnumSelectField(_l("Level"), enum_class=Level, default=Level.INTRODUCTORY)
    delivery_language = EnumSelectField(
        _l("Language of delivery"),
        enum_class=Language,
        choices=language_choices(),
        default=Language.RUSSIAN,
    )
    self_paced = BooleanField(
        _l("Self-paced"),
        default=True,
        description=_l("Participants may start it on their own, without a session."),
    )
    prerequisite_id = SelectField(
        _l("Required programme first (optional)"),
        coerce=optional_int,
        validate_choice=False,  # the service explains a refused choice (itself, a circle, gone)
        description=_l("Participants must complete that programme before starting this one."),
    )

    def set_prerequisites(self, programmes, none_label) -> None:
        self.prerequisite_id.choices = [SelectChoice("", none_label)] + [
            SelectChoice(programme.id, programme.title) for programme in programmes
        ]


def minutes_field():
    return IntegerField(
        _l("Estimated minutes"),
        default=60,
        validators=[
            InputRequired(message=_l("Enter a number of minutes from 5 to 1000.")),
            NumberRange(min=5, max=1000, message=_l("Enter a number of minutes from 5 to 1000.")),
        ],
        render_kw={"inputmode": "numeric", "min": 5, "max": 1000},
    )


class ModuleForm(Form):
    title = title_field()
    objectives = text_field(_l("Objectives"), MARKDOWN_HINT)
    estimated_minutes = minutes_field()

    def values(self) -> dict:
        return {
            "title": self.title.data,
            "objectives": self.objectives.data,
            "estimated_minutes": self.estimated_minutes.data,
        }


class AddActivityForm(Form):
    kind = EnumSelectField(_l("Kind"), enum_class=ActivityKind, default=ActivityKind.THEORY)
    title = title_field()


class ActivityForm(Form):
    """What every activity has; each kind adds its own fields below."""

    title = title_field()
    required = BooleanField(
        _l("Required"), description=_l("Participants must do it to complete the module.")
    )


class TheoryForm(ActivityForm):
    body = text_field(_l("Text"), MARKDOWN_HINT)
    resources = TextAreaField(
        _l("Resources"),
        description=_l("One link a line, as: Title | https://example.org/page"),
        validators=[Optional(), Length(max=TEXT_MAX)],
        render_kw={"rows": 4},
    )


class DiscussionForm(ActivityForm):
    body = text_field(
        _l("Discussion prompt"),
        _l("The question participants answer in a written reflection (Markdown)."),
    )


class KnowledgeCheckForm(ActivityForm):
    body = text_field(_l("Introduction"), MARKDOWN_HINT)
    pass_mark = IntegerField(
        _l("Pass mark (percent)"),
        validators=[
            InputRequired(message=_l("Enter a pass mark from 1 to 100 percent.")),
            NumberRange(min=1, max=100, message=_l("Enter a pass mark from 1 to 100 percent.")),
        ],
        render_kw={"inputmode": "numeric", "min": 1, "max": 100},
    )


class RolePlayForm(ActivityForm):
    body = text_field(_l("Notes for participants"), MARKDOWN_HINT)
    scenario_id = SelectField(_l("Scenario"), coerce=optional_int, validate_choice=False)

    def set_scenarios(self, scenarios, placeholder) -> None:
        self.scenario_id.choices = [SelectChoice("", placeholder)] + [
            SelectChoice(scenario.id, scenario.title) for scenario in scenarios
        ]


ACTIVITY_FORMS: dict[ActivityKind, type[ActivityForm]] = {
    ActivityKind.THEORY: TheoryForm,
    ActivityKind.DISCUSSION: DiscussionForm,
    ActivityKind.KNOWLEDGE_CHECK: KnowledgeCheckForm,
    ActivityKind.ROLE_PLAY: RolePlayForm,
}


class ChoiceForm(SubForm):
    """One row of a question's choices (part of QuestionForm, so no CSRF token of its own)."""

    text = StringField(
        _l("Choice"),
        validators=[Optional(), Length(max=500, message=_l("Keep a choice under 500 characters."))],
    )
    correct = BooleanField(_l("Correct"))


class QuestionForm(Form):
    text = TextAreaField(
        _l("Question"),
        validators=[
            DataRequired(message=_l("Write the question.")),
            Length(max=2000, message=too_long_lazy(2000)),
        ],
        render_kw={"rows": 3},
    )
    answer_type = RadioField(
        _l("Answers"),
        choices=[
            SelectChoice("single", _l("Single choice: exactly one choice is correct")),
            SelectChoice("multiple", _l("Multiple choice: one or more choices are correct")),
        ],
        default="single",
    )
    choices = FieldList(
        FormField(ChoiceForm),
        label=_l("Choices"),
        min_entries=MAX_CHOICES,
        max_entries=MAX_CHOICES,
    )

    def values(self) -> dict:
        """The question as the service takes it: text, multiple, and (text, correct) rows."""
        return {
            "text": self.text.data,
            "multiple": self.answer_type.data == "multiple",
            "choices": self.choice_rows(),
        }

    def choice_rows(self) -> list[tuple[str, bool]]:
        return [
            (entry.form.text.data or "", bool(entry.form.correct.data)) for entry in self.choices
        ]
