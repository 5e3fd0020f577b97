"""Assembles the Telegram application (one place) and runs it: long polling or webhook."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import signal
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from telegram import BotCommand, Update
from telegram.error import TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    ChosenInlineResultHandler,
    CommandHandler,
    InlineQueryHandler,
    MessageHandler,
    PollAnswerHandler,
    TypeHandler,
    filters,
)

from bot.i18n import COMMANDS
from bot.settings import BotSettings
from bot.storage import SQLiteStore, Store, make_hasher
from bot.telegram import boot, flood, handlers, ops, quiz
from bot.telegram.services import CONTEXT_TYPES, App
from bot.telegram.tolerant import TolerantBot
from bot.telegram.transport import AiohttpRequest
from index import DEFAULT_LANGUAGE
from index.answer import Engine
from index.conversation import Conversations
from index.live import LiveEngine

logger = logging.getLogger(__name__)

MESSAGES = filters.UpdateType.MESSAGE  # new messages only: edits are not new questions
PRIVATE = filters.ChatType.PRIVATE
GROUPS = filters.ChatType.GROUPS
SEND_RETRIES = 3  # RetryAfter (429) waits honoured by the rate limiter, then it gives up
# Connections to the Bot API for sending; the rest wait their turn (bench.load_benchmark:
# more connections did not send faster on 2 cores, they only made each request dearer).
CONNECTIONS = 8


async def _post_init(app: App) -> None:
    """The command menu, in Indonesian (also the default) and English; the index watcher."""
    try:
        for language, commands in COMMANDS.items():
            menu = [BotCommand(name, description) for name, description in commands]
            await app.bot.set_my_commands(menu, language_code=language)
            if language == DEFAULT_LANGUAGE:
                await app.bot.set_my_commands(menu)
    except TelegramError as exc:  # cosmetic: the menu must not keep the bot from serving
        logger.warning("could not set the command menu (%s); serving without it",
                       type(exc).__name__)
    services = app.bot_data
    if services.retention_days is not None:  # at start-up, then on a schedule
        services.purger = asyncio.create_task(ops.purge_old_rows(app))
    try:  # `python -m bot link` and `report` then know this database is the bot's
        await asyncio.to_thread(services.store.mark_served, app.bot.username)
    except Exception as exc:  # noqa: BLE001 - a note for the lecturers' tools, not vital
        logger.warning("could not note the bot's name in the database (%s)", type(exc).__name__)
    if services.reload_check_seconds > 0:
        services.watcher = asyncio.create_task(
            ops.watch_index(app, services.reload_check_seconds))
    logger.info("serving as @%s, index %s", app.bot.username, services.engine.current.version)


async def _post_stop(app: App) -> None:
    services = app.bot_data
    for task in (services.watcher, services.purger):
        if task:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
    services.watcher = services.purger = None


async def _post_shutdown(app: App) -> None:
    services = app.bot_data
    services.store.close()
    services.executor.shutdown(wait=True)
    figures = services.metrics.figures(services.engine.current.embedder)
    if "answer_median_ms" in figures:
        logger.info("answered %d questions; per answer: median %.1f ms, p95 %.1f ms",
                    figures["answered"], figures["answer_median_ms"], figures["answer_p95_ms"])
    if "embed_batches" in figures:
        logger.info("embedded questions in %d batches, mean size %.1f, largest %d, "
                    "busy %.3f s per worker; %d questions from the cache",
                    figures["embed_batches"], figures["embed_batch_mean"],
                    figures["embed_batch_largest"], figures["embed_busy_seconds_per_worker"],
                    figures["embed_cache_hits"])
    if services.metrics_path is not None:
        try:
            with services.metrics_path.open("a", encoding="utf-8") as f:
                f.write(json.dumps(figures) + "\n")
        except OSError as exc:
            logger.warning("could not write the figures to METRICS_PATH (%s)",
                           type(exc).__name__)
    logger.info("stopped; storage closed")


def build_application(settings: BotSettings, engine: Engine | LiveEngine,
                      store: Store | None = None,
                      clock: Callable[[], float] | None = None) -> App:
    """The bot, ready to run: handlers, error handler, dependencies in ``bot_data`` (typed:
    :class:`bot.telegram.services.Services`). ``clock`` drives the per-student flood limit
    (a simulated class passes its simulated time; default: time.monotonic)."""
    if settings.telegram_bot_token is None:
        raise ValueError("the bot needs TELEGRAM_BOT_TOKEN")
    bot = TolerantBot(
        token=settings.telegram_bot_token.get_secret_value(),
        base_url=settings.telegram_base_url,
        request=AiohttpRequest(CONNECTIONS, settings.bot_api_timeout_seconds,
                               settings.bot_api_timeout_seconds),
        get_updates_request=AiohttpRequest(1, settings.bot_api_timeout_seconds,
                                           settings.bot_api_timeout_seconds),
        rate_limiter=AIORateLimiter(max_retries=SEND_RETRIES) if settings.rate_limit else None,
    )
    app = (
        Application.builder()
        .bot(bot)
        .context_types(CONTEXT_TYPES)
        .concurrent_updates(True)
        .post_init(_post_init)
        .post_stop(_post_stop)
        .post_shutdown(_post_shutdown)
        .build()
    )
    if isinstance(engine, Engine):
        engine = LiveEngine(engine, settings, engine.embedder)
    store = store or SQLiteStore(settings.database_path,
                                 retention_days=settings.retention_days)
    app.bot_data.provide(
        engine=engine,
        store=store,
        hasher=make_hasher(settings.user_id_salt.get_secret_value(), store),
        # questions wait here for the (batching) embedder; threads mostly sleep on it
        executor=ThreadPoolExecutor(settings.answer_threads, thread_name_prefix="answer"),
        admins=frozenset(settings.admin_ids),
        flood=flood.UserRateLimiter(settings.flood_max_questions,
                                    settings.flood_window_seconds,
                                    **({"clock": clock} if clock is not None else {})),
        max_update_age=settings.max_update_age_seconds,
        reload_check_seconds=settings.reload_check_seconds,
        timezone=settings.zone(),
        inline_flood=flood.UserRateLimiter(
            settings.flood_max_questions * flood.INLINE_QUERIES_PER_QUESTION,
            settings.flood_window_seconds),
        retention_days=settings.retention_days,
        link_ttl_days=settings.link_ttl_days,
        metrics_path=settings.metrics_path,
    )
    app.bot_data.quiz = quiz.load(settings.corpus_dir, engine.current)
    app.bot_data.conversations = Conversations(settings.conversation_max,
                                               settings.conversation_idle_minutes * 60)

    app.add_handler(TypeHandler(Update, ops.drop_stale), group=-1)
    app.add_handlers([
        CommandHandler("start", handlers.start, filters=MESSAGES),
        CommandHandler("help", handlers.help_command, filters=MESSAGES),
        CommandHandler("about", handlers.about, filters=MESSAGES),
        CommandHandler("abstrak", handlers.abstract_id, filters=MESSAGES),
        CommandHandler("abstract", handlers.abstract_en, filters=MESSAGES),
        CommandHandler(["bahasa", "language"], handlers.language_command, filters=MESSAGES),
        CommandHandler(["ask", "tanya"], handlers.ask_command, filters=MESSAGES),
        CommandHandler(["cite", "sitasi"], handlers.cite_command, filters=MESSAGES),
        CommandHandler("forget", handlers.forget, filters=MESSAGES),
        CommandHandler("link", handlers.link_command, filters=MESSAGES),
        CommandHandler(["kuis", "quiz"], quiz.quiz_command, filters=MESSAGES),
        CommandHandler(["hasil", "results"], quiz.results_command, filters=MESSAGES),
        CommandHandler("stats", handlers.stats, filters=MESSAGES & PRIVATE),
        CommandHandler("reload", ops.reload_command, filters=MESSAGES & PRIVATE),
        MessageHandler(MESSAGES & PRIVATE & filters.COMMAND, handlers.unknown_command),
        MessageHandler(MESSAGES & PRIVATE & filters.TEXT, handlers.private_text),
        MessageHandler(MESSAGES & GROUPS & filters.TEXT & ~filters.COMMAND, handlers.group_text),
        MessageHandler(MESSAGES & PRIVATE & ~filters.TEXT & ~filters.StatusUpdate.ALL,
                       handlers.non_text),
        CallbackQueryHandler(handlers.button),
        InlineQueryHandler(handlers.inline_query),
        ChosenInlineResultHandler(handlers.chosen_inline_result),
        PollAnswerHandler(quiz.poll_answer),
    ])
    app.add_error_handler(ops.on_error)
    return app


def run(settings: BotSettings, engine: Engine, store: Store | None = None) -> int:
    """Serve until SIGINT/SIGTERM (exit 0) or until another instance takes over (exit 3)."""
    app = build_application(settings, engine, store)
    loop = asyncio.new_event_loop()  # run_polling takes the current loop: the same one
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(boot.initialize_retrying(app))
    except BaseException:  # a rejected token, Ctrl-C/SIGTERM while retrying: nothing left open
        # (a signal may land outside the retrying coroutine, so its own clean-up never ran)
        loop.run_until_complete(boot.close_requests(app))
        loop.run_until_complete(_post_shutdown(app))
        loop.close()
        raise
    try:
        if settings.bot_mode == "webhook":
            from bot.telegram.webhook import run_webhook

            loop.run_until_complete(run_webhook(app, settings))
        else:
            app.run_polling(allowed_updates=Update.ALL_TYPES,
                            stop_signals=(signal.SIGINT, signal.SIGTERM))
    except BaseException:
        if not loop.is_closed():  # failed outside python-telegram-bot's own clean-up
            loop.run_until_complete(_shut_down(app))
        raise
    finally:
        if not loop.is_closed():
            loop.close()
    return app.bot_data.exit_code or 0


async def _shut_down(app: App) -> None:
    """Close what start-up opened (sessions, storage, threads) after a failure."""
    try:
        if app.running:
            await app.stop()
        await app.shutdown()
    except Exception:  # noqa: BLE001 - best effort: the failure itself is being reported
        logger.debug("shutting down after a failure failed", exc_info=True)
    await boot.close_requests(app)
    await _post_shutdown(app)
