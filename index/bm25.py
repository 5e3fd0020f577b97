"""Okapi BM25 over pre-analysed terms, with scores normalised to [0, 1] per query.

Each posting carries its precomputed BM25 weight, so a query costs one scatter-add per term.
The normalised score divides by the best weight every query term could reach in any passage:
1.0 means every known query term at its strongest, independent of corpus size.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np

K1 = 1.2  # term-frequency saturation (the usual Okapi value)
B = 0.75  # length normalisation (the usual Okapi value)


class BM25:
    def __init__(self, documents: Sequence[Sequence[str]], k1: float = K1, b: float = B):
        self.n = len(documents)
        lengths = np.array([len(d) for d in documents], dtype=np.float32)
        avgdl = float(lengths.mean()) if self.n and lengths.sum() else 1.0
        postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for i, doc in enumerate(documents):
            for term, tf in Counter(doc).items():
                postings[term].append((i, tf))
        self._ids: dict[str, np.ndarray] = {}
        self._weights: dict[str, np.ndarray] = {}
        for term, plist in postings.items():
            ids = np.fromiter((i for i, _ in plist), dtype=np.int64, count=len(plist))
            tf = np.fromiter((t for _, t in plist), dtype=np.float32, count=len(plist))
            idf = math.log(1.0 + (self.n - len(plist) + 0.5) / (len(plist) + 0.5))
            norm = k1 * (1.0 - b + b * lengths[ids] / avgdl)
            self._ids[term] = ids
            self._weights[term] = (idf * tf * (k1 + 1.0) / (tf + norm)).astype(np.float32)

    def __contains__(self, term: str) -> bool:
        return term in self._ids

    @property
    def vocabulary(self) -> frozenset[str]:
        return frozenset(self._ids)

    def scores(self, query: Sequence[str]) -> np.ndarray:
        """Raw BM25 score of every document for ``query`` (repeated terms count once)."""
        out = np.zeros(self.n, dtype=np.float32)
        for term in dict.fromkeys(query):
            if term in self._ids:
                np.add.at(out, self._ids[term], self._weights[term])
        return out

    def upper_bound(self, query: Sequence[str]) -> float:
        """The sum of the best weight of each known query term: the normaliser."""
        return float(sum(self._weights[t].max() for t in dict.fromkeys(query) if t in self._ids))

    def normalized_scores(self, query: Sequence[str]) -> np.ndarray:
        bound = self.upper_bound(query)
        s = self.scores(query)
        return s / bound if bound > 0 else s
