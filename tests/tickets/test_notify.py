"""Help-desk notifications: drained from the outbox into .eml files (the file backend)."""
import email
import socket
from datetime import timedelta
from email import policy

import pytest

from app.accounts.models import User
from app.core import outbox
from app.core.actor import SYSTEM, Role
from app.core.timeutil import local_today, utcnow
from app.extensions import db
from app.tickets import actions, notify
from app.tickets.identity import mask_nik
from app.tickets.models import Ticket
from tests.factories import make_org, make_user, make_walidata
from tests.tickets.factories import (
    NIK,
    make_atasan,
    make_helpdesk,
    make_ppid,
    make_request,
    make_requester,
)

SITE = "https://data.example.go.id"
NAME, PHONE, ADDRESS = "Wiratmaja Sukmadilaga", "089977665544", "Jl. Rahasia Nomor 77"
BODY_WORD = "Zulkarnaenisme"


@pytest.fixture(autouse=True)
def _setup(app, reference, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "MAIL_DIR", str(tmp_path / "mail"))
    monkeypatch.setitem(app.config, "MAIL_SERVER", "")
    monkeypatch.setitem(app.config, "SITE_URL", SITE)


@pytest.fixture
def mailbox(app, tmp_path):
    def read():
        """{recipient: [messages]} of every .eml written so far."""
        box = {}
        for path in sorted((tmp_path / "mail").glob("*.eml")):
            msg = email.message_from_bytes(path.read_bytes(), policy=policy.default)
            box.setdefault(msg["To"], []).append(msg)
        return box
    return read


def drain_all():
    """Events fan out into e-mails, which the next round delivers."""
    for _ in range(5):
        counts = outbox.drain()
        if not counts["sent"] and not counts["failed"]:
            return
    raise AssertionError("the outbox did not settle")


def body(msg):
    return msg.get_content()


def test_requester_is_told_of_the_registration_without_personal_data(mailbox):
    ticket = make_request(email="pemohon@example.com", requester_name=NAME, phone=PHONE,
                          address=ADDRESS, body=f"Saya {NAME} ({BODY_WORD}) minta data.")
    drain_all()
    box = mailbox()
    assert list(box) == ["pemohon@example.com"]
    (msg,) = box["pemohon@example.com"]
    text = body(msg)
    assert msg["Subject"] == f"[{ticket.number}] Permohonan data Anda telah kami terima"
    assert msg["Message-ID"]
    assert ticket.number in text and "Status saat ini: Diterima" in text
    due = ticket.due_on
    assert f"{due.day} " in text and str(due.year) in text  # "17 Maret 2026"
    assert f"{SITE}/permohonan/{ticket.number}" in text
    for secret in (NAME, "Wiratmaja", PHONE, ADDRESS, NIK, mask_nik(NIK), BODY_WORD,
                   ticket.subject, ticket.check_code):
        assert secret not in text, secret


def test_requester_steps_clarification_and_answer(mailbox):
    requester, ppid = make_requester(), make_ppid()
    ticket = make_request(requester, email="pemohon@example.com")
    actions.ticket_clarify(ppid, ticket.number, {"body": "Tahun berapa yang dimaksud?"})
    actions.requester_reply(requester, ticket.number, {"body": "Tahun 2025."})
    actions.ticket_answer(ppid, ticket.number, {"outcome": "fulfilled", "answer": "Terlampir."})
    drain_all()
    subjects = sorted(m["Subject"] for m in mailbox()["pemohon@example.com"])
    assert subjects == sorted(f"[{ticket.number}] {s}" for s in (
        "Permohonan data Anda telah kami terima", "Petugas meminta klarifikasi",
        "Permohonan Anda telah dijawab"))
    answered = next(m for m in mailbox()["pemohon@example.com"] if "dijawab" in m["Subject"])
    assert "keberatan paling lambat" in body(answered)
    assert "Tahun berapa" not in body(answered)  # messages are read on the site, not mailed


def test_staff_hear_of_assignment_reply_and_approval(mailbox):
    requester, ppid, helpdesk = make_requester(), make_ppid(), make_helpdesk()
    walidata = make_walidata()
    elsewhere = make_user(roles=(Role.WALIDATA,), orgs=(make_org(),))
    ticket = make_request(requester, email="")
    actions.ticket_assign(ppid, ticket.number, helpdesk.id)
    actions.requester_reply(requester, ticket.number, {"body": "Ada tambahan."})
    actions.approval_request(helpdesk, ticket.number, {"note": "Data terbatas."})
    drain_all()
    actions.approval_decide(walidata, ticket.number, {"decision": "approved"})
    drain_all()
    box = mailbox()
    assert sorted(m["Subject"] for m in box[helpdesk.email]) == sorted([
        f"[{ticket.number}] Tiket ditugaskan kepada Anda",
        f"[{ticket.number}] Pemohon mengirim balasan",
        f"[{ticket.number}] Walidata menyetujui; lanjutkan pemenuhan permohonan"])
    (approval,) = box[walidata.email]
    assert "menunggu persetujuan walidata" in approval["Subject"]
    assert f"{SITE}/layanan/tiket/{ticket.number}" in body(approval)
    assert elsewhere.email not in box and ppid.email not in box


def test_escalation_warns_assignee_and_supervisors_once(mailbox):
    ppid, helpdesk, atasan = make_ppid(), make_helpdesk(), make_atasan()
    other_team_ppid = make_ppid(org=make_org())
    ticket = make_request(email="pemohon@example.com")
    actions.ticket_assign(ppid, ticket.number, helpdesk.id)
    row = db.session.get(Ticket, ticket.id)
    row.due_on = local_today() - timedelta(days=7)
    db.session.commit()
    assert actions.escalate(SYSTEM) == {"due_soon": 0, "overdue": 1}
    assert actions.escalate(SYSTEM) == {"due_soon": 0, "overdue": 0}
    drain_all()
    box = mailbox()
    overdue = f"[{ticket.number}] Tiket melewati tenggat jawaban"
    for user in (helpdesk, ppid, atasan):
        assert [m["Subject"] for m in box[user.email] if "tenggat" in m["Subject"]] == [overdue]
    assert other_team_ppid.email not in box
    assert all("tenggat" not in m["Subject"] for m in box["pemohon@example.com"])


def test_redelivery_sends_nothing_twice(mailbox):
    ticket = make_request(email="pemohon@example.com")
    (event,) = outbox.OutboxMessage.query.filter_by(topic=notify.TOPIC).all()
    notify.deliver_event(event.payload, event.key)
    notify.deliver_event(event.payload, event.key)  # a retry after a crash
    db.session.commit()
    assert outbox.OutboxMessage.query.filter_by(topic=notify.MAIL_TOPIC).count() == 1
    drain_all()
    (first,) = mailbox()["pemohon@example.com"]
    # The e-mail itself delivered again (e.g. its "sent" mark was lost): the same file.
    (mail_msg,) = outbox.OutboxMessage.query.filter_by(topic=notify.MAIL_TOPIC).all()
    mail_msg.status = outbox.PENDING
    db.session.commit()
    drain_all()
    (again,) = mailbox()["pemohon@example.com"]
    assert again["Message-ID"] == first["Message-ID"]
    assert ticket.number in again["Subject"]


def test_no_address_no_mail_and_the_telegram_hook_records_nothing(mailbox):
    ticket = make_request(email="", telegram_chat_id=123456)
    before = outbox.OutboxMessage.query.count()
    assert notify.requester_telegram(ticket, "received", "k") is None
    drain_all()
    assert mailbox() == {}
    assert outbox.OutboxMessage.query.filter_by(topic=notify.MAIL_TOPIC).count() == 0
    assert outbox.OutboxMessage.query.count() == before


def test_a_purged_address_is_not_mailed(mailbox):
    ticket = make_request(email="pemohon@example.com")
    outbox.drain()  # the event fans out; the e-mail waits
    row = db.session.get(Ticket, ticket.id)
    row.email = None
    db.session.commit()
    drain_all()
    assert mailbox() == {}


def test_a_failed_send_is_retried_later(app, mailbox, monkeypatch):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    make_request(email="pemohon@example.com")
    outbox.drain()
    assert outbox.drain() == {"sent": 0, "failed": 1}
    (msg,) = outbox.OutboxMessage.query.filter_by(topic=notify.MAIL_TOPIC).all()
    assert msg.status == outbox.PENDING and msg.attempts == 1 and msg.last_error
    assert mailbox() == {}
    monkeypatch.setitem(app.config, "MAIL_SERVER", "")
    assert outbox.drain(now=utcnow() + timedelta(minutes=5)) == {"sent": 1, "failed": 0}
    assert list(mailbox()) == ["pemohon@example.com"]


def test_inactive_staff_get_nothing(mailbox):
    ppid, helpdesk = make_ppid(), make_helpdesk()
    ticket = make_request(email="")
    actions.ticket_assign(ppid, ticket.number, helpdesk.id)
    db.session.get(User, helpdesk.id).active = False
    db.session.commit()
    drain_all()
    assert mailbox() == {}


def test_staff_are_not_told_of_work_already_done(mailbox):
    ppid, helpdesk = make_ppid(), make_helpdesk()
    ticket = make_request(email="pemohon@example.com")
    actions.ticket_assign(ppid, ticket.number, helpdesk.id)
    actions.ticket_answer(ppid, ticket.number, {"outcome": "fulfilled", "answer": "Terlampir."})
    drain_all()  # the worker catches up only now
    box = mailbox()
    assert helpdesk.email not in box
    assert len(box["pemohon@example.com"]) == 2  # the requester's record of both steps
