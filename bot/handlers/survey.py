"""The satisfaction survey (IKM, PermenPANRB 14/2017) of an answered ticket, in the bot.

Started by `/survei <number>` (without a number: the chat's latest ticket waiting for one)
or by the button with callback data "sv:<ticket id>", which /status, /tiket and the
"answered" notification carry. The nine questions of app.tickets.ikm.ELEMENTS come one at a
time in one message, edited in place, each with its four answer buttons (scores 1–4) and
"‹ Sebelumnya"; then an optional comment (typed, or "Lewati"); then
app.tickets.actions.survey_submit as the chat's citizen with channel "telegram". Whether
the ticket may be rated is asked before the first question (survey_check), so an open,
already rated or someone else's ticket is refused with the action's own message.

The answers so far are kept in chat_data["survei"] (persisted), so a survey left halfway
goes on with the next button press even after a restart or the conversation's idle timeout;
the conversation itself ("survei", persistent) only matters for the comment step, where
text is taken as the comment. Button data: survei:a:<ticket>:<question>:<score>,
survei:back:<ticket>:<question>, survei:skip:<ticket>; a press that no longer fits (an
older question, another survey) is answered "no longer valid" and changes nothing.
"""
import contextlib

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler

from app.core.errors import DomainError, ValidationError
from bot.bridge import actor_of, as_chat, db, locale
from bot.handlers import requests
from bot.handlers.requests import paragraphs
from bot.texts import bold, error_text, esc, italic, send

START = "sv:"
PREFIX = "survei:"
DRAFT = "survei"
ANSWER, COMMENT = "answer", "comment"

NOTHING_TO_CANCEL = _l("Tidak ada langkah yang sedang berjalan.")
CANCELLED = _l("Survei dihentikan; jawaban Anda tidak dikirim.")
NONE_WAITING = _l("Tidak ada permohonan Anda yang menunggu survei. Survei dapat diisi setelah "
                  "permohonan dijawab.")


def _elements():
    from app.tickets import ikm

    return ikm.ELEMENTS


def _button(text, data):
    return InlineKeyboardButton(str(text), callback_data=data)


# ---------------------------------------------------------------- bridged

def _open(chat, ref):
    """(ticket id, number) of the ticket to rate. :raises NotFound, InvalidTransition"""
    from app.tickets import actions as tickets

    actor = actor_of(chat)
    if ref:
        ticket = tickets.survey_check(actor, ref)
        return ticket.id, ticket.number
    for ticket in tickets.my_tickets(actor):  # newest first
        try:
            tickets.survey_check(actor, ticket)
        except DomainError:
            continue
        return ticket.id, ticket.number
    return None, None


def _question(language, draft, index, intro=False):
    """(text, markup) of question `index` (0–8)."""
    element = _elements()[index]
    ticket = draft["ticket"]
    with locale(language):
        head = [bold(_("Survei kepuasan · %(number)s", number=draft["number"]))]
        if intro:
            head.append(esc(_("Sembilan pertanyaan singkat tentang layanan kami; pilih "
                              "jawaban dengan tombol. Ketik /batal untuk berhenti.")))
        text = paragraphs(
            *head, "",
            _("Pertanyaan %(n)s dari %(total)s · %(label)s", n=index + 1,
              total=len(_elements()), label=italic(element.label)),
            "", esc(element.question))
        rows = [[_button(f"{score} · {option}", f"{PREFIX}a:{ticket}:{index}:{score}")]
                for score, option in enumerate(element.options, start=1)]
        if index:
            rows.append([_button("‹ " + _("Sebelumnya"), f"{PREFIX}back:{ticket}:{index}")])
        return text, InlineKeyboardMarkup(rows)


def _comment_prompt(language, draft):
    with locale(language):
        text = paragraphs(
            bold(_("Survei kepuasan · %(number)s", number=draft["number"])), "",
            esc(_("Terima kasih. Terakhir, adakah saran atau komentar untuk kami? Tulis di "
                  "sini, atau tekan Lewati.")))
        return text, InlineKeyboardMarkup([[_button(_("Lewati"),
                                                    f"{PREFIX}skip:{draft['ticket']}")]])


SENT, AGAIN, REFUSED = "sent", "again", "refused"


def _submit(chat, draft, comment):
    """(SENT, thanks) or, with the action's reason, (AGAIN, ...) when only the comment was
    refused (too long: it may be written again) or (REFUSED, ...)."""
    from app.tickets import actions as tickets

    answers = {key: int(score) for key, score in draft["answers"].items()}
    try:
        tickets.survey_submit(actor_of(chat), draft["ticket"],
                              {**answers, "comment": comment or ""}, channel="telegram")
    except DomainError as exc:
        again = isinstance(exc, ValidationError) and set(exc.errors) == {"comment"}
        return (AGAIN if again else REFUSED), "⚠️ " + error_text(exc, chat.language)
    with locale(chat.language):
        return SENT, paragraphs(
            "✅ " + bold(_("Terima kasih atas penilaian Anda.")),
            esc(_("Jawaban survei untuk permohonan %(number)s sudah kami terima. Hasilnya "
                  "diumumkan sebagai Indeks Kepuasan Masyarakat di situs.",
                  number=draft["number"])))


def _plain(language, text):
    with locale(language):
        return esc(str(text))


def _timeout_text(chat_id, draft):
    from bot.handlers.requests import language_and_active

    language, active = language_and_active(chat_id)
    if not active:
        return None, None
    with locale(language):
        text = esc(_("Survei untuk permohonan %(number)s belum terkirim. Kirim sekarang tanpa "
                     "komentar, atau tulis komentar dulu.", number=draft.get("number", "")))
        ticket = draft.get("ticket")
        return text, InlineKeyboardMarkup([
            [_button(_("Kirim tanpa komentar"), f"{PREFIX}skip:{ticket}")],
            [_button(_("Tulis komentar"), f"{START}{ticket}")]])


# ---------------------------------------------------------------- handlers

def _draft(context):
    draft = context.chat_data.get(DRAFT)
    return draft if isinstance(draft, dict) and draft.get("ticket") else None


def _next_index(draft):
    """The first question without an answer (9 when all are answered)."""
    for index, element in enumerate(_elements()):
        if element.key not in draft["answers"]:
            return index
    return len(_elements())


async def _begin(update, context, ref):
    chat = await as_chat(update, context)
    try:
        ticket_id, number = await db(_open, chat, ref)
    except DomainError as exc:
        await send(update, context, await db(error_text, exc, chat.language))
        return ConversationHandler.END
    if ticket_id is None:
        await send(update, context, await db(_plain, chat.language, NONE_WAITING))
        return ConversationHandler.END
    draft = _draft(context)
    if draft is None or draft["ticket"] != ticket_id:  # else: go on where it was left
        draft = {"ticket": ticket_id, "number": number, "answers": {}}
    context.chat_data[DRAFT] = draft
    index = _next_index(draft)
    if index < len(_elements()):
        text, markup = await db(_question, chat.language, draft, index, intro=not index)
        state = ANSWER
    else:
        text, markup = await db(_comment_prompt, chat.language, draft)
        state = COMMENT
    message = await send(update, context, text, reply_markup=markup)
    draft["message"] = message.message_id
    return state


async def survei(update, context):
    """/survei [number]"""
    return await _begin(update, context, " ".join(context.args or ()).strip())


async def survei_button(update, context):
    """sv:<ticket id>"""
    await update.callback_query.answer()
    return await _begin(update, context, update.callback_query.data[len(START):])


async def _stale(update, context):
    chat = await as_chat(update, context)
    await update.callback_query.answer(await db(_plain, chat.language, requests.STALE))
    return ConversationHandler.END if _draft(context) is None else None


async def answered(update, context):
    """survei:a:<ticket>:<index>:<score> and survei:back:<ticket>:<index>"""
    query = update.callback_query
    action, ticket, index, *score = query.data[len(PREFIX):].split(":")
    draft = _draft(context)
    index = int(index)
    expected = _next_index(draft) if draft is not None else None
    if draft is None or str(draft["ticket"]) != ticket or index != expected \
            or (action == "back" and not index):
        return await _stale(update, context)
    await query.answer()
    chat = await as_chat(update, context)
    if action == "back":
        index -= 1
        draft["answers"].pop(_elements()[index].key, None)
    else:
        draft["answers"][_elements()[index].key] = int(score[0])
        index += 1
    draft["message"] = query.message.message_id
    if index < len(_elements()):
        text, markup = await db(_question, chat.language, draft, index)
        await query.edit_message_text(text, reply_markup=markup)
        return ANSWER
    text, markup = await db(_comment_prompt, chat.language, draft)
    await query.edit_message_text(text, reply_markup=markup)
    return COMMENT


async def skipped(update, context):
    """survei:skip:<ticket>: sent without a comment."""
    query = update.callback_query
    draft = _draft(context)
    ticket = query.data[len(PREFIX):].split(":")[1]
    if draft is None or str(draft["ticket"]) != ticket or _next_index(draft) < len(_elements()):
        return await _stale(update, context)
    await query.answer()
    chat = await as_chat(update, context)
    _outcome, text = await db(_submit, chat, draft, "")
    context.chat_data.pop(DRAFT, None)
    await query.edit_message_text(text)
    return ConversationHandler.END


async def commented(update, context):
    """Text at the comment step: the comment, and the survey is sent."""
    chat = await as_chat(update, context)
    draft = _draft(context)
    if draft is None or _next_index(draft) < len(_elements()):
        return ConversationHandler.END
    outcome, text = await db(_submit, chat, draft, update.message.text)
    if outcome == AGAIN:
        await send(update, context, text)  # too long: the comment step stays
        return COMMENT
    if draft.get("message"):
        # "Lewati" goes: the survey is sent. An old message may no longer be editable.
        with contextlib.suppress(BadRequest):
            await context.bot.edit_message_reply_markup(chat.chat_id, draft["message"],
                                                        reply_markup=None)
    context.chat_data.pop(DRAFT, None)
    await send(update, context, text)
    return ConversationHandler.END


async def cancel(update, context):
    chat = await as_chat(update, context)
    context.chat_data.pop(DRAFT, None)
    await send(update, context, await db(_plain, chat.language, CANCELLED))
    return ConversationHandler.END


async def nothing_to_cancel(update, context):
    """/batal outside any conversation."""
    chat = await as_chat(update, context)
    await send(update, context, await db(_plain, chat.language, NOTHING_TO_CANCEL))


async def survey_timed_out(application, chat_id, draft, state, idle):
    """Only the comment step says something: the questions' buttons keep working."""
    if state != COMMENT or not draft.get("ticket"):
        return
    text, markup = await db(_timeout_text, chat_id, draft)
    if text:
        await application.bot.send_message(chat_id, text, reply_markup=markup)


def survey_conversation(idle):
    buttons = [CallbackQueryHandler(survei_button, pattern=rf"^{START}\d+$"),
               CallbackQueryHandler(answered, pattern=rf"^{PREFIX}(a:\d+:\d+:[1-4]|back:\d+:\d+)$"),
               CallbackQueryHandler(skipped, pattern=rf"^{PREFIX}skip:\d+$")]
    return requests.IdleConversation(
        idle=idle, draft_key=DRAFT, on_timeout=survey_timed_out, keep_draft=True,
        # Every button is an entry point: answers are kept in chat_data, so a press goes on
        # with the survey whatever became of the conversation (timeout, restart).
        entry_points=[CommandHandler("survei", survei), *buttons],
        states={ANSWER: [], COMMENT: [MessageHandler(requests.TEXT_ONLY, commented)]},
        fallbacks=[CommandHandler("batal", cancel)],
        name="survei", persistent=True, allow_reentry=True)


def register(application):
    conversation = survey_conversation(requests.idle_seconds()).attach(application)
    # Before the "reply to a ticket message" handler of bot.handlers.requests: a comment
    # typed as a reply to the survey's question is still the comment.
    group = application.handlers[0]
    group.remove(conversation)
    at = next((i for i, h in enumerate(group)
               if getattr(h, "callback", None) is requests.reply_to_ticket), len(group))
    group.insert(at, conversation)
    # Last of this module's handlers: /batal when no conversation took it.
    application.add_handler(CommandHandler("batal", nothing_to_cancel))
