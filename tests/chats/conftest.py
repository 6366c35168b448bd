"""Fixtures of the chats tests: the fake Telegram Bot API server of tests/bot (a real HTTP
server, so python-telegram-bot's client code runs) and a fake clock for the per-chat pacing
of app/chats/notify.py, so no test sleeps."""
import pytest

from app.chats import notify
from tests.bot.fake_telegram import FakeTelegram


class FakeClock:
    """monotonic() and sleep() of the notification handler: sleeping moves the clock."""

    def __init__(self):
        self.now = 1000.0
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock()
    notify.reset_pacing()
    monkeypatch.setattr(notify, "_clock", fake)
    monkeypatch.setattr(notify, "_sleep", fake.sleep)
    yield fake
    notify.reset_pacing()


@pytest.fixture(scope="session")
def _telegram_server():
    # One server for the session: stopping one waits out serve_forever's 0.5 s poll.
    fake = FakeTelegram().start()
    yield fake
    fake.stop()


@pytest.fixture
def telegram(app, monkeypatch, clock, _telegram_server):
    """The fake server, forgetting earlier tests' calls and blocks, with the app pointed at
    it (token, API and file URLs)."""
    fake = _telegram_server
    fake.clear()
    fake.blocked.clear()
    monkeypatch.setitem(app.config, "TELEGRAM_BOT_TOKEN", fake.token)
    monkeypatch.setitem(app.config, "TELEGRAM_API_BASE_URL", fake.base_url)
    monkeypatch.setitem(app.config, "TELEGRAM_FILE_BASE_URL", fake.file_base_url)
    yield fake
