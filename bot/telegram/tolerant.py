"""A Bot that survives malformed updates.

python-telegram-bot parses a whole ``getUpdates`` batch at once; one update it cannot parse
raises (``KeyError`` and the like, not a ``TelegramError``), which kills the polling loop, and
the same batch would come back forever. This bot parses each update of a batch on its own: one
that does not parse is logged (its id only: updates carry students' messages) and replaced by
an empty update with the same id, so the offset moves past it and no handler sees it.

Each update is parsed once: ``_post`` hands the parsed batch to ``get_updates`` beside
python-telegram-bot's own parsing, which it gives an empty list (so at DEBUG level
python-telegram-bot logs "No new updates found." for every batch; our own line follows).
"""

from __future__ import annotations

import contextvars
import logging
from typing import Any

from telegram import Update
from telegram.ext import ExtBot

logger = logging.getLogger(__name__)

_BATCH: contextvars.ContextVar[list[Update] | None] = contextvars.ContextVar("batch",
                                                                           default=None)


class TolerantBot(ExtBot):
    async def get_updates(self, *args: Any, **kwargs: Any) -> tuple[Update, ...]:
        batch: list[Update] = []
        token = _BATCH.set(batch)
        try:
            await super().get_updates(*args, **kwargs)  # parses nothing: _post kept the batch
        finally:
            _BATCH.reset(token)
        for update in batch:
            self.insert_callback_data(update)
        if batch:
            logger.debug("received updates %s", [u.update_id for u in batch])
        return tuple(batch)

    async def _post(self, endpoint: str, data=None, **kwargs: Any) -> Any:
        result = await super()._post(endpoint, data, **kwargs)
        batch = _BATCH.get()
        if endpoint != "getUpdates" or batch is None or not isinstance(result, list):
            return result
        batch.extend(self._parsed(raw) for raw in result
                     if isinstance(raw, dict) and isinstance(raw.get("update_id"), int))
        return []

    def _parsed(self, raw: dict) -> Update:
        try:
            return Update.de_json(raw, self)
        except Exception as exc:  # noqa: BLE001 - whatever the parser chokes on
            logger.warning("skipping malformed update %s (%s)", raw["update_id"],
                           type(exc).__name__)
            return Update.de_json({"update_id": raw["update_id"]}, self)
