"""How Indonesian text becomes search terms: one analyzer for the index and for queries.

Text is split into words (digits and dotted region codes such as 32.73 stay whole, underscores
split column names), folded to lowercase without accents, stripped of Indonesian stop words,
and stemmed with PySastrawi so "pertanian", "petani" and "bertani" meet at "tani".

The classes here are pickled into the index schema: renaming or moving them needs a
`flask search reindex`.
"""
import functools
import threading
import unicodedata

from whoosh.analysis import Filter, RegexTokenizer, StopFilter

# Words: letters and digits; a dot or comma between two of them stays inside (32.73.01, 2,5).
TOKEN_PATTERN = r"[^\W_]+(?:[.,][^\W_]+)*"
MIN_WORD, MAX_WORD = 2, 40

# Sastrawi's list says "jumlah", "kasus", "kerja" or "ibu" carry no meaning; in a statistics
# catalogue they do ("jumlah kasus", "tenaga kerja", "kematian ibu"). They stay searchable.
_KEEP_TEXT = """
    jumlah bulan hari kerja kasus tempat kecil besar baru lama masuk keluar orang guna akhir awal
    bagian satu dua tiga empat lima pertama naik luar lain mata pihak keadaan tahu ibu bapak
    diri panjang dekat jauh depan belakang masa umum kali usaha khusus tinggi bekerja
"""
KEEP = frozenset(_KEEP_TEXT.split())


def _sastrawi_stopwords():
    from Sastrawi.StopWordRemover.StopWordRemoverFactory import StopWordRemoverFactory

    return frozenset(StopWordRemoverFactory().get_stop_words())


STOPWORDS = _sastrawi_stopwords() - KEEP

# Where Sastrawi's rules get a catalogue word wrong: the surface form -> the stem we want.
CORRECTIONS = {
    "bertani": "tani",              # Sastrawi: "tan"
    "peternakan": "ternak",         # "terna"
    "pengangguran": "nganggur",     # "anggur" is a grape
    "penganggur": "nganggur",
    "menganggur": "nganggur",
    "anggaran": "anggaran",         # "anggar" is fencing
    "pendapatan": "pendapatan",     # "dapat" is a verb ("can")
    "pemilu": "pemilu",             # "milu"
    "perbankan": "bank",            # "perban" is a bandage
    "pengunjung": "kunjung",        # "unjung"
    "kendaraan": "kendaraan",       # "kendara"
    "bekasi": "bekasi",             # a city, not "bekas" (used)
}

_stemmer = None
_stemmer_lock = threading.Lock()


def _sastrawi():
    global _stemmer
    with _stemmer_lock:
        if _stemmer is None:
            from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

            _stemmer = StemmerFactory().create_stemmer()
        return _stemmer


@functools.lru_cache(maxsize=200_000)
def stem(word):
    """The stem of one folded word. Codes, numbers and short words stay as they are."""
    if word in CORRECTIONS:
        return CORRECTIONS[word]
    if len(word) <= 3 or not word.isalpha():
        return word
    return _sastrawi().stem(word) or word


def fold(text):
    """Lowercase without accents (é -> e), so "Pengadaan" and "pengadaan" are one word."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


class FoldFilter(Filter):
    def __call__(self, tokens):
        for t in tokens:
            t.text = fold(t.text)
            yield t


class IndonesianStemFilter(Filter):
    """PySastrawi behind the word cache and the correction table."""

    def __call__(self, tokens):
        for t in tokens:
            if not t.stopped:
                t.text = stem(t.text)
            yield t


def _base():
    return (RegexTokenizer(TOKEN_PATTERN) | FoldFilter()
            | StopFilter(stoplist=STOPWORDS, minsize=MIN_WORD, maxsize=MAX_WORD))


def stem_analyzer():
    """Index and query analyzer of the full-text fields."""
    return _base() | IndonesianStemFilter()


def plain_analyzer():
    """Words as written (folded, no stop words): exact matches, prefixes and spelling."""
    return _base()


_plain = plain_analyzer()


def words(text):
    """The searchable words of a text, as written (folded), stop words removed, in order."""
    return [t.text for t in _plain(text or "")]


def dropped_words(text):
    """The words of a text that are stop words (so the page can say they were ignored)."""
    tokenizer = RegexTokenizer(TOKEN_PATTERN)
    return [w for w in (fold(t.text) for t in tokenizer(text or "")) if w in STOPWORDS]
