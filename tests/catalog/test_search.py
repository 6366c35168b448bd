"""Search: relevance on a fixed small corpus, facets against the database, hostile queries, the
query log and the staff page. A real Whoosh index in a temp dir, a real database."""
import re

import pytest

from app.catalog import actions, search, search_analysis, search_engine, search_index
from app.catalog.models import SearchQuery, Topic
from app.core.actor import Role
from app.extensions import db
from tests.factories import (
    custodian_org,
    make_dataset,
    make_org,
    make_user,
    minimal_pdf,
    upload_bytes,
    upload_csv,
)

pytestmark = pytest.mark.usefixtures("reference")

SAWAH_CSV = "kecamatan,luas_sawah_hektar\nCileunyi,120\nSukasari,15\n"


@pytest.fixture
def index_dir(app, tmp_path, monkeypatch):
    """Each test gets its own index directory (and so its own searcher)."""
    monkeypatch.setitem(app.config, "SEARCH_INDEX_DIR", str(tmp_path / "search"))
    yield tmp_path / "search"
    search_engine.engine(app).close()


# Tables of their own: the factories' table has a "jumlah_penduduk" column, which would make
# every dataset a match for "penduduk".
PLAIN_CSV = "wilayah,tahun,nilai\nKota Bandung,2023,10\nCileunyi,2023,12\n"


def publish(producer, walidata, title, description, tags=(), pdf=False, csv=PLAIN_CSV,
            **overrides):
    topic = overrides.pop("topic", "kependudukan")
    ds = make_dataset(producer, title=title, description=description, tags=list(tags),
                      topic_id=Topic.query.filter_by(name=topic).one().id, **overrides)
    if pdf:
        upload_bytes(producer, ds, minimal_pdf(), "rekap.pdf")
    else:
        upload_csv(producer, ds, csv)
    actions.dataset_submit(producer, ds.id)
    return actions.dataset_approve(walidata, ds.id)


class Corpus:
    """Ten public datasets from three producers, plus work that must never be found."""

    def __init__(self):
        self.tani_org = make_org(name="distan", title="Dinas Pertanian")
        self.duk_org = make_org(name="disdukcapil", title="Dinas Kependudukan")
        self.pu_org = make_org(name="dpupr", title="Dinas Pekerjaan Umum")
        tani = make_user(orgs=[self.tani_org])
        duk = make_user(orgs=[self.duk_org])
        pu = make_user(orgs=[self.pu_org])
        self.walidata = make_user(roles=[Role.WALIDATA], orgs=[custodian_org()])
        w = self.walidata
        self.lahan = publish(tani, w, "Luas Lahan Pertanian per Kecamatan",
                             "Luas lahan sawah dan ladang menurut kecamatan.", tags=["sawah"],
                             topic="pertanian", kode_wilayah="32.04", period_start=2020,
                             period_end=2022, csv=SAWAH_CSV, spatial_coverage="Kabupaten Bandung")
        self.petani = publish(tani, w, "Jumlah Petani Menurut Desa",
                              "Rumah tangga usaha tani per desa.", tags=["tenaga kerja"],
                              topic="pertanian", period_start=2023, period_end=2023, pdf=True)
        self.ternak = publish(tani, w, "Populasi Sapi Potong",
                              "Data peternakan: populasi sapi potong per kecamatan.",
                              tags=["sapi"], topic="pertanian", period_start=2022, period_end=2023)
        self.penduduk = publish(duk, w, "Jumlah Penduduk per Kecamatan",
                                "Penduduk terdaftar menurut jenis kelamin.", tags=["penduduk"],
                                period_start=2021, period_end=2023)
        self.padat = publish(duk, w, "Kepadatan Penduduk Kota Bandung",
                             "Kepadatan per kilometer persegi.", tags=["kepadatan"],
                             kode_wilayah="32.73", period_start=2023, period_end=2023)
        self.nikah = publish(duk, w, "Angka Perkawinan dan Perceraian",
                             "Peristiwa nikah dan cerai tercatat.", access="terbatas",
                             period_start=2019, period_end=2019, pdf=True)
        self.jembatan = publish(pu, w, "Kondisi Jembatan Provinsi",
                                "Daftar kondisi struktur per ruas.", tags=["infrastruktur"],
                                topic="infrastruktur", period_start=2022, period_end=2022)
        self.jalan = publish(pu, w, "Panjang Jalan Kabupaten",
                             "Panjang jalan menurut kondisi, tanpa jembatan dan gorong-gorong.",
                             tags=["infrastruktur"], topic="infrastruktur", period_start=2022,
                             period_end=2022)
        self.xss = publish(pu, w, "Drainase Perkotaan",
                           "Saluran <script>alert(1)</script> drainase kota.",
                           topic="infrastruktur", period_start=2021, period_end=2021)
        self.closed = publish(duk, w, "Data Rahasia Penduduk Miskin", "Nama dan alamat.",
                              access="tertutup", period_start=2023, period_end=2023)
        self.draft = make_dataset(duk, title="Draf Penduduk Lansia", name="draf-lansia")
        self.public = [self.lahan, self.petani, self.ternak, self.penduduk, self.padat,
                       self.nikah, self.jembatan, self.jalan, self.xss]


@pytest.fixture
def corpus(index_dir):
    return Corpus()


def find(text="", sort=None, page=1, **filters):
    from app.core.actor import ANONYMOUS

    return search.catalogue(ANONYMOUS, {**filters, **({"q": text} if text else {})},
                            page=page, sort=sort, record=False)


def titles(page):
    return [d.title for d in page.items]


# ---------------------------------------------------------------- the analyzer

@pytest.mark.parametrize("word,stem", [
    ("pertanian", "tani"), ("petani", "tani"), ("bertani", "tani"), ("peternakan", "ternak"),
    ("ternak", "ternak"), ("penduduk", "duduk"), ("pengangguran", "nganggur"),
    ("anggaran", "anggaran"), ("32.73", "32.73"), ("2023", "2023"),
])
def test_stems_and_corrections(word, stem):
    assert search_analysis.stem(word) == stem


def test_analyzer_folds_drops_stop_words_and_splits_column_names():
    assert search_analysis.words("Jumlah PENDUDUK yang Bekerja di Kota") == [
        "jumlah", "penduduk", "bekerja", "kota"]
    assert search_analysis.words("jumlah_penduduk kode 32.73.01 Café") == [
        "jumlah", "penduduk", "kode", "32.73.01", "cafe"]
    assert [t.text for t in search_analysis.stem_analyzer()("Pertanian dan Peternakan")] == [
        "tani", "ternak"]


# ---------------------------------------------------------------- relevance

def test_stemming_makes_word_forms_meet(corpus):
    for q in ("pertanian", "petani", "bertani", "tani"):
        assert {"Luas Lahan Pertanian per Kecamatan", "Jumlah Petani Menurut Desa"} <= set(
            titles(find(q))), q
    assert "Populasi Sapi Potong" in titles(find("ternak"))
    assert "Populasi Sapi Potong" in titles(find("peternakan"))


def test_prefixes_as_people_type_and_did_you_mean(corpus):
    assert set(titles(find("pendu"))) == {"Jumlah Penduduk per Kecamatan",
                                          "Kepadatan Penduduk Kota Bandung"}
    assert titles(find("kepadatan pendu")) == ["Kepadatan Penduduk Kota Bandung"]
    assert titles(find("jemb")) == ["Kondisi Jembatan Provinsi"]  # prefixes: not descriptions
    page = find("pendudk")
    assert page.total == 0 and page.suggestion == "penduduk"
    assert find("jumlah pendudk").suggestion == "jumlah penduduk"
    assert find("penduduk").suggestion is None


def test_title_boost_tags_regions_columns_and_formats(corpus):
    assert titles(find("jembatan")) == ["Kondisi Jembatan Provinsi", "Panjang Jalan Kabupaten"]
    assert titles(find("sawah"))[0] == "Luas Lahan Pertanian per Kecamatan"
    assert titles(find("tenaga kerja")) == ["Jumlah Petani Menurut Desa"]  # a tag, whole
    assert "Kepadatan Penduduk Kota Bandung" in titles(find("bandung"))
    assert titles(find("32.04")) == ["Luas Lahan Pertanian per Kecamatan"]  # region code
    assert titles(find("hektar")) == ["Luas Lahan Pertanian per Kecamatan"]  # a column name
    assert set(titles(find("pdf"))) == {"Jumlah Petani Menurut Desa",
                                        "Angka Perkawinan dan Perceraian"}


def test_all_words_then_any_word_and_what_is_never_found(corpus):
    page = find("penduduk kecamatan")
    assert titles(page) == ["Jumlah Penduduk per Kecamatan"] and page.mode == "all"
    page = find("penduduk sapi")  # no dataset has both
    assert page.mode == "any"
    assert {"Populasi Sapi Potong", "Jumlah Penduduk per Kecamatan"} <= set(titles(page))
    assert find("rahasia").total == 0  # closed
    assert find("lansia").total == 0  # a draft
    assert find().total == len(corpus.public)


def test_filters_sorting_and_pages(corpus, monkeypatch):
    assert set(titles(find(organisation="distan"))) == {
        "Luas Lahan Pertanian per Kecamatan", "Jumlah Petani Menurut Desa", "Populasi Sapi Potong"}
    assert titles(find("penduduk", year="2021")) == ["Jumlah Penduduk per Kecamatan"]
    assert titles(find(access="terbatas")) == ["Angka Perkawinan dan Perceraian"]
    assert titles(find(format="PDF", topic="pertanian")) == ["Jumlah Petani Menurut Desa"]
    assert titles(find(region="32.04")) == ["Luas Lahan Pertanian per Kecamatan"]
    by_title = sorted(d.title for d in corpus.public)
    assert titles(find(sort="title")) == by_title
    assert [d.id for d in find().items] == [d.id for d in sorted(
        corpus.public, key=lambda d: d.published_at, reverse=True)]
    monkeypatch.setattr(search, "PAGE_SIZE", 4)
    pages = [find(sort="title", page=n) for n in (1, 2, 3)]
    assert [len(p.items) for p in pages] == [4, 4, 1] and pages[0].pages == 3
    assert sum((titles(p) for p in pages), []) == by_title


def test_most_downloaded_order_follows_refresh(corpus):
    search_index.catch_up()
    res = corpus.jalan.resources[0]
    for _ in range(3):
        actions.resource_download(corpus.walidata, res.id, "csv")
    assert search_index.refresh_downloads() == 1
    assert titles(find(sort="downloads"))[0] == "Panjang Jalan Kabupaten"
    assert search_index.refresh_downloads() == 0


def test_snippets_are_highlighted_and_escaped(corpus):
    snippet = str(find("ladang").highlights[corpus.lahan.id]["description"])
    assert '<mark class="hl' in snippet and ">ladang</mark>" in snippet
    snippet = str(find("saluran").highlights[corpus.xss.id]["description"])
    assert "<script>" not in snippet and "&lt;script&gt;" in snippet


# ---------------------------------------------------------------- facets against the database

FACET_CASES = [{}, {"organisation": "distan"}, {"topic": "pertanian", "year": "2023"},
               {"access": "terbuka", "format": "CSV"}, {"region": "32.73"},
               {"year": "2022"}, {"organisation": "nope"}]


def test_facet_counts_equal_sql_counts(corpus):
    from sqlalchemy import select

    from app.catalog.models import Dataset

    for filters in FACET_CASES:
        page = find(**filters)
        assert page.facets == search._ordered(search.sql_facets(filters)), filters
        assert page.total == len(db.session.scalars(
            search._apply_filters(search._public_base(), filters)).all()), filters
    engine = search_engine.engine()
    for q in ("penduduk", "kondisi", "jumlah kecamatan", "infra"):
        hits = engine.search(search_engine.parse(q), {}, per_page=1000)
        base = select(Dataset).where(Dataset.id.in_(hits.ids))
        assert hits.facets == search.sql_facets({}, base=base), q


def test_fast_path_answers_exactly_as_whoosh(corpus):
    engine = search_engine.engine()
    for q in ("", "penduduk", "pendu", "jumlah kecamatan", "penduduk sapi", "jembatan", "data"):
        parsed = search_engine.parse(q)
        for sort in search_engine.SORTS:
            for filters in ({}, {"organisation": "disdukcapil"}, {"year": "2023"}):
                fast = engine.search(parsed, filters, sort, per_page=5, fast=True)
                slow = engine.search(parsed, filters, sort, per_page=5, fast=False)
                assert fast.engine == "fast" and slow.engine == "whoosh"
                assert (fast.ids, fast.total, fast.facets) == (
                    slow.ids, slow.total, slow.facets), (q, sort, filters)


# ---------------------------------------------------------------- hostile queries, via HTTP

HOSTILE = [
    "", "   ", "yang dan di ke dari", "a" * 5000, "penduduk " * 700, '"penduduk', "'",
    "title:(", "title:(penduduk", "*", "?", "pend*", "penduduk?", "(((", ")", "AND OR NOT",
    "-penduduk", "+", "\\", "%", "%00", "\x00", "penduduk\x00", "🙂🙂", "人口", "ñandú",
    "<script>alert(1)</script>", "{{7*7}}", "' OR 1=1 --", "id:*", "tags:[a TO z]", "~2",
    "penduduk~", "^3", "..", "32.", ".73", "Ⅻ", "\u200b",
]


def test_hostile_queries_give_a_page(client, corpus):
    for q in HOSTILE:
        resp = client.get("/dataset", query_string={"q": q, "sort": "relevance", "page": "x"})
        assert resp.status_code == 200, repr(q)
        html = resp.get_data(as_text=True)
        assert "dataset ditemukan" in html, repr(q)
        assert "<script>alert(1)</script>" not in html
    html = client.get("/dataset?q=yang+dan+di").get_data(as_text=True)  # only stop words
    assert f"{len(corpus.public)} dataset ditemukan" in html
    assert "Kata umum tidak dicari" in html
    for args in ("page=99999", "page=-3", "sort=bogus", "year=20x1", "region=%27",
                 "organisation=" + "x" * 5000, "format=%00", "q=%ff%fe"):
        assert client.get("/dataset?" + args).status_code == 200, args


def test_browse_page_shows_suggestion_sorts_and_region_facet(client, corpus):
    html = client.get("/dataset?q=pendudk").get_data(as_text=True)
    assert re.search(r'id="suggestion">.*?q=penduduk', html, re.S)
    html = client.get("/dataset?q=penduduk").get_data(as_text=True)
    # "Dinas Kependudukan" meets "penduduk" too: all three of its public datasets.
    assert "3 dataset ditemukan" in html and "Paling cocok" in html
    region = re.search(r'<ul data-facet="region">(.*?)</ul>', html, re.S).group(1)
    assert "Kota Bandung" in region and "region=32.73" in region
    html = client.get("/dataset?q=penduduk&sort=title&organisation=disdukcapil").get_data(
        as_text=True)
    assert "sort=title" in re.search(r'<ul data-facet="year">(.*?)</ul>', html, re.S).group(1)


# ---------------------------------------------------------------- the query log

def test_searches_are_logged_without_personal_data(client, corpus):
    client.get("/dataset?q=Penduduk++Kecamatan")
    client.get("/dataset?q=penduduk+kecamatan&page=2")  # the next page is not a new search
    client.get("/dataset?q=pendudk")
    client.get("/dataset?q=nik+3273010101900001+budi@example.com")
    client.get("/dataset?organisation=distan")  # browsing, not searching
    rows = {(r.text, r.hits) for r in SearchQuery.query.all()}
    assert rows == {("penduduk kecamatan", 1), ("pendudk", 0), ("nik [angka] [email]", 0)}
    assert set(SearchQuery.__table__.columns.keys()) == {"id", "text", "hits", "at"}


def test_staff_see_top_queries_and_queries_that_found_nothing(client_for, corpus):
    for q in ("penduduk", "penduduk", "stunting", "stunting", "stunting", "jembatan"):
        find_logged(q)
    html = client_for(corpus.walidata).get("/walidata/pencarian").get_data(as_text=True)
    not_found = re.search(r'<table id="not-found">(.*?)</table>', html, re.S).group(1)
    assert "stunting" in not_found and "penduduk" not in not_found
    top = re.search(r'<table id="top-queries">(.*?)</table>', html, re.S).group(1)
    assert top.index("stunting") < top.index("penduduk") < top.index("jembatan")
    for role, status in ((Role.PIMPINAN, 200), (Role.ADMIN, 200), (Role.PEMOHON, 403),
                         (Role.PRODUSEN, 403)):
        assert client_for(make_user(roles=[role])).get(
            "/walidata/pencarian").status_code == status, role
    assert client_for().get("/walidata/pencarian").status_code == 302


def find_logged(q):
    from app.core.actor import ANONYMOUS

    search.catalogue(ANONYMOUS, {"q": q})
    db.session.commit()
