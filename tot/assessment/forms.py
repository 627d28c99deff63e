"""Self-assessment forms: a statement's text, the ratings, and the report's filters.

Shape only: the rules (every statement rated, only this programme's statements, once per phase)
live in `tot.assessment.services`.
"""

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, StopValidation

from tot.assessment.services import RATINGS, STATEMENT_MAX, rating_field_name
from tot.forms import Form, optional_int, region_choices
from tot.texts import too_long_lazy

RATING_LABELS = {
    1: _l("1 – Not at all"),
    2: _l("2 – A little"),
    3: _l("3 – Partly"),
    4: _l("4 – Mostly"),
    5: _l("5 – Completely"),
}
CHOOSE_A_RATING = _l("Choose a rating for this statement.")
RATING_RANGE = _l("Choose a rating from 1 to 5.")


class StatementForm(Form):
    text = TextAreaField(
        _l("Statement"),
        validators=[
            DataRequired(message=_l("Write the statement.")),
            Length(max=STATEMENT_MAX, message=too_long_lazy(STATEMENT_MAX)),
        ],
        description=_l(
            "Something a participant rates from 1 (not at all) to 5 (completely), such as "
            "“I can explain the rights of a detained person”."
        ),
        render_kw={"rows": 3, "maxlength": STATEMENT_MAX},
    )


def _one_rating(form, field) -> None:
    if field.process_errors:  # not a number: the message is already there
        raise StopValidation()
    if not field.raw_data:
        raise StopValidation(CHOOSE_A_RATING)
    if field.data not in RATINGS:
        raise StopValidation(RATING_RANGE)


class RatingForm(Form):
    """One group of radio buttons per statement, named statement-<id> (see `rating_form`)."""

    statement_fields: list


def rating_form(statements, **kwargs) -> RatingForm:
    """A form for these statements, in their order; `statement_fields` pairs each with its field."""

    class Form(RatingForm):
        pass

    for statement in statements:
        setattr(
            Form,
            rating_field_name(statement.id),
            RadioField(
                statement.text,
                choices=[SelectChoice(value, RATING_LABELS[value]) for value in RATINGS],
                coerce=int,
                validate_choice=False,  # _one_rating says what is wrong, once
                invalid_value_message=RATING_RANGE,
                validators=[_one_rating],
            ),
        )
    form = Form(**kwargs)
    form.statement_fields = [
        (statement, form[rating_field_name(statement.id)]) for statement in statements
    ]
    return form


class ReportFilterForm(Form):
    """The report's filters, read from the query string (a GET form: no CSRF token needed)."""

    class Meta:
        csrf = False

    programme = SelectField(
        _l("Programme"),
        coerce=optional_int,
        invalid_value_message=_l("Choose a programme from the list."),
        invalid_choice_message=_l("Choose a programme from the list."),
    )
    region = SelectField(
        _l("Region"),
        coerce=optional_int,
        description=_l("Where the participants live."),
        invalid_value_message=_l("Choose a region from the list."),
        invalid_choice_message=_l("Choose a region from the list."),
    )

    def set_choices(self, programmes, regions) -> None:
        self.programme.choices = [SelectChoice("", _l("All programmes"))] + [
            SelectChoice(programme.id, programme.title) for programme in programmes
        ]
        self.region.choices = region_choices(regions, placeholder=_l("All regions"))
