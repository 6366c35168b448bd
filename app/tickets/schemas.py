"""Input schemas of the help desk's actions."""
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, pre_load, validate, validates_schema

from app.core.schemas import Schema
from app.tickets.models import (
    Channel,
    Delivery,
    Exemption,
    Format,
    Kind,
    ObjectionGround,
    Priority,
    State,
)

_TEXT = validate.Length(max=5000, error=_l("Terlalu panjang (maksimal {max} karakter)."))
_LINE = validate.Length(max=255, error=_l("Terlalu panjang (maksimal {max} karakter)."))


def _choice(values):
    return validate.OneOf(values, error=_l("Pilihan tidak valid."))


def _required_text(**kw):
    return fields.String(required=True, validate=[validate.Length(
        min=1, error=_l("Wajib diisi.")), kw.pop("length", _TEXT)], **kw)


def _optional_text(length=_TEXT):
    return fields.String(load_default=None, allow_none=True, validate=length)


class Consent(fields.Boolean):
    truthy = {"1", "on", "true", "ya", "y", True}
    falsy = {"0", "off", "false", "", "tidak", False, None}


class _Stripped(Schema):
    @pre_load
    def _strip(self, data, **kwargs):
        """Blank inputs are 'not given'; surrounding spaces are never meant."""
        out = {}
        for key, value in dict(data).items():
            if isinstance(value, str):
                value = value.strip()
                if value == "":
                    continue
            out[key] = value
        return out


class RequestSubmit(_Stripped):
    kind = fields.String(load_default=Kind.DATA_REQUEST, validate=_choice(Kind.FILED))
    channel = fields.String(load_default=Channel.WEB, validate=_choice(Channel.ALL))
    subject = _required_text(length=_LINE)
    body = _required_text()
    purpose = _optional_text()
    format = fields.String(load_default=None, allow_none=True, validate=_choice(Format.ALL))
    delivery = fields.String(load_default=None, allow_none=True, validate=_choice(Delivery.ALL))
    requester_name = _required_text(length=_LINE)
    identity_kind = fields.String(load_default="nik", validate=_choice(("nik", "badan")))
    nik = fields.String(load_default=None, allow_none=True)
    address = _optional_text()
    phone = fields.String(load_default=None, allow_none=True, validate=validate.Regexp(
        r"^\+?[0-9 ()-]{6,20}$", error=_l("Nomor telepon tidak valid.")))
    email = fields.Email(load_default=None, allow_none=True, validate=_LINE)
    consent = Consent(load_default=False)
    dataset_ids = fields.List(fields.String(), load_default=list)
    submission_key = fields.String(load_default=None, allow_none=True,
                                   validate=validate.Length(max=80))
    telegram_chat_id = fields.Integer(load_default=None, allow_none=True)

    @validates_schema
    def _request_fields(self, data, **kwargs):
        errors = {}
        if not data.get("consent"):
            errors["consent"] = [_l("Anda perlu menyetujui pemberitahuan privasi untuk "
                                    "mengirim permohonan.")]
        if data["kind"] == Kind.DATA_REQUEST:
            for name in ("purpose", "format", "delivery", "address"):
                if not data.get(name):
                    errors[name] = [_l("Wajib diisi untuk permohonan informasi.")]
            if data.get("identity_kind") == "nik" and not data.get("nik"):
                errors["nik"] = [_l("NIK wajib diisi (16 digit sesuai KTP).")]
        if not (data.get("email") or data.get("phone") or data.get("telegram_chat_id")):
            errors["email"] = [_l("Isi e-mail atau nomor telepon agar kami dapat menjawab.")]
        if errors:
            raise ValidationError(errors)


class MessageBody(_Stripped):
    body = _required_text()


class Clarify(MessageBody):
    pass


class Extend(_Stripped):
    days = fields.Integer(required=True, validate=validate.Range(
        min=1, max=7, error=_l("Perpanjangan 1 sampai {max} hari kerja.")))
    reason = _required_text()


class Answer(_Stripped):
    outcome = fields.String(required=True, validate=_choice(State.ANSWERED))
    answer = _required_text()
    exemption = fields.String(load_default=None, allow_none=True,
                              validate=_choice(Exemption.ALL))
    redirect_agency = _optional_text(_LINE)
    dataset_ids = fields.List(fields.String(), load_default=list)

    @validates_schema
    def _outcome_fields(self, data, **kwargs):
        if data["outcome"] in (State.REJECTED, State.PARTIALLY_FULFILLED) \
                and not data.get("exemption"):
            raise ValidationError({"exemption": [_l(
                "Penolakan wajib menyebut kategori pengecualian (UU 14/2008 Pasal 17).")]})
        if data["outcome"] == State.NOT_HELD and not data.get("redirect_agency"):
            raise ValidationError({"redirect_agency": [_l(
                "Sebutkan badan publik yang menguasai informasi ini.")]})


class ApprovalAsk(_Stripped):
    dataset_id = fields.String(load_default=None, allow_none=True)
    note = _optional_text()


class ApprovalDecide(_Stripped):
    decision = fields.String(required=True, validate=_choice(("approved", "refused")))
    reason = _optional_text()
    exemption = fields.String(load_default=None, allow_none=True,
                              validate=_choice(Exemption.ALL))
    grant_access = Consent(load_default=False)

    @validates_schema
    def _refusal(self, data, **kwargs):
        if data["decision"] == "refused":
            errors = {}
            if not data.get("exemption"):
                errors["exemption"] = [_l("Penolakan wajib menyebut kategori pengecualian "
                                          "(UU 14/2008 Pasal 17).")]
            if not data.get("reason"):
                errors["reason"] = [_l("Tuliskan alasan penolakan.")]
            if errors:
                raise ValidationError(errors)


class ObjectionFile(_Stripped):
    grounds = fields.List(fields.String(validate=_choice(ObjectionGround.ALL)), required=True,
                          validate=validate.Length(min=1, error=_l("Pilih minimal satu alasan.")))
    body = _required_text()


class ObjectionDecide(_Stripped):
    decision = fields.String(required=True, validate=_choice(("upheld", "dismissed")))
    answer = _required_text()


class TicketUpdate(_Stripped):
    priority = fields.String(validate=_choice(Priority.ALL))
    tags = fields.List(fields.String(validate=validate.Length(min=1, max=50)))
    organisation_id = fields.Integer(allow_none=True)
    public = Consent()


class CannedReplyInput(_Stripped):
    title = _required_text(length=validate.Length(max=200))
    body = _required_text()
