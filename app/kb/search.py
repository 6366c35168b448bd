"""Search of the knowledge base without an index: a few hundred articles rank in milliseconds.

On save each article gets `search_text`: the stems of its title, tags and body in order (so a
word's count is its weight), then the written forms that stemming changed (so a half-typed
"keber" still finds "keberatan"). The words pass through the catalogue's analyzer
(app/catalog/search_analysis.py: same tokenizer, folding, PySastrawi stems and corrections), with
the stop words a help desk cannot do without put back: Sastrawi drops "meminta", "mohon",
"jawaban" and "pertanyaan", which are what people ask about here.

A query is stemmed the same way. Articles are ranked by how many query words they contain,
then by where (a title hit counts more than a tag, a tag more than the body) and how often.
Rarer words weigh more ("data" is in most answers of a data portal). The last word of a query
also matches as a prefix, for as-you-type suggestions.
"""
import math
import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from app.catalog.search_analysis import MAX_WORD, MIN_WORD, STOPWORDS, TOKEN_PATTERN, fold, stem

# Stop words for a catalogue, content words for a help desk about requests and answers.
_KEEP_TEXT = """
    meminta minta diminta dimintai memintakan mohon jawab jawaban dijawab menjawab jawabnya
    pertanyaan bertanya tanya tanyakan ditanyakan menanyakan masalah persoalan
"""
KEEP = frozenset(_KEEP_TEXT.split())
STOP = STOPWORDS - KEEP
TOKEN = re.compile(TOKEN_PATTERN)
MAX_QUERY = 200
MIN_PREFIX = 3
TITLE_WEIGHT, TAG_WEIGHT = 3.0, 2.0
SNIPPET_CHARS = 200


def words(text):
    """The searchable words of a text, folded, stop words removed, in order."""
    found = []
    for match in TOKEN.finditer(text or ""):
        word = fold(match.group())
        if MIN_WORD <= len(word) <= MAX_WORD and word not in STOP:
            found.append(word)
    return found


def stems(text):
    return [stem(w) for w in words(text)]


def search_text(title, tags, body):
    """What an article is searched by (the value of Article.search_text)."""
    written = words(" ".join([title, *tags, body]))
    stemmed = [stem(w) for w in written]
    changed = dict.fromkeys(w for w, s in zip(written, stemmed, strict=True) if w != s)
    return " ".join(stemmed + list(changed))


@dataclass(frozen=True)
class Term:
    stem: str
    prefix: str | None = None  # the word as typed, when it may be unfinished

    def matches(self, token):
        return token == self.stem or (self.prefix is not None and token.startswith(self.prefix))


@dataclass(frozen=True)
class Query:
    text: str
    terms: tuple

    def __bool__(self):
        return bool(self.terms)

    def like_patterns(self):
        """SQL LIKE patterns on " " + search_text + " " that find every candidate."""
        patterns = []
        for t in self.terms:
            patterns.append(f"% {t.stem} %")
            if t.prefix:
                patterns.append(f"% {t.prefix}%")
        return patterns

    def matches_word(self, word):
        """Whether a word as written in an article answers this query (for highlighting)."""
        folded = fold(word)
        if folded in STOP:
            return False
        stemmed = stem(folded)
        return any(t.matches(stemmed) or t.matches(folded) for t in self.terms)


def parse(text):
    """The query's terms; the last word may also be the start of a longer word."""
    text = " ".join((text or "").split())[:MAX_QUERY]
    written = words(text)
    terms = {}
    for i, word in enumerate(written):
        last = i == len(written) - 1
        prefix = word if last and len(word) >= MIN_PREFIX and word.isalpha() else None
        key = stem(word)
        if key not in terms or prefix:
            terms[key] = Term(key, prefix)
    return Query(text, tuple(terms.values()))


@dataclass
class Hit:
    article: object
    matched: int   # how many query words the article contains
    score: float
    snippet: str   # plain text; the page highlights it, the JSON endpoint sends it as is


def _count(term, tokens):
    exact = sum(1 for t in tokens if t == term.stem)
    if exact:
        return exact, 1.0
    loose = sum(1 for t in tokens if term.matches(t))
    return loose, 0.5  # a prefix alone is a weaker sign than the word itself


def _forms(text):
    """Each searchable word of a short text as (written, stem)."""
    return [(w, stem(w)) for w in words(text)]


def _in(term, forms):
    return any(term.matches(w) or term.matches(s) for w, s in forms)


def _idf(total, df):
    """Rarer words say more: "data" is in most answers of a data portal, "keberatan" in few."""
    return math.log(1.0 + (total - df + 0.5) / (df + 0.5))


def _tag_bonus(term, tags):
    """A tag is a phrase: hitting one word of "data pribadi" is half a hit on that tag."""
    return max((TAG_WEIGHT / len(forms) for forms in tags if _in(term, forms)), default=0.0)


def rank(query, articles, limit, total=None):
    """The best `limit` articles as Hits, best first.

    Per query word found: 1 + log(count), plus TITLE_WEIGHT when it is in the title and up to
    TAG_WEIGHT when in a tag, times the word's rarity; then a bonus for the share of the
    title the query covers, so "Cara meminta data" beats a long title that mentions both.
    `total` is how many articles were searched; `articles` need only be those containing at
    least one query word.
    """
    articles = list(articles)
    total = max(total or 0, len(articles))
    counts = {a.id: [_count(t, (a.search_text or "").split()) for t in query.terms]
              for a in articles}
    df = [sum(1 for a in articles if counts[a.id][i][0]) for i in range(len(query.terms))]
    hits = []
    for article in articles:
        title = _forms(article.title)
        tags = [f for f in (_forms(tag) for tag in article.tags or []) if f]
        matched, score = 0, 0.0
        for i, term in enumerate(query.terms):
            count, weight = counts[article.id][i]
            if not count:
                continue
            matched += 1
            points = 1.0 + math.log(count)
            if _in(term, title):
                points += TITLE_WEIGHT
            points += _tag_bonus(term, tags)
            score += points * weight * _idf(total, df[i])
        if not matched:
            continue
        if title:
            covered = sum(1 for w, s in title if any(t.matches(w) or t.matches(s)
                                                     for t in query.terms))
            score += TITLE_WEIGHT * covered / len(title)
        hits.append(Hit(article, matched, score, snippet(article.body, query)))
    hits.sort(key=lambda h: (-h.matched, -h.score, -(h.article.views or 0), h.article.title))
    return hits[:limit]


def plain(body):
    """The body as one line of text: list marks dropped, whitespace collapsed."""
    lines = [re.sub(r"^\s*(?:[-*]|\d+[.)])\s+", "", line) for line in (body or "").splitlines()]
    return " ".join(" ".join(lines).split())


def snippet(body, query, size=SNIPPET_CHARS):
    """About `size` characters of the body around its first matching word."""
    text = plain(body)
    if len(text) <= size:
        return text
    start = 0
    for match in TOKEN.finditer(text):
        if query.matches_word(match.group()):
            start = max(0, match.start() - size // 4)
            break
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < match.start() else start
    end = start + size
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    return ("… " if start else "") + text[start:end] + (" …" if end < len(text) else "")


def highlight(text, query):
    """Escaped text with the words that answer the query in <mark>."""
    if not query:
        return escape(text)
    out, last = [], 0
    for match in TOKEN.finditer(text or ""):
        if query.matches_word(match.group()):
            out.append(escape(text[last:match.start()]))
            out.append(Markup('<mark class="hl">%s</mark>') % match.group())
            last = match.end()
    out.append(escape((text or "")[last:]))
    return Markup("").join(out)
