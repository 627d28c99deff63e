"""Make SQLite, the embedded default, behave like PostgreSQL where it matters."""

import sqlite3

from sqlalchemy import event
from sqlalchemy.engine import Engine


def _unicode_lower(value):
    return value.lower() if isinstance(value, str) else value


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, connection_record):
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # SQLite's lower() knows only ASCII: searching "полиция" would miss "ПОЛИЦИЯ".
    dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")  # off by default in SQLite
    cursor.execute("PRAGMA busy_timeout = 30000")  # wait for a writer instead of failing
    cursor.close()
