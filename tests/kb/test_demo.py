"""The demo help articles: realistic, made through the actions, and loaded only once."""
from app.core import audit
from app.core.actor import ANONYMOUS, SYSTEM
from app.kb import actions
from app.kb.demo import ARTICLES, load_demo_articles
from app.kb.models import Article
from app.kb.render import render_body
from tests.factories import row_counts


def test_demo_articles_load_once():
    assert load_demo_articles(SYSTEM) == len(ARTICLES) >= 10
    before = (row_counts(), sorted((a.slug, a.updated_at) for a in Article.query.all()))
    assert load_demo_articles(SYSTEM) == 0
    assert (row_counts(), sorted((a.slug, a.updated_at) for a in Article.query.all())) == before


def test_demo_has_one_draft_and_is_audited():
    load_demo_articles(SYSTEM)
    drafts = Article.query.filter_by(published=False).all()
    assert [a.slug for a in drafts] == ["bot-telegram"]
    published = actions.article_list(ANONYMOUS)
    assert len(published) == len(ARTICLES) - 1
    assert {a.category for a in published} == {"permohonan", "data", "akun"}
    for article in published:
        assert [h.action for h in audit.history("kb_article", article.id)] == [
            "article.created", "article.published"]


def test_an_edited_demo_article_is_left_alone():
    load_demo_articles(SYSTEM)
    article = Article.query.filter_by(slug="privasi-nik").one()
    actions.article_update(SYSTEM, article.id, {"title": "Perlindungan NIK pemohon"})
    load_demo_articles(SYSTEM)
    assert Article.query.filter_by(slug="privasi-nik").one().title == "Perlindungan NIK pemohon"


def test_demo_answers_the_questions_people_ask():
    load_demo_articles(SYSTEM)

    def first(query):
        return actions.article_search(ANONYMOUS, query)[0].article.slug

    assert first("permintaan data") == "cara-meminta-data"
    assert first("berapa lama permohonan dijawab") == "jangka-waktu-jawaban"
    assert first("perpanjangan 7 hari kerja") == "jangka-waktu-jawaban"
    assert first("keberatan ditolak") == "cara-mengajukan-keberatan"
    assert first("data terbatas") == "arti-klasifikasi-akses"
    assert first("mengunduh csv") == "cara-mengunduh-data"
    assert first("sitasi") == "cara-mengutip-dataset"
    assert first("api json") == "menggunakan-api"
    assert first("NIK aman?") == "privasi-nik"
    assert first("survei kepuasan") == "survei-kepuasan-ikm"
    assert actions.article_search(ANONYMOUS, "telegram") == []  # the bot's article is a draft


def test_demo_bodies_render_as_paragraphs_and_lists():
    for *_, body in ARTICLES:
        html = str(render_body(body))
        assert html.startswith(("<p>", "<ol>", "<ul>"))
        assert "<li>" in html and "\n\n" not in html
