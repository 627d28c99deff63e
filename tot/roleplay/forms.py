from flask_babel import lazy_gettext as _l
from wtforms import SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from tot.forms import Form
from tot.roleplay.services import DEBRIEF_NOTES_MAX
from tot.texts import too_long_lazy

# The role select's value for "no role": an observer with the checklist.
OBSERVER = "observer"


def _int(value):
    return None if value in (None, "") else int(value)


def _role(value):
    if value is None or value == OBSERVER:
        return None
    return int(value)


class StartRunForm(Form):
    """Checks the scenario posted by the select that roleplay/_session_panel.html renders."""

    scenario = SelectField(
        _l("Scenario"),
        coerce=_int,
        validators=[InputRequired(message=_l("Choose a scenario."))],
        invalid_value_message=_l("Choose a scenario."),
        invalid_choice_message=_l("Choose one of the scenarios in the list."),
    )

    def set_choices(self, programme_scenarios, other_scenarios) -> None:
        self.scenario.choices = [
            SelectChoice(scenario.id, scenario.title)
            for scenario in [*programme_scenarios, *other_scenarios]
        ]


class AssignmentForm(Form):
    """Move one person to another group and/or role (one form per person, told apart by prefix)."""

    group = SelectField(
        _l("Group"),
        coerce=_int,
        validators=[InputRequired(message=_l("Choose a group."))],
        invalid_value_message=_l("Choose one of this role-play's groups."),
        invalid_choice_message=_l("Choose one of this role-play's groups."),
    )
    role = SelectField(
        _l("Role"),
        coerce=_role,
        validators=[InputRequired(message=_l("Choose a role, or observer."))],
        invalid_value_message=_l("Choose one of this scenario's roles, or observer."),
        invalid_choice_message=_l("Choose one of this scenario's roles, or observer."),
    )

    @classmethod
    def for_assignment(cls, run, assignment, *, submitted: bool = False) -> "AssignmentForm":
        """The person's form: as posted (`submitted`), or filled with where they are now."""
        prefix = f"assignment-{assignment.id}"
        if submitted:
            form = cls(prefix=prefix)
        else:
            form = cls(
                formdata=None,
                prefix=prefix,
                group=assignment.group_id,
                role=assignment.role_id if assignment.role_id is not None else OBSERVER,
            )
        form.group.choices = [
            SelectChoice(group.id, _l("Group %(number)d", number=group.number))
            for group in run.groups
        ]
        form.role.choices = [
            *(SelectChoice(role.id, role.name) for role in run.scenario.roles),
            SelectChoice(OBSERVER, _l("Observer (checklist)")),
        ]
        return form


class DebriefForm(Form):
    notes = TextAreaField(
        _l("Write or change the notes"),
        validators=[Length(max=DEBRIEF_NOTES_MAX, message=too_long_lazy(DEBRIEF_NOTES_MAX))],
        description=_l(
            "What the group said in the debrief. Only the facilitators and staff read these. "
            "You may use Markdown: **bold**, *italic*, lists starting with “-”."
        ),
        render_kw={"rows": 5},
    )


class ActionForm(Form):
    """No fields: the CSRF token of a button such as "Finish the role-play"."""
