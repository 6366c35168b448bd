"""User and organisation management: admin only, through actions, the CLI and the web UI."""
import pytest

from app.accounts import actions
from app.accounts.models import Organisation, User
from app.core import audit
from app.core.actor import ANONYMOUS, SYSTEM, Role
from app.core.errors import NotAuthorized, NotFound, ValidationError
from app.extensions import db
from tests.conftest import PASSWORD, csrf_token, login
from tests.factories import make_org, make_user, row_counts


def _data(**overrides):
    data = {"email": "siti@example.go.id", "name": "Siti Rahayu", "password": "rahasia-1234",
            "roles": ["produsen"], "organisations": ["dinkes"]}
    data.update(overrides)
    return data


@pytest.fixture
def dinkes():
    return make_org(name="dinkes", title="Dinas Kesehatan")


# ---------------------------------------------------------------- actions

def test_admin_creates_a_user(dinkes):
    admin = make_user(roles=[Role.ADMIN])
    user = actions.user_create(admin, _data(email="Siti@Example.go.id"))
    assert user.email == "siti@example.go.id"
    assert user.roles == {"produsen"} and [o.name for o in user.organisations] == ["dinkes"]
    assert user.check_password("rahasia-1234") and user.password_hash != "rahasia-1234"
    [row] = audit.history("user", user.id)
    assert row.action == "user.created" and row.actor_id == admin.id
    assert "password" not in row.after and "password_hash" not in row.after


@pytest.mark.parametrize("roles", [[Role.WALIDATA], [Role.PRODUSEN], [Role.PPID],
                                   [Role.PIMPINAN], [Role.PEMOHON]])
def test_only_admin_creates_users(dinkes, roles):
    actor = make_user(roles=roles, orgs=[dinkes])
    before = row_counts()
    with pytest.raises(NotAuthorized):
        actions.user_create(actor, _data())
    assert row_counts() == before


def test_anonymous_cannot_create_users(dinkes):
    with pytest.raises(NotAuthorized):
        actions.user_create(ANONYMOUS, _data())


@pytest.mark.parametrize("overrides,field,message", [
    ({"email": "bukan-email"}, "email", "Alamat e-mail tidak valid."),
    ({"password": "pendek"}, "password", "Kata sandi minimal 10 karakter."),
    ({"password": None}, "password", "Kata sandi minimal 10 karakter."),
    ({"roles": ["raja"]}, "roles.0", "Peran tidak dikenal."),
    ({"organisations": ["tidak-ada"]}, "organisations", "Organisasi tidak-ada tidak ada."),
    ({"name": ""}, "name", None),
])
def test_user_create_validation(dinkes, overrides, field, message):
    before = row_counts()
    with pytest.raises(ValidationError) as info:
        actions.user_create(SYSTEM, _data(**overrides))
    assert field in info.value.errors, info.value.errors
    if message:
        assert message in [str(m) for m in info.value.errors[field]]
    assert row_counts() == before


def test_duplicate_email_is_refused_whatever_the_case(dinkes):
    actions.user_create(SYSTEM, _data())
    with pytest.raises(ValidationError) as info:
        actions.user_create(SYSTEM, _data(email="SITI@example.go.id"))
    assert [str(m) for m in info.value.errors["email"]] == ["E-mail ini sudah terdaftar."]
    assert User.query.count() == 1


def test_admin_updates_roles_and_password(dinkes):
    admin = make_user(roles=[Role.ADMIN])
    user = make_user(orgs=[dinkes])
    actions.user_update(admin, user.id, {"name": "Nama Baru", "roles": ["produsen", "walidata"],
                                         "organisations": ["dinkes"],
                                         "password": "kata-sandi-baru-1"})
    assert user.roles == {"produsen", "walidata"} and user.name == "Nama Baru"
    assert user.check_password("kata-sandi-baru-1")
    row = audit.history("user", user.id)[-1]
    assert row.action == "user.updated"
    assert row.before["roles"] == ["produsen"] and row.after["roles"] == ["produsen", "walidata"]
    assert "password" not in row.after


def test_update_without_password_keeps_it(dinkes):
    user = make_user(orgs=[dinkes])
    actions.user_update(SYSTEM, user.id, {"name": "Tetap Sama", "roles": ["produsen"]})
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize("roles", [[Role.WALIDATA], [Role.PRODUSEN], [Role.HELPDESK]])
def test_only_admin_updates_users(dinkes, roles):
    actor = make_user(roles=roles, orgs=[dinkes])
    target = make_user(orgs=[dinkes])
    with pytest.raises(NotAuthorized):
        actions.user_update(actor, target.id, {"name": "Dibajak", "roles": ["admin"]})
    target = db.session.get(User, target.id)
    assert target.roles == {"produsen"} and target.name != "Dibajak"


def test_user_update_unknown_user():
    with pytest.raises(NotFound):
        actions.user_update(SYSTEM, 987654, {"name": "Siapa", "roles": []})


def test_organisation_create_rules():
    admin = make_user(roles=[Role.ADMIN])
    org = actions.organisation_create(admin, {"name": "bappeda", "title": "Bappeda Jabar",
                                              "is_custodian": True})
    assert org.is_custodian
    assert audit.history("organisation", org.id)[0].action == "organisation.created"
    with pytest.raises(ValidationError) as info:
        actions.organisation_create(admin, {"name": "bappeda", "title": "Lagi"})
    assert [str(m) for m in info.value.errors["name"]] == ["Nama singkat sudah dipakai."]
    with pytest.raises(ValidationError):
        actions.organisation_create(admin, {"name": "Bappeda Jabar!", "title": "Salah nama"})
    with pytest.raises(NotAuthorized):
        actions.organisation_create(make_user(roles=[Role.WALIDATA]),
                                    {"name": "diskominfo", "title": "Diskominfo"})
    assert Organisation.query.count() == 1


# ---------------------------------------------------------------- CLI

def test_cli_creates_a_user(runner, dinkes):
    result = runner.invoke(args=["users", "create", "--email", "budi@example.go.id",
                                 "--role", "produsen", "--org", "dinkes",
                                 "--password", "rahasia-1234"])
    assert result.exit_code == 0, result.output
    assert "budi@example.go.id" in result.output
    user = User.query.filter_by(email="budi@example.go.id").one()
    assert user.roles == {"produsen"} and [o.name for o in user.organisations] == ["dinkes"]
    assert user.name == "budi" and user.check_password("rahasia-1234")


def test_cli_several_roles(runner, dinkes):
    result = runner.invoke(args=["users", "create", "--email", "ani@example.go.id",
                                 "--name", "Ani Wulandari", "--role", "produsen",
                                 "--role", "walidata", "--org", "dinkes",
                                 "--password", "rahasia-1234"])
    assert result.exit_code == 0, result.output
    assert User.query.one().roles == {"produsen", "walidata"}


@pytest.mark.parametrize("args,says", [
    (["--role", "raja", "--org", "dinkes"], "Peran tidak dikenal."),
    (["--role", "produsen", "--org", "dinas-fiktif"], "Organisasi dinas-fiktif tidak ada."),
])
def test_cli_refuses_unknown_role_or_org(runner, dinkes, args, says):
    result = runner.invoke(args=["users", "create", "--email", "budi@example.go.id",
                                 "--password", "rahasia-1234", *args])
    assert result.exit_code == 1, result.output
    assert says in result.output
    assert User.query.count() == 0


def test_cli_refuses_a_short_password(runner, dinkes):
    result = runner.invoke(args=["users", "create", "--email", "budi@example.go.id",
                                 "--role", "produsen", "--password", "pendek"])
    assert result.exit_code == 1
    assert "Kata sandi minimal 10 karakter." in result.output
    assert User.query.count() == 0


# ---------------------------------------------------------------- web UI

def test_admin_creates_a_user_in_the_web_ui(client, dinkes):
    admin = make_user(roles=[Role.ADMIN])
    login(client, admin)
    token = csrf_token(client, "/admin/pengguna/baru")
    resp = client.post("/admin/pengguna/baru", data={
        "csrf_token": token, "email": "rina@example.go.id", "name": "Rina Marlina",
        "password": "rahasia-1234", "roles": ["produsen", "walidata"],
        "organisations": ["dinkes"], "active": "on"})
    assert resp.status_code == 302 and resp.headers["Location"] == "/admin/pengguna"
    user = User.query.filter_by(email="rina@example.go.id").one()
    assert user.roles == {"produsen", "walidata"} and user.active
    assert "rina@example.go.id" in client.get("/admin/pengguna").get_data(as_text=True)
    # and the new user can log in
    other = client.application.test_client()
    login(other, user, "rahasia-1234")


def test_user_form_errors_are_shown(client, dinkes):
    login(client, make_user(roles=[Role.ADMIN]))
    token = csrf_token(client, "/admin/pengguna/baru")
    resp = client.post("/admin/pengguna/baru", data={
        "csrf_token": token, "email": "rina@example.go.id", "name": "Rina",
        "password": "pendek", "roles": ["produsen"]})
    assert resp.status_code == 422
    assert "Kata sandi minimal 10 karakter." in resp.get_data(as_text=True)
    assert User.query.filter_by(email="rina@example.go.id").count() == 0


def test_admin_edits_a_user_in_the_web_ui(client, dinkes):
    login(client, make_user(roles=[Role.ADMIN]))
    target = make_user(orgs=[dinkes])
    url = f"/admin/pengguna/{target.id}"
    resp = client.post(url, data={"csrf_token": csrf_token(client, url), "email": target.email,
                                  "name": "Nama Diperbaiki", "roles": ["pimpinan"]})
    assert resp.status_code == 302
    target = db.session.get(User, target.id)
    assert target.roles == {"pimpinan"} and not target.active and target.organisations == []


def test_admin_creates_an_organisation_in_the_web_ui(client):
    login(client, make_user(roles=[Role.ADMIN]))
    token = csrf_token(client, "/admin/organisasi")
    resp = client.post("/admin/organisasi", data={
        "csrf_token": token, "name": "dinas-perhubungan", "title": "Dinas Perhubungan",
        "description": "Transportasi", "email": "dishub@example.go.id"})
    assert resp.status_code == 302
    org = Organisation.query.filter_by(name="dinas-perhubungan").one()
    assert org.title == "Dinas Perhubungan" and not org.is_custodian
    assert "Dinas Perhubungan" in client.get("/admin/organisasi").get_data(as_text=True)


def test_organisation_form_errors_are_shown(client):
    login(client, make_user(roles=[Role.ADMIN]))
    token = csrf_token(client, "/admin/organisasi")
    resp = client.post("/admin/organisasi", data={"csrf_token": token, "name": "Salah Nama",
                                                  "title": "Dinas"})
    assert resp.status_code == 422
    assert "Nama singkat hanya boleh berisi huruf kecil" in resp.get_data(as_text=True)
    assert Organisation.query.count() == 0


@pytest.mark.parametrize("url", ["/admin/pengguna", "/admin/pengguna/baru", "/admin/organisasi",
                                 "/admin/pengguna/{id}"])
def test_admin_pages_refuse_other_staff(client, dinkes, url):
    staff = make_user(roles=[Role.WALIDATA, Role.PRODUSEN, Role.PIMPINAN], orgs=[dinkes])
    url = url.format(id=staff.id)
    login(client, staff)
    assert client.get(url).status_code == 403
    if url == "/admin/pengguna":
        return  # a list, no form
    before = row_counts()
    resp = client.post(url, data={"csrf_token": csrf_token(client), "email": "x@example.go.id",
                                  "name": "Penyusup", "password": "rahasia-1234",
                                  "roles": ["admin"], "title": "Organisasi Palsu"})
    assert resp.status_code == 403
    assert row_counts() == before
