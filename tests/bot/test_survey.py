"""The satisfaction survey in the bot against the fake Telegram server: nine questions with
four buttons each (edited in place), the optional comment, the SurveyResponse row, refusals
(already rated, not answered yet, someone else's), going back, stale buttons, a restart
halfway and the comment step's idle timeout."""
import pytest
from flask_babel import force_locale

from app.chats.models import TelegramChat
from app.extensions import db
from app.tickets import actions as tickets
from app.tickets import ikm
from app.tickets.models import SurveyResponse
from tests.bot.conftest import start_bot
from tests.bot.fake_telegram import callback, message
from tests.tickets.factories import make_helpdesk, make_request

CHAT = 6161
SCORES = [4, 3, 2, 1, 4, 3, 4, 2, 3]


@pytest.fixture(autouse=True)
def _typing_fast_is_fine(app, monkeypatch):
    """Nine presses and a comment within a second: past the flood throttle for a person."""
    monkeypatch.setitem(app.config, "TELEGRAM_FLOOD_LIMIT", 1000)


def chat_user(chat_id=CHAT):
    return db.session.get(TelegramChat, chat_id).user


def answered_ticket(requester):
    ticket = make_request(requester=requester)
    return tickets.ticket_answer(make_helpdesk(), ticket.id,
                                 {"outcome": "fulfilled", "answer": "Data terlampir."})


def options(index):
    with force_locale("id"):
        return [str(o) for o in ikm.ELEMENTS[index].options]


def answer_all(bot, ticket, message_id, scores=SCORES):
    """Press one answer per question; returns the calls of the last press."""
    sent = []
    for index, score in enumerate(scores):
        sent = bot.press(CHAT, f"survei:a:{ticket.id}:{index}:{score}", message_id)
    return sent


def test_the_survey_from_first_question_to_the_stored_answers(bot, telegram, make_chat,
                                                               reference):
    make_chat(CHAT)
    ticket = answered_ticket(chat_user())
    sent = bot.say(CHAT, f"/survei {ticket.number}")
    assert len(sent) == 1
    first = sent[0]
    assert f"Survei kepuasan · {ticket.number}" in first.text
    assert "Pertanyaan 1 dari 9" in first.text
    with force_locale("id"):
        assert str(ikm.ELEMENTS[0].question) in first.text
    assert first.buttons == [(f"{n} · {label}", f"survei:a:{ticket.id}:0:{n}")
                             for n, label in enumerate(options(0), start=1)]

    for index, score in enumerate(SCORES[:-1]):
        sent = bot.press(CHAT, f"survei:a:{ticket.id}:{index}:{score}", first.message_id)
        # the same message, edited in place, asks the next question
        assert [c.method for c in sent] == ["editMessageText"]
        assert sent[0].message_id == first.message_id
        assert f"Pertanyaan {index + 2} dari 9" in sent[0].text
        assert [b[0] for b in sent[0].buttons[:4]] == [
            f"{n} · {label}" for n, label in enumerate(options(index + 1), start=1)]
        assert sent[0].buttons[4] == ("‹ Sebelumnya", f"survei:back:{ticket.id}:{index + 1}")
    sent = bot.press(CHAT, f"survei:a:{ticket.id}:8:{SCORES[8]}", first.message_id)
    assert "saran atau komentar" in sent[0].text
    assert sent[0].buttons == [("Lewati", f"survei:skip:{ticket.id}")]
    assert SurveyResponse.query.count() == 0

    sent = bot.say(CHAT, "Petugasnya cepat dan ramah.")
    assert "Terima kasih atas penilaian Anda" in sent[-1].text
    response = SurveyResponse.query.one()
    assert [getattr(response, f"e{n}") for n in range(1, 10)] == SCORES
    assert (response.comment, response.channel, response.ticket_id) == (
        "Petugasnya cepat dan ramah.", "telegram", ticket.id)
    # the comment prompt's "Lewati" button is gone
    edit = telegram.calls_of("editMessageReplyMarkup", CHAT)[-1]
    assert edit.params["message_id"] == first.message_id

    # A second attempt is refused with the action's message, before any question.
    sent = bot.say(CHAT, f"/survei {ticket.number}")
    assert [c.text for c in sent] == ["Survei untuk tiket ini sudah diisi. Terima kasih."]
    assert bot.press(CHAT, f"sv:{ticket.id}", first.message_id)[-1].text \
        == "Survei untuk tiket ini sudah diisi. Terima kasih."
    assert SurveyResponse.query.count() == 1


def test_started_from_the_button_going_back_and_skipping_the_comment(bot, telegram,
                                                                     make_chat, reference):
    make_chat(CHAT)
    ticket = answered_ticket(chat_user())
    status = bot.say(CHAT, f"/status {ticket.number}")[0]
    assert ("⭐ Isi survei", f"sv:{ticket.id}") in status.buttons
    question = bot.press(CHAT, f"sv:{ticket.id}", status.message_id)[-1]
    assert question.method == "sendMessage" and "Pertanyaan 1 dari 9" in question.text

    bot.press(CHAT, f"survei:a:{ticket.id}:0:1", question.message_id)
    bot.press(CHAT, f"survei:a:{ticket.id}:1:1", question.message_id)
    back = bot.press(CHAT, f"survei:back:{ticket.id}:2", question.message_id)
    assert "Pertanyaan 2 dari 9" in back[0].text
    # an answer to a question no longer on screen changes nothing
    assert bot.press(CHAT, f"survei:a:{ticket.id}:2:4", question.message_id) == []
    assert telegram.calls_of("answerCallbackQuery")[-1].params["text"] \
        == "Tombol ini sudah tidak berlaku."
    scores = [1, 4, 4, 4, 4, 4, 4, 4, 4]
    for index in range(1, 9):
        sent = bot.press(CHAT, f"survei:a:{ticket.id}:{index}:{scores[index]}",
                         question.message_id)
    assert sent[0].buttons == [("Lewati", f"survei:skip:{ticket.id}")]
    sent = bot.press(CHAT, f"survei:skip:{ticket.id}", question.message_id)
    assert "Terima kasih atas penilaian Anda" in sent[0].text
    response = SurveyResponse.query.one()
    assert [getattr(response, f"e{n}") for n in range(1, 10)] == scores
    assert response.comment == ""
    # the old buttons do nothing now
    assert bot.press(CHAT, f"survei:skip:{ticket.id}", question.message_id) == []
    assert SurveyResponse.query.count() == 1


def test_a_comment_typed_as_a_reply_to_the_question_is_the_comment(bot, telegram, make_chat,
                                                                    reference):
    make_chat(CHAT)
    ticket = answered_ticket(chat_user())
    question = bot.say(CHAT, f"/survei {ticket.number}")[0]
    answer_all(bot, ticket, question.message_id)
    bot.feed(message(CHAT, "Sudah bagus.",
                     reply_to=telegram.sent_message(CHAT, question.message_id)))
    assert SurveyResponse.query.one().comment == "Sudah bagus."


def test_tickets_that_cannot_be_rated(bot, make_chat, reference):
    make_chat(CHAT)
    open_ticket = make_request(requester=chat_user())
    someone_elses = answered_ticket(None)
    assert [c.text for c in bot.say(CHAT, f"/survei {open_ticket.number}")] == [
        "Survei dapat diisi setelah permohonan dijawab."]
    assert [c.text for c in bot.say(CHAT, f"/survei {someone_elses.number}")] == [
        "Tiket tidak ditemukan."]
    assert "Tidak ada permohonan Anda yang menunggu survei" in bot.say(CHAT, "/survei")[0].text
    # a forged button for someone else's ticket is refused the same way
    assert bot.press(CHAT, f"sv:{someone_elses.id}", 1)[-1].text == "Tiket tidak ditemukan."
    assert bot.press(CHAT, f"survei:a:{someone_elses.id}:0:4", 1) == []
    assert SurveyResponse.query.count() == 0


def test_survei_without_a_number_takes_the_latest_ticket_waiting_for_one(bot, make_chat,
                                                                         reference):
    make_chat(CHAT)
    older = answered_ticket(chat_user())
    newer = answered_ticket(chat_user())
    make_request(requester=chat_user())  # still open: not this one
    assert newer.number in bot.say(CHAT, "/survei")[0].text
    tickets.survey_submit(chat_user(), newer.id, dict.fromkeys(ikm.KEYS, 3))
    assert older.number in bot.say(CHAT, "/survei")[0].text


def test_batal_stops_the_survey(bot, make_chat, reference):
    make_chat(CHAT)
    ticket = answered_ticket(chat_user())
    question = bot.say(CHAT, f"/survei {ticket.number}")[0]
    answer_all(bot, ticket, question.message_id)
    assert bot.say(CHAT, "/batal")[0].text == "Survei dihentikan; jawaban Anda tidak dikirim."
    assert bot.press(CHAT, f"survei:skip:{ticket.id}", question.message_id) == []
    assert SurveyResponse.query.count() == 0


def test_a_survey_survives_a_restart_halfway(app, telegram, make_chat, reference):
    make_chat(CHAT)
    ticket = answered_ticket(chat_user())
    db.session.commit()
    first = start_bot(app, telegram)
    try:
        first.process(message(CHAT, f"/survei {ticket.number}"))
        question = telegram.last(CHAT)
        for index in range(4):
            first.process(callback(CHAT, f"survei:a:{ticket.id}:{index}:{SCORES[index]}",
                                   question.message_id))
    finally:
        first.stop()
    second = start_bot(app, telegram)
    try:
        for index in range(4, 9):
            second.process(callback(CHAT, f"survei:a:{ticket.id}:{index}:{SCORES[index]}",
                                    question.message_id))
        assert "saran atau komentar" in telegram.last(CHAT).text
        second.process(message(CHAT, "Lanjut sesudah restart."))
    finally:
        second.stop()
    db.session.expire_all()
    response = SurveyResponse.query.one()
    assert [getattr(response, f"e{n}") for n in range(1, 10)] == SCORES
    assert response.comment == "Lanjut sesudah restart."


def test_an_idle_comment_step_offers_to_send_without_a_comment(app, telegram, make_chat,
                                                              monkeypatch, reference):
    monkeypatch.setitem(app.config, "TELEGRAM_CONVERSATION_TIMEOUT", 0.5)
    make_chat(CHAT)
    ticket = answered_ticket(chat_user())
    db.session.commit()
    runner = start_bot(app, telegram)
    try:
        runner.process(message(CHAT, f"/survei {ticket.number}"))
        question = telegram.last(CHAT)
        for index, score in enumerate(SCORES):
            runner.process(callback(CHAT, f"survei:a:{ticket.id}:{index}:{score}",
                                    question.message_id))
        telegram.wait_for(lambda t: "belum terkirim" in t.last(CHAT).text, timeout=10)
        reminder = telegram.last(CHAT)
        assert reminder.buttons == [("Kirim tanpa komentar", f"survei:skip:{ticket.id}"),
                                    ("Tulis komentar", f"sv:{ticket.id}")]
        # The comment step is over: plain text is not taken as a comment any more.
        runner.process(message(CHAT, "kata biasa"))
        db.session.expire_all()
        assert SurveyResponse.query.count() == 0
        runner.process(callback(CHAT, f"survei:skip:{ticket.id}", reminder.message_id))
    finally:
        runner.stop()
    db.session.expire_all()
    response = SurveyResponse.query.one()
    assert [getattr(response, f"e{n}") for n in range(1, 10)] == SCORES


def test_a_comment_too_long_is_asked_again(bot, make_chat, reference):
    make_chat(CHAT)
    ticket = answered_ticket(chat_user())
    question = bot.say(CHAT, f"/survei {ticket.number}")[0]
    answer_all(bot, ticket, question.message_id)
    sent = bot.say(CHAT, "panjang " * 300)
    assert "terlalu panjang (maksimal 2000 karakter)" in sent[0].text
    assert SurveyResponse.query.count() == 0
    bot.say(CHAT, "Pendek saja.")
    assert SurveyResponse.query.one().comment == "Pendek saja."
