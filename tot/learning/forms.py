from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from tot.forms import Form
from tot.learning.services import MAX_REFLECTION_LENGTH


class ActionForm(Form):
    """A form with no fields: just the CSRF token, for buttons such as "Mark as read"."""


class ReflectionForm(Form):
    text = TextAreaField(
        _l("Your reflection"),
        validators=[
            DataRequired(message=_l("Write your reflection before saving.")),
            Length(max=MAX_REFLECTION_LENGTH),
        ],
        description=_l("Only you, the staff and the facilitators of your sessions can read it."),
        render_kw={"rows": 8},
    )


class CheckAnswersForm(Form):
    """The knowledge check's answers arrive as fields named q-<question id>, read by the view."""


def parse_check_answers(formdata) -> dict[int, set[int]] | None:
    """{question id: {choice ids}} from fields `q-<id>`; None if a key or value is not a number."""
    answers: dict[int, set[int]] = {}
    for key in formdata:
        if not key.startswith("q-"):
            continue
        try:
            question_id = int(key[2:])
            answers[question_id] = {int(value) for value in formdata.getlist(key)}
        except ValueError:
            return None
    return answers
