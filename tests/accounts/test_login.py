"""Login, logout, the login rate limit and the session cookie."""
import pytest

from app.accounts import actions
from app.accounts.models import User
from app.core.actor import SYSTEM
from app.core.audit import AuditLog
from app.extensions import db
from tests.conftest import PASSWORD, csrf_token, post_form
from tests.factories import make_user

WRONG = "E-mail atau kata sandi salah."


def _post_login(client, email, password, url="/masuk"):
    return client.post(url, data={"email": email, "password": password,
                                  "csrf_token": csrf_token(client)})


def test_login_page(client):
    resp = client.get("/masuk")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert 'name="email"' in html and 'name="password"' in html and "Masuk" in html


def test_login_ok_redirects_home_and_records_it(client):
    user = make_user()
    resp = _post_login(client, user.email.upper(), PASSWORD)  # e-mail is case-insensitive
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/"
    user = db.session.get(User, user.id)
    assert user.last_login_at is not None
    assert AuditLog.query.filter_by(action="user.login", actor_id=user.id).count() == 1
    assert client.get("/saya/dataset").status_code == 200


def test_session_cookie_is_httponly_and_samesite_lax(client):
    user = make_user()
    resp = _post_login(client, user.email, PASSWORD)
    cookies = [c for c in resp.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert cookies, resp.headers
    assert "HttpOnly" in cookies[-1]
    assert "SameSite=Lax" in cookies[-1]


@pytest.mark.parametrize("email_kind", ["wrong_password", "unknown_email", "inactive"])
def test_failed_login_says_the_same_for_every_cause(client, email_kind):
    user = make_user()
    inactive = make_user(active=False)
    email, password = {
        "wrong_password": (user.email, "salah-sekali-123"),
        "unknown_email": ("tidak.ada@example.go.id", PASSWORD),
        "inactive": (inactive.email, PASSWORD),
    }[email_kind]
    resp = _post_login(client, email, password)
    assert resp.status_code == 401
    html = resp.get_data(as_text=True)
    assert WRONG in html
    assert client.get("/saya/dataset").status_code == 302  # still anonymous


def test_login_keeps_a_local_next_page(client):
    user = make_user()
    resp = _post_login(client, user.email, PASSWORD, url="/masuk?next=/daftar-data")
    assert resp.headers["Location"] == "/daftar-data"


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "javascript:x"])
def test_login_never_redirects_off_site(client, target):
    user = make_user()
    resp = _post_login(client, user.email, PASSWORD, url=f"/masuk?next={target}")
    assert resp.headers["Location"] == "/"


def test_protected_page_sends_anonymous_users_to_login(client):
    resp = client.get("/saya/dataset")
    assert resp.status_code == 302
    assert resp.headers["Location"].startswith("/masuk?next=")


def test_login_without_csrf_token_is_refused(client):
    user = make_user()
    resp = client.post("/masuk", data={"email": user.email, "password": PASSWORD})
    assert resp.status_code == 400
    assert "Formulir kedaluwarsa atau tidak sah" in resp.get_data(as_text=True)
    assert client.get("/saya/dataset").status_code == 302


def test_logout_is_post_only(client, auth):
    user = make_user()
    auth.login(user)
    resp = client.get("/keluar")
    assert resp.status_code == 405
    assert "Metode tidak diizinkan." in resp.get_data(as_text=True)
    assert client.get("/saya/dataset").status_code == 200  # a GET (e.g. an <img>) did nothing


def test_logout_without_token_is_refused(client, auth):
    auth.login(make_user())
    assert client.post("/keluar").status_code == 400
    assert client.get("/saya/dataset").status_code == 200


def test_logout(client, auth):
    auth.login(make_user())
    resp = auth.logout()
    assert resp.status_code == 302 and resp.headers["Location"] == "/"
    assert client.get("/saya/dataset").status_code == 302


def test_deactivated_user_loses_their_session(client, auth):
    user = make_user()
    auth.login(user)
    actions.user_update(SYSTEM, user.id, {"name": user.name, "roles": ["produsen"],
                                          "active": False})
    assert client.get("/saya/dataset").status_code == 302


@pytest.fixture
def limited_app(app_factory):
    return app_factory(LOGIN_RATE_LIMIT="3 per minute")


def test_login_rate_limit(limited_app):
    user = make_user()
    client = limited_app.test_client()
    for _ in range(3):
        assert _post_login(client, user.email, "salah-sekali-123").status_code == 401
    resp = _post_login(client, user.email, PASSWORD)  # even the right password now waits
    assert resp.status_code == 429
    assert "Terlalu banyak percobaan. Silakan tunggu sebentar lalu coba lagi." in \
        resp.get_data(as_text=True)
    assert client.get("/masuk").status_code == 200  # the form itself is not limited
    assert client.get("/saya/dataset").status_code == 302


def test_normal_tests_are_not_rate_limited(client):
    user = make_user()
    for _ in range(8):
        assert _post_login(client, user.email, "salah-sekali-123").status_code == 401
    assert _post_login(client, user.email, PASSWORD).status_code == 302


def test_post_form_helper_uses_a_real_token(client, auth):
    auth.login(make_user())
    assert post_form(client, "/keluar").status_code == 302
