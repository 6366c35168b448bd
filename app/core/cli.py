"""CLI for core services."""
import click
from flask.cli import AppGroup

outbox_cli = AppGroup("outbox", help="Pesan keluar (outbox).")


@outbox_cli.command("drain")
@click.option("--limit", default=100, show_default=True)
@click.option("--loop", is_flag=True, help="Keep draining until stopped (a worker process).")
@click.option("--interval", default=2.0, show_default=True, help="Seconds between rounds.")
def outbox_drain(limit, loop, interval):
    """Deliver due outbox messages once (or, with --loop, until stopped)."""
    import time

    from app.core import outbox
    from app.extensions import db

    while True:
        counts = outbox.drain(limit=limit)
        if not loop or counts["sent"] or counts["failed"]:
            click.echo(f"sent={counts['sent']} failed={counts['failed']}")
        if not loop:
            return
        db.session.remove()  # a fresh session (and snapshot) each round
        time.sleep(interval if counts["sent"] + counts["failed"] < limit else 0)
