from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, Regexp

from tot.accounts.models import AgeGroup, Gender
from tot.accounts.services import MIN_PASSWORD_LENGTH
from tot.forms import (
    PHONE_PATTERN,
    EnumRadioField,
    EnumSelectField,
    Form,
    language_choices,
    optional_int,
)
from tot.i18n import Language, reading_language

PASSWORD_TOO_SHORT = lazy_ngettext(
    "Use at least %(num)d character.", "Use at least %(num)d characters.", MIN_PASSWORD_LENGTH
)


def new_password_field(label=None):
    return PasswordField(
        label or _l("Password"),
        validators=[
            DataRequired(message=_l("Choose a password.")),
            Length(min=MIN_PASSWORD_LENGTH, max=200, message=PASSWORD_TOO_SHORT),
        ],
        description=lazy_ngettext(
            "At least %(num)d character.", "At least %(num)d characters.", MIN_PASSWORD_LENGTH
        ),
        render_kw={"autocomplete": "new-password"},
    )


def repeat_password_field(of: str = "password"):
    return PasswordField(
        _l("Repeat the password"),
        validators=[
            DataRequired(message=_l("Repeat the password.")),
            EqualTo(of, message=_l("The two passwords are not the same.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


def full_name_field():
    return StringField(
        _l("Full name"),
        validators=[DataRequired(message=_l("Enter your name.")), Length(max=200)],
        render_kw={"autocomplete": "name"},
    )


def email_field():
    return EmailField(
        _l("Email"),
        validators=[
            DataRequired(message=_l("Enter your email address.")),
            Email(message=_l("Enter a valid email address, like name@example.org.")),
            Length(max=254),
        ],
        render_kw={"autocomplete": "email"},
    )


def region_field():
    return SelectField(
        _l("Region"),
        coerce=optional_int,
        validators=[DataRequired(message=_l("Choose your region."))],
        description=_l("Where you live. Sessions in your region are offered to you first."),
    )


def gender_field():
    return EnumRadioField(
        _l("Gender"),
        enum_class=Gender,
        invalid_choice_message=_l("Choose one of the answers, or “Prefer not to say”."),
        description=_l("Used only in anonymous statistics."),
    )


def age_group_field():
    return EnumRadioField(
        _l("Age group"),
        enum_class=AgeGroup,
        invalid_choice_message=_l("Choose your age group."),
    )


def language_field():
    return EnumSelectField(
        _l("Preferred language"),
        enum_class=Language,
        choices=language_choices(),
        default=reading_language,
    )


def phone_field():
    return StringField(
        _l("Phone (optional)"),
        validators=[
            Optional(),
            Regexp(
                PHONE_PATTERN, message=_l("Enter a phone number of digits, like +996 555 123 456.")
            ),
        ],
        render_kw={"autocomplete": "tel", "inputmode": "tel"},
    )


class RegistrationForm(Form):
    """Registering where no email is sent: the password is chosen here."""

    full_name = full_name_field()
    email = email_field()
    password = new_password_field()
    confirm_password = repeat_password_field()
    region = region_field()
    gender = gender_field()
    age_group = age_group_field()
    language = language_field()
    phone = phone_field()
    agree_privacy = BooleanField(
        _l("I have read the privacy notice and agree to it."),
        validators=[
            DataRequired(message=_l("You need to agree to the privacy notice to register."))
        ],
    )


class RegistrationByEmailForm(RegistrationForm):
    """Registering where email reaches people: the password is chosen through an emailed link."""

    password = None
    confirm_password = None


class LoginForm(Form):
    email = EmailField(
        _l("Email"),
        validators=[DataRequired(message=_l("Enter your email address."))],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(message=_l("Enter your password."))],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Remember me on this device"))


class ProfileForm(Form):
    full_name = full_name_field()
    email = email_field()
    region = region_field()
    gender = gender_field()
    age_group = age_group_field()
    language = language_field()
    phone = phone_field()


class StaffProfileForm(Form):
    """Staff and facilitators: the same, but region and demographics are optional for them."""

    full_name = full_name_field()
    email = email_field()
    language = language_field()
    phone = phone_field()


class ChangePasswordForm(Form):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(message=_l("Enter your current password."))],
        render_kw={"autocomplete": "current-password"},
    )
    password = new_password_field(_l("New password"))
    confirm_password = repeat_password_field()


class SetPasswordForm(Form):
    password = new_password_field(_l("New password"))
    confirm_password = repeat_password_field()


class LanguageForm(Form):
    language = EnumSelectField(_l("Language"), enum_class=Language)
