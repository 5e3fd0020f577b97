"""OAI-PMH harvests of an OJS journal (``oai_dc``), read as XML so that ``xml:lang`` survives.

``ListRecords`` pages are followed by their resumption tokens; ``noRecordsMatch`` is an empty
harvest, ``badResumptionToken`` and malformed XML stop the harvest with one line (the
records before it are kept, the remembered datestamp is not moved). Deleted records are
reported so the caller can remove what it imported from them.

OJS's ``oai_dc`` for an article: ``dc:title``/``dc:description``/``dc:subject`` per
``xml:lang``; ``dc:creator`` as "Family, Given" (3.3 adds "; Affiliation"); ``dc:date``;
``dc:identifier`` with the landing page and the DOI; ``dc:source`` as "Journal; Vol 7 No 2
(2025); 101-115" plus the ISSN; ``dc:relation`` with the galleys' links; ``dc:language``.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass

from index.importers.article import Article, Author
from index.importers.clean import (
    AbstractSplitter,
    language_code,
    parse_date,
    recase_title,
    split_keywords,
    squash,
)
from index.importers.fetch import Fetcher, FetchError

NS = {"oai": "http://www.openarchives.org/OAI/2.0/",
      "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
      "dc": "http://purl.org/dc/elements/1.1/"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MAX_PAGES = 10_000  # a guard against a server that hands out tokens forever


class HarvestError(Exception):
    """The harvest stopped; the message is one line."""


@dataclass(frozen=True)
class Record:
    identifier: str
    datestamp: str
    deleted: bool = False
    article: Article | None = None
    problem: str | None = None  # why this one record could not be read


def _texts(meta: ET.Element, name: str) -> list[tuple[str, str | None]]:
    return [(squash(e.text or ""), e.get(XML_LANG)) for e in meta.findall(f"dc:{name}", NS)
            if (e.text or "").strip()]


def _person(creator: str) -> Author:
    """"Agustina, Istiq; Universitas X" -> Author("Istiq Agustina", "Universitas X")."""
    name, _, affiliation = creator.partition(";")
    family, comma, given = name.partition(",")
    full = f"{given.strip()} {family.strip()}" if comma and given.strip() else name.strip()
    return Author(" ".join(full.split()), affiliation.strip() or None)


def _source_parts(sources: list[str]) -> dict[str, str]:
    """"Jurnal X; Vol. 7 No. 2 (2025): Edisi Desember; 101-115" -> journal, volume, issue, pages."""
    out: dict[str, str] = {}
    for source in sources:
        parts = [p.strip() for p in source.split(";")]
        if len(parts) < 2:
            continue
        out.setdefault("journal", parts[0])
        for part in parts[1:]:
            if m := re.search(r"\bVol(?:ume)?\.?\s*([\w.-]+)", part, re.IGNORECASE):
                out.setdefault("volume", m[1].rstrip("."))
            if m := re.search(r"\b(?:No|Nomor|Issue)\.?\s*([\w.-]+)", part, re.IGNORECASE):
                out.setdefault("issue", m[1].rstrip("."))
            if re.fullmatch(r"[A-Za-z]?\d+\s*[-–]\s*[A-Za-z]?\d+|\d+", part):
                out.setdefault("pages", part)
    return out


def record_article(meta: ET.Element, source: str, splitter: AbstractSplitter) -> Article:
    titles = _texts(meta, "title")
    if not titles:
        raise ValueError("no dc:title")
    languages = [language_code(t) for t, _ in _texts(meta, "language")]
    language = next((lang for lang in languages if lang), None) or splitter.detector.detect(titles[0][0])
    title: dict[str, str] = {}
    for text, lang in titles:
        code = language_code(lang) or (language if not title else splitter.detector.detect(text))
        title.setdefault(code, recase_title(text))
    if language not in title:
        language = next(iter(title))
    keywords: dict[str, list[str]] = {}
    for text, lang in _texts(meta, "subject"):
        code = language_code(lang) or language
        keywords.setdefault(code, []).extend(split_keywords(text))
    own: dict[str, str] = {}
    split_off: dict[str, str] = {}
    for text, lang in _texts(meta, "description"):
        declared = language_code(lang) or language
        parts, inline = splitter.split(text, declared)
        for code, words in inline.items():
            keywords.setdefault(code, list(words))
        for code, part in parts.items():
            (own if code == declared else split_off).setdefault(code, part)
    identifiers = [t for t, _ in _texts(meta, "identifier")]
    url = next((i for i in identifiers if i.startswith("http") and "doi.org/" not in i), None)
    doi = next((m[0] for i in identifiers if (m := re.search(r"\b10\.\d{4,9}/\S+", i))), None)
    relations = [t for t, _ in _texts(meta, "relation") if t.startswith("http")]
    pdf_url = next((r.replace("/article/view/", "/article/download/") for r in relations
                    if "/article/view/" in r or "/article/download/" in r), None)
    where = _source_parts([t for t, _ in _texts(meta, "source")])
    published = next((d for t, _ in _texts(meta, "date") if (d := parse_date(t))), None)
    authors = tuple(_person(t) for t, _ in _texts(meta, "creator"))
    other = "en" if language == "id" else "id"
    abstracts = {**split_off, **own}
    missing = [what for what, absent in (
        (f"{other} title", other not in title), (f"{other} abstract", other not in abstracts),
        ("affiliations", not all(a.affiliation for a in authors)), ("DOI", doi is None),
        ("pages", "pages" not in where)) if absent]
    return Article(
        source=source, language=language, title=title, authors=authors,
        keywords={k: tuple(dict.fromkeys(v)) for k, v in keywords.items()},
        abstract=abstracts, published=published, journal=where.get("journal"),
        volume=where.get("volume"), issue=where.get("issue"), pages=where.get("pages"),
        doi=doi, url=url, pdf_url=pdf_url, missing=tuple(missing),
    )


def _parse(body: bytes, url: str) -> ET.Element:
    try:
        return ET.fromstring(body)
    except ET.ParseError as exc:
        raise HarvestError(f"{url}: malformed XML from the OAI-PMH endpoint ({exc})") from None


def harvest(fetcher: Fetcher, endpoint: str, *, set_spec: str | None = None,
            since: str | None = None, splitter: AbstractSplitter | None = None) -> Iterator[Record]:
    """Every record of ``endpoint`` (in ``set_spec``, changed since ``since``), page by page."""
    splitter = splitter or AbstractSplitter()
    params: dict[str, str] = {"verb": "ListRecords", "metadataPrefix": "oai_dc"}
    if set_spec:
        params["set"] = set_spec
    if since:
        params["from"] = since
    for _ in range(MAX_PAGES):
        listing = _list_records(fetcher, endpoint, params)
        if listing is None:
            return
        for rec in listing.findall("oai:record", NS):
            record = read_record(rec, endpoint, splitter)
            if record is not None:
                yield record
        token = (listing.findtext("oai:resumptionToken", "", NS) or "").strip()
        if not token:
            return
        params = {"verb": "ListRecords", "resumptionToken": token}
    raise HarvestError(f"{endpoint}: more than {MAX_PAGES} pages; stopped")


def _list_records(fetcher: Fetcher, endpoint: str, params: dict[str, str]) -> ET.Element | None:
    """One page's ``ListRecords`` element; None when nothing matches (``noRecordsMatch``).
    Any other OAI-PMH error, a failed fetch or a response of another kind: HarvestError."""
    try:
        response = fetcher.get(endpoint, params=params)
    except FetchError as exc:
        raise HarvestError(str(exc)) from None
    root = _parse(response.body, endpoint)
    error = root.find("oai:error", NS)
    if error is not None:
        code = error.get("code", "")
        if code == "noRecordsMatch":
            return None
        if code == "badResumptionToken":
            raise HarvestError(f"{endpoint}: the journal no longer accepts the resumption "
                               "token (it expired?); run the harvest again")
        raise HarvestError(f"{endpoint}: OAI-PMH error {code}: {squash(error.text or '')}")
    listing = root.find("oai:ListRecords", NS)
    if listing is None:
        raise HarvestError(f"{endpoint}: not an OAI-PMH ListRecords response")
    return listing


def read_record(rec: ET.Element, endpoint: str, splitter: AbstractSplitter) -> Record | None:
    """One ``oai:record``: deleted, unreadable (with the problem) or its article; None
    without a header."""
    header = rec.find("oai:header", NS)
    if header is None:
        return None
    identifier = (header.findtext("oai:identifier", "", NS) or "").strip()
    datestamp = (header.findtext("oai:datestamp", "", NS) or "").strip()
    if header.get("status") == "deleted":
        return Record(identifier, datestamp, deleted=True)
    meta = rec.find("oai:metadata/oai_dc:dc", NS)
    if meta is None:
        return Record(identifier, datestamp, problem="no oai_dc metadata")
    try:
        return Record(identifier, datestamp,
                      article=record_article(meta, f"{endpoint} {identifier}", splitter))
    except ValueError as exc:
        return Record(identifier, datestamp, problem=str(exc))


def next_from(datestamp: str) -> str:
    """The ``from`` of the next incremental harvest: one second after the newest datestamp
    (day granularity: that day again, since ``from`` is inclusive and unchanged records are
    skipped anyway)."""
    try:
        when = dt.datetime.strptime(datestamp, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return datestamp[:10]
    return (when + dt.timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
