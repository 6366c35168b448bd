"""The monthly usage report (SPBE level 1: one-way dissemination of open-data usage statistics).

One calendar month (Asia/Jakarta) of the catalogue's use: datasets published, downloads,
searches, the most downloaded datasets and most searched terms, what was overdue at the end of
the month, and the catalogue's make-up and growth. The same print template gives the HTML copy
and, through WeasyPrint, the PDF; the charts are the statistics page's own (reports/charts.py).

The report is an official paper of the agency: it is written in Indonesian whatever the
language of whoever asked for it, and needs no request (the CLI and the scheduler build it).
Its figures are read from the database when it is built; `usage_report_generate` builds it
again on demand.
"""
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import force_locale, format_date, format_datetime
from flask_babel import gettext as _

from app.catalog import stats
from app.catalog.labels import access_label
from app.catalog.models import Access
from app.core.timeutil import utcnow
from reports import charts
from reports.render import html_to_pdf, render_html, site_url

LOCALE = "id"
TEMPLATE = "usage_report.html"


@dataclass
class UsageReportFiles:
    html: str
    pdf: bytes


def number(value):
    """12.345: the Indonesian thousands separator."""
    return f"{int(value or 0):,}".replace(",", ".")


def filename(year, month, fmt):
    return f"laporan-penggunaan-{stats.month_key(year, month)}.{fmt}"


def _dataset_url(name):
    return f"{site_url()}/dataset/{name}"


def _day_rows(rows, columns=4):
    """Days of the month in a compact grid: `columns` (day, downloads) pairs per line."""
    per_column = -(-len(rows) // columns)
    grid = []
    for i in range(per_column):
        grid.append([rows[i + c * per_column] if i + c * per_column < len(rows) else None
                     for c in range(columns)])
    return grid


def context(year, month, generated_at=None):
    """Everything the print template shows for one month, read from the database now."""
    start, end = stats.month_bounds(year, month)
    key = stats.month_key(year, month)
    months = stats.months_ending(year, month, 12)
    downloads = stats.downloads_by_month(months)
    searches = stats.searches_by_month(months)
    growth = stats.catalogue_growth(months)
    by_day = stats.downloads_by_day(year, month)
    by_org = stats.datasets_by_organisation(until=end)
    by_topic = [(str(label), n) for label, n in stats.datasets_by_topic(until=end)]
    by_access = [(access_label(a), n) for a, n in stats.datasets_by_access(until=end)]
    published = stats.published_between(start, end)
    overdue = stats.overdue_datasets(today=end, published_before=end)
    period = charts.month_label(key, "long")
    month_downloads = stats.downloads_between(start, end)
    month_searches = stats.searches_between(start, end)
    trend = [(charts.month_label(k), d, s, g)
             for (k, d), (_k2, s), (_k3, g) in zip(downloads, searches, growth, strict=True)]
    totals = [
        (_("Dataset terbit pada akhir bulan"), stats.published_count(until=end)),
        (_("Dataset baru terbit bulan ini"), len(published)),
        (_("Organisasi dengan dataset terbit"), stats.organisations_count(until=end)),
        (_("Unduhan berkas bulan ini"), month_downloads),
        (_("Pencarian bulan ini"), month_searches),
        (_("Dataset terlambat dimutakhirkan pada akhir bulan"), len(overdue)),
    ]
    return {
        "year": year, "month": month, "key": key, "period": period,
        "start": format_date(start, "d MMMM yyyy"),
        "last_day": format_date(end - timedelta(days=1), "d MMMM yyyy"),
        "as_of": format_date(end, "d MMMM yyyy"),
        "generated": format_datetime(generated_at or utcnow(), "d MMMM y, HH.mm") + " WIB",
        "totals": totals, "published": published, "overdue": overdue,
        "top_datasets": stats.top_datasets(start, end),
        "top_searches": stats.top_searches(start, end),
        "days": _day_rows(by_day), "month_downloads": month_downloads,
        "month_searches": month_searches,
        "trend": trend, "by_org": by_org, "by_topic": by_topic, "by_access": by_access,
        "charts": {
            "days": charts.bars(_("Unduhan per hari, %(period)s", period=period), by_day,
                                series=_("Unduhan")),
            "downloads": charts.bars(_("Unduhan per bulan"), charts.months_labelled(downloads),
                                     series=_("Unduhan")),
            "searches": charts.bars(_("Pencarian per bulan"),
                                    charts.months_labelled(searches), series=_("Pencarian")),
            "growth": charts.line(_("Jumlah dataset terbit"), charts.months_labelled(growth),
                                  series=_("Dataset terbit")),
            "by_org": charts.hbars(_("Dataset terbit menurut produsen data"), by_org,
                                   series=_("Dataset")),
            "by_access": charts.pie(_("Dataset terbit menurut klasifikasi akses"), by_access),
        },
        "number": number, "access_label": access_label, "public_access": Access.PUBLIC_LISTED,
        "dataset_url": _dataset_url, "format_date": format_date,
    }


def usage_report_html(year, month, generated_at=None):
    with force_locale(LOCALE):
        return render_html(TEMPLATE, **context(year, month, generated_at))


def usage_report_files(year, month, generated_at=None):
    """The month's report as a standalone HTML page and the PDF made from the same HTML."""
    html = usage_report_html(year, month, generated_at)
    return UsageReportFiles(html=html, pdf=html_to_pdf(html))
