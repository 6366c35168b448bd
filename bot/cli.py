"""`flask bot run` (polling), `flask bot set-webhook URL`, `flask bot delete-webhook`."""
import asyncio
import logging

import click
from flask import current_app
from flask.cli import AppGroup
from telegram import Bot, Update

bot_cli = AppGroup("bot", help="The Telegram bot.")

NO_TOKEN = "TELEGRAM_BOT_TOKEN is not set: the bot is off. Set it (from @BotFather) to run it."


def _token():
    token = current_app.config.get("TELEGRAM_BOT_TOKEN")
    if not token:
        raise click.ClickException(NO_TOKEN)
    return token


def _bot():
    cfg = current_app.config
    return Bot(_token(), base_url=cfg.get("TELEGRAM_API_BASE_URL") or
               "https://api.telegram.org/bot",
               base_file_url=cfg.get("TELEGRAM_FILE_BASE_URL") or
               "https://api.telegram.org/file/bot")


@bot_cli.command("run")
def run():
    """Run the bot in polling mode (no public address needed) until Ctrl-C."""
    from bot.app import build_application

    _token()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per getUpdates otherwise
    from app.chats.actions import updates_forget
    from app.core.actor import SYSTEM

    updates_forget(SYSTEM)  # the duplicate check needs only the last hours' update ids
    application = build_application(current_app._get_current_object())
    click.echo("Telegram bot running (polling). Ctrl-C stops it.")
    # Pending updates are kept: a citizen's message sent while the bot was down is answered.
    application.run_polling(drop_pending_updates=False, allowed_updates=Update.ALL_TYPES)


async def _set_webhook(url, secret):
    async with _bot() as bot:
        return await bot.set_webhook(url, secret_token=secret,
                                     allowed_updates=Update.ALL_TYPES,
                                     drop_pending_updates=False)


async def _delete_webhook():
    async with _bot() as bot:
        return await bot.delete_webhook(drop_pending_updates=False)


@bot_cli.command("set-webhook")
@click.argument("url")
def set_webhook(url):
    """Have Telegram POST updates to URL (https://<host>/telegram/webhook) with the secret."""
    _token()
    secret = current_app.config.get("TELEGRAM_WEBHOOK_SECRET")
    if not secret:
        raise click.ClickException(
            "TELEGRAM_WEBHOOK_SECRET is not set: the webhook route would refuse every "
            "update. Set it (1-256 characters A-Z a-z 0-9 _ -) first.")
    if not url.startswith("https://"):
        click.echo("Warning: Telegram only delivers to https:// addresses.", err=True)
    asyncio.run(_set_webhook(url, secret))
    click.echo(f"Webhook set: {url}")


@bot_cli.command("delete-webhook")
def delete_webhook():
    """Stop webhook delivery (needed before polling elsewhere)."""
    _token()
    asyncio.run(_delete_webhook())
    click.echo("Webhook deleted.")
