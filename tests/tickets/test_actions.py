"""Help-desk actions without HTTP (CKAN's split tests): filing and its bad input, every
transition of the request lifecycle, legal and illegal, approval, answers, objection, survey,
escalation and the personal-data purge, and the audit row each step writes.

A refused action changes nothing: `unchanged` compares the row count of every table, the
stored files and the ticket's own state before and after. "Today" is the agency's date,
set through `clock` (actions._today and sla's local_today), so the legal clock runs on the
real 2026 calendar.
"""
import io
import re
from contextlib import contextmanager
from datetime import date, timedelta
from itertools import count
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask import current_app
from sqlalchemy import text, update

from app.catalog.models import DatasetAccess
from app.core import audit
from app.core.actor import ANONYMOUS, SYSTEM, Role
from app.core.errors import InvalidTransition, NotAuthorized, NotFound, ValidationError
from app.core.outbox import OutboxMessage
from app.core.storage import from_app as storage
from app.core.timeutil import utcnow
from app.extensions import db
from app.tickets import actions
from app.tickets.models import Approval, Kind, Sla, State, Ticket, TicketAttachment
from tests.factories import (
    custodian_org,
    make_producer,
    make_published,
    make_user,
    make_walidata,
    reload,
    row_counts,
    storage_files,
)
from tests.tickets.factories import (
    NIK,
    make_atasan,
    make_helpdesk,
    make_ppid,
    make_request,
    make_requester,
    pdf_file,
    request_data,
    stop_the_clock,
)

TUESDAY_17_MARCH = date(2026, 3, 17)
DUE_8_APRIL = date(2026, 4, 8)     # 10 working days later on the 2026 calendar
OBJECTION_LAST_DAY = date(2026, 5, 25)  # 30 working days after 8 April (1, 14, 15 May off)
CHECK_CODE = re.compile(r"^[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{8}$")
_subjects = count(1)


@pytest.fixture(autouse=True)
def clock(reference, monkeypatch):
    return stop_the_clock(monkeypatch, TUESDAY_17_MARCH)


@pytest.fixture
def staff():
    org = custodian_org()
    return SimpleNamespace(helpdesk=make_helpdesk(org), ppid=make_ppid(org), atasan=make_atasan(),
                           walidata=make_walidata(), admin=make_user(roles=(Role.ADMIN,)))


# ---------------------------------------------------------------- helpers

def new_request(requester=None, **overrides):
    """A received data request with a subject of its own (the same one twice is refused)."""
    overrides.setdefault("subject", f"Data jumlah sekolah, permohonan {next(_subjects)}")
    return make_request(requester, **overrides)


def errors_of(info):
    return {k: [str(m) for m in v] for k, v in info.value.errors.items()}


def actions_of(ticket):
    return [row.action for row in audit.history("ticket", ticket.id)]


def _state(ticket):
    db.session.rollback()
    db.session.expire_all()
    shape = None
    if ticket is not None:
        t = db.session.get(Ticket, ticket.id)
        shape = (t.status, t.due_on, t.sla_state, t.paused_on, t.paused_days, t.extended_at,
                 t.answered_on, t.assignee_id, t.closed_at, len(actions_of(t)))
    return row_counts(), storage_files(current_app.config["STORAGE_DIR"]), shape


@contextmanager
def unchanged(exc_type, ticket=None):
    before = _state(ticket)
    with pytest.raises(exc_type) as info:
        yield info
    assert _state(ticket) == before, "a refused action changed something"


def answer(actor, ticket, outcome=State.FULFILLED, **extra):
    data = {"outcome": outcome, "answer": "Data terlampir dalam berkas jawaban.", **extra}
    return actions.ticket_answer(actor, ticket.id, data)


def clarify(actor, ticket):
    return actions.ticket_clarify(actor, ticket.id, {"body": "Mohon sebutkan tahun datanya."})


def extend(actor, ticket, days=7):
    return actions.ticket_extend(actor, ticket.id, {"days": days,
                                                    "reason": "Data tersebar di tiga bidang."})


def object_to(ticket, **data):
    data = {"grounds": ["refused"], "body": "Alasan penolakan tidak jelas.", **data}
    return actions.objection_file(ticket.requester, ticket.id, data)


def survey(actor, ticket):
    data = {f"e{i}": 4 for i in range(1, 10)} | {"comment": "Cepat."}
    return actions.survey_submit(actor, ticket.id, data)


def _objection(s, t):
    object_to(answer(s.ppid, t, State.REJECTED, exemption="17a"))
    return t


def _objection_decided(s, t):
    objection = Ticket.query.filter_by(related_id=_objection(s, t).id).one()
    actions.objection_decide(s.atasan, objection.id, {"decision": "upheld",
                                                      "answer": "Keberatan diterima."})
    return t


def _merged(s, t):
    actions.ticket_merge(s.helpdesk, t.id, new_request(t.requester).id)
    return t


# Each state reached through the actions, from a fresh received data request.
BUILD = {
    State.RECEIVED: lambda s, t: t,
    State.IN_PROGRESS: lambda s, t: actions.ticket_start(s.helpdesk, t.id),
    State.NEEDS_CLARIFICATION: lambda s, t: clarify(s.helpdesk, t),
    State.EXTENDED: lambda s, t: extend(s.helpdesk, t),
    State.AWAITING_APPROVAL: lambda s, t: actions.approval_request(s.helpdesk, t.id, {}),
    State.FULFILLED: lambda s, t: answer(s.helpdesk, t),
    State.PARTIALLY_FULFILLED: lambda s, t: answer(s.ppid, t, State.PARTIALLY_FULFILLED,
                                                   exemption="17h"),
    State.REJECTED: lambda s, t: answer(s.ppid, t, State.REJECTED, exemption="17a"),
    State.NOT_HELD: lambda s, t: answer(s.helpdesk, t, State.NOT_HELD,
                                        redirect_agency="BPS Provinsi Jawa Barat"),
    State.WITHDRAWN: lambda s, t: actions.ticket_withdraw(t.requester, t.id),
    State.MERGED: _merged,
    State.OBJECTION: _objection,
    State.OBJECTION_DECIDED: _objection_decided,
}


def ticket_in(state, s):
    if state == State.RESOLVED:  # questions and complaints are resolved, not fulfilled
        return answer(s.helpdesk, new_request(kind=Kind.QUESTION), State.RESOLVED)
    ticket = BUILD[state](s, new_request())
    assert reload(ticket).status == state
    return reload(ticket)


# ---------------------------------------------------------------- registration numbers

def test_numbers_count_per_prefix_and_year(clock):
    first, second = new_request(), new_request()
    question = new_request(kind=Kind.QUESTION)
    assert (first.number, second.number) == ("PD-2026-000001", "PD-2026-000002")
    assert question.number == "PT-2026-000001"
    clock.day = date(2027, 1, 4)
    assert new_request().number == "PD-2027-000001"
    assert new_request(kind=Kind.COMPLAINT).number == "AD-2027-000001"


def test_check_code_is_eight_unambiguous_characters():
    codes = {new_request().check_code for _ in range(5)}
    assert all(CHECK_CODE.match(c) for c in codes), codes
    assert len(codes) == 5


def test_status_by_number_and_check_code():
    ticket = new_request()
    assert actions.ticket_status_public(ticket.number, ticket.check_code).id == ticket.id
    # What a person types from a paper receipt: lower case, spaces around.
    found = actions.ticket_status_public(f" {ticket.number.lower()} ",
                                         f" {ticket.check_code.lower()} ")
    assert found.id == ticket.id


@pytest.mark.parametrize("number, code", [("own", "WRONG234"), ("own", ""), ("own", None),
                                          ("PD-2026-999999", "own"), ("", "own")])
def test_status_wrong_code_or_unknown_number_is_not_found(number, code):
    ticket = new_request()
    number = ticket.number if number == "own" else number
    code = ticket.check_code if code == "own" else code
    with pytest.raises(NotFound) as info:
        actions.ticket_status_public(number, code)
    # The same words for both: a guessed number says nothing about whether it exists.
    assert str(info.value.message) == "Nomor registrasi atau kode cek tidak cocok."


def test_submit_starts_the_clock_and_writes_audit_and_notice():
    ticket = new_request()
    assert (ticket.status, ticket.received_on, ticket.due_on) == (
        State.RECEIVED, TUESDAY_17_MARCH, DUE_8_APRIL)
    assert ticket.sla_state == Sla.ON_TIME and ticket.consent_at is not None
    rows = audit.history("ticket", ticket.id)
    assert [r.action for r in rows] == ["ticket.submitted"]
    assert rows[0].after["number"] == ticket.number and rows[0].after["due_on"] == "2026-04-08"
    notices = OutboxMessage.query.filter_by(topic="tickets.notify").all()
    assert [(m.payload["ticket_id"], m.payload["event"]) for m in notices] == [
        (ticket.id, "received")]


def test_anonymous_cannot_submit():
    custodian_org()
    with unchanged(NotAuthorized):
        actions.request_submit(ANONYMOUS, request_data())


# ---------------------------------------------------------------- bad input at filing

def _refused_submit(data=None, files=(), identity_files=(), actor=None):
    custodian_org()
    actor = actor or make_requester()
    with unchanged(ValidationError) as info:
        actions.request_submit(actor, data or request_data(), files=files,
                               identity_files=identity_files)
    assert Ticket.query.count() == 0
    scratch = Path(current_app.config["STORAGE_DIR"]) / "tmp"
    assert not scratch.exists() or list(scratch.iterdir()) == []  # no .part left behind
    return errors_of(info)


@pytest.mark.parametrize("nik", [
    "327301450690001",      # 15 digits
    "32730145069000011",    # 17 digits
    "3273994506900001",     # 32.73.99 is no district
    "3273017206900001",     # day 72 - 40 = 32
    "3273014513900001",     # month 13
])
def test_invalid_nik_is_refused(nik):
    assert list(_refused_submit(request_data(nik=nik))) == ["nik"]


def test_missing_nik_is_refused():
    assert list(_refused_submit(request_data(nik=""))) == ["nik"]


@pytest.mark.parametrize("consent", ["", "0", "tidak"])
def test_consent_is_required(consent):
    assert list(_refused_submit(request_data(consent=consent))) == ["consent"]


@pytest.mark.parametrize("field", ["purpose", "format", "delivery", "address"])
def test_data_request_needs_its_fields(field):
    errors = _refused_submit(request_data(**{field: ""}))
    assert errors == {field: ["Wajib diisi untuk permohonan informasi."]}


def test_a_question_needs_none_of_the_request_fields():
    ticket = new_request(kind=Kind.QUESTION, purpose="", format="", delivery="", address="",
                         nik="")
    assert ticket.number.startswith("PT-") and ticket.nik_encrypted is None


def test_some_contact_is_required():
    errors = _refused_submit(request_data(email="", phone=""))
    assert list(errors) == ["email"]


def test_legal_entity_needs_its_document():
    errors = _refused_submit(request_data(identity_kind="badan", nik=""))
    assert list(errors) == ["identity_file"]


def test_legal_entity_with_document_keeps_it_as_identity(storage_dir):
    ticket = actions.request_submit(make_requester(), request_data(
        identity_kind="badan", nik="", requester_name="PT Data Nusantara"),
        identity_files=[pdf_file("akta.pdf")])
    assert ticket.nik_encrypted is None and ticket.nik_masked is None
    assert [(a.filename, a.visibility) for a in ticket.attachments] == [("akta.pdf", "identity")]
    assert len(storage_files(storage_dir)) == 1


def test_identity_documents_are_for_the_requester_and_the_desk_only(staff, storage_dir):
    """The custodian deciding on the data sees the request, not the requester's deed."""
    custodian_org()
    ticket = actions.request_submit(make_requester(), request_data(
        identity_kind="badan", nik="", requester_name="PT Data Nusantara"),
        files=[pdf_file("surat.pdf")], identity_files=[pdf_file("akta.pdf")])
    actions.approval_request(staff.helpdesk, ticket.id, {"note": "Mohon persetujuan"})
    seen = {who: sorted(a.filename for a in actions.visible_attachments(actor, reload(ticket)))
            for who, actor in (("requester", ticket.requester), ("helpdesk", staff.helpdesk),
                               ("ppid", staff.ppid), ("walidata", staff.walidata))}
    assert seen == {"requester": ["akta.pdf", "surat.pdf"], "helpdesk": ["akta.pdf", "surat.pdf"],
                    "ppid": ["akta.pdf", "surat.pdf"], "walidata": ["surat.pdf"]}


def test_oversized_attachment_is_refused(monkeypatch):
    monkeypatch.setitem(current_app.config, "TICKET_ATTACHMENT_MAX_MB", 1)
    big = ("lampiran.pdf", io.BytesIO(b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1)))
    errors = _refused_submit(files=[pdf_file(), big])
    assert list(errors) == ["file"] and "1 MB" in errors["file"][0]


def test_disguised_attachment_is_refused():
    html = ("surat.pdf", io.BytesIO(b"<!DOCTYPE html><html><script>alert(1)</script></html>"))
    errors = _refused_submit(files=[pdf_file("satu.pdf"), html])
    assert list(errors) == ["file"]


def test_disguised_identity_document_leaves_no_other_file():
    html = ("akta.pdf", io.BytesIO(b"<html><body>bukan akta</body></html>"))
    errors = _refused_submit(request_data(identity_kind="badan", nik=""),
                             files=[pdf_file("lampiran.pdf")], identity_files=[html])
    assert list(errors) == ["file"]


def test_citizen_cannot_claim_a_walk_in():
    assert list(_refused_submit(request_data(channel="walk_in"))) == ["channel"]


@pytest.mark.parametrize("channel", ["walk_in", "phone"])
def test_staff_enter_walk_in_and_phone_requests_for_nobody(staff, channel):
    ticket = actions.request_submit(staff.helpdesk, request_data(channel=channel))
    assert ticket.channel == channel and ticket.requester_id is None
    assert ticket.requester_name == "Siti Rahmawati"


def test_same_submission_key_is_one_ticket():
    requester = make_requester()
    first = new_request(requester, submission_key="form-abc")
    again = new_request(requester, submission_key="form-abc")
    assert again.id == first.id and Ticket.query.count() == 1
    assert actions_of(first) == ["ticket.submitted"]


def test_same_question_while_open_is_refused_naming_the_first():
    requester = make_requester()
    first = make_request(requester)
    with unchanged(ValidationError) as info:
        make_request(requester)
    assert first.number in errors_of(info)["_"][0]
    # Once the first is closed, asking again is a new request.
    actions.ticket_withdraw(requester, first.id)
    assert make_request(requester).id != first.id


def test_same_text_from_someone_else_is_no_duplicate():
    make_request()
    make_request()
    assert Ticket.query.count() == 2


# ---------------------------------------------------------------- the NIK

def test_nik_is_encrypted_and_masked():
    ticket = new_request()
    stored = db.session.execute(text("SELECT nik_encrypted, nik_masked FROM ticket WHERE id = :i"),
                                {"i": ticket.id}).one()
    assert NIK not in stored[0] and "450690" not in stored[0]
    assert stored[1] == "3273********0001"


@pytest.mark.parametrize("role", ["ppid", "atasan", "admin"])
def test_nik_view_decrypts_and_is_logged(staff, role):
    ticket = new_request()
    viewer = getattr(staff, role)
    assert actions.nik_view(viewer, ticket.id) == NIK
    row = audit.history("ticket", ticket.id)[-1]
    assert (row.action, row.actor_id) == ("ticket.nik_viewed", viewer.id)


def test_helpdesk_may_not_see_the_full_nik(staff):
    ticket = new_request()
    with unchanged(NotAuthorized, ticket):
        actions.nik_view(staff.helpdesk, ticket.id)


def test_requester_may_not_use_nik_view():
    ticket = new_request()
    with unchanged(NotAuthorized, ticket):
        actions.nik_view(ticket.requester, ticket.id)


# ---------------------------------------------------------------- the lifecycle, legal and illegal

def _start(s, t, other):
    return actions.ticket_start(s.helpdesk, t.id)


def _clarify(s, t, other):
    return clarify(s.helpdesk, t)


def _resume(s, t, other):
    return actions.ticket_resume(s.helpdesk, t.id)


def _extend(s, t, other):
    return extend(s.helpdesk, t, days=3)


def _ask_approval(s, t, other):
    return actions.approval_request(s.helpdesk, t.id, {"note": "Data terbatas."})


def _decide_approval(s, t, other):
    return actions.approval_decide(SYSTEM, t.id, {"decision": "approved"})


def _answer(s, t, other):
    outcome = State.FULFILLED if t.kind == Kind.DATA_REQUEST else State.RESOLVED
    return answer(s.ppid, t, outcome)


def _withdraw(s, t, other):
    return actions.ticket_withdraw(t.requester, t.id, "Sudah dapat dari tempat lain.")


def _merge(s, t, other):
    return actions.ticket_merge(s.helpdesk, t.id, other.id)


def _reply(s, t, other):
    return actions.ticket_reply(s.helpdesk, t.id, {"body": "Sedang kami proses."})


def _requester_reply(s, t, other):
    return actions.requester_reply(t.requester, t.id, {"body": "Tahun 2025 saja."})


def _assign(s, t, other):
    return actions.ticket_assign(s.admin, t.id, s.helpdesk.id)


OPEN_SAME = {state: (state, set()) for state in State.OPEN}
# action: (call, {from state: (to state, audit actions written)}); any other state is refused.
TRANSITIONS = {
    "start": (_start, {State.RECEIVED: (State.IN_PROGRESS, {"ticket.started"})}),
    "clarify": (_clarify, {s: (State.NEEDS_CLARIFICATION, {"ticket.clarification_requested"})
                           for s in (State.RECEIVED, State.IN_PROGRESS, State.EXTENDED)}),
    "resume": (_resume, {State.NEEDS_CLARIFICATION: (State.IN_PROGRESS, {"ticket.resumed"})}),
    "extend": (_extend, {State.RECEIVED: (State.EXTENDED, {"ticket.extended"}),
                         State.IN_PROGRESS: (State.EXTENDED, {"ticket.extended"}),
                         State.AWAITING_APPROVAL: (State.AWAITING_APPROVAL,
                                                   {"ticket.extended"})}),
    "approval_request": (_ask_approval, {
        s: (State.AWAITING_APPROVAL, {"ticket.approval_requested"})
        for s in (State.RECEIVED, State.IN_PROGRESS, State.EXTENDED)}),
    "approval_decide": (_decide_approval, {
        State.AWAITING_APPROVAL: (State.IN_PROGRESS, {"ticket.approval_decided"})}),
    "answer": (_answer, {s: (State.FULFILLED, {"ticket.answered"})
                         for s in (State.RECEIVED, State.IN_PROGRESS, State.EXTENDED)}),
    "withdraw": (_withdraw, {s: (State.WITHDRAWN, {"ticket.withdrawn"}) for s in State.OPEN}),
    "merge": (_merge, {s: (State.MERGED, {"ticket.merged"}) for s in State.OPEN}),
    "reply": (_reply, {s: (s, {"ticket.replied"}) for s in State.OPEN}),
    "requester_reply": (_requester_reply, {
        **{s: (s, {"ticket.requester_replied"}) for s in State.OPEN},
        State.NEEDS_CLARIFICATION: (State.IN_PROGRESS,
                                    {"ticket.requester_replied", "ticket.resumed"})}),
    "assign": (_assign, {**{s: (s, {"ticket.assigned"}) for s in State.OPEN},
                         State.RECEIVED: (State.IN_PROGRESS,
                                          {"ticket.assigned", "ticket.started"})}),
}


LEGAL = [(name, state) for name, (_call, legal) in TRANSITIONS.items() for state in legal]


@pytest.mark.parametrize("name, state", LEGAL)
def test_legal_transition(staff, name, state):
    call, legal = TRANSITIONS[name]
    ticket = ticket_in(state, staff)
    other = new_request(ticket.requester) if name == "merge" else None
    before = actions_of(ticket)
    call(staff, ticket, other)
    ticket = reload(ticket)
    to, written = legal[state]
    assert ticket.status == to
    assert set(actions_of(ticket)[len(before):]) == written
    closed = to in State.CLOSED
    assert (ticket.closed_at is not None) == closed
    assert (ticket.sla_state == Sla.DONE) == closed


@pytest.mark.parametrize("state", State.ALL)
def test_illegal_transitions_change_nothing(staff, state):
    """One ticket per state takes every action that state does not allow, one after the other:
    each is refused and leaves the ticket, every table and the file store as they were."""
    ticket = ticket_in(state, staff)
    other = new_request(ticket.requester)
    refused = [name for name, (_call, legal) in TRANSITIONS.items() if state not in legal]
    assert refused
    for name in refused:
        before = _state(ticket)
        with pytest.raises(InvalidTransition):
            TRANSITIONS[name][0](staff, ticket, other)
        assert _state(ticket) == before, f"refused {name} on {state} changed something"


def test_state_changes_write_before_and_after(staff):
    ticket = new_request()
    actions.ticket_start(staff.helpdesk, ticket.id)
    row = audit.history("ticket", ticket.id)[-1]
    assert (row.action, row.before, row.after) == (
        "ticket.started", {"status": "received"}, {"status": "in_progress"})
    assert row.actor_id == staff.helpdesk.id


def test_requester_and_other_roles_cannot_handle(staff):
    ticket = new_request()
    stranger = make_requester()
    with unchanged(NotAuthorized, ticket):
        actions.ticket_start(ticket.requester, ticket.id)
    with unchanged(NotFound, ticket):  # another citizen does not even see it
        actions.ticket_start(stranger, ticket.id)
    with unchanged(NotFound, ticket):
        actions.ticket_withdraw(stranger, ticket.id)
    with unchanged(NotAuthorized, ticket):  # staff do not withdraw for the requester
        actions.ticket_withdraw(staff.helpdesk, ticket.id)


# ---------------------------------------------------------------- clarification

def test_requester_reply_resumes_and_gives_back_the_waiting_days(staff, clock):
    ticket = new_request()
    clock.day = date(2026, 3, 26)
    clarify(staff.helpdesk, ticket)
    assert reload(ticket).sla_state == Sla.PAUSED
    clock.day = date(2026, 4, 1)  # 27, 30, 31 March and 1 April went by
    actions.requester_reply(ticket.requester, ticket.id, {"body": "Data tahun 2025."})
    ticket = reload(ticket)
    assert (ticket.status, ticket.paused_on, ticket.paused_days) == (State.IN_PROGRESS, None, 4)
    assert ticket.due_on == date(2026, 4, 14)
    row = audit.history("ticket", ticket.id)[-1]
    assert row.action == "ticket.resumed" and row.after["paused_working_days"] == 4


def test_staff_resume_after_an_answer_by_phone(staff, clock):
    ticket = extend(staff.helpdesk, new_request(), days=7)  # due 17 April
    clock.day = date(2026, 4, 2)
    clarify(staff.helpdesk, ticket)
    clock.day = date(2026, 4, 6)  # Good Friday and the weekend do not count: one day
    actions.ticket_resume(staff.helpdesk, ticket.id)
    ticket = reload(ticket)
    assert (ticket.status, ticket.due_on) == (State.EXTENDED, date(2026, 4, 20))


def test_reply_on_the_day_of_the_question_adds_nothing(staff):
    ticket = clarify(staff.helpdesk, new_request())
    actions.requester_reply(ticket.requester, ticket.id, {"body": "Segera."})
    assert reload(ticket).due_on == DUE_8_APRIL


# ---------------------------------------------------------------- extension

def test_extension_adds_working_days_after_the_due_date(staff):
    ticket = extend(staff.helpdesk, new_request(), days=7)
    ticket = reload(ticket)
    assert (ticket.status, ticket.due_on, ticket.extension_days) == (
        State.EXTENDED, date(2026, 4, 17), 7)
    row = audit.history("ticket", ticket.id)[-1]
    assert (row.action, row.after["previous_due_on"], row.after["due_on"]) == (
        "ticket.extended", "2026-04-08", "2026-04-17")
    assert row.note == "Data tersebar di tiga bidang."


def test_extension_only_once(staff):
    ticket = extend(staff.helpdesk, new_request(), days=2)
    with unchanged(InvalidTransition, ticket):
        extend(staff.helpdesk, ticket, days=2)


@pytest.mark.parametrize("days", [8, 0, -1])
def test_extension_of_more_than_seven_days_is_refused(staff, days):
    ticket = new_request()
    with unchanged(ValidationError, ticket) as info:
        extend(staff.helpdesk, ticket, days=days)
    assert list(errors_of(info)) == ["days"]


def test_extension_needs_a_reason(staff):
    ticket = new_request()
    with unchanged(ValidationError, ticket) as info:
        actions.ticket_extend(staff.helpdesk, ticket.id, {"days": 3, "reason": " "})
    assert list(errors_of(info)) == ["reason"]


def test_extension_while_awaiting_approval_keeps_that_state(staff):
    ticket = actions.approval_request(staff.helpdesk, new_request().id, {})
    extend(staff.helpdesk, ticket, days=5)
    ticket = reload(ticket)
    assert (ticket.status, ticket.due_on) == (State.AWAITING_APPROVAL, date(2026, 4, 15))
    actions.approval_decide(SYSTEM, ticket.id, {"decision": "approved"})
    assert reload(ticket).status == State.EXTENDED  # the extension is remembered


# ---------------------------------------------------------------- approval of restricted data

@pytest.fixture
def restricted(staff):
    producer = make_producer()
    return make_published(producer, staff.walidata, access="terbatas")


@pytest.fixture
def open_dataset(staff):
    return make_published(make_producer(), staff.walidata)


def _awaiting(staff, dataset, **overrides):
    ticket = new_request(**overrides) if "requester" not in overrides else overrides["requester"]
    return actions.approval_request(staff.helpdesk, ticket.id, {
        "dataset_id": str(dataset.id), "note": "Pemohon meminta data terbatas."})


def test_approval_request_links_the_dataset(staff, restricted):
    ticket = _awaiting(staff, restricted)
    ticket = reload(ticket)
    assert ticket.status == State.AWAITING_APPROVAL
    assert [d.id for d in ticket.datasets] == [restricted.id]
    approval = Approval.query.filter_by(ticket_id=ticket.id).one()
    assert (approval.dataset_id, approval.decision, approval.asked_by_id) == (
        restricted.id, None, staff.helpdesk.id)


def test_approved_without_grant(staff, restricted):
    ticket = _awaiting(staff, restricted)
    actions.approval_decide(staff.walidata, ticket.id, {"decision": "approved"})
    ticket = reload(ticket)
    assert ticket.status == State.IN_PROGRESS
    approval = ticket.approvals[0]
    assert (approval.decision, approval.grant_access, approval.decided_by_id) == (
        "approved", False, staff.walidata.id)
    assert DatasetAccess.query.count() == 0
    row = audit.history("ticket", ticket.id)[-1]
    assert row.action == "ticket.approval_decided" and row.after["access_granted"] is False


def test_approved_with_grant_puts_the_requester_on_the_access_list(staff, restricted):
    ticket = _awaiting(staff, restricted)
    actions.approval_decide(staff.walidata, ticket.id, {"decision": "approved",
                                                        "grant_access": "1"})
    grant = DatasetAccess.query.one()
    assert (grant.dataset_id, grant.user_id) == (restricted.id, ticket.requester_id)
    assert reload(ticket).approvals[0].grant_access is True
    assert "dataset.access_granted" in [
        r.action for r in audit.history("dataset", restricted.id)]


def test_grant_for_an_open_dataset_is_refused(staff, open_dataset):
    ticket = _awaiting(staff, open_dataset)
    with unchanged(ValidationError, ticket) as info:
        actions.approval_decide(staff.walidata, ticket.id, {"decision": "approved",
                                                            "grant_access": "1"})
    assert list(errors_of(info)) == ["grant_access"]


def test_grant_without_a_dataset_is_refused(staff):
    ticket = actions.approval_request(staff.helpdesk, new_request().id, {})
    with unchanged(ValidationError, ticket):
        actions.approval_decide(SYSTEM, ticket.id, {"decision": "approved",
                                                    "grant_access": "1"})


def test_grant_for_a_requester_without_account_is_refused(staff, restricted):
    walk_in = actions.request_submit(staff.helpdesk, request_data(channel="walk_in"))
    ticket = actions.approval_request(staff.helpdesk, walk_in.id,
                                      {"dataset_id": str(restricted.id)})
    with unchanged(ValidationError, ticket) as info:
        actions.approval_decide(staff.walidata, ticket.id, {"decision": "approved",
                                                            "grant_access": "1"})
    assert list(errors_of(info)) == ["grant_access"]


def test_refusal_needs_exemption_and_reason(staff, restricted):
    ticket = _awaiting(staff, restricted)
    with unchanged(ValidationError, ticket) as info:
        actions.approval_decide(staff.walidata, ticket.id, {"decision": "refused"})
    assert set(errors_of(info)) == {"exemption", "reason"}


def test_refusal_closes_as_rejected(staff, restricted):
    ticket = _awaiting(staff, restricted)
    actions.approval_decide(staff.walidata, ticket.id, {
        "decision": "refused", "exemption": "17c", "reason": "Data rahasia pertahanan."})
    ticket = reload(ticket)
    assert (ticket.status, ticket.exemption, ticket.answer) == (
        State.REJECTED, "17c", "Data rahasia pertahanan.")
    assert ticket.approvals[0].decision == "refused" and ticket.sla_state == Sla.DONE
    assert actions_of(ticket)[-2:] == ["ticket.approval_decided", "ticket.answered"]


def test_only_the_custodian_with_a_pending_approval_decides(staff, restricted):
    ticket = _awaiting(staff, restricted)
    for actor in (staff.helpdesk, staff.ppid, staff.admin):
        with unchanged(NotAuthorized, ticket):
            actions.approval_decide(actor, ticket.id, {"decision": "approved"})
    with unchanged(NotAuthorized, ticket):
        actions.approval_decide(ticket.requester, ticket.id, {"decision": "approved"})
    # A custodian sees no ticket that was never put to it.
    other = new_request()
    with unchanged(NotFound, other):
        actions.approval_decide(staff.walidata, other.id, {"decision": "approved"})


# ---------------------------------------------------------------- answers

@pytest.mark.parametrize("who, outcome, extra", [
    ("helpdesk", State.FULFILLED, {}),
    ("ppid", State.PARTIALLY_FULFILLED, {"exemption": "17h"}),
    ("ppid", State.REJECTED, {"exemption": "17a"}),
    ("admin", State.REJECTED, {"exemption": "17j"}),
    ("helpdesk", State.NOT_HELD, {"redirect_agency": "BPS Provinsi Jawa Barat"}),
])
def test_answer_outcomes(staff, clock, who, outcome, extra):
    ticket = new_request()
    clock.day = date(2026, 4, 9)  # a day late
    answer(getattr(staff, who), ticket, outcome, **extra)
    ticket = reload(ticket)
    assert (ticket.status, ticket.answered_on, ticket.sla_state) == (
        outcome, date(2026, 4, 9), Sla.DONE)
    assert ticket.exemption == extra.get("exemption")
    assert ticket.redirect_agency == extra.get("redirect_agency")
    row = audit.history("ticket", ticket.id)[-1]
    assert (row.action, row.after["status"], row.after["on_time"]) == (
        "ticket.answered", outcome, False)
    assert ticket.messages[-1].kind == "reply"


def test_question_is_resolved(staff):
    ticket = answer(staff.helpdesk, new_request(kind=Kind.QUESTION), State.RESOLVED)
    assert reload(ticket).status == State.RESOLVED


@pytest.mark.parametrize("kind, outcome", [(Kind.DATA_REQUEST, State.RESOLVED),
                                           (Kind.QUESTION, State.FULFILLED),
                                           (Kind.COMPLAINT, State.NOT_HELD)])
def test_outcome_must_fit_the_kind(staff, kind, outcome):
    ticket = new_request(kind=kind)
    with unchanged(ValidationError, ticket) as info:
        answer(staff.ppid, ticket, outcome, redirect_agency="BPS")
    assert list(errors_of(info)) == ["outcome"]


@pytest.mark.parametrize("outcome", [State.REJECTED, State.PARTIALLY_FULFILLED])
def test_refusal_needs_an_exemption(staff, outcome):
    ticket = new_request()
    with unchanged(ValidationError, ticket) as info:
        answer(staff.ppid, ticket, outcome)
    assert list(errors_of(info)) == ["exemption"]


@pytest.mark.parametrize("outcome", [State.REJECTED, State.PARTIALLY_FULFILLED])
def test_only_ppid_or_admin_refuse(staff, outcome):
    ticket = new_request()
    with unchanged(NotAuthorized, ticket):
        answer(staff.helpdesk, ticket, outcome, exemption="17a")


def test_not_held_needs_the_agency(staff):
    ticket = new_request()
    with unchanged(ValidationError, ticket) as info:
        answer(staff.helpdesk, ticket, State.NOT_HELD)
    assert list(errors_of(info)) == ["redirect_agency"]


def test_answer_links_open_datasets(staff, open_dataset):
    ticket = answer(staff.helpdesk, new_request(), dataset_ids=[str(open_dataset.id)])
    assert [d.id for d in reload(ticket).datasets] == [open_dataset.id]


def test_answer_with_a_disguised_file_changes_nothing(staff):
    ticket = new_request()
    html = ("data.pdf", io.BytesIO(b"<html>bukan pdf</html>"))
    with unchanged(ValidationError, ticket):
        actions.ticket_answer(staff.helpdesk, ticket.id, {
            "outcome": State.FULFILLED, "answer": "Terlampir."}, files=[pdf_file(), html])


# ---------------------------------------------------------------- merge

def test_merge_closes_the_duplicate_into_the_target(staff):
    target = new_request()
    duplicate = new_request(target.requester)
    actions.ticket_merge(staff.helpdesk, duplicate.id, target.id)
    duplicate = reload(duplicate)
    assert (duplicate.status, duplicate.merged_into_id) == (State.MERGED, target.id)
    row = audit.history("ticket", duplicate.id)[-1]
    assert (row.action, row.after["into"]) == ("ticket.merged", target.number)
    assert reload(target).status == State.RECEIVED


def test_merge_into_itself_is_refused(staff):
    ticket = new_request()
    with unchanged(ValidationError, ticket) as info:
        actions.ticket_merge(staff.helpdesk, ticket.id, ticket.id)
    assert list(errors_of(info)) == ["into"]


def test_merge_into_a_closed_ticket_is_refused(staff):
    ticket = new_request()
    closed = answer(staff.helpdesk, new_request(ticket.requester))
    with unchanged(InvalidTransition, ticket):
        actions.ticket_merge(staff.helpdesk, ticket.id, closed.id)


def test_merge_across_requesters_is_refused(staff):
    """The other requester could not follow the ticket holding the answer."""
    ticket, other = new_request(), new_request()
    with unchanged(ValidationError, ticket) as info:
        actions.ticket_merge(staff.helpdesk, ticket.id, other.id)
    assert list(errors_of(info)) == ["into"]


# ---------------------------------------------------------------- objection

def test_objection_within_the_window_after_an_answer(staff, clock):
    request = new_request()
    clock.day = DUE_8_APRIL
    answer(staff.ppid, request, State.REJECTED, exemption="17a")
    assert actions.objection_window(reload(request), OBJECTION_LAST_DAY) == (
        True, OBJECTION_LAST_DAY)
    clock.day = OBJECTION_LAST_DAY
    objection = object_to(reload(request))
    assert objection.number == "KB-2026-000001"
    assert (objection.kind, objection.related_id, objection.status, objection.received_on) == (
        Kind.OBJECTION, request.id, State.RECEIVED, OBJECTION_LAST_DAY)
    # 30 working days from 25 May: 27 and 28 May, 1 and 16 June are off.
    assert objection.due_on == date(2026, 7, 10)
    assert objection.public is False and objection.requester_id == request.requester_id
    request = reload(request)
    assert request.status == State.OBJECTION
    assert actions_of(request)[-1] == "ticket.objection_filed"
    assert actions_of(objection) == ["ticket.submitted"]


def test_objection_after_the_window_is_refused(staff, clock):
    request = new_request()
    clock.day = DUE_8_APRIL
    answer(staff.helpdesk, request)
    clock.day = OBJECTION_LAST_DAY + timedelta(days=1)
    with unchanged(InvalidTransition, request):
        object_to(reload(request))


def test_objection_to_an_unanswered_overdue_request(staff, clock):
    request = new_request()
    clock.day = DUE_8_APRIL  # still on time: nothing to object to
    with unchanged(InvalidTransition, request):
        object_to(request)
    clock.day = date(2026, 4, 9)
    objection = object_to(reload(request), grounds=["late"])
    assert objection.objection_grounds == ["late"]
    assert reload(request).status == State.OBJECTION


def test_objection_window_of_an_unanswered_request_runs_from_its_due_date(staff, clock):
    request = new_request()
    clock.day = OBJECTION_LAST_DAY + timedelta(days=1)
    with unchanged(InvalidTransition, request):
        object_to(request)
    assert actions.objection_window(request, OBJECTION_LAST_DAY) == (True, OBJECTION_LAST_DAY)


def test_a_paused_request_is_not_late(staff, clock):
    request = clarify(staff.helpdesk, new_request())
    clock.day = date(2026, 4, 20)  # past the old due date, but the clock stopped
    with unchanged(InvalidTransition, request):
        object_to(request)


def test_objection_only_once(staff):
    request = answer(staff.ppid, new_request(), State.REJECTED, exemption="17a")
    object_to(request)
    with unchanged(InvalidTransition, request):
        object_to(reload(request))


def test_objection_needs_grounds(staff):
    request = answer(staff.helpdesk, new_request())
    with unchanged(ValidationError, request) as info:
        object_to(request, grounds=[])
    assert list(errors_of(info)) == ["grounds"]
    with unchanged(ValidationError, request):
        object_to(request, grounds=["bosan"])


def test_only_the_requester_objects(staff):
    request = answer(staff.helpdesk, new_request())
    stranger = make_requester()
    with unchanged(NotAuthorized, request):
        actions.objection_file(staff.helpdesk, request.id, {"grounds": ["refused"],
                                                            "body": "x"})
    with unchanged(NotFound, request):
        actions.objection_file(stranger, request.id, {"grounds": ["refused"], "body": "x"})


def test_no_objection_to_a_question(staff):
    question = answer(staff.helpdesk, new_request(kind=Kind.QUESTION), State.RESOLVED)
    with unchanged(InvalidTransition, question):
        object_to(question)


@pytest.mark.parametrize("decision", ["upheld", "dismissed"])
def test_objection_decided_by_the_superior(staff, decision):
    request = answer(staff.ppid, new_request(), State.REJECTED, exemption="17a")
    objection = object_to(request)
    actions.objection_decide(staff.atasan, objection.id, {
        "decision": decision, "answer": "Setelah diperiksa, demikian putusannya."})
    objection, request = reload(objection), reload(request)
    assert (objection.status, objection.decision) == (State.OBJECTION_DECIDED, decision)
    assert objection.answered_on == TUESDAY_17_MARCH
    assert request.status == State.OBJECTION_DECIDED
    assert actions_of(objection)[-1] == actions_of(request)[-1] == "ticket.objection_decided"


@pytest.mark.parametrize("who", ["ppid", "helpdesk", "admin", "walidata"])
def test_objection_decided_by_no_one_else(staff, who):
    request = answer(staff.ppid, new_request(), State.REJECTED, exemption="17a")
    objection = object_to(request)
    with unchanged((NotAuthorized, NotFound), objection):
        actions.objection_decide(getattr(staff, who), objection.id, {
            "decision": "upheld", "answer": "Diterima."})


def test_objection_decide_only_on_an_objection_once(staff):
    request = answer(staff.ppid, new_request(), State.REJECTED, exemption="17a")
    with unchanged(InvalidTransition, request):
        actions.objection_decide(staff.atasan, request.id, {"decision": "upheld",
                                                            "answer": "Diterima."})
    objection = object_to(request)
    actions.ticket_assign(staff.admin, objection.id, staff.ppid.id)  # in progress is fine
    actions.objection_decide(staff.atasan, objection.id, {"decision": "upheld",
                                                          "answer": "Diterima."})
    with unchanged(InvalidTransition, objection):
        actions.objection_decide(staff.atasan, objection.id, {"decision": "dismissed",
                                                              "answer": "Ditolak."})


def test_the_desk_cannot_close_an_objection_itself(staff):
    """An objection is the superior's to decide: no answer, no extension by the desk."""
    objection = object_to(answer(staff.ppid, new_request(), State.REJECTED, exemption="17a"))
    with unchanged(InvalidTransition, objection):
        answer(staff.ppid, objection, State.RESOLVED)
    with unchanged(InvalidTransition, objection):
        extend(staff.ppid, objection, days=3)


# ---------------------------------------------------------------- survey

@pytest.mark.parametrize("state", State.ALL)
def test_survey_only_on_answered_tickets(staff, state):
    ticket = ticket_in(state, staff)
    requester = ticket.requester
    if state in State.ANSWERED + (State.OBJECTION_DECIDED,):
        response = survey(requester, ticket)
        assert (response.e1, response.comment) == (4, "Cepat.")
        assert response.organisation_id == ticket.organisation_id
        assert actions_of(ticket)[-1] == "ticket.survey_submitted"
        return
    with unchanged(InvalidTransition, ticket):
        survey(requester, ticket)


def test_survey_once_and_by_the_requester(staff):
    ticket = answer(staff.helpdesk, new_request())
    stranger = make_requester()
    with unchanged(NotAuthorized, ticket):
        survey(staff.helpdesk, ticket)
    with unchanged(NotFound, ticket):
        survey(stranger, ticket)
    survey(ticket.requester, ticket)
    with unchanged(InvalidTransition, ticket):
        survey(ticket.requester, ticket)


def test_survey_answers_are_checked(staff):
    ticket = answer(staff.helpdesk, new_request())
    with unchanged(ValidationError, ticket) as info:
        actions.survey_submit(ticket.requester, ticket.id, {"e1": 5, "e2": "0"})
    errors = errors_of(info)
    assert {"e1", "e2", "e9"} <= set(errors)


@pytest.mark.parametrize("state", State.ALL)
def test_objection_from_each_state(staff, state):
    """Within the window, only an answered data request may be objected to."""
    ticket = ticket_in(state, staff)
    if state in State.REQUEST_OUTCOMES:
        object_to(ticket)
        assert reload(ticket).status == State.OBJECTION
        return
    with unchanged(InvalidTransition, ticket):
        object_to(ticket)


# ---------------------------------------------------------------- assignment

def test_assign_to_someone_who_is_no_handler_is_refused(staff):
    ticket = new_request()
    for bad in (staff.walidata.id, ticket.requester_id, 999999, "abc"):
        with unchanged(ValidationError, ticket) as info:
            actions.ticket_assign(staff.admin, ticket.id, bad)
        assert list(errors_of(info)) == ["assignee_id"]


def test_assign_notifies_the_assignee(staff):
    ticket = new_request()
    actions.ticket_assign(staff.admin, ticket.id, staff.helpdesk.id)
    events = [(m.payload["event"], m.payload.get("user_id"))
              for m in OutboxMessage.query.order_by(OutboxMessage.id)]
    assert events[-1] == ("assigned", staff.helpdesk.id)
    row = [r for r in audit.history("ticket", ticket.id) if r.action == "ticket.assigned"][0]
    assert (row.before, row.after) == ({"assignee": None}, {"assignee": staff.helpdesk.email})


def test_note_is_internal_and_every_step_is_in_the_history(staff, open_dataset):
    ticket = new_request()
    actions.ticket_note(staff.helpdesk, ticket.id, {"body": "Cek ke bidang statistik."},
                        files=[pdf_file("memo.pdf")])
    actions.ticket_reply(staff.helpdesk, ticket.id, {"body": "Sedang kami proses."})
    actions.ticket_update(staff.helpdesk, ticket.id, {"priority": "urgent",
                                                      "tags": [" Sekolah ", "sekolah"]})
    actions.ticket_update(staff.helpdesk, ticket.id, {"priority": "urgent"})  # no change
    actions.ticket_link_dataset(staff.helpdesk, ticket.id, str(open_dataset.id))
    actions.ticket_link_dataset(staff.helpdesk, ticket.id, str(open_dataset.id), unlink=True)
    ticket = reload(ticket)
    assert actions_of(ticket) == [
        "ticket.submitted", "ticket.note_added", "ticket.replied", "ticket.updated",
        "ticket.dataset_linked", "ticket.dataset_unlinked"]
    updated = audit.history("ticket", ticket.id)[3]
    assert (updated.before, updated.after) == (
        {"priority": "normal", "tags": []}, {"priority": "urgent", "tags": ["sekolah"]})
    assert ticket.status == State.RECEIVED and ticket.datasets == []
    requester = ticket.requester
    assert [m.kind for m in actions.visible_messages(requester, ticket)] == ["reply"]
    assert [m.kind for m in actions.visible_messages(staff.ppid, ticket)] == ["note", "reply"]
    assert actions.visible_attachments(requester, ticket) == []
    assert [a.filename for a in actions.visible_attachments(staff.helpdesk, ticket)] == [
        "memo.pdf"]
    assert [r.action for r in actions.ticket_history(requester, ticket)] == ["ticket.submitted"]


# ---------------------------------------------------------------- escalation

def _events(event):
    return sorted(m.payload["ticket_id"] for m in OutboxMessage.query.filter_by(
        topic="tickets.notify") if m.payload["event"] == event)


def test_escalate_warns_once_a_day(staff, clock):
    soon, late = new_request(), new_request()          # both due 8 April
    paused = clarify(staff.helpdesk, new_request())
    clock.day = date(2026, 3, 25)
    fine = new_request()                               # due 9 April
    db.session.execute(update(Ticket).where(Ticket.id == late.id).values(
        due_on=date(2026, 4, 2)))
    db.session.commit()
    day = date(2026, 4, 6)  # due soon: due by 8 April (two working days on)
    counts = actions.escalate(SYSTEM, today=day)
    assert counts == {"due_soon": 1, "overdue": 1}
    assert _events("due_soon") == [soon.id] and _events("overdue") == [late.id]
    states = {t.id: t.sla_state for t in Ticket.query}
    assert states == {soon.id: Sla.DUE_SOON, late.id: Sla.OVERDUE, fine.id: Sla.ON_TIME,
                      paused.id: Sla.PAUSED}
    assert reload(soon).warned_due_soon_on == day and reload(late).warned_overdue_on == day
    row = audit.history("job", "sla")[-1]
    assert (row.action, row.after) == ("tickets.escalated", counts)
    # The same day again: nothing new.
    assert actions.escalate(SYSTEM, today=day) == {"due_soon": 0, "overdue": 0}
    assert len(_events("due_soon")) == 1 and len(_events("overdue")) == 1
    # The next day each is warned again, and `fine` has come within two working days.
    assert actions.escalate(SYSTEM, today=date(2026, 4, 7)) == {"due_soon": 2, "overdue": 1}
    assert _events("due_soon") == sorted([soon.id, soon.id, fine.id])
    assert _events("overdue") == [late.id, late.id]


def test_escalate_ignores_closed_tickets(staff):
    ticket = answer(staff.helpdesk, new_request())
    assert actions.escalate(SYSTEM, today=date(2026, 5, 1)) == {"due_soon": 0, "overdue": 0}
    assert reload(ticket).sla_state == Sla.DONE
    assert _events("overdue") == []


# ---------------------------------------------------------------- personal-data purge

def _close_long_ago(ticket, days):
    db.session.execute(update(Ticket).where(Ticket.id == ticket.id).values(
        closed_at=utcnow() - timedelta(days=days)))
    db.session.commit()


def _company_request(**overrides):
    requester = make_requester()
    return actions.request_submit(requester, request_data(
        identity_kind="badan", nik="", subject=f"Permohonan badan {next(_subjects)}",
        telegram_chat_id=123456789,
        **overrides), files=[pdf_file("lampiran.pdf")], identity_files=[pdf_file("akta.pdf")])


def test_purge_removes_identity_of_old_closed_tickets_only(staff, storage_dir):
    old = _company_request()
    old_person = new_request(telegram_chat_id=987654321)
    recent = _company_request()
    still_open = _company_request()
    for t in (old, old_person, recent):
        answer(staff.helpdesk, t)
    _close_long_ago(old, 400)
    _close_long_ago(old_person, 400)
    _close_long_ago(recent, 10)
    _close_long_ago(still_open, 400)  # a closed_at on an open ticket must not count
    keys = {t.id: {a.visibility: a.storage_key for a in reload(t).attachments}
            for t in (old, recent, still_open)}
    assert actions.personal_data_purge(SYSTEM, 365) == 2
    old, old_person = reload(old), reload(old_person)
    for t in (old, old_person):
        assert (t.nik_encrypted, t.nik_masked, t.address, t.phone, t.email,
                t.telegram_chat_id) == (None,) * 6
        assert t.requester_name == "(dihapus)" and t.personal_data_purged_at is not None
        assert t.status == State.FULFILLED and t.answered_on == TUESDAY_17_MARCH
        assert actions_of(t)[-1] == "ticket.personal_data_purged"
    assert [a.visibility for a in old.attachments] == ["public"]
    store = storage()
    assert not store.exists(keys[old.id]["identity"])
    assert store.exists(keys[old.id]["public"])
    assert all(store.exists(k) for t in (recent, still_open) for k in keys[t.id].values())
    assert len(storage_files(storage_dir)) == 5
    for t in (recent, still_open):
        t = reload(t)
        assert (t.email, t.telegram_chat_id) == ("siti@example.com", 123456789)
        assert len(t.attachments) == 2
    assert Ticket.query.count() == 4
    assert actions.personal_data_purge(SYSTEM, 365) == 0  # nothing left to do


def test_purge_keeps_at_least_the_objection_and_dispute_windows(staff):
    ticket = answer(staff.helpdesk, new_request())
    _close_long_ago(ticket, 400)
    with unchanged(ValidationError, ticket) as info:
        actions.personal_data_purge(SYSTEM, actions.MIN_RETENTION_DAYS - 1)
    assert list(errors_of(info)) == ["older_than"]


@pytest.mark.parametrize("who", ["helpdesk", "ppid", "atasan", "walidata"])
def test_purge_only_by_admin_or_system(staff, who):
    ticket = answer(staff.helpdesk, new_request())
    _close_long_ago(ticket, 400)
    with unchanged(NotAuthorized, ticket):
        actions.personal_data_purge(getattr(staff, who), 365)
    assert actions.personal_data_purge(staff.admin, 365) == 1


def test_attachment_rows_of_purged_tickets_are_gone(staff):
    old = _company_request()
    answer(staff.helpdesk, old)
    _close_long_ago(old, 100)
    actions.personal_data_purge(SYSTEM, 90)
    assert TicketAttachment.query.filter_by(visibility="identity").count() == 0
    assert TicketAttachment.query.filter_by(visibility="public").count() == 1
