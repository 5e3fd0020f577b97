"""Simulate a class using the bot for a week, then write the lecturer's report.

    python -m bench.simulate_class [--students 60] [--days 7] [--out sim-report] [--seed 1]

Runs the real bot in-process with the real index (INDEX_DIR; build it first) against the
fake Bot API server on 127.0.0.1. Each simulated student, on a few days of the week, asks
questions drawn from the labelled sets in eval/ (in scope and out of scope, some typed
casually), presses 👍 or 👎 on some answers, and now and then opens a deep link. The store's
clock is moved day by day, so the report shows a week. Prints the report's numbers.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import functools
import random
import sys
import tempfile
from pathlib import Path

from bot import deeplinks, reports
from bot.settings import BotSettings
from bot.storage import SQLiteStore
from index.answer import Engine
from index.evaluate import read_labelled
from tests.conftest import running_bot
from tests.fake_telegram import FakeTelegram

ROOT = Path(__file__).resolve().parent.parent


class SimClock:
    def __init__(self, start: float):
        self.now = start

    def __call__(self) -> float:
        return self.now


def casual(question: str, language: str, rng: random.Random) -> str:
    """How students type on phones: lower case, no question mark, sometimes a particle."""
    q = question
    if rng.random() < 0.5:
        q = q.lower()
    if rng.random() < 0.4:
        q = q.rstrip("?")
    if language == "id" and rng.random() < 0.15:
        q = q + (" dong" if rng.random() < 0.5 else " ya")
    return q


async def simulate(students: int, days: int, out: Path, seed: int) -> reports.Summary:
    rng = random.Random(seed)
    pool = [item for name in ("dev", "tuning", "holdout")
            for item in read_labelled(ROOT / "eval" / f"{name}.jsonl")]
    in_scope = [i for i in pool if i.in_scope]
    off_topic = [i for i in pool if not i.in_scope]
    base = BotSettings()
    engine = Engine.load(base)
    start_day = dt.datetime.now(dt.timezone.utc).replace(hour=0, minute=0, second=0,
                                                         microsecond=0) - dt.timedelta(days=days)
    clock = SimClock(start_day.timestamp())
    class_hour = 9 * 3600  # questions come in during the morning's class
    db = out / "class.sqlite3"
    db.unlink(missing_ok=True)
    store = SQLiteStore(db, clock=clock)
    with FakeTelegram() as fake:
        settings = BotSettings(_env_file=None, index_dir=base.index_dir, corpus_dir=base.corpus_dir,
                               telegram_bot_token=fake.token, telegram_base_url=fake.base_url,
                               database_path=db)
        users = [fake.user(20_000 + i, f"S{i}", rng.choice(["id", "id", "id", "en", None]))
                 for i in range(students)]
        chats = {u["id"]: fake.private_chat(u) for u in users}
        async with running_bot(settings, engine, store):
            for day in range(days):
                clock.now = start_day.timestamp() + day * 86400 + class_hour
                today = [u for u in users if rng.random() < (0.8 if day in (0, 3) else 0.35)]
                for user in today:
                    chat = chats[user["id"]]
                    for _ in range(rng.randint(1, 4)):
                        item = rng.choice(off_topic) if rng.random() < 0.15 else rng.choice(in_scope)
                        before = len(fake.sent_to(chat["id"]))
                        if rng.random() < 0.05:
                            payload = deeplinks.inline_payload(item.question, "auto")
                            fake.send_command(chat, user, f"/start {payload}")
                        else:
                            fake.send_text(chat, user, casual(item.question, item.language, rng))
                        reply = (await fake.until(fake.replies(chat["id"], after=before)))[0]
                        if rng.random() < 0.4 and any(b["text"] == "👍" for b in reply.buttons()):
                            good = item.in_scope == ("📄" in reply.visible)
                            vote = "👍" if rng.random() < (0.85 if good else 0.2) else "👎"
                            qid = fake.press(user, reply, reply.button(vote))
                            await fake.until(functools.partial(fake.callback_answers.get, qid))
            until = start_day.timestamp() + days * 86400
            rows = store.interactions(start_day.timestamp(), until)
        assert not fake.errors, fake.errors
    tz = settings.zone()
    summary = reports.summarize(rows, reports.local_day(start_day.timestamp(), tz),
                                reports.local_day(until - 1, tz), tz)
    (out / "report.html").write_text(reports.report_html(summary, "Simulated class: one week"),
                                     encoding="utf-8")
    reports.write_csv(rows, out / "report.csv", tz)
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.simulate_class",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=60)
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=None, help="folder for the report")
    args = parser.parse_args(argv)
    out = args.out or Path(tempfile.mkdtemp(prefix="sim-report-"))
    out.mkdir(parents=True, exist_ok=True)
    s = asyncio.run(simulate(args.students, args.days, out, args.seed))
    print(f"{s.questions} questions from {args.students} students over {args.days} days; "
          f"answered {s.answered_share:.0%}; languages {s.by_language}; 👍 {s.up} 👎 {s.down}")
    print("most asked:", "; ".join(f"{g.count}× {g.text}" for g in s.top_asked))
    print("most often not answered:", "; ".join(f"{g.count}× {g.text}" for g in s.top_unanswered))
    print("per day:", ", ".join(f"{b.label} {b.questions} ({b.answered}/{b.questions})"
                                for b in s.buckets))
    print(f"report: {out / 'report.html'} and {out / 'report.csv'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
