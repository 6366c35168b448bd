"""Telegram notifications to citizens, delivered from the outbox.

The help desk's event handler (app/tickets/notify.py) calls `requester_telegram` for each step
of a ticket that the requester must hear of. It enqueues one "telegram.send" message per chat
of that requester: the chat the ticket was filed from (ticket.telegram_chat_id) and every
active chat linked to the requester's account, so a web account linked to the bot hears of
its web requests too. A chat the bot has never seen gets nothing: Telegram lets a bot write
only to people who started it.

The payload holds ids only (ticket, event, chat). The text is written at delivery time, in
the chat's language, from what the ticket is then: number, status, due date, what to do next
and the ticket's address. Unlike an e-mail it also quotes the officer's question or answer:
the chat is the requester's own (Telegram vouches for it), and a citizen who only uses the bot
has no web login to read it anywhere else.

Delivery (`deliver`):

- Exactly once. Each Telegram message of a notification (the text, then one per attached
  file) has its own key; it is recorded in SentMessage right after Telegram accepts it, with
  its message_id, so a retry after a crash or an outage skips what already went out, and a
  citizen's reply to any of them lands on the ticket.
- A chat that blocked the bot (403) is marked inactive and the message is done, not retried.
  A chat that became inactive before delivery is skipped quietly.
- Flood control (429 RetryAfter): the message is raised back to the outbox, which retries
  it with its backoff; until Telegram's retry_after has passed, this process sends nothing
  (a drain of 100 messages does not hammer the API 99 more times). Other network errors are
  raised and retried the same way.
- No TELEGRAM_BOT_TOKEN: the message is raised back too (and logged), so it waits for a token
  configured later rather than being marked done unsent. Like any failing message it is
  marked dead after the outbox's MAX_ATTEMPTS (about an hour of backoff), kept with its error.
- Pacing: Telegram allows about one message per second to one chat. The handler remembers,
  per chat and per process, when it last sent, and sleeps until PER_CHAT_INTERVAL has passed
  before the next message to that chat (an answer with files, or several events due at
  once); TELEGRAM_CHAT_INTERVAL (optional config) changes the second. One drainer per
  database is assumed (the scheduler's lock); drainers in two processes keep separate paces.

Files of the answer: public attachments of the answering message up to 20 MB go as documents
(sendDocument); larger ones, and linked datasets, go as links to the portal.

This module must be imported at start-up (its handler registers itself).
"""
import asyncio
import hashlib
import html
import logging
import threading
import time
import warnings
from dataclasses import dataclass

import telegram
from flask import current_app
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from sqlalchemy import or_
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, RetryAfter
from telegram.request import HTTPXRequest
from telegram.warnings import PTBDeprecationWarning

from app.catalog import auth as catalog_auth
from app.chats import actions
from app.chats.models import TelegramChat
from app.core import outbox, storage
from app.core.actor import ANONYMOUS, SYSTEM
from app.extensions import db
from app.tickets import labels, sla
from app.tickets.models import Channel, Kind, MessageKind, State, Ticket

log = logging.getLogger(__name__)

TOPIC = "telegram.send"
EVENTS = ("received", "clarification", "replied", "extended", "answered", "closed", "merged",
          "objection_decided", "overdue")
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024   # what the bot sends as a file; larger: a link
MAX_QUOTE = 1500                        # characters of an officer's text
MAX_TEXT = 4000                         # of a message (Telegram: 4096 after parsing)
MAX_DATASETS = 10
PER_CHAT_INTERVAL = 1.0                 # seconds between two messages to one chat
KEY_LIMIT = 120                         # the outbox key column
TICKET_PATH = "/permohonan/{number}"
ATTACHMENT_PATH = "/permohonan/{number}/lampiran/{id}"
DATASET_PATH = "/dataset/{name}"


class TelegramNotConfigured(RuntimeError):
    """No bot token: messages wait in the outbox."""


class FloodWait(RuntimeError):
    """Telegram asked us to wait (429); nothing is sent before then."""


# ---------------------------------------------------------------- enqueue (help-desk hook)

def requester_telegram(ticket, event, key):
    """Enqueue one "telegram.send" message per chat of the ticket's requester.

    `key` is the event's outbox key; the message's key adds the chat, so a retried event
    enqueues nothing twice. Returns None (the hook records nothing else).
    """
    if event not in EVENTS:
        return None
    if event == "received" and ticket.channel == Channel.TELEGRAM:
        return None  # the bot confirmed the number in the conversation already
    for chat_id in recipient_chats(ticket):
        outbox.enqueue(TOPIC, key=message_key(key, chat_id), ticket_id=ticket.id, event=event,
                       chat_id=chat_id)
    return None


def recipient_chats(ticket):
    """Chat ids of the active chats that belong to the ticket's requester."""
    match = []
    if ticket.telegram_chat_id:
        match.append(TelegramChat.chat_id == ticket.telegram_chat_id)
    if ticket.requester_id:
        match.append(TelegramChat.user_id == ticket.requester_id)
    if not match:
        return []
    rows = (TelegramChat.query.filter(TelegramChat.active.is_(True), or_(*match))
            .order_by(TelegramChat.chat_id).all())
    return [row.chat_id for row in rows]


def message_key(event_key, chat_id):
    key = f"{event_key}:tg:{chat_id}"
    if len(key) > KEY_LIMIT:
        key = f"{TOPIC}:{hashlib.sha256(key.encode()).hexdigest()}"
    return key


# ---------------------------------------------------------------- deliver one notification

@dataclass
class Part:
    """One Telegram message of a notification: a text, or a document."""

    key: str
    text: str = ""
    attachment: object = None      # a TicketAttachment, for a document
    buttons: tuple = ()            # (label, callback data) of inline buttons under a text


@outbox.handler(TOPIC)
def deliver(payload, key):
    """Send what is not yet sent of one notification. Raises to have the outbox retry."""
    chat = db.session.get(TelegramChat, int(payload.get("chat_id") or 0))
    ticket = db.session.get(Ticket, int(payload.get("ticket_id") or 0))
    event = payload.get("event")
    if chat is None or ticket is None or not chat.active or _stale(ticket, event):
        return
    with force_locale(chat.language or "id"):
        parts = compose(ticket, event, key)
    parts = [p for p in parts if not actions.already_sent(p.key)]
    if not parts:
        return
    token = current_app.config.get("TELEGRAM_BOT_TOKEN")
    if not token:
        log.warning("TELEGRAM_BOT_TOKEN is not set: Telegram message %s waits in the outbox",
                    key)
        raise TelegramNotConfigured("TELEGRAM_BOT_TOKEN is not set; the message waits")
    _send_parts(token, chat.chat_id, ticket.id, parts)


def _stale(ticket, event):
    # An apology for lateness that arrives after the answer would only confuse.
    return event == "overdue" and not ticket.is_open


def _send_parts(token, chat_id, ticket_id, parts):
    cfg = current_app.config
    request, updates_request = HTTPXRequest(), HTTPXRequest()
    bot = telegram.Bot(token, base_url=cfg["TELEGRAM_API_BASE_URL"],
                       base_file_url=cfg["TELEGRAM_FILE_BASE_URL"], request=request,
                       get_updates_request=updates_request)
    # One private event loop for this delivery (the drain is synchronous); the database is
    # only touched between its runs, never on the loop.
    with asyncio.Runner() as runner:
        try:
            for part in parts:
                document = _read(part.attachment) if part.attachment is not None else None
                _pace(chat_id)
                try:
                    message = runner.run(_send(bot, chat_id, part, document))
                except RetryAfter as exc:
                    _flood(_seconds(exc))
                    raise
                except Forbidden:
                    actions.chat_blocked(SYSTEM, chat_id)
                    return
                except BadRequest as exc:
                    if "chat not found" not in str(exc).lower():
                        raise
                    actions.chat_blocked(SYSTEM, chat_id)   # the account is gone
                    return
                actions.sent_record(SYSTEM, part.key, chat_id, message.message_id, ticket_id)
        finally:
            runner.run(_close(request, updates_request))


async def _send(bot, chat_id, part, document):
    if document is not None:
        att = part.attachment
        return await bot.send_document(chat_id, document=document, filename=att.filename,
                                       caption=part.text or None, parse_mode=ParseMode.HTML)
    markup = telegram.InlineKeyboardMarkup(
        [[telegram.InlineKeyboardButton(label, callback_data=data)] for label, data in
         part.buttons]) if part.buttons else None
    return await bot.send_message(chat_id, part.text, parse_mode=ParseMode.HTML,
                                  reply_markup=markup,
                                  link_preview_options=telegram.LinkPreviewOptions(
                                      is_disabled=True))


async def _close(*requests):
    await asyncio.gather(*(r.shutdown() for r in requests))


def _read(att):
    with storage.from_app().open(att.storage_key) as fh:
        return fh.read()


# ---------------------------------------------------------------- pacing and flood control

_lock = threading.Lock()
_last_sent = {}             # chat id -> clock() of the last message sent to it
_flood_until = [0.0]        # clock() before which Telegram asked us not to send
_clock, _sleep = time.monotonic, time.sleep  # tests replace them with a fake clock


def _pace(chat_id):
    """Wait for Telegram's per-chat limit; refuse at once while a flood wait runs."""
    with _lock:
        now = _clock()
        if now < _flood_until[0]:
            raise FloodWait(f"Telegram asked to wait {_flood_until[0] - now:.0f} s more")
        interval = current_app.config.get("TELEGRAM_CHAT_INTERVAL", PER_CHAT_INTERVAL)
        wait = _last_sent.get(chat_id, float("-inf")) + interval - now
        if wait > 0:
            _sleep(wait)
        _last_sent[chat_id] = _clock()


def _seconds(exc):
    # PTB 22 warns that retry_after becomes a timedelta; accept either, without the warning.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value.total_seconds() if hasattr(value, "total_seconds") else float(value)


def _flood(seconds):
    with _lock:
        _flood_until[0] = max(_flood_until[0], _clock() + seconds)
    log.warning("Telegram flood control: nothing sent for %.0f s", seconds)


def reset_pacing():
    """Forget pacing and flood waits (a new process starts so; tests use it)."""
    with _lock:
        _last_sent.clear()
        _flood_until[0] = 0.0


# ---------------------------------------------------------------- the texts

def compose(ticket, event, key):
    """The Telegram messages of one notification, in the current locale."""
    number = ticket.number
    lines = [f"<b>{_e(_headline(ticket, event))}</b>", "", _e(_next_step(ticket, event))]
    quote = _quote(ticket, event)
    if quote:
        lines += ["", f"<i>{_e(quote[0])}</i>", f"<blockquote>{_e(_cut(quote[1]))}</blockquote>"]
    lines += ["", _field(_("Nomor registrasi"), f"<code>{_e(number)}</code>"),
              _field(_("Jenis"), _e(labels.label("kind", ticket.kind))),
              _field(_("Status"), _e(labels.status_label(ticket.status)))]
    if ticket.is_open:
        lines.append(_field(_("Tenggat jawaban"), _e(_date(ticket.due_on))))
    if event == "answered" and ticket.exemption:
        lines.append(_field(_("Dasar pengecualian"),
                            _e(labels.label("exemption", ticket.exemption))))
    if event == "answered" and ticket.redirect_agency:
        lines.append(_field(_("Informasi dikuasai oleh"), _e(ticket.redirect_agency)))
    documents, links = _files(ticket, event)
    if documents:
        lines += ["", _e(_("Berkas jawaban dikirim di bawah pesan ini."))]
    url = site_url(TICKET_PATH.format(number=number))
    tail = ["", f"{_e(_('Tautan'))}: <a href=\"{_e(url)}\">{_e(url)}</a>",
            _e(_("Ketik /status %(number)s untuk melihat perkembangannya di sini.",
                 number=number))]
    lists = [(_("Unduh di portal:"), links), (_("Dataset terkait:"), _datasets(ticket, event))]
    lines += _link_lists(lists, MAX_TEXT - len("\n".join(lines + tail)))
    parts = [Part(key=key, text="\n".join(lines + tail), buttons=_survey_button(ticket, event))]
    for att in documents:
        parts.append(Part(key=f"{key}:doc:{att.id}", attachment=att,
                          text=f"{_e(number)} · {_e(att.filename)}"))
    return parts


def _survey_button(ticket, event):
    """The answer invites a rating: the bot's survey starts from this button (sv:<id>)."""
    if event in ("answered", "objection_decided") and ticket.survey is None:
        return ((str(_("Nilai layanan kami (1 menit)")), f"sv:{ticket.id}"),)
    return ()


def _link_lists(lists, room):
    """Lines of the titled link lists that fit in `room` characters; what does not fit is
    left to the ticket's page (a message longer than Telegram's limit would never go)."""
    out, left_out = [], 0
    for title, items in lists:
        if not items:
            continue
        block = ["", _e(title)]
        for name, url in items:
            line = f"• <a href=\"{_e(url)}\">{_e(name)}</a>"
            if len("\n".join(out + block + [line])) + 80 > room:
                left_out += 1
                continue
            block.append(line)
        if len(block) > 2:
            out += block
    if left_out:
        out += ["", _e(_("%(n)s tautan lainnya ada di halaman permohonan.", n=left_out))]
    return out


def _headline(ticket, event):
    kind = labels.label("kind", ticket.kind)
    headlines = {
        "received": _("%(kind)s Anda telah kami terima", kind=kind),
        "clarification": _("Petugas meminta klarifikasi"),
        "replied": _("Pesan baru dari petugas"),
        "extended": _("Jangka waktu jawaban diperpanjang"),
        "answered": _("Permohonan Anda telah dijawab"),
        "closed": _("Permohonan Anda ditutup"),
        "merged": _("Permohonan Anda digabung"),
        "objection_decided": _("Keberatan Anda telah diputus"),
        "overdue": _("Mohon maaf, jawaban kami terlambat"),
    }
    return headlines.get(event) or labels.status_label(ticket.status)


def _next_step(ticket, event):
    due = _date(ticket.due_on)
    if event == "received":
        return _("Simpan nomor registrasi ini. Kami menjawab paling lambat %(due)s (hari "
                 "kerja, sesuai UU 14/2008) dan mengabari Anda di sini.", due=due)
    if event == "clarification":
        return _("Petugas membutuhkan keterangan tambahan. Balas pesan ini untuk menjawab "
                 "klarifikasi; foto atau dokumen juga boleh. Jangka waktu layanan berhenti "
                 "sementara sampai Anda menjawab.")
    if event == "replied":
        return _("Petugas mengirim pesan baru. Balas pesan ini bila Anda ingin menanggapi.")
    if event == "extended":
        return _("Jangka waktu jawaban diperpanjang sampai %(due)s. Anda tidak perlu "
                 "melakukan apa pun.", due=due)
    if event == "merged":
        target = ticket.merged_into.number if ticket.merged_into else "–"
        return _("Permohonan ini digabung dengan permohonan %(number)s; jawabannya diberikan "
                 "di sana.", number=target)
    if event == "objection_decided":
        return _("Atasan PPID telah memutus keberatan Anda: %(decision)s. Jika Anda tidak puas, "
                 "Anda dapat mengajukan sengketa informasi ke Komisi Informasi paling lambat "
                 "14 hari kerja sejak menerima putusan ini.",
                 decision=labels.label("decision", ticket.decision))
    if event == "overdue":
        return _("Permohonan Anda belum kami jawab sampai tenggat %(due)s. Kami mohon maaf; "
                 "petugas sedang menyelesaikannya dan akan mengabari Anda di sini. Anda berhak "
                 "mengajukan keberatan atas keterlambatan ini (UU 14/2008 Pasal 35).", due=due)
    if event == "closed":
        return _("Permohonan ini sudah selesai; tidak ada lagi yang perlu Anda lakukan.")
    return _answered_step(ticket)


def _answered_step(ticket):
    text = _("Baca jawabannya di bawah ini. Mohon luangkan waktu mengisi survei kepuasan.")
    if ticket.kind == Kind.DATA_REQUEST and ticket.status in State.REQUEST_OUTCOMES:
        text += " " + _("Jika Anda tidak puas dengan jawaban ini, Anda dapat mengajukan "
                        "keberatan paling lambat %(last)s.",
                        last=_date(sla.objection_deadline(ticket)))
    return text


def _quote(ticket, event):
    """(label, text) of the officer's words this notification is about, or None."""
    if event in ("clarification", "replied"):
        msg = _last_reply(ticket)
        return (_("Pesan petugas:"), msg.body) if msg else None
    if event == "extended" and ticket.extension_reason:
        return _("Alasan perpanjangan:"), ticket.extension_reason
    if event in ("answered", "objection_decided") and ticket.answer:
        return _("Jawaban:"), ticket.answer
    return None


def _last_reply(ticket):
    replies = [m for m in ticket.messages if m.kind == MessageKind.REPLY]
    return replies[-1] if replies else None


def _answer_message(ticket):
    """The message that carried the answer (a refusal by the custodian has none)."""
    for msg in reversed(ticket.messages):
        if msg.kind == MessageKind.REPLY and ticket.answer and msg.body == ticket.answer:
            return msg
    return None


def _files(ticket, event):
    """(attachments to send as documents, [(name, url)] of larger ones) of the answer."""
    if event not in ("answered", "objection_decided"):
        return [], []
    msg = _answer_message(ticket)
    public = [a for a in (msg.attachments if msg else []) if a.visibility == "public"]
    public.sort(key=lambda a: a.id)
    documents = [a for a in public if a.size <= MAX_DOCUMENT_BYTES]
    links = [(a.filename, site_url(ATTACHMENT_PATH.format(number=ticket.number, id=a.id)))
             for a in public if a.size > MAX_DOCUMENT_BYTES]
    return documents, links


def _datasets(ticket, event):
    """[(title, url)] of the linked datasets the requester may open."""
    if event != "answered":
        return []
    actor = ticket.requester if ticket.requester is not None else ANONYMOUS
    found = [ds for ds in ticket.datasets if catalog_auth.dataset_read(actor, ds)]
    return [(ds.title, site_url(DATASET_PATH.format(name=ds.name)))
            for ds in found[:MAX_DATASETS]]


def site_url(path):
    return current_app.config["SITE_URL"].rstrip("/") + path


def _date(day):
    return format_date(day, "d MMMM yyyy") if day else "–"


def _field(label, value_html):
    # Not an f-string around _(): Babel would not extract the label.
    return f"{_e(label)}: {value_html}"


def _cut(text):
    text = (text or "").strip()
    return text if len(text) <= MAX_QUOTE else text[:MAX_QUOTE].rstrip() + "…"


def _e(value):
    return html.escape(str(value), quote=True)
