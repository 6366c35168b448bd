"""Bad input where users meet it (the web forms): each gets a clear Indonesian message and
changes nothing -- no resource row, no file left in storage (outside its scratch area), the
dataset's status unchanged.
"""
import html as htmllib
import io
import re
import zipfile

import openpyxl
import pytest

from app.catalog.models import Dataset, Resource
from app.core.actor import Role
from app.extensions import db
from tests.catalog.test_views import CASES, KINDS, World
from tests.conftest import csrf_token
from tests.factories import (
    custodian_org,
    make_dataset,
    make_org,
    make_published,
    make_user,
    minimal_pdf,
    row_counts,
    storage_files,
    xlsx_bytes,
)

pytestmark = pytest.mark.usefixtures("reference")


@pytest.fixture
def producer():
    return make_user(orgs=[make_org(name="dinkes", title="Dinas Kesehatan")])


@pytest.fixture
def draft(producer):
    return make_dataset(producer)


def _page_text(resp):
    return htmllib.unescape(resp.get_data(as_text=True))


def _flashes(text):
    return re.findall(r'<div class="flash error"[^>]*>(.*?)</div>', text, re.S)


def upload(client, ds, data, filename):
    token = csrf_token(client, f"/dataset/{ds.name}/ubah")
    resp = client.post(f"/dataset/{ds.name}/unggah",
                       data={"file": (io.BytesIO(data), filename), "csrf_token": token})
    return resp


def assert_refused_upload(client, ds, data, filename, message, storage_dir):
    before = row_counts()
    resp = upload(client, ds, data, filename)
    assert resp.status_code == 302, resp.status_code
    text = _page_text(client.get(resp.headers["Location"]))
    flashes = " ".join(_flashes(text))
    assert message in flashes, flashes
    assert Resource.query.count() == 0
    assert row_counts() == before
    assert storage_files(storage_dir) == []
    scratch = storage_dir / "tmp"  # made on first use: a refusal before any write leaves none
    assert not scratch.exists() or list(scratch.iterdir()) == []  # no scratch or .part left
    assert db.session.get(Dataset, ds.id).status == "draft"


def test_wrong_extension(client_for, producer, draft, storage_dir):
    assert_refused_upload(client_for(producer), draft, b"MZ\x90\x00\x03\x00\x00\x00",
                          "program.exe", 'Format berkas "exe" tidak didukung. Format yang '
                          "didukung: CSV, JSON, PDF, TSV, XLSX.", storage_dir)


def test_no_extension(client_for, producer, draft, storage_dir):
    assert_refused_upload(client_for(producer), draft, b"a,b\n1,2\n", "data",
                          "Nama berkas tidak memiliki ekstensi.", storage_dir)


def test_pdf_bytes_named_csv(client_for, producer, draft, storage_dir):
    assert_refused_upload(client_for(producer), draft, minimal_pdf(), "data.csv",
                          "Isi berkas tidak sesuai dengan format CSV; isinya tampak seperti "
                          "dokumen PDF.", storage_dir)


def test_zip_named_csv(client_for, producer, draft, storage_dir):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("data.csv", "a,b\n1,2\n")
    assert_refused_upload(client_for(producer), draft, buf.getvalue(), "data.csv",
                          "isinya tampak seperti arsip ZIP.", storage_dir)


def test_executable_named_csv(client_for, producer, draft, storage_dir):
    elf = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64
    assert_refused_upload(client_for(producer), draft, elf, "data.csv",
                          "isinya tampak seperti program yang dapat dijalankan.", storage_dir)


def test_empty_csv(client_for, producer, draft, storage_dir):
    assert_refused_upload(client_for(producer), draft, b"", "kosong.csv",
                          "Berkas kosong atau tidak memiliki baris judul kolom.", storage_dir)


def test_csv_of_blank_lines_only(client_for, producer, draft, storage_dir):
    assert_refused_upload(client_for(producer), draft, b"\n\n  \n", "kosong.csv",
                          "Berkas kosong atau tidak memiliki baris judul kolom.", storage_dir)


def test_binary_garbage_named_csv(client_for, producer, draft, storage_dir):
    garbage = bytes(range(256)) * 8
    assert_refused_upload(client_for(producer), draft, garbage, "data.csv",
                          "isinya tampak seperti berkas biner.", storage_dir)


def test_broken_xlsx(client_for, producer, draft, storage_dir):
    good = xlsx_bytes([("kecamatan", "jumlah"), ("Sukasari", 10)])
    broken = good[: len(good) // 2]
    assert_refused_upload(client_for(producer), draft, broken, "data.xlsx",
                          "Berkas Excel rusak atau tidak dapat dibaca.", storage_dir)


@pytest.mark.parametrize("filename", ["../../x.csv", "/etc/x.csv", "C:x.csv", "a/b.csv"])
def test_filename_with_path_parts(client_for, producer, draft, storage_dir, filename):
    assert_refused_upload(client_for(producer), draft, b"a,b\n1,2\n", filename,
                          "Nama berkas tidak valid.", storage_dir)


def test_no_file_chosen(client_for, producer, draft, storage_dir):
    c = client_for(producer)
    resp = c.post(f"/dataset/{draft.name}/unggah",
                  data={"csrf_token": csrf_token(c, f"/dataset/{draft.name}/ubah")})
    assert resp.status_code == 302
    assert "Pilih berkas untuk diunggah." in " ".join(_flashes(_page_text(c.get(
        resp.headers["Location"]))))
    assert Resource.query.count() == 0


# ---------------------------------------------------------------- files that must work

def test_cp1252_csv_is_read_correctly(client_for, producer, draft):
    text = ("kecamatan,keterangan,jumlah\n"
            "Sukasari,Pusat kota – Jalan Setiabudi,10\n"
            "Coblong,Kafe & café,20\n")
    resp = upload(client_for(producer), draft, text.encode("cp1252"), "windows.csv")
    assert resp.status_code == 302 and "/skema" in resp.headers["Location"]
    res = Resource.query.one()
    assert res.valid and res.row_count == 2
    assert res.report["encoding"] == "cp1252"
    cells = [c for row in res.preview["rows"] for c in row]
    assert "Kafe & café" in cells and "Pusat kota – Jalan Setiabudi" in cells


def test_semicolon_csv_with_utf8_bom_is_read(client_for, producer, draft):
    text = "\ufeffkecamatan;jumlah\nSukasari;10\nCoblong;20\n"
    upload(client_for(producer), draft, text.encode("utf-8"), "excel.csv")
    res = Resource.query.one()
    assert [f["name"] for f in res.table_schema["fields"]] == ["kecamatan", "jumlah"]
    assert res.valid and res.row_count == 2


def test_good_xlsx_is_read(client_for, producer, draft):
    data = xlsx_bytes([("kecamatan", "jumlah"), ("Sukasari", 10), ("Coblong", 20)])
    upload(client_for(producer), draft, data, "data.xlsx")
    res = Resource.query.one()
    assert res.format == "XLSX" and res.valid and res.row_count == 2


# ---------------------------------------------------------------- size limit

@pytest.fixture
def small_app(app_factory):
    # MAX_CONTENT_LENGTH follows MAX_UPLOAD_MB in config.load from the environment only.
    return app_factory(MAX_UPLOAD_MB=1, MAX_CONTENT_LENGTH=1024 * 1024 + 64 * 1024)


def _login(app, user):
    from tests.conftest import login

    c = app.test_client()
    login(c, user)
    return c


def test_upload_over_the_request_limit_gets_a_clear_413(small_app, producer, draft,
                                                        storage_dir):
    c = _login(small_app, producer)
    before = row_counts()
    resp = upload(c, draft, b"a,b\n" + b"1,2\n" * (512 * 1024), "besar.csv")  # 2 MB
    assert resp.status_code == 413
    assert "Berkas terlalu besar: batasnya 1 MB." in _page_text(resp)
    assert row_counts() == before and storage_files(storage_dir) == []


def test_file_just_over_the_limit_is_refused_and_not_kept(small_app, producer, draft,
                                                          storage_dir):
    c = _login(small_app, producer)
    body = b"a,b\n" + b"1,2\n" * (256 * 1024 + 2048)  # 1 MB + 8 KB: under the request limit
    before = row_counts()
    resp = upload(c, draft, body, "besar.csv")
    assert resp.status_code == 302
    flashes = " ".join(_flashes(_page_text(c.get(resp.headers["Location"]))))
    assert "Berkas terlalu besar: batasnya 1 MB." in flashes
    assert row_counts() == before and storage_files(storage_dir) == []
    assert list((storage_dir / "tmp").iterdir()) == []


# ---------------------------------------------------------------- forms

def test_duplicate_dataset_name(client_for, producer, draft):
    from tests.catalog.test_views import _form
    from tests.factories import dataset_data

    c = client_for(producer)
    data = _form(dataset_data(producer, name=draft.name))
    before = row_counts()
    resp = c.post("/dataset/baru", data={**data, "csrf_token": csrf_token(c, "/dataset/baru")})
    assert resp.status_code == 422
    assert "Nama singkat sudah dipakai dataset lain." in _page_text(resp)
    assert row_counts() == before


POST_CASES = [c for c in CASES if c.method == "POST"]


def _allowed_kind(case):
    for kind in KINDS[1:]:
        if case.expected(kind) in ("302", "200", "401", "422"):
            return kind
    return "produsen"  # refused for everyone: still the dataset's producer


@pytest.mark.parametrize("token", ["missing", "forged", "other-session"])
@pytest.mark.parametrize("case", POST_CASES, ids=[c.name for c in POST_CASES])
def test_forged_or_missing_csrf_token_is_refused(case, token, client_for, storage_dir):
    world = World()
    url, data = case.build(world)
    user = world.user(_allowed_kind(case))
    c = client_for(user)
    data = dict(data or {})
    if token == "forged":
        data["csrf_token"] = "IjVhYjM0ZGQ5ZTI4NmM0YjQ0In0.ZmFrZQ.c2lnbmF0dXJl"
    elif token == "other-session":
        data["csrf_token"] = csrf_token(client_for(None))  # valid, but for someone else
    before = (row_counts(), storage_files(storage_dir))
    resp = c.post(url, data=data)
    assert resp.status_code == 400
    assert "Formulir kedaluwarsa atau tidak sah. Muat ulang halaman lalu kirim lagi." in \
        _page_text(resp)
    assert (row_counts(), storage_files(storage_dir)) == before


def test_producer_of_another_org_is_refused_and_nothing_changes(client_for, producer,
                                                                storage_dir):
    walidata = make_user(roles=[Role.WALIDATA], orgs=[custodian_org()])
    published = make_published(producer, walidata)
    intruder = make_user(orgs=[make_org(name="disdik", title="Dinas Pendidikan")])
    c = client_for(intruder)
    before = (row_counts(), storage_files(storage_dir))
    token = csrf_token(c)
    res = published.resources[0]
    attempts = [
        (f"/dataset/{published.name}/ubah", {"title": "Diambil alih"}),
        (f"/dataset/{published.name}/unggah", {"file": (io.BytesIO(b"a,b\n1,2\n"), "x.csv")}),
        (f"/dataset/{published.name}/tautan", {"name": "x", "url": "https://x.example/"}),
        (f"/dataset/{published.name}/sumber/{res.id}/hapus", {}),
        (f"/dataset/{published.name}/sumber/{res.id}/ganti",
         {"file": (io.BytesIO(b"a,b\n1,2\n"), "x.csv")}),
        (f"/dataset/{published.name}/tarik", {"reason": "Saya mau menarik ini"}),
        (f"/dataset/{published.name}/hapus", {}),
    ]
    for url, data in attempts:
        resp = c.post(url, data={**data, "csrf_token": token})
        assert resp.status_code == 403, url
        assert "berwenang" in _page_text(resp) or "hanya dapat" in _page_text(resp), url
    assert (row_counts(), storage_files(storage_dir)) == before
    assert db.session.get(Dataset, published.id).status == "published"


# ---------------------------------------------------------------- formula injection

RISKY_CSV = ("kecamatan,catatan,perubahan\n"
             "Sukasari,=cmd|' /C calc'!A0,-5\n"
             "Coblong,+1,3\n"
             "Cicendo,-1,-2\n"
             "Andir,@SUM(1+1),7\n")
NEUTRALISED = ["'=cmd|' /C calc'!A0", "'+1", "'-1", "'@SUM(1+1)"]


@pytest.fixture
def risky(producer):
    walidata = make_user(roles=[Role.WALIDATA], orgs=[custodian_org()])
    return make_published(producer, walidata, csv_text=RISKY_CSV).resources[0]


def _download(client, res, fmt):
    resp = client.get(f"/dataset/{res.dataset.name}/sumber/{res.id}/unduh/{fmt}")
    assert resp.status_code == 200
    return resp.data


def test_csv_download_neutralises_formulas(client, risky):
    import csv

    rows = list(csv.reader(io.StringIO(_download(client, risky, "csv").decode("utf-8-sig"))))
    assert [r[1] for r in rows[1:]] == NEUTRALISED
    assert [r[2] for r in rows[1:]] == ["-5", "3", "-2", "7"]  # numbers stay numbers


def test_xlsx_download_neutralises_formulas(client, risky):
    book = openpyxl.load_workbook(io.BytesIO(_download(client, risky, "xlsx")))
    rows = list(book.active.iter_rows(values_only=True))
    assert [r[1] for r in rows[1:]] == NEUTRALISED
    assert [r[2] for r in rows[1:]] == [-5, 3, -2, 7]
    for row in book.active.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate  # no formula cell anywhere


def test_json_download_keeps_values_as_data(client, risky):
    import json

    records = json.loads(_download(client, risky, "json"))
    assert [r["catatan"] for r in records] == ["=cmd|' /C calc'!A0", "+1", "-1", "@SUM(1+1)"]


def test_original_file_is_served_unchanged(client, risky):
    assert _download(client, risky, "original") == RISKY_CSV.encode()


def test_formula_in_header_is_neutralised(client, producer):
    walidata = make_user(roles=[Role.WALIDATA], orgs=[custodian_org()])
    ds = make_published(producer, walidata, csv_text="=HYPERLINK(1),jumlah\nSukasari,10\n")
    text = _download(client, ds.resources[0], "csv").decode("utf-8-sig")
    assert text.splitlines()[0].startswith("'=HYPERLINK")


def test_restricted_preview_values_are_not_public(client, producer):
    """Preview and validation report quote cells: as restricted as the file."""
    walidata = make_user(roles=[Role.WALIDATA], orgs=[custodian_org()])
    ds = make_published(producer, walidata, access="terbatas")
    res = ds.resources[0]
    for url in (f"/dataset/{ds.name}", f"/dataset/{ds.name}/sumber/{res.id}"):
        text = _page_text(client.get(url))
        assert "Coblong" not in text and "112045" not in text, url
