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
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url
from werkzeug.security import generate_password_hash

os.environ.setdefault("TOT_INSTANCE_PATH", tempfile.mkdtemp(prefix="tot-test-instance-"))

from tot import create_app
from tot.accounts.logins import start as start_login
from tot.accounts.models import AgeGroup, Gender, User
from tot.extensions import db, limiter
from tot.i18n import Language
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
            partial = f"{mo}.{os.getpid()}"  # parallel workers: each writes its own, then swaps
            with open(po, "rb") as source, open(partial, "wb") as target:
                write_mo(target, read_po(source, locale=language))
            os.replace(partial, mo)


@contextmanager
def scratch_database(name: str, tmp_path_factory):
    """A database of its own for this run (and this worker, when tests run in parallel): a file
    on SQLite, a database created for the run on PostgreSQL, dropped at the end."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    # Two runs at once (two checkouts, or a developer beside CI) must not drop each other's.
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID", str(os.getpid()))[:12]
    if not TEST_DATABASE_URL:
        yield f"sqlite:///{tmp_path_factory.mktemp(name) / 'test.db'}"
        return
    url = make_url(TEST_DATABASE_URL)
    database = f"{url.database}_{name}_{worker}_{run}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        # From template0, which nobody connects to: parallel test workers may create at once.
        connection.execute(
            text(f"CREATE DATABASE \"{database}\" TEMPLATE template0 ENCODING 'UTF8'")
        )
    try:
        yield url.set(database=database).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    with scratch_database("suite", tmp_path_factory) as url:
        yield url


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


def build_app(database_url: str):
    """An app on `database_url` with an empty schema of every table."""
    app = create_app(make_config(database_url))
    app.test_client_class = IsolatedClient
    with app.app_context():
        db.drop_all()
        db.create_all()
    return app


@pytest.fixture(scope="session")
def _app(database_url):
    """The one app of the run: making an app costs ~60 ms, so each test borrows this one."""
    app = build_app(database_url)
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def app(_app):
    """The app, in an application context of the test's own, over a database holding only the
    reference regions; whatever the test changed (rows, settings, rate limits) is undone after."""
    config = dict(_app.config)
    with _app.app_context():
        ensure_reference_regions()
        db.session.commit()
        yield _app
        empty_all_tables()
    _app.config.clear()
    _app.config.update(config)
    limiter.reset()


def _seeded_demo(name: str, tmp_path_factory, prepare=None):
    """An app over a database of its own holding the demo data (`flask seed-demo`)."""
    with scratch_database(name, tmp_path_factory) as url:
        app = build_app(url)
        with app.app_context():
            ensure_reference_regions()
            db.session.commit()
            result = app.test_cli_runner().invoke(args=["seed-demo"])
            assert result.exit_code == 0, result.output
            if prepare:
                prepare()
            db.session.remove()
        yield app
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def demo_app(tmp_path_factory):
    """The demo data, loaded once for the run, for tests that only read it."""
    yield from _seeded_demo("demo", tmp_path_factory)


@pytest.fixture(scope="session")
def cyrillic_demo_app(tmp_path_factory):
    """The demo data with everything people wrote in Cyrillic letters (tests/language_checks.py),
    for the tests that look for English interface text."""
    from tests.language_checks import cyrillicise_content

    yield from _seeded_demo("cyrillic", tmp_path_factory, prepare=cyrillicise_content)


@pytest.fixture
def demo(demo_app):
    with demo_app.app_context():
        yield demo_app


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
    """Sign a client in as `user` without the cost of a password check (a login of its own)."""
    start_login(user, user_agent=None)
    db.session.commit()
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
