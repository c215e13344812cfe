"""Migrations: an empty database goes to head, back to base, and to head again —
and the head schema matches the models (no forgotten migration)."""

from __future__ import annotations

import os
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import OperationalError

from config import TestingConfig
from hallobot import create_app
from hallobot.extensions import db
from hallobot.search.models import include_in_autogenerate

pytestmark = pytest.mark.no_db_session

TABLES = {
    "users",
    "businesses",
    "categories",
    "districts",
    "attributes",
    "services",
    "opening_hours",
    "special_days",
    "delivery_options",
    "news_posts",
    "hotspots",
    "business_owners",
    "business_attributes",
    "geocode_cache",
}


def _roundtrip(url: str) -> None:
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade()
        assert TABLES <= set(inspect(db.engine).get_table_names())
        with db.engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"include_object": include_in_autogenerate}
            )
            diff = compare_metadata(context, db.metadata)
        assert diff == [], f"models and migrations differ: {diff}"
        downgrade(revision="base")
        assert not TABLES & set(inspect(db.engine).get_table_names())
        upgrade()
        assert TABLES <= set(inspect(db.engine).get_table_names())
        db.session.remove()
        db.engine.dispose()


def test_sqlite_upgrade_downgrade_upgrade(tmp_path):
    _roundtrip(f"sqlite:///{tmp_path / 'migrations.sqlite3'}")


def test_postgres_upgrade_downgrade_upgrade():
    """Runs on the PostgreSQL server of TEST_DATABASE_URL, or the local one on 127.0.0.1."""
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        url = os.environ.get(
            "HALLOBOT_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
        )
    try:
        probe = create_engine(url, connect_args={"connect_timeout": 3})
        with probe.connect():
            pass
        probe.dispose()
    except OperationalError as exc:
        from tests.conftest import service_missing

        service_missing(f"PostgreSQL not reachable at {url.split('@')[-1]}: {exc.orig}")
    parts = urlsplit(url)
    name = f"hallobot_migr_{uuid.uuid4().hex[:8]}"
    admin = create_engine(
        urlunsplit(parts._replace(path="/postgres")), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        _roundtrip(urlunsplit(parts._replace(path=f"/{name}")))
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
