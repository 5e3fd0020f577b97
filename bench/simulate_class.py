"""Simulate a class using the bot for a week (or a semester), then write the lecturer's report.

    python -m bench.simulate_class [--students 60] [--days 7] [--out sim-report] [--seed 1]

Runs the real bot in-process with the real index (INDEX_DIR; build it first) against the
fake Bot API server on 127.0.0.1, with the default settings. Each simulated student, on a few
days of the week, asks questions drawn from the labelled sets in eval/ (in scope and out of
scope, some typed casually), presses 👍 or 👎 on some answers, and now and then opens a deep
link. Simulated time drives the store (so retention and the report's days) and the
per-student flood limit: a student's questions are a minute or two apart, as in class, and
days pass in seconds without the limiter silencing anyone. Prints the report's numbers.
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


QUESTION_GAP = (40.0, 150.0)  # seconds between one student's questions in class


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


async def simulate(students: int, days: int, out: Path, seed: int,
                   engine: Engine | None = None, index_dir: Path | None = None,
                   corpus_dir: Path | None = None) -> tuple[reports.Summary, int]:
    """Run the class; return the report's summary and how many questions were sent."""
    rng = random.Random(seed)
    pool = [item for name in ("dev", "tuning", "holdout")
            for item in read_labelled(ROOT / "eval" / f"{name}.jsonl")]
    in_scope = [i for i in pool if i.in_scope]
    off_topic = [i for i in pool if not i.in_scope]
    base = BotSettings()
    engine = engine or Engine.load(base)
    tz = base.zone()
    first_day = dt.datetime.now(tz).date() - dt.timedelta(days=days)
    last_day = first_day + dt.timedelta(days=days - 1)
    clock = SimClock(reports.day_start(first_day, tz))
    class_hour = 9 * 3600  # questions come in during the morning's class (local time)
    db = out / "class.sqlite3"
    for stale in out.glob("class.sqlite3*"):
        stale.unlink()
    sent = 0
    with FakeTelegram() as fake:
        settings = BotSettings(_env_file=None, index_dir=index_dir or base.index_dir,
                               corpus_dir=corpus_dir or base.corpus_dir,
                               telegram_bot_token=fake.token, telegram_base_url=fake.base_url,
                               database_path=db, timezone=base.timezone)
        store = SQLiteStore(db, retention_days=settings.retention_days, clock=clock)
        users = [fake.user(20_000 + i, f"S{i}", rng.choice(["id", "id", "id", "en", None]))
                 for i in range(students)]
        chats = {u["id"]: fake.private_chat(u) for u in users}
        async with running_bot(settings, engine, store, clock):
            for day in range(days):
                class_day = day % 7 in (0, 3)
                today = [u for u in users if rng.random() < (0.8 if class_day else 0.35)]
                for k, user in enumerate(today):
                    chat = chats[user["id"]]
                    # each student starts at their own moment of the class
                    clock.now = (reports.day_start(first_day + dt.timedelta(days=day), tz)
                                 + class_hour + k * 30)
                    for _ in range(rng.randint(1, 4)):
                        clock.now += rng.uniform(*QUESTION_GAP)
                        sent += 1
                        item = rng.choice(off_topic) if rng.random() < 0.15 else rng.choice(in_scope)
                        before = len(fake.sent_to(chat["id"]))
                        payload = deeplinks.inline_payload(item.question, "auto")
                        if payload and rng.random() < 0.05:
                            fake.send_command(chat, user, f"/start {payload}")
                        else:
                            fake.send_text(chat, user, casual(item.question, item.language, rng))
                        reply = (await fake.until(fake.replies(chat["id"], after=before)))[0]
                        if rng.random() < 0.4 and any(b["text"] == "👍" for b in reply.buttons()):
                            good = item.in_scope == ("📄" in reply.visible)
                            vote = "👍" if rng.random() < (0.85 if good else 0.2) else "👎"
                            qid = fake.press(user, reply, reply.button(vote))
                            await fake.until(functools.partial(fake.callback_answers.get, qid))
            rows = store.interactions(reports.day_start(first_day, tz),
                                      reports.day_start(last_day + dt.timedelta(days=1), tz))
        assert not fake.errors, fake.errors
    searcher = engine.searcher

    def passage_text(passage_id: str) -> str | None:
        passage = searcher.passage(passage_id)
        return passage.text if passage else None

    summary = reports.summarize(rows, first_day, last_day, tz, top=reports.REPORT_TOP,
                                embed=engine.embedder.embed_queries, passage_text=passage_text)
    title = f"Simulated class: {students} students, {days} days"
    (out / "report.html").write_text(reports.report_html(summary, title), encoding="utf-8")
    reports.write_csv(rows, out / "report.csv", tz, passage_text)
    return summary, sent


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
    s, sent = asyncio.run(simulate(args.students, args.days, out, args.seed))
    print(f"{s.questions} of {sent} questions answered or refused and stored, from "
          f"{args.students} students over {args.days} days ({s.students} active); answered "
          f"{s.answered_share:.0%}; languages {s.by_language}; votes on answers "
          f"👍 {s.on_answers.up} 👎 {s.on_answers.down}, on refusals 👍 {s.on_refusals.up} "
          f"👎 {s.on_refusals.down}")
    print("most asked:", "; ".join(f"{g.count}× {g.text}" for g in s.top_asked[:5]))
    print("most often not answered:", "; ".join(f"{g.count}× {g.text}"
                                                 for g in s.top_unanswered[:5]))
    unit = "day" if s.unit == "day" else "week"
    print(f"per {unit} ({len(s.buckets)} bars):",
          ", ".join(f"{b.label} {b.questions}" for b in s.buckets))
    print(f"report: {out / 'report.html'} and {out / 'report.csv'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
