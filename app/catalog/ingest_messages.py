"""Human text for ingest reports and errors, in the reader's language at display time.

Source strings are Indonesian (the default locale); English comes from the translation files.
Only the describe_* functions call gettext, so importing this module needs no app context.
"""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

TYPE_LABELS = {
    "string": _l("teks"),
    "integer": _l("bilangan bulat"),
    "number": _l("angka"),
    "boolean": _l("ya/tidak"),
    "date": _l("tanggal"),
    "year": _l("tahun"),
    "datetime": _l("tanggal dan waktu"),
}

_DETECTED_LABELS = {
    "pdf": _l("dokumen PDF"),
    "xlsx": _l("lembar kerja Excel (XLSX)"),
    "zip": _l("arsip ZIP"),
    "exe": _l("program yang dapat dijalankan"),
    "ole": _l("dokumen Office lama (XLS/DOC)"),
    "gzip": _l("arsip terkompresi"),
    "archive": _l("arsip terkompresi"),
    "image": _l("gambar"),
    "binary": _l("berkas biner"),
    "text": _l("teks biasa"),
}

_PII_LABELS = {
    "nik": _l("Nomor Induk Kependudukan (NIK)"),
    "phone": _l("nomor telepon"),
    "email": _l("alamat e-mail"),
    "name": _l("nama orang"),
}


def type_label(name):
    """The reader's word for a schema type ('integer' -> 'bilangan bulat')."""
    return str(TYPE_LABELS.get(name, name))


def describe_pii(kind):
    """What a flagged column holds, e.g. 'nomor telepon'."""
    return str(_PII_LABELS.get(kind, kind))


def describe_error(err):
    """One report error ({row, column, code, params}) as a sentence."""
    params = dict(err.get("params") or {})
    params.update(row=err.get("row"), column=err.get("column"),
                  value=_short(params.get("value")))
    render = _RENDERERS.get(err.get("code"), _row_message)
    return render(params)


def _short(value, limit=60):
    text = "" if value is None else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _type_message(p):
    return _("Baris %(row)s, kolom %(column)s: nilai \"%(value)s\" bukan %(type)s.",
             row=p["row"], column=p["column"], value=p["value"],
             type=type_label(p.get("type")))


def _required_message(p):
    return _("Baris %(row)s, kolom %(column)s: nilai wajib diisi.",
             row=p["row"], column=p["column"])


def _enum_message(p):
    return _("Baris %(row)s, kolom %(column)s: nilai \"%(value)s\" tidak termasuk pilihan yang "
             "diizinkan (%(allowed)s).", row=p["row"], column=p["column"], value=p["value"],
             allowed=", ".join(p.get("allowed") or []))


def _minimum_message(p):
    return _("Baris %(row)s, kolom %(column)s: nilai \"%(value)s\" lebih kecil dari batas "
             "bawah %(limit)s.", row=p["row"], column=p["column"], value=p["value"],
             limit=p.get("limit"))


def _maximum_message(p):
    return _("Baris %(row)s, kolom %(column)s: nilai \"%(value)s\" lebih besar dari batas "
             "atas %(limit)s.", row=p["row"], column=p["column"], value=p["value"],
             limit=p.get("limit"))


def _constraint_message(p):
    return _("Baris %(row)s, kolom %(column)s: nilai \"%(value)s\" tidak memenuhi batasan "
             "%(constraint)s (%(limit)s).", row=p["row"], column=p["column"],
             value=p["value"], constraint=p.get("constraint"), limit=p.get("limit"))


def _region_message(p):
    return _("Baris %(row)s, kolom %(column)s: kode wilayah \"%(value)s\" tidak dikenal.",
             row=p["row"], column=p["column"], value=p["value"])


def _unique_message(p):
    return _("Baris %(row)s, kolom %(column)s: nilai \"%(value)s\" sudah dipakai di baris lain, "
             "padahal harus unik.", row=p["row"], column=p["column"], value=p["value"])


def _missing_cell_message(p):
    return _("Baris %(row)s: kolom %(column)s tidak ada (baris ini kekurangan kolom).",
             row=p["row"], column=p["column"])


def _extra_cell_message(p):
    return _("Baris %(row)s: ada nilai tambahan \"%(value)s\" di kolom ke-%(position)s, di luar "
             "kolom yang ditentukan.", row=p["row"], value=p["value"],
             position=p.get("position"))


def _blank_row_message(p):
    return _("Baris %(row)s kosong.", row=p["row"])


def _duplicate_label_message(p):
    return _("Judul kolom \"%(label)s\" (kolom ke-%(position)s) sudah dipakai kolom lain.",
             label=p.get("label"), position=p.get("position"))


def _blank_label_message(p):
    return _("Judul kolom ke-%(position)s kosong.", position=p.get("position"))


def _incorrect_label_message(p):
    return _("Judul kolom ke-%(position)s adalah \"%(actual)s\", seharusnya \"%(expected)s\" "
             "sesuai skema.", position=p.get("position"), actual=p.get("actual"),
             expected=p.get("expected"))


def _missing_label_message(p):
    return _("Kolom \"%(expected)s\" (kolom ke-%(position)s menurut skema) tidak ada di berkas.",
             expected=p.get("expected"), position=p.get("position"))


def _extra_label_message(p):
    return _("Kolom \"%(label)s\" (kolom ke-%(position)s) tidak ada di skema.",
             label=p.get("label"), position=p.get("position"))


def _row_message(p):
    if p.get("row") is None:
        return _("Berkas tidak lolos pemeriksaan.")
    return _("Baris %(row)s tidak lolos pemeriksaan.", row=p["row"])


_RENDERERS = {
    "type": _type_message,
    "required": _required_message,
    "enum": _enum_message,
    "minimum": _minimum_message,
    "maximum": _maximum_message,
    "constraint": _constraint_message,
    "region": _region_message,
    "unique": _unique_message,
    "missing-cell": _missing_cell_message,
    "extra-cell": _extra_cell_message,
    "blank-row": _blank_row_message,
    "duplicate-label": _duplicate_label_message,
    "blank-label": _blank_label_message,
    "incorrect-label": _incorrect_label_message,
    "missing-label": _missing_label_message,
    "extra-label": _extra_label_message,
    "row": _row_message,
}


def describe_ingest_error(exc):
    """An IngestError (a refused file or schema) as a sentence for the uploader."""
    render = _INGEST_RENDERERS.get(exc.code)
    return render(exc.params) if render else _("Berkas tidak dapat diproses.")


def _extension_message(p):
    ext = p.get("extension") or ""
    allowed = ", ".join(x.upper() for x in p.get("allowed") or [])
    if not ext:
        return _("Nama berkas tidak memiliki ekstensi. Format yang didukung: %(allowed)s.",
                 allowed=allowed)
    return _("Format berkas \"%(extension)s\" tidak didukung. Format yang didukung: "
             "%(allowed)s.", extension=ext, allowed=allowed)


def _mismatch_message(p):
    detected = p.get("detected")
    return _("Isi berkas tidak sesuai dengan format %(format)s; isinya tampak seperti "
             "%(detected)s.", format=p.get("format"),
             detected=str(_DETECTED_LABELS.get(detected, detected)))


def _schema_message(p):
    reason = p.get("reason")
    if reason == "unknown-column":
        return _("Kolom \"%(field)s\" tidak ada di data.", field=p.get("field"))
    if reason == "unknown-type":
        return _("Tipe \"%(type)s\" untuk kolom \"%(field)s\" tidak dikenal.",
                 type=p.get("type"), field=p.get("field"))
    if reason == "enum-value":
        return _("Pilihan \"%(value)s\" untuk kolom \"%(field)s\" tidak sesuai dengan tipe "
                 "kolomnya.", value=p.get("value"), field=p.get("field"))
    return _("Skema tabel tidak valid.")


def _json_shape_message(p):
    return _("Berkas JSON ini bukan daftar objek datar, sehingga tidak dapat dibaca sebagai "
             "tabel.")


_INGEST_RENDERERS = {
    "filename": lambda p: _("Nama berkas tidak valid."),
    "extension": _extension_message,
    "content-mismatch": _mismatch_message,
    "empty": lambda p: _("Berkas kosong atau tidak memiliki baris judul kolom."),
    "encoding": lambda p: _("Pengodean karakter berkas tidak dikenali. Simpan ulang berkas "
                            "sebagai \"CSV UTF-8\"."),
    "malformed": lambda p: _("Berkas CSV rusak di sekitar baris %(row)s (mungkin ada tanda "
                             "kutip yang tidak ditutup).", row=p.get("row")),
    "xlsx-broken": lambda p: _("Berkas Excel rusak atau tidak dapat dibaca."),
    "json-shape": _json_shape_message,
    "json-invalid": lambda p: _("Berkas JSON tidak valid."),
    "schema": _schema_message,
}
