"""Logging set-up: one format, httpx quiet, bot tokens redacted from every line."""

from __future__ import annotations

import logging
import re

TOKEN_PATTERN = re.compile(r"\d{5,20}:[A-Za-z0-9_-]{30,60}")
REDACTED = "[REDACTED-TOKEN]"


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then replaces anything shaped like a bot token (URLs, tracebacks)."""

    def format(self, record: logging.LogRecord) -> str:
        return TOKEN_PATTERN.sub(REDACTED, super().format(record))


def setup_logging(level: str) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every request URL, and Bot API URLs contain the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
