"""The index on disk: a folder with the FAISS file, the passages as JSON and a manifest.

Layout under ``INDEX_DIR``::

    builds/<stamp>/vectors.faiss   normalised vectors (inner product = cosine): IndexFlatIP,
                                   or IndexIVFFlat past ANN_THRESHOLD (see index.ann)
    builds/<stamp>/passages.json   passages and their BM25 terms
    builds/<stamp>/manifest.json   embedder, model, dimension, counts, corpus hash, version
    builds/<stamp>/documents.json  the documents' metadata as built (serving needs no corpus)
    current -> builds/<stamp>      the index in service

A build is written to a temporary folder, renamed into ``builds/`` and then ``current`` is
switched with an atomic ``os.replace`` of a symlink: a crash at any point leaves the
previous index intact and loadable. Nothing is pickled.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import faiss
import numpy as np

from index import LANGUAGES
from index.ann import ANN_THRESHOLD, kind_of, make_dense_index, prepare
from index.corpus import Document
from index.passages import Passage
from index.scope import ANSWERABLE, LABELS, ScopeBank

FORMAT_VERSION = 2  # bump when the layout or passage format changes (2: intents.npz)
MANIFEST = "manifest.json"
VECTORS = "vectors.faiss"
PASSAGES = "passages.json"
DOCUMENTS = "documents.json"  # the documents' metadata as built (citations, suggestions)
INTENTS = "intents.npz"  # the intent examples embedded with the same model (index/intents.py)
CURRENT = "current"
BUILDS = "builds"
KEEP_BUILDS = 2  # the current one and the one before it


class IndexLoadError(Exception):
    """The index cannot be used; the message names the fix."""


@dataclass(frozen=True)
class Manifest:
    format_version: int
    embedder: str
    model: str
    dimension: int
    passages: int
    languages: dict[str, list[int]]  # language -> [start, stop) of its passage ids
    documents: list[str]
    corpus_sha256: str
    recipe_sha256: str  # hash of the code that makes passages and terms
    built_at: str
    build_seconds: float
    files: dict[str, int]  # file name -> size in bytes
    index_type: str = "flat"  # "flat" (exact) or "ivf" (approximate)

    def to_json(self) -> dict:
        return self.__dict__.copy()


@dataclass(frozen=True)
class StoredIndex:
    """What a build folder holds, loaded into memory."""

    path: Path
    manifest: Manifest
    passages: list[Passage]
    terms: list[list[str]]  # BM25 terms of each passage, analysed at build time
    index: faiss.Index
    intent_labels: list[str]  # the label of each intent example (index/intents.toml)
    intent_texts: list[str]
    intent_vectors: np.ndarray  # one row per example, embedded as a query
    # the labelled questions of index/scope.py, stored with the intent examples
    scope: ScopeBank = field(default_factory=ScopeBank.empty)


def rebuild_hint(embedder: str) -> str:
    return f"rebuild with `EMBEDDER={embedder} python -m index build`"


@dataclass(frozen=True)
class IntentVectors:
    labels: list[str]
    texts: list[str]
    xb: np.ndarray


def write_index(root: Path, passages: list[Passage], terms: list[list[str]], xb: np.ndarray,
                manifest_fields: dict, intents: IntentVectors, index_kind: str = "flat",
                ann_threshold: int = ANN_THRESHOLD, documents: list[dict] | None = None) -> Path:
    """Write a new build and make it current, atomically. Returns the build folder."""
    if len(passages) != len(terms) or len(passages) != xb.shape[0]:
        raise ValueError("passages, terms and vectors differ in length")
    builds = root / BUILDS
    builds.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    tmp = builds / f".tmp-{stamp}-{os.getpid()}"
    tmp.mkdir()
    try:
        index = make_dense_index(np.ascontiguousarray(xb, dtype=np.float32), index_kind,
                                 ann_threshold)
        faiss.write_index(index, str(tmp / VECTORS))
        _write_json(tmp / PASSAGES, {
            "format_version": FORMAT_VERSION,
            "passages": [p.to_json() | {"terms": t} for p, t in zip(passages, terms, strict=True)],
        })
        with open(tmp / INTENTS, "wb") as f:
            np.savez(f, labels=np.array(intents.labels), texts=np.array(intents.texts),
                     xb=np.asarray(intents.xb, dtype=np.float32))
        names = [VECTORS, PASSAGES, INTENTS]
        if documents is not None:  # the corpus as built: serving needs no editable corpus
            _write_json(tmp / DOCUMENTS, {"format_version": FORMAT_VERSION,
                                          "documents": documents})
            names.append(DOCUMENTS)
        files = {name: (tmp / name).stat().st_size for name in names}
        manifest = Manifest(format_version=FORMAT_VERSION, passages=len(passages),
                            dimension=int(xb.shape[1]), files=files, index_type=kind_of(index),
                            **manifest_fields)
        _write_json(tmp / MANIFEST, manifest.to_json())
        _fsync_dir(tmp)
        final = builds / stamp
        os.replace(tmp, final)
        link_tmp = root / f".{CURRENT}.tmp-{os.getpid()}"
        if link_tmp.is_symlink() or link_tmp.exists():
            link_tmp.unlink()
        link_tmp.symlink_to(Path(BUILDS) / stamp)
        os.replace(link_tmp, root / CURRENT)
        _fsync_dir(root)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _prune(builds, keep=final)
    return final


def _write_json(path: Path, data: dict) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
        f.flush()
        os.fsync(f.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _prune(builds: Path, keep: Path) -> None:
    """Delete old builds and leftovers of crashed ones, keeping the newest KEEP_BUILDS."""
    done = sorted((p for p in builds.iterdir() if p.is_dir() and not p.name.startswith(".")),
                  key=lambda p: p.name)
    for old in done[:-KEEP_BUILDS]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)
    for leftover in builds.glob(".tmp-*"):
        if str(os.getpid()) not in leftover.name:
            shutil.rmtree(leftover, ignore_errors=True)


def current_build(root: Path) -> Path | None:
    link = root / CURRENT
    return link.resolve() if link.exists() else None


def read_documents(build: Path) -> list[Document] | None:
    """The documents a build was made from, or None if the build does not hold them (built
    by an older version) or they cannot be read."""
    try:
        data = json.loads((build / DOCUMENTS).read_text(encoding="utf-8"))
        return [Document(**row) for row in data["documents"]]
    except (OSError, ValueError, TypeError, KeyError):
        return None


def read_manifest(build: Path) -> Manifest:
    try:
        data = json.loads((build / MANIFEST).read_text(encoding="utf-8"))
        manifest = Manifest(**data)
    except (OSError, ValueError, TypeError) as exc:
        raise IndexLoadError(f"the index manifest in {build} is missing or unreadable "
                             f"({type(exc).__name__})") from exc
    wrong = _malformed_fields(manifest)
    if wrong:
        raise IndexLoadError(f"the index manifest in {build} is malformed "
                             f"({', '.join(wrong)})")
    return manifest


def _malformed_fields(m: Manifest) -> list[str]:
    """Fields of a manifest that do not have the shape the code relies on (a hand-edited
    manifest with ``"files": null`` used to end in a traceback)."""
    def is_int(v: object) -> bool:
        return isinstance(v, int) and not isinstance(v, bool)

    checks = {
        "format_version": is_int(m.format_version),
        "embedder": isinstance(m.embedder, str),
        "model": isinstance(m.model, str),
        "dimension": is_int(m.dimension) and m.dimension > 0,
        "passages": is_int(m.passages) and m.passages >= 0,
        "languages": isinstance(m.languages, dict) and all(
            isinstance(r, list) and len(r) == 2 and all(is_int(x) for x in r)
            for r in m.languages.values()),
        "documents": isinstance(m.documents, list)
        and all(isinstance(d, str) for d in m.documents),
        "files": isinstance(m.files, dict) and all(
            isinstance(k, str) and "/" not in k and is_int(v) for k, v in m.files.items()),
        "index_type": isinstance(m.index_type, str),
    }
    return [name for name, ok in checks.items() if not ok]


def _check_fits(manifest: Manifest, embedder: str, model: str, dimension: int,
                hint: str) -> None:
    """Refuse a build of another format, embedder, model or dimension."""
    if manifest.format_version != FORMAT_VERSION:
        raise IndexLoadError(f"the index has format {manifest.format_version}, this code reads "
                             f"{FORMAT_VERSION}: {hint}")
    if manifest.embedder != embedder or manifest.model != model:
        raise IndexLoadError(f"the index was built with {manifest.embedder} ({manifest.model}), "
                             f"but the settings ask for {embedder} ({model}): {hint}")
    if manifest.dimension != dimension:
        raise IndexLoadError(f"the index has dimension {manifest.dimension}, the embedder "
                             f"gives {dimension}: {hint}")


def _check_files(build: Path, manifest: Manifest, hint: str) -> None:
    """Refuse a build whose files are missing or not the size the manifest recorded."""
    for name, size in manifest.files.items():
        path = build / name
        actual = path.stat().st_size if path.exists() else None
        if actual != size:
            state = "missing" if actual is None else f"{actual} bytes, expected {size}"
            raise IndexLoadError(f"the index file {name} is damaged ({state}): {hint}")


def load_index(root: Path, embedder: str, model: str, dimension: int) -> StoredIndex:
    """Load the current build, refusing one that does not fit the embedder or is damaged."""
    hint = rebuild_hint(embedder)
    build = current_build(root)
    if build is None:
        raise IndexLoadError(f"no index in {root}: build it with `python -m index build`")
    try:
        manifest = read_manifest(build)
    except IndexLoadError as exc:
        raise IndexLoadError(f"{exc}: {hint}") from None
    _check_fits(manifest, embedder, model, dimension, hint)
    _check_files(build, manifest, hint)
    try:
        index = prepare(faiss.read_index(str(build / VECTORS)))
        data = json.loads((build / PASSAGES).read_text(encoding="utf-8"))
        rows = data["passages"]
        terms = [row.pop("terms") for row in rows]
        passages = [Passage.from_json(row) for row in rows]
        with np.load(build / INTENTS, allow_pickle=False) as npz:
            intent_labels, intent_texts = npz["labels"].tolist(), npz["texts"].tolist()
            intent_vectors = npz["xb"]
    except (RuntimeError, OSError, ValueError, KeyError, TypeError) as exc:
        raise IndexLoadError(f"the index in {build} cannot be read ({type(exc).__name__}): "
                             f"{hint}") from exc
    if index.ntotal != manifest.passages or len(passages) != manifest.passages:
        raise IndexLoadError(f"the index holds {index.ntotal} vectors and {len(passages)} "
                             f"passages, the manifest says {manifest.passages}: {hint}")
    if index.d != dimension:
        raise IndexLoadError(f"the FAISS file has dimension {index.d}: {hint}")
    unknown = sorted(({p.language for p in passages} | set(manifest.languages)) - set(LANGUAGES))
    if unknown:
        raise IndexLoadError(f"the index has passages in {', '.join(map(repr, unknown))}; this "
                             f"code answers in {', '.join(LANGUAGES)} only: {hint}")
    if intent_vectors.shape != (len(intent_labels), dimension):
        raise IndexLoadError(f"the intent examples in {build} do not fit the model: {hint}")
    is_scope = np.array([label in LABELS for label in intent_labels], dtype=bool)
    scope = ScopeBank(tuple(t for t, s in zip(intent_texts, is_scope, strict=True) if s),
                      intent_vectors[is_scope],
                      np.array([label == ANSWERABLE for label in intent_labels], dtype=bool)[
                          is_scope])
    return StoredIndex(build, manifest, passages, terms, index,
                       [label for label, s in zip(intent_labels, is_scope, strict=True) if not s],
                       [t for t, s in zip(intent_texts, is_scope, strict=True) if not s],
                       intent_vectors[~is_scope], scope)
