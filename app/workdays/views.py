"""The admin's calendar page. Views load arguments, call an action, render; no rules here."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core.errors import ValidationError
from app.core.timeutil import local_today
from app.workdays import actions, auth, calendar, schemas

bp = Blueprint("workdays", __name__, template_folder="templates")


def kind_label(kind):
    return {calendar.PUBLIC: _("Libur nasional"), calendar.GOVERNMENT: _("Cuti bersama"),
            calendar.OVERRIDE: _("Ditetapkan admin")}.get(kind, kind)


def _flash_errors(exc):
    for messages in exc.errors.values():
        for message in messages:
            flash(message, "error")


def _year(value):
    """The year asked for, or this year when it is missing or outside the package's range."""
    try:
        year = int(value)
    except (TypeError, ValueError):
        return local_today().year
    return year if schemas.FIRST_YEAR <= year <= schemas.LAST_YEAR else local_today().year


def _render(year, form=None, status=200):
    overrides = actions.override_list(current_user, year)
    days_off = actions.days_off(current_user, year)
    deadline, deadline_errors = None, {}
    check_args = {"start": request.args.get("dari", "").strip(),
                  "days": request.args.get("hari", "").strip()}
    if "dari" in request.args:
        try:
            deadline = actions.deadline_check(current_user, check_args)
        except ValidationError as exc:
            deadline_errors = exc.errors
    return render_template(
        "workdays/calendar.html", year=year, overrides=overrides, days_off=days_off,
        form=form or {}, deadline=deadline, deadline_errors=deadline_errors,
        check_args=check_args, can_edit=auth.override_set(current_user),
        kind_label=kind_label, day_name=calendar.day_name,
        first_year=schemas.FIRST_YEAR, last_year=schemas.LAST_YEAR), status


@bp.route("/admin/kalender")
@login_required
def index():
    return _render(_year(request.args.get("tahun")))


@bp.route("/admin/kalender/pengecualian", methods=["POST"])
@login_required
def override_set():
    form = {"day": request.form.get("day", "").strip(),
            "is_workday": request.form.get("is_workday", ""),
            "note": request.form.get("note", "")}
    try:
        override = actions.override_set(current_user, form)
    except ValidationError as exc:
        _flash_errors(exc)
        return _render(_year(form["day"][:4]), form=form, status=422)
    flash(_("Kalender diperbarui: %(day)s menjadi %(what)s.", day=override.day.isoformat(),
            what=_("hari kerja") if override.is_workday else _("hari libur")), "success")
    return redirect(url_for("workdays.index", tahun=override.day.year))


@bp.route("/admin/kalender/pengecualian/<day>/hapus", methods=["POST"])
@login_required
def override_delete(day):
    actions.override_delete(current_user, day)
    flash(_("Pengecualian %(day)s dihapus; tanggal itu kembali mengikuti kalender nasional.",
            day=day), "success")
    return redirect(url_for("workdays.index", tahun=_year(day[:4])))
