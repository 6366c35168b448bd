"""Downloads made from the normalised CSV: CSV, XLSX and JSON, streamed row by row.

Spreadsheet programs run a cell that starts with '=', '+', '-' or '@' (or a tab or CR) as a
formula, so such text cells get a leading apostrophe in CSV and XLSX. Numbers of numeric
columns stay numbers: a negative population change is not an attack.
"""
import csv
import datetime as dt
import io
import json
from decimal import Decimal

from app.catalog.ingest_common import NUMERIC_TYPES

RISKY_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text):
    """``text`` with a leading apostrophe if a spreadsheet would run it as a formula."""
    return "'" + text if text.startswith(RISKY_STARTS) else text


def _read(csv_path):
    with open(csv_path, encoding="utf-8", newline="") as fh:
        yield from csv.reader(fh)


def _field_readers(schema):
    """Per position: (type, frictionless value reader) of each schema field."""
    from frictionless import Schema

    if not schema:
        return []
    fl_schema = Schema.from_descriptor(schema)
    return [(field.type, field.create_value_reader()) for field in fl_schema.fields]


def export_csv(csv_path, out_stream, schema=None):
    """Write the table as UTF-8 CSV bytes to ``out_stream`` (left open), cells neutralised.

    Without ``schema`` every risky cell is neutralised except plain negative numbers
    ('-12', '-0.5'), which cannot carry a formula; with it, a cell that parses as a number of
    a numeric column is left alone. Pass the schema when you have it.
    """
    readers = _field_readers(schema)
    text = io.TextIOWrapper(out_stream, encoding="utf-8", newline="")
    try:
        writer = csv.writer(text)
        rows = _read(csv_path)
        header = next(rows, None)
        if header is None:
            return
        writer.writerow([neutralise(label) for label in header])
        for row in rows:
            writer.writerow([_csv_cell(cell, index, readers) for index, cell in enumerate(row)])
    finally:
        text.flush()
        text.detach()


def _csv_cell(cell, index, readers):
    if not cell.startswith(RISKY_STARTS):
        return cell
    if readers:
        if index < len(readers):
            ftype, reader = readers[index]
            if ftype in NUMERIC_TYPES and reader(cell) is not None:
                return cell
        return neutralise(cell)
    return cell if _plain_negative(cell) else neutralise(cell)


def _plain_negative(cell):
    body = cell[1:]
    return cell.startswith("-") and body.replace(".", "", 1).isdigit() and body[:1].isdigit()


def export_xlsx(csv_path, schema, out_stream):
    """Write the table as an XLSX workbook (one sheet, openpyxl write-only) to ``out_stream``.

    Numeric, boolean and date columns become real spreadsheet values per ``schema``; text and
    cells that do not parse are written as neutralised text.
    """
    from openpyxl import Workbook

    readers = _field_readers(schema)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title="data")
    rows = _read(csv_path)
    header = next(rows, None)
    if header is not None:
        sheet.append([_xlsx_text(label) for label in header])
        for row in rows:
            sheet.append([_xlsx_cell(cell, index, readers) for index, cell in enumerate(row)])
    book.save(out_stream)


def _xlsx_cell(cell, index, readers):
    if cell == "":
        return None
    if index < len(readers):
        value = _typed(cell, *readers[index])
        if value is not None:
            return _xlsx_value(value, cell)
    return _xlsx_text(cell)


def _xlsx_value(value, cell):
    if isinstance(value, Decimal):
        return _plain_number(value)
    if isinstance(value, (dt.datetime, dt.time)) and value.tzinfo is not None:
        return _xlsx_text(cell)  # Excel has no time zones; keep the text as written
    return value


def _xlsx_text(text):
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", text))


def _plain_number(value):
    """A Decimal as int when written without decimals ('5', '1E+3'), else float ('5.0')."""
    return int(value) if value.as_tuple().exponent >= 0 else float(value)


def _typed(cell, ftype, reader):
    """The cell as a Python value for its type, or None for text and unparseable cells."""
    if ftype == "string":
        return None
    try:
        value = reader(cell)
    except (ValueError, TypeError, ArithmeticError):
        return None
    if isinstance(value, Decimal) and not value.is_finite():
        return None
    return value


def export_json(csv_path, schema, out_stream):
    """Write the table as a JSON list of objects (UTF-8 bytes) to ``out_stream``.

    Keys are the schema's field names; values are typed per schema (numbers, booleans, ISO
    dates). Empty cells are null; a cell that does not parse stays a string.
    """
    readers = _field_readers(schema)
    rows = _read(csv_path)
    header = next(rows, None)
    names = _names(schema, header)
    out_stream.write(b"[")
    first = True
    for row in rows:
        record = {name: _json_cell(row[index] if index < len(row) else "", index, readers)
                  for index, name in enumerate(names)}
        out_stream.write((b"\n" if first else b",\n") + _dumps(record))
        first = False
    out_stream.write(b"\n]\n" if not first else b"]\n")


def _names(schema, header):
    if schema and schema.get("fields"):
        return [field["name"] for field in schema["fields"]]
    return list(header or [])


def _dumps(record):
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _json_cell(cell, index, readers):
    if cell == "":
        return None
    if index >= len(readers):
        return cell
    value = _typed(cell, *readers[index])
    if value is None:
        return cell
    if isinstance(value, Decimal):
        return _plain_number(value)
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return value
