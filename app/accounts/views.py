"""Login, logout and the admin's user and organisation pages."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.accounts import actions
from app.core.actor import Role
from app.core.errors import ValidationError
from app.extensions import limiter

bp = Blueprint("accounts", __name__, template_folder="templates")


def _safe_next(target):
    # Only local paths: an open redirect after login is a phishing gift.
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("catalog.home")


def _login_limit():
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/masuk", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    errors = {}
    if request.method == "POST":
        try:
            user = actions.login(request.form.get("email"), request.form.get("password"))
        except ValidationError as exc:
            errors = exc.errors
        else:
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
    status = 401 if errors else 200
    return render_template("accounts/login.html", errors=errors,
                           email=request.form.get("email", "")), status


def _register_limit():
    # Sign-ups are throttled like logins unless the operator sets their own limit.
    return current_app.config.get("REGISTER_RATE_LIMIT") or current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/daftar", methods=["GET", "POST"])
@limiter.limit(_register_limit, methods=["POST"])
def register():
    """A citizen opens an account to file data requests and follow them."""
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    errors, data = {}, {}
    if request.method == "POST":
        data = {k: request.form.get(k, "") for k in ("email", "name", "password",
                                                     "password_confirm")}
        try:
            user = actions.user_register(current_user, data)
        except ValidationError as exc:
            errors = exc.errors
        else:
            login_user(user)
            flash(_("Akun Anda dibuat. Selamat datang, %(name)s.", name=user.name), "success")
            return redirect(_safe_next(request.args.get("next")))
    return render_template("accounts/register.html", errors=errors,
                           email=data.get("email", ""), name=data.get("name", "")), (
        422 if errors else 200)


@bp.route("/keluar", methods=["POST"])
def logout():
    logout_user()
    flash(_("Anda telah keluar."), "info")
    return redirect(url_for("catalog.home"))


def _user_form_data(form):
    return {"email": form.get("email", ""), "name": form.get("name", ""),
            "password": form.get("password") or None, "roles": form.getlist("roles"),
            "organisations": form.getlist("organisations"), "active": form.get("active") == "on"}


@bp.route("/admin/pengguna")
@login_required
def users():
    return render_template("accounts/users.html", users=actions.user_list(current_user),
                           organisations=actions.organisation_list(), roles=Role.ALL)


@bp.route("/admin/pengguna/baru", methods=["GET", "POST"])
@login_required
def user_new():
    actions.user_list(current_user)  # the permission check, before any form is shown
    errors, data = {}, {"active": True, "roles": [], "organisations": []}
    if request.method == "POST":
        data = _user_form_data(request.form)
        try:
            user = actions.user_create(current_user, data)
        except ValidationError as exc:
            errors = exc.errors
        else:
            flash(_("Pengguna %(email)s dibuat.", email=user.email), "success")
            return redirect(url_for("accounts.users"))
    return render_template("accounts/user_form.html", errors=errors, data=data, user=None,
                           organisations=actions.organisation_list(), roles=Role.ALL), (
        422 if errors else 200)


@bp.route("/admin/pengguna/<int:user_id>", methods=["GET", "POST"])
@login_required
def user_edit(user_id):
    user = next((u for u in actions.user_list(current_user) if u.id == user_id), None)
    if user is None:
        from app.core.errors import NotFound

        raise NotFound(_("Pengguna tidak ditemukan."))
    errors = {}
    data = {"email": user.email, "name": user.name, "roles": sorted(user.roles),
            "organisations": [o.name for o in user.organisations], "active": user.active}
    if request.method == "POST":
        data = _user_form_data(request.form)
        try:
            actions.user_update(current_user, user_id, data)
        except ValidationError as exc:
            errors = exc.errors
        else:
            flash(_("Perubahan disimpan."), "success")
            return redirect(url_for("accounts.users"))
    return render_template("accounts/user_form.html", errors=errors, data=data, user=user,
                           organisations=actions.organisation_list(), roles=Role.ALL), (
        422 if errors else 200)


@bp.route("/admin/organisasi", methods=["GET", "POST"])
@login_required
def organisations():
    actions.user_list(current_user)
    errors, data = {}, {}
    if request.method == "POST":
        data = {k: request.form.get(k, "") for k in ("name", "title", "description")}
        data["email"] = request.form.get("email") or None
        data["is_custodian"] = request.form.get("is_custodian") == "on"
        try:
            org = actions.organisation_create(current_user, data)
        except ValidationError as exc:
            errors = exc.errors
        else:
            flash(_("Organisasi %(t)s dibuat.", t=org.title), "success")
            return redirect(url_for("accounts.organisations"))
    return render_template("accounts/organisations.html", errors=errors, data=data,
                           organisations=actions.organisation_list()), (422 if errors else 200)
