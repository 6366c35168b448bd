"""One clock for the whole product: naive UTC in the database, Asia/Jakarta on screen."""
from datetime import UTC, datetime


def utcnow():
    """Naive UTC, the form stored in every DateTime column (portable across SQLite and PostgreSQL)."""
    return datetime.now(UTC).replace(tzinfo=None)
