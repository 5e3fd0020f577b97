"""Short citations for passages: where in which article, by whom, when."""

from __future__ import annotations

from index.corpus import Document
from index.passages import ABSTRACT, BODY, Passage

SECTION_NAMES = {
    "id": {ABSTRACT: "Abstrak", "title": "Judul", "authors": "Penulis",
           "published": "Tanggal terbit", "keywords": "Kata kunci", "journal": "Jurnal",
           "doi": "DOI"},
    "en": {ABSTRACT: "Abstract", "title": "Title", "authors": "Authors",
           "published": "Publication date", "keywords": "Keywords", "journal": "Journal",
           "doi": "DOI"},
}
SENTENCE = {"id": "kalimat", "en": "sentence"}
SENTENCES = {"id": "kalimat", "en": "sentences"}
AND = {"id": "dan", "en": "and"}
PAGE = {"id": "hlm.", "en": "p."}
ET_AL = {"id": "dkk.", "en": "et al."}


def author_short(doc: Document, language: str) -> str:
    """"Agustina dkk." / "Agustina et al." (the first author's last name), or the one name."""
    first = doc.authors[0].name.split()[-1]
    if len(doc.authors) == 1:
        return first
    if len(doc.authors) == 2:
        second = doc.authors[1].name.split()[-1]
        return f"{first} {'&' if language == 'en' else 'dan'} {second}"
    return f"{first} {ET_AL[language]}"


def where(passage: Passage, language: str) -> str:
    """"Abstrak, kalimat 3" / "Keywords" / "Metode Penelitian, hlm. 4" (full text)."""
    if passage.section == BODY:
        heading = passage.heading or {"id": "Teks lengkap", "en": "Full text"}[language]
        return f"{heading}, {PAGE[language]} {passage.page}" if passage.page else heading
    section = SECTION_NAMES[language].get(passage.section, passage.section)
    if passage.section == ABSTRACT:
        return f"{section}, {SENTENCE[language]} {passage.position}"
    return section


def cite_sentences(passages: list[Passage], doc: Document | None, language: str) -> str | None:
    """"Abstrak, kalimat 1, 3 dan 6 — Agustina dkk. (2025)": one citation for several
    sentences of one abstract (a summary); None when they are not such sentences."""
    if len(passages) < 2 or any(p.section != ABSTRACT or p.document != passages[0].document
                                for p in passages):
        return None
    numbers = [str(p.position) for p in passages]
    listed = f"{', '.join(numbers[:-1])} {AND[language]} {numbers[-1]}"
    place = f"{SECTION_NAMES[language][ABSTRACT]}, {SENTENCES[language]} {listed}"
    return place if doc is None else f"{place} — {author_short(doc, language)} ({doc.year})"


def cite(passage: Passage, doc: Document | None, language: str) -> str:
    """"Abstrak, kalimat 3 — Agustina dkk. (2025)"; the section alone if the document is unknown."""
    place = where(passage, language)
    if doc is None:
        return place
    return f"{place} — {author_short(doc, language)} ({doc.year})"
