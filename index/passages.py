"""Passages: what is embedded, searched and shown.

Abstract sentences become one passage each (long ones are cut at clause boundaries so that
no passage is longer than a phone screen), and the metadata becomes natural sentences in
both languages, so that "siapa penulisnya?" or "when was it published?" find an answer.
"""

from __future__ import annotations

import logging
import re
from dataclasses import asdict, dataclass

from index import LANGUAGES
from index.corpus import Document

logger = logging.getLogger(__name__)

MAX_PASSAGE_CHARS = 400  # one phone screen

ABSTRACT = "abstract"
BODY = "body"  # the full text: each passage knows its heading and page
METADATA_SECTIONS = ("title", "authors", "published", "keywords")

# Words after which a period does not end a sentence.
_ABBREVIATIONS = {
    "dkk", "dll", "dsb", "dst", "al", "e.g", "i.e", "etc", "vs", "dr", "prof", "no", "hlm",
    "pp", "mr", "mrs", "ms", "st", "jl", "fig", "eq", "ca", "cf", "u.s", "tsb", "yth",
}
_BOUNDARY = re.compile(r"(?<=[.!?])[\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9À-Ý])")

MONTHS = {
    "id": ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
           "September", "Oktober", "November", "Desember"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}


@dataclass(frozen=True)
class Passage:
    """One searchable piece of a document, in one language."""

    id: str  # "<document>:<language>:<section>:<position>"
    document: str
    language: str
    section: str  # "abstract" or one of METADATA_SECTIONS
    position: int  # 1-based sentence number within the section
    text: str
    partner: str | None = None  # id of the same sentence in the other language
    # What BM25 sees when it differs from ``text``: the title and keyword passages are
    # searched by their frame ("Judul artikel ini ..."), not by the words they list, which
    # repeat the abstract and would outrank the sentences that actually answer.
    lexical: str | None = None
    heading: str | None = None  # full text only: the section it is in ("Metode Penelitian")
    page: int | None = None  # full text only: the page it starts on

    @property
    def lexical_text(self) -> str:
        return self.text if self.lexical is None else self.lexical

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Passage:
        return cls(**data)


def split_sentences(text: str) -> list[str]:
    """Split prose into sentences, keeping abbreviations such as "dkk." and "e.g." intact."""
    text = " ".join(text.split())
    sentences: list[str] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        head = text[start : m.start()].rstrip(".!?\"”’')]")
        last_word = head.rsplit(" ", 1)[-1].lower() if head else ""
        if last_word in _ABBREVIATIONS or re.fullmatch(r"[a-z]", last_word):
            continue  # "dkk. 2020", "J. Smith"
        sentences.append(text[start : m.start()].strip())
        start = m.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


def cut_long(sentence: str, limit: int = MAX_PASSAGE_CHARS) -> list[str]:
    """Cut a sentence longer than ``limit`` at ``;`` or ``,`` (else at a space), as late as fits."""
    parts: list[str] = []
    rest = sentence.strip()
    while len(rest) > limit:
        window = rest[: limit + 1]
        cut = max(window.rfind("; "), window.rfind(", "))
        if cut < limit // 3:
            cut = window.rfind(" ")
        if cut <= 0:
            cut = limit - 1  # one enormous word: cut it hard
        parts.append(rest[: cut + 1].strip())
        rest = rest[cut + 1 :].strip()
    if rest:
        parts.append(rest)
    return parts


def _join_names(names: list[str], language: str) -> str:
    conj = {"id": "dan", "en": "and"}[language]
    if len(names) == 1:
        return names[0]
    sep = ", " if len(names) > 2 else " "
    return ", ".join(names[:-1]) + f"{sep}{conj} " + names[-1]


def format_date(date, language: str) -> str:
    return f"{date.day} {MONTHS[language][date.month - 1]} {date.year}"


LISTED_SECTIONS = ("title", "keywords")  # their content repeats the abstract's words

# Words students use to ask for each metadata field, added to what BM25 indexes for the
# metadata passages (document expansion): "who wrote it?" has no word of "This article was
# written by ...", yet it asks exactly for that passage.
SECTION_ALIASES = {
    "id": {
        "title": "judul berjudul nama",
        "authors": "penulis pengarang penyusun peneliti ditulis dikarang karya kampus "
                   "universitas asal afiliasi instansi",
        "published": "terbit diterbitkan publikasi dipublikasikan tahun tanggal",
        "keywords": "kata kunci keyword istilah",
    },
    "en": {
        "title": "title titled called named name",
        "authors": "author writer wrote written write researcher university institution "
                   "affiliation affiliated",
        "published": "published publication publish date year released appeared",
        "keywords": "keyword keywords key terms",
    },
}


def metadata_texts(doc: Document, language: str) -> dict[str, str]:
    """The document's metadata as natural sentences in ``language`` (section -> text)."""
    return {section: text.format(*args) for section, (text, args) in
            _metadata_templates(doc, language).items()}


def metadata_frames(doc: Document, language: str) -> dict[str, str]:
    """What BM25 indexes for the metadata: the sentences with the listed title and keywords
    left out, and the words students use to ask for each field."""
    out = {}
    for section, (text, args) in _metadata_templates(doc, language).items():
        shown = ("" for _ in args) if section in LISTED_SECTIONS else args
        out[section] = f"{text.format(*shown)} {SECTION_ALIASES[language][section]}"
    return out


def _metadata_templates(doc: Document, language: str) -> dict[str, tuple[str, tuple[str, ...]]]:
    out: dict[str, tuple[str, tuple[str, ...]]] = {}
    original = {"id": "Indonesia", "en": "Inggris"}[doc.language]
    original_en = {"id": "Indonesian", "en": "English"}[doc.language]
    title = doc.title_in(language)
    if language == "id":
        if title and not title[1]:
            out["title"] = ("Judul artikel ini adalah “{}”.", (title[0],))
        elif title:
            out["title"] = ("Judul artikel ini adalah “{}” (terjemahan kami; "
                            f"judul aslinya dalam bahasa {original}: " "“{}”).",
                            (title[0], doc.title))
        else:
            out["title"] = (f"Judul artikel ini (dalam bahasa {original}) adalah " "“{}”.",
                            (doc.title,))
    else:
        if title and not title[1]:
            out["title"] = ("The title of this article is “{}”.", (title[0],))
        elif title:
            out["title"] = ("The title of this article is “{}” (our translation; "
                            f"the original {original_en} title is " "“{}”).",
                            (title[0], doc.title))
        else:
            out["title"] = (f"The title of this article (in {original_en}) is " "“{}”.",
                            (doc.title,))

    names = [a.name for a in doc.authors]
    affiliations = list(dict.fromkeys(a.affiliation for a in doc.authors if a.affiliation))
    same_place = len(affiliations) == 1 and all(a.affiliation for a in doc.authors)
    if same_place or not affiliations:
        who = _join_names(names, language)
    else:
        who = _join_names([f"{a.name} ({a.affiliation})" if a.affiliation else a.name
                           for a in doc.authors], language)
    if language == "id":
        text = f"Artikel ini ditulis oleh {who}."
        if same_place:
            text = text[:-1] + f"; para penulis berasal dari {affiliations[0]}."
    else:
        text = f"This article was written by {who}."
        if same_place:
            text = text[:-1] + f"; the authors are from {affiliations[0]}."
    out["authors"] = (_literal(text), ())

    when = format_date(doc.published, language)
    iso = doc.published.isoformat()
    out["published"] = (f"Artikel ini diterbitkan pada {when} (tanggal terbit: {iso})." if language == "id"
                        else f"This article was published on {when} (publication date: {iso}).", ())

    keywords, translated = doc.keywords_in(language)
    if keywords:
        listed = _join_names(list(keywords), language)
        if language == "id":
            note = " (terjemahan kami)" if translated else ""
            out["keywords"] = (f"Kata kunci artikel ini{note}: " "{}.", (listed,))
        else:
            note = f" (translated from {original_en})" if translated else ""
            out["keywords"] = (f"The keywords of this article{note} are " "{}.", (listed,))
    elif doc.keywords:  # none in this language (an imported article): the original ones
        listed = _join_names(list(doc.keywords), language)
        if language == "id":
            out["keywords"] = (f"Kata kunci artikel ini (dalam bahasa {original}): " "{}.", (listed,))
        else:
            out["keywords"] = (f"The keywords of this article (in {original_en}) are " "{}.",
                               (listed,))
    return out


def _literal(text: str) -> str:
    """Escape braces so that a finished sentence survives ``str.format``."""
    return text.replace("{", "{{").replace("}", "}}")


def document_passages(doc: Document) -> list[Passage]:
    """All passages of one document, in both languages, with translation partners set."""
    by_lang: dict[str, list[tuple[str, int, str]]] = {}
    sentences: dict[str, list[str]] = {lang: split_sentences(text)
                                       for lang, text in doc.abstract.items()}
    parallel = len(sentences) == 2 and len({len(s) for s in sentences.values()}) == 1
    if len(sentences) == 2 and not parallel:
        logger.warning(
            "%s: the abstracts are not sentence-parallel (%s); passages get no translation partner",
            doc.id, ", ".join(f"{lang}: {len(s)} sentences" for lang, s in sentences.items()),
        )
    frames: dict[tuple[str, str], str] = {}
    for lang in LANGUAGES:
        rows: list[tuple[str, int, str]] = []
        for section, text in metadata_texts(doc, lang).items():
            rows.extend((section, i, part) for i, part in enumerate(cut_long(text), 1))
        for n, sentence in enumerate(sentences.get(lang, []), 1):
            rows.extend((ABSTRACT, n, part) for part in cut_long(sentence))
        by_lang[lang] = rows
        frames.update(((lang, section), frame) for section, frame in
                      metadata_frames(doc, lang).items())

    def pid(lang: str, section: str, position: int, part: int) -> str:
        suffix = f".{part}" if part > 1 else ""
        return f"{doc.id}:{lang}:{section}:{position}{suffix}"

    present = {(lang, section, pos) for lang, rows in by_lang.items() for section, pos, _ in rows}
    passages: list[Passage] = []
    for lang, rows in by_lang.items():
        other = next(o for o in LANGUAGES if o != lang)
        seen: dict[tuple[str, int], int] = {}
        for section, pos, text in rows:
            part = seen[(section, pos)] = seen.get((section, pos), 0) + 1
            has_partner = (other, section, pos) in present and (section != ABSTRACT or parallel)
            passages.append(Passage(
                id=pid(lang, section, pos, part),
                document=doc.id,
                language=lang,
                section=section,
                position=pos,
                text=text,
                partner=pid(other, section, pos, 1) if has_partner else None,
                lexical=frames.get((lang, section)) if part == 1 else None,
            ))
    passages.extend(body_passages(doc))
    return passages


def body_passages(doc: Document) -> list[Passage]:
    """The full text's sentences, in the article's language, with heading and page."""
    out: list[Passage] = []
    n = 0
    for part in doc.body:
        for sentence in split_sentences(part.text):
            n += 1
            for i, piece in enumerate(cut_long(sentence), 1):
                suffix = f".{i}" if i > 1 else ""
                out.append(Passage(id=f"{doc.id}:{doc.language}:{BODY}:{n}{suffix}",
                                   document=doc.id, language=doc.language, section=BODY,
                                   position=n, text=piece, heading=part.section, page=part.page))
    return out


def corpus_passages(docs: list[Document]) -> list[Passage]:
    """Passages of every document, grouped by language (all Indonesian first, then English).

    Grouping lets a search stay inside one language with a contiguous id range.
    """
    every = [p for doc in docs for p in document_passages(doc)]
    return [p for lang in LANGUAGES for p in every if p.language == lang]
