"""Catalogue actions without HTTP: every transition, every refusal, and the audit trail.

A refused action must change nothing: `refused(...)` compares every table's row count, the
dataset's row and the files in storage before and after.
"""
import io
import json
from contextlib import contextmanager
from datetime import date, timedelta

import openpyxl
import pytest

from app.catalog import actions
from app.catalog.models import (
    Dataset,
    DatasetAccess,
    DownloadCount,
    Resource,
    ReviewNote,
    Status,
)
from app.core import audit
from app.core.actor import ANONYMOUS, SYSTEM, Role
from app.core.errors import InvalidTransition, NotAuthorized, NotFound, ValidationError
from app.core.outbox import OutboxMessage
from app.core.timeutil import local_today
from app.extensions import db
from tests.factories import (
    VALID_CSV,
    custodian_org,
    dataset_data,
    make_dataset,
    make_org,
    make_published,
    make_revision,
    make_submitted,
    make_user,
    minimal_pdf,
    row_counts,
    storage_files,
    upload_bytes,
    upload_csv,
)

pytestmark = pytest.mark.usefixtures("reference")

# A table whose "kode" column holds one code that is not in the official list.
CODES_CSV_BAD = "kode,kecamatan,jumlah\n32.73.01,Sukasari,10\n32.99.99,Tidak Ada,20\n"
CODES_CSV_GOOD = "kode,kecamatan,jumlah\n32.73.01,Sukasari,10\n32.73.02,Coblong,20\n"
# A table with a personal-data column (NIK: 16 digits, the first six a district code).
PII_CSV = ("nik,nama,desa\n"
           "3273010101900001,Asep Sunandar,Sukarasa\n"
           "3273010202910002,Euis Komariah,Gegerkalong\n"
           "3204050303920003,Ujang Saepudin,Cileunyi Kulon\n")


class World:
    """Two producer organisations, the custodian, and one user of every kind that matters."""

    def __init__(self):
        self.org = make_org(name="dinkes", title="Dinas Kesehatan")
        self.other_org = make_org(name="disdik", title="Dinas Pendidikan")
        self.producer = make_user(orgs=[self.org])
        self.colleague = make_user(orgs=[self.org])
        self.other_producer = make_user(orgs=[self.other_org])
        self.walidata = make_user(roles=[Role.WALIDATA], orgs=[custodian_org()])
        self.walidata2 = make_user(roles=[Role.WALIDATA], orgs=[custodian_org()])
        # Holds both roles: may create and submit for dinkes, may review others' datasets.
        self.dual = make_user(roles=[Role.PRODUSEN, Role.WALIDATA], orgs=[self.org])
        self.admin = make_user(roles=[Role.ADMIN])
        self.pimpinan = make_user(roles=[Role.PIMPINAN])
        self.helpdesk = make_user(roles=[Role.HELPDESK])
        self.pemohon = make_user(roles=[Role.PEMOHON])


@pytest.fixture
def w():
    return World()


def history(ds):
    return [(h.action, h.before, h.after) for h in audit.history("dataset", ds.id)]


def actions_of(ds):
    return [h.action for h in audit.history("dataset", ds.id)]


def _state(ds, storage_dir):
    db.session.rollback()
    db.session.expire_all()
    state = {"rows": row_counts(), "files": storage_files(storage_dir)}
    if ds is not None:
        row = db.session.get(Dataset, ds.id)
        state["dataset"] = None if row is None else (row.status, actions.snapshot(row))
    return state


@pytest.fixture
def refused(storage_dir):
    """with refused(NotAuthorized, ds): <action>  -- raises, and nothing changed."""
    @contextmanager
    def check(exc_type, ds=None, match=None):
        before = _state(ds, storage_dir)
        with pytest.raises(exc_type) as info:
            yield info
        after = _state(ds, storage_dir)
        assert after == before, "a refused action changed something"
        if match:
            assert match in str(info.value.message)
    return check


def errors_of(info):
    return {k: [str(m) for m in v] for k, v in info.value.errors.items()}


# ---------------------------------------------------------------- create

def test_create_for_own_org_makes_an_audited_draft(w):
    ds = actions.dataset_create(w.producer, dataset_data(w.producer, tags="Penduduk, kecamatan"))
    assert ds.status == Status.DRAFT
    assert ds.organisation_id == w.org.id
    assert ds.created_by_id == w.producer.id
    assert ds.custodian_id == custodian_org().id
    assert [t.name for t in ds.tags] == ["kecamatan", "penduduk"]
    [(action, before, after)] = history(ds)
    assert action == "dataset.created" and before is None
    assert after["title"] == ds.title and after["kode_wilayah"] == "32.73"
    entry = audit.history("dataset", ds.id)[0]
    assert entry.actor_id == w.producer.id and entry.actor_label == w.producer.email


def test_create_names_from_title_when_no_name_given(w):
    a = actions.dataset_create(w.producer, dataset_data(w.producer, name=None,
                                                        title="Angka Kematian Ibu"))
    b = actions.dataset_create(w.producer, dataset_data(w.producer, name=None,
                                                        title="Angka Kematian Ibu"))
    assert a.name == "angka-kematian-ibu"
    assert b.name != a.name and b.name.startswith("angka-kematian-ibu")


def test_create_for_another_org_is_refused(w, refused):
    with refused(NotAuthorized, match="organisasi Anda sendiri"):
        actions.dataset_create(w.producer, dataset_data(w.producer,
                                                        organisation_id=w.other_org.id))


@pytest.mark.parametrize("who", ["walidata", "admin", "pemohon", "helpdesk"])
def test_create_needs_the_producer_role(w, refused, who):
    actor = getattr(w, who)
    with refused(NotAuthorized):
        actions.dataset_create(actor, dataset_data(w.producer))


def test_create_anonymous_is_refused(w, refused):
    with refused(NotAuthorized):
        actions.dataset_create(ANONYMOUS, dataset_data(w.producer))


def test_create_duplicate_name_is_refused(w, refused):
    make_dataset(w.producer, name="jumlah-penduduk")
    with refused(ValidationError) as info:
        make_dataset(w.producer, name="jumlah-penduduk")
    assert errors_of(info) == {"name": ["Nama singkat sudah dipakai dataset lain."]}


def test_create_unknown_region_code_is_refused_in_indonesian(w, refused):
    with refused(ValidationError) as info:
        make_dataset(w.producer, kode_wilayah="32.99")
    [message] = errors_of(info)["kode_wilayah"]
    assert message == "Kode wilayah 32.99 tidak ada dalam daftar resmi Kemendagri."


def test_create_malformed_region_code_is_refused(w, refused):
    with refused(ValidationError) as info:
        make_dataset(w.producer, kode_wilayah="3273")
    assert "Kode wilayah harus berformat" in errors_of(info)["kode_wilayah"][0]


def test_create_village_level_region_code_is_accepted(w):
    ds = make_dataset(w.producer, kode_wilayah="32.73.01.1001")
    assert ds.kode_wilayah == "32.73.01.1001"


@pytest.mark.parametrize("code", ["SP55", "sp00055.00.00", "SP00055.0.00", "SP00055.00.00x"])
def test_create_bad_sdsn_code_is_refused(w, refused, code):
    with refused(ValidationError) as info:
        make_dataset(w.producer, kode_sdsn=code)
    assert errors_of(info) == {"kode_sdsn": ["Kode SDSN harus berformat SP00055.00.00."]}


def test_create_period_end_before_start_is_refused(w, refused):
    with refused(ValidationError) as info:
        make_dataset(w.producer, period_start=2023, period_end=2020)
    assert errors_of(info) == {"period_end": ["Tahun akhir tidak boleh sebelum tahun awal."]}


@pytest.mark.parametrize("field,value,message", [
    ("topic_id", 999999, "Topik tidak dikenal."),
    ("license_id", "proprietary-x", "Lisensi tidak dikenal."),
    ("frequency", "kadang-kadang", "Frekuensi tidak dikenal."),
    ("access", "rahasia", "Klasifikasi akses tidak dikenal."),
    ("contact_email", "bukan-email", "Alamat e-mail tidak valid."),
    ("period_start", 1800, "Tahun harus antara 1900 dan 2100."),
    ("title", "abc", "Judul harus 5 sampai 255 karakter."),
    ("title", None, "Wajib diisi."),
])
def test_create_field_errors_are_per_field_and_indonesian(w, refused, field, value, message):
    with refused(ValidationError) as info:
        make_dataset(w.producer, **{field: value})
    assert message in errors_of(info)[field]


# ---------------------------------------------------------------- update

def test_update_draft_records_only_the_changed_fields(w):
    ds = make_dataset(w.producer)
    old_title = ds.title
    actions.dataset_update(w.producer, ds.id, dataset_data(w.producer, name=ds.name,
                                                           title="Judul yang diperbaiki",
                                                           tags=["kecamatan", "penduduk"]))
    assert ds.title == "Judul yang diperbaiki"
    action, before, after = history(ds)[-1]
    assert action == "dataset.updated"
    assert before == {"title": old_title} and after == {"title": "Judul yang diperbaiki"}


def test_update_by_a_colleague_of_the_same_org_is_allowed(w):
    ds = make_dataset(w.producer)
    actions.dataset_update(w.colleague, ds.id, dataset_data(w.producer, name=ds.name,
                                                            title="Diperbaiki rekan satu dinas"))
    assert ds.title == "Diperbaiki rekan satu dinas"


def test_update_without_changes_writes_no_audit_row(w):
    ds = make_dataset(w.producer, tags=["kecamatan", "penduduk"])
    actions.dataset_update(w.producer, ds.id, dataset_data(w.producer, name=ds.name,
                                                           title=ds.title,
                                                           tags=["kecamatan", "penduduk"]))
    assert actions_of(ds) == ["dataset.created"]


def test_tags_in_another_order_are_not_a_change(w):
    ds = make_dataset(w.producer, tags=["penduduk", "kecamatan"])
    actions.dataset_update(w.producer, ds.id, dataset_data(w.producer, name=ds.name,
                                                           title=ds.title,
                                                           tags="penduduk, kecamatan"))
    assert actions_of(ds) == ["dataset.created"]


def test_update_cannot_move_a_dataset_to_another_org(w):
    ds = make_dataset(w.producer)
    actions.dataset_update(w.producer, ds.id, dataset_data(w.producer, name=ds.name,
                                                           organisation_id=w.other_org.id))
    assert ds.organisation_id == w.org.id


def test_update_revision_is_allowed(w):
    ds = make_revision(w.producer, w.walidata)
    actions.dataset_update(w.producer, ds.id, dataset_data(w.producer, name=ds.name,
                                                           title="Judul setelah catatan walidata"))
    assert ds.title == "Judul setelah catatan walidata"
    assert actions_of(ds)[-1] == "dataset.updated"


@pytest.mark.parametrize("state", ["submitted", "published", "withdrawn"])
def test_update_outside_draft_and_revision_is_refused(w, refused, state):
    ds = _dataset_in(w, state)
    with refused(NotAuthorized, ds):
        actions.dataset_update(w.producer, ds.id, {"title": "Diam-diam diubah"})


@pytest.mark.parametrize("who,error", [("walidata", NotAuthorized), ("admin", NotAuthorized),
                                       ("pimpinan", NotAuthorized),
                                       ("other_producer", NotFound), ("pemohon", NotFound)])
def test_update_by_anyone_but_its_producers_is_refused(w, refused, who, error):
    ds = make_dataset(w.producer)
    with refused(error, ds):
        actions.dataset_update(getattr(w, who), ds.id, {"title": "Bukan urusan Anda"})


def test_update_bad_input_changes_nothing(w, refused):
    ds = make_dataset(w.producer)
    with refused(ValidationError, ds) as info:
        actions.dataset_update(w.producer, ds.id, {"title": "Judul yang sah", "period_start": 2024,
                                                   "period_end": 2001})
    assert "period_end" in info.value.errors


# ---------------------------------------------------------------- delete

def test_delete_draft_removes_it_and_its_files(w, storage_dir):
    ds = make_dataset(w.producer)
    res = upload_csv(w.producer, ds)
    actions.resource_download(w.producer, res.id, "xlsx")  # the producer checks the export
    assert storage_files(storage_dir)
    ds_id = ds.id
    actions.dataset_delete(w.producer, ds_id)
    assert db.session.get(Dataset, ds_id) is None
    assert Resource.query.count() == 0
    assert storage_files(storage_dir) == []
    assert [h.action for h in audit.history("dataset", ds_id)][-1] == "dataset.deleted"


@pytest.mark.parametrize("state", ["submitted", "revision", "published", "withdrawn"])
def test_delete_is_for_drafts_only(w, refused, state):
    ds = _dataset_in(w, state)
    with refused(NotAuthorized, ds):
        actions.dataset_delete(w.producer, ds.id)


@pytest.mark.parametrize("who,error", [("walidata", NotAuthorized), ("admin", NotAuthorized),
                                       ("other_producer", NotFound)])
def test_delete_by_others_is_refused(w, refused, who, error):
    ds = make_dataset(w.producer)
    upload_csv(w.producer, ds)
    with refused(error, ds):
        actions.dataset_delete(getattr(w, who), ds.id)


# ---------------------------------------------------------------- resources

def test_upload_stores_validates_and_audits(w, storage_dir):
    ds = make_dataset(w.producer)
    res = upload_csv(w.producer, ds, VALID_CSV, filename="penduduk.csv")
    assert res.kind == "upload" and res.format == "CSV"
    assert res.original_filename == "penduduk.csv"
    assert res.is_tabular and res.valid and res.row_count == 3
    import hashlib

    assert res.sha256 == hashlib.sha256(VALID_CSV.encode()).hexdigest()
    assert res.size == len(VALID_CSV.encode())
    assert set(storage_files(storage_dir)) == {res.storage_key, res.normalized_key}
    with open(storage_dir / res.storage_key, "rb") as fh:
        assert fh.read() == VALID_CSV.encode()
    names = [f["name"] for f in res.table_schema["fields"]]
    assert names == ["kode_kecamatan", "kecamatan", "tahun", "jumlah_penduduk"]
    action, _, after = history(ds)[-1]
    assert action == "resource.uploaded"
    assert after["file"] == "penduduk.csv" and after["valid"] is True


def test_upload_pdf_keeps_it_as_a_file(w):
    ds = make_dataset(w.producer)
    res = upload_bytes(w.producer, ds, minimal_pdf(), "laporan.pdf")
    assert res.format == "PDF" and not res.is_tabular and res.valid


@pytest.mark.parametrize("state", ["submitted", "published", "withdrawn"])
def test_upload_outside_draft_and_revision_is_refused(w, refused, state):
    ds = _dataset_in(w, state)
    with refused(NotAuthorized, ds):
        upload_csv(w.producer, ds)


@pytest.mark.parametrize("who,error", [("walidata", NotAuthorized),
                                       ("other_producer", NotFound)])
def test_upload_by_others_is_refused(w, refused, who, error):
    ds = make_dataset(w.producer)
    with refused(error, ds):
        upload_csv(getattr(w, who), ds)


def test_upload_to_revision_is_allowed(w):
    ds = make_revision(w.producer, w.walidata)
    upload_bytes(w.producer, ds, minimal_pdf(), "lampiran.pdf")
    assert len(ds.resources) == 2


def test_replace_swaps_the_file_and_removes_the_old_one(w, storage_dir):
    ds = make_dataset(w.producer)
    res = upload_csv(w.producer, ds)
    actions.resource_download(w.producer, res.id, "json")  # an export of the old version
    old_keys = {res.storage_key, res.normalized_key}
    new_csv = VALID_CSV + "32.73.01,Sukasari,2024,81500\n"
    actions.resource_replace(w.producer, res.id, "penduduk-2024.csv",
                             io.BytesIO(new_csv.encode()))
    assert res.row_count == 4 and res.original_filename == "penduduk-2024.csv"
    files = set(storage_files(storage_dir))
    assert files == {res.storage_key, res.normalized_key}
    assert not files & old_keys
    action, before, after = history(ds)[-1]
    assert action == "resource.replaced"
    assert before["sha256"] != after["sha256"]


def test_replace_on_a_submitted_dataset_is_refused(w, refused):
    ds = make_submitted(w.producer)
    with refused(NotAuthorized, ds):
        actions.resource_replace(w.producer, ds.resources[0].id, "x.csv",
                                 io.BytesIO(VALID_CSV.encode()))


def test_link_is_added_and_audited(w):
    ds = make_dataset(w.producer)
    res = actions.resource_link_create(w.producer, ds.id, {
        "name": "Portal BPS", "url": "https://jabar.bps.go.id/", "format": "html"})
    assert res.kind == "link" and res.format == "HTML" and res.storage_key is None
    assert history(ds)[-1] == ("resource.linked", None, {"url": "https://jabar.bps.go.id/"})


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.go.id/x", "bukan url"])
def test_link_with_a_bad_url_is_refused(w, refused, url):
    ds = make_dataset(w.producer)
    with refused(ValidationError, ds) as info:
        actions.resource_link_create(w.producer, ds.id, {"name": "Tautan", "url": url})
    assert "url" in info.value.errors


def test_link_on_published_dataset_is_refused(w, refused):
    ds = make_published(w.producer, w.walidata)
    with refused(NotAuthorized, ds):
        actions.resource_link_create(w.producer, ds.id, {"name": "T", "url": "https://a.id/"})


def test_resource_delete_removes_row_and_files(w, storage_dir):
    ds = make_dataset(w.producer)
    res = upload_csv(w.producer, ds)
    actions.resource_download(w.producer, res.id, "csv")
    actions.resource_delete(w.producer, res.id)
    assert Resource.query.count() == 0
    assert storage_files(storage_dir) == []
    assert actions_of(ds)[-1] == "resource.deleted"


@pytest.mark.parametrize("who,error", [("walidata", NotAuthorized),
                                       ("other_producer", NotFound)])
def test_resource_delete_by_others_is_refused(w, refused, who, error):
    ds = make_dataset(w.producer)
    res = upload_csv(w.producer, ds)
    with refused(error, ds):
        actions.resource_delete(getattr(w, who), res.id)


def test_resource_delete_on_published_dataset_is_refused(w, refused):
    ds = make_published(w.producer, w.walidata)
    with refused(NotAuthorized, ds):
        actions.resource_delete(w.producer, ds.resources[0].id)


# ---------------------------------------------------------------- table schema

def _edits(resource, **flags):
    """The schema form as the producer submits it: every column, with chosen flags."""
    edits = []
    for field in resource.table_schema["fields"]:
        edit = {"name": field["name"], "type": field.get("type", "string"), "title": "",
                "unit": "", "required": False, "enum": [], "regionCode": False}
        edit.update(flags.get(field["name"], {}))
        edits.append(edit)
    return edits


def test_marking_a_region_column_revalidates_and_replace_fixes_it(w):
    ds = make_dataset(w.producer)
    res = upload_csv(w.producer, ds, CODES_CSV_BAD)
    assert res.valid  # nothing says "kode" holds region codes yet

    actions.resource_schema_update(w.producer, res.id,
                                   _edits(res, kode={"regionCode": True}))
    assert not res.valid
    assert res.report["error_count"] >= 1
    assert actions_of(ds)[-1] == "resource.schema_updated"
    with pytest.raises(ValidationError) as info:
        actions.dataset_submit(w.producer, ds.id)
    assert "resources" in info.value.errors
    assert ds.status == Status.DRAFT

    actions.resource_replace(w.producer, res.id, "kode.csv", io.BytesIO(CODES_CSV_GOOD.encode()))
    assert res.valid, res.report
    kode = next(f for f in res.table_schema["fields"] if f["name"] == "kode")
    assert kode.get("regionCode") is True  # the producer's schema survives the new file
    actions.dataset_submit(w.producer, ds.id)
    assert ds.status == Status.SUBMITTED


def test_schema_edit_required_column_flags_blank_cells(w):
    ds = make_dataset(w.producer)
    res = upload_csv(w.producer, ds, "kode,kecamatan,jumlah\n32.73.01,,10\n32.73.02,Coblong,20\n")
    assert res.valid
    actions.resource_schema_update(w.producer, res.id, _edits(res, kecamatan={"required": True}))
    assert not res.valid


def test_schema_edit_of_a_non_table_is_refused(w, refused):
    ds = make_dataset(w.producer)
    res = upload_bytes(w.producer, ds, minimal_pdf(), "laporan.pdf")
    with refused(ValidationError, ds) as info:
        actions.resource_schema_update(w.producer, res.id, [])
    assert "schema" in info.value.errors


def test_schema_edit_by_walidata_is_refused(w, refused):
    ds = make_submitted(w.producer)
    res = ds.resources[0]
    with refused(NotAuthorized, ds):
        actions.resource_schema_update(w.walidata, res.id, _edits(res))


# ---------------------------------------------------------------- submit

def test_submit_with_missing_metadata_lists_each_field(w, refused):
    ds = actions.dataset_create(w.producer, {"title": "Dataset setengah jadi",
                                             "organisation_id": w.org.id})
    upload_csv(w.producer, ds)
    with refused(ValidationError, ds) as info:
        actions.dataset_submit(w.producer, ds.id)
    errors = errors_of(info)
    for field in ("description", "topic_id", "license_id", "contact_name", "contact_email",
                  "period_start", "spatial_coverage"):
        assert errors[field] == ["Wajib diisi sebelum diajukan."], field


def test_submit_without_resources_is_refused(w, refused):
    ds = make_dataset(w.producer)
    with refused(ValidationError, ds) as info:
        actions.dataset_submit(w.producer, ds.id)
    assert errors_of(info) == {"resources": ["Tambahkan setidaknya satu berkas atau tautan."]}


def test_submit_with_an_invalid_file_is_refused(w, refused):
    ds = make_dataset(w.producer)
    res = upload_csv(w.producer, ds, CODES_CSV_BAD)
    actions.resource_schema_update(w.producer, res.id, _edits(res, kode={"regionCode": True}))
    with refused(ValidationError, ds) as info:
        actions.dataset_submit(w.producer, ds.id)
    [message] = errors_of(info)["resources"]
    assert message.startswith("Perbaiki berkas yang belum lolos validasi")


def test_submit_sends_a_complete_draft_to_the_walidata(w):
    ds = make_dataset(w.producer)
    upload_csv(w.producer, ds)
    actions.dataset_submit(w.colleague, ds.id)
    assert ds.status == Status.SUBMITTED
    assert ds.submitted_by_id == w.colleague.id and ds.submitted_at is not None
    action, before, after = history(ds)[-1]
    assert (action, before, after) == ("dataset.submitted", {"status": "draft"},
                                       {"status": "submitted"})
    assert audit.history("dataset", ds.id)[-1].actor_id == w.colleague.id
    assert ds in actions.review_queue(w.walidata)


def test_submit_twice_is_an_invalid_transition(w, refused):
    ds = make_submitted(w.producer)
    with refused(InvalidTransition, ds):
        actions.dataset_submit(w.producer, ds.id)


@pytest.mark.parametrize("who,error", [("walidata", NotAuthorized),
                                       ("other_producer", NotFound)])
def test_submit_by_others_is_refused(w, refused, who, error):
    ds = make_dataset(w.producer)
    upload_csv(w.producer, ds)
    with refused(error, ds):
        actions.dataset_submit(getattr(w, who), ds.id)


def test_review_queue_is_for_walidata_only(w):
    make_submitted(w.producer)
    assert len(actions.review_queue(w.walidata)) == 1
    for actor in (w.producer, w.admin, w.pimpinan, ANONYMOUS):
        with pytest.raises(NotAuthorized):
            actions.review_queue(actor)


# ---------------------------------------------------------------- return and answer

def test_return_needs_a_note(w, refused):
    ds = make_submitted(w.producer)
    with refused(ValidationError, ds) as info:
        actions.dataset_return(w.walidata, ds.id, {"message": "  ", "notes": {"title": " "}})
    assert errors_of(info) == {"message": ["Tulis setidaknya satu catatan untuk produsen."]}


def test_return_with_field_notes_moves_to_revision(w):
    ds = make_submitted(w.producer)
    actions.dataset_return(w.walidata, ds.id, {
        "message": "Mohon dilengkapi.",
        "notes": {"definisi": "Definisi operasional belum jelas.", "kode_wilayah": ""}})
    assert ds.status == Status.REVISION
    notes = {n.field: n.note for n in ds.notes}
    assert notes == {"definisi": "Definisi operasional belum jelas.", "_": "Mohon dilengkapi."}
    assert all(n.author_id == w.walidata.id and not n.resolved for n in ds.notes)
    entry = audit.history("dataset", ds.id)[-1]
    assert (entry.action, entry.before, entry.after) == (
        "dataset.returned", {"status": "submitted"}, {"status": "revision"})
    assert entry.actor_id == w.walidata.id and entry.note == "Mohon dilengkapi."
    msg = OutboxMessage.query.filter_by(topic="dataset.returned").one()
    assert msg.payload == {"dataset_id": ds.id}


def test_return_unknown_field_is_refused(w, refused):
    ds = make_submitted(w.producer)
    with refused(ValidationError, ds):
        actions.dataset_return(w.walidata, ds.id, {"notes": {"password_hash": "hmm"}})


@pytest.mark.parametrize("who,error", [("producer", NotAuthorized), ("admin", NotAuthorized),
                                       ("pimpinan", NotAuthorized), ("pemohon", NotFound)])
def test_return_only_by_walidata(w, refused, who, error):
    ds = make_submitted(w.producer)
    with refused(error, ds):
        actions.dataset_return(getattr(w, who), ds.id, {"message": "Kembali"})


def test_return_of_a_draft_is_an_invalid_transition(w, refused):
    ds = make_dataset(w.producer)
    with refused(InvalidTransition, ds):
        actions.dataset_return(w.walidata, ds.id, {"message": "Kembali"})


def test_producer_answers_a_note(w):
    ds = make_revision(w.producer, w.walidata, notes={"unit": "Satuan belum diisi benar."})
    note = next(n for n in ds.notes if n.field == "unit")
    actions.note_answer(w.producer, note.id, "  Sudah diganti menjadi jiwa.  ")
    assert note.answer == "Sudah diganti menjadi jiwa."
    assert note.answered_by_id == w.producer.id and note.answered_at is not None
    assert history(ds)[-1] == ("dataset.note_answered", None,
                               {"field": "unit", "answer": "Sudah diganti menjadi jiwa."})


def test_empty_answer_is_refused(w, refused):
    ds = make_revision(w.producer, w.walidata)
    with refused(ValidationError, ds) as info:
        actions.note_answer(w.producer, ds.notes[0].id, "   ")
    assert errors_of(info) == {"answer": ["Jawaban tidak boleh kosong."]}


@pytest.mark.parametrize("who,error", [("walidata", NotAuthorized),
                                       ("other_producer", NotFound)])
def test_answer_by_others_is_refused(w, refused, who, error):
    ds = make_revision(w.producer, w.walidata)
    with refused(error, ds):
        actions.note_answer(getattr(w, who), ds.notes[0].id, "Jawaban")


def test_answer_unknown_note_is_not_found(w):
    with pytest.raises(NotFound):
        actions.note_answer(w.producer, 987654, "Jawaban")


def test_resubmit_from_revision(w):
    ds = make_revision(w.producer, w.walidata)
    actions.dataset_update(w.producer, ds.id, dataset_data(w.producer, name=ds.name,
                                                           title="Judul setelah revisi"))
    actions.dataset_submit(w.producer, ds.id)
    assert ds.status == Status.SUBMITTED
    assert history(ds)[-1] == ("dataset.resubmitted", {"status": "revision"},
                               {"status": "submitted"})
    assert actions_of(ds) == ["dataset.created", "resource.uploaded", "dataset.submitted",
                              "dataset.returned", "dataset.updated", "dataset.resubmitted"]


def test_second_return_resolves_the_first_notes(w):
    ds = make_revision(w.producer, w.walidata)
    actions.dataset_submit(w.producer, ds.id)
    actions.dataset_return(w.walidata, ds.id, {"message": "Masih kurang."})
    open_notes = [n.note for n in ds.open_notes()]
    assert open_notes == ["Masih kurang."]
    assert ReviewNote.query.count() == 2


# ---------------------------------------------------------------- approve

def test_approve_publishes(w):
    ds = make_submitted(w.producer)
    today = local_today()
    actions.dataset_approve(w.walidata, ds.id)
    assert ds.status == Status.PUBLISHED
    assert ds.published_at is not None
    assert ds.next_update_due == today + timedelta(days=366)  # tahunan
    entry = audit.history("dataset", ds.id)[-1]
    assert (entry.action, entry.before, entry.after, entry.actor_id) == (
        "dataset.approved", {"status": "submitted"}, {"status": "published"}, w.walidata.id)
    msg = OutboxMessage.query.filter_by(topic="dataset.published").one()
    assert msg.payload == {"dataset_id": ds.id} and msg.status == "pending"
    assert actions.get_dataset(ANONYMOUS, ds.name) is ds


def test_approve_keeps_a_due_date_the_producer_set(w):
    due = date.today() + timedelta(days=40)
    ds = make_submitted(w.producer, next_update_due=due.isoformat(), frequency="bulanan")
    actions.dataset_approve(w.walidata, ds.id)
    assert ds.next_update_due == due


def test_approve_without_schedule_sets_no_due_date(w):
    ds = make_submitted(w.producer, frequency="tidak_tentu")
    actions.dataset_approve(w.walidata, ds.id)
    assert ds.next_update_due is None


def test_approve_resolves_open_notes(w):
    ds = make_revision(w.producer, w.walidata)
    actions.dataset_submit(w.producer, ds.id)
    actions.dataset_approve(w.walidata, ds.id)
    assert ds.open_notes() == []


@pytest.mark.parametrize("who,error", [("producer", NotAuthorized), ("admin", NotAuthorized),
                                       ("pimpinan", NotAuthorized), ("helpdesk", NotFound),
                                       ("pemohon", NotFound)])
def test_approve_is_for_walidata_only(w, refused, who, error):
    ds = make_submitted(w.producer)
    with refused(error, ds):
        actions.dataset_approve(getattr(w, who), ds.id)


def test_walidata_who_created_it_cannot_approve(w, refused):
    ds = make_submitted(w.dual)  # created and submitted by the user holding both roles
    with refused(NotAuthorized, ds, match="bukan pembuat"):
        actions.dataset_approve(w.dual, ds.id)
    with refused(NotAuthorized, ds):
        actions.dataset_return(w.dual, ds.id, {"message": "Catatan untuk diri sendiri"})
    actions.dataset_approve(w.walidata, ds.id)  # another walidata may
    assert ds.status == Status.PUBLISHED


def test_walidata_who_submitted_it_cannot_approve(w, refused):
    ds = make_dataset(w.producer)
    upload_csv(w.producer, ds)
    actions.dataset_submit(w.dual, ds.id)  # created by a producer, submitted by the dual user
    with refused(NotAuthorized, ds):
        actions.dataset_approve(w.dual, ds.id)


def test_a_producer_can_never_approve_even_another_orgs_dataset(w, refused):
    ds = make_submitted(w.producer, access="terbuka")
    with refused(NotFound, ds):
        actions.dataset_approve(w.other_producer, ds.id)
    with refused(NotAuthorized, ds):
        actions.dataset_approve(w.colleague, ds.id)


@pytest.mark.parametrize("state", ["draft", "revision", "published", "withdrawn"])
def test_approve_outside_submitted_is_an_invalid_transition(w, refused, state):
    ds = _dataset_in(w, state)
    with refused(InvalidTransition, ds):
        actions.dataset_approve(w.walidata2, ds.id)


def test_undecided_personal_data_blocks_approval_until_decided(w, refused):
    ds = make_submitted(w.producer, csv_text=PII_CSV)
    res = ds.resources[0]
    assert "nik" in res.pii_columns(), res.report
    with refused(ValidationError, ds) as info:
        actions.dataset_approve(w.walidata, ds.id)
    assert "nik" in errors_of(info)["pii"][0]

    actions.pii_decide(w.walidata, res.id, {"column": "nik", "decision": "removed"})
    for column in res.pii_undecided():
        actions.pii_decide(w.walidata, res.id, {
            "column": column, "decision": "justified",
            "reason": "Nama pejabat publik, terbuka menurut peraturan."})
    assert res.pii_undecided() == []
    assert "resource.pii_decided" in actions_of(ds)
    actions.dataset_approve(w.walidata, ds.id)
    assert ds.status == Status.PUBLISHED


def test_pii_decision_rules(w, refused):
    ds = make_submitted(w.producer, csv_text=PII_CSV)
    res = ds.resources[0]
    with refused(ValidationError, ds) as info:
        actions.pii_decide(w.walidata, res.id, {"column": "nik", "decision": "justified",
                                                "reason": "ok"})
    assert "reason" in info.value.errors
    with refused(ValidationError, ds):
        actions.pii_decide(w.walidata, res.id, {"column": "desa", "decision": "masked"})
    with refused(ValidationError, ds):
        actions.pii_decide(w.walidata, res.id, {"column": "nik", "decision": "dibiarkan"})
    with refused(NotAuthorized, ds):
        actions.pii_decide(w.producer, res.id, {"column": "nik", "decision": "masked"})
    with refused(NotAuthorized, ds):
        actions.pii_decide(w.admin, res.id, {"column": "nik", "decision": "masked"})


def test_pii_decision_can_be_changed_without_duplicates(w):
    ds = make_submitted(w.producer, csv_text=PII_CSV)
    res = ds.resources[0]
    actions.pii_decide(w.walidata, res.id, {"column": "nik", "decision": "masked"})
    actions.pii_decide(w.walidata, res.id, {"column": "nik", "decision": "removed"})
    assert [(d.column, d.decision) for d in res.pii_decisions] == [("nik", "removed")]


# ---------------------------------------------------------------- withdraw and reopen

def test_withdraw_takes_a_dataset_off_the_public_catalogue(w):
    ds = make_published(w.producer, w.walidata)
    actions.dataset_withdraw(w.walidata2, ds.id, "Data ditemukan keliru.")
    assert ds.status == Status.WITHDRAWN
    entry = audit.history("dataset", ds.id)[-1]
    assert (entry.action, entry.before, entry.after, entry.note) == (
        "dataset.withdrawn", {"status": "published"}, {"status": "withdrawn"},
        "Data ditemukan keliru.")
    assert OutboxMessage.query.filter_by(topic="dataset.withdrawn").count() == 1
    with pytest.raises(NotFound):
        actions.get_dataset(ANONYMOUS, ds.name)


def test_withdraw_needs_a_reason(w, refused):
    ds = make_published(w.producer, w.walidata)
    with refused(ValidationError, ds) as info:
        actions.dataset_withdraw(w.walidata, ds.id, " ")
    assert errors_of(info) == {"reason": ["Tuliskan alasan penarikan."]}


@pytest.mark.parametrize("who", ["producer", "admin", "pimpinan", "pemohon"])
def test_withdraw_only_by_walidata(w, refused, who):
    ds = make_published(w.producer, w.walidata)
    with refused(NotAuthorized, ds):
        actions.dataset_withdraw(getattr(w, who), ds.id, "Alasan yang cukup panjang")


@pytest.mark.parametrize("state", ["draft", "submitted", "revision", "withdrawn"])
def test_withdraw_outside_published_is_an_invalid_transition(w, refused, state):
    ds = _dataset_in(w, state)
    with refused(InvalidTransition, ds):
        actions.dataset_withdraw(w.walidata, ds.id, "Alasan yang cukup panjang")


@pytest.mark.parametrize("who", ["producer", "walidata"])
def test_reopen_brings_a_withdrawn_dataset_back_to_draft(w, who):
    ds = _dataset_in(w, "withdrawn")
    actions.dataset_reopen(getattr(w, who), ds.id)
    assert ds.status == Status.DRAFT
    assert history(ds)[-1] == ("dataset.reopened", {"status": "withdrawn"}, {"status": "draft"})
    actions.dataset_update(w.producer, ds.id, dataset_data(w.producer, name=ds.name,
                                                           title="Diperbaiki setelah ditarik"))
    actions.dataset_submit(w.producer, ds.id)
    assert ds.status == Status.SUBMITTED


@pytest.mark.parametrize("state", ["draft", "submitted", "published"])
def test_reopen_outside_withdrawn_is_an_invalid_transition(w, refused, state):
    ds = _dataset_in(w, state)
    with refused(InvalidTransition, ds):
        actions.dataset_reopen(w.walidata, ds.id)


@pytest.mark.parametrize("who,error", [("other_producer", NotFound), ("admin", NotAuthorized),
                                       ("pemohon", NotFound)])
def test_reopen_by_others_is_refused(w, refused, who, error):
    ds = _dataset_in(w, "withdrawn")
    with refused(error, ds):
        actions.dataset_reopen(getattr(w, who), ds.id)


# ---------------------------------------------------------------- access list

def test_access_grant_and_revoke(w):
    ds = make_published(w.producer, w.walidata, access="terbatas")
    actions.access_grant(w.walidata, ds.id, f"  {w.pemohon.email.upper()} ",
                         "Permohonan informasi no. 12")
    grant = DatasetAccess.query.one()
    assert (grant.user_id, grant.granted_by_id) == (w.pemohon.id, w.walidata.id)
    assert history(ds)[-1] == ("dataset.access_granted", None,
                               {"user": w.pemohon.email, "reason": "Permohonan informasi no. 12"})
    assert [g.user_id for g in actions.access_list(w.admin, ds.id)] == [w.pemohon.id]

    actions.access_revoke(w.admin, ds.id, w.pemohon.id)
    assert DatasetAccess.query.count() == 0
    assert history(ds)[-1] == ("dataset.access_revoked", {"user": w.pemohon.email}, None)


def test_access_grant_only_for_restricted_datasets(w, refused):
    ds = make_published(w.producer, w.walidata, access="terbuka")
    with refused(ValidationError, ds) as info:
        actions.access_grant(w.walidata, ds.id, w.pemohon.email)
    assert errors_of(info) == {"email": ["Daftar akses hanya untuk dataset terbatas."]}


def test_access_grant_unknown_email_is_refused(w, refused):
    ds = make_published(w.producer, w.walidata, access="terbatas")
    with refused(ValidationError, ds) as info:
        actions.access_grant(w.walidata, ds.id, "tidak.ada@example.go.id")
    assert errors_of(info) == {"email": ["Pengguna dengan e-mail ini tidak ditemukan."]}


def test_access_grant_twice_is_refused(w, refused):
    ds = make_published(w.producer, w.walidata, access="terbatas")
    actions.access_grant(w.walidata, ds.id, w.pemohon.email)
    with refused(ValidationError, ds):
        actions.access_grant(w.walidata, ds.id, w.pemohon.email)


@pytest.mark.parametrize("who", ["producer", "pimpinan", "pemohon", "helpdesk"])
def test_access_management_is_for_walidata_and_admin(w, refused, who):
    ds = make_published(w.producer, w.walidata, access="terbatas")
    actions.access_grant(w.walidata, ds.id, w.helpdesk.email)
    with refused(NotAuthorized, ds):
        actions.access_grant(getattr(w, who), ds.id, w.pemohon.email)
    with refused(NotAuthorized, ds):
        actions.access_revoke(getattr(w, who), ds.id, w.helpdesk.id)


def test_access_revoke_of_someone_not_on_the_list_is_not_found(w, refused):
    ds = make_published(w.producer, w.walidata, access="terbatas")
    with refused(NotFound, ds):
        actions.access_revoke(w.walidata, ds.id, w.pemohon.id)


# ---------------------------------------------------------------- downloads

def _counts():
    return [(c.day, c.count) for c in DownloadCount.query.all()]


def test_open_dataset_download_is_public_and_counted_per_day(w):
    ds = make_published(w.producer, w.walidata)
    res = ds.resources[0]
    first = actions.resource_download(ANONYMOUS, res.id)
    assert first["filename"] == "data.csv" and first["mimetype"].startswith("text/csv")
    with open(first["path"], "rb") as fh:
        assert fh.read() == VALID_CSV.encode()
    actions.resource_download(w.pemohon, res.id, "csv")
    assert _counts() == [(local_today(), 2)]  # one row per resource per day
    assert actions.download_total(res.id) == 2


def test_downloads_of_unpublished_datasets_are_not_counted(w):
    ds = make_dataset(w.producer)
    res = upload_csv(w.producer, ds)
    actions.resource_download(w.producer, res.id)
    actions.resource_download(w.walidata, res.id)
    assert DownloadCount.query.count() == 0


@pytest.mark.parametrize("who,allowed", [
    ("producer", True), ("colleague", True), ("walidata", True), ("admin", True),
    ("granted", True), ("pemohon", False), ("other_producer", False), ("pimpinan", False),
    ("helpdesk", False), ("anonymous", False),
])
def test_restricted_download_needs_a_grant_or_a_role(w, refused, who, allowed):
    ds = make_published(w.producer, w.walidata, access="terbatas")
    granted = make_user(roles=[Role.PEMOHON])
    actions.access_grant(w.walidata, ds.id, granted.email)
    actor = {"granted": granted, "anonymous": ANONYMOUS}.get(who) or getattr(w, who)
    res_id = ds.resources[0].id
    if allowed:
        assert actions.resource_download(actor, res_id)["path"].exists()
        assert DownloadCount.query.one().count == 1
    else:
        with refused(NotAuthorized, ds) as info:
            actions.resource_download(actor, res_id)
        assert "Ajukan permohonan data" in str(info.value.message)


def test_revoked_grant_no_longer_downloads(w):
    ds = make_published(w.producer, w.walidata, access="terbatas")
    actions.access_grant(w.walidata, ds.id, w.pemohon.email)
    actions.resource_download(w.pemohon, ds.resources[0].id)
    actions.access_revoke(w.walidata, ds.id, w.pemohon.id)
    with pytest.raises(NotAuthorized):
        actions.resource_download(w.pemohon, ds.resources[0].id)


def test_closed_dataset_files_are_not_found_for_the_public(w):
    ds = make_published(w.producer, w.walidata, access="tertutup")
    for actor in (ANONYMOUS, w.pemohon, w.other_producer):
        with pytest.raises(NotFound):
            actions.resource_download(actor, ds.resources[0].id)
    assert actions.resource_download(w.producer, ds.resources[0].id)["path"].exists()


def test_tabular_exports(w):
    ds = make_published(w.producer, w.walidata)
    res = ds.resources[0]

    out = actions.resource_download(ANONYMOUS, res.id, "csv")
    assert out["filename"].endswith(".csv")
    text = out["path"].read_text(encoding="utf-8-sig")
    assert "Sukasari" in text and "kode_kecamatan" in text

    out = actions.resource_download(ANONYMOUS, res.id, "xlsx")
    assert out["filename"].endswith(".xlsx") and "spreadsheetml" in out["mimetype"]
    sheet = openpyxl.load_workbook(out["path"]).active
    rows = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ("kode_kecamatan", "kecamatan", "tahun", "jumlah_penduduk") or \
        list(rows[0]) == ["kode_kecamatan", "kecamatan", "tahun", "jumlah_penduduk"]
    assert len(rows) == 4 and "Coblong" in rows[2]

    out = actions.resource_download(ANONYMOUS, res.id, "json")
    assert out["mimetype"] == "application/json"
    payload = json.loads(out["path"].read_text(encoding="utf-8"))
    assert "Cileunyi" in json.dumps(payload)
    assert DownloadCount.query.one().count == 3


def test_export_of_a_pdf_is_refused(w, refused):
    ds = make_dataset(w.producer)
    res = upload_bytes(w.producer, ds, minimal_pdf(), "laporan.pdf")
    actions.dataset_submit(w.producer, ds.id)
    actions.dataset_approve(w.walidata, ds.id)
    with refused(ValidationError, ds) as info:
        actions.resource_download(ANONYMOUS, res.id, "xlsx")
    assert errors_of(info) == {"format": ["Format unduhan tidak tersedia."]}
    out = actions.resource_download(ANONYMOUS, res.id)
    assert out["path"].read_bytes().startswith(b"%PDF")


def test_unknown_download_format_is_refused(w, refused):
    ds = make_published(w.producer, w.walidata)
    with refused(ValidationError, ds):
        actions.resource_download(ANONYMOUS, ds.resources[0].id, "exe")


def test_link_download_returns_its_url(w):
    ds = make_dataset(w.producer)
    res = actions.resource_link_create(w.producer, ds.id, {"name": "BPS",
                                                           "url": "https://jabar.bps.go.id/"})
    actions.dataset_submit(w.producer, ds.id)
    actions.dataset_approve(w.walidata, ds.id)
    assert actions.resource_download(ANONYMOUS, res.id) == {"url": "https://jabar.bps.go.id/"}


def test_unknown_resource_is_not_found(w):
    with pytest.raises(NotFound):
        actions.resource_download(ANONYMOUS, "00000000-0000-0000-0000-000000000000")


# ---------------------------------------------------------------- the whole life, audited

def test_full_lifecycle_history(w):
    ds = make_dataset(w.producer)
    upload_csv(w.producer, ds)
    actions.dataset_submit(w.producer, ds.id)
    actions.dataset_return(w.walidata, ds.id, {"notes": {"unit": "Satuan?"}})
    actions.note_answer(w.producer, ds.notes[0].id, "Jiwa.")
    actions.dataset_submit(w.producer, ds.id)
    actions.dataset_approve(w.walidata, ds.id)
    actions.dataset_withdraw(w.walidata, ds.id, "Salah tahun data.")
    actions.dataset_reopen(w.producer, ds.id)
    transitions = [(a, b, c) for a, b, c in history(ds) if b and "status" in b]
    assert transitions == [
        ("dataset.submitted", {"status": "draft"}, {"status": "submitted"}),
        ("dataset.returned", {"status": "submitted"}, {"status": "revision"}),
        ("dataset.resubmitted", {"status": "revision"}, {"status": "submitted"}),
        ("dataset.approved", {"status": "submitted"}, {"status": "published"}),
        ("dataset.withdrawn", {"status": "published"}, {"status": "withdrawn"}),
        ("dataset.reopened", {"status": "withdrawn"}, {"status": "draft"}),
    ]
    actors = [h.actor_label for h in audit.history("dataset", ds.id)]
    assert w.walidata.email in actors and w.producer.email in actors


# ---------------------------------------------------------------- reference data

def test_region_import_is_all_or_nothing(refused):
    with refused(ValidationError) as info:
        actions.region_import(SYSTEM, [{"kode": "32.75", "nama": "Kota Bekasi",
                                        "tingkat": "kabupaten_kota"},
                                       {"kode": "32-76", "nama": "Rusak", "tingkat": "x"}])
    assert "32-76" in errors_of(info)["file"][0]


def test_region_import_prefix_and_update(w):
    written = actions.region_import(SYSTEM, [
        {"kode": "31.74", "nama": "Kota Jakarta Selatan", "tingkat": "kabupaten_kota"},
        {"kode": "32.75", "nama": "Kota Bekasi", "tingkat": "kabupaten_kota"},
        {"kode": "32.73", "nama": "Kota Bandung", "tingkat": "kabupaten_kota"},  # unchanged
    ], prefix="32")
    assert written == 1
    from app.catalog.models import Region

    assert db.session.get(Region, "31.74") is None
    assert db.session.get(Region, "32.75").parent_code == "32"


@pytest.mark.parametrize("who", ["walidata", "producer", "pimpinan"])
def test_region_import_is_for_admin_and_system(w, refused, who):
    with refused(NotAuthorized):
        actions.region_import(getattr(w, who), [{"kode": "32.75", "nama": "Kota Bekasi",
                                                  "tingkat": "kabupaten_kota"}])
    assert actions.region_import(w.admin, [{"kode": "32.75", "nama": "Kota Bekasi",
                                            "tingkat": "kabupaten_kota"}]) == 1


def test_reference_seed_is_idempotent():
    from app.catalog.models import License, Topic

    topics, licenses = Topic.query.count(), License.query.count()
    actions.reference_seed(SYSTEM)
    assert (Topic.query.count(), License.query.count()) == (topics, licenses)
    assert topics >= 10 and licenses >= 4


# ---------------------------------------------------------------- helpers

def _dataset_in(w, state):
    """A dataset of w.org in the given state, made through the real flow."""
    if state == "draft":
        ds = make_dataset(w.producer)
        upload_csv(w.producer, ds)
        return ds
    if state == "submitted":
        return make_submitted(w.producer)
    if state == "revision":
        return make_revision(w.producer, w.walidata)
    ds = make_published(w.producer, w.walidata)
    if state == "withdrawn":
        actions.dataset_withdraw(w.walidata, ds.id, "Ditarik untuk pengujian.")
    return ds
