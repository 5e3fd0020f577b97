"""Quality harness: run labelled questions through ``answer()`` and report per language.

    python -m index evaluate eval/dev.jsonl [--mode hybrid|dense|bm25] [--json] [--failures]
    python -m index evaluate eval/students-holdout.jsonl [--failures]

Two formats. Student-style files (lines with ``category``, ``turns`` and ``expect``, as in
``eval/students-holdout.jsonl``) are scored like ``ask --json``: each item's turns share one
conversation, the last turn's reply is checked (``answered``, the reply's ``language``,
``any``/``all``/``none`` regexes on the reply text, ``at_least`` N ``of`` a list), and the
figures are per category, against the bars a student set must reach.

Formal files:

Each line of FILE is ``{"question": str, "language": "id"|"en", "expect_any": [[regex, ...],
...] | null}``; ``null`` marks a question the article does not answer. A question is a hit
when ``passages[0]`` matches every pattern of one of its lists (case-insensitive, whitespace
collapsed) and the answer's language is the question's. Reports hit@1 and MRR per language,
the share of out-of-scope questions refused and the share of in-scope questions answered.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from index.answer import Answer, Engine
from index.informal import STEPS
from index.search import LEXICAL_WEIGHT, MODES, Mode

T = TypeVar("T")

@dataclass(frozen=True)
class Labelled:
    question: str
    language: str
    expect_any: list[list[str]] | None

    @property
    def in_scope(self) -> bool:
        return self.expect_any is not None


def read_labelled(path: Path) -> list[Labelled]:
    """Labelled questions of a formal file, or the one-turn content and out-of-scope items of
    a student-style file (what calibration fits on)."""
    if is_student_file(path):
        return [_as_labelled(item) for item in read_student_items(path)
                if len(item.turns) == 1 and item.category in ("content", "out_of_scope")]
    return _read_lines(path, "a labelled question", lambda d: Labelled(
        d["question"], d["language"], d.get("expect_any")))


def _read_lines(path: Path, what: str, parse: Callable[[dict], T]) -> list[T]:
    """Each non-blank JSON line of ``path`` parsed; a bad line names its file and number."""
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rows.append(parse(json.loads(line)))
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{n}: not {what} ({exc})") from None
    return rows


def _as_labelled(item: StudentItem) -> Labelled:
    expect = [[pattern] for pattern in item.expect.get("any", ())]
    return Labelled(item.turns[0], item.language,
                    expect if item.category == "content" else None)


def matches(text: str, expect_any: list[list[str]]) -> bool:
    """True when ``text`` matches every pattern of at least one list."""
    flat = " ".join(text.split())
    return any(all(re.search(p, flat, re.IGNORECASE) for p in group) for group in expect_any)


def rank_of_first_match(answer: Answer, item: Labelled) -> int | None:
    for rank, sp in enumerate(answer.passages, 1):
        if sp.passage.language == item.language and matches(sp.passage.text, item.expect_any or []):
            return rank
    return None


@dataclass
class Report:
    rows: list[dict]

    def summary(self) -> dict:
        out: dict = {"languages": {}}
        for lang in sorted({r["language"] for r in self.rows}):
            ins = [r for r in self.rows if r["language"] == lang and r["in_scope"]]
            oos = [r for r in self.rows if r["language"] == lang and not r["in_scope"]]
            out["languages"][lang] = {
                "in_scope": len(ins),
                "hit@1": _share(r["hit"] for r in ins),
                "mrr": sum(1 / r["rank"] for r in ins if r["rank"]) / len(ins) if ins else None,
                "language_correct": _share(r["language_ok"] for r in self.rows if r["language"] == lang),
                "out_of_scope": len(oos),
            }
        ins = [r for r in self.rows if r["in_scope"]]
        oos = [r for r in self.rows if not r["in_scope"]]
        out["in_scope_answered"] = _share(r["answered"] for r in ins)
        out["out_of_scope_refused"] = _share(not r["answered"] for r in oos)
        out["answered_and_hit"] = _share(r["hit"] and r["answered"] for r in ins)
        return out


def _share(flags: Iterable[bool]) -> float | None:
    flags = list(flags)
    return sum(flags) / len(flags) if flags else None


def evaluate(engine: Engine, items: list[Labelled], mode: Mode = "hybrid") -> Report:
    rows = []
    for item in items:
        answer = engine.answer(item.question, mode=mode)
        language_ok = answer.language == item.language
        rank = rank_of_first_match(answer, item) if item.in_scope and language_ok else None
        rows.append({
            "question": item.question, "language": item.language, "in_scope": item.in_scope,
            "answered": answer.answered, "language_ok": language_ok, "rank": rank,
            "hit": rank == 1, "top": answer.passages[0].passage.id if answer.passages else None,
        })
    return Report(rows)


def format_summary(summary: dict) -> str:
    def pct(x):
        return "  n/a" if x is None else f"{x:5.3f}"

    lines = ["lang  in-scope  hit@1   MRR    lang-ok  out-of-scope"]
    for lang, s in summary["languages"].items():
        lines.append(f"{lang:4}  {s['in_scope']:8}  {pct(s['hit@1'])}  {pct(s['mrr'])}  "
                     f"{pct(s['language_correct'])}    {s['out_of_scope']}")
    lines.append(f"in-scope answered:    {pct(summary['in_scope_answered'])}")
    lines.append(f"out-of-scope refused: {pct(summary['out_of_scope_refused'])}")
    lines.append(f"answered and hit@1:   {pct(summary['answered_and_hit'])}")
    return "\n".join(lines)


def print_failures(report: Report) -> None:
    """Misses of in-scope questions and answers to out-of-scope ones."""
    for r in report.rows:
        if (r["in_scope"] and not (r["hit"] and r["answered"])) or (
                not r["in_scope"] and r["answered"]):
            print(f"  FAIL {r['language']} {r['question']!r}: top={r['top']} "
                  f"rank={r['rank']} answered={r['answered']}")
# The share of messages each category must get right (issue bars for realistic messages).
STUDENT_BARS = {"content": 0.95, "cite": 0.85, "summary": 0.8, "conclusion": 0.8,
                "smalltalk": 0.85, "not_stated": 0.9, "followup": 0.75, "out_of_scope": 1.0}


@dataclass(frozen=True)
class StudentItem:
    id: str
    category: str
    language: str
    turns: list[str]
    expect: dict


def is_student_file(path: Path) -> bool:
    first = next((line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()),
                 "{}")
    try:
        return "turns" in json.loads(first)
    except ValueError:
        return False


def read_student_items(path: Path) -> list[StudentItem]:
    return _read_lines(path, "a student item", lambda d: StudentItem(
        d["id"], d["category"], d["language"], list(d["turns"]), dict(d["expect"])))


def student_failures(answer: Answer, text: str, item: StudentItem) -> list[str]:
    """Why the reply to an item's last turn fails its expectations (empty: it passes)."""
    e, reply = item.expect, " ".join(text.split()).lower()
    why = []
    if "answered" in e and answer.answered is not e["answered"]:
        why.append(f"answered={answer.answered}")
    if answer.language != item.language:
        why.append(f"language={answer.language}")
    if "any" in e and not any(re.search(r, reply) for r in e["any"]):
        why.append("no expected passage")
    if "all" in e and not all(re.search(r, reply) for r in e["all"]):
        why.append("missing " + ", ".join(r for r in e["all"] if not re.search(r, reply)))
    if "none" in e and any(re.search(r, reply) for r in e["none"]):
        why.append("has what it must not")
    if "at_least" in e and sum(bool(re.search(r, reply)) for r in e["of"]) < e["at_least"]:
        why.append(f"fewer than {e['at_least']} expected sentences")
    return why


@dataclass
class FirstPassage:
    """Content answers judged on the first passage alone: a reply that shows two near-tied
    sentences passes the set's check if either is right, this counts only the first."""

    right: int = 0
    total: int = 0
    two_shown: int = 0  # replies that showed two passages

    def add(self, answer: Answer, item: StudentItem) -> None:
        self.total += 1
        self.two_shown += answer.kind == "passage" and answer.shown > 1
        first = " ".join(answer.best.text.split()).lower() if answer.best else ""
        self.right += answer.answered and any(re.search(r, first)
                                              for r in item.expect.get("any", ()))

    def line(self) -> str:
        return (f"content, right in the first passage: {self.right}/{self.total}"
                f" ({self.right / max(1, self.total):.3f}); replies showing two near-tied"
                f" passages: {self.two_shown}")


def evaluate_students(engine: Engine, items: list[StudentItem], render: Callable[[Answer], str],
                      first: FirstPassage | None = None) -> tuple[dict, list[tuple]]:
    """Per category (right, total), and the failures as (item, reply text, reasons).
    ``render`` turns an answer into the text a student reads (a face's words); ``first``,
    if given, also counts the content answers whose first passage alone is right."""
    from index.conversation import Conversation

    categories: dict[str, list[int]] = {}
    failures = []
    for item in items:
        conversation = Conversation()
        answer = None
        for turn in item.turns:
            answer = engine.answer(turn, conversation=conversation)
        assert answer is not None
        text = render(answer)
        why = student_failures(answer, text, item)
        counts = categories.setdefault(item.category, [0, 0])
        counts[0] += not why
        counts[1] += 1
        if why:
            failures.append((item, text, why))
        if first is not None and item.category == "content" and "any" in item.expect:
            first.add(answer, item)
    return categories, failures


def format_students(categories: dict[str, list[int]]) -> str:
    lines = ["category       right  total  share  bar"]
    for name, (right, total) in categories.items():
        bar = STUDENT_BARS.get(name)
        mark = "" if bar is None else ("  ok" if right / total >= bar else "  BELOW")
        lines.append(f"{name:13} {right:6} {total:6}  {right / total:5.3f}  "
                     f"{bar if bar is not None else '-'}{mark}")
    right = sum(c[0] for c in categories.values())
    total = sum(c[1] for c in categories.values())
    lines.append(f"{'all':13} {right:6} {total:6}  {right / max(1, total):5.3f}")
    return "\n".join(lines)


def _run_students(engine: Engine, path: Path, as_json: bool, failures: bool) -> int:
    from bot.replies import plain_text, reply_for  # the words students read live in the faces

    first = FirstPassage()
    categories, failed = evaluate_students(engine, read_student_items(path),
                                           lambda a: plain_text(reply_for(a, engine)), first)
    if as_json:
        print(json.dumps({name: {"right": r, "total": n, "share": round(r / n, 4)}
                          for name, (r, n) in categories.items()}, indent=1))
        return 0
    print(f"== {path} ({sum(c[1] for c in categories.values())} student messages)")
    print(format_students(categories))
    if first.total:
        print(first.line())
    if failures:
        for item, text, why in failed:
            print(f"  FAIL {item.category:12} {item.turns!r} -> {'; '.join(why)} | "
                  f"{' '.join(text.split())[:120]!r}")
    return 0


def _load_engine() -> Engine | None:
    """The engine of the settings' index, or None after one line on stderr."""
    from index.settings import Settings
    from index.store import IndexLoadError
    try:
        return Engine.load(Settings())
    except IndexLoadError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return None


def main(argv: list[str] | None = None, engine: Engine | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m index evaluate",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path, help="labelled questions, one JSON object per line")
    parser.add_argument("--mode", choices=MODES, default="hybrid",
                        help="retrieval to evaluate (default: hybrid)")
    parser.add_argument("--compare", action="store_true",
                        help="evaluate dense, bm25 and hybrid in one run")
    parser.add_argument("--lexical-weight", type=float, default=None,
                        help=f"BM25 weight in the fusion (default {LEXICAL_WEIGHT})")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.add_argument("--failures", action="store_true", help="list misses and wrong refusals")
    parser.add_argument("--normalize", choices=STEPS, default=None,
                        help="chat-language steps to apply (default: all, as answer() does; "
                             "none/lexicon measure what each step adds)")
    args = parser.parse_args(argv)
    try:
        students = is_student_file(args.file)
        items = [] if students else read_labelled(args.file)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    engine = engine or _load_engine()
    if engine is None:
        return 1
    if args.normalize is not None:  # this process's own engine, never a live one
        engine.normalizer = engine.normalizer.with_steps(args.normalize)
    if students:
        return _run_students(engine, args.file, args.json, args.failures)
    if args.lexical_weight is not None:
        engine.searcher.lexical_weight = args.lexical_weight
    modes = MODES if args.compare else (args.mode,)
    results = {}
    for mode in modes:
        report = evaluate(engine, items, mode)
        results[mode] = report.summary()
        if not args.json:
            print(f"== {args.file} ({len(items)} questions, retrieval: {mode})")
            print(format_summary(results[mode]))
            if args.failures:
                print_failures(report)
    if args.json:
        print(json.dumps(results if args.compare else results[args.mode], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
