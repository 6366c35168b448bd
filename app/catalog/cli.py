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
