"""The one way in: ``Engine.answer(question) -> Answer``.

The terminal CLI, the chat and the Telegram bot are faces of this function. It detects the
question's language, searches passages in that language, and either answers with the best
passage or says, politely and in the same language, that the article does not say, offering
questions it can answer.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from index.ann import NPROBE
from index.answerability import Answerability, load_calibration
from index.citation import cite
from index.corpus import CorpusError, Document, load_corpus
from index.embedders import Embedder
from index.language import LanguageDetector
from index.passages import Passage
from index.search import Mode, QueryEvidence, Searcher
from index.store import load_index, read_documents
from index.text import normalize

logger = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 500  # longer text is cut at a word: a question, not an essay
MAX_INPUT_CHARS = 2000  # past this it is not a question but a pasted text: not searched
MIN_LETTERS = 2  # fewer letters than this is not a question
SUGGESTIONS = 3  # questions offered when the article has no answer

NOT_IN_ARTICLE = {
    "id": "Maaf, artikel ini tidak membahas hal itu. Coba tanyakan, misalnya:",
    "en": "Sorry, the article does not cover that. You could ask, for example:",
}
NOT_A_QUESTION = {
    "id": "Silakan tulis pertanyaan tentang artikel ini, misalnya:",
    "en": "Please type a question about the article, for example:",
}
TOO_LONG = {
    "id": "Pesannya terlalu panjang. Tulis pertanyaan singkat tentang artikel ini, misalnya:",
    "en": "That message is too long. Please ask a short question about the article, for example:",
}
FALLBACK_SUGGESTIONS = {
    "id": ("Apa judul artikel ini?", "Siapa penulis artikel ini?", "Kapan artikel ini diterbitkan?"),
    "en": ("What is the title of the article?", "Who wrote this article?",
           "When was the article published?"),
}


@dataclass(frozen=True)
class ScoredPassage:
    passage: Passage
    score: float


@dataclass(frozen=True)
class Answer:
    question: str
    language: str  # "id" or "en": of the question, and of the answer
    answered: bool
    text: str  # what to show: the passage the answer rests on, or the polite refusal
    passages: tuple[ScoredPassage, ...]  # best first; passages[0] is what the answer rests on
    suggestions: tuple[str, ...] = ()  # questions to offer when not answered
    # why it was not answered: "not_in_article" or "not_a_question" (None when answered)
    reason: str | None = None
    evidence: QueryEvidence | None = field(default=None, compare=False)

    @property
    def best(self) -> Passage | None:
        return self.passages[0].passage if self.answered and self.passages else None

    def to_json(self) -> dict:
        """The CLI's JSON contract (``python -m bot ask --json``)."""
        return {
            "question": self.question,
            "language": self.language,
            "answered": self.answered,
            "answer": self.text,
            "passages": [
                {"text": sp.passage.text, "score": round(sp.score, 6),
                 "language": sp.passage.language, "document": sp.passage.document,
                 "section": sp.passage.heading or sp.passage.section,
                 **({"page": sp.passage.page} if sp.passage.page else {})}
                for sp in self.passages
            ],
        }


def clean_question(text: str) -> str:
    """Normalised, invisible characters gone, cut to MAX_QUESTION_CHARS at a word boundary."""
    text = normalize(text)
    if len(text) > MAX_QUESTION_CHARS:
        text = text[:MAX_QUESTION_CHARS].rsplit(" ", 1)[0]
    return text


def _has_word(text: str) -> bool:
    """At least one run of MIN_LETTERS letters: "?!", "😀😀", "1234" and "a b" are no question."""
    return re.search(r"[^\W\d_]{%d,}" % MIN_LETTERS, text) is not None


class Engine:
    """Everything an answer needs, loaded once. ``answer`` is safe to call from many threads."""

    def __init__(self, searcher: Searcher, embedder: Embedder, documents: list[Document],
                 answerability: Answerability, detector: LanguageDetector | None = None,
                 top_k: int = 5):
        self.searcher = searcher
        self.embedder = embedder
        self.documents = {d.id: d for d in documents}
        self.answerability = answerability
        self.detector = detector or LanguageDetector()
        self.top_k = top_k

    @classmethod
    def load(cls, settings, embedder: Embedder | None = None) -> Engine:
        """Load the embedder, the index and the corpus metadata named by ``settings``."""
        embedder = embedder or settings.make_embedder()
        stored = load_index(Path(settings.index_dir), embedder.name, embedder.model,
                            embedder.dimension)
        try:
            documents = load_corpus(Path(settings.corpus_dir))
        except CorpusError as exc:
            # serving needs the index, not the editable corpus: use what the build holds
            built = read_documents(stored.path)
            if built is None:
                raise
            logger.warning("the corpus has problems (%s%s); serving the documents the index "
                           "was built from", exc.problems[0],
                           f" and {len(exc.problems) - 1} more" if len(exc.problems) > 1 else "")
            documents = built
        known = set(stored.manifest.documents)
        documents = [d for d in documents if d.id in known]
        searcher = Searcher(stored, nprobe=getattr(settings, "ivf_nprobe", NPROBE))
        return cls(searcher, embedder, documents, load_calibration(embedder.model),
                   top_k=settings.top_k)

    def suggestions(self, language: str, n: int = SUGGESTIONS) -> tuple[str, ...]:
        """Questions the corpus answers, in ``language``, from the documents' own lists."""
        out: list[str] = []
        for doc in self.documents.values():
            out.extend(doc.suggestions.get(language, ()))  # type: ignore[call-overload]
        out.extend(FALLBACK_SUGGESTIONS[language])
        return tuple(dict.fromkeys(out))[:n]

    def document(self, document_id: str) -> Document | None:
        return self.documents.get(document_id)

    def citation(self, passage: Passage, language: str | None = None) -> str:
        return cite(passage, self.document(passage.document), language or passage.language)

    def detect_language(self, question: str) -> str:
        language = self.detector.detect(question)
        available = self.searcher.languages()
        return language if language in available or not available else available[0]

    @property
    def version(self) -> str:
        """Short name of the index version this engine serves."""
        return self.searcher.version

    def answer(self, question: str, mode: Mode = "hybrid", language: str | None = None) -> Answer:
        """Answer ``question``; ``language`` ("id"/"en") overrides detection (a user's choice)."""
        too_long = len(question) > MAX_INPUT_CHARS
        cleaned = clean_question(question)
        if language not in self.searcher.languages():
            language = self.detect_language(cleaned)
        if too_long:
            suggestions = self.suggestions(language)
            return Answer(cleaned, language, False, _with_list(TOO_LONG[language], suggestions),
                          (), suggestions, reason="too_long")
        if not _has_word(cleaned):
            suggestions = self.suggestions(language)
            return Answer(cleaned, language, False, _with_list(NOT_A_QUESTION[language], suggestions),
                          (), suggestions, reason="not_a_question")
        xq = self.embedder.embed_queries([cleaned])[0]
        hits, evidence = self.searcher.search(xq, cleaned, language, self.top_k, mode)
        passages = tuple(ScoredPassage(h.passage, h.score) for h in hits)
        if hits and self.answerability.answerable(evidence):
            return Answer(cleaned, language, True, hits[0].passage.text, passages, (),
                          evidence=evidence)
        suggestions = self.suggestions(language)
        logger.debug("refused %r: %s", cleaned, evidence)
        return Answer(cleaned, language, False, _with_list(NOT_IN_ARTICLE[language], suggestions),
                      passages, suggestions, reason="not_in_article", evidence=evidence)


def _with_list(lead: str, items: tuple[str, ...]) -> str:
    return lead + "".join(f"\n• {q}" for q in items)
