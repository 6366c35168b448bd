"""Finding datasets: the public catalogue's filters and facets, the staff inventory.

This first version filters in SQL; the Whoosh index (a later issue) takes over the full-text
part behind the same functions.
"""
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select

from app.accounts.models import Organisation
from app.catalog import auth
from app.catalog.models import Access, Dataset, Resource, Status, Topic
from app.core.actor import check
from app.extensions import db

PAGE_SIZE = 20
SORTS = {
    "newest": Dataset.published_at.desc(),
    "title": Dataset.title.asc(),
    "updated": Dataset.updated_at.desc(),
}
FILTERS = ("organisation", "topic", "access", "format", "year")


@dataclass
class Page:
    items: list
    total: int
    page: int
    per_page: int
    facets: dict = field(default_factory=dict)

    @property
    def pages(self):
        return max(1, -(-self.total // self.per_page))


def clean_filters(args):
    """Keep known filters; a malformed year or page is ignored rather than an error."""
    filters = {k: args.get(k) for k in FILTERS if args.get(k)}
    if "year" in filters and not str(filters["year"]).isdigit():
        filters.pop("year")
    q = (args.get("q") or "").strip()[:200]
    if q:
        filters["q"] = q
    return filters


def _apply_filters(query, filters, skip=None):
    if filters.get("q"):
        like = f"%{filters['q'].lower()}%"
        query = query.where(or_(func.lower(Dataset.title).like(like),
                                func.lower(Dataset.description).like(like)))
    if filters.get("organisation") and skip != "organisation":
        query = query.where(Dataset.organisation.has(Organisation.name == filters["organisation"]))
    if filters.get("topic") and skip != "topic":
        query = query.where(Dataset.topic.has(Topic.name == filters["topic"]))
    if filters.get("access") and skip != "access":
        query = query.where(Dataset.access == filters["access"])
    if filters.get("format") and skip != "format":
        query = query.where(Dataset.resources.any(Resource.format == filters["format"].upper()))
    if filters.get("year") and skip != "year":
        year = int(filters["year"])
        query = query.where(Dataset.period_start <= year,
                            func.coalesce(Dataset.period_end, Dataset.period_start) >= year)
    return query


def _public_base():
    return select(Dataset).where(Dataset.status == Status.PUBLISHED,
                                 Dataset.access.in_(Access.PUBLIC_LISTED))


def _facets(base, filters):
    """Counts per value, each facet ignoring its own filter so users can switch values."""
    def ids(skip):
        return _apply_filters(base, filters, skip=skip).with_only_columns(Dataset.id)

    def count_by(column, skip, join=None):
        q = select(column, func.count(func.distinct(Dataset.id))).select_from(Dataset)
        if join is not None:
            q = q.join(join)
        q = q.where(Dataset.id.in_(ids(skip))).group_by(column).order_by(column)
        return [(k, n) for k, n in db.session.execute(q) if k is not None]

    facets = {
        "organisation": count_by(Organisation.name, "organisation",
                                 Dataset.organisation),
        "topic": count_by(Topic.name, "topic", Dataset.topic),
        "access": count_by(Dataset.access, "access"),
        "format": count_by(Resource.format, "format", Dataset.resources),
    }
    years = {}
    for start, end in db.session.execute(
            select(Dataset.period_start, Dataset.period_end).where(Dataset.id.in_(ids("year")))):
        if start:
            for y in range(start, (end or start) + 1):
                years[y] = years.get(y, 0) + 1
    facets["year"] = sorted(years.items(), reverse=True)
    return facets


def catalogue(actor, filters, page=1, sort="newest"):
    """The public catalogue: published open and restricted datasets."""
    base = _public_base()
    query = _apply_filters(base, filters).order_by(SORTS.get(sort, SORTS["newest"]), Dataset.id)
    total = db.session.scalar(query.with_only_columns(func.count(Dataset.id)).order_by(None))
    page = max(1, int(page or 1))
    items = db.session.scalars(query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return Page(items=items, total=total, page=page, per_page=PAGE_SIZE,
                facets=_facets(base, filters))


def inventory(actor, filters):
    """Every dataset the agency holds, closed ones included: staff only."""
    check(auth.inventory_read(actor))
    query = _apply_filters(select(Dataset), filters).order_by(Dataset.organisation_id,
                                                              Dataset.title)
    return db.session.scalars(query).all()


def my_datasets(actor):
    """The datasets of the actor's organisations, newest work first."""
    if not actor.org_ids():
        return []
    return db.session.scalars(select(Dataset).where(Dataset.organisation_id.in_(actor.org_ids()))
                              .order_by(Dataset.updated_at.desc())).all()
