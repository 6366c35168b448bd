"""Spreadsheet downloads shared by the printed papers (Daftar Data, request register).

A spreadsheet program runs a cell starting with '=', '+', '-' or '@' as a formula, and most of
these cells were typed by someone outside the agency: every text cell goes through
ingest_export.neutralise. Rows are lists of values; dates stay dates.
"""
import csv
import io
from datetime import date

from app.catalog.ingest_export import neutralise


def _text(value):
    return neutralise(str(value)) if isinstance(value, str) else value


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return _text(value)


def table_csv(columns, rows):
    """UTF-8 CSV with a byte-order mark (Excel reads UTF-8 only with one), text neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_text(header) for header, _width in columns])
    for values in rows:
        writer.writerow([_csv_cell(value) for value in values])
    return out.getvalue().encode("utf-8-sig")


def _xlsx_value(value):
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        # Control characters pasted into a form would make openpyxl refuse the whole file.
        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def table_xlsx(title, columns, rows):
    """One sheet, openpyxl write-only: a bold frozen header with a filter, sized columns,
    real dates, wrapped text."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    rows = list(rows)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title[:31])
    for index, (_header, width) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="EEF2F6")
    wrap = Alignment(wrap_text=True, vertical="top")
    header = []
    for text, _width in columns:
        cell = WriteOnlyCell(ws, value=_xlsx_value(text))
        cell.font, cell.fill, cell.alignment = bold, fill, wrap
        header.append(cell)
    ws.append(header)
    for values in rows:
        cells = []
        for value in values:
            cell = WriteOnlyCell(ws, value=_xlsx_value(value))
            cell.alignment = wrap
            if isinstance(value, date):
                cell.number_format = "DD-MM-YYYY"
            cells.append(cell)
        ws.append(cells)
    wb.properties.title = title
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
