"""A Bot that survives malformed updates.

python-telegram-bot parses a whole ``getUpdates`` batch at once; one update it cannot parse
raises (``KeyError`` and the like, not a ``TelegramError``), which kills the polling loop, and
the same batch would come back forever. This bot checks each update of a batch: one that
does not parse is logged (its id only: updates carry students' messages) and replaced by an
empty update with the same id, so the offset moves past it and no handler sees it.
"""

from __future__ import annotations

import copy
import logging
from typing import Any

from telegram import Update
from telegram.ext import ExtBot

logger = logging.getLogger(__name__)


class TolerantBot(ExtBot):
    async def _post(self, endpoint: str, data=None, **kwargs: Any) -> Any:
        result = await super()._post(endpoint, data, **kwargs)
        if endpoint != "getUpdates" or not isinstance(result, list):
            return result
        return [self._checked(raw) for raw in result
                if isinstance(raw, dict) and isinstance(raw.get("update_id"), int)]

    def _checked(self, raw: dict) -> dict:
        try:
            Update.de_json(copy.deepcopy(raw), self)
        except Exception as exc:  # noqa: BLE001 - whatever the parser chokes on
            logger.warning("skipping malformed update %s (%s)", raw["update_id"],
                           type(exc).__name__)
            return {"update_id": raw["update_id"]}
        return raw
