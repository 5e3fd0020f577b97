"""Students' own words for the terms of the text, read as those terms by BM25 and coverage.

``index/glossary.toml`` maps a term of the text ("kepala daerah") to everyday words for it
("gubernur", "bupati"). BM25 and the coverage check read the text's terms in their place:
it is the exact words they would otherwise miss ("hubungan paradiplomasi sama pemerintah
pusat" matched sentence 1's "pemerintah daerah" rather than sentence 5's "diplomasi
nasional"). The dense model reads a question both as typed and as the glossary reads it
(``Engine._search``).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path

GLOSSARY_FILE = Path(__file__).with_name("glossary.toml")


class Glossary:
    """Rewrites a question's everyday words into the text's terms. Read-only once built."""

    def __init__(self, entries: Mapping[str, Mapping[str, list[str]]]):
        self._terms: dict[str, dict[str, str]] = {}
        self._patterns: dict[str, re.Pattern[str]] = {}
        for language, terms in entries.items():
            words = {word.lower(): term for term, listed in terms.items() for word in listed}
            if not words:
                continue
            self._terms[language] = words
            longest_first = sorted(words, key=len, reverse=True)  # "pemerintah pusat", "pusat"
            self._patterns[language] = re.compile(
                r"(?<![\w-])(?:" + "|".join(map(re.escape, longest_first)) + r")(?![\w-])",
                re.IGNORECASE)

    @classmethod
    def load(cls, known: Callable[[str, str], bool], path: Path = GLOSSARY_FILE) -> Glossary:
        """The glossary's entries whose term ``known(term, language)`` finds in the text."""
        with path.open("rb") as f:
            table = tomllib.load(f)
        return cls({language: {term: list(words) for term, words in terms.items()
                               if known(term, language)}
                    for language, terms in table.items()})

    def read_as(self, normalize: Callable[[str, str], str]) -> Glossary:
        """This glossary with each word also as ``normalize`` reads it: questions are
        normalised before the glossary reads them ("pegawai pemda" arrives as "pegawai
        pemerintah daerah")."""
        entries: dict[str, dict[str, list[str]]] = {}
        for language, words in self._terms.items():
            for word, term in words.items():
                forms = entries.setdefault(language, {}).setdefault(term, [])
                read = normalize(word, language).lower()  # ("pemda" is read as the term
                # itself, "pemerintah daerah": the text's own word, no student's word for it)
                forms.extend(dict.fromkeys(f for f in (word, read) if f != term.lower()))
        return Glossary(entries)

    def apply(self, text: str, language: str) -> str:
        """``text`` with each glossary word replaced by the term it stands for (one pass)."""
        pattern = self._patterns.get(language)
        if pattern is None:
            return text
        terms = self._terms[language]
        return pattern.sub(lambda m: terms[m.group(0).lower()], text)

    def split(self, text: str, language: str) -> tuple[list[str], str]:
        """The terms ``text``'s glossary words stand for, and ``text`` without those words
        ("tugas pokok kemenlu" -> ["diplomasi nasional"], "tugas pokok ")."""
        pattern = self._patterns.get(language)
        if pattern is None:
            return [], text
        terms = self._terms[language]
        return [terms[m.group(0).lower()] for m in pattern.finditer(text)], \
            pattern.sub(" ", text)
