"""Asking the index: the restricted query language, the searcher each process keeps, facets,
sorting and "did you mean".

Users never write Whoosh syntax: their text is cut into words by the same analyzer as the index
(quotes, colons, brackets, `*` and `?` are just separators), stop words are dropped, and the query
is built here from Term, Or and And only. Each word matches if its stem is in a full-text field
(title counts most), or the word itself is one of the tags or region names; the last word also
matches as the beginning of a longer word, since people search as they type. All words are
required; when that finds nothing, any word will do (the page says so).

Each process keeps one searcher per index directory and refreshes it when a writer committed
(`searcher.refresh()` re-reads only what changed) or the pointer moved to a new generation.
A lock serialises use of Whoosh objects, which are not thread-safe; the numpy fast path
(search_fast) answers within a few milliseconds, so the lock is held briefly.
"""
import logging
import threading
from dataclasses import dataclass, field

from whoosh import sorting
from whoosh.query import And, Every, Or, Term

from app.catalog import search_index
from app.catalog.search_analysis import STOPWORDS, fold, stem, words
from app.catalog.search_index import MULTI_FACETS, SINGLE_FACETS

try:
    from app.catalog import search_fast
except ImportError:  # numpy missing: plain Whoosh answers (slower on large catalogues)
    search_fast = None

log = logging.getLogger(__name__)

MAX_QUERY_CHARS = 200
MAX_WORDS = 8
PREFIX_MIN = 3
PREFIX_TERMS = 30
# Query-time boosts: a word in the title beats the same word in the description.
STEM_FIELDS = (("title", 3.0), ("tags", 2.0), ("region", 1.5), ("organisation", 1.0),
               ("topic", 1.0), ("description", 1.0), ("columns", 0.7))
EXACT_FIELDS = (("tag", 2.0), ("place", 1.5), ("org", 1.0), ("access", 1.0),
                ("region_code", 1.0), ("year", 1.0))
PREFIX_BOOST = 0.5
SORTS = ("relevance", "newest", "title", "downloads")


@dataclass
class Parsed:
    text: str                     # what the user typed, trimmed
    words: list                   # searchable words, folded, in order, no duplicates
    ignored: list = field(default_factory=list)  # stop words left out


def parse(text):
    """The user's text as words. Never fails: anything that is not a word is a separator."""
    text = " ".join((text or "").split())[:MAX_QUERY_CHARS]
    found = list(dict.fromkeys(words(text)))[:MAX_WORDS]
    ignored = [w for w in dict.fromkeys(fold(w) for w in text.split()) if w in STOPWORDS]
    return Parsed(text=text, words=found, ignored=ignored)


@dataclass
class Hits:
    docnums: list
    ids: list
    total: int
    facets: dict
    mode: str = "all"
    suggestion: str = None
    terms: frozenset = frozenset()   # what to highlight: stems and expanded words
    engine: str = "whoosh"


# ---------------------------------------------------------------- building the query

def _expansions(reader, prefix):
    """Vocabulary words starting with `prefix`, most frequent first."""
    found = []
    for i, raw in enumerate(reader.expand_prefix("words", prefix)):
        if i >= 2000:
            break
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        found.append((-reader.doc_frequency("words", text), text))
    return [t for _, t in sorted(found)[:PREFIX_TERMS]]


def word_query(word, expansions=()):
    terms = [Term(f, stem(word), boost=b) for f, b in STEM_FIELDS]
    terms += [Term(f, word, boost=b) for f, b in EXACT_FIELDS]
    terms.append(Term("format", word.upper()))
    terms += [Term("words", e, boost=PREFIX_BOOST) for e in expansions if e != word]
    return Or(terms)


def build_query(reader, parsed, mode="all"):
    """The Whoosh query of parsed words (None: no words, every document matches)."""
    if not parsed.words:
        return None, frozenset()
    clauses, highlight = [], set()
    for i, word in enumerate(parsed.words):
        last = i == len(parsed.words) - 1
        expansions = _expansions(reader, word) if last and len(word) >= PREFIX_MIN else []
        clauses.append(word_query(word, expansions))
        highlight |= {word, stem(word)} | set(expansions) | {stem(e) for e in expansions}
    if len(clauses) == 1:
        query = clauses[0]
    else:
        query = (And if mode == "all" else Or)(clauses)
        # A tag of several words ("air bersih") typed whole is a strong signal.
        query = Or([query, Term("tag", " ".join(parsed.words), boost=2.0)])
    return query, frozenset(highlight)


def suggest(reader, parsed, corrector=None):
    """'Did you mean': unknown words replaced by the nearest word of the index's vocabulary."""
    if not parsed.words:
        return None
    corrector = corrector or reader.corrector("words")
    changed, out = False, []
    for i, word in enumerate(parsed.words):
        known = reader.doc_frequency("words", word) > 0 or (
            i == len(parsed.words) - 1 and len(word) >= PREFIX_MIN
            and next(iter(reader.expand_prefix("words", word)), None) is not None)
        if known or word.isdigit() or len(word) < 4:
            out.append(word)
            continue
        found = corrector.suggest(word, limit=1, maxdist=2, prefix=1)
        if found:
            changed = True
            out.append(found[0])
        else:
            out.append(word)
    return " ".join(out) if changed else None


# ---------------------------------------------------------------- plain Whoosh

def _filter_query(filters, skip=None):
    terms = [Term(search_index.FACET_FIELDS[k], v) for k, v in filters.items() if k != skip]
    return And(terms) if terms else None


def _sortedby(sort):
    if sort == "title":
        return sorting.FieldFacet("title_sort")
    if sort == "downloads":
        return [sorting.FieldFacet("downloads", reverse=True),
                sorting.FieldFacet("published", reverse=True)]
    if sort == "newest":
        return sorting.FieldFacet("published", reverse=True)
    return None


def whoosh_run(searcher, query, filters, sort, offset, limit, facets=True):
    """The reference implementation: Whoosh's collectors and `groupedby` facets."""
    q = query if query is not None else Every()
    flt = _filter_query(filters)
    kwargs = {"filter": flt} if flt is not None else {}
    # limit=None: whoosh-reloaded 2.7.5's top-N collector drops some of the best documents
    # of And/Or queries (seen on the benchmark corpus); scoring every hit is exact.
    results = searcher.search(q, limit=None, sortedby=_sortedby(sort), **kwargs)
    docnums = [hit.docnum for hit in results[offset:offset + limit]]
    counts = {}
    if facets:
        for name in (*SINGLE_FACETS, *MULTI_FACETS):
            facet = sorting.FieldFacet(search_index.FACET_FIELDS[name],
                                       allow_overlap=name in MULTI_FACETS)
            fq = _filter_query(filters, skip=name)
            grouped = searcher.search(q, limit=1, groupedby={name: facet},
                                      maptype=sorting.Count,
                                      **({"filter": fq} if fq is not None else {}))
            counts[name] = {k: v for k, v in grouped.groups(name).items() if k}
    return docnums, len(results), counts


# ---------------------------------------------------------------- the searcher of a process

class Engine:
    """One per index directory and process: a searcher reused across requests."""

    def __init__(self, st, fast=True):
        self.store = st
        self.fast = fast and search_fast is not None
        self.lock = threading.RLock()
        self._stamp = None
        self._ix = None
        self._searcher = None
        self._view = None
        self._segments = {}
        self._corrector = None

    def close(self):
        with self.lock:
            if self._searcher is not None:
                self._searcher.close()
            self._searcher = self._view = self._ix = None

    def _current(self):
        """The searcher of the current generation, refreshed if a writer committed since."""
        stamp = self.store.pointer_stamp()
        if self._searcher is None or stamp != self._stamp:
            name = self.store.ensure()
            stamp = self.store.pointer_stamp()
            old = self._searcher
            self._ix = self.store.open(name)
            self._searcher = self._ix.searcher()
            self._stamp, self._view, self._corrector = stamp, None, None
            self._segments = {}
            if old is not None:
                old.close()
        elif not self._searcher.up_to_date():
            # Not searcher.refresh(): it reuses segment readers by segment id, and a commit
            # that only deleted documents keeps the id, so the refreshed searcher still sees
            # the deleted documents (whoosh-reloaded 2.7.5). Opening is cheap; the expensive
            # per-segment arrays survive in self._segments.
            old = self._searcher
            self._searcher, self._view, self._corrector = self._ix.searcher(), None, None
            old.close()
        if self.fast and self._view is None:
            try:
                self._view = search_fast.FastView(self._searcher, self._segments)
            except search_fast.Unsupported:
                self._view = None
        return self._searcher

    def search(self, parsed, filters=None, sort="relevance", page=1, per_page=20, mode="all",
               facets=True, fast=None, fallback=True):
        """Hits of one page. With `fallback`, an all-words query that finds nothing is run
        again with any word."""
        filters = dict(filters or {})
        sort = sort if sort in SORTS else "relevance"
        if not parsed.words and sort == "relevance":
            sort = "newest"
        offset = (max(1, page) - 1) * per_page
        with self.lock:
            searcher = self._current()
            reader = searcher.reader()
            use_fast = self._view is not None and (fast if fast is not None else True)
            query, terms = build_query(reader, parsed, mode)
            docnums, total, counts, engine = self._run(searcher, query, filters, sort, offset,
                                                       per_page, facets, use_fast)
            if total == 0 and fallback and mode == "all" and len(parsed.words) > 1:
                query, terms = build_query(reader, parsed, "any")
                docnums, total, counts, engine = self._run(searcher, query, filters, sort,
                                                           offset, per_page, facets, use_fast)
                mode = "any"
            suggestion = None
            if parsed.words and total < 3:
                if self._corrector is None:
                    self._corrector = reader.corrector("words")
                suggestion = suggest(reader, parsed, self._corrector)
            ids = self._ids(searcher, docnums)
        return Hits(docnums=docnums, ids=ids, total=int(total), facets=counts, mode=mode,
                    suggestion=suggestion, terms=terms, engine=engine)

    def _run(self, searcher, query, filters, sort, offset, limit, facets, use_fast):
        if use_fast:
            try:
                docnums, total, counts = self._view.run(query, filters, sort, offset, limit,
                                                        facets)
                return docnums, total, counts, "fast"
            except search_fast.Unsupported:
                pass
        docnums, total, counts = whoosh_run(searcher, query, filters, sort, offset, limit,
                                            facets)
        return docnums, total, counts, "whoosh"

    def _ids(self, searcher, docnums):
        if self._view is not None:
            return [self._view.ids[d] for d in docnums]
        return [searcher.stored_fields(d)["id"] for d in docnums]

    def doc_count(self):
        with self.lock:
            return self._current().doc_count()


def engine(app=None):
    """The Engine of this app's index directory (made on first use)."""
    from flask import current_app

    app = app or current_app
    st = search_index.store(app)
    found = app.extensions.get("search_engine")
    if found is None or found.store is not st:
        found = app.extensions["search_engine"] = Engine(
            st, fast=app.config.get("SEARCH_FAST", True))
    return found
