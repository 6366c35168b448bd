"""Settings from the environment: safe demo defaults, strict production."""
import pytest
from cryptography.fernet import Fernet

from app import config


@pytest.fixture
def env(monkeypatch):
    for name in ("MEJADATA_ENV", "SECRET_KEY", "PERSONAL_DATA_KEY", "DATABASE_URL", "MAX_UPLOAD_MB",
                 "LOGIN_RATE_LIMIT"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_production_needs_a_secret_key(env):
    env.setenv("MEJADATA_ENV", "production")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        config.load()


def test_production_cookies_are_secure(env):
    env.setenv("MEJADATA_ENV", "production")
    env.setenv("SECRET_KEY", "s" * 64)
    env.setenv("PERSONAL_DATA_KEY", Fernet.generate_key().decode())
    cfg = config.load()
    assert cfg["SESSION_COOKIE_SECURE"] and cfg["REMEMBER_COOKIE_SECURE"]
    assert cfg["SESSION_COOKIE_HTTPONLY"] and cfg["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_demo_cookies_work_over_plain_http(env):
    cfg = config.load({"SECRET_KEY": "x"})
    assert not cfg["SESSION_COOKIE_SECURE"]


@pytest.mark.parametrize("url", ["postgres://u:p@db:5432/meja", "postgresql://u:p@db:5432/meja"])
def test_postgres_urls_use_psycopg3(env, url):
    env.setenv("DATABASE_URL", url)
    assert config.load({"SECRET_KEY": "x"})["SQLALCHEMY_DATABASE_URI"] == \
        "postgresql+psycopg://u:p@db:5432/meja"


def test_upload_limit_sets_the_request_limit(env):
    env.setenv("MAX_UPLOAD_MB", "10")
    cfg = config.load({"SECRET_KEY": "x"})
    assert cfg["MAX_UPLOAD_MB"] == 10
    assert 10 * 1024 * 1024 < cfg["MAX_CONTENT_LENGTH"] <= 11 * 1024 * 1024


def test_overrides_win(env):
    cfg = config.load({"SECRET_KEY": "x", "LOGIN_RATE_LIMIT": "1 per hour"})
    assert cfg["LOGIN_RATE_LIMIT"] == "1 per hour" and cfg["SECRET_KEY"] == "x"
