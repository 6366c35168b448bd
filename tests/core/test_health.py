"""/healthz: JSON for the load balancer; 503 when the database or the file store fails."""


def test_healthz_ok(client):
    resp = client.get("/healthz")
    assert resp.status_code == 200
    body = resp.get_json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True and body["database"]["dialect"] in ("sqlite",
                                                                               "postgresql")
    assert body["storage"] == {"ok": True}


def test_healthz_503_when_storage_dir_is_a_file(tmp_path, app_factory):
    not_a_dir = tmp_path / "storage"
    not_a_dir.write_text("bukan direktori")
    app = app_factory(STORAGE_DIR=str(not_a_dir))
    resp = app.test_client().get("/healthz")
    assert resp.status_code == 503
    body = resp.get_json()
    assert body["status"] == "error" and body["storage"]["ok"] is False
    assert body["database"]["ok"] is True


def test_healthz_503_when_storage_becomes_unwritable(tmp_path, app_factory):
    root = tmp_path / "storage"
    app = app_factory(STORAGE_DIR=str(root))
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    # The scratch area disappears under a running app (e.g. a remount): writes now fail.
    (root / "tmp").rmdir()
    (root / "tmp").write_text("")
    resp = client.get("/healthz")
    assert resp.status_code == 503
    assert resp.get_json()["storage"]["ok"] is False


def test_healthz_503_when_database_is_unreachable(tmp_path, app_factory):
    app = app_factory(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/missing/dir/db.sqlite",
                   STORAGE_DIR=str(tmp_path / "storage"))
    resp = app.test_client().get("/healthz")
    assert resp.status_code == 503
    body = resp.get_json()
    assert body["database"]["ok"] is False and body["storage"]["ok"] is True

