"""What the bot keeps: questions and answers, votes, deep links, per-user language.

:class:`Store` is the small interface handlers and reports use; :class:`SQLiteStore` is the
default implementation (WAL mode, schema created and migrated on open, safe for several bot
processes writing at once). A server database can be plugged in by implementing ``Store``.

Privacy: users are known only by a salted hash of their Telegram id (:class:`UserHasher`);
no names or usernames are stored. Rows older than the retention period are deleted.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import secrets
import sqlite3
import string
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from bot.settings import DAY_SECONDS

LANGUAGE_CHOICES = ("auto", "id", "en")
LINK_ID_CHARS = string.ascii_letters + string.digits
LINK_ID_LENGTH = 10  # 62^10 ids: not guessable by trying
PURGE_EVERY_SECONDS = 3600  # retention is enforced at most hourly, on writes
BUSY_TIMEOUT_MS = 10_000  # another process holding the write lock: wait, don't fail
MIN_SALT_CHARS = 16  # below this a salt can be guessed along with the ids
SALT_BYTES = 32  # the generated salt: 256 random bits

Clock = Callable[[], float]
logger = logging.getLogger(__name__)


class UserHasher:
    """Salted SHA-256 of a Telegram user id: stable per salt, not reversible without it."""

    def __init__(self, salt: str):
        self._salt = salt.encode()

    def __call__(self, user_id: int) -> str:
        return hashlib.sha256(self._salt + b":" + str(user_id).encode()).hexdigest()


def make_hasher(configured_salt: str, store: Store) -> UserHasher:
    """The hasher for user ids: USER_ID_SALT if set (with a loud warning if it is short),
    else the random salt the database keeps (made on first start). Without a secret salt,
    hashing every id up to a few million recovers real Telegram ids in seconds."""
    if configured_salt:
        if len(configured_salt) < MIN_SALT_CHARS:
            logger.warning("USER_ID_SALT is only %d characters: stored user hashes can be "
                           "reversed by trying every Telegram id; use %d or more random "
                           "characters (see docs/privacy.md to rotate it)",
                           len(configured_salt), MIN_SALT_CHARS)
        return UserHasher(configured_salt)
    return UserHasher(store.user_salt())


@dataclass(frozen=True)
class Interaction:
    """One question and what the bot did with it."""

    user_hash: str
    chat_type: str  # "private", "group", "supergroup", "inline"
    source: str  # "message", "command", "mention", "reply", "suggestion", "deep_link", "inline"
    language: str
    question: str
    answered: bool
    reason: str | None = None
    passage_id: str | None = None
    document: str | None = None
    score: float | None = None
    at: float | None = None  # unix seconds; the store's clock if None
    answer: str | None = None  # the text the student was shown (passage or refusal)
    chat_hash: str | None = None  # the chat it was answered in: only votes from there count


@dataclass(frozen=True)
class StoredInteraction(Interaction):
    at: float = 0.0  # unix seconds: always known once stored
    id: int = 0
    up: int = 0  # 👍 votes
    down: int = 0  # 👎 votes


@dataclass(frozen=True)
class QuizRound:
    """A round of quiz polls in one chat: a student's in private, a class's in a group."""

    chat_hash: str  # salted hash of the chat id (a private chat's is the student's user hash)
    chat_type: str  # "private", "group", "supergroup"
    language: str
    seed: int
    items: tuple[str, ...]  # quiz item ids, in the order they are asked
    user_hash: str | None = None  # the student of a private round; None in a group
    at: float | None = None
    id: int = 0


@dataclass(frozen=True)
class QuizPoll:
    """One quiz poll as sent: the options as shown and which one is right."""

    poll_id: str  # Telegram's id of the poll
    round_id: int
    position: int  # 0-based within the round
    item_id: str
    passage_id: str  # the sentence the item cites
    question: str
    options: tuple[str, ...]
    correct: int
    message_id: int | None = None  # the poll's message in its chat (to stop it); no chat id


@dataclass(frozen=True)
class QuizAnswer:
    """One student's choice in one poll, with the poll it answers."""

    poll: QuizPoll
    user_hash: str
    option: int
    at: float

    @property
    def correct(self) -> bool:
        return self.option == self.poll.correct


class Store(Protocol):
    def language(self, user_hash: str) -> str: ...
    def set_language(self, user_hash: str, choice: str) -> None: ...
    def record(self, interaction: Interaction) -> int: ...
    def vote(self, interaction_id: int, user_hash: str, value: int,
             chat_hash: str | None = None, message_id: int | None = None) -> str: ...
    def shown_in(self, interaction_id: int, message_id: int) -> None: ...
    def forget(self, user_hash: str) -> int: ...
    def purge(self, older_than_days: float) -> int: ...
    def put_link(self, question: str, language: str, ttl_days: float) -> str: ...
    def get_link(self, link_id: str) -> tuple[str, str] | None: ...
    def interactions(self, since: float, until: float) -> list[StoredInteraction]: ...
    def start_quiz(self, quiz_round: QuizRound) -> int: ...
    def add_quiz_poll(self, poll: QuizPoll) -> None: ...
    def quiz_poll(self, poll_id: str) -> QuizPoll | None: ...
    def quiz_round(self, round_id: int) -> QuizRound | None: ...
    def answer_quiz(self, poll_id: str, user_hash: str, option: int) -> bool: ...
    def latest_quiz_round(self, chat_hash: str) -> QuizRound | None: ...
    def quiz_polls(self, round_id: int) -> list[QuizPoll]: ...
    def quiz_answers(self, round_id: int | None = None, since: float | None = None,
                     until: float | None = None) -> list[QuizAnswer]: ...
    def seen_quiz_items(self, chat_hash: str) -> set[str]: ...
    def user_salt(self) -> str: ...
    def mark_served(self, username: str) -> None: ...
    def close(self) -> None: ...


MIGRATIONS = [
    # 1: the first schema
    """
    CREATE TABLE interactions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        user_hash TEXT NOT NULL,
        chat_type TEXT NOT NULL,
        source TEXT NOT NULL,
        language TEXT NOT NULL,
        question TEXT NOT NULL,
        answered INTEGER NOT NULL,
        reason TEXT,
        passage_id TEXT,
        document TEXT,
        score REAL
    );
    CREATE INDEX interactions_at ON interactions(at);
    CREATE INDEX interactions_user ON interactions(user_hash);
    CREATE TABLE votes (
        interaction_id INTEGER NOT NULL REFERENCES interactions(id) ON DELETE CASCADE,
        user_hash TEXT NOT NULL,
        value INTEGER NOT NULL CHECK (value IN (-1, 1)),
        at INTEGER NOT NULL,
        PRIMARY KEY (interaction_id, user_hash)
    );
    CREATE INDEX votes_user ON votes(user_hash);
    CREATE TABLE links (
        id TEXT PRIMARY KEY,
        question TEXT NOT NULL,
        language TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
    );
    CREATE TABLE preferences (
        user_hash TEXT PRIMARY KEY,
        language TEXT NOT NULL
    );
    """,
    # 2: secrets kept with the data (the salt of user hashes, made on first start)
    """
    CREATE TABLE secrets (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
    # 3: the answer as shown (for the lecturer's CSV); which bot uses this database
    """
    ALTER TABLE interactions ADD COLUMN answer TEXT;
    CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
    # 4: the chat an answer was shown in, so that a vote from another chat is refused
    """
    ALTER TABLE interactions ADD COLUMN chat_hash TEXT;
    """,
    # 5: class quizzes (rounds of quiz polls and the answers to them)
    """
    CREATE TABLE quiz_rounds (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        chat_hash TEXT NOT NULL,
        chat_type TEXT NOT NULL,
        user_hash TEXT,
        language TEXT NOT NULL,
        seed INTEGER NOT NULL,
        items TEXT NOT NULL
    );
    CREATE INDEX quiz_rounds_chat ON quiz_rounds(chat_hash, id);
    CREATE INDEX quiz_rounds_user ON quiz_rounds(user_hash);
    CREATE TABLE quiz_polls (
        poll_id TEXT PRIMARY KEY,
        round_id INTEGER NOT NULL REFERENCES quiz_rounds(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        item_id TEXT NOT NULL,
        passage_id TEXT NOT NULL,
        question TEXT NOT NULL,
        options TEXT NOT NULL,
        correct INTEGER NOT NULL,
        message_id INTEGER
    );
    CREATE INDEX quiz_polls_round ON quiz_polls(round_id, position);
    CREATE TABLE quiz_answers (
        poll_id TEXT NOT NULL REFERENCES quiz_polls(poll_id) ON DELETE CASCADE,
        user_hash TEXT NOT NULL,
        option INTEGER NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY (poll_id, user_hash)
    );
    CREATE INDEX quiz_answers_user ON quiz_answers(user_hash);
    CREATE INDEX quiz_answers_at ON quiz_answers(at);
    """,
    # the message an answer was shown in: only votes pressed on that message count
    """
    ALTER TABLE interactions ADD COLUMN message_id INTEGER;
    """,
]


def _elsewhere(stored: object, pressed: object) -> bool:
    """A button's place (chat hash, message id) differs from where its answer was shown."""
    return stored is not None and pressed is not None and stored != pressed


# the schema version that has the quiz tables (found, not hard-coded: migrations get renumbered)
QUIZ_SCHEMA = next(n for n, script in enumerate(MIGRATIONS, 1) if "quiz_rounds" in script)


# The oldest schema whose questions, votes and meta table the read-only reports can read
# (raise it when a migration changes what `interactions()` or `used()` read).
READABLE_SINCE = 3


class StoreError(Exception):
    """The database cannot be used; the message names the file and what to do."""


def _sqlite_reason(exc: sqlite3.Error) -> str:
    """SQLite's own words for what went wrong, without paths ("file is not a database")."""
    return str(exc).splitlines()[0][:80] or type(exc).__name__


class SQLiteStore:
    """The default :class:`Store`: one SQLite file in WAL mode.

    Writes go through one connection, one at a time. Reads (a user's language, a link, a
    report) use a connection per thread and never wait for a write: in WAL mode readers are
    not blocked by a writer, even one in another process holding the lock for long."""

    def __init__(self, path: Path, retention_days: float | None = None, clock: Clock = time.time):
        path = Path(path)
        self.path = path
        if path.is_dir():
            raise StoreError(f"DATABASE_PATH {path} is a folder, not a database file")
        self._clock = clock
        self._retention_days = retention_days
        self._last_purge = 0.0
        self._lock = threading.Lock()
        self._readers = threading.local()
        self._reader_list: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()
        self._read_only = False
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None,
                                       timeout=BUSY_TIMEOUT_MS / 1000)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"the database {path} cannot be opened "
                             f"({_reason(exc)}): check DATABASE_PATH") from None
        try:
            self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._db.execute("PRAGMA foreign_keys = ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self._db.close()
            if "not a database" in str(exc) or "malformed" in str(exc):
                raise StoreError(f"{path} is not an SQLite database or is damaged: check "
                                 "DATABASE_PATH (restore it from a backup, or move it away "
                                 "to start afresh)") from None
            raise StoreError(f"the database {path} cannot be used ({_reason(exc)}): check "
                             "DATABASE_PATH") from None
        except StoreError:
            self._db.close()
            raise

    def _connect_first(self, path: Path, uris: list[str]) -> int:
        """Connect with the first of ``uris`` that opens as a bot database; its schema
        version. Raises :class:`StoreError` when none does."""
        error = sqlite3.DatabaseError("no address to open")
        for attempt in uris:
            try:
                self._db = sqlite3.connect(attempt, uri=True, check_same_thread=False,
                                           isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
                self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                return self.schema_version
            except sqlite3.DatabaseError as exc:
                error = exc
                with contextlib.suppress(Exception):
                    self._db.close()
        raise StoreError(f"cannot read {path} as a bot database "
                         f"({_sqlite_reason(error)})") from None

    @classmethod
    def open_existing(cls, path: Path, readonly: bool = False,
                      clock: Clock = time.time) -> SQLiteStore:
        """A database a bot has already used, never created here (``link`` and ``report`` run
        on a laptop must not make an empty one the server's bot never sees). ``readonly``
        needs only read access to the file. Raises :class:`StoreError`."""
        path = Path(path)
        if not path.is_file():
            raise StoreError(f"no bot database at {path}")
        store = cls.__new__(cls)
        store._clock = clock
        store._retention_days = None
        store._last_purge = 0.0
        store._lock = threading.Lock()
        store.path = path
        store._readers = threading.local()
        store._reader_list = []
        store._readers_lock = threading.Lock()
        store._read_only = readonly
        uri = f"{path.resolve().as_uri()}?mode={'ro' if readonly else 'rw'}"
        # No bot running (no -wal file) and no right to create the -shm file next to the
        # database: read the file as it is, which is then safe.
        fallback = f"{uri}&immutable=1" if readonly and not Path(f"{path}-wal").exists() else None
        version = store._connect_first(path, [u for u in (uri, fallback) if u])
        try:
            store._accept_schema(version, readonly)
            if not store.used():
                raise StoreError(f"no bot has used {path} yet")
        except sqlite3.DatabaseError as exc:
            store._db.close()
            raise StoreError(f"cannot use {path} ({_sqlite_reason(exc)})") from None
        except StoreError:
            store._db.close()
            raise
        return store

    def _accept_schema(self, version: int, readonly: bool) -> None:
        """Use a database of schema ``version`` as it is, migrate it, or raise StoreError."""
        if version > len(MIGRATIONS):
            raise StoreError(f"{self.path} is from a newer version of the bot "
                             f"(schema {version})")
        if version == 0:
            raise StoreError(f"{self.path} is not a database a bot has used")
        if version == len(MIGRATIONS) or (readonly and version >= READABLE_SINCE):
            return  # when behind: a bot of the previous version still runs on it
        if readonly:
            raise StoreError(f"{self.path} is from an older version of the bot; start the "
                             "bot once to upgrade it")
        self._db.execute("PRAGMA foreign_keys = ON")
        self._migrate()

    def _reader(self) -> sqlite3.Connection:
        """This thread's read connection (made on first use)."""
        if self._read_only:
            return self._db
        db = getattr(self._readers, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None,
                                 timeout=BUSY_TIMEOUT_MS / 1000)
            db.execute("PRAGMA query_only = 1")
            self._readers.db = db
            with self._readers_lock:  # not the write lock: a blocked write must not stall reads
                self._reader_list.append(db)
        return db

    def _migrate(self) -> None:
        with self._transaction() as db:  # one process migrates, the others wait
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > len(MIGRATIONS):
                raise StoreError(
                    f"the database {self.path} has schema version {version}, newer than this "
                    f"code knows ({len(MIGRATIONS)}): run the newer version of the bot, or "
                    "use another DATABASE_PATH")
            for number, script in enumerate(MIGRATIONS[version:], version + 1):
                for statement in filter(str.strip, script.split(";")):
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {number}")

    @property
    def schema_version(self) -> int:
        return self._db.execute("PRAGMA user_version").fetchone()[0]

    @contextlib.contextmanager
    def _transaction(self):
        """One write transaction, taken at once (BEGIN IMMEDIATE: another process waits for
        the lock rather than failing halfway), committed or rolled back whole."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _write(self, sql: str, args: tuple = ()) -> sqlite3.Cursor:
        with self._lock:
            return self._db.execute(sql, args)

    def user_salt(self) -> str:
        """The random salt of user hashes kept in this database, made on first use (one
        process makes it; the others, waiting on the write lock, read the same one)."""
        with self._transaction() as db:
            row = db.execute("SELECT value FROM secrets WHERE name = 'user_id_salt'").fetchone()
            if row:
                return row[0]
            salt = secrets.token_hex(SALT_BYTES)
            db.execute("INSERT INTO secrets VALUES ('user_id_salt', ?)", (salt,))
            logger.info("made a random salt for user hashes, kept in the database")
            return salt

    # -- preferences ------------------------------------------------------------------------
    def language(self, user_hash: str) -> str:
        row = self._reader().execute("SELECT language FROM preferences WHERE user_hash = ?",
                                     (user_hash,)).fetchone()
        return row[0] if row else "auto"

    def set_language(self, user_hash: str, choice: str) -> None:
        if choice not in LANGUAGE_CHOICES:
            raise ValueError(f"unknown language choice {choice!r}")
        if choice == "auto":
            self._write("DELETE FROM preferences WHERE user_hash = ?", (user_hash,))
        else:
            self._write("INSERT INTO preferences VALUES (?, ?) ON CONFLICT(user_hash) DO UPDATE "
                        "SET language = excluded.language", (user_hash, choice))

    # -- questions and votes ------------------------------------------------------------------
    def record(self, interaction: Interaction) -> int:
        at = int(interaction.at if interaction.at is not None else self._clock())
        cursor = self._write(
            "INSERT INTO interactions (at, user_hash, chat_type, source, language, question, "
            "answered, reason, passage_id, document, score, answer, chat_hash) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (at, interaction.user_hash, interaction.chat_type, interaction.source,
             interaction.language, interaction.question, int(interaction.answered),
             interaction.reason, interaction.passage_id, interaction.document, interaction.score,
             interaction.answer, interaction.chat_hash))
        self._maybe_purge()
        if cursor.lastrowid is None:  # pragma: no cover - sqlite3 sets it after an INSERT
            raise sqlite3.Error("no row id after an INSERT")
        return cursor.lastrowid

    def vote(self, interaction_id: int, user_hash: str, value: int,
             chat_hash: str | None = None, message_id: int | None = None) -> str:
        """Record 👍 (+1) or 👎 (-1): "new", "changed", "same", or "unknown" (no such answer,
        or, given ``chat_hash`` and ``message_id``, one shown in another chat or message: a
        forged button)."""
        if value not in (-1, 1):
            raise ValueError("a vote is +1 or -1")
        with self._transaction() as db:
            row = db.execute("SELECT chat_hash, message_id FROM interactions WHERE id = ?",
                             (interaction_id,)).fetchone()
            if not row or _elsewhere(row[0], chat_hash) or _elsewhere(row[1], message_id):
                return "unknown"
            row = db.execute("SELECT value FROM votes WHERE interaction_id = ? AND user_hash = ?",
                             (interaction_id, user_hash)).fetchone()
            result = "new" if row is None else ("same" if row[0] == value else "changed")
            if result != "same":
                db.execute("INSERT INTO votes VALUES (?, ?, ?, ?) ON CONFLICT(interaction_id, "
                           "user_hash) DO UPDATE SET value = excluded.value, at = excluded.at",
                           (interaction_id, user_hash, value, int(self._clock())))
        return result

    def shown_in(self, interaction_id: int, message_id: int) -> None:
        """The answer was sent as message ``message_id`` (of the chat it was recorded in)."""
        with self._transaction() as db:
            db.execute("UPDATE interactions SET message_id = ? WHERE id = ?",
                       (message_id, interaction_id))

    # -- privacy ----------------------------------------------------------------------------
    def forget(self, user_hash: str) -> int:
        """Delete every row about this user (questions, their votes, votes they gave, settings)."""
        n = 0
        with self._transaction() as db:
            for sql in ("DELETE FROM votes WHERE user_hash = ?",
                        "DELETE FROM votes WHERE interaction_id IN "
                        "(SELECT id FROM interactions WHERE user_hash = ?)",
                        "DELETE FROM interactions WHERE user_hash = ?",
                        "DELETE FROM preferences WHERE user_hash = ?",
                        "DELETE FROM quiz_answers WHERE user_hash = ?",
                        "DELETE FROM quiz_answers WHERE poll_id IN (SELECT p.poll_id FROM "
                        "quiz_polls p JOIN quiz_rounds r ON r.id = p.round_id "
                        "WHERE r.user_hash = ?)",
                        "DELETE FROM quiz_polls WHERE round_id IN "
                        "(SELECT id FROM quiz_rounds WHERE user_hash = ?)",
                        "DELETE FROM quiz_rounds WHERE user_hash = ?"):
                n += db.execute(sql, (user_hash,)).rowcount
        return n

    def purge(self, older_than_days: float) -> int:
        """Delete questions and votes older than the retention period, and expired links."""
        now = self._clock()
        cutoff = int(now - older_than_days * DAY_SECONDS)
        with self._transaction() as db:
            n = db.execute("DELETE FROM votes WHERE at < ? OR interaction_id IN "
                           "(SELECT id FROM interactions WHERE at < ?)", (cutoff, cutoff)).rowcount
            n += db.execute("DELETE FROM interactions WHERE at < ?", (cutoff,)).rowcount
            n += db.execute("DELETE FROM quiz_answers WHERE at < ? OR poll_id IN (SELECT "
                            "p.poll_id FROM quiz_polls p JOIN quiz_rounds r ON r.id = p.round_id "
                            "WHERE r.at < ?)", (cutoff, cutoff)).rowcount
            n += db.execute("DELETE FROM quiz_polls WHERE round_id IN "
                            "(SELECT id FROM quiz_rounds WHERE at < ?)", (cutoff,)).rowcount
            n += db.execute("DELETE FROM quiz_rounds WHERE at < ?", (cutoff,)).rowcount
            n += db.execute("DELETE FROM links WHERE expires_at < ?", (int(now),)).rowcount
        self._last_purge = now
        return n

    def _maybe_purge(self) -> None:
        if self._retention_days is not None and self._clock() - self._last_purge >= PURGE_EVERY_SECONDS:
            self.purge(self._retention_days)

    # -- deep links -------------------------------------------------------------------------
    def put_link(self, question: str, language: str, ttl_days: float) -> str:
        now = int(self._clock())
        while True:
            link_id = "".join(secrets.choice(LINK_ID_CHARS) for _ in range(LINK_ID_LENGTH))
            try:
                self._write("INSERT INTO links VALUES (?, ?, ?, ?, ?)",
                            (link_id, question, language, now, now + int(ttl_days * DAY_SECONDS)))
                return link_id
            except sqlite3.IntegrityError:  # pragma: no cover - one in 62^10
                continue

    def get_link(self, link_id: str) -> tuple[str, str] | None:
        """(question, language) of a stored link, or None if unknown or expired."""
        row = self._reader().execute(
            "SELECT question, language, expires_at FROM links WHERE id = ?", (link_id,)
        ).fetchone()
        if row is None or row[2] < self._clock():
            return None
        return row[0], row[1]

    # -- which bot uses this database -------------------------------------------------------
    def mark_served(self, username: str) -> None:
        """Note that the bot @username serves from this database (at each start)."""
        with self._transaction() as db:
            for key, value in (("bot_username", username), ("served_at", str(int(self._clock())))):
                db.execute("INSERT INTO meta VALUES (?, ?) ON CONFLICT(key) DO UPDATE "
                           "SET value = excluded.value", (key, value))

    def served_by(self) -> str | None:
        """The @username of the bot that last started on this database, if any did."""
        row = self._reader().execute(
            "SELECT value FROM meta WHERE key = 'bot_username'").fetchone()
        return row[0] if row else None

    def used(self) -> bool:
        """A bot started on this database, or stored something in it (before it said so)."""
        return bool(self._reader().execute(
            "SELECT EXISTS (SELECT 1 FROM meta WHERE key = 'bot_username') "
            "OR EXISTS (SELECT 1 FROM interactions) OR EXISTS (SELECT 1 FROM links)"
        ).fetchone()[0])

    def link_expiry(self, link_id: str) -> float | None:
        """When a stored link expires (unix seconds), or None if there is no such link."""
        row = self._reader().execute("SELECT expires_at FROM links WHERE id = ?",
                                     (link_id,)).fetchone()
        return float(row[0]) if row else None

    # -- reports ----------------------------------------------------------------------------
    def first_question_at(self) -> float | None:
        """When the oldest stored question was asked, or None if there is none."""
        row = self._reader().execute("SELECT MIN(at) FROM interactions").fetchone()
        return None if row[0] is None else float(row[0])

    def interactions(self, since: float, until: float) -> list[StoredInteraction]:
        """Questions asked in [since, until), oldest first, with their vote counts."""
        rows = self._reader().execute(
            "SELECT i.id, i.at, i.user_hash, i.chat_type, i.source, i.language, i.question, "
            "i.answered, i.reason, i.passage_id, i.document, i.score, i.answer, "
            "COALESCE(SUM(v.value = 1), 0), COALESCE(SUM(v.value = -1), 0) "
            "FROM interactions i LEFT JOIN votes v ON v.interaction_id = i.id "
            "WHERE i.at >= ? AND i.at < ? GROUP BY i.id ORDER BY i.at, i.id",
            (since, until)).fetchall()
        return [StoredInteraction(id=r[0], at=r[1], user_hash=r[2], chat_type=r[3], source=r[4],
                                  language=r[5], question=r[6], answered=bool(r[7]), reason=r[8],
                                  passage_id=r[9], document=r[10], score=r[11], answer=r[12],
                                  up=r[13], down=r[14])
                for r in rows]

    # -- quizzes ------------------------------------------------------------------------------
    def start_quiz(self, quiz_round: QuizRound) -> int:
        at = int(quiz_round.at if quiz_round.at is not None else self._clock())
        cursor = self._write(
            "INSERT INTO quiz_rounds (at, chat_hash, chat_type, user_hash, language, seed, items) "
            "VALUES (?,?,?,?,?,?,?)",
            (at, quiz_round.chat_hash, quiz_round.chat_type, quiz_round.user_hash,
             quiz_round.language, quiz_round.seed, json.dumps(list(quiz_round.items))))
        self._maybe_purge()
        if cursor.lastrowid is None:  # pragma: no cover - sqlite3 sets it after an INSERT
            raise StoreError("the quiz round was not stored")
        return cursor.lastrowid

    def add_quiz_poll(self, poll: QuizPoll) -> None:
        self._write("INSERT INTO quiz_polls VALUES (?,?,?,?,?,?,?,?,?)",
                    (poll.poll_id, poll.round_id, poll.position, poll.item_id, poll.passage_id,
                     poll.question, json.dumps(list(poll.options), ensure_ascii=False),
                     poll.correct, poll.message_id))

    _POLL_COLUMNS = ("poll_id, round_id, position, item_id, passage_id, question, options, "
                     "correct, message_id")

    @staticmethod
    def _poll(row: tuple) -> QuizPoll:
        return QuizPoll(row[0], row[1], row[2], row[3], row[4], row[5],
                        tuple(json.loads(row[6])), row[7], row[8])

    def quiz_poll(self, poll_id: str) -> QuizPoll | None:
        row = self._reader().execute(f"SELECT {self._POLL_COLUMNS} FROM quiz_polls "
                                     "WHERE poll_id = ?", (poll_id,)).fetchone()
        return self._poll(row) if row else None

    def quiz_polls(self, round_id: int) -> list[QuizPoll]:
        rows = self._reader().execute(f"SELECT {self._POLL_COLUMNS} FROM quiz_polls "
                                      "WHERE round_id = ? ORDER BY position", (round_id,))
        return [self._poll(r) for r in rows.fetchall()]

    @staticmethod
    def _round(row: tuple) -> QuizRound:
        return QuizRound(chat_hash=row[2], chat_type=row[3], user_hash=row[4], language=row[5],
                         seed=row[6], items=tuple(json.loads(row[7])), at=row[1], id=row[0])

    def quiz_round(self, round_id: int) -> QuizRound | None:
        row = self._reader().execute("SELECT * FROM quiz_rounds WHERE id = ?",
                                     (round_id,)).fetchone()
        return self._round(row) if row else None

    def latest_quiz_round(self, chat_hash: str) -> QuizRound | None:
        row = self._reader().execute("SELECT * FROM quiz_rounds WHERE chat_hash = ? "
                                     "ORDER BY id DESC LIMIT 1", (chat_hash,)).fetchone()
        return self._round(row) if row else None

    def answer_quiz(self, poll_id: str, user_hash: str, option: int) -> bool:
        """Record a student's choice; False if the poll is unknown or they already answered
        (a quiz poll takes one answer)."""
        with self._transaction() as db:
            if not db.execute("SELECT 1 FROM quiz_polls WHERE poll_id = ?", (poll_id,)).fetchone():
                return False
            cursor = db.execute("INSERT OR IGNORE INTO quiz_answers VALUES (?, ?, ?, ?)",
                                (poll_id, user_hash, option, int(self._clock())))
            return cursor.rowcount == 1

    def quiz_answers(self, round_id: int | None = None, since: float | None = None,
                     until: float | None = None) -> list[QuizAnswer]:
        """Answers of one round, or of every round in [since, until), oldest first (none
        from a database older than the quizzes, which a read-only report does not migrate)."""
        if self.schema_version < QUIZ_SCHEMA:
            return []
        cols = ", ".join(f"p.{c.strip()}" for c in self._POLL_COLUMNS.split(","))
        sql = (f"SELECT {cols}, a.user_hash, a.option, a.at FROM quiz_answers a "
               "JOIN quiz_polls p ON p.poll_id = a.poll_id "
               "JOIN quiz_rounds r ON r.id = p.round_id WHERE 1=1")
        args: list = []
        if round_id is not None:
            sql += " AND r.id = ?"
            args.append(round_id)
        if since is not None:
            sql += " AND a.at >= ?"
            args.append(since)
        if until is not None:
            sql += " AND a.at < ?"
            args.append(until)
        rows = self._reader().execute(sql + " ORDER BY a.at, p.position", args).fetchall()
        return [QuizAnswer(self._poll(r[:9]), r[9], r[10], r[11]) for r in rows]

    def seen_quiz_items(self, chat_hash: str) -> set[str]:
        """Items already asked in this chat (a student's private chat, or a class group)."""
        rows = self._reader().execute("SELECT items FROM quiz_rounds WHERE chat_hash = ?",
                                      (chat_hash,)).fetchall()
        return {item for (items,) in rows for item in json.loads(items)}

    def count_rows(self, user_hash: str | None = None) -> dict[str, int]:
        """Rows per table (of one user, if given): for tests and operators."""
        with self._lock:
            if user_hash is None:
                return {t: self._db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                        for t in ("interactions", "votes", "links", "preferences")}
            return {
                "interactions": self._db.execute("SELECT COUNT(*) FROM interactions WHERE "
                                                 "user_hash = ?", (user_hash,)).fetchone()[0],
                "votes": self._db.execute("SELECT COUNT(*) FROM votes WHERE user_hash = ?",
                                          (user_hash,)).fetchone()[0],
                "preferences": self._db.execute("SELECT COUNT(*) FROM preferences WHERE "
                                                "user_hash = ?", (user_hash,)).fetchone()[0],
            }

    def close(self) -> None:
        with self._lock, self._readers_lock:
            self._db.close()
            for reader in self._reader_list:
                reader.close()
            self._reader_list.clear()


def _reason(exc: BaseException) -> str:
    """What went wrong, without a path (the caller names it)."""
    if isinstance(exc, OSError):
        return exc.strerror or type(exc).__name__
    return str(exc)
