"""The thread bridge: the only way the bot touches the database.

python-telegram-bot runs every handler on one asyncio loop; a blocking query there would
stall every citizen at once. So database work is a plain synchronous function (it calls
actions, reads models, renders texts) run with `await db(fn, *args)`:

- in a worker thread (asyncio.to_thread, the loop's default executor);
- inside an application context of the Flask app the bot was built with (`bind`), so
  `db.session`, `current_app`, flask_babel and url building work as in the CLI;
- with its own SQLAlchemy session, removed afterwards: Flask-SQLAlchemy scopes the session
  to the application context, and each call pushes a fresh one, so two threads never share a
  session and nothing is left open between calls.

Only plain values may leave a bridged function (str, int, dataclasses such as ChatView):
an ORM object handed back to the loop is detached from its (removed) session and would
lazy-load in the wrong thread. Render texts inside the bridged function too, under
`locale(language)`.

One Flask app per process: `bind()` is called by bot.app.build_application.
"""
import asyncio
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import force_locale

from app.extensions import db as sqla

_flask_app = None


def bind(flask_app):
    """Use `flask_app` for every bridged call of this process (build_application calls it)."""
    global _flask_app
    _flask_app = flask_app


def flask_app():
    if _flask_app is None:
        raise RuntimeError("bot.bridge is not bound to a Flask app: call build_application")
    return _flask_app


def call(fn, *args, **kwargs):
    """Run `fn` here, synchronously, inside its own app context and session (what `db` runs in
    the worker thread; also usable from a plain thread such as a CLI command)."""
    with flask_app().app_context():
        try:
            return fn(*args, **kwargs)
        finally:
            sqla.session.remove()


async def db(fn, *args, **kwargs):
    """`fn(*args, **kwargs)` in a worker thread with an app context; its result.

    Exceptions raised by `fn` (NotAuthorized, ValidationError, ...) propagate to the caller;
    the session is rolled back and removed either way.
    """
    return await asyncio.to_thread(call, fn, *args, **kwargs)


@contextmanager
def locale(language):
    """Render gettext texts in the chat's language ("id" or "en") inside a bridged function:

        def _text(language):
            with locale(language):
                return _("Selamat datang")
    """
    with force_locale(language or "id"):
        yield


# ---------------------------------------------------------------- the chat behind an update

@dataclass(frozen=True)
class ChatView:
    """What the handlers need to know about the chat, as plain values (safe on the loop).

    `user_id` is the citizen account that acts for the chat (a shadow account until the chat
    is linked to a web account): load it in a bridged function with
    `db.session.get(User, chat.user_id)` and pass it to the actions as the actor.
    """

    chat_id: int
    user_id: int
    shadow: bool
    language: str
    consented: bool
    active: bool
    name: str

    @classmethod
    def of(cls, chat):
        return cls(chat_id=chat.chat_id, user_id=chat.user_id, shadow=chat.shadow,
                   language=chat.language, consented=chat.consent_at is not None,
                   active=chat.active, name=chat.user.name if chat.user else "")


# How stale a chat's last_seen_at may get before an update writes it again. Writing it on
# every update would cost a commit per message for a date nobody needs to the second.
SEEN_EVERY = timedelta(minutes=5)


def _seen(chat_id, username, first_name, language_code):
    """The chat's view; chat_seen (a write) only when something changed: a new chat, a
    blocked one writing again, new names, or last_seen_at older than SEEN_EVERY."""
    from sqlalchemy.orm import joinedload

    from app.chats import actions
    from app.chats.models import TelegramChat
    from app.core.actor import SYSTEM
    from app.core.timeutil import utcnow

    chat = (TelegramChat.query.options(joinedload(TelegramChat.user))
            .filter_by(chat_id=int(chat_id)).first())
    if (chat is None or not chat.active or chat.username != username
            or (first_name and chat.first_name != first_name)
            or chat.last_seen_at < utcnow() - SEEN_EVERY):
        chat = actions.chat_seen(SYSTEM, chat_id, username=username, first_name=first_name,
                                 language_code=language_code)
    return ChatView.of(chat)


def _refresh(chat_id):
    from app.chats import actions
    from app.core.actor import SYSTEM

    return ChatView.of(actions.chat_get(SYSTEM, chat_id))


async def as_chat(update, context=None, refresh=False):
    """Register or refresh the chat of `update` (app.chats.actions.chat_seen) and return its
    ChatView. With `context`, the view is kept on it, so the handlers of every group that see
    the same update make one database call between them; `refresh=True` re-reads it (after a
    handler changed the language, consent or link).
    """
    cached = getattr(context, "chat_view", None) if context is not None else None
    if cached is not None and not refresh:
        return cached
    chat, user = update.effective_chat, update.effective_user
    if cached is not None:
        view = await db(_refresh, chat.id)
    else:
        view = await db(_seen, chat.id, getattr(user, "username", None) or chat.username,
                        getattr(user, "first_name", None) or chat.first_name,
                        getattr(user, "language_code", None))
    if context is not None:
        context.chat_view = view
    return view


def actor_of(chat):
    """The citizen account acting for a chat (call inside a bridged function)."""
    from app.accounts.models import User

    return sqla.session.get(User, chat.user_id)
