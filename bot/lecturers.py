"""Lecturers' commands: the bot's t.me link (with a QR code) and the report of what students
asked."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bot.settings import BotSettings
from index import DEFAULT_LANGUAGE

if TYPE_CHECKING:
    from index.answer import Engine

logger = logging.getLogger(__name__)


def bot_username(settings: BotSettings) -> str | None:
    """TELEGRAM_BOT_USERNAME, else asked from Telegram (getMe), else None."""
    if settings.telegram_bot_username:
        return settings.telegram_bot_username
    token = settings.telegram_bot_token
    if not token:
        return None
    from telegram import Bot

    async def get_me() -> str:
        async with Bot(token.get_secret_value(),
                       base_url=settings.telegram_base_url) as bot:
            return bot.username

    return asyncio.run(get_me())


def _reason(exc: OSError) -> str:
    """What the system said, without the path (the caller names it)."""
    return exc.strerror or type(exc).__name__


def _open_store(settings: BotSettings, readonly: bool, command: str):
    """The bot's existing database, or None after one line on stderr saying what to do."""
    from bot.storage import SQLiteStore, StoreError

    try:
        return SQLiteStore.open_existing(settings.database_path, readonly=readonly)
    except StoreError as exc:
        hint = ("send /link QUESTION to the bot instead, or set DATABASE_PATH to the bot's "
                "database" if command == "link" else
                "run it where the bot keeps its database, or set DATABASE_PATH to it")
        print(f"error: {exc}; {hint}", file=sys.stderr)
        return None


def run_link(
        settings: BotSettings, question: str | None, lang: str | None, qr: Path | None,
        stdout: TextIO, caption: str | None = None) -> int:
    """Print the bot's link (a question too long for the link itself is stored in the bot's
    database, which must exist and be the bot's); write its QR code if asked."""
    from bot import deeplinks

    if qr is not None and qr.suffix.lower() not in (".png", ".svg"):
        print("error: --qr takes a .png or .svg file name", file=sys.stderr)
        return 2
    username = _username_or_error(settings)
    if username is None:
        return 1
    if question is not None:
        try:
            question = deeplinks.link_question(question)
        except deeplinks.UnanswerableQuestion as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    payload_note = _payload(settings, question, lang, username)
    if payload_note is None:
        return 1
    payload, note = payload_note
    link = deeplinks.bot_link(username, payload)
    stdout.write(link + "\n")
    if note:
        stdout.write(note + "\n")
    if qr is not None:
        shown = caption if caption is not None else (question or f"@{username}")
        return _write_qr(link, qr, shown, stdout)
    return 0


def _username_or_error(settings: BotSettings) -> str | None:
    """The bot's username, or None after one line on stderr saying how to give it."""
    from telegram.error import TelegramError

    try:
        username = bot_username(settings)
    except TelegramError as exc:
        print(f"error: cannot ask Telegram for the bot's username ({type(exc).__name__}); "
              "set TELEGRAM_BOT_USERNAME", file=sys.stderr)
        return None
    if not username:
        print("error: set TELEGRAM_BOT_USERNAME (or TELEGRAM_BOT_TOKEN to ask Telegram)",
              file=sys.stderr)
        return None
    return username


def _payload(settings: BotSettings, question: str | None, lang: str | None,
             username: str) -> tuple[str | None, str | None] | None:
    """(the link's start payload, a note for the lecturer): the question itself when it fits
    the link, else stored in the bot's database (see :func:`_stored_payload`); only the
    language without a question. None after an error line."""
    from bot import deeplinks

    if question is None:
        return (deeplinks.language_payload(lang) if lang else None), None
    payload = deeplinks.inline_payload(question, lang or "auto")
    if payload is not None:
        return payload, None
    return _stored_payload(settings, question, lang or "auto", username)


def _stored_payload(settings: BotSettings, question: str, lang: str,
                    username: str) -> tuple[str, str] | None:
    """The question stored in the bot's database (which must be this bot's): the payload
    naming it and a note on where it is and when it expires; None after an error line."""
    from bot import deeplinks
    from bot.reports import zone_label

    store = _open_store(settings, readonly=False, command="link")
    if store is None:
        return None
    try:
        owner = store.served_by()
        if owner and owner.lower() != username.lower():
            print(f"error: {settings.database_path} is the database of @{owner}, not "
                  f"@{username}; set DATABASE_PATH or TELEGRAM_BOT_USERNAME",
                  file=sys.stderr)
            return None
        link_id = store.put_link(question, lang, settings.link_ttl_days)
        expires = store.link_expiry(link_id) or 0.0
    finally:
        store.close()
    tz = settings.zone()
    until = dt.datetime.fromtimestamp(expires, tz)
    note = (f"stored as {link_id} in {settings.database_path} (too long for the link "
            f"itself); expires {until:%Y-%m-%d %H:%M} ({zone_label(tz, until.date())})")
    return deeplinks.stored_payload(link_id, lang), note


def _write_qr(link: str, qr: Path, shown: str, stdout: TextIO) -> int:
    """Write the link's QR code (``shown`` as its caption) and say so; 1 after an error line."""
    from bot import qr as qrcode

    try:
        qr.parent.mkdir(parents=True, exist_ok=True)
        info = qrcode.write(link, qr, shown or None)
    except OSError as exc:
        print(f"error: cannot write the QR code to {qr} ({_reason(exc)})", file=sys.stderr)
        return 1
    size = f", {info.pixels} px wide" if info.pixels else f", {info.modules} modules wide"
    stdout.write(f"QR code: {qr} (version {info.version}, error correction "
                 f"{info.error}{size})\n")
    return 0


DEFAULT_REPORT_DAYS = 30  # without --from: the last 30 days
MAX_REPORT_DAYS = 731  # two years (105 weekly bars); longer ranges start at the first question


def run_report(settings: BotSettings, since: dt.date | None, until: dt.date | None,
               html_path: Path | None, csv_path: Path | None, stdout: TextIO,
               language: str = DEFAULT_LANGUAGE, xlsx_path: Path | None = None,
               engine=None) -> int:
    """Write the HTML report and the CSV (and XLSX) of what students asked, read-only."""
    from bot import quiz, reports

    if since and until and since > until:
        print("error: --from is after --to", file=sys.stderr)
        return 2
    tz = settings.zone()
    today = dt.datetime.now(tz).date()
    store = _open_store(settings, readonly=True, command="report")
    if store is None:
        return 1
    try:
        until = min(until or today, today)
        since = since or until - dt.timedelta(days=DEFAULT_REPORT_DAYS - 1)
        if (until - since).days >= MAX_REPORT_DAYS:
            first = store.first_question_at()
            since = max(since, reports.local_day(first, tz) if first is not None else until)
            if (until - since).days >= MAX_REPORT_DAYS:
                print(f"error: the range has more than {MAX_REPORT_DAYS} days of questions; "
                      "give a later --from", file=sys.stderr)
                return 1
        if since > until:
            print(f"error: nothing to report: --from {since} is after today ({today}, "
                  f"{reports.zone_label(tz, today)})", file=sys.stderr)
            return 1
        rows = store.interactions(reports.day_start(since, tz),
                                  reports.day_start(until + dt.timedelta(days=1), tz))
        answers = store.quiz_answers(since=reports.day_start(since, tz),
                                     until=reports.day_start(until + dt.timedelta(days=1), tz))
    finally:
        store.close()
    no_index = ""
    if engine is None:
        engine, no_index = _engine_or_none(settings)
    embed = engine.embedder.embed_queries if engine is not None else None
    passage_text = _passage_texts(engine)
    summary = reports.summarize(rows, since, until, tz, top=reports.REPORT_TOP, embed=embed,
                                passage_text=passage_text)
    quiz_html = quiz.quiz_section_html(quiz.quiz_report(answers, passage_text), language)
    html_path = html_path or Path(f"report-{since}-{until}.html")
    csv_path = csv_path or Path(f"report-{since}-{until}.csv")
    title = f"Tanya Paradiplomasi: {since} – {until}"
    written: list[Path] = []
    for path, write in (
            (html_path, lambda p: p.write_text(
                reports.report_html(summary, title, language, quiz_html), encoding="utf-8")),
            (csv_path, lambda p: reports.write_csv(rows, p, tz, passage_text)),
            (xlsx_path, lambda p: reports.write_xlsx(rows, p, tz, passage_text))):
        if path is None:
            continue
        try:
            write(path)
        except OSError as exc:
            done = f"wrote {', '.join(map(str, written))}, but " if written else ""
            print(f"error: {done}cannot write {path} ({_reason(exc)})", file=sys.stderr)
            return 1
        written.append(path)
    bars = f"{len(summary.buckets)} {'days' if summary.unit == 'day' else 'weeks'}"
    stdout.write(
        f"{summary.questions} questions, {summary.answered_share:.0%} answered, "
        f"{summary.students} students; votes on answers 👍 {summary.on_answers.up} "
        f"👎 {summary.on_answers.down}, on refusals 👍 {summary.on_refusals.up} "
        f"👎 {summary.on_refusals.down}; {since} – {until} ({summary.zone}), {bars}; "
        f"same questions grouped by {summary.grouping}{no_index}\n"
        f"wrote {', '.join(map(str, written))}\n")
    return 0


def _engine_or_none(settings: BotSettings):
    """The engine (for its embedder and passages) if an index is there, else None and why,
    for the summary line: the report then groups questions by their words only."""
    try:
        from index.answer import Engine

        return Engine.load(settings), ""
    except Exception as exc:  # noqa: BLE001 - any reason: the report works without it
        reason = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        return None, f" (no index: {reason})"


def _passage_texts(engine: Engine | None) -> Callable[[str], str | None] | None:
    """Passage id -> its text in the engine's index (None without an index)."""
    if engine is None:
        return None

    def text(passage_id: str) -> str | None:
        passage = engine.passage(passage_id)
        return passage.text if passage is not None else None

    return text
