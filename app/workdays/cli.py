"""`flask calendar ...`: the working-day calendar from the command line."""
import click
from flask.cli import AppGroup

from app.core.actor import SYSTEM
from app.core.errors import DomainError
from app.core.timeutil import local_today
from app.workdays import actions, calendar, schemas

calendar_cli = AppGroup("calendar", help="Kalender hari kerja (libur nasional, cuti bersama).")

ISO_DATE = click.DateTime(formats=["%Y-%m-%d"])
KINDS = {calendar.PUBLIC: "libur nasional", calendar.GOVERNMENT: "cuti bersama",
         calendar.OVERRIDE: "ditetapkan admin"}


def _fail(exc):
    for messages in getattr(exc, "errors", {"_": [exc.message]}).values():
        for message in messages:
            click.echo(str(message), err=True)
    raise SystemExit(1)


def _line(off):
    weekend = " (akhir pekan)" if off.weekend else ""
    return (f"  {off.day.isoformat()} {calendar.day_name(off.day)!s:<6} {off.name}{weekend} "
            f"[{KINDS[off.kind]}]")


@calendar_cli.command("workdays")
@click.option("--from", "start", type=ISO_DATE, default=None, metavar="TTTT-BB-HH",
              help="Tanggal diterima; bawaan: hari ini (WIB).")
@click.option("--add", "days", type=click.IntRange(min=0), required=True, metavar="N",
              help="Jumlah hari kerja.")
def workdays(start, days):
    """Print the date N working days after --from, and the days off it skipped."""
    start = start.date() if start else local_today()
    try:
        result = actions.deadline_check(SYSTEM, {"start": start.isoformat(), "days": days})
    except DomainError as exc:
        _fail(exc)
    click.echo(f"{result.due.isoformat()} {calendar.day_name(result.due)}")
    click.echo(f"{result.days} hari kerja setelah {result.start.isoformat()}; "
               f"{result.weekend_days} hari Sabtu/Minggu dilewati.")
    if result.skipped:
        click.echo("Hari libur yang dilewati:")
        for off in result.skipped:
            click.echo(_line(off))


@calendar_cli.command("holidays")
@click.option("--year", type=click.IntRange(schemas.FIRST_YEAR, schemas.LAST_YEAR),
              default=None, help="Tahun; bawaan: tahun ini (WIB).")
def holidays_(year):
    """List the year's days off: national holidays, cuti bersama and the admin's overrides."""
    year = year or local_today().year
    try:
        days_off = actions.days_off(SYSTEM, year)
        workday_overrides = [o for o in actions.override_list(SYSTEM, year) if o.is_workday]
    except DomainError as exc:
        _fail(exc)
    click.echo(f"Hari libur {year}: {len(days_off)}")
    for off in days_off:
        click.echo(_line(off))
    if workday_overrides:
        click.echo("Ditetapkan admin sebagai hari kerja:")
        for o in workday_overrides:
            click.echo(f"  {o.day.isoformat()} {calendar.day_name(o.day)!s:<6} {o.note}")
