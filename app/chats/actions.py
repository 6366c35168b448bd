"""Use-cases of the Telegram chats. The bot calls them as SYSTEM; a citizen's own requests are
then made with `chat.user` as the actor, so the help desk's rules apply unchanged."""
import secrets
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.chats import auth
from app.chats.models import HandledUpdate, LinkCode, SentMessage, TelegramChat
from app.core import audit
from app.core.actor import Role, check
from app.core.errors import NotFound, ValidationError
from app.core.timeutil import utcnow
from app.extensions import db
from app.tickets.models import Ticket

LINK_CODE_TTL = timedelta(minutes=15)
LANGUAGES = ("id", "en")
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _language(code):
    # Telegram sends the app's language (e.g. "en-GB"); Indonesian unless it is English.
    return "en" if (code or "").lower().startswith("en") else "id"


def chat_get(actor, chat_id):
    """:raises NotAuthorized, NotFound"""
    check(auth.chat_manage(actor))
    chat = db.session.get(TelegramChat, int(chat_id))
    if chat is None:
        raise NotFound(_l("Percakapan belum terdaftar."))
    return chat


def chat_seen(actor, chat_id, username=None, first_name=None, language_code=None):
    """The chat behind an update: registered with a citizen account of its own on first
    contact, its names refreshed after. A blocked chat that writes again is active again."""
    check(auth.chat_manage(actor))
    chat = db.session.get(TelegramChat, int(chat_id))
    if chat is None:
        chat = _register(actor, int(chat_id), first_name, language_code)
    chat.username, chat.first_name = username, first_name or chat.first_name
    chat.last_seen_at, chat.active, chat.blocked_at = utcnow(), True, None
    db.session.commit()
    return chat


def _register(actor, chat_id, first_name, language_code):
    user = User(email=f"tg{chat_id}@telegram.invalid", name=first_name or "Pengguna Telegram",
                active=True)
    user.set_password(secrets.token_urlsafe(32))  # never told to anyone: no web login
    user.set_roles([Role.PEMOHON])
    chat = TelegramChat(chat_id=chat_id, user=user, shadow=True,
                        language=_language(language_code))
    db.session.add_all([user, chat])
    audit.record(actor, "telegram.chat_registered", chat_id, object_type="telegram_chat")
    return chat


def chat_consent(actor, chat_id):
    """The citizen accepted the privacy notice (UU 27/2022) in the bot's first message."""
    chat = chat_get(actor, chat_id)
    if chat.consent_at is None:
        chat.consent_at = utcnow()
        audit.record(actor, "telegram.consent", chat_id, object_type="telegram_chat")
        db.session.commit()
    return chat


def chat_language(actor, chat_id, language):
    """:raises ValidationError for a language the portal does not speak"""
    chat = chat_get(actor, chat_id)
    if language not in LANGUAGES:
        raise ValidationError({"language": [_l("Bahasa tidak tersedia.")]})
    chat.language = language
    db.session.commit()
    return chat


def chat_blocked(actor, chat_id):
    """The citizen blocked the bot: stop sending instead of retrying for ever."""
    chat = db.session.get(TelegramChat, int(chat_id))
    check(auth.chat_manage(actor))
    if chat is not None and chat.active:
        chat.active, chat.blocked_at = False, utcnow()
        audit.record(actor, "telegram.blocked", chat_id, object_type="telegram_chat")
        db.session.commit()
    return chat


def update_first_time(actor, update_id):
    """True the first time an update id is seen, False for a duplicate delivery."""
    check(auth.chat_manage(actor))
    db.session.add(HandledUpdate(update_id=int(update_id)))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


def updates_forget(actor, older_than=timedelta(days=2)):
    """Telegram redelivers an update within hours at most: older ids need not be kept.
    Returns how many were forgotten."""
    check(auth.chat_manage(actor))
    gone = HandledUpdate.query.filter(HandledUpdate.handled_at < utcnow() - older_than).delete()
    db.session.commit()
    return gone


# ---------------------------------------------------------------- linking to a web account

def link_code_create(actor):
    """A one-time code (15 minutes) the citizen sends to the bot as `/start <code>`.

    :raises NotAuthorized
    """
    check(auth.link_code_create(actor))
    LinkCode.query.filter_by(user_id=actor.id, used_at=None).delete()
    code = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(10))
    link = LinkCode(code=code, user_id=actor.id, expires_at=utcnow() + LINK_CODE_TTL)
    db.session.add(link)
    audit.record(actor, "telegram.link_code_created", actor.id, object_type="user")
    db.session.commit()
    return link


def chat_link(actor, chat_id, code):
    """Link a chat to the web account that made `code`. The chat's own requests move to that
    account, so web and bot show the same tickets.

    :raises NotAuthorized, NotFound, ValidationError
    """
    chat = chat_get(actor, chat_id)
    link = db.session.get(LinkCode, (code or "").strip().upper())
    if link is None or link.used_at is not None or link.expires_at < utcnow():
        raise ValidationError({"code": [_l(
            "Kode tautan tidak berlaku atau sudah kedaluwarsa. Minta kode baru di situs, "
            "menu Telegram.")]})
    old_user, shadow = chat.user, chat.shadow
    if old_user.id != link.user_id:
        if shadow:
            Ticket.query.filter_by(requester_id=old_user.id).update(
                {"requester_id": link.user_id}, synchronize_session=False)
            old_user.active = False
        chat.user_id, chat.shadow = link.user_id, False
    link.used_at, link.used_by_chat_id = utcnow(), chat.chat_id
    audit.record(actor, "telegram.linked", chat.chat_id, object_type="telegram_chat",
                 after={"user_id": link.user_id})
    db.session.commit()
    return chat


def linked_chats(actor):
    """The chats linked to the actor's web account (for the profile page)."""
    check(actor.is_authenticated and not getattr(actor, "is_system", False))
    return TelegramChat.query.filter_by(user_id=actor.id, shadow=False).all()


# ---------------------------------------------------------------- what was sent

def sent_record(actor, key, chat_id, message_id=None, ticket_id=None):
    """Remember a delivered message (by outbox key) and which ticket it was about, so a
    citizen's reply to it lands on that ticket."""
    check(auth.chat_manage(actor))
    db.session.merge(SentMessage(key=key, chat_id=chat_id, message_id=message_id,
                                 ticket_id=ticket_id))
    db.session.commit()


def already_sent(key):
    return db.session.get(SentMessage, key) is not None


def ticket_of_message(actor, chat_id, message_id):
    """The ticket a bot message was about, or None."""
    check(auth.chat_manage(actor))
    row = SentMessage.query.filter_by(chat_id=int(chat_id), message_id=int(message_id)).first()
    return row.ticket_id if row else None
