"""The data inventory (Daftar Data) as CSV, XLSX and PDF: the SPBE level-2 e-document.

Every builder takes an `Inventory` from app.catalog.inventory.inventory_list, so the page and
the three downloads hold the same rows for the same actor and filters. The documents are
official papers of the agency: they are written in Indonesian whatever the visitor's UI
language, and need no request (the scheduler and the CLI can build them too).

Spreadsheet programs run a cell starting with '=', '+', '-' or '@' as a formula; every text
cell of the CSV and the XLSX goes through ingest_export.neutralise.
"""

from flask_babel import force_locale, format_datetime
from flask_babel import gettext as _

from app.accounts.models import Organisation
from app.catalog.actions import status_label
from app.catalog.labels import access_label, frequency_label
from app.catalog.models import Topic
from app.core.timeutil import utcnow
from reports import tables
from reports.render import html_to_pdf, render_html, site_url

LOCALE = "id"
# WeasyPrint lays a table out at roughly 80 rows a second here (1,000 rows: 12 s, 56 pages).
# Past this a PDF is both too slow to make in a request and too long to read: the page asks
# for a narrower filter, and CSV and XLSX (fast at any size) hold everything.
PDF_MAX_ROWS = 1000
MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def columns():
    """(header, XLSX width in characters) of the tabular downloads, in order."""
    return [
        (_("No."), 6), (_("Judul"), 60), (_("Produsen data"), 34), (_("Walidata"), 34),
        (_("Topik"), 22), (_("Klasifikasi akses"), 14), (_("Frekuensi pemutakhiran"), 16),
        (_("Tahun data"), 11), (_("Pemutakhiran terakhir"), 14),
        (_("Pemutakhiran berikutnya"), 14), (_("Terlambat"), 10), (_("Status"), 10),
        (_("Tautan"), 60),
    ]


def dataset_url(dataset):
    """The dataset's public address, built from SITE_URL (no request needed)."""
    return f"{site_url()}/dataset/{dataset.name}"


def _values(number, row):
    """One row of the tabular downloads: text, ints and dates (dates stay dates in XLSX)."""
    ds = row.dataset
    return [
        number, ds.title, ds.organisation.title, ds.custodian.title if ds.custodian else "",
        ds.topic.title if ds.topic else "", access_label(ds.access),
        frequency_label(ds.frequency), row.period, row.last_update_date, ds.next_update_due,
        _("Ya") if row.overdue else "", str(status_label(ds.status)),
        dataset_url(ds) if row.can_open else "",
    ]


def _rows(inventory):
    first = (inventory.page - 1) * (inventory.per_page or 0)
    for i, row in enumerate(inventory.rows, start=first + 1):
        yield _values(i, row)


def filename(fmt, inventory):
    return f"daftar-data-{inventory.today.isoformat()}.{fmt}"


def inventory_csv(inventory):
    """UTF-8 CSV with a byte-order mark: the inventory's readers open it in Excel, which takes
    UTF-8 (en dashes, names with accents) for the local code page without one."""
    with force_locale(LOCALE):
        return tables.table_csv(columns(), _rows(inventory))


def inventory_xlsx(inventory):
    """One sheet: a bold frozen header with a filter, sized columns, real dates."""
    with force_locale(LOCALE):
        return tables.table_xlsx(_("Daftar Data"), columns(), _rows(inventory))


def describe_filters(filters):
    """[(label, value)] of the filters in force, in words, for the printed header."""
    described = []
    if filters.get("organisation"):
        org = Organisation.query.filter_by(name=filters["organisation"]).first()
        described.append((_("Produsen data"), org.title if org else filters["organisation"]))
    if filters.get("topic"):
        topic = Topic.query.filter_by(name=filters["topic"]).first()
        described.append((_("Topik"), topic.title if topic else filters["topic"]))
    if filters.get("year"):
        described.append((_("Tahun data"), str(filters["year"])))
    if filters.get("access"):
        described.append((_("Klasifikasi akses"), access_label(filters["access"])))
    if filters.get("status"):
        described.append((_("Status"), str(status_label(filters["status"]))))
    if filters.get("overdue"):
        described.append((_("Pemutakhiran"), _("hanya yang terlambat")))
    return described


def inventory_html(inventory):
    """The print template filled in: what the PDF is made of."""
    with force_locale(LOCALE):
        first = (inventory.page - 1) * (inventory.per_page or 0)
        return render_html(
            "inventory.html", inventory=inventory, first=first + 1,
            filters=describe_filters(inventory.filters),
            generated=format_datetime(utcnow(), "d MMMM y, HH.mm") + " WIB",
            dataset_url=dataset_url, access_label=access_label,
            frequency_label=frequency_label, status_label=status_label)


def inventory_pdf(inventory):
    """A4 landscape, the agency's name and the date on every page, "Halaman x dari y".

    :raises ValueError: past PDF_MAX_ROWS rows (callers check `pdf_too_long` first)
    """
    if pdf_too_long(inventory):
        raise ValueError(f"{len(inventory.rows)} rows: a PDF holds at most {PDF_MAX_ROWS}")
    return html_to_pdf(inventory_html(inventory))


def pdf_too_long(inventory):
    return inventory.total > PDF_MAX_ROWS
