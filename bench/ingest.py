"""Benchmark of the whole upload path: store (atomic write + SHA-256), detect_format, ingest.

    python bench/ingest.py [--rows 100000] [--profile]

Generates a deterministic 10-column CSV (region codes, Indonesian place names, integers,
decimals, dates, an enum column) outside the measurement, then runs the upload path in a
fresh subprocess so that the peak RSS belongs to the upload path alone. Prints one JSON
line: {"rows", "bytes", "seconds", "rows_per_s", "peak_mb"}; a summary of the report goes to
stderr. Target on a 2-core machine: 100,000 rows in under 6 s and under 200 MB.
"""
import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROVINCES = (11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53, 61,
             62, 63, 64, 65, 71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96)
PLACE_WORDS = ("Bekasi", "Utara", "Selatan", "Cibeunying", "Kaler", "Kidul", "Sukajadi",
               "Cimahi", "Tengah", "Barat", "Timur", "Mekarsari", "Sukamaju", "Karang", "Jaya",
               "Baru", "Lama", "Pasir", "Gunung", "Cilandak", "Kebayoran", "Tanjung", "Priok")
HEADER = ("kode_wilayah", "nama_kecamatan", "nama_desa", "jumlah_penduduk", "jumlah_kk",
          "luas_km2", "kepadatan", "tanggal_update", "kondisi_jalan", "tahun")


def region_codes(rng):
    """District-level codes like '32.73.01', a few thousand of them."""
    codes = []
    for province in PROVINCES:
        for regency in range(1, rng.randint(5, 20)):
            for district in range(1, rng.randint(5, 15)):
                codes.append(f"{province}.{regency:02d}.{district:02d}")
    return codes


def generate(path, rows, seed=42):
    """Write the benchmark CSV; returns the region codes used."""
    rng = random.Random(seed)
    codes = region_codes(rng)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(HEADER)
        for _ in range(rows):
            writer.writerow([
                rng.choice(codes),
                " ".join(rng.sample(PLACE_WORDS, 2)),
                rng.choice(PLACE_WORDS),
                rng.randint(1000, 200000),
                rng.randint(100, 50000),
                f"{rng.uniform(1, 500):.2f}",
                f"{rng.uniform(10, 20000):.1f}",
                f"2023-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                rng.choice(("Baik", "Sedang", "Rusak")),
                rng.randint(2015, 2024),
            ])
    return codes


def store(src, root):
    """Store ``src`` as an upload is stored: atomic write, SHA-256 while copying."""
    from app.core.storage import Storage

    storage = Storage(root)
    with open(src, "rb") as stream:
        stored = storage.save(stream, suffix=".csv")
    return storage.path(stored.key), stored.sha256


def upload_path(src, codes, root):
    """The measured part. Returns (seconds, report).

    Modules are imported first: a running server has them loaded already.
    """
    import app.core.storage  # noqa: F401 - loads Flask and the app package
    from app.catalog import ingest
    started = time.perf_counter()
    stored, _sha = store(src, root)
    with open(stored, "rb") as fh:
        fmt = ingest.detect_format("data.csv", fh.read(65536))
    workdir = tempfile.mkdtemp(dir=root)
    result = ingest.ingest(stored, fmt, workdir, region_codes=codes)
    return time.perf_counter() - started, result.report


def child(args):
    """Run in a fresh process: import, measure, print one JSON line."""
    sys.path.insert(0, str(ROOT))
    codes = set(json.loads(Path(args.codes).read_text()))
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
    seconds, report = upload_path(args.child, codes, args.root)
    if args.profile:
        profiler.disable()
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(30)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    rows = report["row_count"]
    print(json.dumps({"rows": rows, "bytes": os.path.getsize(args.child),
                      "seconds": round(seconds, 3), "rows_per_s": round(rows / seconds),
                      "peak_mb": round(peak_mb, 1)}))
    summary = {k: report[k] for k in ("valid", "error_count", "encoding", "delimiter",
                                      "region_checked")}
    print(json.dumps({**summary, "pii": report["pii"]}), file=sys.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--profile", action="store_true", help="cProfile to stderr")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--codes", help=argparse.SUPPRESS)
    parser.add_argument("--root", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        data, codes_file = Path(tmp) / "data.csv", Path(tmp) / "codes.json"
        codes_file.write_text(json.dumps(generate(data, args.rows)))
        root = Path(tmp) / "store"
        root.mkdir()
        command = [sys.executable, __file__, "--child", str(data), "--codes", str(codes_file),
                   "--root", str(root)] + (["--profile"] if args.profile else [])
        return subprocess.run(command, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
