"""Flask extensions, created bare and bound to the app in ``create_app``.

Nothing here imports the application package, so models and services can import it freely.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address)


# --- SQLite: WAL, busy timeout, foreign keys, and BEGIN IMMEDIATE for write transactions ---
#
# pysqlite starts transactions lazily and as DEFERRED; two concurrent writers then fail with
# "database is locked" instead of waiting. We take over transaction control (SQLAlchemy's
# documented recipe) and open write transactions with BEGIN IMMEDIATE, so writers queue up
# behind the busy timeout. Reads keep the cheap deferred BEGIN.

_immediate: ContextVar[bool] = ContextVar("hallobot_sqlite_immediate", default=False)


@contextmanager
def write_transactions() -> Iterator[None]:
    """Within this block, new SQLite transactions begin IMMEDIATE (they take the write lock)."""
    token = _immediate.set(True)
    try:
        yield
    finally:
        _immediate.reset(token)


def set_write_mode(on: bool):
    """Set the write flag for the current context; returns a token for ``reset_write_mode``."""
    return _immediate.set(on)


def reset_write_mode(token) -> None:
    _immediate.reset(token)


@event.listens_for(Engine, "connect")
def _sqlite_on_connect(dbapi_connection, connection_record):  # pragma: no cover - trivial
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA busy_timeout = 5000")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    # a page cache and memory map large enough for the search index of a city (the
    # defaults, 2 MB and none, make a 100k-business index read from disk on every query)
    cursor.execute("PRAGMA cache_size = -65536")
    cursor.execute("PRAGMA mmap_size = 268435456")
    cursor.close()


@event.listens_for(Engine, "connect")
def _postgres_on_connect(dbapi_connection, connection_record):  # pragma: no cover - trivial
    """Plan for solid-state storage: with the default random_page_cost (4) PostgreSQL reads
    the whole search index instead of using its trigram index (395 ms instead of 10 ms at
    100,000 businesses)."""
    if type(dbapi_connection).__module__.startswith("psycopg"):
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET random_page_cost = 1.1")
        dbapi_connection.commit()


@event.listens_for(Engine, "begin")
def _sqlite_on_begin(conn):
    if conn.dialect.name != "sqlite":
        return
    conn.exec_driver_sql("BEGIN IMMEDIATE" if _immediate.get() else "BEGIN")
