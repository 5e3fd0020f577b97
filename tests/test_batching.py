import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from index.embedders import BatchingEmbedder
from tests.fakes import FakeEmbedder


class SlowFake(FakeEmbedder):
    """A fake that takes a moment per call and notices concurrent calls."""

    def __init__(self):
        super().__init__()
        self.calls = 0
        self.active = 0
        self.overlapped = False
        self._lock = threading.Lock()

    def embed_queries(self, texts):
        with self._lock:
            self.calls += 1
            self.active += 1
            self.overlapped |= self.active > 1
        try:
            threading.Event().wait(0.01)
            return super().embed_queries(texts)
        finally:
            with self._lock:
                self.active -= 1


def test_concurrent_questions_share_calls_and_get_their_own_vectors():
    """64 questions from 32 threads: far fewer model calls, each caller its own vector, and
    the model is never entered twice at once."""
    inner = SlowFake()
    batching = BatchingEmbedder(inner, max_batch=16, max_wait=0.005)
    texts = [f"pertanyaan {i}" for i in range(64)]
    with ThreadPoolExecutor(32) as pool:
        got = list(pool.map(lambda t: batching.embed_queries([t])[0], texts))
    expected = FakeEmbedder().embed_queries(texts)
    assert all(np.array_equal(g, e) for g, e in zip(got, expected))
    assert inner.calls < 64 / 2 and max(batching.batch_sizes) > 1
    assert max(batching.batch_sizes) <= 16 and not inner.overlapped
    batching.close()


def test_a_lone_question_waits_at_most_the_bound():
    """One question alone is embedded after at most max_wait, in a batch of one."""
    inner = FakeEmbedder()
    batching = BatchingEmbedder(inner, max_wait=0.002)
    assert batching.embed_queries(["apa itu paradiplomasi?"]).shape == (1, 64)
    assert batching.batch_sizes == [1]
    batching.close()


def test_failures_reach_every_caller_of_the_batch():
    """If the model fails, each waiting caller gets the exception; the batcher keeps going."""
    class Broken(FakeEmbedder):
        fail = True

        def embed_queries(self, texts):
            if self.fail:
                self.fail = False
                raise RuntimeError("model failed")
            return super().embed_queries(texts)

    batching = BatchingEmbedder(Broken())
    with pytest.raises(RuntimeError, match="model failed"):
        batching.embed_queries(["a"])
    assert batching.embed_queries(["b"]).shape == (1, 64)
    batching.close()
