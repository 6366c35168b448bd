"""/minta (a guided data request), /status, /tiket, and replies to a ticket's messages.

/minta asks one thing at a time: what data (a title, then the details), the purpose, the
format (buttons), then the identity the law requires (UU 14/2008 Pasal 22 (3): name and
address; Perki 1/2021: the identity card):

- a chat not linked to a web account (a shadow account): full name, NIK (checked by
  app.tickets.identity, asked again with the reason), address, and optionally a phone
  number or e-mail (the chat itself is the channel: telegram_chat_id is contact enough);
- a linked chat: name and e-mail come from the web account, NIK and address from the
  account's latest request (app.tickets.actions.requester_identity_latest, which logs the
  read); only what is missing is asked.

A summary follows with "Kirim", "Ubah" (pick a field, answer it again) and "Batal"; /batal
leaves at any step. Consent: the privacy notice accepted at /start (the guard lets no one
this far without it). Submitting calls app.tickets.actions.request_submit as the chat's
citizen, with channel and delivery "telegram", the chat id, and a submission key made when
the draft started, so a retried update or a double tap files one ticket. The receipt
(number, check code, due date) is sent at once and recorded with
app.chats.actions.sent_record, so a reply to it lands on the ticket.

Entry points: /minta, and the button "m:<dataset name>" of the search's restricted datasets
("minta akses"): the draft starts with subject "Akses data <title>" and that dataset linked.

The draft lives in chat_data["minta"] and the step in the persistent ConversationHandler
"minta": both are in the database after every update (bot.persistence), so a citizen
halfway through continues after a restart. The NIK in the draft is encrypted like the
ticket's own (app.tickets.identity.encrypt). An idle draft ends after
TELEGRAM_CONVERSATION_TIMEOUT seconds (15 minutes by default) with a polite message
(IdleConversation, below).

/status <number> and /tiket show the chat's own tickets (app.tickets.actions.get_ticket and
my_tickets: someone else's number is "not found", exactly like an unknown one), each message
recorded with sent_record. A message that replies to a bot message about a ticket becomes
app.tickets.actions.requester_reply (text or caption, and the photo or document, fetched
from Telegram): the action checks size and type, and restarts the clock of a ticket that
was waiting for a clarification.
"""
import asyncio
import contextlib
import logging
import mimetypes
import secrets
import time
import warnings
from dataclasses import dataclass
from io import BytesIO

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from app.core.errors import DomainError
from bot import bridge
from bot.bridge import actor_of, as_chat, db, locale
from bot.texts import bold, error_text, esc, italic, send

log = logging.getLogger(__name__)

PREFIX = "minta:"
DATASET_PREFIX = "m:"          # the search's "minta akses" button: m:<dataset name>
DRAFT = "minta"                # chat_data key of the draft
IDLE_SECONDS = 15 * 60         # default of TELEGRAM_CONVERSATION_TIMEOUT
TELEGRAM_DOWNLOAD_LIMIT = 20 * 1024 * 1024   # the most a bot may fetch (getFile)
LIST_LIMIT = 10                # tickets shown by /tiket
QUOTE_LIMIT = 600              # characters of the last message shown by /status

# The steps (conversation states; strings, as they are stored as JSON).
SUBJECT, BODY, PURPOSE, FORMAT = "subject", "body", "purpose", "format"
NAME, NIK, ADDRESS, CONTACT, SUMMARY = "name", "nik", "address", "contact", "summary"
TEXT_STEPS = (SUBJECT, BODY, PURPOSE, NAME, NIK, ADDRESS, CONTACT)
# What each step fills, as RequestSubmit names it (validation reuses its fields).
SCHEMA_FIELD = {SUBJECT: "subject", BODY: "body", PURPOSE: "purpose", NAME: "requester_name",
                ADDRESS: "address"}
LABELS = {
    SUBJECT: _l("Data yang diminta"), BODY: _l("Rincian"), PURPOSE: _l("Tujuan penggunaan"),
    FORMAT: _l("Bentuk informasi"), NAME: _l("Nama"), NIK: _l("NIK"), ADDRESS: _l("Alamat"),
    CONTACT: _l("Kontak"),
}
TEXT_ONLY = filters.TEXT & ~filters.COMMAND


def paragraphs(*parts):
    """The lines of a message: "" is a blank line, None is left out (texts.lines drops
    both)."""
    return "\n".join(str(p) for p in parts if p is not None)


def _key(name, *parts):
    """Callback data of this module: minta:<name>[:part...]."""
    return ":".join((PREFIX + name, *map(str, parts)))


def _button(text, data):
    return InlineKeyboardButton(str(text), callback_data=data)


def language_and_active(chat_id):
    """(language, whether the bot may write to it) of a chat, for messages outside an update
    (run in the bridge)."""
    from app.chats.models import TelegramChat
    from app.extensions import db as sqla

    chat = sqla.session.get(TelegramChat, int(chat_id))
    return (chat.language if chat else "id"), bool(chat and chat.active)


# ---------------------------------------------------------------- idle conversations

class IdleConversation(ConversationHandler):
    """A persistent ConversationHandler that ends itself after `idle` seconds without a step,
    politely, and keeps that promise across restarts.

    python-telegram-bot's own `conversation_timeout` needs its JobQueue (APScheduler, not a
    dependency of this project) and forgets its timers when the process restarts. Here the
    time of the last step is kept in the persisted chat_data (chat_data[draft_key]["at"]):

    - while the bot runs, a sweeper task (one per handler, only while conversations are
      open) ends a conversation when its time is up and calls `on_timeout(application,
      chat_id, draft, state, idle)`, which tells the citizen;
    - after a restart, a conversation found idle when its chat writes again is ended first
      (with the same message) and the update is then handled as if there were none, so the
      citizen's new words reach search, /status or a new /minta instead of an old step.

    Unless `keep_draft`, ending also drops chat_data[draft_key]. It relies on three
    protected members of ConversationHandler (`_conversations`, `_get_key`, `_update_state`,
    unchanged since python-telegram-bot 20; the version is pinned in requirements.txt).
    """

    TICK = 0.25  # seconds between the sweeper's looks; also how long it delays a shutdown

    def __init__(self, *, idle, draft_key, on_timeout, keep_draft=False, **kwargs):
        with warnings.catch_warnings():
            # Buttons in a conversation with per_message=False are meant: a chat has one
            # draft at a time, and each button's data says what it is about.
            warnings.filterwarnings("ignore", message="If 'per_message=False'",
                                    category=PTBUserWarning)
            super().__init__(**kwargs)
        self.idle = float(idle)
        self.draft_key = draft_key
        self._on_timeout = on_timeout
        self._keep_draft = keep_draft
        self._application = None
        self._deadlines = {}   # conversation key -> event-loop time it ends
        self._busy = set()     # keys whose update is being handled right now
        self._seeded = False
        self._sweeper = None

    def attach(self, application, group=0):
        """Register with `application` (kept for the sweeper and the restart check)."""
        self._application = application
        application.add_handler(self, group)
        return self

    # -- the last step's time, from the persisted chat_data

    def _draft_of(self, key):
        chat_data = self._application.chat_data.get(key[0]) if self._application else None
        draft = chat_data.get(self.draft_key) if chat_data else None
        return draft if isinstance(draft, dict) else None

    def _idle_for(self, key):
        at = (self._draft_of(key) or {}).get("at")
        return time.time() - at if isinstance(at, int | float) else 0.0

    # -- ending

    def _expire(self, key):
        """End the conversation of `key` now; returns (chat id, its draft, its state)."""
        state = self._conversations.get(key)
        self._update_state(self.END, key)
        self._deadlines.pop(key, None)
        chat_id = key[0]
        draft = dict(self._draft_of(key) or {})
        if not self._keep_draft:
            chat_data = self._application.chat_data.get(chat_id)
            if chat_data is not None:
                chat_data.pop(self.draft_key, None)
        self._application.mark_data_for_update_persistence(chat_ids=chat_id)
        return chat_id, draft, state

    async def _notify(self, chat_id, draft, state):
        try:
            await self._on_timeout(self._application, chat_id, draft, state, self.idle)
        except Forbidden:
            from bot.app import mark_blocked

            await mark_blocked(chat_id)
        except Exception:  # noqa: BLE001 - a lost goodbye must not stop the sweeper
            log.exception("could not tell chat %s that %s timed out", chat_id, self.name)

    # -- python-telegram-bot's hooks

    def check_update(self, update):
        app = self._application
        if (app is not None and isinstance(update, Update) and update.effective_chat
                and update.effective_user):
            if not self._seeded:
                self._seed()
            key = self._get_key(update)
            if (key in self._conversations and key not in self._busy
                    and self._idle_for(key) >= self.idle):
                chat_id, draft, state = self._expire(key)
                app.create_task(self._notify(chat_id, draft, state), update=update)
        return super().check_update(update)

    async def handle_update(self, update, application, check_result, context):
        key = check_result[1]
        self._busy.add(key)
        try:
            return await super().handle_update(update, application, check_result, context)
        finally:
            self._busy.discard(key)
            if key in self._conversations:
                draft = context.chat_data.get(self.draft_key)
                if isinstance(draft, dict):
                    draft["at"] = time.time()
                self._deadlines[key] = asyncio.get_running_loop().time() + self.idle
                self._ensure_sweeper()
            else:
                self._deadlines.pop(key, None)

    # -- the sweeper

    def _seed(self):
        """Deadlines for the conversations loaded from persistence (first update after a
        start), so those idle since before a restart end on time too."""
        self._seeded = True
        now = asyncio.get_running_loop().time()
        for key in list(self._conversations):
            self._deadlines[key] = now + max(0.0, self.idle - self._idle_for(key))
        self._ensure_sweeper()

    def _ensure_sweeper(self):
        app = self._application
        if self._sweeper is None and self._deadlines and app is not None and app.running:
            self._sweeper = app.create_task(self._sweep(), name=f"idle:{self.name}")

    async def _sweep(self):
        app, loop = self._application, asyncio.get_running_loop()
        try:
            while self._deadlines and app.running:
                now = loop.time()
                for key, deadline in list(self._deadlines.items()):
                    if deadline > now or key in self._busy:
                        continue
                    if key not in self._conversations:
                        self._deadlines.pop(key, None)
                        continue
                    chat_id, draft, state = self._expire(key)
                    # Stored as ended before the citizen is told: a crash in between must
                    # not leave a conversation that a restart would end (and tell) again.
                    await app.update_persistence()
                    await self._notify(chat_id, draft, state)
                await asyncio.sleep(self.TICK)
        finally:
            self._sweeper = None


def idle_seconds():
    """TELEGRAM_CONVERSATION_TIMEOUT of the bot's Flask app (seconds), 15 minutes if unset."""
    value = bridge.flask_app().config.get("TELEGRAM_CONVERSATION_TIMEOUT")
    return float(value) if value not in (None, "") else float(IDLE_SECONDS)


# ---------------------------------------------------------------- the draft (bridged)

@dataclass
class Step:
    """What a bridged step hands back to the loop: the new draft, the state, the message."""

    draft: dict
    state: object
    text: str
    markup: object = None


_one_field_schemas = {}


def _validate(name, value, language):
    """(`value` as RequestSubmit's field `name` loads it, None) or (None, the reason)."""
    from app.core.errors import ValidationError
    from app.core.schemas import Schema, load
    from app.tickets.schemas import RequestSubmit

    schema = _one_field_schemas.get(name)
    if schema is None:
        schema = _one_field_schemas[name] = Schema.from_dict(
            {name: RequestSubmit().fields[name]}, name=f"Minta{name.title()}")
    try:
        return load(schema, {name: value})[name], None
    except ValidationError as exc:
        return None, error_text(exc, language)


def _answer(state, text, language):
    """The draft values of a typed answer, or (None, the reason to ask again)."""
    from app.tickets import identity

    text = " ".join((text or "").split()) if state != BODY else (text or "").strip()
    if state == NIK:
        nik = identity.normalise_nik(text)
        errors = identity.nik_errors(nik)
        if errors:
            with locale(language):
                return None, "\n".join(esc(str(e)) for e in errors)
        return {"nik": identity.encrypt(nik), "nik_masked": identity.mask_nik(nik)}, None
    if state == CONTACT:
        field = "email" if "@" in text else "phone"
        value, error = _validate(field, text, language)
        if error:
            return None, error
        return {"email": value if field == "email" else None,
                "phone": value if field == "phone" else None, "contact_done": True}, None
    value, error = _validate(SCHEMA_FIELD[state], text, language)
    if error:
        return None, error
    if not value:
        with locale(language):
            return None, esc(_("Wajib diisi."))
    return {state: value}, None


def _dataset_prefill(chat, name):
    from app.catalog import actions as catalog

    dataset = catalog.get_dataset(actor_of(chat), name)
    # The subject is the ticket's, read by the desk: in Indonesian whatever the chat speaks.
    return {"subject": f"Akses data {dataset.title}"[:255], "dataset_ids": [dataset.id],
            "dataset_title": dataset.title}


def _linked_identity(chat):
    """Name and e-mail of the linked web account; NIK and address of its latest request."""
    from app.tickets import actions as tickets
    from app.tickets import identity

    user = actor_of(chat)
    out = {"name": user.name, "email": user.email, "phone": None, "contact_done": True,
           "identity_loaded": True}
    found = tickets.requester_identity_latest(user)
    if found is not None:
        out.update(nik=identity.encrypt(found.nik), nik_masked=identity.mask_nik(found.nik),
                   address=found.address, identity_from=found.number)
    return out


def _next_state(draft, shadow):
    for state in (SUBJECT, BODY, PURPOSE, FORMAT):
        if not draft.get(state):
            return state
    identity = (NAME, NIK, ADDRESS) if shadow else (NIK, ADDRESS)
    for state in identity:
        if not draft.get(state):
            return state
    if shadow and not draft.get("contact_done"):
        return CONTACT
    return SUMMARY


def _step(chat, draft, state=None, text=None, values=None, dataset=None, intro=False):
    """Take an answer (typed `text` for `state`, or `values` from a button) into a copy of
    the draft and say what comes next. Runs in the bridge."""
    draft = dict(draft)
    if dataset is not None:
        draft.update(_dataset_prefill(chat, dataset))
    if state is not None:
        answer, error = _answer(state, text, chat.language)
        if error:
            prompt, markup = _prompt(chat, state, draft)
            return Step(draft, state, paragraphs("⚠️ " + error, "", prompt), markup)
        draft.update(answer)
    if values:
        draft.update(values)
    next_state = _next_state(draft, chat.shadow)
    if next_state in (NAME, NIK, ADDRESS, SUMMARY) and not chat.shadow \
            and not draft.get("identity_loaded"):
        draft.update(_linked_identity(chat))
        next_state = _next_state(draft, chat.shadow)
    prompt, markup = _prompt(chat, next_state, draft, intro=intro)
    return Step(draft, next_state, prompt, markup)


def _ask(chat, draft, state):
    """The question of one step again, to change its answer from the summary."""
    prompt, markup = _prompt(chat, state, draft, current=True)
    return Step(dict(draft), state, prompt, markup)


# ---------------------------------------------------------------- texts (bridged)

def _format_label(code):
    from app.tickets import labels

    return labels.label("format", code)


def _contact_text(draft):
    return draft.get("phone") or draft.get("email") or _("Telegram (chat ini)")


def _current(state, draft):
    """The answer a step has now, for "Ubah"."""
    if state == FORMAT:
        return _format_label(draft.get(FORMAT)) if draft.get(FORMAT) else None
    if state == NIK:
        return draft.get("nik_masked")
    if state == CONTACT:
        return _contact_text(draft) if draft.get("contact_done") else None
    return draft.get(state)


def _prompt(chat, state, draft, intro=False, current=False):
    """(text, markup) asking for `state`, in the chat's language."""
    from app.tickets.models import Format

    with locale(chat.language):
        head = []
        if intro:
            head = [bold(_("Permohonan informasi publik")),
                    esc(_("Saya akan menanyakan beberapa hal satu per satu. Ketik /batal kapan "
                          "saja untuk berhenti.")), ""]
        markup = None
        if state == SUBJECT:
            ask = _("Data apa yang Anda minta? Tulis judulnya singkat, mis. %(example)s.",
                    example=italic(_("Jumlah sekolah per kecamatan tahun 2024")))
        elif state == BODY:
            ask = esc(_("Jelaskan rinciannya: wilayah, periode, dan rincian atau variabel yang "
                        "Anda perlukan."))
            if draft.get("dataset_title") and not current:
                head.append(_("Permohonan akses untuk dataset %(title)s.",
                              title=bold(draft["dataset_title"])))
        elif state == PURPOSE:
            ask = esc(_("Untuk apa informasi ini akan digunakan? Mis. penelitian, perencanaan "
                        "usaha, liputan."))
        elif state == FORMAT:
            ask = esc(_("Dalam bentuk apa Anda ingin menerima informasinya?"))
            markup = InlineKeyboardMarkup([[_button(_format_label(code), _key("fmt", code))]
                                           for code in Format.ALL])
        elif state == NAME:
            ask = esc(_("Undang-undang mewajibkan identitas pemohon informasi. Siapa nama "
                        "lengkap Anda sesuai KTP?"))
        elif state == NIK:
            ask = esc(_("Berapa NIK Anda (16 angka pada KTP)? NIK disimpan terenkripsi dan hanya "
                        "dilihat petugas yang memeriksa identitas pemohon."))
        elif state == ADDRESS:
            ask = esc(_("Di mana alamat Anda (sesuai KTP atau domisili)?"))
        elif state == CONTACT:
            ask = esc(_("Nomor telepon atau e-mail yang bisa kami hubungi bila perlu? Jawaban "
                        "tetap dikirim lewat Telegram; tekan Lewati bila tidak ingin "
                        "memberikannya."))
            markup = InlineKeyboardMarkup([[_button(_("Lewati"), _key("lewati"))]])
        else:
            return _summary(chat, draft), _summary_buttons()
        now = _current(state, draft) if current else None
        tail = [_("Isian sekarang: %(value)s", value=italic(now))] if now else []
        return paragraphs(*head, ask, *tail), markup


def _summary(chat, draft):
    """The request as it will be filed (HTML, in the current locale)."""
    def row(state, value):
        return f"{bold(LABELS[state])}: {esc(value)}"

    parts = [bold(_("Ringkasan permohonan")), "",
             row(SUBJECT, draft.get(SUBJECT)), row(BODY, draft.get(BODY)),
             row(PURPOSE, draft.get(PURPOSE)), row(FORMAT, _format_label(draft.get(FORMAT))),
             f"{bold(_('Dikirim melalui'))}: Telegram"]
    if draft.get("dataset_title"):
        parts.append(f"{bold(_('Dataset'))}: {esc(draft['dataset_title'])}")
    parts += ["", row(NAME, draft.get(NAME)), row(NIK, draft.get("nik_masked")),
              row(ADDRESS, draft.get(ADDRESS)), row(CONTACT, _contact_text(draft))]
    if not chat.shadow:
        parts.append(italic(_("Nama dan e-mail diambil dari akun situs Anda.")))
        if draft.get("identity_from"):
            parts.append(italic(_("NIK dan alamat diambil dari permohonan %(number)s.",
                                  number=draft["identity_from"])))
    parts += ["", esc(_("Periksa kembali isinya. Dengan menekan Kirim, permohonan didaftarkan "
                        "menurut UU 14/2008 dan data diri Anda diproses sesuai pemberitahuan "
                        "privasi yang sudah Anda setujui."))]
    return paragraphs(*parts)


def _summary_buttons():
    return InlineKeyboardMarkup([[_button("✅ " + _("Kirim"), _key("kirim")),
                                  _button("✏️ " + _("Ubah"), _key("ubah")),
                                  _button("✖️ " + _("Batal"), _key("batal"))]])


def _edit_buttons(chat):
    shown = [SUBJECT, BODY, PURPOSE, FORMAT] + (
        [NAME, NIK, ADDRESS, CONTACT] if chat.shadow else [NIK, ADDRESS])
    with locale(chat.language):
        rows = [[_button(LABELS[a], _key("f", a)) for a in shown[i:i + 2]]
                for i in range(0, len(shown), 2)]
        rows.append([_button("‹ " + _("Kembali"), _key("kembali"))])
        return InlineKeyboardMarkup(rows)


def _summary_markup(language):
    with locale(language):
        return _summary_buttons()


def _plain(language, text):
    """A fixed lazy text (`_l`) in `language`, escaped."""
    with locale(language):
        return esc(str(text))


CANCELLED = _l("Permohonan dibatalkan. Tidak ada yang dikirim.")
LOST = _l("Permohonan yang sedang diisi sudah berakhir. Ketik /minta untuk mulai lagi.")
STALE = _l("Tombol ini sudah tidak berlaku.")
PICK_BUTTON = _l("Pilih salah satu tombol di atas, atau ketik /batal untuk berhenti.")


# ---------------------------------------------------------------- submitting (bridged)

def _date(day):
    return format_date(day, "d MMMM y") if day else "–"


def _submit(chat, draft):
    """File the request; (ticket id, receipt HTML) or (None, the reason it was refused)."""
    from app.tickets import actions as tickets
    from app.tickets import identity, sla
    from app.tickets.models import Channel, Delivery, Kind

    data = {
        "kind": Kind.DATA_REQUEST, "channel": Channel.TELEGRAM, "delivery": Delivery.TELEGRAM,
        "subject": draft.get(SUBJECT), "body": draft.get(BODY),
        "purpose": draft.get(PURPOSE), "format": draft.get(FORMAT),
        "requester_name": draft.get(NAME), "identity_kind": "nik",
        "nik": identity.decrypt(draft["nik"]) if draft.get("nik") else None,
        "address": draft.get(ADDRESS), "phone": draft.get("phone"),
        "email": draft.get("email"), "consent": chat.consented,
        "dataset_ids": [str(i) for i in draft.get("dataset_ids") or ()],
        "telegram_chat_id": chat.chat_id,
        # Made when the draft started: a retried update or a second tap on "Kirim" gets
        # the ticket already filed back, not a second one.
        "submission_key": f"tg:{chat.chat_id}:{draft['id']}",
    }
    try:
        ticket = tickets.request_submit(actor_of(chat), data)
    except DomainError as exc:
        return None, error_text(exc, chat.language)
    with locale(chat.language):
        number = f"<code>{esc(ticket.number)}</code>"
        return ticket.id, paragraphs(
            "✅ " + bold(_("Permohonan Anda terdaftar.")), "",
            f"{esc(_('Nomor registrasi'))}: {number}",
            f"{esc(_('Kode cek'))}: <code>{esc(ticket.check_code)}</code>",
            f"{esc(_('Tenggat jawaban'))}: {esc(_date(ticket.due_on))}", "",
            esc(_("Kami menjawab paling lambat pada tanggal itu (%(days)s hari kerja, "
                  "UU 14/2008) dan mengabari Anda di sini. Simpan nomor registrasi dan kode "
                  "cek untuk memeriksa status di situs.", days=sla.answer_days(ticket.kind))),
            _("Ketik /status %(number)s untuk melihat perkembangannya, atau balas pesan ini "
              "untuk menambahkan keterangan atau dokumen.", number=esc(ticket.number)))


def _remember(chat_id, sent):
    """Record bot messages about tickets [(message_id, ticket_id)]: replies to them land on
    the ticket (app.chats.actions.ticket_of_message)."""
    from app.chats import actions as chats
    from app.core.actor import SYSTEM

    for message_id, ticket_id in sent:
        chats.sent_record(SYSTEM, f"bot:{chat_id}:{message_id}", chat_id, message_id,
                          ticket_id)


async def remember(chat_id, sent):
    """Record [(message_id, ticket_id)] of messages just sent (see _remember)."""
    if sent:
        await db(_remember, chat_id, list(sent))


# ---------------------------------------------------------------- /minta handlers

def _draft(context):
    draft = context.chat_data.get(DRAFT)
    return draft if isinstance(draft, dict) and draft.get("id") else None


async def _show(update, context, step):
    context.chat_data[DRAFT] = step.draft
    await send(update, context, step.text, reply_markup=step.markup)
    return step.state


async def _drop_buttons(query):
    """Take the buttons off the message pressed (cosmetic: an old message that can no longer
    be edited does not stop the step)."""
    with contextlib.suppress(BadRequest):
        await query.edit_message_reply_markup(reply_markup=None)


async def _lost(update, context, chat):
    """A step arrived for a draft that is gone (ended meanwhile): say so and stop."""
    if update.callback_query is not None:
        await update.callback_query.answer()
    await send(update, context, await db(_plain, chat.language, LOST))
    return ConversationHandler.END


async def minta(update, context):
    """/minta: a new draft, the first question."""
    chat = await as_chat(update, context)
    draft = {"id": secrets.token_hex(8)}
    return await _show(update, context, await db(_step, chat, draft, intro=True))


async def minta_dataset(update, context):
    """The search's "minta akses" button (m:<dataset name>): a draft for that dataset."""
    query = update.callback_query
    await query.answer()
    chat = await as_chat(update, context)
    name = query.data[len(DATASET_PREFIX):]
    draft = {"id": secrets.token_hex(8)}
    try:
        step = await db(_step, chat, draft, dataset=name, intro=True)
    except DomainError as exc:  # the dataset is gone or no longer visible
        await send(update, context, await db(error_text, exc, chat.language))
        return ConversationHandler.END
    return await _show(update, context, step)


def _text_step(state):
    async def step(update, context):
        chat = await as_chat(update, context)
        draft = _draft(context)
        if draft is None:
            return await _lost(update, context, chat)
        return await _show(update, context,
                           await db(_step, chat, draft, state=state, text=update.message.text))
    step.__name__ = f"answer_{state}"
    return step


async def format_chosen(update, context):
    query = update.callback_query
    await query.answer()
    chat = await as_chat(update, context)
    draft = _draft(context)
    if draft is None:
        return await _lost(update, context, chat)
    await _drop_buttons(query)
    code = query.data.rsplit(":", 1)[1]
    return await _show(update, context, await db(_step, chat, draft, values={FORMAT: code}))


async def contact_skipped(update, context):
    query = update.callback_query
    await query.answer()
    chat = await as_chat(update, context)
    draft = _draft(context)
    if draft is None:
        return await _lost(update, context, chat)
    await _drop_buttons(query)
    values = {"phone": None, "email": None, "contact_done": True}
    return await _show(update, context, await db(_step, chat, draft, values=values))


async def pick_a_button(update, context):
    """Text where a button is expected (format, summary): the question again."""
    chat = await as_chat(update, context)
    draft = _draft(context)
    if draft is None:
        return await _lost(update, context, chat)
    step = await db(_step, chat, draft)  # no answer: the current question again
    hint = await db(_plain, chat.language, PICK_BUTTON)
    await send(update, context, paragraphs(step.text, "", f"<i>{hint}</i>"),
               reply_markup=step.markup)
    return None  # stay where we are


async def summary_action(update, context):
    """The summary's buttons: kirim, ubah, kembali, batal, f:<field>."""
    query = update.callback_query
    chat = await as_chat(update, context)
    draft = _draft(context)
    if draft is None:
        return await _lost(update, context, chat)
    action = query.data[len(PREFIX):]
    if action == "ubah":
        await query.answer()
        await query.edit_message_reply_markup(reply_markup=await db(_edit_buttons, chat))
        return SUMMARY
    if action == "kembali":
        await query.answer()
        await query.edit_message_reply_markup(
            reply_markup=await db(_summary_markup, chat.language))
        return SUMMARY
    if action.startswith("f:"):
        if action[2:] not in LABELS:
            return await stale_button(update, context)
        await query.answer()
        await _drop_buttons(query)
        return await _show(update, context, await db(_ask, chat, draft, action[2:]))
    if action == "batal":
        return await cancel(update, context)
    return await _send_request(update, context, chat, draft)


async def _send_request(update, context, chat, draft):
    query = update.callback_query
    await query.answer()
    await _drop_buttons(query)  # no second tap on it
    ticket_id, text = await db(_submit, chat, draft)
    if ticket_id is None:
        markup = await db(_summary_markup, chat.language)
        await send(update, context, "⚠️ " + text, reply_markup=markup)
        return SUMMARY
    receipt = await send(update, context, text)
    await remember(chat.chat_id, [(receipt.message_id, ticket_id)])
    context.chat_data.pop(DRAFT, None)
    return ConversationHandler.END


async def cancel(update, context):
    """/batal or "Batal": the draft is dropped."""
    chat = await as_chat(update, context)
    query = update.callback_query
    if query is not None:
        await query.answer()
        await _drop_buttons(query)
    context.chat_data.pop(DRAFT, None)
    await send(update, context, await db(_plain, chat.language, CANCELLED))
    return ConversationHandler.END


async def stale_button(update, context):
    """A /minta button of a draft that has ended (sent, cancelled, timed out)."""
    chat = await as_chat(update, context)
    await update.callback_query.answer(await db(_plain, chat.language, STALE))
    return None


def _timeout_text(chat_id, minutes):
    language, active = language_and_active(chat_id)
    if not active:
        return None
    with locale(language):
        return esc(_("Permohonan yang sedang Anda isi dihentikan karena tidak ada jawaban "
                     "selama %(minutes)s menit. Tidak ada yang dikirim. Ketik /minta untuk "
                     "mulai lagi.", minutes=minutes))


async def minta_timed_out(application, chat_id, draft, state, idle):
    text = await db(_timeout_text, chat_id, max(1, round(idle / 60)))
    if text:
        await application.bot.send_message(chat_id, text)


def minta_conversation(idle):
    """The /minta ConversationHandler (see the module docstring)."""
    from app.tickets.models import Format

    text_states = {state: [MessageHandler(TEXT_ONLY, _text_step(state))]
                   for state in TEXT_STEPS}
    text_states[CONTACT].append(CallbackQueryHandler(contact_skipped,
                                                     pattern=f"^{PREFIX}lewati$"))
    return IdleConversation(
        idle=idle, draft_key=DRAFT, on_timeout=minta_timed_out,
        entry_points=[CommandHandler("minta", minta),
                      CallbackQueryHandler(minta_dataset, pattern=f"^{DATASET_PREFIX}.+")],
        states={
            **text_states,
            FORMAT: [CallbackQueryHandler(
                format_chosen, pattern=f"^{PREFIX}fmt:({'|'.join(Format.ALL)})$"),
                     MessageHandler(TEXT_ONLY, pick_a_button)],
            SUMMARY: [CallbackQueryHandler(
                summary_action, pattern=f"^{PREFIX}(kirim|ubah|kembali|batal|f:[a-z]+)$"),
                MessageHandler(TEXT_ONLY, pick_a_button)],
        },
        fallbacks=[CommandHandler("batal", cancel),
                   CallbackQueryHandler(stale_button, pattern=f"^{PREFIX}")],
        name="minta", persistent=True, allow_reentry=True)


# ---------------------------------------------------------------- /status and /tiket

def _last_public_message(actor, ticket):
    from app.tickets import actions as tickets

    messages = tickets.visible_messages(actor, ticket)
    return messages[-1] if messages else None


def _who(message):
    from app.tickets.models import MessageKind

    if message.kind == MessageKind.REQUESTER:
        return _("Anda")
    if message.kind == MessageKind.REPLY:
        return _("Petugas layanan")
    return _("Sistem")


def _surveyable(actor, ticket):
    from app.tickets import actions as tickets

    try:
        tickets.survey_check(actor, ticket)
    except DomainError:
        return False
    return True


def _card(actor, ticket, detailed):
    """One ticket as a message (HTML, current locale) and its button, if any."""
    from app.tickets import labels, sla
    from app.tickets.models import State

    parts = [f"{bold(ticket.number)} · {esc(ticket.subject)}",
             f"{esc(_('Status'))}: {esc(labels.status_label(ticket.status))}"]
    if detailed:
        parts.append(f"{esc(_('Diterima'))}: {esc(_date(ticket.received_on))}")
    if ticket.is_open:
        state = sla.state_of(ticket)
        due = f"{esc(_('Tenggat jawaban'))}: {esc(_date(ticket.due_on))} " \
              f"({esc(labels.label('sla', state))}"
        left = sla.working_days_left(ticket)
        if detailed and left is not None and left >= 0:
            due += ", " + esc(_("%(n)s hari kerja lagi", n=left))
        parts.append(due + ")")
    elif ticket.answered_on:
        parts.append(f"{esc(_('Dijawab'))}: {esc(_date(ticket.answered_on))}")
    if detailed:
        last = _last_public_message(actor, ticket)
        if last is not None:
            body = " ".join(last.body.split())
            if len(body) > QUOTE_LIMIT:
                body = body[:QUOTE_LIMIT].rstrip() + "…"
            parts += ["", italic(_("Pesan terakhir (%(who)s, %(date)s):", who=_who(last),
                                   date=_date(last.created_at))),
                      f"<blockquote>{esc(body)}</blockquote>"]
    markup = None
    if ticket.status == State.NEEDS_CLARIFICATION:
        parts += ["", "⚠️ " + esc(_("Petugas menunggu klarifikasi Anda: balas pesan ini untuk "
                                    "menjawab; foto atau dokumen juga boleh."))]
    elif ticket.is_open and detailed:
        parts += ["", esc(_("Balas pesan ini untuk menambahkan keterangan atau dokumen."))]
    elif _surveyable(actor, ticket):
        parts += ["", esc(_("Bagaimana layanan kami? Isi survei kepuasan (sembilan "
                            "pertanyaan)."))]
        markup = InlineKeyboardMarkup([[_button("⭐ " + _("Isi survei"),
                                                f"sv:{ticket.id}")]])
    return paragraphs(*parts), markup


def _status(chat, number):
    """[(ticket id, text, markup)] for /status <number>. :raises NotFound"""
    from app.tickets import actions as tickets

    with locale(chat.language):
        if not number:
            return [(None, paragraphs(
                esc(_("Ketik /status diikuti nomor registrasi, mis. /status PD-2025-000012.")),
                esc(_("Daftar permohonan Anda: /tiket"))), None)]
        actor = actor_of(chat)
        ticket = tickets.get_ticket(actor, number)
        text, markup = _card(actor, ticket, detailed=True)
        return [(ticket.id, text, markup)]


def _ticket_list(chat):
    """[(ticket id, text, markup)] for /tiket, newest first."""
    from app.tickets import actions as tickets

    actor = actor_of(chat)
    mine = tickets.my_tickets(actor)
    with locale(chat.language):
        if not mine:
            return [(None, esc(_("Anda belum punya permohonan. Ketik /minta untuk "
                                 "mengajukannya.")), None)]
        out = [(t.id, *_card(actor, t, detailed=False)) for t in mine[:LIST_LIMIT]]
        if len(mine) > LIST_LIMIT:
            out.append((None, esc(_("Dan %(n)s permohonan lain yang lebih lama; semuanya ada "
                                    "di halaman Permohonan saya di situs.",
                                    n=len(mine) - LIST_LIMIT)), None))
        else:
            out.append((None, esc(_("Ketik /status diikuti nomor untuk rinciannya. Balas "
                                    "salah satu pesan di atas untuk menambahkan pesan atau "
                                    "dokumen ke permohonan itu.")), None))
        return out


async def _send_cards(update, context, cards):
    sent = []
    for ticket_id, text, markup in cards:
        message = await send(update, context, text, reply_markup=markup)
        if ticket_id is not None:
            sent.append((message.message_id, ticket_id))
    await remember(update.effective_chat.id, sent)


async def status(update, context):
    chat = await as_chat(update, context)
    number = " ".join(context.args or ()).strip()
    await _send_cards(update, context, await db(_status, chat, number))


async def tiket(update, context):
    chat = await as_chat(update, context)
    await _send_cards(update, context, await db(_ticket_list, chat))


# ---------------------------------------------------------------- replies to a ticket

class FileRefused(Exception):
    """A file the bot cannot take (over Telegram's download limit)."""


def _file_name(message):
    if message.document is not None:
        doc = message.document
        if doc.file_name:
            return doc.file_name
        ext = mimetypes.guess_extension(doc.mime_type or "") or ""
        return f"berkas_{doc.file_unique_id}{ext}"
    return f"foto_{message.photo[-1].file_unique_id}.jpg"


async def _download(message, context):
    """[(file name, bytes)] of the message's document or photo (its largest size)."""
    if message.document is None and not message.photo:
        return []
    media = message.document if message.document is not None else message.photo[-1]
    if media.file_size and media.file_size > TELEGRAM_DOWNLOAD_LIMIT:
        raise FileRefused
    tg_file = await context.bot.get_file(media.file_id)
    return [(_file_name(message), bytes(await tg_file.download_as_bytearray()))]


def _ticket_of(chat_id, message_id):
    from app.chats import actions as chats
    from app.core.actor import SYSTEM

    return chats.ticket_of_message(SYSTEM, chat_id, message_id)


def _reply(chat, ticket_id, body, files, external_id):
    """Add the citizen's message to the ticket: (ok, HTML to answer with)."""
    from app.tickets import actions as tickets
    from app.tickets.models import State

    actor = actor_of(chat)
    before = tickets.get_ticket(actor, ticket_id)
    number, was_waiting = before.number, before.status == State.NEEDS_CLARIFICATION
    try:
        ticket = tickets.requester_reply(
            actor, ticket_id, {"body": body},
            files=[(name, BytesIO(data)) for name, data in files],
            external_id=external_id, channel="telegram")
    except DomainError as exc:
        with locale(chat.language):
            return False, paragraphs(
                "⚠️ " + error_text(exc, chat.language),
                esc(_("Pesan Anda tidak ditambahkan ke permohonan %(number)s.", number=number)))
    with locale(chat.language):
        done = _("Pesan Anda ditambahkan ke permohonan %(number)s.", number=number)
        if files:
            done += " " + _("Lampiran: %(names)s.", names=", ".join(n for n, _d in files))
        parts = ["✅ " + esc(done)]
        if was_waiting and ticket.status != State.NEEDS_CLARIFICATION:
            parts.append(esc(_("Terima kasih, klarifikasi Anda sudah kami terima. Jangka waktu "
                               "layanan berjalan lagi; tenggat jawaban sekarang %(due)s.",
                               due=_date(ticket.due_on))))
        return True, paragraphs(*parts)


def _not_a_ticket_text(language, with_file):
    with locale(language):
        if with_file:
            return esc(_("Untuk melampirkan berkas ke permohonan, balas (reply) pesan bot yang "
                         "memuat nomor permohonan itu; ketik /tiket untuk daftarnya."))
        return esc(_("Pesan yang Anda balas tidak terkait permohonan, jadi tidak diteruskan ke "
                     "petugas. Untuk menanggapi permohonan, balas pesan bot yang memuat "
                     "nomornya (ketik /tiket untuk daftarnya). Untuk mencari data, ketik /cari "
                     "diikuti kata yang dicari."))


def _too_big_text(language):
    with locale(language):
        return "⚠️ " + esc(_("Berkas lebih dari 20 MB tidak dapat diterima lewat Telegram. "
                             "Kirim berkas yang lebih kecil, atau unggah lewat halaman "
                             "permohonan di situs."))


async def reply_to_ticket(update, context):
    """A message replying to a bot message: added to the ticket that message was about."""
    chat = await as_chat(update, context)
    message = update.message
    ticket_id = await db(_ticket_of, chat.chat_id, message.reply_to_message.message_id)
    has_file = message.document is not None or bool(message.photo)
    if ticket_id is None:
        await send(update, context, await db(_not_a_ticket_text, chat.language, False))
        return
    try:
        files = await _download(message, context)
    except FileRefused:
        await send(update, context, await db(_too_big_text, chat.language))
        return
    body = (message.text or message.caption or "").strip()
    if not body and has_file:
        # Stored on the ticket for the desk, so in Indonesian whatever the chat speaks.
        body = "Lampiran dari Telegram: " + ", ".join(name for name, _d in files)
    ok, text = await db(_reply, chat, ticket_id, body, files, f"tg:{update.update_id}")
    answer = await send(update, context, text)
    if ok:
        await remember(chat.chat_id, [(answer.message_id, ticket_id)])


async def file_without_reply(update, context):
    chat = await as_chat(update, context)
    await send(update, context, await db(_not_a_ticket_text, chat.language, True))


# ---------------------------------------------------------------- registration

REPLY_FILTER = (filters.REPLY & ~filters.COMMAND
                & (filters.TEXT | filters.PHOTO | filters.Document.ALL))


def register(application):
    minta_conversation(idle_seconds()).attach(application)
    application.add_handler(CallbackQueryHandler(stale_button, pattern=f"^{PREFIX}"))
    application.add_handler(CommandHandler("status", status))
    application.add_handler(CommandHandler("tiket", tiket))
    # bot.handlers.survey puts its conversation before this handler (its comment step
    # takes text that may be typed as a reply to its question).
    application.add_handler(MessageHandler(REPLY_FILTER, reply_to_ticket))
    application.add_handler(MessageHandler(
        (filters.PHOTO | filters.Document.ALL) & ~filters.REPLY, file_without_reply))
