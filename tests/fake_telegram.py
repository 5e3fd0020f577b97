"""A small fake Telegram Bot API server on 127.0.0.1, for end-to-end tests over real HTTP.

It implements what the bot uses, with Telegram's semantics: ``getMe``, ``deleteWebhook``,
long-polling ``getUpdates`` with ``offset``/``timeout``/``limit``, ``sendMessage``,
``editMessageText``, ``answerCallbackQuery``, ``answerInlineQuery``, ``setMyCommands``,
``sendChatAction``, ``sendPoll`` and ``stopPoll`` (quiz polls; students answer with
``poll_answer`` updates), ``getChatMember`` (plus ``getMyCommands``, ``close``, ``logOut``).
It rejects what Telegram
rejects with the same 400 errors: malformed HTML or tags Telegram does not allow, empty
text or text over 4096 characters, callback data over 64 bytes, more than 50 inline results,
"message is not modified". Tests play users: they push updates and wait for what the bot
sends.

(The npm emulator telegram-test-api 4.2.1 cannot serve python-telegram-bot 22: its getMe
lacks is_bot, dates are in milliseconds, getUpdates ignores timeout and offset.)
"""

from __future__ import annotations

import asyncio
import html
import itertools
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast
from urllib.parse import parse_qs, urlparse

import tornado.http1connection
import tornado.httpserver
import tornado.httputil
import tornado.netutil
import tornado.web

DROP = -1  # a fault that closes the connection without a response
MAX_TEXT = 4096
MAX_CAPTION = 1024  # Telegram's limit for a photo caption, after entity parsing
MAX_CALLBACK_DATA = 64
MAX_INLINE_RESULTS = 50
MAX_CALLBACK_ANSWER = 200
MAX_POLL_QUESTION = 300
MAX_POLL_OPTION = 100
MAX_POLL_EXPLANATION = 200
POLL_OPTIONS = (2, 10)  # a poll has 2 to 10 options
ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span",
                "tg-spoiler", "a", "code", "pre", "blockquote", "tg-emoji"}
JSON_FIELDS = {"reply_markup", "results", "commands", "scope", "allowed_updates",
               "reply_parameters", "link_preview_options", "entities", "button", "options",
               "correct_option_ids"}
INT_FIELDS = {"chat_id", "message_id", "offset", "limit", "timeout", "cache_time",
              "reply_to_message_id", "user_id", "correct_option_id"}
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^<>]*)?)>")
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#\d{1,7}|#x[0-9a-fA-F]{1,6});")


class ApiError(Exception):
    def __init__(self, description: str, code: int = 400, parameters: dict | None = None):
        super().__init__(description)
        self.code, self.description, self.parameters = code, description, parameters


def _byte_offset(text: str, pos: int) -> int:
    return len(text[:pos].encode("utf-8"))


def _parse_tag(text: str, i: int, stack: list[str]) -> int:
    """Check the tag at ``text[i]`` as Telegram does, open or close it on ``stack``; the
    position after it."""
    m = _TAG.match(text, i)
    if not m:
        raise ApiError(f"Bad Request: can't parse entities: Unexpected character "
                       f"\"<\" at byte offset {_byte_offset(text, i)}")
    closing, tag, attrs = m[1], m[2].lower(), m[3]
    if tag not in ALLOWED_TAGS:
        kind = "end" if closing else "start"
        raise ApiError(f"Bad Request: can't parse entities: Unsupported {kind} tag "
                       f"\"{tag}\" at byte offset {_byte_offset(text, i)}")
    if closing:
        if not stack or stack[-1] != tag:
            raise ApiError(f"Bad Request: can't parse entities: Unmatched end tag at "
                           f"byte offset {_byte_offset(text, i)}, expected "
                           f"\"</{stack[-1] if stack else ''}>\", found \"</{tag}>\"")
        stack.pop()
    else:
        if tag == "a" and "href=" not in attrs:
            raise ApiError("Bad Request: can't parse entities: Can't find href of a link")
        if tag == "span" and "tg-spoiler" not in attrs:
            raise ApiError("Bad Request: can't parse entities: Tag \"span\" must have "
                           "class \"tg-spoiler\"")
        stack.append(tag)
    return m.end()


def parse_html(text: str) -> str:
    """The visible text of Telegram-HTML ``text``, or ApiError as Telegram would raise it."""
    out: list[str] = []
    stack: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "<":
            i = _parse_tag(text, i, stack)
        elif ch == "&":
            m = _ENTITY.match(text, i)
            if not m:
                raise ApiError(f"Bad Request: can't parse entities: Character \"&\" at byte "
                               f"offset {_byte_offset(text, i)} must be escaped")
            out.append(html.unescape(m[0]))
            i = m.end()
        elif ch == ">":
            raise ApiError(f"Bad Request: can't parse entities: Character \">\" at byte "
                           f"offset {_byte_offset(text, i)} must be escaped")
        else:
            out.append(ch)
            i += 1
    if stack:
        raise ApiError(f"Bad Request: can't parse entities: Can't find end tag corresponding "
                       f"to start tag \"{stack[-1]}\"")
    return "".join(out)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@dataclass
class Sent:
    """A message the bot sent (or the latest state of one it edited)."""

    chat_id: int
    message_id: int
    text: str  # as sent (HTML)
    visible: str  # as a user sees it
    reply_markup: dict | None
    reply_to: int | None
    edits: int = 0
    at: float = field(default_factory=time.monotonic)

    def buttons(self) -> list[dict]:
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [b for row in rows for b in row]

    def button(self, text_part: str) -> dict:
        for b in self.buttons():
            if text_part in b["text"]:
                return b
        raise KeyError(f"no button with {text_part!r} in {[b['text'] for b in self.buttons()]}")


class FakeTelegram:
    def __init__(self, token: str = "123456789:AAHfakeTokenForTests_abcdefghijklmnop",
                 username: str = "TanyaParadiplomasiBot", bot_id: int = 7000001):
        self.token = token
        self.bot = {"id": bot_id, "is_bot": True, "first_name": "Tanya Paradiplomasi",
                    "username": username, "can_join_groups": True,
                    "can_read_all_group_messages": False, "supports_inline_queries": True}
        self._cond = threading.Condition()
        self._updates: list[dict] = []
        self._update_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count] = {}
        self._callback_ids = itertools.count(1)
        self.messages: dict[tuple[int, int], dict] = {}  # every message, by (chat, id)
        self.sent: list[Sent] = []
        self.calls: list[tuple[str, dict]] = []
        self.callback_answers: dict[str, dict] = {}
        self.inline_answers: dict[str, dict] = {}
        self.commands: dict[str, list[dict]] = {}
        self.chat_actions: list[dict] = []
        self.errors: list[tuple[str, str]] = []  # (method, description) of rejected calls
        self.confirmed_offset = 0
        # fault injection for later tests: method -> list of callables raising ApiError
        # each fault raises ApiError, or returns DROP (lose the connection), or None (no fault)
        self.faults: dict[str, list[Callable[[], int | None]]] = {}
        self.stalls: dict[str, list[float]] = {}  # method -> seconds the next answers wait
        self.documents: list[dict] = []  # files sent with sendDocument: name, type, content
        self.photos: list[dict] = []  # photos sent with sendPhoto: content, caption (visible)
        self._chats: dict[int, dict] = {}
        self.polls: dict[str, dict] = {}  # every poll sent, by poll id (latest state)
        self.poll_messages: dict[str, tuple[int, int]] = {}  # poll id -> (chat, message)
        self._poll_ids = itertools.count(1)
        self._poll_voters: dict[str, set[int]] = {}
        self.chat_admins: dict[int, set[int]] = {}  # group chat id -> its administrators
        self.webhook: dict | None = None
        self.delivered: list[dict] = []  # updates handed out by getUpdates (maybe again)
        self._sent_by_chat: dict[int, list[Sent]] = {}
        self._server: tornado.httpserver.HTTPServer | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._port = 0
        self._stopping = False

    # -- server ---------------------------------------------------------------------------
    # One tornado event loop on its own thread serves every connection: many keep-alive
    # connections at once cost nothing (a thread per connection collapses under load).
    def start(self) -> str:
        ready = threading.Event()
        fake = self

        class Handler(tornado.web.RequestHandler):
            async def get(self, token, method):
                await self.post(token, method)

            async def post(self, token, method):
                if method == "getUpdates":
                    await fake._await_updates(self.request.query, self.request.headers.get(
                        "Content-Type", ""), self.request.body)
                status, payload = fake._dispatch(self.request.uri,
                                                 self.request.headers.get("Content-Type", ""),
                                                 self.request.body)
                connection = cast(tornado.http1connection.HTTP1Connection,
                                  self.request.connection)
                if status == DROP:  # the connection dies without an answer
                    connection.stream.close()
                    return
                with fake._cond:
                    stalls = fake.stalls.get(method)
                    stall = stalls.pop(0) if stalls else 0
                if stall:  # done, but the answer comes late
                    await asyncio.sleep(stall)
                    if connection.stream.closed():
                        return
                self.set_status(status)
                self.set_header("Content-Type", "application/json")
                self.finish(json.dumps(payload))

        def serve():
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            app = tornado.web.Application([(r"/bot([^/]+)/(\w+)", Handler)])
            sockets = tornado.netutil.bind_sockets(0, "127.0.0.1", backlog=1024)
            server = self._server = tornado.httpserver.HTTPServer(app)
            server.add_sockets(sockets)
            self._port = sockets[0].getsockname()[1]
            self._loop = loop
            ready.set()
            loop.run_forever()
            loop.run_until_complete(server.close_all_connections())
            loop.close()

        self._thread = threading.Thread(target=serve, name="fake-telegram", daemon=True)
        self._thread.start()
        ready.wait(10)
        return self.base_url

    async def _await_updates(self, query: str, content_type: str, body: bytes) -> None:
        """Long polling without blocking the server's loop: wait until there is an update at
        or after ``offset``, or ``timeout`` passes."""
        p = self._params(query, content_type, body)
        offset = int(p.get("offset", 0) or 0)
        deadline = time.monotonic() + float(p.get("timeout", 0) or 0)
        while not self._stopping and time.monotonic() < deadline:
            with self._cond:
                if self._updates and self._updates[-1]["update_id"] >= offset:  # ids ascend
                    return
            await asyncio.sleep(0.005)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._port}/bot"

    def stop(self) -> None:
        self._stopping = True
        with self._cond:
            self._cond.notify_all()
        if self._loop is not None and self._server is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._server.stop)
            time.sleep(0.05)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(5)

    def __enter__(self) -> FakeTelegram:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def _dispatch(self, path: str, content_type: str, body: bytes) -> tuple[int, dict]:
        parsed = urlparse(path)
        m = re.fullmatch(r"/bot([^/]+)/(\w+)", parsed.path)
        if not m:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        token, method = m[1], m[2]
        if token != self.token:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        params = self._params(parsed.query, content_type, body)
        with self._cond:
            self.calls.append((method, params))
        handler = getattr(self, f"api_{method}", None)
        if handler is None:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        try:
            with self._cond:
                fault = self.faults[method].pop(0) if self.faults.get(method) else None
            if fault is not None and fault() == DROP:
                with self._cond:
                    self.errors.append((method, "dropped connection"))
                return DROP, {}
            return 200, {"ok": True, "result": handler(params)}
        except ApiError as err:
            with self._cond:
                self.errors.append((method, err.description))
            payload = {"ok": False, "error_code": err.code, "description": err.description}
            if err.parameters:
                payload["parameters"] = err.parameters
            return err.code, payload

    @staticmethod
    def _params(query: str, content_type: str, body: bytes) -> dict:
        if "application/json" in content_type and body:
            return json.loads(body)
        fields: dict[str, Any] = {k: v[-1] for k, v in parse_qs(query).items()}
        if body and content_type.startswith("multipart/form-data"):
            arguments: dict[str, list[bytes]] = {}
            files: dict[str, list[tornado.httputil.HTTPFile]] = {}
            tornado.httputil.parse_body_arguments(content_type, body, arguments, files)
            fields |= {k: v[-1].decode() for k, v in arguments.items()}
            fields |= {k: {"filename": v[-1].filename, "content_type": v[-1].content_type,
                           "content": v[-1].body} for k, v in files.items()}
        elif body:
            fields |= {k: v[-1] for k, v in parse_qs(body.decode(), keep_blank_values=True).items()}
        out: dict = {}
        for key, value in fields.items():
            if key in JSON_FIELDS:
                out[key] = json.loads(value)
            elif key in INT_FIELDS and isinstance(value, str) and re.fullmatch(r"-?\d+", value):
                out[key] = int(value)
            else:
                out[key] = value
        return out

    # -- Bot API --------------------------------------------------------------------------
    def api_getMe(self, p):
        return self.bot

    def api_deleteWebhook(self, p):
        with self._cond:
            self.webhook = None
        return True

    def api_setWebhook(self, p):
        with self._cond:
            self.webhook = p
        return True

    def api_close(self, p):
        return True

    def api_logOut(self, p):
        return True

    def api_getUpdates(self, p):
        """Updates at or after ``offset`` (confirming the ones before it); the waiting for
        ``timeout`` happened in ``_await_updates``."""
        offset = int(p.get("offset", 0) or 0)
        limit = int(p.get("limit", 100) or 100)
        with self._cond:
            if offset:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
                self.confirmed_offset = max(self.confirmed_offset, offset)
            batch = self._updates[:limit]
            self.delivered.extend(batch)
            return batch

    def _check_markup(self, markup: dict | None) -> None:
        for row in (markup or {}).get("inline_keyboard", []):
            for b in row:
                data = b.get("callback_data")
                if data is not None and not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA:
                    raise ApiError("Bad Request: BUTTON_DATA_INVALID")
                if not b.get("text"):
                    raise ApiError("Bad Request: text buttons are unallowed in the inline keyboard")

    def _check_text(self, p: dict) -> str:
        text = p.get("text", "")
        visible = parse_html(text) if str(p.get("parse_mode", "")).upper() == "HTML" else text
        if not visible.strip():
            raise ApiError("Bad Request: message text is empty")
        if utf16_len(visible) > MAX_TEXT:
            raise ApiError("Bad Request: message is too long")
        self._check_markup(p.get("reply_markup"))
        return visible

    def _next_message_id(self, chat_id: int) -> int:
        return next(self._message_ids.setdefault(chat_id, itertools.count(1)))

    def api_sendMessage(self, p):
        chat_id = int(p["chat_id"])
        visible = self._check_text(p)
        reply_to = (p.get("reply_parameters") or {}).get("message_id") or p.get("reply_to_message_id")
        with self._cond:
            message_id = self._next_message_id(chat_id)
            chat = self._chat_of(chat_id)
            message = {"message_id": message_id, "date": int(time.time()), "chat": chat,
                       "from": self.bot, "text": visible}
            if p.get("reply_markup"):
                message["reply_markup"] = p["reply_markup"]
            if reply_to and (chat_id, reply_to) in self.messages:
                message["reply_to_message"] = self.messages[(chat_id, reply_to)]
            self.messages[(chat_id, message_id)] = message
            sent = Sent(chat_id, message_id, p["text"], visible, p.get("reply_markup"), reply_to)
            self.sent.append(sent)
            self._sent_by_chat.setdefault(chat_id, []).append(sent)
            self._cond.notify_all()
        return message

    def api_sendDocument(self, p):
        chat_id = int(p["chat_id"])
        upload = p.get("document")
        if not isinstance(upload, dict):
            raise ApiError("Bad Request: there is no document in the request")
        with self._cond:
            message_id = self._next_message_id(chat_id)
            document = {"file_id": f"doc{message_id}", "file_unique_id": f"u{message_id}",
                        "file_name": upload["filename"], "mime_type": upload["content_type"],
                        "file_size": len(upload["content"])}
            self.documents.append(upload | {"chat_id": chat_id, "caption": p.get("caption")})
            message = {"message_id": message_id, "date": int(time.time()),
                       "chat": self._chat_of(chat_id), "from": self.bot, "document": document}
            self.messages[(chat_id, message_id)] = message
            self._cond.notify_all()
        return message

    def api_sendPhoto(self, p):
        chat_id = int(p["chat_id"])
        upload = p.get("photo")
        if not isinstance(upload, dict):
            raise ApiError("Bad Request: there is no photo in the request")
        caption = p.get("caption", "")
        visible = parse_html(caption) if str(p.get("parse_mode", "")).upper() == "HTML" else caption
        if utf16_len(visible) > MAX_CAPTION:
            raise ApiError("Bad Request: message caption is too long")
        with self._cond:
            message_id = self._next_message_id(chat_id)
            photo = [{"file_id": f"photo{message_id}", "file_unique_id": f"p{message_id}",
                      "width": 1000, "height": 1000, "file_size": len(upload["content"])}]
            self.photos.append({"chat_id": chat_id, "content": upload["content"],
                                "caption": visible})
            message = {"message_id": message_id, "date": int(time.time()),
                       "chat": self._chat_of(chat_id), "from": self.bot, "photo": photo,
                       "caption": visible}
            self.messages[(chat_id, message_id)] = message
            self._cond.notify_all()
        return message

    def api_editMessageText(self, p):
        chat_id, message_id = int(p["chat_id"]), int(p["message_id"])
        visible = self._check_text(p)
        with self._cond:
            message = self.messages.get((chat_id, message_id))
            if message is None or message["from"]["id"] != self.bot["id"]:
                raise ApiError("Bad Request: message to edit not found")
            if message["text"] == visible and message.get("reply_markup") == p.get("reply_markup"):
                raise ApiError("Bad Request: message is not modified: specified new message "
                               "content and reply markup are exactly the same as a current "
                               "content and reply markup of the message")
            message["text"] = visible
            message["edit_date"] = int(time.time())
            if p.get("reply_markup"):
                message["reply_markup"] = p["reply_markup"]
            else:
                message.pop("reply_markup", None)
            for s in self._sent_by_chat.get(chat_id, ()):
                if s.message_id == message_id:
                    s.text, s.visible, s.reply_markup = p["text"], visible, p.get("reply_markup")
                    s.edits += 1
            self._cond.notify_all()
        return message

    def api_answerCallbackQuery(self, p):
        if len(p.get("text", "")) > MAX_CALLBACK_ANSWER:
            raise ApiError("Bad Request: MESSAGE_TOO_LONG")
        with self._cond:
            self.callback_answers[str(p["callback_query_id"])] = p
            self._cond.notify_all()
        return True

    def api_answerInlineQuery(self, p):
        results = p.get("results", [])
        if len(results) > MAX_INLINE_RESULTS:
            raise ApiError("Bad Request: RESULTS_TOO_MUCH")
        for r in results:
            content = r.get("input_message_content", {})
            if content.get("parse_mode", "").upper() == "HTML":
                parse_html(content["message_text"])
            self._check_markup(r.get("reply_markup"))
        with self._cond:
            self.inline_answers[str(p["inline_query_id"])] = p
            self._cond.notify_all()
        return True

    def api_setMyCommands(self, p):
        commands = p.get("commands", [])
        for c in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", c["command"]) or not 1 <= len(c["description"]) <= 256:
                raise ApiError("Bad Request: BOT_COMMAND_INVALID")
        with self._cond:
            self.commands[p.get("language_code", "")] = commands
        return True

    def api_getMyCommands(self, p):
        return self.commands.get(p.get("language_code", ""), [])

    def api_sendChatAction(self, p):
        if p.get("action") not in {"typing", "upload_photo", "record_video", "upload_document"}:
            raise ApiError("Bad Request: wrong parameter action in request")
        with self._cond:
            self.chat_actions.append(p)
        return True

    def api_sendPoll(self, p):
        chat_id = int(p["chat_id"])
        question = p.get("question", "")
        options = [o["text"] if isinstance(o, dict) else str(o) for o in p.get("options", [])]
        if not 1 <= len(question) <= MAX_POLL_QUESTION:
            raise ApiError("Bad Request: poll question length must not exceed 300")
        if not POLL_OPTIONS[0] <= len(options) <= POLL_OPTIONS[1]:
            raise ApiError("Bad Request: poll must have at least 2 option")
        if any(not 1 <= len(o) <= MAX_POLL_OPTION for o in options):
            raise ApiError("Bad Request: poll options length must not exceed 100")
        kind = p.get("type", "regular")
        correct = self._correct_options(p, kind, len(options))
        explanation = p.get("explanation", "") or ""
        if len(explanation) > MAX_POLL_EXPLANATION:
            raise ApiError("Bad Request: explanation length must not exceed 200")
        anonymous = str(p.get("is_anonymous", True)).lower() not in ("false", "0")
        chat = self._chat_of(chat_id)
        if anonymous is False and chat["type"] == "channel":
            raise ApiError("Bad Request: non-anonymous polls can't be sent to channel chats")
        with self._cond:
            poll_id = f"{5_000_000_000 + next(self._poll_ids)}"
            # Bot API 9.6-10.0 fields: option persistent ids, revoting, members only
            poll = {"id": poll_id, "question": question,
                    "options": [{"text": o, "voter_count": 0, "persistent_id": f"o{i}"}
                                for i, o in enumerate(options)],
                    "total_voter_count": 0, "is_closed": False, "is_anonymous": anonymous,
                    "type": kind, "allows_multiple_answers": False,
                    "allows_revoting": kind != "quiz", "members_only": False}
            if kind == "quiz":
                poll["correct_option_ids"] = correct
                if explanation:
                    poll["explanation"] = explanation
            message_id = self._next_message_id(chat_id)
            message = {"message_id": message_id, "date": int(time.time()), "chat": chat,
                       "from": self.bot, "poll": poll}
            self.messages[(chat_id, message_id)] = message
            self.polls[poll_id] = poll
            self.poll_messages[poll_id] = (chat_id, message_id)
            self._cond.notify_all()
        return message

    @staticmethod
    def _correct_options(p: dict, kind: str, n: int) -> list[int]:
        """Bot API 9.6: ``correct_option_ids`` (a list) replaces ``correct_option_id``."""
        correct = p.get("correct_option_ids")
        if correct is None and p.get("correct_option_id") is not None:
            correct = [int(p["correct_option_id"])]
        if kind == "quiz" and (not correct or any(not 0 <= int(c) < n for c in correct)):
            raise ApiError("Bad Request: wrong correct option ID specified")
        return [int(c) for c in correct or []]

    def api_stopPoll(self, p):
        key = (int(p["chat_id"]), int(p["message_id"]))
        with self._cond:
            message = self.messages.get(key)
            if message is None or "poll" not in message:
                raise ApiError("Bad Request: message with poll to stop not found")
            poll = message["poll"]
            if poll["is_closed"]:
                raise ApiError("Bad Request: poll has already been closed")
            poll["is_closed"] = True
            self._cond.notify_all()
            return poll

    def api_getChatMember(self, p):
        chat_id, user_id = int(p["chat_id"]), int(p["user_id"])
        status = "administrator" if user_id in self.chat_admins.get(chat_id, set()) else "member"
        user = {"id": user_id, "is_bot": False, "first_name": "?"}
        if status == "administrator":
            return {"status": status, "user": user, "can_be_edited": False,
                    "is_anonymous": False, "can_manage_chat": True, "can_delete_messages": True,
                    "can_manage_video_chats": True, "can_restrict_members": True,
                    "can_promote_members": False, "can_change_info": True,
                    "can_invite_users": True, "can_post_stories": False,
                    "can_edit_stories": False, "can_delete_stories": False}
        return {"status": status, "user": user}

    # -- fault injection ---------------------------------------------------------------------
    def fail(self, method: str, times: int = 1, code: int = 502,
             description: str = "Bad Gateway", retry_after: int | None = None) -> None:
        """The next ``times`` calls of ``method`` fail with this HTTP error (429: RetryAfter)."""
        parameters = {"retry_after": retry_after} if retry_after is not None else None

        def fault():
            raise ApiError(description, code, parameters)

        with self._cond:
            self.faults.setdefault(method, []).extend([fault] * times)

    def stall(self, method: str, seconds: float, times: int = 1) -> None:
        """The next ``times`` calls of ``method`` are carried out but answered ``seconds``
        late (a slow network: the client may time out after the server acted)."""
        with self._cond:
            self.stalls.setdefault(method, []).extend([seconds] * times)

    def drop(self, method: str, times: int = 1) -> None:
        """The next ``times`` calls of ``method`` lose their connection without an answer."""
        with self._cond:
            self.faults.setdefault(method, []).extend([lambda: DROP] * times)

    # -- playing users --------------------------------------------------------------------
    def _chat_of(self, chat_id: int) -> dict:
        return self._chats.get(chat_id) or {"id": chat_id, "type": "private", "first_name": "?"}

    @staticmethod
    def user(user_id: int, first_name: str = "Siswa", language_code: str | None = "id") -> dict:
        u = {"id": user_id, "is_bot": False, "first_name": first_name}
        if language_code:
            u["language_code"] = language_code
        return u

    def private_chat(self, user: dict) -> dict:
        chat = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
        self._chats[chat["id"]] = chat
        return chat

    def group_chat(self, chat_id: int = -1001234567890, title: str = "Kelas Diplomasi") -> dict:
        chat = {"id": chat_id, "type": "supergroup", "title": title}
        self._chats[chat_id] = chat
        return chat

    def push(self, update: dict) -> dict:
        with self._cond:
            update = {"update_id": next(self._update_ids), **update}
            self._updates.append(update)
            self._cond.notify_all()
        return update

    def _new_message(self, chat: dict, user: dict, **content) -> dict:
        with self._cond:
            message = {"message_id": self._next_message_id(chat["id"]), "date": int(time.time()),
                       "chat": chat, "from": user, **content}
            self.messages[(chat["id"], message["message_id"])] = message
        return message

    def send_text(self, chat: dict, user: dict, text: str, entities: list[dict] | None = None,
                  reply_to: dict | None = None) -> dict:
        content: dict = {"text": text}
        if entities:
            content["entities"] = entities
        if reply_to:
            content["reply_to_message"] = reply_to
        message = self._new_message(chat, user, **content)
        self.push({"message": message})
        return message

    def send_command(self, chat: dict, user: dict, text: str) -> dict:
        """A command with its bot_command entity, as Telegram's clients send it."""
        command = text.split()[0]
        entity = {"type": "bot_command", "offset": 0, "length": utf16_len(command)}
        return self.send_text(chat, user, text, entities=[entity])

    def mention_entities(self, text: str) -> list[dict]:
        entities = []
        for m in re.finditer(r"@\w+", text):
            entities.append({"type": "mention", "offset": utf16_len(text[: m.start()]),
                             "length": utf16_len(m[0])})
        return entities

    def send_media(self, chat: dict, user: dict, kind: str) -> dict:
        media: dict[str, Any] = {  # kind -> the message's field of that kind
            "sticker": {"sticker": {"file_id": "s1", "file_unique_id": "su1", "type": "regular",
                                    "width": 512, "height": 512, "is_animated": False,
                                    "is_video": False}},
            "photo": {"photo": [{"file_id": "p1", "file_unique_id": "pu1", "width": 90,
                                 "height": 90}]},
            "voice": {"voice": {"file_id": "v1", "file_unique_id": "vu1", "duration": 3}},
            "document": {"document": {"file_id": "d1", "file_unique_id": "du1",
                                      "file_name": "tugas.pdf"}},
        }
        message = self._new_message(chat, user, **media[kind])
        self.push({"message": message})
        return message

    def edit_text(self, message: dict, new_text: str) -> dict:
        edited = {**message, "text": new_text, "edit_date": int(time.time())}
        self.push({"edited_message": edited})
        return edited

    def press(self, user: dict, sent: Sent, button: dict | str) -> str:
        data = button["callback_data"] if isinstance(button, dict) else button
        query_id = str(next(self._callback_ids))
        message = self.messages[(sent.chat_id, sent.message_id)]
        self.push({"callback_query": {"id": query_id, "from": user, "chat_instance": "ci",
                                      "message": message, "data": data}})
        return query_id

    def polls_in(self, chat_id: int) -> list[dict]:
        """The polls sent to a chat, oldest first."""
        with self._cond:
            return [self.polls[pid] for pid, (c, _) in self.poll_messages.items() if c == chat_id]

    def answer_poll(self, user: dict, poll_id: str, option: int) -> dict | None:
        """A user picks ``option``: the poll's counts change and, for a non-anonymous poll,
        the bot gets a ``poll_answer`` update. A closed poll or a second answer to a quiz
        changes nothing (None), as in Telegram."""
        with self._cond:
            poll = self.polls[poll_id]
            voters = self._poll_voters.setdefault(poll_id, set())
            if poll["is_closed"] or user["id"] in voters:
                return None
            voters.add(user["id"])
            poll["options"][option]["voter_count"] += 1
            poll["total_voter_count"] += 1
        if poll["is_anonymous"]:
            return None
        return self.push({"poll_answer": {
            "poll_id": poll_id, "user": user, "option_ids": [option],
            "option_persistent_ids": [poll["options"][option]["persistent_id"]]}})

    def inline(self, user: dict, query: str) -> str:
        query_id = f"iq{next(self._callback_ids)}"
        self.push({"inline_query": {"id": query_id, "from": user, "query": query, "offset": ""}})
        return query_id

    # -- waiting ----------------------------------------------------------------------------
    async def barrier(self, user: dict) -> None:
        """Wait until the bot has fetched every update pushed before now: an empty inline
        query (answered at once, stored nowhere, no chat message) goes last, and its answer is
        awaited. To check that nothing more was sent, leave the running bot after this (its
        stop waits for the handlers still running) and count then."""
        query_id = self.inline(user, "")
        await self.until(lambda: query_id in self.inline_answers)

    def wait_for(self, predicate: Callable[[], object], timeout: float = 30.0):
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                result = predicate()
                if result:
                    return result
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("the bot did not do what the test waited for")
                self._cond.wait(min(left, 0.5))

    async def until(self, predicate: Callable[[], object], timeout: float = 30.0):
        """``wait_for`` for async tests: polls without blocking the event loop (an in-process
        bot runs on it) and without taking a worker thread (the bot needs those)."""
        deadline = time.monotonic() + timeout
        while True:
            with self._cond:
                result = predicate()
            if result:
                return result
            if time.monotonic() > deadline:
                raise TimeoutError("the bot did not do what the test waited for")
            await asyncio.sleep(0.01)

    def sent_to(self, chat_id: int) -> list[Sent]:
        return list(self._sent_by_chat.get(chat_id, ()))

    def replies(self, chat_id: int, count: int = 1, after: int = 0) -> Callable[[], list[Sent]]:
        """A predicate: at least ``count`` messages sent to the chat after the first ``after``."""
        def check():
            got = self.sent_to(chat_id)[after:]
            return got if len(got) >= count else None
        return check
