"""Seed data and page helpers of the browser journey."""
import csv
import gzip
import re
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
REGIONS_FILE = ROOT / "data" / "wilayah-kemendagri-2025.csv.gz"
CITY = "32.73"  # Kota Bandung


@dataclass(frozen=True)
class Account:
    email: str
    password: str
    name: str


PRODUSEN = Account("rina.produsen@dinkes.bandung.go.id", "Puskesmas-Sehat-2024",
                   "Rina Kurniasih")
WALIDATA = Account("asep.walidata@diskominfo.bandung.go.id", "Walidata-Satu-Data-1",
                   "Asep Saepudin")
PRODUSEN_DISDIK = Account("dewi@disdik.bandung.go.id", "Sekolah-Dasar-2024", "Dewi Lestari")

ORGANISATIONS = [
    {"name": "dinkes-kota-bandung", "title": "Dinas Kesehatan Kota Bandung",
     "email": "dinkes@bandung.go.id"},
    {"name": "diskominfo-kota-bandung",
     "title": "Dinas Komunikasi dan Informatika Kota Bandung",
     "email": "diskominfo@bandung.go.id", "is_custodian": True},
    {"name": "disdik-kota-bandung", "title": "Dinas Pendidikan Kota Bandung",
     "email": "disdik@bandung.go.id"},
]
# Published before the journey starts, so that a facet really narrows the catalogue.
OTHER_DATASET = "Jumlah Sekolah Dasar Menurut Kecamatan di Kota Bandung 2024"


# ---------------------------------------------------------------- seeding (real actions)

def region_rows():
    """Jawa Barat, Kota Bandung and its 30 kecamatan, from the region file the product ships."""
    with gzip.open(REGIONS_FILE, "rt", encoding="utf-8", newline="") as fh:
        return [row for row in csv.DictReader(fh)
                if row["kode"] in ("32", CITY)
                or (row["kode"].startswith(CITY + ".") and row["tingkat"] == "kecamatan")]


def _user(account, role, organisation):
    return {"email": account.email, "name": account.name, "password": account.password,
            "roles": [role], "organisations": [organisation]}


def seed():
    """What an administrator sets up before producers start: codes, orgs, accounts."""
    from app.accounts import actions as accounts
    from app.catalog import actions
    from app.core.actor import SYSTEM

    actions.region_import(SYSTEM, region_rows())
    actions.reference_seed(SYSTEM)
    for org in ORGANISATIONS:
        accounts.organisation_create(SYSTEM, org)
    accounts.user_create(SYSTEM, _user(PRODUSEN, "produsen", "dinkes-kota-bandung"))
    walidata = accounts.user_create(SYSTEM, _user(WALIDATA, "walidata",
                                                  "diskominfo-kota-bandung"))
    disdik = accounts.user_create(SYSTEM, _user(PRODUSEN_DISDIK, "produsen",
                                                "disdik-kota-bandung"))
    _publish_other_dataset(disdik, walidata)


def _publish_other_dataset(producer, custodian):
    """Another agency's dataset, published through the same actions (a link, no upload)."""
    from app.accounts.models import Organisation
    from app.catalog import actions
    from app.catalog.models import Topic

    ds = actions.dataset_create(producer, {
        "title": OTHER_DATASET,
        "organisation_id": Organisation.query.filter_by(name="disdik-kota-bandung").one().id,
        "description": "Jumlah sekolah dasar negeri dan swasta per kecamatan.",
        "topic_id": Topic.query.filter_by(name="pendidikan").one().id,
        "license_id": "cc-by-4.0", "period_start": 2024, "spatial_coverage": "Kota Bandung",
        "kode_wilayah": CITY, "contact_name": PRODUSEN_DISDIK.name,
        "contact_email": PRODUSEN_DISDIK.email})
    actions.resource_link_create(producer, ds.id, {
        "name": "Dapodik Kota Bandung", "url": "https://dapo.kemdikbud.go.id/sp/2/026000",
        "format": "HTML"})
    actions.dataset_submit(producer, ds.id)
    actions.dataset_approve(custodian, ds.id)


def empty_tables(db):
    db.session.remove()
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())


# ---------------------------------------------------------------- pages

class Shots:
    """Numbered full-page screenshots: docs/screenshots/01-login.png, 02-..."""

    def __init__(self, folder):
        self.folder, self.n, self.taken = folder, 0, []

    def __call__(self, page, name):
        self.n += 1
        path = self.folder / f"{self.n:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        self.taken.append(path.name)


class Watch:
    """Every failed response a browser context sees (a missing stylesheet, a 500)."""

    def __init__(self):
        self.failures = []

    def attach(self, context):
        context.on("response", self._response)
        return context

    def _response(self, response):
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            self.failures.append(f"{response.status} {response.request.method} {response.url}")


def flash(page, kind, text):
    """A flash message of this kind (success, warning, error) containing text is shown."""
    expect(page.locator(f".flash.{kind}").filter(has_text=text)).to_be_visible()


def login(page, base, account, shots=None):
    """From the home page, through the 'Masuk' link and the login form."""
    page.goto(base + "/")
    page.get_by_role("link", name="Masuk", exact=True).click()
    expect(page).to_have_url(re.compile(r"/masuk"))
    page.get_by_label("E-mail").fill(account.email)
    page.get_by_label("Kata sandi").fill(account.password)
    if shots:
        shots(page, "login")
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("button", name="Keluar")).to_be_visible()


def report_row(page, row, column):
    """The validation-report line for (row, column)."""
    rows = page.locator("table.validation-errors tbody tr")
    return rows.filter(has=page.locator("td:nth-child(1)", has_text=re.compile(rf"^{row}$"))) \
        .filter(has=page.locator("td:nth-child(2)", has_text=re.compile(rf"^{column}$")))


def meta_value(page, term):
    """The <dd> after the <dt> with exactly this text in the metadata list."""
    return page.locator("dl.meta dt").filter(has_text=re.compile(rf"^{term}$")) \
        .locator("xpath=following-sibling::dd[1]")
