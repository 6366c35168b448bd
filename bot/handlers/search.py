"""/cari and plain text: the public catalogue in the chat, dataset details, downloads.

The same actions as the web's /dataset pages, with the chat's citizen account as the actor:
app.catalog.search.catalogue finds (published open and restricted datasets only: closed ones
are never listed), app.catalog.actions.get_dataset / can_download / resource_download show
and serve, and count a download exactly as the web's download route does.

Buttons (callback data, all under 64 bytes):

    cari:p:<query id>:<page>   a page of results; the query text is kept in chat_data
                               ("cari" → {"n": last id, "q": {id: text}}, the last
                               KEPT_QUERIES searches), so any query length fits
    cari:s:<query id>          search the "did you mean" suggestion (a new search)
    cari:d:<dataset id>        a dataset's details (a new message: the list stays)
    cari:u:<resource id>       download one resource
    m:<dataset name or id>     "minta akses" for a restricted dataset: the entry point of
                               /minta in bot.handlers.requests, prefilled with that dataset
                               (the name, or the id when the name does not fit in 64 bytes;
                               app.catalog.actions.get_dataset accepts either)

Plain text that is not a command and not a reply is a search too. Replies belong to the
requests module (a reply to a message about a ticket), and text typed inside /minta never
gets here: both are handled earlier in group 0 (see bot.handlers).
"""
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ChatAction
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from app.core.errors import NotAuthorized
from bot.bridge import actor_of, as_chat, db, locale
from bot.texts import (
    MAX_CAPTION,
    NO_PREVIEW,
    bold,
    error_text,
    esc,
    lines,
    link,
    render,
    send,
)

PAGE = "cari:p:"
SUGGESTION = "cari:s:"
DETAIL = "cari:d:"
DOWNLOAD = "cari:u:"
ACCESS = "m:"            # bot.handlers.requests: /minta for this dataset
MAX_CALLBACK = 64        # bytes of callback data Telegram keeps

PER_PAGE = 5
MAX_UPLOAD = 20 * 1024 * 1024   # larger files go as a link to the portal
KEPT_QUERIES = 20
FAQ_SUGGESTIONS = 3
DESCRIPTION_CHARS = 300
BUTTON_CHARS = 40

EXPIRED = _l("Pencarian ini sudah kedaluwarsa. Silakan cari lagi.")


# ---------------------------------------------------------------- small helpers

def _short(text, limit):
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[:limit - 1].rsplit(" ", 1)[0] or text[:limit - 1]
    return cut + "…"


def _years(ds):
    if ds.period_start is None:
        return None
    if ds.period_end and ds.period_end != ds.period_start:
        return f"{ds.period_start}–{ds.period_end}"
    return str(ds.period_start)


def _size(n):
    """A file size as people read it (current locale's decimal sign)."""
    if n is None:
        return None
    if n < 1024 * 1024:
        return f"{format_decimal(max(n, 1) / 1024, format='#,##0.0')} KB"
    return f"{format_decimal(n / (1024 * 1024), format='#,##0.0')} MB"


def site_url(endpoint, **values):
    """An absolute address on the portal (SITE_URL): the bot has no request to take it from."""
    from urllib.parse import urlsplit

    site = urlsplit(current_app.config["SITE_URL"])
    adapter = current_app.url_map.bind(site.netloc, script_name=site.path or "/",
                                       url_scheme=site.scheme or "https")
    return adapter.build(endpoint, values, force_external=True)


def access_data(ds):
    """The "minta akses" callback data for a dataset (see the module docstring)."""
    data = f"{ACCESS}{ds.name}"
    return data if len(data.encode()) <= MAX_CALLBACK else f"{ACCESS}{ds.id}"


def _button_label(text):
    return _short(text, BUTTON_CHARS)


# ---------------------------------------------------------------- the queries of a chat

def remember(context, query):
    """Keep `query` in chat_data; its id for the page buttons."""
    store = context.chat_data.setdefault("cari", {"n": 0, "q": {}})
    store["n"] = int(store.get("n", 0)) + 1
    queries = store.setdefault("q", {})
    queries[str(store["n"])] = query
    for old in sorted(queries, key=int)[:-KEPT_QUERIES]:
        del queries[old]
    return store["n"]


def recall(context, query_id):
    """The text of a remembered query, or None once it is forgotten."""
    return (context.chat_data.get("cari") or {}).get("q", {}).get(str(query_id))


# ---------------------------------------------------------------- results (bridged)

@dataclass
class Results:
    text: str
    rows: list = field(default_factory=list)  # [(button label, dataset id)]
    page: int = 1
    has_next: bool = False
    next_label: str = ""
    previous_label: str = ""
    suggestion: str | None = None              # "did you mean"

    def markup(self, query_id, suggestion_id=None):
        buttons = [[InlineKeyboardButton(label, callback_data=f"{DETAIL}{dataset_id}")]
                   for label, dataset_id in self.rows]
        nav = []
        if self.page > 1:
            nav.append(InlineKeyboardButton(self.previous_label,
                                            callback_data=f"{PAGE}{query_id}:{self.page - 1}"))
        if self.has_next:
            nav.append(InlineKeyboardButton(self.next_label,
                                            callback_data=f"{PAGE}{query_id}:{self.page + 1}"))
        if nav:
            buttons.append(nav)
        if self.suggestion and suggestion_id is not None:
            buttons.append([InlineKeyboardButton(f"🔎 {_button_label(self.suggestion)}",
                                                 callback_data=f"{SUGGESTION}{suggestion_id}")])
        return InlineKeyboardMarkup(buttons) if buttons else None


def _item(n, ds):
    from app.catalog.labels import access_label

    facts = [ds.organisation.title if ds.organisation else None, access_label(ds.access),
             _years(ds)]
    return lines(bold(f"{n}. {ds.title}"), esc(" · ".join(f for f in facts if f)))


def _faq_lines(actor, query):
    from app.kb import actions as kb

    hits = kb.article_search(actor, query, limit=FAQ_SUGGESTIONS)
    return ["• " + link(kb.article_url(h.article.slug), h.article.title) for h in hits]


def results(chat, query, page=1, record=True):
    """A page of PER_PAGE published datasets for `query`, in the chat's language.

    The catalogue pages by 20: the bot's page p is a slice of catalogue page
    ((p - 1) * PER_PAGE // 20) + 1. Only the first page of a new search goes to the search
    log, as on the web.
    """
    from app.catalog import search
    from app.catalog.search_engine import parse

    actor = actor_of(chat)
    query = search.clean_filters({"q": query}).get("q", "")
    page = max(1, int(page))
    with locale(chat.language):
        if not parse(query).words:
            return Results(text=usage_text())
        offset = (page - 1) * PER_PAGE
        found = search.catalogue(actor, {"q": query}, page=offset // search.PAGE_SIZE + 1,
                                 sort="relevance", record=record and page == 1)
        start = offset % search.PAGE_SIZE
        items = found.items[start:start + PER_PAGE]
        if not items:
            return _nothing_found(actor, query, found.suggestion, page)
        pages = max(1, -(-found.total // PER_PAGE))
        parts = [bold(_("Hasil pencarian \u201c%(q)s\u201d", q=query)),
                 esc(ngettext("%(num)s dataset", "%(num)s dataset", found.total)
                     + " · " + _("halaman %(page)s dari %(pages)s", page=page, pages=pages))]
        if found.mode == "any":
            parts.append(esc(_("Tidak ada dataset yang memuat semua kata; ini hasil yang "
                               "memuat sebagian.")))
        for n, ds in enumerate(items, start=offset + 1):
            parts += ["", _item(n, ds)]
        parts += ["", esc(_("Tekan nomor dataset untuk detail dan unduhan. Data yang Anda "
                            "perlukan tidak ada? Ajukan permohonan dengan /minta."))]
        return Results(
            text=lines(*parts),
            rows=[(_button_label(f"{n}. {ds.title}"), ds.id)
                  for n, ds in enumerate(items, start=offset + 1)],
            page=page, has_next=offset + PER_PAGE < found.total,
            next_label=_("berikutnya ›"), previous_label=_("‹ sebelumnya"))


def _nothing_found(actor, query, suggestion, page):
    if page > 1:  # a page past the end (the catalogue changed since the list was sent)
        return Results(text=esc(_("Tidak ada hasil lagi untuk \u201c%(q)s\u201d.", q=query)))
    faq = _faq_lines(actor, query)
    parts = [esc(_("Dataset untuk \u201c%(q)s\u201d tidak ditemukan.", q=query))]
    if suggestion:
        parts.append(_("Mungkin maksud Anda: %(s)s?", s=bold(suggestion)))
    if faq:
        parts += ["", esc(_("Artikel bantuan yang mungkin menjawab:")), *faq]
    parts += ["", esc(_("Data yang Anda perlukan belum ada di katalog? Ajukan permohonan data "
                        "dengan /minta, petugas akan membantu mencarikannya."))]
    return Results(text=lines(*parts), suggestion=suggestion)


def usage_text():
    """How to search (current locale)."""
    return esc(_("Ketik kata yang dicari, mis. /cari penduduk kecamatan. Anda juga bisa "
                 "langsung mengetik kata yang dicari tanpa perintah."))


def _usage(language):
    with locale(language):
        return usage_text()


# ---------------------------------------------------------------- detail (bridged)

def detail(chat, dataset_id):
    """A dataset's description, metadata and files, with a button per file, or "minta akses"
    when the dataset is restricted and the citizen is not on its access list.

    :raises NotFound (withdrawn since, or never public: closed datasets are not shown)
    """
    from app.catalog import actions as catalog
    from app.catalog.labels import access_label, frequency_label
    from app.catalog.models import Access

    actor = actor_of(chat)
    ds = catalog.get_dataset(actor, dataset_id)
    allowed = catalog.can_download(actor, ds)
    with locale(chat.language):
        def meta(label, value):
            return f"{bold(label)}: {esc(value)}" if value else None

        parts = [bold(ds.title)]
        if ds.description:
            parts.append(esc(_short(ds.description, DESCRIPTION_CHARS)))
        parts += ["",
                  meta(_("Produsen"), ds.organisation.title if ds.organisation else None),
                  meta(_("Akses"), access_label(ds.access)),
                  meta(_("Periode"), _years(ds)),
                  meta(_("Cakupan wilayah"), ds.spatial_coverage),
                  meta(_("Frekuensi pemutakhiran"), frequency_label(ds.frequency)),
                  meta(_("Lisensi"), ds.license.title if ds.license else None)]
        parts += ["", bold(_("Berkas"))]
        for res in ds.resources:
            facts = ", ".join(f for f in (res.format, _size(res.size)) if f)
            parts.append(f"• {esc(res.name)}" + (f" ({esc(facts)})" if facts else ""))
        if not ds.resources:
            parts.append(esc(_("Belum ada berkas.")))
        buttons = []
        if allowed:
            for res in ds.resources:
                label = "🔗 " + _("Buka %(name)s", name=res.name) if res.kind == "link" \
                    else "⬇️ " + _("Unduh %(name)s", name=res.name)
                buttons.append([InlineKeyboardButton(_button_label(label),
                                                     callback_data=f"{DOWNLOAD}{res.id}")])
        if ds.access == Access.TERBATAS and allowed:
            parts += ["", esc(_("Anda termasuk dalam daftar akses dataset terbatas ini."))]
        elif ds.access == Access.TERBATAS:
            parts += ["", esc(_("Dataset ini terbatas: metadatanya terbuka, berkasnya hanya "
                                "untuk pengguna yang telah diberi akses melalui permohonan "
                                "data."))]
            buttons.append([InlineKeyboardButton("📝 " + _("Minta akses"),
                                                 callback_data=access_data(ds))])
        parts += ["", link(site_url("catalog.dataset", name=ds.name), _("Lihat di portal"))]
        return lines(*parts), (InlineKeyboardMarkup(buttons) if buttons else None)


# ---------------------------------------------------------------- download (bridged)

@dataclass
class Delivery:
    """What to send for an "unduh" press: a file (content, filename) or a text."""

    text: str
    content: bytes | None = None
    filename: str | None = None
    markup: InlineKeyboardMarkup | None = None


def _too_big(ds, res, size):
    url = site_url("catalog.download", name=ds.name, resource_id=res.id, fmt="original")
    return Delivery(text=lines(
        esc(_("Berkas %(name)s terlalu besar untuk dikirim lewat Telegram (%(size)s, batas "
              "%(limit)s).", name=res.name, size=_size(size), limit=_size(MAX_UPLOAD))),
        _("Unduh dari portal: %(link)s", link=link(url, res.name))))


def download(chat, resource_id):
    """Serve one resource as the web's download route does (app.catalog.actions.
    resource_download: the stored original, or the CSV the public gets when personal data was
    masked; the download counted), sized for Telegram.

    A file the portal knows to be over MAX_UPLOAD is not fetched here: the citizen gets the
    portal's download link, and the portal counts the download when it is followed.
    :raises NotFound, ValidationError
    """
    from pathlib import Path

    from app.catalog import actions as catalog

    actor = actor_of(chat)
    res = catalog.get_resource(actor, resource_id)
    ds = res.dataset
    with locale(chat.language):
        if res.kind != "link" and (res.size or 0) > MAX_UPLOAD \
                and catalog.can_download(actor, ds):
            return _too_big(ds, res, res.size)
        try:
            served = catalog.resource_download(actor, res.id, "original")
        except NotAuthorized as exc:  # restricted: the way in is a request for the data
            return Delivery(text=error_text(exc, chat.language), markup=InlineKeyboardMarkup(
                [[InlineKeyboardButton("📝 " + _("Minta akses"),
                                       callback_data=access_data(ds))]]))
        if "url" in served:
            return Delivery(text=lines(bold(ds.title),
                                       _("Tautan %(name)s: %(link)s", name=esc(res.name),
                                         link=link(served["url"], served["url"]))))
        path = Path(served["path"])
        size = path.stat().st_size
        if size > MAX_UPLOAD:  # an export larger than its original (counted: it was served)
            return _too_big(ds, res, size)
        caption = lines(bold(ds.title), esc(res.name),
                        esc(_("Lisensi: %(l)s", l=ds.license.title)) if ds.license else None)
        if len(caption) > MAX_CAPTION:
            caption = esc(_short(ds.title, MAX_CAPTION - 10))
        return Delivery(text=caption, content=path.read_bytes(),
                        filename=served["filename"] or path.name)


# ---------------------------------------------------------------- handlers

async def _search(update, context, query):
    chat = await as_chat(update, context)
    query = " ".join((query or "").split())
    if not query:
        await send(update, context, await db(_usage, chat.language))
        return
    query_id = remember(context, query)
    found = await db(results, chat, query)
    suggestion_id = remember(context, found.suggestion) if found.suggestion else None
    await send(update, context, found.text, reply_markup=found.markup(query_id, suggestion_id),
               link_preview_options=NO_PREVIEW)


async def cari(update, context):
    await _search(update, context, " ".join(context.args or ()))


async def plain_text(update, context):
    """Free text is a search (replies and text inside /minta never reach this handler)."""
    await _search(update, context, update.effective_message.text)


async def _show_page(update, context, query_id, number, record):
    """Edit the message of the pressed button into page `number` of a remembered query."""
    query = update.callback_query
    chat = await as_chat(update, context)
    text = recall(context, query_id)
    if text is None:
        await query.answer(await render(chat.language, EXPIRED), show_alert=True)
        return
    await query.answer()
    found = await db(results, chat, text, number, record=record)
    suggestion_id = remember(context, found.suggestion) if found.suggestion else None
    try:
        await query.edit_message_text(found.text,
                                      reply_markup=found.markup(query_id, suggestion_id),
                                      link_preview_options=NO_PREVIEW)
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():  # the same button pressed twice
            raise


async def page(update, context):
    """Turning pages: not a new search, so not logged again."""
    try:
        query_id, number = update.callback_query.data[len(PAGE):].split(":")
        number = int(number)
    except ValueError:
        await update.callback_query.answer()
        return
    await _show_page(update, context, query_id, number, record=False)


async def suggestion(update, context):
    """ "Did you mean" pressed: a new search for the suggestion, in place of "not found"."""
    await _show_page(update, context, update.callback_query.data[len(SUGGESTION):], 1,
                     record=True)


async def show_detail(update, context):
    query = update.callback_query
    chat = await as_chat(update, context)
    await query.answer()
    text, markup = await db(detail, chat, query.data[len(DETAIL):])
    await send(update, context, text, reply_markup=markup, link_preview_options=NO_PREVIEW)


async def send_file(update, context):
    query = update.callback_query
    chat = await as_chat(update, context)
    await query.answer()
    await context.bot.send_chat_action(chat.chat_id, ChatAction.UPLOAD_DOCUMENT)
    delivery = await db(download, chat, query.data[len(DOWNLOAD):])
    if delivery.content is None:
        await send(update, context, delivery.text, reply_markup=delivery.markup,
                   link_preview_options=NO_PREVIEW)
        return
    await context.bot.send_document(chat.chat_id, document=delivery.content,
                                    filename=delivery.filename, caption=delivery.text)


def register(application):
    application.add_handler(CommandHandler("cari", cari))
    application.add_handler(CallbackQueryHandler(page, pattern=f"^{PAGE}"))
    application.add_handler(CallbackQueryHandler(suggestion, pattern=f"^{SUGGESTION}"))
    application.add_handler(CallbackQueryHandler(show_detail, pattern=f"^{DETAIL}"))
    application.add_handler(CallbackQueryHandler(send_file, pattern=f"^{DOWNLOAD}"))
    # Last of the feature handlers (bot.handlers.MODULES): replies and /minta come first.
    application.add_handler(MessageHandler(
        filters.TEXT & ~filters.COMMAND & ~filters.REPLY, plain_text))
