"""Citizens open their own account (role pemohon) at /daftar."""
import pytest

from app.accounts import actions
from app.accounts.models import User
from app.core.actor import SYSTEM, Role
from app.core.audit import AuditLog
from app.core.errors import NotAuthorized, ValidationError
from tests.conftest import csrf_token
from tests.factories import make_user, row_counts

PASSWORD = "kalimat rahasia saya"


def _form(**overrides):
    data = {"name": "Siti Rahmawati", "email": "Siti.R@Example.com", "password": PASSWORD,
            "password_confirm": PASSWORD}
    data.update(overrides)
    return data


def _register(client, url="/daftar", **overrides):
    return client.post(url, data={**_form(**overrides), "csrf_token": csrf_token(client, url)})


def test_register_creates_a_requester_and_logs_in(client):
    resp = _register(client, url="/daftar?next=/permohonan/baru")
    assert resp.status_code == 302 and resp.headers["Location"] == "/permohonan/baru"
    user = User.query.one()
    assert user.email == "siti.r@example.com" and user.name == "Siti Rahmawati"
    assert user.roles == {Role.PEMOHON} and user.active and user.organisations == []
    assert user.check_password(PASSWORD) and user.password_hash != PASSWORD
    row = AuditLog.query.filter_by(action="user.registered").one()
    assert row.actor_id == user.id and PASSWORD not in str(row.after)
    assert client.get("/permohonan/baru").status_code == 200  # logged in
    assert client.get("/daftar").status_code == 302  # nothing to register any more


def test_register_page_links_back_to_login_and_offers_no_open_redirect(client):
    html = client.get("/daftar?next=/permohonan-saya").get_data(as_text=True)
    assert 'name="password_confirm"' in html and "/masuk?next=/permohonan-saya" in html
    resp = _register(client, url="/daftar?next=//evil.example/")
    assert resp.headers["Location"] == "/"


@pytest.mark.parametrize("existing", ["siti.r@example.com", "SITI.R@EXAMPLE.COM"])
def test_duplicate_email_is_refused_whatever_its_case(client, existing):
    make_user(email=existing)
    before = row_counts()
    resp = _register(client)
    assert resp.status_code == 422
    assert "E-mail ini sudah terdaftar" in resp.get_data(as_text=True)
    assert row_counts() == before


@pytest.mark.parametrize("overrides, message", [
    ({"password": "pendek123", "password_confirm": "pendek123"},
     "Kata sandi minimal 10 karakter."),
    ({"password_confirm": "kalimat rahasia kamu"}, "Konfirmasi kata sandi tidak sama."),
    ({"password": "siti.r@example.com", "password_confirm": "siti.r@example.com"},
     "Kata sandi tidak boleh sama dengan alamat e-mail."),
    ({"name": "   "}, "Nama 2 sampai 255 karakter."),
    ({"email": "bukan-email"}, "Alamat e-mail tidak valid."),
])
def test_bad_input_is_refused_and_keeps_name_and_email(client, overrides, message):
    resp = _register(client, **overrides)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and message in html
    assert 'class="field-error"' in html
    assert PASSWORD not in html  # a password is never echoed back
    if "email" not in overrides:
        assert 'value="Siti.R@Example.com"' in html
    assert User.query.count() == 0


def test_forged_post_without_csrf_is_refused(client):
    resp = client.post("/daftar", data=_form())
    assert resp.status_code == 400 and User.query.count() == 0


def test_registration_is_rate_limited(app_factory):
    limited = app_factory(REGISTER_RATE_LIMIT="2 per minute")
    client = limited.test_client()
    for _ in range(2):
        assert _register(client, password="x").status_code == 422
    assert _register(client).status_code == 429
    assert User.query.count() == 0
    assert client.get("/daftar").status_code == 200  # the form itself is not limited


def test_action_refuses_a_logged_in_user_but_lets_the_system_register():
    with pytest.raises(NotAuthorized):
        actions.user_register(make_user(), _form(email="lain@example.com"))
    user = actions.user_register(SYSTEM, _form(email="bot@example.com"))
    assert user.roles == {Role.PEMOHON}
    with pytest.raises(ValidationError) as exc:
        actions.user_register(SYSTEM, _form(email="BOT@example.com"))
    assert "email" in exc.value.errors
