"""/start: welcome, the privacy notice (UU 27/2022) and consent, the command list;
`/start <code>` links the chat to a web account (the code comes from the web profile page).
"""
from flask_babel import gettext as _
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.ext import CallbackQueryHandler, CommandHandler

from app.core.errors import DomainError
from bot.bridge import as_chat, db, locale
from bot.texts import bold, error_text, esc, italic, lines, send

CONSENT = "core:consent"


def _item(label, text):
    return f"{bold(label)}: {esc(text)}"


def privacy_notice():
    """The notice (HTML), in the current locale: what, why, who, how long, rights."""
    return lines(
        bold(_("Pemberitahuan privasi")),
        italic(_("Sesuai Undang-Undang Nomor 27 Tahun 2022 tentang Pelindungan Data "
                 "Pribadi.")),
        "",
        _item(_("Data yang kami kumpulkan"), _(
            "ID, nama dan bahasa akun Telegram Anda, pesan dan berkas yang Anda kirim ke bot, "
            "serta identitas yang Anda isi saat mengajukan permohonan (nama, NIK, alamat, "
            "kontak).")),
        _item(_("Untuk apa"), _(
            "Mencari dan mengirim data, memproses permohonan informasi sesuai Undang-Undang "
            "Nomor 14 Tahun 2008, mengabari Anda tentang permohonan itu, dan survei kepuasan "
            "layanan.")),
        _item(_("Siapa yang melihat"), _(
            "Hanya petugas layanan informasi dan PPID yang menangani permohonan Anda. "
            "Identitas Anda tidak pernah ditampilkan di halaman publik.")),
        _item(_("Berapa lama"), _(
            "Data identitas disimpan selama masa retensi sesudah permohonan selesai, lalu "
            "dihapus.")),
        _item(_("Hak Anda"), _(
            "Mengetahui, mengakses, memperbaiki dan meminta penghapusan data Anda, serta "
            "menarik persetujuan; sampaikan kepada PPID. Anda dapat berhenti kapan saja "
            "dengan memblokir bot ini.")),
    )


def command_list():
    """The commands with one line each, in the current locale (HTML)."""
    from bot.handlers import command_descriptions

    return "\n".join(f"/{name} — {esc(str(text))}" for name, text in command_descriptions())


def _consent_button():
    return InlineKeyboardMarkup([[InlineKeyboardButton(_("Saya setuju"),
                                                       callback_data=CONSENT)]])


# ---------------------------------------------------------------- bridged texts

def _notice(language, again):
    with locale(language):
        head = (_("Sebelum melanjutkan, mohon baca dan setujui pemberitahuan privasi berikut.")
                if again else "")
        return lines(esc(head), privacy_notice()), _consent_button()


def _welcome(chat, code):
    """Welcome (and link) text for /start, the notice if consent is still missing."""
    from app.chats import actions
    from app.core.actor import SYSTEM

    linked = refused = None
    if code:
        try:
            linked = actions.chat_link(SYSTEM, chat.chat_id, code).user.name
        except DomainError as exc:
            refused = error_text(exc, chat.language)
    with locale(chat.language):
        parts = [_("Selamat datang di MejaData, layanan data terbuka dan permohonan "
                   "informasi publik.")]
        if linked is not None:
            parts.append("✅ " + _("Akun Telegram ini sekarang tertaut ke akun %(name)s. "
                                  "Permohonan Anda di situs dan di bot kini sama.",
                                  name=esc(linked)))
        elif refused is not None:
            parts.append("⚠️ " + refused)
        if chat.consented:
            parts += ["", _("Perintah yang tersedia:"), command_list()]
            return lines(*parts), None
        parts += ["", privacy_notice()]
        return lines(*parts), _consent_button()


def _consented(chat_id):
    from app.chats import actions
    from app.core.actor import SYSTEM

    chat = actions.chat_consent(SYSTEM, chat_id)
    with locale(chat.language):
        return lines(_("Terima kasih, persetujuan Anda tercatat."), "",
                     _("Perintah yang tersedia:"), command_list())


# ---------------------------------------------------------------- handlers

async def send_notice(update, context, chat, again=False):
    """The privacy notice with its "Saya setuju" button (require_consent sends it)."""
    text, markup = await db(_notice, chat.language, again)
    await send(update, context, text, reply_markup=markup)


async def start(update, context):
    chat = await as_chat(update, context)
    code = context.args[0] if context.args else None
    text, markup = await db(_welcome, chat, code)
    if code:
        chat = await as_chat(update, context, refresh=True)
    await send(update, context, text, reply_markup=markup)


async def consent(update, context):
    query = update.callback_query
    await query.answer()
    text = await db(_consented, update.effective_chat.id)
    await as_chat(update, context, refresh=True)
    await query.edit_message_reply_markup(reply_markup=None)
    await send(update, context, text)


def register(application):
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CallbackQueryHandler(consent, pattern=f"^{CONSENT}$"))
