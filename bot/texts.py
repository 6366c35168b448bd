"""Writing messages: HTML escaping, the 4096-character limit, texts in the chat's language.

Every message is sent with parse_mode HTML (the Application's default), so any text that
comes from a user or the database goes through `esc()`. Texts are gettext msgids in
Indonesian; they are rendered in a bridged function under `bridge.locale(language)`:

    def _status_text(chat, number):          # runs in the bridge (a worker thread)
        ticket = ...
        with locale(chat.language):
            return _("Permohonan %(number)s: %(state)s", number=esc(ticket.number), ...)

    text = await db(_status_text, chat, number)
    await send(update, context, text)

For fixed texts, module-level lazy strings (`_l("...")`) rendered with `await render(...)`
save writing a bridged function.
"""
import html
from collections.abc import Iterable

from telegram import LinkPreviewOptions

from bot.bridge import db, locale

MAX_MESSAGE = 4096   # Telegram's limit for a message text
MAX_CAPTION = 1024   # ... and for a caption
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)  # for lists of links


def esc(value):
    """HTML-escape user or database text for parse_mode HTML (None → "")."""
    return html.escape("" if value is None else str(value), quote=False)


def bold(value):
    """<b>value</b>, escaped."""
    return f"<b>{esc(value)}</b>"


def italic(value):
    return f"<i>{esc(value)}</i>"


def link(url, label):
    """An HTML link, both parts escaped."""
    return f'<a href="{html.escape(str(url), quote=True)}">{esc(label)}</a>'


def _render_now(language, parts):
    with locale(language):
        return [str(p) for p in parts]


async def render(language, *parts):
    """Lazy strings (`_l(...)`) rendered in `language`: one text, or a list for several."""
    out = await db(_render_now, language, parts)
    return out[0] if len(parts) == 1 else out


def split(text, limit=MAX_MESSAGE):
    """Pieces of at most `limit` characters, cut at a blank line, else a line end, else a
    space, so no HTML tag or entity is cut when lines are built whole."""
    text = text or ""
    pieces = []
    while len(text) > limit:
        window = text[:limit]
        cut = max(window.rfind("\n\n"), 0) or max(window.rfind("\n"), 0) \
            or max(window.rfind(" "), 0) or limit
        if cut < limit // 4:  # no good place: a hard cut beats a tiny piece
            cut = limit
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip("\n ")
    if text or not pieces:
        pieces.append(text)
    return pieces


def lines(*items: Iterable):
    """Join the lines of a message; None leaves a line out, "" is a blank line."""
    return "\n".join(str(i) for i in items if i is not None)


def error_text(exc, language):
    """What a DomainError (NotAuthorized, NotFound, ValidationError, ...) says, in the chat's
    language, escaped. Call inside a bridged function (messages are lazy strings)."""
    from app.core.errors import ValidationError

    with locale(language):
        if isinstance(exc, ValidationError):
            seen, out = set(), []
            for messages in exc.errors.values():
                for message in messages:
                    text = str(message)
                    if text not in seen:
                        seen.add(text)
                        out.append(esc(text))
            return "\n".join(out) or esc(str(exc.message))
        return esc(str(exc.message))


async def send(update, context, text, reply_markup=None, **kwargs):
    """Send `text` to the update's chat, split at 4096 characters (the buttons go with the
    last piece). Returns the last Message sent."""
    chat_id = update.effective_chat.id
    pieces = split(text)
    message = None
    for i, piece in enumerate(pieces):
        last = i == len(pieces) - 1
        message = await context.bot.send_message(
            chat_id, piece, reply_markup=reply_markup if last else None, **kwargs)
    return message
