"""The second confirmation of an erasure: typing the person's email address."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, ValidationError

from tot.forms import Form

MISMATCH = _l("Type the email address exactly as shown above.")


class EraseForm(Form):
    email = StringField(
        _l("The person's email address"),
        validators=[DataRequired(message=MISMATCH)],
        description=_l("Type it to confirm: the erasure cannot be undone."),
    )

    def __init__(self, expected_email: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.expected_email = expected_email

    def validate_email(self, field) -> None:
        if (field.data or "").strip().lower() != self.expected_email.strip().lower():
            raise ValidationError(MISMATCH)
