"""The data inventory (Daftar Data): the public page, staff view, filters and the downloads.

The public sees every published dataset of every access class (closed ones as metadata only,
without a link); catalogue staff also see unpublished work with its status. The CSV, XLSX and
PDF hold the same rows as the page. PDFs are read from the served bytes with tests/pdftext.py
(no PDF reader is installed here: neither poppler's pdftotext nor pypdf).
"""
import csv
import io
import re
from datetime import date, timedelta

import openpyxl
import pytest

from app.catalog import actions
from app.catalog import inventory as inv
from app.catalog.models import Topic
from app.core.actor import ANONYMOUS, Role
from app.core.timeutil import local_today
from app.extensions import db
from reports import inventory as report
from tests.factories import custodian_org, dataset_data, make_org, make_producer, make_user
from tests.pdftext import pdf_pages, squeeze

OPEN = "Jumlah Puskesmas per Kecamatan"
RESTRICTED = "Rekap Sekolah Dasar Negeri"
CLOSED = "Data Rahasia Pasien Kusta"
FORMULA = '=HYPERLINK("http://contoh.example/x","klik") Data Formula'
OVERDUE = "Luas Panen Padi per Kecamatan"
DRAFT = "Draf Angka Kematian Bayi"
SUBMITTED = "Jumlah Posyandu Aktif"
PUBLIC_TITLES = [OPEN, RESTRICTED, CLOSED, FORMULA, OVERDUE]


def _publish(producer, walidata, **overrides):
    """create -> link resource -> submit -> approve: a published dataset without an upload."""
    ds = actions.dataset_create(producer, dataset_data(producer, **overrides))
    actions.resource_link_create(producer, ds.id, {"name": "Sumber", "format": "HTML",
                                                   "url": "https://data.example.go.id/x"})
    actions.dataset_submit(producer, ds.id)
    return actions.dataset_approve(walidata, ds.id)


@pytest.fixture
def world(reference):
    """Two producers' datasets in every access class and state, one of them overdue."""
    dinkes = make_org(name="dinkes", title="Dinas Kesehatan")
    disdik = make_org(name="disdik", title="Dinas Pendidikan")
    w = type("World", (), {})()
    w.producer, w.producer_b = make_producer(dinkes), make_producer(disdik)
    w.walidata = make_user(roles=(Role.WALIDATA,), orgs=(custodian_org(),))
    pendidikan = Topic.query.filter_by(name="pendidikan").one().id
    pertanian = Topic.query.filter_by(name="pertanian").one().id
    w.open = _publish(w.producer, w.walidata, title=OPEN, name="puskesmas",
                      period_start=2021, period_end=2023)
    w.restricted = _publish(w.producer_b, w.walidata, title=RESTRICTED, name="rekap-sd",
                            access="terbatas", topic_id=pendidikan, period_start=2024,
                            period_end=2024)
    w.closed = _publish(w.producer, w.walidata, title=CLOSED, name="data-rahasia",
                        access="tertutup", license_id="other-closed", period_start=2020,
                        period_end=2020)
    w.formula = _publish(w.producer_b, w.walidata, title=FORMULA, name="data-formula",
                         period_start=2022, period_end=2022)
    w.overdue = _publish(w.producer, w.walidata, title=OVERDUE, name="luas-panen",
                         topic_id=pertanian, frequency="bulanan", period_start=2023,
                         period_end=2023)
    w.overdue.next_update_due = local_today() - timedelta(days=3)
    w.draft = actions.dataset_create(w.producer, dataset_data(
        w.producer, title=DRAFT, name="draf-akb", next_update_due=date(2000, 1, 1)))
    w.submitted = actions.dataset_create(w.producer, dataset_data(
        w.producer, title=SUBMITTED, name="posyandu"))
    actions.resource_link_create(w.producer, w.submitted.id, {
        "name": "Sumber", "format": "HTML", "url": "https://data.example.go.id/y"})
    actions.dataset_submit(w.producer, w.submitted.id)
    db.session.commit()
    return w


def _titles(listing):
    return {row.dataset.title for row in listing.rows}


def _row(html, name):
    match = re.search(rf'<tr data-dataset="{re.escape(name)}"[^>]*>(.*?)</tr>', html, re.S)
    assert match, f"no row for {name}"
    return match.group(1)


# ---------------------------------------------------------------- the page

def test_public_page_lists_every_published_dataset_but_no_unpublished_work(client, world):
    resp = client.get("/daftar-data")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    for title in (OPEN, RESTRICTED, CLOSED, OVERDUE):
        assert title in html, title
    assert "=HYPERLINK(&#34;http://contoh.example/x&#34;" in html  # escaped, shown as text
    assert DRAFT not in html and SUBMITTED not in html
    assert "5 dataset" in html
    # Open and restricted datasets link to their page; the closed one is metadata only.
    assert 'href="/dataset/puskesmas"' in _row(html, "puskesmas")
    assert 'href="/dataset/rekap-sd"' in _row(html, "rekap-sd")
    closed = _row(html, "data-rahasia")
    assert "href=" not in closed and "hanya metadata" in closed and "Tertutup" in closed
    assert 'name="status"' not in html  # the status filter is for staff


def test_public_nav_shows_the_inventory(client, world):
    html = client.get("/").get_data(as_text=True)
    assert 'href="/daftar-data"' in html


@pytest.mark.parametrize("role", [Role.WALIDATA, Role.PIMPINAN, Role.ADMIN])
def test_staff_also_see_unpublished_work_with_its_status(client_for, world, role):
    html = client_for(make_user(roles=(role,))).get("/daftar-data").get_data(as_text=True)
    for title in PUBLIC_TITLES[:3] + [DRAFT, SUBMITTED]:
        assert title in html, title
    assert '<span class="badge draft">draf</span>' in _row(html, "draf-akb")
    assert '<span class="badge submitted">diajukan</span>' in _row(html, "posyandu")
    assert "7 dataset" in html and 'name="status"' in html


def test_a_producer_sees_other_agencies_drafts_listed_but_cannot_open_them(client_for, world):
    html = client_for(world.producer_b).get("/daftar-data").get_data(as_text=True)
    assert "href=" not in _row(html, "draf-akb")  # dataset_read says no
    own = client_for(world.producer).get("/daftar-data").get_data(as_text=True)
    assert 'href="/dataset/draf-akb"' in _row(own, "draf-akb")


def test_closed_datasets_are_linked_for_staff_who_may_open_them(client_for, world):
    html = client_for(make_user(roles=(Role.PIMPINAN,))).get("/daftar-data").get_data(
        as_text=True)
    assert 'href="/dataset/data-rahasia"' in _row(html, "data-rahasia")


def test_overdue_datasets_are_marked_and_can_be_listed_alone(client, world):
    html = client.get("/daftar-data").get_data(as_text=True)
    assert "Terlambat" in _row(html, "luas-panen")
    assert "Terlambat" not in _row(html, "puskesmas")
    assert "1 terlambat dimutakhirkan" in html
    only = client.get("/daftar-data?overdue=1").get_data(as_text=True)
    assert OVERDUE in only and OPEN not in only and "1 dataset" in only


# ---------------------------------------------------------------- the read function

@pytest.mark.parametrize("filters,expected", [
    ({"organisation": "disdik"}, {RESTRICTED, FORMULA}),
    ({"topic": "pertanian"}, {OVERDUE}),
    ({"topic": "kependudukan", "organisation": "dinkes"}, {OPEN, CLOSED}),
    ({"year": 2022}, {OPEN, FORMULA}),   # 2021–2023 covers 2022
    ({"year": 2024}, {RESTRICTED}),
    ({"access": "tertutup"}, {CLOSED}),
    ({"overdue": 1}, {OVERDUE}),
    ({"organisation": "tidak-ada"}, set()),
    ({"status": "draft"}, set()),  # the public never sees drafts, whatever it asks
])
def test_filters_for_the_public(world, filters, expected):
    listing = inv.inventory_list(ANONYMOUS, filters)
    assert _titles(listing) == expected
    assert listing.total == len(expected)


def test_filters_for_staff_include_unpublished_work(world):
    walidata = world.walidata
    assert _titles(inv.inventory_list(walidata, {"status": "draft"})) == {DRAFT}
    assert _titles(inv.inventory_list(walidata, {"organisation": "dinkes", "year": 2023})) == {
        OPEN, OVERDUE, DRAFT, SUBMITTED}
    # A draft's due date in the past is not "overdue": only published datasets can be late.
    assert _titles(inv.inventory_list(walidata, {"overdue": 1})) == {OVERDUE}


def test_overdue_uses_the_jakarta_date(world):
    due = world.overdue.next_update_due
    assert inv.inventory_list(ANONYMOUS, {"overdue": 1}, today=due).total == 0
    assert inv.inventory_list(ANONYMOUS, {"overdue": 1}, today=due + timedelta(days=1)).total == 1


def test_query_arguments_are_cleaned_not_trusted():
    args = {"organisation": " dinkes ", "topic": "", "year": "20x4", "access": "rahasia",
            "status": "hapus", "overdue": "0", "page": "2"}
    assert inv.clean_filters(args) == {"organisation": "dinkes"}
    assert inv.clean_filters({"year": "2024", "overdue": "1", "access": "terbatas"}) == {
        "year": 2024, "overdue": 1, "access": "terbatas"}


def test_page_with_malformed_arguments_still_answers(client, world):
    resp = client.get("/daftar-data?year=abc&page=-3&overdue=maybe&status=%27")
    assert resp.status_code == 200 and OPEN in resp.get_data(as_text=True)


def test_the_page_is_paginated_and_downloads_hold_every_row(client, world, monkeypatch):
    monkeypatch.setattr(inv, "PAGE_SIZE", 2)
    html = client.get("/daftar-data?page=2").get_data(as_text=True)
    assert len(re.findall(r"<tr data-dataset=", html)) == 2
    assert "Halaman 2 dari 3" in html
    rows = _csv(client.get("/daftar-data.csv?page=2"))
    assert len(rows) == 1 + len(PUBLIC_TITLES)


# ---------------------------------------------------------------- downloads

def _csv(resp):
    assert resp.status_code == 200, resp.status_code
    assert resp.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(resp.get_data().decode("utf-8-sig"))))


def test_csv_holds_every_public_row_and_neutralises_formulas(client, world):
    resp = client.get("/daftar-data.csv")
    assert resp.headers["Content-Disposition"].startswith("attachment; filename=daftar-data-")
    rows = _csv(resp)
    header, body = rows[0], rows[1:]
    assert header[:4] == ["No.", "Judul", "Produsen data", "Walidata"]
    by_title = {row[1]: dict(zip(header, row, strict=True)) for row in body}
    assert set(by_title) == {OPEN, RESTRICTED, CLOSED, "'" + FORMULA, OVERDUE}
    closed = by_title[CLOSED]
    assert closed["Klasifikasi akses"] == "Tertutup" and closed["Tautan"] == ""
    assert by_title[OPEN]["Tautan"] == "http://127.0.0.1:5000/dataset/puskesmas"
    assert by_title[OPEN]["Tahun data"] == "2021–2023"
    assert by_title[OPEN]["Walidata"] == "Dinas Komunikasi dan Informatika"
    assert by_title[OVERDUE]["Terlambat"] == "Ya" and by_title[OPEN]["Terlambat"] == ""
    assert by_title[OVERDUE]["Pemutakhiran berikutnya"] == (
        world.overdue.next_update_due.isoformat())
    assert {row["Status"] for row in by_title.values()} == {"terbit"}
    assert [row[0] for row in body] == [str(n) for n in range(1, len(body) + 1)]


def test_csv_follows_the_filters_and_the_staff_view(client, client_for, world):
    titles = {row[1] for row in _csv(client.get("/daftar-data.csv?organisation=disdik"))[1:]}
    assert titles == {RESTRICTED, "'" + FORMULA}
    staff = client_for(world.walidata)
    rows = _csv(staff.get("/daftar-data.csv?status=draft"))
    assert [(r[1], r[-2]) for r in rows[1:]] == [(DRAFT, "draf")]


def test_xlsx_holds_every_row_with_a_frozen_header_and_no_formula(client, world):
    resp = client.get("/daftar-data.xlsx")
    assert resp.status_code == 200
    assert resp.mimetype == report.MIMETYPES["xlsx"]
    wb = openpyxl.load_workbook(io.BytesIO(resp.get_data()))
    ws = wb.active
    assert ws.title == "Daftar Data" and ws.freeze_panes == "A2"
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("No.", "Judul", "Produsen data")
    assert {r[1] for r in rows[1:]} == {OPEN, RESTRICTED, CLOSED, "'" + FORMULA, OVERDUE}
    formula_cell = next(c for c in ws["B"] if c.value == "'" + FORMULA)
    assert formula_cell.data_type == "s"
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    assert ws.column_dimensions["B"].width >= 40
    overdue = next(r for r in rows if r[1] == OVERDUE)
    assert overdue[9].date() == world.overdue.next_update_due  # a real date cell


def _pdf_text(data):
    """(page count, the whole text without whitespace) of PDF bytes; see squeeze."""
    pages = pdf_pages(data)
    return len(pages), squeeze(" ".join(pages))


def test_pdf_is_a_real_pdf_holding_every_dataset(client, world):
    resp = client.get("/daftar-data.pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    count, text = _pdf_text(resp.get_data())
    assert count >= 1
    for title in PUBLIC_TITLES:
        assert squeeze(title) in text, title
    assert squeeze(DRAFT) not in text and squeeze(SUBMITTED) not in text
    for heading in ("Daftar Data", "Portal Data Jawa Barat", "Produsen data", "Walidata",
                    "Klasifikasi akses", "Pemutakhiran berikutnya", "hanya metadata",
                    "TERLAMBAT", f"Halaman 1 dari {count}"):
        assert squeeze(heading) in text, heading


def test_staff_pdf_holds_unpublished_work(client_for, world):
    resp = client_for(world.walidata).get("/daftar-data.pdf?organisation=dinkes")
    _count, text = _pdf_text(resp.get_data())
    for title in (OPEN, CLOSED, OVERDUE, DRAFT, SUBMITTED):
        assert squeeze(title) in text, title
    assert squeeze(RESTRICTED) not in text
    assert squeeze("Saringan: Produsen data: Dinas Kesehatan") in text


def test_a_long_inventory_prints_on_several_numbered_pages(reference):
    """Built without a request: the scheduler or the CLI can make the PDF too."""
    producer = make_producer(make_org(name="bappeda", title="Bappeda"))
    walidata = make_user(roles=(Role.WALIDATA,), orgs=(custodian_org(),))
    titles = [f"Indikator Pembangunan Daerah Nomor {n:03d}" for n in range(60)]
    for i, title in enumerate(titles):
        _publish(producer, walidata, title=title, name=f"indikator-{i}")
    pages = pdf_pages(report.inventory_pdf(inv.inventory_list(ANONYMOUS, {})))
    assert len(pages) >= 2
    assert squeeze(f"Halaman {len(pages)} dari {len(pages)}") in squeeze(pages[-1])
    text = squeeze(" ".join(pages))
    assert all(squeeze(title) in text for title in titles)


def test_unknown_download_format_is_not_found(client):
    assert client.get("/daftar-data.json").status_code == 404


def test_a_pdf_too_long_to_make_sends_the_visitor_back_to_filter(client, world, monkeypatch):
    monkeypatch.setattr(report, "PDF_MAX_ROWS", 2)
    html = client.get("/daftar-data").get_data(as_text=True)
    assert "/daftar-data.pdf" not in html and "paling banyak 2 dataset" in html
    resp = client.get("/daftar-data.pdf?organisation=dinkes")
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/daftar-data?organisation=dinkes"
    assert "paling banyak 2 dataset" in client.get(resp.headers["Location"]).get_data(
        as_text=True)
    assert client.get("/daftar-data.pdf?organisation=disdik").status_code == 200  # 2 rows
    assert len(_csv(client.get("/daftar-data.csv"))) == 1 + len(PUBLIC_TITLES)
