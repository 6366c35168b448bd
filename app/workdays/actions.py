"""Working-day calendar use-cases. The admin page and the CLI call these.

Each change: authorize -> validate -> change -> audit -> commit -> drop the cached calendar.
"""
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from app.core import audit
from app.core.actor import check
from app.core.errors import NotFound, ValidationError
from app.core.schemas import load
from app.extensions import db
from app.workdays import auth, calendar, schemas
from app.workdays.models import CalendarOverride

OBJECT_TYPE = "calendar_override"


def snapshot(override):
    return {"day": override.day.isoformat(), "is_workday": override.is_workday,
            "note": override.note}


def _year_range(year):
    return CalendarOverride.day.between(date(year, 1, 1), date(year, 12, 31))


def override_list(actor, year=None):
    """The admin's overrides by date, of one year when given. :raises NotAuthorized"""
    check(auth.override_list(actor))
    query = CalendarOverride.query.order_by(CalendarOverride.day)
    if year is not None:
        query = query.filter(_year_range(year))
    return query.all()


def _already(day, is_workday, existing):
    """Why setting `day` to `is_workday` would change nothing against the package."""
    if is_workday:
        message = _l("%(day)s sudah hari kerja menurut kalender nasional.",
                     day=day.isoformat())
    else:
        reason = calendar.Calendar().holiday_name(day) or calendar.day_name(day)
        message = _l("%(day)s sudah hari libur menurut kalender nasional (%(reason)s).",
                     day=day.isoformat(), reason=reason)
    if existing is None:
        return [message]
    return [message, _l("Untuk kembali ke kalender nasional, hapus pengecualian tanggal ini.")]


def override_set(actor, data):
    """Make a day a working day or a day off against the national calendar (create or update).

    A value the package already gives the day is refused: an override that changes nothing
    would hide a later correction of the package.
    :raises NotAuthorized, ValidationError
    """
    check(auth.override_set(actor), _l("Hanya admin yang dapat mengubah kalender hari kerja."))
    clean = load(schemas.OverrideInput, data)
    day, is_workday, note = clean["day"], clean["is_workday"], clean["note"]
    existing = db.session.get(CalendarOverride, day)
    if calendar.Calendar().is_working_day(day) == is_workday:
        raise ValidationError({"is_workday": _already(day, is_workday, existing)})
    if existing is not None and (existing.is_workday, existing.note) == (is_workday, note):
        return existing
    before = snapshot(existing) if existing is not None else None
    if existing is None:
        existing = CalendarOverride(day=day, created_by_id=actor.id)
        db.session.add(existing)
    existing.is_workday, existing.note = is_workday, note
    audit.record(actor, f"{OBJECT_TYPE}.{'updated' if before else 'created'}", day.isoformat(),
                 object_type=OBJECT_TYPE, before=before, after=snapshot(existing))
    db.session.commit()
    calendar.invalidate()
    return existing


def override_delete(actor, day):
    """Remove an override: the day follows the national calendar again.

    `day` is a date or YYYY-MM-DD text. :raises NotAuthorized, NotFound
    """
    check(auth.override_delete(actor), _l("Hanya admin yang dapat mengubah kalender hari kerja."))
    try:
        day = load(schemas.DayInput, {"day": day.isoformat() if isinstance(day, date) else day})[
            "day"]
    except ValidationError:
        day = None
    existing = db.session.get(CalendarOverride, day) if day else None
    if existing is None:
        raise NotFound(_l("Tidak ada pengecualian kalender pada tanggal itu."))
    audit.record(actor, f"{OBJECT_TYPE}.deleted", day.isoformat(), object_type=OBJECT_TYPE,
                 before=snapshot(existing))
    db.session.delete(existing)
    db.session.commit()
    calendar.invalidate()


def days_off(actor, year):
    """The year's named days off (national holidays, cuti bersama, the admin's days off).

    :raises NotAuthorized
    """
    check(auth.days_off(actor))
    return calendar.calendar().days_off(year)


@dataclass(frozen=True)
class Deadline:
    start: date
    days: int
    due: date
    skipped: list  # calendar.DayOff on weekdays between start and due: what moved the date
    weekend_days: int  # Saturdays and Sundays off stepped over


def deadline_check(actor, data):
    """The date N working days after a start date, with the days off it stepped over.

    :raises NotAuthorized, ValidationError
    """
    check(auth.deadline_check(actor))
    clean = load(schemas.DeadlineInput, data)
    cal = calendar.calendar()
    start, days = clean["start"], clean["days"]
    due = cal.add_working_days(start, days)
    skipped = [off for off in cal.days_off_between(start, due) if not off.weekend]
    # (start, due] holds exactly `days` working days; every weekday off has a name.
    weekend_days = (due - start).days - days - len(skipped)
    return Deadline(start, days, due, skipped, weekend_days)
