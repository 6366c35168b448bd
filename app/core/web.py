"""The web front end's one mapping of domain errors, plus template helpers."""
from zoneinfo import ZoneInfo

from flask import Request, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.utils import cached_property

from app.core.errors import DomainError, NotAuthorized
from app.extensions import login_manager

JAKARTA = ZoneInfo("Asia/Jakarta")
UTC = ZoneInfo("UTC")

HTTP_MESSAGES = {
    400: _l("Permintaan tidak valid."),
    403: _l("Anda tidak berwenang membuka halaman ini."),
    404: _l("Halaman atau data tidak ditemukan."),
    405: _l("Metode tidak diizinkan."),
    413: _l("Berkas terlalu besar."),
    429: _l("Terlalu banyak percobaan. Silakan tunggu sebentar lalu coba lagi."),
    500: _l("Terjadi kesalahan pada sistem. Silakan coba lagi."),
}


def init_app(app):
    @login_manager.user_loader
    def load_user(user_id):
        from app.accounts.models import User
        from app.extensions import db

        user = db.session.get(User, int(user_id))
        return user if user and user.active else None

    app.before_request(_refuse_nul)
    app.register_error_handler(DomainError, _domain_error)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.jinja_env.filters["localtime"] = localtime
    app.context_processor(_globals)


class CleanRequest(Request):
    """Query strings without NUL bytes: they mean nothing in a search box or a filter, and
    PostgreSQL cannot compare or store them. A page asked for with one still answers."""

    @cached_property
    def args(self):
        raw = Request.args.fget(self)
        return self.parameter_storage_class(
            [(k, v.replace("\x00", "")) for k, v in raw.items(multi=True)])


def _refuse_nul():
    """A form or path with a NUL byte is refused with a clear message, changing nothing."""
    if any("\x00" in v for v in [request.path, *request.form.values()]):
        return _error_page(400, _("Permintaan berisi karakter yang tidak valid."))
    return None


def wants_json():
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def _error_page(status, message):
    if wants_json():
        return {"success": False, "error": {"message": str(message)}}, status
    return render_template("error.html", status=status, message=message), status


def _domain_error(exc):
    if isinstance(exc, NotAuthorized) and not current_user.is_authenticated and not wants_json():
        return redirect(url_for("accounts.login", next=request.full_path))
    return _error_page(exc.status, exc.message)


def _csrf_error(exc):
    return _error_page(400, _("Formulir kedaluwarsa atau tidak sah. Muat ulang halaman lalu "
                              "kirim lagi."))


def _http_error(exc):
    if exc.code == 413:
        from flask import current_app

        return _error_page(413, _("Berkas terlalu besar: batasnya %(mb)s MB.",
                                  mb=current_app.config["MAX_UPLOAD_MB"]))
    return _error_page(exc.code or 500, HTTP_MESSAGES.get(exc.code, exc.description))


def localtime(value, fmt="%d-%m-%Y %H:%M"):
    """Show a stored naive-UTC time in Jakarta time."""
    if value is None:
        return ""
    return value.replace(tzinfo=UTC).astimezone(JAKARTA).strftime(fmt) + " WIB"


def _globals():
    from flask_babel import get_locale

    return {"current_locale": str(get_locale())}
