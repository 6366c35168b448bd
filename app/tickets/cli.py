"""`flask tickets ...`: the help desk's jobs from the command line (until the scheduler runs
them) and the request register for the records. Each command calls an action as SYSTEM."""
import sys
import time

import click
from flask.cli import AppGroup

from app.core.actor import SYSTEM
from app.core.errors import DomainError
from app.core.timeutil import local_today
from app.tickets import actions, sla
from app.tickets import notify as _notify  # noqa: F401 - registers the outbox handlers

tickets_cli = AppGroup("tickets", help="Layanan permohonan informasi (help desk).")


def _fail(exc):
    for messages in getattr(exc, "errors", {"_": [exc.message]}).values():
        for message in messages:
            click.echo(str(message), err=True)
    raise SystemExit(1)


@tickets_cli.command("escalate")
def escalate():
    """Warn assignees and supervisors of tickets due soon or overdue (once a day each)."""
    counts = actions.escalate(SYSTEM)
    click.echo(f"Peringatan: {counts['due_soon']} segera jatuh tempo, "
               f"{counts['overdue']} terlambat.")


@tickets_cli.command("sla-recompute")
def sla_recompute():
    """Bring the stored SLA state of every ticket up to date."""
    started = time.perf_counter()
    changed = sla.recompute_all()
    seconds = time.perf_counter() - started
    click.echo(f"{changed} tiket berubah status SLA ({seconds:.2f} detik).")


@tickets_cli.command("purge-personal")
@click.option("--older-than", "days", type=int, required=True, metavar="HARI",
              help="Hapus identitas pemohon pada tiket yang ditutup lebih dari HARI hari lalu.")
def purge_personal(days):
    """Remove requesters' identity data past the retention period; statistics stay."""
    try:
        count = actions.personal_data_purge(SYSTEM, days)
    except DomainError as exc:
        _fail(exc)
    click.echo(f"Data pribadi dihapus dari {count} tiket.")


@tickets_cli.command("register")
@click.option("--year", type=int, default=None, help="Tahun permohonan; bawaan: tahun ini.")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "pdf"]), default="csv",
              show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, writable=True, allow_dash=True),
              required=True, help="Berkas tujuan ('-' untuk stdout).")
def register(year, fmt, output):
    """Write the request register of a year (it holds personal data: keep it safe)."""
    year = year or local_today().year
    try:
        export = actions.register_export(SYSTEM, year, fmt)
    except DomainError as exc:
        _fail(exc)
    if output == "-":
        sys.stdout.buffer.write(export.data)
        sys.stdout.buffer.flush()
        return
    with open(output, "wb") as fh:
        fh.write(export.data)
    click.echo(f"Register {year}: {export.rows} permohonan ditulis ke {output}.")
