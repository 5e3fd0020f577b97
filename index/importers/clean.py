"""Small text repairs shared by the importers: language codes, dates, titles, abstracts."""

from __future__ import annotations

import datetime as dt
import html
import re

from index.language import LanguageDetector
from index.passages import split_sentences

# Words kept lower-case inside a title when an ALL-CAPS title is re-cased.
SMALL_WORDS = frozenset("""
dan atau di ke dari dalam untuk pada yang dengan terhadap sebagai oleh bagi antara melalui
tentang serta atas a an the and or of in on for to at by with from as via into vs
""".split())
LANGUAGE_CODES = {"id": "id", "in": "id", "ind": "id", "en": "en", "eng": "en"}
# Labels journals put at the head of an abstract or between its languages.
ABSTRACT_LABELS = re.compile(r"^\s*(abstrak|abstract|intisari|ringkasan|summary)\s*[:.\-–—]?\s*",
                             re.IGNORECASE)
# A split into two languages needs this much on its smaller side: one misread sentence
# at the end of a one-language abstract must not become a "translation".
MIN_SPLIT_SENTENCES = 2
MIN_SPLIT_SHARE = 0.25
INLINE_KEYWORDS = re.compile(r"\b(kata[ -]kunci|keywords?)\s*:\s*(.+)$", re.IGNORECASE | re.DOTALL)


def language_code(value: str | None) -> str | None:
    """"id", "id_ID", "id-ID", "ind", "en_US", "en-US" -> "id" / "en"; anything else -> None."""
    if not value:
        return None
    primary = re.split(r"[-_@]", value.strip().lower(), maxsplit=1)[0]
    return LANGUAGE_CODES.get(primary)


def parse_date(value: str | None) -> dt.date | None:
    """"2025-12-30", "2025/12/30", "2025-12-30T08:00:00Z" -> a date; a bare year -> None."""
    if not value:
        return None
    m = re.match(r"^\s*(\d{4})[-/](\d{1,2})[-/](\d{1,2})", value)
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def squash(text: str) -> str:
    """Entities decoded, tags dropped, white space collapsed."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return " ".join(text.split())


def recase_title(title: str) -> str:
    """An ALL-CAPS title in title case ("dalam", "untuk", "of" stay small); others unchanged.

    Acronyms in an all-caps title cannot be told from words and are re-cased too ("Asean").
    """
    letters = [c for c in title if c.isalpha()]
    if not letters or sum(c.isupper() for c in letters) < 0.9 * len(letters):
        return title
    words = title.lower().split()
    out = []
    for i, word in enumerate(words):
        if i and word in SMALL_WORDS:
            out.append(word)
        else:
            out.append("-".join(part[:1].upper() + part[1:] for part in word.split("-")))
    return " ".join(out)


def split_keywords(text: str) -> tuple[str, ...]:
    """"A, B; C" -> ("A", "B", "C"), without a closing period."""
    parts = re.split(r"\s*[;,]\s*", text.strip().rstrip("."))
    return tuple(dict.fromkeys(p.strip() for p in parts if p.strip()))


def _repair_joins(text: str) -> str:
    """"keberlanjutan.Paradiplomacy" (paragraphs glued by tag stripping) -> two sentences."""
    return re.sub(r"(?<=[a-z\)][.!?])(?=[A-Z])", " ", text)


class AbstractSplitter:
    """Split an abstract field that holds both languages ("ABSTRAK", Indonesian, English)."""

    def __init__(self, detector: LanguageDetector | None = None):
        self.detector = detector or LanguageDetector()

    def split(self, text: str, declared: str | None = None) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
        """Abstract per language, and keywords found inside it ("Kata kunci: …") per language."""
        paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
        sentences: list[str] = []
        keywords: dict[str, tuple[str, ...]] = {}
        for para in paragraphs:
            para = ABSTRACT_LABELS.sub("", " ".join(para.split()))
            for sentence in split_sentences(_repair_joins(para)):
                sentence = ABSTRACT_LABELS.sub("", sentence)
                m = INLINE_KEYWORDS.search(sentence)
                if m:
                    label = m[1].lower()
                    lang = "id" if label.startswith("kata") else "en"
                    keywords[lang] = split_keywords(m[2])
                    sentence = sentence[: m.start()].strip()
                if sentence:
                    sentences.append(sentence)
        if not sentences:
            return {}, keywords
        langs = [self.detector.detect(s) for s in sentences]
        best_k, best_score, best_pair = 0, -1, ("id", "en")
        for first, second in (("id", "en"), ("en", "id")):
            for k in range(0, len(sentences) + 1):
                score = sum(lang == first for lang in langs[:k]) + sum(lang == second for lang in langs[k:])
                if score > best_score:
                    best_k, best_score, best_pair = k, score, (first, second)
        head, tail = sentences[:best_k], sentences[best_k:]
        smaller = min(len(head), len(tail))
        if smaller >= MIN_SPLIT_SENTENCES or smaller >= MIN_SPLIT_SHARE * len(sentences):
            return {best_pair[0]: " ".join(head), best_pair[1]: " ".join(tail)}, keywords
        majority = max(("id", "en"), key=lambda code: (langs.count(code), code == declared))
        return {majority: " ".join(sentences)}, keywords
