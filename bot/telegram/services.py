"""The Telegram face's dependencies, typed: one :class:`Services` object is ``context.bot_data``
in every callback (python-telegram-bot's ``ContextTypes(bot_data=Services)``, as in its
``contexttypesbot.py`` example), so what a handler uses is visible and type-checked."""

from __future__ import annotations

import asyncio
import math
import statistics
from collections import OrderedDict, deque
from collections.abc import Hashable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot

from bot.storage import Store, UserHasher
from bot.telegram.flood import UserRateLimiter
from index.conversation import Conversations
from index.embedders import BatchingEmbedder, Embedder
from index.live import LiveEngine
from index.quiz import Quiz

METRICS_KEPT = 100_000  # answer times kept for the shutdown figures (~1 MB)
THREADS_KEPT = 20_000  # group answers remembered for replies to them (~2 MB)


@dataclass
class Metrics:
    """Seconds from receiving a question to the reply being sent, most recent last."""

    answer_seconds: deque[float] = field(default_factory=lambda: deque(maxlen=METRICS_KEPT))
    in_flight: int = 0  # questions being answered right now

    def figures(self, embedder: Embedder) -> dict[str, float]:
        """What the bot reports at shutdown (logged, and written for benchmarks): answers and
        their times; with a batching embedder, its batches, busy time and cache hits."""
        ms = [s * 1000 for s in self.answer_seconds]
        out: dict[str, float] = {"answered": len(ms)}
        if ms:
            p95 = statistics.quantiles(ms, n=20, method="inclusive")[18] if len(ms) > 1 else ms[0]
            out |= {"answer_median_ms": round(statistics.median(ms), 1),
                    "answer_p95_ms": round(p95, 1)}
        if isinstance(embedder, BatchingEmbedder) and embedder.batch_sizes:
            sizes = embedder.batch_sizes
            out |= {"embed_batches": len(sizes),
                    "embed_batch_mean": round(sum(sizes) / len(sizes), 1),
                    "embed_batch_largest": max(sizes),
                    "embed_busy_seconds_per_worker": round(
                        embedder.busy_seconds / len(embedder.inners), 3),
                    "embed_cache_hits": embedder.cache_hits}
        return out


class Services:
    """What the handlers depend on, built once by :func:`bot.telegram.app.build_application`.

    python-telegram-bot creates ``bot_data`` itself, with no arguments, when the application
    is built; ``build_application`` then calls :meth:`provide` before any update is handled.
    """

    __slots__ = ("engine", "store", "hasher", "executor", "admins", "flood", "inline_flood",
                 "max_update_age", "reload_check_seconds", "retention_days", "timezone",
                 "link_ttl_days", "metrics", "metrics_path", "watcher", "purger", "exit_code",
                 "quiz", "conversations", "threads")

    engine: LiveEngine  # the index version in service (swapped by a reload)
    store: Store  # answers, votes, language choices, links
    hasher: UserHasher  # Telegram user id -> the pseudonym stored
    executor: ThreadPoolExecutor  # questions wait here for the (batching) embedder

    def __init__(self) -> None:
        self.admins: frozenset[int] = frozenset()  # Telegram user ids allowed /stats, /reload
        self.flood: UserRateLimiter | None = None  # None: no per-student limit
        self.inline_flood: UserRateLimiter | None = None  # inline queries (keystrokes)
        self.retention_days: float | None = None  # None: rows are kept
        self.purger: asyncio.Task[None] | None = None  # the retention task, while running
        self.max_update_age: float = math.inf  # seconds; older questions are not answered
        self.reload_check_seconds: float = 0.0  # 0: no index watcher
        self.timezone: ZoneInfo = ZoneInfo("UTC")  # days and weeks of /stats (TIMEZONE)
        self.link_ttl_days: float = 365.0  # links made by /link expire after this
        self.metrics = Metrics()
        self.metrics_path: Path | None = None  # where the shutdown figures go (METRICS_PATH)
        self.watcher: asyncio.Task[None] | None = None  # the index watcher, while running
        self.exit_code: int | None = None  # set when the bot must stop with this code
        self.quiz: Quiz | None = None  # class quiz items (None: the quiz is unavailable)
        self.conversations = Conversations()  # recent turns per private chat / group thread
        # The bot's answers in groups -> the thread they belong to, so that a reply to one
        # continues its conversation (Telegram tells only the message replied to).
        self.threads: OrderedDict[tuple[int, int], Hashable] = OrderedDict()

    def provide(self, *, engine: LiveEngine, store: Store, hasher: UserHasher,
                executor: ThreadPoolExecutor, admins: frozenset[int],
                flood: UserRateLimiter | None, max_update_age: float,
                reload_check_seconds: float, timezone: ZoneInfo,
                inline_flood: UserRateLimiter | None = None,
                retention_days: float | None = None,
                link_ttl_days: float = 365.0,
                metrics_path: Path | None = None) -> None:
        """Fill in every dependency at once (nothing is left half-provided)."""
        self.engine, self.store, self.hasher, self.executor = engine, store, hasher, executor
        self.admins, self.flood, self.inline_flood = admins, flood, inline_flood
        self.retention_days = retention_days
        self.max_update_age, self.reload_check_seconds = max_update_age, reload_check_seconds
        self.timezone, self.link_ttl_days = timezone, link_ttl_days
        self.metrics_path = metrics_path


# The context every callback receives, and the application that passes it (typed where it
# matters here: bot_data).
Context = CallbackContext[ExtBot[Any], dict[Any, Any], dict[Any, Any], Services]
App = Application[Any, Any, dict[Any, Any], dict[Any, Any], Services, Any]
CONTEXT_TYPES = ContextTypes(bot_data=Services)


def remember_thread(services: Services, chat_id: int, message_id: int, key: Hashable) -> None:
    """The bot's message ``message_id`` in ``chat_id`` belongs to conversation ``key``."""
    services.threads[(chat_id, message_id)] = key
    while len(services.threads) > THREADS_KEPT:
        services.threads.popitem(last=False)
