"""Factories for readable tests: each returns a fresh object, made through the real actions.

They need an app context (every test has one) and, for datasets, the `reference` fixture
(regions, topics, licences).
"""
import io
import itertools

from app.accounts import actions as account_actions
from app.accounts.models import Organisation
from app.catalog import actions
from app.catalog.models import Topic
from app.core.actor import SYSTEM, Role
from app.extensions import db

PASSWORD = "test-password-123"
_seq = itertools.count(1)

# A small, valid table: district codes of Kota Bandung with a count per year.
VALID_CSV = (
    "kode_kecamatan,kecamatan,tahun,jumlah_penduduk\n"
    "32.73.01,Sukasari,2023,81234\n"
    "32.73.02,Coblong,2023,112045\n"
    "32.04.05,Cileunyi,2023,190512\n"
)


def _n():
    return next(_seq)


def make_org(**overrides):
    n = _n()
    data = {"name": f"dinas-uji-{n}", "title": f"Dinas Uji {n}",
            "description": "Organisasi untuk pengujian", "email": f"dinas{n}@example.go.id",
            "is_custodian": False}
    data.update(overrides)
    return account_actions.organisation_create(SYSTEM, data)


def custodian_org():
    """The walidata's organisation (Diskominfo), made once per test."""
    org = Organisation.query.filter_by(is_custodian=True).first()
    return org or make_org(name="diskominfo", title="Dinas Komunikasi dan Informatika",
                           is_custodian=True)


def make_user(roles=(Role.PRODUSEN,), orgs=(), **overrides):
    """A user with the given roles and organisations (objects or short names)."""
    n = _n()
    data = {"email": f"{roles[0] if roles else 'user'}{n}@example.go.id",
            "name": f"Pengguna Uji {n}", "password": PASSWORD, "roles": list(roles),
            "organisations": [o if isinstance(o, str) else o.name for o in orgs],
            "active": True}
    data.update(overrides)
    return account_actions.user_create(SYSTEM, data)


def make_producer(org=None, **overrides):
    return make_user(roles=(Role.PRODUSEN,), orgs=(org or make_org(),), **overrides)


def make_walidata(**overrides):
    return make_user(roles=(Role.WALIDATA,), orgs=(custodian_org(),), **overrides)


def dataset_data(producer, **overrides):
    """Complete, valid Satu Data metadata for one of the producer's organisations."""
    n = _n()
    topic = Topic.query.filter_by(name="kependudukan").one()
    data = {
        "title": f"Jumlah Penduduk per Kecamatan {n}",
        "name": f"jumlah-penduduk-{n}",
        "description": "Jumlah penduduk menurut kecamatan, hasil registrasi tahunan.",
        "organisation_id": producer.organisations[0].id,
        "topic_id": topic.id,
        "tags": ["penduduk", "kecamatan"],
        "frequency": "tahunan",
        "period_start": 2021,
        "period_end": 2023,
        "spatial_coverage": "Kota Bandung",
        "kode_wilayah": "32.73",
        "unit": "jiwa",
        "konsep": "Penduduk adalah semua orang yang berdomisili di wilayah tersebut.",
        "definisi": "Jumlah penduduk terdaftar pada akhir tahun.",
        "klasifikasi": "Kecamatan",
        "ukuran": "Jiwa",
        "kode_sdsn": "SP00055.00.00",
        "access": "terbuka",
        "license_id": "cc-by-4.0",
        "contact_name": "Seksi Statistik",
        "contact_email": "statistik@example.go.id",
        "priority": False,
    }
    data.update(overrides)
    return data


def make_dataset(producer, **overrides):
    """A draft dataset with full valid metadata (no resource yet)."""
    return actions.dataset_create(producer, dataset_data(producer, **overrides))


def upload_csv(producer, ds, text=VALID_CSV, filename="data.csv", **kwargs):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return actions.resource_upload(producer, ds.id, filename, io.BytesIO(data), **kwargs)


def upload_bytes(producer, ds, data, filename):
    return actions.resource_upload(producer, ds.id, filename, io.BytesIO(data))


def make_submitted(producer, csv_text=VALID_CSV, **overrides):
    ds = make_dataset(producer, **overrides)
    upload_csv(producer, ds, csv_text)
    return actions.dataset_submit(producer, ds.id)


def make_published(producer, walidata, csv_text=VALID_CSV, **overrides):
    """create -> upload a valid CSV -> submit -> approve."""
    ds = make_submitted(producer, csv_text, **overrides)
    return actions.dataset_approve(walidata, ds.id)


def make_revision(producer, walidata, notes=None, **overrides):
    """A dataset the walidata returned with a general note (and field notes)."""
    ds = make_submitted(producer, **overrides)
    return actions.dataset_return(walidata, ds.id, {"message": "Lengkapi definisi operasional.",
                                                    "notes": notes or {}})


def reload(obj):
    """The row as the database holds it now (drops anything the session still had)."""
    db.session.rollback()
    db.session.expire_all()
    return db.session.get(type(obj), obj.id)


def minimal_pdf():
    """A small but well-formed one-page PDF."""
    objects = [b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
               b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1,
                                                                         xref)
    return bytes(out)


def xlsx_bytes(rows):
    """An XLSX workbook with one sheet holding `rows` (the first is the header)."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def storage_files(root):
    """Every stored file outside the scratch area (tmp/), as relative paths."""
    from pathlib import Path

    root = Path(root)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*")
                  if p.is_file() and p.relative_to(root).parts[0] != "tmp")


def row_counts():
    """Rows per table: the "nothing changed" check after a refused action."""
    from sqlalchemy import func, select

    return {t.name: db.session.scalar(select(func.count()).select_from(t))
            for t in db.metadata.sorted_tables}
