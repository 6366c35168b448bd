"""Benchmark of catalogue search at the size of a national catalogue.

    python bench/search.py [--datasets 50000] [--queries 240] [--procs 2]

Generates a deterministic synthetic catalogue of Indonesian datasets ("Jumlah Penduduk Menurut
Kecamatan di Kabupaten Garut Tahun 2021", with descriptions, tags, producers, topics, years,
regions from the shipped Kemendagri list, resources with formats and column names) straight
into a fresh SQLite database (the actions would take an hour; search is what is measured),
then:

- build_s: `search_index.reindex` (database -> new index generation -> swap), as
  `flask search reindex --procs N` runs it;
- whoosh_*: the same queries of 1-3 words through the app's search engine, facets on (six
  facets, counts), top 20, all words required; broad_*: the same queries, any word;
- fts5_*: the same corpus and queries in SQLite FTS5 (bm25 top 20, total, the six facets
  counted with GROUP BY over the hits), all words required, as a reference;
- page_p95_ms: the search page end to end through the Flask test client (catch-up, search,
  database load of the page, snippets, template, query log).

Each timed pass follows one untimed warm-up pass over the same queries (the first pass after a
new index generation reads each term's postings once; whoosh_cold_p95_ms reports that pass).
Prints one JSON line. Wanted on a 2-core machine: p95 <= 50 ms in both modes, build <= 40 s,
page p95 <= 100 ms.
"""
import argparse
import csv
import gzip
import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MEASURES = [
    ("Jumlah Penduduk", "kependudukan", ["penduduk", "demografi"], "jiwa"),
    ("Kepadatan Penduduk", "kependudukan", ["penduduk", "kepadatan"], "jiwa/km2"),
    ("Jumlah Kelahiran", "kependudukan", ["kelahiran", "penduduk"], "jiwa"),
    ("Angka Perkawinan", "kependudukan", ["perkawinan"], "peristiwa"),
    ("Luas Lahan Pertanian", "pertanian", ["pertanian", "lahan", "sawah"], "hektar"),
    ("Produksi Padi", "pertanian", ["padi", "pangan", "pertanian"], "ton"),
    ("Jumlah Petani", "pertanian", ["petani", "pertanian"], "orang"),
    ("Populasi Ternak Sapi", "pertanian", ["peternakan", "sapi"], "ekor"),
    ("Produksi Perikanan Tangkap", "pertanian", ["perikanan", "nelayan"], "ton"),
    ("Jumlah Sekolah Dasar", "pendidikan", ["sekolah", "pendidikan"], "unit"),
    ("Angka Partisipasi Sekolah", "pendidikan", ["sekolah", "partisipasi"], "persen"),
    ("Jumlah Guru", "pendidikan", ["guru", "pendidikan"], "orang"),
    ("Jumlah Puskesmas", "kesehatan", ["puskesmas", "kesehatan"], "unit"),
    ("Kasus Demam Berdarah", "kesehatan", ["dbd", "penyakit"], "kasus"),
    ("Prevalensi Stunting Balita", "kesehatan", ["stunting", "gizi", "balita"], "persen"),
    ("Cakupan Imunisasi Dasar", "kesehatan", ["imunisasi", "kesehatan"], "persen"),
    ("Jumlah Tenaga Kesehatan", "kesehatan", ["tenaga kesehatan"], "orang"),
    ("Panjang Jalan", "infrastruktur", ["jalan", "infrastruktur"], "km"),
    ("Kondisi Jembatan", "infrastruktur", ["jembatan", "infrastruktur"], "unit"),
    ("Jumlah Kendaraan Bermotor", "infrastruktur", ["kendaraan", "transportasi"], "unit"),
    ("Rumah Tidak Layak Huni", "sosial", ["perumahan", "kemiskinan"], "unit"),
    ("Jumlah Penduduk Miskin", "sosial", ["kemiskinan", "bansos"], "jiwa"),
    ("Penerima Bantuan Sosial", "sosial", ["bansos", "kemiskinan"], "keluarga"),
    ("Tingkat Pengangguran Terbuka", "ekonomi", ["pengangguran", "tenaga kerja"], "persen"),
    ("Pendapatan Asli Daerah", "ekonomi", ["pendapatan", "keuangan"], "rupiah"),
    ("Realisasi Anggaran Belanja", "ekonomi", ["anggaran", "keuangan"], "rupiah"),
    ("Jumlah Koperasi Aktif", "ekonomi", ["koperasi", "umkm"], "unit"),
    ("Jumlah Usaha Mikro Kecil", "ekonomi", ["umkm", "usaha"], "unit"),
    ("Volume Sampah Terangkut", "lingkungan", ["sampah", "lingkungan"], "ton"),
    ("Kejadian Bencana Banjir", "lingkungan", ["bencana", "banjir"], "kejadian"),
    ("Kualitas Air Sungai", "lingkungan", ["air", "sungai"], "indeks"),
    ("Jumlah Wisatawan", "pariwisata", ["wisatawan", "pariwisata"], "orang"),
    ("Jumlah Hotel Berbintang", "pariwisata", ["hotel", "pariwisata"], "unit"),
    ("Jumlah Aparatur Sipil Negara", "pemerintahan", ["asn", "kepegawaian"], "orang"),
    ("Indeks Kepuasan Masyarakat", "pemerintahan", ["pelayanan publik"], "indeks"),
]
BREAKDOWNS = [("Menurut Kecamatan", "kecamatan"), ("Menurut Desa/Kelurahan", "desa"),
              ("Menurut Jenis Kelamin", "jenis_kelamin"), ("Menurut Kelompok Umur", "umur"),
              ("per Bulan", "bulan"), ("Menurut Jenis", "jenis"), ("Menurut Status", "status")]
ORGS = ["Dinas Kesehatan", "Dinas Pendidikan", "Dinas Pertanian", "Dinas Kependudukan dan "
        "Pencatatan Sipil", "Dinas Sosial", "Dinas Pekerjaan Umum", "Dinas Perhubungan",
        "Dinas Lingkungan Hidup", "Dinas Pariwisata", "Badan Pusat Statistik", "Bappeda",
        "Badan Pengelola Keuangan Daerah", "Dinas Koperasi dan UKM", "Dinas Tenaga Kerja",
        "Dinas Perikanan", "Dinas Peternakan", "BPBD", "Badan Kepegawaian Daerah",
        "Dinas Perumahan dan Permukiman", "Dinas Komunikasi dan Informatika"]
SENTENCES = [
    "Data dikumpulkan melalui pencatatan administrasi perangkat daerah.",
    "Angka tahun terakhir bersifat sementara dan dapat berubah.",
    "Sumber data adalah laporan rutin unit pelaksana teknis.",
    "Metode pengumpulan mengikuti standar data statistik sektoral.",
    "Data ini digunakan untuk perencanaan pembangunan daerah.",
    "Pemutakhiran dilakukan setelah verifikasi oleh walidata.",
    "Cakupan wilayah meliputi seluruh kecamatan.",
    "Satuan dan definisi mengikuti Satu Data Indonesia.",
]
FORMATS = [("CSV", 0.7), ("XLSX", 0.4), ("PDF", 0.2), ("JSON", 0.1)]
# Query words: what people type into a catalogue (common and rare, places, a year).
QUERY_WORDS = ["jumlah", "penduduk", "kabupaten", "kecamatan", "data", "tahun", "pertanian",
               "petani", "padi", "sekolah", "guru", "puskesmas", "stunting", "jalan", "jembatan",
               "kemiskinan", "miskin", "wisatawan", "hotel", "banjir", "sampah", "anggaran",
               "pendapatan", "pengangguran", "ternak", "sapi", "ikan", "kota", "desa", "umur",
               "bulan", "koperasi", "umkm", "kendaraan", "imunisasi", "gizi", "kelahiran",
               "perkawinan", "bencana", "air", "sungai", "asn", "pelayanan", "2021", "2019"]


def regencies():
    path = ROOT / "data" / "wilayah-kemendagri-2025.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8-sig", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["tingkat"] in ("provinsi", "kabupaten_kota")]
    return rows


def generate(n, seed=7):
    """Deterministic datasets as plain dicts."""
    rng = random.Random(seed)
    regions = [r for r in regencies() if r["tingkat"] == "kabupaten_kota"]
    out = []
    for i in range(n):
        measure, topic, tags, unit = rng.choice(MEASURES)
        breakdown, column = rng.choice(BREAKDOWNS)
        region = rng.choice(regions)
        start = rng.randint(2010, 2024)
        end = min(2024, start + rng.choice((0, 0, 1, 2, 4)))
        org = rng.choice(ORGS)
        title = f"{measure} {breakdown} di {region['nama']} Tahun {start}"
        description = (f"Data {measure.lower()} {breakdown.lower()} di {region['nama']} "
                       f"tahun {start}–{end} dalam satuan {unit}, disusun oleh {org}. "
                       + " ".join(rng.sample(SENTENCES, 3)))
        formats = [f for f, p in FORMATS if rng.random() < p] or ["CSV"]
        out.append({
            "i": i, "title": title, "description": description, "topic": topic,
            "tags": sorted(set(tags + rng.sample(["statistik", "sektoral", "tahunan",
                                                  "bulanan", "sdgs", "spm"], 1))),
            "org": org, "region": region["kode"], "region_name": region["nama"],
            "start": start, "end": end, "formats": formats, "unit": unit,
            "access": "terbatas" if rng.random() < 0.15 else "terbuka",
            "columns": ["kode_wilayah", column, "tahun", "_".join(measure.lower().split()[:2])],
            "downloads": rng.randint(0, 500) if rng.random() < 0.3 else 0,
        })
    return out


def queries(count, seed=11):
    rng = random.Random(seed)
    out = []
    while len(out) < count:
        k = rng.choice((1, 2, 2, 3))
        words = rng.sample(QUERY_WORDS, k)
        if rng.random() < 0.2:  # a word still being typed: the last one cut short
            words[-1] = words[-1][:max(3, len(words[-1]) - 2)]
        out.append(" ".join(words))
    return out


# ---------------------------------------------------------------- database

def load_database(app, rows):
    """Bulk insert: organisations, topics, regions, tags, datasets, resources, downloads."""
    from datetime import date, datetime, timedelta

    from sqlalchemy import insert

    from app.accounts.models import Organisation
    from app.catalog import actions
    from app.catalog.models import Dataset, DownloadCount, Region, Resource, Tag, Topic
    from app.catalog.models import dataset_tags as dataset_tag
    from app.core.actor import SYSTEM
    from app.extensions import db

    with app.app_context():
        db.create_all()
        actions.reference_seed(SYSTEM)
        db.session.execute(insert(Region), [
            {"code": r["kode"], "name": r["nama"], "level": r["tingkat"],
             "parent_code": r["kode"].rsplit(".", 1)[0] if "." in r["kode"] else None}
            for r in regencies()])
        db.session.execute(insert(Organisation), [
            {"id": i + 1, "name": f"org-{i + 1}", "title": name, "description": "",
             "is_custodian": False, "created_at": datetime(2020, 1, 1)}
            for i, name in enumerate(ORGS)])
        org_ids = {name: i + 1 for i, name in enumerate(ORGS)}
        topics = {t.name: t.id for t in Topic.query.all()}
        tag_names = sorted({t for r in rows for t in r["tags"]})
        db.session.execute(insert(Tag), [{"id": i + 1, "name": t}
                                         for i, t in enumerate(tag_names)])
        tag_ids = {t: i + 1 for i, t in enumerate(tag_names)}
        base = datetime(2024, 1, 1)
        datasets, links, resources, downloads = [], [], [], []
        for r in rows:
            ds_id = f"ds-{r['i']:06d}"
            when = base + timedelta(minutes=r["i"])
            datasets.append({
                "id": ds_id, "name": f"dataset-{r['i']}", "title": r["title"],
                "description": r["description"], "organisation_id": org_ids[r["org"]],
                "topic_id": topics[r["topic"]], "frequency": "tahunan",
                "period_start": r["start"], "period_end": r["end"],
                "spatial_coverage": r["region_name"], "kode_wilayah": r["region"],
                "unit": r["unit"], "access": r["access"], "license_id": "cc-by-4.0",
                "status": "published", "created_at": when, "updated_at": when,
                "published_at": when, "konsep": "", "definisi": "", "klasifikasi": "",
                "ukuran": "", "contact_name": "", "contact_email": "", "priority": False})
            links += [{"dataset_id": ds_id, "tag_id": tag_ids[t]} for t in r["tags"]]
            for pos, fmt in enumerate(r["formats"]):
                res_id = f"res-{r['i']:06d}-{pos}"
                schema = ({"fields": [{"name": c, "type": "string"} for c in r["columns"]]}
                          if fmt in ("CSV", "XLSX") else None)
                resources.append({"id": res_id, "dataset_id": ds_id, "position": pos,
                                  "name": f"data.{fmt.lower()}", "description": "",
                                  "kind": "upload", "format": fmt, "table_schema": schema,
                                  "created_at": when, "updated_at": when})
                if pos == 0 and r["downloads"]:
                    downloads.append({"resource_id": res_id, "day": date(2024, 6, 1),
                                      "count": r["downloads"]})
        for table, data in ((Dataset, datasets), (dataset_tag, links), (Resource, resources),
                            (DownloadCount, downloads)):
            for i in range(0, len(data), 5000):
                db.session.execute(insert(table), data[i:i + 5000])
        db.session.commit()


# ---------------------------------------------------------------- SQLite FTS5 reference

def fts5_build(rows):
    con = sqlite3.connect(":memory:")
    con.execute("CREATE VIRTUAL TABLE fts USING fts5(title, description, tags, organisation, "
                "topic, region, columns, tokenize='unicode61 remove_diacritics 2')")
    con.execute("CREATE TABLE meta (id INTEGER PRIMARY KEY, org TEXT, topic TEXT, access TEXT,"
                " region TEXT)")
    con.execute("CREATE TABLE years (id INTEGER, year INTEGER)")
    con.execute("CREATE TABLE formats (id INTEGER, format TEXT)")
    con.execute("CREATE INDEX years_id ON years(id)")
    con.execute("CREATE INDEX formats_id ON formats(id)")
    con.executemany("INSERT INTO fts(rowid, title, description, tags, organisation, topic, "
                    "region, columns) VALUES (?,?,?,?,?,?,?,?)",
                    [(r["i"] + 1, r["title"], r["description"], " ".join(r["tags"]), r["org"],
                      r["topic"], r["region_name"], " ".join(r["columns"])) for r in rows])
    con.executemany("INSERT INTO meta VALUES (?,?,?,?,?)",
                    [(r["i"] + 1, r["org"], r["topic"], r["access"], r["region"])
                     for r in rows])
    con.executemany("INSERT INTO years VALUES (?,?)",
                    [(r["i"] + 1, y) for r in rows for y in range(r["start"], r["end"] + 1)])
    con.executemany("INSERT INTO formats VALUES (?,?)",
                    [(r["i"] + 1, f) for r in rows for f in r["formats"]])
    con.execute("CREATE TEMP TABLE hits (id INTEGER PRIMARY KEY)")
    con.commit()
    return con


def fts5_query(con, text, mode):
    words = ['"' + w.replace('"', '') + '"' for w in text.split()]
    if mode == "all" and words:
        words[-1] += "*"  # the last word as a prefix, as the catalogue does
    match = (" AND " if mode == "all" else " OR ").join(words)
    top = con.execute("SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY bm25(fts, 3.0, 1.0, "
                      "2.0, 1.0, 1.0, 1.5, 0.7) LIMIT 20", (match,)).fetchall()
    con.execute("DELETE FROM hits")
    con.execute("INSERT INTO hits SELECT rowid FROM fts WHERE fts MATCH ?", (match,))
    total = con.execute("SELECT count(*) FROM hits").fetchone()[0]
    facets = {}
    for col in ("org", "topic", "access", "region"):
        facets[col] = con.execute(f"SELECT {col}, count(*) FROM meta JOIN hits USING (id) "
                                  f"GROUP BY {col}").fetchall()
    facets["year"] = con.execute("SELECT year, count(*) FROM years JOIN hits USING (id) "
                                 "GROUP BY year").fetchall()
    facets["format"] = con.execute("SELECT format, count(*) FROM formats JOIN hits USING (id) "
                                   "GROUP BY format").fetchall()
    return top, total, facets


# ---------------------------------------------------------------- timing

def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def timed(fn, items):
    out = []
    for item in items:
        started = time.perf_counter()
        fn(item)
        out.append((time.perf_counter() - started) * 1000)
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--datasets", type=int, default=50000)
    parser.add_argument("--queries", type=int, default=240)
    parser.add_argument("--procs", type=int, default=2)
    parser.add_argument("--limitmb", type=int, default=None,
                        help="memory per indexing process (MB; default: the product's)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="mejadata-bench-search-"))
    os.environ["INSTANCE_DIR"] = str(work / "instance")
    from app import create_app
    from app.catalog import search_engine, search_index
    from app.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{work / 'bench.db'}",
                      "SECRET_KEY": "bench", "STORAGE_DIR": str(work / "storage"),
                      "SEARCH_INDEX_DIR": str(work / "search"), "WTF_CSRF_ENABLED": False,
                      "RATELIMIT_ENABLED": False})
    rows = generate(args.datasets)
    t0 = time.perf_counter()
    load_database(app, rows)
    print(f"database: {args.datasets} datasets in {time.perf_counter() - t0:.1f} s",
          file=sys.stderr)
    qs = queries(args.queries)
    with app.app_context():
        started = time.perf_counter()
        result = search_index.reindex(procs=args.procs,
                                      limitmb=args.limitmb or search_index.LIMIT_MB)
        build_s = time.perf_counter() - started
        print(f"index: {result}", file=sys.stderr)
        engine = search_engine.engine()
        parsed = {q: search_engine.parse(q) for q in qs}

        def ask(mode):
            def run(q):
                return engine.search(parsed[q], {}, "relevance", 1, 20, mode=mode,
                                     fallback=False)
            return run

        cold = timed(ask("all"), qs)
        whoosh = timed(ask("all"), qs)
        timed(ask("any"), qs)
        broad = timed(ask("any"), qs)
        totals = [engine.search(parsed[q], {}, mode="any", fallback=False).total for q in qs]
        all_totals = [engine.search(parsed[q], {}, fallback=False).total for q in qs]
        # The same answers from plain Whoosh for a sample: the fast path must not change them.
        same = sum(engine.search(parsed[q], {}, fast=True, fallback=False).ids
                   == engine.search(parsed[q], {}, fast=False, fallback=False).ids
                   for q in qs[:20])
        db.session.remove()

    con = fts5_build(rows)
    timed(lambda q: fts5_query(con, q, "all"), qs)
    fts5 = timed(lambda q: fts5_query(con, q, "all"), qs)
    fts5_broad = timed(lambda q: fts5_query(con, q, "any"), qs)

    client = app.test_client()
    for q in qs[:20]:
        client.get("/dataset", query_string={"q": q})
    page = timed(lambda q: client.get("/dataset", query_string={"q": q}), qs)
    status = {client.get("/dataset", query_string={"q": q}).status_code for q in qs[:5]}

    line = {
        "datasets": args.datasets,
        "build_s": round(build_s, 1),
        "whoosh_p50_ms": round(statistics.median(whoosh), 1),
        "whoosh_p95_ms": round(pct(whoosh, 95), 1),
        "broad_p95_ms": round(pct(broad, 95), 1),
        "fts5_p50_ms": round(statistics.median(fts5), 1),
        "fts5_p95_ms": round(pct(fts5, 95), 1),
        "ratio_p95": round(pct(whoosh, 95) / pct(fts5, 95), 2),
        "page_p95_ms": round(pct(page, 95), 1),
        "queries": len(qs),
        "broad_p50_ms": round(statistics.median(broad), 1),
        "whoosh_cold_p95_ms": round(pct(cold, 95), 1),
        "fts5_broad_p95_ms": round(pct(fts5_broad, 95), 1),
        "median_hits_all": int(statistics.median(all_totals)),
        "median_hits_any": int(statistics.median(totals)),
        "fast_equals_whoosh": f"{same}/20",
    }
    print(f"page status codes: {sorted(status)}", file=sys.stderr)
    print(json.dumps(line))


if __name__ == "__main__":
    main()
