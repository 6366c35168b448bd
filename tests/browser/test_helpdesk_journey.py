"""The help-desk journey in a real browser, from a citizen's phone to the PPID's superior.

A citizen opens a restricted (terbatas) dataset on a phone, follows "Ajukan permohonan data
ini", opens an account on the way, fills the request form (NIK, purpose, format, delivery,
privacy consent), gets a registration number and downloads the receipt. A help-desk officer
finds it in the queue and asks for clarification (the clock stops); the citizen sees it on
"Permohonan saya" and answers; the officer puts the request to the custodian (walidata), who
approves and adds the citizen to the dataset's access list; the officer answers "fulfilled"
with the dataset link; the citizen downloads the file, now allowed, and fills the nine-question
survey. A second request is refused by the PPID citing an exemption; the citizen objects and
the PPID's superior decides the objection.

Staff use a desktop browser, the citizen a phone. Screenshots: docs/screenshots/helpdesk-*.png.
"""
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS
from tests.browser.helpers import PRODUSEN, WALIDATA, Account, Watch, flash, login
from tests.pdftext import pdf_pages, squeeze
from tests.tickets.factories import NIK

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 10_000
NUMBER = re.compile(r"^PD-\d{4}-\d{6}$")

CUSTODIAN_ORG = "diskominfo-kota-bandung"
HELPDESK = Account("dewi.layanan@diskominfo.bandung.go.id", "Meja-Layanan-2026", "Dewi Layanan")
PPID = Account("ppid@diskominfo.bandung.go.id", "Pejabat-Informasi-26", "Bambang PPID")
ATASAN = Account("sekda@bandung.go.id", "Atasan-PPID-Kota-26", "Hendra Atasan")
CITIZEN = Account("nur.aisyah@example.com", "Permohonan-Data-2026", "Nur Aisyah")

TITLE = "Kunjungan Pasien Puskesmas Menurut Kecamatan di Kota Bandung 2024"
SLUG = "kunjungan-pasien-puskesmas-2024"
DATA_CSV = ("kode_wilayah,kecamatan,jumlah_kunjungan,tahun\n"
            "32.73.01,Sukasari,18432,2024\n32.73.02,Coblong,25210,2024\n")

SUBJECT = "Data kunjungan pasien puskesmas per kecamatan 2024"
DETAIL = "Jumlah kunjungan pasien puskesmas per kecamatan di Kota Bandung tahun 2024."
PURPOSE = "Penelitian tugas akhir tentang akses layanan kesehatan primer."
QUESTION = "Apakah yang Anda perlukan kunjungan rawat jalan saja atau termasuk rawat inap?"
CLARIFIED = "Rawat jalan saja, per kecamatan, untuk seluruh tahun 2024."
ANSWER = "Permohonan dipenuhi. Data dapat diunduh dari halaman dataset setelah masuk:"
# Scores 1-4 for the nine IKM elements, as the citizen rates them.
SCORES = (4, 3, 4, 4, 3, 4, 4, 3, 4)

SECOND_SUBJECT = "Nama dan alamat pasien TBC di Kecamatan Coblong"
REFUSAL = "Data berisi identitas pasien yang dilindungi sebagai rahasia pribadi."
OBJECTION = "Saya hanya memerlukan jumlahnya; nama dapat dihilangkan dari data tersebut."
DECISION = "Keberatan diterima: PPID memberikan jumlah pasien per kelurahan tanpa identitas."


# ---------------------------------------------------------------- setup (real actions)

def _seed(app):
    """Staff of the custodian's help desk, and a restricted dataset with a table."""
    from app.accounts import actions as accounts
    from app.accounts.models import User
    from app.catalog import actions
    from app.catalog.models import Topic
    from app.core import outbox
    from app.core.actor import SYSTEM
    from app.extensions import db
    from tests.factories import dataset_data

    with app.app_context():
        for account, role in ((HELPDESK, "helpdesk"), (PPID, "ppid"), (ATASAN, "ppid_atasan")):
            accounts.user_create(SYSTEM, {
                "email": account.email, "name": account.name, "password": account.password,
                "roles": [role], "organisations": [CUSTODIAN_ORG]})
        producer = User.query.filter_by(email=PRODUSEN.email).one()
        walidata = User.query.filter_by(email=WALIDATA.email).one()
        ds = actions.dataset_create(producer, dataset_data(
            producer, title=TITLE, name=SLUG, access="terbatas", unit="kunjungan",
            description="Kunjungan rawat jalan dan rawat inap di puskesmas per kecamatan.",
            topic_id=Topic.query.filter_by(name="kesehatan").one().id))
        actions.resource_upload(producer, ds.id, "kunjungan-puskesmas-2024.csv",
                                io.BytesIO(DATA_CSV.encode()), name="Kunjungan 2024")
        actions.dataset_submit(producer, ds.id)
        actions.dataset_approve(walidata, ds.id)
        outbox.drain()  # the worker's job: the search index follows what was published
        db.session.remove()


class Shots:
    """docs/screenshots/helpdesk-<name>.png; only this journey's earlier shots are removed."""

    def __init__(self):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for old in SCREENSHOTS.glob("helpdesk-*.png"):
            old.unlink()
        self.taken = []

    def __call__(self, page, name):
        path = SCREENSHOTS / f"helpdesk-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        self.taken.append(path.name)


def _context(browser, watch, phone=False):
    options = dict(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True) \
        if phone else dict(viewport=DESKTOP)
    context = browser.new_context(locale="id-ID", **options)
    context.set_default_timeout(TIMEOUT_MS)
    return watch.attach(context)


def _fits_phone(page):
    """Mobile first: nothing on the citizen's page makes it scroll sideways."""
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{page.url} is {width[0]}px wide on a {width[1]}px phone"


def _nav(page, name):
    """A link of the site's top navigation."""
    page.locator("header.top nav").get_by_role("link", name=name, exact=True).click()


# ---------------------------------------------------------------- the journey

def test_request_clarify_approve_fulfil_rate_object(live_server, browser):
    base, watch, shots = live_server.url, Watch(), Shots()
    _seed(live_server.app)

    citizen_ctx = _context(browser, watch, phone=True)
    citizen = citizen_ctx.new_page()
    number, code = _file_request(citizen, base, shots)

    officer = _context(browser, watch).new_page()
    login(officer, base, HELPDESK)
    _ask_clarification(officer, number, shots)
    _check_status(_context(browser, watch, phone=True).new_page(), base, number, code)

    _answer_clarification(citizen, number)

    _ask_custodian(officer, number)
    custodian = _context(browser, watch).new_page()
    login(custodian, base, WALIDATA)
    _approve_with_access(custodian, number)
    _fulfil(officer, base, number, shots)

    _download_and_rate(citizen, number, shots)

    second = _file_second_request(citizen)
    ppid = _context(browser, watch).new_page()
    login(ppid, base, PPID)
    _refuse(ppid, second)
    objection = _object(citizen, second)
    superior = _context(browser, watch).new_page()
    login(superior, base, ATASAN)
    _decide_objection(superior, objection)
    _see_decision(citizen, second, objection)

    _check_database(live_server.app, number, second, objection)
    assert watch.failures == []
    assert len(shots.taken) == 5


def _file_request(page, base, shots):
    """1. From the restricted dataset's page to a registered request and its receipt."""
    page.goto(f"{base}/dataset/{SLUG}")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("#sumber .flash.warning")).to_contain_text("Dataset ini terbatas")
    expect(page.get_by_role("link", name="Unduh berkas asli")).to_have_count(0)
    page.get_by_role("link", name="Ajukan permohonan data ini").click()

    # Not signed in: the login page, and from there a new account.
    expect(page).to_have_url(re.compile(r"/masuk\?next="))
    page.get_by_role("link", name="Daftar di sini").click()
    page.get_by_label("Nama lengkap").fill(CITIZEN.name)
    page.get_by_label("E-mail").fill(CITIZEN.email)
    page.get_by_label(re.compile(r"^Kata sandi")).fill(CITIZEN.password)
    page.get_by_label("Ulangi kata sandi").fill(CITIZEN.password)
    page.get_by_role("button", name="Daftar").click()
    flash(page, "success", f"Akun Anda dibuat. Selamat datang, {CITIZEN.name}.")

    # Back on the request form, with the dataset and the account's name and e-mail filled in.
    expect(page).to_have_url(re.compile(rf"/permohonan/baru\?dataset={SLUG}"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ajukan permohonan data")
    expect(page.locator(".card").filter(has_text="Dataset yang dimaksud")).to_contain_text(TITLE)
    expect(page.get_by_label("Nama lengkap")).to_have_value(CITIZEN.name)
    expect(page.get_by_label("E-mail")).to_have_value(CITIZEN.email)
    _fill_request(page, SUBJECT, DETAIL)
    # Every text field spans the phone's width, the phone number's too.
    name_box = page.get_by_label("Nama lengkap").bounding_box()
    assert page.get_by_label("Nomor telepon/WhatsApp").bounding_box()["width"] == \
        name_box["width"]
    # While typing, the form shows the published dataset that may already answer it.
    suggestions = page.locator("#saran")
    expect(suggestions).to_be_visible()
    expect(suggestions.get_by_role("link", name=TITLE)).to_be_visible()
    _fits_phone(page)
    shots(page, "request-form-phone")
    page.get_by_role("button", name="Kirim", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Terima kasih, permohonan data Anda sudah kami terima.")
    number = page.locator(".ticket-number").inner_text().strip()
    assert NUMBER.match(number), number
    code = page.locator(".check-code").inner_text().strip()
    expect(page.locator("dl.meta")).to_contain_text(SUBJECT)
    _fits_phone(page)
    shots(page, "receipt")

    receipt = page.get_by_role("link", name="Unduh tanda terima (PDF)")
    resp = page.request.get(base + receipt.get_attribute("href"))
    assert resp.ok and resp.headers["content-type"] == "application/pdf"
    text = squeeze(" ".join(pdf_pages(resp.body())))
    assert number in text and code in text and squeeze(SUBJECT) in text
    return number, code


def _fill_request(page, subject, detail):
    page.get_by_label("NIK (Nomor Induk Kependudukan)").fill(NIK)
    page.get_by_label("Alamat").fill("Jl. Geger Kalong Hilir No. 47, Sukasari, Bandung")
    page.get_by_label("Nomor telepon/WhatsApp").fill("081322334455")
    page.get_by_label("Judul singkat").press_sequentially(subject)
    page.get_by_label("Rincian informasi yang dibutuhkan").fill(detail)
    page.get_by_label("Tujuan penggunaan informasi").fill(PURPOSE)
    page.get_by_label("Salinan elektronik (softcopy)").check()
    page.get_by_label("Cara pengiriman").select_option(label="Unduh dari portal")
    page.get_by_label("Saya telah membaca pemberitahuan privasi").check()


def _ask_clarification(page, number, shots):
    """2. The officer finds the request in the queue, takes it and asks for clarification."""
    _nav(page, "Layanan")
    expect(page.get_by_role("heading", level=1)).to_have_text("Antrean layanan")
    row = page.get_by_role("row").filter(has_text=number)
    expect(row).to_contain_text(SUBJECT)
    expect(row).to_contain_text(CITIZEN.name)
    expect(row.locator("[data-sla]")).to_have_attribute("data-sla", "on_time")
    shots(page, "staff-queue")
    row.get_by_role("link", name=number).click()

    expect(page.locator("h1")).to_contain_text(number)
    expect(page.locator("#pemohon")).to_contain_text("3273********0001")
    expect(page.locator("#pemohon")).not_to_contain_text(NIK)
    expect(page.locator("#dataset")).to_contain_text(TITLE)
    page.get_by_label("Tugaskan ke").select_option(label=HELPDESK.name)
    page.get_by_role("button", name="Tugaskan").click()
    flash(page, "success", "Tiket ditugaskan.")
    expect(page.locator(".badge.status")).to_have_text("Diproses")

    box = page.locator("#balas")
    box.get_by_label("Minta klarifikasi (jam layanan berhenti)").check()
    box.get_by_label(re.compile(r"^Pesan\b")).fill(QUESTION)
    box.get_by_role("button", name="Kirim", exact=True).click()
    flash(page, "success", "Permintaan klarifikasi dikirim; jam layanan berhenti.")
    expect(page.locator(".badge.status")).to_have_text("Menunggu klarifikasi pemohon")
    expect(page.locator(".ticket-head [data-sla]")).to_have_attribute("data-sla", "paused")


def _check_status(page, base, number, code):
    """Anyone holding the receipt sees the status without an account, and nothing personal."""
    page.goto(base + "/")
    _nav(page, "Cek status")
    page.get_by_label("Nomor registrasi").fill(number)
    page.get_by_label("Kode cek").fill(code)
    page.get_by_role("button", name="Cek status").click()
    result = page.locator("#hasil")
    expect(result.get_by_role("heading", level=2)).to_have_text(number)
    expect(result.locator(".badge.status-needs_clarification")).to_have_text(
        "Menunggu klarifikasi pemohon")
    expect(result).to_contain_text("Petugas meminta klarifikasi; jangka waktu dijeda")
    for private in (CITIZEN.name, CITIZEN.email, SUBJECT, QUESTION, "3273"):
        expect(page.locator("main")).not_to_contain_text(private)
    page.context.close()


def _answer_clarification(page, number):
    """3. The citizen sees the question on "Permohonan saya" and answers it."""
    _nav(page, "Permohonan saya")
    item = page.locator("ul.tickets li").filter(has_text=number)
    expect(item.locator(".badge.status-needs_clarification")).to_have_text(
        "Menunggu klarifikasi pemohon")
    _fits_phone(page)
    item.get_by_role("link", name="Petugas meminta klarifikasi").click()

    attention = page.locator(".card.attention")
    expect(attention).to_contain_text(QUESTION)
    page.locator("#balas").get_by_label(re.compile(r"^Pesan\b")).fill(CLARIFIED)
    page.locator("#balas").get_by_role("button", name="Kirim").click()
    flash(page, "success", "Tanggapan Anda terkirim.")
    expect(page.locator("h1 + p .badge").first).to_have_text("Diproses")
    expect(page.locator("#riwayat")).to_contain_text(CLARIFIED)
    expect(page.locator("#riwayat")).to_contain_text("Proses dilanjutkan; tenggat disesuaikan")
    _fits_phone(page)


def _ask_custodian(page, number):
    """4. The clock runs again; the officer puts the restricted data to the custodian."""
    page.reload()
    expect(page.locator(".badge.status")).to_have_text("Diproses")
    expect(page.locator("#percakapan")).to_contain_text(CLARIFIED)
    page.get_by_text("Ajukan persetujuan walidata (data terbatas)").click()
    page.get_by_label("Dataset (nama singkat)", exact=True).fill(SLUG)
    page.get_by_label("Catatan untuk walidata").fill("Untuk penelitian; rawat jalan saja.")
    page.get_by_role("button", name="Ajukan ke walidata").click()
    flash(page, "success", "Diajukan ke walidata untuk persetujuan.")
    expect(page.locator(".badge.status")).to_have_text("Menunggu persetujuan walidata")
    expect(page.locator("#persetujuan")).to_contain_text("menunggu keputusan")


def _approve_with_access(page, number):
    """5. The custodian approves and puts the requester on the dataset's access list."""
    _nav(page, "Persetujuan permohonan")
    row = page.get_by_role("row").filter(has_text=number)
    expect(row).to_contain_text(SUBJECT)
    row.get_by_role("link", name=number).click()
    approval = page.locator("#persetujuan")
    expect(approval).to_contain_text(TITLE)
    approval.get_by_label("Setujui").check()
    approval.get_by_label("Tambahkan pemohon ke daftar akses dataset").check()
    approval.get_by_role("button", name="Simpan keputusan").click()
    flash(page, "success", "Keputusan walidata disimpan.")
    expect(page.locator("#persetujuan")).to_contain_text("pemohon ditambahkan ke daftar akses")
    # Handling the ticket is the help desk's: the custodian gets no answer form.
    expect(page.get_by_role("button", name="Kirim jawaban")).to_have_count(0)


def _fulfil(page, base, number, shots):
    """6. The officer answers "fulfilled" with the dataset's link and closes the ticket."""
    page.reload()
    expect(page.locator("#persetujuan")).to_contain_text("Disetujui")
    page.get_by_text("Jawab dan tutup").click()
    page.get_by_label("Hasil").select_option(label="Dipenuhi")
    page.get_by_label("Jawaban untuk pemohon").fill(f"{ANSWER} {base}/dataset/{SLUG}")
    page.get_by_label("Tautkan dataset (nama singkat, pisahkan koma)").fill(SLUG)
    page.get_by_role("button", name="Kirim jawaban").click()
    flash(page, "success", "Jawaban dikirim dan tiket ditutup.")
    expect(page.locator(".badge.status")).to_have_text("Dipenuhi")
    history = page.locator("#riwayat")
    for step in ("Diterima", "Ditugaskan", "Klarifikasi diminta", "Pemohon menjawab",
                 "Dilanjutkan", "Diajukan ke walidata", "Diputuskan walidata", "Dijawab"):
        expect(history).to_contain_text(step)
    shots(page, "staff-ticket")


def _download_and_rate(page, number, shots):
    """7. The citizen reads the answer, downloads the file, now allowed, and rates."""
    _nav(page, "Permohonan saya")
    item = page.locator("ul.tickets li").filter(has_text=number)
    expect(item.locator(".badge.status-fulfilled")).to_have_text("Dipenuhi")
    item.get_by_role("link", name=SUBJECT).click()
    expect(page.locator(".card.answer")).to_contain_text(ANSWER)

    page.locator(".card").filter(has_text="Dataset terkait").get_by_role(
        "link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("#sumber .flash.warning")).to_have_count(0)
    with page.expect_download() as info:
        page.get_by_role("link", name="Unduh berkas asli").click()
    download = info.value
    assert download.failure() is None
    assert Path(download.path()).read_text(encoding="utf-8") == DATA_CSV

    page.go_back()
    page.get_by_role("link", name="Isi survei").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Survei kepuasan masyarakat")
    questions = page.locator("form.survey fieldset")
    expect(questions).to_have_count(9)
    for i, score in enumerate(SCORES):
        questions.nth(i).locator(".scale label").nth(score - 1).click()
    page.get_by_label("Saran atau komentar (opsional)").fill("Petugas cepat dan jelas.")
    _fits_phone(page)
    shots(page, "survey")
    page.get_by_role("button", name="Kirim penilaian").click()
    flash(page, "success", "Terima kasih. Penilaian Anda membantu kami memperbaiki layanan.")
    expect(page.get_by_role("link", name="Isi survei")).to_have_count(0)


def _file_second_request(page):
    """8. A second request, for data about named patients."""
    _nav(page, "Permohonan saya")
    page.get_by_role("link", name="Ajukan permohonan baru").click()
    _fill_request(page, SECOND_SUBJECT,
                  "Daftar nama dan alamat pasien TBC yang dirawat di puskesmas Coblong 2024.")
    page.get_by_role("button", name="Kirim", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("sudah kami terima")
    number = page.locator(".ticket-number").inner_text().strip()
    assert NUMBER.match(number), number
    return number


def _refuse(page, number):
    """9. The PPID refuses it, citing the exemption for personal secrets (Pasal 17 h)."""
    _nav(page, "Layanan")
    page.get_by_role("row").filter(has_text=number).get_by_role("link", name=number).click()
    page.get_by_text("Jawab dan tutup").click()
    page.get_by_label("Hasil").select_option(label="Ditolak")
    page.get_by_label("Kategori pengecualian (wajib jika ditolak atau dipenuhi sebagian)") \
        .select_option(label="Pasal 17 huruf h: mengungkap rahasia pribadi")
    page.get_by_label("Jawaban untuk pemohon").fill(REFUSAL)
    page.get_by_role("button", name="Kirim jawaban").click()
    flash(page, "success", "Jawaban dikirim dan tiket ditutup.")
    expect(page.locator(".badge.status")).to_have_text("Ditolak")


def _object(page, number):
    """10. The citizen reads the refusal and objects to the PPID's superior."""
    _nav(page, "Permohonan saya")
    page.locator("ul.tickets li").filter(has_text=number).get_by_role(
        "link", name=SECOND_SUBJECT).click()
    answer = page.locator(".card.answer")
    expect(answer).to_contain_text(REFUSAL)
    expect(answer).to_contain_text("Pasal 17 huruf h: mengungkap rahasia pribadi")
    page.get_by_role("link", name="Ajukan keberatan").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Ajukan keberatan")
    page.get_by_label("Permohonan ditolak dengan alasan pengecualian").check()
    _fits_phone(page)
    page.get_by_label("Uraian keberatan").fill(OBJECTION)
    page.get_by_role("button", name="Kirim keberatan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Terima kasih, keberatan Anda sudah kami terima.")
    objection = page.locator(".ticket-number").inner_text().strip()
    assert re.match(r"^KB-\d{4}-\d{6}$", objection), objection
    expect(page.locator(".next-steps")).to_contain_text("Atasan PPID memutus keberatan")
    return objection


def _decide_objection(page, objection):
    """11. The PPID's superior upholds the objection."""
    _nav(page, "Layanan")
    row = page.get_by_role("row").filter(has_text=objection)
    expect(row).to_contain_text("Keberatan")
    row.get_by_role("link", name=objection).click()
    decide = page.locator("#putusan-keberatan")
    expect(page.locator("#permohonan")).to_contain_text(REFUSAL)
    decide.get_by_label("Keberatan diterima").check()
    decide.get_by_label("Tanggapan atas keberatan").fill(DECISION)
    decide.get_by_role("button", name="Simpan putusan").click()
    flash(page, "success", "Putusan keberatan disimpan.")
    expect(page.locator(".badge.status")).to_have_text("Keberatan diputus")


def _see_decision(page, number, objection):
    """12. The citizen reads the decision on the objection."""
    _nav(page, "Permohonan saya")
    expect(page.locator("ul.tickets li").filter(has_text=SECOND_SUBJECT)
           .locator(".badge.status-objection_decided")).to_have_text("Keberatan diputus")
    page.locator("ul.tickets li").filter(has_text=objection).get_by_role("link").first.click()
    answer = page.locator(".card.answer")
    expect(answer.get_by_role("heading")).to_have_text("Putusan keberatan")
    expect(answer).to_contain_text("Keberatan diterima")
    expect(answer).to_contain_text(DECISION)
    _fits_phone(page)


def _check_database(app, number, second, objection):
    from app.accounts.models import User
    from app.catalog.models import Dataset, DatasetAccess
    from app.core.audit import AuditLog
    from app.core.outbox import OutboxMessage
    from app.tickets import identity
    from app.tickets.models import Ticket

    with app.app_context():
        citizen = User.query.filter_by(email=CITIZEN.email).one()
        assert citizen.roles == {"pemohon"}
        ticket = Ticket.query.filter_by(number=number).one()
        assert (ticket.status, ticket.requester_id, ticket.kind) == (
            "fulfilled", citizen.id, "data_request")
        assert (ticket.format, ticket.delivery) == ("softcopy", "download")
        assert ticket.consent_at is not None and ticket.nik_masked == "3273********0001"
        assert identity.decrypt(ticket.nik_encrypted) == NIK
        assert NIK not in ticket.nik_encrypted
        assert ticket.assignee.email == HELPDESK.email
        assert [d.name for d in ticket.datasets] == [SLUG]
        approval = ticket.approvals[0]
        assert (approval.decision, approval.grant_access, approval.decided_by.email) == (
            "approved", True, WALIDATA.email)
        dataset = Dataset.query.filter_by(name=SLUG).one()
        assert DatasetAccess.query.filter_by(dataset_id=dataset.id,
                                             user_id=citizen.id).count() == 1
        survey = ticket.survey
        assert tuple(getattr(survey, f"e{i}") for i in range(1, 10)) == SCORES
        assert survey.comment == "Petugas cepat dan jelas."
        steps = [row.action for row in AuditLog.query.filter_by(
            object_type="ticket", object_id=str(ticket.id)).order_by(AuditLog.id)]
        assert steps == [
            "ticket.submitted", "ticket.assigned", "ticket.started",
            "ticket.clarification_requested", "ticket.requester_replied", "ticket.resumed",
            "ticket.approval_requested", "ticket.approval_decided", "ticket.answered",
            "ticket.survey_submitted"], steps
        # Each step the requester must hear about went to the outbox in its transaction.
        events = [m.payload["event"] for m in OutboxMessage.query.filter_by(
            topic="tickets.notify").order_by(OutboxMessage.id)
            if m.payload["ticket_id"] == ticket.id]
        assert events == ["received", "clarification", "requester_replied",
                          "approval_requested", "approved", "answered"], events

        refused = Ticket.query.filter_by(number=second).one()
        assert (refused.status, refused.exemption) == ("objection_decided", "17h")
        decided = Ticket.query.filter_by(number=objection).one()
        assert (decided.kind, decided.status, decided.decision, decided.related_id) == (
            "objection", "objection_decided", "upheld", refused.id)
        assert decided.objection_grounds == ["refused"]
        assert decided.requester_id == citizen.id
