"""The public register (no personal data), the legal register exports, the yearly figures and
the IKM figures, through the real pages and actions."""
import csv
import io
import re
from datetime import date, datetime

import openpyxl
import pytest

from app.catalog.models import Dataset
from app.core.actor import SYSTEM
from app.core.audit import AuditLog
from app.core.errors import NotAuthorized, ValidationError
from app.extensions import db
from app.tickets import actions, register
from app.tickets.identity import mask_nik
from app.tickets.models import State, SurveyResponse, Ticket
from app.workdays import calendar as workdays
from tests.factories import make_org, make_producer, make_published, make_walidata
from tests.pdftext import Pdf, pdf_pages, squeeze
from tests.tickets.factories import (
    NIK,
    make_atasan,
    make_helpdesk,
    make_ppid,
    make_request,
    make_requester,
    request_data,
)

# Identity that must never reach a public page: each is distinctive enough to grep for.
NAME = "Wiratmaja Sukmadilaga"
EMAIL = "wiratmaja.unik@example.com"
PHONE = "089977665544"
ADDRESS = "Jl. Rahasia Nomor 77"
BODY_WORD = "Zulkarnaenisme"  # only in the requester's message
IDENTITY = {"requester_name": NAME, "email": EMAIL, "phone": PHONE, "address": ADDRESS}


@pytest.fixture(autouse=True)
def _regions(reference):
    """A NIK is checked against the region table."""


def answer(ticket, staff, outcome=State.FULFILLED, text="Berikut datanya.", **extra):
    return actions.ticket_answer(staff, ticket.number,
                                 {"outcome": outcome, "answer": text, **extra})


def answered_request(staff=None, **overrides):
    data = {**IDENTITY, "subject": "Data jumlah sekolah dasar per kecamatan",
            "body": f"Saya {NAME} ({BODY_WORD}) membutuhkan data sekolah untuk penelitian."}
    data.update(overrides)
    outcome = data.pop("outcome", State.FULFILLED)
    text = data.pop("answer", "Data sekolah dasar terlampir dalam dataset.")
    extra = {k: data.pop(k) for k in ("exemption", "redirect_agency") if k in data}
    ticket = make_request(**data)
    return answer(ticket, staff or make_ppid(), outcome, text, **extra)


def set_dates(ticket, **dates):
    row = db.session.get(Ticket, ticket.id)
    for name, value in dates.items():
        setattr(row, name, value)
    db.session.commit()
    return row


# ---------------------------------------------------------------- the public register

def test_register_shows_answers_and_no_personal_data(client):
    ppid = make_ppid()
    shown = answered_request(ppid)
    hidden = answered_request(ppid, subject="Data rahasia yang tidak untuk register")
    actions.ticket_update(ppid, hidden.number, {"public": "0"})
    still_open = make_request(subject="Permohonan yang belum dijawab", **IDENTITY)

    html = client.get("/register-permohonan").get_data(as_text=True)

    assert shown.number in html
    assert "Data jumlah sekolah dasar per kecamatan" in html
    assert "Data sekolah dasar terlampir dalam dataset." in html
    assert hidden.number not in html and "tidak untuk register" not in html
    assert still_open.number not in html
    for secret in (NAME, "Wiratmaja", EMAIL, PHONE, ADDRESS, NIK, mask_nik(NIK), BODY_WORD,
                   "penelitian"):
        assert secret not in html, secret


def test_register_search_matches_what_is_shown_not_the_message(client):
    ppid = make_ppid()
    school = answered_request(ppid)
    health = answered_request(ppid, subject="Jumlah puskesmas per kecamatan",
                              answer="Data puskesmas ada di portal.")

    def numbers(query):
        html = client.get("/register-permohonan", query_string=query).get_data(as_text=True)
        return {n for n in (school.number, health.number) if n in html}

    # Stemmed: "persekolahan" finds "sekolah"; every word must match.
    assert numbers({"q": "persekolahan"}) == {school.number}
    assert numbers({"q": "puskesmas kecamatan"}) == {health.number}
    assert numbers({"q": "puskesmas sekolah"}) == set()
    assert numbers({"q": health.number.lower()}) == {health.number}
    assert numbers({"q": "portal"}) == {health.number}  # a word of the answer
    # Words only in the requester's message (here their name) find nothing.
    assert numbers({"q": BODY_WORD}) == set()
    assert numbers({"q": "Wiratmaja"}) == set()
    assert numbers({"q": "  "}) == {school.number, health.number}


def test_register_filters_year_outcome_kind(client):
    ppid = make_ppid()
    old = answered_request(ppid, subject="Data lama tentang pasar")
    set_dates(old, received_on=date(2024, 5, 6), answered_on=date(2024, 5, 10))
    refused = answered_request(ppid, subject="Data tentang pasar yang ditolak",
                               outcome=State.REJECTED, answer="Ditolak.", exemption="17h")
    question = make_request(kind="question", subject="Pertanyaan tentang pasar",
                            body="Kapan data pasar diperbarui?", nik="")
    answer(question, ppid, State.RESOLVED, "Setiap tahun.")

    def numbers(**query):
        html = client.get("/register-permohonan", query_string=query).get_data(as_text=True)
        return {t.number for t in (old, refused, question) if t.number in html}

    this_year = refused.received_on.year
    assert numbers() == {old.number, refused.number, question.number}
    assert numbers(year=2024) == {old.number}
    assert numbers(year=this_year) == {refused.number, question.number}
    assert numbers(outcome="rejected") == {refused.number}
    assert numbers(kind="question") == {question.number}
    assert numbers(kind="data_request", year=this_year) == {refused.number}
    # A bad filter is dropped, not an error.
    assert numbers(year="dua ribu", outcome="bogus") == {old.number, refused.number,
                                                         question.number}
    html = client.get("/register-permohonan").get_data(as_text=True)
    assert "Ditolak" in html and '<option value="2024"' in html


def test_register_days_taken_and_paging(client):
    ppid = make_ppid()
    first = answered_request(ppid, subject="Data pertama")
    # Mon 2 Feb 2026 -> Fri 13 Feb 2026: 9 working days, minus 2 waiting for the requester.
    set_dates(first, received_on=date(2026, 2, 2), answered_on=date(2026, 2, 13), paused_days=2)
    entry = register.public_entry(db.session.get(Ticket, first.id), workdays.calendar())
    assert entry.days_taken == 7
    assert "7 hari kerja" in client.get("/register-permohonan").get_data(as_text=True)

    for n in range(register.PAGE_SIZE):
        answered_request(ppid, subject=f"Data berikutnya {n}")
    page_1 = client.get("/register-permohonan").get_data(as_text=True)
    page_2 = client.get("/register-permohonan?page=2").get_data(as_text=True)
    assert "Halaman 1 dari 2" in page_1
    assert first.number in page_2 and first.number not in page_1  # oldest answer last


def test_register_links_only_public_datasets(client):
    producer, walidata = make_producer(), make_walidata()
    open_ds = make_published(producer, walidata, title="Sekolah Dasar Terbuka")
    closed = make_published(producer, walidata, title="Data Tertutup Sekali", access="tertutup")
    ticket = answered_request(make_ppid())
    row = db.session.get(Ticket, ticket.id)
    row.datasets = [db.session.get(Dataset, open_ds.id), db.session.get(Dataset, closed.id)]
    db.session.commit()

    html = client.get("/register-permohonan").get_data(as_text=True)
    assert f'href="/dataset/{open_ds.name}"' in html and "Sekolah Dasar Terbuka" in html
    assert "Data Tertutup Sekali" not in html


def test_register_shows_the_answer_of_a_request_under_objection(client):
    requester, ppid = make_requester(), make_ppid()
    ticket = make_request(requester)
    answer(ticket, ppid, State.REJECTED, "Informasi dikecualikan.", exemption="17h")
    actions.objection_file(requester, ticket.number, {"grounds": ["refused"],
                                                       "body": "Saya keberatan."})
    page = actions.register_public(SYSTEM, {})
    (entry,) = page.items
    assert entry.number == ticket.number
    assert entry.status == State.REJECTED and entry.objection == State.OBJECTION
    html = client.get("/register-permohonan").get_data(as_text=True)
    assert "Dalam keberatan" in html and "Saya keberatan." not in html


def test_register_headline_ikm_of_the_last_twelve_months(client):
    requester, ppid = make_requester(), make_ppid()
    ticket = make_request(requester)
    answer(ticket, ppid)
    actions.survey_submit(requester, ticket.number, {f"e{i}": 4 for i in range(1, 10)})
    html = client.get("/register-permohonan").get_data(as_text=True)
    assert "100,00" in html and "Mutu A" in html and "1 responden" in html


# ---------------------------------------------------------------- the legal register

@pytest.mark.parametrize("fmt", ["csv", "xlsx", "pdf"])
def test_register_export_is_for_readers_only(client_for, fmt):
    answered_request()
    url = f"/layanan/register.{fmt}?tahun=2026"
    anonymous = client_for().get(url)
    assert anonymous.status_code == 302 and "/masuk" in anonymous.headers["Location"]
    assert client_for(make_requester()).get(url).status_code == 403
    assert client_for(make_walidata()).get(url).status_code == 403
    assert client_for(make_atasan()).get(url).status_code == 200
    with pytest.raises(NotAuthorized):
        actions.register_export(make_requester(), 2026, fmt)


def _register_tickets():
    """Two requests of 2026 (one answered, one refused) with formula-like input, one of 2025,
    and a question (not a request: not in the register)."""
    ppid = make_ppid()
    evil = answered_request(ppid, requester_name="=HYPERLINK(\"http://x\")", subject="@SUM(A1)",
                            body="+tambah data", purpose="-kurangi")
    refused = answered_request(ppid, subject="Data kepegawaian", outcome=State.REJECTED,
                               answer="Ditolak.", exemption="17h")
    set_dates(evil, received_on=date(2026, 1, 5), answered_on=date(2026, 1, 9))
    set_dates(refused, received_on=date(2026, 2, 2), answered_on=date(2026, 2, 4))
    other_year = answered_request(ppid, subject="Data tahun lalu")
    set_dates(other_year, received_on=date(2025, 12, 30))
    question = make_request(kind="question", subject="Pertanyaan saja", nik="")
    set_dates(question, received_on=date(2026, 3, 2))
    return evil, refused


def test_register_csv_rows_and_formula_neutralisation(client_for):
    evil, refused = _register_tickets()
    resp = client_for(make_ppid()).get("/layanan/register.csv?tahun=2026")
    assert resp.status_code == 200
    assert resp.headers["Content-Type"].startswith("text/csv")
    assert "register-permohonan-informasi-2026.csv" in resp.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(resp.data.decode("utf-8-sig"))))
    assert rows[0] == ["No.", "Nomor registrasi", "Tanggal permohonan", "Nama pemohon",
                       "Kontak", "Informasi yang diminta", "Tujuan penggunaan", "Keputusan",
                       "Alasan", "Tanggal jawaban"]
    assert [r[1] for r in rows[1:]] == [evil.number, refused.number]
    first, second = rows[1], rows[2]
    assert first[2] == "2026-01-05" and first[9] == "2026-01-09"
    assert first[3] == "'=HYPERLINK(\"http://x\")"
    assert first[4] == f"{EMAIL}; {PHONE}"
    assert first[5].startswith("'@SUM(A1)") and "+tambah data" in first[5]
    assert first[6] == "'-kurangi"
    assert first[7] == "Dipenuhi"
    assert second[7] == "Ditolak" and second[8].startswith("Pasal 17 huruf h")
    assert AuditLog.query.filter_by(action="tickets.register_exported").count() == 1


def test_register_xlsx_rows(client_for):
    evil, refused = _register_tickets()
    resp = client_for(make_ppid()).get("/layanan/register.xlsx?tahun=2026")
    ws = openpyxl.load_workbook(io.BytesIO(resp.data)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][1] == "Nomor registrasi" and len(rows) == 3
    assert rows[1][1] == evil.number and rows[1][3] == "'=HYPERLINK(\"http://x\")"
    assert rows[1][2] == datetime(2026, 1, 5)  # a real date, not text
    assert rows[2][1] == refused.number and rows[2][7] == "Ditolak"


def test_register_pdf_is_landscape_with_every_row(client_for):
    evil, refused = _register_tickets()
    resp = client_for(make_ppid()).get("/layanan/register.pdf?tahun=2026")
    assert resp.headers["Content-Type"] == "application/pdf"
    text = squeeze("".join(pdf_pages(resp.data)))
    for needle in (evil.number, refused.number, "RegisterPermohonanInformasi2026",
                   squeeze(NAME), "Halaman1dari"):
        assert needle in text, needle
    pdf = Pdf(resp.data)
    box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)", pdf.head(pdf.pages()[0]))
    assert float(box.group(1)) > float(box.group(2))


def test_register_pdf_too_long_asks_for_csv(client_for, monkeypatch):
    from reports import tickets as papers

    _register_tickets()
    monkeypatch.setattr(papers, "PDF_MAX_ROWS", 1)
    client = client_for(make_ppid())
    resp = client.get("/layanan/register.pdf?tahun=2026")
    assert resp.status_code == 302 and "tahun=2026" in resp.headers["Location"]
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "PDF memuat paling banyak 1 permohonan" in page
    assert client.get("/layanan/register.csv?tahun=2026").status_code == 200


def test_staff_see_the_way_to_the_records(client_for):
    link = "/layanan/laporan-tahunan"
    assert link not in client_for().get("/register-permohonan").get_data(as_text=True)
    assert link not in client_for(make_requester()).get(
        "/register-permohonan").get_data(as_text=True)
    assert link in client_for(make_ppid()).get("/register-permohonan").get_data(as_text=True)


def test_register_export_bad_input(client_for):
    client = client_for(make_ppid())
    for year, message in (("abad", "Harus berupa bilangan bulat"), ("1800", "Tahun tidak valid")):
        resp = client.get(f"/layanan/register.csv?tahun={year}")
        assert resp.status_code == 302
        page = client.get(resp.headers["Location"], follow_redirects=True)
        assert page.status_code == 200 and message in page.get_data(as_text=True)
    with pytest.raises(ValidationError) as exc:
        actions.register_export(SYSTEM, 1800, "csv")
    assert "year" in exc.value.errors
    with pytest.raises(ValidationError):
        actions.register_export(SYSTEM, 2026, "docx")


# ---------------------------------------------------------------- the yearly report

def _year_2025():
    """Tickets built through the actions, then moved to known 2025 dates."""
    ppid, atasan, helpdesk = make_ppid(), make_atasan(), make_helpdesk()
    rater = make_requester()
    t1 = make_request(rater)
    answer(t1, ppid)
    actions.survey_submit(rater, t1.number, {f"e{i}": 4 for i in range(1, 10)})
    set_dates(t1, received_on=date(2025, 3, 3), answered_on=date(2025, 3, 7),
              due_on=date(2025, 3, 17))
    t1_survey = SurveyResponse.query.filter_by(ticket_id=t1.id).one()
    t1_survey.submitted_at = datetime(2025, 3, 10, 3, 0)

    late_rater = make_requester()
    t2 = make_request(late_rater)
    actions.ticket_extend(ppid, t2.number, {"days": 3, "reason": "Data sedang dihimpun."})
    answer(t2, ppid)
    actions.survey_submit(late_rater, t2.number, {f"e{i}": 1 for i in range(1, 10)})
    # Mon 3 Feb -> Fri 21 Feb 2025: 14 working days, 2 of them waiting for the requester.
    set_dates(t2, received_on=date(2025, 2, 3), answered_on=date(2025, 2, 21),
              due_on=date(2025, 2, 20), paused_days=2)
    # 1 January 2026, 01:00 WIB: a 2026 answer although the UTC date is still 2025.
    SurveyResponse.query.filter_by(ticket_id=t2.id).one().submitted_at = datetime(2025, 12, 31, 18)

    objector = make_requester()
    t3 = make_request(objector)
    answer(t3, ppid, State.REJECTED, "Dikecualikan.", exemption="17h")
    objection = actions.objection_file(objector, t3.number,
                                       {"grounds": ["refused"], "body": "Saya keberatan."})
    actions.objection_decide(atasan, objection.number,
                             {"decision": "upheld", "answer": "Keberatan diterima."})
    # Thu 27 Mar -> Wed 9 Apr 2025 skips Nyepi's and Idul Fitri's holidays and joint leave.
    set_dates(t3, received_on=date(2025, 3, 27), answered_on=date(2025, 4, 9),
              due_on=date(2025, 4, 10))
    set_dates(objection, received_on=date(2025, 4, 14), answered_on=date(2025, 5, 5),
              due_on=date(2025, 5, 27))

    walk_in = actions.request_submit(helpdesk, request_data(
        requester_name="Pemohon Datang Langsung", email="", channel="walk_in"))
    set_dates(walk_in, received_on=date(2025, 11, 3), due_on=date(2025, 11, 17))

    withdrawer = make_requester()
    t5 = make_request(withdrawer)
    actions.ticket_withdraw(withdrawer, t5.number)
    set_dates(t5, received_on=date(2025, 5, 5))

    question = make_request(kind="question", subject="Kapan data diperbarui?", nik="")
    answer(question, ppid, State.RESOLVED, "Setiap tahun.")
    set_dates(question, received_on=date(2025, 2, 4), answered_on=date(2025, 2, 5))

    other_year = make_request()
    set_dates(other_year, received_on=date(2024, 12, 31))
    return ppid


def test_yearly_figures_of_known_tickets():
    ppid = _year_2025()
    f = actions.yearly_report(ppid, "2025")
    assert f.year == 2025 and f.total == 7  # 5 requests, a question, an objection
    assert dict(f.by_kind) == {"data_request": 5, "question": 1, "objection": 1}
    assert f.requests == 5
    assert dict(f.by_channel) == {"web": 4, "walk_in": 1}
    assert f.by_outcome == [("fulfilled", 2), ("rejected", 1), ("withdrawn", 1),
                            (register.IN_PROCESS, 1)]
    assert (f.answered, f.on_time, f.on_time_rate) == (3, 2, 66.7)
    assert (f.median_days, f.mean_days, f.max_days) == (4.0, 6.0, 12)
    assert f.extensions == 1
    assert (f.objections, f.objections_on_time) == (1, 1)
    assert f.objection_decisions == [("upheld", 1)]
    assert f.objection_grounds == [("refused", 1)]
    months = {m: (received, answered) for m, received, answered in f.by_month}
    assert months[2] == (1, 1) and months[3] == (2, 1) and months[4] == (0, 1)
    assert months[5] == (1, 0) and months[11] == (1, 0) and months[1] == (0, 0)
    assert f.ikm.count == 1 and f.ikm.ikm == 100.0 and f.ikm.grade == "A"


def test_yearly_report_page_and_pdf(client_for):
    ppid = _year_2025()
    client = client_for(ppid)
    html = client.get("/layanan/laporan-tahunan?tahun=2025").get_data(as_text=True)
    assert "Laporan tahunan layanan informasi 2025" in html
    assert "<svg" in html and "66,7%" in html and "Keberatan diterima" in html
    assert "Datang langsung" in html and "Masih diproses" in html
    assert "ditulis oleh PPID" in html
    assert "/layanan/register.csv?tahun=2025" in html
    resp = client.get("/layanan/laporan-tahunan.pdf?tahun=2025")
    assert resp.headers["Content-Type"] == "application/pdf"
    text = squeeze("".join(pdf_pages(resp.data)))
    for needle in ("LaporanLayananInformasiPublik2025", "66,7%", "Ditolak", "Maret",
                   "Keberatanditerima", "100,00(A)", "Hambatandanrekomendasi"):
        assert needle in text, needle
    assert client_for(make_requester()).get(
        "/layanan/laporan-tahunan?tahun=2025").status_code == 403


def test_yearly_report_of_an_empty_year(client_for):
    f = actions.yearly_report(SYSTEM, 2030)
    assert (f.total, f.answered, f.on_time_rate, f.median_days) == (0, 0, None, None)
    assert f.ikm.ikm is None
    resp = client_for(make_ppid()).get("/layanan/laporan-tahunan?tahun=2030")
    assert resp.status_code == 200 and "Belum ada survei" in resp.get_data(as_text=True)


# ---------------------------------------------------------------- IKM figures

def _rated(scores, organisation, submitted_at):
    requester = make_requester()
    ticket = make_request(requester)
    answer(ticket, make_ppid())
    actions.survey_submit(requester, ticket.number,
                          {f"e{i}": s for i, s in enumerate(scores, start=1)})
    row = SurveyResponse.query.filter_by(ticket_id=ticket.id).one()
    row.organisation_id, row.submitted_at = organisation.id, submitted_at
    db.session.commit()


@pytest.fixture
def worked_example():
    """Unit A: all 4s and all 3s (means 3.5, IKM 87.50, B). Unit B: 4,3,2 repeated (means
    4/3/2 -> element means 3, IKM 75.00, C). Together every element mean is 10/3 on average:
    IKM 83.33, B. A fourth answer falls on 1 January 2026 in Jakarta (31 Dec in UTC)."""
    unit_a, unit_b = make_org(title="Dinas Pendidikan"), make_org(title="Dinas Kesehatan")
    _rated((4,) * 9, unit_a, datetime(2025, 2, 10, 3))
    _rated((3,) * 9, unit_a, datetime(2025, 3, 31, 16, 30))  # 31 March, 23:30 WIB: still Q1
    _rated((4, 3, 2) * 3, unit_b, datetime(2025, 5, 20, 2))
    _rated((1,) * 9, unit_b, datetime(2025, 12, 31, 17, 30))  # 1 January 2026, 00:30 WIB
    return unit_a, unit_b


def test_ikm_of_a_period_per_unit_and_quarter(worked_example):
    unit_a, unit_b = worked_example
    ppid = make_ppid()
    s = actions.ikm_summary(ppid, date(2025, 1, 1), date(2025, 12, 31))
    assert s.overall.count == 3
    assert s.overall.ikm == 83.33 and s.overall.grade == "B"
    assert s.overall.element_means["e1"] == 3.667 and s.overall.element_means["e3"] == 3.0
    assert [(org.title, r.count, r.ikm, r.grade) for org, r in s.by_unit] == [
        ("Dinas Kesehatan", 1, 75.0, "C"), ("Dinas Pendidikan", 2, 87.5, "B")]
    assert [(label, r.count, r.ikm) for label, _a, _b, r in s.by_quarter] == [
        ("Triwulan I 2025", 2, 87.5), ("Triwulan II 2025", 1, 75.0),
        ("Triwulan III 2025", 0, None), ("Triwulan IV 2025", 0, None)]

    only_a = actions.ikm_summary(ppid, "2025-01-01", "2025-12-31", unit_a.id)
    assert (only_a.overall.count, only_a.overall.ikm) == (2, 87.5)
    assert [r.count for *_x, r in only_a.by_quarter] == [2, 0, 0, 0]

    # A period that starts mid-quarter and crosses the year: clipped quarters.
    late = actions.ikm_summary(ppid, date(2025, 5, 15), date(2026, 1, 31), str(unit_b.id))
    assert (late.overall.count, late.overall.ikm) == (2, 50.0)
    assert [(label, a, b) for label, a, b, _r in late.by_quarter][0] == (
        "Triwulan II 2025", date(2025, 5, 15), date(2025, 6, 30))
    assert late.by_quarter[-1][1:3] == (date(2026, 1, 1), date(2026, 1, 31))


def test_ikm_bad_input_and_readers_only(worked_example):
    with pytest.raises(ValidationError) as exc:
        actions.ikm_summary(SYSTEM, "2025-12-31", "2025-01-01")
    assert "sampai" in exc.value.errors
    with pytest.raises(ValidationError) as exc:
        actions.ikm_summary(SYSTEM, "2025-01-01", "2025-12-31", 999999)
    assert "unit" in exc.value.errors
    with pytest.raises(ValidationError) as exc:
        actions.ikm_summary(SYSTEM, "kemarin", "2025-12-31")
    assert "dari" in exc.value.errors
    with pytest.raises(NotAuthorized):
        actions.ikm_summary(make_requester(), "2025-01-01", "2025-12-31")


def test_ikm_page(client_for, worked_example):
    unit_a, _unit_b = worked_example
    client = client_for(make_ppid())
    html = client.get("/layanan/ikm?dari=2025-01-01&sampai=2025-12-31").get_data(as_text=True)
    for needle in ("83,33", "87,50", "75,00", "Triwulan I 2025", "Dinas Pendidikan",
                   "Persyaratan", "3,667"):
        assert needle in html, needle
    one = client.get(f"/layanan/ikm?dari=2025-01-01&sampai=2025-12-31&unit={unit_a.id}")
    assert "Dinas Pendidikan · " in one.get_data(as_text=True)
    bad = client.get("/layanan/ikm?dari=2025-12-31&sampai=2025-01-01")
    assert bad.status_code == 422
    assert "Tanggal akhir tidak boleh sebelum tanggal awal" in bad.get_data(as_text=True)
    assert client_for(make_requester()).get("/layanan/ikm").status_code == 403
    assert client_for(make_walidata()).get("/layanan/ikm").status_code == 403
