"""The working-day arithmetic against Indonesia's real 2026 calendar (holidays==0.109).

March 2026: cuti bersama Wed 18, Nyepi Thu 19, cuti bersama Fri 20, Idul Fitri Sat 21 and
Sun 22, cuti bersama Mon 23 and Tue 24; Good Friday is 3 April.
"""
import random
import time
from datetime import UTC, date, datetime, timedelta

import pytest

from app.extensions import db
from app.workdays import calendar
from app.workdays.calendar import GOVERNMENT, OVERRIDE, PUBLIC, Calendar, Override
from app.workdays.models import CalendarOverride

CAL = Calendar()  # the package alone: no overrides, no database


def D(text):
    return date.fromisoformat(text)


# ---------------------------------------------------------------- single days

@pytest.mark.parametrize("day,working", [
    ("2026-03-17", True),   # Tuesday before Nyepi
    ("2026-03-18", False),  # cuti bersama Nyepi
    ("2026-03-19", False),  # Nyepi
    ("2026-03-23", False),  # cuti bersama Idul Fitri
    ("2026-03-25", True),
    ("2026-03-28", False),  # an ordinary Saturday
    ("2026-03-29", False),  # an ordinary Sunday
    ("2026-04-03", False),  # Good Friday
    ("2026-08-17", False),  # Independence Day
    ("2026-12-24", False),  # cuti bersama Natal
    ("2027-01-01", False),
    ("2027-01-04", True),
])
def test_is_working_day(day, working):
    assert CAL.is_working_day(D(day)) is working


def test_holiday_names_come_from_the_package_in_indonesian():
    assert CAL.holiday_name(D("2026-03-19")) == "Hari Suci Nyepi"
    assert CAL.holiday_name(D("2026-03-18")) == "Cuti Bersama Hari Suci Nyepi"
    assert CAL.holiday_name(D("2026-04-03")) == "Wafat Yesus Kristus"
    assert CAL.holiday_name(D("2026-03-17")) is None
    assert CAL.holiday_name(D("2026-03-28")) is None  # a weekend is not a holiday


def test_days_off_of_2026_mark_national_holidays_and_joint_leave():
    days_off = {off.day: off for off in CAL.days_off(2026)}
    assert len(days_off) == 25
    assert list(days_off) == sorted(days_off)
    assert days_off[D("2026-03-19")].kind == PUBLIC
    assert days_off[D("2026-03-18")].kind == GOVERNMENT
    assert days_off[D("2026-12-24")].kind == GOVERNMENT
    assert days_off[D("2026-03-21")].weekend and not days_off[D("2026-03-20")].weekend
    assert {off.kind for off in days_off.values()} == {PUBLIC, GOVERNMENT}


# ---------------------------------------------------------------- adding working days

@pytest.mark.parametrize("start,n,due", [
    # Skips cuti bersama 18, 20, 23, 24 Mar, Nyepi 19, Idul Fitri 21-22 and Good Friday.
    ("2026-03-17", 10, "2026-04-08"),
    ("2026-03-17", 1, "2026-03-25"),
    # Received on a Saturday: counting starts on Monday.
    ("2026-03-14", 1, "2026-03-16"),
    ("2026-03-14", 10, "2026-04-06"),
    ("2026-03-13", 1, "2026-03-16"),  # a Friday: the weekend does not count
    # Received on a holiday (Nyepi) or on Idul Fitri's Sunday: the first day is 25 March.
    ("2026-03-19", 1, "2026-03-25"),
    ("2026-03-22", 1, "2026-03-25"),
    ("2026-03-19", 10, "2026-04-08"),
    # Across the year: cuti bersama 24 Dec, Christmas, New Year.
    ("2026-12-23", 5, "2027-01-04"),
    ("2026-12-23", 1, "2026-12-28"),
])
def test_add_working_days(start, n, due):
    assert CAL.add_working_days(D(start), n) == D(due)


@pytest.mark.parametrize("start", ["2026-03-17", "2026-03-19", "2026-03-21"])
def test_zero_days_is_the_start_itself_even_on_a_holiday(start):
    assert CAL.add_working_days(D(start), 0) == D(start)


def test_a_datetime_counts_as_its_date():
    assert CAL.add_working_days(datetime(2026, 3, 17, 23, 59), 10) == D("2026-04-08")
    assert CAL.working_days_between(datetime(2026, 3, 17, 8), datetime(2026, 4, 8, 17)) == 10
    assert CAL.is_working_day(datetime(2026, 3, 19, 9)) is False


def test_an_aware_datetime_counts_as_its_jakarta_date():
    # 17:30 UTC on Tuesday 17 March is already Wednesday 18 March (cuti bersama) in Jakarta.
    received = datetime(2026, 3, 17, 17, 30, tzinfo=UTC)
    assert CAL.is_working_day(received) is False
    assert CAL.add_working_days(received, 1) == D("2026-03-25")


@pytest.mark.parametrize("n", [-1, calendar.MAX_WORKING_DAYS + 1])
def test_refuses_negative_or_absurd_counts(n):
    with pytest.raises(ValueError):
        CAL.add_working_days(D("2026-03-17"), n)


def test_refuses_a_string():
    with pytest.raises(TypeError):
        CAL.add_working_days("2026-03-17", 1)


def test_a_fresh_calendar_answers_far_from_the_years_already_indexed():
    cal = Calendar()
    assert cal.add_working_days(D("2026-03-17"), 10) == D("2026-04-08")
    assert cal.add_working_days(D("2020-12-31"), 1) == D("2021-01-04")  # New Year 2021 on Fri
    assert cal.add_working_days(D("2026-03-17"), 10) == D("2026-04-08")
    assert cal.add_working_days(D("2026-01-01"), 2500) > D("2035-01-01")


# ---------------------------------------------------------------- counting working days

@pytest.mark.parametrize("a,b,count", [
    ("2026-03-17", "2026-04-08", 10),
    ("2026-03-17", "2026-03-24", 0),   # a whole week of holidays and joint leave
    ("2026-03-13", "2026-03-16", 1),   # Friday to Monday
    ("2026-12-23", "2027-01-04", 5),
    ("2026-04-08", "2026-03-17", 0),   # b before a
    ("2026-03-17", "2026-03-17", 0),
])
def test_working_days_between(a, b, count):
    assert CAL.working_days_between(D(a), D(b)) == count


def test_counting_agrees_with_day_by_day_checks_over_two_years():
    cal = Calendar()
    rng = random.Random(2026)
    for _ in range(300):
        a = D("2026-01-01") + timedelta(days=rng.randrange(700))
        b = a + timedelta(days=rng.randrange(60))
        naive = sum(cal.is_working_day(a + timedelta(days=k)) for k in range(1, (b - a).days + 1))
        assert cal.working_days_between(a, b) == naive
        n = rng.randrange(40)
        due = cal.add_working_days(a, n)
        assert cal.working_days_between(a, due) == n
        assert n == 0 or cal.is_working_day(due)


def test_100000_deadlines_take_well_under_a_second():
    cal = Calendar()
    rng = random.Random(1)
    starts = [D("2026-01-01") + timedelta(days=rng.randrange(730)) for _ in range(100_000)]
    cal.add_working_days(starts[0], 10)  # builds the first index
    began = time.perf_counter()
    for start in starts:
        cal.add_working_days(start, 10)
    assert time.perf_counter() - began < 1.0


# ---------------------------------------------------------------- overrides win

def test_an_added_day_off_shifts_the_deadline():
    cal = Calendar({D("2026-03-25"): (False, "Cuti bersama tambahan")})
    assert cal.add_working_days(D("2026-03-17"), 10) == D("2026-04-09")
    assert cal.holiday_name(D("2026-03-25")) == "Cuti bersama tambahan"
    assert [(o.day, o.kind) for o in cal.days_off(2026) if o.kind == OVERRIDE] == [
        (D("2026-03-25"), OVERRIDE)]


def test_a_cancelled_joint_leave_day_becomes_a_working_day():
    cal = Calendar({D("2026-03-18"): Override(True, "Cuti bersama dibatalkan")})
    assert cal.is_working_day(D("2026-03-18"))
    assert cal.holiday_name(D("2026-03-18")) is None
    assert cal.add_working_days(D("2026-03-17"), 10) == D("2026-04-07")
    assert D("2026-03-18") not in {o.day for o in cal.days_off(2026)}


def test_a_saturday_made_a_working_day_counts():
    cal = Calendar({D("2026-03-28"): (True, "Hari kerja pengganti")})
    assert cal.add_working_days(D("2026-03-27"), 1) == D("2026-03-28")
    assert cal.working_days_between(D("2026-03-27"), D("2026-03-30")) == 2


# ---------------------------------------------------------------- the process's calendar

def _insert(day, is_workday, note):
    """An override written by another process: not through the actions, no invalidate()."""
    db.session.add(CalendarOverride(day=D(day), is_workday=is_workday, note=note))
    db.session.commit()


def test_module_functions_use_the_database_overrides():
    assert calendar.add_working_days(D("2026-03-17"), 10) == D("2026-04-08")
    _insert("2026-03-25", False, "Cuti bersama tambahan")
    calendar.invalidate()
    assert calendar.add_working_days(D("2026-03-17"), 10) == D("2026-04-09")
    assert calendar.working_days_between(D("2026-03-17"), D("2026-04-09")) == 10
    assert calendar.is_working_day(D("2026-03-25")) is False


def test_the_calendar_is_cached_and_rechecked_for_other_processes(monkeypatch):
    first = calendar.calendar()
    assert calendar.calendar() is first
    _insert("2026-03-25", False, "Cuti bersama tambahan")
    assert calendar.calendar() is first  # within RECHECK_SECONDS: the snapshot in memory
    assert calendar.calendar(fresh=True).is_working_day(D("2026-03-25")) is False
    monkeypatch.setattr(calendar, "RECHECK_SECONDS", 0)
    again = calendar.calendar()
    assert again.is_working_day(D("2026-03-25")) is False
    assert calendar.calendar() is again  # nothing changed since: the warm calendar is kept
