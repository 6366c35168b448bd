"""python-telegram-bot persistence in the database (app.chats.models.BotState), so a citizen
halfway through /minta continues after a restart or a redeploy.

One row per thing, keyed by:

    conv:<handler name>:<chat id>:<user id>   a ConversationHandler's state for one chat
    chat:<chat id>  /  user:<user id>          context.chat_data / context.user_data
    bot                                        context.bot_data
    callback                                   the arbitrary-callback-data cache (unused
                                               unless the bot enables it)

Values are stored as JSON: keep chat_data/user_data to plain values (str, int, float, bool,
None, lists, dicts with string keys). A dict key that is an int comes back as a string.

Writes go through the bridge (never on the event loop). Each key remembers what it last
wrote, so an unchanged chat_data or bot_data costs no database call: that is what lets
bot.app.BotApplication persist after every update (a crash loses no step of a conversation)
instead of only every `update_interval` seconds.
"""
import json
import logging

from sqlalchemy.exc import IntegrityError
from telegram.ext import BasePersistence, PersistenceInput

from bot.bridge import db

log = logging.getLogger(__name__)


def _dump(value):
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


# ---------------------------------------------------------------- bridged database work

def _load_prefix(prefix):
    from app.chats.models import BotState

    rows = BotState.query.filter(BotState.key.startswith(prefix, autoescape=True)).all()
    return {row.key: row.data for row in rows}


def _load(key):
    from app.chats.models import BotState
    from app.extensions import db as sqla

    row = sqla.session.get(BotState, key)
    return None if row is None else row.data


def _save(key, data):
    from app.chats.models import BotState
    from app.extensions import db as sqla

    for attempt in (1, 2):
        row = sqla.session.get(BotState, key)
        if row is None:
            sqla.session.add(BotState(key=key, data=data))
        else:
            row.data = data
        try:
            sqla.session.commit()
            return
        except IntegrityError:  # another process inserted the same key first: update it
            sqla.session.rollback()
            if attempt == 2:
                raise


def _delete(key):
    from app.chats.models import BotState
    from app.extensions import db as sqla

    BotState.query.filter_by(key=key).delete()
    sqla.session.commit()


# ---------------------------------------------------------------- the persistence

def _conv_key(name, key):
    return f"conv:{name}:" + ":".join(str(k) for k in key)


class DbPersistence(BasePersistence):
    """BasePersistence over the BotState table. See the module docstring."""

    def __init__(self, update_interval=60):
        super().__init__(store_data=PersistenceInput(), update_interval=update_interval)
        self._written = {}  # key -> JSON text last read or written

    # -- helpers

    async def _write(self, key, data):
        text = _dump(data)
        if self._written.get(key, "{}") == text:  # unchanged, or empty and never stored
            return
        await db(_save, key, json.loads(text))
        self._written[key] = text

    async def _drop(self, key):
        await db(_delete, key)
        self._written.pop(key, None)

    async def _read_many(self, prefix):
        rows = await db(_load_prefix, prefix)
        for key, data in rows.items():
            self._written[key] = _dump(data)
        return rows

    # -- user, chat and bot data

    async def _id_dicts(self, prefix):
        out = {}
        for key, data in (await self._read_many(prefix)).items():
            try:
                out[int(key[len(prefix):])] = data
            except ValueError:
                log.warning("ignoring bot state %r", key)
        return out

    async def get_user_data(self):
        return await self._id_dicts("user:")

    async def get_chat_data(self):
        return await self._id_dicts("chat:")

    async def get_bot_data(self):
        data = await db(_load, "bot")
        if data is None:
            return {}
        self._written["bot"] = _dump(data)
        return data

    async def update_user_data(self, user_id, data):
        await self._write(f"user:{user_id}", data)

    async def update_chat_data(self, chat_id, data):
        await self._write(f"chat:{chat_id}", data)

    async def update_bot_data(self, data):
        await self._write("bot", data)

    async def drop_user_data(self, user_id):
        await self._drop(f"user:{user_id}")

    async def drop_chat_data(self, chat_id):
        await self._drop(f"chat:{chat_id}")

    async def refresh_user_data(self, user_id, user_data):
        """Nothing to do: this process is the only writer of its chats' data."""

    async def refresh_chat_data(self, chat_id, chat_data):
        """As refresh_user_data."""

    async def refresh_bot_data(self, bot_data):
        """As refresh_user_data."""

    # -- callback data (only used when the bot enables arbitrary_callback_data)

    async def get_callback_data(self):
        data = await db(_load, "callback")
        if data is None:
            return None
        self._written["callback"] = _dump(data)
        buttons, mapping = data
        return [(uuid, ts, dict(items)) for uuid, ts, items in buttons], dict(mapping)

    async def update_callback_data(self, data):
        await self._write("callback", [list(data[0]), data[1]])

    # -- conversations

    async def get_conversations(self, name):
        prefix = f"conv:{name}:"
        out = {}
        for key, state in (await self._read_many(prefix)).items():
            try:
                out[tuple(int(k) for k in key[len(prefix):].split(":"))] = state
            except ValueError:
                log.warning("ignoring conversation state %r", key)
        return out

    async def update_conversation(self, name, key, new_state):
        if new_state is None:  # the conversation ended
            if _conv_key(name, key) in self._written:  # every stored key was read or written
                await self._drop(_conv_key(name, key))
        else:
            await self._write(_conv_key(name, key), new_state)

    async def flush(self):
        """Every write is already committed."""
