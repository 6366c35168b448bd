"""The citizen's pages of the help desk: the request form, the receipt, the status check,
my requests, the ticket page with reply, withdraw, objection and survey.

Forms are posted as a browser posts them: the page is fetched first, and its CSRF token
and submission key go back with the form.
"""
import io
import json
import re
from datetime import timedelta

import pytest

from app.core.audit import AuditLog
from app.extensions import db
from app.tickets import actions
from app.tickets.models import State, SurveyResponse, Ticket, TicketAttachment, TicketMessage
from app.workdays import calendar as workdays
from tests.conftest import CSRF_RE
from tests.factories import make_producer, make_published, make_walidata, row_counts
from tests.factories import storage_files as stored_files
from tests.pdftext import pdf_pages, squeeze
from tests.tickets.factories import (
    NIK,
    make_helpdesk,
    make_request,
    make_requester,
    pdf_file,
    request_data,
)

FORM = "/permohonan/baru"
KEY_RE = re.compile(r'name="submission_key" value="([^"]*)"')
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember")
SURVEY = {f"e{i}": "3" for i in range(1, 10)}


def upload(name):
    """A small PDF as the test client uploads it: (stream, filename)."""
    filename, stream = pdf_file(name)
    return stream, filename


def indonesian(day):
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def page_form(client, url=FORM):
    """(html, csrf token, submission key or None) of a form page as the browser gets it."""
    resp = client.get(url)
    assert resp.status_code == 200, resp.status_code
    html = resp.get_data(as_text=True)
    key = KEY_RE.search(html)
    return html, CSRF_RE.search(html).group(1), key.group(1) if key else None


def submit(client, files=None, **overrides):
    """Fetch the form, fill it in like the factory's valid request, post it."""
    _html, token, key = page_form(client)
    data = {**request_data(), "submission_key": key, "csrf_token": token, **overrides}
    data = {k: v for k, v in data.items() if v is not None}
    if files:
        data.update(files)
    return client.post(FORM, data=data, content_type="multipart/form-data")


def post(client, url, data=None, page=None, files=None):
    """POST with the token of `page` (default: the URL's own ticket page)."""
    token = CSRF_RE.search(client.get(page or "/permohonan-saya").get_data(as_text=True))
    body = {**(data or {}), "csrf_token": token.group(1)}
    if files:
        body.update(files)
    return client.post(url, data=body, content_type="multipart/form-data")


def reload(ticket):
    db.session.rollback()
    db.session.expire_all()
    return db.session.get(Ticket, ticket.id)


def answered(requester=None, **overrides):
    """A data request answered as fulfilled by the help desk."""
    helpdesk = make_helpdesk()
    ticket = make_request(requester, **overrides)
    actions.ticket_answer(helpdesk, ticket.number, {
        "outcome": "fulfilled", "answer": "Data terlampir dalam tautan dataset."})
    return ticket


@pytest.fixture(autouse=True)
def _regions(reference):
    """NIKs are checked against the region table."""


@pytest.fixture
def citizen(client_for):
    user = make_requester(name="Siti Rahmawati", email="siti@example.com")
    return user, client_for(user)


# ---------------------------------------------------------------- the form

def test_anonymous_visitor_is_sent_to_login_with_a_way_to_register(client):
    resp = client.get(FORM + "?jenis=question")
    assert resp.status_code == 302
    location = resp.headers["Location"]
    assert location.startswith("/masuk?next=")
    html = client.get(location).get_data(as_text=True)
    assert 'href="/daftar?next=' in html and "jenis%3Dquestion" in html


def test_form_is_prefilled_and_carries_privacy_notice_and_a_fresh_key(citizen):
    user, client = citizen
    html, _token, key = page_form(client)
    assert 'value="Siti Rahmawati"' in html and 'value="siti@example.com"' in html
    assert 'inputmode="numeric"' in html and 'name="identity_file"' in html
    assert "Undang-Undang Nomor 27 Tahun 2022" in html and "Hak Anda" in html
    assert 'name="consent"' in html
    assert key and len(key) >= 20
    assert page_form(client)[2] != key  # each rendering is a new submission


def test_kind_from_the_query_drops_the_request_only_fields(citizen):
    _user, client = citizen
    html = client.get(FORM + "?jenis=question").get_data(as_text=True)
    assert 'name="kind" value="question"' in html
    assert 'name="nik"' not in html and 'name="purpose"' not in html
    assert 'name="kind" value="data_request"' in client.get(FORM + "?jenis=bogus").get_data(
        as_text=True)


def test_linked_dataset_is_prefilled_with_its_title(citizen, reference):
    _user, client = citizen
    ds = make_published(make_producer(), make_walidata(), title="Angka Partisipasi Sekolah")
    html = client.get(f"{FORM}?dataset={ds.name}").get_data(as_text=True)
    assert "Angka Partisipasi Sekolah" in html
    assert f'name="dataset_ids" value="{ds.name}"' in html
    resp = submit(client, dataset_ids=ds.name)
    assert resp.status_code == 302
    assert [d.name for d in Ticket.query.one().datasets] == [ds.name]


def test_full_flow_registers_the_request_and_confirms_it(citizen, storage_dir):
    user, client = citizen
    resp = submit(client, files={"attachments": [upload("surat-pengantar.pdf")]})
    assert resp.status_code == 302
    ticket = Ticket.query.one()
    assert resp.headers["Location"] == f"/permohonan/{ticket.number}/terkirim"
    assert ticket.requester_id == user.id and ticket.channel == "web"
    assert re.fullmatch(r"PD-\d{4}-000001", ticket.number)
    assert ticket.nik_masked and NIK not in (ticket.nik_encrypted or "")
    assert ticket.consent_at is not None
    assert [a.filename for a in ticket.attachments] == ["surat-pengantar.pdf"]

    html = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert ticket.number in html and ticket.check_code in html
    assert indonesian(ticket.due_on) in html
    assert f"/permohonan/{ticket.number}/tanda-terima.pdf" in html


def test_legal_entity_files_its_deed_instead_of_a_nik(citizen):
    _user, client = citizen
    resp = submit(client, identity_kind="badan", nik="",
                  files={"identity_file": upload("akta-pendirian.pdf")})
    assert resp.status_code == 302
    ticket = Ticket.query.one()
    assert ticket.identity_kind == "badan" and ticket.nik_encrypted is None
    assert [(a.filename, a.visibility) for a in ticket.attachments] == [
        ("akta-pendirian.pdf", "identity")]
    html = client.get(f"/permohonan/{ticket.number}").get_data(as_text=True)
    assert "akta-pendirian.pdf" in html and "dokumen identitas" in html


def test_double_submit_with_the_same_key_gives_one_ticket(citizen):
    _user, client = citizen
    _html, token, key = page_form(client)
    data = {**request_data(), "submission_key": key, "csrf_token": token}
    first = client.post(FORM, data=data)
    second = client.post(FORM, data=data)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert Ticket.query.count() == 1


def _oversized():
    return {"attachments": [(io.BytesIO(b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10)),
                             "besar.pdf")]}


def _disguised():
    return {"attachments": [(io.BytesIO(b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200),
                             "laporan.pdf")]}


@pytest.mark.parametrize("overrides, files, field_message", [
    ({"nik": "3273014506900"}, None, "NIK harus terdiri atas 16 angka."),
    ({"nik": "9999994506900001"}, None, "tidak ada dalam daftar kecamatan"),
    ({"consent": None}, None, "Anda perlu menyetujui pemberitahuan privasi"),
    ({"body": ""}, None, "Wajib diisi."),
    ({"purpose": "", "delivery": ""}, None, "Wajib diisi untuk permohonan informasi."),
    ({}, _oversized, "terlalu besar"),
    ({}, _disguised, "Isi berkas tidak sesuai dengan ekstensinya"),
    ({"identity_kind": "badan", "nik": ""}, None, "Lampirkan dokumen badan hukum"),
])
def test_invalid_input_keeps_what_was_typed_and_changes_nothing(
        citizen, app, monkeypatch, storage_dir, reference, overrides, files, field_message):
    monkeypatch.setitem(app.config, "TICKET_ATTACHMENT_MAX_MB", 1)
    _user, client = citizen
    before, files_before = row_counts(), stored_files(storage_dir)
    subject = "Data stunting balita per desa 2025"
    resp = submit(client, files=files() if files else None, subject=subject, **overrides)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert field_message in html
    assert 'class="field-error"' in html  # beside its field, not only at the top
    assert f'value="{subject}"' in html
    assert "Jl. Setiabudi No. 10, Bandung" in html or overrides.get("identity_kind") != "nik"
    assert KEY_RE.search(html).group(1)  # the same form can be sent again
    assert row_counts() == before
    assert stored_files(storage_dir) == files_before


def test_forged_post_without_csrf_is_refused(citizen):
    _user, client = citizen
    _html, _token, key = page_form(client)
    resp = client.post(FORM, data={**request_data(), "submission_key": key})
    assert resp.status_code == 400
    assert Ticket.query.count() == 0


# ---------------------------------------------------------------- suggestions

def test_suggestions_show_answered_public_requests_and_datasets_without_personal_data(
        client, reference):
    make_published(make_producer(), make_walidata(), title="Jumlah Sekolah Dasar per Kecamatan")
    owner = make_requester(name="Budi Santoso", email="budi@example.com")
    done = answered(owner, subject="Jumlah sekolah dasar Kota Bandung",
                    body="Mohon rincian sekolah dasar negeri dan swasta.",
                    phone="081299990000", requester_name="Budi Santoso",
                    email="budi@example.com")
    hidden = answered(subject="Jumlah sekolah dasar swasta")
    hidden.public = False
    make_request(subject="Sekolah dasar yang belum dijawab")  # still open: not a suggestion
    db.session.commit()

    resp = client.get("/permohonan/saran.json?q=sekolah dasar")
    assert resp.status_code == 200
    data = resp.get_json()
    assert [r["number"] for r in data["requests"]] == [done.number]
    assert data["requests"][0]["subject"] == "Jumlah sekolah dasar Kota Bandung"
    assert [d["title"] for d in data["datasets"]] == ["Jumlah Sekolah Dasar per Kecamatan"]
    text = json.dumps(data)
    for personal in ("Budi", "budi@example.com", "081299990000", NIK, done.nik_masked,
                     "rincian sekolah", done.check_code, "Setiabudi"):
        assert personal not in text, personal
    assert data["requests"][0]["url"] == (
        f"/register-permohonan?q={done.number}#{done.number}")
    # Words only in a requester's message are not public: they find nothing.
    assert client.get("/permohonan/saran.json?q=rincian negeri swasta").get_json()[
        "requests"] == []
    assert client.get("/permohonan/saran.json?q=ab").get_json()["requests"] == []


def test_form_shown_again_lists_suggestions_without_javascript(citizen, reference):
    _user, client = citizen
    answered(subject="Jumlah sekolah dasar Kota Bandung")
    resp = submit(client, subject="sekolah dasar", consent=None)
    assert resp.status_code == 422
    assert "Permohonan serupa yang sudah dijawab" in resp.get_data(as_text=True)


# ---------------------------------------------------------------- receipt and status check

def test_receipt_pdf_has_number_code_and_status_url(citizen, client_for):
    user, client = citizen
    ticket = make_request(user)
    resp = client.get(f"/permohonan/{ticket.number}/tanda-terima.pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    assert "no-store" in resp.headers["Cache-Control"]
    text = squeeze(" ".join(pdf_pages(resp.data)))
    for expected in (ticket.number, ticket.check_code, ticket.nik_masked, "SitiRahmawati",
                     squeeze(indonesian(ticket.due_on)), "/cek-status?nomor=" + ticket.number):
        assert squeeze(expected) in text, expected
    assert NIK not in text

    other = client_for(make_requester())
    assert other.get(f"/permohonan/{ticket.number}/tanda-terima.pdf").status_code == 404
    staff = client_for(make_helpdesk())
    assert staff.get(f"/permohonan/{ticket.number}/tanda-terima.pdf").status_code == 200


def _check(client, number, code):
    token = CSRF_RE.search(client.get("/cek-status").get_data(as_text=True)).group(1)
    return client.post("/cek-status", data={"nomor": number, "kode": code,
                                            "csrf_token": token})


def test_status_check_with_the_right_code_shows_no_personal_data(client):
    ticket = make_request(make_requester(name="Siti Rahmawati"))
    actions.ticket_clarify(make_helpdesk(), ticket.number,
                           {"body": "Rahasia klarifikasi: tahun berapa?"})
    resp = _check(client, ticket.number.lower(), ticket.check_code.lower())
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert ticket.number in html and "Menunggu klarifikasi pemohon" in html
    assert "Petugas meminta klarifikasi" in html  # the step, without its text
    assert indonesian(ticket.due_on) in html
    for personal in ("Siti", ticket.nik_masked, "siti@example.com", "081234567890",
                     ticket.subject, "Rahasia klarifikasi", "Setiabudi"):
        assert personal not in html, personal


def test_status_check_says_the_same_for_a_wrong_code_and_an_unknown_number(client):
    ticket = make_request()
    wrong = _check(client, ticket.number, "AAAAAAAA")
    unknown = _check(client, "PD-2026-999999", ticket.check_code)
    message = "Nomor registrasi atau kode cek tidak cocok."
    assert wrong.status_code == unknown.status_code == 404
    assert message in wrong.get_data(as_text=True) and message in unknown.get_data(as_text=True)
    assert ticket.subject not in wrong.get_data(as_text=True)
    assert "Riwayat" not in wrong.get_data(as_text=True)


def test_status_check_is_rate_limited(app_factory):
    limited = app_factory(TICKET_STATUS_RATE_LIMIT="3 per minute")
    ticket = make_request()
    client = limited.test_client()
    for _ in range(3):
        assert _check(client, ticket.number, "AAAAAAAA").status_code == 404
    resp = _check(client, ticket.number, ticket.check_code)  # even the right code now waits
    assert resp.status_code == 429
    assert client.get("/cek-status").status_code == 200


# ---------------------------------------------------------------- someone else's ticket

def _other_urls(number, attachment_id):
    base = f"/permohonan/{number}"
    gets = [base, base + "/terkirim", base + "/tanda-terima.pdf",
            f"{base}/lampiran/{attachment_id}", base + "/keberatan", base + "/survei"]
    posts = [(base + "/balas", {"body": "Saya bukan pemohonnya."}),
             (base + "/batalkan", {"confirm": "1"}),
             (base + "/keberatan", {"grounds": "refused", "body": "Keberatan palsu."}),
             (base + "/survei", {**SURVEY})]
    return gets, posts


@pytest.mark.parametrize("state", ["open", "answered"])
def test_another_citizen_gets_404_everywhere_and_changes_nothing(client_for, state):
    owner = make_requester()
    ticket = (answered if state == "answered" else make_request)(owner, files=[pdf_file()])
    attachment = TicketAttachment.query.filter_by(ticket_id=ticket.id).first()
    intruder = client_for(make_requester())
    gets, posts = _other_urls(ticket.number, attachment.id)
    for url in gets:
        assert intruder.get(url).status_code == 404, url
    before = row_counts()
    for url, data in posts:
        assert post(intruder, url, data).status_code == 404, url
    assert row_counts() == before
    assert reload(ticket).status == (State.FULFILLED if state == "answered" else State.RECEIVED)


def test_anonymous_visitor_is_sent_to_login_from_every_ticket_url(client):
    ticket = make_request(files=[pdf_file()])
    gets, _posts = _other_urls(ticket.number, ticket.attachments[0].id)
    for url in gets + ["/permohonan-saya"]:
        resp = client.get(url)
        assert resp.status_code == 302 and resp.headers["Location"].startswith("/masuk"), url


# ---------------------------------------------------------------- my requests and the ticket

def test_my_requests_lists_only_my_own_and_flags_what_needs_me(citizen):
    user, client = citizen
    mine = make_request(user, subject="Data curah hujan harian")
    waiting = make_request(user, subject="Data kualitas udara")
    actions.ticket_clarify(make_helpdesk(), waiting.number, {"body": "Lokasi stasiun mana?"})
    others = make_request(subject="Data rahasia orang lain")
    html = client.get("/permohonan-saya").get_data(as_text=True)
    assert mine.number in html and waiting.number in html
    assert others.number not in html and "Data rahasia orang lain" not in html
    assert "needs-action" in html and "Petugas meminta klarifikasi" in html


def test_ticket_page_shows_status_details_and_downloads(citizen):
    user, client = citizen
    ticket = make_request(user, files=[pdf_file("ktp-scan.pdf")])
    html = client.get(f"/permohonan/{ticket.number}").get_data(as_text=True)
    assert ticket.subject in html and "Diterima" in html and ticket.nik_masked in html
    assert NIK not in html
    assert "Permohonan diterima dan didaftarkan" in html  # the timeline
    att = ticket.attachments[0]
    resp = client.get(f"/permohonan/{ticket.number}/lampiran/{att.id}")
    assert resp.status_code == 200 and resp.data.startswith(b"%PDF-")
    assert "attachment" in resp.headers["Content-Disposition"]
    assert "ktp-scan.pdf" in resp.headers["Content-Disposition"]
    # An attachment reached through another ticket's number is not found.
    second = make_request(user, subject="Permohonan kedua")
    assert client.get(f"/permohonan/{second.number}/lampiran/{att.id}").status_code == 404


def test_reply_to_a_clarification_resumes_the_clock(citizen):
    user, client = citizen
    ticket = make_request(user)
    helpdesk = make_helpdesk()
    actions.ticket_clarify(helpdesk, ticket.number, {"body": "Untuk tahun berapa datanya?"})
    # The question was asked three calendar days ago: the wait is given back to the clock.
    ticket = reload(ticket)
    ticket.paused_on = ticket.paused_on - timedelta(days=3)
    paused_on, due_before = ticket.paused_on, ticket.due_on
    db.session.commit()
    waited = workdays.calendar().working_days_between(paused_on, ticket.received_on)

    html = client.get(f"/permohonan/{ticket.number}").get_data(as_text=True)
    assert "Petugas meminta klarifikasi" in html and "Untuk tahun berapa datanya?" in html
    assert "Jawab klarifikasi" in html

    resp = post(client, f"/permohonan/{ticket.number}/balas",
                {"body": "Tahun 2024 dan 2025."}, page=f"/permohonan/{ticket.number}",
                files={"attachments": [upload("rincian.pdf")]})
    assert resp.status_code == 302
    ticket = reload(ticket)
    assert ticket.status == State.IN_PROGRESS and ticket.paused_on is None
    assert ticket.due_on == workdays.calendar().add_working_days(due_before, waited)
    assert ticket.paused_days == waited
    msg = TicketMessage.query.filter_by(ticket_id=ticket.id, kind="requester").one()
    assert msg.body == "Tahun 2024 dan 2025." and [a.filename for a in msg.attachments] == [
        "rincian.pdf"]
    html = client.get(f"/permohonan/{ticket.number}").get_data(as_text=True)
    assert "Tahun 2024 dan 2025." in html and "rincian.pdf" in html
    assert "Proses dilanjutkan" in html


def test_empty_reply_keeps_the_page_and_changes_nothing(citizen):
    user, client = citizen
    ticket = make_request(user)
    before = row_counts()
    resp = post(client, f"/permohonan/{ticket.number}/balas", {"body": "  "},
                page=f"/permohonan/{ticket.number}")
    assert resp.status_code == 422 and "Wajib diisi." in resp.get_data(as_text=True)
    assert row_counts() == before


def test_withdraw_needs_confirmation_then_closes_the_ticket(citizen):
    user, client = citizen
    ticket = make_request(user)
    page = f"/permohonan/{ticket.number}"
    assert "Batalkan permohonan" in client.get(page).get_data(as_text=True)
    resp = post(client, page + "/batalkan", {"reason": "Sudah dapat datanya."}, page=page)
    assert resp.status_code == 302 and reload(ticket).status == State.RECEIVED
    resp = post(client, page + "/batalkan", {"confirm": "1", "reason": "Sudah dapat."},
                page=page)
    assert resp.status_code == 302 and reload(ticket).status == State.WITHDRAWN
    html = client.get(page).get_data(as_text=True)
    assert "Dibatalkan pemohon" in html and 'id="balas"' not in html
    # A second withdraw is an illegal transition: told, nothing changes.
    before = row_counts()
    resp = post(client, page + "/batalkan", {"confirm": "1"}, page=page)
    assert resp.status_code == 302 and row_counts() == before


def test_objection_only_inside_its_window(citizen):
    user, client = citizen
    fresh = make_request(user)
    page = f"/permohonan/{fresh.number}"
    assert "Ajukan keberatan" not in client.get(page).get_data(as_text=True)
    assert client.get(page + "/keberatan").status_code == 302
    before = row_counts()
    assert post(client, page + "/keberatan", {"grounds": "refused", "body": "x"},
                page=page).status_code == 302
    assert row_counts() == before and reload(fresh).status == State.RECEIVED

    done = answered(user, subject="Data yang dijawab")
    page = f"/permohonan/{done.number}"
    assert "Ajukan keberatan" in client.get(page).get_data(as_text=True)
    form = client.get(page + "/keberatan").get_data(as_text=True)
    assert "Biaya yang dikenakan tidak wajar" in form
    resp = post(client, page + "/keberatan", {"body": "Tidak sesuai."}, page=page)
    assert resp.status_code == 422 and "Pilih minimal satu alasan." in resp.get_data(
        as_text=True)
    resp = post(client, page + "/keberatan",
                {"grounds": ["answered_differently", "late"], "body": "Tidak sesuai."},
                page=page)
    objection = Ticket.query.filter_by(kind="objection").one()
    assert resp.headers["Location"] == f"/permohonan/{objection.number}/terkirim"
    assert objection.requester_id == user.id and reload(done).status == State.OBJECTION
    html = client.get(page).get_data(as_text=True)
    assert "Ajukan keberatan" not in html and objection.number in html


def test_objection_window_closes_30_working_days_after_the_answer(citizen):
    user, client = citizen
    done = answered(user)
    done = reload(done)
    done.answered_on = done.answered_on - timedelta(days=80)
    db.session.commit()
    page = f"/permohonan/{done.number}"
    assert "Ajukan keberatan" not in client.get(page).get_data(as_text=True)
    assert client.get(page + "/keberatan").status_code == 302


def test_survey_once_after_the_answer(citizen):
    user, client = citizen
    ticket = make_request(user)
    page = f"/permohonan/{ticket.number}"
    assert client.get(page + "/survei").status_code == 302  # not answered yet
    actions.ticket_answer(make_helpdesk(), ticket.number,
                          {"outcome": "fulfilled", "answer": "Terlampir."})
    assert "Isi survei" in client.get(page).get_data(as_text=True)
    assert "Isi survei kepuasan" in client.get("/permohonan-saya").get_data(as_text=True)
    form = client.get(page + "/survei").get_data(as_text=True)
    assert "Sangat kompeten" in form and form.count('type="radio"') == 36

    partial = {k: v for k, v in SURVEY.items() if k != "e9"}
    resp = post(client, page + "/survei", partial, page=page)
    assert resp.status_code == 422 and SurveyResponse.query.count() == 0
    assert 'value="3" required checked' in resp.get_data(as_text=True)

    resp = post(client, page + "/survei", {**SURVEY, "e1": "4", "comment": "Cepat."},
                page=page)
    assert resp.status_code == 302
    survey = SurveyResponse.query.one()
    assert (survey.e1, survey.e9, survey.comment) == (4, 3, "Cepat.")
    assert "Isi survei" not in client.get(page).get_data(as_text=True)

    assert client.get(page + "/survei").status_code == 302
    resp = post(client, page + "/survei", SURVEY, page=page)
    assert resp.status_code == 302 and SurveyResponse.query.count() == 1
    assert "sudah diisi" in client.get(page).get_data(as_text=True)
    assert AuditLog.query.filter_by(action="ticket.survey_submitted").count() == 1


def test_staff_opening_the_requester_page_go_to_their_own_page(client_for):
    ticket = make_request()
    staff = client_for(make_helpdesk())
    resp = staff.get(f"/permohonan/{ticket.number}")
    assert resp.status_code == 302
    assert resp.headers["Location"] == f"/layanan/tiket/{ticket.number}"
