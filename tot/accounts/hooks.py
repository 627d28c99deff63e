"""What the accounts feature asks of the features above it (see tot/hooks.py)."""

from tot.hooks import hooks

# Tell a person something about their account by email, in their language: called with `user`,
# `kind` (one of the kinds below) and `link` (a path on the site). Answered by notifications,
# which words and sends it.
email_person = hooks.signal("accounts.email-person")

# A person logged in from a device that had not logged in to their account before: called with
# `user`, `browser` and `system` (the device's, as the list of their logins names them; None when
# unknown), before the login is committed. Answered by the audit log, which records it.
new_device_login = hooks.signal("accounts.new-device-login")

# A new account's owner: follow the link to choose a password and start.
CHOOSE_PASSWORD = "account.choose-password"  # noqa: S105 (a message kind)
# Someone asked to register with the address of an existing account: log in with the link.
ALREADY_REGISTERED = "account.already-registered"
