"""Fixtures: `app`, `client`, `login_as(role)`, factories, and a statement counter.

The suite runs on a temporary SQLite file, or on the database named by TOT_TEST_DATABASE_URL
(PostgreSQL in CI). Tables are created once per run and emptied after every test, so tests that
commit from several threads see real transactions; nothing is left behind for the next run.
"""

import itertools
import os
import tempfile
from contextlib import contextmanager

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from flask import has_app_context
from flask.testing import FlaskClient
from sqlalchemy import event
from werkzeug.security import generate_password_hash

os.environ.setdefault("TOT_INSTANCE_PATH", tempfile.mkdtemp(prefix="tot-test-instance-"))

from tot import create_app
from tot.accounts.models import AgeGroup, Gender, Language, User
from tot.extensions import db, limiter
from tot.permissions import Role
from tot.regions.models import Country, Region
from tot.regions.services import ensure_reference_regions

PASSWORD = "correct horse battery"
CATALOGUES = os.path.join(os.path.dirname(os.path.dirname(__file__)), "tot", "translations")
TEST_DATABASE_URL = os.environ.get("TOT_TEST_DATABASE_URL")


def make_config(database_url: str, **overrides) -> dict:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "LOGIN_FAILURE_LIMIT": "1000 per minute",
        "SERVER_NAME": None,
    }
    config.update(overrides)
    return config


@pytest.fixture(scope="session", autouse=True)
def _compiled_catalogues():
    """The .mo files the app reads, built from the .po files when older (as `make` does), so
    that a test run always speaks what the catalogues say."""
    for language in os.listdir(CATALOGUES):
        po = os.path.join(CATALOGUES, language, "LC_MESSAGES", "messages.po")
        mo = po.removesuffix(".po") + ".mo"
        if os.path.exists(po) and (
            not os.path.exists(mo) or os.path.getmtime(mo) < os.path.getmtime(po)
        ):
            with open(po, "rb") as source, open(mo, "wb") as target:
                write_mo(target, read_po(source, locale=language))


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    if TEST_DATABASE_URL:
        return TEST_DATABASE_URL
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def _schema(database_url):
    app = create_app(make_config(database_url))
    with app.app_context():
        db.drop_all()  # whatever an interrupted earlier run left
        db.create_all()
        yield
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def empty_all_tables() -> None:
    db.session.remove()
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())


class IsolatedClient(FlaskClient):
    """A test client whose every request runs in its own application context, as in production.

    Tests hold an application context open (to use `db.session`). Flask would reuse it for the
    client's requests, so `g` (where Flask-Login caches the signed-in user) and the database
    session's identity map would be shared between the test and every request, hiding bugs and
    extra queries. Here each request gets a fresh context and session; the test's own session
    ends its transaction before and forgets what it loaded after, so it reads what the request did.
    """

    def open(self, *args, **kwargs):
        if not has_app_context():
            return super().open(*args, **kwargs)
        db.session.commit()
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.expire_all()
        return response


@pytest.fixture
def app(database_url, _schema):
    app = create_app(make_config(database_url))
    app.test_client_class = IsolatedClient
    with app.app_context():
        ensure_reference_regions()
        db.session.commit()
        yield app
        empty_all_tables()
        db.engine.dispose()
    limiter.reset()


@contextmanager
def loaded_demo(database_url: str, prepare=None):
    """An app whose database holds the demo data (`flask seed-demo`), for a module's tests that
    only read it; `prepare()` may change it once first. Emptied afterwards."""
    app = create_app(make_config(database_url))
    app.test_client_class = IsolatedClient
    with app.app_context():
        ensure_reference_regions()
        db.session.commit()
        result = app.test_cli_runner().invoke(args=["seed-demo"])
        assert result.exit_code == 0, result.output
        if prepare:
            prepare()
        yield app
        empty_all_tables()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def password_hash() -> str:
    """Hashing is slow on purpose; the factories share one hash of PASSWORD."""
    return generate_password_hash(PASSWORD)


_numbers = itertools.count(1)


@pytest.fixture
def region(app) -> Region:
    return db.session.execute(db.select(Region).filter_by(name="Osh Region")).scalar_one()


@pytest.fixture
def make_region(app):
    def make(name=None, country=Country.KYRGYZSTAN, retired=False) -> Region:
        region = Region(
            name=name or f"Test Region {next(_numbers)}",
            country=country,
            timezone=country.default_timezone,
        )
        if retired:
            region.retire()
        db.session.add(region)
        db.session.commit()
        return region

    return make


@pytest.fixture
def make_user(app, password_hash, region):
    def make(role: Role = Role.PARTICIPANT, **fields) -> User:
        number = next(_numbers)
        fields.setdefault("email", f"person{number}@example.org")
        fields.setdefault("full_name", f"Person {number}")
        fields.setdefault("password_hash", password_hash)
        fields.setdefault("region", region)
        if role is Role.PARTICIPANT:
            fields.setdefault("gender", Gender.WOMAN)
            fields.setdefault("age_group", AgeGroup.AGE_25_34)
        fields.setdefault("language", Language.ENGLISH)
        user = User(role=role, **fields)
        db.session.add(user)
        db.session.commit()
        return user

    return make


def log_in(client, user: User) -> None:
    """Sign a client in as `user` without the cost of a password check."""
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True


@pytest.fixture
def login_as(client, make_user):
    def login(role: Role | str, **fields) -> User:
        user = make_user(Role(role), **fields)
        log_in(client, user)
        return user

    return login


def page(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def field_error(soup: BeautifulSoup, field_id: str) -> str:
    """The error message shown beside a form field, or '' when there is none."""
    element = soup.select_one(f"#{field_id}-error")
    return element.get_text(" ", strip=True) if element else ""


def flashes(soup: BeautifulSoup) -> list[str]:
    return [p.get_text(" ", strip=True) for p in soup.select(".flash")]


@contextmanager
def count_queries():
    """Count the SQL statements run inside the block: `with count_queries() as q: ...; q.count`."""

    class Counter:
        count = 0
        statements: list[str] = []  # noqa: RUF012

    counter = Counter()
    counter.statements = []

    def before_cursor_execute(conn, cursor, statement, parameters, context, executemany):
        counter.count += 1
        counter.statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", before_cursor_execute)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", before_cursor_execute)
