"""Tanya Paradiplomasi: ask the article "Peran Strategis Kepala Daerah dalam Mendorong
Paradiplomasi untuk Diplomasi Ekonomi Daerah" questions in Indonesian or English.

Commands:
  ask QUESTION         print the answer and its citation
  ask --json QUESTION  print one JSON object: question, language, answered, answer, passages
  ask --json           read questions from standard input, one per line; one JSON line each
  chat                 interactive terminal chat (also reads piped questions, one per line)

With no command: the Telegram bot (long polling) if TELEGRAM_BOT_TOKEN is set, else the
terminal chat. Settings (TELEGRAM_BOT_TOKEN, INDEX_DIR, ...) come from the environment or
.env; see .env.example. Build the index first: python -m index build.
Exit codes: 0 done, 1 a problem (e.g. no index), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Iterable
from typing import TextIO

from pydantic import ValidationError

from bot.logs import setup_logging
from bot.settings import BotSettings
from index.answer import Answer, Engine
from index.corpus import CorpusError
from index.embedders import EmbedderError
from index.store import IndexLoadError

logger = logging.getLogger(__name__)

CHAT_PROMPT = "tanya> "
CHAT_QUIT = frozenset({"exit", "quit", "keluar", "/exit", "/quit", "/keluar"})
CHAT_WELCOME = (
    "Tanya Paradiplomasi — tanyakan isi artikel dalam bahasa Indonesia atau Inggris.\n"
    "Ask about the article in Indonesian or English. Keluar/quit: Ctrl-D."
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    ask = sub.add_parser("ask", help="answer one question (or each line of standard input)",
                         description="Answer a question; without QUESTION, answer each line "
                                     "of standard input.")
    ask.add_argument("question", nargs="?", metavar="QUESTION")
    ask.add_argument("--json", action="store_true", help="print JSON (one object per line)")
    sub.add_parser("chat", help="interactive terminal chat",
                   description="Interactive terminal chat; also reads piped questions.")
    return parser


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


def load_engine(settings: BotSettings) -> Engine | None:
    """The engine, or None after one clear line on stderr saying what to fix."""
    try:
        return Engine.load(settings)
    except (IndexLoadError, EmbedderError) as exc:
        print(f"error: {exc}", file=sys.stderr)
    except CorpusError as exc:
        print(f"error: the corpus has problems: {exc.problems[0]}"
              + (f" (and {len(exc.problems) - 1} more)" if len(exc.problems) > 1 else ""),
              file=sys.stderr)
    return None


def read_settings() -> BotSettings | None:
    """Settings from the environment and .env, or None after one line per problem (values
    are never shown: one of them may be the token)."""
    try:
        return BotSettings()
    except ValidationError as exc:
        for err in exc.errors(include_url=False, include_input=False):
            name = ".".join(str(p) for p in err["loc"]).upper()
            print(f"error: setting {name}: {err['msg'].removeprefix('Value error, ')}",
                  file=sys.stderr)
        return None


def main(argv: list[str] | None = None, settings: BotSettings | None = None,
         engine: Engine | None = None, stdin: TextIO | None = None,
         stdout: TextIO | None = None) -> int:
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    args = _parser().parse_args(argv)
    if args.command == "ask" and args.question is None and stdin.isatty():
        _parser().error("ask needs a QUESTION, or questions piped on standard input")
    settings = settings or read_settings()
    if settings is None:
        return 1
    setup_logging(settings.log_level)
    if engine is None:
        engine = load_engine(settings)
        if engine is None:
            return 1
    if args.command is None and getattr(settings, "telegram_bot_token", None):
        from bot.app import run

        return run(settings, engine)
    try:
        if args.command == "ask":
            return run_ask(engine, args.question, args.json, stdin, stdout)
        return run_chat(engine, stdin, stdout, interactive=stdin.isatty())
    except KeyboardInterrupt:
        stdout.write("\n")
        return 0
    except BrokenPipeError:  # `... | head`
        return 0
