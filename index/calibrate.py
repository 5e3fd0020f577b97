"""Fit the answerability model and the intent threshold for the configured embedder, reproducibly.

    python -m index calibrate [FILE ...] [--dry-run]
    (default: the eval/tuning*.jsonl files and the student sets read while tuning)

Runs every labelled question of FILE (our own tuning set, never the dev set) through the
search, collects the evidence (best cosine, best normalised BM25, coverage of the question's
words, and the best cosines to the other labelled questions of either side, each question's
own entry left out: index/scope.py), fits an L2-regularised logistic regression by Newton's method (deterministic: same
data, same weights), picks the middle of the probability thresholds within one question of
the best balanced accuracy, and stores the result in ``index/calibration.json`` under the
embedder's model name. The labelled questions are written to ``index/scope.jsonl``; the next
build embeds them (``make index`` sees the change).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from index import intents
from index.answer import Engine
from index.answerability import BASE_FEATURES, CALIBRATION_FILE, FEATURES, Answerability, features
from index.evaluate import Labelled, is_student_file, matches, read_labelled, read_student_items
from index.scope import SCOPE_FILE, ScopeBank, ScopeExample, passages_digest, write_examples

# Our own labelled questions (never the dev sets): formal ones, and chat-style ones written
# like students' messages. The answerability model and the intent threshold are fitted on both.
TUNING_FILES = (Path("eval/tuning.jsonl"), Path("eval/tuning-informal.jsonl"),
                Path("eval/tuning-students.jsonl"))


def read_student_files() -> tuple[Path, ...]:
    """The held-back student sets whose failures were read while tuning: the first two, and
    the "-look" half of each later one (the "-kept" halves are never fitted on)."""
    folder = Path(__file__).resolve().parent.parent / "eval"
    looked = sorted(folder.glob("students-holdout*-look.jsonl"),
                    key=lambda p: int("".join(c for c in p.stem if c.isdigit())))
    return (Path("eval/students-holdout.jsonl"), Path("eval/students-holdout2.jsonl"),
            *(Path("eval") / p.name for p in looked))


# Fitted on all of them: about 640 questions instead of the tuning files' 213, so that the
# threshold no longer jumps between two near-equal optima (0.58 and 0.65) with every change
# to what search reads, and the students' own way of asking weighs as much as the formal.
DEFAULT_FILES = TUNING_FILES + read_student_files()
L2 = 1.0  # ridge penalty on the weights (not the bias): keeps a small data set from overfitting
NEWTON_STEPS = 50


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = L2) -> tuple[np.ndarray, float]:
    """Weights and bias of an L2-regularised logistic regression, by Newton's method.

    Features are standardised for the fit (so the penalty treats them alike: cosines vary by
    hundredths, coverage by tenths) and the weights are mapped back to raw feature units.
    """
    mean, std = x.mean(axis=0), x.std(axis=0)
    std[std == 0] = 1.0
    xb = np.hstack([(x - mean) / std, np.ones((len(x), 1))])
    w = np.zeros(xb.shape[1])
    penalty = np.eye(xb.shape[1]) * l2
    penalty[-1, -1] = 0.0
    for _ in range(NEWTON_STEPS):
        p = 1.0 / (1.0 + np.exp(-np.clip(xb @ w, -60, 60)))
        grad = xb.T @ (p - y) + penalty @ w
        hess = (xb * (p * (1 - p))[:, None]).T @ xb + penalty
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-10:
            break
    weights = w[:-1] / std
    return weights, float(w[-1] - weights @ mean)


def best_threshold(prob: np.ndarray, y: np.ndarray) -> float:
    """The middle of the thresholds whose balanced accuracy is within one question of the
    best: with ~60 out-of-scope questions one question moves it by 0.8 points, so the single
    best threshold wanders with any change (0.59 to 0.70 over a day's changes) while the band
    of near-best ones stays put."""
    candidates = np.round(np.linspace(0.05, 0.95, 91), 2)

    def balanced(t: float) -> float:
        yes = prob >= t
        return 0.5 * (yes[y == 1].mean() + (~yes[y == 0]).mean())

    scores = np.array([balanced(t) for t in candidates])
    one_question = 0.5 / min(int((y == 1).sum()), int((y == 0).sum()))
    near = candidates[scores >= scores.max() - one_question - 1e-12]
    return float(np.round((near.min() + near.max()) / 2, 2))


def _fit(x: np.ndarray, y: np.ndarray) -> dict:
    """Rounded weights, bias and best threshold of the logistic model on ``x``."""
    weights, bias = fit_logistic(x, y)
    model = Answerability(tuple(float(w) for w in weights), bias)
    threshold = best_threshold(np.array([model.probability_of(x_i) for x_i in x]), y)
    return {"weights": [round(float(w), 6) for w in weights], "bias": round(bias, 6),
            "threshold": threshold}


def _items(paths: Sequence[Path]) -> list[Labelled]:
    return [item for path in paths for item in read_labelled(path)]


def scope_bank(engine: Engine, paths: Sequence[Path]) -> tuple[list[ScopeExample], ScopeBank]:
    """The labelled questions of ``paths`` as the normaliser reads them, once each, and their
    vectors: those calibration fits on (answerable when in scope), and the one-turn questions
    of the student files about what the abstract does not state (not answerable by a
    passage)."""
    asked = [(item.question, item.language, item.in_scope) for item in _items(paths)
             if not engine.places.unknown(item.question)]
    asked += [(item.turns[0], item.language, False) for path in paths if is_student_file(path)
              for item in read_student_items(path)
              if item.category == "not_stated" and len(item.turns) == 1]
    vectors: dict[ScopeExample, np.ndarray] = {}
    for question, language, answerable in asked:
        searched, xq = engine.prepare(question, language)
        vectors.setdefault(ScopeExample(searched, language, answerable), xq)
    examples = list(vectors)
    xb = np.vstack(list(vectors.values())) if examples else np.zeros((0, 0))
    return examples, ScopeBank(tuple(e.text for e in examples), np.asarray(xb, dtype=np.float32),
                               np.array([e.answerable for e in examples], dtype=bool))


def collect(engine: Engine, paths: Sequence[Path], bank: ScopeBank | None = None,
            ) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Evidence, labels and questions of the labelled questions in ``paths`` that reach the
    answerability decision, in order: not those naming a place the corpus never mentions,
    which are declined before search ("paradiplomasi di Jepang"). The nearest labelled
    questions are those of ``bank`` (by default the questions of ``paths``), each question's
    own text left out."""
    if bank is None:
        bank = scope_bank(engine, paths)[1]
    rows, labels, questions = [], [], []
    for item in _items(paths):
        if engine.places.unknown(item.question):
            continue
        rows.append(features(engine.evidence(item.question, item.language, scope=bank)))
        labels.append(1.0 if item.in_scope else 0.0)
        questions.append(item.question)
    return np.array(rows), np.array(labels), questions


def record_field_label(engine: Engine, item: Labelled) -> str:
    """``field.SECTION`` for a question whose expected answers are all the record's
    SECTION sentence ("who wrote it?" -> field.authors), else ``none`` (search)."""
    if not item.expect_any:
        return intents.NONE
    matching = {p.section for p in engine.searcher.passages
                if p.language == item.language and matches(p.text, item.expect_any)}
    fields = {f"{intents.FIELD}.{s}" for s in matching} & set(engine.recognizer.labels)
    return fields.pop() if len(fields) == 1 and len(matching) == 1 else intents.NONE


def _intent_files(files: Sequence[Path]) -> Sequence[Path]:
    """The intent recogniser is fitted on the tuning files alone by default: the questions
    of the read student sets moved its cue bonus (0.07 to 0.05) and turned "bisa pake
    bahasa yg lebih simpel?" into a translation request, for no gain on the kept halves."""
    return TUNING_FILES if list(files) == list(DEFAULT_FILES) else files


def fit_intents(engine: Engine, paths: Sequence[Path]) -> dict:
    """The intent recogniser's threshold and cue bonus: leave-one-out over its examples,
    and the questions of ``paths`` (content and out-of-scope: none of them is an intent)."""
    recognizer = engine.recognizer
    texts = engine.searcher.stored.intent_texts  # stored as normalised at build time
    items = _items(paths)
    prepared = [engine.prepare(item.question, item.language) for item in items]
    questions = (np.array([x for _, x in prepared]), [t for t, _ in prepared],
                 [record_field_label(engine, item) for item in items])
    model, accuracy = intents.fit(list(recognizer.labels), recognizer.xb, texts,
                                  recognizer.cues, questions)
    print(f"intents: threshold {model.threshold}, cue bonus {model.cue_bonus}, accuracy "
          f"{accuracy:.3f} on {len(texts)} examples (leave-one-out) and {len(prepared)} "
          "questions")
    return {"threshold": model.threshold, "cue_bonus": model.cue_bonus,
            "accuracy": round(accuracy, 4), "examples": len(texts),
            "questions": len(prepared)}


def main(argv: list[str] | None = None, engine: Engine | None = None,
         out: Path = CALIBRATION_FILE, scope_out: Path = SCOPE_FILE) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m index calibrate", description=__doc__.split("\n\n")[0],
        epilog=f"Writes {CALIBRATION_FILE.name} and {SCOPE_FILE.name} (the labelled questions) "
        "in index/; when the labelled questions change, rebuild the index (make index).")
    parser.add_argument("files", type=Path, nargs="*", default=list(DEFAULT_FILES),
                        metavar="FILE", help="labelled questions (default: "
                        f"{' '.join(map(str, DEFAULT_FILES))})")
    parser.add_argument("--dry-run", action="store_true",
                        help="print the fit, write neither file")
    args = parser.parse_args(argv)
    if engine is None:
        from index.settings import Settings
        from index.store import IndexLoadError
        try:
            engine = Engine.load(Settings())
        except IndexLoadError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    examples, bank = scope_bank(engine, args.files)
    x, y, questions = collect(engine, args.files, bank)
    if len(set(y)) < 2:
        print("error: the file needs both answerable and unanswerable questions", file=sys.stderr)
        return 1
    fitted = _fit(x, y)
    # the same without the labelled questions' features: what a corpus they were not
    # written for is answered with (index/answerability.py)
    base = _fit(x[:, :len(BASE_FEATURES)], y)
    rounded, threshold = fitted["weights"], fitted["threshold"]
    prob = np.array([Answerability(tuple(rounded), fitted["bias"]).probability_of(x_i)
                     for x_i in x])
    answered = prob >= threshold
    entry = {
        "features": list(FEATURES), **fitted,
        "passages_sha256": passages_digest(engine.searcher.passages),
        "base": {"features": list(BASE_FEATURES), **base},
        "fitted_on": [str(f) for f in args.files],
        "fitted_on_sha256": [hashlib.sha256(f.read_bytes()).hexdigest() for f in args.files],
        "questions": int(len(y)),
        "in_scope_answered": round(float(answered[y == 1].mean()), 4),
        "out_of_scope_refused": round(float((~answered[y == 0]).mean()), 4),
        "fitted_at": dt.date.today().isoformat(),
    }
    print(f"{engine.embedder.model}: weights {dict(zip(FEATURES, rounded, strict=True))}, "
          f"bias {entry['bias']}, threshold {threshold} (without the labelled questions: "
          f"threshold {base['threshold']})")
    print(f"on {' '.join(map(str, args.files))}: in-scope answered {entry['in_scope_answered']:.3f}, "
          f"out-of-scope refused {entry['out_of_scope_refused']:.3f}")
    for q, p, label in zip(questions, prob, y, strict=True):
        if (p >= threshold) != bool(label):
            print(f"  wrong: p={p:.2f} {'in' if label else 'out'}-scope {q!r}")
    if args.dry_run:
        print(f"intents: {fit_intents(engine, _intent_files(args.files))}")
        return 0
    try:
        table = json.loads(out.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        table = {}
    table[engine.embedder.model] = entry | {"intents": fit_intents(engine,
                                                                _intent_files(args.files))}
    out.write_text(json.dumps(table, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {out}")
    previous = scope_out.read_bytes() if scope_out.exists() else b""
    write_examples(examples, scope_out)
    changed = scope_out.read_bytes() != previous
    print(f"wrote {scope_out} ({len(examples)} labelled questions"
          + ("; changed: rebuild the index, `make index`)" if changed else ")"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
