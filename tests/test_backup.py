"""`flask backup` copies the SQLite database while it is in use; `flask restore FILE` brings a
copy back, after keeping the database it replaces, and refuses what is not a backup of this app.

These run on a SQLite file of their own, made by the migrations (as in production), whatever
database the rest of the suite uses.
"""

import shutil
import sqlite3
import stat
from contextlib import closing
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import select

from tests.conftest import make_config
from tot import create_app
from tot.accounts.models import User
from tot.extensions import db


def sqlite_app_at(path: Path):
    return create_app(make_config(f"sqlite:///{path}", BACKUP_DIR=str(path.parent / "backups")))


@pytest.fixture(scope="module")
def migrated_database(tmp_path_factory) -> Path:
    """An empty database made by the migrations, once; each test works on a copy."""
    path = tmp_path_factory.mktemp("migrated") / "tot.db"
    app = sqlite_app_at(path)
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return path


@pytest.fixture
def sqlite_app(migrated_database, tmp_path):
    shutil.copyfile(migrated_database, tmp_path / "tot.db")
    app = sqlite_app_at(tmp_path / "tot.db")
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def add_person(email: str) -> None:
    db.session.add(User(email=email, full_name=email.split("@")[0].title()))
    db.session.commit()


def emails() -> list[str]:
    db.session.remove()
    return sorted(db.session.scalars(select(User.email)))


def flask(app, *args, **kwargs):
    return app.test_cli_runner().invoke(args=list(args), **kwargs)


def backups_in(app) -> list[Path]:
    return sorted(Path(app.config["BACKUP_DIR"]).glob("*.db"))


def take_backup(app) -> Path:
    result = flask(app, "backup")
    assert result.exit_code == 0, result.output
    [path] = [path for path in backups_in(app) if str(path) in result.output]
    return path


def test_a_backup_made_during_a_write_restores_what_was_committed(sqlite_app, tmp_path):
    add_person("aida@example.org")
    # Another process is in the middle of a transaction while the backup runs.
    writer = sqlite3.connect(tmp_path / "tot.db", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE users SET full_name = 'Half-written' WHERE email = 'aida@example.org'")

    backup = take_backup(sqlite_app)

    writer.execute("COMMIT")
    writer.close()
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600  # it holds personal data
    add_person("later@example.org")

    result = flask(sqlite_app, "restore", str(backup), "--yes")

    assert result.exit_code == 0, result.output
    assert emails() == ["aida@example.org"]
    assert db.session.scalar(select(User.full_name)) == "Aida"
    # The database as it was before the restore is kept beside the backups.
    [kept] = [path for path in backups_in(sqlite_app) if "before-restore" in path.name]
    assert str(kept) in result.output
    with closing(sqlite3.connect(kept)) as copy:
        assert ("later@example.org",) in copy.execute("SELECT email FROM users").fetchall()


def test_restore_asks_first_and_changes_nothing_when_refused(sqlite_app):
    add_person("aida@example.org")
    backup = take_backup(sqlite_app)
    add_person("later@example.org")

    result = flask(sqlite_app, "restore", str(backup), input="n\n")

    assert result.exit_code != 0
    assert "Replace the database" in result.output
    assert emails() == ["aida@example.org", "later@example.org"]
    assert backups_in(sqlite_app) == [backup]

    result = flask(sqlite_app, "restore", str(backup), input="y\n")
    assert result.exit_code == 0, result.output
    assert emails() == ["aida@example.org"]


def test_restore_refuses_a_file_that_is_not_a_database(sqlite_app, tmp_path):
    add_person("aida@example.org")
    notes = tmp_path / "notes.db"
    notes.write_text("not a database at all")

    result = flask(sqlite_app, "restore", str(notes), "--yes")

    assert result.exit_code != 0
    assert "is not a SQLite database" in result.output
    assert emails() == ["aida@example.org"]
    assert backups_in(sqlite_app) == []  # nothing was touched, so nothing needed keeping


def test_restore_refuses_a_database_of_another_app(sqlite_app, tmp_path):
    add_person("aida@example.org")
    other = tmp_path / "other.db"
    with closing(sqlite3.connect(other)) as connection:
        connection.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT)")
        connection.commit()

    result = flask(sqlite_app, "restore", str(other), "--yes")

    assert result.exit_code != 0
    assert "is not a database of this app" in result.output
    assert emails() == ["aida@example.org"]


def test_a_backup_never_overwrites_another(sqlite_app):
    add_person("aida@example.org")
    first, second = take_backup(sqlite_app), take_backup(sqlite_app)
    assert first != second
    assert len(backups_in(sqlite_app)) == 2


def test_on_postgresql_backup_and_restore_point_to_pg_dump(tmp_path):
    # The commands only read the database's address: nothing connects to this server.
    app = create_app(make_config("postgresql+psycopg://tot@127.0.0.1:9/tot"))
    backup = tmp_path / "tot.dump"
    backup.write_bytes(b"")
    with app.app_context():
        for command in (["backup"], ["restore", str(backup), "--yes"]):
            result = flask(app, *command)
            assert result.exit_code != 0
            assert "pg_dump -Fc" in result.output
            assert "pg_restore" in result.output
