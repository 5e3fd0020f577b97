"""Class quizzes outside Telegram: ``python -m bot quiz`` (the items, printed for review, as
text or JSON) and the results of rounds (for ``/hasil`` and the lecturer's report).

Needs only the corpus (no index, no model): items are made from the articles and the
hand-written ``*.quiz.toml`` files beside them (see ``docs/quiz.md``).
"""

from __future__ import annotations

import html
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from bot.reports import REPORT_LABELS
from bot.storage import QuizAnswer, QuizPoll
from index import DEFAULT_LANGUAGE, LANGUAGES
from index.corpus import CorpusError, load_corpus
from index.quiz import Quiz, QuizItem
from index.settings import Settings

LETTERS = "abcdefghij"  # one per option: Telegram allows at most ten


def render_item(item: QuizItem) -> str:
    """One item for a reviewer: kind and id, question, lettered options (✓ the right one),
    the explanation."""
    lines = [f"[{item.kind}] {item.id}", item.question]
    for i, option in enumerate(item.options):
        mark = "  ✓" if i == item.correct else ""
        lines.append(f"  {LETTERS[i]}) {option}{mark}")
    lines.append(f"  — {item.explanation}")
    return "\n".join(lines)


def load_quiz(corpus_dir: Path) -> Quiz:
    """The corpus's quiz; :class:`CorpusError` if an article or quiz file is broken."""
    docs = load_corpus(corpus_dir)
    return Quiz.load(corpus_dir, docs)


def run_quiz(settings: Settings, language: str | None, n: int | None, seed: int, as_json: bool,
             stdout: TextIO) -> int:
    """Print every item (or a round of ``n``, as the bot would choose it) for ``seed``."""
    try:
        quiz = load_quiz(Path(settings.corpus_dir))
    except CorpusError as exc:
        first = exc.problems[0] if exc.problems else "unknown problem"
        more = f" (and {len(exc.problems) - 1} more; python -m index build lists them)" \
            if len(exc.problems) > 1 else ""
        print(f"error: the corpus has a problem: {first}{more}", file=sys.stderr)
        return 1
    for lang in (language,) if language else LANGUAGES:
        items = quiz.items(lang, seed) if n is None else quiz.round(lang, n, seed)
        for item in items:
            if as_json:
                stdout.write(json.dumps(item.to_json(), ensure_ascii=False) + "\n")
            else:
                stdout.write(render_item(item) + "\n\n")
    return 0


# -- results (the bot's /hasil and the lecturer's report) --------------------------------

@dataclass(frozen=True)
class ItemResult:
    """How a class did on one poll: answers, share right, the wrong option chosen most."""

    position: int
    question: str
    answer: str  # the right option
    passage_id: str
    answers: int
    correct: int
    top_wrong: str | None  # the wrong option chosen most (ties: the first shown), or None
    top_wrong_count: int

    @property
    def share_correct(self) -> float:
        return self.correct / self.answers if self.answers else 0.0


def round_results(polls: Sequence[QuizPoll], answers: Sequence[QuizAnswer]) -> list[ItemResult]:
    """Per poll of a round, in the order asked: what the answers say."""
    out = []
    for poll in sorted(polls, key=lambda p: p.position):
        mine = [a for a in answers if a.poll.poll_id == poll.poll_id]
        counts = Counter(a.option for a in mine if a.option != poll.correct)
        top = max(sorted(counts), key=lambda o: counts[o]) if counts else None
        out.append(ItemResult(
            position=poll.position, question=poll.question, answer=poll.options[poll.correct],
            passage_id=poll.passage_id, answers=len(mine),
            correct=sum(a.option == poll.correct for a in mine),
            top_wrong=poll.options[top] if top is not None else None,
            top_wrong_count=counts[top] if top is not None else 0))
    return out


@dataclass(frozen=True)
class SentenceResult:
    """How students did on the items citing one sentence of the article."""

    passage_id: str
    answers: int
    wrong: int

    @property
    def share_wrong(self) -> float:
        return self.wrong / self.answers if self.answers else 0.0


def sentences_missed(answers: Iterable[QuizAnswer]) -> list[SentenceResult]:
    """Sentences by how often the answers to their items were wrong: most wrong first (then
    by share wrong, then by id: a stable order)."""
    total: Counter[str] = Counter()
    wrong: Counter[str] = Counter()
    for a in answers:
        total[a.poll.passage_id] += 1
        wrong[a.poll.passage_id] += not a.correct
    rows = [SentenceResult(pid, total[pid], wrong[pid]) for pid in total]
    return sorted(rows, key=lambda r: (-r.wrong, -r.share_wrong, r.passage_id))


# -- the lecturer's report -----------------------------------------------------------------

REPORT_SENTENCES = 10  # sentences listed in the report's quiz section: the ones to revisit
PassageText = Callable[[str], "str | None"]

@dataclass(frozen=True)
class QuizReport:
    """The report's quiz section: totals, and the sentences the class got wrong most."""

    answers: int
    correct: int
    students: int
    sentences: tuple[tuple[SentenceResult, str | None], ...]  # with the sentence's text


def quiz_report(answers: Sequence[QuizAnswer], passage_text: PassageText | None = None,
                top: int = REPORT_SENTENCES) -> QuizReport:
    rows = [r for r in sentences_missed(answers) if r.wrong][:top]
    return QuizReport(
        answers=len(answers), correct=sum(a.correct for a in answers),
        students=len({a.user_hash for a in answers}),
        sentences=tuple((r, passage_text(r.passage_id) if passage_text else None) for r in rows))


def quiz_section_html(report: QuizReport, language: str = DEFAULT_LANGUAGE) -> str:
    """The report's quiz section as HTML (table of sentences: wrong / answers, the sentence)."""
    L = REPORT_LABELS.get(language, REPORT_LABELS[DEFAULT_LANGUAGE])
    esc = html.escape
    head = f"<h2>{L['quiz_title']}</h2>"
    if not report.answers:
        return f"{head}<p>{L['quiz_none']}</p>"
    share = f"{100 * report.correct / report.answers:.0f}%"
    note = L["quiz_note"].format(answers=report.answers, students=report.students, share=share)
    body = "".join(
        f"<tr><td>{r.wrong}/{r.answers}</td><td>{esc(text) if text else ''} "
        f"<small class=\"muted\">{esc(r.passage_id)}</small></td></tr>"
        for r, text in report.sentences)
    table = (f'<div class="scroll"><table><tr><th>{L["quiz_wrong"]}/{L["quiz_answers"]}</th>'
             f'<th>{L["quiz_sentence"]}</th></tr>{body}</table></div>') if body else ""
    return f'{head}<p class="muted">{esc(note)}</p>{table}'
