"""The public register of answered requests, and for staff who read the help desk's records:
the legal request register (CSV, XLSX, PDF), the yearly information-service report and the
IKM survey figures. Each page loads its arguments, calls its action and renders."""
import io

from flask import flash, redirect, render_template, request, send_file, url_for
from flask_babel import format_date
from flask_login import current_user

from app.core.errors import ValidationError
from app.core.timeutil import local_today
from app.tickets import actions, ikm, register
from app.tickets.models import State
from app.tickets.views import bp
from reports import tickets as papers


def _long_date(value):
    return format_date(value, "d MMMM y") if value else ""


def _flash_errors(exc):
    for messages in exc.errors.values():
        for message in messages:
            flash(message, "error")


# ---------------------------------------------------------------- public

@bp.route("/register-permohonan")
def register_public():
    page = actions.register_public(current_user, request.args,
                                   page=request.args.get("page", 1, type=int))
    return render_template("tickets/register.html", page=page, filters=page.filters,
                           outcomes=State.ANSWERED, kinds=register.PUBLIC_KINDS,
                           long_date=_long_date, outcome_label=register.outcome_label)


# ---------------------------------------------------------------- staff: records

def _year_arg():
    value = request.args.get("tahun", "").strip()
    return value or local_today().year


@bp.route("/layanan/register.<any(csv, xlsx, pdf):fmt>")
def register_export(fmt):
    """The legal request register of one year (personal data: readers only, logged)."""
    year = _year_arg()
    try:
        export = actions.register_export(current_user, year, fmt)
    except ValidationError as exc:
        _flash_errors(exc)
        return redirect(url_for("tickets.yearly_report", tahun=year))
    return _private(send_file(io.BytesIO(export.data), mimetype=export.mimetype,
                              as_attachment=True, download_name=export.filename, max_age=0))


@bp.route("/layanan/laporan-tahunan")
def yearly_report():
    year = _year_arg()
    try:
        figures = actions.yearly_report(current_user, year)
    except ValidationError as exc:
        _flash_errors(exc)
        return redirect(url_for("tickets.yearly_report"))
    this_year = local_today().year
    return render_template("tickets/yearly.html", years=range(this_year, this_year - 6, -1),
                           **papers.yearly_context(figures))


@bp.route("/layanan/laporan-tahunan.pdf")
def yearly_report_pdf():
    year = _year_arg()
    try:
        figures = actions.yearly_report(current_user, year)
    except ValidationError as exc:
        _flash_errors(exc)
        return redirect(url_for("tickets.yearly_report"))
    return _private(send_file(io.BytesIO(papers.yearly_pdf(figures)),
                              mimetype="application/pdf",
                              download_name=papers.yearly_filename(figures.year), max_age=0))


@bp.route("/layanan/ikm")
def ikm_figures():
    today = local_today()
    args = {"dari": request.args.get("dari") or today.replace(month=1, day=1).isoformat(),
            "sampai": request.args.get("sampai") or today.isoformat(),
            "unit": request.args.get("unit") or None}
    errors, summary = {}, None
    try:
        summary = actions.ikm_summary(current_user, args["dari"], args["sampai"], args["unit"])
    except ValidationError as exc:
        errors = exc.errors
    return render_template("tickets/ikm.html", summary=summary, args=args, errors=errors,
                           units=register.survey_units(), elements=ikm.ELEMENTS,
                           long_date=_long_date, decimal=papers.decimal), (422 if errors else 200)


def _private(response):
    """The register names requesters: no shared cache may keep it."""
    response.headers["Cache-Control"] = "private, no-store"
    return response
