from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

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
