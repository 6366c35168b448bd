"""Telegram notifications of a requester's ticket, delivered from the outbox by the real
python-telegram-bot client to the fake Bot API server (tests/bot/fake_telegram.py).

Each test acts through the help desk's actions, drains the outbox as the worker does, and
asserts what the chat received and what the database recorded.
"""
import io
import json
import socket
from datetime import timedelta

import pytest

from app.chats import actions as chat_actions
from app.chats import notify
from app.chats.models import SentMessage, TelegramChat
from app.core import outbox
from app.core.actor import SYSTEM
from app.core.audit import AuditLog
from app.core.timeutil import local_today, utcnow
from app.extensions import db
from app.tickets import actions
from app.tickets import notify as tickets_notify
from app.tickets.identity import mask_nik
from app.tickets.models import Ticket
from tests.factories import make_producer, make_published, make_walidata, minimal_pdf
from tests.tickets.factories import NIK, make_atasan, make_ppid, make_request, make_requester

SITE = "https://data.example.go.id"
CHAT = 9001
NAME, PHONE, ADDRESS = "Wiratmaja Sukmadilaga", "089977665544", "Jl. Rahasia Nomor 77"
BODY_WORD = "Zulkarnaenisme"

pytestmark = pytest.mark.usefixtures("reference")


@pytest.fixture(autouse=True)
def _setup(app, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "SITE_URL", SITE)
    monkeypatch.setitem(app.config, "MAIL_DIR", str(tmp_path / "mail"))
    monkeypatch.setitem(app.config, "MAIL_SERVER", "")


def citizen_chat(chat_id=CHAT, language="id"):
    """A chat registered by the bot (its own shadow citizen account), consent given."""
    chat = chat_actions.chat_seen(SYSTEM, chat_id, first_name="Warga", language_code=language)
    chat_actions.chat_consent(SYSTEM, chat_id)
    return chat


def bot_request(chat, **overrides):
    """A data request filed from the chat, as the bot files it: the chat's account acts."""
    data = {"email": "", "telegram_chat_id": chat.chat_id, "requester_name": NAME,
            "phone": PHONE, "address": ADDRESS,
            "body": f"Saya {NAME} ({BODY_WORD}) minta data sekolah."}
    data.update(overrides)
    return make_request(requester=chat.user, **data)


def drain_all(now=None):
    for _ in range(6):
        counts = outbox.drain(now=now)
        if not counts["sent"] and not counts["failed"]:
            return
    raise AssertionError("the outbox did not settle")


def telegram_messages():
    return outbox.OutboxMessage.query.filter_by(topic=notify.TOPIC).order_by(
        outbox.OutboxMessage.id).all()


def ticket_of(call, chat_id=CHAT):
    return chat_actions.ticket_of_message(SYSTEM, chat_id, call.message_id)


# ---------------------------------------------------------------- each event

def test_received_with_number_status_due_date_and_link_without_personal_data(telegram):
    chat = citizen_chat()
    ticket = bot_request(chat)
    drain_all()
    (msg,) = telegram.sent(CHAT)
    assert msg.method == "sendMessage" and msg.params["parse_mode"] == "HTML"
    text = msg.text
    assert "<b>Permohonan data Anda telah kami terima</b>" in text
    assert f"<code>{ticket.number}</code>" in text and "Status: Diterima" in text
    due = ticket.due_on
    assert f"Tenggat jawaban: {due.day} " in text and str(due.year) in text
    assert f'<a href="{SITE}/permohonan/{ticket.number}">' in text
    assert f"/status {ticket.number}" in text
    for secret in (NAME, "Wiratmaja", PHONE, ADDRESS, NIK, mask_nik(NIK), BODY_WORD,
                   ticket.subject, ticket.check_code):
        assert secret not in text, secret
    # A reply to this message lands on the ticket.
    assert ticket_of(msg) == ticket.id


def test_the_payload_holds_ids_only(telegram):
    chat = citizen_chat()
    ticket = bot_request(chat)
    outbox.drain()  # the event fans out; the Telegram message waits in the outbox
    (queued,) = telegram_messages()
    assert queued.payload == {"ticket_id": ticket.id, "event": "received", "chat_id": CHAT}
    dumped = json.dumps(queued.payload) + queued.key
    for secret in (NAME, PHONE, ADDRESS, NIK, BODY_WORD, ticket.subject, ticket.check_code):
        assert secret not in dumped


def test_clarification_asks_for_a_reply_to_this_message(telegram):
    chat = citizen_chat()
    ppid = make_ppid()
    ticket = bot_request(chat)
    drain_all()
    actions.ticket_clarify(ppid, ticket.number, {"body": "Tahun berapa yang dimaksud?"})
    drain_all()
    msg = telegram.last(CHAT)
    assert "<b>Petugas meminta klarifikasi</b>" in msg.text
    assert "Balas pesan ini untuk menjawab klarifikasi" in msg.text
    assert "<blockquote>Tahun berapa yang dimaksud?</blockquote>" in msg.text
    assert "Status: Menunggu klarifikasi pemohon" in msg.text
    assert ticket_of(msg) == ticket.id


def test_officer_text_is_escaped_for_html(telegram):
    chat = citizen_chat()
    ticket = bot_request(chat)
    actions.ticket_reply(make_ppid(), ticket.number,
                         {"body": "Data <b>2025</b> & 2024 sedang disiapkan."})
    drain_all()
    msg = telegram.last(CHAT)
    assert "<b>Pesan baru dari petugas</b>" in msg.text
    assert "Data &lt;b&gt;2025&lt;/b&gt; &amp; 2024 sedang disiapkan." in msg.text


def test_answer_with_files_sends_small_ones_and_links_the_rest(telegram, monkeypatch):
    chat = citizen_chat()
    ppid = make_ppid()
    dataset = make_published(make_producer(), make_walidata())
    ticket = bot_request(chat)
    pdf = minimal_pdf()
    csv = "kecamatan,sekolah\n" + "".join(f"Kecamatan {i},{i}\n" for i in range(200))
    # The 20 MB limit, scaled down: the PDF goes as a document, the CSV as a link.
    monkeypatch.setattr(notify, "MAX_DOCUMENT_BYTES", len(pdf))
    actions.ticket_answer(ppid, ticket.number, {
        "outcome": "fulfilled", "answer": "Data terlampir.", "dataset_ids": [dataset.name]},
        files=[("jawaban.pdf", io.BytesIO(pdf)), ("sekolah.csv", io.BytesIO(csv.encode()))])
    drain_all()
    received, text, document = telegram.sent(CHAT)
    assert "<b>Permohonan Anda telah dijawab</b>" in text.text
    assert "<blockquote>Data terlampir.</blockquote>" in text.text
    assert "Status: Dipenuhi" in text.text and "keberatan paling lambat" in text.text
    assert "Tenggat jawaban" not in text.text  # closed: no deadline left
    csv_att = next(a for a in db.session.get(Ticket, ticket.id).attachments
                   if a.filename == "sekolah.csv")
    assert f'<a href="{SITE}/permohonan/{ticket.number}/lampiran/{csv_att.id}">sekolah.csv</a>' \
        in text.text
    assert f'<a href="{SITE}/dataset/{dataset.name}">{dataset.title}</a>' in text.text
    assert document.method == "sendDocument"
    upload = document.files["document"]
    assert upload["filename"] == "jawaban.pdf" and upload["content"] == pdf
    assert document.text == f"{ticket.number} · jawaban.pdf"
    # A reply to the answer or to its file lands on the ticket.
    assert ticket_of(text) == ticket_of(document) == ticket.id


def test_a_long_answer_with_many_files_still_fits_one_message(telegram, monkeypatch):
    chat = citizen_chat()
    ticket = bot_request(chat)
    monkeypatch.setattr(notify, "MAX_DOCUMENT_BYTES", 10)  # every file goes as a link
    files = [(f"rekap-sekolah-kecamatan-{'x' * 100}-{n:02d}.csv",
              io.BytesIO(b"kecamatan,sekolah\nSukasari,12\n")) for n in range(30)]
    actions.ticket_answer(make_ppid(), ticket.number, {
        "outcome": "fulfilled", "answer": "Jawaban panjang. " * 250}, files=files)
    drain_all()
    answer = telegram.last(CHAT)
    assert answer.method == "sendMessage" and len(answer.text) <= 4096
    assert "…</blockquote>" in answer.text
    shown = answer.text.count("/lampiran/")
    assert 0 < shown < 30
    assert f"{30 - shown} tautan lainnya ada di halaman permohonan." in answer.text
    assert f"/status {ticket.number}" in answer.text  # the way to the rest


def test_internal_files_are_never_sent(telegram):
    chat = citizen_chat()
    ppid = make_ppid()
    ticket = bot_request(chat)
    actions.ticket_note(ppid, ticket.number, {"body": "Catatan internal."},
                        files=[("internal.pdf", io.BytesIO(minimal_pdf()))])
    actions.ticket_answer(ppid, ticket.number, {"outcome": "fulfilled", "answer": "Selesai."})
    drain_all()
    assert [c.method for c in telegram.sent(CHAT)] == ["sendMessage", "sendMessage"]
    assert "internal.pdf" not in telegram.last(CHAT).text


def test_refusal_names_the_exemption(telegram):
    chat = citizen_chat()
    ticket = bot_request(chat)
    actions.ticket_answer(make_ppid(), ticket.number, {
        "outcome": "rejected", "answer": "Data dikecualikan.", "exemption": "17h"})
    drain_all()
    text = telegram.last(CHAT).text
    assert "Status: Ditolak" in text and "Pasal 17 huruf h" in text


def test_extension_gives_the_new_due_date_and_reason(telegram):
    chat = citizen_chat()
    ticket = bot_request(chat)
    actions.ticket_extend(make_ppid(), ticket.number,
                          {"days": 5, "reason": "Data sedang direkapitulasi."})
    drain_all()
    text = telegram.last(CHAT).text
    due = db.session.get(Ticket, ticket.id).due_on
    assert "<b>Jangka waktu jawaban diperpanjang</b>" in text
    assert f"sampai {due.day} " in text
    assert "<blockquote>Data sedang direkapitulasi.</blockquote>" in text


def test_merge_points_to_the_ticket_that_will_hold_the_answer(telegram):
    chat = citizen_chat()
    first = bot_request(chat)
    second = bot_request(chat, subject="Data jumlah guru per kecamatan")
    actions.ticket_merge(make_ppid(), second.number, first.number)
    drain_all()
    msg = telegram.last(CHAT)
    assert "<b>Permohonan Anda digabung</b>" in msg.text
    assert f"digabung dengan permohonan {first.number}" in msg.text
    assert ticket_of(msg) == second.id


def test_objection_decided(telegram):
    chat = citizen_chat()
    ticket = bot_request(chat)
    actions.ticket_answer(make_ppid(), ticket.number, {
        "outcome": "rejected", "answer": "Dikecualikan.", "exemption": "17h"})
    objection = actions.objection_file(chat.user, ticket.number,
                                       {"grounds": ["refused"], "body": "Saya keberatan."})
    actions.objection_decide(make_atasan(), objection.number, {
        "decision": "upheld", "answer": "Keberatan diterima; data diberikan."})
    drain_all()
    msg = telegram.last(CHAT)
    assert "<b>Keberatan Anda telah diputus</b>" in msg.text
    assert "Keberatan diterima" in msg.text and "Komisi Informasi" in msg.text
    assert f"<code>{objection.number}</code>" in msg.text
    assert ticket_of(msg) == objection.id


def test_overdue_apology_and_none_once_answered(telegram):
    chat = citizen_chat()
    late = bot_request(chat)
    answered = bot_request(chat, subject="Data jumlah guru per kecamatan")
    for row in (late, answered):
        db.session.get(Ticket, row.id).due_on = local_today() - timedelta(days=3)
    db.session.commit()
    actions.ticket_answer(make_ppid(), answered.number, {"outcome": "fulfilled",
                                                         "answer": "Terlampir."})
    drain_all()
    before = len(telegram.sent(CHAT))
    # The help desk's escalation event, handed to the Telegram channel.
    for row in (late, answered):
        tickets_notify.requester_telegram(db.session.get(Ticket, row.id), "overdue",
                                          f"tickets.notify:{row.id}:overdue:t")
    db.session.commit()
    drain_all()
    (apology,) = telegram.sent(CHAT)[before:]
    assert "<b>Mohon maaf, jawaban kami terlambat</b>" in apology.text
    assert "mengajukan keberatan" in apology.text
    assert ticket_of(apology) == late.id
    assert all(m.status == outbox.SENT for m in telegram_messages())


def test_escalation_sends_the_overdue_apology_to_telegram_not_by_mail(telegram, tmp_path):
    chat = citizen_chat()
    late = bot_request(chat, email="warga@example.com")
    db.session.get(Ticket, late.id).due_on = local_today() - timedelta(days=3)
    db.session.commit()
    drain_all()
    mails_before = len(list((tmp_path / "mail").glob("*.eml")))
    before = len(telegram.sent(CHAT))
    assert actions.escalate(SYSTEM)["overdue"] == 1
    drain_all()
    (apology,) = telegram.sent(CHAT)[before:]
    assert "Mohon maaf, jawaban kami terlambat" in apology.text
    assert len(list((tmp_path / "mail").glob("*.eml"))) == mails_before


def test_closed(telegram):
    chat = citizen_chat()
    ticket = bot_request(chat)
    drain_all()
    actions.ticket_withdraw(chat.user, ticket.number)
    tickets_notify.requester_telegram(db.session.get(Ticket, ticket.id), "closed", "k:closed")
    db.session.commit()
    drain_all()
    text = telegram.last(CHAT).text
    assert "<b>Permohonan Anda ditutup</b>" in text and "Status: Dibatalkan pemohon" in text


def test_staff_only_events_reach_no_chat(telegram):
    chat = citizen_chat()
    ticket = bot_request(chat)
    ppid = make_ppid()
    actions.ticket_assign(ppid, ticket.number, ppid.id)
    drain_all()
    assert len(telegram.sent(CHAT)) == 1  # the receipt only, not the assignment
    assert [m.payload["event"] for m in telegram_messages()] == ["received"]


def test_english_chat_gets_english_dates(telegram):
    chat = citizen_chat(language="en-US")
    ticket = bot_request(chat)
    drain_all()
    text = telegram.last(CHAT).text
    assert ticket.due_on.strftime("%B") in text  # "March", not "Maret"


# ---------------------------------------------------------------- who gets what

def test_a_linked_web_account_hears_of_its_web_requests(telegram):
    web = make_requester()
    citizen_chat()
    chat_actions.chat_link(SYSTEM, CHAT, chat_actions.link_code_create(web).code)
    ticket = make_request(requester=web, email="")  # filed on the web
    drain_all()
    (msg,) = telegram.sent(CHAT)
    assert ticket.number in msg.text and ticket_of(msg) == ticket.id


def test_one_message_per_chat_even_when_both_routes_lead_to_it(telegram):
    web = make_requester()
    citizen_chat()
    chat_actions.chat_link(SYSTEM, CHAT, chat_actions.link_code_create(web).code)
    make_request(requester=web, email="", telegram_chat_id=CHAT)
    drain_all()
    assert len(telegram.sent(CHAT)) == 1


def test_a_requester_without_telegram_gets_no_telegram_message(telegram):
    make_request(email="pemohon@example.com")
    make_request(email="", telegram_chat_id=4242)  # a chat the bot never saw: cannot write
    drain_all()
    assert telegram_messages() == [] and telegram.calls == []


# ---------------------------------------------------------------- exactly once

def test_each_notification_is_sent_once_across_retries_and_restarts(telegram):
    chat = citizen_chat()
    ticket = bot_request(chat)
    drain_all()
    drain_all(now=utcnow() + timedelta(hours=1))
    assert len(telegram.sent(CHAT)) == 1
    # The event handled again (a retry after a crash): nothing new is enqueued.
    (event,) = outbox.OutboxMessage.query.filter_by(topic=tickets_notify.TOPIC).all()
    tickets_notify.deliver_event(event.payload, event.key)
    tickets_notify.requester_telegram(db.session.get(Ticket, ticket.id), "received", event.key)
    db.session.commit()
    assert len(telegram_messages()) == 1
    # The message delivered again (its "sent" mark lost in a crash): Telegram hears nothing.
    (queued,) = telegram_messages()
    queued.status = outbox.PENDING
    db.session.commit()
    drain_all()
    assert len(telegram.sent(CHAT)) == 1 and len(telegram.calls_of("sendMessage")) == 1
    assert SentMessage.query.count() == 1


def test_a_failed_document_is_retried_without_resending_the_text(telegram, clock):
    chat = citizen_chat()
    ticket = bot_request(chat)
    drain_all()
    telegram.rate_limit_once("sendDocument", retry_after=5)
    actions.ticket_answer(make_ppid(), ticket.number, {"outcome": "fulfilled",
                                                       "answer": "Terlampir."},
                          files=[("jawaban.pdf", io.BytesIO(minimal_pdf()))])
    drain_all()
    assert [c.method for c in telegram.sent(CHAT)] == ["sendMessage", "sendMessage"]
    answer = telegram_messages()[-1]
    assert answer.status == outbox.PENDING and "RetryAfter" in answer.last_error
    clock.now += 6
    drain_all(now=utcnow() + timedelta(minutes=5))
    assert [c.method for c in telegram.sent(CHAT)] == ["sendMessage", "sendMessage",
                                                       "sendDocument"]
    assert answer.status == outbox.SENT


# ---------------------------------------------------------------- Telegram says no

def test_a_chat_that_blocked_the_bot_is_marked_inactive_and_not_retried(telegram):
    chat = citizen_chat()
    ticket = bot_request(chat)
    telegram.block(CHAT)
    drain_all()
    (refused,) = telegram.calls_of("sendMessage", CHAT)
    assert refused.error == 403
    (queued,) = telegram_messages()
    assert queued.status == outbox.SENT  # handled: not retried for ever
    db.session.expire_all()
    blocked = db.session.get(TelegramChat, CHAT)
    assert not blocked.active and blocked.blocked_at is not None
    assert AuditLog.query.filter_by(action="telegram.blocked").count() == 1
    # Later steps of the ticket are not even queued for the chat.
    actions.ticket_clarify(make_ppid(), ticket.number, {"body": "Tahun berapa?"})
    drain_all(now=utcnow() + timedelta(hours=2))
    assert len(telegram_messages()) == 1 and len(telegram.calls_of("sendMessage")) == 1
    assert SentMessage.query.count() == 0


def test_a_chat_blocked_before_delivery_is_skipped_quietly(telegram):
    chat = citizen_chat()
    bot_request(chat)
    outbox.drain()  # queued for the chat...
    chat_actions.chat_blocked(SYSTEM, CHAT)  # ...which the bot then learns blocked it
    drain_all()
    assert telegram.calls == []
    assert [m.status for m in telegram_messages()] == [outbox.SENT]


def test_flood_control_leaves_the_message_pending_until_telegram_allows(telegram, clock):
    chat = citizen_chat()
    bot_request(chat)
    telegram.rate_limit_once("sendMessage", retry_after=30)
    drain_all()
    (queued,) = telegram_messages()
    assert queued.status == outbox.PENDING and queued.attempts == 1
    assert telegram.sent(CHAT) == []
    # Due again for the outbox, but Telegram's 30 s have not passed: not even asked.
    assert outbox.drain(now=utcnow() + timedelta(minutes=5)) == {"sent": 0, "failed": 1}
    assert len(telegram.calls_of("sendMessage")) == 1
    assert "FloodWait" in queued.last_error
    clock.now += 31
    drain_all(now=utcnow() + timedelta(minutes=15))
    assert queued.status == outbox.SENT and len(telegram.sent(CHAT)) == 1


def test_without_a_token_messages_wait_for_one(app, telegram, monkeypatch):
    chat = citizen_chat()
    bot_request(chat)
    monkeypatch.setitem(app.config, "TELEGRAM_BOT_TOKEN", "")
    drain_all()
    (queued,) = telegram_messages()
    assert queued.status == outbox.PENDING and "TELEGRAM_BOT_TOKEN" in queued.last_error
    assert telegram.calls == []
    monkeypatch.setitem(app.config, "TELEGRAM_BOT_TOKEN", telegram.token)
    drain_all(now=utcnow() + timedelta(minutes=5))
    assert queued.status == outbox.SENT and len(telegram.sent(CHAT)) == 1


def test_a_network_error_is_retried_later(app, telegram, monkeypatch):
    chat = citizen_chat()
    bot_request(chat)
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setitem(app.config, "TELEGRAM_API_BASE_URL", f"http://127.0.0.1:{port}/bot")
    drain_all()
    (queued,) = telegram_messages()
    assert queued.status == outbox.PENDING and "NetworkError" in queued.last_error
    monkeypatch.setitem(app.config, "TELEGRAM_API_BASE_URL", telegram.base_url)
    drain_all(now=utcnow() + timedelta(minutes=5))
    assert queued.status == outbox.SENT and len(telegram.sent(CHAT)) == 1


# ---------------------------------------------------------------- pacing

def test_messages_to_one_chat_are_a_second_apart(telegram, clock):
    chat = citizen_chat()
    ticket = bot_request(chat)
    actions.ticket_clarify(make_ppid(), ticket.number, {"body": "Tahun berapa?"})
    drain_all()  # both events are due at once
    first, second = telegram.sent(CHAT)
    assert clock.sleeps == [pytest.approx(notify.PER_CHAT_INTERVAL)]
    assert "telah kami terima" in first.text and "klarifikasi" in second.text


def test_different_chats_are_not_paced(telegram, clock):
    for chat_id in (CHAT, CHAT + 1):
        bot_request(citizen_chat(chat_id))
    drain_all()
    assert len(telegram.sent(CHAT)) == len(telegram.sent(CHAT + 1)) == 1
    assert clock.sleeps == []


def test_the_answer_invites_a_rating_until_it_is_given(telegram):
    chat = citizen_chat()
    ticket = bot_request(chat)
    actions.ticket_answer(make_ppid(), ticket.number, {"outcome": "fulfilled",
                                                        "answer": "Data terlampir di portal."})
    drain_all()
    answer = telegram.sent(CHAT)[-1]
    assert ("Nilai layanan kami (1 menit)", f"sv:{ticket.id}") in answer.buttons
    answers = {f"e{i}": 4 for i in range(1, 10)}
    actions.survey_submit(chat.user, ticket.number, answers)
    assert notify._survey_button(db.session.get(Ticket, ticket.id), "answered") == ()


def test_a_request_filed_in_the_bot_gets_no_second_receipt(telegram):
    """The conversation already gave the number; the outbox's 'received' would repeat it."""
    chat = citizen_chat()
    bot_request(chat, channel="telegram")
    drain_all()
    assert telegram.sent(CHAT) == []
