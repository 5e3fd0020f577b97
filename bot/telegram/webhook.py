"""Webhook mode: Telegram posts updates to us instead of us polling.

python-telegram-bot's own webhook server (its ``webhooks`` extra, tornado) has no room for a
health check, so this module serves the same thing on tornado with two routes:

* ``POST /<WEBHOOK_PATH>``: an update from Telegram. Without the right
  ``X-Telegram-Bot-Api-Secret-Token`` header: 403, and nothing is processed.
* ``GET /healthz``: 200 with the index version and passage count when the index is loaded,
  503 otherwise.

Behind a reverse proxy (see docs/operations.md), bind to 127.0.0.1 and let the proxy terminate TLS.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import signal

import tornado.httpserver
import tornado.web
from telegram import Update

from bot.settings import BotSettings
from bot.telegram import boot
from bot.telegram.services import App

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1_000_000  # an update is a few kB; refuse anything absurd


class TelegramUpdateHandler(tornado.web.RequestHandler):
    def initialize(self, app: App, secret: str) -> None:
        self.app, self.secret = app, secret

    async def post(self) -> None:
        given = self.request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            logger.warning("webhook request without the right secret token: refused")
            self.set_status(403)
            return
        update = None
        try:
            data = json.loads(self.request.body)
            if isinstance(data, dict) and isinstance(data.get("update_id"), int):
                update = Update.de_json(data, self.app.bot)
        except Exception:  # noqa: BLE001 - whatever the body, it must not be redelivered
            update = None
        if update is None:
            # 200 and skip, as polling does: any other status makes Telegram send it again
            logger.warning("webhook request with a malformed update: skipped")
            self.set_status(200)
            return
        await self.app.update_queue.put(update)
        self.set_status(200)

    def get(self) -> None:
        self.set_status(405)


class HealthHandler(tornado.web.RequestHandler):
    def initialize(self, app: App) -> None:
        self.app = app

    def get(self) -> None:
        engine = self.app.bot_data.engine.current
        ok = engine.passage_count > 0
        self.set_status(200 if ok else 503)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({
            "status": "ok" if ok else "no index",
            "index": engine.version,
            "passages": engine.passage_count,
            "running": self.app.running,
        }))


def _secret(settings: BotSettings) -> str:
    """WEBHOOK_SECRET (the settings refuse webhook mode without one)."""
    if settings.webhook_secret is None:
        raise ValueError("webhook mode needs WEBHOOK_SECRET")
    return settings.webhook_secret.get_secret_value()


def make_web_app(app: App, settings: BotSettings) -> tornado.web.Application:
    secret = _secret(settings)
    path = "/" + settings.webhook_path.strip("/")
    return tornado.web.Application([
        (path, TelegramUpdateHandler, {"app": app, "secret": secret}),
        (r"/healthz", HealthHandler, {"app": app}),
    ])


async def run_webhook(app: App, settings: BotSettings,
                      stop: asyncio.Event | None = None) -> None:
    """Serve until SIGINT/SIGTERM (or ``stop`` is set); in-flight updates finish first."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):  # not the main thread (tests)
            pass
    server = tornado.httpserver.HTTPServer(make_web_app(app, settings),
                                           max_body_size=MAX_BODY)
    await boot.initialize_retrying(app)  # `async with` then finds it initialised
    async with app:
        if app.post_init:
            await app.post_init(app)
        await app.bot.set_webhook(settings.webhook_url.rstrip("/") + "/" +
                                  settings.webhook_path.strip("/"),
                                  secret_token=_secret(settings),
                                  allowed_updates=Update.ALL_TYPES)
        await app.start()
        server.listen(settings.webhook_port, settings.webhook_listen)
        logger.info("webhook server on %s:%d", settings.webhook_listen, settings.webhook_port)
        try:
            await stop.wait()
        finally:
            server.stop()
            await app.stop()
            if app.post_stop:
                await app.post_stop(app)
    if app.post_shutdown:
        await app.post_shutdown(app)
