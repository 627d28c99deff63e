from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Optional

from tot.accounts.forms import email_field
from tot.forms import EnumSelectField, optional_int
from tot.permissions import Role


class CreateAccountForm(FlaskForm):
    full_name = StringField(_l("Full name"), validators=[DataRequired(message=_l("Enter a name."))])
    email = email_field()
    role = EnumSelectField(_l("Role"), enum_class=Role, default=Role.FACILITATOR)
    region = SelectField(_l("Region (optional)"), coerce=optional_int, validators=[Optional()])


class RoleForm(FlaskForm):
    role = EnumSelectField(_l("Role"), enum_class=Role)


class UserSearchForm(FlaskForm):
    """The account list's filters (GET, so no CSRF token)."""

    class Meta:
        csrf = False

    q = StringField(_l("Name or email"), validators=[Optional()])
    role = EnumSelectField(
        _l("Role"), enum_class=Role, validators=[Optional()], validate_choice=False
    )
