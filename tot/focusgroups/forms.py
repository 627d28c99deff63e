"""Forms of focus groups, quotes and consent: shape and field checks only (rules: services)."""

from flask_babel import LazyString, lazy_ngettext
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
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

from tot.focusgroups.models import Consent, NameShown, PlaceShown
from tot.focusgroups.services import (
    AGE_RANGE,
    ATTENDEES_RANGE,
    CHOOSABLE,
    CONSENT_METHOD_MAX,
    DATABASE_INTEGER_MAX,
    NOTES_MAX,
    OCCUPATION_MAX,
    PSEUDONYM_MAX,
    QUOTE_MAX,
    SPEAKER_NAME_MAX,
    THEME_MAX,
)
from tot.formats import format_date
from tot.forms import EnumRadioField, Form, optional_int, region_choices
from tot.texts import too_long_lazy

WHOLE_NUMBER_MESSAGE = _l("Enter a whole number, such as 4.")
DATE_MESSAGE = _l("Enter a date, such as 2025-03-14.")


def safe_int(value):
    """A filter's id: a whole number a database can hold, else None (so: no filter)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= DATABASE_INTEGER_MAX else None


class InRange(NumberRange):
    """A NumberRange that stays silent when the box did not even hold a whole number."""

    def __call__(self, form, field):
        if field.process_errors:
            raise StopValidation()
        super().__call__(form, field)


def count_field(label):
    low, high = ATTENDEES_RANGE
    return IntegerField(
        label,
        default=0,
        validators=[
            Optional(),
            InRange(min=low, max=high, message=_l("Enter a number from %(min)d to %(max)d.")),
        ],
        invalid_value_message=WHOLE_NUMBER_MESSAGE,
        render_kw={"min": low, "max": high, "inputmode": "numeric"},
    )


def person_choices(people, placeholder) -> list[SelectChoice]:
    return [SelectChoice("", placeholder)] + [
        SelectChoice(person.id, person.full_name) for person in people
    ]


def programme_choices(programmes, placeholder) -> list[SelectChoice]:
    return [SelectChoice("", placeholder)] + [
        SelectChoice(programme.id, programme.title) for programme in programmes
    ]


def session_choices(sessions, placeholder) -> list[SelectChoice]:
    """Sessions grouped by programme, each named with the day it started (local)."""
    return [SelectChoice("", placeholder)] + [
        SelectChoice(
            session.id,
            f"{session.title} · {format_date(session.local_start.date())}",
            optgroup=session.programme.title,
        )
        for session in sessions
    ]


class FocusGroupForm(Form):
    held_on = DateField(
        _l("Held on"),
        validators=[InputRequired(message=_l("Enter the date the focus group was held."))],
        invalid_value_message=DATE_MESSAGE,
    )
    region_id = SelectField(
        _l("Region"),
        coerce=optional_int,
        validators=[DataRequired(message=_l("Choose a region."))],
        invalid_value_message=_l("Choose a region."),
        invalid_choice_message=_l("Choose a region."),
    )
    programme_id = SelectField(
        _l("Programme"),
        coerce=optional_int,
        validators=[Optional()],
        invalid_value_message=_l("Choose a programme."),
        invalid_choice_message=_l("Choose a programme."),
        description=_l("The programme the participants followed, if any."),
    )
    session_id = SelectField(
        _l("Session"),
        coerce=optional_int,
        validators=[Optional()],
        invalid_value_message=_l("Choose a session."),
        invalid_choice_message=_l("Choose a session."),
        description=_l("If the group met after one session. It must teach the programme above."),
    )
    facilitator_id = SelectField(
        _l("Facilitator"),
        coerce=optional_int,
        validators=[Optional()],
        invalid_value_message=_l("Choose a facilitator."),
        invalid_choice_message=_l("Choose a facilitator."),
    )
    women = count_field(_l("Women"))
    men = count_field(_l("Men"))
    other_genders = count_field(_l("Other or not said"))
    notes = TextAreaField(
        _l("Notes"),
        description=_l("For staff only: never published."),
        validators=[Length(max=NOTES_MAX, message=too_long_lazy(NOTES_MAX))],
        render_kw={"rows": 5},
    )

    def set_choices(self, *, regions, programmes, sessions, facilitators) -> None:
        self.region_id.choices = region_choices(regions)
        self.programme_id.choices = programme_choices(programmes, _l("No programme"))
        self.session_id.choices = session_choices(sessions, _l("No session"))
        self.facilitator_id.choices = person_choices(facilitators, _l("No facilitator"))

    def group_fields(self) -> dict:
        return {
            "held_on": self.held_on.data,
            "region_id": self.region_id.data,
            "programme_id": self.programme_id.data,
            "session_id": self.session_id.data,
            "facilitator_id": self.facilitator_id.data,
            "women": self.women.data or 0,
            "men": self.men.data or 0,
            "other_genders": self.other_genders.data or 0,
            "notes": self.notes.data or "",
        }


class ConsentFields:
    """What the speaker agreed to, what of them the public may read, when, and how: shared by
    the form of a new quote and the consent form. Every choice starts at the least revealing."""

    consent = EnumRadioField(
        _l("Consent"),
        enum_class=Consent,
        choices=[
            SelectChoice(member.value, LazyString(lambda member=member: member.label))
            for member in CHOOSABLE
        ],
        default=Consent.INTERNAL,
        validators=[InputRequired(message=_l("Choose what the speaker agreed to."))],
        description=_l(
            "Publish only what the speaker agreed to. Anonymous quotes never show a name: "
            "they say “a participant”."
        ),
    )
    name_shown = EnumRadioField(
        _l("Name shown"),
        enum_class=NameShown,
        default=NameShown.PSEUDONYM,
        description=_l("Only for a quote published with a name."),
    )
    pseudonym = StringField(
        _l("Pseudonym"),
        validators=[Length(max=PSEUDONYM_MAX, message=too_long_lazy(PSEUDONYM_MAX))],
        description=_l("The name the speaker chose to be quoted under."),
    )
    show_age_band = BooleanField(
        _l("Show the age group"),
        description=_l("For example “aged 25–34”: never the exact age, never under 18."),
    )
    show_occupation = BooleanField(_l("Show the occupation"))
    place_shown = EnumRadioField(
        _l("Place shown"),
        enum_class=PlaceShown,
        default=PlaceShown.NONE,
        description=_l(
            "In a small place, the region and the occupation together can name a person."
        ),
    )
    consent_given_at = DateField(
        _l("Consent given on"),
        validators=[Optional()],
        invalid_value_message=DATE_MESSAGE,
        description=_l("Needed to publish."),
    )
    consent_method = StringField(
        _l("How consent was given"),
        validators=[Length(max=CONSENT_METHOD_MAX, message=too_long_lazy(CONSENT_METHOD_MAX))],
        description=_l(
            "Needed to publish. For example: signed form; verbal, recorded by the facilitator."
        ),
    )

    def consent_fields(self) -> dict:
        return {
            "consent": self.consent.data,
            "consent_given_at": self.consent_given_at.data,
            "consent_method": self.consent_method.data or "",
            "name_shown": self.name_shown.data,
            "pseudonym": self.pseudonym.data or "",
            "show_age_band": bool(self.show_age_band.data),
            "show_occupation": bool(self.show_occupation.data),
            "place_shown": self.place_shown.data,
        }


class QuoteFields:
    """The words of a quote, who said them (for staff) and its themes."""

    text = TextAreaField(
        _l("Quote"),
        validators=[
            DataRequired(message=_l("Enter the quote.")),
            Length(max=QUOTE_MAX, message=too_long_lazy(QUOTE_MAX)),
        ],
        render_kw={"rows": 5},
    )
    speaker_name = StringField(
        _l("Speaker's first name"),
        validators=[Length(max=SPEAKER_NAME_MAX, message=too_long_lazy(SPEAKER_NAME_MAX))],
        description=_l(
            "Never a family name. Shown publicly only if the speaker agreed to their first name "
            "being shown."
        ),
    )
    age = IntegerField(
        _l("Age"),
        validators=[
            Optional(),
            InRange(
                min=AGE_RANGE[0],
                max=AGE_RANGE[1],
                message=_l("Enter an age from %(min)d to %(max)d, or leave it empty."),
            ),
        ],
        invalid_value_message=WHOLE_NUMBER_MESSAGE,
        render_kw={"min": AGE_RANGE[0], "max": AGE_RANGE[1], "inputmode": "numeric"},
        description=_l("For staff. The public sees at most the age group, if the speaker agreed."),
    )
    occupation = StringField(
        _l("Occupation"),
        validators=[Length(max=OCCUPATION_MAX, message=too_long_lazy(OCCUPATION_MAX))],
        description=_l(
            "For example: young lawyer, social worker, teacher. Shown publicly only if the "
            "speaker agreed."
        ),
    )
    region_id = SelectField(
        _l("Speaker's region"),
        coerce=optional_int,
        validators=[DataRequired(message=_l("Choose a region."))],
        invalid_value_message=_l("Choose a region."),
        invalid_choice_message=_l("Choose a region."),
    )
    # Not called `themes`: that is the quote's list of Theme objects, which must not fill this box.
    theme_list = StringField(
        _l("Themes"),
        description=lazy_ngettext(
            "Separated by commas, for example: confidence, leadership, legal skills. "
            "Each at most %(num)d character.",
            "Separated by commas, for example: confidence, leadership, legal skills. "
            "Each at most %(num)d characters.",
            THEME_MAX,
        ),
    )

    def quote_fields(self) -> dict:
        return {
            "text": self.text.data,
            "speaker_name": self.speaker_name.data or "",
            "age": self.age.data,
            "occupation": self.occupation.data or "",
            "region_id": self.region_id.data,
            "themes": self.theme_list.data or "",
        }


class QuoteForm(QuoteFields, ConsentFields, Form):
    """A new quote and its first consent."""

    def new_quote_fields(self) -> dict:
        return {**self.quote_fields(), **self.consent_fields()}


class QuoteEditForm(QuoteFields, Form):
    """A quote's words, speaker and themes; its consent has a form of its own."""


class ConsentForm(ConsentFields, Form):
    """Give, change or withdraw a quote's consent, and choose what of the speaker is shown."""


class GroupFilterForm(Form):
    """The focus group list's filters (GET, so no CSRF token)."""

    class Meta:
        csrf = False

    region = SelectField(_l("Region"), coerce=safe_int, validate_choice=False)
    programme = SelectField(_l("Programme"), coerce=safe_int, validate_choice=False)


class TestimonialFilterForm(Form):
    """The public testimonials' filters (GET, so no CSRF token)."""

    class Meta:
        csrf = False

    theme = SelectField(_l("Theme"), validate_choice=False)
    programme = SelectField(_l("Programme"), coerce=safe_int, validate_choice=False)
