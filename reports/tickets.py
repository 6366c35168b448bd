"""The help desk's official papers: the request register (CSV, XLSX, PDF) and the yearly
information-service report (HTML, PDF), from the figures of app/tickets/register.py.

Like the Daftar Data (reports/inventory.py) they are written in Indonesian whatever the
reader's UI language and need no request, so the CLI builds them too. The register holds
personal data (names, contacts): only the export action hands it out, and every text cell of
the CSV and XLSX goes through ingest_export.neutralise, since a requester typed most of it.
"""
from datetime import date

from flask_babel import force_locale, format_date, format_datetime, format_decimal
from flask_babel import gettext as _

from app.core.timeutil import utcnow
from app.tickets import ikm, labels
from app.tickets.register import outcome_label
from reports import charts, inventory, tables
from reports.render import html_to_pdf, render_html, site_url

LOCALE = "id"
# The Daftar Data's limits hold here too: a PDF past this many rows is too slow to make.
MIMETYPES = inventory.MIMETYPES
PDF_MAX_ROWS = inventory.PDF_MAX_ROWS


def register_columns():
    """(header, XLSX width) of the request register, in order."""
    return [
        (_("No."), 6), (_("Nomor registrasi"), 18), (_("Tanggal permohonan"), 13),
        (_("Nama pemohon"), 26), (_("Kontak"), 30), (_("Informasi yang diminta"), 60),
        (_("Tujuan penggunaan"), 34), (_("Keputusan"), 22), (_("Alasan"), 40),
        (_("Tanggal jawaban"), 13),
    ]


def _values(number, row):
    return [number, row.number, row.received_on, row.name, row.contact, row.information,
            row.purpose, row.decision, row.reason, row.answered_on]




def _generated():
    return format_datetime(utcnow(), "d MMMM y, HH.mm") + " WIB"


def register_html(rows, year):
    with force_locale(LOCALE):
        return render_html("ticket_register.html", rows=rows, year=year,
                           generated=_generated())


def register_filename(year, fmt):
    return f"register-permohonan-informasi-{year}.{fmt}"


def register_file(rows, year, fmt):
    """The register of `year` as bytes in csv, xlsx or pdf.

    :raises ValueError: a PDF past PDF_MAX_ROWS rows (callers check first)
    """
    with force_locale(LOCALE):
        columns = register_columns()
        values = (_values(i, row) for i, row in enumerate(rows, start=1))
        if fmt == "csv":
            return tables.table_csv(columns, values)
        if fmt == "xlsx":
            return tables.table_xlsx(_("Register %(year)s", year=year), columns, values)
    if len(rows) > PDF_MAX_ROWS:
        raise ValueError(f"{len(rows)} rows: a PDF holds at most {PDF_MAX_ROWS}")
    return html_to_pdf(register_html(rows, year))


# ---------------------------------------------------------------- the yearly report

def month_name(year, month):
    return format_date(date(year, month, 1), "MMMM")


def yearly_context(figures):
    """What both the page and the printed report show (labels already in words)."""
    year = figures.year
    months = [(month_name(year, m), received, answered)
              for m, received, answered in figures.by_month]
    return {
        "f": figures, "year": year, "months": months,
        "by_kind": [(labels.label("kind", k), n) for k, n in figures.by_kind],
        "by_channel": [(labels.label("channel", c), n) for c, n in figures.by_channel],
        "by_outcome": [(outcome_label(o), n) for o, n in figures.by_outcome],
        "decisions": [(outcome_label(d), n) for d, n in figures.objection_decisions],
        "grounds": [(labels.label("objection_ground", g), n)
                    for g, n in figures.objection_grounds],
        "elements": [(e.label, figures.ikm.element_means[e.key],
                      figures.ikm.element_indexes[e.key]) for e in ikm.ELEMENTS],
        "chart": charts.bars(_("Permohonan informasi per bulan, %(year)s", year=year),
                             [(format_date(date(year, m, 1), "MMM"), r)
                              for m, r, _a in figures.by_month],
                             series=_("Permohonan diterima")),
        "generated": _generated(), "decimal": decimal,
    }


def decimal(value, places=1):
    """A figure with `places` decimals in the current language (12,5 in Indonesian), or a
    dash when there is none."""
    if value is None:
        return "–"
    return format_decimal(value, format="#,##0." + "0" * places)


def yearly_html(figures):
    with force_locale(LOCALE):
        return render_html("ticket_yearly.html", site_url=site_url(),
                           **yearly_context(figures))


def yearly_pdf(figures):
    return html_to_pdf(yearly_html(figures))


def yearly_filename(year, fmt="pdf"):
    return f"laporan-layanan-informasi-{year}.{fmt}"
