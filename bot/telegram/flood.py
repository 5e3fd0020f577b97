"""Per-student flood control: a student sending many questions quickly gets one "slow down"
notice and their extra questions are dropped, so they cannot starve the others. (Telegram's
own send limits are python-telegram-bot's AIORateLimiter's job, see bot/telegram/app.py.)"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

from telegram import Message, User

from bot.i18n import language_of, t

# Inline queries arrive as the student types (one per pause): allow this many per question
INLINE_QUERIES_PER_QUESTION = 5
MAX_TRACKED = 50_000  # students remembered at once; the idle ones are forgotten first


class UserRateLimiter:
    """At most ``max_questions`` per ``window`` seconds per key (sliding window)."""

    def __init__(self, max_questions: int, window: float,
                 clock: Callable[[], float] = time.monotonic):
        self.max_questions = max_questions
        self.window = window
        self._clock = clock
        self._seen: dict[str, deque[float]] = {}
        self._notified: dict[str, float] = {}

    def check(self, key: str) -> str:
        """"ok" (go ahead), "notify" (over the limit: tell them once), or "drop"."""
        now = self._clock()
        times = self._seen.setdefault(key, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        if len(times) < self.max_questions:
            times.append(now)
            self._forget_idle(now)
            return "ok"
        if now - self._notified.get(key, -1e18) >= self.window:
            self._notified[key] = now
            return "notify"
        return "drop"

    def _forget_idle(self, now: float) -> None:
        if len(self._seen) <= MAX_TRACKED:
            return
        for key in [k for k, v in self._seen.items() if not v or v[-1] <= now - self.window]:
            self._seen.pop(key, None)
            self._notified.pop(key, None)


def sender_key(message: Message | None, user: User | None) -> str:
    """Who sent it, for flood limits: anonymous group admins and channels all arrive from
    one shared account (GroupAnonymousBot, Channel_Bot); they are told apart by the chat
    they speak as (``sender_chat``)."""
    if message is not None and message.sender_chat is not None:
        return f"chat:{message.sender_chat.id}"
    if user is not None:
        return str(user.id)
    return f"chat:{message.chat_id}" if message is not None else "unknown"


async def allow(limiter: UserRateLimiter | None, message: Message, user: User | None) -> bool:
    """True if this student may ask now (always, without a limiter); else maybe one notice,
    and False."""
    if limiter is None:
        return True
    key = sender_key(message, user)
    verdict = limiter.check(key)
    if verdict == "notify":
        await message.reply_text(t(language_of(user.language_code if user else None),
                                   "slow_down"))
    return verdict == "ok"
