"""The bot's core against the fake Telegram server: start and consent, linking, language,
help, statistics, FAQ, unknown commands, duplicates, flood, blocked chats, persistence across
a restart, polling, the webhook and the CLI."""
from datetime import timedelta

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _
from telegram.ext import CommandHandler, ConversationHandler, MessageHandler, filters

from app.catalog.models import DownloadCount, SearchQuery
from app.chats import actions as chats
from app.chats.models import BotState, HandledUpdate, LinkCode, TelegramChat
from app.core.actor import SYSTEM
from app.core.timeutil import local_today, utcnow
from app.extensions import db
from app.kb import actions as kb
from app.tickets import actions as tickets
from app.tickets.models import State, Ticket
from bot import webhook
from bot.app import FloodGuard
from bot.texts import split
from tests.bot.conftest import start_bot
from tests.bot.fake_telegram import blocked_member, callback, message
from tests.factories import make_producer, make_published, make_walidata
from tests.tickets.factories import make_ppid, make_request, make_requester

CHAT = 4242


def chat_row(chat_id=CHAT):
    return db.session.get(TelegramChat, chat_id)


# ---------------------------------------------------------------- start and consent

def test_start_shows_the_privacy_notice_and_stores_consent(bot, telegram):
    sent = bot.say(CHAT, "/start", first_name="Siti")
    assert len(sent) == 1
    notice = sent[0]
    assert "Selamat datang" in notice.text and "Pemberitahuan privasi" in notice.text
    for heading in ("Data yang kami kumpulkan", "Untuk apa", "Siapa yang melihat",
                    "Berapa lama", "Hak Anda", "27 Tahun 2022"):
        assert heading in notice.text
    assert notice.params["parse_mode"] == "HTML"
    assert notice.buttons == [("Saya setuju", "core:consent")]
    chat = chat_row()
    assert chat.shadow and chat.first_name == "Siti" and chat.consent_at is None
    assert chat.user.name == "Siti"

    sent = bot.press(CHAT, "core:consent", notice.message_id)
    assert chat_row().consent_at is not None
    assert telegram.calls_of("answerCallbackQuery")
    edit = telegram.calls_of("editMessageReplyMarkup", CHAT)
    assert edit and edit[0].params["message_id"] == notice.message_id  # button removed
    assert "persetujuan Anda tercatat" in sent[-1].text
    for command in ("/cari", "/minta", "/status", "/tiket", "/faq", "/statistik",
                    "/bahasa", "/batal", "/bantuan"):
        assert command in sent[-1].text

    # A consented citizen's /start shows the commands, not the notice again.
    sent = bot.say(CHAT, "/start")
    assert "Pemberitahuan privasi" not in sent[0].text and "/cari" in sent[0].text
    assert not sent[0].buttons


def test_commands_before_consent_get_the_notice_again(bot, telegram):
    bot.say(CHAT, "/start")
    for text in ("/statistik", "/faq unduh", "data penduduk", "/perintahaneh"):
        sent = bot.say(CHAT, text)
        assert len(sent) == 1, text
        assert "Sebelum melanjutkan" in sent[0].text and "Pemberitahuan privasi" in sent[0].text
        assert sent[0].buttons == [("Saya setuju", "core:consent")]
    # a button of another feature is refused the same way (and the press answered)
    sent = bot.press(CHAT, "cari:page:2", 1)
    assert "Sebelum melanjutkan" in sent[0].text
    assert telegram.calls_of("answerCallbackQuery")
    # /bantuan and /bahasa work without consent
    assert "Bantuan MejaData" in bot.say(CHAT, "/bantuan")[0].text
    assert bot.say(CHAT, "/bahasa")[0].buttons[1] == ("🇬🇧 English", "core:lang:en")
    assert chat_row().consent_at is None


def test_the_command_menu_is_set_in_both_languages(bot, telegram):
    commands = [c["command"] for c in telegram.commands[""]]
    assert {"cari", "minta", "status", "tiket", "survei", "faq", "statistik", "bahasa", "batal",
            "bantuan", "start"} == set(commands)
    assert telegram.commands["en"]


# ---------------------------------------------------------------- linking

def test_start_with_a_code_links_and_moves_the_shadow_chats_requests(bot, make_chat,
                                                                     reference):
    web_user = make_requester(name="Rina Web")
    chat = make_chat(CHAT)
    shadow_id = chat.user_id
    ticket = make_request(requester=chat.user)
    code = chats.link_code_create(web_user).code

    sent = bot.say(CHAT, f"/start {code.lower()}")
    assert "tertaut ke akun Rina Web" in sent[0].text

    chat = chat_row()
    assert not chat.shadow and chat.user_id == web_user.id
    assert db.session.get(Ticket, ticket.id).requester_id == web_user.id
    assert db.session.get(LinkCode, code).used_by_chat_id == CHAT
    from app.accounts.models import User
    assert db.session.get(User, shadow_id).active is False

    # The code is used up: a second chat cannot take it.
    make_chat(CHAT + 1)
    sent = bot.say(CHAT + 1, f"/start {code}")
    assert "Kode tautan tidak berlaku atau sudah kedaluwarsa" in sent[0].text
    assert chat_row(CHAT + 1).shadow


def test_an_expired_or_unknown_code_is_refused_with_the_reason(bot, make_chat):
    web_user = make_requester()
    make_chat(CHAT)
    link = chats.link_code_create(web_user)
    link.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    for code in (link.code, "NOPE123456"):
        sent = bot.say(CHAT, f"/start {code}")
        assert "Kode tautan tidak berlaku atau sudah kedaluwarsa" in sent[0].text
        assert "menu Telegram" in sent[0].text
    assert chat_row().shadow and chat_row().user_id != web_user.id


def test_a_new_chat_can_link_first_and_is_still_asked_for_consent(bot, reference):
    web_user = make_requester(name="Budi Santoso")
    code = chats.link_code_create(web_user).code
    sent = bot.say(CHAT, f"/start {code}")
    assert "tertaut ke akun Budi Santoso" in sent[0].text
    assert "Pemberitahuan privasi" in sent[0].text
    assert sent[0].buttons == [("Saya setuju", "core:consent")]
    assert chat_row().user_id == web_user.id


# ---------------------------------------------------------------- language, help

def test_bahasa_switches_and_the_next_replies_are_english(bot, telegram, make_chat):
    make_chat(CHAT)
    prompt = bot.say(CHAT, "/bahasa")[0]
    assert [b[1] for b in prompt.buttons] == ["core:lang:id", "core:lang:en"]
    sent = bot.press(CHAT, "core:lang:en", prompt.message_id)
    assert chat_row().language == "en"
    assert sent[-1].method == "editMessageText"
    with force_locale("en"):
        assert sent[-1].text == _("Bahasa diganti ke English.")
    # Translated msgids come out in English (the statistics reuse the web page's labels).
    stats = bot.say(CHAT, "/statistik")[0].text
    assert "published datasets" in stats and "data producer organisations" in stats
    with force_locale("en"):
        assert bot.say(CHAT, "/bantuan")[0].text.startswith(
            f"<b>{_('Bantuan MejaData')}</b>")

    bot.press(CHAT, "core:lang:id", prompt.message_id)
    assert chat_row().language == "id"
    assert "dataset terbit" in bot.say(CHAT, "/statistik")[0].text


def test_a_telegram_in_english_starts_in_english(bot):
    bot.say(CHAT, "/start", user_language="en-GB")
    assert chat_row().language == "en"


def test_bantuan_explains_every_command(bot, make_chat):
    make_chat(CHAT)
    text = bot.say(CHAT, "/bantuan")[0].text
    for command in ("/cari", "/minta", "/status", "/tiket", "/faq", "/statistik",
                    "/bahasa", "/batal", "/bantuan", "/start"):
        assert f"\n{command}" in text, command
    assert "&lt;kata&gt;" in text  # the placeholders are escaped HTML


# ---------------------------------------------------------------- statistics

def test_statistik_shows_the_figures_of_the_database(bot, make_chat, reference):
    producer, walidata = make_producer(), make_walidata()
    first = make_published(producer, walidata)
    make_published(producer, walidata)
    today = local_today()
    db.session.add(DownloadCount(resource_id=first.resources[0].id, day=today, count=1234))
    db.session.add(DownloadCount(resource_id=first.resources[0].id,
                                 day=today - timedelta(days=45), count=99))  # too old
    db.session.add_all([SearchQuery(text="penduduk", hits=1) for _ in range(3)])
    db.session.commit()
    ppid = make_ppid()
    ticket = make_request()
    tickets.ticket_answer(ppid, ticket.number, {"outcome": State.FULFILLED,
                                                "answer": "Berikut datanya."})
    tickets.survey_submit(ticket.requester, ticket.number,
                          {f"e{i}": 4 for i in range(1, 10)})
    make_request()  # received, not answered
    make_chat(CHAT)

    text = bot.say(CHAT, "/statistik")[0].text
    assert "• 2 dataset terbit" in text
    assert "• 1 organisasi produsen data" in text
    assert "• 1.234 unduhan dalam 30 hari terakhir" in text
    assert "• 3 pencarian dalam 30 hari terakhir" in text
    assert f"1 permohonan dijawab tahun {today.year}, 100,0% tepat waktu" in text
    assert "Indeks Kepuasan Masyarakat 12 bulan terakhir: 100,00 (A, Sangat Baik) dari 1 " \
           "responden" in text

    chats.chat_language(SYSTEM, CHAT, "en")
    text = bot.say(CHAT, "/statistik")[0].text
    assert "1,234" in text and "100.00" in text  # numbers in the chat's locale


def test_statistik_of_an_empty_portal(bot, make_chat):
    make_chat(CHAT)
    text = bot.say(CHAT, "/statistik")[0].text
    assert "• 0 dataset terbit" in text
    assert "Belum ada permohonan yang dijawab" in text and "belum ada responden" in text


# ---------------------------------------------------------------- FAQ and unknown commands

def _article(title, body, category="data", tags="unduh"):
    article = kb.article_create(SYSTEM, {"title": title, "category": category, "tags": tags,
                                         "body": body})
    kb.article_publish(SYSTEM, article.id, True)
    return article


def test_faq_finds_an_article(bot, make_chat):
    article = _article("Cara mengunduh data <CSV>", "Buka halaman dataset lalu tekan Unduh.")
    _article("Jam layanan PPID", "Senin sampai Jumat pukul 08.00 sampai 16.00.",
             category="permohonan", tags="jam")
    make_chat(CHAT)
    sent = bot.say(CHAT, "/faq unduh data")
    text = sent[0].text
    assert "Cara mengunduh data &lt;CSV&gt;" in text and "Jam layanan" not in text
    assert f'href="{kb.article_url(article.slug)}"' in text
    assert "Buka halaman dataset" in text
    assert sent[0].params["link_preview_options"] == {"is_disabled": True}

    assert "Tidak ada artikel bantuan" in bot.say(CHAT, "/faq zzzqqq")[0].text

    overview = bot.say(CHAT, "/faq")[0].text
    assert "Data dan unduhan" in overview and "Permohonan informasi" in overview
    assert "Jam layanan PPID" in overview and "/faq unduh data" in overview


def test_unknown_command_points_to_bantuan_and_the_faq(bot, make_chat):
    _article("Cara mengunduh data", "Tekan tombol unduh di halaman dataset.")
    make_chat(CHAT)
    text = bot.say(CHAT, "/unduh")[0].text
    assert "Perintah tidak dikenal: /unduh" in text and "/bantuan" in text
    assert "Cara mengunduh data" in text
    assert "Perintah tidak dikenal: /&lt;b&gt;" in bot.say(CHAT, "/<b>")[0].text


# ---------------------------------------------------------------- bad input and failures

def test_a_duplicate_update_is_handled_once(bot, telegram, make_chat):
    make_chat(CHAT)
    update = message(CHAT, "/bantuan")
    bot.feed(update, update)
    assert len(telegram.sent(CHAT)) == 1
    assert db.session.get(HandledUpdate, update["update_id"]) is not None
    # ... also when both arrive at once
    again = message(CHAT, "/statistik")
    bot.feed_at_once([again, again, again])
    assert len(telegram.sent(CHAT)) == 2


def test_a_flood_from_one_chat_is_throttled_with_one_message(bot, telegram, make_chat):
    make_chat(CHAT)
    make_chat(CHAT + 1)
    bot.feed(*[message(CHAT, "/bahasa") for _ in range(30)])
    texts = telegram.texts(CHAT)
    assert len(texts) == 21
    assert texts.count(texts[-1]) == 1 and "Terlalu banyak pesan" in texts[-1]
    assert all("Terlalu banyak" not in t for t in texts[:20])
    # other chats are not affected
    assert "Pilih bahasa" in bot.say(CHAT + 1, "/bahasa")[0].text


def test_the_flood_guard_calms_down():
    now = [0.0]
    guard = FloodGuard(limit=3, window=10, clock=lambda: now[0])
    assert [guard.check(1) for _ in range(5)] == ["ok", "ok", "ok", "warn", "drop"]
    now[0] = 5.0
    assert guard.check(1) == "drop"          # still flooding: the dropped ones count
    assert guard.check(2) == "ok"            # per chat
    now[0] = 16.0
    assert guard.check(1) == "ok"            # calm again
    assert [guard.check(1) for _ in range(3)] == ["ok", "ok", "warn"]  # and warned anew


def test_a_blocked_chat_is_marked_inactive(bot, telegram, make_chat):
    make_chat(CHAT)
    telegram.block(CHAT)
    bot.say(CHAT, "/bantuan")
    chat = chat_row()
    assert not chat.active and chat.blocked_at is not None
    assert telegram.calls_of("sendMessage", CHAT)[0].error == 403
    assert len(telegram.calls_of("sendMessage", CHAT)) == 1  # not retried

    make_chat(CHAT + 1)
    bot.feed(blocked_member(CHAT + 1))
    assert not chat_row(CHAT + 1).active


def test_a_blocked_chat_that_writes_again_is_active_again(bot, make_chat):
    make_chat(CHAT)
    chats.chat_blocked(SYSTEM, CHAT)
    assert "Bantuan MejaData" in bot.say(CHAT, "/bantuan")[0].text
    assert chat_row().active and chat_row().blocked_at is None


def test_too_many_requests_is_retried(bot, telegram, make_chat):
    make_chat(CHAT)
    telegram.rate_limit_once("sendMessage", retry_after=0.05)
    sent = bot.say(CHAT, "/bantuan")
    assert len(sent) == 1 and "Bantuan MejaData" in sent[0].text
    assert [c.error for c in telegram.calls_of("sendMessage", CHAT)] == [429, None]


def test_group_chats_are_not_served(bot, telegram):
    update = message(-100123, "/start")
    update["message"]["chat"] = {"id": -100123, "type": "supergroup", "title": "Grup"}
    bot.feed(update)
    assert not telegram.sent(-100123) and chat_row(-100123) is None


def test_a_failing_handler_tells_the_citizen(bot, telegram, make_chat, monkeypatch):
    from bot.handlers import misc

    def broken(language):
        raise RuntimeError("boom")

    monkeypatch.setattr(misc, "help_text", broken)
    make_chat(CHAT, language="en")
    text = bot.say(CHAT, "/bantuan")[0].text
    assert text == "A system error occurred. Please try again."


def test_long_texts_are_split_at_line_ends():
    text = "\n".join(f"baris {i} " + "x" * 80 for i in range(200))
    pieces = split(text)
    assert len(pieces) > 1 and all(len(p) <= 4096 for p in pieces)
    assert "\n".join(pieces) == text
    assert split("") == [""] and split("a" * 5000)[0] == "a" * 4096


# ---------------------------------------------------------------- persistence

def _ask_name(application):
    """A tiny persistent conversation: /tanya asks a name, the next text answers it."""
    async def begin(update, context):
        context.chat_data["asked"] = "nama"
        await update.message.reply_text("Siapa nama Anda?")
        return 1

    async def name(update, context):
        await update.message.reply_text(
            f"Halo {update.message.text} ({context.chat_data.get('asked')})")
        return ConversationHandler.END

    conversation = ConversationHandler(
        entry_points=[CommandHandler("tanya", begin)],
        states={1: [MessageHandler(filters.TEXT & ~filters.COMMAND, name)]},
        fallbacks=[], name="tanya", persistent=True)
    application.add_handler(conversation)
    group = application.handlers[0]
    group.insert(0, group.pop())  # before the unknown-command fallback


def test_a_conversation_survives_a_restart(app, telegram, make_chat):
    make_chat(CHAT)
    db.session.commit()
    first = start_bot(app, telegram, setup=_ask_name)
    try:
        first.process(message(CHAT, "/tanya"))
        assert telegram.texts(CHAT) == ["Siapa nama Anda?"]
        # written at once, not at shutdown: a crash would not lose it either
        db.session.expire_all()
        assert db.session.get(BotState, f"conv:tanya:{CHAT}:{CHAT}").data == 1
        assert db.session.get(BotState, f"chat:{CHAT}").data == {"asked": "nama"}
    finally:
        first.stop()

    second = start_bot(app, telegram, setup=_ask_name)
    try:
        second.process(message(CHAT, "Budi"))
        assert telegram.texts(CHAT)[-1] == "Halo Budi (nama)"
    finally:
        second.stop()
    db.session.expire_all()
    assert db.session.get(BotState, f"conv:tanya:{CHAT}:{CHAT}") is None  # ended


# ---------------------------------------------------------------- polling

def test_polling_mode_end_to_end(polling_bot, telegram, make_chat):
    make_chat(CHAT)
    db.session.commit()
    telegram.push_update(message(CHAT, "/bantuan"), message(CHAT, "/bahasa"))
    telegram.wait_for(lambda t: len(t.sent(CHAT)) == 2)
    texts = sorted(telegram.texts(CHAT))  # handled concurrently: in any order
    assert "Bantuan MejaData" in texts[0] and "Pilih bahasa" in texts[1]
    telegram.wait_for(lambda t: not t.pending_updates())  # confirmed through `offset`
    polls = telegram.calls_of("getUpdates")
    assert polls and polls[0].params["timeout"] == 5
    assert "callback_query" in polls[0].params["allowed_updates"]


# ---------------------------------------------------------------- webhook and CLI

@pytest.fixture
def webhook_on(app, telegram, monkeypatch):
    for key, value in {"TELEGRAM_BOT_TOKEN": telegram.token,
                       "TELEGRAM_API_BASE_URL": telegram.base_url,
                       "TELEGRAM_FILE_BASE_URL": telegram.file_base_url,
                       "TELEGRAM_WEBHOOK_SECRET": "rahasia-webhook_123"}.items():
        monkeypatch.setitem(app.config, key, value)
    yield "rahasia-webhook_123"
    webhook.shutdown()


def test_webhook_refuses_a_missing_or_wrong_secret(client, webhook_on, telegram, make_chat):
    make_chat(CHAT)
    for headers in ({}, {webhook.HEADER: "salah"}, {webhook.HEADER: webhook_on + "x"}):
        update = message(CHAT, "/bantuan")
        resp = client.post("/telegram/webhook", json=update, headers=headers)
        assert resp.status_code == 403
        assert db.session.get(HandledUpdate, update["update_id"]) is None
    assert not telegram.sent(CHAT)


def test_webhook_with_the_secret_is_handled(client, webhook_on, telegram, make_chat):
    make_chat(CHAT)
    update = message(CHAT, "/bantuan")
    resp = client.post("/telegram/webhook", json=update,
                       headers={webhook.HEADER: webhook_on})
    assert resp.status_code == 200
    assert "Bantuan MejaData" in telegram.texts(CHAT)[0]
    # Telegram retrying the same update is answered 200 and handled once.
    assert client.post("/telegram/webhook", json=update,
                       headers={webhook.HEADER: webhook_on}).status_code == 200
    assert len(telegram.sent(CHAT)) == 1
    assert client.post("/telegram/webhook", data="bukan json", content_type="text/plain",
                       headers={webhook.HEADER: webhook_on}).status_code == 400


def test_webhook_is_off_without_a_secret(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "TELEGRAM_BOT_TOKEN", "1:x")
    monkeypatch.setitem(app.config, "TELEGRAM_WEBHOOK_SECRET", "")
    resp = client.post("/telegram/webhook", json=message(CHAT, "/start"),
                       headers={webhook.HEADER: ""})
    assert resp.status_code == 404


def test_cli_sets_and_deletes_the_webhook_with_the_secret(runner, webhook_on, telegram):
    result = runner.invoke(args=["bot", "set-webhook", "https://data.example.go.id/telegram/"
                                 "webhook"])
    assert result.exit_code == 0, result.output
    assert telegram.webhook["url"] == "https://data.example.go.id/telegram/webhook"
    assert telegram.webhook["secret_token"] == webhook_on
    assert "message" in telegram.webhook["allowed_updates"]
    result = runner.invoke(args=["bot", "delete-webhook"])
    assert result.exit_code == 0 and telegram.webhook == {}


def test_cli_without_a_token_says_the_bot_is_off(runner, app, monkeypatch):
    monkeypatch.setitem(app.config, "TELEGRAM_BOT_TOKEN", "")
    for args in (["bot", "run"], ["bot", "set-webhook", "https://x.example/"]):
        result = runner.invoke(args=args)
        assert result.exit_code != 0
        assert "TELEGRAM_BOT_TOKEN is not set" in result.output


def test_callback_buttons_of_an_unknown_kind_are_answered(bot, telegram, make_chat):
    make_chat(CHAT)
    bot.feed(callback(CHAT, "core:lang:xx", 1))
    assert "Bahasa tidak tersedia" in telegram.texts(CHAT)[-1]


def test_a_chats_updates_are_handled_in_order_even_when_they_arrive_together(
        app, telegram, make_chat):
    from tests.bot.conftest import BotHarness

    make_chat(CHAT)
    make_chat(CHAT + 1)
    runner = start_bot(app, telegram, setup=_ask_name)
    try:
        BotHarness(runner, telegram).feed_at_once(
            [message(CHAT, "/tanya"), message(CHAT + 1, "/tanya"), message(CHAT, "Budi"),
             message(CHAT + 1, "Rina")])
    finally:
        runner.stop()
    assert telegram.texts(CHAT) == ["Siapa nama Anda?", "Halo Budi (nama)"]
    assert telegram.texts(CHAT + 1) == ["Siapa nama Anda?", "Halo Rina (nama)"]
