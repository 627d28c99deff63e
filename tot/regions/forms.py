from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from tot.forms import EnumSelectField, Form
from tot.regions.models import COUNTRY_TIMEZONES, LOCAL_NAME_COLUMNS, Country
from tot.texts import too_long_lazy

TIMEZONE_CHOICES = [SelectChoice(zone) for zone in sorted(set(COUNTRY_TIMEZONES.values()))]


def name_field():
    return StringField(
        _l("Name in English"),
        validators=[
            DataRequired(message=_l("Enter the region's name.")),
            Length(max=120, message=too_long_lazy(120)),
        ],
    )


def local_name_field(label):
    return StringField(
        label,
        validators=[Optional(), Length(max=120, message=too_long_lazy(120))],
        description=_l("Leave empty to show the English name."),
    )


def timezone_field():
    return SelectField(
        _l("Time zone"),
        choices=TIMEZONE_CHOICES,
        description=_l("Session times in this region are shown in this zone."),
    )


class LocalNames:
    """The region's name in each interface language besides English (named in that language)."""

    name_ru = local_name_field("Русский")
    name_ky = local_name_field("Кыргызча")
    name_tg = local_name_field("Тоҷикӣ")

    def local_names(self) -> dict[str, str | None]:
        return {
            language: getattr(self, column).data for language, column in LOCAL_NAME_COLUMNS.items()
        }


class AddRegionForm(LocalNames, Form):
    name = name_field()
    country = EnumSelectField(_l("Country"), enum_class=Country)
    timezone = timezone_field()


class EditRegionForm(LocalNames, Form):
    name = name_field()
    timezone = timezone_field()
