"""The fast path of search: Whoosh's own BM25F term scores, combined and counted with numpy.

Whoosh scores every hit of a broad query one posting at a time in Python ("jumlah" or
"kabupaten" match most of a national catalogue), and `groupedby` facets do it again per facet.
Here each term's postings (document numbers, term frequencies) and each field's document lengths
are read once per index segment and kept as arrays; a query then costs a few vectorised
operations: the BM25F formula (same parameters, same global statistics as Whoosh), sums for
And/Or, a partial sort for the top of the page, and `np.bincount` for facet counts.

Segments never change once written (deletions are a separate mask), so their arrays are kept
across refreshes: after a commit only the new, small segment is read.
"""
import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.matching import wrappers
from whoosh.query import And, Every, Or, Term
from whoosh.scoring import BM25F
from whoosh.util.numeric import byte_to_length

from app.catalog.search_index import MULTI_FACETS, SINGLE_FACETS

_LENGTH_TABLE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)
SORT_COLUMNS = ("published", "downloads")


class Unsupported(Exception):
    """A query shape the fast path does not handle: the caller uses plain Whoosh."""


def _column(reader, field, default):
    if not reader.has_column(field):
        return [default] * reader.doc_count_all()
    return list(reader.column_reader(field))


class SegmentData:
    """Arrays of one segment: document ids, facet codes, sort keys, and (lazily) postings and
    field lengths."""

    def __init__(self, reader):
        self.size = reader.doc_count_all()
        self.ids = _column(reader, "id", "")
        self.single = {}
        for field in SINGLE_FACETS.values():
            values = _column(reader, field, "")
            vocab = sorted({v for v in values if v})
            index = {v: i for i, v in enumerate(vocab)}
            self.single[field] = (np.array([index.get(v, -1) for v in values], dtype=np.int32),
                                  vocab)
        self.multi = {}
        for field in MULTI_FACETS.values():
            docs, codes, index = [], [], {}
            for doc, value in enumerate(_column(reader, field, "")):
                for part in (value or "").split():
                    docs.append(doc)
                    codes.append(index.setdefault(part, len(index)))
            vocab = [None] * len(index)
            for v, i in index.items():
                vocab[i] = v
            self.multi[field] = (np.array(docs, dtype=np.int64), np.array(codes, dtype=np.int64),
                                 vocab)
        self.sort = {f: np.array([v or 0 for v in _column(reader, f, 0)], dtype=np.float64)
                     for f in SORT_COLUMNS}
        self.titles = [v or "" for v in _column(reader, "title_sort", "")]
        self._lengths = {}
        self._postings = {}

    def lengths(self, reader, field):
        if field not in self._lengths:
            try:
                column = reader._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
                raw = np.array(list(column), dtype=np.int64) if column is not None else None
                lengths = (_LENGTH_TABLE[raw] if raw is not None
                           else np.zeros(self.size, dtype=np.float64))
            except AttributeError:  # another codec: the public, slower way
                lengths = np.array([reader.doc_field_length(d, field, 0) or 0
                                    for d in range(self.size)], dtype=np.float64)
            self._lengths[field] = lengths
        return self._lengths[field]

    def postings(self, reader, field, text):
        """(local document numbers, term frequencies) of a term, deleted documents included."""
        key = (field, text)
        if key not in self._postings:
            self._postings[key] = _read_postings(reader, field, text)
        return self._postings[key]


def _read_postings(reader, field, text):
    if (field, text) not in reader:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64)
    matcher = reader.postings(field, text)
    while isinstance(matcher, wrappers.FilterMatcher):  # deletions: masked later, per generation
        matcher = matcher.child
    ids, weights = [], []
    if hasattr(matcher, "_read_ids") and hasattr(matcher, "_next_block"):
        # Whoosh 3 codec: whole blocks at a time instead of one posting per Python call.
        while matcher.is_active():
            if matcher._ids is None:
                matcher._read_ids()
            if matcher._weights is None:
                matcher._read_weights()
            ids.extend(matcher._ids[:matcher._blocklength])
            weights.extend(matcher._weights[:matcher._blocklength])
            matcher._next_block()
    else:
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
    return np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64)


class FastView:
    """One searcher generation: its segments' arrays laid end to end at Whoosh's doc offsets."""

    def __init__(self, searcher, cache):
        if not isinstance(searcher.weighting, BM25F):
            raise Unsupported("weighting")
        self.searcher = searcher
        self.weighting = searcher.weighting
        self.schema = searcher.schema
        self.n = searcher.doc_count_all()
        self.leaves = []
        fresh = {}
        for reader, offset in searcher.reader().leaf_readers():
            if reader.segment() is None:  # an empty index
                continue
            segid = reader.segment().segment_id()
            data = cache.get(segid) or SegmentData(reader)
            fresh[segid] = data
            self.leaves.append((reader, offset, data))
        cache.clear()
        cache.update(fresh)  # segments merged away are forgotten
        live = np.ones(self.n, dtype=bool)
        for reader, offset, _data in self.leaves:
            deleted = sorted(reader.deleted_docs_set) if reader.has_deletions() else []
            if deleted:
                live[offset + np.array(deleted, dtype=np.int64)] = False
        self.live = live
        self.ids = [i for _, _, data in self.leaves for i in data.ids]
        self._codes = {}
        self._sort = {}
        self._title_rank = None

    # ------------------------------------------------------------ per-generation arrays

    def single(self, field):
        """(global code per document, values) of a one-value facet field."""
        if field not in self._codes:
            vocab = sorted({v for _, _, d in self.leaves for v in d.single[field][1]})
            index = {v: i for i, v in enumerate(vocab)}
            parts = []
            for _, _, data in self.leaves:
                local, values = data.single[field]
                remap = np.array([index[v] for v in values] + [-1], dtype=np.int32)
                parts.append(remap[local])  # -1 (no value) maps to the appended -1
            codes = np.concatenate(parts) if parts else np.empty(0, dtype=np.int32)
            self._codes[field] = (codes, vocab)
        return self._codes[field]

    def multi(self, field):
        """(document numbers, codes, values) pairs of a several-values facet field."""
        if field not in self._codes:
            vocab = sorted({v for _, _, d in self.leaves for v in d.multi[field][2]})
            index = {v: i for i, v in enumerate(vocab)}
            docs, codes = [], []
            for _, offset, data in self.leaves:
                local_docs, local_codes, values = data.multi[field]
                remap = np.array([index[v] for v in values] or [0], dtype=np.int64)
                docs.append(local_docs + offset)
                codes.append(remap[local_codes] if len(local_codes) else local_codes)
            self._codes[field] = (np.concatenate(docs) if docs else np.empty(0, np.int64),
                                  np.concatenate(codes) if codes else np.empty(0, np.int64),
                                  vocab)
        return self._codes[field]

    def sort_key(self, field):
        if field not in self._sort:
            parts = [d.sort[field] for _, _, d in self.leaves]
            self._sort[field] = np.concatenate(parts) if parts else np.empty(0)
        return self._sort[field]

    def title_rank(self):
        if self._title_rank is None:
            titles = np.array([t for _, _, d in self.leaves for t in d.titles] or [""])
            order = np.argsort(titles, kind="stable")
            rank = np.empty(len(titles), dtype=np.int64)
            rank[order] = np.arange(len(titles))
            self._title_rank = rank[:self.n]
        return self._title_rank

    # ------------------------------------------------------------ matching and scoring

    def term(self, field, text):
        """(global doc numbers, BM25F scores) of one term, exactly as Whoosh scores them."""
        parts_docs, parts_tf, parts_len = [], [], []
        scorable = self.schema[field].scorable
        for reader, offset, data in self.leaves:
            docs, tf = data.postings(reader, field, text)
            if not len(docs):
                continue
            parts_docs.append(docs + offset)
            parts_tf.append(tf)
            if scorable:
                parts_len.append(data.lengths(reader, field)[docs])
        if not parts_docs:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64)
        docs = np.concatenate(parts_docs)
        tf = np.concatenate(parts_tf)
        if not scorable:  # Whoosh's WeightScorer: the posting's weight
            return docs, tf
        fl = np.concatenate(parts_len)
        idf = self.searcher.idf(field, text)
        avgfl = self.searcher.avg_field_length(field) or 1
        B = self.weighting._field_B.get(field, self.weighting.B)
        K1 = self.weighting.K1
        return docs, idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)))

    def evaluate(self, query):
        """(mask, scores) over all document numbers for an And/Or/Term tree."""
        if isinstance(query, Term):
            docs, scores = self.term(query.fieldname, query.text)
            mask = np.zeros(self.n, dtype=bool)
            total = np.zeros(self.n, dtype=np.float64)
            mask[docs] = True
            total[docs] = scores * query.boost
            return mask, total
        if isinstance(query, Every):
            return np.ones(self.n, dtype=bool), np.zeros(self.n, dtype=np.float64)
        if isinstance(query, (And, Or)) and query.boost == 1.0:
            mask, total = None, np.zeros(self.n, dtype=np.float64)
            for sub in query.subqueries:
                sub_mask, sub_scores = self.evaluate(sub)
                total += sub_scores
                if mask is None:
                    mask = sub_mask
                elif isinstance(query, And):
                    mask &= sub_mask
                else:
                    mask |= sub_mask
            if mask is None:
                mask = np.zeros(self.n, dtype=bool)
            return mask, np.where(mask, total, 0.0)
        raise Unsupported(type(query).__name__)

    def filter_mask(self, name, value):
        if name in SINGLE_FACETS:
            codes, vocab = self.single(SINGLE_FACETS[name])
            if value not in vocab:
                return np.zeros(self.n, dtype=bool)
            return codes == vocab.index(value)
        docs, codes, vocab = self.multi(MULTI_FACETS[name])
        mask = np.zeros(self.n, dtype=bool)
        if value in vocab:
            mask[docs[codes == vocab.index(value)]] = True
        return mask

    def facet_counts(self, name, mask):
        if name in SINGLE_FACETS:
            codes, vocab = self.single(SINGLE_FACETS[name])
            picked = codes[mask]
            counts = np.bincount(picked[picked >= 0], minlength=len(vocab))
        else:
            docs, codes, vocab = self.multi(MULTI_FACETS[name])
            counts = np.bincount(codes[mask[docs]], minlength=len(vocab))
        return {vocab[i]: int(c) for i, c in enumerate(counts) if c}

    def run(self, query, filters, sort, offset, limit, facets=True):
        """(page doc numbers, total, {facet: {value: count}}) for a query tree and filters."""
        if query is None:
            mask, scores = np.ones(self.n, dtype=bool), np.zeros(self.n, dtype=np.float64)
        else:
            mask, scores = self.evaluate(query)
        mask &= self.live
        filter_masks = {name: self.filter_mask(name, value) for name, value in filters.items()}
        matched = mask.copy()
        for fm in filter_masks.values():
            matched &= fm
        counts = {}
        if facets:
            for name in (*SINGLE_FACETS, *MULTI_FACETS):
                facet_mask = mask.copy()
                for other, fm in filter_masks.items():
                    if other != name:
                        facet_mask &= fm
                counts[name] = self.facet_counts(name, facet_mask)
        docs = np.flatnonzero(matched)
        return self._top(docs, scores, sort, offset, limit), len(docs), counts

    def _top(self, docs, scores, sort, offset, limit):
        end = offset + limit
        if not len(docs) or offset >= len(docs):
            return []
        if sort == "relevance":
            key = scores[docs]
            if end < len(docs):
                # Everything scoring at least the end-th best, then the exact order on that.
                threshold = np.partition(key, len(key) - end)[len(key) - end]
                keep = key >= threshold
                docs, key = docs[keep], key[keep]
            order = np.lexsort((docs, -key))
        elif sort == "title":
            order = np.lexsort((docs, self.title_rank()[docs]))
        elif sort == "downloads":
            order = np.lexsort((docs, -self.sort_key("published")[docs],
                                -self.sort_key("downloads")[docs]))
        else:  # newest
            order = np.lexsort((docs, -self.sort_key("published")[docs]))
        return [int(d) for d in docs[order][offset:end]]
