"""Does the corpus answer this question? A logistic model over five pieces of evidence.

The features are the best cosine, the best normalised BM25, the share of the question's
content words the corpus knows, and the best cosines to a labelled question the corpus
answers and to one it does not (index/scope.py). ``python -m index calibrate`` fits the
weights on our own labelled questions (the ``eval/tuning*.jsonl`` files and the read halves
of the student sets, never the dev set or a kept half) with the configured embedder and
writes them to ``index/calibration.json``, keyed by embedder model: cosine scales differ
between models, so each model needs its own fit.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass
from pathlib import Path

from index.intents import IntentModel
from index.search import QueryEvidence

logger = logging.getLogger(__name__)

CALIBRATION_FILE = Path(__file__).with_name("calibration.json")
BASE_FEATURES = ("dense_top", "lexical_top", "coverage")
FEATURES = (*BASE_FEATURES, "nearest_answerable", "nearest_unanswerable")
UNCALIBRATED_MIN_COVERAGE = 0.5  # fallback rule for a model nobody has calibrated


def features(evidence: QueryEvidence) -> list[float]:
    return [getattr(evidence, name) for name in FEATURES]


@dataclass(frozen=True)
class Answerability:
    weights: tuple[float, ...]
    bias: float
    threshold: float = 0.5  # probability above which a question counts as answerable
    calibrated: bool = True

    def probability(self, evidence: QueryEvidence) -> float:
        return self.probability_of(features(evidence))

    def probability_of(self, values: list[float]) -> float:
        """The logistic model on raw feature values (the one sigmoid of the project)."""
        z = self.bias + sum(w * float(x) for w, x in zip(self.weights, values, strict=True))
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))

    def answerable(self, evidence: QueryEvidence) -> bool:
        if not self.calibrated:
            return evidence.coverage >= UNCALIBRATED_MIN_COVERAGE
        return self.probability(evidence) >= self.threshold


def load_calibration(model: str, path: Path = CALIBRATION_FILE, labelled_questions: int = 1,
                     passages_sha256: str | None = None) -> Answerability:
    """The fitted model for ``model``, or a coverage-only rule (with a warning) if none.

    The labelled questions' features count only where they mean something: the index holds
    them (``labelled_questions``; a build older than index/scope.jsonl has none) and its
    passages are those they were labelled against (``passages_sha256``, when given). Else
    the model fitted without them answers."""
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        entries = {}
    entry = entries.get(model)
    if not entry or entry.get("features") != list(FEATURES):
        logger.warning(
            "no answerability calibration for %s: refusing only questions the corpus barely "
            "covers; run `python -m index calibrate` to fit one", model,
        )
        return Answerability((0.0,) * len(FEATURES), 0.0, calibrated=False)
    other_corpus = passages_sha256 is not None and entry.get("passages_sha256") != passages_sha256
    if not labelled_questions or other_corpus:
        base = entry.get("base", {})
        logger.info("answerability of %s without the labelled questions (%s)", model,
                    "a corpus they were not written for" if labelled_questions
                    else "the index holds none: `make index` adds them")
        if base.get("features") != list(BASE_FEATURES):
            return Answerability((0.0,) * len(FEATURES), 0.0, calibrated=False)
        unused = (0.0,) * (len(FEATURES) - len(BASE_FEATURES))
        return Answerability((*base["weights"], *unused), base["bias"], base["threshold"])
    return Answerability(tuple(entry["weights"]), entry["bias"], entry["threshold"])


def load_intent_model(model: str, path: Path = CALIBRATION_FILE) -> IntentModel:
    """The intent recogniser's fitted threshold and cue bonus for ``model`` (defaults if none)."""
    try:
        entry = json.loads(path.read_text(encoding="utf-8")).get(model, {}).get("intents")
    except (OSError, ValueError, AttributeError):
        entry = None
    if not entry:
        logger.warning("no intent calibration for %s: using defaults; run `python -m index "
                       "calibrate`", model)
        return IntentModel()
    return IntentModel(entry["threshold"], entry["cue_bonus"])
