"""An OJS article page as copied from a browser (select all, copy, paste into a .txt file).

The shape is ``../shared/seed/article.txt``: the title on the first line, then labelled
blocks in the page's interface language — "Penulis"/"Authors" (one bullet per author, the
affiliation after the name), "Kata Kunci:"/"Keywords:", "Abstrak"/"Abstract",
"Diterbitkan"/"Published", and possibly "DOI", "Terbitan"/"Issue", "Unduhan"/"Downloads".
"""

from __future__ import annotations

import re

from index.importers.article import Article, Author
from index.importers.clean import AbstractSplitter, parse_date, recase_title, split_keywords

# Block labels as OJS's default theme shows them, in Indonesian and English.
LABELS = {
    "authors": ("penulis", "authors", "author"),
    "keywords": ("kata kunci", "keywords", "kata-kata kunci"),
    "abstract": ("abstrak", "abstract"),
    "published": ("diterbitkan", "published"),
    "doi": ("doi",),
    "issue": ("terbitan", "issue"),
    "section": ("bagian", "section"),
    "downloads": ("unduhan", "downloads", "download"),
    "license": ("lisensi", "license"),
    "cite": ("cara mengutip", "how to cite"),
    "references": ("referensi", "references", "daftar pustaka"),
    "metrics": ("metrics", "metrik", "statistik", "article metrics"),
}
_LABEL_OF = {word: key for key, words in LABELS.items() for word in words}
# Words that start an affiliation on an author's line ("Istiq Agustina Universitas …").
INSTITUTION_WORDS = re.compile(
    r"\b(Universitas|University|Universiti|Institut|Institute|Sekolah|Politeknik|Polytechnic|"
    r"STIE|STISIP|STIKES|STKIP|Akademi|Academy|UIN|IAIN|STAIN|Fakultas|Faculty|Program|"
    r"Departemen|Department|Jurusan|Badan|Kementerian|Ministry|Pusat|Center|Centre|Lembaga|"
    r"Balai|Dinas|College|School)\b")
BULLET = re.compile(r"^\s*[•·*\-–]\s*")


class NotAnArticlePage(ValueError):
    """The text lacks what every OJS article page has (title, authors, abstract)."""


def _blocks(text: str) -> tuple[str, dict[str, list[str]]]:
    lines = text.replace("\r\n", "\n").split("\n")
    title_lines: list[str] = []
    blocks: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in lines:
        label = line.strip().rstrip(":").strip().lower()
        key = _LABEL_OF.get(label)
        if key and key not in blocks:
            current = blocks[key] = []
            rest = ""
        elif ":" in line and _LABEL_OF.get(line.split(":", 1)[0].strip().lower()) and \
                _LABEL_OF[line.split(":", 1)[0].strip().lower()] not in blocks:
            key = _LABEL_OF[line.split(":", 1)[0].strip().lower()]
            rest = line.split(":", 1)[1].strip()
            current = blocks[key] = [rest] if rest else []
        elif current is None:
            if line.strip():
                title_lines.append(line.strip())
        else:
            current.append(line)
    return " ".join(title_lines), blocks


def _authors(lines: list[str]) -> tuple[list[Author], bool]:
    """Authors and whether every affiliation was found."""
    entries: list[list[str]] = []
    for line in lines:
        if not line.strip():
            continue
        if BULLET.match(line) or not entries:
            entries.append([BULLET.sub("", line).strip()])
        else:
            entries[-1].append(line.strip())  # the affiliation on its own line
    authors, sure = [], True
    for entry in entries:
        if len(entry) > 1:
            authors.append(Author(entry[0], " ".join(entry[1:])))
            continue
        m = INSTITUTION_WORDS.search(entry[0])
        if m and m.start() > 0:
            authors.append(Author(entry[0][: m.start()].strip(" ,"), entry[0][m.start():].strip()))
        else:
            authors.append(Author(entry[0]))
            sure = False
    if not sure and len(authors) > 1:
        authors = _common_suffix_affiliation(authors)
        sure = all(a.affiliation for a in authors)
    return authors, sure


def _common_suffix_affiliation(authors: list[Author]) -> list[Author]:
    """Several authors whose lines end alike: the shared ending is their affiliation."""
    words = [a.name.split() for a in authors]
    n = 0
    while all(len(w) > n + 1 for w in words) and len({tuple(w[-(n + 1):]) for w in words}) == 1:
        n += 1
    if n < 2:
        return authors
    return [Author(" ".join(w[:-n]), " ".join(w[-n:])) for w in words]


def parse_browser_text(text: str, source: str, splitter: AbstractSplitter | None = None) -> Article:
    """The article in ``text``; raises :class:`NotAnArticlePage` when it is not one."""
    title, blocks = _blocks(text)
    if not title or "abstract" not in blocks or "authors" not in blocks:
        raise NotAnArticlePage("no title, 'Penulis'/'Authors' and 'Abstrak'/'Abstract' blocks: "
                               "not the text of an OJS article page")
    splitter = splitter or AbstractSplitter()
    authors, sure = _authors(blocks["authors"])
    missing = [] if sure else ["some affiliations (could not tell them from the names)"]
    abstract, inline_keywords = splitter.split("\n".join(blocks["abstract"]))
    title = recase_title(title)
    language = splitter.detector.detect(title)
    keywords: dict[str, tuple[str, ...]] = dict(inline_keywords)
    if "keywords" in blocks:
        listed = split_keywords(" ".join(x.strip() for x in blocks["keywords"] if x.strip()))
        if listed:
            keywords[splitter.detector.detect(" ".join(listed))] = listed
    published = None
    for line in blocks.get("published", []):
        published = published or parse_date(line)
    doi = next((m[0] for line in blocks.get("doi", []) if (m := re.search(r"10\.\d{4,9}/\S+", line))),
               None)
    other = "en" if language == "id" else "id"
    missing += [what for what, absent in (
        ("publication date", published is None),
        (f"{other} title", True),
        ("journal, volume, issue, pages", True),
        ("DOI", doi is None),
        ("keywords", not keywords),
    ) if absent]
    return Article(
        source=source, language=language, title={language: title}, authors=tuple(authors),
        keywords=keywords, abstract=abstract, published=published, doi=doi,
        missing=tuple(missing),
    )
