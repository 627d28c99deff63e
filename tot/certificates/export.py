"""A session's certificates as a spreadsheet (written by tot.exports, which keeps a name or a
reason from running as a formula)."""

from flask_babel import gettext as _

from tot.certificates.models import Certificate
from tot.sessions.models import TrainingSession


def certificate_rows(session: TrainingSession, certificates: list[Certificate]):
    """A header, then a row a certificate: dates on the session's clock."""
    yield [
        _("Name"),
        _("Verification code"),
        _("Issued"),
        _("Issued by hand"),
        _("Reason for issuing"),
        _("Revoked"),
        _("Reason for revoking"),
    ]
    zone = session.zone
    for certificate in certificates:
        revoked = certificate.revoked_at
        yield [
            certificate.holder_name,
            certificate.code,
            certificate.issued_at.astimezone(zone).date().isoformat(),
            _("yes") if certificate.by_hand else _("no"),
            certificate.issue_reason or "",
            revoked.astimezone(zone).date().isoformat() if revoked else "",
            certificate.revoke_reason or "",
        ]
