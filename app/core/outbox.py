"""Outbox: side effects that leave the process are written here in the caller's transaction
and delivered later by `drain`, with retries and backoff, so an outage loses nothing and a
retry sends nothing twice (each message carries an idempotency key the handler can pass on).
"""
import logging
import uuid
from datetime import timedelta

from sqlalchemy import JSON, Index

from app.core.timeutil import utcnow
from app.extensions import db

log = logging.getLogger(__name__)

PENDING, SENT, DEAD = "pending", "sent", "dead"
MAX_ATTEMPTS = 8
_handlers = {}


class OutboxMessage(db.Model):
    __tablename__ = "outbox"

    id = db.Column(db.Integer, primary_key=True)
    topic = db.Column(db.String(80), nullable=False)
    key = db.Column(db.String(120), nullable=False, unique=True)
    payload = db.Column(JSON, nullable=False, default=dict)
    status = db.Column(db.String(10), nullable=False, default=PENDING)
    attempts = db.Column(db.Integer, nullable=False, default=0)
    next_attempt_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    last_error = db.Column(db.Text, nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    sent_at = db.Column(db.DateTime, nullable=True)

    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)


def handler(topic):
    """Register the function that delivers messages of one topic: fn(payload, key)."""
    def register(fn):
        _handlers[topic] = fn
        return fn
    return register


def enqueue(topic, key=None, **payload):
    """Add a message to the current transaction. A repeated key is ignored (idempotent enqueue)."""
    key = key or f"{topic}:{uuid.uuid4().hex}"
    existing = OutboxMessage.query.filter_by(key=key).first()
    if existing:
        return existing
    msg = OutboxMessage(topic=topic, key=key, payload=payload)
    db.session.add(msg)
    return msg


def backoff(attempts):
    """30 s, 1 min, 2 min, ... capped at one hour."""
    return timedelta(seconds=min(30 * 2 ** (attempts - 1), 3600))


def _due(now, limit, topics=None):
    topics = [t for t in (topics or _handlers) if t in _handlers]
    query = (
        OutboxMessage.query.filter(
            OutboxMessage.status == PENDING,
            OutboxMessage.next_attempt_at <= now,
            OutboxMessage.topic.in_(topics),
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    if db.engine.dialect.name == "postgresql":
        # Two drainers never take the same message.
        query = query.with_for_update(skip_locked=True)
    return query.all()


def _deliver(msg, now):
    try:
        _handlers[msg.topic](msg.payload, msg.key)
    except Exception as exc:  # noqa: BLE001 - any failure of a handler is retried
        msg.attempts += 1
        msg.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        if msg.attempts >= MAX_ATTEMPTS:
            msg.status = DEAD
            log.error("outbox message %s dead after %s attempts", msg.key, msg.attempts)
        else:
            msg.next_attempt_at = now + backoff(msg.attempts)
        return False
    msg.status, msg.sent_at, msg.attempts = SENT, now, msg.attempts + 1
    return True


def drain(now=None, limit=100, topics=None):
    """Deliver due messages (of these topics only, if given), committing after each one.
    Returns {"sent": n, "failed": n}."""
    now = now or utcnow()
    counts = {"sent": 0, "failed": 0}
    for msg in _due(now, limit, topics):
        ok = _deliver(msg, now)
        counts["sent" if ok else "failed"] += 1
        db.session.commit()
    return counts
