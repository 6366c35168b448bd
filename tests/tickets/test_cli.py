"""`flask tickets ...`: the commands' output and their effects."""
import csv
import io
from datetime import date, timedelta

import openpyxl
import pytest

from app.core import outbox
from app.core.timeutil import local_today, utcnow
from app.extensions import db
from app.tickets import actions, notify
from app.tickets.models import Sla, State, Ticket
from tests.tickets.factories import make_helpdesk, make_ppid, make_request


@pytest.fixture(autouse=True)
def _regions(reference):
    """A NIK is checked against the region table."""


def fresh(ticket):
    db.session.expire_all()
    return db.session.get(Ticket, ticket.id)


def warnings_for(ticket, event):
    return [m for m in outbox.OutboxMessage.query.filter_by(topic=notify.TOPIC).all()
            if m.payload["ticket_id"] == ticket.id and m.payload["event"] == event]


def test_escalate_warns_once_a_day(runner):
    ppid, helpdesk = make_ppid(), make_helpdesk()
    late, soon = make_request(), make_request()
    for ticket in (late, soon):
        actions.ticket_assign(ppid, ticket.number, helpdesk.id)
    row = db.session.get(Ticket, late.id)
    row.due_on = local_today() - timedelta(days=3)
    db.session.get(Ticket, soon.id).due_on = local_today()
    db.session.commit()

    first = runner.invoke(args=["tickets", "escalate"])
    assert first.exit_code == 0, first.output
    assert first.output.strip() == "Peringatan: 1 segera jatuh tempo, 1 terlambat."
    second = runner.invoke(args=["tickets", "escalate"])
    assert second.output.strip() == "Peringatan: 0 segera jatuh tempo, 0 terlambat."
    assert len(warnings_for(late, "overdue")) == 1 and len(warnings_for(soon, "due_soon")) == 1
    assert fresh(late).sla_state == Sla.OVERDUE and fresh(late).warned_overdue_on == \
        local_today()


def test_sla_recompute_reports_changes(runner):
    ticket = make_request()
    row = db.session.get(Ticket, ticket.id)
    row.due_on = local_today() - timedelta(days=1)  # overdue, but stored as on time
    db.session.commit()
    result = runner.invoke(args=["tickets", "sla-recompute"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("1 tiket berubah status SLA (") and "detik" in result.output
    assert fresh(ticket).sla_state == Sla.OVERDUE
    assert runner.invoke(args=["tickets", "sla-recompute"]).output.startswith("0 tiket")


def test_purge_personal(runner):
    ppid = make_ppid()
    old = make_request(requester_name="Nama Lama", email="lama@example.com")
    actions.ticket_answer(ppid, old.number, {"outcome": "fulfilled", "answer": "Terlampir."})
    recent = make_request(requester_name="Nama Baru")
    actions.ticket_answer(ppid, recent.number, {"outcome": "fulfilled", "answer": "Ok."})
    db.session.get(Ticket, old.id).closed_at = utcnow() - timedelta(days=400)
    db.session.commit()

    result = runner.invoke(args=["tickets", "purge-personal", "--older-than", "365"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Data pribadi dihapus dari 1 tiket."
    purged, kept = fresh(old), fresh(recent)
    assert purged.email is None and purged.nik_encrypted is None and purged.status == \
        State.FULFILLED
    assert kept.requester_name == "Nama Baru"

    refused = runner.invoke(args=["tickets", "purge-personal", "--older-than", "5"])
    assert refused.exit_code == 1
    assert f"Masa retensi minimal {actions.MIN_RETENTION_DAYS} hari" in refused.output
    assert runner.invoke(args=["tickets", "purge-personal"]).exit_code == 2


def test_register_to_files(runner, tmp_path):
    ppid = make_ppid()
    ticket = make_request(requester_name="=cmd|' /C calc'!A0")
    actions.ticket_answer(ppid, ticket.number, {"outcome": "fulfilled", "answer": "Ok."})
    row = db.session.get(Ticket, ticket.id)
    row.received_on, row.answered_on = date(2025, 6, 2), date(2025, 6, 4)
    db.session.commit()

    out = tmp_path / "register.csv"
    result = runner.invoke(args=["tickets", "register", "--year", "2025", "--format", "csv",
                                 "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"Register 2025: 1 permohonan ditulis ke {out}."
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    assert [r[1] for r in rows[1:]] == [ticket.number]
    assert rows[1][3] == "'=cmd|' /C calc'!A0"

    xlsx = tmp_path / "register.xlsx"
    runner.invoke(args=["tickets", "register", "--year", "2025", "--format", "xlsx",
                        "--output", str(xlsx)])
    sheet = openpyxl.load_workbook(xlsx).active
    assert sheet["B2"].value == ticket.number

    empty = runner.invoke(args=["tickets", "register", "--year", "2024", "--format", "csv",
                                "--output", "-"])
    assert empty.exit_code == 0 and "Nomor registrasi" in empty.output
    bad = runner.invoke(args=["tickets", "register", "--year", "1800", "--output", "-"])
    assert bad.exit_code == 1 and "Tahun tidak valid" in bad.output
