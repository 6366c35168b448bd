"""Settings from the environment, with safe defaults for the demo.

Production sets MEJADATA_ENV=production, DATABASE_URL, SECRET_KEY and PERSONAL_DATA_KEY;
the demo needs nothing.
"""
import base64
import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = Path(os.environ.get("INSTANCE_DIR", ROOT / "instance"))


def _secret_key(production):
    """The demo keeps one generated key in instance/ so sessions survive restarts."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if production:
        raise RuntimeError("SECRET_KEY must be set in production")
    path = INSTANCE / "secret_key"
    if not path.exists():
        INSTANCE.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _personal_data_key(production):
    """Fernet key(s) for personal data at rest (NIK, identity documents; UU 27/2022).

    Comma-separated for rotation: the first key encrypts, every key decrypts. The demo keeps
    one generated key in instance/, like the secret key; losing that file loses the data.
    """
    keys = os.environ.get("PERSONAL_DATA_KEY", "").strip()
    if keys:
        for n, key in enumerate(keys.split(","), start=1):
            try:
                valid = len(base64.urlsafe_b64decode(key.strip().encode("ascii"))) == 32
            except (ValueError, UnicodeEncodeError):
                valid = False
            if not valid:
                raise RuntimeError(f"PERSONAL_DATA_KEY: key {n} is not a Fernet key "
                                   "(32 bytes, url-safe base64)")
        return keys
    if production:
        raise RuntimeError("PERSONAL_DATA_KEY must be set in production")
    path = INSTANCE / "personal_data_key"
    if not path.exists():
        INSTANCE.mkdir(parents=True, exist_ok=True)
        # Written privately, then linked into place: a second process starting at the same
        # moment reads the first one's key instead of replacing it (which would orphan data).
        tmp = INSTANCE / f".personal_data_key.{os.getpid()}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii"))
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_text().strip()


def _database_url():
    url = os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE / 'mejadata.db'}")
    # Heroku-style URLs name the old driver; psycopg 3 is what we install.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def load(overrides=None):
    """Build the Flask config dict: environment first, then the caller's overrides (tests)."""
    overrides = overrides or {}
    production = os.environ.get("MEJADATA_ENV") == "production"
    max_mb = int(os.environ.get("MAX_UPLOAD_MB", "50"))
    cfg = {
        "PRODUCTION": production,
        "SQLALCHEMY_DATABASE_URI": _database_url(),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "STORAGE_DIR": os.environ.get("STORAGE_DIR", str(INSTANCE / "storage")),
        # The Whoosh index (rebuilt from the database by `flask search reindex`).
        "SEARCH_INDEX_DIR": os.environ.get("SEARCH_INDEX_DIR", str(INSTANCE / "search")),
        "MAX_UPLOAD_MB": max_mb,
        # Flask refuses bodies past this before our code reads them; a little room for form fields.
        "MAX_CONTENT_LENGTH": max_mb * 1024 * 1024 + 64 * 1024,
        "BABEL_DEFAULT_LOCALE": "id",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Jakarta",
        "LANGUAGES": ["id", "en"],
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SECURE": production,
        "WTF_CSRF_TIME_LIMIT": None,
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "5 per minute"),
        # Behind a reverse proxy the client address (rate limits, logs) is in X-Forwarded-For.
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
        "SITE_NAME": os.environ.get("SITE_NAME", "Portal Data Jawa Barat"),
        "SITE_URL": os.environ.get("SITE_URL", "http://127.0.0.1:5000"),
        # Outgoing e-mail (app/core/mail.py). Without MAIL_SERVER, mail is written as .eml
        # files into MAIL_DIR (default instance/mail) so the demo shows what would be sent.
        # Port 465 means implicit TLS; MAIL_USE_TLS means STARTTLS on any other port.
        # The Telegram bot (bot/). No token: no bot; the web works the same.
        # TELEGRAM_API_BASE_URL lets a local Bot API server (or the tests' fake) stand in.
        "TELEGRAM_BOT_TOKEN": os.environ.get("TELEGRAM_BOT_TOKEN", ""),
        "TELEGRAM_API_BASE_URL": os.environ.get("TELEGRAM_API_BASE_URL",
                                                "https://api.telegram.org/bot"),
        "TELEGRAM_FILE_BASE_URL": os.environ.get("TELEGRAM_FILE_BASE_URL",
                                                 "https://api.telegram.org/file/bot"),
        "TELEGRAM_WEBHOOK_SECRET": os.environ.get("TELEGRAM_WEBHOOK_SECRET", ""),
        "TELEGRAM_BOT_USERNAME": os.environ.get("TELEGRAM_BOT_USERNAME", ""),
        # Messages per second to Telegram overall (AIORateLimiter; 0 = off, e.g. a local
        # Bot API server), and updates per chat per 10 s before the bot says "slow down".
        "TELEGRAM_OVERALL_RATE": float(os.environ.get("TELEGRAM_OVERALL_RATE", "30")),
        "TELEGRAM_FLOOD_LIMIT": int(os.environ.get("TELEGRAM_FLOOD_LIMIT", "20")),
        # An idle /minta or survey ends politely after this many seconds.
        "TELEGRAM_CONVERSATION_TIMEOUT": int(os.environ.get("TELEGRAM_CONVERSATION_TIMEOUT",
                                                            "900")),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "587")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": os.environ.get("MAIL_USE_TLS", "1").lower() in ("1", "true", "yes"),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "MejaData <noreply@localhost>"),
        "MAIL_DIR": os.environ.get("MAIL_DIR", str(INSTANCE / "mail")),
    }
    cfg.update(overrides)
    if "MAX_UPLOAD_MB" in overrides and "MAX_CONTENT_LENGTH" not in overrides:
        cfg["MAX_CONTENT_LENGTH"] = cfg["MAX_UPLOAD_MB"] * 1024 * 1024 + 64 * 1024
    if "SECRET_KEY" not in cfg:
        cfg["SECRET_KEY"] = _secret_key(production)
    if "PERSONAL_DATA_KEY" not in cfg:
        cfg["PERSONAL_DATA_KEY"] = _personal_data_key(production)
    return cfg
