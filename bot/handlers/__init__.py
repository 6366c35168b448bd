"""The bot's handlers, one module per feature, each with `register(application)`.

Handler groups and order (python-telegram-bot runs, per update, the first matching handler
of each group, lowest group first; ApplicationHandlerStop ends the update):

    -2  bot.app.drop_duplicates     duplicate update_id → dropped
    -1  bot.app.guard               private chats only, flood throttle, chat registered
                                    (`context.chat_view`), consent gate (require_consent)
     0  the MODULES below, registered in this order, then `misc.register_fallbacks`
        (unknown commands). Within group 0 the first match wins, so:
          - start, misc: /start, /bantuan, /bahasa, /statistik, /faq and the core: buttons;
          - requests, survey: their ConversationHandlers and the "reply to a ticket
            message" handler come BEFORE search, so text typed inside a conversation or
            as a reply reaches them;
          - search: /cari and the catch-all for plain text (filters.TEXT & ~filters.COMMAND)
            comes last of the feature modules.
     1+ free for handlers that must run in addition to the one of group 0 (rarely needed).

A feature module is missing until its helper writes it: register_all skips a module that
does not exist, so the bot runs with whatever is there.

Conventions for handler modules:
- Callback data starts with the module's prefix: "core:" (start, misc), "cari:", "minta:",
  "tiket:", "survei:". Keep it under 64 bytes.
- By group 0 every update comes from a private chat whose citizen consented (except /start,
  /bantuan, /bahasa and "core:" buttons): `chat = await as_chat(update, context)` returns the
  cached ChatView without another database call.
- Database work and texts go through `await db(fn, ...)` (bot/bridge.py); messages are HTML
  (the Application's default parse_mode), so escape user and database text with texts.esc.
- Let DomainErrors (NotAuthorized, NotFound, ValidationError) propagate when the reply is
  simply their message: bot.app.on_error answers with it in the chat's language. Catch them
  where the conversation must go on (ask again with the reason).
"""
import importlib
import logging

from flask_babel import lazy_gettext as _l

from bot.bridge import as_chat

log = logging.getLogger(__name__)

MODULES = ["bot.handlers.start", "bot.handlers.misc", "bot.handlers.requests",
           "bot.handlers.survey", "bot.handlers.search"]

# Commands a citizen may use before accepting the privacy notice.
OPEN_COMMANDS = ("start", "bantuan", "bahasa", "help")
CORE_PREFIX = "core:"


def command_descriptions():
    """(command, lazy description) for the Telegram command menu and /bantuan."""
    return [
        ("cari", _l("Cari dataset, mis. /cari penduduk kecamatan")),
        ("minta", _l("Ajukan permohonan data")),
        ("status", _l("Status permohonan, mis. /status PD-2026-000012")),
        ("tiket", _l("Daftar permohonan Anda")),
        ("survei", _l("Nilai layanan atas permohonan yang sudah dijawab")),
        ("faq", _l("Cari jawaban di pusat bantuan, mis. /faq unduh data")),
        ("statistik", _l("Angka utama portal")),
        ("bahasa", _l("Ganti bahasa (Indonesia/English)")),
        ("batal", _l("Batalkan langkah yang sedang berjalan")),
        ("bantuan", _l("Penjelasan semua perintah")),
        ("start", _l("Mulai, pemberitahuan privasi, tautkan akun")),
    ]


def register_all(application):
    """Register every handler module that exists, in MODULES order, then the fallbacks."""
    for name in MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:  # the module exists but something it imports does not
                raise
            log.info("bot handler module %s not present: skipped", name)
            continue
        module.register(application)
    from bot.handlers import misc

    misc.register_fallbacks(application)


def command_of(update):
    """The command of a message ("cari" for "/cari@MejaDataBot kata"), or None."""
    message = update.effective_message
    text = (message.text or "") if message is not None else ""
    if not text.startswith("/"):
        return None
    return text.split(maxsplit=1)[0][1:].split("@", 1)[0].lower()


async def require_consent(update, context):
    """The chat's ChatView once its citizen accepted the privacy notice; otherwise the notice
    is sent (again) and None returned. /start, /bantuan, /bahasa and "core:" buttons pass
    without consent. The guard (group -1) calls this for every update, so handlers rarely
    need to; it is here for code that handles updates outside that path."""
    chat = await as_chat(update, context)
    if chat.consented:
        return chat
    query = update.callback_query
    if query is not None and (query.data or "").startswith(CORE_PREFIX):
        return chat
    if command_of(update) in OPEN_COMMANDS:
        return chat
    from bot.handlers.start import send_notice

    if query is not None:
        await query.answer()
    await send_notice(update, context, chat, again=True)
    return None
