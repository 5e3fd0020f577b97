"""Start-up against the Bot API: retry while it is unreachable, stop cleanly when it rejects
the token.

python-telegram-bot's own start-up gives up at the first network error ("Failed run number 0
of 0. Aborting.", some 200 lines of traceback) and, on a rejected token, prints the token in
its exception text and leaves its HTTP sessions unclosed. Here a network blip at boot is
retried with backoff, one log line per attempt; a rejected token raises :class:`InvalidToken`
after the sessions are closed, for the caller to report in one line.
"""

from __future__ import annotations

import asyncio
import logging

from telegram.error import InvalidToken, NetworkError, RetryAfter, TimedOut
from telegram.ext import Application

logger = logging.getLogger(__name__)

BOOT_RETRY_FIRST_SECONDS = 1.0  # a blip usually passes within a second or two
BOOT_RETRY_MAX_SECONDS = 60.0  # an outage: look again every minute, not faster

__all__ = ["InvalidToken", "close_requests", "initialize_retrying"]


async def initialize_retrying(app: Application) -> None:
    """``app.initialize()`` (it asks getMe), retried with doubling delays while the Bot API
    cannot be reached or answers 5xx/429, until it succeeds. A rejected token
    (:class:`InvalidToken`) is not retried: the sessions are closed and it is raised."""
    delay = BOOT_RETRY_FIRST_SECONDS
    attempt = 1
    while True:
        try:
            await app.initialize()
            if attempt > 1:
                logger.info("reached the Bot API at attempt %d", attempt)
            return
        except InvalidToken:
            await close_requests(app)
            raise
        except (NetworkError, TimedOut, RetryAfter) as exc:
            if isinstance(exc, RetryAfter):
                wait = exc.retry_after
                delay = max(delay, wait.total_seconds() if hasattr(wait, "total_seconds")
                            else float(wait))
            logger.warning("the Bot API cannot be reached at start-up (%s, attempt %d); "
                           "trying again in %.0f s", type(exc).__name__, attempt, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, BOOT_RETRY_MAX_SECONDS)
            attempt += 1
        except BaseException:
            await close_requests(app)
            raise


async def close_requests(app: Application) -> None:
    """Close the bot's HTTP sessions even if it never finished initialising (else aiohttp
    warns "Unclosed client session" at exit)."""
    for request in getattr(app.bot, "_request", ()):  # (getUpdates, everything else)
        try:
            await request.shutdown()
        except Exception:  # noqa: BLE001 - closing is best effort
            logger.debug("closing a Bot API session failed", exc_info=True)
