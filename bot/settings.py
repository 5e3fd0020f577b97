"""Settings of the Telegram bot: the core's settings plus Telegram's and the bot's own."""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv.parser import parse_stream
from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import NoDecode

from index.settings import Settings

TOKEN_PATTERN = re.compile(r"\d{5,20}:[A-Za-z0-9_-]{30,60}")  # what @BotFather hands out
TELEGRAM_API = "https://api.telegram.org/bot"
# Upper bound of every period in days: a century is "forever" for a class, and keeps
# `now - days * DAY_SECONDS` and datetime arithmetic far from overflow (RETENTION_DAYS=inf did).
MAX_DAYS = 36_500
DAY_SECONDS = 86_400  # retention, link lifetimes, reports and bounds all count days in these


def env_file_problems(path: Path) -> list[str]:
    """What is wrong with a .env file, one line each, values never shown. python-dotenv only
    warns and skips a line it cannot parse: a token line with a stray quote silently started
    the terminal chat instead of the bot."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return []
    except OSError as exc:
        return [f"{path} cannot be read ({exc.strerror})"]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        hint = " (it looks like UTF-16)" if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else ""
        return [f"{path} is not UTF-8 text{hint}: save it as UTF-8"]
    return [f"{path} line {binding.original.line}: cannot be parsed (an unclosed quote?)"
            for binding in parse_stream(io.StringIO(text)) if binding.error]


class BotSettings(Settings):
    telegram_bot_token: SecretStr | None = Field(
        None, description="Token from @BotFather. Without it, `python -m bot` starts the chat.")
    telegram_base_url: str = Field(
        TELEGRAM_API, description="Bot API base URL, passed as-is to python-telegram-bot.")
    bot_api_timeout_seconds: float = Field(
        5, gt=0, le=600, description="How long a Bot API call may take before it counts as "
        "failed (answers are then sent again).")
    telegram_bot_username: str = Field(
        "", description="The bot's @username, for links made offline (else asked from getMe).")
    database_path: Path = Field(Path("data/bot.sqlite3"),
                                description="SQLite file: questions, votes, links, settings.")
    user_id_salt: SecretStr = Field(
        SecretStr(""), description="Secret mixed into hashed Telegram user ids.")
    retention_days: float = Field(180, gt=0, le=MAX_DAYS,
                                  description="Rows older than this are deleted.")
    link_ttl_days: float = Field(365, gt=0, le=MAX_DAYS,
                                 description="Stored deep links expire after this.")
    timezone: str = Field(
        "Asia/Jakarta", description="IANA time zone of days and weeks in /stats and reports.")
    admin_ids: Annotated[list[int], NoDecode] = Field(
        default_factory=list, description="Telegram user ids allowed /stats: 1,2 or [1, 2].")

    answer_threads: int = Field(64, ge=1, le=1024,
                                description="Questions answered at once (they share the embedder).")
    embed_workers: int | Literal["auto"] = Field(
        "auto", description="Processes embedding questions side by side, one core each; "
        "0: in the bot's own process, on all cores; auto: one per core.")
    embed_batch_max: int | Literal["auto"] = Field(
        "auto", description="Questions per embedding call; auto: 8 with worker processes (keeps "
        "them evenly busy), 64 in the bot's process.")
    query_cache_size: int = Field(
        10_000, ge=0, le=1_000_000, description="Recent questions whose vectors are kept, so "
        "a repeated question is not embedded again (0: off; about 1.5 KB each).")
    embed_batch_wait_ms: float = Field(
        2, ge=0, le=1000, description="How long a question waits for others to batch with.")
    rate_limit: bool = Field(True, description="Respect Telegram's flood limits (AIORateLimiter).")
    flood_max_questions: int = Field(6, ge=1, le=10_000,
                                     description="Questions one student may ask ...")
    flood_window_seconds: float = Field(30, gt=0, le=DAY_SECONDS,
                                        description="... per this many seconds.")
    max_update_age_seconds: float = Field(
        600, gt=0, le=MAX_DAYS * DAY_SECONDS,
        description="Older messages (a backlog from downtime) are not answered.")
    conversation_idle_minutes: float = Field(
        30, gt=0, le=MAX_DAYS * 24 * 60, description="A chat idle this long starts a new conversation "
        "(follow-ups such as \"lanjut\" refer to the turns before).")
    conversation_max: int = Field(
        10_000, ge=1, le=1_000_000, description="Conversations remembered at once (a few KB "
        "each); the least recently used is forgotten first.")
    reload_check_seconds: float = Field(
        5, ge=0, le=DAY_SECONDS, description="How often to look for a rebuilt index (0: only /reload).")
    metrics_path: Path | None = Field(
        None, description="At shutdown the bot appends its figures here as one JSON line "
        "(answers, per-answer times, embedding batches), for benchmarks; unset: not written.")
    bot_mode: Literal["polling", "webhook"] = "polling"
    webhook_url: str = Field("", description="Public HTTPS URL Telegram posts updates to.")
    webhook_listen: str = Field("127.0.0.1", description="Address the webhook server binds.")
    webhook_port: int = Field(8080, ge=1, le=65535)
    webhook_path: str = Field("telegram", pattern=r"^[A-Za-z0-9_/-]*$")
    webhook_secret: SecretStr | None = Field(
        None, description="X-Telegram-Bot-Api-Secret-Token value; requests without it get 403.")

    @field_validator("embed_workers")
    @classmethod
    def _workers_range(cls, value: int | str) -> int | str:
        if isinstance(value, int) and not 0 <= value <= 64:
            raise ValueError("must be auto or a number from 0 to 64")
        return value

    @field_validator("embed_batch_max")
    @classmethod
    def _batch_range(cls, value: int | str) -> int | str:
        if isinstance(value, int) and not 1 <= value <= 1024:
            raise ValueError("must be auto or a number from 1 to 1024")
        return value

    def embed_batch_size(self) -> int:
        """Questions per embedding call: small batches spread over worker processes (a big
        last batch would leave the other workers idle), big ones in one process."""
        if self.embed_batch_max == "auto":
            return 8 if self.embed_worker_count() else 64
        return self.embed_batch_max

    def embed_worker_count(self) -> int:
        """How many embedding processes to start (0: embed in the bot's process)."""
        if self.embed_workers == "auto":
            return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
                os.cpu_count() or 1)
        return self.embed_workers

    @model_validator(mode="after")
    def _webhook_needs(self) -> BotSettings:
        if self.bot_mode == "webhook":
            if not self.webhook_url.startswith("https://"):
                raise ValueError("BOT_MODE=webhook needs WEBHOOK_URL, an https:// URL")
            secret = self.webhook_secret.get_secret_value() if self.webhook_secret else ""
            if not re.fullmatch(r"[A-Za-z0-9_-]{16,256}", secret):
                raise ValueError("BOT_MODE=webhook needs WEBHOOK_SECRET: 16-256 characters of "
                                 "A-Z, a-z, 0-9, '_' or '-'")
        return self

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _admin_ids(cls, value):
        if isinstance(value, str):
            text = value.strip()
            if not text:
                return []
            if text.startswith("["):
                return json.loads(text)
            return [part.strip() for part in text.split(",") if part.strip()]
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        value = value.strip()
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            raise ValueError("not an IANA time zone name (e.g. Asia/Jakarta, Asia/Makassar, "
                             "UTC)") from None
        return value

    def zone(self) -> ZoneInfo:
        """TIMEZONE as a tzinfo."""
        return ZoneInfo(self.timezone)

    @field_validator("metrics_path", mode="before")
    @classmethod
    def _no_path(cls, value):
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("telegram_bot_username")
    @classmethod
    def _username(cls, value: str) -> str:
        value = value.strip().lstrip("@")
        if value and not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{3,31}", value):
            raise ValueError("not a Telegram username (5-32 letters, digits or '_')")
        return value

    @field_validator("telegram_bot_token", mode="before")
    @classmethod
    def _token_shape(cls, value):
        if value is None:
            return None
        raw = value.get_secret_value() if isinstance(value, SecretStr) else str(value)
        raw = raw.strip()
        if not raw:
            return None
        if not TOKEN_PATTERN.fullmatch(raw):
            # never include the value: it may be a real token pasted with a typo
            raise ValueError("malformed: expected digits, a colon and 30-60 letters, digits, "
                             "'_' or '-' (the token @BotFather gives)")
        return SecretStr(raw)
