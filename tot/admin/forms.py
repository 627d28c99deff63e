from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Optional

from tot.accounts.forms import email_field, language_field
from tot.forms import EnumSelectField, Form, optional_int
from tot.permissions import Role


class CreateAccountForm(Form):
    full_name = StringField(_l("Full name"), validators=[DataRequired(message=_l("Enter a name."))])
    email = email_field()
    role = EnumSelectField(_l("Role"), enum_class=Role, default=Role.FACILITATOR)
    region = SelectField(_l("Region (optional)"), coerce=optional_int, validators=[Optional()])
    language = language_field()


class RoleForm(Form):
    role = EnumSelectField(_l("Role"), enum_class=Role)


class UserSearchForm(Form):
    """The account list's filters (GET, so no CSRF token)."""

    class Meta:
        csrf = False

    q = StringField(_l("Name or email"), validators=[Optional()])
    role = EnumSelectField(
        _l("Role"), enum_class=Role, validators=[Optional()], validate_choice=False
    )
