"""Overrides through the actions: permission, validation, audit, and the deadlines they move."""
from datetime import date

import pytest

from app.core import audit
from app.core.actor import ANONYMOUS, SYSTEM
from app.core.errors import NotAuthorized, NotFound, ValidationError
from app.workdays import actions, calendar
from app.workdays.models import CalendarOverride
from tests.factories import row_counts

EXTRA_DAY_OFF = {"day": "2026-03-25", "is_workday": False,
                 "note": "Cuti bersama tambahan (SKB 3 Menteri)"}


def D(text):
    return date.fromisoformat(text)


def _due():
    return calendar.add_working_days(D("2026-03-17"), 10)


# ---------------------------------------------------------------- set

def test_admin_adds_a_day_off_and_the_deadline_moves(admin):
    assert _due() == D("2026-04-08")
    override = actions.override_set(admin, EXTRA_DAY_OFF)
    assert (override.day, override.is_workday, override.created_by_id) == (
        D("2026-03-25"), False, admin.id)
    assert _due() == D("2026-04-09")
    [row] = audit.history("calendar_override", "2026-03-25")
    assert (row.action, row.actor_id, row.actor_label) == (
        "calendar_override.created", admin.id, admin.email)
    assert row.before is None
    assert row.after == {"day": "2026-03-25", "is_workday": False,
                         "note": "Cuti bersama tambahan (SKB 3 Menteri)"}


def test_removing_the_day_off_restores_the_deadline(admin):
    actions.override_set(admin, EXTRA_DAY_OFF)
    assert _due() == D("2026-04-09")
    actions.override_delete(admin, "2026-03-25")
    assert CalendarOverride.query.count() == 0
    assert _due() == D("2026-04-08")
    rows = audit.history("calendar_override", "2026-03-25")
    assert [r.action for r in rows] == ["calendar_override.created", "calendar_override.deleted"]
    assert rows[1].before["is_workday"] is False and rows[1].after is None


def test_a_cancelled_joint_leave_day_shortens_the_deadline(admin):
    actions.override_set(admin, {"day": "2026-03-18", "is_workday": "true",
                                 "note": "Cuti bersama Nyepi dibatalkan"})
    assert calendar.is_working_day(D("2026-03-18"))
    assert _due() == D("2026-04-07")
    assert D("2026-03-18") not in {o.day for o in actions.days_off(admin, 2026)}


def test_the_system_may_set_overrides():
    override = actions.override_set(SYSTEM, EXTRA_DAY_OFF)
    assert override.created_by_id is None
    assert audit.history("calendar_override", "2026-03-25")[0].actor_label == "system"


def test_setting_a_day_again_updates_it(admin):
    actions.override_set(admin, EXTRA_DAY_OFF)
    actions.override_set(admin, {**EXTRA_DAY_OFF, "note": "  Keppres 7/2026  "})
    assert CalendarOverride.query.one().note == "Keppres 7/2026"
    rows = audit.history("calendar_override", "2026-03-25")
    assert [r.action for r in rows] == ["calendar_override.created", "calendar_override.updated"]
    assert rows[1].before["note"].startswith("Cuti bersama") and rows[1].after["note"] == (
        "Keppres 7/2026")


def test_setting_the_same_values_again_changes_nothing(admin):
    actions.override_set(admin, EXTRA_DAY_OFF)
    before = row_counts()
    actions.override_set(admin, EXTRA_DAY_OFF)
    assert row_counts() == before


@pytest.mark.parametrize("data,says", [
    ({"day": "2026-03-25", "is_workday": True}, "2026-03-25 sudah hari kerja"),
    ({"day": "2026-03-29", "is_workday": False}, "sudah hari libur menurut kalender nasional "
                                                 "(Minggu)"),
    ({"day": "2026-03-19", "is_workday": False}, "(Hari Suci Nyepi)"),
])
def test_refuses_an_override_the_national_calendar_already_says(admin, data, says):
    before = row_counts()
    with pytest.raises(ValidationError) as exc:
        actions.override_set(admin, {**data, "note": "tidak berubah"})
    assert says in str(exc.value.errors["is_workday"][0])
    assert row_counts() == before


def test_turning_an_override_back_into_the_national_value_says_to_delete_it(admin):
    actions.override_set(admin, EXTRA_DAY_OFF)
    with pytest.raises(ValidationError) as exc:
        actions.override_set(admin, {**EXTRA_DAY_OFF, "is_workday": True})
    assert "hapus pengecualian" in str(exc.value.errors["is_workday"][1])
    assert CalendarOverride.query.one().is_workday is False


@pytest.mark.parametrize("data,field,says", [
    ({"day": "2026-02-30"}, "day", "Tanggal tidak valid"),
    ({"day": "25-03-2026"}, "day", "Tanggal tidak valid"),
    ({"day": "1900-03-01"}, "day", "Tahun harus antara 1946 dan 2100."),
    ({"note": "   "}, "note", "Keterangan harus 3 sampai 255 karakter."),
    ({"note": "x" * 256}, "note", "Keterangan harus 3 sampai 255 karakter."),
    ({"is_workday": "mungkin"}, "is_workday", "Harus ya atau tidak."),
    ({"is_workday": None}, "is_workday", "Wajib diisi."),
])
def test_refuses_bad_input(admin, data, field, says):
    with pytest.raises(ValidationError) as exc:
        actions.override_set(admin, {**EXTRA_DAY_OFF, **data})
    assert says in str(exc.value.errors[field][0])
    assert CalendarOverride.query.count() == 0


# ---------------------------------------------------------------- who may

@pytest.mark.parametrize("who", ["helpdesk", "pemohon", "anonymous"])
def test_only_admins_change_the_calendar(request, admin, who):
    actor = ANONYMOUS if who == "anonymous" else request.getfixturevalue(who)
    actions.override_set(admin, EXTRA_DAY_OFF)
    before = row_counts()
    with pytest.raises(NotAuthorized):
        actions.override_set(actor, {**EXTRA_DAY_OFF, "day": "2026-03-26"})
    with pytest.raises(NotAuthorized):
        actions.override_delete(actor, "2026-03-25")
    assert row_counts() == before
    assert _due() == D("2026-04-09")


def test_staff_may_list_but_requesters_and_anonymous_may_not(admin, helpdesk, pemohon):
    actions.override_set(admin, EXTRA_DAY_OFF)
    actions.override_set(admin, {"day": "2027-03-09", "is_workday": True, "note": "Dibatalkan"})
    assert [o.day for o in actions.override_list(helpdesk)] == [D("2026-03-25"), D("2027-03-09")]
    assert [o.day for o in actions.override_list(helpdesk, 2027)] == [D("2027-03-09")]
    assert len(actions.days_off(helpdesk, 2026)) == 26
    for actor in (pemohon, ANONYMOUS):
        for call in (lambda a: actions.override_list(a), lambda a: actions.days_off(a, 2026),
                     lambda a: actions.deadline_check(a, {"start": "2026-03-17", "days": 10})):
            with pytest.raises(NotAuthorized):
                call(actor)


# ---------------------------------------------------------------- delete

@pytest.mark.parametrize("day", ["2026-03-26", "kemarin", date(2026, 3, 26)])
def test_deleting_a_missing_override_is_not_found(admin, day):
    actions.override_set(admin, EXTRA_DAY_OFF)
    with pytest.raises(NotFound):
        actions.override_delete(admin, day)
    assert CalendarOverride.query.count() == 1


def test_delete_takes_a_date_too(admin):
    actions.override_set(admin, EXTRA_DAY_OFF)
    actions.override_delete(admin, D("2026-03-25"))
    assert CalendarOverride.query.count() == 0


# ---------------------------------------------------------------- deadline check

def test_deadline_check_lists_the_weekdays_off_it_stepped_over(helpdesk):
    result = actions.deadline_check(helpdesk, {"start": "2026-03-17", "days": "10"})
    assert result.due == D("2026-04-08")
    assert [o.day.isoformat() for o in result.skipped] == [
        "2026-03-18", "2026-03-19", "2026-03-20", "2026-03-23", "2026-03-24", "2026-04-03"]
    assert result.weekend_days == 6  # 21, 22, 28, 29 March, 4, 5 April


@pytest.mark.parametrize("data,field", [
    ({"start": "2026-13-01", "days": 10}, "start"),
    ({"start": "2026-03-17", "days": -1}, "days"),
    ({"start": "2026-03-17", "days": 1001}, "days"),
    ({"start": "2026-03-17", "days": "sepuluh"}, "days"),
])
def test_deadline_check_refuses_bad_input(helpdesk, data, field):
    with pytest.raises(ValidationError) as exc:
        actions.deadline_check(helpdesk, data)
    assert field in exc.value.errors
