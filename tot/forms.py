"""Small pieces shared by the features' forms."""

from enum import Enum

from flask import flash
from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField
from wtforms.fields.choices import SelectChoice

PHONE_PATTERN = r"^\+?[0-9][0-9 ()\-]{5,24}$"


def optional_int(value):
    """Coerce a select's value to int, with the empty placeholder meaning None."""
    if value in (None, "", "None"):
        return None
    return int(value)


def enum_choices(enum_class: type[Enum]) -> list[SelectChoice]:
    return [SelectChoice(member.value, member.label) for member in enum_class]


CHOOSE_A_REGION = _l("Choose a region")


def region_choices(regions, placeholder=CHOOSE_A_REGION) -> list[SelectChoice]:
    """Regions grouped by country, after an empty placeholder option."""
    choices = [SelectChoice("", placeholder)] if placeholder is not None else []
    choices += [
        SelectChoice(region.id, region.name, optgroup=region.country.label) for region in regions
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
