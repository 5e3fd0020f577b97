"""How near a question is to labelled questions the corpus answers, and to ones it does not.

``index/scope.jsonl`` holds the questions ``python -m index calibrate`` fits the
answerability model on (our tuning files and the read halves of the student sets, never a
kept half or the dev set), as the normaliser reads them, each marked answerable or not:
content questions are, out-of-scope questions and questions about what the abstract does
not state ("metodenya apa?") are not. They are embedded at build time with the index's own
embedder and stored beside the intent examples. A question's best cosine to each side is two
features of the answerability model: a paraphrase that shares few words with the abstract
("MoU sister city cuma formalitas, solusinya apa") is often near a labelled answerable
question, and a near-topic question the abstract cannot answer ("gaji kepala daerah
berapa") near a labelled out-of-scope one. Calibration leaves each question's own entry out.
The labels hold for the corpus they were written for: with other passages (another article
added, a full text imported) the model without these two features answers (the calibration
stores both, and the passages' digest).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from index.passages import Passage

SCOPE_FILE = Path(__file__).with_name("scope.jsonl")
# How the examples are labelled among the intent examples of a build (index/build.py)
ANSWERABLE, UNANSWERABLE = "scope.answerable", "scope.unanswerable"
LABELS = (ANSWERABLE, UNANSWERABLE)


@dataclass(frozen=True)
class ScopeExample:
    text: str  # as the normaliser reads the question
    language: str
    answerable: bool

    @property
    def label(self) -> str:
        return ANSWERABLE if self.answerable else UNANSWERABLE


def passages_digest(passages: Sequence[Passage]) -> str:
    """What the labelled questions were labelled against: the passages' ids and texts. A
    corpus with other passages (another article, an imported full text) answers other
    questions, so the answerability model leaves them out there."""
    h = hashlib.sha256()
    for p in passages:
        h.update(f"{p.id}\0{p.text}\n".encode())
    return h.hexdigest()


def load_examples(path: Path = SCOPE_FILE) -> list[ScopeExample]:
    """The labelled questions, or none when the file is missing (a corpus never calibrated)."""
    if not path.exists():
        return []
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    return [ScopeExample(row["text"], row["language"], bool(row["answerable"])) for row in rows]


def write_examples(examples: Iterable[ScopeExample], path: Path = SCOPE_FILE) -> None:
    path.write_text("".join(
        json.dumps({"text": e.text, "language": e.language, "answerable": e.answerable},
                   ensure_ascii=False) + "\n" for e in examples), encoding="utf-8")


@dataclass(frozen=True)
class ScopeBank:
    """The labelled questions' vectors (rows, unit length) and which are answerable."""

    texts: tuple[str, ...]
    xb: np.ndarray
    answerable: np.ndarray  # bool, one per row

    @classmethod
    def empty(cls) -> ScopeBank:
        return cls((), np.zeros((0, 0), dtype=np.float32), np.zeros(0, dtype=bool))

    def __len__(self) -> int:
        return len(self.texts)

    def nearest(self, xq: np.ndarray, leave_out: str | None = None) -> tuple[float, float]:
        """The best cosine of ``xq`` to an answerable and to an unanswerable question (0.0
        for a side with none), not counting questions whose text is ``leave_out``."""
        if not self.texts:
            return 0.0, 0.0
        sims = self.xb @ np.asarray(xq, dtype=np.float32).reshape(-1)
        keep = np.ones(len(self.texts), dtype=bool) if leave_out is None else \
            np.fromiter((t != leave_out for t in self.texts), dtype=bool, count=len(self.texts))
        near = sims[keep & self.answerable]
        far = sims[keep & ~self.answerable]
        return (float(near.max()) if near.size else 0.0, float(far.max()) if far.size else 0.0)
