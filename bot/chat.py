"""The terminal faces of the engine: ``ask`` (one answer, or one per input line, as text or
JSON) and the interactive ``chat``."""

from __future__ import annotations

import json
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
    "Ask about the article in Indonesian or English. Keluar/quit: Ctrl-D."
)


def render_text(answer: Answer, engine: Engine) -> str:
    """The answer for a person in a terminal: the text, each passage's citation under it."""
    reply = reply_for(answer, engine)
    if not reply.passages:
        return plain_text(reply)
    lines = [reply.lead] if reply.lead else []
    for passage in reply.passages:
        lines += [passage.text, f"  — {engine.citation(passage, answer.language)}"]
    return "\n".join(lines)


def to_json(answer: Answer, engine: Engine) -> dict:
    """The CLI's JSON contract (``python -m bot ask --json``, see README)."""
    return {
        "question": answer.question,
        "language": answer.language,
        "answered": answer.answered,
        "kind": answer.kind,
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


def parse_line(line: str) -> Request:
    """``{"question": ..., "conversation": ..., "language": ...}`` or the line as a question."""
    text = line.rstrip("\r\n")
    if text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except ValueError:
            return Request(text)
        if isinstance(data, dict) and isinstance(data.get("question"), str):
            conversation = data.get("conversation")
            language = data.get("language")
            return Request(data["question"],
                           str(conversation) if conversation is not None else None,
                           language if language in ("id", "en") else None)
    return Request(text)


def _requests(stream: TextIO) -> Iterable[Request]:
    for line in stream:
        yield parse_line(line)


def run_ask(engine: Engine, question: str | None, as_json: bool, stdin: TextIO,
            stdout: TextIO, conversations: Conversations | None = None) -> int:
    requests = [Request(question)] if question is not None else _requests(stdin)
    conversations = conversations or Conversations()
    for request in requests:
        conversation = (conversations.get(request.conversation)
                        if request.conversation is not None else None)
        answer = engine.answer(request.question, language=request.language,
                               conversation=conversation)
        if as_json:
            stdout.write(json.dumps(to_json(answer, engine), ensure_ascii=False) + "\n")
        else:
            stdout.write(render_text(answer, engine) + "\n\n")
        stdout.flush()
    return 0


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
