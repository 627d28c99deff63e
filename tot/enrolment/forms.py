from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, Length

from tot.enrolment.models import AttendanceStatus, EnrolmentStatus
from tot.forms import Form, enum_choices, enum_coerce

MAX_REASON_LENGTH = 1000
BACK_TO = ("approvals", "roster")  # pages a rejection is made from, and returns to


class RejectForm(Form):
    reason = TextAreaField(
        _l("Reason"),
        validators=[
            DataRequired(message=_l("Give a reason: the person will read it.")),
            Length(max=MAX_REASON_LENGTH),
        ],
        description=_l("The person reads this in their notification."),
        render_kw={"rows": 3},
    )
    back = HiddenField(default="approvals", validators=[AnyOf(BACK_TO)])

    def for_enrolment(self, enrolment_id: int) -> "RejectForm":
        """Ids unique on a page that shows one form per person; the field names stay the same."""
        self.reason.id = f"reason-{enrolment_id}"
        return self


class RosterFilterForm(Form):
    class Meta:
        csrf = False  # a GET filter changes nothing

    status = SelectField(
        _l("Show"),
        choices=[SelectChoice("", _l("Everyone")), *enum_choices(EnrolmentStatus)],
        coerce=enum_coerce(EnrolmentStatus),
        default="",
    )


class BulkUploadForm(Form):
    file = FileField(
        _l("List of people"),
        validators=[FileRequired(message=_l("Choose a CSV or Excel (.xlsx) file."))],
        description=_l(
            "A CSV or Excel (.xlsx) file of at most 4 MB. The first row names the columns: "
            "name, email, region, gender, age group, phone."
        ),
        render_kw={"accept": ".csv,.xlsx,text/csv"},
    )


class BulkConfirmForm(Form):
    rows = HiddenField(validators=[DataRequired()])


class AttendanceForm(Form):
    """The marks arrive as fields named a-<enrolment id>-<YYYY-MM-DD>, read by `parse_marks`."""


ATTENDANCE_CHOICES = [SelectChoice("", _l("Not recorded")), *enum_choices(AttendanceStatus)]


def cell_name(enrolment_id: int, day: date) -> str:
    return f"a-{enrolment_id}-{day.isoformat()}"


def parse_marks(formdata) -> dict[tuple[int, date], AttendanceStatus | None] | None:
    """{(enrolment id, day): status or None} from the grid's fields; None if any is malformed."""
    marks: dict[tuple[int, date], AttendanceStatus | None] = {}
    for key in formdata:
        if not key.startswith("a-"):
            continue
        try:
            enrolment_part, day_part = key[2:].split("-", 1)
            cell = (int(enrolment_part), date.fromisoformat(day_part))
            value = formdata.get(key, "")
            marks[cell] = AttendanceStatus(value) if value else None
        except ValueError:
            return None
    return marks
