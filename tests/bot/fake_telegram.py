"""A fake Telegram Bot API server for the bot's tests (and bench/bot.py).

A real HTTP server on 127.0.0.1 (ThreadingHTTPServer in a daemon thread) that speaks the Bot
API's wire format, so python-telegram-bot's own client code runs unchanged against it: point
the Application at `fake.base_url` / `fake.file_base_url` (TELEGRAM_API_BASE_URL and
TELEGRAM_FILE_BASE_URL).

Served: POST or GET /bot<token>/<method> for getMe, getUpdates (long polling: `timeout`
honoured, `offset` confirms), sendMessage, sendDocument and sendPhoto (multipart uploads
parsed: file name, size, bytes, caption), editMessageText, editMessageReplyMarkup,
answerCallbackQuery, getFile, setWebhook, deleteWebhook, getWebhookInfo, setMyCommands,
sendChatAction; GET /file/bot<token>/<file_path> serves the bytes of files registered with
`add_file` / `add_photo`.

Every call is recorded as a Call(method, params, files) in `fake.calls`; sent messages get
increasing message_ids. Misbehaviour on demand: `block(chat_id)` (403 "Forbidden: bot was
blocked by the user" for any call to that chat), `rate_limit_once(method, retry_after)` (one
429 with retry_after).

Updates for the bot: `message(...)` and `callback(...)` build realistic update JSON; feed
them to a BotThread (`bot.feed(...)` in conftest) or queue them for polling with
`fake.push_update(...)`.
"""
import email.parser
import email.policy
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote, urlsplit

TOKEN = "123456789:TEST-token_for-the-fake-server"
BOT_USER = {"id": 123456789, "is_bot": True, "first_name": "MejaData",
            "username": "MejaDataBot", "can_join_groups": False,
            "can_read_all_group_messages": False, "supports_inline_queries": False}

# Parameters python-telegram-bot sends JSON-encoded (form values are strings).
JSON_PARAMS = {"reply_markup", "allowed_updates", "entities", "caption_entities",
               "reply_parameters", "link_preview_options", "commands", "scope", "media"}
INT_PARAMS = {"chat_id", "message_id", "offset", "limit", "timeout", "reply_to_message_id",
              "from_chat_id", "max_connections", "cache_time"}
BOOL_PARAMS = {"drop_pending_updates", "disable_notification", "show_alert",
               "protect_content", "allow_sending_without_reply"}

_update_ids = itertools.count(1)
_user_message_ids = itertools.count(1)
_file_ids = itertools.count(1)


@dataclass
class Call:
    method: str
    params: dict
    files: dict = field(default_factory=dict)  # field name -> {filename, size, content, ...}
    at: float = field(default_factory=time.monotonic)
    result: object = None      # what the fake answered (None for an error)
    error: int | None = None   # the error code the fake answered with

    @property
    def message_id(self):
        """The id of the message this call sent or edited."""
        if isinstance(self.result, dict):
            return self.result.get("message_id")
        return self.params.get("message_id")

    @property
    def chat_id(self):
        return self.params.get("chat_id")

    @property
    def text(self):
        """The text a user sees: message text or caption."""
        return self.params.get("text") or self.params.get("caption") or ""

    @property
    def buttons(self):
        """Inline buttons as [(text, callback_data or url)] in reading order."""
        markup = self.params.get("reply_markup") or {}
        return [(b.get("text"), b.get("callback_data") or b.get("url"))
                for row in markup.get("inline_keyboard", []) for b in row]


class TelegramError(Exception):
    def __init__(self, code, description, retry_after=None):
        super().__init__(description)
        self.code, self.description, self.retry_after = code, description, retry_after


# ---------------------------------------------------------------- update builders

def _now():
    return int(time.time())


def _user(chat_id, first_name, username, language):
    user = {"id": chat_id, "is_bot": False, "first_name": first_name}
    if username:
        user["username"] = username
    if language:
        user["language_code"] = language
    return user


def _chat(chat_id, first_name, username):
    chat = {"id": chat_id, "type": "private", "first_name": first_name}
    if username:
        chat["username"] = username
    return chat


def message(chat_id, text=None, update_id=None, reply_to=None, document=None, photo=None,
            user_language="id", first_name="Warga", username=None, caption=None):
    """An update with a private message from `chat_id` (the user's id is the chat id, as in
    private chats). A text starting with "/" carries its bot_command entity, as Telegram
    sends it. `reply_to`: the message id (or the message dict) the user replied to, usually
    one the bot sent (see FakeTelegram.sent_message). `document`/`photo`: what
    FakeTelegram.add_file / add_photo returned."""
    msg = {"message_id": next(_user_message_ids), "date": _now(),
           "chat": _chat(chat_id, first_name, username),
           "from": _user(chat_id, first_name, username, user_language)}
    if text is not None:
        msg["text"] = text
        if text.startswith("/"):
            msg["entities"] = [{"type": "bot_command", "offset": 0,
                                "length": len(text.split()[0])}]
    if caption is not None:
        msg["caption"] = caption
    if document is not None:
        msg["document"] = document
    if photo is not None:
        msg["photo"] = photo
    if reply_to is not None:
        msg["reply_to_message"] = reply_to if isinstance(reply_to, dict) else {
            "message_id": int(reply_to), "date": _now(),
            "chat": _chat(chat_id, first_name, username), "from": BOT_USER, "text": ""}
    return {"update_id": update_id or next(_update_ids), "message": msg}


def callback(chat_id, data, message_id, update_id=None, user_language="id",
             first_name="Warga", text=""):
    """An update for a press of an inline button (callback_data `data`) under the bot's
    message `message_id` in chat `chat_id`."""
    return {"update_id": update_id or next(_update_ids), "callback_query": {
        "id": str(next(_update_ids) * 7919), "chat_instance": str(chat_id),
        "from": _user(chat_id, first_name, None, user_language), "data": data,
        "message": {"message_id": int(message_id), "date": _now(),
                    "chat": _chat(chat_id, first_name, None), "from": BOT_USER,
                    "text": text}}}


def blocked_member(chat_id, update_id=None):
    """The my_chat_member update Telegram sends when the user blocks the bot."""
    return {"update_id": update_id or next(_update_ids), "my_chat_member": {
        "chat": _chat(chat_id, "Warga", None), "from": _user(chat_id, "Warga", None, "id"),
        "date": _now(),
        "old_chat_member": {"status": "member", "user": BOT_USER},
        "new_chat_member": {"status": "kicked", "user": BOT_USER, "until_date": 0}}}


# ---------------------------------------------------------------- the server

class FakeTelegram:
    def __init__(self, token=TOKEN):
        self.token = token
        self.calls = []
        self.files = {}          # file_id -> {"file_path", "content", "meta"}
        self.blocked = set()
        self.webhook = {}        # the last setWebhook's parameters, {} when none
        self.commands = {}       # language code ("" for default) -> [{"command", ...}]
        self._messages = {}      # (chat_id, message_id) -> message dict the bot sent
        self._updates = []       # queued for getUpdates
        self._fail_once = {}     # method -> retry_after
        self._message_ids = itertools.count(1000)
        self._cond = threading.Condition()
        self._closing = False
        self._server = _Server(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._server.block_on_close = False
        # a short poll interval: stop() waits for serve_forever to notice
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,),
                                        daemon=True, name="fake-telegram")

    # -- lifecycle

    @property
    def url(self):
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def base_url(self):
        return f"{self.url}/bot"

    @property
    def file_base_url(self):
        return f"{self.url}/file/bot"

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # -- what the test controls

    def push_update(self, *updates):
        """Queue updates for getUpdates (polling mode)."""
        with self._cond:
            self._updates.extend(updates)
            self._cond.notify_all()

    def pending_updates(self):
        with self._cond:
            return list(self._updates)

    def block(self, chat_id):
        """Answer 403 "bot was blocked by the user" to every call for this chat."""
        with self._cond:
            self.blocked.add(int(chat_id))

    def rate_limit_once(self, method="sendMessage", retry_after=1):
        """The next call of `method` gets 429 Too Many Requests with `retry_after` seconds
        (Telegram sends whole seconds; a fraction keeps a test fast)."""
        with self._cond:
            self._fail_once[method] = retry_after

    def add_file(self, content, file_name="berkas.pdf", mime_type="application/pdf"):
        """Register a file a user "sent"; returns the Document JSON for message(document=)."""
        n = next(_file_ids)
        file_id = f"FILE{n:06d}"
        meta = {"file_id": file_id, "file_unique_id": f"U{n:06d}", "file_name": file_name,
                "mime_type": mime_type, "file_size": len(content)}
        with self._cond:
            self.files[file_id] = {"file_path": f"documents/file_{n}_{file_name}",
                                   "content": bytes(content), "meta": meta}
        return meta

    def add_photo(self, content, width=800, height=600):
        """Register a photo; returns the PhotoSize list for message(photo=)."""
        n = next(_file_ids)
        file_id = f"PHOTO{n:06d}"
        size = {"file_id": file_id, "file_unique_id": f"P{n:06d}", "width": width,
                "height": height, "file_size": len(content)}
        with self._cond:
            self.files[file_id] = {"file_path": f"photos/file_{n}.jpg",
                                   "content": bytes(content), "meta": size}
        return [size]

    # -- what the test reads

    def calls_of(self, method=None, chat_id=None):
        with self._cond:
            return [c for c in self.calls
                    if (method is None or c.method == method)
                    and (chat_id is None or c.chat_id == int(chat_id))]

    def sent(self, chat_id=None):
        """What the bot showed a chat: sendMessage, sendDocument, sendPhoto and edits that
        Telegram accepted (not the calls it refused with an error)."""
        shown = ("sendMessage", "sendDocument", "sendPhoto", "editMessageText")
        return [c for c in self.calls_of(chat_id=chat_id)
                if c.method in shown and c.error is None]

    def texts(self, chat_id=None):
        return [c.text for c in self.sent(chat_id)]

    def last(self, chat_id=None):
        sent = self.sent(chat_id)
        return sent[-1] if sent else None

    def sent_message(self, chat_id, message_id):
        """A message the bot sent, as Telegram would put it in reply_to_message."""
        with self._cond:
            return self._messages.get((int(chat_id), int(message_id)))

    def clear(self):
        """Forget the calls so far (the next assertions see only what follows)."""
        with self._cond:
            self.calls.clear()

    def wait_for(self, predicate, timeout=10):
        """Wait until predicate(fake) is true (checked on every call); raises on timeout."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                # predicate may call calls_of etc.: the condition's lock is reentrant
                if predicate(self):
                    return True
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError("fake Telegram: condition not met in time; calls: "
                                         + repr([(c.method, c.params) for c in self.calls]))
                self._cond.wait(left)

    # -- the API

    def _record(self, call):
        with self._cond:
            self.calls.append(call)
            self._cond.notify_all()

    def _check_failures(self, method, params):
        with self._cond:
            chat_id = params.get("chat_id")
            if isinstance(chat_id, int) and chat_id in self.blocked:
                raise TelegramError(403, "Forbidden: bot was blocked by the user")
            if method in self._fail_once:
                retry_after = self._fail_once.pop(method)
                raise TelegramError(429, f"Too Many Requests: retry after {retry_after}",
                                    retry_after=retry_after)

    def _new_message(self, params, **content):
        chat_id = params["chat_id"]
        msg = {"message_id": next(self._message_ids), "date": _now(),
               "chat": {"id": chat_id, "type": "private", "first_name": "Warga"},
               "from": BOT_USER, **content}
        if params.get("reply_markup"):
            msg["reply_markup"] = params["reply_markup"]
        with self._cond:
            self._messages[(chat_id, msg["message_id"])] = msg
        return msg

    def call(self, method, params, files):
        """Answer one Bot API call: the `result`, or raise TelegramError."""
        record = Call(method, params, files)
        try:
            self._check_failures(method, params)
            handler = getattr(self, f"_api_{method}", None)
            if handler is None:
                raise TelegramError(404, "Not Found: method not found")
            record.result = handler(params, files)
            return record.result
        except TelegramError as exc:
            record.error = exc.code
            raise
        finally:
            # recorded once answered, so a waiter that sees the call also sees its result
            self._record(record)

    def _api_getMe(self, params, files):
        return BOT_USER

    def _api_getUpdates(self, params, files):
        offset = params.get("offset") or 0
        limit = params.get("limit") or 100
        deadline = time.monotonic() + float(params.get("timeout") or 0)
        with self._cond:
            if offset:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            while True:
                ready = [u for u in self._updates if u["update_id"] >= offset][:limit]
                left = deadline - time.monotonic()
                if ready or left <= 0 or self._closing:
                    return ready
                self._cond.wait(left)

    def _api_sendMessage(self, params, files):
        if not str(params.get("text") or "").strip():
            raise TelegramError(400, "Bad Request: message text is empty")
        if len(params["text"]) > 4096:
            raise TelegramError(400, "Bad Request: message is too long")
        return self._new_message(params, text=params["text"])

    def _upload(self, params, files, field_name):
        upload = files.get(field_name)
        if upload is not None:
            n = next(_file_ids)
            return upload, f"SENT{n:06d}", f"S{n:06d}"
        ref = params.get(field_name)
        if not ref:
            raise TelegramError(400, f"Bad Request: there is no {field_name} in the request")
        return {"filename": None, "size": None, "content": None}, str(ref), f"R{ref}"

    def _api_sendDocument(self, params, files):
        upload, file_id, unique = self._upload(params, files, "document")
        document = {"file_id": file_id, "file_unique_id": unique}
        if upload["filename"]:
            document.update(file_name=upload["filename"], file_size=upload["size"])
        content = {"document": document}
        if params.get("caption"):
            content["caption"] = params["caption"]
        return self._new_message(params, **content)

    def _api_sendPhoto(self, params, files):
        upload, file_id, unique = self._upload(params, files, "photo")
        content = {"photo": [{"file_id": file_id, "file_unique_id": unique, "width": 800,
                              "height": 600, "file_size": upload["size"] or 0}]}
        if params.get("caption"):
            content["caption"] = params["caption"]
        return self._new_message(params, **content)

    def _edited(self, params, **changes):
        key = (params.get("chat_id"), params.get("message_id"))
        with self._cond:
            msg = self._messages.get(key)
            if msg is None:
                raise TelegramError(400, "Bad Request: message to edit not found")
            msg.update(changes, edit_date=_now())
            if "reply_markup" in params:
                msg["reply_markup"] = params["reply_markup"]
            elif "text" in changes:
                msg.pop("reply_markup", None)
            return dict(msg)

    def _api_editMessageText(self, params, files):
        return self._edited(params, text=params["text"])

    def _api_editMessageReplyMarkup(self, params, files):
        params.setdefault("reply_markup", None)
        return self._edited(params)

    def _api_answerCallbackQuery(self, params, files):
        return True

    def _api_getFile(self, params, files):
        stored = self.files.get(params.get("file_id"))
        if stored is None:
            raise TelegramError(400, "Bad Request: invalid file_id")
        return {"file_id": params["file_id"],
                "file_unique_id": stored["meta"]["file_unique_id"],
                "file_size": len(stored["content"]), "file_path": stored["file_path"]}

    def _api_setWebhook(self, params, files):
        with self._cond:
            self.webhook = dict(params)
        return True

    def _api_deleteWebhook(self, params, files):
        with self._cond:
            self.webhook = {}
        return True

    def _api_getWebhookInfo(self, params, files):
        return {"url": self.webhook.get("url", ""), "has_custom_certificate": False,
                "pending_update_count": len(self._updates)}

    def _api_setMyCommands(self, params, files):
        with self._cond:
            self.commands[params.get("language_code") or ""] = params.get("commands")
        return True

    def _api_sendChatAction(self, params, files):
        return True

    def file_content(self, file_path):
        for stored in self.files.values():
            if stored["file_path"] == file_path:
                return stored["content"]
        return None

    # -- HTTP

    def _handler_class(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            # Headers and body go out in separate writes: without this every call waits
            # ~40 ms for a delayed ACK, which Telegram's servers do not make anyone do.
            disable_nagle_algorithm = True
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                self._serve()

            def do_POST(self):
                self._serve()

            def _reply(self, status, body, content_type="application/json"):
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a long poll cancelled when the bot stops)

            def _serve(self):
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                # percent-decoded, as any HTTP server does: PTB quotes file paths ("%3A")
                segments = [unquote(s) for s in parts.path.strip("/").split("/")]
                if segments[0] == "file" and len(segments) >= 3:
                    return self._serve_file(segments)
                if len(segments) != 2 or not segments[0].startswith("bot"):
                    return self._reply(404, {"ok": False, "error_code": 404,
                                             "description": "Not Found"})
                if segments[0][3:] != fake.token:
                    return self._reply(401, {"ok": False, "error_code": 401,
                                             "description": "Unauthorized"})
                params, files = _parse(parts.query, self.headers.get("Content-Type", ""), body)
                try:
                    result = fake.call(segments[1], params, files)
                except TelegramError as exc:
                    error = {"ok": False, "error_code": exc.code,
                             "description": exc.description}
                    if exc.retry_after is not None:
                        error["parameters"] = {"retry_after": exc.retry_after}
                    return self._reply(exc.code, error)
                return self._reply(200, {"ok": True, "result": result})

            def _serve_file(self, segments):
                if segments[1][3:] != fake.token:
                    return self._reply(401, b"Unauthorized", "text/plain")
                content = fake.file_content("/".join(segments[2:]))
                if content is None:
                    return self._reply(404, b"Not Found", "text/plain")
                return self._reply(200, content, "application/octet-stream")

        return Handler


def _typed(name, value):
    if name in JSON_PARAMS:
        try:
            return json.loads(value)
        except ValueError:
            return value
    if name in INT_PARAMS:
        try:
            return int(value)
        except ValueError:
            return value
    if name in BOOL_PARAMS:
        return value in ("true", "True", "1")
    return value


def _parse(query, content_type, body):
    """Params (typed) and uploaded files of a Bot API request, whatever its encoding."""
    raw, files = dict(parse_qsl(query)), {}
    if content_type.startswith("application/json") and body:
        return json.loads(body), files
    if content_type.startswith("application/x-www-form-urlencoded"):
        raw.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    elif content_type.startswith("multipart/form-data"):
        parsed = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body)
        for part in parsed.iter_parts():
            name = part.get_param("name", header="content-disposition")
            content = part.get_payload(decode=True) or b""
            filename = part.get_filename()
            if filename is not None:
                files[name] = {"filename": filename, "size": len(content),
                               "content": content, "mime_type": part.get_content_type()}
            else:
                raw[name] = content.decode("utf-8")
    return {k: _typed(k, v) for k, v in raw.items()}, files


class _Server(ThreadingHTTPServer):
    request_queue_size = 128  # the bench's 100+ chats connect at once; the default is 5
