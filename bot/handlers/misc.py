"""/bantuan, /bahasa, /statistik, /faq and the answer to unknown commands."""
from datetime import timedelta

from flask_babel import format_decimal
from flask_babel import gettext as _
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.bridge import actor_of, as_chat, db, locale
from bot.handlers import command_of
from bot.texts import NO_PREVIEW, bold, esc, lines, link, send

LANGUAGE = "core:lang:"
FAQ_RESULTS = 5
SNIPPET = 160


# ---------------------------------------------------------------- /bantuan

def _command(name, argument, text):
    """One line of /bantuan: the command, its argument in <angle brackets>, what it does."""
    usage = f"/{name} &lt;{esc(argument)}&gt;" if argument else f"/{name}"
    return f"{usage} — {esc(text)}"


def help_text(language):
    with locale(language):
        return lines(
            bold(_("Bantuan MejaData")),
            esc(_("Bot ini melayani pencarian data terbuka dan permohonan informasi publik "
                  "dari pemerintah daerah.")),
            "",
            _command("cari", _("kata"), _(
                "cari dataset. Hasil teratas dengan tombol detail, halaman berikutnya dan "
                "unduh. Anda juga bisa langsung mengetik kata yang dicari tanpa perintah.")),
            _command("minta", None, _(
                "ajukan permohonan data langkah demi langkah: data apa, untuk apa, format, "
                "identitas (bila akun belum tertaut), persetujuan, lalu ringkasan untuk "
                "dikonfirmasi. Nomor registrasi langsung dikirim.")),
            _command("status", _("nomor"), _(
                "status dan tenggat satu permohonan Anda.")),
            _command("tiket", None, _(
                "daftar permohonan Anda. Balas (reply) pesan tentang sebuah permohonan untuk "
                "menambahkan pesan, foto atau dokumen ke permohonan itu.")),
            _command("survei", _("nomor"), _(
                "nilai layanan kami atas permohonan yang sudah dijawab: sembilan pertanyaan "
                "dengan tombol 1 sampai 4.")),
            _command("faq", _("kata"), _(
                "cari jawaban di pusat bantuan; tanpa kata, artikel yang paling banyak "
                "dibaca.")),
            _command("statistik", None, _(
                "angka utama: dataset terbit, unduhan, permohonan yang dijawab, indeks "
                "kepuasan.")),
            _command("bahasa", None, _("ganti bahasa: Indonesia atau English.")),
            _command("batal", None, _("hentikan langkah yang sedang berjalan (mis. /minta).")),
            _command("start", None, _(
                "pesan pembuka dan pemberitahuan privasi. Dengan kode dari menu Telegram di "
                "situs (/start KODE), akun Telegram ini ditautkan ke akun situs Anda.")),
            _command("bantuan", None, _("pesan ini.")),
        )


async def bantuan(update, context):
    chat = await as_chat(update, context)
    await send(update, context, await db(help_text, chat.language))


# ---------------------------------------------------------------- /bahasa

def _language_prompt(language):
    with locale(language):
        text = _("Pilih bahasa:")
    return text, InlineKeyboardMarkup([[
        InlineKeyboardButton("🇮🇩 Bahasa Indonesia", callback_data=f"{LANGUAGE}id"),
        InlineKeyboardButton("🇬🇧 English", callback_data=f"{LANGUAGE}en")]])


def _set_language(chat_id, language):
    from app.chats import actions
    from app.core.actor import SYSTEM

    chat = actions.chat_language(SYSTEM, chat_id, language)
    with locale(chat.language):
        return _("Bahasa diganti ke Bahasa Indonesia.") if chat.language == "id" \
            else _("Bahasa diganti ke English.")


async def bahasa(update, context):
    chat = await as_chat(update, context)
    text, markup = await db(_language_prompt, chat.language)
    await send(update, context, text, reply_markup=markup)


async def language_chosen(update, context):
    query = update.callback_query
    await query.answer()
    text = await db(_set_language, update.effective_chat.id, query.data[len(LANGUAGE):])
    await as_chat(update, context, refresh=True)
    await query.edit_message_text(text)


# ---------------------------------------------------------------- /statistik

def _year_ago(today):
    """The first day of the 12 months ending today (as the public register counts them)."""
    try:
        return today.replace(year=today.year - 1) + timedelta(days=1)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 1, day=28) + timedelta(days=1)


def figures(today=None):
    """The headline figures as plain numbers (the same queries as the web pages)."""
    from app.catalog import stats
    from app.core.actor import SYSTEM
    from app.core.timeutil import local_today
    from app.tickets import actions as tickets
    from app.tickets import register

    today = today or local_today()
    since, until = today - timedelta(days=29), today + timedelta(days=1)
    year = tickets.yearly_report(SYSTEM, today.year)
    ikm = register.ikm_between(_year_ago(today), today)
    return {
        "datasets": stats.published_count(),
        "organisations": stats.organisations_count(),
        "downloads": stats.downloads_between(since, until),
        "searches": stats.searches_between(since, until),
        "year": today.year, "answered": year.answered, "on_time_rate": year.on_time_rate,
        "ikm": ikm.ikm, "ikm_grade": ikm.grade,
        "ikm_label": str(ikm.grade_label) if ikm.grade_label else None,
        "ikm_count": ikm.count,
    }


def statistics_text(language, today=None):
    f = figures(today)
    with locale(language):
        def n(value):
            return format_decimal(value)

        if f["answered"]:
            answered = _("%(n)s permohonan dijawab tahun %(year)s, %(rate)s%% tepat waktu",
                         n=n(f["answered"]), year=f["year"],
                         rate=format_decimal(f["on_time_rate"], format="#,##0.0"))
        else:
            answered = _("Belum ada permohonan yang dijawab tahun %(year)s", year=f["year"])
        if f["ikm"] is not None:
            ikm = _("Indeks Kepuasan Masyarakat 12 bulan terakhir: %(ikm)s (%(grade)s, "
                    "%(label)s) dari %(n)s responden",
                    ikm=format_decimal(f["ikm"], format="#,##0.00"), grade=f["ikm_grade"],
                    label=f["ikm_label"], n=n(f["ikm_count"]))
        else:
            ikm = _("Indeks Kepuasan Masyarakat 12 bulan terakhir: belum ada responden")
        return lines(
            bold(_("Statistik MejaData")),
            f"• {n(f['datasets'])} {esc(_('dataset terbit'))}",
            f"• {n(f['organisations'])} {esc(_('organisasi produsen data'))}",
            f"• {n(f['downloads'])} {esc(_('unduhan dalam 30 hari terakhir'))}",
            f"• {n(f['searches'])} {esc(_('pencarian dalam 30 hari terakhir'))}",
            "• " + esc(answered),
            "• " + esc(ikm),
        )


async def statistik(update, context):
    chat = await as_chat(update, context)
    await send(update, context, await db(statistics_text, chat.language))


# ---------------------------------------------------------------- /faq

def _short(text, limit=SNIPPET):
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[:limit - 1].rsplit(" ", 1)[0] + "…"


def _article_line(article, snippet=None):
    from app.kb.actions import article_url

    return lines("• " + link(article_url(article.slug), article.title),
                 esc(_short(snippet)) if snippet else None)


def faq_text(chat, query):
    """Search results for `query`, or (no words) the most read articles of each category."""
    from app.kb import actions
    from app.kb.labels import category_label

    actor = actor_of(chat)
    with locale(chat.language):
        if query:
            hits = actions.article_search(actor, query, limit=FAQ_RESULTS)
            if not hits:
                return lines(_("Tidak ada artikel bantuan untuk \u201c%(q)s\u201d.",
                               q=esc(query)),
                             _("Coba kata lain, atau ajukan pertanyaan lewat /minta."))
            return lines(bold(_("Pusat bantuan: %(q)s", q=query)), "",
                         *[_article_line(h.article, h.snippet) for h in hits])
        articles = actions.article_list(actor)
        if not articles:
            return _("Pusat bantuan belum berisi artikel.")
        by_category = {}
        for article in sorted(articles, key=lambda a: (-(a.views or 0), a.title)):
            by_category.setdefault(article.category, []).append(article)
        parts = [_("Ketik /faq diikuti kata yang dicari, mis. /faq unduh data. Artikel yang "
                   "paling banyak dibaca:")]
        for category, items in by_category.items():
            parts += ["", bold(category_label(category))]
            parts += [_article_line(a) for a in items[:3]]
        return lines(*parts)


async def faq(update, context):
    chat = await as_chat(update, context)
    text = await db(faq_text, chat, " ".join(context.args or ()).strip())
    await send(update, context, text, link_preview_options=NO_PREVIEW)


# ---------------------------------------------------------------- unknown commands

def unknown_text(chat, command):
    """"Unknown command" with the help pointer, and FAQ articles matching the word typed."""
    from app.kb import actions

    hits = actions.article_search(actor_of(chat), command, limit=3) if command else []
    with locale(chat.language):
        return lines(
            _("Perintah tidak dikenal: /%(command)s", command=esc(command)),
            _("Ketik /bantuan untuk daftar perintah."),
            *(["", _("Mungkin ini membantu:")] + [_article_line(h.article) for h in hits]
              if hits else []))


async def unknown(update, context):
    chat = await as_chat(update, context)
    await send(update, context, await db(unknown_text, chat, command_of(update) or ""),
               link_preview_options=NO_PREVIEW)


# ---------------------------------------------------------------- registration

def register(application):
    application.add_handler(CommandHandler(["bantuan", "help"], bantuan))
    application.add_handler(CommandHandler("bahasa", bahasa))
    application.add_handler(CallbackQueryHandler(language_chosen, pattern=f"^{LANGUAGE}"))
    application.add_handler(CommandHandler("statistik", statistik))
    application.add_handler(CommandHandler("faq", faq))


def register_fallbacks(application):
    """Last in group 0: a command nobody handled."""
    application.add_handler(MessageHandler(filters.COMMAND, unknown))
