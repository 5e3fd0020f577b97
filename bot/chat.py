"""The terminal faces of the engine: ``ask`` (one answer, or one per input line, as text or
JSON) and the interactive ``chat``."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TextIO

from bot.replies import plain_text, reply_for
from index.answer import Answer, Engine
from index.conversation import Conversation, Conversations

CHAT_PROMPT = "tanya> "
CHAT_QUIT = frozenset({"exit", "quit", "keluar", "/exit", "/quit", "/keluar"})
CHAT_WELCOME = (
    "Tanya Paradiplomasi — tanyakan isi artikel dalam bahasa Indonesia atau Inggris.\n"
    "Ask about the article in Indonesian or English. Selesai / to end: keluar, quit, Ctrl-D."
)


def render_text(answer: Answer, engine: Engine) -> str:
    """The answer for a person in a terminal: the text, each passage's citation under it (a
    summary's sentences share one)."""
    reply = reply_for(answer, engine)
    if not reply.passages:
        return plain_text(reply)
    lines = [reply.lead] if reply.lead else []
    together = engine.citation_of_sentences(reply.passages, answer.language) \
        if answer.kind == "summary" else None
    if together is not None:  # a summary: its sentences, then one citation
        return "\n".join([*lines, *(p.text for p in reply.passages), f"  — {together}"])
    for i, passage in enumerate(reply.passages):
        caption = reply.caption(i)
        lines += [caption] if caption else []
        lines += [passage.text, f"  — {engine.citation(passage, answer.language)}"]
    return "\n".join(lines)


def to_json(answer: Answer, engine: Engine) -> dict:
    """The CLI's JSON contract (``python -m bot ask --json``, see README)."""
    return {
        "question": answer.question,
        "language": answer.language,
        "answered": answer.answered,
        "kind": answer.kind,
        "detail": answer.detail,
        "shown": answer.shown,
        "answer": plain_text(reply_for(answer, engine)),
        "passages": [
            {"text": sp.passage.text, "score": round(sp.score, 6),
             "language": sp.passage.language, "document": sp.passage.document,
             "section": sp.passage.heading or sp.passage.section,
             **({"page": sp.passage.page} if sp.passage.page else {})}
            for sp in answer.passages
        ],
    }


@dataclass(frozen=True)
class Request:
    """One line of ``ask`` input: plain text, or a JSON object with a conversation id."""

    question: str
    conversation: str | None = None
    language: str | None = None
    error: str | None = None  # why a line meant as a JSON request was not one


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
REQUEST_SHAPE = '{"question": "...", "conversation": "c1", "language": "id"} (the last two optional)'


def parse_line(line: str) -> Request:
    """``{"question": ..., "conversation": ..., "language": ...}`` or the line as a question.

    A line written as a JSON object ("{...}", or starting with '{"') must be such a request:
    a mistyped one is reported, not answered as if a student had typed braces."""
    text = line.rstrip("\r\n")
    stripped = text.strip()
    if not (stripped.startswith('{"') or stripped.startswith("{") and stripped.endswith("}")):
        return Request(text)
    try:
        data = json.loads(stripped)
    except ValueError:
        return Request(text, error=f"not valid JSON; a request line is {REQUEST_SHAPE}")
    problem = _request_problem(data)
    if problem is not None:
        return Request(text, error=f"{problem}; a request line is {REQUEST_SHAPE}")
    conversation = data.get("conversation")
    return Request(_without_lone_surrogates(data["question"]),
                   _without_lone_surrogates(str(conversation)) if conversation is not None
                   else None, data.get("language"))


def _without_lone_surrogates(text: str) -> str:
    """JSON may escape half a UTF-16 pair ("\\ud800"), which no output can encode: read as
    U+FFFD, the replacement character."""
    return _LONE_SURROGATE.sub("\ufffd", text)


def _request_problem(data: object) -> str | None:
    if not isinstance(data, dict):
        return "not a JSON object"
    if "question" not in data:
        return '"question" is missing'
    if not isinstance(data.get("question"), str):
        return '"question" must be a string'
    if not isinstance(data.get("conversation") or "", str | int):  # null: none given
        return '"conversation" must be a string or a number'
    if data.get("language") not in (None, "id", "en"):
        return '"language" must be "id" or "en"'
    return None


def _requests(stream: TextIO) -> Iterable[Request]:
    for line in stream:
        yield parse_line(line)


def run_ask(engine: Engine, question: str | None, as_json: bool, stdin: TextIO,
            stdout: TextIO, conversations: Conversations | None = None,
            stderr: TextIO | None = None) -> int:
    """Answers to ``question``, or to each line of ``stdin``. Exit 1 when standard input held
    no question or a line was a malformed JSON request (the other lines are answered)."""
    stderr = stderr or sys.stderr
    requests = [Request(question)] if question is not None else _requests(stdin)
    conversations = conversations or Conversations()
    count = failed = 0
    for count, request in enumerate(requests, 1):
        if request.error is not None:
            failed += 1
            _report_bad_line(count, request, as_json, stdout, stderr)
            continue
        conversation = (conversations.get(request.conversation)
                        if request.conversation is not None else None)
        answer = engine.answer(request.question, language=request.language,
                               conversation=conversation)
        if as_json:
            stdout.write(json.dumps(to_json(answer, engine), ensure_ascii=False) + "\n")
        else:
            stdout.write(render_text(answer, engine) + "\n\n")
        stdout.flush()
    if count == 0:
        print("error: no question on standard input (ask QUESTION, or pipe one question per "
              "line)", file=stderr)
        return 1
    return 1 if failed else 0


def _report_bad_line(number: int, request: Request, as_json: bool, stdout: TextIO,
                     stderr: TextIO) -> None:
    """One line on stderr; with --json also an object in the line's place, so that output
    line N still belongs to input line N."""
    print(f"error: line {number}: {request.error}", file=stderr)
    if as_json:
        stdout.write(json.dumps({"line": number, "answered": False, "kind": "bad_request",
                                 "error": request.error}, ensure_ascii=False) + "\n")
        stdout.flush()


def run_chat(engine: Engine, stdin: TextIO, stdout: TextIO, interactive: bool) -> int:
    conversation = Conversation()  # one session, one conversation
    if interactive:
        stdout.write(CHAT_WELCOME + "\n\n")
    while True:
        if interactive:
            stdout.write(CHAT_PROMPT)
            stdout.flush()
        try:
            line = stdin.readline()
        except KeyboardInterrupt:
            line = ""
        if not line:  # end of input or Ctrl-D
            if interactive:
                stdout.write("\n")
            return 0
        question = line.strip()
        if not question:
            continue
        if question.lower() in CHAT_QUIT:
            return 0
        answer = engine.answer(question, conversation=conversation)
        stdout.write(render_text(answer, engine) + "\n\n")
        stdout.flush()
