"""Logging set-up: one format, httpx quiet, secrets redacted from every line at every level,
and no personal data from python-telegram-bot's DEBUG lines.

At DEBUG python-telegram-bot logs every Bot API call with its parameters and return value
and every update it processes: first names, user ids, chat ids, message texts, and the
webhook's ``secret_token``. Those structured arguments are replaced by ``<hidden>``; what
remains (which endpoint was called, that an update was processed) is enough to troubleshoot.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
from collections.abc import Iterable
from typing import TextIO

from bot.settings import TOKEN_PATTERN

REDACTED = "[REDACTED-TOKEN]"
REDACTED_SECRET = "[REDACTED]"
HIDDEN = "<hidden>"
# `secret_token` as a key in logged parameters or headers, whatever its value
SECRET_TOKEN_PATTERN = re.compile(
    r"""((?:secret_token|Secret-Token)['"]?\s*[:=]\s*['"]?)[^'"\s,}&]+""", re.I)
MIN_SECRET_CHARS = 4  # shorter "secrets" would redact ordinary words


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then replaces anything shaped like a bot token (URLs, tracebacks),
    any ``secret_token`` value, and the given secrets wherever they appear."""

    def __init__(self, fmt: str, secrets: Iterable[str] = ()):
        super().__init__(fmt)
        self._secrets = sorted({s for s in secrets if len(s) >= MIN_SECRET_CHARS},
                               key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        text = TOKEN_PATTERN.sub(REDACTED, super().format(record))
        text = SECRET_TOKEN_PATTERN.sub(lambda m: m.group(1) + REDACTED_SECRET, text)
        for secret in self._secrets:
            text = text.replace(secret, REDACTED_SECRET)
        return text


def _plain(value: object) -> bool:
    """A value that cannot carry an update: a number, or a short string that is not JSON."""
    if value is None or isinstance(value, (bool, int, float)):
        return True
    return isinstance(value, str) and not value.lstrip().startswith(("{", "[")) and len(value) < 80


class PersonalDataFilter(logging.Filter):
    """Hides the structured arguments (updates, API parameters and results) of
    python-telegram-bot's log lines: they hold names, ids and message texts."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("telegram") and record.args:
            if isinstance(record.args, dict):
                record.msg, record.args = f"{record.msg} {HIDDEN}", ()
            else:
                record.args = tuple(a if _plain(a) else HIDDEN for a in record.args)
        return True


def setup_logging(level: str, secrets: Iterable[str] = (), stream: TextIO | None = None) -> None:
    """Log to ``stream`` (standard error) at ``level``; ``secrets`` never appear in a line,
    nor in the traceback of an exception nothing caught (in any thread)."""
    secrets = list(secrets)
    formatter = RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", secrets)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(formatter)
    _install_excepthooks(formatter)
    handler.addFilter(PersonalDataFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every request URL, and Bot API URLs contain the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)


def _install_excepthooks(formatter: RedactingFormatter) -> None:
    """Uncaught exceptions (main thread and others) are printed redacted, like log lines."""
    def redacted(exc_type, exc, tb) -> str:
        record = logging.LogRecord("uncaught", logging.CRITICAL, "", 0, "uncaught exception",
                                   None, (exc_type, exc, tb))
        return formatter.format(record)

    def hook(exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        print(redacted(exc_type, exc, tb), file=sys.stderr)

    def thread_hook(args) -> None:
        if args.exc_type is SystemExit:
            return
        print(redacted(args.exc_type, args.exc_value, args.exc_traceback), file=sys.stderr)

    sys.excepthook = hook
    threading.excepthook = thread_hook
