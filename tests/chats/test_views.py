"""The citizen's Telegram page (/akun/telegram): the code to link the bot, with real logins
and real CSRF tokens."""
import re

import pytest

from app.chats import actions
from app.chats.models import LinkCode
from app.core.actor import SYSTEM
from tests.conftest import csrf_token
from tests.tickets.factories import make_helpdesk, make_requester

PAGE, POST = "/akun/telegram", "/akun/telegram/kode"
CODE_RE = re.compile(r'id="link-code"><code>([A-Z0-9]+)</code>')


@pytest.fixture
def citizen():
    return make_requester()


def test_anonymous_is_sent_to_the_login_page(client):
    resp = client.get(PAGE)
    assert resp.status_code == 302 and "/masuk" in resp.headers["Location"]
    resp = client.post(POST, data={"csrf_token": csrf_token(client, "/masuk")})
    assert resp.status_code == 302 and "/masuk" in resp.headers["Location"]
    assert LinkCode.query.count() == 0


def test_the_page_explains_the_bot_and_offers_a_code(client_for, citizen):
    client = client_for(citizen)
    resp = client.get(PAGE)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "Buat kode tautan" in html and "Belum ada akun Telegram yang tertaut" in html
    assert 'href="/akun/telegram">Telegram</a>' in html  # the nav link for citizens
    assert "t.me/" not in html  # no bot username configured: no link to a guessed bot
    assert not CODE_RE.search(html)


def test_posting_the_form_shows_a_code_to_send_to_the_bot(client_for, citizen):
    client = client_for(citizen)
    resp = client.post(POST, data={"csrf_token": csrf_token(client, PAGE)})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert resp.headers["Cache-Control"] == "private, no-store"
    code = CODE_RE.search(html).group(1)
    link = LinkCode.query.filter_by(user_id=citizen.id).one()
    assert link.code == code and link.used_at is None
    assert f"<code>/start {code}</code>" in html and "15 menit" in html
    # A second code replaces the first.
    again = client.post(POST, data={"csrf_token": csrf_token(client, PAGE)})
    second = CODE_RE.search(again.get_data(as_text=True)).group(1)
    assert [c.code for c in LinkCode.query.all()] == [second] != [code]


def test_with_a_bot_username_the_code_is_one_tap_away(app, client_for, citizen, monkeypatch):
    monkeypatch.setitem(app.config, "TELEGRAM_BOT_USERNAME", "@MejaDataBot")
    client = client_for(citizen)
    assert 'href="https://t.me/MejaDataBot"' in client.get(PAGE).get_data(as_text=True)
    html = client.post(POST, data={"csrf_token": csrf_token(client, PAGE)}).get_data(
        as_text=True)
    code = CODE_RE.search(html).group(1)
    assert f'href="https://t.me/MejaDataBot?start={code}"' in html


@pytest.mark.parametrize("token", [None, "forged-token"])
def test_a_forged_post_is_refused(client_for, citizen, token):
    client = client_for(citizen)
    data = {} if token is None else {"csrf_token": token}
    resp = client.post(POST, data=data)
    assert resp.status_code == 400
    assert LinkCode.query.count() == 0


def test_staff_are_refused(client_for):
    helpdesk = make_helpdesk()
    client = client_for(helpdesk)
    assert client.get(PAGE).status_code == 403
    resp = client.post(POST, data={"csrf_token": csrf_token(client, "/masuk")})
    assert resp.status_code == 403
    assert LinkCode.query.count() == 0
    assert 'href="/akun/telegram"' not in client.get("/").get_data(as_text=True)


def test_linked_chats_are_listed_with_their_state(client_for, citizen):
    actions.chat_seen(SYSTEM, 8101, username="budi_tg", first_name="Budi")
    actions.chat_seen(SYSTEM, 8102, first_name="Ponsel Lama")
    for chat_id in (8101, 8102):
        actions.chat_link(SYSTEM, chat_id, actions.link_code_create(citizen).code)
    actions.chat_blocked(SYSTEM, 8102)
    actions.chat_seen(SYSTEM, 8103, username="orang_lain")  # someone else's shadow chat
    html = client_for(citizen).get(PAGE).get_data(as_text=True)
    assert "@budi_tg" in html and "Ponsel Lama" in html and "Bot diblokir" in html
    assert "orang_lain" not in html
