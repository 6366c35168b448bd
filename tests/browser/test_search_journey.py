"""Search as a citizen does on a phone: type a word the way people say it, narrow by a facet,
open the dataset, download it.

"pertanian" must find a dataset titled with "Petani" (Indonesian stemming), the facet counts
must match what is listed, and the download must be the real table.
"""
import csv
import io

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS
from tests.browser.helpers import PRODUSEN, PRODUSEN_DISDIK, WALIDATA, Watch

pytestmark = pytest.mark.browser

FARMERS = "Jumlah Petani Menurut Kecamatan di Kota Bandung 2024"
FIELDS = "Luas Lahan Sawah Menurut Kecamatan di Kota Bandung 2024"
UNRELATED = "Jumlah Puskesmas Menurut Kecamatan di Kota Bandung 2024"
FARMERS_CSV = ("kode_wilayah,kecamatan,jumlah_petani\n"
               "32.73.01,Sukasari,412\n32.73.02,Coblong,198\n")
TIMEOUT_MS = 10_000


def _publish(producer, walidata, title, name, topic, description, csv_text):
    from app.catalog import actions
    from app.catalog.models import Topic
    from tests.factories import dataset_data

    ds = actions.dataset_create(producer, dataset_data(
        producer, title=title, name=name, kode_wilayah="32.73", description=description,
        topic_id=Topic.query.filter_by(name=topic).one().id))
    actions.resource_upload(producer, ds.id, f"{name}.csv", io.BytesIO(csv_text.encode()))
    actions.dataset_submit(producer, ds.id)
    actions.dataset_approve(walidata, ds.id)


def _seed(app):
    from app.accounts.models import User
    from app.core import outbox
    from app.extensions import db

    with app.app_context():
        users = {a.email: User.query.filter_by(email=a.email).one()
                 for a in (PRODUSEN, PRODUSEN_DISDIK, WALIDATA)}
        walidata = users[WALIDATA.email]
        _publish(users[PRODUSEN.email], walidata, FARMERS, "jumlah-petani", "pertanian",
                 "Petani terdaftar per kecamatan.", FARMERS_CSV)
        _publish(users[PRODUSEN_DISDIK.email], walidata, FIELDS, "lahan-sawah", "pertanian",
                 "Luas lahan pertanian sawah per kecamatan.",
                 "kode_wilayah,kecamatan,luas_ha\n32.73.01,Sukasari,12.5\n")
        _publish(users[PRODUSEN.email], walidata, UNRELATED, "puskesmas", "kesehatan",
                 "Fasilitas kesehatan tingkat pertama.", "kode_wilayah,jumlah\n32.73.01,3\n")
        outbox.drain()  # the worker's job: the index follows what was published
        db.session.remove()


def test_search_narrow_open_download(live_server, browser):
    _seed(live_server.app)
    watch = Watch()
    context = watch.attach(browser.new_context(locale="id-ID", accept_downloads=True,
                                               viewport={"width": 390, "height": 844}))
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.get_by_role("search").get_by_role("searchbox").fill("pertanian")
    page.get_by_role("search").get_by_role("button", name="Cari").click()

    results = page.locator("ul.results > li")
    expect(page.locator("#result-count")).to_have_text("2 dataset ditemukan")
    expect(results.filter(has_text=FARMERS)).to_have_count(1)  # "petani" meets "pertanian"
    expect(results.filter(has_text=UNRELATED)).to_have_count(0)
    page.screenshot(path=str(SCREENSHOTS / "20-search-results-phone.png"), full_page=True)

    facet = page.locator('ul[data-facet="organisation"] li').filter(has_text="Dinas Kesehatan")
    expect(facet).to_contain_text("(1)")
    facet.get_by_role("link").click()
    expect(page.locator("#result-count")).to_have_text("1 dataset ditemukan")
    page.get_by_role("link", name=FARMERS).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(FARMERS)
    expect(page.locator("table.preview")).to_contain_text("Coblong")
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV", exact=True).first.click()
    with open(info.value.path(), encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows == [r.split(",") for r in FARMERS_CSV.strip().split("\n")]
    assert watch.failures == []
