"""Assembles the Telegram application (one place) and runs it with long polling."""

from __future__ import annotations

import logging

from telegram import BotCommand, Update
from telegram.ext import (Application, CallbackQueryHandler, CommandHandler, InlineQueryHandler,
                          MessageHandler, filters)

from bot import handlers
from bot.i18n import COMMANDS
from bot.preferences import Preferences
from bot.settings import BotSettings
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


async def _close_preferences(app: Application) -> None:
    app.bot_data[handlers.PREFERENCES].close()


def build_application(settings: BotSettings, engine: Engine,
                      preferences: Preferences | None = None) -> Application:
    """The bot, ready to run: handlers, error handler, dependencies in ``bot_data``."""
    token = settings.telegram_bot_token.get_secret_value()
    app = (
        Application.builder()
        .token(token)
        .base_url(settings.telegram_base_url)
        .concurrent_updates(True)
        .post_init(_register_commands)
        .post_shutdown(_close_preferences)
        .build()
    )
    app.bot_data[handlers.ENGINE] = engine
    app.bot_data[handlers.PREFERENCES] = preferences or Preferences(
        settings.database_path, settings.user_id_salt.get_secret_value())
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
