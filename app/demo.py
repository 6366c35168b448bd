"""`flask demo load`: a believable Jawa Barat catalogue, built through the real actions.

Everything goes through the same actions the web forms call, so the demo also exercises
the rules (permissions, validation, audit log, outbox). The load is idempotent: regions,
organisations, users and datasets are looked up by code, name or e-mail first, and an
existing dataset is left exactly as it is (no upload, no transition), so a second run
writes nothing. The content itself lives in app/demo_data.py.
"""
import csv
import io
import time
import zipfile
from collections import Counter
from datetime import datetime

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter
from sqlalchemy import func, select

from app import demo_data as data
from app.accounts import actions as accounts
from app.accounts.models import Organisation, User
from app.catalog import actions
from app.catalog.cli import SHIPPED, open_region_file
from app.catalog.models import Dataset, Region, Status, Topic
from app.core.actor import SYSTEM
from app.extensions import db

# Decision recorded for a column the screen flags but the spec did not expect.
_DEFAULT_PII = ("justified", "Diperiksa walidata: kolom ini tidak memuat data perseorangan.")
_ANSWER = "Sudah kami lengkapi sesuai catatan walidata."
_STAMP = datetime(2024, 1, 15, 8, 0, 0)  # creation date written into the demo XLSX files


def load():
    """Load the demo (idempotent) and return a summary with the demo accounts."""
    started = time.monotonic()
    created = Counter()
    _load_regions(created)
    actions.reference_seed(SYSTEM)
    _load_organisations(created)
    _load_users(created)
    _load_datasets(created)
    _load_usage_report(created)
    _load_tickets(created)
    _load_help_articles(created)
    return summary(created, time.monotonic() - started)


# ---------------------------------------------------------------- reference data and accounts

def _load_regions(created):
    if db.session.get(Region, data.PROVINCE) is not None:
        return  # an admin may have loaded the full list already; never reload over it
    with open_region_file(SHIPPED) as fh:
        created["kode wilayah"] += actions.region_import(SYSTEM, csv.DictReader(fh),
                                                         prefix=data.PROVINCE)


def _load_organisations(created):
    for name, title, description, custodian in data.ORGANISATIONS:
        if Organisation.query.filter_by(name=name).first():
            continue
        accounts.organisation_create(SYSTEM, {
            "name": name, "title": title, "description": description,
            "is_custodian": custodian, "email": data.email(name)})
        created["organisasi"] += 1


def _find_user(email):
    return User.query.filter(func.lower(User.email) == email.lower()).first()


def _load_users(created):
    for local, name, roles, orgs in data.USERS:
        if _find_user(data.email(local)):
            continue
        accounts.user_create(SYSTEM, {
            "email": data.email(local), "name": name, "password": data.PASSWORD,
            "roles": roles, "organisations": orgs})
        created["pengguna"] += 1


# ---------------------------------------------------------------- datasets

def _slug(title):
    # slugify drops non-ASCII punctuation, so "2019–2024" would become "20192024"
    slug = actions.slugify(title.replace("–", "-"))
    return slug[:90].rstrip("-")


def _load_datasets(created):
    rows = db.session.execute(select(Region.code, Region.name)
                              .where(Region.code.like(data.PROVINCE + "%"))).all()
    wil = data.Wilayah(rows)
    orgs = {o.name: o.id for o in Organisation.query}
    topics = {t.name: t.id for t in Topic.query}
    walidata = _find_user(data.email("walidata"))
    for spec in data.specs(wil):
        name = _slug(spec.title)
        if Dataset.query.filter_by(name=name).first():
            continue
        producer = _find_user(data.producer_email(spec.org))
        metadata = {**spec.metadata(orgs[spec.org], topics[spec.topic]), "name": name}
        dataset = actions.dataset_create(producer, metadata)
        _attach_files(spec, dataset, producer)
        _advance(spec, dataset, producer, walidata, metadata)
        created["dataset"] += 1


def _attach_files(spec, dataset, producer):
    """Upload the spec's files; on failure remove the draft so the next run starts clean."""
    try:
        for file in spec.files:
            _attach(file, dataset, producer)
    except Exception:
        db.session.rollback()
        actions.dataset_delete(producer, dataset.id)
        raise


def _attach(file, dataset, producer):
    if file.url:
        actions.resource_link_create(producer, dataset.id, {
            "name": file.title, "url": file.url, "format": "HTML",
            "description": "Tautan ke layanan eksternal."})
        return
    resource = actions.resource_upload(producer, dataset.id, file.filename,
                                       io.BytesIO(render(file)), description=data.SYNTHETIC)
    if resource.is_tabular:
        actions.resource_schema_update(producer, resource.id,
                                       schema_edits(resource.table_schema, file.types))


def render(file):
    """The bytes of a demo file: PDF as built, tables as CSV or XLSX by the file's extension."""
    if file.pdf:
        return file.pdf()
    table = file.table()
    if file.filename.endswith(".xlsx"):
        return _xlsx_bytes(table)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.header)
    writer.writerows(table.rows)
    return out.getvalue().encode("utf-8")


def _xlsx_bytes(table):
    book = Workbook()
    sheet = book.active
    sheet.title = "Data"
    sheet.append(table.header)
    for row in table.rows:
        sheet.append(row)
    # Workbook.save stamps "now" into the file; the writer lets us keep a fixed date
    book.properties.creator = "MejaData demo"
    book.properties.created = book.properties.modified = _STAMP
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()
    return _fixed_zip_times(raw.getvalue())


def _fixed_zip_times(data):
    """The same archive with every entry dated _STAMP: same table, same bytes, same sha256."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, _STAMP.timetuple()[:6])
            dst.writestr(entry, src.read(info), compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def schema_edits(schema, types):
    """Every field as the producer saves it in the schema editor: titles, units, and the
    region-code column marked so each code is checked against the official list."""
    edits = []
    for field in schema["fields"]:
        name = field["name"]
        constraints = field.get("constraints", {})
        region = name == "kode_wilayah"
        edits.append({
            "name": name,
            "type": "string" if region else types.get(name, field.get("type", "string")),
            "title": data.title_of(name), "unit": data.unit_of(name),
            "required": region or bool(constraints.get("required")),
            "enum": data.ENUMS.get(name, constraints.get("enum", [])), "regionCode": region})
    return edits


def _advance(spec, dataset, producer, walidata, metadata):
    """Walk the dataset through the lifecycle to the state the spec asks for."""
    if spec.state in ("draft", "invalid"):
        return
    actions.dataset_submit(producer, dataset.id)
    if spec.state in ("returned", "resubmitted"):
        actions.dataset_return(walidata, dataset.id, {"message": spec.message,
                                                      "notes": spec.notes})
        if spec.state == "resubmitted":
            _fix_and_resubmit(spec, dataset, producer, metadata)
        return
    if spec.state == "submitted":
        return
    _decide_pii(spec, dataset, walidata)
    actions.dataset_approve(walidata, dataset.id)
    if spec.grant:
        actions.access_grant(walidata, dataset.id, *spec.grant)
    if spec.state == "withdrawn":
        actions.dataset_withdraw(walidata, dataset.id, spec.withdraw_reason)


def _fix_and_resubmit(spec, dataset, producer, metadata):
    for note in dataset.open_notes():
        actions.note_answer(producer, note.id, _ANSWER)
    # dataset_update takes the whole form, like the edit page sends it
    actions.dataset_update(producer, dataset.id, {**metadata, **spec.fix})
    actions.dataset_submit(producer, dataset.id)


def _decide_pii(spec, dataset, walidata):
    for resource in dataset.resources:
        for column in resource.pii_undecided():
            decision, reason = spec.pii.get(column, _DEFAULT_PII)
            actions.pii_decide(walidata, resource.id, {"column": column, "decision": decision,
                                                       "reason": reason})


# ---------------------------------------------------------------- summary

# Plain labels: the CLI has no request, and lazy translations need one to pick a locale.
_STATUS_LABELS = ((Status.PUBLISHED, "terbit"), (Status.SUBMITTED, "diajukan"),
                  (Status.REVISION, "revisi"), (Status.DRAFT, "draf"),
                  (Status.WITHDRAWN, "ditarik"))


def summary(created=None, seconds=None):
    """Counts in the catalogue and the demo accounts, as text for the terminal."""
    status = _count(Dataset.status)
    access = _count(Dataset.access)
    regions = db.session.scalar(select(func.count()).select_from(Region)
                                .where(Region.code.like(data.PROVINCE + "%")))
    lines = [
        "Data demo MejaData Jawa Barat",
        f"  kode wilayah : {regions} (provinsi {data.PROVINCE})",
        f"  organisasi   : {Organisation.query.count()}",
        f"  pengguna     : {User.query.count()}",
        f"  dataset      : {sum(status.values())} ("
        + ", ".join(f"{label} {status.get(s, 0)}" for s, label in _STATUS_LABELS)
        + ")",
        "  akses        : " + ", ".join(f"{a} {access.get(a, 0)}"
                                       for a in ("terbuka", "terbatas", "tertutup")),
    ]
    if created is not None:
        made = ", ".join(f"{n} {what}" for what, n in created.items()) or "tidak ada"
        lines.append(f"  dibuat kini  : {made}"
                     + (f" ({seconds:.1f} detik)" if seconds is not None else ""))
    return "\n".join(lines + ["", *accounts_table()])


def _count(column):
    return dict(db.session.execute(select(column, func.count()).group_by(column)).all())


def accounts_table():
    rows = [("e-mail", "kata sandi", "peran")]
    for local, _name, roles, orgs in data.USERS:
        role = ", ".join(roles) + (f" ({', '.join(orgs)})" if orgs else "")
        rows.append((data.email(local), data.PASSWORD, role))
    width = max(len(r[0]) for r in rows)
    lines = ["Akun demo:"]
    lines += [f"  {mail:<{width}}  {password:<13}  {role}" for mail, password, role in rows]
    return lines


# ---------------------------------------------------------------- usage report (statistik)

def _load_usage_report(created):
    """Last month's usage report, so the statistics page lists one (made once, not replaced)."""
    from app.catalog import stats
    from app.catalog.models import UsageReport

    year, month = stats.previous_month()
    if UsageReport.query.filter_by(year=year, month=month).first() is None:
        actions.usage_report_generate(SYSTEM, year, month)
        created["laporan penggunaan"] += 1


# ---------------------------------------------------------------- help desk

def _load_tickets(created):
    """Help-desk tickets in every state, with a year of history (app/tickets/demo.py)."""
    from app.tickets.demo import load_demo_tickets

    created["tiket"] += load_demo_tickets()


def _load_help_articles(created):
    """The knowledge base's FAQ (app/kb/demo.py)."""
    from app.kb.demo import load_demo_articles

    created["artikel bantuan"] += load_demo_articles(SYSTEM)
