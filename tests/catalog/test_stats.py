"""Public usage statistics (SPBE level 1): the numbers, the page, and the monthly report.

The numbers are checked against a small catalogue built through the real actions (downloads
through actions.resource_download) and against the database itself; the report's PDF is read
from the stored and the served bytes.
"""
import re
import shutil
import subprocess
from collections import Counter
from datetime import date, datetime, timedelta
from types import SimpleNamespace

import pytest
from babel.dates import format_date

from app.catalog import actions, auth, stats
from app.catalog.models import (
    Access,
    Dataset,
    DownloadCount,
    SearchQuery,
    Status,
    Topic,
    UsageReport,
)
from app.core.actor import ANONYMOUS, SYSTEM, Role
from app.core.audit import AuditLog
from app.core.errors import NotAuthorized, ValidationError
from app.core.timeutil import local_today, utcnow
from app.extensions import db
from reports import charts
from tests.conftest import login, post_form
from tests.factories import (
    make_dataset,
    make_org,
    make_published,
    make_user,
    make_walidata,
    storage_files,
)

pytestmark = pytest.mark.usefixtures("reference")

# ---------------------------------------------------------------- a small catalogue

def _download(ds, times, actor=ANONYMOUS):
    for _ in range(times):
        actions.resource_download(actor, ds.resources[0].id, "original")


def _move_downloads(ds, day):
    """Downloads are counted on the day they happen; a test of a past month moves them."""
    DownloadCount.query.filter_by(resource_id=ds.resources[0].id).update({"day": day})
    db.session.commit()


def _set(ds, **values):
    for name, value in values.items():
        setattr(ds, name, value)
    db.session.commit()


@pytest.fixture
def catalogue():
    """Two producers, three published datasets (open, restricted, closed), a draft and a
    withdrawn dataset; six downloads."""
    dinkes = make_org(name="dinkes", title="Dinas Kesehatan")
    disdik = make_org(name="disdik", title="Dinas Pendidikan")
    p1 = make_user(roles=(Role.PRODUSEN,), orgs=(dinkes,))
    p2 = make_user(roles=(Role.PRODUSEN,), orgs=(disdik,))
    walidata = make_walidata()
    kesehatan = Topic.query.filter_by(name="kesehatan").one()
    c = SimpleNamespace(dinkes=dinkes, disdik=disdik, producer=p1, walidata=walidata)
    c.open = make_published(p1, walidata, title="Jumlah Penduduk Kecamatan Sukasari")
    c.restricted = make_published(p1, walidata, title="Kunjungan Puskesmas Terbatas",
                                  topic_id=kesehatan.id, access=Access.TERBATAS)
    c.closed = make_published(p2, walidata, title="Data Guru Tertutup",
                              access=Access.TERTUTUP)
    c.draft = make_dataset(p2, title="Draf Sekolah")
    c.withdrawn = make_published(p1, walidata, title="Dataset Ditarik")
    actions.dataset_withdraw(walidata, c.withdrawn.id, "Ditarik untuk pengujian.")
    _download(c.open, 3)
    _download(c.restricted, 2, actor=walidata)
    _download(c.closed, 1, actor=walidata)
    return c


def _published_datasets():
    return Dataset.query.filter_by(status=Status.PUBLISHED).all()


# ---------------------------------------------------------------- the numbers

def test_counts_by_organisation_topic_and_access_equal_the_database(catalogue):
    published = _published_datasets()
    assert stats.datasets_by_organisation() == [("Dinas Kesehatan", 2), ("Dinas Pendidikan", 1)]
    assert sorted(stats.datasets_by_organisation()) == sorted(
        Counter(d.organisation.title for d in published).items())
    assert dict(stats.datasets_by_topic()) == Counter(d.topic.title for d in published)
    assert stats.datasets_by_access() == [("terbuka", 1), ("terbatas", 1), ("tertutup", 1)]
    assert stats.published_count() == len(published) == 3
    assert stats.organisations_count() == 2


def test_downloads_over_time_and_most_downloaded(catalogue):
    today = local_today()  # the Jakarta day resource_download counts on
    months = stats.months_ending(today.year, today.month, 3)
    total = db.session.scalar(db.select(db.func.sum(DownloadCount.count)))
    assert total == 6
    assert stats.downloads_by_month(months)[-1] == (stats.month_key(today.year, today.month), 6)
    assert [n for _m, n in stats.downloads_by_month(months)[:-1]] == [0, 0]
    start, end = stats.month_bounds(today.year, today.month)
    top = stats.top_datasets(start, end)
    # The closed dataset's downloads count in the totals, not by name among the most downloaded.
    assert [(t.label, t.value) for t in top] == [
        ("Jumlah Penduduk Kecamatan Sukasari", 3), ("Kunjungan Puskesmas Terbatas", 2)]
    assert top[0].name == catalogue.open.name
    assert stats.downloads_between(start, end) == 6


def test_downloads_by_day_cover_every_day_of_the_month(catalogue):
    _move_downloads(catalogue.open, date(2026, 2, 10))
    days = stats.downloads_by_day(2026, 2)
    assert len(days) == 28 and days[9] == (10, 3) and sum(n for _d, n in days) == 3


def test_catalogue_growth_is_cumulative_by_publication_month(catalogue):
    _set(catalogue.open, published_at=datetime(2026, 3, 10, 3))
    # 18:00 UTC on 31 May is 1 June in Jakarta: it counts in June.
    _set(catalogue.restricted, published_at=datetime(2026, 5, 31, 18))
    _set(catalogue.closed, published_at=datetime(2026, 6, 2, 3))
    months = [(2026, 3), (2026, 4), (2026, 5), (2026, 6)]
    assert stats.catalogue_growth(months) == [
        ("2026-03", 1), ("2026-04", 1), ("2026-05", 1), ("2026-06", 3)]
    # Withdrawn datasets leave the curve; the last point is every published dataset.
    assert stats.catalogue_growth(months)[-1][1] == len(_published_datasets())


def test_overdue_means_due_before_today_in_jakarta(catalogue):
    today = local_today()
    _set(catalogue.open, next_update_due=today - timedelta(days=10))
    _set(catalogue.closed, next_update_due=today - timedelta(days=1))
    _set(catalogue.restricted, next_update_due=today)  # due today is not late yet
    overdue = stats.overdue_datasets(today)
    assert [(o.label, o.days_late) for o in overdue] == [
        ("Jumlah Penduduk Kecamatan Sukasari", 10), ("Data Guru Tertutup", 1)]
    expected = {d.title for d in _published_datasets()
                if d.next_update_due and d.next_update_due < today}
    assert {o.label for o in overdue} == expected


def test_month_arithmetic_in_jakarta_time():
    assert stats.utc_start(date(2026, 10, 1)) == datetime(2026, 9, 30, 17, 0)
    assert stats.month_bounds(2026, 12) == (date(2026, 12, 1), date(2027, 1, 1))
    assert stats.previous_month(date(2026, 1, 15)) == (2025, 12)
    assert stats.months_ending(2026, 2, 3) == [(2025, 12), (2026, 1), (2026, 2)]
    assert stats.month_has_ended(2026, 10, today=date(2026, 11, 1))
    assert not stats.month_has_ended(2026, 11, today=date(2026, 11, 30))


# ---------------------------------------------------------------- searches

def _searches(*pairs, at=None):
    at = at or utcnow()
    for text, times in pairs:
        for _ in range(times):
            db.session.add(SearchQuery(text=text, hits=1, at=at))
    db.session.commit()


def test_searches_over_time_by_jakarta_month():
    _searches(("penduduk", 2), at=datetime(2026, 9, 30, 18, 0))  # 1 Oct 01:00 WIB
    _searches(("padi", 1), at=datetime(2026, 9, 30, 16, 0))      # 30 Sep 23:00 WIB
    assert stats.searches_by_month([(2026, 9), (2026, 10)]) == [("2026-09", 1), ("2026-10", 2)]
    assert stats.searches_between(date(2026, 10, 1), date(2026, 11, 1)) == 2


def test_most_searched_terms_never_show_rare_or_personal_looking_queries():
    _searches(("penduduk", 5), ("padi", 3), ("sekolah", 2), ("3273010101900001", 4),
              ("asep@example.com", 3), ("0812 3456 7890", 3))
    today = local_today()
    top = stats.top_searches(today - timedelta(days=1), today + timedelta(days=1))
    assert top == [("penduduk", 5), ("padi", 3)]


def test_page_escapes_what_people_typed(client):
    _searches(("<script>alert(1)</script>", 3))
    html = client.get("/statistik").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html


# ---------------------------------------------------------------- charts

def test_charts_are_static_svg_that_escape_labels(app):
    with app.test_request_context():
        svg = charts.hbars("Dataset", [("<script>alert(1)</script>", 2), ("Dinas", 1)])
        pie = charts.pie("Akses", [("Terbuka", 3), ("Tertutup", 1)])
        bars = charts.bars("Unduhan", [("Okt 2026", 0), ("Nov 2026", 0)])
    for chart in (svg, pie, bars):
        assert chart.startswith("<svg") and "viewBox" in chart
        assert "<script" not in chart and "http://kozea" not in chart and "<!--" not in chart
        # No fixed size: CSS makes it as wide as the page.
        assert not re.match(r"<svg[^>]*\swidth=", chart)
    assert "&lt;script&gt;" in svg


# ---------------------------------------------------------------- the page

def test_statistics_page_is_public_with_charts_and_tables(client, catalogue):
    _set(catalogue.open, next_update_due=local_today() - timedelta(days=3))
    _set(catalogue.closed, next_update_due=local_today() - timedelta(days=2))
    resp = client.get("/statistik")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert html.count("<svg") >= 5 and "<table" in html
    assert "Dinas Kesehatan" in html and "Dinas Pendidikan" in html
    # Overdue: an open dataset with its link, a closed one by title only (metadata).
    overdue = html[html.index('id="terlambat"'):html.index('id="laporan"')]
    assert f'href="/dataset/{catalogue.open.name}"' in overdue
    assert "Data Guru Tertutup" in overdue
    assert f'href="/dataset/{catalogue.closed.name}"' not in overdue
    # Most downloaded: names only what the public may open.
    popular = html[html.index('id="terpopuler"'):html.index('id="kata-kunci"')]
    assert "Jumlah Penduduk Kecamatan Sukasari" in popular
    assert "Data Guru Tertutup" not in popular
    assert "Buat laporan bulan lalu" not in html
    assert 'href="/statistik"' in html  # the nav link


def test_statistics_page_works_on_an_empty_catalogue(client):
    resp = client.get("/statistik?lang=en")
    assert resp.status_code == 200 and "<svg" in resp.get_data(as_text=True)


# ---------------------------------------------------------------- the monthly report

def _pdf_text(data):
    if shutil.which("pdftotext"):
        done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data,
                              capture_output=True, check=True)
        return done.stdout.decode()
    from tests.pdftext import pdf_pages

    return "\n".join(pdf_pages(data))


def _squeeze(text):
    return "".join(text.split())


@pytest.fixture
def last_month(catalogue):
    """The catalogue with activity last month: the open dataset published and downloaded
    then, and overdue by the month's end."""
    year, month = stats.previous_month()
    start, end = stats.month_bounds(year, month)
    _set(catalogue.open, published_at=stats.utc_start(start) + timedelta(days=3),
         next_update_due=start + timedelta(days=5))
    _move_downloads(catalogue.open, start + timedelta(days=9))
    catalogue.year, catalogue.month = year, month
    catalogue.month_name = format_date(start, "MMMM yyyy", locale="id")
    return catalogue


def test_report_is_a_real_pdf_with_the_month_and_its_datasets(last_month, storage_dir):
    c = last_month
    report = actions.usage_report_generate(c.walidata, c.year, c.month)
    assert (report.year, report.month) == (c.year, c.month)
    pdf = (storage_dir / report.pdf_key).read_bytes()
    assert pdf.startswith(b"%PDF-")
    text = _squeeze(_pdf_text(pdf))
    assert _squeeze(f"Laporan Penggunaan Data Terbuka {c.month_name}") in text
    assert _squeeze("Jumlah Penduduk Kecamatan Sukasari") in text
    html = (storage_dir / report.html_key).read_text()
    assert c.month_name in html and "Jumlah Penduduk Kecamatan Sukasari" in html
    assert "<svg" in html and "<script" not in html
    entry = AuditLog.query.filter_by(action="usage_report.generated").one()
    assert entry.after["month"] == report.key and entry.actor_label == c.walidata.email


def test_report_figures_are_the_months(last_month):
    from flask_babel import force_locale

    from reports import usage

    c = last_month
    with force_locale("id"):
        ctx = usage.context(c.year, c.month)
    totals = {str(label): value for label, value in ctx["totals"]}
    assert totals["Unduhan berkas bulan ini"] == 3
    assert totals["Dataset baru terbit bulan ini"] == 1
    # Published after the month ended: not yet in the catalogue at the month's end.
    assert totals["Dataset terbit pada akhir bulan"] == 1
    assert [o.label for o in ctx["overdue"]] == ["Jumlah Penduduk Kecamatan Sukasari"]
    assert [t.label for t in ctx["top_datasets"]] == ["Jumlah Penduduk Kecamatan Sukasari"]


def test_regenerating_replaces_the_months_report(last_month, storage_dir):
    c = last_month
    first = actions.usage_report_generate(SYSTEM, c.year, c.month)
    old_files = (first.pdf_key, first.html_key)
    second = actions.usage_report_generate(c.walidata, c.year, c.month)
    assert UsageReport.query.count() == 1 and second.id == first.id
    assert (second.pdf_key, second.html_key) != old_files
    stored = storage_files(storage_dir)
    assert second.pdf_key in stored and second.html_key in stored
    assert not set(old_files) & set(stored)
    assert AuditLog.query.filter_by(action="usage_report.generated").count() == 2


def test_past_months_are_listed_and_downloadable(last_month, client):
    c = last_month
    older = stats.add_months(c.year, c.month, -1)
    actions.usage_report_generate(SYSTEM, c.year, c.month)
    actions.usage_report_generate(SYSTEM, *older)
    html = client.get("/statistik").get_data(as_text=True)
    for year, month in ((c.year, c.month), older):
        key = stats.month_key(year, month)
        assert f'href="/statistik/laporan/{key}.pdf"' in html
        assert f'href="/statistik/laporan/{key}.html"' in html
        pdf = client.get(f"/statistik/laporan/{key}.pdf")
        assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
        assert pdf.get_data().startswith(b"%PDF-")
        page = client.get(f"/statistik/laporan/{key}.html")
        assert page.status_code == 200 and page.mimetype == "text/html"
        assert "default-src 'none'" in page.headers["Content-Security-Policy"]
    served = client.get(f"/statistik/laporan/{stats.month_key(c.year, c.month)}.pdf")
    assert _squeeze(c.month_name) in _squeeze(_pdf_text(served.get_data()))
    assert client.get("/statistik/laporan/1999-01.pdf").status_code == 404
    assert client.get("/statistik/laporan/2026-1.pdf").status_code == 404
    assert client.get("/statistik/laporan/2026-01.docx").status_code == 404


def test_only_ended_months_and_real_months(catalogue):
    today = local_today()
    with pytest.raises(ValidationError):
        actions.usage_report_generate(SYSTEM, today.year, today.month)
    with pytest.raises(ValidationError):
        actions.usage_report_generate(SYSTEM, 2026, 13)
    with pytest.raises(ValidationError):
        actions.usage_report_generate(SYSTEM, "dua", 1)
    assert UsageReport.query.count() == 0


# ---------------------------------------------------------------- who may generate

@pytest.mark.parametrize("role, allowed", [
    (Role.ADMIN, True), (Role.WALIDATA, True), (Role.PRODUSEN, False),
    (Role.PIMPINAN, False), (Role.PPID, False), (Role.PEMOHON, False)])
def test_generate_rule(role, allowed):
    user = make_user(roles=(role,))
    assert auth.usage_report_generate(user) is allowed
    assert auth.usage_report_generate(SYSTEM) and not auth.usage_report_generate(ANONYMOUS)
    assert auth.usage_report_list(ANONYMOUS) and auth.usage_report_read(ANONYMOUS)


def test_action_refuses_the_public_and_producers(catalogue):
    for actor in (ANONYMOUS, catalogue.producer):
        with pytest.raises(NotAuthorized):
            actions.usage_report_generate(actor, *stats.previous_month())
    assert UsageReport.query.count() == 0


def test_anonymous_post_goes_to_login_and_generates_nothing(client):
    resp = post_form(client, "/statistik/laporan/buat")
    assert resp.status_code == 302 and resp.headers["Location"].startswith("/masuk")
    assert UsageReport.query.count() == 0


def test_producer_post_is_forbidden(client, catalogue):
    login(client, catalogue.producer)
    assert "Buat laporan bulan lalu" not in client.get("/statistik").get_data(as_text=True)
    assert post_form(client, "/statistik/laporan/buat").status_code == 403
    assert UsageReport.query.count() == 0


def test_walidata_button_generates_last_month(client, catalogue):
    login(client, catalogue.walidata)
    page = client.get("/statistik").get_data(as_text=True)
    assert "Buat laporan bulan lalu" in page
    resp = post_form(client, "/statistik/laporan/buat", page="/statistik")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/statistik#laporan")
    report = UsageReport.query.one()
    assert (report.year, report.month) == stats.previous_month()
    page = client.get("/statistik").get_data(as_text=True)
    assert 'class="flash success"' in page and f"/statistik/laporan/{report.key}.pdf" in page


def test_forged_csrf_token_is_refused(client, catalogue):
    login(client, catalogue.walidata)
    resp = client.post("/statistik/laporan/buat", data={"csrf_token": "forged"})
    assert resp.status_code == 400
    assert UsageReport.query.count() == 0


# ---------------------------------------------------------------- the CLI

def test_cli_generates_last_month_by_default(runner, catalogue):
    result = runner.invoke(args=["reports", "monthly"])
    assert result.exit_code == 0, result.output
    year, month = stats.previous_month()
    assert stats.month_key(year, month) in result.output
    assert UsageReport.query.filter_by(year=year, month=month).count() == 1


def test_cli_refuses_a_bad_month(runner):
    assert runner.invoke(args=["reports", "monthly", "--month", "2026/10"]).exit_code == 2
    result = runner.invoke(args=["reports", "monthly", "--month", "2999-01"])
    assert result.exit_code == 1 and "sudah berakhir" in result.output
    assert UsageReport.query.count() == 0
