"""CLI for core services."""
import click
from flask.cli import AppGroup

outbox_cli = AppGroup("outbox", help="Pesan keluar (outbox).")


@outbox_cli.command("drain")
@click.option("--limit", default=100, show_default=True)
def outbox_drain(limit):
    """Deliver due outbox messages once."""
    from app.core import outbox

    counts = outbox.drain(limit=limit)
    click.echo(f"sent={counts['sent']} failed={counts['failed']}")
