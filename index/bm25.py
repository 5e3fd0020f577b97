"""Okapi BM25 over pre-analysed terms, with scores normalised to [0, 1] per query.

Stored like a sparse matrix in CSR form by term: for term t, ``doc_ids[indptr[t]:indptr[t+1]]``
are the passages containing it and ``weights[...]`` their precomputed BM25 weights. A query
gathers its terms' slices and sums them per passage with one ``bincount``; building is
vectorised too, so a million passages take seconds. Nothing of it is stored: the index keeps
each passage's terms (``passages.json``) and the searcher builds BM25 from them at load.

The normalised score divides by the best weight every query term could reach in any passage:
1.0 means every known query term at its strongest, independent of corpus size.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

K1 = 0.2  # term-frequency saturation: low, a sentence that repeats a word is no more about it
B = 0.75  # length normalisation (the usual Okapi value)


class BM25:
    def __init__(self, documents: Sequence[Sequence[str]] = (), k1: float = K1, b: float = B):
        vocab: dict[str, int] = {}
        term_ids: list[int] = []
        lengths = np.zeros(len(documents), dtype=np.float32)
        for i, doc in enumerate(documents):
            lengths[i] = len(doc)
            term_ids.extend(vocab.setdefault(t, len(vocab)) for t in doc)
        doc_of_token = np.repeat(np.arange(len(documents), dtype=np.int64),
                                 lengths.astype(np.int64))
        self._build(vocab, np.asarray(term_ids, dtype=np.int64), doc_of_token, lengths, k1, b)

    @classmethod
    def from_ids(cls, term_ids: np.ndarray, doc_ids: np.ndarray, lengths: np.ndarray,
                 vocabulary: int, k1: float = K1, b: float = B) -> BM25:
        """Built straight from integer term ids (term "t" is id t): for large synthetic data."""
        self = cls.__new__(cls)
        self._build({f"t{i}": i for i in range(vocabulary)}, term_ids, doc_ids,
                    lengths.astype(np.float32), k1, b)
        return self

    def _build(self, vocab, term_ids, doc_ids, lengths, k1, b) -> None:
        self.n = len(lengths)
        self.vocab = vocab
        n_terms = len(vocab)
        if term_ids.size == 0:
            self.indptr = np.zeros(n_terms + 1, dtype=np.int64)
            self.doc_ids = np.zeros(0, dtype=np.int32)
            self.weights = np.zeros(0, dtype=np.float32)
            self.max_weight = np.zeros(n_terms, dtype=np.float32)
            return
        key = term_ids * max(self.n, 1) + doc_ids  # one (term, passage) pair per key
        pairs, tf = np.unique(key, return_counts=True)  # sorted by term, then passage
        terms, docs = pairs // max(self.n, 1), pairs % max(self.n, 1)
        df = np.bincount(terms, minlength=n_terms)
        idf = np.log1p((self.n - df + 0.5) / (df + 0.5)).astype(np.float32)
        avgdl = float(lengths.mean()) or 1.0
        norm = k1 * (1.0 - b + b * lengths[docs] / avgdl)
        tf = tf.astype(np.float32)
        self.weights = (idf[terms] * tf * (k1 + 1.0) / (tf + norm)).astype(np.float32)
        self.doc_ids = docs.astype(np.int32)
        self.indptr = np.concatenate([[0], np.cumsum(df)]).astype(np.int64)
        self.max_weight = np.maximum.reduceat(self.weights, self.indptr[:-1]).astype(np.float32)

    def __contains__(self, term: str) -> bool:
        return term in self.vocab

    @property
    def vocabulary(self) -> frozenset[str]:
        return frozenset(self.vocab)

    def documents_with(self, term: str) -> frozenset[int]:
        """The passages (row numbers) that have ``term``."""
        i = self.vocab.get(term)
        if i is None:
            return frozenset()
        return frozenset(self.doc_ids[self.indptr[i]:self.indptr[i + 1]].tolist())

    def _ids(self, query: Sequence[str]) -> list[int]:
        return [self.vocab[t] for t in dict.fromkeys(query) if t in self.vocab]

    def scores(self, query: Sequence[str]) -> np.ndarray:
        """Raw BM25 score of every passage for ``query`` (repeated terms count once)."""
        ids = self._ids(query)
        if not ids:
            return np.zeros(self.n, dtype=np.float32)
        docs = np.concatenate([self.doc_ids[self.indptr[t] : self.indptr[t + 1]] for t in ids])
        weights = np.concatenate([self.weights[self.indptr[t] : self.indptr[t + 1]] for t in ids])
        return np.bincount(docs, weights, minlength=self.n).astype(np.float32)

    def upper_bound(self, query: Sequence[str]) -> float:
        """The sum of the best weight of each known query term: the normaliser."""
        return float(sum(self.max_weight[t] for t in self._ids(query)))

    def normalized_scores(self, query: Sequence[str]) -> np.ndarray:
        bound = self.upper_bound(query)
        s = self.scores(query)
        return s / bound if bound > 0 else s
