"""Ticket attachments: which files are kept, and disguised ones refused by their bytes."""
import codecs
import io
import zipfile

import pytest

from app.core.errors import ValidationError
from app.tickets import attachments
from tests import factories as f

MB = 1024 * 1024
LIMIT = 10 * MB
HEAD = 8192  # what the ticket actions read; the checks must work with this little

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48 + b"This program"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56
HTML = b"<!DOCTYPE html>\n<html><body><script>alert(document.cookie)</script></body></html>"
SVG = (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
       b"</svg>")
CSV = b"kode_kecamatan,kecamatan,jumlah\n32.73.01,Sukasari,81234\n"
OFFICE_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OFFICE_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class _Unseekable(io.RawIOBase):
    """A write-only stream: zipfile then puts sizes in data descriptors after each entry."""

    def __init__(self):
        self.buffer = bytearray()

    def writable(self):
        return True

    def write(self, b):
        self.buffer += b
        return len(b)


def zip_bytes(entries, seekable=True):
    """A ZIP of (name, bytes) pairs, or (name, bytes, compression) for a stored entry."""
    target = io.BytesIO() if seekable else _Unseekable()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data, *how in entries:
            zf.writestr(name, data, compress_type=how[0] if how else zipfile.ZIP_DEFLATED)
    return target.getvalue() if seekable else bytes(target.buffer)


CONTENT_TYPES = ("[Content_Types].xml", b'<?xml version="1.0"?><Types/>')
RELS = ("_rels/.rels", b'<?xml version="1.0"?><Relationships/>')


def docx(seekable=True):
    return zip_bytes([CONTENT_TYPES, RELS, ("word/document.xml", b"<w:document/>" * 400)],
                     seekable)


def odf(kind):
    mimetype = f"application/vnd.oasis.opendocument.{kind}".encode()
    return zip_bytes([("mimetype", mimetype, zipfile.ZIP_STORED),
                      ("content.xml", b"<office:document-content/>"),
                      ("META-INF/manifest.xml", b"<manifest:manifest/>")])


def check(filename, data, max_bytes=LIMIT):
    return attachments.check_upload(filename, data[:HEAD], len(data), max_bytes)


def refusal(filename, data, max_bytes=LIMIT):
    with pytest.raises(ValidationError) as info:
        check(filename, data, max_bytes)
    assert list(info.value.errors) == ["file"]
    return str(info.value.errors["file"][0])


# ---------------------------------------------------------------- accepted

@pytest.mark.parametrize("filename,data,expected", [
    ("ktp.pdf", f.minimal_pdf(), ("application/pdf", "pdf")),
    ("KTP.PDF", f.minimal_pdf(), ("application/pdf", "pdf")),
    ("ktp.png", PNG, ("image/png", "png")),
    ("ktp.jpg", JPEG, ("image/jpeg", "jpg")),
    ("ktp.jpeg", JPEG, ("image/jpeg", "jpg")),
    ("data.csv", CSV, ("text/csv", "csv")),
    ("data.csv", codecs.BOM_UTF8 + CSV, ("text/csv", "csv")),
    ("catatan.txt", codecs.BOM_UTF16_LE + "Catatan pemohon: mohon data 2023.".encode("utf-16-le"),
     ("text/plain", "txt")),
    ("catatan.txt", "Alamat: Jl. Cihampelas No. 3".encode("cp1252"), ("text/plain", "txt")),
    ("kode.csv", b"MZ;kode\n32.73;1\n", ("text/csv", "csv")),  # text that starts like an exe
    ("tabel.xlsx", f.xlsx_bytes([["kode", "jumlah"], ["32.73.01", 1]]), (OFFICE_XLSX, "xlsx")),
    ("surat.docx", docx(), (OFFICE_DOCX, "docx")),
    ("surat.docx", docx(seekable=False), (OFFICE_DOCX, "docx")),
    ("tabel.ods", odf("spreadsheet"), ("application/vnd.oasis.opendocument.spreadsheet", "ods")),
    ("surat.odt", odf("text"), ("application/vnd.oasis.opendocument.text", "odt")),
    ("../../ktp.pdf", f.minimal_pdf(), ("application/pdf", "pdf")),
])
def test_accepted(filename, data, expected):
    assert check(filename, data) == expected


@pytest.mark.parametrize("filename,data,expected", [
    ("foto-ktp.png", JPEG, ("image/jpeg", "jpg")),
    ("foto-ktp.jpg", PNG, ("image/png", "png")),
])
def test_png_and_jpeg_are_stored_as_what_they_are(filename, data, expected):
    assert check(filename, data) == expected


def test_a_file_exactly_at_the_limit():
    assert check("ktp.pdf", f.minimal_pdf(), max_bytes=len(f.minimal_pdf()))[1] == "pdf"


# ---------------------------------------------------------------- size

@pytest.mark.parametrize("max_bytes,shown", [(10 * MB, "10 MB"), (MB // 2, "0.5 MB")])
def test_too_large(max_bytes, shown):
    with pytest.raises(ValidationError) as info:
        attachments.check_upload("ktp.pdf", f.minimal_pdf(), max_bytes + 1, max_bytes)
    assert str(info.value.errors["file"][0]) == f"Berkas terlalu besar: batasnya {shown}."


@pytest.mark.parametrize("head,size", [(b"", 0), (b"", 10), (b"%PDF-", 0)])
def test_empty(head, size):
    with pytest.raises(ValidationError) as info:
        attachments.check_upload("ktp.pdf", head, size, LIMIT)
    assert str(info.value.errors["file"][0]) == "Berkas kosong."


# ---------------------------------------------------------------- extension

@pytest.mark.parametrize("filename", ["arsip.zip", "lama.xls", "lama.doc", "slide.pptx",
                                      "foto.gif", "foto.heic", "data.json", "ktp.pdf.rar"])
def test_extension_not_accepted(filename):
    message = refusal(filename, f.minimal_pdf())
    ext = filename.rsplit(".", 1)[1]
    assert f'"{ext}" tidak didukung' in message and "PDF, PNG" in message


@pytest.mark.parametrize("filename", ["setup.exe", "ktp.pdf.exe", "ktp.pdf.exe.", "ktp.pdf.exe ",
                                      "skrip.js", "halaman.html", "halaman.HTM", "gambar.svg",
                                      "makro.xlsm", "data.xml", "jalan.sh", "tautan.lnk"])
def test_runnable_extensions_say_why(filename):
    message = refusal(filename, f.minimal_pdf())
    assert "menjalankan program atau skrip" in message


def test_no_extension():
    assert "tidak memiliki ekstensi" in refusal("ktp", f.minimal_pdf())


@pytest.mark.parametrize("filename", ["", "   ", "...", "/", "C:\\", None])
def test_no_usable_name(filename):
    assert refusal(filename, f.minimal_pdf()) == "Nama berkas tidak valid."


def test_check_filename_before_anything_is_stored():
    assert attachments.check_filename("Surat.JPEG") == ("image/jpeg", "jpg")
    with pytest.raises(ValidationError):
        attachments.check_filename("setup.exe")


# ---------------------------------------------------------------- disguised files

@pytest.mark.parametrize("filename,data,seen", [
    ("ktp.pdf", EXE, "program yang dapat dijalankan"),
    ("ktp.pdf", ELF, "program yang dapat dijalankan"),
    ("data.csv", ELF, "program yang dapat dijalankan"),
    ("catatan.txt", b"#!/bin/sh\nrm -rf ~\n", "program yang dapat dijalankan"),
    ("ktp.pdf", HTML, "halaman web (HTML)"),
    ("catatan.txt", b"\n  <html><script>alert(1)</script>", "halaman web (HTML)"),
    ("data.csv", codecs.BOM_UTF8 + b"<script>alert(1)</script>", "halaman web (HTML)"),
    ("ktp.png", SVG, "gambar SVG"),
    ("ktp.jpg", b"<svg onload='alert(1)'/>", "gambar SVG"),
    ("data.txt", b'<?xml version="1.0"?><data/>', "dokumen XML"),
    ("ktp.pdf", PNG, "gambar PNG"),
    ("ktp.pdf", JPEG, "gambar JPEG"),
    ("ktp.png", f.minimal_pdf(), "dokumen PDF"),
    ("tabel.xlsx", zip_bytes([("ktp.pdf", f.minimal_pdf()), ("setup.exe", EXE)]), "arsip ZIP"),
    ("tabel.xlsx", docx(), "dokumen Word (DOCX)"),
    ("surat.docx", f.xlsx_bytes([["a"]]), "lembar kerja Excel (XLSX)"),
    ("tabel.xlsx", odf("spreadsheet"), "lembar kerja OpenDocument (ODS)"),
    ("tabel.ods", f.xlsx_bytes([["a"]]), "lembar kerja Excel (XLSX)"),
    ("tabel.ods", odf("text"), "dokumen OpenDocument (ODT)"),
    ("surat.docx", zip_bytes([CONTENT_TYPES, RELS]), "dokumen Office"),
    ("tabel.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500,
     "dokumen Office lama (XLS/DOC)"),
    ("data.csv", b"\x1f\x8b\x08\x00" + b"\x00" * 100, "arsip terkompresi"),
    ("catatan.txt", bytes(range(256)) * 4, "berkas biner"),
    ("ktp.pdf", b"Ini bukan PDF, hanya teks yang menyebut %PDF-1.4.", "teks biasa"),
    ("tabel.xlsx", CSV, "teks biasa"),
])
def test_disguised_files_are_refused(filename, data, seen):
    message = refusal(filename, data)
    ext = filename.rsplit(".", 1)[1]
    assert message == (f"Isi berkas tidak sesuai dengan ekstensinya (.{ext}): isinya tampak "
                       f"seperti {seen}.")


def test_a_macro_workbook_renamed_xlsx():
    xlsm = zip_bytes([CONTENT_TYPES, ("xl/workbook.xml", b"<workbook/>"),
                      ("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"\x00" * 200)])
    assert "makro (VBA)" in refusal("tabel.xlsx", xlsm)


def test_the_disguise_is_judged_on_the_sanitised_name():
    # U+202E shows "ktp\u202efdp.exe" as "ktpexe.pdf": it is an .exe, and refused as one.
    assert "menjalankan program" in refusal("ktp\u202efdp.exe", f.minimal_pdf())


# ---------------------------------------------------------------- safe_filename

@pytest.mark.parametrize("raw,safe", [
    ("ktp.pdf", "ktp.pdf"),
    ("../../etc/passwd", "passwd"),
    ("C:\\Users\\budi\\Dokumen\\KTP Budi.PDF", "KTP Budi.pdf"),
    ("C:ktp.pdf", "ktp.pdf"),
    ("/tmp/laporan.csv", "laporan.csv"),
    ("surat\x00\x07permohonan\r\n.pdf", "suratpermohonan.pdf"),
    ("surat\tpermohonan   2024.pdf", "surat permohonan 2024.pdf"),
    ("ktp\u202efdp.exe", "ktpfdp.exe"),
    ("Surat Permohonan — Ñandú 日本 ٢٠٢٤.pdf", "Surat Permohonan — Ñandú 日本 ٢٠٢٤.pdf"),
    ("Cafe\u0301.pdf", "Caf\u00e9.pdf"),  # NFC
    ("laporan:2024?.pdf", "laporan_2024_.pdf"),
    ('a<b>"c|d*.pdf', "a_b__c_d_.pdf"),
    ("x.exe.", "x.exe"),
    ("  .hidden.pdf  ", "hidden.pdf"),
    (".pdf", "berkas.pdf"),
    ("CON.txt", "_CON.txt"),
    ("nul", "_nul"),
    ("README", "README"),
    ("", ""),
    ("...", ""),
    (None, ""),
    (42, ""),
])
def test_safe_filename(raw, safe):
    assert attachments.safe_filename(raw) == safe


def test_long_names_keep_their_extension():
    safe = attachments.safe_filename("sangat-panjang-" * 30 + ".xlsx")
    assert len(safe) == attachments.MAX_FILENAME and safe.endswith(".xlsx")
    assert len(attachments.safe_filename("é" * 400)) == attachments.MAX_FILENAME
