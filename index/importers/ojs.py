"""An OJS 3.3–3.5 article page: its Highwire ``citation_*`` and Dublin Core ``DC.*`` meta tags.

What differs between versions, and how each is read:

* ``xml:lang`` is "id"/"en" in 3.3 and a BCP 47 tag ("id", "en-US") from 3.4: both map to
  "id"/"en" (:func:`clean.language_code`).
* 3.3 emits ``citation_keywords`` and affiliations only in the visitor's interface language;
  ``DC.Subject`` carries every language's keywords: it is preferred, ``citation_keywords``
  fills in.
* ``citation_abstract`` exists only from 3.4; ``DC.Description`` (one per language) in all.
  A journal that typed both languages into one abstract field gets that field split by
  language (:class:`clean.AbstractSplitter`); a separate field of the other language wins.
* 3.5 may give an author several ``citation_author_institution`` tags: joined with "; ".
"""

from __future__ import annotations

from collections import defaultdict
from html.parser import HTMLParser

from index.importers.article import Article, Author
from index.importers.clean import AbstractSplitter, language_code, parse_date, recase_title, squash


class NotAnOjsPage(ValueError):
    """The page has no OJS article meta tags."""


class _Meta(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, str, str | None]] = []  # (name, content, language)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "meta":
            return
        a = {k.lower(): v for k, v in attrs}
        name, content = a.get("name"), a.get("content")
        if name and content is not None:
            self.tags.append((name.strip(), content, a.get("xml:lang") or a.get("lang")))


def meta_tags(html_text: str) -> list[tuple[str, str, str | None]]:
    parser = _Meta()
    parser.feed(html_text)
    parser.close()
    return parser.tags


_ByLang = dict[str, dict[str | None, list[str]]]  # tag name -> language (or None) -> contents


def _collect(html_text: str) -> tuple[dict[str, str], _ByLang, list[Author], list[list[str]]]:
    """Each tag's first value, every value by language, the authors and the institutions
    listed after each."""
    one: dict[str, str] = {}
    by_lang: _ByLang = defaultdict(lambda: defaultdict(list))
    authors: list[Author] = []
    institutions: list[list[str]] = []
    for name, content, lang in meta_tags(html_text):
        content = squash(content)
        key = name if name.startswith("DC.") else name.lower()
        if not content:
            continue
        one.setdefault(key, content)
        by_lang[key][language_code(lang) if lang else None].append(content)
        if key == "citation_author":
            authors.append(Author(content))
            institutions.append([])
        elif key == "citation_author_institution" and institutions:
            institutions[-1].append(content)
    return one, by_lang, authors, institutions


def _keywords(by_lang: _ByLang, language: str) -> dict[str, tuple[str, ...]]:
    keywords: dict[str, tuple[str, ...]] = {}
    for key in ("DC.Subject", "citation_keywords"):
        for lang, values in by_lang[key].items():
            lang = lang or language
            if lang not in keywords:
                keywords[lang] = tuple(dict.fromkeys(values))
    return keywords


def _abstracts(by_lang: _ByLang, language: str, splitter: AbstractSplitter,
               keywords: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Each language's abstract from its own field, else as found inside another language's
    field (keywords found inside an abstract join ``keywords``)."""
    own: dict[str, str] = {}  # each language's abstract from its own field
    split_off: dict[str, str] = {}  # the other language found inside a field
    for key in ("citation_abstract", "DC.Description"):
        for lang, values in by_lang[key].items():
            declared = lang or language
            parts, inline_keywords = splitter.split(values[0], declared)
            for code, words in inline_keywords.items():
                keywords.setdefault(code, words)
            for code, text in parts.items():
                (own if code == declared else split_off).setdefault(code, text)
    return {**split_off, **own}


def parse_ojs_page(html_text: str, source: str, splitter: AbstractSplitter | None = None) -> Article:
    """The article of an OJS page; raises :class:`NotAnOjsPage` when it has no such tags."""
    one, by_lang, authors, institutions = _collect(html_text)
    title = one.get("citation_title") or one.get("DC.Title")
    if not title or not (authors or "DC.Creator.PersonalName" in one):
        raise NotAnOjsPage("no citation_title/DC.Title and citation_author meta tags: "
                           "not an OJS article page (is it the article's landing page?)")
    if not authors:
        authors = [Author(n) for n in by_lang["DC.Creator.PersonalName"][None]]
        institutions = [[] for _ in authors]
    authors = [Author(a.name, "; ".join(dict.fromkeys(inst)) or None)
               for a, inst in zip(authors, institutions, strict=True)]

    splitter = splitter or AbstractSplitter()
    language = (language_code(one.get("DC.Language")) or language_code(one.get("citation_language"))
                or splitter.detector.detect(title))
    other = "en" if language == "id" else "id"
    titles = {language: recase_title(title)}
    for lang, values in by_lang["DC.Title.Alternative"].items():
        if lang and lang != language:
            titles[lang] = recase_title(values[0])
    keywords = _keywords(by_lang, language)
    abstracts = _abstracts(by_lang, language, splitter, keywords)

    first, last = one.get("citation_firstpage"), one.get("citation_lastpage")
    pages = f"{first}-{last}" if first and last and first != last else first or one.get(
        "DC.Identifier.pageNumber")
    published = (parse_date(one.get("citation_publication_date")) or parse_date(one.get("citation_date"))
                 or parse_date(one.get("DC.Date.issued")) or parse_date(one.get("DC.Date.created")))
    affiliations_known = all(a.affiliation for a in authors)
    missing = [what for what, absent in (
        ("abstract", not abstracts),
        (f"{other} abstract", language in abstracts and other not in abstracts),
        ("publication date", published is None),
        ("keywords", language not in keywords),
        (f"{other} title", other not in titles),
        (f"{other} keywords", other not in keywords),
        ("affiliations", not affiliations_known),
        ("journal", not (one.get("citation_journal_title") or one.get("DC.Source"))),
        ("volume/issue", not (one.get("citation_volume") or one.get("DC.Source.Volume"))),
        ("pages", not pages),
        ("DOI", not (one.get("citation_doi") or one.get("DC.Identifier.DOI"))),
        ("PDF link", not one.get("citation_pdf_url")),
    ) if absent]
    return Article(
        source=source,
        language=language,
        title=titles,
        authors=tuple(authors),
        keywords=keywords,
        abstract=abstracts,
        published=published,
        journal=one.get("citation_journal_title") or one.get("DC.Source"),
        volume=one.get("citation_volume") or one.get("DC.Source.Volume"),
        issue=one.get("citation_issue") or one.get("DC.Source.Issue"),
        pages=pages,
        doi=one.get("citation_doi") or one.get("DC.Identifier.DOI"),
        url=one.get("DC.Identifier.URI") or one.get("citation_abstract_html_url")
        or (source if source.startswith(("http://", "https://")) else None),
        pdf_url=one.get("citation_pdf_url"),
        missing=tuple(missing),
    )
