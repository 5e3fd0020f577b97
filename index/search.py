"""Hybrid search: dense cosine (FAISS) fused with BM25 over stemmed text, inside one language.

Passages of each language occupy a contiguous id range, so a FAISS search stays inside the
question's language with an ``IDSelectorRange`` and BM25 keeps one small index per language.
The fused score is ``cosine + LEXICAL_WEIGHT * bm25_normalised``: cosine carries meaning and
paraphrase, BM25 rewards the exact (stemmed) words a student typed, such as names and terms,
and their two-word phrases (bigrams of neighbouring terms).
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from typing import Literal

import numpy as np

from index import LANGUAGES
from index.ann import NPROBE, fused_search
from index.bm25 import BM25
from index.glossary import Glossary
from index.passages import ABSTRACT, METADATA_SECTIONS, SECTION_ALIASES, SUBJECT_SHARE, Passage
from index.store import StoredIndex
from index.text import Analyzer, persons_asked, without_framing_words, words

Mode = Literal["hybrid", "dense", "bm25"]
MODES: tuple[Mode, ...] = ("hybrid", "dense", "bm25")
LEXICAL_WEIGHT = 0.25  # middle of the plateau 0.2-0.35 of hit@1 on eval/ (index.evaluate --lexical-weight)
CANDIDATES = 100  # per retriever, before fusion
MIN_RELATED_STEM = 6  # "leader"/"leadership", "invest"/"investor"; shorter prefixes are chance
PHRASE = " "  # joins a bigram's two terms: never inside a term (terms are runs of letters)
# A metadata sentence (the keyword list, the author line) is a hub for the dense model: it sits
# 0.01-0.03 in cosine above the sentence that answers "what should the governor actually do?",
# and its short frame wins BM25 on one shared word ("apa kunci paradiplomasi?" got the keyword
# list over sentence 6, "… menjadi kunci bagi …"). Unless the question names its field with a
# word the text does not use ("penulis", "judul", "keywords"; not "kunci" or "key"), it ranks
# below the text by this much (the keyword list led sentence 6 by 0.075 on that question).
METADATA_UNNAMED_PENALTY = 0.08
# Words asking for the role something plays. They are the content of a question about the
# text's subject ("apa peran paradiplomasi?" is sentence 2's "paradiplomasi berperan
# strategis"), but only frame one about something else: "what role do regional heads play?"
# got sentence 2 ("paradiplomacy plays a strategic role") for "role" and "play".
# The word for one who plays a part: "peran kepala daerah" (their role) is what the text
# says of them as actors ("kepala daerah sebagai aktor utama yang menginisiasi kerja sama")
ROLE_PLAYER = {"id": "aktor", "en": "actors"}
# ("X melakukan apa", as "X ngapain" is read, and "apa yang dilakukan X" ask it too)
_ROLE = re.compile(r"\b(?:ber)?peran(?:nya|an)?\b|\broles?\b|\bplay(?:s|ed|ing)?\b"
                   r"|\bmelakukan\s+apa\b|\bapa\s+(?:saja\s+)?yang\s+dilakukan\b",
                   re.IGNORECASE)
# Words that ask what someone does, read like a role when the text names who is asked of
# ("apa tugas kepala daerah …", "what do regional heads do in …?"); never a reason to
# decline ("ada tugas kuliah nih" names homework)
_DUTY = re.compile(_ROLE.pattern + r"|\btugas(?:nya)?\b|\bdo(?:es)?\b(?=\s+(?:in|for|with)\b|"
                   r"\s*[?.!]|\s*$)", re.IGNORECASE)


# A time setting: when a sentence's claim holds, not what it says ("di era globalisasi dan
# desentralisasi", "in the era of globalization"), to the next comma. A term named only there
# is mentioned, not explained. (A framework a claim is made in, "dalam kerangka multi-level
# governance, paradiplomasi berfungsi komplementer …", says how the subject works within it.)
_SETTING = re.compile(
    r"\b(?:di|dalam|pada)\s+(?:era|masa|zaman|abad)\s+(?P<id>[^,.;:]+)"
    r"|\b(?:in|within|during)\s+(?:the|an|this)\s+(?:era|age|period|time)\s+of\s+(?P<en>[^,.;:]+)",
    re.IGNORECASE)


# A sentence that defines its subject: the subject, then "merupakan", "represents", "is a" …
_DEFINING = re.compile(
    r"^\s*(?P<subject>(?:[\w-]+\s+){0,4}?[\w-]+)\s+(?:merupakan|adalah|ialah|yaitu|"
    r"didefinisikan\s+sebagai|represents|refers\s+to|is\s+defined\s+as|means|is\s+an?|"
    r"is\s+the)\b", re.IGNORECASE)


def with_bigrams(terms: list[str]) -> list[str]:
    """The terms and each pair of neighbours ("kepala daerah"), so that BM25 rewards a
    question's two-word phrase where the passage has it as a phrase, not as two words met
    apart ("peran kepala daerah" is sentence 3's "kepemimpinan kepala daerah sebagai aktor
    utama", not sentence 2's "berperan … daya saing daerah")."""
    return terms + [f"{a}{PHRASE}{b}" for a, b in zip(terms, terms[1:], strict=False)]


@dataclass(frozen=True)
class Hit:
    passage: Passage
    score: float  # the fused score that ranks hits
    dense: float  # cosine similarity with the question
    lexical: float  # BM25 normalised to [0, 1] for this question


@dataclass(frozen=True)
class QueryEvidence:
    """What the corpus offers a question, for the answerability decision."""

    dense_top: float  # best cosine in the question's language
    lexical_top: float  # best normalised BM25
    coverage: float  # share of the question's content words found in the corpus
    # best cosine to a labelled question the corpus answers, and to one it does not
    # (index/scope.py; 0.0 without labelled questions)
    nearest_answerable: float = 0.0
    nearest_unanswerable: float = 0.0


class Searcher:
    """Searches one loaded index. Read-only after construction, so safe from many threads."""

    def __init__(self, stored: StoredIndex, lexical_weight: float = LEXICAL_WEIGHT,
                 nprobe: int = NPROBE):
        self.stored = stored
        self.nprobe = nprobe
        self.lexical_weight = lexical_weight
        self.analyzers = {lang: Analyzer(lang) for lang in LANGUAGES}
        self.ranges = {lang: tuple(r) for lang, r in stored.manifest.languages.items()}
        self.bm25 = {lang: BM25([with_bigrams(t) for t in stored.terms[a:b]])
                     for lang, (a, b) in self.ranges.items()}
        surface: set[str] = set()
        for p in stored.passages:
            surface.update(self.analyzers[p.language].content_words(p.text))
        self._surface = frozenset(surface)
        # Stems of each language, sorted, for "leaders" ~ "leadership", "investors" ~ "invest"
        self._stem_set = frozenset(t for bm in self.bm25.values() for t in bm.vocabulary
                                   if PHRASE not in t)
        self._stems = sorted(self._stem_set)
        self._by_id = {p.id: p for p in stored.passages}
        self._metadata = np.fromiter((p.section in METADATA_SECTIONS for p in stored.passages),
                                     dtype=bool, count=len(stored.passages))
        self.text_stems, self.text_phrases = self._text_vocabulary()
        self.subject_stems = self._subject_stems()
        self._setting = self._settings()
        self._defines = {p.id: frozenset(self.analyzers[p.language].terms(m.group("subject")))
                         for p in stored.passages if p.section not in METADATA_SECTIONS
                         for m in [_DEFINING.match(p.text)] if m is not None}
        self._field_words = self._naming_words()
        self.glossary = Glossary.load(self._in_text)
        self._acting = self._acting_sentences()
        # every passage, lower case, one space between words and a line between passages
        self._flat_text = "\n".join(" ".join(p.text.lower().split()) for p in stored.passages)
        self._position = {p.id: i for i, p in enumerate(stored.passages)}
        # Short name of this build, so that references to passages (e.g. in buttons) made
        # with one index version are recognised as stale by another.
        self.version = hashlib.sha256(stored.path.name.encode()).hexdigest()[:6]

    def _text_vocabulary(self) -> tuple[dict[str, frozenset[str]],
                                        dict[str, frozenset[tuple[str, str]]]]:
        """The stems of the text (abstract, body; not the record) per language, and its
        two-word phrases (neighbouring stems: "legal framework")."""
        stems: dict[str, set[str]] = {}
        pairs: dict[str, set[tuple[str, str]]] = {}
        for p, terms in zip(self.stored.passages, self.stored.terms, strict=True):
            if p.section not in METADATA_SECTIONS:
                stems.setdefault(p.language, set()).update(terms)
                pairs.setdefault(p.language, set()).update(zip(terms, terms[1:], strict=False))
        return ({lang: frozenset(v) for lang, v in stems.items()},
                {lang: frozenset(v) for lang, v in pairs.items()})

    def _subject_stems(self) -> dict[str, frozenset[str]]:
        """Per language, the stems in at least SUBJECT_SHARE of some abstract's sentences:
        what the article is about throughout ("paradiplomasi", "daerah"), as opposed to what
        one sentence says."""
        counts: dict[tuple[str, str], Counter[str]] = {}
        sizes: Counter[tuple[str, str]] = Counter()
        for p, terms in zip(self.stored.passages, self.stored.terms, strict=True):
            if p.section == ABSTRACT:
                counts.setdefault((p.document, p.language), Counter()).update(set(terms))
                sizes[(p.document, p.language)] += 1
        out: dict[str, set[str]] = {}
        for (document, language), counter in counts.items():
            out.setdefault(language, set()).update(
                t for t, n in counter.items()
                if n >= SUBJECT_SHARE * sizes[(document, language)])
        return {lang: frozenset(v) for lang, v in out.items()}

    def _settings(self) -> dict[str, tuple[frozenset[str], tuple[str, ...], tuple[str, ...]]]:
        """Per language: the words the corpus names in setting phrases, those phrases, and
        its text outside them."""
        spans: dict[str, list[str]] = {}
        rest: dict[str, list[str]] = {}
        for p in self.stored.passages:
            spans.setdefault(p.language, []).extend(
                m.group("id") or m.group("en") for m in _SETTING.finditer(p.text))
            rest.setdefault(p.language, []).append(_SETTING.sub(" ", p.text))
        return {lang: (frozenset(words(" ".join(found))), tuple(found),
                       tuple(rest.get(lang, ())))
                for lang, found in spans.items()}

    def setting_term(self, text: str, language: str) -> str | None:
        """The term a question names that the corpus names only in a setting phrase ("apa
        itu globalisasi?", "what does multi-level governance mean?"): the question's
        content words the corpus knows are all words of those phrases, and they stand
        together in one, or each alone, nowhere else. None otherwise."""
        names, spans, rest = self._setting.get(language, (frozenset(), (), ()))
        known = [w for w in self.analyzers[language].content_words(text.replace("-", " "))
                 if self.coverage(w, language) > 0]
        if not known or not all(w in names for w in known):
            return None
        as_written = re.compile(r"\b" + r"[\s-]+".join(map(re.escape, known)) + r"\b",
                                re.IGNORECASE)  # "multi level governance" as the text has it
        found = next((m.group(0) for m in map(as_written.search, spans) if m), None)
        if found is not None and not any(as_written.search(other) for other in rest):
            return found
        elsewhere = {w for other in rest for w in words(other)}
        return ", ".join(known) if not elsewhere & set(known) else None

    def defines(self, passage: Passage, text: str, language: str) -> bool:
        """Whether ``passage`` is a sentence defining what ``text`` asks about: its subject
        ("Paradiplomasi merupakan …") is all the question names of the text."""
        subject = self._defines.get(passage.id)
        text_stems = self.text_stems.get(language, frozenset())
        asked = {t for t in self.query_terms(text, language) if t in text_stems}
        return bool(subject) and subject == asked

    def vectors(self, ids: list[str]) -> np.ndarray:
        """The stored vectors of these passages, one row each."""
        return np.stack([self.stored.index.reconstruct(self._position[i]) for i in ids])

    def is_defined(self, stems: set[str]) -> bool:
        """Whether a sentence of the text defines a term of these stems ("Paradiplomasi
        merupakan …" defines "paradiplomasi")."""
        return any(defined and defined <= stems for defined in self._defines.values())

    def defined_subject(self, language: str) -> frozenset[str]:
        """The stems of the subject the text defines ("paradiplomasi"), if it defines it."""
        subject = self.subject_stems.get(language, frozenset())
        return frozenset().union(*(d for d in self._defines.values() if d <= subject))

    def names_literally(self, phrase: str) -> bool:
        """Whether some passage has ``phrase`` as written (case and spacing aside)."""
        return " ".join(phrase.lower().split()) in self._flat_text

    def subject_named(self, language: str) -> str | None:
        """The words the text defines its subject with ("Paradiplomacy"), if it does."""
        for p in self.stored.passages:
            if p.language == language and self.defines_subject(p, language):
                match = _DEFINING.match(p.text)
                return match.group("subject") if match else None
        return None

    def defines_subject(self, passage: Passage, language: str) -> bool:
        """Whether ``passage`` defines the article's subject ("Paradiplomasi merupakan …")."""
        subject = self._defines.get(passage.id, frozenset())
        return bool(subject) and subject <= self.subject_stems.get(language, frozenset())

    def text_has_years(self, language: str) -> bool:
        """Whether the text (not the record's date) names a year: if not, it dates nothing."""
        return any(t.isdigit() and len(t) == 4 for t in self.text_stems.get(language, ()))

    def in_text_phrase(self, text: str, language: str, stems: frozenset[str]) -> bool:
        """Whether one of ``stems`` stands in ``text`` inside a two-word phrase of the text
        ("does the legal framework matter?" uses "framework" as the abstract does)."""
        terms = self.query_terms(text, language)
        phrases = self.text_phrases.get(language, frozenset())
        return any((a in stems or b in stems) and (a, b) in phrases
                   for a, b in zip(terms, terms[1:], strict=False))

    def _naming_words(self) -> dict[tuple[str, str], frozenset[str]]:
        """Per (language, metadata section): the stems of the words students use to ask for
        that field which the text (abstract, body) does not use itself."""
        return {(lang, section): frozenset(self.analyzers[lang].terms(words))
                - self.text_stems.get(lang, frozenset())
                for lang, sections in SECTION_ALIASES.items() for section, words in
                sections.items()}

    def names_field(self, text: str, language: str, section: str) -> bool:
        """Whether the question names this metadata field with a word of its own."""
        asked = set(self.query_terms(text, language))
        return bool(asked & self._field_words.get((language, section), frozenset()))

    def _unnamed(self, ids: np.ndarray, terms: list[str], language: str) -> np.ndarray:
        """Which of the passages ``ids`` are metadata sentences whose field the question
        (its ``terms``) does not name."""
        asked = set(terms)
        return np.fromiter(
            (self._metadata[i] and not asked & self._field_words.get(
                (language, self.stored.passages[i].section), frozenset()) for i in ids),
            dtype=bool, count=len(ids))

    @property
    def passages(self) -> list[Passage]:
        return self.stored.passages

    def at(self, position: int) -> Passage | None:
        """The passage at ``position`` in the index's order (the corpus order), if any."""
        return self.stored.passages[position] if 0 <= position < len(self.stored.passages) \
            else None

    def passage(self, passage_id: str) -> Passage | None:
        return self._by_id.get(passage_id)

    def position(self, passage: Passage) -> int:
        """The passage's number in this index (stable only within one build)."""
        return self._position[passage.id]

    def passage_at(self, position: int) -> Passage | None:
        if 0 <= position < len(self.stored.passages):
            return self.stored.passages[position]
        return None

    def languages(self) -> list[str]:
        return [lang for lang, (a, b) in self.ranges.items() if b > a]

    def _in_text(self, term: str, language: str) -> bool:
        """Whether every word of ``term`` is a stem of the text in ``language``."""
        stems = self.analyzers[language].terms(term) if language in self.analyzers else []
        return bool(stems) and set(stems) <= self.text_stems.get(language, frozenset())

    def _as_asked(self, text: str, language: str) -> str:
        """What BM25 and coverage read: framing words left out, students' words for the
        text's terms read as those terms (index/glossary.toml), and the words asking for a
        role left out when the role asked is not the subject's."""
        text = self.glossary.apply(without_framing_words(text), language)
        if _DUTY.search(text):
            analyzer = self.analyzers[language]
            others = set(analyzer.terms(_DUTY.sub(" ", text))) \
                - self.subject_stems.get(language, frozenset())
            if others & self.text_stems.get(language, frozenset()):
                # the role of something other than the subject: the part it plays, read as
                # the text's word for one who plays a part when it has it ("aktor")
                actor = ROLE_PLAYER[language] if language in ROLE_PLAYER and self._in_text(
                    ROLE_PLAYER[language], language) else " "
                text = _DUTY.sub(f" {actor} ", text)
        return text

    def _acting_sentences(self) -> dict[str, list[frozenset[str]]]:
        """Per language, the stems of each abstract sentence naming someone as an actor
        ("kepala daerah sebagai aktor utama")."""
        out: dict[str, list[frozenset[str]]] = {}
        for p, terms in zip(self.stored.passages, self.stored.terms, strict=True):
            player = ROLE_PLAYER.get(p.language)
            if p.section == ABSTRACT and player is not None \
                    and self.analyzers[p.language].stem(player) in terms:
                out.setdefault(p.language, []).append(frozenset(terms))
        return out

    def duty_of_an_outsider(self, text: str, language: str) -> bool:
        """"tugas pokok kemenlu apa aja?": the duty or role asked of someone the text never
        names, only a student's word for one of its terms ("kemenlu" read as national
        diplomacy), who acts in none of its sentences ("gubernur", read as the regional
        heads, does), and of nothing else the text says: it says nothing of their duties."""
        if not _DUTY.search(text) or language not in self.analyzers:
            return False
        analyzer = self.analyzers[language]
        asked = _without_duty_words(text)
        stems = self.text_stems.get(language, frozenset())
        if set(analyzer.terms(asked)) <= stems:
            return False  # the text's own words ("multi level governance" for its term)
        terms, rest = self.glossary.split(asked, language)
        if not terms or any(set(analyzer.terms(term)) <= sentence for term in terms
                            for sentence in self._acting.get(language, ())):
            return False
        return not any(t in stems for t in analyzer.terms(rest))

    def role_asked_of(self, text: str, language: str) -> list[str] | None:
        """The stems of what a question asks the role of ("peran DPRD dalam paradiplomasi"
        -> ["dprd"]), beyond the subject, read through the glossary; None when it asks no
        role."""
        if not _ROLE.search(text):
            return None
        # (the duty words around it ask the same: "dia tugasnya melakukan apa?")
        asked = self.glossary.apply(_without_duty_words(text), language)
        return [t for t in self.analyzers[language].terms(asked)
                if t not in self.subject_stems.get(language, frozenset())]

    def query_terms(self, text: str, language: str) -> list[str]:
        return self.analyzers[language].terms(self._as_asked(text, language))

    def coverage(self, text: str, language: str) -> float:
        """Share of content words the corpus knows: as written, or stemmed in either language."""
        analyzer = self.analyzers[language]
        content = analyzer.content_words(self._as_asked(text, language))
        # a person whose view is asked counts, unless all their words are the corpus's
        # (an author's name): "apa pendapat Jokowi soal paradiplomasi?" is no author's view
        person = [w for w in persons_asked(text) if w not in analyzer.stop_words]
        if person and not all(w in self._surface for w in person):
            content += [w for w in person if w not in self._surface]
        if not content:
            return 0.0
        known = 0
        for word in content:
            if word in self._surface or any(
                self._known_stem(self.analyzers[lang].stem(word)) for lang in self.ranges
            ):
                known += 1
        return known / len(content)

    def names_a_text_word(self, text: str, language: str) -> bool:
        """Whether the question, as typed (no glossary), has a content word of the corpus."""
        analyzer = self.analyzers.get(language)
        if analyzer is None:
            return False
        return any(w in self._surface or self._known_stem(analyzer.stem(w))
                   for w in analyzer.content_words(without_framing_words(text)))

    def names_together(self, text: str, language: str) -> bool:
        """Whether some passage has all of ``text``'s terms: "paradiplomasi simbolik" (sentence
        4 has both) yes, "diplomasi publik" no (both words are the text's, never together)."""
        bm25 = self.bm25.get(language)
        terms = self.query_terms(text, language)
        if bm25 is None or not terms:
            return False
        return bool(frozenset.intersection(*(bm25.documents_with(t) for t in terms)))

    def _known_stem(self, stem: str) -> bool:
        """A stem of the corpus, or one that extends or is extended by a corpus stem of at
        least MIN_RELATED_STEM letters (derivations the stemmers leave apart)."""
        i = bisect.bisect_left(self._stems, stem)
        if i < len(self._stems) and self._stems[i] == stem:
            return True
        if len(stem) < MIN_RELATED_STEM:
            return False
        if i < len(self._stems) and self._stems[i].startswith(stem):
            return True
        return any(stem[:n] in self._stem_set for n in range(MIN_RELATED_STEM, len(stem)))

    def search(self, xq: np.ndarray, text: str, language: str, k: int,
               mode: Mode = "hybrid") -> tuple[list[Hit], QueryEvidence]:
        """The ``k`` best passages in ``language`` for a question (vector ``xq``, text)."""
        start, stop = self.ranges.get(language, (0, 0))
        if stop <= start:
            return [], QueryEvidence(0.0, 0.0, 0.0)
        terms = self.query_terms(text, language)
        lexical = self.bm25[language].normalized_scores(with_bigrams(terms))
        weight = {"hybrid": self.lexical_weight, "dense": 0.0, "bm25": 0.0}[mode]
        fused = fused_search(self.stored.index, xq, lexical, start, stop, CANDIDATES, weight,
                             self.nprobe)
        scores = fused.lexical if mode == "bm25" else fused.scores
        if mode == "hybrid":  # dense and BM25 alone are measured as they are
            scores = scores - METADATA_UNNAMED_PENALTY * self._unnamed(fused.ids, terms, language)
        order = np.lexsort((fused.ids, -fused.dense, -scores))[:k]
        hits = [Hit(self.stored.passages[int(fused.ids[i])], float(scores[i]),
                    float(fused.dense[i]), float(fused.lexical[i])) for i in order]
        evidence = QueryEvidence(dense_top=fused.dense_top, lexical_top=fused.lexical_top,
                                 coverage=self.coverage(text, language))
        return hits, evidence


def _without_duty_words(text: str) -> str:
    """What a question asks the duty or role of: without the words asking it or framing it."""
    return without_framing_words(_DUTY.sub(" ", text))
