"""Input schemas: marshmallow, with its messages in the user's language.

Actions call `load(SchemaClass, data)`; a bad field raises our ValidationError with a
per-field dict, which every front end already knows how to show.
"""
import marshmallow
from flask_babel import lazy_gettext as _l

# marshmallow's own messages, said in our words (the msgids are Indonesian, English via Babel).
_MESSAGES = {
    "Missing data for required field.": _l("Wajib diisi."),
    "Field may not be null.": _l("Wajib diisi."),
    "Not a valid string.": _l("Harus berupa teks."),
    "Not a valid integer.": _l("Harus berupa bilangan bulat."),
    "Not a valid number.": _l("Harus berupa angka."),
    "Not a valid boolean.": _l("Harus ya atau tidak."),
    "Not a valid email address.": _l("Alamat e-mail tidak valid."),
    "Not a valid date.": _l("Tanggal tidak valid (format TTTT-BB-HH)."),
    "Unknown field.": _l("Isian tidak dikenal."),
    "Invalid input type.": _l("Jenis isian tidak valid."),
    "Not a valid list.": _l("Harus berupa daftar."),
    "Not a valid URL.": _l("Alamat tautan tidak valid (harus diawali http:// atau https://)."),
}


class Schema(marshmallow.Schema):
    class Meta:
        unknown = marshmallow.EXCLUDE


def _translate(messages):
    if isinstance(messages, dict):
        return {k: _translate(v) for k, v in messages.items()}
    if isinstance(messages, list):
        return [_translate(m) for m in messages]
    return _MESSAGES.get(messages, messages)


def _flatten(errors):
    """{"field": [msg]} for the forms; nested errors keep a dotted name."""
    flat = {}
    for field, value in errors.items():
        name = "_" if field == "_schema" else field
        if isinstance(value, dict):
            for sub, msgs in _flatten(value).items():
                flat[f"{name}.{sub}"] = msgs
        else:
            flat[name] = value if isinstance(value, list) else [value]
    return flat


def load(schema_cls, data, partial=False):
    """Validate and convert input; raises app.core.errors.ValidationError."""
    from app.core.errors import ValidationError

    try:
        return schema_cls().load(data, partial=partial)
    except marshmallow.ValidationError as exc:
        raise ValidationError(_flatten(_translate(exc.messages))) from None
