from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
)

from tot.forms import Form
from tot.scenarios.services import (
    DURATION_RANGE,
    GROUP_SIZE_RANGE,
    ROLE_NAME_MAX,
    TAG_MAX,
    TITLE_MAX,
)
from tot.texts import too_long_lazy

GROUP_SIZE_MESSAGE = _l("Enter a number of people from %(min)d to %(max)d.")
WHOLE_NUMBER_MESSAGE = _l("Enter a whole number, such as 4.")


class InRange(NumberRange):
    """A NumberRange that stays silent when the box did not even hold a whole number."""

    def __call__(self, form, field):
        if field.process_errors:
            raise StopValidation()
        super().__call__(form, field)


def group_size_field(label):
    low, high = GROUP_SIZE_RANGE
    return IntegerField(
        label,
        validators=[
            InputRequired(message=_l("Enter a number of people.")),
            InRange(min=low, max=high, message=GROUP_SIZE_MESSAGE),
        ],
        invalid_value_message=WHOLE_NUMBER_MESSAGE,
        render_kw={"min": low, "max": high, "inputmode": "numeric"},
    )


class ScenarioForm(Form):
    title = StringField(
        _l("Title"),
        validators=[
            DataRequired(message=_l("Enter a title.")),
            Length(max=TITLE_MAX, message=too_long_lazy(TITLE_MAX)),
        ],
    )
    situation = TextAreaField(
        _l("Situation"),
        description=_l(
            "What the players find when the role-play begins. "
            "You may use Markdown: **bold**, *italic*, lists starting with “-”."
        ),
        render_kw={"rows": 8},
    )
    objectives = TextAreaField(
        _l("Objectives"),
        description=_l(
            "What the participants should practise or understand. "
            "You may use Markdown: **bold**, *italic*, lists starting with “-”."
        ),
        render_kw={"rows": 5},
    )
    group_min = group_size_field(_l("Smallest group (people)"))
    group_max = group_size_field(_l("Largest group (people)"))
    duration_minutes = IntegerField(
        _l("Duration (minutes)"),
        validators=[
            InputRequired(message=_l("Enter the duration in minutes.")),
            InRange(
                min=DURATION_RANGE[0],
                max=DURATION_RANGE[1],
                message=lazy_ngettext(
                    "Enter a duration from %(min)d to %(num)d minute.",
                    "Enter a duration from %(min)d to %(num)d minutes.",
                    DURATION_RANGE[1],
                    min=DURATION_RANGE[0],
                ),
            ),
        ],
        invalid_value_message=WHOLE_NUMBER_MESSAGE,
        render_kw={"min": DURATION_RANGE[0], "max": DURATION_RANGE[1], "inputmode": "numeric"},
    )
    # Not called `tags`: that is the scenario's list of Tag objects, which must not fill this box.
    tag_list = StringField(
        _l("Tags"),
        description=lazy_ngettext(
            "Separated by commas, for example: legal aid, torture victims. "
            "Each at most %(num)d character.",
            "Separated by commas, for example: legal aid, torture victims. "
            "Each at most %(num)d characters.",
            TAG_MAX,
        ),
    )
    observer_checklist = TextAreaField(
        _l("Observer checklist"),
        description=_l("What observers watch for: one item a line."),
        render_kw={"rows": 5},
    )
    debrief_questions = TextAreaField(
        _l("Debrief questions"),
        description=_l("One question a line."),
        render_kw={"rows": 5},
    )

    def scenario_fields(self) -> dict:
        """The form's values, named as `services.create_scenario` expects them."""
        return {
            "title": self.title.data,
            "situation": self.situation.data,
            "objectives": self.objectives.data,
            "observer_checklist": self.observer_checklist.data,
            "debrief_questions": self.debrief_questions.data,
            "group_min": self.group_min.data,
            "group_max": self.group_max.data,
            "duration_minutes": self.duration_minutes.data,
            "tags": self.tag_list.data or "",
        }


class RoleForm(Form):
    name = StringField(
        _l("Name of the role"),
        validators=[
            DataRequired(message=_l("Enter the role's name.")),
            Length(max=ROLE_NAME_MAX, message=too_long_lazy(ROLE_NAME_MAX)),
        ],
    )
    public_description = TextAreaField(
        _l("Public description"),
        description=_l(
            "What every player knows about this role. "
            "You may use Markdown: **bold**, *italic*, lists starting with “-”."
        ),
        render_kw={"rows": 4},
    )
    private_brief = TextAreaField(
        _l("Private brief"),
        description=_l(
            "Only the player of this role reads it: their aims, fears, secrets. "
            "You may use Markdown: **bold**, *italic*, lists starting with “-”."
        ),
        render_kw={"rows": 6},
    )

    def role_fields(self) -> dict:
        return {
            "name": self.name.data,
            "public_description": self.public_description.data,
            "private_brief": self.private_brief.data,
        }


class MoveRoleForm(Form):
    direction = SelectField(
        choices=[SelectChoice("up", _l("Up")), SelectChoice("down", _l("Down"))],
        validators=[InputRequired()],
    )


class LibrarySearchForm(Form):
    """The library's filters (GET, so no CSRF token)."""

    class Meta:
        csrf = False

    q = StringField(_l("Title or situation"), validators=[Optional()])
    tag = SelectField(_l("Tag"), validators=[Optional()], validate_choice=False)
