"""Copies of the SQLite database: `flask backup` and `flask restore FILE`.

A copy is made with SQLite's online backup API, which reads a consistent state of the database
while the app goes on reading and writing it (what a transaction has not committed is not in the
copy). Restoring writes a backup into the live database through the same API, under SQLite's own
locks, after keeping a copy of what is being replaced. On PostgreSQL, use pg_dump and pg_restore.
"""

import os
import sqlite3
from collections.abc import Iterable
from contextlib import closing
from datetime import datetime
from pathlib import Path

SQLITE_HEADER = b"SQLite format 3\x00"
PREFIX = "tot-"


class BackupError(Exception):
    """A backup or restore that cannot be done, with the reason in plain words."""


def backup(database: Path, directory: Path, now: datetime, label: str = "") -> Path:
    """Copy the live `database` into a new file of `directory`, named after `now`."""
    if not database.is_file():
        raise BackupError(f"There is no database at {database}.")
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    target = _new_file(directory, f"{PREFIX}{label}{now:%Y%m%d-%H%M%S}")
    try:
        with closing(_read_only(database)) as source, closing(sqlite3.connect(target)) as copy:
            source.backup(copy)
    except sqlite3.Error as error:
        target.unlink(missing_ok=True)
        raise BackupError(f"Could not copy the database: {error}") from error
    return target


def check_backup(path: Path, known_revisions: Iterable[str]) -> str:
    """The migration revision of the backup at `path`, if it is a database of this app."""
    if not path.is_file():
        raise BackupError(f"There is no file at {path}.")
    with path.open("rb") as handle:
        if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise BackupError(f"{path} is not a SQLite database.")
    try:
        with closing(_read_only(path)) as connection:
            if connection.execute("PRAGMA quick_check").fetchone() != ("ok",):
                raise BackupError(f"{path} is damaged (SQLite's quick_check fails).")
            revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            connection.execute("SELECT count(*) FROM users").fetchone()
    except sqlite3.Error as error:
        raise BackupError(f"{path} is not a database of this app ({error}).") from error
    if revision is None or revision[0] not in set(known_revisions):
        raise BackupError(f"{path} is not a database of this app (unknown migration).")
    return revision[0]


def restore(path: Path, database: Path, directory: Path, now: datetime) -> Path:
    """Write the backup at `path` over the live `database`; the copy kept of it first."""
    kept = backup(database, directory, now, label="before-restore-")
    try:
        with closing(_read_only(path)) as source, closing(sqlite3.connect(database)) as live:
            source.backup(live)
    except sqlite3.Error as error:
        raise BackupError(f"Could not restore ({error}); {kept} holds the database.") from error
    return kept


def _new_file(directory: Path, stem: str) -> Path:
    """A new empty file only its owner may read (a backup holds personal data)."""
    for number in range(1, 100):
        path = directory / (f"{stem}.db" if number == 1 else f"{stem}-{number}.db")
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            continue
        return path
    raise BackupError(f"Too many backups named {stem} in {directory}.")


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
