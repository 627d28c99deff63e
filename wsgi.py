"""The WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi run`."""

from dotenv import load_dotenv

from tot import create_app

load_dotenv()  # a .env file beside this one, for servers other than `flask run`
app = create_app()
