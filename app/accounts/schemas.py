from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, pre_load, validate, validates_schema

from app.core.actor import Role
from app.core.schemas import Schema


class UserInput(Schema):
    email = fields.Email(required=True)
    name = fields.String(required=True, validate=validate.Length(min=2, max=255))
    password = fields.String(load_default=None, validate=validate.Length(
        min=10, max=200, error=_l("Kata sandi minimal 10 karakter.")))
    roles = fields.List(fields.String(validate=validate.OneOf(
        Role.ALL, error=_l("Peran tidak dikenal."))), load_default=list)
    organisations = fields.List(fields.String(), load_default=list)
    active = fields.Boolean(load_default=True)


class OrganisationInput(Schema):
    name = fields.String(required=True, validate=validate.Regexp(
        r"^[a-z0-9][a-z0-9-]{1,98}[a-z0-9]$",
        error=_l("Nama singkat hanya boleh berisi huruf kecil, angka, dan tanda hubung.")))
    title = fields.String(required=True, validate=validate.Length(min=3, max=255))
    description = fields.String(load_default="")
    email = fields.Email(load_default=None, allow_none=True)
    is_custodian = fields.Boolean(load_default=False)


class RegisterInput(Schema):
    """A citizen's own sign-up (role pemohon)."""

    email = fields.Email(required=True, validate=validate.Length(max=255))
    name = fields.String(required=True, validate=validate.Length(
        min=2, max=255, error=_l("Nama 2 sampai 255 karakter.")))
    password = fields.String(required=True, validate=validate.Length(
        min=10, max=200, error=_l("Kata sandi minimal 10 karakter.")))
    password_confirm = fields.String(required=True)

    @pre_load
    def _strip(self, data, **kwargs):
        # Spaces around a name or an address are never meant; a password is taken as typed.
        data = dict(data)
        for key in ("email", "name"):
            if isinstance(data.get(key), str):
                data[key] = " ".join(data[key].split())
        return data

    @validates_schema
    def _password(self, data, **kwargs):
        if data["password"] != data["password_confirm"]:
            raise ValidationError({"password_confirm": [_l(
                "Konfirmasi kata sandi tidak sama.")]})
        if data["password"].strip().lower() == data["email"].lower():
            raise ValidationError({"password": [_l(
                "Kata sandi tidak boleh sama dengan alamat e-mail.")]})
