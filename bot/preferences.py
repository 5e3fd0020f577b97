"""Per-user answer language (/bahasa), kept in SQLite so it survives restarts.

Users are stored by a salted hash of their Telegram id, never by id, name or username.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path

CHOICES = ("auto", "id", "en")


class Preferences:
    def __init__(self, path: Path, salt: str = ""):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._salt = salt
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS user_language "
                         "(user_hash TEXT PRIMARY KEY, language TEXT NOT NULL)")
        self._cache: dict[str, str] = dict(
            self._db.execute("SELECT user_hash, language FROM user_language").fetchall())

    def user_hash(self, user_id: int) -> str:
        return hashlib.sha256(f"{self._salt}:{user_id}".encode()).hexdigest()

    def language(self, user_id: int) -> str:
        """"auto", "id" or "en"."""
        return self._cache.get(self.user_hash(user_id), "auto")

    def set_language(self, user_id: int, choice: str) -> None:
        if choice not in CHOICES:
            raise ValueError(f"unknown language choice {choice!r}")
        key = self.user_hash(user_id)
        with self._lock:
            if choice == "auto":
                self._db.execute("DELETE FROM user_language WHERE user_hash = ?", (key,))
                self._cache.pop(key, None)
            else:
                self._db.execute("INSERT INTO user_language VALUES (?, ?) ON CONFLICT(user_hash) "
                                 "DO UPDATE SET language = excluded.language", (key, choice))
                self._cache[key] = choice

    def close(self) -> None:
        with self._lock:
            self._db.close()
