"""IDOR sweep of the help desk: every URL of the `tickets` blueprint, for every kind of user.

The table is written out in full. Each row is one route (and the ticket it acts on); each
column one kind of user. The values follow the rules in app/tickets/auth.py:
  200/302     the request got through (302: the step ran and redirected, or the page sent
              the user to the page that is theirs)
  login       redirected to the login page (anonymous on a page that needs an account)
  403         may see the ticket (or is signed in) but may not do this
  404         may not even know the ticket exists

Columns:
  anon      not signed in
  owner     the citizen who filed the tickets
  other     another citizen
  prod      the producer of the restricted dataset the tickets ask for
  wali      a custodian (walidata); the tickets were never put to the custodian
  wali+     a custodian; every ticket was put to it for approval (and approved), the
            `awaiting` ticket has its approval still pending. The objection ticket itself is
            never put to the custodian, so it stays hidden from both custodians.
  help ppid atasan pimp admin: the staff roles

A refused POST must change nothing: every table's row count (tickets, messages, audit log,
approvals, access grants, ...), every ticket's status and the stored files are compared
before and after. Refused answers and public pages never carry the requester's identity.
"""
import re
import secrets
from dataclasses import dataclass, field
from functools import cached_property

import pytest

from app.core.actor import Role
from app.core.timeutil import local_today
from app.extensions import db
from app.tickets import actions
from app.tickets.models import Ticket
from tests.conftest import csrf_token
from tests.factories import (
    custodian_org,
    make_dataset,
    make_producer,
    make_published,
    make_user,
    make_walidata,
    row_counts,
    storage_files,
)
from tests.tickets.factories import (
    make_atasan,
    make_helpdesk,
    make_ppid,
    make_request,
    make_requester,
    pdf_file,
    request_data,
)

KINDS = ["anon", "owner", "other", "prod", "wali", "wali+", "help", "ppid", "atasan", "pimp",
         "admin"]
ROLE_OF = {"other": Role.PEMOHON, "pimp": Role.PIMPINAN, "admin": Role.ADMIN}
# What identifies the requester (tests/tickets/factories.request_data, NIK masked).
PRIVATE = ("Siti Rahmawati", "siti@example.com", "081234567890", "Jl. Setiabudi",
           "3273********0001")
SURVEY = {f"e{i}": "3" for i in range(1, 10)}
# Those who may not know that the owner's open request exists.
OUTSIDERS = ("anon", "other", "prod", "wali")


@pytest.fixture(autouse=True)
def _regions(reference):
    """NIKs are checked against the region table; datasets need topics and licences."""


class World:
    """The tickets of one citizen, made through the actions on first use, as seen by `kind`."""

    def __init__(self, kind):
        self.kind = kind
        self.users = {}

    # ------------------------------------------------ people
    @cached_property
    def owner(self):
        return make_requester(name="Siti Rahmawati")

    @cached_property
    def officer(self):
        """The help-desk officer of the team who handles the tickets (also the assignee)."""
        custodian_org()
        return make_helpdesk(name="Petugas Tim")

    @cached_property
    def decider_ppid(self):
        return make_ppid(name="PPID Penolak")

    @cached_property
    def producer(self):
        return make_producer()

    def user(self, kind):
        if kind == "anon":
            return None
        if kind not in self.users:
            self.users[kind] = {
                "owner": lambda: self.owner,
                "prod": lambda: self.dataset and self.producer,
                "wali": make_walidata, "wali+": make_walidata,
                "help": make_helpdesk, "ppid": make_ppid, "atasan": make_atasan,
            }.get(kind, lambda: make_user(roles=(ROLE_OF.get(kind, kind),)))()
        return self.users[kind]

    # ------------------------------------------------ the dataset asked for
    @cached_property
    def dataset(self):
        return make_published(self.producer, make_walidata(), access="terbatas")

    # ------------------------------------------------ the owner's tickets
    def _file(self, subject, **overrides):
        ticket = make_request(self.owner, subject=subject, **overrides)
        if self.kind == "wali+":
            actions.approval_request(self.officer, ticket, {"dataset_id": self.dataset.name})
            actions.approval_decide(self.user("wali+"), ticket, {"decision": "approved"})
        return ticket

    @cached_property
    def req(self):
        """An open data request with an attachment."""
        return self._file("Permohonan utama", files=[pdf_file()])

    @cached_property
    def second(self):
        return self._file("Permohonan kedua")

    @cached_property
    def clarifying(self):
        ticket = self._file("Permohonan yang perlu klarifikasi")
        return actions.ticket_clarify(self.officer, ticket, {"body": "Tahun berapa?"})

    @cached_property
    def answered(self):
        ticket = self._file("Permohonan yang sudah dijawab")
        return actions.ticket_answer(self.officer, ticket, {
            "outcome": "fulfilled", "answer": "Silakan unduh dari katalog."})

    @cached_property
    def objection(self):
        ticket = self._file("Permohonan yang ditolak")
        actions.ticket_answer(self.decider_ppid, ticket, {
            "outcome": "rejected", "answer": "Dikecualikan.", "exemption": "17h"})
        return actions.objection_file(self.owner, ticket, {
            "grounds": ["refused"], "body": "Data ini bukan rahasia pribadi."})

    @cached_property
    def awaiting(self):
        """Pending the custodian's approval; for the `wali` column it was never put to it."""
        ticket = make_request(self.owner, subject="Permohonan menunggu walidata")
        if self.kind != "wali":
            actions.approval_request(self.officer, ticket, {"dataset_id": self.dataset.name})
        return ticket

    @cached_property
    def canned(self):
        return actions.canned_save(self.officer, {"title": "Salam", "body": "Yth. {nama},"})


@dataclass
class Case:
    name: str
    method: str
    endpoint: str
    expect: str  # one value per KINDS column
    build: object  # World -> (url, form data or None)
    public: bool = field(default=False)  # a page for everyone: never shows identity data

    def expected(self, kind):
        values = self.expect.split()
        assert len(values) == len(KINDS), self.name
        return values[KINDS.index(kind)]


def _n(w, ticket_name):
    return getattr(w, ticket_name).number


def _attachment(w):
    return w.req.attachments[0].id


def _new_request(subject):
    return dict(request_data(subject=subject), submission_key=secrets.token_hex(8))


def _with(ticket, url):
    """The URL of a page that lists tickets, once `ticket` exists to be listed."""
    assert ticket.number
    return url


def _year():
    return local_today().year


# Columns:      anon  owner other prod wali wali+ help ppid atasan pimp admin
CASES = [
    # ---- public: the status check by receipt, the register, the as-you-type suggestions
    Case("status page", "GET", "tickets.status_check",
         "200 200 200 200 200 200 200 200 200 200 200", lambda w: ("/cek-status", None),
         public=True),
    Case("status by receipt", "POST", "tickets.status_check",
         "200 200 200 200 200 200 200 200 200 200 200",
         lambda w: ("/cek-status", {"nomor": w.req.number, "kode": w.req.check_code}),
         public=True),
    Case("public register", "GET", "tickets.register_public",
         "200 200 200 200 200 200 200 200 200 200 200",
         lambda w: (f"/register-permohonan?q={w.answered.number}", None), public=True),
    Case("suggestions", "GET", "tickets.request_suggest",
         "200 200 200 200 200 200 200 200 200 200 200",
         lambda w: (_with(w.answered, "/permohonan/saran.json?q=permohonan+dijawab"), None),
         public=True),

    # ---- filing: anyone with an account files for themselves
    Case("request form", "GET", "tickets.request_form",
         "login 200 200 200 200 200 200 200 200 200 200", lambda w: ("/permohonan/baru", None)),
    Case("request submit", "POST", "tickets.request_form",
         "login 302 302 302 302 302 302 302 302 302 302",
         lambda w: ("/permohonan/baru", _new_request("Permohonan dari sapuan"))),
    Case("my requests", "GET", "tickets.my_requests",
         "login 200 200 200 200 200 200 200 200 200 200", lambda w: ("/permohonan-saya", None)),

    # ---- the requester's pages: the owner, and the staff who may read the ticket
    Case("confirmation", "GET", "tickets.request_done",
         "login 200 404 404 404 200 200 200 200 200 200",
         lambda w: (f"/permohonan/{_n(w, 'req')}/terkirim", None)),
    Case("receipt pdf", "GET", "tickets.request_receipt",
         "login 200 404 404 404 200 200 200 200 200 200",
         lambda w: (f"/permohonan/{_n(w, 'req')}/tanda-terima.pdf", None)),
    # Readers other than the requester are sent on to the staff page of the ticket.
    Case("my ticket", "GET", "tickets.my_ticket",
         "login 200 404 404 404 302 302 302 302 302 302",
         lambda w: (f"/permohonan/{_n(w, 'req')}", None)),
    Case("my ticket by id", "GET", "tickets.my_ticket",
         "login 200 404 404 404 302 302 302 302 302 302",
         lambda w: (f"/permohonan/{w.req.id}", None)),
    Case("my attachment", "GET", "tickets.my_ticket_attachment",
         "login 200 404 404 404 200 200 200 200 200 200",
         lambda w: (f"/permohonan/{_n(w, 'req')}/lampiran/{_attachment(w)}", None)),
    # requester_act: reply, withdraw, object, rate are the requester's own
    Case("reply", "POST", "tickets.my_ticket_reply",
         "login 302 404 404 404 403 403 403 403 403 403",
         lambda w: (f"/permohonan/{_n(w, 'clarifying')}/balas", {"body": "Tahun 2025."})),
    Case("withdraw", "POST", "tickets.my_ticket_withdraw",
         "login 302 404 404 404 403 403 403 403 403 403",
         lambda w: (f"/permohonan/{_n(w, 'req')}/batalkan", {"confirm": "1"})),
    Case("objection form", "GET", "tickets.my_ticket_objection",
         "login 200 404 404 404 403 403 403 403 403 403",
         lambda w: (f"/permohonan/{_n(w, 'answered')}/keberatan", None)),
    Case("objection file", "POST", "tickets.my_ticket_objection",
         "login 302 404 404 404 403 403 403 403 403 403",
         lambda w: (f"/permohonan/{_n(w, 'answered')}/keberatan",
                    {"grounds": ["not_fulfilled"], "body": "Tautannya tidak berisi data."})),
    Case("survey form", "GET", "tickets.my_ticket_survey",
         "login 200 404 404 404 403 403 403 403 403 403",
         lambda w: (f"/permohonan/{_n(w, 'answered')}/survei", None)),
    Case("survey submit", "POST", "tickets.my_ticket_survey",
         "login 302 404 404 404 403 403 403 403 403 403",
         lambda w: (f"/permohonan/{_n(w, 'answered')}/survei", SURVEY)),

    # ---- staff: the queues are for readers and custodians; handling for handlers
    Case("queue", "GET", "tickets.staff_queue",
         "login 403 403 403 200 200 200 200 200 200 200", lambda w: ("/layanan", None)),
    Case("queue, all tickets", "GET", "tickets.staff_queue",
         "login 403 403 403 200 200 200 200 200 200 200",
         lambda w: (f"/layanan?antrean=all&q={_n(w, 'req')}", None)),
    Case("walk-in form", "GET", "tickets.staff_new",
         "login 403 403 403 403 403 200 200 403 403 200", lambda w: ("/layanan/baru", None)),
    Case("walk-in submit", "POST", "tickets.staff_new",
         "login 403 403 403 403 403 302 302 403 403 302",
         lambda w: ("/layanan/baru", dict(_new_request("Permohonan datang langsung"),
                                          channel="walk_in"))),
    Case("bulk", "POST", "tickets.staff_bulk",
         "login 403 403 403 403 403 302 302 403 403 302",
         lambda w: ("/layanan/massal", {"ticket": [_n(w, "req")], "op": "priority",
                                        "priority": "high"})),
    Case("canned list", "GET", "tickets.staff_canned",
         "login 403 403 403 403 403 200 200 403 403 200", lambda w: ("/layanan/templat", None)),
    Case("canned add", "POST", "tickets.staff_canned",
         "login 403 403 403 403 403 302 302 403 403 302",
         lambda w: ("/layanan/templat", {"title": "Terima kasih", "body": "Terima kasih."})),
    Case("canned edit form", "GET", "tickets.staff_canned_edit",
         "login 403 403 403 403 403 200 200 403 403 200",
         lambda w: (f"/layanan/templat/{w.canned.id}", None)),
    Case("canned edit", "POST", "tickets.staff_canned_edit",
         "login 403 403 403 403 403 302 302 403 403 302",
         lambda w: (f"/layanan/templat/{w.canned.id}", {"title": "Salam", "body": "Halo."})),
    Case("canned delete", "POST", "tickets.staff_canned_delete",
         "login 403 403 403 403 403 302 302 403 403 302",
         lambda w: (f"/layanan/templat/{w.canned.id}/hapus", {})),

    # ---- the staff ticket page: readers, and the custodian the ticket was put to
    Case("staff ticket", "GET", "tickets.staff_ticket",
         "login 403 403 403 404 200 200 200 200 200 200",
         lambda w: (f"/layanan/tiket/{_n(w, 'req')}", None)),
    Case("staff attachment", "GET", "tickets.staff_attachment",
         "login 403 403 403 404 200 200 200 200 200 200",
         lambda w: (f"/layanan/tiket/{_n(w, 'req')}/lampiran/{_attachment(w)}", None)),
    Case("canned text", "GET", "tickets.staff_canned_text",
         "login 403 403 403 404 403 200 200 403 403 200",
         lambda w: (f"/layanan/tiket/{_n(w, 'req')}/templat/{w.canned.id}", None)),
    # ticket_handle: help desk, PPID and admin handle; the rest may at most read
    Case("assign", "POST", "tickets.staff_assign",
         "login 403 403 403 404 403 302 302 403 403 302",
         lambda w: (f"/layanan/tiket/{_n(w, 'req')}/tugaskan",
                    {"assignee_id": str(w.officer.id)})),
    Case("start", "POST", "tickets.staff_start",
         "login 403 403 403 404 403 302 302 403 403 302",
         lambda w: (f"/layanan/tiket/{_n(w, 'second')}/mulai", {})),
    Case("resume", "POST", "tickets.staff_resume",
         "login 403 403 403 404 403 302 302 403 403 302",
         lambda w: (f"/layanan/tiket/{_n(w, 'clarifying')}/lanjutkan", {})),
    Case("update", "POST", "tickets.staff_update",
         "login 403 403 403 404 403 302 302 403 403 302",
         lambda w: (f"/layanan/tiket/{_n(w, 'req')}/ubah",
                    {"priority": "urgent", "tags": "sapuan", "public": "1"})),
    Case("link dataset", "POST", "tickets.staff_dataset",
         "login 403 403 403 404 403 302 302 403 403 302",
         lambda w: (f"/layanan/tiket/{_n(w, 'second')}/dataset",
                    {"dataset": w.dataset.name, "op": "link"})),
    Case("public reply", "POST", "tickets.staff_message",
         "login 403 403 403 404 403 302 302 403 403 302",
         lambda w: (f"/layanan/tiket/{_n(w, 'req')}/pesan",
                    {"mode": "reply", "body": "Sedang kami proses."})),
    Case("internal note", "POST", "tickets.staff_message",
         "login 403 403 403 404 403 302 302 403 403 302",
         lambda w: (f"/layanan/tiket/{_n(w, 'req')}/pesan",
                    {"mode": "note", "body": "Cek ke Disdik."})),
    Case("extend", "POST", "tickets.staff_extend",
         "login 403 403 403 404 403 302 302 403 403 302",
         lambda w: (f"/layanan/tiket/{_n(w, 'req')}/perpanjang",
                    {"days": "5", "reason": "Data perlu dihimpun dari dua dinas."})),
    Case("ask approval", "POST", "tickets.staff_approval_ask",
         "login 403 403 403 404 403 302 302 403 403 302",
         lambda w: (f"/layanan/tiket/{_n(w, 'second')}/walidata",
                    {"dataset_id": w.dataset.name, "note": "Mohon persetujuan."})),
    Case("answer", "POST", "tickets.staff_answer",
         "login 403 403 403 404 403 302 302 403 403 302",
         lambda w: (f"/layanan/tiket/{_n(w, 'req')}/jawab",
                    {"outcome": "fulfilled", "answer": "Data terlampir."})),
    Case("merge", "POST", "tickets.staff_merge",
         "login 403 403 403 404 403 302 302 403 403 302",
         lambda w: (f"/layanan/tiket/{_n(w, 'second')}/gabung", {"into": _n(w, "req")})),
    # nik_view: those who verify identity (PPID, its superior, admin); every view is logged
    Case("full nik", "POST", "tickets.staff_nik",
         "login 403 403 403 404 403 403 200 200 403 200",
         lambda w: (f"/layanan/tiket/{_n(w, 'req')}/nik", {})),
    # approval_decide: a custodian, on a ticket put to it
    Case("approval decision", "POST", "tickets.staff_approval_decide",
         "login 403 403 403 404 302 403 403 403 403 403",
         lambda w: (f"/layanan/tiket/{_n(w, 'awaiting')}/keputusan-walidata",
                    {"decision": "approved", "grant_access": "1"})),
    # objection_decide: the PPID's superior
    Case("objection decision", "POST", "tickets.staff_objection_decide",
         "login 403 403 403 404 404 403 403 302 403 403",
         lambda w: (f"/layanan/tiket/{_n(w, 'objection')}/keberatan",
                    {"decision": "upheld", "answer": "Data dibuka tanpa nama."})),

    # ---- records with personal data: readers only (register_export)
    Case("register csv", "GET", "tickets.register_export",
         "login 403 403 403 403 403 200 200 200 200 200",
         lambda w: (_with(w.answered, f"/layanan/register.csv?tahun={_year()}"), None)),
    Case("yearly report", "GET", "tickets.yearly_report",
         "login 403 403 403 403 403 200 200 200 200 200",
         lambda w: (_with(w.answered, f"/layanan/laporan-tahunan?tahun={_year()}"), None)),
    Case("yearly report pdf", "GET", "tickets.yearly_report_pdf",
         "login 403 403 403 403 403 200 200 200 200 200",
         lambda w: (f"/layanan/laporan-tahunan.pdf?tahun={_year()}", None)),
    Case("ikm figures", "GET", "tickets.ikm_figures",
         "login 403 403 403 403 403 200 200 200 200 200", lambda w: ("/layanan/ikm", None)),
]


def _location(resp):
    return resp.headers.get("Location", "")


def _state():
    """Everything a refused request must leave as it was."""
    tickets = sorted((t.number, t.status, t.priority, tuple(t.tags or []))
                     for t in Ticket.query.all())
    return row_counts(), tickets


def _text(resp):
    if resp.mimetype in ("application/pdf",) or "spreadsheet" in (resp.mimetype or ""):
        return ""
    return resp.get_data(as_text=True)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("case", CASES, ids=[f"{c.method} {c.name}" for c in CASES])
def test_idor_sweep(case, kind, client_for, storage_dir):
    world = World(kind)
    assert world.req  # on every page the outsiders get, the owner's open request is absent
    url, data = case.build(world)
    user = world.user(kind)
    client = client_for(user)
    expected = case.expected(kind)
    if case.method == "GET":
        resp = client.get(url)
    else:
        data = dict(data or {})
        data["csrf_token"] = csrf_token(client)
        db.session.expire_all()
        before = (_state(), storage_files(storage_dir))
        resp = client.post(url, data=data)
    got = str(resp.status_code)
    if resp.status_code == 302 and _location(resp).startswith("/masuk"):
        got = "login"
    assert got == expected, (
        f"{case.method} {url} as {kind}: {resp.status_code} {_location(resp)}\n"
        f"{resp.get_data(as_text=True)[:400]}")
    refused = expected in ("403", "404", "login")
    if case.method == "POST" and refused:
        db.session.expire_all()
        assert (_state(), storage_files(storage_dir)) == before, "a refused POST changed data"
    body = _text(resp)
    if refused or case.public:
        assert not [p for p in PRIVATE if p in body], f"identity data on {url} as {kind}"
    if kind in OUTSIDERS:
        # Not on any page: not in a queue, a list, a suggestion or an error message.
        assert "Permohonan utama" not in body, f"the open request shows on {url} as {kind}"
    if expected == "302" and user is not None:
        # Got through: the page it leads to reports no error.
        page = client.get(_location(resp)).get_data(as_text=True)
        assert 'class="flash error"' not in page, re.findall(
            r'class="flash error"[^>]*>([^<]*)', page)


def test_every_route_is_in_the_sweep(app):
    """A new route of the help desk must get a row in CASES (an explicit expectation)."""
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] == "tickets":
            routes |= {(rule.endpoint, m) for m in rule.methods - {"HEAD", "OPTIONS"}}
    covered = {(c.endpoint, c.method) for c in CASES}
    assert routes - covered == set(), "routes without an IDOR expectation"
    assert covered - routes == set(), "sweep rows for routes that no longer exist"


def test_anonymous_post_without_csrf_token_is_refused_everywhere(app, client):
    values = {"number": "PD-2026-000001", "reply_id": 1, "attachment_id": 1}
    urls = [rule.build({k: values[k] for k in rule.arguments})[1]
            for rule in app.url_map.iter_rules()
            if rule.endpoint.startswith("tickets.") and "POST" in rule.methods]
    assert len(urls) >= 20
    for url in urls:
        resp = client.post(url, data={"body": "x"})
        assert resp.status_code == 400, url


# ---------------------------------------------------------------- crossing tickets

def test_an_attachment_is_reached_only_through_its_own_ticket(client_for):
    """Another ticket's attachment id under one's own (or any) ticket number is not found."""
    owner, stranger = make_requester(), make_requester()
    mine = make_request(owner, subject="Milik saya")
    theirs = make_request(stranger, subject="Milik orang lain", files=[pdf_file("lain.pdf")])
    mine_with_file = make_request(owner, subject="Milik saya berkas", files=[pdf_file()])
    their_file = theirs.attachments[0].id
    c = client_for(owner)
    assert c.get(f"/permohonan/{mine.number}/lampiran/{their_file}").status_code == 404
    assert c.get(f"/permohonan/{theirs.number}/lampiran/{their_file}").status_code == 404
    # Staff may read both tickets, but a file belongs to one ticket's address only.
    staff = client_for(make_helpdesk())
    own_file = mine_with_file.attachments[0].id
    assert staff.get(f"/layanan/tiket/{mine.number}/lampiran/{their_file}").status_code == 404
    assert staff.get(f"/permohonan/{mine.number}/lampiran/{own_file}").status_code == 404
    assert staff.get(f"/layanan/tiket/{theirs.number}/lampiran/{their_file}").status_code == 200


def test_an_identity_document_is_for_the_requester_and_staff_only(client_for):
    """A legal entity's deed is personal data: not a public attachment of the ticket."""
    owner = make_requester()
    custodian_org()
    ticket = actions.request_submit(owner, request_data(identity_kind="badan", nik=""),
                                    identity_files=[pdf_file("akta.pdf")])
    deed = ticket.attachments[0]
    assert deed.visibility == "identity"
    url = f"/permohonan/{ticket.number}/lampiran/{deed.id}"
    assert client_for(owner).get(url).status_code == 200
    assert client_for(make_requester()).get(url).status_code == 404
    assert client_for(make_producer()).get(url).status_code == 404
    assert client_for(make_walidata()).get(url).status_code == 404
    assert client_for(make_ppid()).get(f"/layanan/tiket/{ticket.number}/lampiran/{deed.id}") \
        .status_code == 200


def test_internal_notes_and_staff_files_never_reach_the_requester(client_for):
    owner = make_requester()
    ticket = make_request(owner)
    officer = make_helpdesk()
    actions.ticket_note(officer, ticket, {"body": "Catatan rahasia petugas"},
                        files=[pdf_file("internal.pdf")])
    internal = [a for a in ticket.attachments if a.visibility == "internal"][0]
    c = client_for(owner)
    page = c.get(f"/permohonan/{ticket.number}").get_data(as_text=True)
    assert "Catatan rahasia petugas" not in page and "internal.pdf" not in page
    assert c.get(f"/permohonan/{ticket.number}/lampiran/{internal.id}").status_code == 404
    assert client_for(officer).get(
        f"/layanan/tiket/{ticket.number}/lampiran/{internal.id}").status_code == 200


def test_a_wrong_check_code_says_nothing_about_the_ticket(client):
    ticket = make_request()
    resp = None
    for code in ("", "AAAAAAAA", ticket.check_code[:-1] + "Z", ticket.check_code.lower() + "X"):
        token = csrf_token(client, "/cek-status")
        resp = client.post("/cek-status", data={"nomor": ticket.number, "kode": code,
                                                "csrf_token": token})
        assert resp.status_code == 404, code
        assert ticket.subject not in resp.get_data(as_text=True)
    # The same answer for a number that does not exist: nothing to tell the two apart.
    token = csrf_token(client, "/cek-status")
    missing = client.post("/cek-status", data={"nomor": "PD-2000-999999", "kode": "AAAAAAAA",
                                               "csrf_token": token})
    assert missing.status_code == 404
    assert _flash(missing) == _flash(resp)


def _flash(resp):
    return re.findall(r'class="flash error"[^>]*>([^<]*)<', resp.get_data(as_text=True))


def test_a_guessed_ticket_number_is_not_found_rather_than_forbidden(client_for):
    """Citizens get the same answer for someone else's ticket as for no ticket at all."""
    ticket = make_request()
    c = client_for(make_requester())
    for suffix in ("", "/terkirim", "/tanda-terima.pdf", "/keberatan", "/survei"):
        real = c.get(f"/permohonan/{ticket.number}{suffix}")
        none = c.get(f"/permohonan/PD-2000-999999{suffix}")
        assert real.status_code == none.status_code == 404, suffix
        assert real.get_data(as_text=True) == none.get_data(as_text=True), suffix


def test_a_reply_to_someone_elses_ticket_changes_nothing(client_for, form):
    """The POST routes are swept above; this one checks an open ticket of each status."""
    owner, stranger = make_requester(), make_requester()
    tickets = [make_request(owner, subject=f"Tiket {i}") for i in range(2)]
    actions.ticket_clarify(make_helpdesk(), tickets[1], {"body": "Mohon rincian."})
    c = client_for(stranger)
    for ticket in tickets:
        before = _state()
        resp = form(c, f"/permohonan/{ticket.number}/balas", {"body": "Saya juga mau."})
        assert resp.status_code == 404
        db.session.expire_all()
        assert _state() == before


def test_personal_files_are_never_kept_in_a_cache(client_for):
    """Identity documents are downloaded on shared office and family computers: neither the
    browser nor a proxy may keep them, and no browser may guess another type for them."""
    owner = make_requester()
    custodian_org()
    ticket = actions.request_submit(owner, request_data(identity_kind="badan", nik=""),
                                    identity_files=[pdf_file("akta.pdf")])
    deed = ticket.attachments[0].id
    for client, url in ((client_for(owner), f"/permohonan/{ticket.number}/lampiran/{deed}"),
                        (client_for(make_ppid()),
                         f"/layanan/tiket/{ticket.number}/lampiran/{deed}")):
        resp = client.get(url)
        assert resp.status_code == 200, url
        assert "no-store" in resp.headers.get("Cache-Control", ""), url
        assert resp.headers.get("X-Content-Type-Options") == "nosniff", url
        assert resp.headers["Content-Disposition"].startswith("attachment"), url


def test_a_dataset_linked_by_staff_shows_to_the_requester_only_if_they_may_read_it(client_for):
    """An admin may link a closed (tertutup) dataset to a ticket for the record; its title
    and address stay off the requester's page, as off the public catalogue."""
    owner, admin = make_requester(), make_user(roles=(Role.ADMIN,))
    producer = make_producer()
    custodian = make_walidata()
    closed = make_published(producer, custodian, access="tertutup",
                            title="Daftar Rahasia Penerima Bantuan")
    restricted = make_published(producer, custodian, access="terbatas",
                                title="Kunjungan Pasien Terbatas")
    ticket = make_request(owner)
    actions.ticket_link_dataset(admin, ticket, closed.name)
    actions.ticket_link_dataset(admin, ticket, restricted.name)
    page = client_for(owner).get(f"/permohonan/{ticket.number}").get_data(as_text=True)
    assert "Kunjungan Pasien Terbatas" in page
    assert "Daftar Rahasia Penerima Bantuan" not in page and closed.name not in page
    # Staff who may read it still see it on the staff page.
    staff_page = client_for(admin).get(f"/layanan/tiket/{ticket.number}").get_data(as_text=True)
    assert "Daftar Rahasia Penerima Bantuan" in staff_page


def test_the_request_form_names_only_datasets_the_citizen_may_read(client_for, form):
    """?dataset= and dataset_ids name any dataset; a draft or closed one stays unknown."""
    producer, custodian = make_producer(), make_walidata()
    closed = make_published(producer, custodian, access="tertutup",
                            title="Daftar Rahasia Penerima Bantuan")
    draft = make_dataset(producer, title="Draf Belum Terbit")
    custodian_org()
    citizen = make_requester()
    c = client_for(citizen)
    for ds in (closed, draft):
        html = c.get(f"/permohonan/baru?dataset={ds.name}").get_data(as_text=True)
        assert ds.title not in html
        before = _state()
        resp = form(c, "/permohonan/baru", dict(_new_request("Minta data rahasia"),
                                                dataset_ids=ds.name))
        assert resp.status_code == 422
        assert ds.title not in resp.get_data(as_text=True)
        db.session.expire_all()
        assert _state() == before
