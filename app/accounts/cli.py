"""`flask users ...`: the CLI front end of the account actions."""
import click
from flask.cli import AppGroup

from app.accounts import actions
from app.core.actor import SYSTEM
from app.core.errors import DomainError

users_cli = AppGroup("users", help="Kelola pengguna.")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", default=None, help="Nama lengkap (default: bagian depan e-mail).")
@click.option("--role", "roles", multiple=True, required=True,
              help="Peran; boleh diulang: admin, walidata, produsen, helpdesk, ppid, "
                   "ppid_atasan, pimpinan, pemohon.")
@click.option("--org", "orgs", multiple=True, help="Nama singkat organisasi; boleh diulang.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def users_create(email, name, roles, orgs, password):
    """Create a user."""
    data = {"email": email, "name": name or email.split("@")[0], "roles": list(roles),
            "organisations": list(orgs), "password": password}
    try:
        user = actions.user_create(SYSTEM, data)
    except DomainError as exc:
        errors = getattr(exc, "errors", {"_": [exc.message]})
        for field, messages in errors.items():
            for message in messages:
                click.echo(f"{field}: {message}", err=True)
        raise SystemExit(1) from None
    click.echo(f"Pengguna {user.email} dibuat dengan peran {', '.join(sorted(user.roles))}.")
