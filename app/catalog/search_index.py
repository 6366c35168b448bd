"""The Whoosh index of the public catalogue: what a document holds, where the index lives, how it
follows the database.

Layout of SEARCH_INDEX_DIR (default instance/search)::

    CURRENT              name of the generation searchers use, replaced atomically (os.replace)
    gen-<time>-<rand>/   one complete Whoosh index per generation
    write.lock           held (flock) by whoever writes: an outbox handler, a repair, a swap

The index holds exactly the datasets the public catalogue lists (published, open or restricted).
It follows the catalogue through the outbox: `dataset.published`, `dataset.withdrawn` and
`dataset.updated` all run one handler, `sync`, which reads the dataset as the database has it
now and indexes or removes it. A message may arrive late, twice or out of order; the result is
the same. `reindex` builds a new generation from the database while searchers keep answering
from the old one, then, holding the write lock, applies what changed during the build and swaps
the pointer. `drift` compares database and index (missing, stale by updated_at, extra).
"""
import calendar
import logging
import os
import shutil
import threading
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import noload
from whoosh import index as whoosh_index
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from app.catalog.models import Access, Dataset, DownloadCount, Region, Resource, Status
from app.catalog.search_analysis import fold, plain_analyzer, stem_analyzer
from app.core import outbox
from app.core.timeutil import utcnow
from app.extensions import db

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: one process writes (the thread lock holds)
    fcntl = None

log = logging.getLogger(__name__)

POINTER = "CURRENT"
SEARCH_TOPICS = ("dataset.published", "dataset.withdrawn", "dataset.updated")
WRITE_TIMEOUT = 30.0
# Facet fields: one value per dataset, and several (years covered, resource formats).
SINGLE_FACETS = {"organisation": "org", "topic": "topic_name", "access": "access",
                 "region": "region_f"}
MULTI_FACETS = {"year": "year", "format": "format"}
FACET_FIELDS = {**SINGLE_FACETS, **MULTI_FACETS}


def make_schema():
    stem, plain = stem_analyzer(), plain_analyzer()

    def text(analyzer):
        return TEXT(analyzer=analyzer, phrase=False)

    return Schema(
        id=ID(stored=True, unique=True, sortable=True),
        updated=STORED(),
        title=text(stem),
        description=text(stem),
        tags=text(stem),
        tag=KEYWORD(commas=True, lowercase=True),        # whole tags, exactly
        organisation=text(stem),
        topic=text(stem),
        region=text(stem),
        place=text(plain),                                # region names as written
        region_code=KEYWORD(),                            # the code and its parents: 32 32.73
        columns=text(stem),
        words=text(plain),                                # vocabulary: prefixes, "did you mean"
        org=ID(sortable=True),
        topic_name=ID(sortable=True),
        access=ID(sortable=True),
        region_f=ID(sortable=True),
        year=KEYWORD(sortable=True),
        format=KEYWORD(sortable=True),
        published=NUMERIC(bits=64, sortable=True),
        title_sort=ID(sortable=True),
        downloads=NUMERIC(bits=64, sortable=True),
    )


# ---------------------------------------------------------------- documents

def public_filter():
    return (Dataset.status == Status.PUBLISHED, Dataset.access.in_(Access.PUBLIC_LISTED))


def indexable(dataset):
    return (dataset is not None and dataset.status == Status.PUBLISHED
            and dataset.access in Access.PUBLIC_LISTED)


def column_names(dataset):
    """Column names of the tables as the public sees them (removed personal-data columns too)."""
    names = []
    for resource in dataset.resources:
        schema = resource.public_schema or resource.table_schema or {}
        names += [f.get("name", "") for f in schema.get("fields", []) if f.get("name")]
    return names


def region_codes(code):
    """32.73.01 -> ["32", "32.73", "32.73.01"]: a search for the city finds its districts."""
    if not code:
        return []
    parts = code.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


def stamp(value):
    return value.isoformat() if value else ""


def document(ds, downloads=0, region_names=None):
    """The index document of one dataset (`region_names`: {code: name}, saves a query)."""
    tags = [t.name for t in ds.tags]
    org = ds.organisation
    topic = ds.topic
    if region_names is not None:
        region = region_names.get(ds.kode_wilayah, "")
    else:
        region = ds.region.name if ds.region else ""
    place = " ".join(p for p in (region, ds.spatial_coverage) if p)
    columns = " ".join(column_names(ds))
    published = ds.published_at or ds.updated_at
    doc = {
        "id": ds.id,
        "updated": stamp(ds.updated_at),
        "title": ds.title,
        "description": ds.description or "",
        "tags": " ".join(tags),
        "organisation": f"{org.title} {org.name}",
        "region": place,
        "place": place,
        "columns": columns,
        # Not the description: it would double the postings (and the build time) for words
        # that are rarely the ones people type.
        "words": " ".join((ds.title, " ".join(tags), org.title, topic.title if topic else "",
                           place, columns)),
        "org": org.name,
        "access": ds.access,
        # Microseconds: datasets approved within the same second keep their order.
        "published": (calendar.timegm(published.timetuple()) * 1_000_000
                      + published.microsecond) if published else 0,
        "title_sort": fold(ds.title)[:120],
        "downloads": int(downloads or 0),
    }
    optional = {
        "tag": ",".join(tags),
        "topic": topic.title if topic else "",
        "topic_name": topic.name if topic else "",
        "region_code": " ".join(region_codes(ds.kode_wilayah)),
        "region_f": ds.kode_wilayah or "",
        "year": " ".join(str(y) for y in ds.years()),
        "format": " ".join(ds.formats()),
    }
    doc.update({k: v for k, v in optional.items() if v})
    return doc


def download_totals(dataset_ids=None):
    """Downloads per dataset, all days and resources: {dataset_id: total}."""
    query = (select(Resource.dataset_id, func.sum(DownloadCount.count))
             .join(DownloadCount, DownloadCount.resource_id == Resource.id)
             .group_by(Resource.dataset_id))
    if dataset_ids is not None:
        query = query.where(Resource.dataset_id.in_(list(dataset_ids)))
    return {k: int(v or 0) for k, v in db.session.execute(query)}


# ---------------------------------------------------------------- where the index lives

class IndexStore:
    """The generations of one index directory, the pointer to the current one, the write lock."""

    def __init__(self, root):
        self.root = Path(root)
        self._thread_lock = threading.RLock()

    def path(self, name):
        return self.root / name

    def current(self):
        try:
            name = (self.root / POINTER).read_text().strip()
        except FileNotFoundError:
            return None
        return name if name and (self.root / name).is_dir() else None

    def pointer_stamp(self):
        """Changes whenever the pointer is replaced: searchers compare it on each use."""
        try:
            st = os.stat(self.root / POINTER)
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_mtime_ns)

    def new_generation(self):
        """An empty index in a fresh directory (not current until `swap`)."""
        self.root.mkdir(parents=True, exist_ok=True)
        name = f"gen-{utcnow():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
        path = self.path(name)
        path.mkdir()
        whoosh_index.create_in(str(path), make_schema())
        return name

    def swap(self, name):
        tmp = self.root / f".{POINTER}.{uuid.uuid4().hex}"
        tmp.write_text(name + "\n")
        os.replace(tmp, self.root / POINTER)

    def open(self, name):
        return whoosh_index.open_dir(str(self.path(name)))

    def ensure(self):
        """The current generation's name, creating an empty index the first time."""
        name = self.current()
        if name:
            return name
        with self.write_lock():
            name = self.current()
            if name is None:
                name = self.new_generation()
                self.swap(name)
            return name

    @contextmanager
    def write_lock(self):
        """One writer at a time, across threads and processes (flock on write.lock)."""
        self.root.mkdir(parents=True, exist_ok=True)
        with self._thread_lock, open(self.root / "write.lock", "a+") as fh:
            if fcntl:
                fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                if fcntl:
                    fcntl.flock(fh, fcntl.LOCK_UN)

    @contextmanager
    def writing(self):
        """The current generation's Index, with the write lock held."""
        name = self.ensure()
        with self.write_lock():
            name = self.current() or name
            yield self.open(name)

    def generations(self):
        if not self.root.is_dir():
            return []
        return sorted(p.name for p in self.root.iterdir() if p.is_dir()
                      and p.name.startswith("gen-"))

    def cleanup(self, keep):
        """Remove generations other than `keep`. Searchers still on one of them keep their open
        files (POSIX), and move to the current one on their next use."""
        for name in self.generations():
            if name not in keep:
                shutil.rmtree(self.path(name), ignore_errors=True)


def store(app=None):
    app = app or current_app
    key = "search_store"
    root = str(app.config["SEARCH_INDEX_DIR"])
    existing = app.extensions.get(key)
    if existing is None or str(existing.root) != root:
        existing = app.extensions[key] = IndexStore(root)
    return existing


# ---------------------------------------------------------------- following the database

def _writer(ix):
    return ix.writer(timeout=WRITE_TIMEOUT)


def _apply(ix, dataset_ids):
    """Index or remove each dataset as the database has it now; one commit for all."""
    ids = list(dict.fromkeys(dataset_ids))
    if not ids:
        return {"indexed": 0, "removed": 0}
    datasets = {d.id: d for d in Dataset.query.filter(Dataset.id.in_(ids))}
    totals = download_totals(ids)
    counts = {"indexed": 0, "removed": 0}
    writer = _writer(ix)
    try:
        for dataset_id in ids:
            ds = datasets.get(dataset_id)
            if indexable(ds):
                writer.update_document(**document(ds, totals.get(ds.id, 0)))
                counts["indexed"] += 1
            else:
                writer.delete_by_term("id", dataset_id)
                counts["removed"] += 1
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    return counts


def sync(dataset_ids, app=None):
    """Bring these datasets' documents in line with the database."""
    with store(app).writing() as ix:
        return _apply(ix, dataset_ids)


def _handle(payload, key):
    sync([payload["dataset_id"]])


for _topic in SEARCH_TOPICS:
    outbox.handler(_topic)(_handle)


def catch_up(limit=200):
    """Apply search messages still waiting in the outbox (the web request path calls this, so a
    visitor never waits for the worker). Cheap when nothing waits: one indexed query."""
    return outbox.drain(limit=limit, topics=SEARCH_TOPICS)


@dataclass
class Drift:
    missing: list = field(default_factory=list)
    stale: list = field(default_factory=list)
    extra: list = field(default_factory=list)
    indexed: int = 0
    published: int = 0

    @property
    def ok(self):
        return not (self.missing or self.stale or self.extra)

    def ids(self):
        return self.missing + self.stale + self.extra


def _indexed_stamps(ix):
    with ix.searcher() as searcher:
        return {f["id"]: f.get("updated", "") for f in searcher.all_stored_fields()}


def _db_stamps():
    query = select(Dataset.id, Dataset.updated_at).where(*public_filter())
    return {i: stamp(u) for i, u in db.session.execute(query)}


def _compare(indexed, published):
    return Drift(missing=sorted(set(published) - set(indexed)),
                 extra=sorted(set(indexed) - set(published)),
                 stale=sorted(i for i in set(indexed) & set(published)
                              if indexed[i] != published[i]),
                 indexed=len(indexed), published=len(published))


def drift(app=None):
    """What differs between the database's public catalogue and the current index."""
    st = store(app)
    return _compare(_indexed_stamps(st.open(st.ensure())), _db_stamps())


def repair(app=None):
    """Fix the drift `drift` reports. Returns the drift found before the repair."""
    with store(app).writing() as ix:
        found = _compare(_indexed_stamps(ix), _db_stamps())
        _apply(ix, found.ids())
    return found


def _batches(ids, size):
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


# Memory per writer process. Whoosh spills postings to disk and merges them at commit when
# this is small: 50,000 datasets built in 46.9 s with 256 MB and 33.5 s with 1024 MB (2 procs).
LIMIT_MB = 1024


def build(ix, procs=1, limitmb=LIMIT_MB, batch=1000, progress=None):
    """Write every public dataset into an empty index. Returns the number of documents."""
    ids = list(db.session.scalars(select(Dataset.id).where(*public_filter())
                                  .order_by(Dataset.published_at, Dataset.id)))
    totals = download_totals()
    regions = dict(db.session.execute(
        select(Region.code, Region.name).where(Region.code.in_(
            select(Dataset.kode_wilayah).where(*public_filter()).distinct()))).all())
    load = Dataset.query.options(noload(Dataset.notes), noload(Dataset.license))
    if procs > 1:
        writer = ix.writer(procs=procs, limitmb=limitmb, multisegment=True)
    else:
        writer = ix.writer(limitmb=limitmb)
    try:
        done = 0
        for chunk in _batches(ids, batch):
            for ds in load.filter(Dataset.id.in_(chunk)):
                writer.add_document(**document(ds, totals.get(ds.id, 0), regions))
            done += len(chunk)  # (the session's identity map is weak: batches don't pile up)
            if progress:
                progress(done, len(ids))
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    return len(ids)


def reindex(app=None, procs=1, limitmb=LIMIT_MB, progress=None):
    """Rebuild from the database into a new generation and swap it in; searchers keep answering
    from the old one meanwhile. Returns {"generation", "datasets", "caught_up"}."""
    st = store(app)
    previous = st.current()
    name = st.new_generation()
    try:
        ix = st.open(name)
        count = build(ix, procs=procs, limitmb=limitmb, progress=progress)
        with st.write_lock():
            # What changed while we built (handlers wrote to the old generation) goes in now.
            found = _compare(_indexed_stamps(ix), _db_stamps())
            _apply(ix, found.ids())
            st.swap(name)
    except BaseException:
        st.cleanup(keep={st.current() or "", previous or ""})
        raise
    st.cleanup(keep={name, previous or ""})
    return {"generation": name, "datasets": count, "caught_up": len(found.ids())}


def refresh_downloads(app=None):
    """Re-index the datasets whose download total changed since they were indexed (the 'most
    downloaded' order). Run periodically (scheduler, cron). Returns the number updated."""
    st = store(app)
    with st.writing() as ix:
        with ix.searcher() as searcher:
            indexed = {}
            for reader, _offset in searcher.reader().leaf_readers():
                if not reader.has_column("id"):  # an empty index
                    continue
                ids = reader.column_reader("id")
                counts = reader.column_reader("downloads")
                indexed.update({ids[d]: int(counts[d] or 0) for d in range(len(ids))
                                if not reader.is_deleted(d)})
        totals = download_totals()
        changed = [i for i, n in indexed.items() if totals.get(i, 0) != n]
        _apply(ix, changed)
    return len(changed)
