"""The chats domain's actions, called as the bot calls them (SYSTEM) and as the web profile
page calls them (the citizen): real database, no Telegram."""
from datetime import timedelta

import pytest

from app.accounts.models import User
from app.chats import actions
from app.chats.models import HandledUpdate, LinkCode, SentMessage, TelegramChat
from app.core.actor import ANONYMOUS, SYSTEM
from app.core.audit import AuditLog
from app.core.errors import NotAuthorized, ValidationError
from app.core.timeutil import utcnow
from app.extensions import db
from app.tickets import actions as ticket_actions
from app.tickets.models import Ticket
from tests.factories import make_user, row_counts
from tests.tickets.factories import make_helpdesk, make_request, make_requester

CHAT = 7001
pytestmark = pytest.mark.usefixtures("reference")


def audits(action):
    return AuditLog.query.filter_by(action=action).count()


def fresh(model, key):
    db.session.expire_all()
    return db.session.get(model, key)


# ---------------------------------------------------------------- chats

def test_first_contact_registers_a_shadow_citizen_once_and_refreshes_names():
    users_before = User.query.count()
    chat = actions.chat_seen(SYSTEM, CHAT, username="siti", first_name="Siti",
                             language_code="en-GB")
    assert chat.shadow and chat.active and chat.language == "en"
    user = chat.user
    assert user.email == f"tg{CHAT}@telegram.invalid" and user.name == "Siti"
    assert user.has_role("pemohon") and not user.has_role("helpdesk")
    first_seen = chat.last_seen_at

    again = actions.chat_seen(SYSTEM, str(CHAT), username="siti_r", first_name="Siti R.",
                              language_code="id")
    assert again.chat_id == CHAT and again.user_id == user.id
    assert (again.username, again.first_name) == ("siti_r", "Siti R.")
    assert again.language == "en"  # chosen once; /bahasa changes it, not the app's setting
    assert again.last_seen_at >= first_seen
    assert TelegramChat.query.count() == 1 and User.query.count() == users_before + 1
    assert audits("telegram.chat_registered") == 1


def test_first_contact_without_a_name_or_english_is_indonesian():
    chat = actions.chat_seen(SYSTEM, CHAT)
    assert chat.language == "id" and chat.user.name == "Pengguna Telegram"
    actions.chat_seen(SYSTEM, CHAT, first_name=None)
    assert fresh(TelegramChat, CHAT).first_name is None


def test_a_blocked_chat_that_writes_again_is_active_again():
    actions.chat_seen(SYSTEM, CHAT)
    actions.chat_blocked(SYSTEM, CHAT)
    blocked = fresh(TelegramChat, CHAT)
    assert not blocked.active and blocked.blocked_at is not None
    actions.chat_blocked(SYSTEM, CHAT)  # told twice, recorded once
    assert audits("telegram.blocked") == 1
    back = actions.chat_seen(SYSTEM, CHAT)
    assert back.active and back.blocked_at is None


def test_blocking_an_unknown_chat_changes_nothing():
    before = row_counts()
    assert actions.chat_blocked(SYSTEM, 999) is None
    assert row_counts() == before


def test_consent_is_recorded_once():
    actions.chat_seen(SYSTEM, CHAT)
    first = actions.chat_consent(SYSTEM, CHAT).consent_at
    assert first is not None
    assert actions.chat_consent(SYSTEM, CHAT).consent_at == first
    assert audits("telegram.consent") == 1


@pytest.mark.parametrize("language", ["id", "en"])
def test_language_is_one_the_portal_speaks(language):
    actions.chat_seen(SYSTEM, CHAT, language_code="en" if language == "id" else "id")
    assert actions.chat_language(SYSTEM, CHAT, language).language == language


@pytest.mark.parametrize("language", ["fr", "", None, "EN", "id-ID"])
def test_other_languages_are_refused(language):
    actions.chat_seen(SYSTEM, CHAT)
    with pytest.raises(ValidationError) as exc:
        actions.chat_language(SYSTEM, CHAT, language)
    assert "language" in exc.value.errors
    assert fresh(TelegramChat, CHAT).language == "id"


def test_unknown_chat_is_not_found():
    from app.core.errors import NotFound

    with pytest.raises(NotFound):
        actions.chat_consent(SYSTEM, 12345)


def test_a_duplicate_update_is_handled_once():
    assert actions.update_first_time(SYSTEM, 500) is True
    assert actions.update_first_time(SYSTEM, "500") is False
    assert actions.update_first_time(SYSTEM, 501) is True
    assert HandledUpdate.query.count() == 2
    # The session is usable after the refused duplicate.
    assert actions.chat_seen(SYSTEM, CHAT).chat_id == CHAT


def test_old_update_ids_are_forgotten():
    from datetime import timedelta

    actions.update_first_time(SYSTEM, 600)
    actions.update_first_time(SYSTEM, 601)
    HandledUpdate.query.filter_by(update_id=600).update(
        {"handled_at": utcnow() - timedelta(days=3)})
    db.session.commit()
    assert actions.updates_forget(SYSTEM) == 1
    assert [u.update_id for u in HandledUpdate.query] == [601]


@pytest.mark.parametrize("call", [
    lambda actor: actions.chat_seen(actor, CHAT),
    lambda actor: actions.chat_consent(actor, CHAT),
    lambda actor: actions.chat_language(actor, CHAT, "en"),
    lambda actor: actions.chat_blocked(actor, CHAT),
    lambda actor: actions.update_first_time(actor, 1),
    lambda actor: actions.chat_link(actor, CHAT, "ABC"),
    lambda actor: actions.sent_record(actor, "k", CHAT),
    lambda actor: actions.ticket_of_message(actor, CHAT, 1),
], ids=["seen", "consent", "language", "blocked", "update", "link", "sent", "ticket_of"])
def test_chat_bookkeeping_is_the_bots_alone(call):
    actions.chat_seen(SYSTEM, CHAT)
    people = (make_requester(), make_helpdesk(), ANONYMOUS)
    before = row_counts()
    for actor in people:
        with pytest.raises(NotAuthorized):
            call(actor)
    db.session.rollback()
    assert row_counts() == before


# ---------------------------------------------------------------- link codes

def test_a_citizen_gets_a_fifteen_minute_code_and_a_new_one_replaces_it():
    citizen = make_requester()
    link = actions.link_code_create(citizen)
    assert len(link.code) == 10 and set(link.code) <= set(actions._CODE_ALPHABET)
    assert timedelta(minutes=14) < link.expires_at - utcnow() <= timedelta(minutes=15)
    second = actions.link_code_create(citizen)
    assert second.code != link.code
    assert [c.code for c in LinkCode.query.all()] == [second.code]
    assert audits("telegram.link_code_created") == 2


@pytest.mark.parametrize("who", ["helpdesk", "produsen", "anonymous", "system"])
def test_only_citizens_get_link_codes(who):
    actor = {"helpdesk": make_helpdesk, "produsen": make_user,
             "anonymous": lambda: ANONYMOUS, "system": lambda: SYSTEM}[who]()
    before = row_counts()
    with pytest.raises(NotAuthorized):
        actions.link_code_create(actor)
    db.session.rollback()
    assert row_counts() == before


# ---------------------------------------------------------------- linking

def test_linking_moves_the_shadow_chats_requests_to_the_web_account():
    chat = actions.chat_seen(SYSTEM, CHAT, first_name="Budi")
    shadow = chat.user
    ticket = make_request(requester=shadow, telegram_chat_id=CHAT)
    web = make_requester()
    web_ticket = make_request(requester=web)
    code = actions.link_code_create(web).code

    linked = actions.chat_link(SYSTEM, CHAT, f"  {code.lower()} ")  # as typed
    assert linked.user_id == web.id and not linked.shadow
    db.session.expire_all()
    assert db.session.get(Ticket, ticket.id).requester_id == web.id
    assert db.session.get(User, shadow.id).active is False
    used = db.session.get(LinkCode, code)
    assert used.used_at is not None and used.used_by_chat_id == CHAT
    assert audits("telegram.linked") == 1
    # Web and bot now show the same requests, and the profile page lists the chat.
    mine = {t.number for t in ticket_actions.my_tickets(db.session.get(User, web.id))}
    assert mine == {ticket.number, web_ticket.number}
    assert [c.chat_id for c in actions.linked_chats(web)] == [CHAT]
    # The shadow account can no longer read what moved.
    assert not ticket_actions.auth.ticket_read(db.session.get(User, shadow.id),
                                               db.session.get(Ticket, ticket.id))


def test_a_linked_chat_relinked_to_another_account_moves_no_requests():
    chat = actions.chat_seen(SYSTEM, CHAT)
    first, second = make_requester(), make_requester()
    actions.chat_link(SYSTEM, CHAT, actions.link_code_create(first).code)
    ticket = make_request(requester=first, telegram_chat_id=CHAT)
    actions.chat_link(SYSTEM, CHAT, actions.link_code_create(second).code)
    db.session.expire_all()
    assert fresh(TelegramChat, chat.chat_id).user_id == second.id
    assert db.session.get(Ticket, ticket.id).requester_id == first.id  # a web account's own
    assert db.session.get(User, first.id).active


@pytest.mark.parametrize("case", ["unknown", "used", "expired", "empty"])
def test_bad_codes_are_refused_and_nothing_changes(case):
    chat = actions.chat_seen(SYSTEM, CHAT)
    shadow_id = chat.user_id
    ticket = make_request(requester=chat.user, telegram_chat_id=CHAT)
    web = make_requester()
    code = actions.link_code_create(web).code
    if case == "unknown":
        code = "ZZZZZZZZZZ"
    elif case == "used":
        actions.chat_seen(SYSTEM, CHAT + 1)
        actions.chat_link(SYSTEM, CHAT + 1, code)
    elif case == "expired":
        db.session.get(LinkCode, code).expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    elif case == "empty":
        code = None
    before = row_counts()
    with pytest.raises(ValidationError) as exc:
        actions.chat_link(SYSTEM, CHAT, code)
    assert "code" in exc.value.errors
    db.session.rollback()
    assert row_counts() == before
    db.session.expire_all()
    now = db.session.get(TelegramChat, CHAT)
    assert now.user_id == shadow_id and now.shadow
    assert db.session.get(Ticket, ticket.id).requester_id == shadow_id
    assert db.session.get(User, shadow_id).active


def test_linked_chats_are_the_accounts_own():
    web, other = make_requester(), make_requester()
    actions.chat_seen(SYSTEM, CHAT)
    actions.chat_seen(SYSTEM, CHAT + 1)
    actions.chat_link(SYSTEM, CHAT, actions.link_code_create(web).code)
    assert [c.chat_id for c in actions.linked_chats(web)] == [CHAT]
    assert actions.linked_chats(other) == []
    for actor in (ANONYMOUS, SYSTEM):
        with pytest.raises(NotAuthorized):
            actions.linked_chats(actor)


# ---------------------------------------------------------------- sent messages

def test_a_sent_message_is_remembered_with_its_ticket():
    actions.chat_seen(SYSTEM, CHAT)
    ticket = make_request(telegram_chat_id=CHAT)
    assert not actions.already_sent("k1")
    actions.sent_record(SYSTEM, "k1", CHAT, 42, ticket.id)
    actions.sent_record(SYSTEM, "k1", CHAT, 42, ticket.id)  # a retry records nothing twice
    assert actions.already_sent("k1") and SentMessage.query.count() == 1
    assert actions.ticket_of_message(SYSTEM, CHAT, 42) == ticket.id
    assert actions.ticket_of_message(SYSTEM, CHAT, 43) is None
    assert actions.ticket_of_message(SYSTEM, CHAT + 1, 42) is None
