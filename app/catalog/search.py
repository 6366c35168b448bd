"""Finding datasets: the public catalogue (full text, facets, sorting), the staff lists, the log
of what people search for.

The public catalogue asks the Whoosh index (search_index, search_engine); everything else, and
the catalogue itself when the index cannot answer, asks the database.
"""
import logging
import re
from dataclasses import dataclass, field
from datetime import timedelta

from markupsafe import Markup, escape
from sqlalchemy import func, or_, select
from whoosh.highlight import ContextFragmenter, HtmlFormatter, WholeFragmenter, highlight

from app.accounts.models import Organisation
from app.catalog import auth, search_engine, search_index
from app.catalog.models import Access, Dataset, Resource, SearchQuery, Status, Topic
from app.catalog.search_analysis import stem_analyzer
from app.core.actor import check
from app.core.timeutil import utcnow
from app.extensions import db

log = logging.getLogger(__name__)

PAGE_SIZE = 20
MAX_PAGE = 500
SORTS = search_engine.SORTS
FILTERS = ("organisation", "topic", "access", "format", "year", "region")
FACETS = ("organisation", "topic", "access", "format", "year", "region")


@dataclass
class Page:
    items: list
    total: int
    page: int
    per_page: int
    facets: dict = field(default_factory=dict)
    sort: str = "newest"
    mode: str = "all"                 # "any" when no dataset had every word
    suggestion: str = None            # "did you mean"
    ignored: list = field(default_factory=list)   # stop words left out of the search
    highlights: dict = field(default_factory=dict)  # dataset id -> {"title", "description"}

    @property
    def pages(self):
        return max(1, -(-self.total // self.per_page))


def _printable(text):
    # Control characters (NUL above all: PostgreSQL refuses it) mean nothing in a search box.
    return "".join(c if c.isprintable() else " " for c in str(text))


def clean_filters(args):
    """Keep known filters; a malformed year or page is ignored rather than an error."""
    filters = {k: _printable(args.get(k)).strip()[:100] for k in FILTERS if args.get(k)}
    if "year" in filters and not (filters["year"].isdigit() and len(filters["year"]) == 4):
        filters.pop("year")
    if "format" in filters:
        filters["format"] = filters["format"].upper()
    filters = {k: v for k, v in filters.items() if v}
    q = " ".join(_printable(args.get("q") or "").split())[:search_engine.MAX_QUERY_CHARS]
    if q:
        filters["q"] = q
    return filters


# ---------------------------------------------------------------- the public catalogue

def catalogue(actor, filters, page=1, sort=None, mode="all", record=True):
    """The public catalogue (published open and restricted datasets) for a query and filters.

    `sort`: relevance (default with a query), newest (default without), title, downloads.
    Page 1 of a query is written to the search log (text and hit count only).
    """
    page = min(max(1, int(page or 1)), MAX_PAGE)
    facet_filters = {k: v for k, v in filters.items() if k in FILTERS}
    parsed = search_engine.parse(filters.get("q", ""))
    try:
        result = _search(parsed, facet_filters, page, sort, mode)
    except Exception:  # noqa: BLE001 - a broken index must not take the catalogue down
        log.exception("search index failed; answering from the database")
        db.session.rollback()
        result = _sql_catalogue(filters, page, sort)
    if record and page == 1 and parsed.text:
        record_query(parsed.text, result.total)
    return result


def _search(parsed, filters, page, sort, mode):
    search_index.catch_up()
    engine = search_engine.engine()
    for attempt in range(3):
        hits = engine.search(parsed, filters, sort or "relevance", page, PAGE_SIZE, mode)
        items, gone = _load(hits.ids)
        if not gone or attempt == 2:
            break
        # The index knew a dataset the database no longer lists publicly: fix it and ask again.
        search_index.sync(gone)
    return Page(items=items, total=hits.total, page=page, per_page=PAGE_SIZE,
                facets=_ordered(hits.facets), sort=_sort_name(parsed, sort), mode=hits.mode,
                suggestion=hits.suggestion, ignored=parsed.ignored,
                highlights={ds.id: _highlights(ds, hits.terms) for ds in items}
                if hits.terms else {})


def _sort_name(parsed, sort):
    if sort in SORTS and not (sort == "relevance" and not parsed.words):
        return sort
    return "relevance" if parsed.words else "newest"


def _load(ids):
    """The datasets of these ids, in this order, and the ids that are not public (any more)."""
    if not ids:
        return [], []
    found = {d.id: d for d in Dataset.query.filter(Dataset.id.in_(ids))}
    items = [found[i] for i in ids if search_index.indexable(found.get(i))]
    gone = [i for i in ids if not search_index.indexable(found.get(i))]
    return items, gone


def _ordered(facets):
    """Facet values for the page: most datasets first; years newest first; access in order."""
    out = {}
    for name in FACETS:
        counts = facets.get(name, {})
        if name == "year":
            out[name] = sorted(((int(k), v) for k, v in counts.items()), reverse=True)
        elif name == "access":
            out[name] = [(a, counts[a]) for a in Access.ALL if counts.get(a)]
        else:
            out[name] = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return out


_analyzer = stem_analyzer()
_formatter = HtmlFormatter(tagname="mark", classname="hl", termclass="t", between=" … ")


def _highlight(text, terms, fragmenter, fallback):
    if not text:
        return Markup("")
    marked = highlight(text, terms, _analyzer, fragmenter, _formatter, top=2)
    return Markup(marked) if marked else escape(fallback(text))


def _truncate(text, n=220):
    return text if len(text) <= n else text[:n].rsplit(" ", 1)[0] + " …"


def _highlights(ds, terms):
    return {"title": _highlight(ds.title, terms, WholeFragmenter(), lambda t: t),
            "description": _highlight(ds.description or "", terms,
                                      ContextFragmenter(maxchars=220, surround=70), _truncate)}


# ---------------------------------------------------------------- the database's answer

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
    if filters.get("region") and skip != "region":
        query = query.where(Dataset.kode_wilayah == filters["region"])
    return query


def _public_base():
    return select(Dataset).where(Dataset.status == Status.PUBLISHED,
                                 Dataset.access.in_(Access.PUBLIC_LISTED))


def sql_facets(filters, base=None):
    """Facet counts as the database has them, each facet ignoring its own filter. The index's
    counts must equal these (tests hold them to it); the fallback uses them directly."""
    base = base if base is not None else _public_base()

    def ids(skip):
        return _apply_filters(base, filters, skip=skip).with_only_columns(Dataset.id)

    def count_by(column, skip, join=None):
        q = select(column, func.count(func.distinct(Dataset.id))).select_from(Dataset)
        if join is not None:
            q = q.join(join)
        q = q.where(Dataset.id.in_(ids(skip))).group_by(column)
        return {k: n for k, n in db.session.execute(q) if k}

    facets = {
        "organisation": count_by(Organisation.name, "organisation", Dataset.organisation),
        "topic": count_by(Topic.name, "topic", Dataset.topic),
        "access": count_by(Dataset.access, "access"),
        "format": count_by(Resource.format, "format", Dataset.resources),
        "region": count_by(Dataset.kode_wilayah, "region"),
    }
    years = {}
    for start, end in db.session.execute(
            select(Dataset.period_start, Dataset.period_end).where(Dataset.id.in_(ids("year")))):
        if start:
            for y in range(start, (end or start) + 1):
                years[str(y)] = years.get(str(y), 0) + 1
    facets["year"] = years
    return facets


SQL_SORTS = {"newest": Dataset.published_at.desc(), "title": Dataset.title.asc()}


def _sql_catalogue(filters, page, sort):
    base = _public_base()
    query = _apply_filters(base, filters).order_by(SQL_SORTS.get(sort, SQL_SORTS["newest"]),
                                                   Dataset.id)
    total = db.session.scalar(query.with_only_columns(func.count(Dataset.id)).order_by(None))
    items = db.session.scalars(query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return Page(items=items, total=total, page=page, per_page=PAGE_SIZE,
                facets=_ordered(sql_facets(filters, base)),
                sort=sort if sort in SQL_SORTS else "newest")


# ---------------------------------------------------------------- staff lists

def my_datasets(actor):
    """The datasets of the actor's organisations, newest work first."""
    if not actor.org_ids():
        return []
    return db.session.scalars(select(Dataset).where(Dataset.organisation_id.in_(actor.org_ids()))
                              .order_by(Dataset.updated_at.desc())).all()


# ---------------------------------------------------------------- the search log

_EMAIL = re.compile(r"\S+@\S+")
_DIGITS = re.compile(r"\d{7,}")  # NIK, KK, phone numbers: never a dataset's name


def normalise_query(text):
    """What the log keeps of a query: lowercase, single spaces, no e-mail address or long
    number (people paste a NIK or a phone number into any search box)."""
    text = " ".join((text or "").lower().split())
    text = _EMAIL.sub("[email]", text)
    text = _DIGITS.sub("[angka]", text)
    return text[:200]


def record_query(text, hits):
    """Log one search: its normalised text, how many datasets it found, when. Nothing else."""
    text = normalise_query(text)
    if not text:
        return
    db.session.add(SearchQuery(text=text, hits=int(hits)))
    db.session.commit()


@dataclass
class QueryStats:
    days: int
    searches: int
    distinct: int
    zero_share: float
    top: list        # [(text, times, average hits, last searched)]
    not_found: list  # [(text, times, last searched)]


def query_stats(actor, days=90, limit=25):
    """What people search for, and what they search for and don't find (staff).

    :raises NotAuthorized
    """
    check(auth.search_stats_read(actor))
    since = utcnow() - timedelta(days=days)
    recent = SearchQuery.at >= since
    times = func.count(SearchQuery.id)
    searches = db.session.scalar(select(func.count(SearchQuery.id)).where(recent)) or 0
    distinct = db.session.scalar(select(func.count(func.distinct(SearchQuery.text)))
                                 .where(recent)) or 0
    zero = db.session.scalar(select(func.count(SearchQuery.id))
                             .where(recent, SearchQuery.hits == 0)) or 0
    top = db.session.execute(
        select(SearchQuery.text, times, func.avg(SearchQuery.hits), func.max(SearchQuery.at))
        .where(recent).group_by(SearchQuery.text).order_by(times.desc(), SearchQuery.text)
        .limit(limit)).all()
    not_found = db.session.execute(
        select(SearchQuery.text, times, func.max(SearchQuery.at))
        .where(recent, SearchQuery.hits == 0).group_by(SearchQuery.text)
        .order_by(times.desc(), SearchQuery.text).limit(limit)).all()
    return QueryStats(days=days, searches=searches, distinct=distinct,
                      zero_share=(zero / searches) if searches else 0.0,
                      top=[(t, n, round(float(h or 0), 1), at) for t, n, h, at in top],
                      not_found=[(t, n, at) for t, n, at in not_found])
