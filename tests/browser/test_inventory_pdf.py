"""The inventory (Daftar Data) in a real browser: a visitor opens it from the menu, downloads
the PDF, and the PDF opens and holds every published dataset (closed ones included), and no
draft. On a phone the wide table scrolls inside its frame, not the whole page.

The downloaded bytes are read with tests/pdftext.py (no PDF reader is installed here).
"""
import pytest
from playwright.sync_api import expect

from tests.browser.helpers import OTHER_DATASET, PRODUSEN, WALIDATA, Watch
from tests.pdftext import pdf_pages, squeeze

pytestmark = pytest.mark.browser

OPEN = "Jumlah Puskesmas Menurut Kecamatan di Kota Bandung 2024"
CLOSED = "Rekam Medis Pasien TBC per Puskesmas"
DRAFT = "Draf Cakupan Imunisasi Dasar Lengkap"
PUBLISHED = [OPEN, CLOSED, OTHER_DATASET]
TIMEOUT_MS = 10_000


def _seed(app):
    """Published open and closed datasets and a draft, through the real actions."""
    from app.accounts.models import User
    from app.catalog import actions
    from app.extensions import db
    from tests.factories import dataset_data

    with app.app_context():
        producer = User.query.filter_by(email=PRODUSEN.email).one()
        walidata = User.query.filter_by(email=WALIDATA.email).one()
        for title, name, access in ((OPEN, "puskesmas-2024", "terbuka"),
                                    (CLOSED, "rekam-medis-tbc", "tertutup")):
            ds = actions.dataset_create(producer, dataset_data(
                producer, title=title, name=name, access=access, kode_wilayah="32.73"))
            actions.resource_link_create(producer, ds.id, {
                "name": "Sumber", "format": "HTML", "url": "https://dinkes.example.go.id/"})
            actions.dataset_submit(producer, ds.id)
            actions.dataset_approve(walidata, ds.id)
        actions.dataset_create(producer, dataset_data(producer, title=DRAFT, name="draf-idl",
                                                      kode_wilayah="32.73"))
        db.session.remove()


def test_inventory_pdf_opens_and_holds_every_dataset(live_server, browser, tmp_path):
    _seed(live_server.app)
    watch = Watch()
    context = watch.attach(browser.new_context(locale="id-ID", accept_downloads=True,
                                               viewport={"width": 1280, "height": 900}))
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Daftar Data", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Daftar Data")
    rows = page.locator("table.inventory tbody tr")
    expect(rows).to_have_count(len(PUBLISHED))
    for title in PUBLISHED:
        expect(rows.filter(has_text=title)).to_have_count(1)
    expect(page.get_by_role("link", name=OPEN)).to_be_visible()
    expect(page.get_by_role("link", name=CLOSED)).to_have_count(0)  # metadata only
    expect(page.get_by_text(DRAFT)).to_have_count(0)

    with page.expect_download() as info:
        page.get_by_role("link", name="PDF", exact=True).click()
    download = info.value
    assert download.failure() is None
    assert download.suggested_filename.startswith("daftar-data-")
    assert download.suggested_filename.endswith(".pdf")
    path = tmp_path / download.suggested_filename
    download.save_as(path)

    pages = pdf_pages(path.read_bytes())
    assert len(pages) > 0
    text = squeeze(" ".join(pages))
    for title in PUBLISHED:
        assert squeeze(title) in text, title
    assert squeeze(DRAFT) not in text
    context.close()

    phone = watch.attach(browser.new_context(locale="id-ID", is_mobile=True, has_touch=True,
                                             viewport={"width": 390, "height": 844}))
    phone.set_default_timeout(TIMEOUT_MS)
    page = phone.new_page()
    page.goto(live_server.url + "/daftar-data")
    expect(page.locator("table.inventory tbody tr")).to_have_count(len(PUBLISHED))
    widths = page.evaluate("""() => ({
        page: document.documentElement.scrollWidth, viewport: window.innerWidth,
        frame: document.querySelector('.table-wrap').clientWidth,
        table: document.querySelector('table.inventory').scrollWidth})""")
    assert widths["page"] <= widths["viewport"], widths
    assert widths["table"] > widths["frame"], widths  # the table scrolls inside its frame
    phone.close()

    assert watch.failures == []
