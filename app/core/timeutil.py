"""One clock for the whole product: naive UTC in the database, Asia/Jakarta on screen."""
from datetime import UTC, datetime


def utcnow():
    """Naive UTC: the form every DateTime column stores, alike on SQLite and PostgreSQL."""
    return datetime.now(UTC).replace(tzinfo=None)
