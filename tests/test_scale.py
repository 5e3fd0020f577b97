"""Scale machinery, small and seeded: approximate search against exact search, incremental
builds against full builds, the synthetic generator."""

import numpy as np

from bench.synthetic import search_data, write_corpus
from index.ann import fused_search, kind_of, make_dense_index, prepare
from index.bm25 import BM25
from index.build import build_index
from index.corpus import load_corpus
from index.store import current_build, load_index
from tests.fakes import FakeEmbedder


def test_ivf_top10_agrees_with_exact_search():
    """On seeded clustered data, IVF's dense and fused top 10 match exact search ≥ 0.95."""
    data = search_data(30_000, d=384, queries=100, seed=3)  # the real dimension
    bm25 = BM25.from_ids(data.term_ids, data.doc_of_term, data.lengths, data.vocabulary)
    flat, ivf = make_dense_index(data.xb, "flat"), prepare(make_dense_index(data.xb, "ivf"))
    assert (kind_of(flat), kind_of(ivf)) == ("flat", "ivf")
    half = 15_000
    dense_recall, fused_recall = [], []
    for xq, terms in zip(data.xq, data.query_terms, strict=True):
        lexical = bm25.normalized_scores([f"t{t}" for t in terms])[:half]
        a = fused_search(flat, xq, lexical, 0, half, 100, 0.25)
        b = fused_search(ivf, xq, lexical, 0, half, 100, 0.25)
        assert (a.ids < half).all() and (b.ids < half).all()
        top = lambda f: set(f.ids[np.argsort(-f.dense, kind="stable")][:10].tolist())  # noqa
        dense_recall.append(len(top(a) & top(b)) / 10)
        fused_recall.append(len(set(a.ids[:10].tolist()) & set(b.ids[:10].tolist())) / 10)
    assert np.mean(dense_recall) >= 0.95 and np.mean(fused_recall) >= 0.95


def test_exact_search_is_brute_force():
    """The flat index's dense scores are exactly the cosines, best first."""
    data = search_data(2_000, d=32, queries=5, seed=1)
    flat = make_dense_index(data.xb, "flat")
    for xq in data.xq:
        fused = fused_search(flat, xq, np.zeros(2_000, np.float32), 0, 2_000, 10, 0.0)
        brute = data.xb @ xq
        assert fused.ids[:10].tolist() == np.argsort(-brute)[:10].tolist()
        assert np.allclose(fused.dense[:10], np.sort(brute)[::-1][:10], atol=1e-5)


def test_incremental_build_equals_full_build(tmp_path):
    """Adding a document embeds only its passages, and the result equals a full rebuild."""
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 30, seed=5)
    embedder = FakeEmbedder()
    build_index(corpus, tmp_path / "inc", embedder, index_kind="ivf", ann_threshold=1)
    write_corpus(corpus, 1, seed=5, start=30)
    embedder.passages.clear()
    summary = build_index(corpus, tmp_path / "inc", embedder, index_kind="flat")
    new_doc = [d for d in load_corpus(corpus) if d.id == "synthetic-000030"][0]
    assert 0 < summary.embedded == len(embedder.passages) <= 2 * (4 + 6)
    assert summary.reused > 10 * summary.embedded
    assert any(new_doc.abstract["id"].startswith(t[:30]) for t in embedder.passages)
    full = build_index(corpus, tmp_path / "full", FakeEmbedder(), index_kind="flat",
                       incremental=False)
    a = load_index(tmp_path / "inc", "fake", "fake-bow-64", 64)
    b = load_index(tmp_path / "full", "fake", "fake-bow-64", 64)
    assert a.passages == b.passages and a.terms == b.terms
    xa = a.index.reconstruct_n(0, a.index.ntotal)
    xb = b.index.reconstruct_n(0, b.index.ntotal)
    assert np.allclose(xa, xb, atol=1e-6)
    assert full.embedded == len(b.passages)


def test_large_index_switches_to_ivf_by_threshold(tmp_path):
    """Past ANN_THRESHOLD passages the build writes an IVF index, and it loads and answers."""
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 40, seed=2)
    summary = build_index(corpus, tmp_path / "idx", FakeEmbedder(), ann_threshold=500)
    assert summary.index_type == "ivf"
    stored = load_index(tmp_path / "idx", "fake", "fake-bow-64", 64)
    assert stored.manifest.index_type == "ivf" and current_build(tmp_path / "idx")


def test_synthetic_corpus_is_seeded_and_valid(tmp_path):
    """Same seed, same files; every file passes the corpus loader with parallel abstracts."""
    a, b = write_corpus(tmp_path / "a", 5, seed=9), write_corpus(tmp_path / "b", 5, seed=9)
    assert [p.read_text() for p in a] == [p.read_text() for p in b]
    docs = load_corpus(tmp_path / "a")
    assert len(docs) == 5 and all(set(d.abstract) == {"id", "en"} for d in docs)
