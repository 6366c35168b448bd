"""Shared pieces of the upload path: the error type, the formats and the limits.

Nothing here imports Flask or frictionless, so every ingest helper can depend on it.
"""

SUPPORTED = {"CSV", "XLSX", "JSON", "PDF"}

# Extension (lower case, no dot) -> format. TSV is read by the CSV path (the delimiter is sniffed).
EXTENSIONS = {"csv": "CSV", "tsv": "CSV", "xlsx": "XLSX", "json": "JSON", "pdf": "PDF"}

MIMETYPES = {
    "CSV": "text/csv",
    "XLSX": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "JSON": "application/json",
    "PDF": "application/pdf",
}

ALLOWED_TYPES = ("string", "integer", "number", "boolean", "date", "year", "datetime")
NUMERIC_TYPES = frozenset({"integer", "number", "year"})

HEAD_BYTES = 64 * 1024  # what callers should pass to detect_format, and the encoding sample
SAMPLE_ROWS = 1000  # rows kept in memory for inference and PII screening
PREVIEW_ROWS = 100
MAX_PARAM_CHARS = 200  # a cell quoted in a report or preview is cut to this length


class IngestError(Exception):
    """A file we refuse outright. .code is a stable string, .params a dict for the message."""

    def __init__(self, code, params=None):
        super().__init__(code, params)
        self.code = code
        self.params = dict(params or {})

    def __str__(self):
        return f"{self.code} {self.params}" if self.params else self.code


def clip(value, limit=MAX_PARAM_CHARS):
    """A cell as a bounded string, so one huge cell cannot bloat a JSON column."""
    text = "" if value is None else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
