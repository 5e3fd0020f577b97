"""What an importer reads from a source, and how it becomes a corpus file.

Every source (an OJS page, a browser copy, an OAI-PMH record, a PDF) yields an
:class:`Article`; :func:`render` turns it into the TOML text of ``corpus/README.md``'s format,
with a header that records a hash of what was imported, so that a later import can tell a
file edited by hand from one it wrote itself.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field

from index.corpus import DOCUMENT_ID_RE, Document

HASH_LINE = "# import-sha256: "
MAX_ID_WORDS = 8  # a file name a person can still read and type
MAX_ID_CHARS = 80  # DOCUMENT_ID_RE's limit


@dataclass(frozen=True)
class Author:
    name: str
    affiliation: str | None = None


@dataclass(frozen=True)
class BodySection:
    """A stretch of the full text under one heading, starting on one page."""

    section: str
    page: int | None
    text: str


@dataclass(frozen=True)
class Article:
    """One article as a source gives it; languages are "id" or "en"."""

    source: str  # where it came from: a URL or a file name
    language: str  # the article's own language
    title: dict[str, str]  # language -> title as published
    authors: tuple[Author, ...] = ()
    keywords: dict[str, tuple[str, ...]] = field(default_factory=dict)
    abstract: dict[str, str] = field(default_factory=dict)
    published: dt.date | None = None
    journal: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    doi: str | None = None
    url: str | None = None
    pdf_url: str | None = None
    body: tuple[BodySection, ...] = ()
    missing: tuple[str, ...] = ()  # fields the source did not give, in readable words
    # Kept from the corpus file when re-importing: what a person added that no source has.
    our_translation: dict[str, tuple[str | None, tuple[str, ...]]] = field(default_factory=dict)
    suggestions: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def with_changes(self, **changes) -> Article:
        from dataclasses import replace

        return replace(self, **changes)


def from_document(doc: Document, source: str) -> Article:
    """A corpus document back as an article (to add its full text)."""
    titles: dict[str, str] = {doc.language: doc.title}
    keywords: dict[str, tuple[str, ...]] = {doc.language: doc.keywords}
    ours: dict[str, tuple[str | None, tuple[str, ...]]] = {}
    for lang, tr in doc.translation.items():
        if tr.source == "article":
            if tr.title:
                titles[lang] = tr.title
            if tr.keywords:
                keywords[lang] = tr.keywords
        else:
            ours[lang] = (tr.title, tr.keywords)
    return Article(
        source=source, language=doc.language, title=titles,
        authors=tuple(Author(a.name, a.affiliation) for a in doc.authors),
        keywords={k: v for k, v in keywords.items() if v}, abstract={str(k): v for k, v in doc.abstract.items()},
        published=doc.published, journal=doc.journal, volume=doc.volume, issue=doc.issue,
        pages=doc.pages, doi=doc.doi, url=doc.url, pdf_url=doc.pdf_url,
        body=body_of(doc),
        our_translation=ours, suggestions={k: v for k, v in doc.suggestions.items() if v})


def body_of(doc: Document) -> tuple[BodySection, ...]:
    return tuple(BodySection(b.section, b.page, b.text) for b in doc.body)


def slug(text: str, max_words: int = MAX_ID_WORDS) -> str:
    """"Peran Strategis Kepala Daerah …" -> "peran-strategis-kepala-daerah-…" (ASCII, ≤ 80)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())[:max_words]
    out = "-".join(words)[:MAX_ID_CHARS].strip("-")
    return out if out and DOCUMENT_ID_RE.match(out) else "article"


def _string(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(text, ensure_ascii=False)


def _long(text: str) -> str:
    """A TOML multi-line string holding ``text`` on its own lines."""
    body = text.replace("\\", "\\\\").replace('"""', '""\\"')
    if body.endswith('"'):
        body = body[:-1] + '\\"'
    return f'"""\n{body}\n"""'


def _list(items: tuple[str, ...]) -> str:
    if not items:
        return "[]"
    return "[\n" + "".join(f"    {_string(i)},\n" for i in items) + "]"


def _wrap(text: str) -> str:
    """One sentence per line: diffs of a re-import stay readable."""
    from index.passages import split_sentences

    return "\n".join(split_sentences(text))


def _fields(article: Article, lang: str) -> list[str]:
    """Title, language, date, keywords, journal fields and authors."""
    lines = [f"title = {_string(article.title[lang])}",
             f'language = "{lang}"']
    if article.published:
        lines.append(f"published = {article.published.isoformat()}")
    if article.keywords.get(lang):
        lines.append(f"keywords = {_list(article.keywords[lang])}")
    for name in ("journal", "volume", "issue", "pages", "doi", "url", "pdf_url"):
        value = getattr(article, name)
        if value:
            lines.append(f"{name} = {_string(value)}")
    for author in article.authors:
        lines += ["", "[[authors]]", f"name = {_string(author.name)}"]
        if author.affiliation:
            lines.append(f"affiliation = {_string(author.affiliation)}")
    return lines


def _translation(article: Article, other: str) -> list[str]:
    """Title and keywords in the other language: the article's own, else ours."""
    if article.title.get(other) or article.keywords.get(other):
        lines = ["", "# The article's own title and keywords in the other language, as published.",
                 f"[translation.{other}]", 'source = "article"']
        title, keywords = article.title.get(other), article.keywords.get(other)
    elif other in article.our_translation:
        lines = ["", "# Our own translations; shown to students marked as translations.",
                 f"[translation.{other}]"]
        title, keywords = article.our_translation[other]
    else:
        return []
    if title:
        lines.append(f"title = {_string(title)}")
    if keywords:
        lines.append(f"keywords = {_list(keywords)}")
    return lines


def _per_language(header: list[str], texts: dict, order: tuple[str, str], show) -> list[str]:
    """A table with one entry per language that has one."""
    return header + [f"{code} = {show(texts[code])}" for code in order if texts.get(code)]


def render_body(article: Article) -> str:
    """The TOML of ``article`` without the header."""
    lang = article.language
    other = "en" if lang == "id" else "id"
    lines = _fields(article, lang) + _translation(article, other)
    if article.abstract:
        lines += _per_language(["", "[abstract]"], article.abstract, (lang, other),
                               lambda text: _long(_wrap(text)))
    if any(article.suggestions.values()):
        lines += _per_language(["", "# Questions this article answers, offered to students.",
                                "[suggestions]"], article.suggestions, (lang, other), _list)
    for part in article.body:
        lines += ["", "[[body]]", f"section = {_string(part.section)}"]
        if part.page is not None:
            lines.append(f"page = {part.page}")
        lines.append(f"text = {_long(_wrap(part.text))}")
    return "\n".join(lines) + "\n"


def content_hash(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def render(article: Article) -> str:
    """The whole corpus file: a header naming the source and the hash of what follows."""
    body = render_body(article)
    header = [
        f"# Imported by `python -m index import` from {article.source}",
        "# Format: corpus/README.md. Edit freely: a later import shows the difference and",
        "# replaces your edits only with --force.",
        f"{HASH_LINE}{content_hash(body)}",
    ]
    if article.missing:
        header.insert(3, f"# Not on the source: {', '.join(article.missing)}.")
    return "\n".join(header) + "\n\n" + body


def split_header(text: str) -> tuple[str | None, str]:
    """(the recorded hash or None, the text after the header)."""
    head, sep, body = text.partition("\n\n")
    for line in head.splitlines():
        if line.startswith(HASH_LINE) and sep:
            return line[len(HASH_LINE):].strip(), body
    return None, text


def edited_by_hand(text: str) -> bool:
    """True unless ``text`` is exactly what an import wrote (its hash still matches)."""
    recorded, body = split_header(text)
    return recorded is None or recorded != content_hash(body)
