"""Input schemas of the calendar's actions."""
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, pre_load, validate, validates

from app.core.schemas import Schema

# The years the holidays package knows Indonesia's calendar for.
FIRST_YEAR, LAST_YEAR = 1946, 2100


class OverrideInput(Schema):
    day = fields.Date(required=True)
    is_workday = fields.Boolean(required=True)
    note = fields.String(required=True, validate=validate.Length(
        min=3, max=255, error=_l("Keterangan harus 3 sampai 255 karakter.")))

    @pre_load
    def _strip(self, data, **kwargs):
        if isinstance(data.get("note"), str):
            data = {**data, "note": data["note"].strip()}
        return data

    @validates("day")
    def _year(self, value, **kwargs):
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise ValidationError(_l("Tahun harus antara %(first)s dan %(last)s.",
                                     first=FIRST_YEAR, last=LAST_YEAR))


class DayInput(Schema):
    day = fields.Date(required=True)


class DeadlineInput(Schema):
    """The 'check a deadline' form: from a date, N working days on."""

    start = fields.Date(required=True)
    days = fields.Integer(required=True, validate=validate.Range(
        min=0, max=1000, error=_l("Jumlah hari kerja harus antara 0 dan 1000.")))

    @validates("start")
    def _year(self, value, **kwargs):
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise ValidationError(_l("Tahun harus antara %(first)s dan %(last)s.",
                                     first=FIRST_YEAR, last=LAST_YEAR))
