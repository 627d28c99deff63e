from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from tot.forms import EnumSelectField
from tot.regions.models import COUNTRY_TIMEZONES, Country

TIMEZONE_CHOICES = [SelectChoice(zone) for zone in sorted(set(COUNTRY_TIMEZONES.values()))]


def name_field():
    return StringField(
        _l("Name"),
        validators=[DataRequired(message=_l("Enter the region's name.")), Length(max=120)],
    )


def timezone_field():
    return SelectField(
        _l("Time zone"),
        choices=TIMEZONE_CHOICES,
        description=_l("Session times in this region are shown in this zone."),
    )


class AddRegionForm(FlaskForm):
    name = name_field()
    country = EnumSelectField(_l("Country"), enum_class=Country)
    timezone = timezone_field()


class EditRegionForm(FlaskForm):
    name = name_field()
    timezone = timezone_field()
