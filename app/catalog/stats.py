"""Public usage statistics of the catalogue (SPBE level 1): pure reads returning plain data.

Each function returns a list of (label, value) pairs, or of small named tuples that start
with (label, value), so the statistics page, its charts and the monthly PDF report all show
the same numbers from the same queries.

Months are calendar months in Asia/Jakarta, where the agency is: a month's bounds are its
first midnight WIB, turned into the naive UTC the DateTime columns store. Download counts are
kept per day (DownloadCount.day), so they are bucketed by that date.

Every published dataset counts, closed (tertutup) ones included: the public Daftar Data lists
them as metadata only, and so do the lists here (their access class shown, no link). Only "most
downloaded" is limited to open and restricted datasets, whose files the public can get.
"""
import re
from datetime import UTC, date, datetime
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, select

from app.accounts.models import Organisation
from app.catalog.models import (
    Access,
    Dataset,
    DownloadCount,
    Resource,
    SearchQuery,
    Status,
    Topic,
)
from app.core.timeutil import JAKARTA, local_today
from app.extensions import db

# A term must have been searched this often before it is shown in public: the log holds no
# personal data, but a one-off query could still be someone's name.
TOP_SEARCH_MIN = 3
# Queries that look like identity or contact numbers (NIK, phone) or e-mail addresses are never
# shown, however often they were typed.
_PERSONAL = re.compile(r"@|(?:\d[\s.\-]?){8,}")
TOP_LIMIT = 10


class TopDataset(NamedTuple):
    label: str      # title
    value: int      # downloads
    name: str       # URL name of the dataset
    organisation: str


class OverdueDataset(NamedTuple):
    label: str      # title
    value: date     # next_update_due
    name: str
    organisation: str
    access: str
    days_late: int


class PublishedDataset(NamedTuple):
    label: str
    value: datetime  # published_at, naive UTC
    name: str
    organisation: str
    access: str


# ---------------------------------------------------------------- months

def month_key(year, month):
    return f"{year:04d}-{month:02d}"


def add_months(year, month, n):
    index = year * 12 + (month - 1) + n
    return index // 12, index % 12 + 1


def month_bounds(year, month):
    """(first day, first day of the next month): a half-open range of dates."""
    ny, nm = add_months(year, month, 1)
    return date(year, month, 1), date(ny, nm, 1)


def utc_start(day):
    """Midnight WIB at the start of `day`, as the naive UTC the database stores."""
    start = datetime(day.year, day.month, day.day, tzinfo=JAKARTA)
    return start.astimezone(UTC).replace(tzinfo=None)


def months_ending(year, month, n=12):
    """The n months ending with (year, month), oldest first."""
    return [add_months(year, month, i) for i in range(-(n - 1), 1)]


def recent_months(n=12, today=None):
    """The last n months up to and including the current one (in Jakarta)."""
    today = today or local_today()
    return months_ending(today.year, today.month, n)


def previous_month(today=None):
    today = today or local_today()
    return add_months(today.year, today.month, -1)


def month_has_ended(year, month, today=None):
    return month_bounds(year, month)[1] <= (today or local_today())


# ---------------------------------------------------------------- the catalogue

def _published(until=None):
    """Datasets published now (and, with `until`, already published before that day)."""
    conditions = [Dataset.status == Status.PUBLISHED]
    if until is not None:
        conditions.append(Dataset.published_at < utc_start(until))
    return and_(*conditions)


def _public():
    return and_(Dataset.status == Status.PUBLISHED, Dataset.access.in_(Access.PUBLIC_LISTED))


def datasets_by_organisation(until=None):
    """[(organisation title, published datasets)], most first."""
    rows = db.session.execute(
        select(Organisation.title, func.count(Dataset.id))
        .join(Dataset, Dataset.organisation_id == Organisation.id)
        .where(_published(until)).group_by(Organisation.id, Organisation.title))
    return sorted(((t, n) for t, n in rows), key=lambda r: (-r[1], r[0]))


def datasets_by_topic(until=None):
    """[(topic title, published datasets)], most first; datasets without a topic last."""
    rows = db.session.execute(
        select(Topic.title, func.count(Dataset.id))
        .select_from(Dataset).outerjoin(Topic, Dataset.topic_id == Topic.id)
        .where(_published(until)).group_by(Topic.id, Topic.title)).all()
    named = sorted(((t, n) for t, n in rows if t is not None), key=lambda r: (-r[1], r[0]))
    untopical = sum(n for t, n in rows if t is None)
    return named + ([(_l("Tanpa topik"), untopical)] if untopical else [])


def datasets_by_access(until=None):
    """[(access code, published datasets)] for every class, in the order open → closed."""
    counts = dict(db.session.execute(
        select(Dataset.access, func.count(Dataset.id)).where(_published(until))
        .group_by(Dataset.access)).all())
    return [(a, counts.get(a, 0)) for a in Access.ALL]


def published_count(until=None):
    return db.session.scalar(select(func.count(Dataset.id)).where(_published(until)))


def organisations_count(until=None):
    """Organisations with at least one published dataset."""
    return db.session.scalar(select(func.count(func.distinct(Dataset.organisation_id)))
                             .where(_published(until)))


def catalogue_growth(months):
    """[(YYYY-MM, datasets published by the end of that month)] for the given months.

    Counts datasets that are published now, by their publication date: a withdrawn dataset
    leaves the curve.
    """
    if not months:
        return []
    ends = [utc_start(month_bounds(y, m)[1]) for y, m in months]
    columns = [func.count(case((Dataset.published_at < end, Dataset.id))) for end in ends]
    row = db.session.execute(select(*columns).where(_published())).one()
    return [(month_key(y, m), int(n or 0)) for (y, m), n in zip(months, row, strict=True)]


def published_between(start, end):
    """Datasets published in [start, end) (dates in Jakarta), oldest first."""
    rows = db.session.execute(
        select(Dataset.title, Dataset.published_at, Dataset.name, Organisation.title,
               Dataset.access)
        .join(Organisation, Dataset.organisation_id == Organisation.id)
        .where(_published(), Dataset.published_at >= utc_start(start),
               Dataset.published_at < utc_start(end))
        .order_by(Dataset.published_at, Dataset.title))
    return [PublishedDataset(*r) for r in rows]


def overdue_datasets(today=None, published_before=None):
    """Published datasets whose next update was due before `today` (Jakarta), most late first.

    `published_before` (a date) keeps only datasets already published by then: the report of
    a past month asks "what was overdue at the end of the month".
    """
    today = today or local_today()
    rows = db.session.execute(
        select(Dataset.title, Dataset.next_update_due, Dataset.name, Organisation.title,
               Dataset.access)
        .join(Organisation, Dataset.organisation_id == Organisation.id)
        .where(_published(published_before), Dataset.next_update_due.is_not(None),
               Dataset.next_update_due < today)
        .order_by(Dataset.next_update_due, Dataset.title))
    return [OverdueDataset(t, due, name, org, access, (today - due).days)
            for t, due, name, org, access in rows]


# ---------------------------------------------------------------- downloads

def _monthly_sums(column, value, months, to_bound):
    """One scan: a SUM(CASE ...) per month over the months' whole range."""
    if not months:
        return []
    bounds = [tuple(to_bound(d) for d in month_bounds(y, m)) for y, m in months]
    columns = [func.coalesce(func.sum(case((and_(column >= lo, column < hi), value),
                                           else_=0)), 0) for lo, hi in bounds]
    row = db.session.execute(select(*columns).where(column >= bounds[0][0],
                                                    column < bounds[-1][1])).one()
    return [(month_key(y, m), int(n)) for (y, m), n in zip(months, row, strict=True)]


def downloads_by_month(months):
    """[(YYYY-MM, downloads)] for the given months."""
    return _monthly_sums(DownloadCount.day, DownloadCount.count, months, lambda d: d)


def downloads_by_day(year, month):
    """[(day of month, downloads)] for every day of one month."""
    start, end = month_bounds(year, month)
    counts = dict(db.session.execute(
        select(DownloadCount.day, func.sum(DownloadCount.count))
        .where(DownloadCount.day >= start, DownloadCount.day < end)
        .group_by(DownloadCount.day)).all())
    return [(d, int(counts.get(date(year, month, d), 0) or 0))
            for d in range(1, (end - start).days + 1)]


def downloads_between(start, end):
    return int(db.session.scalar(
        select(func.coalesce(func.sum(DownloadCount.count), 0))
        .where(DownloadCount.day >= start, DownloadCount.day < end)) or 0)


def downloads_total():
    return int(db.session.scalar(select(func.coalesce(func.sum(DownloadCount.count), 0))) or 0)


def top_datasets(start, end, limit=TOP_LIMIT):
    """The public datasets downloaded most in [start, end) (dates)."""
    total = func.sum(DownloadCount.count)
    rows = db.session.execute(
        select(Dataset.title, total, Dataset.name, Organisation.title)
        .select_from(DownloadCount)
        .join(Resource, DownloadCount.resource_id == Resource.id)
        .join(Dataset, Resource.dataset_id == Dataset.id)
        .join(Organisation, Dataset.organisation_id == Organisation.id)
        .where(_public(), DownloadCount.day >= start, DownloadCount.day < end)
        .group_by(Dataset.id, Dataset.title, Dataset.name, Organisation.title)
        .order_by(total.desc(), Dataset.title).limit(limit))
    return [TopDataset(t, int(n), name, org) for t, n, name, org in rows]


# ---------------------------------------------------------------- searches

def searches_by_month(months):
    """[(YYYY-MM, searches)] for the given months."""
    return _monthly_sums(SearchQuery.at, 1, months, utc_start)


def searches_between(start, end):
    return db.session.scalar(select(func.count(SearchQuery.id)).where(
        SearchQuery.at >= utc_start(start), SearchQuery.at < utc_start(end)))


def top_searches(start, end, limit=TOP_LIMIT):
    """[(query text, times searched)] in [start, end), most first.

    Only terms searched at least TOP_SEARCH_MIN times, and none that look like personal
    data, are returned: this list is public.
    """
    times = func.count(SearchQuery.id)
    rows = db.session.execute(
        select(SearchQuery.text, times)
        .where(SearchQuery.at >= utc_start(start), SearchQuery.at < utc_start(end),
               SearchQuery.text != "")
        .group_by(SearchQuery.text).having(times >= TOP_SEARCH_MIN)
        # room for the terms dropped below as personal-looking
        .order_by(times.desc(), SearchQuery.text).limit(limit * 3))
    public = [(text, int(n)) for text, n in rows if text and not _PERSONAL.search(text)]
    return public[:limit]
