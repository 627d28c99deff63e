"""Forms of the cascade: a training's report, and a reviewer's comment (shape only; rules:
services)."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from tot.cascade.services import (
    AGE_FIELDS,
    COMMENT_MAX,
    COUNT_RANGE,
    GENDER_FIELDS,
    HOURS_RANGE,
    NOTES_MAX,
    SETTLEMENT_MAX,
    TOPIC_MAX,
)
from tot.formats import format_date
from tot.forms import Form, optional_int, region_choices
from tot.sessions.forms import CheckboxesField, InRange, safe_int
from tot.texts import too_long_lazy

WHOLE_NUMBER_MESSAGE = _l("Enter a whole number, such as 4.")
DATE_MESSAGE = _l("Enter a date, such as 2025-03-14.")
CERTIFICATE_MESSAGE = _l("Choose one of your certificates.")


def count_field(label):
    low, high = COUNT_RANGE
    return IntegerField(
        label,
        default=0,
        validators=[
            Optional(),
            InRange(min=low, max=high, message=_l("Enter a number from %(min)d to %(max)d.")),
        ],
        invalid_value_message=WHOLE_NUMBER_MESSAGE,
        render_kw={"min": low, "max": high, "inputmode": "numeric"},
    )


def certificate_choices(certificates) -> list[SelectChoice]:
    """A graduate's certificates, each named by its session and the day it began; a placeholder
    first when there is more than one to choose from (one alone is chosen already)."""
    choices = [
        SelectChoice(
            certificate.id,
            f"{certificate.session.title} · {format_date(certificate.session.local_start.date())}",
        )
        for certificate in certificates
    ]
    if len(choices) > 1:
        choices.insert(0, SelectChoice("", _l("Choose the session")))
    return choices


class TrainingForm(Form):
    certificate_id = SelectField(
        _l("The TOT session you trained in"),
        coerce=optional_int,
        validators=[DataRequired(message=CERTIFICATE_MESSAGE)],
        invalid_value_message=CERTIFICATE_MESSAGE,
        invalid_choice_message=CERTIFICATE_MESSAGE,
        description=_l("One of your certificates: the training counts for that session's cohort."),
    )
    held_on = DateField(
        _l("Date of the training"),
        validators=[InputRequired(message=_l("Enter the date of the training."))],
        invalid_value_message=DATE_MESSAGE,
    )
    region_id = SelectField(
        _l("Region"),
        coerce=optional_int,
        validators=[DataRequired(message=_l("Choose a region."))],
        invalid_value_message=_l("Choose a region."),
        invalid_choice_message=_l("Choose a region."),
    )
    settlement = StringField(
        _l("Town or village"),
        validators=[
            DataRequired(message=_l("Enter the town or village.")),
            Length(max=SETTLEMENT_MAX, message=too_long_lazy(SETTLEMENT_MAX)),
        ],
    )
    programme_id = SelectField(
        _l("Programme"),
        coerce=optional_int,
        validators=[Optional()],
        invalid_value_message=_l("Choose a programme from the list."),
        invalid_choice_message=_l("Choose a programme from the list."),
        description=_l("If you taught one of the platform's programmes."),
    )
    topic = StringField(
        _l("Topic, in your own words"),
        validators=[Length(max=TOPIC_MAX, message=too_long_lazy(TOPIC_MAX))],
        description=_l("If you taught something else, or only a part: say what."),
    )
    hours = IntegerField(
        _l("Length in hours"),
        validators=[
            InputRequired(message=_l("Enter how many hours the training lasted.")),
            InRange(
                min=HOURS_RANGE[0],
                max=HOURS_RANGE[1],
                message=_l("Enter a number from %(min)d to %(max)d."),
            ),
        ],
        invalid_value_message=WHOLE_NUMBER_MESSAGE,
        render_kw={"min": HOURS_RANGE[0], "max": HOURS_RANGE[1], "inputmode": "numeric"},
    )
    women = count_field(_l("Women"))
    men = count_field(_l("Men"))
    other_genders = count_field(_l("Another gender or not said"))
    age_18_24 = count_field(_l("18–24"))
    age_25_34 = count_field(_l("25–34"))
    age_35_44 = count_field(_l("35–44"))
    age_45_54 = count_field(_l("45–54"))
    age_55_plus = count_field(_l("55 or more"))
    age_unknown = count_field(_l("Unknown, or under 18"))
    co_trainer_ids = CheckboxesField(
        _l("Co-trainers"),
        coerce=safe_int,
        validators=[Optional()],
        invalid_choice_message=_l("Choose co-trainers from the list."),
        description=_l("Other graduates of your session who trained with you, if any."),
    )
    notes = TextAreaField(
        _l("Notes"),
        validators=[Length(max=NOTES_MAX, message=too_long_lazy(NOTES_MAX))],
        description=_l(
            "What went well, what was hard, what people asked for. Never write participants' names."
        ),
        render_kw={"rows": 4},
    )

    def set_choices(self, *, certificates, regions, programmes, co_trainers) -> None:
        self.certificate_id.choices = certificate_choices(certificates)
        self.region_id.choices = region_choices(regions)
        self.programme_id.choices = [SelectChoice("", _l("Another topic (write it below)"))] + [
            SelectChoice(programme.id, programme.title) for programme in programmes
        ]
        self.co_trainer_ids.choices = [
            SelectChoice(person.id, person.full_name) for person in co_trainers
        ]

    def training_fields(self) -> dict:
        fields = {
            "certificate_id": self.certificate_id.data,
            "held_on": self.held_on.data,
            "region_id": self.region_id.data,
            "settlement": self.settlement.data or "",
            "programme_id": self.programme_id.data,
            "topic": self.topic.data or "",
            "hours": self.hours.data,
            "co_trainer_ids": list(self.co_trainer_ids.data or []),
            "notes": self.notes.data or "",
        }
        for name in (*GENDER_FIELDS, *AGE_FIELDS):
            fields[name] = getattr(self, name).data or 0
        return fields


class ReturnForm(Form):
    """Send a report back to its graduate with a comment (required: the service says so)."""

    comment = TextAreaField(
        _l("What should be corrected?"),
        validators=[Length(max=COMMENT_MAX, message=too_long_lazy(COMMENT_MAX))],
        description=_l("The graduate reads this comment in their notification."),
        render_kw={"rows": 3},
    )
