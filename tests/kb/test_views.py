"""Help pages (Bantuan): a permission sweep of every route for every kind of user, then the
pages themselves, the forms with real CSRF tokens, and the JSON suggestions.

Sweep values, as in tests/catalog/test_views.py:
  200/302  the request got through (302 = the action ran and redirected)
  login    redirected to the login page (anonymous on a page that needs an account)
  403      may see the article but not do this
  404      may not even know the article exists
"""
import re
from dataclasses import dataclass
from functools import cached_property

import pytest

from app.core.actor import SYSTEM, Role
from app.extensions import db
from app.kb.models import Article
from tests.conftest import csrf_token
from tests.factories import make_user, row_counts
from tests.kb.conftest import article_data, make_article

KINDS = ["anonymous", "admin", "helpdesk", "ppid", "ppid_atasan", "walidata", "pemohon"]


class World:
    @cached_property
    def users(self):
        return {}

    def user(self, kind):
        if kind == "anonymous":
            return None
        if kind not in self.users:
            self.users[kind] = make_user(roles=[kind])
        return self.users[kind]

    @cached_property
    def published(self):
        return make_article(SYSTEM, title="Cara meminta data", slug="cara-meminta-data")

    @cached_property
    def draft(self):
        return make_article(SYSTEM, published=False, title="Draf bot", slug="draf-bot")


@dataclass
class Case:
    name: str
    method: str
    endpoint: str
    expect: str  # one value per KINDS column
    build: object  # World -> (url, form data or None)

    def expected(self, kind):
        return self.expect.split()[KINDS.index(kind)]


def _form(**overrides):
    return article_data(**overrides)


CASES = [
    # public
    Case("help index", "GET", "kb.index", "200 200 200 200 200 200 200",
         lambda w: ("/bantuan", None)),
    Case("help search", "GET", "kb.index", "200 200 200 200 200 200 200",
         lambda w: (w.published and "/bantuan?q=permintaan", None)),
    Case("suggestions", "GET", "kb.suggest", "200 200 200 200 200 200 200",
         lambda w: (w.published and "/bantuan/cari.json?q=data", None)),
    Case("static", "GET", "kb.static", "200 200 200 200 200 200 200",
         lambda w: ("/bantuan/static/kb/suggest.js", None)),
    Case("article published", "GET", "kb.article", "200 200 200 200 200 200 200",
         lambda w: (f"/bantuan/{w.published.slug}", None)),
    Case("article draft", "GET", "kb.article", "404 200 200 200 404 404 404",
         lambda w: (f"/bantuan/{w.draft.slug}", None)),
    # editors: helpdesk, ppid, admin
    Case("manage", "GET", "kb.manage", "login 200 200 200 403 403 403",
         lambda w: ("/bantuan/kelola", None)),
    Case("new form", "GET", "kb.new", "login 200 200 200 403 403 403",
         lambda w: ("/bantuan/baru", None)),
    Case("new post", "POST", "kb.new", "login 302 302 302 403 403 403",
         lambda w: ("/bantuan/baru", _form())),
    Case("edit published", "GET", "kb.edit", "login 200 200 200 403 403 403",
         lambda w: (f"/bantuan/{w.published.slug}/ubah", None)),
    Case("edit draft", "GET", "kb.edit", "login 200 200 200 404 404 404",
         lambda w: (f"/bantuan/{w.draft.slug}/ubah", None)),
    Case("edit post", "POST", "kb.edit", "login 302 302 302 403 403 403",
         lambda w: (f"/bantuan/{w.published.slug}/ubah", _form(title="Judul yang diubah"))),
    Case("edit post draft", "POST", "kb.edit", "login 302 302 302 404 404 404",
         lambda w: (f"/bantuan/{w.draft.slug}/ubah", _form(title="Judul yang diubah"))),
    Case("publish draft", "POST", "kb.publish", "login 302 302 302 404 404 404",
         lambda w: (f"/bantuan/{w.draft.slug}/terbitkan", {})),
    Case("unpublish", "POST", "kb.unpublish", "login 302 302 302 403 403 403",
         lambda w: (f"/bantuan/{w.published.slug}/tarik", {})),
    Case("delete published", "POST", "kb.delete", "login 302 302 302 403 403 403",
         lambda w: (f"/bantuan/{w.published.slug}/hapus", {})),
    Case("delete draft", "POST", "kb.delete", "login 302 302 302 404 404 404",
         lambda w: (f"/bantuan/{w.draft.slug}/hapus", {})),
]


def _articles():
    db.session.expire_all()
    return sorted((a.id, a.slug, a.title, a.published, a.views, a.body)
                  for a in Article.query.all())


def _location(resp):
    return resp.headers.get("Location", "")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("case", CASES, ids=[f"{c.method} {c.name}" for c in CASES])
def test_permission_sweep(case, kind, client_for):
    world = World()
    url, data = case.build(world)
    client = client_for(world.user(kind))
    expected = case.expected(kind)
    if case.method == "GET":
        resp = client.get(url)
    else:
        data = dict(data or {})
        data["csrf_token"] = csrf_token(client)
        before = (row_counts(), _articles())
        resp = client.post(url, data=data)
    got = str(resp.status_code)
    if resp.status_code == 302 and _location(resp).startswith("/masuk"):
        got = "login"
    assert got == expected, (f"{case.method} {url} as {kind}: {resp.status_code} "
                             f"{_location(resp)}\n{resp.get_data(as_text=True)[:400]}")
    if case.method == "POST" and expected in ("403", "404", "login"):
        assert (row_counts(), _articles()) == before, "a refused request changed something"
    if expected == "302":
        page = client.get(_location(resp)).get_data(as_text=True)
        assert 'class="flash error"' not in page


def test_every_route_is_in_the_sweep(app):
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] == "kb":
            routes |= {(rule.endpoint, m) for m in rule.methods - {"HEAD", "OPTIONS"}}
    covered = {(c.endpoint, c.method) for c in CASES}
    assert routes == covered


def _post_routes(app):
    return [rule.build({k: "cara-meminta-data" for k in rule.arguments})[1]
            for rule in app.url_map.iter_rules()
            if rule.endpoint.startswith("kb.") and "POST" in rule.methods]


@pytest.mark.parametrize("kind", ["anonymous", "helpdesk"])
def test_post_without_csrf_token_is_refused_everywhere(app, client_for, kind):
    """A forged form (no token) changes nothing, even with an editor's session."""
    make_article(SYSTEM, slug="cara-meminta-data")
    user = None if kind == "anonymous" else make_user(roles=[Role.HELPDESK])
    client = client_for(user)
    urls = _post_routes(app)
    assert len(urls) == 5
    before = (row_counts(), _articles())
    for url in urls:
        resp = client.post(url, data=article_data(title="Dipalsukan"))
        assert resp.status_code == 400, url
        assert "Formulir kedaluwarsa atau tidak sah" in resp.get_data(as_text=True), url
    assert (row_counts(), _articles()) == before


def test_post_with_a_wrong_token_is_refused(client_for):
    a = make_article(SYSTEM)
    client = client_for(make_user(roles=[Role.PPID]))
    resp = client.post(f"/bantuan/{a.slug}/hapus", data={"csrf_token": "palsu"})
    assert resp.status_code == 400
    assert db.session.get(Article, a.id) is not None


# ---------------------------------------------------------------- public pages

def test_index_groups_published_articles_by_category(client):
    make_article(SYSTEM, title="Cara meminta data", category="permohonan")
    make_article(SYSTEM, title="Cara mengunduh berkas", category="data")
    make_article(SYSTEM, title="Draf rahasia", published=False, category="data")
    html = client.get("/bantuan").get_data(as_text=True)
    assert "Cara meminta data" in html and "Cara mengunduh berkas" in html
    assert "Draf rahasia" not in html
    assert html.index("Permohonan informasi") < html.index("Data dan unduhan")
    assert 'id="kategori-akun"' not in html  # empty categories are not shown
    html = client.get("/bantuan?kategori=data").get_data(as_text=True)
    assert "Cara mengunduh berkas" in html and "Cara meminta data" not in html


def test_search_page_shows_ranked_results_with_highlighted_snippets(client):
    make_article(SYSTEM, title="Bagaimana cara meminta data?",
                 body="Isi formulir permohonan, lalu tunggu jawaban petugas.")
    make_article(SYSTEM, title="Cara mengunduh berkas",
                 body="Tekan tombol unduh <b>di halaman</b> dataset.")
    html = client.get("/bantuan?q=permintaan").get_data(as_text=True)
    assert "1 artikel ditemukan" in html
    assert '<mark class="hl">meminta</mark>' in html
    html = client.get("/bantuan?q=unduh").get_data(as_text=True)
    assert "&lt;b&gt;di halaman&lt;/b&gt;" in html and "<b>di halaman" not in html
    html = client.get("/bantuan?q=gempa").get_data(as_text=True)
    assert "Tidak ada artikel yang cocok" in html


def test_article_page_renders_the_body_safely_and_counts_the_view(client):
    a = make_article(SYSTEM, title="Cara mengutip dataset", tags="kutip, lisensi", body=(
        "Sebut sumbernya. <script>alert(1)</script>\n\n- produsen data\n- judul dataset\n\n"
        "Lihat https://creativecommons.org/licenses/by/4.0/."))
    html = client.get(f"/bantuan/{a.slug}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<ul><li>produsen data</li><li>judul dataset</li></ul>" in html
    assert ('<a href="https://creativecommons.org/licenses/by/4.0/" rel="nofollow noopener">'
            in html)
    assert "Untuk petugas" not in html
    db.session.expire_all()
    assert db.session.get(Article, a.id).views == 1


def test_editor_sees_the_citation_and_the_buttons(client_for):
    a = make_article(SYSTEM, title="Cara mengajukan keberatan", slug="keberatan")
    html = client_for(make_user(roles=[Role.HELPDESK])).get("/bantuan/keberatan").get_data(
        as_text=True)
    assert "Lihat juga: Cara mengajukan keberatan — http://localhost/bantuan/keberatan" in html
    assert "/bantuan/keberatan/tarik" in html
    db.session.expire_all()
    assert db.session.get(Article, a.id).views == 0


def test_draft_is_404_for_the_public_and_visible_to_editors(client, client_for):
    make_article(SYSTEM, published=False, slug="draf")
    assert client.get("/bantuan/draf").status_code == 404
    assert client_for(make_user(roles=[Role.PEMOHON])).get("/bantuan/draf").status_code == 404
    resp = client_for(make_user(roles=[Role.PPID])).get("/bantuan/draf")
    assert resp.status_code == 200 and "Draf" in resp.get_data(as_text=True)


def test_unknown_article_is_404(client):
    assert client.get("/bantuan/tidak-ada").status_code == 404


# ---------------------------------------------------------------- JSON suggestions

def test_suggestions_return_the_top_five_published(client):
    for n in range(7):
        make_article(SYSTEM, title=f"Permohonan data nomor {n + 1}")
    make_article(SYSTEM, published=False, title="Permohonan draf")
    resp = client.get("/bantuan/cari.json?q=mohon")
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    results = resp.get_json()["results"]
    assert len(results) == 5
    assert set(results[0]) == {"title", "url", "snippet"}
    assert all(r["url"].startswith("/bantuan/permohonan-data-nomor-") for r in results)
    assert "Permohonan draf" not in [r["title"] for r in results]


def test_suggestions_stem_and_complete_the_last_word(client):
    make_article(SYSTEM, title="Mengajukan keberatan", slug="keberatan",
                 body="Keberatan diajukan kepada atasan PPID dalam 30 hari kerja.")
    [hit] = client.get("/bantuan/cari.json?q=cara+keber").get_json()["results"]
    assert hit["url"] == "/bantuan/keberatan" and "atasan PPID" in hit["snippet"]
    assert client.get("/bantuan/cari.json").get_json() == {"results": []}
    assert client.get("/bantuan/cari.json?q=" + "x" * 5000).get_json() == {"results": []}


# ---------------------------------------------------------------- editors' forms

@pytest.fixture
def editor_client(client_for):
    return client_for(make_user(roles=[Role.HELPDESK]))


def test_create_edit_publish_and_delete_through_the_forms(editor_client):
    c = editor_client
    resp = c.post("/bantuan/baru", data={**article_data(title="Jam layanan meja informasi"),
                                         "csrf_token": csrf_token(c, "/bantuan/baru")})
    assert resp.status_code == 302 and _location(resp) == "/bantuan/jam-layanan-meja-informasi/ubah"
    a = Article.query.filter_by(slug="jam-layanan-meja-informasi").one()
    assert not a.published

    form = {**article_data(title="Jam layanan meja informasi PPID", slug=""),
            "csrf_token": csrf_token(c, f"/bantuan/{a.slug}/ubah")}
    assert c.post(f"/bantuan/{a.slug}/ubah", data=form).status_code == 302
    db.session.expire_all()
    assert db.session.get(Article, a.id).title == "Jam layanan meja informasi PPID"

    token = csrf_token(c, f"/bantuan/{a.slug}/ubah")
    resp = c.post(f"/bantuan/{a.slug}/terbitkan", data={"csrf_token": token})
    assert _location(resp) == f"/bantuan/{a.slug}/ubah"
    assert "Artikel diterbitkan." in c.get(_location(resp)).get_data(as_text=True)
    resp = c.post(f"/bantuan/{a.slug}/terbitkan", data={"csrf_token": token})
    assert "Artikel sudah terbit." in c.get(_location(resp)).get_data(as_text=True)
    resp = c.post(f"/bantuan/{a.slug}/tarik", data={"csrf_token": token, "next": "kelola"})
    assert _location(resp) == "/bantuan/kelola"
    db.session.expire_all()
    assert not db.session.get(Article, a.id).published

    resp = c.post(f"/bantuan/{a.slug}/hapus", data={"csrf_token": token})
    assert _location(resp) == "/bantuan/kelola"
    assert "Artikel dihapus." in c.get("/bantuan/kelola").get_data(as_text=True)
    assert Article.query.count() == 0


def test_form_errors_are_shown_next_to_their_fields(editor_client):
    make_article(SYSTEM, slug="dipakai")
    before = row_counts()
    c = editor_client
    resp = c.post("/bantuan/baru", data={**article_data(title="", slug="dipakai"),
                                         "csrf_token": csrf_token(c, "/bantuan/baru")})
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    title_field = re.search(r'<div class="field\s*has-error">\s*<label for="f-title">.*?</div>',
                            html, re.S)
    assert title_field and "Judul harus 5 sampai 200 karakter." in title_field.group()
    assert "Alamat sudah dipakai artikel lain." in html
    assert 'value="dipakai"' in html  # what was typed is kept
    assert row_counts() == before


def test_manage_lists_drafts_with_their_state(editor_client):
    make_article(SYSTEM, title="Artikel terbit")
    make_article(SYSTEM, title="Artikel draf", published=False)
    html = editor_client.get("/bantuan/kelola").get_data(as_text=True)
    assert "Artikel terbit" in html and "Artikel draf" in html
    assert html.count('class="badge draft"') == 1


def test_citizens_get_403_on_editor_pages(client_for):
    a = make_article(SYSTEM)
    draft = make_article(SYSTEM, published=False)
    c = client_for(make_user(roles=[Role.PEMOHON]))
    for url in ("/bantuan/kelola", "/bantuan/baru", f"/bantuan/{a.slug}/ubah"):
        assert c.get(url).status_code == 403, url
    assert c.get(f"/bantuan/{draft.slug}/ubah").status_code == 404


def test_pages_answer_in_english_too(client):
    a = make_article(SYSTEM)
    for url in ("/bantuan?lang=en", f"/bantuan/{a.slug}", "/bantuan?q=unduh"):
        resp = client.get(url)
        assert resp.status_code == 200 and '<html lang="en">' in resp.get_data(as_text=True)


def test_article_page_points_to_the_request_form_when_the_help_desk_has_one(app, client):
    a = make_article(SYSTEM)
    html = client.get(f"/bantuan/{a.slug}").get_data(as_text=True)
    assert "Belum menemukan jawaban?" in html
    if "tickets.request_form" in app.view_functions:
        assert 'href="/permohonan/baru"' in html
