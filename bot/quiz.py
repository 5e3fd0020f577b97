"""``python -m bot quiz``: the quiz items of the corpus, printed for review (text or JSON).

Needs only the corpus (no index, no model): items are made from the articles and the
hand-written ``*.quiz.toml`` files beside them (see ``docs/quiz.md``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TextIO

from index import LANGUAGES
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
