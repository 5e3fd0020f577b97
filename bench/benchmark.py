"""Benchmark answer(): latency per question, start-up to the first answer, peak memory.

    python -m bench.benchmark [--rounds 5] [--startups 5] [--questions eval/dev.jsonl] [--json]

``--questions`` takes a formal file or a student-style one (every message of every turn).

Latency is measured in this process with the model loaded, over every question of the file,
``--rounds`` times, in a shuffled order each round; the embedder's own time per query is
measured in the same run, so the cost of everything else shows as a ratio. Start-up is the
wall time of a fresh ``python -m bot ask QUESTION`` (interpreter, imports, model, index,
first answer); peak memory is the largest resident set of those processes. The machine is
noisy: medians are quoted, and the ratio is taken within one run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.measure import percentile

STARTUP_QUESTION = "Apa itu paradiplomasi?"


def measure_latency(engine, questions: list[str], rounds: int, seed: int = 0) -> dict:
    rng = random.Random(seed)
    for q in questions[:5]:  # warm caches (stemmer, lingua) as a running bot has them
        engine.answer(q)
    answer_ms, embed_ms = [], []
    for _ in range(rounds):
        order = questions[:]
        rng.shuffle(order)
        for q in order:
            t = time.perf_counter()
            engine.embedder.embed_queries([q])
            embed_ms.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            engine.answer(q)
            answer_ms.append((time.perf_counter() - t) * 1000)
    med_answer, med_embed = statistics.median(answer_ms), statistics.median(embed_ms)
    return {
        "questions": len(questions), "rounds": rounds,
        "answer_median_ms": round(med_answer, 2),
        "answer_p95_ms": round(percentile(answer_ms, 0.95), 2),
        "embed_median_ms": round(med_embed, 2),
        "embed_p95_ms": round(percentile(embed_ms, 0.95), 2),
        "answer_over_embed": round(med_answer / med_embed, 3),
    }


def measure_startup(runs: int) -> dict:
    """Wall time and peak RSS of fresh `python -m bot ask` processes."""
    times, peaks = [], []
    env = {**os.environ, "LOG_LEVEL": "WARNING"}
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        t = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "bot", "ask", STARTUP_QUESTION], env=env,
                              capture_output=True, text=True, timeout=120)
        times.append(time.perf_counter() - t)
        if done.returncode != 0:
            raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr else "failed")
        peaks.append(max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
    return {"runs": runs, "startup_median_s": round(statistics.median(times), 3),
            "startup_max_s": round(max(times), 3),
            "peak_rss_mb": round(max(peaks) / 1024, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.benchmark",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=Path, default=Path("eval/dev.jsonl"))
    parser.add_argument("--rounds", type=int, default=5, help="passes over the questions")
    parser.add_argument("--startups", type=int, default=5, help="fresh processes to time")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    from index.answer import Engine
    from index.evaluate import is_student_file, read_labelled, read_student_items
    from index.settings import Settings
    from index.store import IndexLoadError

    settings = Settings()
    try:
        engine = Engine.load(settings)
    except IndexLoadError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if is_student_file(args.questions):  # every message of a student-style file
        questions = [turn for item in read_student_items(args.questions) for turn in item.turns]
    else:
        questions = [item.question for item in read_labelled(args.questions)]
    result: dict[str, object] = {"embedder": engine.embedder.model, "cores": os.cpu_count()}
    result |= measure_latency(engine, questions, args.rounds)
    result["this_process_peak_rss_mb"] = round(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    result |= measure_startup(args.startups)
    if args.json:
        print(json.dumps(result, indent=1))
        return 0
    print(f"embedder: {result['embedder']} on {result['cores']} cores")
    print(f"answer():  median {result['answer_median_ms']:.1f} ms, p95 "
          f"{result['answer_p95_ms']:.1f} ms  ({result['questions']} questions x {args.rounds})")
    print(f"embedder:  median {result['embed_median_ms']:.1f} ms, p95 "
          f"{result['embed_p95_ms']:.1f} ms  (same run)")
    print(f"answer / embedder (medians): {result['answer_over_embed']:.2f}")
    print(f"start-up to first answer (fresh `python -m bot ask`): median "
          f"{result['startup_median_s']:.2f} s, max {result['startup_max_s']:.2f} s "
          f"over {result['runs']} runs")
    print(f"peak RSS: {result['peak_rss_mb']:.0f} MB (fresh process), "
          f"{result['this_process_peak_rss_mb']:.0f} MB (this benchmark process)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
