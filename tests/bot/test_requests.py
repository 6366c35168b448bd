"""Requests in the bot against the fake Telegram server: /minta for a shadow and a linked
chat (identity, an invalid NIK asked again, edit, cancel, idle timeout, duplicates, restart,
the search's "minta akses" button), /status, /tiket, and replies that answer a clarification
with text and files (size and type checked)."""
import json
import time

import pytest

from app.chats import actions as chats
from app.chats.models import BotState, SentMessage, TelegramChat
from app.core.actor import SYSTEM
from app.core.audit import AuditLog
from app.extensions import db
from app.tickets import actions as tickets
from app.tickets import identity
from app.tickets.models import MessageKind, State, Ticket, TicketMessage
from tests.bot.conftest import start_bot
from tests.bot.fake_telegram import callback, message
from tests.factories import make_producer, make_published, make_walidata, minimal_pdf
from tests.tickets.factories import NIK, make_helpdesk, make_request, make_requester

CHAT = 5151
OTHER = 5252
CONV = f"conv:minta:{CHAT}:{CHAT}"


@pytest.fixture(autouse=True)
def _typing_fast_is_fine(app, monkeypatch):
    """A test types a whole request within seconds: more than the flood throttle allows a
    person (bot.app.FloodGuard), which is not what these tests are about."""
    monkeypatch.setitem(app.config, "TELEGRAM_FLOOD_LIMIT", 1000)


def chat_user(chat_id=CHAT):
    return db.session.get(TelegramChat, chat_id).user


def only_ticket():
    rows = Ticket.query.all()
    assert len(rows) == 1, rows
    return rows[0]


def state_row(key):
    db.session.expire_all()
    row = db.session.get(BotState, key)
    return None if row is None else row.data


def answer(bot, chat_id, *texts):
    """Type each text; the bot's messages after the last one."""
    sent = []
    for text in texts:
        sent = bot.say(chat_id, text)
    return sent


def what_data(bot, chat_id=CHAT, subject="Data jumlah sekolah"):
    """/minta up to the format question; returns the message with the format buttons."""
    sent = answer(bot, chat_id, "/minta", subject,
                  "Jumlah SD dan SMP per kecamatan di Kota Bandung, 2020-2024.",
                  "Penelitian skripsi")
    assert "Dalam bentuk apa" in sent[-1].text
    return sent[-1]


def file_request(bot, chat_id=CHAT, subject="Data jumlah sekolah"):
    """A whole /minta of a shadow chat; returns the receipt (a Call) and the ticket."""
    asked = what_data(bot, chat_id, subject)
    bot.press(chat_id, "minta:fmt:softcopy", asked.message_id)
    answer(bot, chat_id, "Siti Rahmawati", NIK, "Jl. Setiabudi No. 10, Bandung")
    summary = bot.press(chat_id, "minta:lewati", bot.telegram.last(chat_id).message_id)[-1]
    receipt = bot.press(chat_id, "minta:kirim", summary.message_id)[-1]
    ticket = Ticket.query.filter_by(subject=subject).one()
    return receipt, ticket


def reply_to(telegram, chat_id, call):
    """The bot's message as Telegram puts it in reply_to_message."""
    return telegram.sent_message(chat_id, call.message_id)


# ---------------------------------------------------------------- /minta, shadow chat

def test_minta_for_a_shadow_chat_from_first_question_to_registration_number(
        bot, telegram, make_chat, reference):
    make_chat(CHAT)
    first = bot.say(CHAT, "/minta")[0]
    assert "Permohonan informasi publik" in first.text and "/batal" in first.text
    assert "Data apa yang Anda minta" in first.text
    assert "Jelaskan rinciannya" in answer(bot, CHAT, "Data jumlah sekolah")[0].text
    assert "Untuk apa" in answer(bot, CHAT, "Jumlah SD per kecamatan, 2020-2024.")[0].text
    asked = answer(bot, CHAT, "Penelitian skripsi")[0]
    assert asked.buttons == [("Melihat/membaca", "minta:fmt:view"),
                             ("Salinan elektronik (softcopy)", "minta:fmt:softcopy"),
                             ("Salinan cetak (hardcopy)", "minta:fmt:hardcopy")]
    # Typing where a button is wanted asks again, and nothing is taken from the text.
    again = answer(bot, CHAT, "softcopy saja")[0]
    assert again.buttons == asked.buttons and "Pilih salah satu tombol" in again.text

    sent = bot.press(CHAT, "minta:fmt:softcopy", asked.message_id)
    assert "nama lengkap" in sent[0].text
    assert telegram.calls_of("editMessageReplyMarkup", CHAT)[-1].params["message_id"] \
        == asked.message_id  # the format buttons are gone once chosen
    assert "NIK" in answer(bot, CHAT, "Siti Rahmawati")[0].text

    # An invalid NIK is asked again with the reason given by app.tickets.identity.
    sent = answer(bot, CHAT, "12345")
    assert "NIK harus terdiri atas 16 angka." in sent[0].text
    assert "Berapa NIK Anda" in sent[0].text
    sent = answer(bot, CHAT, "9999014506900001")  # no such district
    assert "Kode wilayah 999901 (99.99.01)" in sent[0].text
    assert "Berapa NIK Anda" in sent[0].text
    assert "alamat" in answer(bot, CHAT, "3273 0145 0690 0001")[0].text  # spaces are fine
    # The NIK waiting in the draft is encrypted, like the ticket's own.
    stored = json.dumps(state_row(f"chat:{CHAT}"))
    assert NIK not in stored and "3273********0001" in stored

    contact = answer(bot, CHAT, "Jl. Setiabudi No. 10, Bandung")[0]
    assert contact.buttons == [("Lewati", "minta:lewati")]
    assert "Nomor telepon tidak valid." in answer(bot, CHAT, "nomor saya")[0].text
    summary = answer(bot, CHAT, "siti@example.com")[0]
    for part in ("Ringkasan permohonan", "Data jumlah sekolah", "Penelitian skripsi",
                 "Salinan elektronik (softcopy)", "Siti Rahmawati", "3273********0001",
                 "Jl. Setiabudi No. 10, Bandung", "siti@example.com", "Telegram"):
        assert part in summary.text, part
    assert NIK not in summary.text
    assert summary.buttons == [("✅ Kirim", "minta:kirim"), ("✏️ Ubah", "minta:ubah"),
                               ("✖️ Batal", "minta:batal")]
    assert not Ticket.query.count()

    receipt = bot.press(CHAT, "minta:kirim", summary.message_id)
    assert len(receipt) == 1
    ticket = only_ticket()
    assert ticket.number.startswith("PD-")
    assert ticket.number in receipt[0].text and ticket.check_code in receipt[0].text
    assert "Tenggat jawaban" in receipt[0].text and str(ticket.due_on.year) in receipt[0].text
    assert (ticket.kind, ticket.channel, ticket.delivery, ticket.format) == (
        "data_request", "telegram", "telegram", "softcopy")
    assert ticket.requester_id == chat_user().id and ticket.telegram_chat_id == CHAT
    assert (ticket.requester_name, ticket.address, ticket.email, ticket.phone) == (
        "Siti Rahmawati", "Jl. Setiabudi No. 10, Bandung", "siti@example.com", None)
    assert identity.decrypt(ticket.nik_encrypted) == NIK
    assert ticket.nik_masked == "3273********0001" and ticket.consent_at is not None
    assert ticket.purpose == "Penelitian skripsi" and ticket.status == State.RECEIVED
    # A reply to the receipt reaches the ticket.
    assert chats.ticket_of_message(SYSTEM, CHAT, receipt[0].message_id) == ticket.id
    # The conversation and its draft are gone from the database.
    assert state_row(CONV) is None
    assert "minta" not in (state_row(f"chat:{CHAT}") or {})


def test_contact_may_be_skipped_and_a_phone_number_is_kept_as_phone(bot, make_chat,
                                                                    reference):
    make_chat(CHAT)
    receipt, ticket = file_request(bot)
    assert (ticket.phone, ticket.email, ticket.telegram_chat_id) == (None, None, CHAT)

    asked = what_data(bot, subject="Data kedua")
    bot.press(CHAT, "minta:fmt:view", asked.message_id)
    summary = answer(bot, CHAT, "Siti", NIK, "Bandung", "0812-3456-7890")[0]
    assert "0812-3456-7890" in summary.text
    bot.press(CHAT, "minta:kirim", summary.message_id)
    second = Ticket.query.filter_by(subject="Data kedua").one()
    assert (second.phone, second.email, second.format) == ("0812-3456-7890", None, "view")


# ---------------------------------------------------------------- /minta, linked chat

def link(chat_id, user):
    code = chats.link_code_create(user).code
    chats.chat_link(SYSTEM, chat_id, code)


def test_a_linked_chat_is_not_asked_for_its_identity(bot, telegram, make_chat, reference):
    make_chat(CHAT)
    web_user = make_requester(name="Budi Santoso", email="budi@example.com")
    earlier = make_request(requester=web_user, address="Jl. Dago 5, Bandung")
    link(CHAT, web_user)

    asked = what_data(bot)
    sent = bot.press(CHAT, "minta:fmt:softcopy", asked.message_id)
    summary = sent[0]
    assert "Ringkasan permohonan" in summary.text  # no name, NIK, address or contact asked
    for part in ("Budi Santoso", "budi@example.com", "3273********0001",
                 "Jl. Dago 5, Bandung", earlier.number):
        assert part in summary.text, part
    assert not any(q in text for text in telegram.texts(CHAT)
                   for q in ("nama lengkap", "Berapa NIK", "alamat Anda"))
    # The NIK was read back from the earlier request: that read is in the audit log.
    assert AuditLog.query.filter_by(action="ticket.identity_reused",
                                    object_id=str(earlier.id)).count() == 1

    bot.press(CHAT, "minta:kirim", summary.message_id)
    ticket = Ticket.query.filter_by(subject="Data jumlah sekolah").one()
    assert ticket.requester_id == web_user.id and ticket.telegram_chat_id == CHAT
    assert (ticket.requester_name, ticket.email) == ("Budi Santoso", "budi@example.com")
    assert identity.decrypt(ticket.nik_encrypted) == NIK
    assert ticket.address == "Jl. Dago 5, Bandung"


def test_a_linked_chat_without_an_earlier_request_gives_nik_and_address_only(
        bot, telegram, make_chat, reference):
    make_chat(CHAT)
    web_user = make_requester(name="Budi Santoso", email="budi@example.com")
    link(CHAT, web_user)
    asked = what_data(bot)
    sent = bot.press(CHAT, "minta:fmt:view", asked.message_id)
    assert "Berapa NIK Anda" in sent[0].text
    summary = answer(bot, CHAT, NIK, "Jl. Dago 5")[0]
    assert "Ringkasan permohonan" in summary.text and "Budi Santoso" in summary.text
    assert not any("nama lengkap" in t or "Nomor telepon" in t for t in telegram.texts(CHAT))
    # "Ubah" offers what the citizen gave, not the account's name and e-mail.
    fields = bot.press(CHAT, "minta:ubah", summary.message_id)
    edit = telegram.calls_of("editMessageReplyMarkup", CHAT)[-1]
    labels = [b["text"] for row in edit.params["reply_markup"]["inline_keyboard"] for b in row]
    assert "NIK" in labels and "Alamat" in labels and "Nama" not in labels
    assert fields == []  # only the buttons changed
    bot.press(CHAT, "minta:kirim", summary.message_id)
    assert Ticket.query.filter_by(requester_id=web_user.id).one().address == "Jl. Dago 5"


# ---------------------------------------------------------------- edit, cancel, stale buttons

def test_edit_fields_from_the_summary(bot, telegram, make_chat, reference):
    make_chat(CHAT)
    asked = what_data(bot)
    bot.press(CHAT, "minta:fmt:softcopy", asked.message_id)
    summary = answer(bot, CHAT, "Siti Rahmawati", NIK, "Bandung", "siti@example.com")[0]

    assert bot.press(CHAT, "minta:ubah", summary.message_id) == []
    markup = telegram.calls_of("editMessageReplyMarkup", CHAT)[-1].params["reply_markup"]
    data = [b["callback_data"] for row in markup["inline_keyboard"] for b in row]
    assert data == ["minta:f:subject", "minta:f:body", "minta:f:purpose", "minta:f:format",
                    "minta:f:name", "minta:f:nik", "minta:f:address", "minta:f:contact",
                    "minta:kembali"]
    question = bot.press(CHAT, "minta:f:purpose", summary.message_id)[0]
    assert "Untuk apa" in question.text and "Penelitian skripsi" in question.text
    summary = answer(bot, CHAT, "Perencanaan usaha katering sekolah")[0]
    assert "Perencanaan usaha katering sekolah" in summary.text

    bot.press(CHAT, "minta:ubah", summary.message_id)
    question = bot.press(CHAT, "minta:f:format", summary.message_id)[0]
    summary = bot.press(CHAT, "minta:fmt:hardcopy", question.message_id)[0]
    assert "Salinan cetak (hardcopy)" in summary.text

    bot.press(CHAT, "minta:ubah", summary.message_id)
    question = bot.press(CHAT, "minta:f:nik", summary.message_id)[0]
    assert "3273********0001" in question.text
    assert "NIK harus terdiri atas 16 angka." in answer(bot, CHAT, "32730145")[0].text
    summary = answer(bot, CHAT, "3273010101900002")[0]
    assert "3273********0002" in summary.text

    # "Kembali" puts the three buttons back.
    bot.press(CHAT, "minta:ubah", summary.message_id)
    bot.press(CHAT, "minta:kembali", summary.message_id)
    markup = telegram.calls_of("editMessageReplyMarkup", CHAT)[-1].params["reply_markup"]
    assert [b["callback_data"] for b in markup["inline_keyboard"][0]] == [
        "minta:kirim", "minta:ubah", "minta:batal"]

    bot.press(CHAT, "minta:kirim", summary.message_id)
    ticket = only_ticket()
    assert (ticket.purpose, ticket.format) == ("Perencanaan usaha katering sekolah",
                                               "hardcopy")
    assert identity.decrypt(ticket.nik_encrypted) == "3273010101900002"


def test_batal_leaves_at_any_step(bot, telegram, make_chat, reference):
    make_chat(CHAT)
    answer(bot, CHAT, "/minta", "Data jumlah sekolah")
    sent = answer(bot, CHAT, "/batal")
    assert sent[0].text == "Permohonan dibatalkan. Tidak ada yang dikirim."
    assert state_row(CONV) is None and "minta" not in state_row(f"chat:{CHAT}")
    # The next words are not the details of a request any more.
    assert not any("Untuk apa" in c.text for c in bot.say(CHAT, "Jumlah SD per kecamatan"))
    assert bot.say(CHAT, "/batal")[0].text == "Tidak ada langkah yang sedang berjalan."

    # The summary's "Batal" button does the same, and its buttons go.
    asked = what_data(bot)
    bot.press(CHAT, "minta:fmt:softcopy", asked.message_id)
    summary = answer(bot, CHAT, "Siti", NIK, "Bandung", "siti@example.com")[0]
    sent = bot.press(CHAT, "minta:batal", summary.message_id)
    assert sent[0].text == "Permohonan dibatalkan. Tidak ada yang dikirim."
    assert telegram.calls_of("editMessageReplyMarkup", CHAT)[-1].params["message_id"] \
        == summary.message_id
    # Its old "Kirim" button is refused politely and files nothing.
    assert bot.press(CHAT, "minta:kirim", summary.message_id) == []
    assert telegram.calls_of("answerCallbackQuery")[-1].params["text"] \
        == "Tombol ini sudah tidak berlaku."
    assert not Ticket.query.count()


def test_reentering_minta_starts_a_new_draft(bot, make_chat, reference):
    make_chat(CHAT)
    answer(bot, CHAT, "/minta", "Data lama", "Rincian lama")
    sent = bot.say(CHAT, "/minta")
    assert "Data apa yang Anda minta" in sent[0].text
    asked = what_data(bot, subject="Data baru")
    bot.press(CHAT, "minta:fmt:view", asked.message_id)
    summary = answer(bot, CHAT, "Siti", NIK, "Bandung", "siti@example.com")[0]
    assert "Data baru" in summary.text and "Data lama" not in summary.text


# ---------------------------------------------------------------- idle timeout

def test_an_idle_request_times_out_politely(app, telegram, make_chat, monkeypatch,
                                            reference):
    monkeypatch.setitem(app.config, "TELEGRAM_CONVERSATION_TIMEOUT", 0.5)
    make_chat(CHAT)
    db.session.commit()
    runner = start_bot(app, telegram)
    try:
        runner.process(message(CHAT, "/minta"))
        runner.process(message(CHAT, "Data jumlah sekolah"))
        assert state_row(CONV) == "body"
        telegram.wait_for(lambda t: any("dihentikan" in x for x in t.texts(CHAT)), timeout=10)
        assert telegram.texts(CHAT)[-1] == (
            "Permohonan yang sedang Anda isi dihentikan karena tidak ada jawaban selama 1 "
            "menit. Tidak ada yang dikirim. Ketik /minta untuk mulai lagi.")
        assert state_row(CONV) is None and "minta" not in state_row(f"chat:{CHAT}")
        before = len(telegram.sent(CHAT))
        runner.process(message(CHAT, "Jumlah SD per kecamatan"))
        assert not any("Untuk apa" in c.text for c in telegram.sent(CHAT)[before:])
    finally:
        runner.stop()


def test_a_request_idle_across_a_restart_ends_when_the_citizen_writes_again(
        app, telegram, make_chat, monkeypatch, reference):
    make_chat(CHAT)
    db.session.commit()
    first = start_bot(app, telegram)
    try:
        first.process(message(CHAT, "/minta"))
        first.process(message(CHAT, "Data jumlah sekolah"))
    finally:
        first.stop()
    # An hour passes while the bot is down.
    row = db.session.get(BotState, f"chat:{CHAT}")
    row.data = {**row.data, "minta": {**row.data["minta"], "at": time.time() - 3600}}
    db.session.commit()

    second = start_bot(app, telegram)
    try:
        before = len(telegram.sent(CHAT))
        second.process(message(CHAT, "Jumlah SD per kecamatan"))
        telegram.wait_for(lambda t: any("dihentikan" in x for x in t.texts(CHAT)[before:]))
        assert not any("Untuk apa" in x for x in telegram.texts(CHAT)[before:])
        assert state_row(CONV) is None
        # and a new /minta starts cleanly
        second.process(message(CHAT, "/minta"))
        assert "Data apa yang Anda minta" in telegram.texts(CHAT)[-1]
    finally:
        second.stop()


# ---------------------------------------------------------------- duplicates and restarts

def test_a_duplicate_update_or_a_second_tap_files_one_ticket(bot, telegram, make_chat,
                                                              reference):
    make_chat(CHAT)
    asked = what_data(bot)
    bot.press(CHAT, "minta:fmt:softcopy", asked.message_id)
    summary = answer(bot, CHAT, "Siti", NIK, "Bandung", "siti@example.com")[0]
    press = callback(CHAT, "minta:kirim", summary.message_id)
    bot.feed(press, press)  # Telegram delivers the same update twice
    bot.feed(callback(CHAT, "minta:kirim", summary.message_id))  # and a second tap
    ticket = only_ticket()
    receipts = [t for t in telegram.texts(CHAT) if "Permohonan Anda terdaftar" in t]
    assert len(receipts) == 1 and ticket.number in receipts[0]


def test_a_request_survives_a_restart_halfway(app, telegram, make_chat, reference):
    make_chat(CHAT)
    db.session.commit()
    first = start_bot(app, telegram)
    try:
        for text in ("/minta", "Data jumlah sekolah", "Per kecamatan, 2020-2024"):
            first.process(message(CHAT, text))
        assert "Untuk apa" in telegram.texts(CHAT)[-1]
    finally:
        first.stop()
    assert state_row(CONV) == "purpose"

    second = start_bot(app, telegram)  # a fresh Application: state from the database
    try:
        second.process(message(CHAT, "Penelitian"))
        asked = telegram.last(CHAT)
        assert "Dalam bentuk apa" in asked.text
        second.process(callback(CHAT, "minta:fmt:softcopy", asked.message_id))
        for text in ("Siti Rahmawati", NIK, "Bandung", "siti@example.com"):
            second.process(message(CHAT, text))
        summary = telegram.last(CHAT)
        assert "Per kecamatan, 2020-2024" in summary.text
        second.process(callback(CHAT, "minta:kirim", summary.message_id))
    finally:
        second.stop()
    db.session.expire_all()
    ticket = only_ticket()
    assert (ticket.subject, ticket.body, ticket.purpose) == (
        "Data jumlah sekolah", "Per kecamatan, 2020-2024", "Penelitian")


# ---------------------------------------------------------------- from a dataset

def test_the_search_request_access_button_prefills_the_dataset(bot, make_chat, reference):
    producer = make_producer()
    dataset = make_published(producer, make_walidata(), access="terbatas",
                             title="Data Rumah Tangga Miskin")
    make_chat(CHAT)
    sent = bot.press(CHAT, f"m:{dataset.name}", 1)
    assert "Data Rumah Tangga Miskin" in sent[0].text and "Jelaskan rinciannya" in sent[0].text
    answer(bot, CHAT, "Per desa, 2024", "Penelitian")
    asked = bot.telegram.last(CHAT)
    bot.press(CHAT, "minta:fmt:softcopy", asked.message_id)
    summary = answer(bot, CHAT, "Siti", NIK, "Bandung", "siti@example.com")[0]
    assert "Akses data Data Rumah Tangga Miskin" in summary.text
    bot.press(CHAT, "minta:kirim", summary.message_id)
    ticket = only_ticket()
    assert ticket.subject == "Akses data Data Rumah Tangga Miskin"
    assert [d.id for d in ticket.datasets] == [dataset.id]

    # The search sends the id instead when a name would not fit in 64 bytes.
    assert "Data Rumah Tangga Miskin" in bot.press(CHAT, f"m:{dataset.id}", 1)[0].text
    assert "Dataset tidak ditemukan." in bot.press(CHAT, "m:tidak-ada", 1)[0].text


# ---------------------------------------------------------------- /status and /tiket

def test_status_of_own_ticket_and_not_of_anyone_elses(bot, make_chat, reference):
    make_chat(CHAT)
    mine = make_request(requester=chat_user(), subject="Data sekolah")
    helpdesk = make_helpdesk()
    tickets.ticket_reply(helpdesk, mine.id, {"body": "Sedang kami siapkan."})
    others = make_request(subject="Data rahasia orang lain")

    sent = bot.say(CHAT, f"/status {mine.number.lower()}")
    text = sent[0].text
    for part in (mine.number, "Data sekolah", "Status: Diterima", "Tenggat jawaban",
                 "Tepat waktu", "Petugas layanan", "Sedang kami siapkan."):
        assert part in text, part
    assert chats.ticket_of_message(SYSTEM, CHAT, sent[0].message_id) == mine.id

    for number in (others.number, "PD-2099-999999", str(others.id)):
        sent = bot.say(CHAT, f"/status {number}")
        assert [c.text for c in sent] == ["Tiket tidak ditemukan."], number
    assert "Ketik /status diikuti nomor registrasi" in bot.say(CHAT, "/status")[0].text


def test_tiket_lists_the_chats_requests_newest_first(bot, make_chat, reference):
    make_chat(CHAT)
    older = make_request(requester=chat_user(), subject="Data pertama")
    newer = make_request(requester=chat_user(), subject="Data kedua")
    make_request(subject="Milik orang lain")
    sent = bot.say(CHAT, "/tiket")
    assert len(sent) == 3
    assert newer.number in sent[0].text and "Data kedua" in sent[0].text
    assert older.number in sent[1].text and "Tenggat jawaban" in sent[1].text
    assert "Balas salah satu pesan" in sent[2].text
    assert "Milik orang lain" not in "".join(c.text for c in sent)
    assert {(r.message_id, r.ticket_id) for r in SentMessage.query.all()} == {
        (sent[0].message_id, newer.id), (sent[1].message_id, older.id)}

    make_chat(OTHER)
    assert "belum punya permohonan" in bot.say(OTHER, "/tiket")[0].text


def test_status_of_an_answered_ticket_offers_the_survey(bot, make_chat, reference):
    make_chat(CHAT)
    ticket = make_request(requester=chat_user())
    tickets.ticket_answer(make_helpdesk(), ticket.id,
                          {"outcome": "fulfilled", "answer": "Terlampir datanya."})
    sent = bot.say(CHAT, f"/status {ticket.number}")
    assert "Dipenuhi" in sent[0].text and "Dijawab" in sent[0].text
    assert sent[0].buttons == [("⭐ Isi survei", f"sv:{ticket.id}")]


# ---------------------------------------------------------------- replies and files

def test_a_clarification_answered_by_replying_with_text_and_a_document(
        bot, telegram, make_chat, reference):
    make_chat(CHAT)
    receipt, ticket = file_request(bot)
    helpdesk = make_helpdesk()
    tickets.ticket_clarify(helpdesk, ticket.id, {"body": "Tahun berapa yang Anda perlukan?"})
    assert tickets.get_ticket(SYSTEM, ticket.id).status == State.NEEDS_CLARIFICATION

    # The status message tells the citizen to reply; replying to it works like the receipt.
    status = bot.say(CHAT, f"/status {ticket.number}")[0]
    assert "menunggu klarifikasi Anda" in status.text
    assert "Tahun berapa yang Anda perlukan?" in status.text

    pdf = telegram.add_file(minimal_pdf(), "surat-keterangan.pdf")
    update = message(CHAT, caption="Tahun 2024, surat terlampir.", document=pdf,
                     reply_to=reply_to(telegram, CHAT, status))
    bot.feed(update)
    done = telegram.last(CHAT)
    assert f"Pesan Anda ditambahkan ke permohonan {ticket.number}" in done.text
    assert "surat-keterangan.pdf" in done.text
    assert "klarifikasi Anda sudah kami terima" in done.text
    ticket = tickets.get_ticket(SYSTEM, ticket.id)
    assert ticket.status == State.IN_PROGRESS and ticket.paused_on is None
    reply = TicketMessage.query.filter_by(ticket_id=ticket.id,
                                          kind=MessageKind.REQUESTER).one()
    assert (reply.body, reply.channel, reply.external_id) == (
        "Tahun 2024, surat terlampir.", "telegram", f"tg:{update['update_id']}")
    (att,) = reply.attachments
    assert (att.filename, att.media_type, att.size) == (
        "surat-keterangan.pdf", "application/pdf", len(minimal_pdf()))
    assert telegram.calls_of("getFile")

    # Plain text replying to the receipt lands on the ticket too (no clock change now).
    bot.feed(message(CHAT, "Terima kasih.", reply_to=reply_to(telegram, CHAT, receipt)))
    assert "klarifikasi" not in telegram.last(CHAT).text
    bodies = [m.body for m in TicketMessage.query.filter_by(kind=MessageKind.REQUESTER)
              .order_by(TicketMessage.id)]
    assert bodies == ["Tahun 2024, surat terlampir.", "Terima kasih."]
    # The same update delivered again adds nothing.
    bot.feed(update)
    assert TicketMessage.query.filter_by(kind=MessageKind.REQUESTER).count() == 2


def test_a_photo_without_caption_is_attached(bot, telegram, make_chat, reference):
    make_chat(CHAT)
    receipt, ticket = file_request(bot)
    jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 200
    bot.feed(message(CHAT, photo=telegram.add_photo(jpeg),
                     reply_to=reply_to(telegram, CHAT, receipt)))
    reply = TicketMessage.query.filter_by(kind=MessageKind.REQUESTER).one()
    (att,) = reply.attachments
    assert att.media_type == "image/jpeg" and att.filename.startswith("foto_")
    assert reply.body == f"Lampiran dari Telegram: {att.filename}"


@pytest.mark.parametrize("name, content, mime, reason", [
    ("besar.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10), "application/pdf",
     "terlalu besar"),
    ("program.exe", b"MZ\x90\x00" + b"\x00" * 100, "application/octet-stream",
     "Berkas .exe tidak diterima"),
    ("palsu.pdf", b"<html><script>alert(1)</script></html>", "application/pdf",
     "Isi berkas tidak sesuai dengan ekstensinya (.pdf)"),
])
def test_a_file_over_the_limit_or_of_a_refused_type_is_refused_with_the_reason(
        app, bot, telegram, make_chat, reference, monkeypatch, name, content, mime, reason):
    monkeypatch.setitem(app.config, "TICKET_ATTACHMENT_MAX_MB", 1)
    make_chat(CHAT)
    receipt, ticket = file_request(bot)
    document = telegram.add_file(content, name, mime)
    bot.feed(message(CHAT, caption="Dokumen pendukung", document=document,
                     reply_to=reply_to(telegram, CHAT, receipt)))
    refusal = telegram.last(CHAT).text
    assert refusal.startswith("⚠️") and reason in refusal, refusal
    assert f"tidak ditambahkan ke permohonan {ticket.number}" in refusal
    assert not TicketMessage.query.filter_by(kind=MessageKind.REQUESTER).count()
    assert not tickets.get_ticket(SYSTEM, ticket.id).attachments


def test_a_file_beyond_telegrams_download_limit_is_refused_unread(bot, telegram, make_chat,
                                                                  reference):
    make_chat(CHAT)
    receipt, _ticket = file_request(bot)
    document = telegram.add_file(b"%PDF" + b"0" * (20 * 1024 * 1024), "raksasa.pdf")
    bot.feed(message(CHAT, document=document, reply_to=reply_to(telegram, CHAT, receipt)))
    assert "lebih dari 20 MB" in telegram.last(CHAT).text
    assert not telegram.calls_of("getFile")
    assert not TicketMessage.query.filter_by(kind=MessageKind.REQUESTER).count()


def test_replies_that_are_not_about_a_ticket(bot, telegram, make_chat, reference):
    make_chat(CHAT)
    help_message = bot.say(CHAT, "/bantuan")[-1]
    sent = bot.say(CHAT, "ini pertanyaan saya", reply_to=reply_to(telegram, CHAT, help_message))
    assert "tidak terkait permohonan" in sent[0].text
    pdf = telegram.add_file(minimal_pdf(), "lepas.pdf")
    bot.feed(message(CHAT, document=pdf))
    assert "balas (reply) pesan bot" in telegram.last(CHAT).text
    assert not TicketMessage.query.count() and not telegram.calls_of("getFile")


def test_a_reply_to_a_closed_ticket_is_refused_with_the_actions_message(
        bot, telegram, make_chat, reference):
    make_chat(CHAT)
    receipt, ticket = file_request(bot)
    tickets.ticket_withdraw(chat_user(), ticket.id)
    sent = bot.say(CHAT, "Masih ada?", reply_to=reply_to(telegram, CHAT, receipt))
    assert "tidak dapat dibalas" in sent[0].text
    assert not TicketMessage.query.filter_by(kind=MessageKind.REQUESTER).count()


# ---------------------------------------------------------------- the actions added for the bot

def test_requester_identity_latest_reads_only_the_actors_own_latest_nik(reference):
    from app.core.errors import NotAuthorized

    citizen = make_requester()
    assert tickets.requester_identity_latest(citizen) is None
    make_request(requester=citizen, address="Alamat lama")
    latest = make_request(requester=citizen, subject="Yang terbaru",
                          nik="3273010101900002", address="Alamat baru")
    make_request(nik="3273014506900009")  # someone else's, newer still
    found = tickets.requester_identity_latest(citizen)
    assert (found.number, found.nik, found.address, found.name) == (
        latest.number, "3273010101900002", "Alamat baru", "Siti Rahmawati")
    assert AuditLog.query.filter_by(action="ticket.identity_reused",
                                    actor_id=citizen.id).count() == 1
    with pytest.raises(NotAuthorized):
        tickets.requester_identity_latest(SYSTEM)
    # Purged identity is gone for good.
    latest.nik_encrypted = None
    db.session.commit()
    assert tickets.requester_identity_latest(citizen).address == "Alamat lama"
