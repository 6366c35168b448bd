"""Public usage statistics (SPBE level 1) and the monthly usage reports, on the catalogue
blueprint. Anyone may read them; generating a report is the action's business."""
from datetime import timedelta

from flask import flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.catalog import actions, stats
from app.catalog.labels import access_label
from app.catalog.models import Access
from app.catalog.views import bp, flash_errors
from app.core.errors import ValidationError
from app.core.timeutil import local_today
from reports import charts


def _statistics(today):
    """What the page shows: the last 12 months (the current one included) and the catalogue
    as it is now."""
    months = stats.recent_months(12, today)
    start, end = stats.month_bounds(*months[0])[0], today + timedelta(days=1)
    downloads = charts.months_labelled(stats.downloads_by_month(months))
    searches = charts.months_labelled(stats.searches_by_month(months))
    growth = charts.months_labelled(stats.catalogue_growth(months))
    by_org = stats.datasets_by_organisation()
    by_topic = [(str(label), n) for label, n in stats.datasets_by_topic()]
    by_access = [(access_label(a), n) for a, n in stats.datasets_by_access()]
    overdue = stats.overdue_datasets(today)
    return {
        "period": (charts.month_label(stats.month_key(*months[0]), "long"),
                   charts.month_label(stats.month_key(*months[-1]), "long")),
        "totals": [
            (_("dataset terbit"), stats.published_count()),
            (_("organisasi produsen data"), stats.organisations_count()),
            (_("unduhan dalam 12 bulan"), sum(n for _m, n in downloads)),
            (_("pencarian dalam 12 bulan"), sum(n for _m, n in searches)),
            (_("dataset terlambat dimutakhirkan"), len(overdue)),
        ],
        "downloads": downloads, "searches": searches, "growth": growth, "by_org": by_org,
        "by_topic": by_topic, "by_access": by_access, "overdue": overdue,
        "top_datasets": stats.top_datasets(start, end),
        "top_searches": stats.top_searches(start, end),
        "charts": {
            "downloads": charts.bars(_("Unduhan per bulan"), downloads, series=_("Unduhan")),
            "searches": charts.bars(_("Pencarian per bulan"), searches,
                                    series=_("Pencarian")),
            "growth": charts.line(_("Jumlah dataset terbit"), growth,
                                  series=_("Dataset terbit")),
            "by_org": charts.hbars(_("Dataset terbit menurut produsen data"), by_org,
                                   series=_("Dataset")),
            "by_topic": charts.hbars(_("Dataset terbit menurut topik"), by_topic,
                                     series=_("Dataset")),
            "by_access": charts.pie(_("Dataset terbit menurut klasifikasi akses"), by_access),
        },
    }


@bp.route("/statistik")
def statistics():
    today = local_today()
    previous = stats.previous_month(today)
    return render_template(
        "catalog/stats.html", today=today, public_access=Access.PUBLIC_LISTED,
        reports=actions.usage_report_list(current_user),
        previous=charts.month_label(stats.month_key(*previous), "long"),
        month_label=charts.month_label, **_statistics(today))


@bp.route("/statistik/laporan/buat", methods=["POST"])
def usage_report_generate():
    """The button for admin and walidata: last month's report (the scheduler's job, by hand)."""
    year, month = stats.previous_month()
    try:
        report = actions.usage_report_generate(current_user, year, month)
    except ValidationError as exc:
        flash_errors(exc)
    else:
        flash(_("Laporan penggunaan %(period)s dibuat.",
                period=charts.month_label(report.key, "long")), "success")
    return redirect(url_for("catalog.statistics") + "#laporan")


@bp.route("/statistik/laporan/<int(fixed_digits=4):year>-<int(fixed_digits=2):month>"
          ".<any(pdf, html):fmt>")
def usage_report(year, month, fmt):
    found = actions.usage_report_read(current_user, year, month, fmt)
    response = send_file(found["path"], mimetype=found["mimetype"],
                         download_name=found["filename"], as_attachment=False)
    if fmt == "html":
        # The stored page is self-contained: it needs its inline styles and nothing else.
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:")
    return response
