"""Small pieces shared by the features' forms, and the base class every form derives from."""

from enum import Enum

from flask import flash
from flask_babel import LazyString, get_translations
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import Form as WTForm
from wtforms import RadioField, SelectField
from wtforms.fields.choices import SelectChoice

from tot.i18n import Language


def N_(message: str) -> str:
    """Mark a message for the catalogues without translating it here (it is translated later)."""
    return message


def ngettext_noop(singular: str, plural: str) -> tuple[str, str]:
    """Like N_, for a message with plural forms."""
    return singular, plural


class _CatalogueTranslations:
    """WTForms' own messages ("This field is required.") looked up in the platform's catalogues.

    WTForms ships no Kyrgyz or Tajik and would read its files from disk on every request; our
    catalogues hold its messages (listed below) in every interface language.
    """

    def gettext(self, string):
        return get_translations().ugettext(string)

    def ngettext(self, singular, plural, n):
        return get_translations().ungettext(singular, plural, n)


def without_nul(formdata):
    """What a form was sent, with NUL characters taken out of every text (files untouched).

    No one means to type one, and PostgreSQL can neither store nor search for it."""
    if not isinstance(formdata, MultiDict):
        return formdata
    return MultiDict(
        (key, value.replace("\x00", "") if isinstance(value, str) else value)
        for key, value in formdata.items(multi=True)
    )


class Form(FlaskForm):
    """The base of every form of the platform: FlaskForm speaking the reader's language, and
    taking NUL characters out of whatever it is sent (its nested forms are given the same)."""

    class Meta:
        def get_translations(self, form):
            return _CATALOGUE_TRANSLATIONS

        def wrap_formdata(self, form, formdata):
            return without_nul(super().wrap_formdata(form, formdata))


class SubForm(WTForm):
    """A form nested in another (FormField, FieldList): no CSRF token of its own."""

    class Meta:
        def get_translations(self, form):
            return _CATALOGUE_TRANSLATIONS


_CATALOGUE_TRANSLATIONS = _CatalogueTranslations()

# The messages of WTForms' validators and fields that our forms can show.
WTFORMS_MESSAGES = [
    N_("This field is required."),
    N_("Invalid input."),
    N_("Invalid email address."),
    N_("Invalid URL."),
    N_("Field must be equal to %(other_name)s."),
    ngettext_noop(
        "Field must be at least %(min)d character long.",
        "Field must be at least %(min)d characters long.",
    ),
    ngettext_noop(
        "Field cannot be longer than %(max)d character.",
        "Field cannot be longer than %(max)d characters.",
    ),
    ngettext_noop(
        "Field must be exactly %(max)d character long.",
        "Field must be exactly %(max)d characters long.",
    ),
    N_("Field must be between %(min)d and %(max)d characters long."),
    N_("Number must be at least %(min)s."),
    N_("Number must be at most %(max)s."),
    N_("Number must be between %(min)s and %(max)s."),
    N_("Invalid value, must be one of: %(values)s."),
    N_("Invalid value, can't be any of: %(values)s."),
    N_("Invalid Choice: could not coerce."),
    N_("Not a valid choice."),
    N_("Invalid choice(s): one or more data inputs could not be coerced."),
    ngettext_noop(
        "'%(value)s' is not a valid choice for this field.",
        "'%(value)s' are not valid choices for this field.",
    ),
    N_("Not a valid datetime value."),
    N_("Not a valid date value."),
    N_("Not a valid time value."),
    N_("Not a valid integer value."),
    N_("Not a valid decimal value."),
    N_("Not a valid float value."),
]

PHONE_PATTERN = r"^\+?[0-9][0-9 ()\-]{5,24}$"


def optional_int(value):
    """Coerce a select's value to int, with the empty placeholder meaning None."""
    if value in (None, "", "None"):
        return None
    return int(value)


def enum_choices(enum_class: type[Enum]) -> list[SelectChoice]:
    """Choices for an Enum's members, labelled in the reader's language when they are shown."""
    return [
        SelectChoice(member.value, LazyString(lambda member=member: member.label))
        for member in enum_class
    ]


CHOOSE_A_REGION = _l("Choose a region")


def language_choices() -> list[SelectChoice]:
    """The interface languages, each named in itself and marked so for screen readers."""
    return [
        SelectChoice(language.value, language.label, render_kw={"lang": language.value})
        for language in Language
    ]


def region_choices(regions, placeholder=CHOOSE_A_REGION) -> list[SelectChoice]:
    """Regions grouped by country, after an empty placeholder option."""
    choices = [SelectChoice("", placeholder)] if placeholder is not None else []
    choices += [
        SelectChoice(region.id, region.label, optgroup=region.country.label)
        for region in sorted(regions, key=lambda region: (region.country, region.label.casefold()))
    ]
    return choices


def enum_coerce(enum_class: type[Enum]):
    def coerce(value):
        if value is None or value == "" or isinstance(value, enum_class):
            return value or None
        try:
            return enum_class(value)
        except ValueError:
            return value  # left as given: the choice check rejects it with a clear message

    return coerce


class EnumSelectField(SelectField):
    """A select whose data is a member of an Enum (or None when nothing is chosen)."""

    def __init__(self, label=None, validators=None, *, enum_class: type[Enum], **kwargs):
        kwargs.setdefault("choices", enum_choices(enum_class))
        super().__init__(label, validators, coerce=enum_coerce(enum_class), **kwargs)


class EnumRadioField(RadioField):
    """Radio buttons whose data is a member of an Enum (or None when nothing is chosen)."""

    def __init__(self, label=None, validators=None, *, enum_class: type[Enum], **kwargs):
        kwargs.setdefault("choices", enum_choices(enum_class))
        super().__init__(label, validators, coerce=enum_coerce(enum_class), **kwargs)


def report_error(form, error) -> None:
    """Show a service's DomainError beside its field, or as a message above the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        flash(error.message, "error")
