"""The tabular upload path on real files written to tmp_path: no mocks."""
import csv
import datetime as dt
import io
import json
import random
import zipfile

import openpyxl
import pytest

from app.catalog import ingest
from app.catalog.ingest import IngestError

REGIONS = {"32.73", "32.73.01", "32.73.02", "32.75.01", "32.73.01.1001"}


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def run(tmp_path, name, data, fmt="CSV", **kwargs):
    workdir = tmp_path / "work"
    workdir.mkdir(exist_ok=True)
    return ingest.ingest(write(tmp_path, name, data), fmt, workdir, **kwargs)


def normalised(result):
    with open(result.csv_path, encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def codes(result):
    return [(e["row"], e["column"], e["code"]) for e in result.report["errors"]]


def field_types(result):
    return {f["name"]: f["type"] for f in result.schema["fields"]}


def error_code(call):
    with pytest.raises(IngestError) as caught:
        call()
    return caught.value.code


# ------------------------------------------------------------------ encodings, delimiters

PLACES = "kode,kecamatan\n32.75.01,Bekasi Utara\n32.73.01,Kecamatan Cibeunying Kaler\n"


def test_cp1252_is_decoded(tmp_path):
    data = (PLACES + "32.73.02,Café Sukajadi\n").encode("cp1252")
    result = run(tmp_path, "a.csv", data)
    assert result.report["encoding"] == "cp1252"
    assert normalised(result)[1:] == [["32.75.01", "Bekasi Utara"],
                                      ["32.73.01", "Kecamatan Cibeunying Kaler"],
                                      ["32.73.02", "Café Sukajadi"]]


def test_utf8_bom_is_dropped_from_the_header(tmp_path):
    result = run(tmp_path, "a.csv", b"\xef\xbb\xbf" + PLACES.encode("utf-8"))
    assert result.report["encoding"] == "utf-8-sig"
    assert normalised(result)[0] == ["kode", "kecamatan"]
    assert result.preview["header"] == ["kode", "kecamatan"]


def test_utf16_with_bom_and_tabs_like_excel_unicode_text(tmp_path):
    data = PLACES.replace(",", "\t").replace("Utara", "Utara é").encode("utf-16")
    result = run(tmp_path, "a.csv", data)
    assert (result.report["encoding"], result.report["delimiter"]) == ("utf-16", "\t")
    assert normalised(result)[1] == ["32.75.01", "Bekasi Utara é"]


def test_utf16_without_bom(tmp_path):
    result = run(tmp_path, "a.csv", PLACES.encode("utf-16-le"))
    assert result.report["encoding"] == "utf-16-le"
    assert normalised(result)[2] == ["32.73.01", "Kecamatan Cibeunying Kaler"]


def test_semicolons_with_decimal_commas(tmp_path):
    data = "kode;kecamatan;luas\n32.75.01;Bekasi Utara;12,5\n32.73.01;Cibeunying, Kaler;3,25\n"
    result = run(tmp_path, "a.csv", data)
    assert result.report["delimiter"] == ";"
    assert normalised(result) == [["kode", "kecamatan", "luas"],
                                  ["32.75.01", "Bekasi Utara", "12,5"],
                                  ["32.73.01", "Cibeunying, Kaler", "3,25"]]


def test_accent_after_an_ascii_start_is_read_as_cp1252(tmp_path):
    data = (PLACES + "32.75.01,Bekasi Utara\n" * 4000 + "32.73.02,Café\n").encode("cp1252")
    assert len(data) > 65536
    result = run(tmp_path, "a.csv", data)
    assert result.report["encoding"] == "cp1252"
    assert normalised(result)[-1] == ["32.73.02", "Café"]


def test_undecodable_bytes_are_refused(tmp_path):
    late = (PLACES + "32.75.01,Bekasi Utara\n" * 4000).encode() + b"1,\x81\x8d\x90\n"
    assert error_code(lambda: run(tmp_path, "late.csv", late)) == "encoding"
    rng = random.Random(7)
    garbage = b"kode,nama\n" + bytes(rng.randrange(0x80, 0x100) for _ in range(2000))
    assert error_code(lambda: run(tmp_path, "garbage.csv", garbage)) == "encoding"


def test_quoted_cells_with_newlines_and_delimiters_survive(tmp_path):
    data = 'kode,alamat\n32.75.01,"Jl. Merdeka 1,\nBekasi"\n32.73.01,"kata ""kutip"""\n'
    rows = normalised(run(tmp_path, "a.csv", data))
    assert rows[1:] == [["32.75.01", "Jl. Merdeka 1,\nBekasi"], ["32.73.01", 'kata "kutip"']]


def test_unterminated_quote_is_refused_not_swallowed(tmp_path):
    data = 'kode,nama\n32.73.01,"Bekasi\n' + "32.73.02,Bogor\n" * 100
    with pytest.raises(IngestError) as caught:
        run(tmp_path, "a.csv", data)
    assert (caught.value.code, caught.value.params) == ("malformed", {"row": 2})


# ------------------------------------------------------------------ XLSX and JSON

def make_xlsx(path, rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def test_xlsx_first_sheet_with_dates_as_iso(tmp_path):
    path = make_xlsx(tmp_path / "a.xlsx", [
        ["kode", "jumlah", "luas", "tanggal", "aktif"],
        ["32.73.01", 120, 1.5, dt.datetime(2024, 1, 31), True],
        ["32.73.02", 3.0, 2.25, dt.date(2023, 12, 1), False],
    ])
    result = ingest.ingest(path, "XLSX", tmp_path)
    assert normalised(result) == [["kode", "jumlah", "luas", "tanggal", "aktif"],
                                  ["32.73.01", "120", "1.5", "2024-01-31", "true"],
                                  ["32.73.02", "3", "2.25", "2023-12-01", "false"]]
    assert field_types(result) == {"kode": "string", "jumlah": "integer", "luas": "number",
                                   "tanggal": "date", "aktif": "boolean"}
    assert result.report["valid"] and result.report["encoding"] is None


def test_corrupt_xlsx_is_refused(tmp_path):
    junk = bytes(random.Random(1).randrange(256) for _ in range(4000))
    assert error_code(lambda: ingest.detect_format("a.xlsx", junk)) == "content-mismatch"
    assert error_code(lambda: run(tmp_path, "a.xlsx", junk, fmt="XLSX")) == "xlsx-broken"
    # a zip that is no workbook, and a workbook cut in half
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "halo")
    assert error_code(lambda: ingest.detect_format("a.xlsx", buffer.getvalue())) \
        == "content-mismatch"
    whole = make_xlsx(tmp_path / "whole.xlsx", [["a"], [1]]).read_bytes()
    assert ingest.detect_format("whole.xlsx", whole[:65536]) == "XLSX"
    assert error_code(lambda: run(tmp_path, "half.xlsx", whole[: len(whole) // 2],
                                  fmt="XLSX")) == "xlsx-broken"


def test_json_list_of_flat_objects(tmp_path):
    data = json.dumps([{"kode": "32.73.01", "jumlah": 5, "rasio": 0.5, "aktif": True},
                       {"kode": "32.73.02", "jumlah": None, "catatan": "baru"}])
    result = run(tmp_path, "a.json", data, fmt="JSON")
    assert normalised(result) == [["kode", "jumlah", "rasio", "aktif", "catatan"],
                                  ["32.73.01", "5", "0.5", "true", ""],
                                  ["32.73.02", "", "", "", "baru"]]
    assert field_types(result)["jumlah"] == "integer"


@pytest.mark.parametrize("data, code", [
    ('{"data": [1, 2]}', "json-shape"),
    ('[{"a": {"b": 1}}]', "json-shape"),
    ("[1, 2, 3]", "json-shape"),
    ('[{"a": 1}, {"a": ]', "json-invalid"),
    ('[{"a": 1}] trailing', "json-invalid"),
    ("[]", "empty"),
])
def test_json_that_is_not_a_table(tmp_path, data, code):
    assert error_code(lambda: run(tmp_path, "a.json", data, fmt="JSON")) == code


def test_pdf_is_kept_as_a_file(tmp_path):
    result = run(tmp_path, "a.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", fmt="PDF")
    assert (result.csv_path, result.schema, result.preview) == (None, None, None)
    assert result.report["tabular"] is False and result.report["valid"] is True


# ------------------------------------------------------------------ detect_format

def test_detect_format_by_extension_and_content():
    assert ingest.detect_format("Data Penduduk.CSV", PLACES.encode()) == "CSV"
    assert ingest.detect_format("data.json", b' \n[{"a": 1}]') == "JSON"
    assert ingest.detect_format("laporan.pdf", b"%PDF-1.4\n") == "PDF"
    assert ingest.detect_format("x.csv", b"") == "CSV"  # no content yet: name checks only


@pytest.mark.parametrize("filename, head", [
    ("laporan.csv", b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n"),
    ("arsip.csv", b"PK\x03\x04\x14\x00\x00\x00\x08\x00"),
    ("program.csv", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00"),
    ("biner.csv", b"a,b\n\x00\x01\x02\x03"),
    ("data.json", b"kode,nama\n1,2\n"),
    ("data.pdf", b"kode,nama\n"),
])
def test_content_that_does_not_match_the_extension(filename, head):
    assert error_code(lambda: ingest.detect_format(filename, head)) == "content-mismatch"


@pytest.mark.parametrize("filename", ["../etc/passwd.csv", "a/b.csv", "C:\\x.csv", "C:x.csv",
                                      "", "   ", ".csv", "..", "a\x00.csv"])
def test_filenames_with_path_parts_are_refused(filename):
    assert error_code(lambda: ingest.detect_format(filename, b"a,b\n")) == "filename"


@pytest.mark.parametrize("filename", ["setup.exe", "data.xls", "noextension", "data.csv.zip"])
def test_unsupported_extensions(filename):
    assert error_code(lambda: ingest.detect_format(filename, b"a,b\n")) == "extension"


# ------------------------------------------------------------------ empty files

@pytest.mark.parametrize("data", [b"", b"\n\n  \n", b",,,\n,,\n"])
def test_empty_files_are_refused(tmp_path, data):
    assert error_code(lambda: run(tmp_path, "a.csv", data)) == "empty"


def test_header_only_is_a_valid_table_without_rows(tmp_path):
    result = run(tmp_path, "a.csv", "kode,jumlah\n")
    assert result.report["valid"] and result.report["row_count"] == 0
    assert field_types(result) == {"kode": "string", "jumlah": "string"}
    assert result.preview == {"header": ["kode", "jumlah"], "rows": []}


# ------------------------------------------------------------------ schema inference

def test_inferred_types(tmp_path):
    data = ("kode,jumlah,rasio,tanggal,nama,telepon,nik\n"
            "32.73.01,10,1.5,2024-01-02,Bekasi,081234567890,3273010101010001\n"
            "32.73.02,-3,2,2024-02-29,Bogor,081298765432,3273010101010002\n")
    result = run(tmp_path, "a.csv", data, region_codes=REGIONS)
    assert field_types(result) == {"kode": "string", "jumlah": "integer", "rasio": "number",
                                   "tanggal": "date", "nama": "string", "telepon": "string",
                                   "nik": "string"}
    kode = result.schema["fields"][0]
    assert kode["regionCode"] is True and kode["title"] == "Kode"


# ------------------------------------------------------------------ validation

SCHEMA = {"fields": [
    {"name": "kode_wilayah", "type": "string", "regionCode": True,
     "constraints": {"required": True}},
    {"name": "jumlah_penduduk", "type": "integer", "unit": "jiwa",
     "constraints": {"required": True, "minimum": 0}},
    {"name": "jenis_kelamin", "type": "string", "constraints": {"enum": ["L", "P"]}},
]}


def test_errors_have_exact_rows_and_columns(tmp_path):
    data = ("kode_wilayah,jumlah_penduduk,jenis_kelamin\n"  # row 1
            "32.73.01,100,L\n"          # 2: fine
            "32.73.02,banyak,P\n"       # 3: type
            "32.73.01,,L\n"             # 4: required
            "32.73.01,5,X\n"            # 5: enum
            "\n"                        # 6: blank row
            "99.99.99,7,P\n"            # 7: region
            "32.73.01,-1,P\n"           # 8: minimum
            " 32.73.01 ,8\n"            # 9: missing cell (region code stripped: fine)
            "32.73.01,9,P,extra\n"      # 10: extra cell
            "\n\n")                     # trailing blank lines are not rows
    result = run(tmp_path, "a.csv", data, schema=SCHEMA, region_codes=REGIONS)
    assert codes(result) == [(3, "jumlah_penduduk", "type"), (4, "jumlah_penduduk", "required"),
                             (5, "jenis_kelamin", "enum"), (6, None, "blank-row"),
                             (7, "kode_wilayah", "region"), (8, "jumlah_penduduk", "minimum"),
                             (9, "jenis_kelamin", "missing-cell"), (10, None, "extra-cell")]
    errors = result.report["errors"]
    assert errors[0]["params"] == {"value": "banyak", "type": "integer"}
    assert errors[2]["params"] == {"value": "X", "allowed": ["L", "P"]}
    assert errors[4]["params"] == {"value": "99.99.99"}
    assert errors[5]["params"] == {"value": "-1", "limit": "0"}
    assert errors[7]["params"] == {"value": "extra", "position": 4}
    report = result.report
    assert (report["valid"], report["row_count"], report["error_count"]) == (False, 9, 8)
    assert report["region_checked"] is True and result.schema == SCHEMA


def test_leading_blank_lines_keep_row_numbers_of_the_file(tmp_path):
    data = "\n\nkode_wilayah,jumlah_penduduk,jenis_kelamin\n32.73.01,x,L\n"
    result = run(tmp_path, "a.csv", data, schema=SCHEMA, region_codes=REGIONS)
    assert codes(result) == [(4, "jumlah_penduduk", "type")]


def test_region_codes_are_not_checked_without_a_list(tmp_path):
    result = run(tmp_path, "a.csv", "kode_wilayah,jumlah_penduduk,jenis_kelamin\n99,1,L\n",
                 schema=SCHEMA, region_codes=None)
    assert result.report["valid"] and result.report["region_checked"] is False


def test_header_that_no_longer_matches_the_schema(tmp_path):
    schema = ingest.merge_schema_edit(SCHEMA, [{"name": "jenis_kelamin", "required": True}])
    data = "kode_wilayah,jumlah,jenis_kelamin,catatan\n32.73.01,1,L,x\n"
    result = run(tmp_path, "a.csv", data, schema=schema, region_codes=REGIONS)
    errors = result.report["errors"]
    assert [(e["row"], e["code"]) for e in errors] == [(None, "incorrect-label"),
                                                       (None, "extra-label")]
    assert errors[0]["params"] == {"expected": "jumlah_penduduk", "actual": "jumlah",
                                   "position": 2}
    assert errors[1]["params"] == {"label": "catatan", "position": 4}


def test_duplicate_and_blank_labels(tmp_path):
    result = run(tmp_path, "a.csv", "kode,kode,\n1,2,3\n")
    assert [(e["code"], e["params"]["position"]) for e in result.report["errors"]] == [
        ("duplicate-label", 2), ("blank-label", 3)]
    assert [f["name"] for f in result.schema["fields"]] == ["kode", "kode2", "field3"]


def test_error_list_is_cut_but_the_count_is_exact(tmp_path):
    data = "kode_wilayah,jumlah_penduduk,jenis_kelamin\n" + "32.73.01,x,L\n" * 10
    result = run(tmp_path, "a.csv", data, schema=SCHEMA, region_codes=REGIONS, max_errors=3)
    report = result.report
    assert (report["error_count"], len(report["errors"]), report["truncated"]) == (10, 3, True)


def test_count_beyond_the_kept_errors_matches_a_full_report(tmp_path):
    bad = ("32.73.02,banyak,P\n32.73.01,,L\n32.73.01,5,X\n\n99.99.99,7,P\n"
           "32.73.01,-1,P\n32.73.01,8\n32.73.01,9,P,extra\n,,,\n99,x,Q,,\n")
    data = "kode_wilayah,jumlah_penduduk,jenis_kelamin\n" + bad * 30 + "32.73.01,1,L\n"
    full = run(tmp_path, "a.csv", data, schema=SCHEMA, region_codes=REGIONS, max_errors=10**6)
    cut = run(tmp_path, "b.csv", data, schema=SCHEMA, region_codes=REGIONS, max_errors=5)
    assert full.report["error_count"] == len(full.report["errors"]) == 30 * 14
    assert cut.report["error_count"] == full.report["error_count"]
    assert cut.report["errors"] == full.report["errors"][:5]


def test_report_is_plain_json(tmp_path):
    data = "kode_wilayah,jumlah_penduduk,jenis_kelamin\n32.73.01,x,Q\n"
    result = run(tmp_path, "a.csv", data, schema=SCHEMA, region_codes=REGIONS)
    round_trip = json.loads(json.dumps([result.report, result.schema, result.preview]))
    assert round_trip == [result.report, result.schema, result.preview]


# ------------------------------------------------------------------ schema edits

def test_merge_schema_edit():
    edited = ingest.merge_schema_edit(SCHEMA, [
        {"name": "jumlah_penduduk", "type": "number", "unit": "", "required": False,
         "enum": [], "regionCode": False, "title": "Jumlah Penduduk"},
        {"name": "jenis_kelamin", "enum": ["L", " P ", "L", ""], "required": True},
    ])
    jumlah, kelamin = edited["fields"][1], edited["fields"][2]
    assert jumlah == {"name": "jumlah_penduduk", "type": "number", "title": "Jumlah Penduduk",
                      "constraints": {"minimum": 0}}
    assert kelamin["constraints"] == {"enum": ["L", "P"], "required": True}
    assert SCHEMA["fields"][1]["type"] == "integer"  # the input is not modified


@pytest.mark.parametrize("edit, reason", [
    ({"name": "tidak_ada", "type": "string"}, "unknown-column"),
    ({"name": "jenis_kelamin", "type": "geopoint"}, "unknown-type"),
    ({"name": "jumlah_penduduk", "enum": ["satu"]}, "enum-value"),
])
def test_merge_schema_edit_refuses(edit, reason):
    with pytest.raises(IngestError) as caught:
        ingest.merge_schema_edit(SCHEMA, [edit])
    assert caught.value.code == "schema" and caught.value.params["reason"] == reason
    assert caught.value.params["field"] == edit["name"]


# ------------------------------------------------------------------ personal data

def test_personal_data_columns_are_flagged(tmp_path):
    names = ["Budi Santoso", "Siti Nurhaliza", "AHMAD YANI", "Dewi Lestari Putri"]
    rows = ["nik,telepon,surel,nama,nama_kecamatan,kabupaten,jumlah"]
    for i, name in enumerate(names * 5):
        rows.append(f"32730101010100{i:02d},+62 812-3456-78{i:02d},warga{i}@contoh.go.id,"
                    f"{name},Kecamatan Cibeunying Kaler,Kota Bandung,{1000 + i}")
    result = run(tmp_path, "a.csv", "\n".join(rows) + "\n")
    pii = {p["column"]: p for p in result.report["pii"]}
    assert {column: p["kind"] for column, p in pii.items()} == {
        "nik": "nik", "telepon": "phone", "surel": "email", "nama": "name"}
    assert pii["nik"]["matches"] == pii["nik"]["sampled"] == 20


def test_names_need_a_person_header_and_mostly_names(tmp_path):
    data = ("nama_desa,penerima,pemilik_usaha,nama_sekolah,ketua\n"
            "Sukamaju,Rina Wati,Agus Salim,SD Negeri 1,10\n"
            "Mekarsari,Joko Widodo,Sri Mulyani,SMP Negeri 2,12\n")
    result = run(tmp_path, "a.csv", data)
    assert {p["column"]: p["kind"] for p in result.report["pii"]} == {
        "penerima": "name", "pemilik_usaha": "name"}


def test_phone_numbers_and_nik_need_half_the_values(tmp_path):
    data = "kontak,kode\n081234567890,1234567890123456\n-,x\n-,y\n"
    result = run(tmp_path, "a.csv", data)
    assert result.report["pii"] == []


# ------------------------------------------------------------------ exports

EXPORT_SCHEMA = {"fields": [{"name": "teks", "type": "string"},
                            {"name": "jumlah", "type": "integer"},
                            {"name": "rasio", "type": "number"},
                            {"name": "tanggal", "type": "date"},
                            {"name": "aktif", "type": "boolean"}]}
EXPORT_DATA = ("teks,jumlah,rasio,tanggal,aktif\n"
               '"=HYPERLINK(""http://x"",""klik"")",-5,-0.5,2024-01-02,true\n'
               "+1,+7,1.50,2024-02-03,false\n"
               "@SUM(A1),,1e3,,\n"
               "-,x,,bukan tanggal,ya\n")


@pytest.fixture
def export_source(tmp_path):
    return run(tmp_path, "a.csv", EXPORT_DATA, schema=EXPORT_SCHEMA).csv_path


def test_export_csv_neutralises_formulas(export_source):
    out = io.BytesIO()
    ingest.export_csv(export_source, out, schema=EXPORT_SCHEMA)
    rows = list(csv.reader(io.StringIO(out.getvalue().decode("utf-8"))))
    assert [row[:3] for row in rows[1:]] == [
        ["'=HYPERLINK(\"http://x\",\"klik\")", "-5", "-0.5"],
        ["'+1", "+7", "1.50"],
        ["'@SUM(A1)", "", "1e3"],
        ["'-", "x", ""],
    ]
    out = io.BytesIO()
    ingest.export_csv(export_source, out)  # without a schema only plain negatives pass
    rows = list(csv.reader(io.StringIO(out.getvalue().decode("utf-8"))))
    assert [row[:3] for row in rows[1:3]] == [
        ["'=HYPERLINK(\"http://x\",\"klik\")", "-5", "-0.5"], ["'+1", "'+7", "1.50"]]


def test_export_xlsx_neutralises_text_and_keeps_numbers(export_source):
    out = io.BytesIO()
    ingest.export_xlsx(export_source, EXPORT_SCHEMA, out)
    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == ["teks", "jumlah", "rasio", "tanggal", "aktif"]
    assert rows[1] == ["'=HYPERLINK(\"http://x\",\"klik\")", -5, -0.5,
                       dt.datetime(2024, 1, 2), True]
    assert rows[2] == ["'+1", 7, 1.5, dt.datetime(2024, 2, 3), False]
    assert rows[3] == ["'@SUM(A1)", None, 1000, None, None]
    assert rows[4] == ["'-", "x", None, "bukan tanggal", "ya"]
    assert sheet.cell(row=2, column=2).data_type == "n"


def test_export_json_is_typed(export_source):
    out = io.BytesIO()
    ingest.export_json(export_source, EXPORT_SCHEMA, out)
    records = json.loads(out.getvalue().decode("utf-8"))
    assert records[0] == {"teks": '=HYPERLINK("http://x","klik")', "jumlah": -5,
                          "rasio": -0.5, "tanggal": "2024-01-02", "aktif": True}
    assert records[1]["jumlah"] == 7 and records[1]["rasio"] == 1.5
    assert records[2] == {"teks": "@SUM(A1)", "jumlah": None, "rasio": 1000,
                          "tanggal": None, "aktif": None}
    assert records[3]["jumlah"] == "x" and records[3]["aktif"] == "ya"


def test_export_json_of_an_empty_table(tmp_path):
    source = run(tmp_path, "a.csv", "a,b\n").csv_path
    out = io.BytesIO()
    ingest.export_json(source, {"fields": [{"name": "a"}, {"name": "b"}]}, out)
    assert json.loads(out.getvalue()) == []


# ------------------------------------------------------------------ messages

@pytest.fixture
def babel_app():
    flask = pytest.importorskip("flask")
    from flask_babel import Babel

    app = flask.Flask(__name__)
    Babel(app, default_locale="id")
    with app.test_request_context():
        yield app


def test_messages_are_indonesian_by_default(babel_app):
    err = {"row": 3, "column": "jumlah", "code": "type",
           "params": {"value": "banyak", "type": "integer"}}
    assert ingest.describe_error(err) == \
        'Baris 3, kolom jumlah: nilai "banyak" bukan bilangan bulat.'
    label = {"row": None, "column": "jumlah", "code": "incorrect-label",
             "params": {"expected": "jumlah", "actual": "jml", "position": 2}}
    assert "seharusnya \"jumlah\"" in ingest.describe_error(label)
    assert ingest.describe_error({"row": 5, "column": None, "code": "mystery", "params": {}}) \
        == "Baris 5 tidak lolos pemeriksaan."
    assert ingest.describe_pii("phone") == "nomor telepon"
    assert str(ingest.TYPE_LABELS["date"]) == "tanggal"


def test_every_report_code_has_a_message(babel_app, tmp_path):
    data = ("kode_wilayah,jumlah_penduduk,jenis_kelamin\n32.73.02,banyak,X\n\n99,,L,extra\n"
            "32.73.01,-1\n")
    result = run(tmp_path, "a.csv", data, schema=SCHEMA, region_codes=REGIONS)
    for err in result.report["errors"]:
        text = ingest.describe_error(err)
        assert "%(" not in text and "tidak lolos" not in text, err


@pytest.mark.parametrize("code, params, expected", [
    ("extension", {"extension": "exe", "allowed": ["csv", "pdf"]}, 'Format berkas "exe"'),
    ("content-mismatch", {"format": "CSV", "detected": "pdf"}, "dokumen PDF"),
    ("empty", {}, "Berkas kosong"),
    ("schema", {"field": "x", "reason": "unknown-column"}, 'Kolom "x" tidak ada'),
    ("malformed", {"row": 7}, "sekitar baris 7"),
])
def test_ingest_errors_are_described(babel_app, code, params, expected):
    assert expected in ingest.describe_ingest_error(IngestError(code, params))


def test_one_stray_word_does_not_turn_a_numeric_column_into_text(tmp_path):
    rows = [f"32.73.{i % 30 + 1:02d},{i * 7}" for i in range(40)]
    rows.insert(3, "32.73.05,tiga")  # early in the sample, where frictionless's detector failed
    result = run(tmp_path, "a.csv", "kode,jumlah\n" + "\n".join(rows) + "\n")
    assert result.schema["fields"][1]["type"] == "integer"
    errors = [(e["row"], e["column"], e["code"]) for e in result.report["errors"]]
    assert errors == [(5, "jumlah", "type")]
