"""Catalogue use-cases. Every front end (web, API, CLI, demo loader) calls these.

Each action: authorize -> validate -> change -> audit -> outbox -> commit.
"""
import re
import unicodedata
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.accounts.models import Organisation, User
from app.catalog import auth, ingest, privacy, schemas
from app.catalog.ingest_common import HEAD_BYTES
from app.catalog.models import (
    Access,
    Dataset,
    DatasetAccess,
    DownloadCount,
    Frequency,
    License,
    PiiDecision,
    Region,
    Resource,
    ReviewNote,
    Status,
    Tag,
    Topic,
)
from app.core import audit, outbox, storage
from app.core.actor import check
from app.core.errors import InvalidTransition, NotFound, ValidationError
from app.core.schemas import load
from app.core.timeutil import local_today, utcnow
from app.extensions import db

# Metadata fields a custodian may comment on, in form order (also the audit snapshot).
METADATA_FIELDS = (
    "title", "name", "description", "organisation_id", "topic_id", "tags", "frequency",
    "next_update_due", "period_start", "period_end", "spatial_coverage", "kode_wilayah",
    "unit", "konsep", "definisi", "klasifikasi", "ukuran", "kode_sdsn", "access",
    "license_id", "contact_name", "contact_email", "priority",
)
NOTE_FIELDS = METADATA_FIELDS + ("resources", "_")
# What a dataset must have before the custodian sees it.
REQUIRED_FOR_SUBMIT = ("description", "topic_id", "license_id", "contact_name",
                       "contact_email", "period_start", "spatial_coverage")


# ---------------------------------------------------------------- loading

def get_dataset(actor, ref):
    """A dataset by id or name that the actor may see. Raises NotFound (never leaks existence)."""
    dataset = db.session.get(Dataset, ref) or Dataset.query.filter_by(name=ref).first()
    if dataset is None or not auth.dataset_read(actor, dataset):
        raise NotFound(_l("Dataset tidak ditemukan."))
    return dataset


def get_resource(actor, resource_id):
    resource = db.session.get(Resource, resource_id)
    if resource is None or not auth.dataset_read(actor, resource.dataset):
        raise NotFound(_l("Sumber data tidak ditemukan."))
    return resource


def get_for_review(actor, ref):
    """A dataset with everything the custodian checks. :raises NotFound, NotAuthorized"""
    dataset = get_dataset(actor, ref)
    check(auth.review_queue(actor))
    return dataset


def get_resource_data(actor, resource_id):
    """A resource whose rows (preview, validation report) the actor may read.

    Reports quote cell values, so they are as restricted as the file itself.
    :raises NotFound, NotAuthorized
    """
    resource = get_resource(actor, resource_id)
    check(can_download(actor, resource.dataset))
    return resource


def snapshot(dataset):
    """The dataset's metadata as plain JSON values, for the audit log."""
    data = {f: getattr(dataset, f) for f in METADATA_FIELDS if f != "tags"}
    data["tags"] = sorted(t.name for t in dataset.tags)
    if isinstance(data.get("next_update_due"), date):
        data["next_update_due"] = data["next_update_due"].isoformat()
    return data


# ---------------------------------------------------------------- metadata

def slugify(text):
    """ASCII slug: accents dropped, any other mark (dashes like '2019–2024') a separator."""
    text = "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:90].strip("-") or "dataset"


def _unique_name(title):
    base, n = slugify(title), 1
    name = base
    while Dataset.query.filter_by(name=name).first():
        n += 1
        name = f"{base}-{n}"
    return name


def _check_references(clean):
    errors = {}
    if clean.get("topic_id") and not db.session.get(Topic, clean["topic_id"]):
        errors["topic_id"] = [_l("Topik tidak dikenal.")]
    if clean.get("license_id") and not db.session.get(License, clean["license_id"]):
        errors["license_id"] = [_l("Lisensi tidak dikenal.")]
    if clean.get("kode_wilayah") and not db.session.get(Region, clean["kode_wilayah"]):
        errors["kode_wilayah"] = [_l("Kode wilayah %(code)s tidak ada dalam daftar resmi "
                                     "Kemendagri.", code=clean["kode_wilayah"])]
    if errors:
        raise ValidationError(errors)


def _tags(names):
    tags = []
    for name in names:
        tag = Tag.query.filter_by(name=name).first() or Tag(name=name)
        tags.append(tag)
    return tags


def _apply(dataset, clean):
    for field in METADATA_FIELDS:
        if field in ("tags", "name", "organisation_id"):
            continue
        if field in clean:
            setattr(dataset, field, clean[field])
    if "tags" in clean:
        dataset.tags = _tags(clean["tags"])


def dataset_create(actor, data):
    """Create a draft dataset for one of the producer's organisations.

    :raises NotAuthorized, ValidationError
    """
    clean = load(schemas.DatasetInput, data)
    check(auth.dataset_create(actor, clean["organisation_id"]),
          _l("Anda hanya dapat membuat dataset untuk organisasi Anda sendiri."))
    _check_references(clean)
    if clean.get("name") and Dataset.query.filter_by(name=clean["name"]).first():
        raise ValidationError({"name": [_l("Nama singkat sudah dipakai dataset lain.")]})
    dataset = Dataset(name=clean.get("name") or _unique_name(clean["title"]),
                      organisation_id=clean["organisation_id"], status=Status.DRAFT,
                      created_by_id=actor.id, custodian_id=_custodian_id())
    _apply(dataset, clean)
    db.session.add(dataset)
    audit.record(actor, "dataset.created", dataset, after=snapshot(dataset))
    db.session.commit()
    return dataset


def _custodian_id():
    custodian = Organisation.query.filter_by(is_custodian=True).order_by(Organisation.id).first()
    return custodian.id if custodian else None


def dataset_update(actor, dataset_id, data):
    """Edit a draft or returned dataset's metadata.

    :raises NotFound, NotAuthorized, ValidationError
    """
    dataset = get_dataset(actor, dataset_id)
    check(auth.dataset_update(actor, dataset),
          _l("Dataset hanya dapat diubah oleh produsennya selama berstatus draf atau revisi."))
    data = {**data, "organisation_id": dataset.organisation_id}
    clean = load(schemas.DatasetInput, data)
    _check_references(clean)
    before = snapshot(dataset)
    _apply(dataset, clean)
    old, new = audit.diff(before, snapshot(dataset))
    if new:
        audit.record(actor, "dataset.updated", dataset, before=old, after=new)
    db.session.commit()
    return dataset


def dataset_delete(actor, dataset_id):
    """Delete a draft that was never submitted.

    :raises NotFound, NotAuthorized
    """
    dataset = get_dataset(actor, dataset_id)
    check(auth.dataset_delete(actor, dataset))
    keys = _storage_keys(dataset.resources)
    audit.record(actor, "dataset.deleted", dataset, before=snapshot(dataset))
    db.session.delete(dataset)
    db.session.commit()
    _delete_files(keys)


# ---------------------------------------------------------------- resources

_region_cache = {"count": -1, "codes": frozenset()}


def _region_codes():
    """All region codes, loaded once per process and again when the table grows.

    Codes are only ever added (by region_import), so the row count is a cheap, cross-process
    version stamp; reloading 91,599 codes for every upload cost ~200 ms.
    """
    count = db.session.scalar(select(func.count()).select_from(Region))
    if count != _region_cache["count"]:
        _region_cache["codes"] = frozenset(db.session.scalars(select(Region.code)))
        _region_cache["count"] = count
    return _region_cache["codes"]


def _max_bytes():
    from flask import current_app

    return current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024


def _ingest_error(exc):
    return ValidationError({"file": [ingest.describe_ingest_error(exc)]})


def _store_and_ingest(filename, stream, schema):
    """Store the original atomically, check it, and run the tabular path.

    Returns (stored original, stored normalised CSV or None, IngestResult). Nothing stays in
    storage when this raises.
    """
    store = storage.from_app()
    try:
        ingest.detect_format(filename, b"")  # the name alone first: nothing stored for a bad one
    except ingest.IngestError as exc:
        raise _ingest_error(exc) from None
    suffix = "." + filename.rsplit(".", 1)[-1].lower()
    try:
        original = store.save(stream, max_bytes=_max_bytes(), suffix=suffix)
    except storage.TooLarge:
        from flask import current_app

        raise ValidationError({"file": [_l("Berkas terlalu besar: batasnya %(mb)s MB.",
                                           mb=current_app.config["MAX_UPLOAD_MB"])]}) from None
    workdir = store.workdir()
    try:
        if original.size == 0:
            raise ingest.IngestError("empty", {})
        with store.open(original.key) as fh:
            fmt = ingest.detect_format(filename, fh.read(HEAD_BYTES))
        result = _run_ingest(store, original, fmt, workdir, schema)
        normalized = store.save_file(result.csv_path, suffix=".csv") if result.csv_path else None
        return original, normalized, result
    except ingest.IngestError as exc:
        store.delete(original.key)
        raise _ingest_error(exc) from None
    except Exception:
        store.delete(original.key)
        raise
    finally:
        store.cleanup(workdir)


def _run_ingest(store, original, fmt, workdir, schema):
    try:
        return ingest.ingest(store.path(original.key), fmt, workdir, schema=schema,
                             region_codes=_region_codes())
    except ingest.IngestError as exc:
        if exc.code == "json-shape":  # a JSON document that is not a table: keep it as a file
            return ingest.non_tabular_result(fmt)
        raise


def _fill_resource(resource, filename, original, normalized, result):
    resource.kind = "upload"
    resource.format = result.fmt
    resource.original_filename = filename
    resource.mimetype = ingest.MIMETYPES.get(result.fmt)
    resource.storage_key = original.key
    resource.size = original.size
    resource.sha256 = original.sha256
    resource.normalized_key = normalized.key if normalized else None
    resource.table_schema = result.schema
    resource.report = result.report
    resource.preview = result.preview
    resource.row_count = (result.report or {}).get("row_count")
    resource.pii_decisions = []
    _clear_public_copy(resource)


def _report_summary(resource):
    report = resource.report or {}
    return {"file": resource.original_filename, "format": resource.format,
            "sha256": resource.sha256, "valid": report.get("valid", True),
            "errors": report.get("error_count", 0),
            "pii": [p["column"] for p in report.get("pii", [])]}


def resource_upload(actor, dataset_id, filename, stream, name=None, description=""):
    """Upload a file (CSV, XLSX, JSON, PDF) to a draft or returned dataset and validate it.

    A file that fails validation is kept as a draft resource with its report; it blocks
    submission, not saving.

    :raises NotFound, NotAuthorized, ValidationError
    """
    dataset = get_dataset(actor, dataset_id)
    check(auth.resource_create(actor, dataset))
    original, normalized, result = _store_and_ingest(filename, stream, schema=None)
    resource = Resource(dataset=dataset, name=(name or filename)[:255], description=description,
                        position=len(dataset.resources))
    _fill_resource(resource, filename, original, normalized, result)
    db.session.add(resource)
    audit.record(actor, "resource.uploaded", dataset, after=_report_summary(resource))
    db.session.commit()
    return resource


def _resource_for_edit(actor, resource_id):
    resource = get_resource(actor, resource_id)
    check(auth.resource_update(actor, resource.dataset))
    return resource


def resource_replace(actor, resource_id, filename, stream):
    """Replace a resource's file (the producer's fix), validating it against its current schema.

    :raises NotFound, NotAuthorized, ValidationError
    """
    resource = _resource_for_edit(actor, resource_id)
    old_keys = _storage_keys([resource])
    schema = resource.table_schema if resource.is_tabular else None
    original, normalized, result = _store_and_ingest(filename, stream, schema=schema)
    before = _report_summary(resource)
    _fill_resource(resource, filename, original, normalized, result)
    audit.record(actor, "resource.replaced", resource.dataset, before=before,
                 after=_report_summary(resource))
    db.session.commit()
    _delete_files(old_keys)
    return resource


def resource_schema_update(actor, resource_id, edits):
    """Apply the producer's table-schema edits and validate the stored file again.

    :raises NotFound, NotAuthorized, ValidationError
    """
    resource = _resource_for_edit(actor, resource_id)
    if not resource.is_tabular:
        raise ValidationError({"schema": [_l("Skema hanya tersedia untuk data tabel.")]})
    try:
        schema = ingest.merge_schema_edit(resource.table_schema, edits)
    except ingest.IngestError as exc:
        raise ValidationError({"schema": [ingest.describe_ingest_error(exc)]}) from None
    store = storage.from_app()
    workdir = store.workdir()
    try:
        result = ingest.ingest(store.path(resource.storage_key), resource.format, workdir,
                               schema=schema, region_codes=_region_codes())
    except ingest.IngestError as exc:
        raise _ingest_error(exc) from None
    finally:
        store.cleanup(workdir)
    before = {"schema": resource.table_schema, **_report_summary(resource)}
    resource.table_schema, resource.report = result.schema, result.report
    resource.row_count = result.report.get("row_count")
    resource.pii_decisions = []
    stale = _clear_public_copy(resource)
    audit.record(actor, "resource.schema_updated", resource.dataset, before=before,
                 after={"schema": resource.table_schema, **_report_summary(resource)})
    db.session.commit()
    _delete_files(stale)
    return resource


def resource_link_create(actor, dataset_id, data):
    """Add an external link as a resource.

    :raises NotFound, NotAuthorized, ValidationError
    """
    dataset = get_dataset(actor, dataset_id)
    check(auth.resource_create(actor, dataset))
    clean = load(schemas.LinkInput, data)
    resource = Resource(dataset=dataset, kind="link", name=clean["name"], url=clean["url"],
                        format=clean["format"].upper(), description=clean["description"],
                        position=len(dataset.resources))
    db.session.add(resource)
    audit.record(actor, "resource.linked", dataset, after={"url": clean["url"]})
    db.session.commit()
    return resource


def resource_delete(actor, resource_id):
    """:raises NotFound, NotAuthorized"""
    resource = _resource_for_edit(actor, resource_id)
    dataset, keys = resource.dataset, _storage_keys([resource])
    audit.record(actor, "resource.deleted", dataset, before=_report_summary(resource))
    db.session.delete(resource)
    db.session.commit()
    _delete_files(keys)


def _storage_keys(resources):
    """Every stored file of these resources: original, normalised, redacted, and exports."""
    store = storage.from_app()
    keys = [k for r in resources for k in (r.storage_key, r.normalized_key, r.public_key) if k]
    exports = store.root / "exports"
    for resource in resources:
        keys += [f"exports/{p.name}" for p in exports.glob(f"{resource.id}-*")]
    return keys


def _delete_files(keys):
    # Files go only after the commit: a rolled-back change must still find its files.
    store = storage.from_app()
    for key in keys:
        store.delete(key)


# ---------------------------------------------------------------- workflow

def _transition(actor, dataset, action, allowed_from, to, note=None):
    if dataset.status not in allowed_from:
        raise InvalidTransition(_l("Dataset berstatus %(status)s tidak dapat %(action)s.",
                                   status=status_label(dataset.status),
                                   action=ACTION_LABELS[action]))
    before = dataset.status
    dataset.status = to
    audit.record(actor, f"dataset.{action}", dataset, before={"status": before},
                 after={"status": to}, note=note)


def submission_problems(dataset):
    """What stops a dataset from going to the custodian, as a per-field error dict."""
    errors = {}
    for field in REQUIRED_FOR_SUBMIT:
        if getattr(dataset, field) in (None, ""):
            errors[field] = [_l("Wajib diisi sebelum diajukan.")]
    if not dataset.resources:
        errors["resources"] = [_l("Tambahkan setidaknya satu berkas atau tautan.")]
    invalid = [r.name for r in dataset.resources if not r.valid]
    if invalid:
        errors.setdefault("resources", []).append(
            _l("Perbaiki berkas yang belum lolos validasi: %(names)s.", names=", ".join(invalid)))
    return errors


def dataset_submit(actor, dataset_id):
    """Send a draft or returned dataset to the custodian.

    :raises NotFound, NotAuthorized, InvalidTransition, ValidationError
    """
    dataset = get_dataset(actor, dataset_id)
    check(auth.dataset_submit(actor, dataset))
    problems = submission_problems(dataset)
    if problems:
        raise ValidationError(problems)
    resubmit = dataset.status == Status.REVISION
    _transition(actor, dataset, "resubmitted" if resubmit else "submitted",
                Status.EDITABLE, Status.SUBMITTED)
    dataset.submitted_by_id, dataset.submitted_at = actor.id, utcnow()
    db.session.commit()
    return dataset


def review_queue(actor):
    """Submitted datasets, oldest first. :raises NotAuthorized"""
    check(auth.review_queue(actor))
    return (Dataset.query.filter_by(status=Status.SUBMITTED)
            .order_by(Dataset.submitted_at, Dataset.id).all())


def _resolve_notes(dataset):
    for note in dataset.open_notes():
        note.resolved = True


def dataset_return(actor, dataset_id, data):
    """Return a submitted dataset to its producer with notes, field by field where needed.

    data: {"message": general note, "notes": {field: note}}.
    :raises NotFound, NotAuthorized, InvalidTransition, ValidationError
    """
    dataset = get_dataset(actor, dataset_id)
    check(auth.dataset_return(actor, dataset),
          _l("Hanya walidata yang bukan pembuat dataset ini yang dapat memeriksanya."))
    clean = load(schemas.ReturnInput, data)
    unknown = [f for f in clean["notes"] if f not in NOTE_FIELDS]
    if unknown:
        raise ValidationError({"notes": [_l("Isian tidak dikenal: %(f)s", f=", ".join(unknown))]})
    _transition(actor, dataset, "returned", (Status.SUBMITTED,), Status.REVISION,
                note=clean["message"] or None)
    _resolve_notes(dataset)
    notes = dict(clean["notes"])
    if clean["message"].strip():
        notes["_"] = clean["message"]
    for field, text in notes.items():
        if text.strip():
            dataset.notes.append(ReviewNote(field=field, note=text.strip(), author_id=actor.id))
    outbox.enqueue("dataset.returned", dataset_id=dataset.id)
    db.session.commit()
    return dataset


def note_answer(actor, note_id, answer):
    """The producer answers a custodian's note. :raises NotFound, NotAuthorized, ValidationError"""
    note = db.session.get(ReviewNote, note_id)
    if note is None:
        raise NotFound(_l("Catatan tidak ditemukan."))
    dataset = get_dataset(actor, note.dataset_id)
    check(auth.note_answer(actor, dataset))
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": [_l("Jawaban tidak boleh kosong.")]})
    note.answer, note.answered_by_id, note.answered_at = answer[:5000], actor.id, utcnow()
    audit.record(actor, "dataset.note_answered", dataset, after={"field": note.field,
                                                                 "answer": note.answer})
    db.session.commit()
    return note


def publication_problems(dataset):
    errors = submission_problems(dataset)
    for resource in dataset.resources:
        if resource.pii_undecided():
            errors.setdefault("pii", []).append(
                _l("Putuskan penanganan data pribadi pada %(name)s: %(cols)s.",
                   name=resource.name, cols=", ".join(resource.pii_undecided())))
    return errors


def _next_due(dataset, today):
    days = Frequency.DAYS.get(dataset.frequency)
    return today + timedelta(days=days) if days else None


def dataset_approve(actor, dataset_id):
    """Approve a submitted dataset; approval publishes it.

    :raises NotFound, NotAuthorized, InvalidTransition, ValidationError
    """
    dataset = get_dataset(actor, dataset_id)
    check(auth.dataset_approve(actor, dataset),
          _l("Hanya walidata yang bukan pembuat dataset ini yang dapat menyetujuinya."))
    if dataset.status != Status.SUBMITTED:
        _transition(actor, dataset, "approved", (Status.SUBMITTED,), Status.PUBLISHED)
    problems = publication_problems(dataset)
    if problems:
        raise ValidationError(problems)
    _transition(actor, dataset, "approved", (Status.SUBMITTED,), Status.PUBLISHED)
    now = utcnow()
    dataset.published_at = now
    if dataset.next_update_due is None:
        dataset.next_update_due = _next_due(dataset, local_today())  # the agency's day, not UTC's
    _resolve_notes(dataset)
    outbox.enqueue("dataset.published", key=f"dataset.published:{dataset.id}:{now.isoformat()}",
                   dataset_id=dataset.id)
    db.session.commit()
    return dataset


def dataset_withdraw(actor, dataset_id, reason=""):
    """Take a published dataset off the public catalogue. :raises NotFound, NotAuthorized,
    InvalidTransition, ValidationError"""
    dataset = get_dataset(actor, dataset_id)
    check(auth.dataset_withdraw(actor, dataset))
    if len((reason or "").strip()) < 5:
        raise ValidationError({"reason": [_l("Tuliskan alasan penarikan.")]})
    _transition(actor, dataset, "withdrawn", (Status.PUBLISHED,), Status.WITHDRAWN,
                note=reason.strip())
    outbox.enqueue("dataset.withdrawn", key=f"dataset.withdrawn:{dataset.id}:{utcnow()}",
                   dataset_id=dataset.id)
    db.session.commit()
    return dataset


def dataset_reopen(actor, dataset_id):
    """Bring a withdrawn dataset back to draft so its producer can fix and resubmit it.

    :raises NotFound, NotAuthorized, InvalidTransition
    """
    dataset = get_dataset(actor, dataset_id)
    check(auth.dataset_reopen(actor, dataset))
    _transition(actor, dataset, "reopened", (Status.WITHDRAWN,), Status.DRAFT)
    _changed(dataset)
    db.session.commit()
    return dataset


def _changed(dataset):
    """Tell the outbox's followers (the search index) that a dataset changed; they read it
    again from the database, so one message per change and commit is enough."""
    outbox.enqueue("dataset.updated", key=f"dataset.updated:{dataset.id}:{utcnow().isoformat()}",
                   dataset_id=dataset.id)


def pii_decide(actor, resource_id, data):
    """Record the custodian's decision on a column flagged as personal data.

    :raises NotFound, NotAuthorized, ValidationError
    """
    resource = get_resource(actor, resource_id)
    check(auth.pii_decide(actor, resource.dataset))
    clean = load(schemas.PiiDecisionInput, data)
    if clean["column"] not in resource.pii_columns():
        raise ValidationError({"column": [_l("Kolom ini tidak ditandai sebagai data pribadi.")]})
    existing = {d.column: d for d in resource.pii_decisions}
    decision = existing.get(clean["column"]) or PiiDecision(column=clean["column"])
    decision.decision, decision.reason = clean["decision"], clean["reason"].strip()
    decision.decided_by_id, decision.decided_at = actor.id, utcnow()
    if decision not in resource.pii_decisions:
        resource.pii_decisions.append(decision)
    stale = _refresh_public_copy(resource)
    audit.record(actor, "resource.pii_decided", resource.dataset,
                 after={"resource": resource.name, **clean})
    if resource.dataset.status == Status.PUBLISHED:  # the public columns may have changed
        _changed(resource.dataset)
    db.session.commit()
    _delete_files(stale)
    return decision


def _clear_public_copy(resource):
    """Forget the redacted copy; returns the storage keys to delete after the commit."""
    stale = [resource.public_key] if resource.public_key else []
    resource.public_key = resource.public_schema = resource.public_preview = None
    return stale


def _refresh_public_copy(resource):
    """Make the redacted copy the public gets (or drop it when nothing needs hiding)."""
    stale = _clear_public_copy(resource)
    decisions = {d.column: d.decision for d in resource.pii_decisions}
    if not resource.is_tabular or not privacy.needs_redaction(decisions):
        return stale
    store = storage.from_app()
    workdir = store.workdir()
    try:
        target = workdir / "public.csv"
        preview = privacy.redact_csv(store.path(resource.normalized_key), target, decisions)
        resource.public_key = store.save_file(target, suffix=".csv").key
    finally:
        store.cleanup(workdir)
    resource.public_schema = privacy.redact_schema(resource.table_schema, decisions)
    resource.public_preview = preview
    return stale


# ---------------------------------------------------------------- access list

def access_grant(actor, dataset_id, email, reason=""):
    """Add a user to a restricted dataset's access list.

    :raises NotFound, NotAuthorized, ValidationError
    """
    dataset = get_dataset(actor, dataset_id)
    check(auth.access_manage(actor, dataset))
    if dataset.access != Access.TERBATAS:
        raise ValidationError({"email": [_l("Daftar akses hanya untuk dataset terbatas.")]})
    user = User.query.filter(func.lower(User.email) == (email or "").strip().lower()).first()
    if user is None:
        raise ValidationError({"email": [_l("Pengguna dengan e-mail ini tidak ditemukan.")]})
    if db.session.get(DatasetAccess, (dataset.id, user.id)):
        raise ValidationError({"email": [_l("Pengguna ini sudah ada dalam daftar akses.")]})
    grant_access(actor, dataset, user, reason)
    db.session.commit()


def grant_access(actor, dataset, user, reason=""):
    """Put a user on a restricted dataset's access list inside the caller's transaction
    (the help desk grants access when the custodian approves a request). Idempotent."""
    if db.session.get(DatasetAccess, (dataset.id, user.id)):
        return
    db.session.add(DatasetAccess(dataset_id=dataset.id, user_id=user.id, reason=reason or "",
                                 granted_by_id=getattr(actor, "id", None)))
    audit.record(actor, "dataset.access_granted", dataset, after={"user": user.email,
                                                                   "reason": reason})


def access_revoke(actor, dataset_id, user_id):
    """:raises NotFound, NotAuthorized"""
    dataset = get_dataset(actor, dataset_id)
    check(auth.access_manage(actor, dataset))
    grant = db.session.get(DatasetAccess, (dataset.id, int(user_id)))
    if grant is None:
        raise NotFound(_l("Pengguna tidak ada dalam daftar akses."))
    audit.record(actor, "dataset.access_revoked", dataset, before={"user": grant.user.email})
    db.session.delete(grant)
    db.session.commit()


def access_list(actor, dataset_id):
    dataset = get_dataset(actor, dataset_id)
    check(auth.access_manage(actor, dataset))
    return DatasetAccess.query.filter_by(dataset_id=dataset.id).all()


def has_grant(actor, dataset):
    if not getattr(actor, "id", None):
        return False
    return db.session.get(DatasetAccess, (dataset.id, actor.id)) is not None


def can_download(actor, dataset):
    return auth.resource_download(actor, dataset, has_grant(actor, dataset))


# ---------------------------------------------------------------- downloads

EXPORT_FORMATS = ("original", "csv", "xlsx", "json")


def _count_download(resource_id, today):
    from sqlalchemy.dialects import postgresql, sqlite

    insert = (postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert)
    stmt = insert(DownloadCount).values(resource_id=resource_id, day=today, count=1)
    stmt = stmt.on_conflict_do_update(index_elements=["resource_id", "day"],
                                      set_={"count": DownloadCount.count + 1})
    db.session.execute(stmt)


def _export(resource, fmt, public):
    """A converted copy, made once per file version and kept (atomically) in storage."""
    store = storage.from_app()
    source_key = resource.public_key if public else resource.normalized_key
    schema = resource.public_schema if public else resource.table_schema
    version = source_key.rsplit("/", 1)[-1].split(".")[0][:16]
    key = f"exports/{resource.id}-{version}.{fmt}"
    path = store.path(key)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{fmt}.part")
        writer = {"csv": ingest.export_csv, "xlsx": ingest.export_xlsx,
                  "json": ingest.export_json}[fmt]
        with open(tmp, "wb") as out:
            if fmt == "csv":
                writer(store.path(source_key), out, schema=schema)
            else:
                writer(store.path(source_key), schema, out)
        tmp.replace(path)
    return path


def resource_download(actor, resource_id, fmt="original"):
    """Serve a resource as its original file or, for tables, as CSV, XLSX or JSON; counts it.

    Returns {"path", "filename", "mimetype"} or {"url"} for links.
    :raises NotFound, NotAuthorized, ValidationError
    """
    resource = get_resource(actor, resource_id)
    dataset = resource.dataset
    check(can_download(actor, dataset),
          _l("Berkas dataset terbatas hanya dapat diunduh oleh pengguna yang telah diberi akses."
             " Ajukan permohonan data untuk memperolehnya."))
    if fmt not in EXPORT_FORMATS or (fmt != "original" and not resource.is_tabular):
        raise ValidationError({"format": [_l("Format unduhan tidak tersedia.")]})
    if dataset.status == Status.PUBLISHED:
        _count_download(resource.id, local_today())  # days are Jakarta days
        db.session.commit()
    if resource.kind == "link":
        return {"url": resource.url}
    stem = slugify(resource.name.rsplit(".", 1)[0])
    public = resource.redacted and not auth.resource_raw(actor, dataset)
    if public and fmt == "original":
        fmt = "csv"  # the original still holds the personal data the custodian hid
    if fmt == "original":
        return {"path": storage.from_app().path(resource.storage_key),
                "filename": resource.original_filename, "mimetype": resource.mimetype}
    return {"path": _export(resource, fmt, public), "filename": f"{stem}.{fmt}",
            "mimetype": ingest.MIMETYPES[fmt.upper()]}


def table_view(actor, resource):
    """(preview, schema) this actor may see: the redacted ones unless producer or custodian."""
    if resource.redacted and not auth.resource_raw(actor, resource.dataset):
        return resource.public_preview, resource.public_schema
    return resource.preview, resource.table_schema


def download_total(resource_id):
    return db.session.scalar(select(func.coalesce(func.sum(DownloadCount.count), 0))
                             .where(DownloadCount.resource_id == resource_id))


# ---------------------------------------------------------------- labels

def status_label(status):
    return STATUS_LABELS.get(status, status)


STATUS_LABELS = {
    Status.DRAFT: _l("draf"), Status.SUBMITTED: _l("diajukan"), Status.REVISION: _l("revisi"),
    Status.PUBLISHED: _l("terbit"), Status.WITHDRAWN: _l("ditarik"),
}
ACTION_LABELS = {
    "submitted": _l("diajukan"), "resubmitted": _l("diajukan ulang"),
    "returned": _l("dikembalikan"), "approved": _l("disetujui"), "withdrawn": _l("ditarik"),
    "reopened": _l("dibuka kembali"),
}


# ---------------------------------------------------------------- reference data

def region_import(actor, rows, prefix=None):
    """Load or refresh region codes from rows of (kode, nama, tingkat); `prefix` limits the load
    to one province (the demo loads only its own). Returns the number of codes written.

    :raises NotAuthorized, ValidationError
    """
    check(auth.region_import(actor))
    existing = {r.code: r for r in Region.query.all()}
    count, errors = 0, []
    for lineno, row in enumerate(rows, start=2):
        code, name, level = (row.get("kode") or "").strip(), (row.get("nama") or "").strip(), (
            row.get("tingkat") or "").strip()
        if prefix and not (code == prefix or code.startswith(prefix + ".")):
            continue
        if not schemas.REGION.match(code) or not name:
            errors.append(_l("Baris %(n)s: kode %(code)s tidak valid.", n=lineno, code=code))
            if len(errors) >= 20:
                break
            continue
        parent = code.rsplit(".", 1)[0] if "." in code else None
        region = existing.get(code)
        if region is None:
            db.session.add(Region(code=code, name=name, level=level, parent_code=parent))
        elif (region.name, region.level) != (name, level):
            region.name, region.level = name, level
        else:
            continue
        count += 1
    if errors:
        db.session.rollback()
        raise ValidationError({"file": errors})
    audit.record(actor, "regions.imported", "region", object_type="region",
                 after={"written": count, "prefix": prefix})
    db.session.commit()
    return count


TOPICS = [
    ("kependudukan", "Kependudukan"), ("kesehatan", "Kesehatan"), ("pendidikan", "Pendidikan"),
    ("pertanian", "Pertanian dan Pangan"), ("ekonomi", "Ekonomi dan Keuangan"),
    ("infrastruktur", "Infrastruktur dan Transportasi"), ("lingkungan", "Lingkungan Hidup"),
    ("sosial", "Sosial dan Kesejahteraan"), ("pemerintahan", "Pemerintahan"),
    ("pariwisata", "Pariwisata dan Kebudayaan"),
]
LICENSES = [
    ("cc-by-4.0", "Creative Commons Attribution 4.0",
     "https://creativecommons.org/licenses/by/4.0/", True),
    ("cc-by-sa-4.0", "Creative Commons Attribution-ShareAlike 4.0",
     "https://creativecommons.org/licenses/by-sa/4.0/", True),
    ("cc0-1.0", "Creative Commons CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/",
     True),
    ("odc-odbl", "Open Data Commons Open Database License",
     "https://opendatacommons.org/licenses/odbl/", True),
    ("other-closed", "Terbatas (bukan lisensi terbuka)", None, False),
]


def reference_seed(actor):
    """Topics and licences every catalogue needs; adding what is missing only (idempotent)."""
    check(auth.region_import(actor))
    for name, title in TOPICS:
        if not Topic.query.filter_by(name=name).first():
            db.session.add(Topic(name=name, title=title))
    for lic_id, title, url, is_open in LICENSES:
        if not db.session.get(License, lic_id):
            db.session.add(License(id=lic_id, title=title, url=url, is_open=is_open))
    db.session.commit()


# Events that name a member of the public (access grants) stay off the public history.
PRIVATE_EVENTS = ("dataset.access_granted", "dataset.access_revoked", "dataset.note_answered")


def dataset_history(actor, dataset):
    """The dataset's audit trail as this actor may see it.

    Catalogue staff see every step with who took it; who was given access (a requester's
    identity) only those who manage access and the dataset's producers. The public sees the
    publication steps without people's e-mail addresses (UU 27/2022).
    """
    entries = audit.history("dataset", dataset.id)
    if not auth.is_catalog_staff(actor):
        return [PublicEntry(e) for e in entries if e.action not in PRIVATE_EVENTS]
    if auth.access_manage(actor, dataset) or auth.resource_raw(actor, dataset):
        return entries
    return [e for e in entries if e.action not in PRIVATE_EVENTS]


class PublicEntry:
    """An audit row with the actor reduced to a role word."""

    def __init__(self, entry):
        self.at, self.action, self.note = entry.at, entry.action, None
        self.actor_label = _l("sistem") if entry.actor_label == "system" else _l("petugas")
        keep = ("status",)
        self.before = {k: v for k, v in (entry.before or {}).items() if k in keep}
        self.after = {k: v for k, v in (entry.after or {}).items() if k in keep}


# ---------------------------------------------------------------- usage reports (SPBE level 1)

import io  # noqa: E402

from sqlalchemy.exc import IntegrityError  # noqa: E402

from app.catalog import stats  # noqa: E402
from app.catalog.models import UsageReport  # noqa: E402
from reports import usage as usage_reports  # noqa: E402

USAGE_REPORT_FORMATS = {"pdf": "application/pdf", "html": "text/html"}


def _report_month(year, month):
    try:
        year, month = int(year), int(month)
    except (TypeError, ValueError):
        raise ValidationError({"month": [_l("Bulan tidak valid (format TTTT-BB).")]}) from None
    if not (2000 <= year <= 9999 and 1 <= month <= 12):
        raise ValidationError({"month": [_l("Bulan tidak valid (format TTTT-BB).")]})
    if not stats.month_has_ended(year, month):
        raise ValidationError({"month": [_l("Laporan hanya dapat dibuat untuk bulan yang sudah "
                                            "berakhir.")]})
    return year, month


def _save_usage_report(actor, year, month, pdf, html, now):
    """Insert or replace the month's row; returns (report, storage keys it no longer uses)."""
    report = UsageReport.query.filter_by(year=year, month=month).first()
    before = None
    stale = []
    if report is None:
        report = UsageReport(year=year, month=month)
        db.session.add(report)
    else:
        before = {"generated_at": report.generated_at.isoformat()}
        stale = [report.pdf_key, report.html_key]
    report.pdf_key, report.html_key, report.generated_at = pdf.key, html.key, now
    audit.record(actor, "usage_report.generated", report, before=before,
                 after={"month": report.key, "generated_at": now.isoformat(),
                        "pdf_sha256": pdf.sha256, "pdf_size": pdf.size})
    db.session.commit()
    return report, stale


def usage_report_generate(actor, year, month):
    """Build the usage report of a month that has ended (PDF and HTML) and store it; a month
    generated again gets its files replaced, never a second report.

    :raises NotAuthorized, ValidationError
    """
    check(auth.usage_report_generate(actor),
          _l("Hanya admin dan walidata yang dapat membuat laporan penggunaan."))
    year, month = _report_month(year, month)
    now = utcnow()
    files = usage_reports.usage_report_files(year, month, generated_at=now)
    store = storage.from_app()
    pdf = store.save(io.BytesIO(files.pdf), suffix=".pdf")
    html = store.save(io.BytesIO(files.html.encode("utf-8")), suffix=".html")
    try:
        try:
            report, stale = _save_usage_report(actor, year, month, pdf, html, now)
        except IntegrityError:
            # Another process made this month's row between our read and our insert.
            db.session.rollback()
            report, stale = _save_usage_report(actor, year, month, pdf, html, now)
    except Exception:
        db.session.rollback()
        _delete_files([pdf.key, html.key])
        raise
    _delete_files(stale)
    return report


def usage_report_list(actor):
    """Every generated monthly report, newest month first."""
    check(auth.usage_report_list(actor))
    return UsageReport.query.order_by(UsageReport.year.desc(), UsageReport.month.desc()).all()


def usage_report_read(actor, year, month, fmt):
    """A stored report file: {"path", "filename", "mimetype"}. :raises NotFound"""
    check(auth.usage_report_read(actor))
    report = UsageReport.query.filter_by(year=year, month=month).first()
    if report is None or fmt not in USAGE_REPORT_FORMATS:
        raise NotFound(_l("Laporan bulan ini belum dibuat."))
    path = storage.from_app().path(report.pdf_key if fmt == "pdf" else report.html_key)
    if not path.exists():
        raise NotFound(_l("Laporan bulan ini belum dibuat."))
    return {"path": path, "filename": usage_reports.filename(year, month, fmt),
            "mimetype": USAGE_REPORT_FORMATS[fmt]}
