"""What the engine derives from its index once, at load: the words of each request, the
vocabulary typos are mended towards, the record's words and the summaries."""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np

from index import LANGUAGES
from index.answerability import load_intent_model
from index.corpus import Document
from index.embedders import Embedder
from index.intents import Recognizer, load_cues, load_examples
from index.passages import ABSTRACT, METADATA_SECTIONS, SECTION_ALIASES, Passage
from index.search import Searcher
from index.text import Analyzer, words

SUMMARY_SENTENCES = 3  # a phone screen; the whole abstract is one button away

# A sentence naming the means of its subject as a list ("… melalui promosi investasi,
# penguatan ekspor, dan kolaborasi lintas negara"): the nearest an abstract comes to
# examples of what is done, when it names no particular case
_MEANS_LISTED = re.compile(r"\b(?:melalui|lewat|through|via)\s+[^,.;]+,[^.;]*\b(?:dan|serta|and)\b",
                           re.IGNORECASE)

def example_words(searcher: Searcher) -> dict[str, frozenset[str]]:
    """The words of each intent's examples (as stored, normalised): how that request is
    phrased, so never the name of something else."""
    out: dict[str, set[str]] = {}
    for label, text in zip(searcher.stored.intent_labels, searcher.stored.intent_texts,
                           strict=True):
        out.setdefault(label, set()).update(words(text))
    return {label: frozenset(ws) for label, ws in out.items()}

def record_stems(searcher: Searcher, analyzers: dict[str, Analyzer],
                  ) -> dict[tuple[str, str], frozenset[str]]:
    """Stems of each record section per (language, section): its sentences and the words
    students use to ask for it ("universitas" of the author line, "tanggal" of the date)."""
    record: dict[tuple[str, str], set[str]] = {}
    for p in searcher.passages:
        if p.section in METADATA_SECTIONS:
            words_of = f"{p.text} {SECTION_ALIASES[p.language].get(p.section, '')}"
            record.setdefault((p.language, p.section), set()).update(
                analyzers[p.language].terms(words_of))
    return {k: frozenset(v) for k, v in record.items()}

def vocabulary(searcher: Searcher) -> dict[str, set[str]]:
    """The words of the index's passages per language: what typos are mended towards."""
    out: dict[str, set[str]] = {lang: set() for lang in LANGUAGES}
    for p in searcher.passages:
        out.setdefault(p.language, set()).update(w for w in words(p.text) if len(w) > 3)
    return out

def key_terms(documents: Iterable[Document]) -> set[str]:
    """The words of the titles and keyword lists (not of the sentences framing them), in
    both languages: what students most often misspell ("paradiplomsi") and what the
    normaliser mends by default."""
    out: set[str] = set()
    for doc in documents:
        for language in LANGUAGES:
            title = doc.title_in(language)
            out.update(words(" ".join((title[0] if title else "",
                                       *doc.keywords_in(language)[0]))))
    return out

def cue_words(recognizer: Recognizer) -> set[str]:
    """The intents' one-word cues: a request is misspelt as often as a key term
    ("ringkesan artikel", "kesimpulanya"), and the normaliser mends the long ones too."""
    return {cue for cues in recognizer.cues.values() for cue in cues if " " not in cue}

def make_recognizer(searcher: Searcher, embedder: Embedder) -> Recognizer:
    stored = searcher.stored
    examples = load_examples()  # (the stored ones are these, normalised, in this order)
    languages = [e.language for e in examples] \
        if [e.label for e in examples] == list(stored.intent_labels) else None
    return Recognizer(stored.intent_labels, stored.intent_vectors,
                      load_intent_model(embedder.model), load_cues(), languages)

def summaries(searcher: Searcher) -> dict[tuple[str, str, str], tuple[Passage, ...]]:
    """Per document and language: the summary (the first sentence, which states the topic,
    and the most central others), the conclusion (the last sentence, where abstracts
    state their claim, and the most central one before it) and the whole abstract, each in
    article order.
    Centrality: mean cosine of a sentence's vector with the other sentences' vectors, plus
    its cosine with the title's (the middle sentences of an abstract are close to each
    other; the title says which of them the article is about)."""
    groups: dict[tuple[str, str], list[tuple[int, Passage]]] = {}
    for i, p in enumerate(searcher.passages):
        if p.section == ABSTRACT and "." not in p.id.rsplit(":", 1)[1]:  # whole sentences
            groups.setdefault((p.document, p.language), []).append((i, p))
    titles = {(p.document, p.language): i for i, p in enumerate(searcher.passages)
              if p.section == "title"}
    own: dict[tuple[str, str], list[float]] = {}
    for key, rows in groups.items():
        rows.sort(key=lambda r: r[1].position)
        title = titles.get(key)
        own[key] = _centrality(searcher, [i for i, _ in rows],
                               [title] if title is not None else [])
    out: dict[tuple[str, str, str], tuple[Passage, ...]] = {}
    for (document, language), rows in groups.items():
        passages = [p for _, p in rows]
        out[(document, language, "abstract")] = tuple(passages)
        # parallel abstracts share one centrality (the mean of both languages'), so the
        # summary in English is the translation of the Indonesian one ("in english pls")
        parallel = [c for (d, _), c in own.items() if d == document and len(c) == len(rows)]
        centrality = [sum(c[j] for c in parallel) / len(parallel) for j in range(len(rows))]
        if len(passages) <= 2:
            out[(document, language, "summary")] = tuple(passages)
            out[(document, language, "conclusion")] = tuple(passages[-1:])
            continue
        middle = sorted(range(1, len(passages) - 1), key=lambda j: -centrality[j])
        pick = sorted({0, *middle[: SUMMARY_SENTENCES - 1]})
        out[(document, language, "summary")] = tuple(passages[j] for j in pick)
        out[(document, language, "conclusion")] = tuple(
            passages[j] for j in sorted({middle[0], len(passages) - 1}))
    return out

def _centrality(searcher: Searcher, rows: list[int], title: list[int]) -> list[float]:
    """Each row's mean cosine with the other rows, plus its cosine with the ``title`` row
    (when there is one)."""
    index = searcher.stored.index
    try:
        xb = np.vstack([index.reconstruct(i) for i in rows + title])
    except RuntimeError:  # an IVF index without a direct map: article order decides
        return [0.0] * len(rows)
    n = len(rows)
    sims = xb[:n] @ xb.T
    near = sims[:, n] if title else np.zeros(n)
    return [float((sims[j, :n].sum() - sims[j, j]) / max(1, n - 1) + near[j])
            for j in range(n)]


def means_sentences(searcher: Searcher) -> dict[tuple[str, str], Passage]:
    """Per document and language: the first abstract sentence that lists its subject's
    means ("through investment promotion, export enhancement, and cross-border
    collaborations")."""
    out: dict[tuple[str, str], Passage] = {}
    for p in searcher.passages:
        if p.section == ABSTRACT and _MEANS_LISTED.search(p.text):
            out.setdefault((p.document, p.language), p)
    return out
