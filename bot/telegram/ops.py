"""Operations: hot index reload (watcher and /reload), stale backlog, a second instance."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging

from telegram import Update
from telegram.error import Conflict, TelegramError
from telegram.ext import Application, ApplicationHandlerStop, ContextTypes

from bot.telegram import handlers
from bot.i18n import t
from index.live import LiveEngine, ReloadResult

logger = logging.getLogger(__name__)

MAX_AGE = "max_update_age"
EXIT_CODE = "exit_code"
WATCHER = "index_watcher"


async def drop_stale(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Runs before every handler: questions older than MAX_UPDATE_AGE_SECONDS (a backlog piled
    up while the bot was down) are not answered."""
    message = update.effective_message
    if message is None or message.date is None:
        return
    age = (dt.datetime.now(dt.timezone.utc) - message.date).total_seconds()
    if age > context.bot_data[MAX_AGE]:
        logger.info("skipping an update %.0f s old", age)
        raise ApplicationHandlerStop


async def notify_admins(app: Application, result: ReloadResult) -> None:
    for admin in app.bot_data[handlers.ADMINS]:
        key = "reload_refused" if result.error else "reload_ok"
        try:
            await app.bot.send_message(admin, t("en", key, detail=result.describe()))
        except TelegramError as exc:
            logger.warning("could not tell admin about the reload: %s", type(exc).__name__)


async def reload_index(app: Application, force: bool = False) -> ReloadResult:
    live: LiveEngine = app.bot_data[handlers.ENGINE]
    result = await asyncio.to_thread(live.reload, force)
    if result.changed or result.error:
        await notify_admins(app, result)
    return result


async def watch_index(app: Application, every: float) -> None:
    """Notice a new build (INDEX_DIR/current moved) and load it; forever, until cancelled."""
    live: LiveEngine = app.bot_data[handlers.ENGINE]
    while True:
        await asyncio.sleep(every)
        try:
            if await asyncio.to_thread(live.has_new_build):
                await reload_index(app)
        except Exception:  # noqa: BLE001 - the watcher must outlive any one failure
            logger.exception("index watcher failed; trying again later")


async def reload_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/reload for admins: load the current build now (the watcher does it by itself too)."""
    user = update.effective_user
    if not user or user.id not in context.bot_data[handlers.ADMINS]:
        await handlers.unknown_command(update, context)
        return
    result = await reload_index(context.application, force=True)
    await update.effective_message.reply_text(result.describe())


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A second instance polling with this token (409 Conflict): log once, critically, and
    exit non-zero instead of fighting forever. Everything else: the usual error handler."""
    if isinstance(context.error, Conflict):
        if context.bot_data.get(EXIT_CODE) is None:
            context.bot_data[EXIT_CODE] = 3
            logger.critical("another instance is polling with this bot token (409 Conflict); "
                            "stopping this one")
            context.application.stop_running()
        return
    await handlers.on_error(update, context)
