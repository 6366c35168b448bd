"""The bot's records: chats, link codes, handled updates, conversation state, sent messages."""
from sqlalchemy import JSON

from app.core.timeutil import utcnow
from app.extensions import db


class TelegramChat(db.Model):
    """A private chat with a citizen. Every chat acts as a user: a citizen account of its own
    (`shadow`) until it is linked to a web account, so the same permission rules apply."""

    __tablename__ = "telegram_chat"

    chat_id = db.Column(db.BigInteger, primary_key=True, autoincrement=False)
    user_id = db.Column(db.ForeignKey("user.id", ondelete="CASCADE"), nullable=False,
                        index=True)
    shadow = db.Column(db.Boolean, nullable=False, default=True)
    username = db.Column(db.String(64), nullable=True)
    first_name = db.Column(db.String(255), nullable=True)
    language = db.Column(db.String(5), nullable=False, default="id")
    consent_at = db.Column(db.DateTime, nullable=True)
    active = db.Column(db.Boolean, nullable=False, default=True)   # False once they block us
    blocked_at = db.Column(db.DateTime, nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    last_seen_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    user = db.relationship("User")


class LinkCode(db.Model):
    """A one-time code from the web profile page that links a chat to that web account."""

    __tablename__ = "telegram_link_code"

    code = db.Column(db.String(16), primary_key=True)
    user_id = db.Column(db.ForeignKey("user.id", ondelete="CASCADE"), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    expires_at = db.Column(db.DateTime, nullable=False)
    used_at = db.Column(db.DateTime, nullable=True)
    used_by_chat_id = db.Column(db.BigInteger, nullable=True)


class HandledUpdate(db.Model):
    """Telegram may deliver an update twice (a retried webhook, a restart while polling)."""

    __tablename__ = "telegram_update"

    update_id = db.Column(db.BigInteger, primary_key=True, autoincrement=False)
    handled_at = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)


class BotState(db.Model):
    """python-telegram-bot persistence (conversation states, user and chat data) in the
    database, so a citizen halfway through /minta continues after a restart."""

    __tablename__ = "telegram_state"

    key = db.Column(db.String(120), primary_key=True)
    data = db.Column(JSON, nullable=False)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow, onupdate=utcnow)


class SentMessage(db.Model):
    """Outgoing notifications already delivered, by outbox key: a retry never sends twice."""

    __tablename__ = "telegram_sent"

    key = db.Column(db.String(160), primary_key=True)
    chat_id = db.Column(db.BigInteger, nullable=False)
    message_id = db.Column(db.BigInteger, nullable=True)
    ticket_id = db.Column(db.Integer, nullable=True, index=True)
    sent_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    # A citizen's reply names the message it answers: find its ticket by chat and message.
    __table_args__ = (db.Index("ix_telegram_sent_message", "chat_id", "message_id"),)
