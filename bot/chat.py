"""The terminal faces of the engine: ``ask`` (one answer, or one per input line, as text or
JSON) and the interactive ``chat``."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from index.answer import Answer, Engine

CHAT_PROMPT = "tanya> "
CHAT_QUIT = frozenset({"exit", "quit", "keluar", "/exit", "/quit", "/keluar"})
CHAT_WELCOME = (
    "Tanya Paradiplomasi — tanyakan isi artikel dalam bahasa Indonesia atau Inggris.\n"
    "Ask about the article in Indonesian or English. Keluar/quit: Ctrl-D."
)


def render_text(answer: Answer, engine: Engine) -> str:
    """The answer for a person in a terminal: the passage, then its citation."""
    if not answer.answered:
        return answer.text
    best = answer.passages[0].passage
    return f"{answer.text}\n  — {engine.citation(best, answer.language)}"


def _questions(stream: TextIO) -> Iterable[str]:
    for line in stream:
        yield line.rstrip("\r\n")


def run_ask(engine: Engine, question: str | None, as_json: bool, stdin: TextIO,
            stdout: TextIO) -> int:
    questions = [question] if question is not None else _questions(stdin)
    for q in questions:
        answer = engine.answer(q)
        if as_json:
            stdout.write(json.dumps(answer.to_json(), ensure_ascii=False) + "\n")
        else:
            stdout.write(render_text(answer, engine) + "\n\n")
        stdout.flush()
    return 0


def run_chat(engine: Engine, stdin: TextIO, stdout: TextIO, interactive: bool) -> int:
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
        stdout.write(render_text(engine.answer(question), engine) + "\n\n")
        stdout.flush()
