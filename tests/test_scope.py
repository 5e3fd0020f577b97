"""The labelled questions near a question: two features of the answerability model."""

import json

import numpy as np
import pytest

from index.scope import (
    ANSWERABLE,
    UNANSWERABLE,
    ScopeBank,
    ScopeExample,
    load_examples,
    write_examples,
)


def _unit(*values: float) -> np.ndarray:
    v = np.array(values, dtype=np.float32)
    return v / np.linalg.norm(v)


def test_nearest_gives_the_best_cosine_to_each_side():
    bank = ScopeBank(("a", "b", "c"), np.stack([_unit(1, 0), _unit(0, 1), _unit(1, 1)]),
                     np.array([True, False, True]))
    near, far = bank.nearest(_unit(1, 0))
    assert near == pytest.approx(1.0) and far == pytest.approx(0.0, abs=1e-6)
    near, far = bank.nearest(_unit(0, 1))
    assert near == pytest.approx(float(_unit(1, 1)[1])) and far == pytest.approx(1.0)


def test_a_question_left_out_is_not_its_own_neighbour():
    """Calibration leaves each question's own entry out (all entries of that text)."""
    bank = ScopeBank(("a", "a", "b"), np.stack([_unit(1, 0), _unit(1, 0), _unit(1, 1)]),
                     np.array([True, True, False]))
    near, far = bank.nearest(_unit(1, 0), leave_out="a")
    assert near == 0.0 and far == pytest.approx(float(_unit(1, 1)[0]))


def test_an_empty_bank_offers_nothing():
    assert ScopeBank.empty().nearest(_unit(1, 0)) == (0.0, 0.0)
    assert len(ScopeBank.empty()) == 0


def test_examples_round_trip_and_a_missing_file_is_empty(tmp_path):
    path = tmp_path / "scope.jsonl"
    assert load_examples(path) == []
    examples = [ScopeExample("apa itu paradiplomasi?", "id", True),
                ScopeExample("resep nasi goreng", "id", False)]
    write_examples(examples, path)
    assert load_examples(path) == examples
    assert [json.loads(line)["answerable"] for line in path.read_text().splitlines()] \
        == [True, False]
    assert [e.label for e in examples] == [ANSWERABLE, UNANSWERABLE]


def test_without_labelled_questions_or_on_another_corpus_the_base_model_answers(tmp_path):
    """A model fitted with labelled questions, loaded beside an index that holds none (built
    before index/scope.jsonl) or whose passages are not those the questions were labelled
    against (another article, an imported full text), answers with the model fitted
    without them; with neither, the coverage rule."""
    from index.answerability import FEATURES, load_calibration

    path = tmp_path / "calibration.json"
    entry = {"features": list(FEATURES), "weights": [1.0] * len(FEATURES), "bias": -1.0,
             "threshold": 0.5, "passages_sha256": "abc",
             "base": {"features": list(FEATURES[:3]), "weights": [2.0, 0.0, 1.0],
                      "bias": -2.0, "threshold": 0.6}}
    path.write_text(json.dumps({"m": entry}))
    full = load_calibration("m", path, labelled_questions=10, passages_sha256="abc")
    assert full.weights == (1.0,) * len(FEATURES) and full.threshold == 0.5
    for base in (load_calibration("m", path, labelled_questions=0, passages_sha256="abc"),
                 load_calibration("m", path, labelled_questions=10, passages_sha256="xyz")):
        assert base.calibrated and base.threshold == 0.6
        assert base.weights == (2.0, 0.0, 1.0, 0.0, 0.0) and base.bias == -2.0
    del entry["base"]
    path.write_text(json.dumps({"m": entry}))
    assert not load_calibration("m", path, labelled_questions=0).calibrated


@pytest.mark.real_model
def test_the_served_model_uses_the_labelled_questions_on_the_seed_corpus(e5_engine):
    """The committed calibration was fitted on the seed corpus's passages: served with them,
    the labelled questions' features weigh in."""
    assert len(e5_engine.searcher.stored.scope) > 0
    assert any(e5_engine.answerability.weights[3:])
