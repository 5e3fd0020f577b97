"""The seed article's OJS page as OJS 3.3, 3.4 and 3.5 emit its meta tags.

The seed (../shared/seed/article.txt) has no journal, DOI or pages: the pages below add
made-up ones under an example domain, which tests check are carried over, never the real
corpus file.
"""

from __future__ import annotations

import html
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = tomllib.loads((ROOT / "corpus" / "paradiplomasi-kepala-daerah.toml").read_text(encoding="utf-8"))
TITLE_CAPS = SEED["title"].upper()  # the journal typed the title in capitals
AUTHORS = [(a["name"], a["affiliation"]) for a in SEED["authors"]]
KEYWORDS_ID = SEED["keywords"]
KEYWORDS_EN = SEED["translation"]["en"]["keywords"]
ABSTRACT_ID = " ".join(SEED["abstract"]["id"].split())
ABSTRACT_EN = " ".join(SEED["abstract"]["en"].split())
JOURNAL = "Jurnal Contoh Ilmu Pemerintahan"
DOI = "10.12345/jcip.v7i2.101"
VIEW = "https://jurnal.example.ac.id/index.php/jcip/article/view/101"
PDF = "https://jurnal.example.ac.id/index.php/jcip/article/download/101/88"


def _m(name: str, content: str, lang: str | None = None) -> str:
    lang_attr = f' xml:lang="{lang}"' if lang else ""
    return f'<meta name="{name}"{lang_attr} content="{html.escape(content)}"/>'


def _page(tags: list[str], body: str = "") -> str:
    head = "\n\t".join(tags)
    return (f'<!DOCTYPE html>\n<html lang="id-ID" xml:lang="id-ID">\n<head>\n\t<meta charset="utf-8">\n'
            f"\t<title>{html.escape(TITLE_CAPS)} | {JOURNAL}</title>\n\t{head}\n</head>\n"
            f'<body><div class="pkp_structure_page">{body}</div></body>\n</html>\n')


def mixed_abstract_html() -> str:
    """The journal typed both languages into the Indonesian abstract field ("ABSTRAK", id, en)."""
    return f"<p><strong>ABSTRAK</strong></p><p>{ABSTRACT_ID}</p><p>{ABSTRACT_EN}</p>"


def _strip_tags(text: str) -> str:
    import re

    return re.sub(r"<[^>]+>", "", text)  # as PHP's strip_tags: paragraphs glued together


def ojs33(pdf_url: str = PDF, url: str = VIEW) -> str:
    """OJS 3.3: xml:lang "id"/"en", keywords and affiliations only in the interface language,
    no citation_abstract, the abstract in one DC.Description of the article's language."""
    tags = [_m("gs_meta_revision", "1.1"), _m("citation_journal_title", JOURNAL),
            _m("citation_issn", "2345-6789")]
    for name, affiliation in AUTHORS:
        tags += [_m("citation_author", name), _m("citation_author_institution", affiliation)]
    tags += [_m("citation_title", TITLE_CAPS), _m("citation_language", "id"),
             _m("citation_date", "2025/12/30"), _m("citation_volume", "7"), _m("citation_issue", "2"),
             _m("citation_firstpage", "101"), _m("citation_lastpage", "115"), _m("citation_doi", DOI),
             _m("citation_abstract_html_url", url)]
    tags += [_m("citation_keywords", k, "id") for k in KEYWORDS_ID]
    tags += [_m("citation_pdf_url", pdf_url)]
    tags += ['<link rel="schema.DC" href="http://purl.org/dc/elements/1.1/" />']
    tags += [_m("DC.Creator.PersonalName", name) for name, _ in AUTHORS]
    tags += [_m("DC.Date.created", "2025-12-30"), _m("DC.Date.issued", "2025-12-30"),
             _m("DC.Description", _strip_tags(mixed_abstract_html()), "id"),
             _m("DC.Format", "application/pdf"), _m("DC.Identifier", "101"),
             _m("DC.Identifier.pageNumber", "101-115"), _m("DC.Identifier.DOI", DOI),
             _m("DC.Identifier.URI", url), _m("DC.Language", "id"), _m("DC.Source", JOURNAL),
             _m("DC.Source.Issue", "2"), _m("DC.Source.Volume", "7")]
    tags += [_m("DC.Subject", k, "id") for k in KEYWORDS_ID]
    tags += [_m("DC.Title", TITLE_CAPS), _m("DC.Type", "Text.Serial.Journal")]
    return _page(tags, f'<section class="item abstract">{mixed_abstract_html()}</section>')


def ojs34(pdf_url: str = PDF, url: str = VIEW) -> str:
    """OJS 3.4: BCP 47 xml:lang ("id", "en"), citation_abstract per language, keywords in
    every language, the English title as DC.Title.Alternative."""
    tags = [_m("gs_meta_revision", "1.1"), _m("citation_journal_title", JOURNAL)]
    for name, affiliation in AUTHORS:
        tags += [_m("citation_author", name), _m("citation_author_institution", affiliation)]
    tags += [_m("citation_title", TITLE_CAPS), _m("citation_language", "id"),
             _m("citation_date", "2025/12/30"), _m("citation_volume", "7"), _m("citation_issue", "2"),
             _m("citation_firstpage", "101"), _m("citation_lastpage", "115"), _m("citation_doi", DOI),
             _m("citation_abstract_html_url", url),
             _m("citation_abstract", ABSTRACT_ID, "id"), _m("citation_abstract", ABSTRACT_EN, "en")]
    tags += [_m("citation_keywords", k, "id") for k in KEYWORDS_ID]
    tags += [_m("citation_keywords", k, "en") for k in KEYWORDS_EN]
    tags += [_m("citation_pdf_url", pdf_url)]
    tags += [_m("DC.Creator.PersonalName", name) for name, _ in AUTHORS]
    tags += [_m("DC.Date.issued", "2025-12-30"), _m("DC.Description", ABSTRACT_ID, "id"),
             _m("DC.Description", ABSTRACT_EN, "en"), _m("DC.Identifier.DOI", DOI),
             _m("DC.Identifier.URI", url), _m("DC.Language", "id", None),
             _m("DC.Source", JOURNAL), _m("DC.Source.Issue", "2"), _m("DC.Source.Volume", "7")]
    tags += [_m("DC.Subject", k, "id") for k in KEYWORDS_ID]
    tags += [_m("DC.Subject", k, "en") for k in KEYWORDS_EN]
    tags += [_m("DC.Title", TITLE_CAPS),
             _m("DC.Title.Alternative", SEED["translation"]["en"]["title"], "en")]
    return _page(tags)


def ojs35(pdf_url: str = PDF, url: str = VIEW) -> str:
    """OJS 3.5: region subtags ("id-ID", "en-US"), several institutions per author, the
    abstract only in DC.Description and citation_abstract of the article's language holding
    both languages."""
    tags = [_m("citation_journal_title", JOURNAL)]
    for i, (name, affiliation) in enumerate(AUTHORS):
        tags += [_m("citation_author", name), _m("citation_author_institution", affiliation)]
        if i == 0:
            tags += [_m("citation_author_institution", "Pusat Studi Paradiplomasi")]
    both = f"ABSTRAK {ABSTRACT_ID} {ABSTRACT_EN}"
    tags += [_m("citation_title", TITLE_CAPS), _m("citation_language", "id-ID"),
             _m("citation_publication_date", "2025-12-30"), _m("citation_volume", "7"),
             _m("citation_issue", "2"), _m("citation_firstpage", "101"),
             _m("citation_lastpage", "115"), _m("citation_doi", DOI),
             _m("citation_abstract", both, "id-ID"), _m("citation_pdf_url", pdf_url)]
    tags += [_m("citation_keywords", k, "id-ID") for k in KEYWORDS_ID]
    tags += [_m("DC.Description", both, "id-ID"), _m("DC.Identifier.URI", url),
             _m("DC.Language", "id-ID"), _m("DC.Title", TITLE_CAPS),
             _m("DC.Title.Alternative", SEED["translation"]["en"]["title"], "en-US")]
    tags += [_m("DC.Subject", k, "id-ID") for k in KEYWORDS_ID]
    tags += [_m("DC.Subject", k, "en-US") for k in KEYWORDS_EN]
    return _page(tags)


VERSIONS = {"3.3": ojs33, "3.4": ojs34, "3.5": ojs35}
