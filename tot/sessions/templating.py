"""Jinja filters for times shown in a session's own time zone."""


def register(app) -> None:
    """Called by create_app; the sessions feature adds its filters here."""
