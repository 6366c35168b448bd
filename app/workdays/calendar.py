"""Working days in Indonesia: Monday to Friday, minus national holidays and cuti bersama.

The `holidays` package knows both (category 'public' for the national holidays, 'government'
for the joint leave days). The government amends the joint leave during the year, so the
admin's override table (`CalendarOverride`) wins over the package.

A `Calendar` holds one snapshot of the overrides: bulk work (recomputing every ticket's SLA)
takes `cal = calendar()` once and calls its methods in the loop, reading the database once.
Dates are the agency's local dates (Asia/Jakarta); a datetime counts as its `.date()`.
"""
import threading
import time
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime

import holidays
from flask_babel import lazy_gettext as _l

from app.core.timeutil import JAKARTA

PUBLIC = "public"  # libur nasional
GOVERNMENT = "government"  # cuti bersama
OVERRIDE = "override"  # set by an admin in the override table

DAY_NAMES = (_l("Senin"), _l("Selasa"), _l("Rabu"), _l("Kamis"), _l("Jumat"), _l("Sabtu"),
             _l("Minggu"))

# About forty years of working days: far beyond any legal deadline, and it keeps a typo in a
# form from making the calendar build centuries of holidays.
MAX_WORKING_DAYS = 10_000

# Other processes (web workers, the scheduler, the bot) learn of an admin's change within
# this many seconds; the process that made the change knows at once (see `invalidate`).
RECHECK_SECONDS = 10.0


def day_name(d):
    """The Indonesian name of the weekday (Senin ... Minggu), translated on display."""
    return DAY_NAMES[as_date(d).weekday()]


def as_date(value):
    """A date from a date or a datetime (checked first: a datetime is also a date).

    A naive datetime is taken as Jakarta local time; an aware one is converted to it first.
    """
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(JAKARTA)
        return value.date()
    if isinstance(value, date):
        return value
    raise TypeError(f"expected a date or datetime, got {type(value).__name__}")


# ---------------------------------------------------------------- the package, cached

_national = {}
_national_lock = threading.Lock()


def national_holidays(year):
    """{day: (name, kind)} of one year from the `holidays` package, kind PUBLIC or GOVERNMENT.

    Cached per process: the package takes tens of milliseconds to build a year.
    """
    days = _national.get(year)
    if days is None:
        with _national_lock:
            days = _national.get(year)
            if days is None:
                days = _national[year] = _build_year(year)
    return days


def _build_year(year):
    days = {}
    for kind in (PUBLIC, GOVERNMENT):
        found = holidays.country_holidays("ID", years=year, categories=(kind,), language="id")
        for day, name in sorted(found.items()):
            if day in days:  # both kinds on one day: the national holiday is what it is
                days[day] = (f"{days[day][0]}; {name}", days[day][1])
            else:
                days[day] = (name, kind)
    return days


# ---------------------------------------------------------------- one snapshot

@dataclass(frozen=True)
class Override:
    is_workday: bool
    note: str


@dataclass(frozen=True)
class DayOff:
    """A named day off: a national holiday, a cuti bersama or an admin's override."""

    day: date
    name: str
    kind: str  # PUBLIC, GOVERNMENT or OVERRIDE

    @property
    def weekend(self):
        """It falls on a Saturday or Sunday, so it moves no deadline."""
        return self.day.weekday() >= 5


@dataclass(frozen=True)
class _Index:
    """The ordinals of every working day of first_year..last_year, ascending."""

    first_year: int
    last_year: int
    lo: int  # ordinal of 1 January of first_year
    hi: int  # ordinal of 31 December of last_year
    ordinals: list


_EMPTY = _Index(first_year=1, last_year=0, lo=1, hi=0, ordinals=[])


def _overrides_from(source):
    if source is None:
        return {}
    if hasattr(source, "items"):
        pairs = source.items()
    else:  # rows with day, is_workday and note (CalendarOverride or tuples from a query)
        pairs = ((r.day, (r.is_workday, r.note)) for r in source)
    out = {}
    for day, value in pairs:
        if not isinstance(value, Override):
            value = Override(bool(value[0]), value[1])
        out[as_date(day)] = value
    return out


class Calendar:
    """Working days with a fixed set of overrides. Safe to share between threads.

    `overrides`: {date: Override or (is_workday, note)}, or rows with `day`, `is_workday` and
    `note` attributes. Working-day arithmetic runs on a sorted list of working-day ordinals,
    built for the years asked about and widened on demand.
    """

    def __init__(self, overrides=None):
        self.overrides = _overrides_from(overrides)
        self._index = _EMPTY

    def __repr__(self):
        return f"<Calendar {len(self.overrides)} overrides>"

    # ---------------------------------------------------------------- single days

    def is_working_day(self, d):
        d = as_date(d)
        override = self.overrides.get(d)
        if override is not None:
            return override.is_workday
        return d.weekday() < 5 and d not in national_holidays(d.year)

    def holiday_name(self, d):
        """Why the day is off besides being a weekend: the override's note or the package's
        holiday name; None for a working day or an ordinary weekend."""
        d = as_date(d)
        override = self.overrides.get(d)
        if override is not None:
            return None if override.is_workday else override.note
        entry = national_holidays(d.year).get(d)
        return entry[0] if entry else None

    def days_off(self, year):
        """Every named day off of the year, weekend ones included, by date.

        A package holiday an override turned into a working day is left out.
        """
        found = {}
        for day, (name, kind) in national_holidays(year).items():
            if day not in self.overrides:
                found[day] = DayOff(day, name, kind)
        for day, override in self.overrides.items():
            if day.year == year and not override.is_workday:
                found[day] = DayOff(day, override.note, OVERRIDE)
        return [found[d] for d in sorted(found)]

    def days_off_between(self, a, b):
        """The named days off d with a < d <= b: what a deadline from a to b stepped over."""
        a, b = as_date(a), as_date(b)
        return [off for year in range(a.year, b.year + 1) for off in self.days_off(year)
                if a < off.day <= b]

    # ---------------------------------------------------------------- arithmetic

    def add_working_days(self, start, n):
        """The n-th working day after `start`, as a date.

        `start` itself never counts, so a request received on a Saturday or a holiday starts
        counting on the next working day; n=0 returns `start`.
        :raises ValueError: n is negative or above MAX_WORKING_DAYS, or the result is past 9999
        """
        start = as_date(start)
        if n == 0:
            return start
        if not 0 < n <= MAX_WORKING_DAYS:
            raise ValueError(f"n must be between 0 and {MAX_WORKING_DAYS}, got {n}")
        s = start.toordinal()
        idx = self._index
        if idx.lo <= s:  # the hot path: one bisect in the list already built
            i = bisect_right(idx.ordinals, s) + n - 1
            if i < len(idx.ordinals):
                return date.fromordinal(idx.ordinals[i])
        # Seven calendar days hold five working days; holidays take about a tenth of those.
        last_year = start.year + (n * 7 // 5 + n // 5 + 31) // 365 + 1
        while True:
            idx = self._covering(start.year, last_year)
            i = bisect_right(idx.ordinals, s) + n - 1
            if i < len(idx.ordinals):
                return date.fromordinal(idx.ordinals[i])
            last_year = idx.last_year + 1

    def working_days_between(self, a, b):
        """How many working days d have a < d <= b; 0 when b <= a."""
        a, b = as_date(a), as_date(b)
        if b <= a:
            return 0
        idx = self._index
        if not (idx.lo <= a.toordinal() and b.toordinal() <= idx.hi):
            idx = self._covering(a.year, b.year)
        return (bisect_right(idx.ordinals, b.toordinal())
                - bisect_right(idx.ordinals, a.toordinal()))

    def _covering(self, first_year, last_year):
        """An index spanning at least first_year..last_year (the current one, or a wider one).

        The new index replaces the old in one assignment, so concurrent readers see either.
        """
        if last_year > date.max.year:
            raise ValueError("the date is past the end of the calendar (year 9999)")
        idx = self._index
        if idx.first_year <= first_year and last_year <= idx.last_year:
            return idx
        if idx is not _EMPTY:
            first_year, last_year = min(first_year, idx.first_year), max(last_year, idx.last_year)
        ordinals = []
        for year in range(first_year, last_year + 1):
            ordinals.extend(self._working_ordinals(year))
        idx = _Index(first_year, last_year, date(first_year, 1, 1).toordinal(),
                     date(last_year, 12, 31).toordinal(), ordinals)
        self._index = idx
        return idx

    def _working_ordinals(self, year):
        national = national_holidays(year)
        overrides = self.overrides
        out = []
        for o in range(date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal() + 1):
            day = date.fromordinal(o)
            override = overrides.get(day)
            if override is not None:
                if override.is_workday:
                    out.append(o)
            elif (o - 1) % 7 < 5 and day not in national:  # ordinal 1 (1 Jan 0001) is a Monday
                out.append(o)
        return out


# ---------------------------------------------------------------- the process's calendar

@dataclass(frozen=True)
class _Cached:
    version: int
    checked_at: float
    snapshot: dict
    calendar: Calendar


_version = 0
_version_lock = threading.Lock()
_cached = None


def invalidate():
    """Make the next `calendar()` read the overrides again. The actions call it after each
    change they commit; tests that empty the table behind the actions' back call it too."""
    global _version
    with _version_lock:
        _version += 1


def read_overrides():
    """{date: Override} as the database holds it now (needs an app context)."""
    from sqlalchemy import select

    from app.extensions import db
    from app.workdays.models import CalendarOverride

    rows = db.session.execute(select(CalendarOverride.day, CalendarOverride.is_workday,
                                     CalendarOverride.note))
    return {day: Override(bool(is_workday), note) for day, is_workday, note in rows}


def calendar(fresh=False):
    """The calendar with the current overrides, cached in this process.

    Re-reads the overrides after `invalidate()` and at most every RECHECK_SECONDS otherwise
    (a change made by another process); an unchanged snapshot keeps the warm index.
    `fresh=True` always reads the database and builds a new Calendar. Needs an app context.
    """
    global _cached
    cached = _cached
    now = time.monotonic()
    if (not fresh and cached is not None and cached.version == _version
            and now - cached.checked_at < RECHECK_SECONDS):
        return cached.calendar
    version = _version  # read before the database, so a change during the read is not lost
    snapshot = read_overrides()
    if not fresh and cached is not None and cached.snapshot == snapshot:
        cal = cached.calendar
    else:
        cal = Calendar(snapshot)
    _cached = _Cached(version, now, snapshot, cal)
    return cal


def add_working_days(start, n):
    """`Calendar.add_working_days` with the current overrides."""
    return calendar().add_working_days(start, n)


def working_days_between(a, b):
    """`Calendar.working_days_between` with the current overrides."""
    return calendar().working_days_between(a, b)


def is_working_day(d):
    """`Calendar.is_working_day` with the current overrides."""
    return calendar().is_working_day(d)
