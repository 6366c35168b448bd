"""The data inventory (Daftar Data): every dataset the agency holds, closed ones as metadata.

SPBE level 2 asks that people can search and download "e-documents such as the inventory of
shared data". The public sees every published dataset of every access class, closed
(tertutup) ones included as metadata only; catalogue staff also see unpublished work with its
status. The page, the CSV, XLSX and PDF downloads and the reports all read `inventory_list`.
"""
from dataclasses import dataclass
from datetime import UTC, date

from sqlalchemy import and_, func, select
from sqlalchemy.orm import contains_eager, lazyload, selectinload

from app.accounts.models import Organisation
from app.catalog import auth
from app.catalog.models import Access, Dataset, Status, Topic
from app.core.actor import check
from app.core.timeutil import JAKARTA, local_today
from app.extensions import db

PAGE_SIZE = 100
TRUE_WORDS = ("1", "true", "on", "ya", "yes")


@dataclass(frozen=True)
class InventoryRow:
    dataset: Dataset
    overdue: bool
    can_open: bool  # the actor may open the dataset's page (never for a closed one, publicly)

    @property
    def last_update(self):
        """When the public version last changed (its publication), else the last edit.

        A published dataset cannot be edited in place (it is reopened, resubmitted and
        approved again), so `published_at` is the date its current data appeared.
        """
        ds = self.dataset
        if ds.status == Status.PUBLISHED and ds.published_at:
            return ds.published_at
        return ds.updated_at

    @property
    def last_update_date(self):
        """`last_update` as a date in Jakarta (the column is naive UTC)."""
        moment = self.last_update
        return moment.replace(tzinfo=UTC).astimezone(JAKARTA).date() if moment else None

    @property
    def period(self):
        ds = self.dataset
        if ds.period_start is None:
            return ""
        if ds.period_end in (None, ds.period_start):
            return str(ds.period_start)
        return f"{ds.period_start}–{ds.period_end}"


@dataclass
class Inventory:
    rows: list
    total: int
    overdue: int  # overdue datasets among all the filtered ones, not only this page
    today: date
    filters: dict
    with_unpublished: bool
    page: int = 1
    per_page: int | None = None  # None: every row on one page (downloads, reports)

    @property
    def pages(self):
        if not self.per_page:
            return 1
        return max(1, -(-self.total // self.per_page))


def clean_filters(args):
    """The inventory's filters from query arguments; anything malformed is dropped, not an
    error. Values come back in the form url_for needs to rebuild the same URL."""
    filters = {}
    for key in ("organisation", "topic"):
        value = (args.get(key) or "").strip()[:100]
        if value:
            filters[key] = value
    year = (args.get("year") or "").strip()
    if year.isdigit() and 1 <= len(year) <= 4:
        filters["year"] = int(year)
    if args.get("access") in Access.ALL:
        filters["access"] = args.get("access")
    if args.get("status") in Status.ALL:
        filters["status"] = args.get("status")
    if str(args.get("overdue") or "").strip().lower() in TRUE_WORDS:
        filters["overdue"] = 1
    return filters


def overdue_clause(today):
    """Published datasets whose next update was due before today (the inventory's "overdue";
    the statistics page counts the same thing)."""
    return and_(Dataset.status == Status.PUBLISHED, Dataset.next_update_due < today)


def is_overdue(dataset, today):
    return (dataset.status == Status.PUBLISHED and dataset.next_update_due is not None
            and dataset.next_update_due < today)


def _where(query, filters, with_unpublished, today):
    if not with_unpublished:
        query = query.where(Dataset.status == Status.PUBLISHED)
    if filters.get("organisation"):
        query = query.where(Organisation.name == filters["organisation"])
    if filters.get("topic"):
        query = query.where(Dataset.topic.has(Topic.name == filters["topic"]))
    if filters.get("year"):
        year = int(filters["year"])
        query = query.where(Dataset.period_start <= year,
                            func.coalesce(Dataset.period_end, Dataset.period_start) >= year)
    if filters.get("access"):
        query = query.where(Dataset.access == filters["access"])
    if filters.get("status"):
        query = query.where(Dataset.status == filters["status"])
    if filters.get("overdue"):
        query = query.where(overdue_clause(today))
    return query


def inventory_list(actor, filters, page=None, today=None):
    """The inventory rows this actor may see, ordered by producer and title.

    `filters` as clean_filters returns them. `page` (1-based) gives PAGE_SIZE rows of that
    page; None gives every row (downloads, reports). `today` (Jakarta) decides what is
    overdue; it defaults to the real date.

    :raises NotAuthorized
    """
    check(auth.inventory_read(actor))
    with_unpublished = auth.inventory_read_unpublished(actor)
    today = today or local_today()

    base = _where(select(Dataset).join(Dataset.organisation), filters, with_unpublished, today)
    ids = base.with_only_columns(Dataset.id).order_by(None)
    total = db.session.scalar(select(func.count()).select_from(ids.subquery()))
    overdue = db.session.scalar(select(func.count()).select_from(
        ids.where(overdue_clause(today)).subquery()))

    query = (base.options(contains_eager(Dataset.organisation), selectinload(Dataset.custodian),
                          lazyload(Dataset.tags), lazyload(Dataset.resources),
                          lazyload(Dataset.notes), lazyload(Dataset.license))
             .order_by(Organisation.title, Dataset.title, Dataset.id))
    per_page = None
    if page is not None:
        per_page = PAGE_SIZE
        page = max(1, int(page))
        query = query.limit(per_page).offset((page - 1) * per_page)
    datasets = db.session.scalars(query).all()
    rows = [InventoryRow(dataset=ds, overdue=is_overdue(ds, today),
                         can_open=auth.dataset_read(actor, ds)) for ds in datasets]
    return Inventory(rows=rows, total=total, overdue=overdue, today=today, filters=filters,
                     with_unpublished=with_unpublished, page=page or 1, per_page=per_page)


def filter_choices():
    """(organisations, topics) as (name, title) pairs for the filter form, by title."""
    organisations = db.session.execute(
        select(Organisation.name, Organisation.title).order_by(Organisation.title)).all()
    topics = db.session.execute(select(Topic.name, Topic.title).order_by(Topic.title)).all()
    return organisations, topics
