"""Knowledge-base actions without HTTP: writing, publishing, reading, counting, citing, and the
audit trail. A refused action changes nothing (`unchanged` compares every table and the
article's row before and after)."""
from contextlib import contextmanager

import pytest
from flask import has_request_context

from app.core import audit
from app.core.actor import ANONYMOUS, SYSTEM
from app.core.errors import InvalidTransition, NotAuthorized, NotFound, ValidationError
from app.extensions import db
from app.kb import actions
from app.kb.models import Article
from tests.factories import row_counts
from tests.kb.conftest import article_data, make_article


def _state():
    db.session.rollback()
    db.session.expire_all()
    return row_counts(), sorted((a.id, a.slug, a.published, a.views, str(actions.snapshot(a)))
                                for a in Article.query.all())


@contextmanager
def unchanged(exc_type):
    before = _state()
    with pytest.raises(exc_type) as info:
        yield info
    assert _state() == before, "a refused action changed something"


def errors_of(info):
    return {k: [str(m) for m in v] for k, v in info.value.errors.items()}


def history(article_id):
    return [(h.action, h.before, h.after) for h in audit.history("kb_article", article_id)]


def reload(article_id):
    db.session.expire_all()
    return db.session.get(Article, article_id)


# ---------------------------------------------------------------- create

def test_create_makes_an_audited_draft_with_search_text(people):
    a = actions.article_create(people.helpdesk, article_data(
        title="Bagaimana cara meminta data?", tags="Permohonan, DATA, permohonan",
        body="Anda dapat meminta data melalui formulir permohonan informasi publik."))
    assert not a.published and a.views == 0
    assert a.slug == "bagaimana-cara-meminta-data"
    assert a.tags == ["permohonan", "data"]
    assert a.created_by_id == a.updated_by_id == people.helpdesk.id
    words = a.search_text.split()
    assert {"minta", "mohon", "formulir", "informasi"} <= set(words)
    assert "meminta" in words  # the written form, for prefixes typed as you go
    [(action, before, after)] = history(a.id)
    assert action == "article.created" and before is None
    assert after["title"] == "Bagaimana cara meminta data?" and after["published"] is False
    entry = audit.history("kb_article", a.id)[0]
    assert entry.actor_id == people.helpdesk.id and entry.actor_label == people.helpdesk.email


@pytest.mark.parametrize("role", ["helpdesk", "ppid", "admin"])
def test_every_editor_role_may_write(people, role):
    assert actions.article_create(getattr(people, role), article_data()).id


def test_same_title_gets_a_numbered_address():
    a = actions.article_create(SYSTEM, article_data(title="Jam layanan PPID"))
    b = actions.article_create(SYSTEM, article_data(title="Jam Layanan PPID!"))
    assert (a.slug, b.slug) == ("jam-layanan-ppid", "jam-layanan-ppid-2")


def test_a_title_that_reads_like_a_page_gets_another_address():
    assert actions.article_create(SYSTEM, article_data(title="Kelola")).slug == "kelola-2"


@pytest.mark.parametrize("overrides,field", [
    ({"title": ""}, "title"),
    ({"title": "   "}, "title"),
    ({"title": "x" * 201}, "title"),
    ({"body": ""}, "body"),
    ({"body": "Terlalu singkat."}, "body"),
    ({"category": "rahasia"}, "category"),
    ({"slug": "Huruf Besar"}, "slug"),
    ({"slug": "baru"}, "slug"),
    ({"tags": "x" * 101}, "tags"),
])
def test_create_refuses_bad_input_and_changes_nothing(overrides, field):
    data = article_data(**overrides)
    with unchanged(ValidationError) as info:
        actions.article_create(SYSTEM, data)
    assert field in errors_of(info)


def test_missing_title_is_required():
    data = article_data()
    del data["title"]
    with unchanged(ValidationError) as info:
        actions.article_create(SYSTEM, data)
    assert errors_of(info) == {"title": ["Wajib diisi."]}


def test_duplicate_address_is_refused():
    make_article(SYSTEM, slug="cara-unduh")
    with unchanged(ValidationError) as info:
        actions.article_create(SYSTEM, article_data(slug="cara-unduh"))
    assert errors_of(info) == {"slug": ["Alamat sudah dipakai artikel lain."]}


@pytest.mark.parametrize("role", ["walidata", "pemohon"])
def test_create_refused_for_others(people, role):
    with unchanged(NotAuthorized):
        actions.article_create(getattr(people, role), article_data())


def test_create_refused_for_anonymous():
    with unchanged(NotAuthorized):
        actions.article_create(ANONYMOUS, article_data())


# ---------------------------------------------------------------- update

def test_update_changes_only_what_is_given_and_audits_the_difference(people):
    a = make_article(people.helpdesk, title="Cara mengunduh data")
    actions.article_update(people.ppid, a.id, {"body": "Anda dapat meminta salinan berkas "
                                                       "melalui formulir permohonan."})
    a = reload(a.id)
    assert a.title == "Cara mengunduh data" and a.slug == "cara-mengunduh-data"
    assert a.updated_by_id == people.ppid.id and a.created_by_id == people.helpdesk.id
    assert "minta" in a.search_text.split()
    action, before, after = history(a.id)[-1]
    assert action == "article.updated"
    assert set(after) == {"body"} and before["body"].startswith("Buka halaman dataset")


def test_update_without_changes_writes_no_audit_row(people):
    a = make_article(people.helpdesk)
    form = actions.snapshot(a)
    form["tags"] = ", ".join(form["tags"])
    before = len(history(a.id))
    actions.article_update(people.ppid, a.id, form)
    assert len(history(a.id)) == before
    assert reload(a.id).updated_by_id == people.helpdesk.id


def test_update_with_empty_address_keeps_it_and_may_rename():
    a = make_article(SYSTEM, slug="lama")
    actions.article_update(SYSTEM, a.id, {"slug": ""})
    assert reload(a.id).slug == "lama"
    actions.article_update(SYSTEM, "lama", {"slug": "baru-sekali"})
    assert reload(a.id).slug == "baru-sekali"


def test_update_refuses_empty_title_and_a_taken_address():
    make_article(SYSTEM, slug="dipakai")
    a = make_article(SYSTEM, slug="milik-saya")
    with unchanged(ValidationError) as info:
        actions.article_update(SYSTEM, a.id, {"title": ""})
    assert "title" in errors_of(info)
    with unchanged(ValidationError) as info:
        actions.article_update(SYSTEM, a.id, {"slug": "dipakai"})
    assert "slug" in errors_of(info)


def test_update_refused_for_a_citizen(people):
    published = make_article(SYSTEM)
    draft = make_article(SYSTEM, published=False)
    with unchanged(NotAuthorized):
        actions.article_update(people.pemohon, published.id, {"title": "Judul diganti warga"})
    with unchanged(NotFound):  # a draft's existence is not told
        actions.article_update(people.pemohon, draft.id, {"title": "Judul diganti warga"})


# ---------------------------------------------------------------- publish, delete

def test_publish_and_unpublish_are_audited(people):
    a = make_article(people.helpdesk, published=False)
    actions.article_publish(people.ppid, a.id, True)
    assert reload(a.id).published
    actions.article_publish(people.admin, a.id, False)
    assert not reload(a.id).published
    assert history(a.id)[1:] == [
        ("article.published", {"published": False}, {"published": True}),
        ("article.unpublished", {"published": True}, {"published": False}),
    ]


def test_publishing_twice_is_an_invalid_transition():
    a = make_article(SYSTEM)
    with unchanged(InvalidTransition):
        actions.article_publish(SYSTEM, a.id, True)
    actions.article_publish(SYSTEM, a.id, False)
    with unchanged(InvalidTransition):
        actions.article_publish(SYSTEM, a.id, False)


def test_publish_refused_for_a_citizen(people):
    a = make_article(SYSTEM)
    with unchanged(NotAuthorized):
        actions.article_publish(people.pemohon, a.id, False)


def test_delete_removes_the_article_and_keeps_its_content_in_the_log(people):
    a = make_article(people.helpdesk, title="Artikel yang akan dihapus")
    article_id = a.id
    actions.article_delete(people.ppid, article_id)
    assert reload(article_id) is None
    action, before, after = history(article_id)[-1]
    assert action == "article.deleted" and after is None
    assert before["title"] == "Artikel yang akan dihapus"
    with pytest.raises(NotFound):
        actions.article_get(people.ppid, article_id)


def test_delete_refused_for_a_citizen(people):
    a = make_article(SYSTEM)
    with unchanged(NotAuthorized):
        actions.article_delete(people.pemohon, a.id)


# ---------------------------------------------------------------- reading and counting

def test_public_reads_of_a_published_article_are_counted(people):
    a = make_article(SYSTEM)
    stamp = reload(a.id).updated_at
    actions.article_get(ANONYMOUS, a.slug)
    actions.article_get(people.pemohon, a.id)
    actions.article_get(people.walidata, str(a.id))
    a = reload(a.id)
    assert a.views == 3
    assert a.updated_at == stamp  # a view is not an edit


def test_editors_reads_are_not_counted(people):
    a = make_article(SYSTEM)
    for editor in (people.helpdesk, people.ppid, people.admin, SYSTEM):
        actions.article_get(editor, a.slug)
    assert reload(a.id).views == 0


def test_drafts_are_hidden_from_the_public_and_not_counted(people):
    a = make_article(SYSTEM, published=False, slug="draf-rahasia")
    for reader in (ANONYMOUS, people.pemohon, people.walidata):
        with unchanged(NotFound):
            actions.article_get(reader, "draf-rahasia")
    assert actions.article_get(people.helpdesk, "draf-rahasia").id == a.id
    assert reload(a.id).views == 0


def test_unknown_article_is_not_found():
    with pytest.raises(NotFound):
        actions.article_get(SYSTEM, "tidak-ada")
    with pytest.raises(NotFound):
        actions.article_get(SYSTEM, 999)


def test_list_shows_published_by_title_and_drafts_only_to_editors(people):
    make_article(SYSTEM, title="Zonasi data", category="data")
    make_article(SYSTEM, title="Akun pemohon", category="akun")
    make_article(SYSTEM, title="Draf baru", published=False)
    assert [a.title for a in actions.article_list(ANONYMOUS)] == ["Akun pemohon",
                                                                  "Zonasi data"]
    assert [a.title for a in actions.article_list(ANONYMOUS, category="akun")] == [
        "Akun pemohon"]
    assert len(actions.article_list(people.helpdesk, include_drafts=True)) == 3
    with pytest.raises(NotAuthorized):
        actions.article_list(people.pemohon, include_drafts=True)
    with pytest.raises(ValidationError):
        actions.article_list(ANONYMOUS, category="rahasia")


# ---------------------------------------------------------------- search

@pytest.fixture
def faq():
    """A small help desk: one article per subject, plus a draft."""
    return {
        "minta": make_article(SYSTEM, title="Bagaimana cara meminta data?", category="permohonan",
                              tags="formulir",
                              body="Isi formulir, lalu petugas akan memproses data yang Anda "
                                   "minta dalam 10 hari kerja."),
        "keberatan": make_article(SYSTEM, title="Mengajukan keberatan", category="permohonan",
                                  tags="atasan ppid",
                                  body="Bila permohonan ditolak, Anda dapat mengajukan "
                                       "keberatan kepada atasan PPID dalam 30 hari kerja."),
        "unduh": make_article(SYSTEM, title="Cara mengunduh berkas", category="data",
                              tags="csv",
                              body="Tekan tombol unduh pada halaman dataset. Data terbuka "
                                   "tidak perlu permintaan apa pun."),
        "draf": make_article(SYSTEM, published=False, title="Jadwal meminta data lewat bot",
                             category="akun", tags="telegram",
                             body="Bot Telegram akan dapat menerima permintaan data."),
    }


def _titles(hits):
    return [h.article.title for h in hits]


def test_search_meets_indonesian_words_at_their_stem(faq):
    """"permintaan" (a request) and "meminta" (to ask for) share the stem "minta"."""
    assert not has_request_context()  # the bot calls this with no web request
    hits = actions.article_search(ANONYMOUS, "permintaan")
    assert _titles(hits)[0] == "Bagaimana cara meminta data?"
    assert "Jadwal meminta data lewat bot" not in _titles(hits)


def test_title_hits_rank_above_body_hits(faq):
    # "unduh" is in the body of the first and the title of the second; "permintaan" the body.
    hits = actions.article_search(ANONYMOUS, "unduh")
    assert _titles(hits) == ["Cara mengunduh berkas"]
    hits = actions.article_search(ANONYMOUS, "meminta")
    assert _titles(hits) == ["Bagaimana cara meminta data?", "Cara mengunduh berkas"]


def test_articles_with_more_query_words_rank_first(faq):
    hits = actions.article_search(ANONYMOUS, "keberatan ditolak hari kerja")
    assert _titles(hits)[0] == "Mengajukan keberatan"
    assert hits[0].matched == 4 and hits[1].matched < 4


def test_the_last_word_matches_as_a_prefix(faq):
    assert _titles(actions.article_search(ANONYMOUS, "keber")) == ["Mengajukan keberatan"]
    assert _titles(actions.article_search(ANONYMOUS, "atasan pp")) == ["Mengajukan keberatan"]


def test_tags_are_searched(faq):
    assert _titles(actions.article_search(ANONYMOUS, "csv")) == ["Cara mengunduh berkas"]


def test_drafts_only_for_editors_who_ask(faq, people):
    assert "Jadwal meminta data lewat bot" not in _titles(
        actions.article_search(people.helpdesk, "telegram"))
    hits = actions.article_search(people.helpdesk, "telegram", include_drafts=True)
    assert _titles(hits) == ["Jadwal meminta data lewat bot"]
    with unchanged(NotAuthorized):
        actions.article_search(people.pemohon, "telegram", include_drafts=True)


def test_search_of_nothing_finds_nothing(faq):
    for query in ("", "   ", "yang dan di", "?!", None):
        assert actions.article_search(ANONYMOUS, query) == []
    assert actions.article_search(ANONYMOUS, "gempa bumi") == []


def test_search_limit_and_category(faq):
    assert len(actions.article_search(ANONYMOUS, "data hari", limit=1)) == 1
    hits = actions.article_search(ANONYMOUS, "data", category="data")
    assert _titles(hits) == ["Cara mengunduh berkas"]
    with pytest.raises(ValidationError):
        actions.article_search(ANONYMOUS, "data", category="rahasia")


def test_snippet_is_plain_text_around_the_match():
    body = ("Pendahuluan panjang tentang portal. " * 12 + "Keberatan diajukan kepada atasan "
            "PPID secara tertulis.\n\n- butir satu\n- butir dua")
    make_article(SYSTEM, title="Tentang keberatan", body=body)
    [hit] = actions.article_search(ANONYMOUS, "tertulis")
    assert "secara tertulis" in hit.snippet
    assert hit.snippet.startswith("… ") and len(hit.snippet) <= 210
    assert "\n" not in hit.snippet and "- butir" not in hit.snippet


def test_search_does_not_count_views(faq):
    actions.article_search(ANONYMOUS, "permintaan")
    assert reload(faq["minta"].id).views == 0


# ---------------------------------------------------------------- citing

def test_cite_without_a_request_uses_site_url(app, monkeypatch):
    monkeypatch.setitem(app.config, "SITE_URL", "https://data.jabarprov.go.id/portal/")
    a = make_article(SYSTEM, title="Cara mengajukan keberatan", slug="keberatan")
    citation = actions.article_cite(ANONYMOUS, a.id)
    assert citation.url == "https://data.jabarprov.go.id/portal/bantuan/keberatan"
    assert citation.title == "Cara mengajukan keberatan"
    assert citation.text == ("Lihat juga: Cara mengajukan keberatan — "
                             "https://data.jabarprov.go.id/portal/bantuan/keberatan")


def test_cite_in_a_request_uses_the_request_host(app):
    a = make_article(SYSTEM, slug="unduh-data")
    with app.test_request_context("/", base_url="https://layanan.example.go.id"):
        citation = actions.article_cite(SYSTEM, a.slug)
    assert citation.url == "https://layanan.example.go.id/bantuan/unduh-data"


def test_a_draft_cannot_be_cited(people):
    a = make_article(SYSTEM, published=False)
    with pytest.raises(InvalidTransition):
        actions.article_cite(people.helpdesk, a.id)
    with pytest.raises(NotFound):
        actions.article_cite(people.pemohon, a.id)
