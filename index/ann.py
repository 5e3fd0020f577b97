"""Dense indexes: exact search while the corpus is small, approximate (IVF) past a size.

``IndexFlatIP`` scans every vector: exact, and fast enough up to about a hundred thousand
passages on this machine. Past ``ANN_THRESHOLD`` passages (or when asked), an
``IndexIVFFlat`` (inner product) clusters the vectors into ``nlist`` lists and searches the
``nprobe`` nearest lists only; ``scale_benchmark`` measures its recall@10 against exact search.
Both keep the language restriction (an ``IDSelectorRange``) and can hand back stored vectors.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import faiss
import numpy as np

ANN_THRESHOLD = 100_000  # passages; below this, exact search costs under a few ms
NPROBE = 64  # lists searched per query: recall@10 ≥ 0.95 on hard seeded data (tests, benchmark)
TRAIN_PER_LIST = 64  # training points per list (faiss wants ≥ 39)
TRAIN_SEED = 1234


def nlist_for(n: int) -> int:
    """About 2·√n lists: a few hundred vectors each."""
    return max(1, min(int(2 * math.sqrt(n)), n // TRAIN_PER_LIST or 1))


def make_dense_index(xb: np.ndarray, kind: str = "auto", threshold: int = ANN_THRESHOLD
                     ) -> faiss.Index:
    """An inner-product index over normalised ``xb``: "flat", "ivf" or "auto" (by size)."""
    n, d = xb.shape
    if kind == "auto":
        kind = "ivf" if n >= threshold else "flat"
    if kind == "flat" or n < 2 * TRAIN_PER_LIST:
        flat = faiss.IndexFlatIP(d)
        flat.add(xb)
        return flat
    nlist = nlist_for(n)
    quantizer = faiss.IndexFlatIP(d)
    ivf = faiss.IndexIVFFlat(quantizer, d, nlist, faiss.METRIC_INNER_PRODUCT)
    rng = np.random.default_rng(TRAIN_SEED)
    sample = xb[rng.choice(n, size=min(n, nlist * TRAIN_PER_LIST), replace=False)]
    ivf.cp.seed = TRAIN_SEED
    ivf.train(sample)
    ivf.add(xb)
    return ivf


def kind_of(index: faiss.Index) -> str:
    return "ivf" if isinstance(index, faiss.IndexIVF) else "flat"


def prepare(index: faiss.Index) -> faiss.Index:
    """Ready a loaded index (faiss hands back its concrete class) for search: IVF gets a
    direct map, to hand back stored vectors."""
    if isinstance(index, faiss.IndexIVF):
        index.make_direct_map()
    return index


@dataclass(frozen=True)
class Fused:
    ids: np.ndarray  # passage numbers, best first
    scores: np.ndarray  # cosine + weight * normalised BM25
    dense: np.ndarray
    lexical: np.ndarray
    dense_top: float
    lexical_top: float


def fused_search(index: faiss.Index, xq: np.ndarray, lexical: np.ndarray, start: int, stop: int,
                 candidates: int, weight: float, nprobe: int = NPROBE) -> Fused:
    """Dense candidates (inside [start, stop)) and BM25 candidates, each scored both ways and
    fused. ``lexical`` holds the normalised BM25 score of every passage in the range."""
    xq = np.ascontiguousarray(xq, dtype=np.float32).reshape(1, -1)
    selector = faiss.IDSelectorRange(start, stop)
    # faiss's stubs miss the keyword constructor that its Python wrapper adds to parameters
    params: faiss.SearchParameters
    if isinstance(index, faiss.IndexIVF):
        params = faiss.SearchParametersIVF(sel=selector, nprobe=nprobe)  # type: ignore[call-arg]
    else:
        params = faiss.SearchParameters(sel=selector)  # type: ignore[call-arg]
    D, I = index.search(xq, min(candidates, stop - start), params=params)
    keep = I[0] >= 0
    dense_ids, dense_scores = I[0][keep].astype(np.int64), D[0][keep]
    if lexical.size > candidates:
        top = np.argpartition(-lexical, candidates)[:candidates]
    else:
        top = np.arange(lexical.size)
    top = top[lexical[top] > 0] + start
    extra = np.setdiff1d(top, dense_ids, assume_unique=False)
    if extra.size:
        vectors = index.reconstruct_batch(extra)
        ids = np.concatenate([dense_ids, extra])
        dense = np.concatenate([dense_scores, vectors @ xq[0]])
    else:
        ids, dense = dense_ids, dense_scores
    lex = lexical[ids - start] if ids.size else np.zeros(0, np.float32)
    scores = dense + weight * lex
    order = np.lexsort((ids, -dense, -scores))
    return Fused(ids[order], scores[order], dense[order], lex[order],
                 float(dense_scores.max()) if dense_scores.size else 0.0,
                 float(lexical.max()) if lexical.size else 0.0)
