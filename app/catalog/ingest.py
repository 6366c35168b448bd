"""The tabular upload path, except storage: check the format, normalise the table to UTF-8
CSV, infer or apply a Table Schema, validate it with frictionless (plus region codes), screen
for personal data and keep a preview.

The source file is read once: rows stream from the reader into the normalised CSV and, in the
same pass, into frictionless. Only the first SAMPLE_ROWS rows are held in memory; they feed
schema inference, the PII screen and the preview.

Reports hold codes and params only; describe_error() and friends turn them into text in the
reader's language at display time. Helpers live in the ingest_* modules beside this one.

Conventions:
- An error's "row" is the record's number in the uploaded table with the header as row 1
  (frictionless rowNumber; blank lines before the header are counted, so it matches the
  user's file; a quoted cell spanning lines counts once). Header problems have row None.
- Blank rows inside the table are reported ('blank-row'); blank rows at the end are dropped.
- A header without data rows is a valid table of 0 rows (every column typed 'string').
"""
import csv
import os
import tempfile
from dataclasses import dataclass
from itertools import chain, islice

from app.catalog.ingest_common import (
    ALLOWED_TYPES,
    EXTENSIONS,
    MIMETYPES,
    PREVIEW_ROWS,
    SAMPLE_ROWS,
    SUPPORTED,
    IngestError,
    clip,
)
from app.catalog.ingest_detect import detect_format, sniff
from app.catalog.ingest_export import export_csv, export_json, export_xlsx, neutralise
from app.catalog.ingest_messages import (
    TYPE_LABELS,
    describe_error,
    describe_ingest_error,
    describe_pii,
)
from app.catalog.ingest_pii import screen_pii
from app.catalog.ingest_read import open_source
from app.catalog.ingest_schema import check_schema, infer_schema, merge_schema_edit
from app.catalog.ingest_validate import region_check, validate_rows

__all__ = [
    "ALLOWED_TYPES", "MIMETYPES", "SUPPORTED", "TYPE_LABELS", "IngestError", "IngestResult",
    "describe_error", "describe_ingest_error", "describe_pii", "detect_format", "export_csv",
    "export_json", "export_xlsx", "infer_schema", "ingest", "merge_schema_edit", "neutralise",
    "non_tabular_result",
]


@dataclass
class IngestResult:
    """What ingest() found; ``report`` and ``preview`` are plain JSON for the database."""

    fmt: str
    csv_path: str | None  # the normalised UTF-8 CSV, None for PDF and non-tabular JSON
    schema: dict | None
    report: dict
    preview: dict | None  # {"header": [...], "rows": [[...], ...]}


def non_tabular_result(fmt):
    """The result for a file kept as-is (a PDF, or JSON that is not a table)."""
    report = {"tabular": False, "valid": True, "row_count": None, "error_count": 0,
              "truncated": False, "encoding": None, "delimiter": None, "errors": [],
              "pii": [], "region_checked": False}
    return IngestResult(fmt=fmt, csv_path=None, schema=None, report=report, preview=None)


def ingest(src_path, fmt, workdir, schema=None, region_codes=None, max_errors=500):
    """Normalise, validate and screen the stored file at ``src_path``.

    ``fmt`` is what detect_format() returned. ``workdir`` receives the normalised CSV
    (a new ``ingest-*.csv``; the caller moves or deletes it). ``schema`` (a Table Schema
    dict) is applied as given, else one is inferred. ``region_codes`` is a set of dotted
    Kemendagri codes; None or empty means region codes are not checked (the report says
    ``region_checked: false``). Only the first ``max_errors`` errors are kept; the count
    stays exact.

    :raises IngestError: 'empty' (no bytes, or no header row), 'encoding', 'malformed'
        (broken CSV quoting), 'xlsx-broken', 'json-shape' (JSON that is not a list of flat
        objects: the caller may keep it with non_tabular_result()), 'json-invalid',
        'content-mismatch' (bytes that are not the format), 'schema' (invalid ``schema``),
        'extension' (``fmt`` not supported).
    """
    fmt = str(fmt).upper()
    if fmt not in SUPPORTED:
        raise IngestError("extension", {"extension": fmt.lower(), "allowed": sorted(EXTENSIONS)})
    if fmt == "PDF":
        _check_pdf(src_path)
        return non_tabular_result(fmt)
    fl_schema = check_schema(schema) if schema is not None else None
    job = _TableJob(fmt, schema, fl_schema, region_codes or None, max_errors)
    return job.run(src_path, workdir)


def _check_pdf(src_path):
    with open(src_path, "rb") as fh:
        head = fh.read(4096)
    if not head:
        raise IngestError("empty", {})
    detected = sniff(head)
    if detected != "pdf":
        raise IngestError("content-mismatch", {"format": "PDF", "detected": detected})


class _TableJob:
    """One ingest of a table: the source is streamed once into the CSV and frictionless."""

    def __init__(self, fmt, schema, fl_schema, region_codes, max_errors):
        self.fmt, self.schema, self.fl_schema = fmt, schema, fl_schema
        self.region_codes, self.max_errors = region_codes, max_errors

    def run(self, src_path, workdir, encoding=None):
        source = open_source(src_path, self.fmt, encoding)
        fd, csv_path = tempfile.mkstemp(prefix="ingest-", suffix=".csv", dir=workdir)
        try:
            with open(fd, "w", encoding="utf-8", newline="") as out:
                result = self._process(source, csv.writer(out, lineterminator="\n"))
        except UnicodeDecodeError:
            os.unlink(csv_path)
            if encoding is None and source.encoding == "utf-8" and source.ascii_sample:
                # ASCII at the start, then a byte that is not UTF-8: a Windows export whose
                # first accented letter came late. Read it again as cp1252.
                return self.run(src_path, workdir, encoding="cp1252")
            raise IngestError("encoding", {"encoding": source.encoding}) from None
        except BaseException:
            os.unlink(csv_path)
            raise
        schema, report, preview = result
        report.update(encoding=source.encoding, delimiter=source.delimiter)
        return IngestResult(fmt=self.fmt, csv_path=csv_path, schema=schema, report=report,
                            preview=preview)

    def _process(self, source, writer):
        rows = _drop_trailing_blanks(source.rows)
        offset, header = _first_row(rows)
        header = [_label(cell) for cell in header]
        writer.writerow(header)
        sample = list(islice(rows, SAMPLE_ROWS))
        writer.writerows(sample)
        schema, fl_schema = self.schema, self.fl_schema
        if schema is None:
            schema = infer_schema(header, sample, self.region_codes)
            fl_schema = check_schema(schema)
        check = region_check(schema, self.region_codes)
        counted = validate_rows(chain([header], sample, _written(rows, writer)), fl_schema,
                                schema, check, self.max_errors, offset)
        report = self._report(*counted, pii=screen_pii(header, sample),
                              region_checked=check is not None)
        return schema, report, _preview(header, sample)

    def _report(self, row_count, error_count, errors, pii, region_checked):
        return {"tabular": True, "valid": error_count == 0, "row_count": row_count,
                "error_count": error_count, "truncated": error_count > self.max_errors,
                "encoding": None, "delimiter": None, "errors": errors, "pii": pii,
                "region_checked": region_checked}


def _written(rows, writer):
    """Pass rows on to the validator, writing each to the normalised CSV on the way."""
    for row in rows:
        writer.writerow(row)
        yield row


def _is_blank(row):
    return not "".join(row).strip()


def _first_row(rows):
    """(blank rows skipped, header). Raises IngestError('empty') when there is no header."""
    for skipped, row in enumerate(rows):
        if not _is_blank(row):
            return skipped, row
    raise IngestError("empty", {})


def _drop_trailing_blanks(rows):
    """Blank rows are kept (reported as errors) unless nothing but blank rows follows them."""
    pending = 0
    for row in rows:
        if _is_blank(row):
            pending += 1
            continue
        for _ in range(pending):
            yield []
        pending = 0
        yield row


def _label(cell):
    # Excel headers often carry line breaks and stray spaces; a BOM may survive a bad export
    return " ".join(cell.replace("\ufeff", "").split())


def _preview(header, sample):
    width = len(header)
    rows = []
    for row in sample[:PREVIEW_ROWS]:
        cells = [clip(cell) for cell in row[:width]]
        rows.append(cells + [""] * (width - len(cells)))
    return {"header": list(header), "rows": rows}
