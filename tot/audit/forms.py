"""The audit log's filters, read from the query string (a GET form: no CSRF token)."""

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import DateField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, ValidationError

from tot.audit.models import AuditAction
from tot.forms import EnumSelectField, Form, enum_choices
from tot.texts import too_long_lazy

DATE_MESSAGE = _l("Enter a date, such as 2025-03-14.")
EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)
TEXT_MAX = 254


def _within_reason(form, field) -> None:
    if field.data is not None and not EARLIEST <= field.data <= LATEST:
        raise ValidationError(_l("Enter a date between the years 2000 and 2100."))


class AuditFilterForm(Form):
    class Meta:
        csrf = False

    action = EnumSelectField(
        _l("What"),
        enum_class=AuditAction,
        validators=[Optional()],
        choices=[SelectChoice("", _l("Everything")), *enum_choices(AuditAction)],
        invalid_choice_message=_l("Choose what was done from the list."),
    )
    actor = StringField(
        _l("Who"),
        validators=[Optional(), Length(max=TEXT_MAX, message=too_long_lazy(TEXT_MAX))],
        description=_l("A name or an email address, or part of one."),
    )
    concerning = StringField(
        _l("Concerning"),
        validators=[Optional(), Length(max=TEXT_MAX, message=too_long_lazy(TEXT_MAX))],
        description=_l(
            "The name or email address of the person concerned, or a number such as #12."
        ),
    )
    first_day = DateField(
        _l("From"),
        name="from",
        validators=[Optional(), _within_reason],
        invalid_value_message=DATE_MESSAGE,
    )
    last_day = DateField(
        _l("To"),
        name="to",
        validators=[Optional(), _within_reason],
        invalid_value_message=DATE_MESSAGE,
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        first, last = self.first_day.data, self.last_day.data
        if valid and first is not None and last is not None and last < first:
            self.last_day.errors = [_l("The last day comes before the first.")]
            return False
        return valid
