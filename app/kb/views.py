"""Help pages (Bantuan). Views load arguments, call an action, render; no rules here."""
from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core.actor import check
from app.core.errors import InvalidTransition, ValidationError
from app.kb import actions, auth, search
from app.kb.labels import category_label
from app.kb.models import Category
from app.kb.render import render_body

bp = Blueprint("kb", __name__, template_folder="templates", static_folder="static",
               static_url_path="/bantuan/static")
SUGGESTIONS = 5


@bp.record_once
def _template_globals(state):
    state.app.jinja_env.globals.update(kb_auth=auth, kb_category_label=category_label,
                                       kb_categories=Category.ALL, kb_request_url=_request_url)
    state.app.jinja_env.filters.update(kb_body=render_body, kb_highlight=search.highlight)


def _request_url():
    """The help desk's request form, when the help desk is installed (the pages work without)."""
    if "tickets.request_form" in current_app.view_functions:
        return url_for("tickets.request_form")
    return None


def _category_arg():
    value = request.args.get("kategori")
    return value if value in Category.ALL else None


def _form_data(form):
    return {k: form.get(k, "") for k in actions.INPUT_FIELDS}


# ---------------------------------------------------------------- public

@bp.route("/bantuan")
def index():
    q = " ".join(request.args.get("q", "").split())[:search.MAX_QUERY]
    category = _category_arg()
    articles = actions.article_list(current_user)
    present = [c for c in Category.ALL if any(a.category == c for a in articles)]
    hits, groups = None, []
    if q:
        hits = actions.article_search(current_user, q, limit=20, category=category)
    else:
        groups = [(c, [a for a in articles if a.category == c]) for c in present
                  if category in (None, c)]
    return render_template("kb/index.html", q=q, query=search.parse(q) if q else None,
                           hits=hits, groups=groups, category=category, categories=present)


@bp.route("/bantuan/cari.json")
def suggest():
    """As-you-type suggestions (the request form, the help page's search box)."""
    hits = actions.article_search(current_user, request.args.get("q", ""), limit=SUGGESTIONS)
    return jsonify(results=[{"title": h.article.title,
                             "url": url_for("kb.article", slug=h.article.slug),
                             "snippet": h.snippet} for h in hits])


@bp.route("/bantuan/<slug>")
def article(slug):
    item = actions.article_get(current_user, slug)
    citation = None
    if item.published and auth.is_kb_staff(current_user):
        citation = actions.article_cite(current_user, item.id)
    return render_template("kb/article.html", article=item, citation=citation)


# ---------------------------------------------------------------- editors

@bp.route("/bantuan/kelola")
@login_required
def manage():
    articles = actions.article_list(current_user, include_drafts=True)
    return render_template("kb/manage.html", articles=articles)


@bp.route("/bantuan/baru", methods=["GET", "POST"])
@login_required
def new():
    check(auth.article_create(current_user))  # the page is the form; the action enforces too
    errors, data = {}, {"category": Category.LAINNYA}
    if request.method == "POST":
        data = _form_data(request.form)
        try:
            item = actions.article_create(current_user, data)
        except ValidationError as exc:
            errors = exc.errors
        else:
            flash(_("Draf artikel dibuat. Terbitkan bila sudah siap."), "success")
            return redirect(url_for("kb.edit", slug=item.slug))
    return render_template("kb/form.html", article=None, data=data, errors=errors), (
        422 if errors else 200)


@bp.route("/bantuan/<slug>/ubah", methods=["GET", "POST"])
@login_required
def edit(slug):
    item = actions.get_for_edit(current_user, slug)
    data = actions.snapshot(item)
    data["tags"] = ", ".join(data["tags"])
    errors = {}
    if request.method == "POST":
        data = _form_data(request.form)
        try:
            actions.article_update(current_user, item.id, data)
        except ValidationError as exc:
            errors = exc.errors
        else:
            flash(_("Artikel disimpan."), "success")
            return redirect(url_for("kb.edit", slug=item.slug))
    return render_template("kb/form.html", article=item, data=data, errors=errors), (
        422 if errors else 200)


def _set_published(slug, published):
    item = actions.get_for_edit(current_user, slug)
    try:
        actions.article_publish(current_user, item.id, published)
    except InvalidTransition as exc:
        flash(exc.message, "warning")
    else:
        flash(_("Artikel diterbitkan.") if published else _("Artikel dikembalikan menjadi draf."),
              "success")
    if request.form.get("next") == "kelola":
        return redirect(url_for("kb.manage"))
    return redirect(url_for("kb.edit", slug=item.slug))


@bp.route("/bantuan/<slug>/terbitkan", methods=["POST"])
@login_required
def publish(slug):
    return _set_published(slug, True)


@bp.route("/bantuan/<slug>/tarik", methods=["POST"])
@login_required
def unpublish(slug):
    return _set_published(slug, False)


@bp.route("/bantuan/<slug>/hapus", methods=["POST"])
@login_required
def delete(slug):
    item = actions.get_for_edit(current_user, slug)
    actions.article_delete(current_user, item.id)
    flash(_("Artikel dihapus."), "success")
    return redirect(url_for("kb.manage"))
