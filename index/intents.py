"""What does a message want, besides the article's content? Nearest labelled examples.

``index/intents.toml`` holds example utterances per intent (greeting, thanks, citation,
summary, "tell me more", "in English please", "what method did they use?" …) in both
languages. They are embedded at build time with the index's own embedder, as queries, and
stored in the index folder. A message is labelled by its nearest example (cosine of the query
vectors it already has for search, so recognising costs no extra embedding), when that example
is close enough; an intent's cue words in the message add a small bonus. The threshold and the
bonus are fitted by ``python -m index calibrate`` (leave-one-out over the examples) and stored
with the answerability model. Examples labelled ``none`` are content questions that look like
intents: when one of them is nearest, the message goes to search.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.text import nya_form, words

EXAMPLES_FILE = Path(__file__).with_name("intents.toml")
NONE = "none"
NOT_STATED = "not_stated"
FIELD = "field"  # "who wrote it?", "when was it published?": answered from the record
FAMILIES = (NOT_STATED, FIELD)  # labels "family.FIELD", written as [family.FIELD] tables
SMALLTALK = frozenset(("greeting", "thanks", "praise", "apology", "ack", "goodbye", "about"))
DEFAULT_THRESHOLD = 0.9  # used until calibrated: e5 cosines between unrelated questions reach ~0.8
DEFAULT_CUE_BONUS = 0.02


@dataclass(frozen=True)
class Example:
    label: str  # "citation", "not_stated.method", "none", ...
    language: str
    text: str


@dataclass(frozen=True)
class Intent:
    label: str
    score: float  # cosine to the nearest example, plus the cue bonus

    @property
    def kind(self) -> str:
        """The label's family: "not_stated" for every "not_stated.FIELD", "field" for
        every "field.FIELD"."""
        return self.label.split(".", 1)[0]

    @property
    def field(self) -> str | None:
        return self.label.split(".", 1)[1] if "." in self.label else None


# A colloquial prefixed word this short is likely a word of its own ("ngga", "nyak")
COLLOQUIAL_MIN_LETTERS = 6


_TRAILING_REPEAT = re.compile(r"(\w)\1+$")


def cue_forms(text: str) -> set[str]:
    """The words of ``text`` as cue words are matched: each as written and, for Indonesian
    "-nya" ("its", "the"), without it ("dirilisnya" is "dirilis", "penulisnya" "penulis");
    and each pair of neighbours, for two-word cues ("kata kuncinya" has "kata kunci")."""
    tokens = words(text)
    bare = [w[:-3] if nya_form(w) else w for w in tokens]
    return set(tokens) | set(bare) | {f"{a} {b}" for a, b in zip(bare, bare[1:], strict=False)} \
        | {root for w in bare for root in _colloquial_roots(w)} \
        | {_TRAILING_REPEAT.sub(r"\1", w) for w in bare}  # "byee", "makasihh", "thxx"


def _colloquial_roots(word: str) -> tuple[str, ...]:
    """The roots a colloquial Indonesian nasal prefix may stand for: "nyitasi" (sitasi),
    "ngutip" (kutip), "ngerangkum" (rangkum). Only cue words are matched against them."""
    if len(word) < COLLOQUIAL_MIN_LETTERS:
        return ()
    if word.startswith("nge"):
        return (word[3:],)
    if word.startswith("ny"):
        return ("s" + word[2:], "c" + word[2:])
    if word.startswith("ng") and word[2] in "aiueo":
        return ("k" + word[2:],)
    return ()


@functools.cache
def _table(path: Path = EXAMPLES_FILE) -> dict:
    with open(path, "rb") as f:
        return tomllib.load(f)


def _sections(table: dict) -> Iterable[tuple[str, dict]]:
    for label, section in table.items():
        if label in FAMILIES:
            for field, sub in section.items():
                yield f"{label}.{field}", sub
        else:
            yield label, section


def load_examples(path: Path = EXAMPLES_FILE) -> list[Example]:
    return [Example(label, lang, text) for label, section in _sections(_table(path))
            for lang in ("id", "en") for text in section.get(lang, ())]


def load_cues(path: Path = EXAMPLES_FILE) -> dict[str, frozenset[str]]:
    return {label: frozenset(section.get("cues", ())) for label, section in _sections(_table(path))}


def load_asks(path: Path = EXAMPLES_FILE) -> dict[str, frozenset[str]]:
    """Per intent that has them, the words one of which a message must have to be it."""
    return {label: frozenset(section["asks"]) for label, section in _sections(_table(path))
            if "asks" in section}


@dataclass(frozen=True)
class IntentModel:
    threshold: float = DEFAULT_THRESHOLD
    cue_bonus: float = DEFAULT_CUE_BONUS


class Recognizer:
    """Labels messages by their nearest example. Read-only after construction."""

    def __init__(self, labels: list[str], xb: np.ndarray, model: IntentModel,
                 cues: dict[str, frozenset[str]] | None = None,
                 languages: list[str] | None = None):
        self.labels = np.array(labels)
        self.languages = list(languages) if languages is not None else None
        self.xb = np.ascontiguousarray(xb, dtype=np.float32)
        self.model = model
        self.cues = cues if cues is not None else load_cues()
        self.asks = load_asks()
        self._names = sorted(set(labels))
        self._rows = {name: np.flatnonzero(self.labels == name) for name in self._names}

    def labels_of(self, family: str) -> list[str]:
        """The labels of one family ("field" -> "field.authors", ...), sorted."""
        return [name for name in self._names if name.startswith(f"{family}.")]

    def scores(self, xq: np.ndarray, text: str, exclude: int | None = None) -> dict[str, float]:
        """Per label: the best cosine to its examples plus the cue bonus."""
        sims = self.xb @ np.asarray(xq, dtype=np.float32)
        if exclude is not None:
            sims[exclude] = -1.0
        present = cue_forms(text)
        out = {}
        for name, rows in self._rows.items():
            best = float(sims[rows].max()) if len(rows) else -1.0
            if present & self.cues.get(name, frozenset()):
                best += self.model.cue_bonus
            out[name] = best
        return out

    def lacks_asking_word(self, label: str, text: str) -> bool:
        """Whether ``text`` has none of the words that ask what ``label`` answers: a place
        question asks where or which ("kenapa kota melakukan paradiplomasi?" asks why)."""
        asks = self.asks.get(label)
        return asks is not None and not asks & cue_forms(text)

    def nearest_language(self, xq: np.ndarray, label: str) -> str | None:
        """The language of the example of ``label`` nearest the message ("see ya" is nearest
        "see you", an English goodbye), if the examples' languages are known."""
        rows = self._rows.get(label)
        if self.languages is None or rows is None or not len(rows):
            return None
        sims = self.xb[rows] @ np.asarray(xq, dtype=np.float32)
        return self.languages[int(rows[int(np.argmax(sims))])]

    def classify(self, xq: np.ndarray, text: str, exclude: int | None = None) -> Intent | None:
        """The intent of a message, or None when it is a question for search."""
        scores = self.scores(xq, text, exclude)
        label = max(scores, key=scores.__getitem__)
        if label == NONE or scores[label] < self.model.threshold:
            return None
        return Intent(label, scores[label])


def fit(labels: list[str], xb: np.ndarray, texts: list[str],
        cues: dict[str, frozenset[str]],
        questions: tuple[np.ndarray, list[str], list[str]] | None = None,
        ) -> tuple[IntentModel, float]:
    """Threshold and cue bonus with the best accuracy: each example labelled by the others
    (leave-one-out), and each of ``questions`` (vectors, texts, true labels: the labelled
    questions of the tuning sets, ``none`` for the content ones, which must go to search,
    ``field.authors`` for "who wrote it?") by all examples.

    When several neighbouring thresholds reach the best accuracy, the middle of that run is
    taken: as far as the data allow from both kinds of mistake (the edge moved with every
    example added: 0.89 -> 0.90 when the record questions came, and "and then?" at 0.8955
    stopped being "more"). Ties between bonuses go to the longer run, then the smaller bonus."""
    extra_x, extra_texts, extra_truths = questions if questions is not None else (
        np.zeros((0, xb.shape[1])), [], [])
    truths = list(labels) + list(extra_truths)
    best: tuple[float, int, float, float] | None = None
    for bonus in CUE_BONUSES:
        recognizer = Recognizer(labels, xb, IntentModel(0.0, bonus), cues)
        scored = [recognizer.scores(xb[i], texts[i], exclude=i) for i in range(len(labels))]
        scored += [recognizer.scores(x, text)
                   for x, text in zip(extra_x, extra_texts, strict=True)]
        accuracies = [_accuracy(truths, scored, float(t)) for t in THRESHOLDS]
        start, length = _best_run(accuracies)
        middle = float(THRESHOLDS[start + (length - 1) // 2])
        key = (accuracies[start], length, -bonus, middle)
        if best is None or key > best:
            best = key
    assert best is not None
    return IntentModel(round(best[3], 3), -best[2]), best[0]


def _best_run(values: list[float]) -> tuple[int, int]:
    """Start and length of the longest run of neighbouring values equal to the maximum."""
    top = max(values)
    best = (0, 0)
    start = None
    for i, v in enumerate([*values, float("-inf")]):
        if v == top and start is None:
            start = i
        elif v != top and start is not None:
            if i - start > best[1]:
                best = (start, i - start)
            start = None
    return best


CUE_BONUSES = (0.0, 0.01, 0.02, 0.03, 0.05, 0.07, 0.1)
THRESHOLDS = np.arange(0.80, 0.96, 0.005)  # e5 cosines of related questions lie in 0.8-0.95


def _accuracy(truths: list[str], scored: list[dict[str, float]], threshold: float) -> float:
    correct = 0
    for truth, scores in zip(truths, scored, strict=True):
        label = max(scores, key=scores.__getitem__)
        predicted = NONE if label == NONE or scores[label] < threshold else label
        correct += predicted == truth
    return correct / len(truths)
