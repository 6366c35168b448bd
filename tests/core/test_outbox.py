"""Outbox: idempotent enqueue, delivery by registered handlers, retries with backoff, dead
letters, and never a second delivery."""
from datetime import timedelta

import pytest

from app.core import outbox
from app.core.outbox import MAX_ATTEMPTS, OutboxMessage
from app.core.timeutil import utcnow
from app.extensions import db


@pytest.fixture(autouse=True)
def handlers(monkeypatch):
    """A private handler registry for each test; the app's own handlers come back after."""
    monkeypatch.setattr(outbox, "_handlers", dict(outbox._handlers))
    return outbox._handlers


@pytest.fixture
def delivered():
    calls = []

    @outbox.handler("test.sent")
    def deliver(payload, key):
        calls.append((payload, key))

    return calls


def test_enqueue_is_idempotent_by_key():
    outbox.enqueue("test.sent", key="k-1", dataset_id="a")
    db.session.commit()
    again = outbox.enqueue("test.sent", key="k-1", dataset_id="b")
    db.session.commit()
    assert OutboxMessage.query.count() == 1
    assert again.payload == {"dataset_id": "a"}


def test_enqueue_without_key_makes_a_unique_one():
    a = outbox.enqueue("test.sent", n=1)
    b = outbox.enqueue("test.sent", n=2)
    db.session.commit()
    assert a.key != b.key and a.key.startswith("test.sent:")


def test_enqueue_belongs_to_the_callers_transaction():
    outbox.enqueue("test.sent", key="k-1")
    db.session.rollback()
    assert OutboxMessage.query.count() == 0


def test_drain_delivers_with_the_registered_handler(delivered):
    outbox.enqueue("test.sent", key="k-1", dataset_id="a")
    db.session.commit()
    assert outbox.drain() == {"sent": 1, "failed": 0}
    assert delivered == [({"dataset_id": "a"}, "k-1")]
    msg = OutboxMessage.query.one()
    assert msg.status == outbox.SENT and msg.sent_at is not None and msg.attempts == 1


def test_a_message_is_never_delivered_twice(delivered):
    outbox.enqueue("test.sent", key="k-1")
    db.session.commit()
    outbox.drain()
    outbox.drain()
    outbox.drain(now=utcnow() + timedelta(days=2))
    assert len(delivered) == 1


def test_messages_without_a_handler_wait(delivered):
    outbox.enqueue("test.unknown", key="k-2")
    db.session.commit()
    assert outbox.drain() == {"sent": 0, "failed": 0}
    assert OutboxMessage.query.one().status == outbox.PENDING


def test_failing_handler_is_retried_with_growing_backoff_then_dead(handlers):
    calls = []

    @outbox.handler("test.failing")
    def failing(payload, key):
        calls.append(key)
        raise ConnectionError("Telegram tidak menjawab")

    outbox.enqueue("test.failing", key="k-3")
    db.session.commit()
    now = utcnow()
    delays = []
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert outbox.drain(now=now) == {"sent": 0, "failed": 1}
        msg = db.session.get(OutboxMessage, OutboxMessage.query.one().id)
        assert msg.attempts == attempt
        assert msg.last_error == "ConnectionError: Telegram tidak menjawab"
        if attempt < MAX_ATTEMPTS:
            assert msg.status == outbox.PENDING
            delay = msg.next_attempt_at - now
            delays.append(delay)
            # Not due yet: a drain a moment before the next attempt leaves it alone.
            assert outbox.drain(now=msg.next_attempt_at - timedelta(seconds=1)) == {
                "sent": 0, "failed": 0}
            now = msg.next_attempt_at
    assert msg.status == outbox.DEAD
    assert all(later > earlier for earlier, later in zip(delays, delays[1:], strict=False))
    assert delays[0] == timedelta(seconds=30)
    assert len(calls) == MAX_ATTEMPTS
    # Dead is final.
    assert outbox.drain(now=now + timedelta(days=30)) == {"sent": 0, "failed": 0}
    assert len(calls) == MAX_ATTEMPTS


def test_a_retry_that_succeeds_is_sent_once(handlers):
    calls = []

    @outbox.handler("test.flaky")
    def flaky(payload, key):
        calls.append(key)
        if len(calls) == 1:
            raise TimeoutError("sebentar")

    outbox.enqueue("test.flaky", key="k-4")
    db.session.commit()
    now = utcnow()
    outbox.drain(now=now)
    outbox.drain(now=now + timedelta(minutes=5))
    outbox.drain(now=now + timedelta(hours=5))
    assert calls == ["k-4", "k-4"]
    msg = OutboxMessage.query.one()
    assert msg.status == outbox.SENT and msg.attempts == 2


def test_backoff_is_capped_at_an_hour():
    assert outbox.backoff(1) == timedelta(seconds=30)
    assert outbox.backoff(2) == timedelta(seconds=60)
    assert outbox.backoff(30) == timedelta(hours=1)


def test_cli_drain(runner, delivered):
    outbox.enqueue("test.sent", key="k-5")
    db.session.commit()
    result = runner.invoke(args=["outbox", "drain"])
    assert result.exit_code == 0, result.output
    assert "sent=1 failed=0" in result.output
    assert len(delivered) == 1
