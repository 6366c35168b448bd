"""Fixtures every test builds on: one app and one schema per session, empty tables per test.

- Database: a SQLite file in a session temp dir, or TEST_DATABASE_URL (PostgreSQL) when set.
  The schema is created once; after each test every table is emptied, so tests are isolated
  without paying for create_all each time.
- Requests made with the `client` fixture run in their own application context, as they do
  behind a real server: the test's own session (used by factories and direct action calls)
  never leaks `g`, the logged-in user or uncommitted objects into a request.
- CSRF stays enabled: helpers fetch a real page, read its token and post the real form.
"""
import atexit
import contextvars
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
import werkzeug.security
from flask import has_app_context
from flask.testing import FlaskClient
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine, make_url

# The config module reads INSTANCE_DIR at import time, so it is set before `app` is imported.
_BASE = Path(tempfile.mkdtemp(prefix="mejadata-tests-"))
# At exit, not in a session fixture: an xdist controller imports this file but runs no tests.
atexit.register(shutil.rmtree, _BASE, ignore_errors=True)
os.environ["INSTANCE_DIR"] = str(_BASE / "instance")
_PG_URL = os.environ.get("TEST_DATABASE_URL")

from app import config, create_app  # noqa: E402
from app.extensions import db, limiter  # noqa: E402
from app.workdays import calendar  # noqa: E402

# Password hashing at its production cost (scrypt, ~80 ms) would dominate the suite's runtime.
# Like Django's fast test hasher, tests hash with a cheap werkzeug method; the format and the
# check are werkzeug's own, so login still goes through the real code path.
werkzeug.security.generate_password_hash.__defaults__ = ("pbkdf2:sha256:1000", 16)

PASSWORD = "test-password-123"
# A few real Jawa Barat codes (Kepmendagri 2025), enough for the region checks.
REGIONS = [
    ("32", "Jawa Barat", "provinsi"),
    ("32.04", "Kabupaten Bandung", "kabupaten_kota"),
    ("32.04.05", "Cileunyi", "kecamatan"),
    ("32.04.05.2001", "Cileunyi Kulon", "desa_kelurahan"),
    ("32.04.05.2002", "Cileunyi Wetan", "desa_kelurahan"),
    ("32.73", "Kota Bandung", "kabupaten_kota"),
    ("32.73.01", "Sukasari", "kecamatan"),
    ("32.73.01.1001", "Sukarasa", "desa_kelurahan"),
    ("32.73.01.1002", "Gegerkalong", "desa_kelurahan"),
    ("32.73.01.1003", "Isola", "desa_kelurahan"),
    ("32.73.02", "Coblong", "kecamatan"),
    ("32.73.02.1001", "Cipaganti", "desa_kelurahan"),
]
CSRF_RE = re.compile(r'name="csrf_token"[^>]*\bvalue="([^"]+)"')


# ---------------------------------------------------------------- database URL

def _worker_database(url):
    """Under pytest-xdist each worker gets its own PostgreSQL database (created on demand)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    parsed = make_url(url)
    name = f"{parsed.database}_{worker}"
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return parsed.set(database=name).render_as_string(hide_password=False)


def _database_url():
    if not _PG_URL:
        return f"sqlite:///{_BASE / 'test.db'}"
    # Let config.py normalise the URL exactly as it does for DATABASE_URL in production.
    os.environ["DATABASE_URL"] = _PG_URL
    url = config.load({"SECRET_KEY": "x"})["SQLALCHEMY_DATABASE_URI"]
    return _worker_database(url)


DATABASE_URL = _database_url()


@event.listens_for(Engine, "connect")
def _no_fsync(dbapi_connection, connection_record):
    """A throwaway test database needs no durable commits: same SQL semantics, far less I/O."""
    module = type(dbapi_connection).__module__
    if module.startswith("sqlite3"):
        statement = "PRAGMA synchronous=OFF"
    elif module.startswith("psycopg"):
        statement = "SET synchronous_commit TO off"
    else:
        return
    cursor = dbapi_connection.cursor()
    cursor.execute(statement)
    cursor.close()
    if module.startswith("psycopg"):
        dbapi_connection.commit()


STORAGE_DIR = _BASE / "storage"


# ---------------------------------------------------------------- app

class Client(FlaskClient):
    """A test client whose requests never share the test's application context.

    Flask reuses an already pushed app context for a request; the test's one would then carry
    `g` (Flask-Login's user) and the test's database session from request to request.
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            # What the test wrote is committed, and what it holds is re-read after the request.
            try:
                db.session.commit()
            except Exception:
                db.session.rollback()
                raise
        return contextvars.Context().run(super().open, *args, **kwargs)


def make_app(**overrides):
    """An app on the test database; tests needing other settings build their own with this."""
    cfg = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": DATABASE_URL,
        "SECRET_KEY": "test",
        "STORAGE_DIR": str(STORAGE_DIR),
        "WTF_CSRF_ENABLED": True,
        "RATELIMIT_ENABLED": True,
        # High enough for every normal test; test_accounts proves a low limit with its own app.
        "LOGIN_RATE_LIMIT": "10000 per minute",
    }
    cfg.update(overrides)
    app = create_app(cfg)
    app.test_client_class = Client
    return app


def _reset_schema(app):
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            # A dedicated test database: start from nothing, whatever an older run left.
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        else:
            db.drop_all()
        db.create_all()


def empty_tables():
    """DELETE every row, children before parents. Cheaper than re-creating the schema."""
    db.session.remove()
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())


def _empty_storage(root):
    root = Path(root)
    if root.is_dir():
        for child in root.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child, ignore_errors=True)
            else:
                child.unlink(missing_ok=True)
        (root / "tmp").mkdir(exist_ok=True)


@pytest.fixture(scope="session")
def app():
    app = make_app()
    _reset_schema(app)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app_factory():
    """make_app for tests that need other settings; their connections are closed after."""
    made = []

    def factory(**overrides):
        made.append(make_app(**overrides))
        return made[-1]

    yield factory
    for other in made:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(autouse=True)
def _isolation(app):
    """Each test runs inside an app context of the session app and leaves nothing behind."""
    ctx = app.app_context()
    ctx.push()
    try:
        yield
    finally:
        db.session.remove()
        ctx.pop()
        with app.app_context():
            empty_tables()
        limiter.reset()
        _empty_storage(STORAGE_DIR)
        _drop_search_index(app)
        calendar.invalidate()  # the tables were emptied behind the calendar's cache


def _drop_search_index(app):
    """The next test starts with no index, as the database starts with no rows."""
    engine = app.extensions.pop("search_engine", None)
    if engine is not None:
        engine.close()
    app.extensions.pop("search_store", None)
    shutil.rmtree(app.config["SEARCH_INDEX_DIR"], ignore_errors=True)


@pytest.fixture
def reference():
    """Regions, topics and licences, loaded through the actions as the CLI does."""
    from app.catalog import actions
    from app.core.actor import SYSTEM

    actions.region_import(SYSTEM, [{"kode": c, "nama": n, "tingkat": t} for c, n, t in REGIONS])
    actions.reference_seed(SYSTEM)


@pytest.fixture
def storage_dir():
    return STORAGE_DIR


# ---------------------------------------------------------------- web helpers

def csrf_token(client, url="/masuk"):
    """Fetch a page as this client and return the CSRF token of its form."""
    resp = client.get(url)
    html = resp.get_data(as_text=True)
    match = CSRF_RE.search(html)
    assert match, f"no csrf_token on {url} (status {resp.status_code})"
    return match.group(1)


def login(client, user, password=PASSWORD):
    """Post the real login form with a real token; asserts it worked."""
    token = csrf_token(client, "/masuk")
    resp = client.post("/masuk", data={"email": user.email, "password": password,
                                       "csrf_token": token})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
    return resp


def post_form(client, url, data=None, page="/masuk", **kwargs):
    """POST with a valid CSRF token taken from `page` (any page with a form works)."""
    data = dict(data or {})
    data["csrf_token"] = csrf_token(client, page)
    return client.post(url, data=data, **kwargs)


class AuthActions:
    def __init__(self, client):
        self.client = client

    def login(self, user, password=PASSWORD):
        return login(self.client, user, password)

    def logout(self):
        return post_form(self.client, "/keluar")


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def client_for(app):
    """A new client logged in as `user` (None: anonymous)."""
    def make(user=None, target_app=None):
        c = (target_app or app).test_client()
        if user is not None:
            login(c, user)
        return c
    return make


@pytest.fixture
def csrf():
    return csrf_token


@pytest.fixture
def form():
    return post_form


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
