"""Input schemas of the knowledge base's actions."""
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, pre_load, validate, validates

from app.catalog.schemas import SLUG, TagList
from app.core.schemas import Schema
from app.kb.models import Category

# Paths of the help pages that an article's address must not shadow.
RESERVED_SLUGS = frozenset({"kelola", "baru", "static"})


class ArticleInput(Schema):
    title = fields.String(required=True, validate=validate.Length(
        min=5, max=200, error=_l("Judul harus 5 sampai 200 karakter.")))
    slug = fields.String(load_default=None, allow_none=True, validate=validate.Regexp(
        SLUG, error=_l("Alamat hanya boleh berisi huruf kecil, angka, dan tanda hubung "
                       "(3-100 karakter).")))
    category = fields.String(load_default=Category.LAINNYA, validate=validate.OneOf(
        Category.ALL, error=_l("Kategori tidak dikenal.")))
    tags = TagList(load_default=list)
    body = fields.String(required=True, validate=validate.Length(
        min=20, max=20000, error=_l("Isi artikel harus 20 sampai 20.000 karakter.")))

    @pre_load
    def _strip(self, data, **kwargs):
        data = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()}
        if not data.get("slug"):
            data["slug"] = None  # an empty address means "make one from the title"
        return data

    @validates("slug")
    def _not_reserved(self, value, **kwargs):
        if value in RESERVED_SLUGS:
            raise ValidationError(_l("Alamat ini dipakai halaman lain; pilih alamat lain."))
