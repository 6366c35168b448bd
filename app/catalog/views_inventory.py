"""Data inventory (Daftar Data) pages and downloads, on the catalogue blueprint.

Public: everyone sees every published dataset (closed ones as metadata only); catalogue staff
also see unpublished work. Who sees what is decided by inventory.inventory_list alone.
"""
import io

from flask import flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.catalog import inventory as inv
from app.catalog.views import bp
from reports import inventory as report


@bp.route("/daftar-data")
def inventory():
    filters = inv.clean_filters(request.args)
    listing = inv.inventory_list(current_user, filters,
                                 page=request.args.get("page", 1, type=int))
    organisations, topics = inv.filter_choices()
    return render_template("catalog/inventory.html", inventory=listing, filters=filters,
                           organisations=organisations, topics=topics,
                           pdf_max_rows=report.PDF_MAX_ROWS)


BUILDERS = {"csv": report.inventory_csv, "xlsx": report.inventory_xlsx,
            "pdf": report.inventory_pdf}


@bp.route("/daftar-data.<any(csv, xlsx, pdf):fmt>")
def inventory_download(fmt):
    """The whole filtered inventory (every page) as CSV, XLSX or PDF."""
    filters = inv.clean_filters(request.args)
    # For a PDF, one page tells the total before every row is loaded.
    if fmt == "pdf" and report.pdf_too_long(inv.inventory_list(current_user, filters, page=1)):
        flash(_("PDF memuat paling banyak %(max)s dataset. Saring daftarnya (misalnya per "
                "produsen data atau tahun), atau unduh CSV/XLSX yang memuat semuanya.",
                max=report.PDF_MAX_ROWS), "warning")
        return redirect(url_for("catalog.inventory", **filters))
    listing = inv.inventory_list(current_user, filters)
    data = BUILDERS[fmt](listing)
    return send_file(io.BytesIO(data), mimetype=report.MIMETYPES[fmt], as_attachment=True,
                     download_name=report.filename(fmt, listing), max_age=0)
