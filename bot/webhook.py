"""Webhook mode: Telegram POSTs each update to /telegram/webhook (set up with
`flask bot set-webhook URL`).

The route refuses anything without Telegram's `X-Telegram-Bot-Api-Secret-Token` header equal
to TELEGRAM_WEBHOOK_SECRET (403, nothing processed); with no secret (or no token)
configured the webhook is off and the route answers 404. It is exempt from CSRF: Telegram
has no session, the secret header is its proof.

How an update is handled: the WSGI worker thread hands it to this process's BotThread
(bot/app.py), one Application initialized once and running on its own event loop in a
background thread, and waits for the handlers to finish (up to WAIT seconds) before
answering 200. One long-lived Application per process, not one per request, because the
Application owns things that must outlive a request: its HTTP connection pool, the rate
limiter's buckets, the flood throttle, the ConversationHandlers' states in memory. The wait
makes Telegram's delivery meaningful (a 200 means handled) without ever answering an error
for a handler's failure: those are answered to the citizen by bot.app.on_error, and a
redelivery would be dropped as a duplicate anyway.

Conversation state is kept in memory and written to the database after every update, but
read back only at start: serve the webhook from ONE process (e.g. a separate `gunicorn -w 1
--threads 8` for /telegram/webhook), or use polling (`flask bot run`).
"""
import atexit
import concurrent.futures
import logging
import secrets
import threading

from flask import Blueprint, abort, current_app, request

from app.extensions import csrf

log = logging.getLogger(__name__)

bp = Blueprint("telegram", __name__)
HEADER = "X-Telegram-Bot-Api-Secret-Token"
WAIT = 50  # seconds; Telegram gives up on a webhook call after about a minute

_lock = threading.Lock()
_bot = None  # this process's BotThread


def bot_thread(flask_app):
    """This process's running bot, started on first use."""
    global _bot
    with _lock:
        if _bot is None:
            from bot.app import BotThread, build_application

            _bot = BotThread(build_application(flask_app)).start()
            atexit.register(shutdown)
        return _bot


def shutdown():
    """Stop this process's bot (at exit, and after a test)."""
    global _bot
    with _lock:
        running, _bot = _bot, None
    if running is not None:
        running.stop()


@bp.route("/telegram/webhook", methods=["POST"])
@csrf.exempt
def webhook():
    secret = current_app.config.get("TELEGRAM_WEBHOOK_SECRET") or ""
    if not secret or not current_app.config.get("TELEGRAM_BOT_TOKEN"):
        abort(404)
    given = request.headers.get(HEADER, "")
    if not secrets.compare_digest(given.encode(), secret.encode()):
        abort(403)
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
        abort(400)
    try:
        bot_thread(current_app._get_current_object()).process(data, timeout=WAIT)
    except concurrent.futures.TimeoutError:
        log.warning("update %s still being handled after %ss", data["update_id"], WAIT)
    return "", 200
