"""One clock for the whole product: naive UTC in the database, Asia/Jakarta on screen."""
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

JAKARTA = ZoneInfo("Asia/Jakarta")


def utcnow():
    """Naive UTC: the form every DateTime column stores, alike on SQLite and PostgreSQL."""
    return datetime.now(UTC).replace(tzinfo=None)


def local_today():
    """Today's date where the agency is (Asia/Jakarta): the day deadlines and due dates use.

    Between 00:00 and 07:00 WIB the UTC date is still yesterday's.
    """
    return datetime.now(JAKARTA).date()
