"""Row sources: CSV in any common encoding and delimiter, the first XLSX sheet, JSON lists.

Each source yields rows as lists of strings, streaming, so a large file never sits in memory.
"""
import codecs
import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from app.catalog.ingest_common import HEAD_BYTES, IngestError
from app.catalog.ingest_detect import sniff, utf16_without_bom

DELIMITERS = (",", ";", "\t", "|")
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
         (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
# charset-normalizer cannot tell these Latin code pages apart on short texts; Indonesian
# spreadsheets saved as "CSV" on Windows are cp1252, so that is what we read them as.
_LATIN = frozenset({
    "cp1250", "cp1252", "cp1254", "cp1257", "cp1258", "latin_1", "iso8859_2", "iso8859_3",
    "iso8859_4", "iso8859_9", "iso8859_10", "iso8859_13", "iso8859_14", "iso8859_15",
    "iso8859_16", "mac_roman", "mac_latin2", "mac_iceland", "cp437", "cp850", "cp858",
    "hp_roman8", "cp775",
})
_CHUNK = 64 * 1024
_MAX_JSON_OBJECT = 1024 * 1024


@dataclass
class Source:
    """An opened upload: how it was decoded, and its rows (an iterator of lists of str)."""

    rows: Iterator[list]
    encoding: str | None = None
    delimiter: str | None = None
    ascii_sample: bool = False  # the sample was pure ASCII: a later decode error may mean cp1252


def open_source(path, fmt, encoding=None):
    """Open ``path`` as rows. ``encoding`` overrides detection (used for the cp1252 retry).

    :raises IngestError: 'empty', 'encoding', 'xlsx-broken', 'json-shape', 'json-invalid',
        'content-mismatch'.
    """
    if fmt == "XLSX":
        return Source(rows=xlsx_rows(path))
    with open(path, "rb") as fh:
        head = fh.read(HEAD_BYTES)
    if not head:
        raise IngestError("empty", {})
    detected = sniff(head)
    if detected != "text":  # the caller should have run detect_format; be safe anyway
        raise IngestError("content-mismatch", {"format": fmt, "detected": detected})
    ascii_sample = head.isascii()
    if encoding is None:
        encoding = detect_encoding(head)
    if fmt == "JSON":
        return Source(rows=json_rows(path, encoding), encoding=encoding)
    delimiter = detect_delimiter(_decode_sample(head, encoding))
    return Source(rows=csv_rows(path, encoding, delimiter), encoding=encoding,
                  delimiter=delimiter, ascii_sample=ascii_sample)


# ------------------------------------------------------------------ encoding

def detect_encoding(sample):
    """A Python codec name for the bytes in ``sample`` (the first ~64 KiB of the file).

    BOMs and valid UTF-8 are decided without guessing; otherwise charset-normalizer guesses,
    and Latin guesses become cp1252. Raises IngestError('encoding') for anything else.
    """
    for bom, codec in _BOMS:
        if sample.startswith(bom):
            return codec
    wide = utf16_without_bom(sample)
    if wide and _decodes(sample[: len(sample) // 2 * 2], wide):
        return wide
    if _is_utf8(sample):
        return "utf-8"
    return _guess_legacy(sample)


def _is_utf8(sample):
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _decodes(data, codec):
    try:
        data.decode(codec)
    except UnicodeDecodeError:
        return False
    return True


def _guess_legacy(sample):
    from charset_normalizer import from_bytes

    cut = _whole_lines(sample)
    matches = from_bytes(cut)
    best = matches.best()
    if best is None:
        raise IngestError("encoding", {})
    candidates = {name for match in matches for name in match.could_be_from_charset}
    if (best.encoding in _LATIN or "cp1252" in candidates) and _decodes(cut, "cp1252"):
        return "cp1252"
    if best.encoding in _LATIN or best.encoding.startswith("utf"):
        return best.encoding
    raise IngestError("encoding", {"detected": best.encoding})


def _whole_lines(sample):
    """A full-size sample cut after its last newline, so no character is split in two."""
    newline = sample.rfind(b"\n")
    cut = len(sample) >= HEAD_BYTES and newline > len(sample) // 2
    return sample[: newline + 1] if cut else sample


def _decode_sample(head, encoding):
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(head, final=False)
    cut = text.rfind("\n")
    return text[: cut + 1] if cut > 0 else text


# ------------------------------------------------------------------ CSV

def detect_delimiter(text):
    """The delimiter (',', ';', tab or '|') that splits the sample into the steadiest table."""
    best, best_score = ",", 0.0
    for delimiter in DELIMITERS:
        score = _steadiness(text, delimiter)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _steadiness(text, delimiter):
    """Share of sampled rows as wide as the header; 0 when the header is a single column."""
    rows = []
    try:
        for row in csv.reader(io.StringIO(text), delimiter=delimiter):
            if row:
                rows.append(len(row))
            if len(rows) > 200:
                break
    except csv.Error:
        return 0.0
    if not rows or rows[0] < 2:
        return 0.0
    return sum(1 for width in rows if width == rows[0]) / len(rows)


def csv_rows(path, encoding, delimiter):
    """Rows of a delimited text file. Raises IngestError('malformed') on a broken CSV."""
    with open(path, "rb") as raw:
        text = io.TextIOWrapper(raw, encoding=encoding, errors="strict", newline="")
        # strict: an unterminated quote would otherwise swallow the rest of the file into one
        # cell (frictionless lifts csv.field_size_limit for the whole process)
        reader = csv.reader(text, delimiter=delimiter, strict=True)
        while True:
            started = reader.line_num + 1  # where a runaway quoted cell began
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error:
                raise IngestError("malformed", {"row": started}) from None
            yield row


# ------------------------------------------------------------------ XLSX

def xlsx_rows(path):
    """Rows of the first sheet, values as text (dates ISO). Raises IngestError('xlsx-broken')."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - zip, XML and openpyxl errors all mean a broken file
        raise IngestError("xlsx-broken", {}) from None
    try:
        if not book.worksheets:
            return
        yield from _sheet_rows(book.worksheets[0])
    except IngestError:
        raise
    except Exception:  # noqa: BLE001 - a sheet can be corrupt after a readable header
        raise IngestError("xlsx-broken", {}) from None
    finally:
        book.close()


def _sheet_rows(sheet):
    # Do not trust the sheet's <dimension>: openpyxl would pre-scan the XML when it is absent
    # and stop early when it is wrong. Rows are trimmed and padded here instead.
    sheet.reset_dimensions()
    width = None
    for values in sheet.iter_rows(values_only=True):
        cells = [xlsx_cell(value) for value in values]
        while cells and cells[-1] == "":
            cells.pop()  # Excel keeps formatted-but-empty cells; they are not data
        if cells and width is None:
            width = len(cells)
        if cells and len(cells) < width:
            cells.extend([""] * (width - len(cells)))
        yield cells


def xlsx_cell(value):
    """One spreadsheet value as the text a CSV of it would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def _float_text(value):
    # Excel stores every number as a double: 3.0 is the integer 3, and no exponents please
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    text = repr(value)
    if "e" in text or "E" in text:
        text = format(Decimal(text), "f")
    return text


# ------------------------------------------------------------------ JSON

def json_rows(path, encoding):
    """A JSON list of flat objects as rows (keys in order of first appearance as header).

    Two streaming passes: one to learn the keys, one to emit rows.
    :raises IngestError: 'empty', 'json-shape', 'json-invalid'.
    """
    keys = {}
    for obj in _json_objects(path, encoding):
        for key in obj:
            keys.setdefault(key, None)
    if not keys:
        raise IngestError("empty", {})
    header = list(keys)
    yield header
    for obj in _json_objects(path, encoding):
        yield [_json_cell(obj.get(key)) for key in header]


def _json_cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _json_objects(path, encoding):
    with open(path, "rb") as raw:
        text = io.TextIOWrapper(raw, encoding=encoding, errors="strict")
        yield from _JsonArrayReader(text)


class _JsonArrayReader:
    """Walks a top-level JSON array one object at a time with JSONDecoder.raw_decode."""

    def __init__(self, stream):
        self.stream, self.buf, self.pos = stream, "", 0
        self.decoder = json.JSONDecoder()

    def __iter__(self):
        if self._peek() == "":
            raise IngestError("empty", {})
        if self._peek() != "[":
            raise IngestError("json-shape", {"reason": "not-a-list"})
        self.pos += 1
        if self._peek() == "]":
            self.pos += 1
            return self._finish()
        while True:
            yield self._object()
            char = self._peek()
            self.pos += 1
            if char == "]":
                return self._finish()
            if char != ",":
                raise IngestError("json-invalid", {})

    def _fill(self):
        chunk = self.stream.read(_CHUNK)
        self.buf = self.buf[self.pos:] + chunk
        self.pos = 0
        return bool(chunk)

    def _peek(self):
        """The next non-blank character ('' at the end), consuming the blanks before it."""
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in " \t\r\n\ufeff":
                self.pos += 1
            if self.pos < len(self.buf) or not self._fill():
                return self.buf[self.pos: self.pos + 1]

    def _object(self):
        if self._peek() != "{":
            raise IngestError("json-shape", {"reason": "not-an-object"})
        while True:
            try:
                obj, end = self.decoder.raw_decode(self.buf, self.pos)
                break
            except json.JSONDecodeError:
                too_big = len(self.buf) - self.pos > _MAX_JSON_OBJECT
                if too_big or not self._fill():
                    raise IngestError("json-invalid", {}) from None
        self.pos = end
        if any(isinstance(value, (dict, list)) for value in obj.values()):
            raise IngestError("json-shape", {"reason": "nested"})
        return obj

    def _finish(self):
        if self._peek() != "":
            raise IngestError("json-invalid", {})
