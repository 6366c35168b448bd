"""Benchmark of the help desk at the size of a busy provincial desk: 100,000 tickets.

    python bench/tickets.py [--tickets 100000] [--requests 200] [--keep]

Loads a deterministic synthetic desk straight into the database with bulk INSERTs (NOT
through the actions: filing 100,000 tickets one by one would take hours, and the queues and
the SLA sweep are what is measured): three years of tickets of every kind, channel and
outcome, due dates on the real working-day calendar, a few dozen handlers in six teams,
tags, requester names and the stemmed search_text the actions would write. Then it prints:

- page_*: the staff queue page GET /layanan through the Flask test client, logged in as a
  help-desk officer, over a mix of queues, filters, search and pages (wanted p95 < 100 ms);
- queue_*: actions.ticket_queue alone on the same mix (the database part of the page);
- recompute_*: sla.recompute_all over every open ticket, first with stale SLA states (every
  open ticket changes) and again with current ones (wanted < 2 s);
- escalate_*: actions.escalate (recompute, then warn once per due-soon/overdue ticket), the
  first run (writes the warnings) and a second one (nothing new to warn).

The database is PostgreSQL when DATABASE_URL points there: the benchmark then uses its own
database `bench_tickets` on that server (created if missing, its schema replaced), never the
one named in the URL. Otherwise a temporary SQLite file. Prints one JSON line; details go to
stderr.
"""
import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_DB = "bench_tickets"
PASSWORD = "bench-password-123"
TEAMS = [("diskominfo", "Dinas Komunikasi dan Informatika", True),
         ("disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil", False),
         ("dinkes", "Dinas Kesehatan", False), ("disdik", "Dinas Pendidikan", False),
         ("dinsos", "Dinas Sosial", False), ("bappeda", "Badan Perencanaan Pembangunan Daerah",
                                              False)]
HANDLERS_PER_TEAM = 6
CITIZENS = 3000
FIRST = ["Ade", "Agus", "Ai", "Asep", "Cecep", "Dadang", "Dewi", "Dian", "Eka", "Elis", "Endang",
         "Euis", "Fitri", "Gilang", "Hendra", "Iis", "Imas", "Intan", "Iwan", "Lilis", "Nanang",
         "Neng", "Nia", "Rina", "Rudi", "Siti", "Tati", "Ujang", "Wawan", "Yayan", "Yuli"]
LAST = ["Suryana", "Rahmawati", "Hidayat", "Permana", "Kusnadi", "Nurhayati", "Sopian",
        "Gunawan", "Maesaroh", "Ramdani", "Saepulloh", "Kurniasih", "Setiawan", "Wijaya",
        "Hermawan", "Rohaeti", "Sutisna", "Mulyana", "Supriatna", "Andriani"]
MEASURES = ["jumlah penduduk", "jumlah sekolah", "jumlah guru", "kasus demam berdarah",
            "prevalensi stunting", "cakupan imunisasi", "produksi padi", "luas lahan sawah",
            "panjang jalan rusak", "kondisi jembatan", "penerima bantuan sosial",
            "rumah tidak layak huni", "angka kemiskinan", "realisasi anggaran belanja",
            "pendapatan asli daerah", "kunjungan wisatawan", "kualitas air sungai",
            "timbulan sampah", "tenaga kesehatan", "kepemilikan KTP elektronik"]
LEVELS = ["kecamatan", "desa", "kabupaten/kota", "puskesmas", "sekolah", "bulan"]
PLACES = ["Kota Bandung", "Kabupaten Bandung", "Kabupaten Garut", "Kabupaten Bogor",
          "Kota Bekasi", "Kota Depok", "Kabupaten Cianjur", "Kabupaten Sumedang",
          "Kabupaten Tasikmalaya", "Kota Cimahi", "Kabupaten Karawang", "Kabupaten Subang",
          "Kabupaten Indramayu", "Kabupaten Cirebon", "Kabupaten Pangandaran",
          "Kabupaten Sukabumi", "Kabupaten Kuningan", "Kabupaten Majalengka"]
TAGS = ["kependudukan", "pendidikan", "kesehatan", "pertanian", "jalan", "anggaran",
        "bantuan sosial", "lingkungan", "pariwisata", "mahasiswa", "penelitian", "media",
        "data pribadi", "data terbatas", "kesalahan data", "lsm", "desa", "infrastruktur"]
SEARCH_WORDS = ["penduduk", "sekolah", "stunting", "padi", "jalan rusak", "bantuan sosial",
                "anggaran", "wisatawan", "sampah", "guru", "kemiskinan desa", "garut",
                "kota bandung", "puskesmas", "imunisasi"]

KINDS = [("data_request", 55), ("question", 20), ("complaint", 8), ("error_report", 7),
         ("suggestion", 5), ("objection", 2)]
CHANNELS = [("web", 60), ("telegram", 20), ("walk_in", 8), ("phone", 7), ("email", 4),
            ("api", 1)]
PRIORITIES = [("normal", 80), ("low", 5), ("high", 12), ("urgent", 3)]
REQUEST_OUTCOMES = [("fulfilled", 62), ("partially_fulfilled", 8), ("rejected", 6),
                    ("not_held", 9), ("withdrawn", 8), ("merged", 4), ("objection_decided", 2),
                    ("objection", 1)]
OTHER_OUTCOMES = [("resolved", 90), ("withdrawn", 5), ("merged", 5)]
OPEN_STATES = [("received", 22), ("in_progress", 45), ("needs_clarification", 10),
               ("extended", 10), ("awaiting_approval", 8)]
PREFIX = {"data_request": "PD", "question": "PT", "complaint": "AD", "objection": "KB",
          "error_report": "LK", "suggestion": "US"}


def pick(rng, table):
    values, weights = zip(*table, strict=True)
    return rng.choices(values, weights)[0]


# ---------------------------------------------------------------- the database

def database_url(work):
    """(url, label): this bench's own database (bench/common.py)."""
    from common import database_url as shared

    return shared(work, BENCH_DB)


def make_app(url, work):
    os.environ.setdefault("INSTANCE_DIR", str(work / "instance"))
    from app import create_app
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                       "STORAGE_DIR": str(work / "storage"),
                       "SEARCH_INDEX_DIR": str(work / "search"), "WTF_CSRF_ENABLED": False,
                       "RATELIMIT_ENABLED": False})


# ---------------------------------------------------------------- people and teams

def load_people(rng):
    """Teams, handlers and citizens. Returns (officer, team ids, handlers by team, citizens)."""
    from sqlalchemy import insert

    from app.accounts import actions as accounts
    from app.accounts.models import Organisation, User, UserRole, memberships
    from app.core.actor import SYSTEM
    from app.extensions import db

    teams = []
    for name, title, custodian in TEAMS:
        org = accounts.organisation_create(SYSTEM, {
            "name": name, "title": title, "description": "", "is_custodian": custodian,
            "email": f"{name}@bench.example"})
        teams.append(org.id)
    officer = accounts.user_create(SYSTEM, {
        "email": "petugas@bench.example", "name": "Petugas Bench", "password": PASSWORD,
        "roles": ["helpdesk"], "organisations": [TEAMS[0][0]]})
    # The rest share one password hash: hashing thousands of passwords measures nothing.
    digest = officer.password_hash
    users, roles, members, by_team = [], [], [], defaultdict(list)
    next_id = officer.id + 1
    by_team[teams[0]].append(officer.id)
    for t, team in enumerate(teams):
        for n in range(HANDLERS_PER_TEAM):
            role = "ppid" if n == 0 else "helpdesk"
            users.append({"id": next_id, "email": f"{role}{t}.{n}@bench.example",
                          "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                          "password_hash": digest, "active": True})
            roles.append({"user_id": next_id, "role": role})
            members.append({"user_id": next_id, "organisation_id": team})
            by_team[team].append(next_id)
            next_id += 1
    citizens = []
    for n in range(CITIZENS):
        users.append({"id": next_id, "email": f"warga{n}@bench.example",
                      "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                      "password_hash": digest, "active": True})
        roles.append({"user_id": next_id, "role": "pemohon"})
        citizens.append((next_id, users[-1]["name"]))
        next_id += 1
    now = datetime.now(UTC).replace(tzinfo=None)
    for row in users:
        row["created_at"] = now
    db.session.execute(insert(User.__table__), users)
    db.session.execute(insert(UserRole.__table__), roles)
    db.session.execute(insert(memberships), members)
    db.session.commit()
    _fix_sequence("user")
    assert Organisation.query.count() == len(TEAMS)
    return officer, teams, by_team, citizens


def _fix_sequence(table):
    """Explicit ids leave PostgreSQL's sequence behind; later inserts would collide."""
    from sqlalchemy import text

    from app.extensions import db
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                                f"(SELECT max(id) FROM \"{table}\"))"))
        db.session.commit()


# ---------------------------------------------------------------- tickets

class Texts:
    """Subjects, bodies and their search_text, made once per distinct text."""

    def __init__(self):
        from app.tickets import actions
        self._search_text = actions._search_text
        self._cache = {}

    def make(self, rng, kind):
        measure, level, place = rng.choice(MEASURES), rng.choice(LEVELS), rng.choice(PLACES)
        year = rng.randint(2019, 2025)
        if kind == "data_request":
            subject = f"Data {measure} per {level} di {place} tahun {year}"
            body = (f"Mohon data {measure} menurut {level} di {place} tahun {year} "
                    "untuk keperluan penelitian dan perencanaan.")
        elif kind == "objection":
            subject = f"Keberatan atas permohonan data {measure} {place}"
            body = "Permohonan saya ditolak tanpa alasan yang jelas; mohon ditinjau kembali."
        else:
            subject = f"{kind.replace('_', ' ').title()}: {measure} di {place}"
            body = f"Saya ingin bertanya atau melapor tentang data {measure} di {place}."
        key = (subject, body)
        if key not in self._cache:
            self._cache[key] = self._search_text(subject, body)
        return subject, body, self._cache[key]


def working_days(today, years):
    from app.workdays import calendar as workdays
    cal = workdays.calendar()
    days, day = [], today - timedelta(days=365 * years)
    while day <= today + timedelta(days=120):
        if cal.is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def ticket_rows(n, today, people, rng):
    """n ticket rows, oldest first, with realistic states for their age."""
    officer, teams, by_team, citizens = people
    days = working_days(today, 3)
    past = [i for i, d in enumerate(days) if d < today]
    today_i = len(past)
    texts, counters = Texts(), Counter()
    now = datetime.now(UTC).replace(tzinfo=None)
    rows = []
    for received_i in sorted(rng.choice(past) for _ in range(n)):
        received_on = days[received_i]
        kind = pick(rng, KINDS)
        age = today_i - received_i  # working days since receipt
        # Recent tickets are mostly open; a few old ones were forgotten (overdue).
        is_open = rng.random() < (0.9 if age <= 8 else 0.5 if age <= 15 else 0.004)
        if is_open:
            status = pick(rng, OPEN_STATES)
        else:
            status = pick(rng, REQUEST_OUTCOMES if kind == "data_request" else OTHER_OUTCOMES)
        answer_days = 30 if kind == "objection" else 10
        extension = rng.randint(3, 7) if status == "extended" else 0
        due_on = days[min(received_i + answer_days + extension, len(days) - 1)]
        team = rng.choice(teams) if rng.random() < 0.5 else teams[0]
        assigned = status != "received" or rng.random() < 0.1
        assignee = rng.choice(by_team[team]) if assigned else None
        year = received_on.year
        counters[(PREFIX[kind], year)] += 1
        subject, body, search_text = texts.make(rng, kind)
        account = kind == "objection" or rng.random() < 0.6
        requester_id, name = rng.choice(citizens) if account else (
            None, f"{rng.choice(FIRST)} {rng.choice(LAST)}")
        received_at = datetime(received_on.year, received_on.month, received_on.day,
                               rng.randint(1, 9), rng.randint(0, 59))
        answered_on = None
        if not is_open and status not in ("withdrawn", "merged"):
            took = min(rng.randint(1, answer_days + 2), len(days) - received_i - 1)
            answered_on = min(days[received_i + took], days[today_i - 1])
        closed_at = (None if is_open else datetime.combine(
            answered_on or days[min(received_i + 1, today_i - 1)], datetime.min.time())
            + timedelta(hours=5))
        rows.append({
            "number": f"{PREFIX[kind]}-{year}-{counters[(PREFIX[kind], year)]:06d}",
            "check_code": "BENCH" + str(len(rows) % 1000).zfill(3), "kind": kind,
            "channel": pick(rng, CHANNELS), "status": status,
            "priority": pick(rng, PRIORITIES), "subject": subject, "body": body,
            "requester_id": requester_id, "requester_name": name,
            "organisation_id": team, "assignee_id": assignee,
            "assigned_at": received_at + timedelta(hours=2) if assignee else None,
            "tags": sorted(rng.sample(TAGS, rng.choice((0, 1, 1, 2, 2, 3)))),
            "received_at": received_at, "received_on": received_on, "due_on": due_on,
            "paused_on": (days[max(received_i, today_i - 3)]
                          if status == "needs_clarification" else None),
            "paused_days": 0, "extension_days": extension or None,
            "extended_at": received_at + timedelta(days=5) if extension else None,
            # Stale on purpose: the first recompute brings every open ticket up to date.
            "sla_state": "on_time" if is_open else "done",
            "answered_on": answered_on, "closed_at": closed_at,
            "answered_at": closed_at if answered_on else None,
            "public": True, "search_text": search_text, "consent_at": received_at,
            "created_at": received_at, "updated_at": closed_at or now,
        })
    return rows, counters


def load_datasets(teams, rng, count=300):
    """Published datasets for tickets to link (the queue loads Ticket.datasets)."""
    from sqlalchemy import insert

    from app.catalog.models import Dataset
    from app.extensions import db

    rows = []
    for n in range(count):
        measure, place = rng.choice(MEASURES), rng.choice(PLACES)
        rows.append({"id": f"00000000-0000-4000-8000-{n:012d}", "name": f"dataset-{n}",
                     "title": f"{measure.capitalize()} di {place} {2019 + n % 6}",
                     "organisation_id": rng.choice(teams), "status": "published",
                     "access": "terbatas" if n % 8 == 0 else "terbuka"})
    db.session.execute(insert(Dataset.__table__), rows)
    return [r["id"] for r in rows]


def load_tickets(n, today, people, rng):
    from sqlalchemy import insert, select

    from app.extensions import db
    from app.tickets.models import Ticket, TicketCounter, ticket_datasets

    rows, counters = ticket_rows(n, today, people, rng)
    started = time.perf_counter()
    datasets = load_datasets(people[1], rng)
    for start in range(0, len(rows), 5000):
        db.session.execute(insert(Ticket.__table__), rows[start:start + 5000])
    db.session.execute(insert(TicketCounter.__table__), [
        {"prefix": p, "year": y, "last": last} for (p, y), last in counters.items()])
    # A third of the requests and error reports name one or two datasets.
    ids = db.session.execute(select(Ticket.id).where(
        Ticket.kind.in_(("data_request", "error_report")))).scalars().all()
    links = {(t, d) for t in ids if rng.random() < 0.35
             for d in rng.sample(datasets, rng.choice((1, 1, 2)))}
    db.session.execute(insert(ticket_datasets), [
        {"ticket_id": t, "dataset_id": d} for t, d in sorted(links)])
    db.session.commit()
    db.session.execute(db.text("ANALYZE"))  # fresh statistics, as autovacuum would leave
    db.session.commit()
    return rows, time.perf_counter() - started


# ---------------------------------------------------------------- the measured mix

def request_mix(count, people, rows, rng):
    """Query-string dicts for GET /layanan: queues, filters, search, pages and sorts."""
    officer, teams, by_team, _citizens = people
    handlers = [h for team in teams for h in by_team[team]]
    numbers = [r["number"] for r in rng.sample(rows, 20)]
    names = [r["requester_name"].split()[0] for r in rng.sample(rows, 20)]
    queues = ["open", "unassigned", "mine", "team", "due_soon", "overdue", "waiting",
              "approval", "closed", "all"]
    mix = []
    for i in range(count):
        args = {"antrean": queues[i % len(queues)]}
        choice = i % 8
        if choice == 1:
            args["kind"] = pick(rng, KINDS)
        elif choice == 2:
            args["assignee"] = rng.choice(handlers)
            args["sla"] = rng.choice(["on_time", "due_soon", "overdue", "done"])
        elif choice == 3:
            args["q"] = rng.choice(SEARCH_WORDS)
        elif choice == 4:
            args["q"] = rng.choice(numbers + names)
        elif choice == 5:
            args["tag"] = rng.choice(TAGS)
            args["organisation"] = rng.choice(teams)
        elif choice == 6:
            args["page"] = rng.choice([2, 3, 10, 50])
            args["sort"] = rng.choice(["due", "newest", "oldest"])
        elif choice == 7:
            args["channel"] = pick(rng, CHANNELS)
            args["priority"] = rng.choice(["high", "urgent"])
        mix.append({k: str(v) for k, v in args.items()})  # as a query string brings them
    return mix


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def timed_ms(fn):
    started = time.perf_counter()
    result = fn()
    return (time.perf_counter() - started) * 1000, result


def summary(values):
    return {"p50_ms": round(statistics.median(values), 1), "p95_ms": round(pct(values, 95), 1),
            "max_ms": round(max(values), 1)}


class QueryCount:
    """How many SQL statements the code under it sends (an N+1 shows here first)."""

    def __init__(self, engine):
        from sqlalchemy import event
        self.n = 0
        event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *args):
        self.n += 1


def measure_queue(app, officer_id, mix):
    """actions.ticket_queue alone, as the page calls it. Returns per-request ms and kinds."""
    from app.accounts.models import User
    from app.extensions import db
    from app.tickets import actions, queues

    out = []
    with app.app_context():
        queries = QueryCount(db.engine)
        officer = db.session.get(User, officer_id)
        for args in mix[:20] + mix:  # the first 20 warm up, as for the page
            filters = queues.clean_filters(args)
            before = queries.n
            ms, page = timed_ms(lambda a=args, f=filters: actions.ticket_queue(
                officer, a["antrean"], f, page=int(a.get("page", 1)),
                sort=a.get("sort", "due")))
            out.append((ms, _label(args), queries.n - before))
            db.session.rollback()
        db.session.remove()
    return out[20:]


def measure_page(app, mix):
    from app.extensions import db
    with app.app_context():
        queries = QueryCount(db.engine)
    client = app.test_client()
    resp = client.post("/masuk", data={"email": "petugas@bench.example",
                                       "password": PASSWORD})
    assert resp.status_code == 302, resp.status_code
    for args in mix[:20]:  # warm-up: templates compiled, caches filled
        client.get("/layanan", query_string=args)
    out, codes = [], Counter()
    for args in mix:
        before = queries.n
        ms, resp = timed_ms(lambda a=args: client.get("/layanan", query_string=a))
        codes[resp.status_code] += 1
        out.append((ms, _label(args), queries.n - before))
    return out, codes


def _label(args):
    keys = sorted(k for k in args if k not in ("antrean",))
    return args["antrean"] + ("+" + "+".join(keys) if keys else "")


def measure_sla(app):
    from app.extensions import db
    from app.tickets import actions, sla
    from app.tickets.models import State, Ticket

    with app.app_context():
        open_count = Ticket.query.filter(Ticket.status.in_(State.OPEN)).count()
        cold_ms, changed = timed_ms(sla.recompute_all)
        warm_ms, unchanged = timed_ms(sla.recompute_all)
        esc_ms, counts = timed_ms(actions.escalate)
        esc2_ms, counts2 = timed_ms(actions.escalate)
        states = Counter(s for (s,) in db.session.query(Ticket.sla_state)
                         .filter(Ticket.status.in_(State.OPEN)))
        db.session.remove()
    return {"open_tickets": open_count, "recompute_first_ms": round(cold_ms, 1),
            "recompute_first_changed": changed, "recompute_ms": round(warm_ms, 1),
            "recompute_changed": unchanged, "escalate_first_ms": round(esc_ms, 1),
            "escalate_first_warned": counts, "escalate_ms": round(esc2_ms, 1),
            "escalate_warned": counts2, "sla_states": dict(states)}


def worst(samples, n=6):
    by = defaultdict(list)
    for ms, label, *_ in samples:
        by[label].append(ms)
    return sorted(((round(max(v), 1), k) for k, v in by.items()), reverse=True)[:n]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--keep", action="store_true", help="keep the SQLite file")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="mejadata-bench-tickets-"))
    url, label = database_url(work)
    app = make_app(url, work)
    rng = random.Random(args.seed)
    from app.core.timeutil import local_today
    from app.extensions import db

    with app.app_context():
        db.create_all()
        started = time.perf_counter()
        people = load_people(rng)
        rows, insert_s = load_tickets(args.tickets, local_today(), people, rng)
        print(f"{label}: {len(rows)} tickets bulk-inserted (not through the actions) in "
              f"{insert_s:.1f} s, {time.perf_counter() - started:.1f} s with generation",
              file=sys.stderr)
        officer_id = people[0].id
        mix = request_mix(args.requests, people, rows, rng)
        db.session.remove()

    has_page = any(rule.rule == "/layanan" for rule in app.url_map.iter_rules())
    queue = measure_queue(app, officer_id, mix)
    line = {"database": label, "tickets": len(rows), "requests": len(mix),
            "queue": summary([ms for ms, _l, _n in queue]),
            "queue_sql_per_call": round(statistics.mean(n for _ms, _l, n in queue), 1)}
    if has_page:
        page, codes = measure_page(app, mix)
        line["page"] = summary([ms for ms, _l, _n in page])
        line["page_sql_per_request"] = round(statistics.mean(n for _ms, _l, n in page), 1)
        print(f"page status codes: {dict(codes)}", file=sys.stderr)
        print(f"slowest pages: {worst(page)}", file=sys.stderr)
    else:
        print("GET /layanan does not exist yet: only actions.ticket_queue measured",
              file=sys.stderr)
    print(f"slowest queue calls: {worst(queue)}", file=sys.stderr)
    line.update(measure_sla(app))
    print(json.dumps(line, default=str))
    if args.keep:
        print(f"kept: {url}", file=sys.stderr)
    elif label == "sqlite":
        (work / "bench.db").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
