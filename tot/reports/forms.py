"""The outcomes report's filters, read from the query string (a GET form: no CSRF token)."""

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional, ValidationError

from tot.forms import Form, optional_int, region_choices

DATE_MESSAGE = _l("Enter a date, such as 2025-03-14.")
EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)


def _within_reason(form, field) -> None:
    if field.data is not None and not EARLIEST <= field.data <= LATEST:
        raise ValidationError(_l("Enter a date between the years 2000 and 2100."))


class OutcomesFilterForm(Form):
    class Meta:
        csrf = False

    first_day = DateField(
        _l("From"),
        name="from",
        validators=[Optional(), _within_reason],
        invalid_value_message=DATE_MESSAGE,
        description=_l("Empty: the last twelve months."),
    )
    last_day = DateField(
        _l("To"),
        name="to",
        validators=[Optional(), _within_reason],
        invalid_value_message=DATE_MESSAGE,
    )
    programme = SelectField(
        _l("Programme"),
        coerce=optional_int,
        invalid_value_message=_l("Choose a programme from the list."),
        invalid_choice_message=_l("Choose a programme from the list."),
    )
    region = SelectField(
        _l("Region"),
        coerce=optional_int,
        invalid_value_message=_l("Choose a region from the list."),
        invalid_choice_message=_l("Choose a region from the list."),
    )

    def set_choices(self, programmes, regions) -> None:
        self.programme.choices = [SelectChoice("", _l("All programmes"))] + [
            SelectChoice(programme.id, programme.title) for programme in programmes
        ]
        self.region.choices = region_choices(regions, placeholder=_l("All regions"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        first, last = self.first_day.data, self.last_day.data
        if valid and first is not None and last is not None and last < first:
            self.last_day.errors = [_l("The last day comes before the first.")]
            return False
        return valid
