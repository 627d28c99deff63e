"""Certificates forms: the reason for issuing or revoking one by hand, and a code to verify.

The rules (a reason is needed, who may issue or revoke) live in `tot.certificates.services`;
these forms check the shape of the input and show the service's messages beside the fields.
"""

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from tot.certificates.services import REASON_MAX
from tot.forms import Form
from tot.texts import too_long_lazy


class IssueForm(Form):
    reason = TextAreaField(
        _l("Why is it issued by hand?"),
        validators=[
            DataRequired(message=_l("Give a reason: it is kept with the certificate.")),
            Length(max=REASON_MAX, message=too_long_lazy(REASON_MAX)),
        ],
        description=_l(
            "Kept with the certificate, for staff and the session's facilitators; the holder "
            "does not see it."
        ),
        render_kw={"rows": 3},
    )


class RevokeForm(Form):
    reason = TextAreaField(
        _l("Why is it revoked?"),
        validators=[
            DataRequired(message=_l("Give a reason: the holder reads it in their notification.")),
            Length(max=REASON_MAX, message=too_long_lazy(REASON_MAX)),
        ],
        description=_l("The holder reads this. The certificate stays on record as revoked."),
        render_kw={"rows": 3},
    )


class VerifyForm(Form):
    class Meta:
        csrf = False  # looking a code up changes nothing (GET)

    code = StringField(
        _l("Verification code"),
        validators=[
            DataRequired(message=_l("Enter the code printed on the certificate.")),
            Length(max=200, message=too_long_lazy(200)),
        ],
        description=_l("The code is printed at the foot of the certificate, beside its QR code."),
        render_kw={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "off"},
    )
