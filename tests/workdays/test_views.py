"""The admin's calendar page: who sees it, the forms, and refused posts that change nothing."""
import pytest

from app.core import audit
from app.core.actor import Role
from app.workdays import actions
from app.workdays.models import CalendarOverride
from tests.conftest import csrf_token
from tests.factories import make_user, row_counts

PAGE = "/admin/kalender?tahun=2026"
ADD = "/admin/kalender/pengecualian"


def _post(client, url, data):
    return client.post(url, data={**data, "csrf_token": csrf_token(client, PAGE)})


def test_anonymous_is_sent_to_login(client):
    resp = client.get(PAGE)
    assert resp.status_code == 302 and "/masuk" in resp.headers["Location"]
    resp = client.post(ADD, data={"day": "2026-03-25", "is_workday": "false", "note": "x",
                                  "csrf_token": csrf_token(client, "/masuk")})
    assert resp.status_code == 302 and "/masuk" in resp.headers["Location"]
    assert CalendarOverride.query.count() == 0


def test_requesters_may_not_see_the_calendar(client_for, pemohon):
    assert client_for(pemohon).get(PAGE).status_code == 403


def test_helpdesk_sees_the_days_off_but_no_edit_form(client_for, helpdesk):
    c = client_for(helpdesk)
    resp = c.get(PAGE)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "Hari Suci Nyepi" in html and "Cuti Bersama Hari Raya Idul Fitri" in html
    assert "19-03-2026" in html
    assert 'id="tambah-pengecualian"' not in html and "/hapus" not in html


def test_helpdesk_posting_anyway_is_forbidden(client_for, helpdesk, admin):
    actions.override_set(admin, {"day": "2026-03-25", "is_workday": False, "note": "Tambahan"})
    c = client_for(helpdesk)
    before = row_counts()
    resp = _post(c, ADD, {"day": "2026-03-26", "is_workday": "false", "note": "Tambahan"})
    assert resp.status_code == 403
    assert _post(c, "/admin/kalender/pengecualian/2026-03-25/hapus", {}).status_code == 403
    assert row_counts() == before


def test_admin_adds_and_removes_an_override(client_for, admin):
    c = client_for(admin)
    page = c.get(PAGE).get_data(as_text=True)
    assert 'id="tambah-pengecualian"' in page
    resp = _post(c, ADD, {"day": "2026-03-25", "is_workday": "false",
                          "note": "Cuti bersama tambahan"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("tahun=2026")
    override = CalendarOverride.query.one()
    assert (override.is_workday, override.note, override.created_by_id) == (
        False, "Cuti bersama tambahan", admin.id)
    html = c.get(PAGE).get_data(as_text=True)
    assert "Kalender diperbarui: 2026-03-25 menjadi hari libur." in html
    assert "Cuti bersama tambahan" in html and "Ditetapkan admin" in html
    assert "/admin/kalender/pengecualian/2026-03-25/hapus" in html

    resp = _post(c, "/admin/kalender/pengecualian/2026-03-25/hapus", {})
    assert resp.status_code == 302
    assert CalendarOverride.query.count() == 0
    assert [r.action for r in audit.history("calendar_override", "2026-03-25")] == [
        "calendar_override.created", "calendar_override.deleted"]
    assert "kembali mengikuti kalender nasional" in c.get(PAGE).get_data(as_text=True)


def test_a_forged_post_is_refused(client_for, admin):
    c = client_for(admin)
    data = {"day": "2026-03-25", "is_workday": "false", "note": "Cuti bersama tambahan"}
    assert c.post(ADD, data=data).status_code == 400
    assert c.post(ADD, data={**data, "csrf_token": "palsu"}).status_code == 400
    assert CalendarOverride.query.count() == 0
    actions.override_set(admin, data)
    assert c.post("/admin/kalender/pengecualian/2026-03-25/hapus").status_code == 400
    assert CalendarOverride.query.count() == 1


@pytest.mark.parametrize("data,says", [
    ({"day": "2026-02-30", "is_workday": "false", "note": "Cuti bersama"},
     "Tanggal tidak valid (format TTTT-BB-HH)."),
    ({"day": "", "is_workday": "false", "note": "Cuti bersama"}, "Tanggal tidak valid"),
    ({"day": "2026-03-25", "is_workday": "false", "note": ""},
     "Keterangan harus 3 sampai 255 karakter."),
    ({"day": "2026-03-29", "is_workday": "false", "note": "Libur"},
     "2026-03-29 sudah hari libur menurut kalender nasional (Minggu)."),
])
def test_bad_input_shows_an_error_and_changes_nothing(client_for, admin, data, says):
    c = client_for(admin)
    before = row_counts()
    resp = _post(c, ADD, data)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert 'class="flash error"' in html and says in html
    assert f'value="{data["day"]}"' in html  # the form keeps what was typed
    assert row_counts() == before


def test_deleting_an_unknown_day_is_not_found(client_for, admin):
    c = client_for(admin)
    assert _post(c, "/admin/kalender/pengecualian/2026-03-25/hapus", {}).status_code == 404
    assert _post(c, "/admin/kalender/pengecualian/bukan-tanggal/hapus", {}).status_code == 404


def test_the_deadline_form_computes_the_legal_deadline(client_for, helpdesk):
    html = client_for(helpdesk).get(
        "/admin/kalender?tahun=2026&dari=2026-03-17&hari=10").get_data(as_text=True)
    assert "10 hari kerja setelah 17-03-2026 jatuh pada" in html
    assert "<strong>Rabu, 08-04-2026</strong>" in html
    assert "selain 6 hari Sabtu/Minggu" in html
    assert "Kamis, 19-03-2026: Hari Suci Nyepi" in html
    assert "Jumat, 03-04-2026: Wafat Yesus Kristus" in html


def test_the_deadline_form_reports_bad_input(client_for, helpdesk):
    resp = client_for(helpdesk).get("/admin/kalender?tahun=2026&dari=2026-03-17&hari=-3")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "Jumlah hari kerja harus antara 0 dan 1000." in html
    assert 'id="tenggat-hasil"' not in html


def test_other_years_and_a_bad_year(client_for, helpdesk):
    c = client_for(helpdesk)
    html = c.get("/admin/kalender?tahun=2027").get_data(as_text=True)
    assert "Kalender hari kerja 2027" in html and "08-03-2027" in html  # Nyepi 2027
    assert c.get("/admin/kalender?tahun=abc").status_code == 200
    assert c.get("/admin/kalender?tahun=1800").status_code == 200


def test_holiday_names_stay_indonesian_on_the_english_page(client_for, helpdesk):
    resp = client_for(helpdesk).get(PAGE + "&lang=en")
    assert resp.status_code == 200 and "Hari Suci Nyepi" in resp.get_data(as_text=True)


# ---------------------------------------------------------------- permission sweep

KINDS = ["anonymous", "admin", "walidata", "produsen", "helpdesk", "ppid", "ppid_atasan",
         "pimpinan", "pemohon"]
STAFF_ONLY = {k: (200 if k not in ("anonymous", "pemohon") else 403) for k in KINDS}
ADMIN_ONLY = {k: (302 if k == "admin" else 403) for k in KINDS}
# (endpoint, method, url, form) -> expected status per kind; "login" = sent to the login page.
SWEEP = [
    ("workdays.index", "GET", PAGE, None, {**STAFF_ONLY, "anonymous": "login"}),
    ("workdays.override_set", "POST", ADD,
     {"day": "2026-03-26", "is_workday": "false", "note": "Cuti bersama tambahan"},
     {**ADMIN_ONLY, "anonymous": "login"}),
    ("workdays.override_delete", "POST", "/admin/kalender/pengecualian/2026-03-25/hapus", {},
     {**ADMIN_ONLY, "anonymous": "login"}),
]


def test_every_route_is_in_the_sweep(app):
    routes = {(r.endpoint, m) for r in app.url_map.iter_rules()
              if r.endpoint.startswith("workdays.") for m in r.methods - {"HEAD", "OPTIONS"}}
    assert routes == {(endpoint, method) for endpoint, method, *_ in SWEEP}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("endpoint,method,url,form,expected", SWEEP,
                         ids=[row[0] for row in SWEEP])
def test_permission_sweep(client_for, admin, kind, endpoint, method, url, form, expected):
    actions.override_set(admin, {"day": "2026-03-25", "is_workday": False, "note": "Tambahan"})
    user = None if kind == "anonymous" else (
        admin if kind == "admin" else make_user(roles=(getattr(Role, kind.upper()),)))
    c = client_for(user)
    if method == "GET":
        resp = c.get(url)
    else:
        resp = c.post(url, data={**form, "csrf_token": csrf_token(c, "/masuk")})
    want = expected[kind]
    if want == "login":
        assert resp.status_code == 302 and "/masuk" in resp.headers["Location"]
    else:
        assert resp.status_code == want, resp.get_data(as_text=True)[:300]
    if want != 302 and method == "POST":
        assert [o.day.isoformat() for o in CalendarOverride.query.all()] == ["2026-03-25"]
