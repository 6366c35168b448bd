"""`flask regions ...` and `flask demo ...`: CLI front ends of catalogue actions."""
import csv
import gzip
import io
from pathlib import Path

import click
from flask.cli import AppGroup

from app.catalog import actions
from app.core.actor import SYSTEM
from app.core.errors import DomainError

regions_cli = AppGroup("regions", help="Kode wilayah Kemendagri.")
demo_cli = AppGroup("demo", help="Data demo.")

SHIPPED = Path(__file__).resolve().parents[2] / "data" / "wilayah-kemendagri-2025.csv.gz"


def open_region_file(path):
    path = Path(path)
    raw = gzip.open(path, "rb") if path.suffix == ".gz" else open(path, "rb")  # noqa: SIM115
    # The caller's `with` closes the wrapper, which closes the raw file.
    return io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")


def _fail(exc):
    for messages in getattr(exc, "errors", {"_": [exc.message]}).values():
        for message in messages:
            click.echo(str(message), err=True)
    raise SystemExit(1)


@regions_cli.command("import")
@click.argument("path", required=False, type=click.Path(exists=True, dir_okay=False))
@click.option("--prefix", default=None, help="Hanya satu provinsi, mis. 32.")
def regions_import(path, prefix):
    """Load region codes from a CSV (kode,nama,tingkat); default: the shipped official list."""
    with open_region_file(path or SHIPPED) as fh:
        try:
            count = actions.region_import(SYSTEM, csv.DictReader(fh), prefix=prefix)
        except DomainError as exc:
            _fail(exc)
    click.echo(f"{count} kode wilayah ditulis.")


@demo_cli.command("load")
def demo_load():
    """Load the demo data (idempotent)."""
    from app import demo

    try:
        summary = demo.load()
    except DomainError as exc:
        _fail(exc)
    click.echo(summary)


reports_cli = AppGroup("reports", help="Laporan penggunaan data terbuka.")


@reports_cli.command("monthly")
@click.option("--month", "month", default=None, metavar="TTTT-BB",
              help="Bulan laporan, mis. 2026-10; bawaan: bulan lalu (WIB).")
def reports_monthly(month):
    """Generate (or regenerate) one month's usage report, PDF and HTML."""
    import re

    from app.catalog import stats

    if month is None:
        year, number = stats.previous_month()
    elif re.fullmatch(r"\d{4}-\d{2}", month):
        year, number = (int(part) for part in month.split("-"))
    else:
        raise click.BadParameter("gunakan format TTTT-BB, mis. 2026-10", param_hint="--month")
    try:
        report = actions.usage_report_generate(SYSTEM, year, number)
    except DomainError as exc:
        _fail(exc)
    click.echo(f"Laporan penggunaan {report.key} dibuat: /statistik/laporan/{report.key}.pdf "
               f"dan .html")


search_cli = AppGroup("search", help="Indeks pencarian katalog (Whoosh).")


@search_cli.command("reindex")
@click.option("--procs", default=1, show_default=True, help="Proses penulis indeks.")
@click.option("--limitmb", default=1024, show_default=True, help="Memori per proses (MB).")
def search_reindex(procs, limitmb):
    """Rebuild the index from the database into a new generation and swap it in."""
    import time

    from app.catalog import search_index

    started = time.monotonic()
    result = search_index.reindex(procs=procs, limitmb=limitmb)
    click.echo(f"{result['datasets']} dataset diindeks ke {result['generation']} dalam "
               f"{time.monotonic() - started:.1f} detik ({result['caught_up']} menyusul).")


@search_cli.command("check")
@click.option("--repair", is_flag=True, help="Perbaiki selisih yang ditemukan.")
def search_check(repair):
    """Report drift between the database's public catalogue and the index (exit 1 if any)."""
    from app.catalog import search_index

    found = search_index.repair() if repair else search_index.drift()
    click.echo(f"terbit di basis data: {found.published}, di indeks: {found.indexed}")
    for label, ids in (("hilang", found.missing), ("usang", found.stale),
                       ("berlebih", found.extra)):
        click.echo(f"{label}: {len(ids)}" + (f" ({', '.join(ids[:10])})" if ids else ""))
    if found.ok:
        click.echo("Indeks sesuai dengan basis data.")
    elif repair:
        click.echo("Selisih sudah diperbaiki.")
    else:
        raise SystemExit(1)


@search_cli.command("refresh-downloads")
def search_refresh_downloads():
    """Update the download totals the 'most downloaded' order uses (run periodically)."""
    from app.catalog import search_index

    click.echo(f"{search_index.refresh_downloads()} dataset diperbarui.")
