"""Web pages of the catalogue. Views load arguments, call an action, render; no rules here."""
from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.accounts.models import Organisation
from app.catalog import actions, auth, search
from app.catalog.labels import access_label, frequency_label
from app.catalog.models import Access, Frequency, License, Region, Status, Topic
from app.core.errors import ValidationError
from app.extensions import db

bp = Blueprint("catalog", __name__, template_folder="templates")


@bp.record_once
def _template_globals(state):
    # Globals, not a context processor: macros imported without context must see them too.
    state.app.jinja_env.globals.update(
        status_label=actions.status_label, catalog_auth=auth, Status=Status,
        access_label=access_label, frequency_label=frequency_label, table_view=_table_view,
        field_label=field_label, pii_decision_label=pii_decision_label,
        submit_fields=actions.REQUIRED_FOR_SUBMIT)


def pii_decision_label(decision):
    return {"masked": _("disamarkan"), "removed": _("kolom dihapus"),
            "justified": _("tetap dibuka dengan alasan")}.get(decision, decision)


def field_label(name):
    """The form label of a metadata field, for notes and error lists."""
    return {
        "title": _("Judul"), "name": _("Nama singkat (URL)"), "description": _("Deskripsi"),
        "organisation_id": _("Produsen data"), "topic_id": _("Topik/sektor"),
        "tags": _("Kata kunci"), "frequency": _("Frekuensi pemutakhiran"),
        "next_update_due": _("Pemutakhiran berikutnya"), "period_start": _("Tahun awal data"),
        "period_end": _("Tahun akhir data"), "spatial_coverage": _("Cakupan wilayah"),
        "kode_wilayah": _("Kode wilayah Kemendagri"), "unit": _("Satuan"),
        "konsep": _("Konsep"), "definisi": _("Definisi"), "klasifikasi": _("Klasifikasi"),
        "ukuran": _("Ukuran"), "kode_sdsn": _("Kode SDSN (opsional)"),
        "access": _("Klasifikasi akses"), "license_id": _("Lisensi"),
        "contact_name": _("Nama kontak"), "contact_email": _("E-mail kontak"),
        "priority": _("Data prioritas"), "resources": _("Berkas dan tautan"),
        "pii": _("Data pribadi"), "_": _("Umum"), "status": _("Status"),
        "file": _("Berkas"), "format": _("Format"), "valid": _("Valid"),
        "errors": _("Kesalahan"), "schema": _("Skema"), "field": _("Isian"),
        "answer": _("Jawaban"), "url": "URL", "user": _("Pengguna"), "reason": _("Alasan"),
        "resource": _("Sumber data"), "column": _("Kolom"), "decision": _("Keputusan"),
    }.get(name, name)


def _table_view(res):
    return actions.table_view(current_user, res)


def flash_errors(exc):
    """Show every message of a ValidationError on the page the user is sent back to."""
    for messages in exc.errors.values():
        for message in messages:
            flash(message, "error")


# ---------------------------------------------------------------- public

@bp.route("/")
def home():
    page = search.catalogue(current_user, {}, page=1)
    return render_template("catalog/home.html", page=page,
                           organisations=Organisation.query.count())


@bp.route("/dataset")
def browse():
    filters = search.clean_filters(request.args)
    sort = request.args.get("sort") if request.args.get("sort") in search.SORTS else None
    page = search.catalogue(current_user, filters, page=request.args.get("page", 1, type=int),
                            sort=sort)
    labels = _facet_labels()
    codes = [code for code, _n in page.facets.get("region", [])]
    labels["region"] = {r.code: r.name for r in Region.query.filter(Region.code.in_(codes))}
    return render_template("catalog/browse.html", page=page, filters=filters, sort_arg=sort,
                           labels=labels)


@bp.route("/walidata/pencarian")
@login_required
def search_stats():
    """What people search for, and what they look for and don't find (staff)."""
    days = min(max(request.args.get("hari", 90, type=int) or 90, 1), 3660)
    return render_template("catalog/search_stats.html",
                           stats=search.query_stats(current_user, days=days))


def _facet_labels():
    return {"organisation": {o.name: o.title for o in Organisation.query.all()},
            "topic": {t.name: t.title for t in Topic.query.all()},
            "access": {a: access_label(a) for a in Access.ALL}}


@bp.route("/dataset/<name>")
def dataset(name):
    ds = actions.get_dataset(current_user, name)
    return render_template("catalog/dataset.html", ds=ds,
                           history=actions.dataset_history(current_user, ds),
                           can_download=actions.can_download(current_user, ds),
                           downloads={r.id: actions.download_total(r.id) for r in ds.resources})


@bp.route("/dataset/<name>/sumber/<resource_id>")
def resource(name, resource_id):
    res = actions.get_resource(current_user, resource_id)
    if res.dataset.name != name:
        abort(404)
    return render_template("catalog/resource.html", ds=res.dataset, res=res,
                           can_download=actions.can_download(current_user, res.dataset))


@bp.route("/dataset/<name>/sumber/<resource_id>/unduh/<fmt>")
def download(name, resource_id, fmt):
    result = actions.resource_download(current_user, resource_id, fmt)
    if "url" in result:
        return redirect(result["url"])
    return send_file(result["path"], mimetype=result["mimetype"], as_attachment=True,
                     download_name=result["filename"])


# ---------------------------------------------------------------- producer

def _form_choices():
    return {"organisations": [o for o in Organisation.query.order_by(Organisation.title)
                              if o.id in current_user.org_ids()],
            "topics": Topic.query.order_by(Topic.title).all(),
            "licenses": License.query.order_by(License.title).all(),
            "frequencies": Frequency.ALL, "accesses": Access.ALL}


def _dataset_form_data(form):
    data = {k: v for k, v in form.items() if k != "csrf_token"}
    data["priority"] = form.get("priority") == "on"
    return actions_clean(data)


def actions_clean(data):
    from app.catalog.schemas import clean_form

    return clean_form(data)


@bp.route("/saya/dataset")
@login_required
def mine():
    return render_template("catalog/mine.html", datasets=search.my_datasets(current_user))


@bp.route("/dataset/baru", methods=["GET", "POST"])
@login_required
def new():
    errors, data = {}, {}
    if request.method == "POST":
        data = _dataset_form_data(request.form)
        try:
            ds = actions.dataset_create(current_user, data)
        except ValidationError as exc:
            errors = exc.errors
        else:
            flash(_("Draf dataset dibuat. Sekarang unggah berkas datanya."), "success")
            return redirect(url_for("catalog.edit", name=ds.name))
    elif not current_user.org_ids():
        flash(_("Akun Anda belum tergabung dalam organisasi produsen data."), "warning")
    return render_template("catalog/dataset_form.html", ds=None, data=data, errors=errors,
                           **_form_choices()), (422 if errors else 200)


def _data_of(ds):
    data = actions.snapshot(ds)
    data["tags"] = ", ".join(data["tags"])
    return data


@bp.route("/dataset/<name>/ubah", methods=["GET", "POST"])
@login_required
def edit(name):
    ds = actions.get_dataset(current_user, name)
    errors, data = {}, _data_of(ds)
    if request.method == "POST":
        data = _dataset_form_data(request.form)
        try:
            actions.dataset_update(current_user, ds.id, data)
        except ValidationError as exc:
            errors = exc.errors
        else:
            flash(_("Metadata disimpan."), "success")
            return redirect(url_for("catalog.edit", name=ds.name))
    return render_template("catalog/dataset_form.html", ds=ds, data=data, errors=errors,
                           problems=actions.submission_problems(ds),
                           **_form_choices()), (422 if errors else 200)


@bp.route("/dataset/<name>/unggah", methods=["POST"])
@login_required
def upload(name):
    ds = actions.get_dataset(current_user, name)
    upload = request.files.get("file")
    try:
        if upload is None or not upload.filename:
            raise ValidationError({"file": [_("Pilih berkas untuk diunggah.")]})
        res = actions.resource_upload(current_user, ds.id, upload.filename, upload.stream,
                                      name=request.form.get("name") or None)
    except ValidationError as exc:
        flash_errors(exc)
        return redirect(url_for("catalog.edit", name=ds.name) + "#berkas")
    _flash_report(res)
    return redirect(url_for("catalog.schema", name=ds.name, resource_id=res.id))


def _flash_report(res):
    if not res.is_tabular:
        flash(_("Berkas tersimpan."), "success")
    elif res.valid:
        flash(_("Berkas lolos validasi (%(n)s baris).", n=res.row_count), "success")
    else:
        flash(_("Berkas tersimpan sebagai draf, tetapi belum lolos validasi: %(n)s kesalahan.",
                n=res.report.get("error_count")), "warning")


@bp.route("/dataset/<name>/tautan", methods=["POST"])
@login_required
def link(name):
    ds = actions.get_dataset(current_user, name)
    try:
        actions.resource_link_create(current_user, ds.id, actions_clean(dict(request.form)))
        flash(_("Tautan ditambahkan."), "success")
    except ValidationError as exc:
        flash_errors(exc)
    return redirect(url_for("catalog.edit", name=ds.name) + "#berkas")


@bp.route("/dataset/<name>/sumber/<resource_id>/skema", methods=["GET", "POST"])
@login_required
def schema(name, resource_id):
    res = actions.get_resource_data(current_user, resource_id)
    errors = {}
    if request.method == "POST":
        try:
            res = actions.resource_schema_update(current_user, res.id, _schema_edits(request.form))
        except ValidationError as exc:
            errors = exc.errors
        else:
            _flash_report(res)
            return redirect(url_for("catalog.schema", name=name, resource_id=res.id))
    return render_template("catalog/schema.html", ds=res.dataset, res=res, errors=errors,
                           types=("string", "integer", "number", "boolean", "date", "year",
                                  "datetime")), (422 if errors else 200)


def _schema_edits(form):
    edits = []
    for i, name in enumerate(form.getlist("field_name")):
        enum = [v.strip() for v in form.get(f"enum_{i}", "").split(",") if v.strip()]
        edits.append({"name": name, "type": form.get(f"type_{i}", "string"),
                      "title": form.get(f"title_{i}", ""), "unit": form.get(f"unit_{i}", ""),
                      "required": form.get(f"required_{i}") == "on", "enum": enum,
                      "regionCode": form.get(f"region_{i}") == "on"})
    return edits


@bp.route("/dataset/<name>/sumber/<resource_id>/ganti", methods=["POST"])
@login_required
def replace(name, resource_id):
    upload = request.files.get("file")
    try:
        if upload is None or not upload.filename:
            raise ValidationError({"file": [_("Pilih berkas untuk diunggah.")]})
        res = actions.resource_replace(current_user, resource_id, upload.filename, upload.stream)
    except ValidationError as exc:
        flash_errors(exc)
        return redirect(url_for("catalog.schema", name=name, resource_id=resource_id))
    _flash_report(res)
    return redirect(url_for("catalog.schema", name=name, resource_id=res.id))


@bp.route("/dataset/<name>/sumber/<resource_id>/hapus", methods=["POST"])
@login_required
def resource_delete(name, resource_id):
    actions.resource_delete(current_user, resource_id)
    flash(_("Sumber data dihapus."), "success")
    return redirect(url_for("catalog.edit", name=name) + "#berkas")


@bp.route("/dataset/<name>/hapus", methods=["POST"])
@login_required
def delete(name):
    ds = actions.get_dataset(current_user, name)
    actions.dataset_delete(current_user, ds.id)
    flash(_("Draf dataset dihapus."), "success")
    return redirect(url_for("catalog.mine"))


@bp.route("/dataset/<name>/ajukan", methods=["POST"])
@login_required
def submit(name):
    ds = actions.get_dataset(current_user, name)
    try:
        actions.dataset_submit(current_user, ds.id)
    except ValidationError as exc:
        flash_errors(exc)
        return redirect(url_for("catalog.edit", name=ds.name))
    flash(_("Dataset diajukan ke walidata untuk diperiksa."), "success")
    return redirect(url_for("catalog.mine"))


@bp.route("/catatan/<int:note_id>/jawab", methods=["POST"])
@login_required
def answer(note_id):
    try:
        note = actions.note_answer(current_user, note_id, request.form.get("answer"))
    except ValidationError as exc:
        flash(exc.message, "error")
        return redirect(request.referrer or url_for("catalog.mine"))
    flash(_("Jawaban disimpan."), "success")
    return redirect(url_for("catalog.edit", name=note.dataset.name))


# ---------------------------------------------------------------- custodian

@bp.route("/walidata/antrean")
@login_required
def queue():
    return render_template("catalog/queue.html", datasets=actions.review_queue(current_user))


@bp.route("/dataset/<name>/periksa")
@login_required
def review(name):
    ds = actions.get_for_review(current_user, name)
    return render_template("catalog/review.html", ds=ds, fields=actions.NOTE_FIELDS,
                           problems=actions.publication_problems(ds),
                           history=actions.dataset_history(current_user, ds))


@bp.route("/dataset/<name>/kembalikan", methods=["POST"])
@login_required
def return_(name):
    ds = actions.get_dataset(current_user, name)
    notes = {k[5:]: v for k, v in request.form.items() if k.startswith("note_") and v.strip()}
    try:
        actions.dataset_return(current_user, ds.id, {"message": request.form.get("message", ""),
                                                     "notes": notes})
    except ValidationError as exc:
        flash(exc.message, "error")
        return redirect(url_for("catalog.review", name=ds.name))
    flash(_("Dataset dikembalikan ke produsen dengan catatan."), "success")
    return redirect(url_for("catalog.queue"))


@bp.route("/dataset/<name>/setujui", methods=["POST"])
@login_required
def approve(name):
    ds = actions.get_dataset(current_user, name)
    try:
        actions.dataset_approve(current_user, ds.id)
    except ValidationError as exc:
        flash_errors(exc)
        return redirect(url_for("catalog.review", name=ds.name))
    flash(_("Dataset disetujui dan diterbitkan."), "success")
    return redirect(url_for("catalog.dataset", name=ds.name))


@bp.route("/dataset/<name>/tarik", methods=["POST"])
@login_required
def withdraw(name):
    ds = actions.get_dataset(current_user, name)
    try:
        actions.dataset_withdraw(current_user, ds.id, request.form.get("reason", ""))
    except ValidationError as exc:
        flash(exc.message, "error")
        return redirect(url_for("catalog.dataset", name=ds.name))
    flash(_("Dataset ditarik dari katalog publik."), "success")
    return redirect(url_for("catalog.dataset", name=ds.name))


@bp.route("/dataset/<name>/buka-kembali", methods=["POST"])
@login_required
def reopen(name):
    ds = actions.get_dataset(current_user, name)
    actions.dataset_reopen(current_user, ds.id)
    flash(_("Dataset kembali menjadi draf."), "success")
    return redirect(url_for("catalog.dataset", name=ds.name))


@bp.route("/dataset/<name>/sumber/<resource_id>/data-pribadi", methods=["POST"])
@login_required
def pii(name, resource_id):
    try:
        actions.pii_decide(current_user, resource_id, {
            "column": request.form.get("column", ""), "decision": request.form.get("decision", ""),
            "reason": request.form.get("reason", "")})
    except ValidationError as exc:
        flash_errors(exc)
    else:
        flash(_("Keputusan data pribadi dicatat."), "success")
    return redirect(url_for("catalog.review", name=name))


@bp.route("/dataset/<name>/akses", methods=["GET", "POST"])
@login_required
def access(name):
    ds = actions.get_dataset(current_user, name)
    errors = {}
    if request.method == "POST":
        try:
            actions.access_grant(current_user, ds.id, request.form.get("email", ""),
                                 request.form.get("reason", ""))
        except ValidationError as exc:
            errors = exc.errors
        else:
            flash(_("Akses diberikan."), "success")
            return redirect(url_for("catalog.access", name=ds.name))
    return render_template("catalog/access.html", ds=ds, errors=errors,
                           grants=actions.access_list(current_user, ds.id)), (
        422 if errors else 200)


@bp.route("/dataset/<name>/akses/<int:user_id>/cabut", methods=["POST"])
@login_required
def access_revoke(name, user_id):
    ds = actions.get_dataset(current_user, name)
    actions.access_revoke(current_user, ds.id, user_id)
    flash(_("Akses dicabut."), "success")
    return redirect(url_for("catalog.access", name=ds.name))


@bp.app_template_global()
def region_name(code):
    region = db.session.get(Region, code) if code else None
    return region.name if region else ""


@bp.app_template_filter("zip")
def _zip(values, other):
    return list(zip(values, other, strict=False))


@bp.app_template_filter("frequency_label_filter")
def _frequency_label_filter(value):
    return frequency_label(value)


@bp.app_template_filter("access_label_filter")
def _access_label_filter(value):
    return access_label(value)


@bp.app_context_processor
def _ingest_messages():
    from app.catalog import ingest

    return {"describe_error": ingest.describe_error, "describe_pii": ingest.describe_pii}


def _audit_labels():
    return {
        "dataset.created": _("Draf dibuat"), "dataset.updated": _("Metadata diubah"),
        "dataset.deleted": _("Draf dihapus"), "dataset.submitted": _("Diajukan ke walidata"),
        "dataset.resubmitted": _("Diajukan ulang"), "dataset.returned": _("Dikembalikan"),
        "dataset.approved": _("Disetujui dan diterbitkan"), "dataset.withdrawn": _("Ditarik"),
        "dataset.reopened": _("Dibuka kembali"), "dataset.note_answered": _("Catatan dijawab"),
        "dataset.access_granted": _("Akses diberikan"),
        "dataset.access_revoked": _("Akses dicabut"),
        "resource.uploaded": _("Berkas diunggah"), "resource.replaced": _("Berkas diganti"),
        "resource.schema_updated": _("Skema diubah"), "resource.linked": _("Tautan ditambahkan"),
        "resource.deleted": _("Berkas dihapus"),
        "resource.pii_decided": _("Keputusan data pribadi"),
    }


@bp.app_template_filter("brief")
def _brief(value):
    """An audit value short enough for a history line (schemas and lists are summarised)."""
    if isinstance(value, dict):
        if "fields" in value:
            return _("skema %(n)s kolom", n=len(value["fields"]))
        return ", ".join(f"{k}={_brief(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(str(_brief(v)) for v in value[:8]) + ("…" if len(value) > 8 else "")
    if isinstance(value, str) and value in actions.STATUS_LABELS:
        return actions.status_label(value)
    text = "" if value is None else str(value)
    return text if len(text) <= 80 else text[:77] + "…"


@bp.app_template_filter("audit_label")
def _audit_label(action):
    return _audit_labels().get(action, action)


# Pages of the inventory and the public statistics live beside this module and register on
# the same blueprint.
from app.catalog import views_inventory, views_stats  # noqa: E402, F401
