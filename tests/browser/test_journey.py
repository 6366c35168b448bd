"""The publication journey in a real browser, from the producer's draft to a citizen's download.

A producer of Dinas Kesehatan describes a dataset with the Satu Data metadata, uploads a table
with two mistakes, reads the validation report, fixes the file and submits; the custodian
(walidata) returns it with notes; the producer answers and resubmits; the custodian approves;
an anonymous visitor finds it through a facet, previews it and downloads it as CSV and XLSX.

Every step goes through the pages as a person would (labels, buttons, links), and each page
is saved as a screenshot under docs/screenshots/.
"""
import csv
import io
import re
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.browser.helpers import (
    OTHER_DATASET,
    PRODUSEN,
    WALIDATA,
    Shots,
    Watch,
    flash,
    login,
    meta_value,
    report_row,
)

pytestmark = pytest.mark.browser

TITLE = "Jumlah Puskesmas Menurut Kecamatan di Kota Bandung 2024"
SLUG = "jumlah-puskesmas-menurut-kecamatan-di-kota-bandung-2024"
RESOURCE = "Puskesmas per kecamatan 2024"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 10_000  # a page of this app answers in well under a second

HEADER = ["kode_wilayah", "kecamatan", "jumlah_puskesmas", "tahun"]
# Kota Bandung's 30 kecamatan (Kepmendagri 2025 codes); the counts are illustrative.
ROWS = [
    ("32.73.01", "Sukasari", 3), ("32.73.02", "Coblong", 4), ("32.73.03", "Babakan Ciparay", 3),
    ("32.73.04", "Bojongloa Kaler", 3), ("32.73.05", "Andir", 3), ("32.73.06", "Cicendo", 3),
    ("32.73.07", "Sukajadi", 3), ("32.73.08", "Cidadap", 2), ("32.73.09", "Bandung Wetan", 2),
    ("32.73.10", "Astanaanyar", 2), ("32.73.11", "Regol", 3), ("32.73.12", "Batununggal", 4),
    ("32.73.13", "Lengkong", 3), ("32.73.14", "Cibeunying Kidul", 3),
    ("32.73.15", "Bandung Kulon", 4), ("32.73.16", "Kiaracondong", 4),
    ("32.73.17", "Bojongloa Kidul", 3), ("32.73.18", "Cibeunying Kaler", 2),
    ("32.73.19", "Sumur Bandung", 2), ("32.73.20", "Antapani", 2),
    ("32.73.21", "Bandung Kidul", 2), ("32.73.22", "Buahbatu", 2), ("32.73.23", "Rancasari", 2),
    ("32.73.24", "Arcamanik", 2), ("32.73.25", "Cibiru", 2), ("32.73.26", "Ujungberung", 3),
    ("32.73.27", "Gedebage", 1), ("32.73.28", "Panyileukan", 1), ("32.73.29", "Cinambo", 1),
    ("32.73.30", "Mandalajati", 2),
]
# The mistakes, by 0-based data row: a count typed as a word, a code that does not exist.
# In the report rows are counted as in a spreadsheet: the header is row 1.
TEXT_IN_NUMBER = 4  # Andir: "tiga" -> report row 6
BAD_REGION = 11  # Batununggal: 32.73.99 -> report row 13

UNIT_NOTE = "Satuan sebaiknya 'unit puskesmas', bukan hanya 'unit'."
GENERAL_NOTE = "Metadata sudah hampir lengkap; mohon perjelas satuannya."
ANSWER = "Setuju, satuan diganti menjadi unit puskesmas."


def _table_csv(mistakes=False):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for i, (code, name, count) in enumerate(ROWS):
        if mistakes and i == TEXT_IN_NUMBER:
            count = "tiga"
        if mistakes and i == BAD_REGION:
            code = "32.73.99"
        writer.writerow([code, name, count, 2024])
    return out.getvalue().encode("utf-8")


def _context(browser, watch, **options):
    context = browser.new_context(locale="id-ID", **{"viewport": DESKTOP, **options})
    context.set_default_timeout(TIMEOUT_MS)
    return watch.attach(context)


def _file(name, data):
    return {"name": name, "mimeType": "text/csv", "buffer": data}


# ---------------------------------------------------------------- the journey

def test_dataset_publication_journey(live_server, browser, screenshots):
    base, shots, watch = live_server.url, Shots(screenshots), Watch()

    producer_ctx = _context(browser, watch)
    producer = producer_ctx.new_page()
    _create_draft(producer, base, shots)
    _upload_with_errors(producer, shots)
    _fix_and_submit(producer, shots)

    custodian_ctx = _context(browser, watch)
    custodian = custodian_ctx.new_page()
    _return_with_notes(custodian, base, shots)

    _answer_and_resubmit(producer, shots)
    _approve(custodian, shots)
    producer_ctx.close()
    custodian_ctx.close()

    visitor_ctx = _context(browser, watch)
    _find_preview_download(visitor_ctx.new_page(), base, shots)
    visitor_ctx.close()

    phone_ctx = _context(browser, watch, viewport=PHONE, device_scale_factor=2,
                         is_mobile=True, has_touch=True)
    phone = phone_ctx.new_page()
    phone.goto(f"{base}/dataset?organisation=dinkes-kota-bandung")
    expect(phone.get_by_role("link", name=TITLE)).to_be_visible()
    shots(phone, "catalogue-phone")
    phone.get_by_role("link", name=TITLE).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(TITLE)
    shots(phone, "dataset-phone")
    phone_ctx.close()

    assert watch.failures == []


def _create_draft(page, base, shots):
    """1. The producer logs in and describes the dataset with the Satu Data metadata."""
    login(page, base, PRODUSEN, shots)
    page.get_by_role("link", name="Dataset saya").click()
    page.get_by_role("link", name="Buat dataset baru").click()
    expect(page.get_by_role("heading", name="Dataset baru")).to_be_visible()

    page.get_by_label("Judul").fill(TITLE)
    page.get_by_label("Deskripsi").fill(
        "Jumlah puskesmas (pusat kesehatan masyarakat) di setiap kecamatan Kota Bandung "
        "pada akhir tahun 2024, termasuk puskesmas rawat inap.")
    page.get_by_label("Produsen data").select_option(label="Dinas Kesehatan Kota Bandung")
    page.get_by_label("Topik/sektor").select_option(label="Kesehatan")
    page.get_by_label("Kata kunci").fill("puskesmas, fasilitas kesehatan, kecamatan")
    page.get_by_label("Frekuensi pemutakhiran").select_option(label="Tahunan")
    page.get_by_label("Tahun awal data").fill("2024")
    page.get_by_label("Tahun akhir data").fill("2024")
    page.get_by_label("Cakupan wilayah").fill("Kota Bandung")
    page.get_by_label("Kode wilayah Kemendagri").fill("32.73")
    page.get_by_label("Satuan", exact=True).fill("unit")
    page.get_by_label("Konsep").fill(
        "Puskesmas adalah fasilitas pelayanan kesehatan tingkat pertama (Permenkes 43/2019).")
    page.get_by_label("Definisi").fill(
        "Banyaknya puskesmas yang beroperasi di wilayah kecamatan pada 31 Desember 2024.")
    page.get_by_label("Klasifikasi akses").select_option(label="Terbuka")
    page.get_by_label("Lisensi").select_option(label="Creative Commons Attribution 4.0")
    page.get_by_label("Nama kontak").fill(PRODUSEN.name)
    page.get_by_label("E-mail kontak").fill(PRODUSEN.email)
    shots(page, "new-dataset")
    page.get_by_role("button", name="Buat draf").click()

    flash(page, "success", "Draf dataset dibuat")
    expect(page).to_have_url(re.compile(rf"/dataset/{SLUG}/ubah$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    expect(page.locator("h1 .badge")).to_have_text("draf")
    # What was typed is what was stored.
    expect(page.get_by_label("Kode wilayah Kemendagri")).to_have_value("32.73")
    expect(page.get_by_label("Topik/sektor").locator("option:checked")).to_have_text("Kesehatan")
    expect(page.get_by_label("Frekuensi pemutakhiran").locator("option:checked")) \
        .to_have_text("Tahunan")
    expect(page.get_by_label("Kata kunci")).to_have_value(
        "fasilitas kesehatan, kecamatan, puskesmas")
    expect(page.get_by_label("Lisensi")).to_have_value("cc-by-4.0")


def _upload_with_errors(page, shots):
    """2. A table with a word in a count column and an unknown region code."""
    page.get_by_label("Unggah berkas").set_input_files(
        _file("puskesmas-kota-bandung-2024.csv", _table_csv(mistakes=True)))
    page.get_by_label("Nama sumber data (opsional)").fill(RESOURCE)
    page.get_by_role("button", name="Unggah dan validasi").click()

    # The upload lands on the schema page with the first report.
    expect(page.get_by_role("heading", level=1)).to_have_text(RESOURCE)
    flash(page, "warning", "belum lolos validasi")
    region_row = page.locator('tr[data-field="kode_wilayah"]')
    region_row.get_by_label("Kode wilayah kode_wilayah").check()
    count_row = page.locator('tr[data-field="jumlah_puskesmas"]')
    count_row.get_by_label("Satuan jumlah_puskesmas").fill("unit")
    # One stray word ("tiga") must not make the inferred count column text.
    expect(count_row.get_by_label("Tipe jumlah_puskesmas")).to_have_value("integer")
    page.get_by_role("button", name="Simpan skema dan validasi ulang").click()

    flash(page, "warning", "belum lolos validasi: 2 kesalahan")
    report = page.locator("#laporan")
    expect(report.locator(".badge.bad")).to_have_text("Belum lolos validasi")
    expect(report).to_contain_text("2 kesalahan")
    expect(page.locator("table.validation-errors tbody tr")).to_have_count(2)
    expect(report_row(page, TEXT_IN_NUMBER + 2, "jumlah_puskesmas")).to_contain_text(
        'Baris 6, kolom jumlah_puskesmas: nilai "tiga" bukan bilangan bulat.')
    expect(report_row(page, BAD_REGION + 2, "kode_wilayah")).to_contain_text(
        'Baris 13, kolom kode_wilayah: kode wilayah "32.73.99" tidak dikenal.')
    # The edited schema was saved.
    expect(region_row.get_by_label("Kode wilayah kode_wilayah")).to_be_checked()
    expect(page.get_by_label("Satuan jumlah_puskesmas")).to_have_value("unit")
    shots(page, "validation-report")

    page.get_by_role("link", name="Kembali ke dataset").click()
    submit_box = page.locator("#ajukan")
    expect(submit_box).to_contain_text(
        f"Perbaiki berkas yang belum lolos validasi: {RESOURCE}.")
    submit = submit_box.get_by_role("button", name="Ajukan", exact=True)
    expect(submit).to_be_disabled()
    shots(page, "submit-blocked")

    # The disabled button is only a hint: the server refuses the submission too. Enable it
    # the way a crafted request would and check the refusal comes back as a message.
    submit.evaluate("button => { button.disabled = false; }")
    submit.click()
    flash(page, "error", f"Perbaiki berkas yang belum lolos validasi: {RESOURCE}.")
    expect(page.locator("h1 .badge")).to_have_text("draf")


def _fix_and_submit(page, shots):
    """3. The corrected file replaces the first one; the report is clean; the producer submits."""
    page.get_by_role("link", name="Skema dan laporan validasi").click()
    page.get_by_label("Unggah berkas perbaikan").set_input_files(
        _file("puskesmas-kota-bandung-2024-perbaikan.csv", _table_csv()))
    page.get_by_role("button", name="Ganti berkas dan validasi ulang").click()

    flash(page, "success", f"Berkas lolos validasi ({len(ROWS)} baris).")
    expect(page.locator("#laporan .badge.ok")).to_have_text("Lolos validasi")
    expect(page.locator("table.validation-errors")).to_have_count(0)
    # The replacement was checked against the producer's schema, which it kept.
    expect(page.get_by_label("Kode wilayah kode_wilayah")).to_be_checked()
    expect(page.get_by_label("Satuan jumlah_puskesmas")).to_have_value("unit")
    shots(page, "validation-ok")

    page.get_by_role("link", name="Kembali ke dataset").click()
    expect(page.locator("#berkas li").filter(has_text=RESOURCE).locator(".badge.ok")) \
        .to_have_text("valid")
    page.locator("#ajukan").get_by_role("button", name="Ajukan", exact=True).click()
    flash(page, "success", "Dataset diajukan ke walidata untuk diperiksa.")
    row = page.get_by_role("row").filter(has_text=TITLE)
    expect(row.locator(".badge.submitted")).to_have_text("diajukan")
    shots(page, "submitted")


def _return_with_notes(page, base, shots):
    """4. The custodian finds it in the queue and returns it with a general and a field note."""
    login(page, base, WALIDATA)
    page.get_by_role("link", name="Antrean pemeriksaan").click()
    row = page.get_by_role("row").filter(has_text=TITLE)
    expect(row).to_contain_text("Dinas Kesehatan Kota Bandung")
    expect(row.locator(".badge.ok")).to_have_text("valid")
    shots(page, "review-queue")
    row.get_by_role("link", name=TITLE).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    expect(page.locator("h1 .badge")).to_have_text("diajukan")
    resource = page.locator("section.card").filter(
        has=page.get_by_role("heading", name=RESOURCE))
    expect(resource.locator(".badge.ok")).to_have_text("Lolos validasi")
    expect(page.get_by_role("button", name="Setujui dan terbitkan")).to_be_enabled()
    decision = page.locator("#keputusan")
    decision.get_by_label("Catatan umum").fill(GENERAL_NOTE)
    decision.locator("details summary").click()  # the per-field notes start folded
    decision.get_by_label("Satuan", exact=True).fill(UNIT_NOTE)  # the note on the 'unit' field
    shots(page, "review")
    decision.get_by_role("button", name="Kembalikan dengan catatan").click()

    flash(page, "success", "Dataset dikembalikan ke produsen dengan catatan.")
    expect(page.get_by_text("Tidak ada pengajuan yang menunggu.")).to_be_visible()


def _answer_and_resubmit(page, shots):
    """5. The producer reads the note beside the field, answers it, fixes the field, resubmits."""
    page.get_by_role("link", name="Dataset saya").click()
    row = page.get_by_role("row").filter(has_text=TITLE)
    expect(row.locator(".badge.revision")).to_have_text("revisi")
    expect(row).to_contain_text("2 catatan walidata")
    row.get_by_role("link", name=TITLE).click()

    expect(page.locator(".note").filter(has_text=GENERAL_NOTE)).to_be_visible()
    unit_field = page.locator("div.field").filter(has=page.locator("#f-unit"))
    note = unit_field.locator(".note")
    expect(note).to_contain_text(f"Catatan walidata: {UNIT_NOTE}")
    expect(page.locator(".note").filter(has_text=UNIT_NOTE)).to_have_count(1)  # only there
    shots(page, "notes-beside-fields")

    note.get_by_label("Jawab catatan").fill(ANSWER)
    note.get_by_role("button", name="Simpan jawaban").click()
    flash(page, "success", "Jawaban disimpan.")
    expect(unit_field.locator(".note .answer")).to_contain_text(f"Jawaban Anda: {ANSWER}")

    page.get_by_label("Satuan", exact=True).fill("unit puskesmas")
    page.get_by_role("button", name="Simpan metadata").click()
    flash(page, "success", "Metadata disimpan.")
    expect(page.get_by_label("Satuan", exact=True)).to_have_value("unit puskesmas")
    page.locator("#ajukan").get_by_role("button", name="Ajukan ulang").click()
    flash(page, "success", "Dataset diajukan ke walidata untuk diperiksa.")
    expect(page.get_by_role("row").filter(has_text=TITLE).locator(".badge.submitted")) \
        .to_have_text("diajukan")


def _approve(page, shots):
    """6. The custodian sees the answer and the fixed field, and approves: published."""
    page.get_by_role("link", name="Antrean pemeriksaan").click()
    page.get_by_role("row").filter(has_text=TITLE).get_by_role("link", name=TITLE).click()
    earlier = page.locator("section.card").filter(
        has=page.get_by_role("heading", name="Catatan sebelumnya"))
    expect(earlier.locator(".note").filter(has_text=UNIT_NOTE)).to_contain_text(
        f"Jawaban produsen: {ANSWER}")
    expect(meta_value(page, "Satuan")).to_have_text("unit puskesmas")
    page.get_by_role("button", name="Setujui dan terbitkan").click()

    flash(page, "success", "Dataset disetujui dan diterbitkan.")
    expect(page).to_have_url(re.compile(rf"/dataset/{SLUG}$"))
    expect(meta_value(page, "Status")).to_have_text("terbit")
    shots(page, "published")


def _find_preview_download(page, base, shots):
    """7. An anonymous visitor narrows the catalogue, previews and downloads the table."""
    page.goto(base + "/")
    page.get_by_role("navigation").get_by_role("link", name="Katalog").click()
    expect(page.locator("#result-count")).to_have_text("2 dataset ditemukan")
    expect(page.get_by_role("link", name=OTHER_DATASET)).to_be_visible()
    shots(page, "catalogue")

    page.locator('ul[data-facet="organisation"]').get_by_role(
        "link", name="Dinas Kesehatan Kota Bandung").click()
    expect(page).to_have_url(re.compile(r"organisation=dinkes-kota-bandung"))
    expect(page.locator("#result-count")).to_have_text("1 dataset ditemukan")
    expect(page.get_by_role("link", name=OTHER_DATASET)).to_have_count(0)
    expect(page.locator('ul[data-facet="organisation"] li.active')).to_contain_text(
        "Dinas Kesehatan Kota Bandung")
    shots(page, "catalogue-filtered")
    page.get_by_role("link", name=TITLE).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    preview = page.locator("table.preview")
    expect(preview.locator("thead th")).to_have_text(HEADER)
    expect(preview.locator("tbody tr")).to_have_count(len(ROWS))
    expect(preview.locator("tbody tr").first.locator("td")).to_have_text(
        ["32.73.01", "Sukasari", "3", "2024"])
    schema = page.locator("table.schema")
    expect(schema.locator("tbody tr").filter(has_text="kode_wilayah").locator("td").nth(5)) \
        .to_have_text("ya")
    expect(schema.locator("tbody tr").filter(has_text="jumlah_puskesmas").locator("td").nth(2)) \
        .to_have_text("unit")
    resource = page.locator("#sumber li").filter(has_text=RESOURCE)
    expect(resource).to_contain_text("0 unduhan")

    with page.expect_download() as info:
        resource.get_by_role("link", name="CSV", exact=True).click()
    download = info.value
    assert download.failure() is None
    assert download.suggested_filename == "puskesmas-per-kecamatan-2024.csv"
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert rows[0] == HEADER
    assert ["32.73.05", "Andir", "3", "2024"] in rows
    assert len(rows) == len(ROWS) + 1

    with page.expect_download() as info:
        resource.get_by_role("link", name="XLSX", exact=True).click()
    download = info.value
    assert download.failure() is None
    assert download.suggested_filename == "puskesmas-per-kecamatan-2024.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes()), read_only=True)
    table = list(book.worksheets[0].iter_rows(values_only=True))
    book.close()
    assert list(table[0]) == HEADER
    assert ("32.73.12", "Batununggal", 4, 2024) in table  # counts are numbers, not text
    assert len(table) == len(ROWS) + 1

    page.reload()
    expect(page.locator("#sumber li").filter(has_text=RESOURCE)).to_contain_text("2 unduhan")
    shots(page, "dataset-public")
