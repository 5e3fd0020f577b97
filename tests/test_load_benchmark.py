"""The load benchmark's own machinery, small: a real `python -m bot` process with its worker
processes, a few students, the figures it reports (docs/performance.md's tables come from
the full run: python -m bench.load_benchmark --compare --link)."""

import pytest

from bench.load_benchmark import CONFIGURATIONS, median_run, questions, run_class
from bot.deeplinks import inline_payload

pytestmark = pytest.mark.real_model


def test_a_small_class_is_measured_in_both_configurations(e5_settings):
    pool = questions()
    assert len(pool) > 150 and len(set(pool)) == len(pool)  # real, distinct questions
    for name, overrides in CONFIGURATIONS.items():
        run = run_class(6, pool, e5_settings, overrides)
        assert run["students"] == 6 and run["answers_per_second"] > 0
        assert 0 < run["answer_median_ms"] <= run["answer_p95_ms"]
        assert run["peak_memory_mb"] > 50 and run["embed_batches"] >= 1
        shares = {k: v for k, v in run.items() if k.startswith("cpu ") and k != "cpu idle"}
        assert all(0 <= v <= 1 for v in shares.values())
        assert 0 < sum(shares.values()) <= 1.25  # the machine's time, ± 10 ms ticks of a short run
        workers = shares["cpu embedding workers"]
        assert (workers > 0) if name == "default" else workers == 0
    merged = median_run([run, {**run, "answers_per_second": 1.0}])
    assert merged["runs"] == 2 and merged["answers_per_second_min"] == 1.0


def test_a_class_opening_one_link_costs_one_embedding(e5_settings):
    pool = questions()
    run = run_class(8, pool, e5_settings, {"QUERY_CACHE_SIZE": "100"},
                    inline_payload(pool[0], "id"))
    assert run["students"] == 8 and run["embed_batches"] == 1
