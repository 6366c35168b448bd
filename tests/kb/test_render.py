"""Plain-text bodies to safe HTML, snippets and highlighting: pure functions, no database."""
import pytest

from app.kb import search
from app.kb.render import render_body


@pytest.mark.parametrize("body,html", [
    ("", ""),
    ("Satu paragraf.", "<p>Satu paragraf.</p>"),
    ("Baris satu\nbaris dua", "<p>Baris satu<br>\nbaris dua</p>"),
    ("Satu.\n\n\nDua.", "<p>Satu.</p>\n<p>Dua.</p>"),
    ("Siapkan:\n- KTP\n* surat kuasa",
     "<p>Siapkan:</p>\n<ul><li>KTP</li><li>surat kuasa</li></ul>"),
    ("1. Buka katalog\n2) Pilih dataset", "<ol><li>Buka katalog</li><li>Pilih dataset</li></ol>"),
    ("- satu\n1. dua", "<ul><li>satu</li></ul>\n<ol><li>dua</li></ol>"),
    ("<b>tebal</b> & <i>miring</i>",
     "<p>&lt;b&gt;tebal&lt;/b&gt; &amp; &lt;i&gt;miring&lt;/i&gt;</p>"),
    ("-tanpa spasi bukan daftar", "<p>-tanpa spasi bukan daftar</p>"),
    ("Windows\r\nbaris", "<p>Windows<br>\nbaris</p>"),
])
def test_render_body(body, html):
    assert str(render_body(body)) == html


def test_links_are_http_only_and_escaped():
    html = str(render_body('Lihat https://a.go.id/x?a=1&b="2" atau javascript:alert(1).'))
    assert '<a href="https://a.go.id/x?a=1&amp;b=" rel="nofollow noopener">' in html
    assert "</a>&#34;2&#34; atau" in html
    assert "javascript:alert(1)" in html and 'href="javascript' not in html
    html = str(render_body("Buka (https://data.go.id/dataset), lalu cari."))
    assert '<a href="https://data.go.id/dataset" rel="nofollow noopener">' in html
    assert "</a>), lalu" in html


def test_help_desk_words_are_not_stop_words():
    """Sastrawi's list drops "meminta", "mohon" and "jawaban"; a help desk searches them."""
    assert search.stems("Bagaimana cara meminta jawaban?") == ["minta", "jawab"]
    assert search.stems("permintaan permohonan dijawab") == ["minta", "mohon", "jawab"]


def test_parse_keeps_the_last_word_as_a_prefix():
    q = search.parse("  cara  mengajukan keber ")
    assert [(t.stem, t.prefix) for t in q.terms] == [("aju", None), ("keber", "keber")]
    assert not search.parse("yang dan di")
    assert [t.prefix for t in search.parse("32.73").terms] == [None]


def test_highlight_escapes_and_marks_words_by_stem():
    q = search.parse("permintaan")
    html = str(search.highlight("<i>Meminta</i> data & minta lagi", q))
    assert html == ('&lt;i&gt;<mark class="hl">Meminta</mark>&lt;/i&gt; data &amp; '
                    '<mark class="hl">minta</mark> lagi')
    assert str(search.highlight("<b>", None)) == "&lt;b&gt;"


def test_snippet_of_a_short_body_is_the_whole_body_flattened():
    q = search.parse("data")
    assert search.snippet("Satu.\n\n- dua\n- tiga", q) == "Satu. dua tiga"
