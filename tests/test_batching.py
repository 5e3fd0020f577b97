import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from index.embedders import BatchingEmbedder
from tests.fakes import FakeEmbedder
from tests.fakes import SlowFakeEmbedder as SlowFake


def test_concurrent_questions_share_calls_and_get_their_own_vectors():
    """64 questions from 32 threads: far fewer model calls, each caller its own vector, and
    the model is never entered twice at once."""
    inner = SlowFake()
    batching = BatchingEmbedder(inner, max_batch=16, max_wait=0.005)
    texts = [f"pertanyaan {i}" for i in range(64)]
    with ThreadPoolExecutor(32) as pool:
        got = list(pool.map(lambda t: batching.embed_queries([t])[0], texts))
    expected = FakeEmbedder().embed_queries(texts)
    assert all(np.array_equal(g, e) for g, e in zip(got, expected, strict=True))
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


def test_repeated_questions_are_embedded_once():
    """The same question many times at once, then again later: one text reaches the model
    per batch, later repeats none; each caller still gets its own correct vector."""
    inner = SlowFake()
    batching = BatchingEmbedder(inner, max_batch=64, max_wait=0.005, cache_size=100)
    with ThreadPoolExecutor(32) as pool:
        got = list(pool.map(lambda _: batching.embed_queries(["link kuliah"])[0], range(64)))
    expected = FakeEmbedder().embed_queries(["link kuliah"])[0]
    assert all(np.array_equal(g, expected) for g in got)
    assert all(texts == ["link kuliah"] for texts in inner.batches)  # never twice in one call
    calls = len(inner.batches)
    mixed = batching.embed_queries(["link kuliah", "pertanyaan baru", "link kuliah"])
    assert np.array_equal(mixed, FakeEmbedder().embed_queries(
        ["link kuliah", "pertanyaan baru", "link kuliah"]))
    assert inner.batches[calls:] == [["link kuliah", "pertanyaan baru"]]  # not all cached
    batching.embed_queries(["pertanyaan baru"])
    assert len(inner.batches) == calls + 1 and batching.cache_hits >= 1
    batching.close()


def test_the_cache_keeps_only_the_most_recent_questions():
    inner = FakeEmbedder()
    batching = BatchingEmbedder(inner, max_wait=0, cache_size=3)
    for text in ["a", "b", "c", "a", "d"]:  # "a" used again, so "b" is the oldest
        batching.embed_queries([text])
    before = len(batching.batch_sizes)
    for text in ["a", "c", "d"]:
        batching.embed_queries([text])
    assert len(batching.batch_sizes) == before  # all three from the cache
    batching.embed_queries(["b"])
    assert len(batching.batch_sizes) == before + 1
    batching.close()


def test_no_cache_when_its_size_is_zero():
    batching = BatchingEmbedder(FakeEmbedder(), max_wait=0, cache_size=0)
    for _ in range(3):
        batching.embed_queries(["sama"])
    assert batching.batch_sizes == [1, 1, 1] and batching.cache_hits == 0
    batching.close()


def test_a_question_already_being_embedded_is_not_embedded_again():
    """A class opens the same link at once: while the first copy is in the model, the others
    wait for it instead of queueing their own; all get the vector, the model sees it once."""
    gate = threading.Event()

    class Gated(FakeEmbedder):
        def __init__(self):
            super().__init__()
            self.seen: list[list[str]] = []

        def embed_queries(self, texts):
            self.seen.append(list(texts))
            gate.wait(5)
            return super().embed_queries(texts)

    inner = Gated()
    batching = BatchingEmbedder([inner], max_batch=2, max_wait=0, cache_size=10)
    with ThreadPoolExecutor(40) as pool:
        futures = [pool.submit(batching.embed_queries, ["buka link dosen"]) for _ in range(40)]
        threading.Event().wait(0.2)  # all 40 are waiting on the first by now
        gate.set()
        got = [f.result()[0] for f in futures]
    expected = FakeEmbedder().embed_queries(["buka link dosen"])[0]
    assert all(np.array_equal(g, expected) for g in got)
    assert inner.seen == [["buka link dosen"]] and batching.cache_hits == 39
    got[0][:] = 0  # callers get their own arrays
    assert np.array_equal(batching.embed_queries(["buka link dosen"])[0], expected)
    batching.close()


def test_a_failed_embedding_does_not_leave_the_question_stuck():
    class FailsOnce(FakeEmbedder):
        failed = False

        def embed_queries(self, texts):
            if not self.failed:
                self.failed = True
                raise RuntimeError("engine hiccup")
            return super().embed_queries(texts)

    batching = BatchingEmbedder(FailsOnce(), max_wait=0, cache_size=10)
    with pytest.raises(RuntimeError, match="hiccup"):
        batching.embed_queries(["sama"])
    assert batching.embed_queries(["sama"]).shape == (1, 64)
    batching.close()
