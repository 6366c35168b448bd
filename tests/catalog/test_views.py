"""Web pages of the catalogue and accounts: a permission sweep of every route for every kind of
user, then the pages themselves (home, browse filters, dataset page, closed datasets, English).

The sweep's table is written out in full. Each row is one route (and the state of the object
it acts on); each column one kind of user. The values follow the rules in app/catalog/auth.py
and app/accounts/auth.py:
  200/302/401/422  the request got through (302 = the action ran and redirected)
  login            redirected to the login page (anonymous on a page that needs an account)
  403              may see the object but not do this
  404              may not even know the object exists
"""
import io
import re
from dataclasses import dataclass, field
from functools import cached_property

import pytest

from app.catalog import actions
from app.catalog.models import Access
from app.core.actor import Role
from tests.conftest import csrf_token
from tests.factories import (
    VALID_CSV,
    custodian_org,
    dataset_data,
    make_dataset,
    make_org,
    make_published,
    make_revision,
    make_submitted,
    make_user,
    row_counts,
    storage_files,
    upload_bytes,
    upload_csv,
)

pytestmark = pytest.mark.usefixtures("reference")

KINDS = ["anonymous", "admin", "walidata", "produsen", "produsen_lain", "helpdesk", "ppid",
         "ppid_atasan", "pimpinan", "pemohon", "pemohon_akses"]
PII_CSV = ("nik,nama,desa\n3273010101900001,Asep Sunandar,Sukarasa\n"
           "3273010202910002,Euis Komariah,Gegerkalong\n")


class World:
    """Objects made on first use, so each test pays only for what its route needs."""

    @cached_property
    def usage_report(self):
        from app.catalog import stats
        from app.core.actor import SYSTEM

        return actions.usage_report_generate(SYSTEM, *stats.previous_month())

    @cached_property
    def org(self):
        return make_org(name="dinkes", title="Dinas Kesehatan")

    @cached_property
    def other_org(self):
        return make_org(name="disdik", title="Dinas Pendidikan")

    @cached_property
    def users(self):
        return {}

    def user(self, kind):
        if kind == "anonymous":
            return None
        if kind not in self.users:
            roles, orgs = {
                "admin": ([Role.ADMIN], []),
                "walidata": ([Role.WALIDATA], [custodian_org()]),
                "produsen": ([Role.PRODUSEN], [self.org]),
                "produsen_lain": ([Role.PRODUSEN], [self.other_org]),
                "pemohon_akses": ([Role.PEMOHON], []),
                "target": ([Role.PRODUSEN], [self.org]),
            }.get(kind, ([kind], []))
            self.users[kind] = make_user(roles=roles, orgs=orgs)
        return self.users[kind]

    @property
    def producer(self):
        return self.user("produsen")

    @property
    def walidata(self):
        return self.user("walidata")

    # ------------------------------------------------ datasets of dinkes, one per state
    @cached_property
    def published(self):
        return make_published(self.producer, self.walidata)

    @cached_property
    def draft(self):
        ds = make_dataset(self.producer)
        upload_csv(self.producer, ds)
        return ds

    @cached_property
    def submitted(self):
        return make_submitted(self.producer)

    @cached_property
    def revision(self):
        return make_revision(self.producer, self.walidata, notes={"unit": "Satuan?"})

    @cached_property
    def withdrawn(self):
        ds = make_published(self.producer, self.walidata)
        return actions.dataset_withdraw(self.walidata, ds.id, "Ditarik untuk pengujian.")

    @cached_property
    def restricted(self):
        ds = make_published(self.producer, self.walidata, access=Access.TERBATAS)
        actions.access_grant(self.walidata, ds.id, self.user("pemohon_akses").email,
                             "Permohonan 001")
        return ds

    @cached_property
    def closed(self):
        return make_published(self.producer, self.walidata, access=Access.TERTUTUP)

    @cached_property
    def pii(self):
        return make_submitted(self.producer, csv_text=PII_CSV)


def _res(ds):
    return ds.resources[0]


def _schema_form(res):
    form = {"field_name": [f["name"] for f in res.table_schema["fields"]]}
    for i, f in enumerate(res.table_schema["fields"]):
        form[f"type_{i}"] = f["type"]
        form[f"title_{i}"] = f.get("title", "")
    return form


@dataclass
class Case:
    name: str
    method: str
    endpoint: str
    expect: str  # one value per KINDS column
    build: object  # World -> (url, form data or None)
    follow_check: bool = field(default=True)

    def expected(self, kind):
        values = self.expect.split()
        assert len(values) == len(KINDS), self.name
        return values[KINDS.index(kind)]


def _csv_file():
    return (io.BytesIO(VALID_CSV.encode()), "data-baru.csv")


# Columns:     anon  admin wali prod prodB help ppid atasan pimp pemohon pemohon+akses
CASES = [
    # ---- accounts: only admins manage users and organisations
    Case("login page", "GET", "accounts.login",
         "200 200 200 200 200 200 200 200 200 200 200", lambda w: ("/masuk", None)),
    Case("login wrong password", "POST", "accounts.login",
         "401 401 401 401 401 401 401 401 401 401 401",
         lambda w: ("/masuk", {"email": "x@example.go.id", "password": "salah-salah-1"}),
         follow_check=False),
    Case("registration form", "GET", "accounts.register",
         "200 302 302 302 302 302 302 302 302 302 302", lambda w: ("/daftar", None)),
    Case("register", "POST", "accounts.register",
         "302 302 302 302 302 302 302 302 302 302 302",
         lambda w: ("/daftar", {"email": "warga.baru@example.com", "name": "Warga Baru",
                                "password": "rahasia-panjang-1",
                                "password_confirm": "rahasia-panjang-1"})),
    Case("logout", "POST", "accounts.logout",
         "302 302 302 302 302 302 302 302 302 302 302", lambda w: ("/keluar", {})),
    Case("user list", "GET", "accounts.users",
         "login 200 403 403 403 403 403 403 403 403 403", lambda w: ("/admin/pengguna", None)),
    Case("new user form", "GET", "accounts.user_new",
         "login 200 403 403 403 403 403 403 403 403 403",
         lambda w: ("/admin/pengguna/baru", None)),
    Case("new user", "POST", "accounts.user_new",
         "login 302 403 403 403 403 403 403 403 403 403",
         lambda w: ("/admin/pengguna/baru", {
             "email": "baru@example.go.id", "name": "Pengguna Baru",
             "password": "rahasia-1234", "roles": ["admin"], "active": "on"})),
    Case("edit user form", "GET", "accounts.user_edit",
         "login 200 403 403 403 403 403 403 403 403 403",
         lambda w: (f"/admin/pengguna/{w.user('target').id}", None)),
    Case("edit user", "POST", "accounts.user_edit",
         "login 302 403 403 403 403 403 403 403 403 403",
         lambda w: (f"/admin/pengguna/{w.user('target').id}", {
             "email": w.user("target").email, "name": "Nama Diubah", "roles": ["admin"],
             "active": "on"})),
    Case("organisations", "GET", "accounts.organisations",
         "login 200 403 403 403 403 403 403 403 403 403", lambda w: ("/admin/organisasi", None)),
    Case("new organisation", "POST", "accounts.organisations",
         "login 302 403 403 403 403 403 403 403 403 403",
         lambda w: ("/admin/organisasi", {"name": "dinas-baru", "title": "Dinas Baru"})),

    # ---- public catalogue: published open and restricted datasets are public
    Case("home", "GET", "catalog.home",
         "200 200 200 200 200 200 200 200 200 200 200", lambda w: ("/", None)),
    Case("browse", "GET", "catalog.browse",
         "200 200 200 200 200 200 200 200 200 200 200", lambda w: ("/dataset", None)),
    Case("dataset published", "GET", "catalog.dataset",
         "200 200 200 200 200 200 200 200 200 200 200",
         lambda w: (f"/dataset/{w.published.name}", None)),
    Case("resource published", "GET", "catalog.resource",
         "200 200 200 200 200 200 200 200 200 200 200",
         lambda w: (f"/dataset/{w.published.name}/sumber/{_res(w.published).id}", None)),
    Case("download open csv", "GET", "catalog.download",
         "200 200 200 200 200 200 200 200 200 200 200",
         lambda w: (f"/dataset/{w.published.name}/sumber/{_res(w.published).id}/unduh/csv",
                    None)),
    # dataset_read: unpublished work is for its producers, walidata, admin and pimpinan
    Case("dataset draft", "GET", "catalog.dataset",
         "404 200 200 200 404 404 404 404 200 404 404",
         lambda w: (f"/dataset/{w.draft.name}", None)),
    Case("dataset withdrawn", "GET", "catalog.dataset",
         "404 200 200 200 404 404 404 404 200 404 404",
         lambda w: (f"/dataset/{w.withdrawn.name}", None)),
    # Previews and validation reports quote cells: as restricted as the files themselves.
    Case("resource restricted", "GET", "catalog.resource",
         "200 200 200 200 200 200 200 200 200 200 200",
         lambda w: (f"/dataset/{w.restricted.name}/sumber/{_res(w.restricted).id}", None)),
    Case("schema page restricted", "GET", "catalog.schema",
         "login 200 200 200 403 403 403 403 403 403 200",
         lambda w: (f"/dataset/{w.restricted.name}/sumber/{_res(w.restricted).id}/skema",
                    None)),
    Case("resource draft", "GET", "catalog.resource",
         "404 200 200 200 404 404 404 404 200 404 404",
         lambda w: (f"/dataset/{w.draft.name}/sumber/{_res(w.draft).id}", None)),
    # closed (tertutup): the dataset page is for staff and pimpinan, never the public catalogue
    Case("dataset closed", "GET", "catalog.dataset",
         "404 200 200 200 404 404 404 404 200 404 404",
         lambda w: (f"/dataset/{w.closed.name}", None)),
    Case("download closed", "GET", "catalog.download",
         "404 200 200 200 404 404 404 404 403 404 404",
         lambda w: (f"/dataset/{w.closed.name}/sumber/{_res(w.closed).id}/unduh/original",
                    None)),
    # resource_download: restricted files only with a grant, for its producers and staff
    Case("download restricted", "GET", "catalog.download",
         "login 200 200 200 403 403 403 403 403 403 200",
         lambda w: (f"/dataset/{w.restricted.name}/sumber/{_res(w.restricted).id}"
                    "/unduh/original", None)),

    # ---- producer pages: need an account; only the dataset's producers may change it
    Case("my datasets", "GET", "catalog.mine",
         "login 200 200 200 200 200 200 200 200 200 200", lambda w: ("/saya/dataset", None)),
    Case("new dataset form", "GET", "catalog.new",
         "login 200 200 200 200 200 200 200 200 200 200", lambda w: ("/dataset/baru", None)),
    Case("new dataset", "POST", "catalog.new",
         "login 403 403 302 403 403 403 403 403 403 403",
         lambda w: ("/dataset/baru", _form(dataset_data(w.producer, name="dataset-baru")))),
    # Read-only for other readers (the form is disabled), hidden from the rest.
    Case("edit form", "GET", "catalog.edit",
         "login 200 200 200 404 404 404 404 200 404 404",
         lambda w: (f"/dataset/{w.draft.name}/ubah", None)),
    Case("edit", "POST", "catalog.edit",
         "login 403 403 302 404 404 404 404 403 404 404",
         lambda w: (f"/dataset/{w.draft.name}/ubah",
                    _form(dataset_data(w.producer, title="Judul hasil ubahan")))),
    Case("edit published", "POST", "catalog.edit",
         "login 403 403 403 403 403 403 403 403 403 403",
         lambda w: (f"/dataset/{w.published.name}/ubah",
                    _form(dataset_data(w.producer, title="Judul hasil ubahan")))),
    Case("upload", "POST", "catalog.upload",
         "login 403 403 302 404 404 404 404 403 404 404",
         lambda w: (f"/dataset/{w.draft.name}/unggah", {"file": _csv_file()})),
    Case("link", "POST", "catalog.link",
         "login 403 403 302 404 404 404 404 403 404 404",
         lambda w: (f"/dataset/{w.draft.name}/tautan",
                    {"name": "BPS", "url": "https://jabar.bps.go.id/"})),
    Case("schema page", "GET", "catalog.schema",
         "login 200 200 200 404 404 404 404 403 404 404",
         lambda w: (f"/dataset/{w.draft.name}/sumber/{_res(w.draft).id}/skema", None)),
    Case("schema edit", "POST", "catalog.schema",
         "login 403 403 302 404 404 404 404 403 404 404",
         lambda w: (f"/dataset/{w.draft.name}/sumber/{_res(w.draft).id}/skema",
                    _schema_form(_res(w.draft)))),
    Case("replace", "POST", "catalog.replace",
         "login 403 403 302 404 404 404 404 403 404 404",
         lambda w: (f"/dataset/{w.draft.name}/sumber/{_res(w.draft).id}/ganti",
                    {"file": _csv_file()})),
    Case("resource delete", "POST", "catalog.resource_delete",
         "login 403 403 302 404 404 404 404 403 404 404",
         lambda w: (f"/dataset/{w.draft.name}/sumber/{_res(w.draft).id}/hapus", {})),
    Case("delete", "POST", "catalog.delete",
         "login 403 403 302 404 404 404 404 403 404 404",
         lambda w: (f"/dataset/{w.draft.name}/hapus", {})),
    Case("submit", "POST", "catalog.submit",
         "login 403 403 302 404 404 404 404 403 404 404",
         lambda w: (f"/dataset/{w.draft.name}/ajukan", {})),
    Case("answer note", "POST", "catalog.answer",
         "login 403 403 302 404 404 404 404 403 404 404",
         lambda w: (f"/catatan/{w.revision.notes[0].id}/jawab", {"answer": "Sudah diperbaiki."})),

    # ---- walidata: the queue, review decisions, withdrawal, personal data, access lists
    Case("review queue", "GET", "catalog.queue",
         "login 403 200 403 403 403 403 403 403 403 403", lambda w: ("/walidata/antrean", None)),
    Case("review page", "GET", "catalog.review",
         "login 403 200 403 404 404 404 404 403 404 404",
         lambda w: (f"/dataset/{w.submitted.name}/periksa", None)),
    Case("return", "POST", "catalog.return_",
         "login 403 302 403 404 404 404 404 403 404 404",
         lambda w: (f"/dataset/{w.submitted.name}/kembalikan",
                    {"message": "Lengkapi definisi.", "note_unit": "Satuan?"})),
    Case("approve", "POST", "catalog.approve",
         "login 403 302 403 404 404 404 404 403 404 404",
         lambda w: (f"/dataset/{w.submitted.name}/setujui", {})),
    Case("personal data decision", "POST", "catalog.pii",
         "login 403 302 403 404 404 404 404 403 404 404",
         lambda w: (f"/dataset/{w.pii.name}/sumber/{_res(w.pii).id}/data-pribadi",
                    {"column": "nik", "decision": "removed"})),
    Case("withdraw", "POST", "catalog.withdraw",
         "login 403 302 403 403 403 403 403 403 403 403",
         lambda w: (f"/dataset/{w.published.name}/tarik", {"reason": "Data keliru."})),
    Case("reopen", "POST", "catalog.reopen",
         "login 403 302 302 404 404 404 404 403 404 404",
         lambda w: (f"/dataset/{w.withdrawn.name}/buka-kembali", {})),
    Case("access list", "GET", "catalog.access",
         "login 200 200 403 403 403 403 403 403 403 403",
         lambda w: (f"/dataset/{w.restricted.name}/akses", None)),
    Case("access grant", "POST", "catalog.access",
         "login 302 302 403 403 403 403 403 403 403 403",
         lambda w: (f"/dataset/{w.restricted.name}/akses",
                    {"email": w.user("target").email, "reason": "Permohonan 002"})),
    Case("access revoke", "POST", "catalog.access_revoke",
         "login 302 302 403 403 403 403 403 403 403 403",
         lambda w: (f"/dataset/{w.restricted.name}/akses/{w.user('pemohon_akses').id}/cabut",
                    {})),
    # inventory_read: the Daftar Data is public (SPBE level 2); staff also see unpublished work
    Case("inventory", "GET", "catalog.inventory",
         "200 200 200 200 200 200 200 200 200 200 200", lambda w: ("/daftar-data", None)),
    Case("inventory download", "GET", "catalog.inventory_download",
         "200 200 200 200 200 200 200 200 200 200 200", lambda w: ("/daftar-data.csv", None)),
    # Public usage statistics (SPBE level 1); reports are made by the custodian or an admin.
    Case("statistics", "GET", "catalog.statistics",
         "200 200 200 200 200 200 200 200 200 200 200", lambda w: ("/statistik", None)),
    Case("usage report", "GET", "catalog.usage_report",
         "200 200 200 200 200 200 200 200 200 200 200",
         lambda w: (f"/statistik/laporan/{w.usage_report.key}.pdf", None)),
    Case("usage report generate", "POST", "catalog.usage_report_generate",
         "login 302 302 403 403 403 403 403 403 403 403",
         lambda w: ("/statistik/laporan/buat", {})),
    # search_stats_read: what people look for and don't find, for custodian, admin, management
    Case("search stats", "GET", "catalog.search_stats",
         "login 200 200 403 403 403 403 403 200 403 403",
         lambda w: ("/walidata/pencarian", None)),
]


def _form(data):
    """A dataset dict as the HTML form posts it."""
    form = {k: ("" if v is None else v) for k, v in data.items() if k != "priority"}
    form["tags"] = ", ".join(data.get("tags", []))
    if data.get("priority"):
        form["priority"] = "on"
    return form


def _location(resp):
    return resp.headers.get("Location", "")


def _datasets_state():
    from app.catalog.models import Dataset

    return sorted((d.id, d.status, d.title, d.access) for d in Dataset.query.all())


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("case", CASES, ids=[f"{c.method} {c.name}" for c in CASES])
def test_permission_sweep(case, kind, client_for, storage_dir):
    world = World()
    url, data = case.build(world)
    user = world.user(kind)
    client = client_for(user)
    expected = case.expected(kind)
    if case.method == "GET":
        resp = client.get(url)
    else:
        data = dict(data or {})
        data["csrf_token"] = csrf_token(client)
        before = (row_counts(), _datasets_state(), storage_files(storage_dir))
        resp = client.post(url, data=data)
    got = str(resp.status_code)
    if resp.status_code == 302 and _location(resp).startswith("/masuk"):
        got = "login"
    assert got == expected, (
        f"{case.method} {url} as {kind}: {resp.status_code} {_location(resp)}\n"
        f"{resp.get_data(as_text=True)[:400]}")
    if case.method == "POST" and expected in ("403", "404", "login"):
        # A refused request changed nothing.
        assert (row_counts(), _datasets_state(), storage_files(storage_dir)) == before
    if expected == "302" and case.follow_check and user is not None:
        # Got through: the page it leads to reports no error.
        page = client.get(_location(resp)).get_data(as_text=True)
        assert 'class="flash error"' not in page, re.findall(
            r'class="flash error"[^>]*>([^<]*)', page)


def test_every_route_is_in_the_sweep(app):
    """A new route must get a row in CASES (and so an explicit permission expectation)."""
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] in ("catalog", "accounts"):
            routes |= {(rule.endpoint, m) for m in rule.methods - {"HEAD", "OPTIONS"}}
    covered = {(c.endpoint, c.method) for c in CASES}
    assert routes - covered == set(), "routes without a permission expectation"
    assert covered - routes == set(), "sweep rows for routes that no longer exist"


def _post_routes(app):
    urls = []
    values = {"name": "x", "resource_id": "r", "note_id": 1, "user_id": 1, "fmt": "csv"}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] in ("catalog", "accounts") and "POST" in rule.methods:
            args = {k: values[k] for k in rule.arguments}
            urls.append(rule.build(args)[1])
    return urls


def test_anonymous_post_without_csrf_token_is_refused_everywhere(app, client):
    urls = _post_routes(app)
    assert len(urls) >= 20
    for url in urls:
        resp = client.post(url, data={"email": "a@example.go.id", "password": "x" * 12})
        assert resp.status_code == 400, url
        assert "Formulir kedaluwarsa atau tidak sah" in resp.get_data(as_text=True), url


# ---------------------------------------------------------------- pages

@pytest.fixture
def catalogue():
    """Published datasets that differ in organisation, topic, access, format and years, plus
    work that must never show in the public catalogue."""
    from app.catalog.models import Topic

    dinkes = make_org(name="dinkes", title="Dinas Kesehatan")
    disdik = make_org(name="disdik", title="Dinas Pendidikan")
    health = make_user(orgs=[dinkes])
    school = make_user(orgs=[disdik])
    walidata = make_user(roles=[Role.WALIDATA], orgs=[custodian_org()])
    pendidikan = Topic.query.filter_by(name="pendidikan").one().id
    a = make_published(health, walidata, title="Jumlah Puskesmas per Kecamatan",
                       name="jumlah-puskesmas", period_start=2021, period_end=2023)
    b = make_dataset(school, title="Rekap Sekolah Dasar Jawa Barat", name="rekap-sd",
                     topic_id=pendidikan, access="terbatas", period_start=2019,
                     period_end=None, description="Sekolah dasar negeri dan swasta.")
    from tests.factories import minimal_pdf

    upload_bytes(school, b, minimal_pdf(), "rekap.pdf")
    actions.dataset_submit(school, b.id)
    actions.dataset_approve(walidata, b.id)
    closed = make_published(health, walidata, title="Data Rahasia Pasien Kusta",
                            name="data-rahasia", access="tertutup")
    draft = make_dataset(health, title="Draf Angka Kematian Bayi", name="draf-akb")
    return {"a": a, "b": b, "closed": closed, "draft": draft, "health": health,
            "school": school, "walidata": walidata}


def _titles(html):
    return set(re.findall(r'<h2><a href="/dataset/[^"]+">([^<]+)</a></h2>', html))


A, B = "Jumlah Puskesmas per Kecamatan", "Rekap Sekolah Dasar Jawa Barat"


def test_home_lists_published_public_datasets(client, catalogue):
    html = client.get("/").get_data(as_text=True)
    assert _titles(html) == {A, B}
    assert "2 dataset terbit" in html


@pytest.mark.parametrize("query,expected", [
    ("", {A, B}),
    ("?organisation=dinkes", {A}),
    ("?organisation=disdik", {B}),
    ("?topic=pendidikan", {B}),
    ("?topic=kependudukan", {A}),
    ("?access=terbatas", {B}),
    ("?access=terbuka", {A}),
    ("?access=tertutup", set()),
    ("?format=pdf", {B}),
    ("?format=CSV", {A}),
    ("?year=2022", {A}),
    ("?year=2019", {B}),
    ("?year=2030", set()),
    ("?year=bukan-angka", {A, B}),
    ("?q=sekolah", {B}),
    ("?q=PUSKESMAS", {A}),
    ("?q=rahasia", set()),
    ("?organisation=dinkes&year=2019", set()),
])
def test_browse_filters(client, catalogue, query, expected):
    resp = client.get("/dataset" + query)
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert _titles(html) == expected
    assert f"{len(expected)} dataset ditemukan" in html


def test_browse_facets_count_public_datasets_only(client, catalogue):
    html = client.get("/dataset").get_data(as_text=True)
    access = re.search(r'<ul data-facet="access">(.*?)</ul>', html, re.S).group(1)
    assert "Tertutup" not in access
    assert "(1)" in access


def test_dataset_page_shows_metadata_schema_preview_and_history(client, catalogue):
    html = client.get("/dataset/jumlah-puskesmas").get_data(as_text=True)
    assert "<h1>Jumlah Puskesmas per Kecamatan</h1>" in html
    for text in ("Dinas Kesehatan", "Dinas Komunikasi dan Informatika",  # producer, walidata
                 "32.73 Kota Bandung", "SP00055.00.00", "Creative Commons Attribution 4.0",
                 "statistik@example.go.id", "2021–2023", "Tahunan"):
        assert text in html, text
    for column in ("kode_kecamatan", "jumlah_penduduk"):  # schema
        assert column in html
    assert "Coblong" in html and "112045" in html  # preview
    for label in ("Draf dibuat", "Berkas diunggah", "Diajukan ke walidata",
                  "Disetujui dan diterbitkan"):  # history
        assert label in html, label
    assert "/unduh/xlsx" in html


def test_restricted_dataset_page_explains_and_hides_downloads(client, catalogue):
    html = client.get("/dataset/rekap-sd").get_data(as_text=True)
    assert "Dataset ini terbatas" in html
    assert "/unduh/" not in html


def test_closed_dataset_is_hidden_from_the_public(client, client_for, catalogue):
    assert client.get("/dataset/data-rahasia").status_code == 404
    assert "Data Rahasia" not in client.get("/dataset?q=rahasia").get_data(as_text=True)
    res = catalogue["closed"].resources[0]
    assert client.get(f"/dataset/data-rahasia/sumber/{res.id}").status_code == 404
    pemohon = make_user(roles=[Role.PEMOHON])
    assert client_for(pemohon).get("/dataset/data-rahasia").status_code == 404


def test_closed_and_unpublished_datasets_are_in_the_inventory_for_staff(client_for, catalogue):
    pimpinan = make_user(roles=[Role.PIMPINAN])
    html = client_for(pimpinan).get("/daftar-data").get_data(as_text=True)
    for title in (A, B, "Data Rahasia Pasien Kusta", "Draf Angka Kematian Bayi"):
        assert title in html, title
    filtered = client_for(pimpinan).get("/daftar-data?organisation=disdik").get_data(
        as_text=True)
    assert B in filtered and A not in filtered


def test_unpublished_work_is_not_listed_publicly(client, catalogue):
    html = client.get("/dataset").get_data(as_text=True)
    assert "Draf Angka Kematian Bayi" not in html
    assert client.get("/dataset/draf-akb").status_code == 404


def test_requester_identity_never_shows_on_public_pages(client, catalogue):
    """UU 27/2022: who was granted access to a restricted dataset is not public."""
    requester = make_user(roles=[Role.PEMOHON], email="warga.pemohon@example.com",
                          name="Warga Pemohon")
    actions.access_grant(catalogue["walidata"], catalogue["b"].id, requester.email,
                         "Permohonan informasi 2024/017")
    html = client.get("/dataset/rekap-sd").get_data(as_text=True)
    assert "warga.pemohon@example.com" not in html
    assert "Permohonan informasi 2024/017" not in html


def test_requester_identity_is_for_those_who_manage_access(client_for, catalogue):
    """Staff of another organisation have no need to know who asked for this dataset."""
    requester = make_user(roles=[Role.PEMOHON], email="warga.pemohon@example.com")
    actions.access_grant(catalogue["walidata"], catalogue["b"].id, requester.email, "No. 17")
    other_producer = catalogue["health"]  # dinkes; the dataset belongs to disdik
    html = client_for(other_producer).get("/dataset/rekap-sd").get_data(as_text=True)
    assert "warga.pemohon@example.com" not in html
    html = client_for(catalogue["walidata"]).get("/dataset/rekap-sd").get_data(as_text=True)
    assert "warga.pemohon@example.com" in html


def test_download_over_http_counts_and_names_the_file(client, catalogue):
    res = catalogue["a"].resources[0]
    resp = client.get(f"/dataset/jumlah-puskesmas/sumber/{res.id}/unduh/original")
    assert resp.status_code == 200
    assert resp.data == VALID_CSV.encode()
    assert 'filename=data.csv' in resp.headers["Content-Disposition"]
    resp = client.get(f"/dataset/jumlah-puskesmas/sumber/{res.id}/unduh/xlsx")
    assert resp.status_code == 200 and resp.data[:2] == b"PK"
    assert "2 unduhan" in client.get("/dataset/jumlah-puskesmas").get_data(as_text=True)


def test_resource_url_must_match_its_dataset(client, catalogue):
    res = catalogue["a"].resources[0]
    assert client.get(f"/dataset/rekap-sd/sumber/{res.id}").status_code == 404


def test_link_download_redirects(client, catalogue):
    health, walidata = catalogue["health"], catalogue["walidata"]
    ds = make_dataset(health, name="dengan-tautan")
    res = actions.resource_link_create(health, ds.id, {"name": "BPS Jabar",
                                                       "url": "https://jabar.bps.go.id/"})
    actions.dataset_submit(health, ds.id)
    actions.dataset_approve(walidata, ds.id)
    resp = client.get(f"/dataset/dengan-tautan/sumber/{res.id}/unduh/original")
    assert resp.status_code == 302 and resp.headers["Location"] == "https://jabar.bps.go.id/"


# ---------------------------------------------------------------- producer and walidata flow

def test_full_flow_through_the_web(client_for, storage_dir):
    """Create -> upload -> submit -> return with a note -> answer -> resubmit -> approve."""
    org = make_org(name="dinkes", title="Dinas Kesehatan")
    producer = make_user(orgs=[org])
    walidata = make_user(roles=[Role.WALIDATA], orgs=[custodian_org()])
    p, w = client_for(producer), client_for(walidata)

    resp = p.post("/dataset/baru", data={**_form(dataset_data(producer, name="alur-web")),
                                         "csrf_token": csrf_token(p, "/dataset/baru")})
    assert resp.status_code == 302 and resp.headers["Location"] == "/dataset/alur-web/ubah"
    resp = p.post("/dataset/alur-web/unggah", data={
        "file": (io.BytesIO(VALID_CSV.encode()), "penduduk.csv"),
        "csrf_token": csrf_token(p, "/dataset/alur-web/ubah")})
    assert resp.status_code == 302 and "/skema" in resp.headers["Location"]
    assert "lolos validasi (3 baris)" in p.get(resp.headers["Location"]).get_data(as_text=True)
    resp = p.post("/dataset/alur-web/ajukan", data={"csrf_token": csrf_token(p)})
    assert resp.status_code == 302

    assert "alur-web" in w.get("/walidata/antrean").get_data(as_text=True)
    resp = w.post("/dataset/alur-web/kembalikan", data={
        "csrf_token": csrf_token(w, "/dataset/alur-web/periksa"),
        "message": "", "note_unit": "Satuan harus jiwa, bukan orang."})
    assert resp.status_code == 302
    edit = p.get("/dataset/alur-web/ubah").get_data(as_text=True)
    assert "Satuan harus jiwa, bukan orang." in edit
    note_id = re.search(r'action="/catatan/(\d+)/jawab"', edit).group(1)
    resp = p.post(f"/catatan/{note_id}/jawab", data={"answer": "Sudah diganti.",
                                                     "csrf_token": csrf_token(p)})
    assert resp.status_code == 302
    assert p.post("/dataset/alur-web/ajukan",
                  data={"csrf_token": csrf_token(p)}).status_code == 302
    resp = w.post("/dataset/alur-web/setujui", data={"csrf_token": csrf_token(w)})
    assert resp.status_code == 302 and resp.headers["Location"] == "/dataset/alur-web"
    public = client_for(None).get("/dataset/alur-web")
    assert public.status_code == 200
    html = public.get_data(as_text=True)
    for label in ("Dikembalikan", "Diajukan ulang", "Disetujui dan diterbitkan"):
        assert label in html, label
    # The public sees the steps, not who took them.
    assert producer.email not in html and walidata.email not in html
    staff_view = p.get("/dataset/alur-web").get_data(as_text=True)
    assert "Catatan dijawab" in staff_view and walidata.email in staff_view


def test_walidata_who_created_sees_why_they_cannot_review(client_for):
    org = make_org(name="dinkes", title="Dinas Kesehatan")
    dual = make_user(roles=[Role.PRODUSEN, Role.WALIDATA], orgs=[org])
    ds = make_submitted(dual)
    c = client_for(dual)
    html = c.get(f"/dataset/{ds.name}/periksa").get_data(as_text=True)
    assert "Anda tidak dapat memeriksa dataset yang Anda buat atau ajukan sendiri." in html
    resp = c.post(f"/dataset/{ds.name}/setujui", data={"csrf_token": csrf_token(c)})
    assert resp.status_code == 403
    assert actions.get_dataset(dual, ds.id).status == "submitted"


def test_submit_problems_are_flashed_in_indonesian(client_for):
    org = make_org(name="dinkes", title="Dinas Kesehatan")
    producer = make_user(orgs=[org])
    ds = make_dataset(producer)
    c = client_for(producer)
    resp = c.post(f"/dataset/{ds.name}/ajukan", data={"csrf_token": csrf_token(c)},
                  follow_redirects=True)
    assert "Tambahkan setidaknya satu berkas atau tautan." in resp.get_data(as_text=True)
    assert actions.get_dataset(producer, ds.id).status == "draft"


def test_dataset_form_shows_field_errors(client_for):
    org = make_org(name="dinkes", title="Dinas Kesehatan")
    producer = make_user(orgs=[org])
    c = client_for(producer)
    data = _form(dataset_data(producer, kode_wilayah="32.99", kode_sdsn="SALAH"))
    resp = c.post("/dataset/baru", data={**data, "csrf_token": csrf_token(c, "/dataset/baru")})
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert "Kode SDSN harus berformat SP00055.00.00." in html


# ---------------------------------------------------------------- language

def _html_lang(html):
    return re.search(r'<html lang="([^"]+)"', html).group(1)


def test_indonesian_is_the_default(client):
    html = client.get("/").get_data(as_text=True)
    assert _html_lang(html) == "id"
    assert ">Katalog</a>" in html


def test_english_switches_the_ui_and_sticks(client):
    html = client.get("/?lang=en").get_data(as_text=True)
    assert _html_lang(html) == "en"
    assert ">Catalogue</a>" in html and ">Katalog</a>" not in html
    html = client.get("/dataset").get_data(as_text=True)  # kept in the session
    assert _html_lang(html) == "en"
    html = client.get("/?lang=id").get_data(as_text=True)
    assert _html_lang(html) == "id" and ">Katalog</a>" in html


def test_unknown_language_is_ignored(client):
    assert _html_lang(client.get("/?lang=xx").get_data(as_text=True)) == "id"


def test_error_pages_speak_english_too(client):
    html = client.get("/dataset/tidak-ada?lang=en").get_data(as_text=True)
    assert _html_lang(html) == "en"
    assert "Dataset tidak ditemukan." not in html and "not found" in html.lower()
