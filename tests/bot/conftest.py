"""Fixtures of the bot's tests: the fake Telegram server and the real bot running against it.

- `telegram`: a FakeTelegram (tests/bot/fake_telegram.py), started for the test.
- `bot`: a BotHarness: the real Application (bot.app.build_application on the session app)
  running in a BotThread against the fake. `bot.feed(update, ...)` hands updates to it and
  returns when every handler ran; what it sent is read from the fake (`bot.texts(chat_id)`).
- `polling_bot`: the same, with the Updater really polling the fake's getUpdates; push
  updates with `telegram.push_update(...)` and wait with `telegram.wait_for(...)`.
- `make_chat`: a registered chat (consent given unless told otherwise), made through the
  chats actions as the bot would.

The bot's handlers run in the bridge's worker threads, each with its own app context and
session of the same session app. So `feed` commits the test's session first (the bot sees
what the test made) and expires it after (the test reads what the bot wrote).
"""
import concurrent.futures

import pytest

from app.extensions import db
from bot.app import BotThread, build_application
from tests.bot.fake_telegram import FakeTelegram, callback, message


class BotHarness:
    def __init__(self, runner, telegram):
        self.runner, self.telegram = runner, telegram

    @property
    def application(self):
        return self.runner.application

    def feed(self, *updates, timeout=30):
        """Process the updates one after another, as a chat's messages arrive."""
        _commit_test_session()
        try:
            for update in updates:
                self.runner.process(update, timeout=timeout)
        finally:
            db.session.expire_all()

    def feed_at_once(self, updates, timeout=30):
        """Process the updates concurrently (concurrent_updates is on), wait for all."""
        _commit_test_session()
        try:
            futures = [self.runner.handle(u) for u in updates]
            for future in concurrent.futures.as_completed(futures, timeout=timeout):
                future.result()
        finally:
            db.session.expire_all()

    # shortcuts
    def say(self, chat_id, text, **kwargs):
        """A message from chat_id; returns what the bot sent in response (Calls)."""
        before = len(self.telegram.sent(chat_id))
        self.feed(message(chat_id, text, **kwargs))
        return self.telegram.sent(chat_id)[before:]

    def press(self, chat_id, data, message_id, **kwargs):
        """A button press; returns what the bot sent or edited in response."""
        before = len(self.telegram.sent(chat_id))
        self.feed(callback(chat_id, data, message_id, **kwargs))
        return self.telegram.sent(chat_id)[before:]

    def texts(self, chat_id):
        return self.telegram.texts(chat_id)


def _commit_test_session():
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise


@pytest.fixture
def telegram():
    fake = FakeTelegram().start()
    yield fake
    fake.stop()


def start_bot(app, telegram, setup=None):
    """A started BotThread on the fake (stop it yourself); for tests that need several.
    `setup(application)` runs before it starts (e.g. to add a test handler)."""
    application = build_application(app, token=telegram.token, base_url=telegram.base_url,
                                    file_base_url=telegram.file_base_url)
    if setup is not None:
        setup(application)
    return BotThread(application).start()


@pytest.fixture
def bot(app, telegram):
    runner = start_bot(app, telegram)
    yield BotHarness(runner, telegram)
    runner.stop()


@pytest.fixture
def polling_bot(app, telegram):
    from telegram import Update

    runner = start_bot(app, telegram)
    runner.run(runner.application.updater.start_polling(
        poll_interval=0, timeout=5, allowed_updates=Update.ALL_TYPES,
        drop_pending_updates=False))
    yield BotHarness(runner, telegram)
    runner.stop()


@pytest.fixture
def make_chat():
    """make_chat(chat_id, consent=True, language="id", first_name="Warga") -> TelegramChat."""
    from app.chats import actions
    from app.core.actor import SYSTEM

    def make(chat_id, consent=True, language="id", first_name="Warga"):
        chat = actions.chat_seen(SYSTEM, chat_id, first_name=first_name,
                                 language_code=language)
        if language != chat.language:
            actions.chat_language(SYSTEM, chat_id, language)
        if consent:
            actions.chat_consent(SYSTEM, chat_id)
        return chat

    return make
