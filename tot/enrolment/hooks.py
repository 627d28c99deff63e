"""What enrolment asks of the features above it (see tot/hooks.py).

Certificates are built on enrolment (a certificate needs a confirmed seat and attendance), yet a
participant finds theirs on "My sessions" and managers see who got one on the roster: both pages
are enrolment's, so they ask here.
"""

from tot.hooks import hooks

# A person's (the sender's) certificates, for "My sessions": {session id: certificate}, revoked
# ones included; answered by certificates. A certificate is shown, never changed, by enrolment:
# its page reads `is_revoked`, `issued_at`, `revoked_at` and links to it by `id`.
certificates_of_person = hooks.signal("enrolment.certificates-of-person")

# The certificates of a session (the sender) for its roster, read by `reader`: an object with
# `of(user_id)` (the person's certificate or None), `shown` (whether the roster has a certificate
# column), and what the reader may do (`may_issue(enrolment)`, `may_revoke(certificate)`,
# `may_issue_earned`); answered by certificates, in one query for the whole roster.
certificates_in_session = hooks.signal("enrolment.certificates-in-session")
