"""Searching and downloading from the bot, against the fake Telegram server: /cari and plain
text, pages, details, downloads (document, link, too big), restricted datasets, nothing found.
Real catalogue, real search index, real actions."""
import pytest

from app.catalog import actions as catalog
from app.catalog.models import SearchQuery
from app.chats.models import TelegramChat
from app.core.actor import SYSTEM
from app.core.storage import from_app as storage
from app.extensions import db
from app.kb import actions as kb
from bot.handlers import search as bot_search
from tests.bot.fake_telegram import callback
from tests.factories import (
    VALID_CSV,
    make_dataset,
    make_org,
    make_producer,
    make_published,
    make_walidata,
    upload_csv,
)

pytestmark = pytest.mark.usefixtures("reference")

CHAT = 5151


@pytest.fixture
def people():
    class People:
        producer = make_producer(make_org(title="Dinas Kependudukan dan Catatan Sipil"))
        walidata = make_walidata()
    return People()


@pytest.fixture
def chat(make_chat):
    return make_chat(CHAT)


def publish(people, **overrides):
    return make_published(people.producer, people.walidata, **overrides)


def searches():
    return [q.text for q in SearchQuery.query.order_by(SearchQuery.id)]


def buttons_to(call, prefix):
    return [(text, data) for text, data in call.buttons if data.startswith(prefix)]


def downloads(resource_id):
    return catalog.download_total(resource_id)


# ---------------------------------------------------------------- finding

def test_cari_lists_published_datasets_with_detail_buttons(bot, telegram, chat, people):
    ds = publish(people, title="Jumlah Penduduk Kota Bandung", period_start=2021,
                 period_end=2023)
    publish(people, title="Data Penduduk Rahasia", access="tertutup")
    make_dataset(people.producer, title="Draf Penduduk Lansia")

    sent = bot.say(CHAT, "/cari penduduk")

    assert len(sent) == 1
    results = sent[0]
    assert results.method == "sendMessage" and results.params["parse_mode"] == "HTML"
    text = results.text
    assert "Hasil pencarian \u201cpenduduk\u201d" in text and "1 dataset" in text
    assert "<b>1. Jumlah Penduduk Kota Bandung</b>" in text
    assert "Dinas Kependudukan dan Catatan Sipil · Terbuka · 2021–2023" in text
    # closed datasets and drafts are never listed
    assert "Rahasia" not in text and "Lansia" not in text
    assert results.buttons == [("1. Jumlah Penduduk Kota Bandung", f"cari:d:{ds.id}")]
    assert "/minta" in text
    assert searches() == ["penduduk"]  # the search log, as the web keeps it


def test_plain_text_is_a_search(bot, chat, people):
    ds = publish(people, title="Jumlah Penduduk per Desa")
    sent = bot.say(CHAT, "penduduk desa")
    assert len(sent) == 1
    assert "Jumlah Penduduk per Desa" in sent[0].text
    assert ("1. Jumlah Penduduk per Desa", f"cari:d:{ds.id}") in sent[0].buttons


def test_a_reply_is_not_a_search(bot, telegram, chat, people):
    publish(people, title="Jumlah Penduduk per Desa")
    earlier = bot.say(CHAT, "/bantuan")[0]
    sent = bot.say(CHAT, "penduduk", reply_to=earlier.message_id)
    assert not any("Hasil pencarian" in c.text for c in sent)
    assert searches() == []


def test_cari_without_words_explains_how_to_search(bot, chat, people):
    publish(people)
    for text in ("/cari", "/cari   ", "/cari yang dan di"):  # stop words alone find nothing
        sent = bot.say(CHAT, text)
        assert len(sent) == 1, text
        assert "Ketik kata yang dicari" in sent[0].text and not sent[0].buttons
    assert searches() == []


def test_pages_of_five_with_next_and_previous(bot, telegram, chat, people):
    made = [publish(people, title=f"Jumlah Penduduk Kelurahan {n}") for n in range(7)]

    first = bot.say(CHAT, "/cari penduduk")[0]
    assert "7 dataset" in first.text and "halaman 1 dari 2" in first.text
    details = buttons_to(first, "cari:d:")
    assert len(details) == 5 and [t for t, _d in details][0].startswith("1. ")
    nav = buttons_to(first, "cari:p:")
    assert [t for t, _d in nav] == ["berikutnya ›"]

    sent = bot.press(CHAT, nav[0][1], first.message_id)
    assert len(sent) == 1
    second = sent[0]
    # the list is edited in place: one message to scroll through
    assert second.method == "editMessageText" and second.message_id == first.message_id
    assert "halaman 2 dari 2" in second.text
    assert "<b>6. " in second.text and "<b>7. " in second.text and "<b>5. " not in second.text
    shown = {d[len("cari:d:"):] for _t, d in details + buttons_to(second, "cari:d:")}
    assert shown == {ds.id for ds in made}  # every dataset once across both pages
    assert [t for t, _d in buttons_to(second, "cari:p:")] == ["‹ sebelumnya"]
    assert telegram.calls_of("answerCallbackQuery")

    back = bot.press(CHAT, buttons_to(second, "cari:p:")[0][1], first.message_id)[0]
    assert "halaman 1 dari 2" in back.text and back.message_id == first.message_id
    assert searches() == ["penduduk"]  # turning pages is not a new search


def test_a_forgotten_query_asks_to_search_again(bot, telegram, chat, people, monkeypatch):
    monkeypatch.setattr(bot_search, "KEPT_QUERIES", 2)
    publish(people)
    first = bot.say(CHAT, "/cari penduduk")[0]
    for n in range(2):
        bot.say(CHAT, f"/cari kependudukan {n}")
    telegram.clear()
    assert bot.press(CHAT, "cari:p:1:1", first.message_id) == []
    answer = telegram.calls_of("answerCallbackQuery")[0]
    assert answer.params["show_alert"] is True
    assert "kedaluwarsa" in answer.params["text"]


def test_the_query_survives_a_restart(app, telegram, chat, people):
    from tests.bot.conftest import BotHarness, start_bot

    publish(people)
    for n in range(6):
        publish(people, title=f"Jumlah Penduduk Desa {n}")
    runner = start_bot(app, telegram)
    try:
        first = BotHarness(runner, telegram).say(CHAT, "/cari penduduk")[0]
    finally:
        runner.stop()
    runner = start_bot(app, telegram)
    try:
        nav = buttons_to(first, "cari:p:")[0][1]
        second = BotHarness(runner, telegram).press(CHAT, nav, first.message_id)[0]
    finally:
        runner.stop()
    assert "halaman 2 dari 2" in second.text


# ---------------------------------------------------------------- nothing found

def test_nothing_found_suggests_faq_articles_and_minta(bot, chat, people):
    publish(people)
    article = kb.article_create(SYSTEM, {
        "title": "Jam layanan PPID", "category": "data", "tags": "jam",
        "body": "Senin sampai Jumat pukul 08.00 sampai 16.00."})
    kb.article_publish(SYSTEM, article.id, True)

    sent = bot.say(CHAT, "jam layanan")
    assert len(sent) == 1
    text = sent[0].text
    assert "Dataset untuk \u201cjam layanan\u201d tidak ditemukan" in text
    assert f'href="{kb.article_url(article.slug)}"' in text and "Jam layanan PPID" in text
    assert "/minta" in text
    assert not sent[0].buttons
    assert searches() == ["jam layanan"]  # zero-hit searches are what the walidata studies


def test_did_you_mean_offers_the_corrected_search(bot, chat, people):
    ds = publish(people, title="Jumlah Penduduk Kota")
    sent = bot.say(CHAT, "/cari pendudk")[0]
    assert "tidak ditemukan" in sent.text and "Mungkin maksud Anda: <b>penduduk</b>?" in sent.text
    [(label, data)] = buttons_to(sent, "cari:s:")
    assert label == "🔎 penduduk"

    found = bot.press(CHAT, data, sent.message_id)[0]
    assert found.method == "editMessageText" and found.message_id == sent.message_id
    assert "Jumlah Penduduk Kota" in found.text
    assert ("1. Jumlah Penduduk Kota", f"cari:d:{ds.id}") in found.buttons
    assert searches() == ["pendudk", "penduduk"]


# ---------------------------------------------------------------- details

def test_detail_shows_the_metadata_and_a_download_button_per_file(bot, chat, people):
    ds = publish(people, title="Jumlah Penduduk Kota", frequency="tahunan", period_start=2020,
                 period_end=2023, spatial_coverage="Kota Bandung",
                 description="Jumlah penduduk <terdaftar> menurut kecamatan. " * 20)
    res = ds.resources[0]
    results = bot.say(CHAT, "/cari penduduk")[0]

    sent = bot.press(CHAT, f"cari:d:{ds.id}", results.message_id)
    assert len(sent) == 1 and sent[0].method == "sendMessage"  # the list stays
    text = sent[0].text
    assert "<b>Jumlah Penduduk Kota</b>" in text
    assert "Jumlah penduduk &lt;terdaftar&gt; menurut kecamatan." in text  # escaped
    assert "…" in text and len(text) < 1500  # the description is shortened
    assert "<b>Produsen</b>: Dinas Kependudukan dan Catatan Sipil" in text
    assert "<b>Akses</b>: Terbuka" in text
    assert "<b>Periode</b>: 2020–2023" in text
    assert "<b>Cakupan wilayah</b>: Kota Bandung" in text
    assert "<b>Frekuensi pemutakhiran</b>: Tahunan" in text
    assert f"<b>Lisensi</b>: {ds.license.title}" in text
    assert f"• {res.name} (CSV, " in text
    assert f'href="http://127.0.0.1:5000/dataset/{ds.name}"' in text
    assert sent[0].buttons == [(f"⬇️ Unduh {res.name}", f"cari:u:{res.id}")]


def test_a_dataset_withdrawn_since_is_not_found(bot, chat, people):
    ds = publish(people)
    catalog.dataset_withdraw(people.walidata, ds.id, "Data diperbaiki.")
    sent = bot.press(CHAT, f"cari:d:{ds.id}", 1)
    assert sent[0].text == "Dataset tidak ditemukan."


# ---------------------------------------------------------------- downloads

def test_download_sends_the_file_and_counts_it_like_the_web(bot, telegram, chat, people,
                                                           client):
    ds = publish(people, title="Jumlah Penduduk Kota")
    res = ds.resources[0]

    sent = bot.press(CHAT, f"cari:u:{res.id}", 1)
    assert len(sent) == 1
    doc = sent[0]
    assert doc.method == "sendDocument" and doc.chat_id == CHAT
    upload = doc.files["document"]
    assert upload["filename"] == res.original_filename == "data.csv"
    assert upload["content"] == VALID_CSV.encode()
    assert upload["content"] == storage().path(res.storage_key).read_bytes()
    assert "<b>Jumlah Penduduk Kota</b>" in doc.text and ds.license.title in doc.text
    assert downloads(res.id) == 1
    assert telegram.calls_of("sendChatAction", CHAT)

    # the web's download route serves the same file and counts on the same counter
    web = client.get(f"/dataset/{ds.name}/sumber/{res.id}/unduh/original")
    assert web.status_code == 200 and web.data == upload["content"]
    assert downloads(res.id) == 2


def test_a_file_over_the_limit_is_sent_as_a_portal_link(bot, telegram, chat, people,
                                                      monkeypatch):
    ds = publish(people)
    res = ds.resources[0]
    monkeypatch.setattr(bot_search, "MAX_UPLOAD", 10)

    sent = bot.press(CHAT, f"cari:u:{res.id}", 1)
    assert len(sent) == 1 and sent[0].method == "sendMessage"
    url = f"http://127.0.0.1:5000/dataset/{ds.name}/sumber/{res.id}/unduh/original"
    assert f'href="{url}"' in sent[0].text
    assert "terlalu besar" in sent[0].text
    assert not telegram.calls_of("sendDocument")
    assert downloads(res.id) == 0  # the portal counts it when the link is followed


def test_a_link_resource_is_sent_as_its_address_and_counted(bot, telegram, chat, people):
    ds = make_dataset(people.producer, title="Jumlah Penduduk Kota")
    upload_csv(people.producer, ds)
    link = catalog.resource_link_create(people.producer, ds.id, {
        "name": "Dasbor BPS", "url": "https://bandungkota.bps.go.id/dasbor?a=1&b=2"})
    catalog.dataset_submit(people.producer, ds.id)
    catalog.dataset_approve(people.walidata, ds.id)

    detail = bot.press(CHAT, f"cari:d:{ds.id}", 1)[0]
    assert ("🔗 Buka Dasbor BPS", f"cari:u:{link.id}") in detail.buttons
    sent = bot.press(CHAT, f"cari:u:{link.id}", detail.message_id)
    assert 'href="https://bandungkota.bps.go.id/dasbor?a=1&amp;b=2"' in sent[0].text
    assert not telegram.calls_of("sendDocument")
    assert downloads(link.id) == 1


# ---------------------------------------------------------------- restricted datasets

def test_restricted_data_offers_minta_akses_until_the_citizen_has_access(bot, telegram, chat,
                                                                        people):
    ds = publish(people, title="Angka Perkawinan", access="terbatas")
    res = ds.resources[0]
    results = bot.say(CHAT, "/cari perkawinan")[0]
    assert "Terbatas" in results.text

    detail = bot.press(CHAT, f"cari:d:{ds.id}", results.message_id)[0]
    assert "<b>Akses</b>: Terbatas" in detail.text and "Dataset ini terbatas" in detail.text
    assert detail.buttons == [("📝 Minta akses", f"m:{ds.name}")]  # no download buttons

    # an old "unduh" button does not get round it
    refused = bot.press(CHAT, f"cari:u:{res.id}", detail.message_id)
    assert len(refused) == 1 and "hanya dapat diunduh" in refused[0].text
    assert refused[0].buttons == [("📝 Minta akses", f"m:{ds.name}")]
    assert not telegram.calls_of("sendDocument") and downloads(res.id) == 0

    # the custodian puts the chat's citizen on the access list (as approving a request does)
    citizen = db.session.get(TelegramChat, CHAT).user
    catalog.grant_access(people.walidata, ds, citizen, "permohonan disetujui")
    db.session.commit()

    detail = bot.press(CHAT, f"cari:d:{ds.id}", results.message_id)[0]
    assert "daftar akses" in detail.text
    assert detail.buttons == [(f"⬇️ Unduh {res.name}", f"cari:u:{res.id}")]
    doc = bot.press(CHAT, f"cari:u:{res.id}", detail.message_id)[0]
    assert doc.method == "sendDocument"
    assert doc.files["document"]["content"] == VALID_CSV.encode()
    assert downloads(res.id) == 1


def test_minta_akses_data_fits_telegrams_limit(people):
    ds = publish(people, access="terbatas", name="n" * 100)
    assert bot_search.access_data(ds) == f"m:{ds.id}"
    assert len(bot_search.access_data(ds).encode()) <= 64


def test_a_closed_dataset_cannot_be_opened_or_downloaded(bot, telegram, chat, people):
    ds = publish(people, access="tertutup")
    bot.feed(callback(CHAT, f"cari:d:{ds.id}", 1),
             callback(CHAT, f"cari:u:{ds.resources[0].id}", 1))
    assert bot.texts(CHAT) == ["Dataset tidak ditemukan.", "Sumber data tidak ditemukan."]
    assert not telegram.calls_of("sendDocument")
