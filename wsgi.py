"""The WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi run`."""

from tot import create_app

app = create_app()
