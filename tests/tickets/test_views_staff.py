"""The staff pages of the help desk, driven through real forms with real CSRF tokens.

Every handling step is posted as a browser would; the assertions read the database (through
the actions or the models) and the pages each role gets back.
"""
import json
import re

import pytest
from sqlalchemy import event

from app.catalog.models import DatasetAccess
from app.core.actor import Role
from app.core.audit import AuditLog
from app.extensions import db
from app.tickets import actions, queues
from app.tickets.models import CannedReply, Ticket
from app.workdays import calendar
from tests.factories import (
    custodian_org,
    make_org,
    make_producer,
    make_published,
    make_user,
    make_walidata,
    reload,
    row_counts,
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
)


@pytest.fixture(autouse=True)
def _setup(reference):
    # The calendar caches overrides per process; the suite empties tables behind its back.
    calendar.invalidate()
    custodian_org()
    yield
    calendar.invalidate()


@pytest.fixture
def post(form):
    """POST a form as `client` with a CSRF token taken from a page every signed-in user has."""
    def do(client, url, data=None, **kwargs):
        return form(client, url, data, page="/permohonan-saya", **kwargs)
    return do


@pytest.fixture
def desk(client_for):
    user = make_helpdesk(name="Dewi Layanan")
    return user, client_for(user)


@pytest.fixture
def ppid(client_for):
    user = make_ppid(name="Pak PPID")
    return user, client_for(user)


def html(resp):
    return resp.get_data(as_text=True)


def row_numbers(resp):
    """Ticket numbers listed in the queue table, in order."""
    return re.findall(r'name="ticket" value="([A-Z]{2}-\d{4}-\d{6})"', html(resp))


def tab_count(resp, label):
    match = re.search(re.escape(label) + r'\s*<span class="count">(\d+)</span>', html(resp))
    assert match, f"no count for {label}"
    return int(match.group(1))


def fresh(ticket):
    return reload(ticket)


def restricted_dataset():
    producer = make_producer()
    return make_published(producer, make_walidata(), access="terbatas")


# ---------------------------------------------------------------- who may open the pages

def urls_for(ticket):
    n = ticket.number
    gets = ["/layanan", "/layanan?antrean=all", f"/layanan/tiket/{n}", "/layanan/templat",
            "/layanan/baru", f"/layanan/tiket/{n}/templat/1"]
    posts = ["/layanan/massal", f"/layanan/tiket/{n}/tugaskan", f"/layanan/tiket/{n}/mulai",
             f"/layanan/tiket/{n}/lanjutkan", f"/layanan/tiket/{n}/ubah",
             f"/layanan/tiket/{n}/dataset", f"/layanan/tiket/{n}/pesan",
             f"/layanan/tiket/{n}/perpanjang", f"/layanan/tiket/{n}/walidata",
             f"/layanan/tiket/{n}/keputusan-walidata", f"/layanan/tiket/{n}/jawab",
             f"/layanan/tiket/{n}/gabung", f"/layanan/tiket/{n}/keberatan",
             f"/layanan/tiket/{n}/nik", "/layanan/templat", "/layanan/baru",
             "/layanan/templat/1/hapus"]
    return gets, posts


@pytest.mark.parametrize("role", [Role.PEMOHON, Role.PRODUSEN])
def test_citizens_and_producers_get_nothing_from_the_staff_pages(role, client_for, post):
    citizen = make_requester()
    ticket = make_request(citizen)
    attachment_url = None
    with_file = make_request(citizen, files=[pdf_file()], subject="Lain")
    attachment_url = (f"/layanan/tiket/{with_file.number}/lampiran/"
                      f"{with_file.attachments[0].id}")
    outsider = citizen if role == Role.PEMOHON else make_user(roles=(role,), orgs=(make_org(),))
    c = client_for(outsider)
    before = row_counts()
    gets, posts = urls_for(ticket)
    for url in gets + [attachment_url]:
        assert c.get(url).status_code in (403, 404), url
    for url in posts:
        resp = post(c, url, {"body": "x", "ticket": ticket.number, "op": "priority",
                             "priority": "high", "channel": "walk_in"})
        assert resp.status_code in (403, 404), url
    after = row_counts()
    after.pop("audit_log"), before.pop("audit_log")  # logins are audited
    assert after == before


def test_anonymous_visitors_are_sent_to_login(client, reference):
    ticket = make_request()
    for url in ("/layanan", f"/layanan/tiket/{ticket.number}", "/layanan/baru"):
        resp = client.get(url)
        assert resp.status_code == 302 and "/masuk" in resp.headers["Location"]


def test_every_reading_role_opens_the_ticket_page(client_for):
    ticket = make_request()
    for user in (make_helpdesk(), make_ppid(), make_atasan(),
                 make_user(roles=(Role.PIMPINAN,)), make_user(roles=(Role.ADMIN,))):
        resp = client_for(user).get(f"/layanan/tiket/{ticket.number}")
        assert resp.status_code == 200
        assert ticket.subject in html(resp)
        assert resp.headers["Cache-Control"] == "no-store"


def test_the_requester_is_sent_to_their_own_page(client_for):
    citizen = make_requester()
    ticket = make_request(citizen)
    c = client_for(citizen)
    assert c.get(f"/layanan/tiket/{ticket.number}").status_code == 403
    assert c.get(f"/permohonan/{ticket.number}").status_code == 200


def test_a_custodian_sees_only_tickets_put_to_it(client_for, desk, post):
    walidata = make_walidata()
    ds = restricted_dataset()
    asked, other = make_request(), make_request(subject="Lain")
    actions.approval_request(desk[0], asked, {"dataset_id": ds.name})
    c = client_for(walidata)
    assert c.get(f"/layanan/tiket/{other.number}").status_code == 404
    assert c.get(f"/layanan/tiket/{asked.number}").status_code == 200
    resp = c.get("/layanan?antrean=all")
    assert row_numbers(resp) == [] and asked.number in html(resp)  # no bulk checkboxes
    assert other.number not in html(resp)
    assert "Menunggu walidata" in html(resp) and "Belum ditugaskan" not in html(resp)
    # Handling forms are not the custodian's.
    assert post(c, f"/layanan/tiket/{asked.number}/mulai").status_code == 403


# ---------------------------------------------------------------- the queues

def test_queue_tabs_list_their_tickets_with_counts(desk, client_for):
    user, c = desk
    new = make_request(subject="Baru")
    mine = make_request(subject="Punya saya")
    actions.ticket_assign(user, mine, user.id)
    waiting = make_request(subject="Menunggu")
    actions.ticket_clarify(user, waiting, {"body": "Mohon perjelas tahunnya."})
    closed = make_request(subject="Selesai")
    actions.ticket_answer(user, closed, {"outcome": "fulfilled", "answer": "Terlampir."})

    resp = c.get("/layanan?antrean=unassigned")
    assert resp.status_code == 200
    assert set(row_numbers(resp)) == {new.number, waiting.number}
    assert tab_count(resp, "Belum ditugaskan") == 2
    assert tab_count(resp, "Tugas saya") == 1
    assert tab_count(resp, "Menunggu pemohon") == 1
    assert tab_count(resp, "Semua terbuka") == 3
    assert row_numbers(c.get("/layanan?antrean=mine")) == [mine.number]
    assert row_numbers(c.get("/layanan?antrean=waiting")) == [waiting.number]
    assert row_numbers(c.get("/layanan?antrean=closed")) == [closed.number]
    assert set(row_numbers(c.get("/layanan?antrean=all"))) == {
        new.number, mine.number, waiting.number, closed.number}
    # An unknown queue name falls back to the open tickets.
    assert len(row_numbers(c.get("/layanan?antrean=nope"))) == 3


def test_queue_row_shows_requester_due_date_and_sla_in_words(desk):
    user, c = desk
    ticket = make_request()
    actions.ticket_assign(user, ticket, user.id)
    page = html(c.get("/layanan"))
    row = page[page.index(ticket.number):]
    row = row[:row.index("</tr>")]
    assert "Siti Rahmawati" in row and "Dewi Layanan" in row
    assert ticket.due_on.strftime("%d-%m-%Y") in row
    assert 'data-sla="on_time"' in row and "Tepat waktu" in row  # text, not colour alone
    assert "hari kerja lagi" in row
    assert "Biasa" in row  # priority


def test_queue_filters_and_search(desk):
    user, c = desk
    school = make_request(subject="Data sekolah dasar", requester_name="Budi Santoso")
    health = make_request(subject="Jumlah puskesmas", body="Data fasilitas kesehatan",
                          requester_name="Ani Lestari")
    question = make_request(kind="question", subject="Jam layanan kantor",
                            body="Kapan kantor buka?", requester_name="Citra")
    actions.ticket_update(user, health, {"priority": "urgent", "tags": ["kesehatan"]})

    def listed(query):
        return set(row_numbers(c.get("/layanan?antrean=all&" + query)))

    assert listed(f"q={school.number}") == {school.number}
    assert listed("q=santoso") == {school.number}
    assert listed("q=puskesmas") == {health.number}
    assert listed("kind=question") == {question.number}
    assert listed("priority=urgent") == {health.number}
    assert listed("tag=kesehatan") == {health.number}
    assert listed("sla=on_time") == {school.number, health.number, question.number}
    assert listed("status=received") == {school.number, health.number, question.number}
    assert listed("channel=walk_in") == set()
    assert listed(f"organisation={custodian_org().id}") == {
        school.number, health.number, question.number}
    # A value that is not a choice is dropped, not an error.
    assert listed("kind=bogus") == {school.number, health.number, question.number}
    # The chosen filters stay filled in.
    assert 'value="urgent" selected' in html(c.get("/layanan?priority=urgent"))


def test_queue_assignee_filter_and_sort(desk):
    user, c = desk
    first = make_request(subject="Pertama")
    second = make_request(subject="Kedua")
    third = make_request(subject="Ketiga")
    actions.ticket_assign(user, second, user.id)
    assert row_numbers(c.get(f"/layanan?antrean=all&assignee={user.id}")) == [second.number]
    assert row_numbers(c.get("/layanan?antrean=all&sort=newest")) == [
        third.number, second.number, first.number]
    assert row_numbers(c.get("/layanan?antrean=all&sort=oldest")) == [
        first.number, second.number, third.number]


def test_queue_pages(desk, monkeypatch):
    monkeypatch.setattr(queues, "PAGE_SIZE", 2)
    user, c = desk
    made = [make_request(subject=f"Permohonan {n}") for n in range(3)]
    first = c.get("/layanan?antrean=all&sort=oldest")
    assert row_numbers(first) == [made[0].number, made[1].number]
    assert "Halaman 1 dari 2" in html(first)
    assert "page=2" in html(first) and "sort=oldest" in html(first)
    second = c.get("/layanan?antrean=all&sort=oldest&page=2")
    assert row_numbers(second) == [made[2].number]
    # Past the end shows the last page.
    assert row_numbers(c.get("/layanan?antrean=all&sort=oldest&page=99")) == [made[2].number]


def test_queue_page_queries_do_not_grow_with_rows(desk, app):
    user, c = desk
    # Admins may handle tickets but are not in the page's officer lists, so nothing else on
    # the page has loaded them before the rows ask for their assignee.
    others = [make_user(roles=(Role.ADMIN,)) for _ in range(3)]

    def count_queries():
        seen = []

        def hook(*args):
            seen.append(1)

        event.listen(db.engine, "before_cursor_execute", hook)
        try:
            assert c.get("/layanan?antrean=all").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", hook)
        return len(seen)

    t = make_request(subject="Satu")
    actions.ticket_assign(user, t, others[0].id)
    few = count_queries()
    for n, officer in enumerate(others * 2):
        t = make_request(subject=f"Lagi {n}")
        actions.ticket_assign(user, t, officer.id)
    assert count_queries() == few


# ---------------------------------------------------------------- bulk actions

def test_bulk_assign_reports_successes_and_failures(desk, post):
    user, c = desk
    a, b = make_request(subject="A"), make_request(subject="B")
    closed = make_request(subject="C")
    actions.ticket_answer(user, closed, {"outcome": "fulfilled", "answer": "Sudah."})
    resp = post(c, "/layanan/massal", {"ticket": [a.number, b.number, closed.number],
                                       "op": "assign", "assignee_id": user.id},
                follow_redirects=True)
    page = html(resp)
    assert "2 dari 3 tiket berhasil diproses." in page
    assert f"{closed.number}: " in page
    assert fresh(a).assignee_id == user.id and fresh(b).assignee_id == user.id
    assert fresh(closed).assignee_id is None


def test_bulk_priority_tag_and_round_robin(desk, post, client_for):
    user, c = desk
    colleague = make_helpdesk()
    a, b = make_request(subject="A"), make_request(subject="B")
    numbers = [a.number, b.number]
    post(c, "/layanan/massal", {"ticket": numbers, "op": "priority", "priority": "high"})
    post(c, "/layanan/massal", {"ticket": numbers, "op": "tag", "tag": "Sekolah"})
    post(c, "/layanan/massal", {"ticket": numbers, "op": "round_robin"})
    a, b = fresh(a), fresh(b)
    assert a.priority == b.priority == "high"
    assert a.tags == b.tags == ["sekolah"]
    assert {a.assignee_id, b.assignee_id} == {user.id, colleague.id}  # one each, in turn


def test_bulk_returns_to_the_queue_page_only(desk, post):
    user, c = desk
    a = make_request()
    resp = post(c, "/layanan/massal", {"ticket": [a.number], "op": "priority",
                                       "priority": "low", "next": "/layanan?antrean=mine"})
    assert resp.headers["Location"].endswith("/layanan?antrean=mine")
    for target in ("https://evil.example/", "//evil.example/layanan", "/keluar"):
        resp = post(c, "/layanan/massal", {"ticket": [a.number], "op": "priority",
                                           "priority": "low", "next": target})
        assert resp.headers["Location"].endswith("/layanan"), target


def test_bulk_without_a_choice_changes_nothing(desk, post):
    user, c = desk
    a = make_request()
    resp = post(c, "/layanan/massal", {"op": "priority", "priority": "high"},
                follow_redirects=True)
    assert "Pilih tiket dan tindakannya dulu." in html(resp)
    resp = post(c, "/layanan/massal", {"ticket": [a.number], "op": "priority"},
                follow_redirects=True)
    assert "0 dari 1 tiket" in html(resp)
    assert fresh(a).priority == "normal"


# ---------------------------------------------------------------- assignment and state

def test_assign_to_a_person_and_in_turn(desk, post):
    user, c = desk
    colleague = make_helpdesk(name="Rekan Kerja")
    ticket = make_request()
    page = html(c.get(f"/layanan/tiket/{ticket.number}"))
    assert "Rekan Kerja" in page and "Bergiliran" in page
    resp = post(c, f"/layanan/tiket/{ticket.number}/tugaskan", {"assignee_id": colleague.id})
    assert resp.status_code == 302
    ticket = fresh(ticket)
    assert ticket.assignee_id == colleague.id and ticket.status == "in_progress"

    other = make_request(subject="Kedua")
    post(c, f"/layanan/tiket/{other.number}/tugaskan", {"assignee_id": "bergiliran"})
    assert fresh(other).assignee_id == user.id  # never assigned before: first in turn
    third = make_request(subject="Ketiga")
    post(c, f"/layanan/tiket/{third.number}/tugaskan", {"assignee_id": "bergiliran"})
    assert fresh(third).assignee_id == colleague.id


def test_assign_to_nobody_is_an_error_on_the_form(desk, post):
    user, c = desk
    ticket = make_request()
    resp = post(c, f"/layanan/tiket/{ticket.number}/tugaskan", {"assignee_id": ""})
    assert resp.status_code == 422
    assert "Petugas tidak ditemukan." in html(resp)
    assert fresh(ticket).assignee_id is None


def test_start_and_update_priority_tags_team(desk, post):
    user, c = desk
    team = make_org(title="Dinas Pendidikan")
    ticket = make_request()
    post(c, f"/layanan/tiket/{ticket.number}/mulai")
    assert fresh(ticket).status == "in_progress"
    resp = post(c, f"/layanan/tiket/{ticket.number}/mulai")
    assert resp.status_code == 409 and "tidak dapat mulai diproses" in html(resp)
    post(c, f"/layanan/tiket/{ticket.number}/ubah",
         {"priority": "urgent", "tags": "Sekolah, data dasar", "organisation_id": team.id})
    ticket = fresh(ticket)
    assert ticket.priority == "urgent" and ticket.tags == ["data dasar", "sekolah"]
    assert ticket.organisation_id == team.id and ticket.public is False  # box left unticked
    page = html(c.get(f"/layanan/tiket/{ticket.number}"))
    assert "Dinas Pendidikan" in page and "Mendesak" in page


def test_link_and_unlink_a_dataset(desk, post):
    user, c = desk
    ds = restricted_dataset()
    ticket = make_request()
    post(c, f"/layanan/tiket/{ticket.number}/dataset", {"dataset": ds.name, "op": "link"})
    assert [d.id for d in fresh(ticket).datasets] == [ds.id]
    page = html(c.get(f"/layanan/tiket/{ticket.number}"))
    assert ds.title in page and "Terbatas" in page
    resp = post(c, f"/layanan/tiket/{ticket.number}/dataset", {"dataset": "tidak-ada"})
    assert resp.status_code == 422 and 'value="tidak-ada"' in html(resp)
    post(c, f"/layanan/tiket/{ticket.number}/dataset", {"dataset": ds.name, "op": "unlink"})
    assert fresh(ticket).datasets == []


# ---------------------------------------------------------------- the conversation

def test_internal_note_never_reaches_the_requester(desk, post, client_for):
    user, c = desk
    citizen = make_requester()
    ticket = make_request(citizen)
    post(c, f"/layanan/tiket/{ticket.number}/pesan",
         {"mode": "note", "body": "Catatan rahasia: cek ke Dinas Pendidikan."})
    post(c, f"/layanan/tiket/{ticket.number}/pesan",
         {"mode": "reply", "body": "Permohonan Anda sedang kami proses."})
    staff_page = html(c.get(f"/layanan/tiket/{ticket.number}"))
    assert "Catatan rahasia" in staff_page
    assert "internal – tidak terlihat pemohon" in staff_page
    own_page = html(client_for(citizen).get(f"/permohonan/{ticket.number}"))
    assert "Permohonan Anda sedang kami proses." in own_page
    assert "Catatan rahasia" not in own_page
    assert [m.kind for m in actions.visible_messages(citizen, fresh(ticket))] == ["reply"]


def test_reply_with_an_attachment_and_its_download(desk, post, client_for):
    user, c = desk
    ticket = make_request()
    name, stream = pdf_file("jadwal.pdf")
    resp = post(c, f"/layanan/tiket/{ticket.number}/pesan",
                {"mode": "reply", "body": "Terlampir jadwal.", "file": (stream, name)})
    assert resp.status_code == 302
    att = fresh(ticket).attachments[0]
    assert att.message_id is not None and att.visibility == "public"
    url = f"/layanan/tiket/{ticket.number}/lampiran/{att.id}"
    assert url in html(c.get(f"/layanan/tiket/{ticket.number}"))
    got = c.get(url)
    assert got.status_code == 200 and got.data.startswith(b"%PDF")
    # The same file asked for under another ticket's number is not there.
    other = make_request(subject="Lain")
    assert c.get(f"/layanan/tiket/{other.number}/lampiran/{att.id}").status_code == 404


def test_an_empty_message_keeps_the_mode_and_shows_the_error(desk, post):
    user, c = desk
    ticket = make_request()
    resp = post(c, f"/layanan/tiket/{ticket.number}/pesan", {"mode": "note", "body": "  "})
    assert resp.status_code == 422
    page = html(resp)
    assert "Wajib diisi." in page and 'value="note" checked' in page
    assert fresh(ticket).messages == []


def test_clarification_pauses_the_clock_and_resume_restarts_it(desk, post):
    user, c = desk
    ticket = make_request()
    post(c, f"/layanan/tiket/{ticket.number}/pesan",
         {"mode": "clarify", "body": "Tahun berapa yang Anda perlukan?"})
    ticket = fresh(ticket)
    assert ticket.status == "needs_clarification" and ticket.sla_state == "paused"
    assert ticket.paused_on is not None
    page = html(c.get(f"/layanan/tiket/{ticket.number}"))
    assert 'data-sla="paused"' in page and "Jeda (menunggu pemohon)" in page
    assert "jam berhenti" in page
    queue = html(c.get("/layanan?antrean=waiting"))
    assert ticket.number in queue and "Jeda (menunggu pemohon)" in queue
    # Asking again while it waits is not a legal step.
    resp = post(c, f"/layanan/tiket/{ticket.number}/pesan", {"mode": "clarify", "body": "Lagi"})
    assert resp.status_code == 409
    post(c, f"/layanan/tiket/{ticket.number}/lanjutkan")
    ticket = fresh(ticket)
    assert ticket.status == "in_progress" and ticket.paused_on is None
    assert ticket.sla_state != "paused"


def test_extension_once_then_refused(desk, post):
    user, c = desk
    ticket = make_request()
    due = ticket.due_on
    resp = post(c, f"/layanan/tiket/{ticket.number}/perpanjang", {"days": "9", "reason": "x"})
    assert resp.status_code == 422 and fresh(ticket).extended_at is None
    resp = post(c, f"/layanan/tiket/{ticket.number}/perpanjang", {"days": "3", "reason": ""})
    assert resp.status_code == 422 and "Wajib diisi." in html(resp)
    resp = post(c, f"/layanan/tiket/{ticket.number}/perpanjang",
                {"days": "3", "reason": "Data masih dihimpun dari tiga dinas."})
    assert resp.status_code == 302
    ticket = fresh(ticket)
    assert ticket.status == "extended" and ticket.extension_days == 3
    assert ticket.due_on == calendar.calendar().add_working_days(due, 3)
    page = html(c.get(f"/layanan/tiket/{ticket.number}"))
    assert "Data masih dihimpun dari tiga dinas." in page
    assert f"/layanan/tiket/{ticket.number}/perpanjang" not in page  # the form is gone
    resp = post(c, f"/layanan/tiket/{ticket.number}/perpanjang",
                {"days": "2", "reason": "Sekali lagi"})
    assert resp.status_code == 409
    assert "tidak dapat diperpanjang" in html(resp)
    assert fresh(ticket).due_on == ticket.due_on
    # Waiting for the custodian is a state that may be extended, but not a second time.
    actions.approval_request(user, ticket, {"note": "Mohon persetujuan."})
    resp = post(c, f"/layanan/tiket/{ticket.number}/perpanjang",
                {"days": "2", "reason": "Sekali lagi"})
    assert resp.status_code == 409
    assert "hanya dapat diperpanjang satu kali" in html(resp)
    assert fresh(ticket).due_on == ticket.due_on and fresh(ticket).extension_days == 3


def test_merge_a_duplicate(desk, post):
    user, c = desk
    first = make_request(subject="Data sekolah")
    dup = make_request(first.requester, subject="Data sekolah lagi")
    resp = post(c, f"/layanan/tiket/{dup.number}/gabung", {"into": dup.number})
    assert resp.status_code == 422 and "dirinya sendiri" in html(resp)
    resp = post(c, f"/layanan/tiket/{dup.number}/gabung", {"into": "PD-1999-000001"})
    assert resp.status_code == 422 and 'value="PD-1999-000001"' in html(resp)
    resp = post(c, f"/layanan/tiket/{dup.number}/gabung", {"into": first.number})
    assert resp.status_code == 302
    assert resp.headers["Location"].endswith(f"/layanan/tiket/{first.number}")
    dup = fresh(dup)
    assert dup.status == "merged" and dup.merged_into_id == first.id
    assert first.number in html(c.get(f"/layanan/tiket/{dup.number}"))


# ---------------------------------------------------------------- approval by the custodian

def test_approval_asked_then_approved_with_access(desk, post, client_for):
    user, c = desk
    walidata = make_walidata()
    ds = restricted_dataset()
    citizen = make_requester()
    ticket = make_request(citizen)
    resp = post(c, f"/layanan/tiket/{ticket.number}/walidata",
                {"dataset_id": "tidak-ada", "note": "x"})
    assert resp.status_code == 422 and fresh(ticket).status == "received"
    post(c, f"/layanan/tiket/{ticket.number}/walidata",
         {"dataset_id": ds.name, "note": "Pemohon peneliti, mohon persetujuan."})
    assert fresh(ticket).status == "awaiting_approval"
    # The desk sees the pending approval but not the custodian's form.
    assert "keputusan-walidata" not in html(c.get(f"/layanan/tiket/{ticket.number}"))

    w = client_for(walidata)
    queue = w.get("/layanan?antrean=open")
    assert ticket.number in html(queue)
    page = html(w.get(f"/layanan/tiket/{ticket.number}"))
    assert "Pemohon peneliti, mohon persetujuan." in page
    assert "tambahkan pemohon ke daftar akses dataset" in page.lower()
    resp = post(w, f"/layanan/tiket/{ticket.number}/keputusan-walidata",
                {"decision": "approved", "grant_access": "1"})
    assert resp.status_code == 302
    ticket = fresh(ticket)
    assert ticket.status == "in_progress"
    assert db.session.get(DatasetAccess, (ds.id, citizen.id)) is not None
    assert ticket.approvals[0].decision == "approved" and ticket.approvals[0].grant_access


def test_approval_refused_needs_an_exemption(desk, post, client_for):
    user, c = desk
    walidata = make_walidata()
    ds = restricted_dataset()
    ticket = make_request()
    actions.approval_request(user, ticket, {"dataset_id": ds.name})
    w = client_for(walidata)
    resp = post(w, f"/layanan/tiket/{ticket.number}/keputusan-walidata",
                {"decision": "refused", "reason": "Memuat data pribadi."})
    assert resp.status_code == 422
    assert "Pasal 17" in html(resp) and "Memuat data pribadi." in html(resp)
    assert fresh(ticket).status == "awaiting_approval"
    post(w, f"/layanan/tiket/{ticket.number}/keputusan-walidata",
         {"decision": "refused", "reason": "Memuat data pribadi.", "exemption": "17h"})
    ticket = fresh(ticket)
    assert ticket.status == "rejected" and ticket.exemption == "17h"
    assert DatasetAccess.query.count() == 0


# ---------------------------------------------------------------- answering

@pytest.mark.parametrize("outcome, extra", [
    ("fulfilled", {}),
    ("partially_fulfilled", {"exemption": "17h"}),
    ("rejected", {"exemption": "17g"}),
    ("not_held", {"redirect_agency": "BPS Kota Bandung"}),
])
def test_answer_each_outcome(outcome, extra, ppid, post):
    user, c = ppid
    ticket = make_request()
    data = {"outcome": outcome, "answer": "Jawaban resmi PPID.", **extra}
    if outcome != "partially_fulfilled":
        data.setdefault("exemption", "17a")  # left selected: only a refusal keeps it
    resp = post(c, f"/layanan/tiket/{ticket.number}/jawab", data)
    assert resp.status_code == 302
    ticket = fresh(ticket)
    assert ticket.status == outcome and ticket.answer == "Jawaban resmi PPID."
    assert ticket.exemption == (data["exemption"] if outcome in ("rejected",
                                                                  "partially_fulfilled")
                                else None)
    assert ticket.redirect_agency == extra.get("redirect_agency")


@pytest.mark.parametrize("outcome, field, message", [
    ("rejected", "exemption", "Pasal 17"),
    ("partially_fulfilled", "exemption", "Pasal 17"),
    ("not_held", "redirect_agency", "badan publik yang menguasai"),
    ("resolved", "outcome", "tidak berlaku untuk jenis tiket ini"),
])
def test_answer_errors_change_nothing(outcome, field, message, ppid, post):
    user, c = ppid
    ticket = make_request()
    before = row_counts()
    resp = post(c, f"/layanan/tiket/{ticket.number}/jawab",
                {"outcome": outcome, "answer": "Jawaban yang disimpan di formulir."})
    assert resp.status_code == 422
    page = html(resp)
    assert message in page and "Jawaban yang disimpan di formulir." in page
    after = row_counts()
    after.pop("audit_log"), before.pop("audit_log")
    assert after == before and fresh(ticket).status == "received"


def test_answer_with_a_dataset_link_and_a_file(ppid, post):
    user, c = ppid
    ds = make_published(make_producer(), make_walidata())
    ticket = make_request()
    name, stream = pdf_file("data.pdf")
    resp = post(c, f"/layanan/tiket/{ticket.number}/jawab",
                {"outcome": "fulfilled", "answer": "Silakan unduh.", "datasets": ds.name,
                 "file": (stream, name)})
    assert resp.status_code == 302
    ticket = fresh(ticket)
    assert [d.name for d in ticket.datasets] == [ds.name]
    assert [a.filename for a in ticket.attachments] == ["data.pdf"]


def test_the_desk_cannot_refuse_and_is_not_offered_to(desk, post):
    user, c = desk
    ticket = make_request()
    page = html(c.get(f"/layanan/tiket/{ticket.number}"))
    assert 'value="rejected"' not in page and 'value="fulfilled"' in page
    resp = post(c, f"/layanan/tiket/{ticket.number}/jawab",
                {"outcome": "rejected", "answer": "Ditolak.", "exemption": "17h"})
    assert resp.status_code == 403
    assert fresh(ticket).status == "received"


def test_a_question_is_resolved(desk, post):
    user, c = desk
    ticket = make_request(kind="question", subject="Jam buka", body="Kapan buka?")
    page = html(c.get(f"/layanan/tiket/{ticket.number}"))
    assert 'value="resolved"' in page and 'value="fulfilled"' not in page
    post(c, f"/layanan/tiket/{ticket.number}/jawab",
         {"outcome": "resolved", "answer": "Senin sampai Jumat."})
    assert fresh(ticket).status == "resolved"


# ---------------------------------------------------------------- objections

def test_the_superior_decides_an_objection(client_for, ppid, post):
    user, c = ppid
    citizen = make_requester()
    request_ = make_request(citizen)
    actions.ticket_answer(user, request_, {"outcome": "rejected", "answer": "Dikecualikan.",
                                           "exemption": "17h"})
    objection = actions.objection_file(citizen, request_, {"grounds": ["refused"],
                                                           "body": "Saya keberatan."})
    # The officer who refused does not decide the objection, nor answer it as a ticket.
    page = html(c.get(f"/layanan/tiket/{objection.number}"))
    assert "putusan-keberatan" not in page
    assert f"/layanan/tiket/{objection.number}/jawab" not in page
    assert post(c, f"/layanan/tiket/{objection.number}/keberatan",
                {"decision": "upheld", "answer": "x"}).status_code == 403

    a = client_for(make_atasan())
    page = html(a.get(f"/layanan/tiket/{objection.number}"))
    assert f'href="/layanan/tiket/{request_.number}"' in page and "Dikecualikan." in page
    assert "Permohonan ditolak dengan alasan pengecualian" in page
    resp = post(a, f"/layanan/tiket/{objection.number}/keberatan", {"answer": "Tanpa putusan"})
    assert resp.status_code == 422 and "Tanpa putusan" in html(resp)
    post(a, f"/layanan/tiket/{objection.number}/keberatan",
         {"decision": "upheld", "answer": "Informasi dibuka setelah NIK disamarkan."})
    assert fresh(objection).status == "objection_decided"
    assert fresh(objection).decision == "upheld"
    assert fresh(request_).status == "objection_decided"


# ---------------------------------------------------------------- the NIK

def test_full_nik_only_for_ppid_and_admin_and_logged(desk, ppid, post, client_for):
    helpdesk_user, hc = desk
    ticket = make_request()
    page = html(hc.get(f"/layanan/tiket/{ticket.number}"))
    assert ticket.nik_masked in page and NIK not in page
    assert "lihat NIK lengkap" not in page
    assert post(hc, f"/layanan/tiket/{ticket.number}/nik").status_code == 403
    assert AuditLog.query.filter_by(action="ticket.nik_viewed").count() == 0

    for c in (ppid[1], client_for(make_user(roles=(Role.ADMIN,)))):
        assert "lihat NIK lengkap" in html(c.get(f"/layanan/tiket/{ticket.number}"))
        resp = post(c, f"/layanan/tiket/{ticket.number}/nik")
        assert resp.status_code == 200 and NIK in html(resp)
        assert "dicatat dalam log audit" in html(resp)
        assert resp.headers["Cache-Control"] == "no-store"
        # Shown once: the next visit is masked again.
        assert NIK not in html(c.get(f"/layanan/tiket/{ticket.number}"))
    rows = AuditLog.query.filter_by(action="ticket.nik_viewed").all()
    assert len(rows) == 2 and {r.object_id for r in rows} == {str(ticket.id)}


# ---------------------------------------------------------------- canned replies

def test_canned_replies_crud_and_rendering(desk, post):
    user, c = desk
    resp = c.get("/layanan/templat")
    assert resp.status_code == 200 and "{nomor}" in html(resp) and "{petugas}" in html(resp)
    resp = post(c, "/layanan/templat", {"title": "Diterima",
                                        "body": "Yth. {nama}, permohonan {nomor} ({judul}) "
                                                "kami jawab paling lambat {tenggat}. {lain}"})
    assert resp.status_code == 302
    reply = CannedReply.query.one()
    resp = post(c, "/layanan/templat", {"title": "diterima", "body": "Duplikat"})
    assert resp.status_code == 422 and "sudah dipakai" in html(resp)
    assert 'value="diterima"' in html(resp)
    post(c, f"/layanan/templat/{reply.id}", {"title": "Diterima (baku)",
                                             "body": "{nama} / {nomor} / {petugas}"})
    assert fresh(reply).title == "Diterima (baku)"

    ticket = make_request()
    got = c.get(f"/layanan/tiket/{ticket.number}/templat/{reply.id}")
    assert got.status_code == 200
    assert json.loads(got.data) == {
        "text": f"Siti Rahmawati / {ticket.number} / Dewi Layanan"}
    page = html(c.get(f"/layanan/tiket/{ticket.number}"))
    assert "Diterima (baku)" in page  # offered in the reply box
    # Without JavaScript the picker reloads the page with the text in the box.
    page = html(c.get(f"/layanan/tiket/{ticket.number}?templat={reply.id}"))
    assert f">Siti Rahmawati / {ticket.number} / Dewi Layanan</textarea>" in page
    assert c.get(f"/layanan/tiket/{ticket.number}/templat/999").status_code == 404

    post(c, f"/layanan/templat/{reply.id}/hapus")
    assert CannedReply.query.count() == 0


def test_placeholders_left_unknown_stay_as_written(desk, post):
    user, c = desk
    post(c, "/layanan/templat", {"title": "Uji", "body": "{judul} {lain}"})
    reply = CannedReply.query.one()
    ticket = make_request()
    got = c.get(f"/layanan/tiket/{ticket.number}/templat/{reply.id}")
    assert json.loads(got.data)["text"] == f"{ticket.subject} {{lain}}"


def test_a_knowledge_base_article_can_be_cited(desk):
    kb = pytest.importorskip("app.kb.actions")
    if not hasattr(kb, "article_cite"):
        pytest.skip("knowledge base without citations")
    user, c = desk
    article = kb.article_create(user, {
        "title": "Cara meminta data terbatas",
        "body": "Data terbatas diberikan setelah persetujuan walidata kepada pemohon."})
    kb.article_publish(user, article.id)
    ticket = make_request()
    page = html(c.get(f"/layanan/tiket/{ticket.number}?kb=data+terbatas"))
    assert f"kutip={article.id}" in page
    page = html(c.get(f"/layanan/tiket/{ticket.number}?kutip={article.id}"))
    box = page[page.index('id="reply-body"'):]
    assert "Cara meminta data terbatas" in box[:box.index("</textarea>")]


# ---------------------------------------------------------------- walk-in and phone

def test_staff_enter_a_walk_in_request(desk, post):
    user, c = desk
    assert c.get("/layanan/baru").status_code == 200
    data = request_data(channel="walk_in", email="", phone="0227654321")
    data.pop("consent")
    resp = post(c, "/layanan/baru", data)
    assert resp.status_code == 422
    page = html(resp)
    assert "pemberitahuan privasi" in page and 'value="0227654321"' in page
    assert Ticket.query.count() == 0

    resp = post(c, "/layanan/baru", dict(data, consent="1", submission_key="k-1"))
    assert resp.status_code == 302
    ticket = Ticket.query.one()
    assert resp.headers["Location"].endswith(f"/layanan/tiket/{ticket.number}")
    assert ticket.channel == "walk_in" and ticket.requester_id is None
    assert ticket.requester_name == "Siti Rahmawati" and ticket.nik_masked
    page = html(c.get(f"/layanan/tiket/{ticket.number}"))
    assert "Datang langsung" in page and "tanda-terima.pdf" in page
    # The same form sent twice (a double click) is one ticket.
    post(c, "/layanan/baru", dict(data, consent="1", submission_key="k-1"))
    assert Ticket.query.count() == 1


def test_a_walk_in_with_a_bad_nik_keeps_the_input(desk, post):
    user, c = desk
    resp = post(c, "/layanan/baru", request_data(channel="phone", nik="1234"))
    assert resp.status_code == 422
    assert "16 angka" in html(resp) and "Data jumlah sekolah per kecamatan" in html(resp)
    assert Ticket.query.count() == 0


def test_a_walk_in_identity_document_is_shown_to_staff(desk, post):
    user, c = desk
    name, stream = pdf_file("akta.pdf")
    data = request_data(channel="email", identity_kind="badan", nik="",
                        requester_name="CV Maju Jaya")
    resp = post(c, "/layanan/baru", dict(data, identity_file=(stream, name)))
    assert resp.status_code == 302
    ticket = Ticket.query.one()
    att = ticket.attachments[0]
    assert att.visibility == "identity"
    page = html(c.get(f"/layanan/tiket/{ticket.number}"))
    assert "Dokumen identitas" in page and "akta.pdf" in page
    got = c.get(f"/layanan/tiket/{ticket.number}/lampiran/{att.id}")
    assert got.status_code == 200 and got.data == pdf_file()[1].getvalue()


# ---------------------------------------------------------------- history

def test_history_shows_who_did_what(desk, post):
    user, c = desk
    ticket = make_request()
    post(c, f"/layanan/tiket/{ticket.number}/ubah", {"priority": "high", "tags": "",
                                                     "public": "1"})
    page = html(c.get(f"/layanan/tiket/{ticket.number}"))
    history = page[page.index('id="riwayat"'):]
    assert "Diubah" in history and user.email in history
    assert "Biasa &rarr; Tinggi" in history
    assert "Diterima" in history

