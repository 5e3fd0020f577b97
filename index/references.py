"""Formatted references of a corpus article: APA 7, MLA 9, Chicago 17, IEEE, Harvard, BibTeX, RIS.

Built from the corpus metadata only: a field the corpus lacks (journal, volume, issue, pages,
DOI, URL) is left out, never guessed. Each style follows its guide's journal-article pattern;
docs/citations.md compares the output with the guides' examples and with citeproc-py, which
got every one of these styles wrong for our articles in some way and so is not used.

Titles keep their capitalisation as published, except where a style asks for sentence case
(APA, IEEE): then only words that are capitalised for no reason but title case are lowered,
and a word the article's own abstract capitalises in mid-sentence (a proper noun such as
"Banten") or writes in capitals (an acronym such as "ASEAN") keeps its capitals. Titles are
never turned into title case.

    ref = Reference.from_document(doc)
    format_reference(ref, "apa", "id")      # plain text
    format_reference(ref, "mla", "en", html=True)   # Telegram HTML: italics as <i>
    detect_style("bisa minta format APA?")  # "apa"
"""

from __future__ import annotations

import datetime as dt
import html as html_lib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from index.corpus import Document
from index.passages import MONTHS

STYLES = ("apa", "mla", "chicago", "ieee", "harvard", "bibtex", "ris")  # apa first: the default
DEFAULT_STYLE = "apa"
STYLE_NAMES = {
    "apa": "APA 7",
    "mla": "MLA 9",
    "chicago": "Chicago 17",
    "ieee": "IEEE",
    "harvard": "Harvard",
    "bibtex": "BibTeX",
    "ris": "RIS",
}
CODE_STYLES = frozenset({"bibtex", "ris"})  # machine formats: shown as code so they copy cleanly

APA_MAX_AUTHORS = 20  # APA 7 §9.8: up to 20 names, then the first 19, "…", the last
IEEE_MAX_AUTHORS = 6  # IEEE Reference Guide: more than six names -> first name "et al."
CHICAGO_MAX_AUTHORS = 10  # CMOS 17 §14.76: more than ten -> the first seven "et al."
CHICAGO_LISTED_WHEN_CUT = 7

AND = {"en": "and", "id": "dan"}
AVAILABLE_AT = {"en": "Available at", "id": "Tersedia di"}
ACCESSED = {"en": "Accessed", "id": "Diakses"}
IEEE_MONTHS = {  # IEEE abbreviates months of more than four letters
    "en": ("Jan.", "Feb.", "Mar.", "Apr.", "May", "Jun.", "Jul.", "Aug.", "Sep.", "Oct.",
           "Nov.", "Dec."),
    "id": ("Jan.", "Feb.", "Mar.", "Apr.", "Mei", "Jun.", "Jul.", "Agu.", "Sep.", "Okt.",
           "Nov.", "Des."),
}
BIBTEX_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                 "dec")
BIBTEX_LANGUAGES = {"id": "indonesian", "en": "english"}  # babel names, as biblatex wants

# Italics are marked while a reference is assembled, then dropped (plain) or made <i> (HTML).
_I, _END_I = "\x01", "\x02"


@dataclass(frozen=True)
class Person:
    """A name split for citing: ``family`` is the last word (``"Agustina"`` in "Istiq Agustina").

    Indonesian names have no fixed surname; the article itself cites as "Agustina dkk.", so the
    last word is the family name, as most journals and reference managers treat it. A
    one-word name has ``given == ""``.
    """

    given: str
    family: str

    @classmethod
    def from_name(cls, name: str) -> Person:
        words = name.split()
        return cls(" ".join(words[:-1]), words[-1])

    def initials(self, spaced: bool = True) -> str:
        """``"A. I."`` (APA, IEEE) or ``"A.I."`` (Harvard); hyphenated names keep the hyphen."""
        parts = []
        for word in self.given.split():
            parts.append("-".join(f"{piece[0]}." for piece in word.split("-") if piece))
        return (" " if spaced else "").join(parts)

    @property
    def full(self) -> str:
        return f"{self.given} {self.family}".strip()


@dataclass(frozen=True)
class Reference:
    """What a reference may say about one article; ``None`` where the corpus does not know."""

    key: str  # the document's id
    authors: tuple[Person, ...]
    title: str
    language: str  # the title's language ("id" or "en")
    published: dt.date
    title_translations: tuple[tuple[str, str], ...]  # (language, the title translated)
    journal: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None  # "145-160" or "12"
    doi: str | None = None  # bare: "10.1234/abcd"
    url: str | None = None
    proper_nouns: frozenset[str] = frozenset()  # words the abstract capitalises mid-sentence

    @classmethod
    def from_document(cls, doc: Document) -> Reference:
        translations = tuple((str(lang), tr.title) for lang, tr in doc.translation.items()
                             if tr.title)
        return cls(
            key=doc.id,
            authors=tuple(Person.from_name(a.name) for a in doc.authors),
            title=doc.title,
            language=doc.language,
            published=doc.published,
            title_translations=translations,
            journal=doc.journal,
            volume=doc.volume,
            issue=doc.issue,
            pages=doc.pages,
            doi=doc.doi,
            url=doc.url,
            proper_nouns=frozenset(_capitalised_mid_sentence(doc.abstract.values())),
        )

    @property
    def year(self) -> int:
        return self.published.year

    def title_in(self, language: str) -> str | None:
        """The title translated into ``language``, if the corpus has a translation."""
        return dict(self.title_translations).get(language)

    @property
    def first_page(self) -> str | None:
        return self.pages.split("-")[0] if self.pages else None

    @property
    def last_page(self) -> str | None:
        return self.pages.split("-")[1] if self.pages and "-" in self.pages else None

    @property
    def doi_url(self) -> str | None:
        return f"https://doi.org/{self.doi}" if self.doi else None


def format_reference(reference: Reference, style: str, language: str, *, html: bool = False,
                     accessed: dt.date | None = None) -> str:
    """The reference in ``style`` (one of :data:`STYLES`) for a reply in ``language``.

    ``language`` ("id" or "en") only changes the words a style lets follow the reader's
    language ("and"/"dan", "Available at"/"Tersedia di", month names) and, in APA for English
    readers, adds our translation of an Indonesian title in square brackets. ``html`` marks
    italics as ``<i>`` and escapes the rest (Telegram's HTML); otherwise it is plain text.
    ``accessed`` is the access date Harvard wants for a URL without a DOI (default today).
    """
    if style not in _FORMATTERS:
        raise ValueError(f"unknown citation style {style!r}; known: {', '.join(STYLES)}")
    lang = language if language in AND else "en"
    text = _FORMATTERS[style](reference, lang, accessed or dt.date.today())
    if html:
        text = html_lib.escape(text, quote=False)
        return text.replace(_I, "<i>").replace(_END_I, "</i>")
    return text.replace(_I, "").replace(_END_I, "")


# -- titles ----------------------------------------------------------------------------

_WORD_RE = re.compile(r"[^\W\d_][\w'’-]*")
_SENTENCE_START_RE = re.compile(r"(?:^|[.!?:]\s+|[\"“(]\s*)$")


def _capitalised_mid_sentence(texts: Iterable[str]) -> set[str]:
    """Words written with a capital where a sentence does not start: proper nouns."""
    found = set()
    for text in texts:
        for m in _WORD_RE.finditer(text):
            word = m.group()
            if word[0].isupper() and not _SENTENCE_START_RE.search(text[: m.start()]):
                found.add(word)
    return found


def sentence_case(title: str, proper_nouns: frozenset[str] = frozenset()) -> str:
    """Capital only on the first word, after a colon and on proper nouns and acronyms.

    A word is lowered only when its capital looks like title case (``"Strategis"``), never
    when it is all capitals (``"ASEAN"``), has capitals inside (``"McDonald"``, ``"e-KTP"``)
    or is one of ``proper_nouns``.
    """
    out = []
    start = True
    pos = 0
    for m in _WORD_RE.finditer(title):
        out.append(title[pos:m.start()])
        word = m.group()
        between = title[pos:m.start()]
        if ":" in between or "?" in between or "!" in between:
            start = True
        pieces = word.split("-")  # "Multi-Level" -> "multi-level", "Asia-Pasifik" kept
        cased = [_lowered(piece, proper_nouns) for piece in pieces]
        if start:
            cased[0] = pieces[0][:1].upper() + pieces[0][1:]
        out.append("-".join(cased))
        start = False
        pos = m.end()
    out.append(title[pos:])
    return "".join(out)


def _lowered(word: str, proper_nouns: frozenset[str]) -> str:
    """``word`` in lower case if only title case capitalised it."""
    titled = len(word) > 1 and word[0].isupper() and word[1:] == word[1:].lower()
    return word.lower() if titled and word not in proper_nouns else word


def _end(text: str, mark: str = ".") -> str:
    """``text`` followed by ``mark`` unless it already ends a sentence."""
    return text if text.rstrip(_END_I).endswith(("?", "!", ".")) else text + mark


def _quoted(title: str, mark: str) -> str:
    """American quotation: the comma or period goes inside the closing quote (“Title.”)."""
    if title.endswith(("?", "!")):
        return f"“{title}”"
    return f"“{title}{mark}”"


def _italic(text: str) -> str:
    return f"{_I}{text}{_END_I}"


# -- page ranges -------------------------------------------------------------------------

def _pages_full(ref: Reference) -> str:
    return ref.pages.replace("-", "–") if ref.pages else ""


def _pages_chicago(ref: Reference) -> str:
    """CMOS 9.61 inclusive numbers: 145–60, 101–8, 100–104, 1087–89, 71–72."""
    first, last = ref.first_page, ref.last_page
    if not first or not last or not (first.isdigit() and last.isdigit()):
        return _pages_full(ref)
    a, b = int(first), int(last)
    if a < 100 or a % 100 == 0 or b < a or len(last) != len(first):
        return f"{first}–{last}"
    if a % 100 < 10:
        keep = len(str(b % 100)) if b // 100 == a // 100 else len(last)
    else:
        keep = 2
        while keep < len(last) and first[: -keep] != last[: -keep]:
            keep += 1
    return f"{first}–{last[-keep:]}"


def _pages_mla(ref: Reference) -> str:
    """MLA 9 §2.137: from 100 on, the second number's last two digits unless more are needed."""
    first, last = ref.first_page, ref.last_page
    if not first or not last or not (first.isdigit() and last.isdigit()):
        return _pages_full(ref)
    if int(first) < 100 or len(first) != len(last):
        return f"{first}–{last}"
    keep = 2
    while keep < len(last) and first[: -keep] != last[: -keep]:
        keep += 1
    return f"{first}–{last[-keep:]}"


# -- author lists ------------------------------------------------------------------------

def _join(names: list[str], conjunction: str, serial_comma: bool = True) -> str:
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]} {conjunction} {names[1]}"
    comma = "," if serial_comma else ""
    return ", ".join(names[:-1]) + f"{comma} {conjunction} {names[-1]}"


def _apa_name(p: Person) -> str:
    return f"{p.family}, {p.initials()}" if p.given else p.family


def _apa_authors(ref: Reference) -> str:
    names = [_apa_name(p) for p in ref.authors]
    if len(names) > APA_MAX_AUTHORS:
        return ", ".join(names[:APA_MAX_AUTHORS - 1]) + ", . . . " + names[-1]
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + f", & {names[-1]}"


def _inverted_full(p: Person) -> str:
    return f"{p.family}, {p.given}" if p.given else p.family


# -- the styles --------------------------------------------------------------------------

def _apa(ref: Reference, lang: str, accessed: dt.date) -> str:
    """APA 7 §10.1: Author, A. A., & Author, B. B. (2025). Title. Journal, 12(2), 1–9. DOI"""
    title = sentence_case(ref.title, ref.proper_nouns)
    translated = ref.title_in(lang) if lang != ref.language else None
    if translated:  # §9.38: a title in another language gets its translation in brackets
        title = f"{title} [{sentence_case(translated, ref.proper_nouns)}]"
    parts = [f"{_end(_apa_authors(ref))} ({ref.year}). {_end(title)}"]
    if ref.journal:
        source = _italic(ref.journal)
        if ref.volume:
            source += ", " + _italic(ref.volume)
            if ref.issue:
                source += f"({ref.issue})"
        if ref.pages:
            source += ", " + _pages_full(ref)
        parts.append(_end(source))
    link = ref.doi_url or ref.url
    if link:
        parts.append(link)
    return " ".join(parts)


def _mla(ref: Reference, lang: str, accessed: dt.date) -> str:
    """MLA 9: Last, First, et al. “Title.” Journal, vol. 12, no. 2, 2025, pp. 145–60, DOI."""
    first = _inverted_full(ref.authors[0])
    if len(ref.authors) == 1:
        authors = first
    elif len(ref.authors) == 2:
        authors = f"{first}, {AND[lang]} {ref.authors[1].full}"
    else:
        authors = f"{first}, et al"
    container = []
    if ref.journal:
        container.append(_italic(ref.journal))
        if ref.volume:
            container.append(f"vol. {ref.volume}")
        if ref.issue:
            container.append(f"no. {ref.issue}")
    container.append(str(ref.year))
    if ref.pages:
        container.append(("pp. " if ref.last_page else "p. ") + _pages_mla(ref))
    link = ref.doi_url or (re.sub(r"^https?://", "", ref.url) if ref.url else None)
    if link:
        container.append(link)
    return f"{_end(authors)} {_quoted(ref.title, '.')} {', '.join(container)}."


def _chicago(ref: Reference, lang: str, accessed: dt.date) -> str:
    """Chicago 17 bibliography (notes-bibliography, §14.175): Last, First, First Last, and …"""
    people = list(ref.authors)
    cut = len(people) > CHICAGO_MAX_AUTHORS
    if cut:
        people = people[:CHICAGO_LISTED_WHEN_CUT]
    names = [_inverted_full(people[0])] + [p.full for p in people[1:]]
    if cut:
        authors = ", ".join(names) + ", et al"
    elif len(names) == 2:
        authors = f"{names[0]}, {AND[lang]} {names[1]}"  # CMOS: comma after the inverted name
    else:
        authors = _join(names, AND[lang])
    parts = [_end(authors), _quoted(ref.title, ".")]
    if ref.journal:
        source = _italic(ref.journal)
        if ref.volume:
            source += f" {ref.volume}"
        if ref.issue:
            source += f", no. {ref.issue}"
        source += f" ({ref.year})"
        if ref.pages:
            source += ": " + _pages_chicago(ref)
        parts.append(source + ".")
    else:
        parts.append(f"{ref.year}.")
    link = ref.doi_url or ref.url
    if link:
        parts.append(link + ".")
    return " ".join(parts)


def _ieee(ref: Reference, lang: str, accessed: dt.date) -> str:
    """IEEE Reference Guide: I. Last, A. B. Last, and C. Last, “Title,” Journal, vol. 1, …"""
    names = [f"{p.initials()} {p.family}".strip() for p in ref.authors]
    if len(names) > IEEE_MAX_AUTHORS:
        authors = f"{names[0]} et al."
    else:
        authors = _join(names, AND[lang], serial_comma=len(names) > 2)
    title = _quoted(sentence_case(ref.title, ref.proper_nouns), ",")
    fields = []
    if ref.journal:
        fields.append(_italic(ref.journal))
        if ref.volume:
            fields.append(f"vol. {ref.volume}")
        if ref.issue:
            fields.append(f"no. {ref.issue}")
        if ref.pages:
            fields.append(("pp. " if ref.last_page else "p. ") + _pages_full(ref))
    fields.append(f"{IEEE_MONTHS[lang][ref.published.month - 1]} {ref.year}")
    if ref.doi:
        fields.append(f"doi: {ref.doi}")
    text = f"{authors}, {title} {', '.join(fields)}"
    if not ref.doi and ref.url:
        return f"{text}. [Online]. Available: {ref.url}"
    return text + "."


def _harvard(ref: Reference, lang: str, accessed: dt.date) -> str:
    """Harvard (Cite Them Right): Last, I., Last, I.I. and Last, I. (2025) ‘Title’, …"""
    names = [f"{p.family}, {p.initials(spaced=False)}" if p.given else p.family
             for p in ref.authors]
    authors = _join(names, AND[lang], serial_comma=False)
    text = f"{authors} ({ref.year}) ‘{ref.title}’"
    if ref.journal:
        text += ", " + _italic(ref.journal)
        if ref.volume:
            text += f", {ref.volume}"
            if ref.issue:
                text += f"({ref.issue})"
        if ref.pages:
            text += (", pp. " if ref.last_page else ", p. ") + _pages_full(ref)
    text += "."
    if ref.doi_url:
        text += f" {AVAILABLE_AT[lang]}: {ref.doi_url}."
    elif ref.url:
        day = f"{accessed.day} {MONTHS[lang][accessed.month - 1]} {accessed.year}"
        text += f" {AVAILABLE_AT[lang]}: {ref.url} ({ACCESSED[lang]}: {day})."
    return text


_BIBTEX_SPECIAL = re.compile(r"([&%$#_{}])")


def _bibtex_value(text: str) -> str:
    text = text.replace("\\", r"\textbackslash{}").replace("~", r"\textasciitilde{}")
    text = text.replace("^", r"\textasciicircum{}")
    return _BIBTEX_SPECIAL.sub(r"\\\1", text)


def bibtex_key(ref: Reference) -> str:
    """``agustina2025peran``: first author's family name, year, first title word (ASCII)."""
    def ascii_word(s: str) -> str:
        plain = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
        return re.sub(r"[^a-z0-9]", "", plain.lower())
    words = [w for w in (ascii_word(w) for w in ref.title.split()) if w]
    return f"{ascii_word(ref.authors[0].family)}{ref.year}{words[0] if words else ''}"


def _bibtex(ref: Reference, lang: str, accessed: dt.date) -> str:
    """One ``@article`` entry; the title in double braces so no style recases it."""
    authors = " and ".join(_bibtex_value(_inverted_full(p)) for p in ref.authors)
    fields: list[tuple[str, str]] = [
        ("author", authors),
        ("title", "{" + _bibtex_value(ref.title) + "}"),
    ]
    if ref.journal:
        fields.append(("journal", _bibtex_value(ref.journal)))
    fields.append(("year", str(ref.year)))
    fields.append(("month", BIBTEX_MONTHS[ref.published.month - 1]))  # a macro: no braces
    if ref.volume:
        fields.append(("volume", _bibtex_value(ref.volume)))
    if ref.issue:
        fields.append(("number", _bibtex_value(ref.issue)))
    if ref.pages:
        fields.append(("pages", ref.pages.replace("-", "--")))
    if ref.doi:
        fields.append(("doi", _bibtex_value(ref.doi)))
    if ref.url:
        fields.append(("url", ref.url))
    fields.append(("language", BIBTEX_LANGUAGES.get(ref.language, ref.language)))
    body = ",\n".join(f"  {name} = {value}" if name == "month" else f"  {name} = {{{value}}}"
                      for name, value in fields)
    return f"@article{{{bibtex_key(ref)},\n{body}\n}}"


def _ris(ref: Reference, lang: str, accessed: dt.date) -> str:
    """RIS (EndNote, Mendeley, Zotero): ``TAG  - value`` lines from ``TY  - JOUR`` to ``ER  - ``."""
    lines = [("TY", "JOUR")]
    lines += [("AU", _inverted_full(p)) for p in ref.authors]
    lines.append(("TI", ref.title))
    if ref.journal:
        lines.append(("T2", ref.journal))
    lines.append(("PY", str(ref.year)))
    lines.append(("DA", ref.published.strftime("%Y/%m/%d")))
    if ref.volume:
        lines.append(("VL", ref.volume))
    if ref.issue:
        lines.append(("IS", ref.issue))
    if ref.first_page:
        lines.append(("SP", ref.first_page))
    if ref.last_page:
        lines.append(("EP", ref.last_page))
    if ref.doi:
        lines.append(("DO", ref.doi))
    if ref.url:
        lines.append(("UR", ref.url))
    lines.append(("LA", ref.language))
    lines.append(("ER", ""))
    return "\n".join(f"{tag}  - {' '.join(value.split())}" for tag, value in lines)


_FORMATTERS = {
    "apa": _apa,
    "mla": _mla,
    "chicago": _chicago,
    "ieee": _ieee,
    "harvard": _harvard,
    "bibtex": _bibtex,
    "ris": _ris,
}


# -- recognising a style in a message ----------------------------------------------------

_STYLE_PATTERNS = [
    ("bibtex", re.compile(r"\b(?:bib\s?tex|biblatex|bib|\.bib)\b", re.I)),
    ("ris", re.compile(r"\b(?:ris|endnote|mendeley|zotero|refworks)\b", re.I)),
    ("ieee", re.compile(r"\bi\.?\s?e\.?\s?e\.?\s?e\b", re.I)),
    ("mla", re.compile(r"\bmla\b", re.I)),
    ("chicago", re.compile(r"\b(?:chicago|turabian)\b", re.I)),
    ("harvard", re.compile(r"\bharvard\b", re.I)),
]
# Styles students name that are not built here: the reference comes in the default style,
# with a lead that says so, never as if it were the one asked for ("ama" and "asa" are chat
# Indonesian, so AMA and ASA are not listed)
UNSUPPORTED_STYLES = {"vancouver": "Vancouver", "oscola": "OSCOLA", "mhra": "MHRA",
                      "cse": "CSE", "aglc": "AGLC", "acs": "ACS"}
_UNSUPPORTED = re.compile(r"\b(" + "|".join(UNSUPPORTED_STYLES) + r")\b", re.I)
# ... except next to a word that makes them a style ("AMA style", "format asa") or in
# capitals; and APA's 6th edition, which is not APA 7
_NAMED_AS_STYLE = re.compile(
    r"\b(ama|asa)\s+(?:style|format|citation|reference|sitasi)\b"
    r"|\b(?:format|gaya|style|sitasi|citation|cite)\s+(ama|asa)\b|\b(AMA|ASA)\b", re.I)
_APA_SIX = re.compile(r"\bapa\s*(?:edisi\s*|ed\.?\s*)?(?:6|6th|vi)\b|\b6th\s+edition\b", re.I)
# Lower-case "apa" is Indonesian for "what": it is the style only with a word that says so.
_APA_BEFORE = re.compile(
    r"\b(?:format|gaya|style|model|versi|sitasi|citasi|citation|cite|citing|reference|referensi|"
    r"kutipan|pustaka|in|into|ala|to|as|using|pake|pakai|dengan|dgn|versi)\s+$", re.I)
_APA_AFTER = re.compile(
    r"^\s*(?:7|7th|vii|6|6th|edisi|edition|ed\b|style|format|citation|reference|ref|referencing|"
    r"sitasi|daftar pustaka|-?style)", re.I)
_APA_QUESTION_AFTER = re.compile(  # "format apa yang ada?" = "which formats are there?"
    r"^\s*(?:\?|yang|yg|aja|saja|ada|sih|ya|aj|bisa|tersedia|saja|kah|itu|dong|nih|nya|"
    r"lagi|lg)\b|^\s*\?", re.I)
_ACRONYMS = frozenset({"APA", "MLA", "IEEE", "RIS", "DOI", "BIB"})
_APA_WORD = re.compile(r"\bapa\b", re.I)
_PAKAI = re.compile(r"\b(?:pake|pakai|dengan|dgn)\s+$", re.I)


# A citation inside the student's own text, not the reference list's entry: "in-text",
# "dalam teks", "parenthetical", "narrative citation", "\cite"
_IN_TEXT = re.compile(r"\bin[\s-]?text\b|\bintext\b|\bdalam\s+teks\b|\bparenthetical\b"
                      r"|\bnarrative\s+citation\b|\bsitasi\s+naratif\b|\\cite\b", re.I)
_IN_TEXT_WORDS = {"id": ("Dalam kurung", "Naratif"), "en": ("Parenthetical", "Narrative")}


def asks_in_text(text: str) -> bool:
    """Whether a message asks for the in-text citation ("in-text citation APA", "sitasi
    dalam teks gimana?") rather than the reference-list entry."""
    return _IN_TEXT.search(text) is not None


def _in_text_names(ref: Reference, conjunction: str) -> str:
    """The family names an in-text citation shows: one, two joined, or the first "et al."
    (APA 7, MLA 9, Chicago and Harvard alike for three or more authors)."""
    families = [p.family for p in ref.authors]
    if len(families) >= 3:
        return f"{families[0]} et al."
    return f" {conjunction} ".join(families)


def format_in_text(reference: Reference, style: str, language: str) -> str:
    """The in-text citation in ``style``: parenthetical and narrative forms (IEEE: the
    number in the reference list; BibTeX: the LaTeX command), one per line."""
    if style == "ieee":
        return {"id": "[1] (nomor artikel ini di daftar referensi Anda)",
                "en": "[1] (the number of this article in your reference list)"}[language]
    if style == "bibtex":
        return f"\\cite{{{bibtex_key(reference)}}}"
    if style == "ris":
        style = "apa"  # RIS is for a reference manager, which inserts the APA form
    parenthetical, narrative = _IN_TEXT_WORDS[language]
    year = reference.year
    if style == "mla":
        names = _in_text_names(reference, "and")
        forms = (f"({names})", names)
    elif style == "chicago":
        names = _in_text_names(reference, "and")
        forms = (f"({names} {year})", f"{names} ({year})")
    else:  # apa, harvard
        forms = (f"({_in_text_names(reference, '&' if style == 'apa' else 'and')}, {year})",
                 f"{_in_text_names(reference, 'and')} ({year})")
    return f"{parenthetical}: {forms[0]}\n{narrative}: {forms[1]}"


def unsupported_style(text: str) -> str | None:
    """The name of a citation style the message asks for that is not built here
    ("sitasi vancouver dong" -> "Vancouver"), or None."""
    match = _UNSUPPORTED.search(text)
    if match:
        return UNSUPPORTED_STYLES[match.group(1).lower()]
    named = _NAMED_AS_STYLE.search(text)
    if named and (named.group(3) is None or named.group(3).isupper()):
        return next(g for g in named.groups() if g).upper()
    return "APA 6" if _APA_SIX.search(text) else None


def detect_style(text: str) -> str | None:
    """The citation style a message names (one of :data:`STYLES`), the first one named, or None.

    "apa" counts as APA when written "APA" in a message not all in capitals, or with a word
    that makes it a style ("format apa", "APA style", "apa 7", "in apa"); "apa itu …?",
    "sitasinya pakai apa?" and "format apa yang ada?" are questions, not APA.
    """
    found: list[tuple[int, str]] = []
    for style, pattern in _STYLE_PATTERNS:
        m = pattern.search(text)
        if m:
            found.append((m.start(), style))
    others = [w for w in re.findall(r"[^\W\d_]+", text) if w.upper() not in _ACRONYMS]
    shouting = len(others) >= 2 and all(w.isupper() for w in others)  # "APA ITU PARADIPLOMASI"
    for m in _APA_WORD.finditer(text):
        before, after = text[: m.start()], text[m.end():]
        if m.group() == "APA" and not shouting:
            found.append((m.start(), "apa"))
            break
        if _APA_AFTER.match(after):
            found.append((m.start(), "apa"))
            break
        if (_APA_BEFORE.search(before) and not _APA_QUESTION_AFTER.match(after)
                and not (_PAKAI.search(before) and after.strip() in ("", "?"))
                and not after.lstrip().startswith("?")):
            found.append((m.start(), "apa"))
            break
    return min(found)[1] if found else None
