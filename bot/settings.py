"""Settings of the Telegram bot: the core's settings plus Telegram's and the bot's own."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import Field, SecretStr, field_validator

from index.settings import Settings

TOKEN_RE = re.compile(r"^\d{5,20}:[A-Za-z0-9_-]{30,60}$")  # what @BotFather hands out
TELEGRAM_API = "https://api.telegram.org/bot"


class BotSettings(Settings):
    telegram_bot_token: SecretStr | None = Field(
        None, description="Token from @BotFather. Without it, `python -m bot` starts the chat.")
    telegram_base_url: str = Field(
        TELEGRAM_API, description="Bot API base URL, passed as-is to python-telegram-bot.")
    database_path: Path = Field(Path("data/bot.sqlite3"),
                                description="SQLite file for per-user settings.")
    user_id_salt: SecretStr = Field(
        SecretStr(""), description="Secret mixed into hashed Telegram user ids.")

    @field_validator("telegram_bot_token", mode="before")
    @classmethod
    def _token_shape(cls, value):
        if value is None:
            return None
        raw = value.get_secret_value() if isinstance(value, SecretStr) else str(value)
        raw = raw.strip()
        if not raw:
            return None
        if not TOKEN_RE.match(raw):
            # never include the value: it may be a real token pasted with a typo
            raise ValueError("malformed: expected digits, a colon and 30-60 letters, digits, "
                             "'_' or '-' (the token @BotFather gives)")
        return SecretStr(raw)
