import multiprocessing
import sqlite3

import pytest

from bot.storage import MIGRATIONS, Interaction, SQLiteStore, UserHasher


class Clock:
    def __init__(self, now: float = 1_800_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


def _ask(store, user="u1", question="apa itu paradiplomasi?", answered=True, at=None):
    return store.record(Interaction(user, "private", "message", "id", question, answered,
                                    None if answered else "not_in_article", "p:1", "doc", 0.9,
                                    at=at))


def test_schema_is_created_in_wal_mode(tmp_path):
    """A new file gets the current schema version and WAL journaling."""
    store = SQLiteStore(tmp_path / "bot.sqlite3")
    assert store.schema_version == len(MIGRATIONS)
    mode = sqlite3.connect(tmp_path / "bot.sqlite3").execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_votes_are_idempotent_and_changeable(tmp_path):
    """One vote per answer and user: repeated is 'same', flipped is 'changed', never doubled."""
    store = SQLiteStore(tmp_path / "s.db")
    a = _ask(store)
    assert store.vote(a, "u1", 1) == "new"
    assert store.vote(a, "u1", 1) == "same"
    assert store.vote(a, "u2", 1) == "new"
    assert store.vote(a, "u1", -1) == "changed"
    assert store.vote(999, "u1", 1) == "unknown"
    (row,) = store.interactions(0, 2e9)
    assert (row.up, row.down) == (1, 1)
    with pytest.raises(ValueError):
        store.vote(a, "u1", 0)


def test_forget_removes_every_row_of_the_user(tmp_path):
    """/forget deletes the user's questions, votes on them, votes they gave, their settings."""
    store = SQLiteStore(tmp_path / "s.db")
    mine, theirs = _ask(store, "me"), _ask(store, "them")
    store.vote(mine, "them", 1)
    store.vote(theirs, "me", -1)
    store.set_language("me", "en")
    assert store.forget("me") == 4  # one question, a vote on it, a vote given, one setting
    assert store.count_rows("me") == {"interactions": 0, "votes": 0, "preferences": 0}
    rows = store.interactions(0, 2e9)
    assert [r.user_hash for r in rows] == ["them"] and (rows[0].up, rows[0].down) == (0, 0)


def test_retention_deletes_old_rows(tmp_path):
    """Rows older than the retention period go, on the next write after an hour."""
    clock = Clock()
    store = SQLiteStore(tmp_path / "s.db", retention_days=30, clock=clock)
    old = _ask(store, at=clock.now - 31 * 86400)
    store.vote(old, "u2", 1)
    _ask(store, at=clock.now - 29 * 86400)
    clock.now += 3601
    _ask(store)
    assert len(store.interactions(0, 2e9)) == 2
    assert store.count_rows()["votes"] == 0


def test_links_expire(tmp_path):
    """A stored question is found until its time is up, then it is unknown."""
    clock = Clock()
    store = SQLiteStore(tmp_path / "s.db", clock=clock)
    link = store.put_link("a long question", "id", ttl_days=1)
    assert store.get_link(link) == ("a long question", "id")
    assert store.get_link("nonexistent") is None
    clock.now += 2 * 86400
    assert store.get_link(link) is None


def test_survives_reopening(tmp_path):
    """Closing and reopening the file (a bot restart) keeps everything."""
    store = SQLiteStore(tmp_path / "s.db")
    a = _ask(store)
    store.vote(a, "u1", 1)
    store.set_language("u1", "en")
    store.close()
    again = SQLiteStore(tmp_path / "s.db")
    assert again.schema_version == len(MIGRATIONS)
    assert [r.up for r in again.interactions(0, 2e9)] == [1]
    assert again.language("u1") == "en"


def test_user_ids_are_salted_hashes():
    """The same id hashes alike under one salt, differently under another; never the id."""
    a, b = UserHasher("salt-a"), UserHasher("salt-b")
    assert a(42) == a(42) != b(42)
    assert "42" not in a(42) and len(a(42)) == 64


def _writer(path, worker, n):
    store = SQLiteStore(path)
    for i in range(n):
        a = store.record(Interaction(f"w{worker}", "private", "message", "id", f"q{worker}-{i}",
                                     True))
        store.vote(a, f"w{worker}", 1)
    store.close()


def test_two_processes_writing_at_once_lose_no_row(tmp_path):
    """Two bot processes on one file: every question and vote of both is kept."""
    path = tmp_path / "shared.db"
    SQLiteStore(path).close()
    ctx = multiprocessing.get_context("spawn")
    workers = [ctx.Process(target=_writer, args=(path, w, 300)) for w in range(2)]
    for p in workers:
        p.start()
    for p in workers:
        p.join(120)
        assert p.exitcode == 0
    counts = SQLiteStore(path).count_rows()
    assert counts["interactions"] == 600 and counts["votes"] == 600
