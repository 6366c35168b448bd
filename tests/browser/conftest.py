"""A live MejaData server and a real headless Chromium for the browser journey.

- The app is the real one (create_app) served by werkzeug in a background thread, with CSRF
  on and its own database: a SQLite file in a temp dir, or with TEST_DATABASE_URL a PostgreSQL
  database beside that one (<name>_browser), so the main suite's per-test cleanup, in this
  session or in a colleague's concurrent run, never empties it mid-journey. The fixture
  creates its tables (drop_all, create_all) and leaves them empty, whichever ran first.
- Regions, topics, licences, organisations and accounts are seeded through the real actions.
- Chromium is Debian's /usr/bin/chromium; without it the journey fails, it is never skipped.
"""
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

# config.py reads INSTANCE_DIR at import time; the main conftest sets it, this is a fallback.
os.environ.setdefault("INSTANCE_DIR", tempfile.mkdtemp(prefix="mejadata-browser-"))

from werkzeug.serving import make_server  # noqa: E402

from tests.browser.helpers import ROOT, empty_tables, seed  # noqa: E402

SCREENSHOTS = ROOT / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]


@dataclass
class LiveServer:
    url: str
    app: object
    storage_dir: Path


def _database_url(tmp_dir):
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_dir / 'browser.db'}"
    for prefix in ("postgres://", "postgresql://"):  # the driver we install is psycopg 3
        if url.startswith(prefix):
            url = "postgresql+psycopg://" + url[len(prefix):]
    return _sibling_database(url)


def _sibling_database(url):
    """<database>_browser beside TEST_DATABASE_URL's database, created on demand.

    The main suite empties every table after each of its tests, and another process (a
    colleague's run, an xdist worker) may be doing so at any moment: the journey's users and
    datasets would vanish mid-test. Without the right to create a database, the given one is
    used (the fixture still creates its tables and leaves them empty).
    """
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    parsed = make_url(url)
    name = f"{parsed.database}_browser"
    if os.environ.get("PYTEST_XDIST_WORKER"):
        name += "_" + os.environ["PYTEST_XDIST_WORKER"]
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    except SQLAlchemyError:
        return url
    finally:
        admin.dispose()
    return parsed.set(database=name).render_as_string(hide_password=False)


@pytest.fixture
def live_server(tmp_path_factory):
    from app import create_app
    from app.extensions import db

    tmp = tmp_path_factory.mktemp("browser")
    storage_dir = tmp / "storage"
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "browser-journey",
        "SQLALCHEMY_DATABASE_URI": _database_url(tmp),
        "STORAGE_DIR": str(storage_dir),
        "SEARCH_INDEX_DIR": str(tmp / "search"),
        "WTF_CSRF_ENABLED": True,
        "RATELIMIT_ENABLED": True,
        "LOGIN_RATE_LIMIT": "1000 per minute",
    })
    with app.app_context():
        db.drop_all()
        db.create_all()
        seed()
        db.session.remove()

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(url=f"http://127.0.0.1:{server.server_port}", app=app,
                         storage_dir=storage_dir)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        with app.app_context():
            empty_tables(db)  # the main suite expects its tables present and empty
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (apt-get install "
                    "chromium). The browser journey needs a real browser and is never skipped.",
                    pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def screenshots():
    """docs/screenshots, emptied of the previous run's PNGs."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob("[0-9][0-9]-*.png"):  # other journeys keep their own
        old.unlink()
    return SCREENSHOTS
