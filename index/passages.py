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
from index.text import Analyzer

logger = logging.getLogger(__name__)

MAX_PASSAGE_CHARS = 400  # one phone screen

ABSTRACT = "abstract"
BODY = "body"  # the full text: each passage knows its heading and page
METADATA_SECTIONS = ("title", "authors", "published", "keywords", "journal", "doi")

# A stem in at least this share of an abstract's sentences is its subject (paradiplomasi: 5/6)
SUBJECT_SHARE = 2 / 3
# A sentence that names the subject only by a demonstrative ("Keberhasilan praktik ini …",
# "The success of this practice …"): it is searched as if it named it. Without the word,
# "siapa aktor utama paradiplomasi?" and "what do regional heads do in paradiplomacy?" found
# the sentences that say "paradiplomasi" (the dense model and BM25 alike), not sentence 3.
_DEMONSTRATIVE = {
    "id": re.compile(r"\b(?:praktik|praktek|hal|upaya|kegiatan|konsep|fenomena|aktivitas|"
                     r"pendekatan|strategi|proses|kebijakan)\s+(?:ini|tersebut)\b", re.IGNORECASE),
    "en": re.compile(r"\b(?:this|these|such)\s+(?:practices?|approach(?:es)?|activit(?:y|ies)|"
                     r"concepts?|phenomen(?:on|a)|strateg(?:y|ies)|process(?:es)?|"
                     r"polic(?:y|ies))\b", re.IGNORECASE),
}

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
    # The sentence with the subject it refers to spelled out ("Keberhasilan paradiplomasi
    # …" for "Keberhasilan praktik ini …"): BM25 reads it, and the passage's vector is the
    # mean of both texts' vectors (the sentence as written still matches its own words).
    resolved: str | None = None
    heading: str | None = None  # full text only: the section it is in ("Metode Penelitian")
    page: int | None = None  # full text only: the page it starts on

    @property
    def lexical_text(self) -> str:
        return self.lexical or self.resolved or self.text

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


# What each metadata passage says, one table per language. Fields in braces are filled from
# the corpus; the listed ones (LISTED_FIELDS) repeat the abstract's words and are left out of
# what BM25 indexes, which would otherwise outrank the sentences that actually answer.
LANGUAGE_NAMES = {"id": {"id": "Indonesia", "en": "Inggris"},
                  "en": {"id": "Indonesian", "en": "English"}}  # in language -> of language
METADATA_WORDS: dict[str, dict[str, str]] = {
    "id": {
        "title": "Judul artikel ini adalah “{title}”.",
        "title_translated": ("Judul artikel ini adalah “{title}” (terjemahan kami; judul "
                             "aslinya dalam bahasa {original}: “{original_title}”)."),
        "title_original": "Judul artikel ini (dalam bahasa {original}) adalah “{original_title}”.",
        "authors": "Artikel ini ditulis oleh {who}.",
        "authors_place": "Artikel ini ditulis oleh {who}; para penulis berasal dari {place}.",
        "published": "Artikel ini diterbitkan pada {when} (tanggal terbit: {iso}).",
        "keywords": "Kata kunci artikel ini: {keywords}.",
        "keywords_translated": ("Kata kunci artikel ini (terjemahan kami): {keywords}; aslinya "
                                "dalam bahasa {original}: {original_keywords}."),
        "keywords_original": "Kata kunci artikel ini (dalam bahasa {original}): {keywords}.",
        "journal": "Artikel ini terbit di {journal}{volume}{issue}{pages}.",
        "volume": ", Vol. {}", "issue": ", No. {}", "pages": ", hlm. {}",
        "doi": "DOI artikel ini adalah {doi} ({link}).",
        "url": "Artikel ini dapat dibaca di {link}.",
    },
    "en": {
        "title": "The title of this article is “{title}”.",
        "title_translated": ("The title of this article is “{title}” (our translation; the "
                             "original {original} title is “{original_title}”)."),
        "title_original": "The title of this article (in {original}) is “{original_title}”.",
        "authors": "This article was written by {who}.",
        "authors_place": "This article was written by {who}; the authors are from {place}.",
        "published": "This article was published on {when} (publication date: {iso}).",
        "keywords": "The keywords of this article are {keywords}.",
        "keywords_translated": ("The keywords of this article are {keywords} (our translation; "
                                "the original {original} keywords are {original_keywords})."),
        "keywords_original": "The keywords of this article (in {original}) are {keywords}.",
        "journal": "This article was published in {journal}{volume}{issue}{pages}.",
        "volume": ", vol. {}", "issue": ", no. {}", "pages": ", pp. {}",
        "doi": "The DOI of this article is {doi} ({link}).",
        "url": "This article can be read at {link}.",
    },
}
LISTED_FIELDS = frozenset(("title", "original_title", "keywords"))

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
        "journal": "jurnal nama volume nomor edisi halaman terbitan dimuat",
        "doi": "doi tautan link url unduh baca daring online",
    },
    "en": {
        "title": "title titled called named name",
        "authors": "author writer wrote written write researcher university institution "
                   "affiliation affiliated campus college uni",
        "published": "published publication publish date year released appeared",
        "keywords": "keyword keywords key terms",
        "journal": "journal name volume issue number pages venue",
        "doi": "doi link url download online read",
    },
}


def metadata_texts(doc: Document, language: str) -> dict[str, str]:
    """The document's metadata as natural sentences in ``language`` (section -> text)."""
    return {section: template.format(**values) for section, (template, values) in
            _metadata_templates(doc, language).items()}


def metadata_frames(doc: Document, language: str) -> dict[str, str]:
    """What BM25 indexes for the metadata: the sentences with the listed title and keywords
    left out, and the words students use to ask for each field."""
    out = {}
    for section, (template, values) in _metadata_templates(doc, language).items():
        shown = {k: "" if k in LISTED_FIELDS else v for k, v in values.items()}
        out[section] = f"{template.format(**shown)} {SECTION_ALIASES[language][section]}"
    return out


def _metadata_templates(doc: Document, language: str) -> dict[str, tuple[str, dict[str, str]]]:
    """Per metadata section: its template in ``language`` and the values to fill it with."""
    w = METADATA_WORDS[language]
    original = LANGUAGE_NAMES[language][doc.language]
    out: dict[str, tuple[str, dict[str, str]]] = {}
    title = doc.title_in(language)
    values = {"title": title[0] if title else "", "original_title": doc.title,
              "original": original}
    key = "title_original" if not title else "title_translated" if title[1] else "title"
    out["title"] = (w[key], values)

    affiliations = list(dict.fromkeys(a.affiliation for a in doc.authors if a.affiliation))
    same_place = len(affiliations) == 1 and all(a.affiliation for a in doc.authors)
    names = [a.name if same_place or not a.affiliation else f"{a.name} ({a.affiliation})"
             for a in doc.authors]
    out["authors"] = (w["authors_place" if same_place else "authors"],
                      {"who": _join_names(names, language),
                       "place": affiliations[0] if same_place else ""})

    out["published"] = (w["published"], {"when": format_date(doc.published, language),
                                          "iso": doc.published.isoformat()})

    keywords, translated = doc.keywords_in(language)
    if keywords or doc.keywords:  # none in this language (imported): the original ones
        key = "keywords_translated" if keywords and translated else (
            "keywords" if keywords else "keywords_original")
        listed = _join_names(list(keywords or doc.keywords), language)
        out["keywords"] = (w[key], {"keywords": listed, "original": original,
                                    "original_keywords": _join_names(list(doc.keywords),
                                                                     language)})

    if doc.journal:
        parts = {field: w[field].format(value) if value else ""
                 for field, value in (("volume", doc.volume), ("issue", doc.issue),
                                      ("pages", doc.pages))}
        out["journal"] = (w["journal"], {"journal": doc.journal, **parts})
    if doc.doi:
        out["doi"] = (w["doi"], {"doi": doc.doi, "link": doc.doi_url or ""})
    elif doc.url:
        out["doi"] = (w["url"], {"link": doc.url})
    return out


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

    subjects = {lang: _subject(doc, lang, found) for lang, found in sentences.items()}

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
                resolved=_resolved(text, lang, subjects.get(lang))
                if section == ABSTRACT else None,
            ))
    passages.extend(body_passages(doc))
    return passages


def _subject(doc: Document, language: str, sentences: list[str]) -> str | None:
    """The article's subject in ``language``: its first keyword whose words are in at least
    SUBJECT_SHARE of the abstract's sentences ("paradiplomasi"), if any."""
    if len(sentences) < 2:
        return None
    analyzer = Analyzer(language)
    found = [set(analyzer.terms(sentence)) for sentence in sentences]
    keywords, _ = doc.keywords_in(language)
    for keyword in keywords:
        stems = analyzer.terms(keyword)
        if stems and all(sum(stem in terms for terms in found) >= SUBJECT_SHARE * len(found)
                         for stem in stems):
            return keyword.lower()
    return None


def _resolved(sentence: str, language: str, subject: str | None) -> str | None:
    """``sentence`` with its first demonstrative for the subject ("praktik ini") replaced by
    the subject, when it does not name the subject itself; else None."""
    if subject is None or subject in sentence.lower():
        return None
    resolved, count = _DEMONSTRATIVE[language].subn(subject, sentence, count=1)
    return resolved if count else None


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
