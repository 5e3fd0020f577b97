"""Lecturers' commands: the bot's t.me link (with a QR code) and the report of what students
asked."""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
from pathlib import Path
from typing import TextIO

from bot.settings import BotSettings

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
