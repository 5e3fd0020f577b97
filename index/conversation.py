"""Conversations: the last few turns of a chat, so that follow-ups can be understood.

"lanjut", "in English please" or "kenapa itu penting?" mean nothing alone. A
:class:`Conversation` keeps what the previous answers showed; :class:`Conversations` keeps one
per chat (private chat, group reply thread, ``ask`` conversation id, terminal session),
bounded in number and forgotten after an idle time, so memory stays flat over a semester.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

MAX_TURNS = 4  # follow-ups refer to the last answer or two; older turns only cost memory
DEFAULT_MAX_CONVERSATIONS = 10_000  # a few KB each: a whole university at once
DEFAULT_IDLE_SECONDS = 30 * 60  # a student who comes back after half an hour starts afresh


@dataclass(frozen=True)
class Turn:
    """What one answer was about, as far as a follow-up needs to know."""

    question: str  # normalised text that was searched (after resolving a follow-up)
    language: str  # of the reply
    kind: str
    detail: str | None  # summary/conclusion, citation style, not_stated field, smalltalk act
    ranked: tuple[str, ...]  # passage ids, best first, of the search behind the answer
    shown: tuple[str, ...]  # passage ids the student has seen in this topic
    latest: int = 1  # how many of ``shown`` (its last ones) the last reply showed


@dataclass
class Conversation:
    """The recent turns of one chat. Each has its own lock: two quick messages of one chat
    are understood in order."""

    turns: deque[Turn] = field(default_factory=lambda: deque(maxlen=MAX_TURNS))
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    last_seen: float = 0.0

    @property
    def last(self) -> Turn | None:
        return self.turns[-1] if self.turns else None

    def add(self, turn: Turn) -> None:
        self.turns.append(turn)


class Conversations:
    """Conversations by key, least recently used dropped first. Thread-safe."""

    def __init__(self, max_conversations: int = DEFAULT_MAX_CONVERSATIONS,
                 idle_seconds: float = DEFAULT_IDLE_SECONDS,
                 clock: Callable[[], float] = time.monotonic):
        self.max_conversations = max_conversations
        self.idle_seconds = idle_seconds
        self.clock = clock
        self._items: OrderedDict[Hashable, Conversation] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Conversation:
        """The conversation for ``key``: the ongoing one, or a new one after the idle time."""
        now = self.clock()
        with self._lock:
            conversation = self._items.pop(key, None)
            if conversation is None or now - conversation.last_seen > self.idle_seconds:
                conversation = Conversation()
            conversation.last_seen = now
            self._items[key] = conversation
            while len(self._items) > self.max_conversations:
                self._items.popitem(last=False)
            return conversation

    def forget(self, key: Hashable) -> None:
        with self._lock:
            self._items.pop(key, None)

    def __len__(self) -> int:
        return len(self._items)
