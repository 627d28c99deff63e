"""Forms for scheduling sessions, their seat quotas, and the session lists' filters.

Date-time boxes hold wall-clock times on the session's clock; the services turn them into UTC.
"""

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateTimeLocalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
)
from wtforms.widgets import CheckboxInput, ListWidget

from tot.forms import EnumRadioField, Form, enum_choices, region_choices
from tot.sessions.models import EnrolmentMode, SessionStatus
from tot.sessions.scheduling import CAPACITY_RANGE, SESSION_ZONES, TITLE_MAX, VENUE_MAX
from tot.sessions.templating import zone_name
from tot.texts import too_long_lazy

INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
DATE_TIME_MESSAGE = _l(
    "This date and time do not exist. Write them as 2026-05-04 09:30, with a real day of the month."
)
WHOLE_NUMBER_MESSAGE = _l("Enter a whole number, such as 20.")
DATABASE_INT_MAX = 2**31 - 1


def safe_int(value):
    """A select's value as int; None for the empty choice, or anything not a database id."""
    if value is None:
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= DATABASE_INT_MAX else None


class LocalDateTimeField(DateTimeLocalField):
    """A datetime-local box: naive wall-clock time, read on the session's clock."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("format", INPUT_FORMATS)
        kwargs.setdefault("invalid_value_message", DATE_TIME_MESSAGE)
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        valuelist = [value.strip() for value in valuelist if value and value.strip()]
        if not valuelist:
            self.data = None
            return
        super().process_formdata(valuelist[:1])


class InRange(NumberRange):
    """A NumberRange that stays silent when the box did not even hold a whole number."""

    def __call__(self, form, field):
        if field.process_errors:
            raise StopValidation()
        super().__call__(form, field)


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes: easier than a multiple select on a phone."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def timezone_choices(extra: str | None = None) -> list[SelectChoice]:
    zones = list(SESSION_ZONES)
    if extra and extra not in zones:
        zones.append(extra)
    return [
        SelectChoice("", _l("The region's time zone")),
        *(SelectChoice(key, f"{zone_name(key)} ({key})") for key in zones),
    ]


def person_choices(people, placeholder=None) -> list[SelectChoice]:
    choices = [SelectChoice("", placeholder)] if placeholder is not None else []
    return choices + [SelectChoice(person.id, person.full_name) for person in people]


def programme_choices(programmes) -> list[SelectChoice]:
    return [SelectChoice("", _l("Choose a programme"))] + [
        SelectChoice(programme.id, programme.title) for programme in programmes
    ]


class SessionForm(Form):
    programme_id = SelectField(
        _l("Programme"),
        coerce=safe_int,
        validators=[InputRequired(message=_l("Choose a programme."))],
    )
    title = StringField(
        _l("Title"),
        validators=[
            DataRequired(message=_l("Enter a title.")),
            Length(max=TITLE_MAX, message=too_long_lazy(TITLE_MAX)),
        ],
    )
    description = TextAreaField(
        _l("Description"),
        description=_l(
            "What participants should know. "
            "You may use Markdown: **bold**, *italic*, lists starting with “-”."
        ),
        render_kw={"rows": 6},
    )
    starts_at = LocalDateTimeField(
        _l("Starts"),
        validators=[InputRequired(message=_l("Enter when the session starts."))],
        description=_l("Date and time on the clock of the session's time zone."),
    )
    ends_at = LocalDateTimeField(
        _l("Ends"),
        validators=[InputRequired(message=_l("Enter when the session ends."))],
        description=_l("The last day's end, for a session of several days."),
    )
    region_id = SelectField(
        _l("Region"),
        coerce=safe_int,
        validators=[InputRequired(message=_l("Choose a region."))],
    )
    venue = StringField(
        _l("Venue"),
        validators=[
            DataRequired(message=_l("Enter the venue.")),
            Length(max=VENUE_MAX, message=too_long_lazy(VENUE_MAX)),
        ],
    )
    address = TextAreaField(_l("Address"), render_kw={"rows": 2})
    timezone = SelectField(
        _l("Time zone"),
        choices=[],
        validators=[Optional()],
        description=_l("Times above are read on this clock. Left empty: the region's zone."),
    )
    capacity = IntegerField(
        _l("Capacity (seats)"),
        validators=[
            InputRequired(message=_l("Enter the number of seats.")),
            InRange(
                min=CAPACITY_RANGE[0],
                max=CAPACITY_RANGE[1],
                message=_l("Enter a number of seats from %(min)d to %(max)d."),
            ),
        ],
        invalid_value_message=WHOLE_NUMBER_MESSAGE,
        render_kw={"min": CAPACITY_RANGE[0], "max": CAPACITY_RANGE[1], "inputmode": "numeric"},
    )
    enrolment_opens_at = LocalDateTimeField(
        _l("Enrolment opens"),
        validators=[Optional()],
        description=_l("Optional. Left empty: as soon as the session is published."),
    )
    enrolment_closes_at = LocalDateTimeField(
        _l("Enrolment closes"),
        validators=[Optional()],
        description=_l("Optional. Left empty: when the session starts."),
    )
    enrolment_mode = EnumRadioField(
        _l("Enrolment"), enum_class=EnrolmentMode, default=EnrolmentMode.OPEN
    )
    lead_facilitator_id = SelectField(
        _l("Lead facilitator"),
        coerce=safe_int,
        validators=[InputRequired(message=_l("Choose the lead facilitator."))],
    )
    co_facilitator_ids = CheckboxesField(
        _l("Co-facilitators"),
        coerce=safe_int,
        validators=[Optional()],
        invalid_choice_message=_l("Choose co-facilitators from the list."),
    )
    override_reason = TextAreaField(
        _l("Reason to override a double-booking (staff only)"),
        validators=[Length(max=2000)],
        description=_l(
            "Only if a facilitator is already in another session at this time, "
            "and this is intended: say why. The reason is recorded."
        ),
        render_kw={"rows": 2},
    )

    def set_choices(self, *, programmes, regions, facilitators, timezone=None) -> None:
        self.programme_id.choices = programme_choices(programmes)
        self.region_id.choices = region_choices(regions)
        self.lead_facilitator_id.choices = person_choices(
            facilitators, placeholder=_l("Choose the lead facilitator")
        )
        self.co_facilitator_ids.choices = person_choices(facilitators)
        self.timezone.choices = timezone_choices(timezone)
        self.enrolment_mode.choices = enum_choices(EnrolmentMode)


class QuotaForm(Form):
    region_id = SelectField(
        _l("Region"),
        coerce=safe_int,
        validators=[InputRequired(message=_l("Choose a region."))],
    )
    cap = IntegerField(
        _l("Cap (at most this many seats)"),
        validators=[Optional()],
        invalid_value_message=WHOLE_NUMBER_MESSAGE,
        render_kw={"min": 1, "inputmode": "numeric"},
    )
    reserved = IntegerField(
        _l("Reserved seats"),
        validators=[Optional()],
        invalid_value_message=WHOLE_NUMBER_MESSAGE,
        render_kw={"min": 1, "inputmode": "numeric"},
    )
    reserved_until = LocalDateTimeField(
        _l("Reserved until"),
        validators=[Optional()],
        description=_l(
            "Optional, on the session's clock. After it, unused reserved seats open to everyone."
        ),
    )


class SessionFilterForm(Form):
    """The public list's filters (GET, so no CSRF token)."""

    class Meta:
        csrf = False

    region = SelectField(_l("Region"), coerce=safe_int, validate_choice=False)
    programme = SelectField(_l("Programme"), coerce=safe_int, validate_choice=False)
    month = StringField(
        _l("Month"),
        validators=[Optional()],
        description=_l("Year and month, such as 2026-05."),
        render_kw={"placeholder": "2026-05", "type": "month"},
    )


class ManageFilterForm(Form):
    """Staff's list of every session, by status (GET, so no CSRF token)."""

    class Meta:
        csrf = False

    status = SelectField(_l("Status"), validate_choice=False)

    def set_choices(self) -> None:
        self.status.choices = [SelectChoice("", _l("Any status")), *enum_choices(SessionStatus)]

    def chosen_status(self) -> SessionStatus | None:
        try:
            return SessionStatus(self.status.data)
        except ValueError:
            return None
