"""The bot's Application: built once per process by `build_application(flask_app)`.

Every update passes, in this order (lower groups first; see bot/handlers/__init__.py):

    group -2  drop_duplicates   an update_id seen before (a retried webhook, a restart while
                                polling) is dropped: app.chats.actions.update_first_time
    group -1  guard             only private chats; the flood throttle; the chat registered
                                (bridge.as_chat, kept on `context.chat_view`); the consent
                                gate (the privacy notice until the citizen agrees)
    group  0  the handler modules, in bot.handlers.MODULES order, then the fallback for
              unknown commands

Errors are mapped once, in `on_error`: a DomainError raised by an action becomes its message
in the chat's language, Forbidden (the citizen blocked the bot) marks the chat inactive,
anything else is logged and the citizen told something went wrong.

Two ways to run it: `flask bot run` (polling, bot/cli.py) and the webhook route
(bot/webhook.py), which feeds a `BotThread`, the same Application on its own event loop in
a background thread. The tests use BotThread too.
"""
import asyncio
import contextlib
import logging
import threading
import time
from collections import deque

from telegram import Update
from telegram.constants import ChatType, ParseMode
from telegram.error import Forbidden, NetworkError, RetryAfter
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    BaseUpdateProcessor,
    Defaults,
    TypeHandler,
)

from bot import bridge
from bot.bridge import db
from bot.persistence import DbPersistence

log = logging.getLogger(__name__)

DUPLICATES_GROUP = -2
GUARD_GROUP = -1
# The flood throttle (per chat, in this process): more than FLOOD_LIMIT updates within
# FLOOD_WINDOW seconds and the chat gets one polite message, then is ignored until its rate
# falls back under the limit. Updates ignored still count, so a flood that goes on stays
# throttled. In memory: a restart forgets it, and each webhook worker keeps its own.
FLOOD_LIMIT = 20
FLOOD_WINDOW = 10.0
CONCURRENT_UPDATES = 256


class BotNotConfigured(RuntimeError):
    """TELEGRAM_BOT_TOKEN is not set."""


class BotApplication(Application):
    """An Application that writes its persistence after every update, not only every minute:
    a citizen's step in /minta survives even a crash. DbPersistence skips unchanged data, so
    an update that changed nothing costs no database call."""

    async def process_update(self, update):
        try:
            await super().process_update(update)
        finally:
            if self.persistence is not None and self.running:
                try:
                    await self.update_persistence()
                except Exception:  # noqa: BLE001 - the periodic run will try again
                    log.exception("could not write the bot's persistence")


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Updates of different chats are handled concurrently (up to CONCURRENT_UPDATES), those
    of one chat one after another, in the order they arrived: a citizen typing two answers
    of /minta quickly must not have the second handled before the first.

    An update waiting for its chat holds one of the concurrency slots; a chat sending
    hundreds at once is cut short by the flood throttle as its updates come up."""

    def __init__(self, max_concurrent_updates=CONCURRENT_UPDATES):
        super().__init__(max_concurrent_updates)
        self._chats = {}  # chat id -> [asyncio.Lock, updates waiting or running]

    async def do_process_update(self, update, coroutine):
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            await coroutine
            return
        entry = self._chats.setdefault(chat.id, [asyncio.Lock(), 0])
        entry[1] += 1
        try:
            async with entry[0]:
                await coroutine
        finally:
            entry[1] -= 1
            if not entry[1]:
                del self._chats[chat.id]

    async def initialize(self):
        """Nothing to set up."""

    async def shutdown(self):
        """Nothing to free."""


# ---------------------------------------------------------------- group -2: duplicates

def _first_time(update_id):
    from app.chats import actions
    from app.core.actor import SYSTEM

    return actions.update_first_time(SYSTEM, update_id)


async def drop_duplicates(update, context):
    if not await db(_first_time, update.update_id):
        log.info("duplicate update %s dropped", update.update_id)
        raise ApplicationHandlerStop


# ---------------------------------------------------------------- group -1: the guard

class FloodGuard:
    """The per-chat sliding window described at FLOOD_LIMIT."""

    OK, WARN, DROP = "ok", "warn", "drop"

    def __init__(self, limit=FLOOD_LIMIT, window=FLOOD_WINDOW, clock=time.monotonic):
        self.limit, self.window, self.clock = limit, window, clock
        self._times = {}     # chat id -> deque of update times within the window
        self._warned = set()

    def check(self, chat_id):
        now = self.clock()
        times = self._times.get(chat_id)
        if times is None:
            if len(self._times) > 10_000:
                self._forget_idle(now)
            times = self._times[chat_id] = deque()
        while times and times[0] <= now - self.window:
            times.popleft()
        times.append(now)
        if len(times) <= self.limit:
            self._warned.discard(chat_id)
            return self.OK
        if chat_id in self._warned:
            return self.DROP
        self._warned.add(chat_id)
        return self.WARN

    def _forget_idle(self, now):
        for chat_id, times in list(self._times.items()):
            if not times or times[-1] <= now - self.window:
                del self._times[chat_id]
                self._warned.discard(chat_id)


def _flood_text(chat_id, language_code):
    from flask_babel import gettext as _

    from app.chats.models import TelegramChat
    from app.extensions import db as sqla

    chat = sqla.session.get(TelegramChat, chat_id)
    language = chat.language if chat else ("en" if (language_code or "").startswith("en")
                                           else "id")
    with bridge.locale(language):
        return _("Terlalu banyak pesan. Mohon tunggu sebentar, lalu kirim lagi.")


async def guard(update, context):
    """Group -1: see the module docstring. Raises ApplicationHandlerStop to drop an update."""
    chat = update.effective_chat
    if update.my_chat_member is not None:
        await _member_changed(update)
        raise ApplicationHandlerStop
    if chat is None or chat.type != ChatType.PRIVATE:
        raise ApplicationHandlerStop  # a citizen's own chat only; groups are not served
    if update.message is None and update.callback_query is None:
        raise ApplicationHandlerStop  # edits, reactions...: nothing to answer
    verdict = _flood_guard(context).check(chat.id)
    if verdict == FloodGuard.DROP:
        raise ApplicationHandlerStop
    if verdict == FloodGuard.WARN:
        language = getattr(update.effective_user, "language_code", None)
        await context.bot.send_message(chat.id, await db(_flood_text, chat.id, language))
        raise ApplicationHandlerStop
    from bot.handlers import require_consent

    if await require_consent(update, context) is None:
        raise ApplicationHandlerStop


def _flood_guard(context):
    guard_ = getattr(context.application, "flood_guard", None)
    if guard_ is None:
        guard_ = context.application.flood_guard = FloodGuard()
    return guard_


async def _member_changed(update):
    """Telegram tells the bot when a citizen blocks it (status "kicked")."""
    member = update.my_chat_member
    if member.chat.type == ChatType.PRIVATE and member.new_chat_member.status == "kicked":
        await mark_blocked(member.chat.id)


# ---------------------------------------------------------------- errors

def _blocked(chat_id):
    from app.chats import actions
    from app.core.actor import SYSTEM

    actions.chat_blocked(SYSTEM, chat_id)


async def mark_blocked(chat_id):
    """The citizen blocked the bot: the chat becomes inactive (app.chats.actions.chat_blocked).
    Senders outside an update (notifications) call this on telegram.error.Forbidden."""
    await db(_blocked, chat_id)


def _error_text(chat_id, exc):
    from flask_babel import gettext as _

    from app.chats.models import TelegramChat
    from app.core.errors import DomainError
    from app.extensions import db as sqla
    from bot.texts import error_text

    chat = sqla.session.get(TelegramChat, chat_id)
    language = chat.language if chat else "id"
    if isinstance(exc, DomainError):
        return error_text(exc, language)
    with bridge.locale(language):
        return _("Terjadi kesalahan pada sistem. Silakan coba lagi.")


async def on_error(update, context):
    """The one place errors of handlers become replies (see the module docstring)."""
    from app.core.errors import DomainError

    error = context.error
    chat_id = None
    if isinstance(update, Update) and update.effective_chat is not None:
        chat_id = update.effective_chat.id
    if isinstance(error, Forbidden):
        if chat_id is not None:
            log.info("chat %s blocked the bot: %s", chat_id, error)
            await mark_blocked(chat_id)
        return
    if isinstance(error, NetworkError | RetryAfter):
        log.warning("Telegram unreachable while handling %s: %s", update, error)
        return
    if not isinstance(error, DomainError):
        log.error("error while handling an update", exc_info=error)
    if chat_id is None:
        return
    if update.callback_query is not None:
        # the button stops spinning; it may have been answered already
        with contextlib.suppress(Exception):
            await update.callback_query.answer()
    try:
        await context.bot.send_message(chat_id, await db(_error_text, chat_id, error))
    except Forbidden:
        await mark_blocked(chat_id)
    except Exception:  # noqa: BLE001 - nothing more to tell anyone
        log.exception("could not report an error to chat %s", chat_id)


# ---------------------------------------------------------------- building

def _setting(flask_app, key, default):
    value = flask_app.config.get(key)
    return default if value in (None, "") else value


def build_application(flask_app, token=None, base_url=None, file_base_url=None):
    """The bot for `flask_app`, with every handler module registered. Not yet initialized:
    `run_polling()` does that, or BotThread.

    Settings (app config): TELEGRAM_BOT_TOKEN, TELEGRAM_API_BASE_URL, TELEGRAM_FILE_BASE_URL;
    optional TELEGRAM_OVERALL_RATE (messages per second for AIORateLimiter, default 30,
    0 turns the overall limit off, e.g. against a local fake) and TELEGRAM_FLOOD_LIMIT.

    :raises BotNotConfigured: no token
    """
    from bot import handlers

    token = token or flask_app.config.get("TELEGRAM_BOT_TOKEN")
    if not token:
        raise BotNotConfigured("TELEGRAM_BOT_TOKEN is not set: the bot is off.")
    bridge.bind(flask_app)
    rate = float(_setting(flask_app, "TELEGRAM_OVERALL_RATE", 30))
    application = (
        ApplicationBuilder()
        .application_class(BotApplication)
        .token(token)
        .base_url(base_url or _setting(flask_app, "TELEGRAM_API_BASE_URL",
                                       "https://api.telegram.org/bot"))
        .base_file_url(file_base_url or _setting(flask_app, "TELEGRAM_FILE_BASE_URL",
                                                 "https://api.telegram.org/file/bot"))
        .rate_limiter(AIORateLimiter(overall_max_rate=rate, max_retries=3))
        .persistence(DbPersistence())
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        .concurrent_updates(PerChatUpdateProcessor())
        .post_init(set_commands)
        .build()
    )
    application.flood_guard = FloodGuard(
        limit=int(_setting(flask_app, "TELEGRAM_FLOOD_LIMIT", FLOOD_LIMIT)))
    application.add_handler(TypeHandler(Update, drop_duplicates), group=DUPLICATES_GROUP)
    application.add_handler(TypeHandler(Update, guard), group=GUARD_GROUP)
    handlers.register_all(application)
    application.add_error_handler(on_error)
    return application


def _command_lists():
    from bot.handlers import command_descriptions

    out = {}
    for language in ("id", "en"):
        with bridge.locale(language):
            out[language] = [(name, str(text)) for name, text in command_descriptions()]
    return out


async def set_commands(application):
    """The command menu of Telegram clients, in Indonesian and English."""
    lists = await db(_command_lists)
    await application.bot.set_my_commands(lists["id"])
    await application.bot.set_my_commands(lists["en"], language_code="en")


# ---------------------------------------------------------------- a bot on its own thread

class BotThread:
    """An initialized and started Application on its own event loop in a daemon thread.

    The webhook route (a WSGI worker thread) and the tests (plain synchronous code) hand it
    updates with `process(update_json)`, which waits until every handler ran. The loop keeps
    the Application's HTTP connections, rate limiter, conversations and job queue alive
    between requests, as `run_polling` does in `flask bot run`.
    """

    def __init__(self, application):
        self.application = application
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True,
                                        name="telegram-bot")

    def start(self, timeout=30):
        self._thread.start()
        self.run(self._start(), timeout)
        return self

    async def _start(self):
        await self.application.initialize()
        await set_commands(self.application)
        await self.application.start()

    def submit(self, coro):
        """Schedule a coroutine on the bot's loop; a concurrent.futures.Future."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop)

    def run(self, coro, timeout=None):
        """Run a coroutine on the bot's loop and wait for its result."""
        return self.submit(coro).result(timeout)

    def to_update(self, data):
        """Telegram's JSON (a dict) as an Update of this bot; an Update as it is."""
        return data if isinstance(data, Update) else Update.de_json(data, self.application.bot)

    def handle(self, data):
        """Schedule one update (Telegram's JSON as a dict, or an Update) as polling does:
        through the update processor, so a chat's updates keep their order. A Future."""
        update = self.to_update(data)
        application = self.application
        return self.submit(application.update_processor.process_update(
            update, application.process_update(update)))

    def process(self, data, timeout=60):
        """Handle one update and wait till every handler ran."""
        return self.handle(data).result(timeout)

    def stop(self, timeout=30):
        if not self._thread.is_alive():
            return
        try:
            self.run(self._stop(), timeout)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(timeout)
            self.loop.close()

    async def _stop(self):
        updater = self.application.updater
        if updater is not None and updater.running:
            await updater.stop()
        if self.application.running:
            await self.application.stop()
        await self.application.shutdown()
        await self.loop.shutdown_default_executor()  # the bridge's worker threads
