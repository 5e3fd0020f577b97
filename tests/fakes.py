"""Small hand-written fakes for fast tests."""

from __future__ import annotations

import functools
import hashlib
import threading
from collections.abc import Sequence

import numpy as np

from index.text import words


@functools.lru_cache(maxsize=1 << 16)
def _word_vector(word: str, dimension: int) -> np.ndarray:
    """A word's fixed random direction (remembered: seeding a generator per word was most of
    the fake's time, and every build embeds the same corpus)."""
    seed = int.from_bytes(hashlib.sha256(word.encode()).digest()[:8], "little")
    vector = np.random.default_rng(seed).standard_normal(dimension).astype(np.float32)
    vector.setflags(write=False)
    return vector


class FakeEmbedder:
    """Deterministic bag-of-words embedder: each word hashes to a fixed random direction.

    Texts sharing words get similar vectors, which is enough to exercise search and answers.
    It records every text it embedded.
    """

    name = "fake"

    def __init__(self, dimension: int = 64, model: str = "fake-bow-64"):
        self.dimension = dimension
        self.model = model
        self.queries: list[str] = []
        self.passages: list[str] = []

    def _word(self, word: str) -> np.ndarray:
        return _word_vector(word, self.dimension)

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for i, text in enumerate(texts):
            for w in words(text):
                out[i] += self._word(w)
            out[i] += 0.01 * self._word("\0bias")  # never a zero vector
        return out / np.linalg.norm(out, axis=1, keepdims=True)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        self.queries.extend(texts)
        return self._embed(texts)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        self.passages.extend(texts)
        return self._embed(texts)


class SlowFakeEmbedder(FakeEmbedder):
    """A fake that takes ``delay`` seconds per query call, counts calls and texts, keeps each
    call's texts, notices calls overlapping (which a batcher must never cause) and being
    closed."""

    def __init__(self, delay: float = 0.01):
        super().__init__()
        self.delay = delay
        self.calls = 0
        self.texts = 0
        self.batches: list[list[str]] = []  # the texts of each call, in order
        self.active = 0
        self.overlapped = False
        self.closed = False
        self._lock = threading.Lock()

    def embed_queries(self, texts):
        with self._lock:
            self.calls += 1
            self.texts += len(texts)
            self.batches.append(list(texts))
            self.active += 1
            self.overlapped |= self.active > 1
        try:
            threading.Event().wait(self.delay)
            return super().embed_queries(texts)
        finally:
            with self._lock:
                self.active -= 1

    def close(self):
        self.closed = True


REPORT_QUESTIONS = [  # (question, language, answered, passage id)
    ("Apa itu paradiplomasi?", "id", True, "p:id:abstract:1"),
    ("what is paradiplomacy?", "en", True, "p:en:abstract:1"),
    ("apa arti multi-level governance?", "id", True, "p:id:abstract:4"),
    ("what does multi-level governance mean here?", "en", True, "p:en:abstract:4"),
    ("Siapa penulisnya?", "id", True, "p:id:authors:1"),
    ("Bagaimana peran kepala daerah dalam paradiplomasi?", "id", True, "p:id:abstract:2"),
    ("Siapa presiden pertama Indonesia?", "id", False, None),
    ("=HYPERLINK(\"http://x\",\"klik\")", "id", False, None),
    ("Berapa jumlah provinsi di Indonesia?", "id", False, None),
]


def class_rows(start: float, days: int, seed: int = 1, students: int = 40):
    """Seeded questions of a class over ``days`` days from ``start`` (unix seconds): more on
    class days, a quiet week, votes on answers and on refusals."""
    import random

    from bot.storage import StoredInteraction

    rng = random.Random(seed)
    rows: list[StoredInteraction] = []
    for day in range(days):
        if day % 7 == 5 or (days > 60 and 49 <= day < 56):  # Saturdays, a mid-term break
            continue
        busy = 3.0 if day % 7 in (0, 3) else 1.0
        for _ in range(int(rng.random() * 12 * busy)):
            q, lang, answered, pid = rng.choice(REPORT_QUESTIONS)
            rows.append(StoredInteraction(
                user_hash=f"u{rng.randrange(students)}", chat_type="private", source="message",
                language=lang, question=q if rng.random() < 0.6 else q.lower().rstrip("?"),
                answered=answered, reason=None if answered else "not_in_article",
                passage_id=pid, document="p" if pid else None, score=0.8 if answered else None,
                at=start + day * 86400 + rng.randrange(6 * 3600, 20 * 3600),
                answer=f"Teks bagian {pid}." if pid else "Maaf, tidak ada di artikel.",
                id=len(rows) + 1, up=int(rng.random() < 0.3), down=int(rng.random() < 0.1)))
    rows.sort(key=lambda r: r.at)
    return rows
