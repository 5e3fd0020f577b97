"""Tanya Paradiplomasi: ask the article "Peran Strategis Kepala Daerah dalam Mendorong
Paradiplomasi untuk Diplomasi Ekonomi Daerah" questions in Indonesian or English.

Commands:
  ask QUESTION         print the answer and its citation
  ask --json QUESTION  print one JSON object: question, language, answered, kind, detail,
                       answer, passages
  ask --json           read standard input, one message per line (plain text, or a JSON object
                       {"question": ..., "conversation": "c1", "language": "id"}: lines of one
                       conversation share context); one JSON line each, in order
  chat                 interactive terminal chat (also reads piped questions, one per line)
  link                 print the bot's t.me link (with a question or language), write a QR code
  report               write what students asked as an HTML page and CSV (XLSX), for a range
  quiz                 print the class quiz items made from the corpus (text or JSON lines)

With no command: the Telegram bot (long polling) if TELEGRAM_BOT_TOKEN is set, else the
terminal chat. Settings (TELEGRAM_BOT_TOKEN, INDEX_DIR, ...) come from the environment or
.env; see .env.example. Build the index first: python -m index build.
Exit codes: 0 done, 1 a problem (e.g. no index), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import logging
import sys
from pathlib import Path
from typing import TextIO

from pydantic import ValidationError

from bot import chat, lecturers, quiz, serving
from bot.logs import setup_logging
from bot.settings import BotSettings, env_file_problems
from bot.storage import SQLiteStore, StoreError
from index import DEFAULT_LANGUAGE, LANGUAGES
from index.answer import Engine

logger = logging.getLogger(__name__)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    ask = sub.add_parser("ask", help="answer one question (or each line of standard input)",
                         description="Answer a question; without QUESTION, answer each line "
                                     "of standard input: plain text, or with --json also a "
                                     "JSON object {\"question\": ..., \"conversation\": "
                                     "\"c1\", \"language\": \"id\"} (conversation and "
                                     "language optional; lines of one conversation share "
                                     "context, in order).")
    ask.add_argument("question", nargs="*", metavar="QUESTION",
                     help="the question (quotes optional: the words are joined)")
    ask.add_argument("--json", action="store_true", help="print JSON (one object per line)")
    sub.add_parser("chat", help="interactive terminal chat",
                   description="Interactive terminal chat; also reads piped questions.")
    link = sub.add_parser(
        "link", help="print the bot's t.me link; optionally a QR code",
        description="Print the bot's t.me link. With --question, opening it answers that "
                    "question at once. A link carries up to ~46 bytes of question itself; a "
                    "longer one is stored in the bot's database (DATABASE_PATH, which must be "
                    "the one the bot uses: run this where the bot runs, or send /link QUESTION "
                    "to the bot). With --lang, answers come in that language. The bot's "
                    "username comes from TELEGRAM_BOT_USERNAME, else from Telegram (getMe, "
                    "needs TELEGRAM_BOT_TOKEN).")
    link.add_argument("--question", "-q", help="question the link opens with")
    link.add_argument("--lang", choices=("id", "en"), help="answer language")
    link.add_argument("--qr", type=Path, metavar="FILE",
                      help="also write a QR code of the link: FILE.png or FILE.svg")
    link.add_argument("--caption", metavar="TEXT",
                      help="text under the QR code (default: the question, else @BotName; "
                           "'' for none)")
    report = sub.add_parser(
        "report", help="what students asked: HTML page and CSV",
        description="Write a self-contained HTML report (questions per day, or per ISO week "
                    "beyond two weeks; answers voted down; most often unanswered; most asked "
                    "with the passage that answered; active students per week; languages) "
                    "and a CSV of every question (UTF-8 with BOM, for Excel), for a date "
                    "range in TIMEZONE (both days included). Reads the bot's database "
                    "(DATABASE_PATH) and needs only read access to it.")
    report.add_argument("--from", dest="since", type=_date, metavar="YYYY-MM-DD",
                        help="first day (default: 29 days before --to)")
    report.add_argument("--to", dest="until", type=_date, metavar="YYYY-MM-DD",
                        help="last day (default: today)")
    report.add_argument("--html", type=Path, metavar="FILE", help="default: report-FROM-TO.html")
    report.add_argument("--csv", type=Path, metavar="FILE", help="default: report-FROM-TO.csv")
    report.add_argument("--xlsx", type=Path, metavar="FILE", help="also an Excel workbook")
    report.add_argument("--lang", choices=LANGUAGES, default=DEFAULT_LANGUAGE,
                        help="language of the page (default: id)")
    quiz = sub.add_parser(
        "quiz", help="print the class quiz items for review",
        description="Print the quiz items made from the corpus and the hand-written "
                    "*.quiz.toml files beside the articles: every item, or with -n a round "
                    "as the bot would choose it. The same --seed gives the same items, "
                    "distractors and option order. Needs the corpus only, not the index.")
    quiz.add_argument("--lang", choices=("id", "en"), help="only this language (default: both)")
    quiz.add_argument("-n", type=_positive, metavar="N",
                      help="N items per language (default: every item)")
    quiz.add_argument("--seed", type=int, default=0, metavar="S", help="default: 0")
    quiz.add_argument("--json", action="store_true",
                      help="one JSON object per line: question, options, correct, "
                           "explanation, language, passage (and id, kind)")
    return parser


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {value}")
    return value


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def read_settings() -> BotSettings | None:
    """Settings from the environment and .env, or None after one line per problem (values
    are never shown: one of them may be the token)."""
    env_file = BotSettings.model_config.get("env_file")
    problems = env_file_problems(Path(env_file)) if isinstance(env_file, (str, Path)) else []
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    if problems:
        return None
    try:
        return BotSettings()
    except ValidationError as exc:
        for err in exc.errors(include_url=False, include_input=False):
            name = ".".join(str(p) for p in err["loc"]).upper()
            print(f"error: setting {name}: {err['msg'].removeprefix('Value error, ')}",
                  file=sys.stderr)
        return None


def valid_text(text: str) -> str:
    """``text`` with bytes that were not UTF-8 (lone surrogates, as Python decodes argv and,
    under a C locale, standard input) replaced by U+FFFD: they cannot be printed or encoded."""
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:  # surrogates that did not come from undecodable bytes
        return text.encode("utf-8", "replace").decode("utf-8")


def _replacing(stream: TextIO) -> TextIO:
    """Standard input that decodes what is not UTF-8 with replacement, line by line."""
    if isinstance(stream, io.TextIOWrapper):
        stream.reconfigure(errors="replace")  # at once: lines already read stay as they are
    return stream


def main(argv: list[str] | None = None, settings: BotSettings | None = None,
         engine: Engine | None = None, stdin: TextIO | None = None,
         stdout: TextIO | None = None) -> int:
    stdin = _replacing(stdin or sys.stdin)
    stdout = stdout or sys.stdout
    args = _parser().parse_args(argv)
    if isinstance(getattr(args, "question", None), list):  # ask's words, quoted or not
        given = bool(args.question)
        args.question = " ".join(args.question) or None
        if given and not (args.question or "").strip():
            _parser().error("ask: the question is empty")
    if getattr(args, "question", None) is not None:
        args.question = valid_text(args.question)
    if args.command == "ask" and args.question is None and stdin.isatty():
        _parser().error("ask needs a QUESTION, or questions piped on standard input")
    settings = settings or read_settings()
    if settings is None:
        return 1
    setup_logging(settings.log_level, secrets=_secrets(settings))
    try:
        return _dispatch(args, settings, engine, stdin, stdout)
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - last resort: one line, the details redacted
        logger.critical("stopped by an unexpected error", exc_info=True)
        print(f"error: stopped by an unexpected {type(exc).__name__}; the log above has the "
              "details", file=sys.stderr)
        return 1


def _secrets(settings: BotSettings) -> list[str]:
    """Values that must never appear in a log line."""
    values = (getattr(settings, name, None) for name in
              ("telegram_bot_token", "webhook_secret", "user_id_salt"))
    return [v.get_secret_value() for v in values if v is not None and v.get_secret_value()]


def _serve(settings: BotSettings, engine: Engine | None) -> int:
    """The Telegram bot: the database first (a bad DATABASE_PATH fails before the model
    loads), then the engine, then serving until stopped."""
    store = SQLiteStore(settings.database_path, retention_days=settings.retention_days)
    try:
        if engine is None:
            engine = serving.load_engine(settings, batching=True)
    except BaseException:
        store.close()
        raise
    if engine is None:
        store.close()
        return 1
    return serving.serve(settings, engine, store)


def _dispatch(args: argparse.Namespace, settings: BotSettings, engine: Engine | None,
              stdin: TextIO, stdout: TextIO) -> int:
    if args.command == "link":
        return lecturers.run_link(settings, args.question, args.lang, args.qr, stdout,
                                  caption=args.caption)
    if args.command == "quiz":
        try:
            return quiz.run_quiz(settings, args.lang, args.n, args.seed, args.json, stdout)
        except BrokenPipeError:  # `... | head`
            return 0
    if args.command == "report":
        return lecturers.run_report(settings, args.since, args.until, args.html, args.csv,
                                    stdout, language=args.lang, xlsx_path=args.xlsx,
                                    engine=engine)
    return _answer(args, settings, engine, stdin, stdout)


def _answer(args: argparse.Namespace, settings: BotSettings, engine: Engine | None,
            stdin: TextIO, stdout: TextIO) -> int:
    """The commands that need the engine: the bot (with a token and no command), else the
    terminal chat or ``ask``."""
    # (the chat and `ask` too: with OpenMP's threads spinning between messages, one other
    # busy process on the machine made them ~30x slower)
    serving.prepare_process()
    serving_bot = args.command is None and settings.telegram_bot_token is not None
    if serving_bot:
        try:
            with serving.stop_on_sigterm():
                return _serve(settings, engine)
        except KeyboardInterrupt:  # Ctrl-C or SIGTERM during start-up
            return 0
    if engine is None:
        engine = serving.load_engine(settings)
        if engine is None:
            return 1
    try:
        if args.command == "ask":
            return chat.run_ask(engine, args.question, args.json, stdin, stdout)
        return chat.run_chat(engine, stdin, stdout, interactive=stdin.isatty())
    except KeyboardInterrupt:
        stdout.write("\n")
        return 0
    except BrokenPipeError:  # `... | head`
        return 0
