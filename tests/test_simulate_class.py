"""The class simulation (bench.simulate_class) on a small class, with default settings."""

import csv

from bench.simulate_class import simulate


async def test_small_class_with_default_settings(built, fake_engine, tmp_path):
    """Five students over ten simulated days, default flood limit and retention: every
    question is answered or refused and stored (simulated time drives the limiter, so days
    passing in seconds silence no one), and the report and CSV are written."""
    summary, sent = await simulate(5, 10, tmp_path, seed=4, engine=fake_engine,
                                   index_dir=built.index_dir, corpus_dir=built.corpus_dir)
    assert sent > 30  # enough that the real-time limiter (6 per 30 s) would have cut some off
    assert summary.questions == sent
    assert summary.unit == "day" and len(summary.buckets) == 10
    assert sum(b.questions for b in summary.buckets) == sent
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Pertanyaan per hari" in page
    with open(tmp_path / "report.csv", newline="", encoding="utf-8-sig") as f:
        assert len(list(csv.reader(f))) == sent + 1  # refusals' cells span lines
