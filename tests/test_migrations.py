"""The Alembic migrations build exactly the schema the models describe.

`flask db upgrade` runs on a fresh, empty database (a new SQLite file; with TEST_DATABASE_URL
also a new PostgreSQL database next to the test one), then alembic's autogenerate comparison
must find nothing to add, drop or change.
"""
import os
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from app import config
from app.extensions import db, include_object_for
from tests.conftest import DATABASE_URL, make_app

VERSIONS = Path(config.ROOT) / "migrations" / "versions"


def _fresh_sqlite(tmp_path):
    return f"sqlite:///{tmp_path / 'migrated.db'}"


def _fresh_postgres():
    """A new, empty database beside the test database; dropped again afterwards."""
    url = make_url(DATABASE_URL)
    name = f"{url.database}_migrations"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    return url.set(database=name).render_as_string(hide_password=False), admin, name


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_app(request, tmp_path):
    if request.param == "postgresql":
        if not os.environ.get("TEST_DATABASE_URL"):
            pytest.skip("PostgreSQL check runs when TEST_DATABASE_URL is set")
        url, admin, name = _fresh_postgres()
    else:
        url, admin, name = _fresh_sqlite(tmp_path), None, None
    app = make_app(SQLALCHEMY_DATABASE_URI=url, STORAGE_DIR=str(tmp_path / "storage"))
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()
    if admin is not None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_there_are_migrations():
    assert sorted(VERSIONS.glob("*.py")), f"no Alembic revisions in {VERSIONS}"


def _differences():
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={
            "compare_type": True, "include_object": include_object_for(conn.dialect.name)})
        return compare_metadata(context, db.metadata)


def test_upgrade_builds_exactly_the_models_schema(fresh_app):
    from flask_migrate import upgrade

    upgrade()
    tables = set(inspect(db.engine).get_table_names())
    assert "alembic_version" in tables
    assert set(db.metadata.tables) <= tables
    assert _differences() == []


def test_downgrade_to_base_removes_everything(fresh_app):
    from flask_migrate import downgrade, upgrade

    upgrade()
    downgrade(revision="base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    upgrade()  # and back up again cleanly
    assert _differences() == []
