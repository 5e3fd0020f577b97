"""Operations: hot index reload (watcher and /reload), stale backlog, a second instance."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging

from telegram import Update
from telegram.error import Conflict, TelegramError
from telegram.ext import ApplicationHandlerStop

from bot import storage
from bot.i18n import t
from bot.telegram import handlers
from bot.telegram.services import App, Context
from index.live import ReloadResult

logger = logging.getLogger(__name__)

EXIT_CONFLICT = 3  # another instance polls with this token


async def drop_stale(update: Update, context: Context) -> None:
    """Runs before every handler: questions older than MAX_UPDATE_AGE_SECONDS (a backlog piled
    up while the bot was down) are not answered."""
    message = update.effective_message
    if message is None or message.date is None:
        return
    age = (dt.datetime.now(dt.timezone.utc) - message.date).total_seconds()
    if age > context.bot_data.max_update_age:
        logger.info("skipping an update %.0f s old", age)
        raise ApplicationHandlerStop


async def notify_admins(app: App, result: ReloadResult) -> None:
    for admin in app.bot_data.admins:
        key = "reload_refused" if result.error else "reload_ok"
        try:
            await app.bot.send_message(admin, t("en", key, detail=result.describe()))
        except TelegramError as exc:
            logger.warning("could not tell admin about the reload: %s", type(exc).__name__)


async def reload_index(app: App, force: bool = False) -> ReloadResult:
    live = app.bot_data.engine
    result = await asyncio.to_thread(live.reload, force)
    if result.changed or result.error:
        await notify_admins(app, result)
    return result


async def watch_index(app: App, every: float) -> None:
    """Notice a new build (INDEX_DIR/current moved) and load it; forever, until cancelled."""
    live = app.bot_data.engine
    while True:
        await asyncio.sleep(every)
        try:
            if await asyncio.to_thread(live.has_new_build):
                await reload_index(app)
        except Exception:  # noqa: BLE001 - the watcher must outlive any one failure
            logger.exception("index watcher failed; trying again later")


async def purge_old_rows(app: App) -> None:
    """Retention: delete rows older than RETENTION_DAYS at start-up and then every
    PURGE_EVERY_SECONDS, whether or not anyone asks (it used to run only on a new question);
    forever, until cancelled."""
    services = app.bot_data
    days = services.retention_days
    if days is None:  # rows are kept
        return
    while True:
        try:
            deleted = await asyncio.to_thread(services.store.purge, days)
            if deleted:
                logger.info("retention: deleted %d rows older than %g days", deleted, days)
        except Exception as exc:  # noqa: BLE001 - e.g. locked by another process: next time
            logger.warning("retention could not run (%s); trying again later",
                           type(exc).__name__)
        await asyncio.sleep(storage.PURGE_EVERY_SECONDS)


async def reload_command(update: Update, context: Context) -> None:
    """/reload for admins: load the current build now (the watcher does it by itself too)."""
    user = update.effective_user
    if not user or user.id not in context.bot_data.admins:
        await handlers.unknown_command(update, context)
        return
    result = await reload_index(context.application, force=True)
    await handlers.message_of(update).reply_text(result.describe())


async def on_error(update: object, context: Context) -> None:
    """A second instance polling with this token (409 Conflict): log once, critically, and
    exit non-zero instead of fighting forever. Everything else: the usual error handler."""
    if isinstance(context.error, Conflict):
        if context.bot_data.exit_code is None:
            context.bot_data.exit_code = EXIT_CONFLICT
            logger.critical("another instance is polling with this bot token (409 Conflict); "
                            "stopping this one")
            context.application.stop_running()
        return
    await handlers.on_error(update, context)
