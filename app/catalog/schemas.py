"""Input schemas of the catalogue's actions."""
import re

from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, validate, validates_schema

from app.catalog.models import Access, Frequency, PiiDecisionKind
from app.core.schemas import Schema

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,98}[a-z0-9]$")
SDSN = re.compile(r"^[A-Z]{2}\d{5}\.\d{2}\.\d{2}$")
REGION = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")


class TagList(fields.Field):
    """Tags as a list or as the comma-separated text a form sends."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            value = value.split(",")
        if not isinstance(value, list):
            raise ValidationError(_l("Kata kunci harus berupa daftar."))
        tags = []
        for raw in value:
            tag = str(raw).strip().lower()
            if not tag:
                continue
            if len(tag) > 100:
                raise ValidationError(_l("Kata kunci terlalu panjang (maksimal 100 karakter)."))
            if tag not in tags:
                tags.append(tag)
        return tags


class BlankNone(fields.Field):
    """Empty form inputs mean 'not given'."""


def _optional(field_cls, **kw):
    return field_cls(load_default=None, allow_none=True, **kw)


class DatasetInput(Schema):
    title = fields.String(required=True, validate=validate.Length(
        min=5, max=255, error=_l("Judul harus 5 sampai 255 karakter.")))
    name = _optional(fields.String, validate=validate.Regexp(
        SLUG, error=_l("Nama singkat hanya boleh berisi huruf kecil, angka, dan tanda hubung "
                       "(3-100 karakter).")))
    description = fields.String(load_default="", validate=validate.Length(max=20000))
    organisation_id = fields.Integer(required=True)
    topic_id = _optional(fields.Integer)
    tags = TagList(load_default=list)
    frequency = fields.String(load_default="tahunan", validate=validate.OneOf(
        Frequency.ALL, error=_l("Frekuensi tidak dikenal.")))
    next_update_due = _optional(fields.Date)
    period_start = _optional(fields.Integer, validate=validate.Range(
        min=1900, max=2100, error=_l("Tahun harus antara 1900 dan 2100.")))
    period_end = _optional(fields.Integer, validate=validate.Range(
        min=1900, max=2100, error=_l("Tahun harus antara 1900 dan 2100.")))
    spatial_coverage = fields.String(load_default="", validate=validate.Length(max=255))
    kode_wilayah = _optional(fields.String, validate=validate.Regexp(
        REGION, error=_l("Kode wilayah harus berformat 32, 32.73, 32.73.01 atau "
                         "32.73.01.1001.")))
    unit = fields.String(load_default="", validate=validate.Length(max=100))
    konsep = fields.String(load_default="", validate=validate.Length(max=5000))
    definisi = fields.String(load_default="", validate=validate.Length(max=5000))
    klasifikasi = fields.String(load_default="", validate=validate.Length(max=5000))
    ukuran = fields.String(load_default="", validate=validate.Length(max=5000))
    kode_sdsn = _optional(fields.String, validate=validate.Regexp(
        SDSN, error=_l("Kode SDSN harus berformat SP00055.00.00.")))
    access = fields.String(load_default=Access.TERBUKA, validate=validate.OneOf(
        Access.ALL, error=_l("Klasifikasi akses tidak dikenal.")))
    license_id = _optional(fields.String)
    contact_name = fields.String(load_default="", validate=validate.Length(max=200))
    contact_email = fields.String(load_default="", validate=validate.Length(max=255))
    priority = fields.Boolean(load_default=False)

    @validates_schema
    def _period(self, data, **kwargs):
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            raise ValidationError(_l("Tahun akhir tidak boleh sebelum tahun awal."),
                                  "period_end")
        email = data.get("contact_email")
        if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
            raise ValidationError(_l("Alamat e-mail tidak valid."), "contact_email")


def clean_form(form):
    """Turn an HTML form's empty strings into 'not given' before the schema sees them."""
    data = {}
    for key, value in form.items():
        value = value.strip() if isinstance(value, str) else value
        if value == "":
            continue
        data[key] = value
    return data


class LinkInput(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=255))
    url = fields.Url(required=True, schemes={"http", "https"})
    format = fields.String(load_default="HTML", validate=validate.Length(max=10))
    description = fields.String(load_default="")


class ReturnInput(Schema):
    message = fields.String(load_default="")
    notes = fields.Dict(keys=fields.String(), values=fields.String(), load_default=dict)

    @validates_schema
    def _some_note(self, data, **kwargs):
        if not data.get("message", "").strip() and not any(
                v.strip() for v in data.get("notes", {}).values()):
            raise ValidationError(_l("Tulis setidaknya satu catatan untuk produsen."),
                                  "message")


class PiiDecisionInput(Schema):
    column = fields.String(required=True)
    decision = fields.String(required=True, validate=validate.OneOf(
        PiiDecisionKind.ALL, error=_l("Keputusan tidak dikenal.")))
    reason = fields.String(load_default="")

    @validates_schema
    def _reason(self, data, **kwargs):
        if data.get("decision") == "justified" and len(data.get("reason", "").strip()) < 10:
            raise ValidationError(_l("Tuliskan alasan (minimal 10 karakter) bila kolom "
                                     "tetap dibuka."), "reason")
