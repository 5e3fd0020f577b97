"""Assembles the Telegram application (one place) and runs it with long polling."""

from __future__ import annotations

import logging

from telegram import BotCommand, Update
from telegram.ext import (Application, CallbackQueryHandler, CommandHandler, InlineQueryHandler,
                          MessageHandler, filters)

from bot import handlers
from bot.i18n import COMMANDS
from bot.settings import BotSettings
from bot.storage import SQLiteStore, Store, UserHasher
from index.answer import Engine

logger = logging.getLogger(__name__)

MESSAGES = filters.UpdateType.MESSAGE  # new messages only: edits are not new questions
PRIVATE = filters.ChatType.PRIVATE
GROUPS = filters.ChatType.GROUPS


async def _register_commands(app: Application) -> None:
    """The command menu, in Indonesian (also the default) and English."""
    for language, commands in COMMANDS.items():
        menu = [BotCommand(name, description) for name, description in commands]
        await app.bot.set_my_commands(menu, language_code=language)
        if language == "id":
            await app.bot.set_my_commands(menu)
    logger.info("serving as @%s", app.bot.username)


async def _close_store(app: Application) -> None:
    app.bot_data[handlers.STORE].close()


def build_application(settings: BotSettings, engine: Engine,
                      store: Store | None = None) -> Application:
    """The bot, ready to run: handlers, error handler, dependencies in ``bot_data``."""
    token = settings.telegram_bot_token.get_secret_value()
    app = (
        Application.builder()
        .token(token)
        .base_url(settings.telegram_base_url)
        .concurrent_updates(True)
        .post_init(_register_commands)
        .post_shutdown(_close_store)
        .build()
    )
    app.bot_data[handlers.ENGINE] = engine
    app.bot_data[handlers.STORE] = store or SQLiteStore(settings.database_path,
                                                        retention_days=settings.retention_days)
    app.bot_data[handlers.HASHER] = UserHasher(settings.user_id_salt.get_secret_value())
    app.bot_data[handlers.ADMINS] = frozenset(settings.admin_ids)
    app.bot_data[handlers.METRICS] = handlers.Metrics()

    command = {"filters": MESSAGES}
    app.add_handlers([
        CommandHandler("start", handlers.start, **command),
        CommandHandler("help", handlers.help_command, **command),
        CommandHandler("about", handlers.about, **command),
        CommandHandler("abstrak", handlers.abstract_id, **command),
        CommandHandler("abstract", handlers.abstract_en, **command),
        CommandHandler(["bahasa", "language"], handlers.language_command, **command),
        CommandHandler(["ask", "tanya"], handlers.ask_command, **command),
        CommandHandler("forget", handlers.forget, **command),
        CommandHandler("stats", handlers.stats, filters=MESSAGES & PRIVATE),
        MessageHandler(MESSAGES & PRIVATE & filters.COMMAND, handlers.unknown_command),
        MessageHandler(MESSAGES & PRIVATE & filters.TEXT, handlers.private_text),
        MessageHandler(MESSAGES & GROUPS & filters.TEXT & ~filters.COMMAND, handlers.group_text),
        MessageHandler(MESSAGES & PRIVATE & ~filters.TEXT & ~filters.StatusUpdate.ALL,
                       handlers.non_text),
        CallbackQueryHandler(handlers.button),
        InlineQueryHandler(handlers.inline_query),
    ])
    app.add_error_handler(handlers.on_error)
    return app


def run(settings: BotSettings, engine: Engine) -> int:
    """Long polling until SIGINT/SIGTERM."""
    app = build_application(settings, engine)
    app.run_polling(allowed_updates=Update.ALL_TYPES)
    return 0
