"""The full text of an article's PDF, by section and page (pdfminer.six; see docs/import.md
for why not pdfplumber, and never PyMuPDF, which is AGPL).

Steps: text lines with their positions from pdfminer's layout analysis; running headers and
footers dropped (lines near the top or bottom edge that recur on most pages, digits
ignored, and bare page numbers); two-column pages read column by column between full-width
lines; hyphenated line ends joined ("kewena-" + "ngan"); headings recognised by name
("2. METODE PENELITIAN", "Results and Discussion", …); the front matter before the first
body heading (title, authors, abstract: the metadata has them) and everything from the
reference list on left out. Pages are the PDF's own, shifted to the journal's page numbers
when the article's page range has as many pages as the PDF.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from index.importers.article import BodySection
from index.importers.clean import recase_title
from index.passages import split_sentences

if TYPE_CHECKING:
    from pdfminer.layout import LTPage

EDGE_SHARE = 0.09  # the top and bottom 9% of a page is where running heads and folios live
RECURRING_SHARE = 0.5  # a line on at least half the pages (and 2+) is a running header/footer
MIN_TEXT_CHARS = 200  # less than this over the whole PDF: no text layer (a scan)
MAX_HEADING_WORDS = 8  # a heading is a short line
MAX_PAGES = 200  # a journal article is far shorter; more is a book or a whole issue

# Headings, in Indonesian and English, by what they start the section of.
HEADINGS = {
    "front": r"abstra[kc]t?|intisari|ringkasan|summary|keywords?|kata[ -]kunci",
    "body": (r"pendahuluan|introduction|latar belakang|background|tinjauan pustaka|"
             r"kajian pustaka|kajian teori|landasan teori|kerangka (teori|konseptual|pemikiran)|"
             r"literature review|theoretical framework|metod[eo]( penelitian)?|metodologi"
             r"( penelitian)?|methods?|methodology|research methods?|materials and methods|"
             r"hasil( penelitian)?( dan pembahasan)?|pembahasan|results?( and discussion)?|"
             r"discussion|analisis( dan pembahasan)?|analysis|temuan|findings|kesimpulan"
             r"( dan saran)?|simpulan( dan saran)?|penutup|conclusions?( and recommendations)?|"
             r"saran|rekomendasi|recommendations?|implikasi|implications|ucapan terima kasih|"
             r"acknowledge?ments?"),
    "references": (r"daftar pustaka|daftar rujukan|referensi|rujukan|references?|bibliography|"
                   r"bibliografi|works cited|lampiran|appendix"),
}
_NUMBER = r"(?:[ivxlc]+|\d+(?:\.\d+)*|[a-h])[.)]?\s+"
HEADING_RE = {kind: re.compile(rf"^(?:{_NUMBER})?({words})\s*:?$", re.IGNORECASE)
              for kind, words in HEADINGS.items()}


class PdfProblem(ValueError):
    """The PDF cannot give full text (not a PDF, encrypted, scanned, too long)."""


@dataclass(frozen=True)
class Line:
    page: int  # 1-based, in the PDF
    x0: float
    x1: float
    top: float  # distance from the page's top edge
    text: str


def _lines(data: bytes) -> tuple[list[Line], dict[int, tuple[float, float]]]:
    """Text lines of every page and each page's (width, height); pdfminer's many errors on a
    broken, encrypted or locked file become one :class:`PdfProblem`."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        return _layout_lines(data)
    except (PDFSyntaxError, PDFEncryptionError, PDFPasswordIncorrect) as exc:
        raise PdfProblem(f"cannot read the PDF ({type(exc).__name__})") from None
    except PdfProblem:
        raise
    except Exception as exc:  # pdfminer raises many kinds on broken files
        raise PdfProblem(f"cannot read the PDF ({type(exc).__name__}: {exc})") from None


def _layout_lines(data: bytes) -> tuple[list[Line], dict[int, tuple[float, float]]]:
    """Page by page through pdfminer's layout analysis, refusing more than MAX_PAGES."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams

    lines: list[Line] = []
    sizes: dict[int, tuple[float, float]] = {}
    for number, page in enumerate(extract_pages(io.BytesIO(data), laparams=LAParams()), 1):
        if number > MAX_PAGES:
            raise PdfProblem(f"more than {MAX_PAGES} pages: not one article")
        sizes[number] = (page.width, page.height)
        lines.extend(_page_lines(page, number))
    return lines, sizes


def _page_lines(page: LTPage, number: int) -> list[Line]:
    """The non-empty text lines of one laid-out page, whitespace squashed."""
    from pdfminer.layout import LTTextBox, LTTextLine

    out: list[Line] = []
    for box in page:
        if not isinstance(box, LTTextBox):
            continue
        for line in box:
            text = " ".join(line.get_text().split()) if isinstance(line, LTTextLine) else ""
            if text:
                out.append(Line(number, line.x0, line.x1, page.height - line.y1, text))
    return out


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower())


def drop_running_lines(lines: list[Line], sizes: dict[int, tuple[float, float]]) -> list[Line]:
    """Without running headers, footers and page numbers."""
    def at_edge(line: Line) -> bool:
        height = sizes[line.page][1]
        return line.top < EDGE_SHARE * height or line.top > (1 - EDGE_SHARE) * height

    pages_with: Counter[str] = Counter()
    for shape in {(line.page, _shape(line.text)) for line in lines if at_edge(line)}:
        pages_with[shape[1]] += 1
    recurring = {s for s, n in pages_with.items() if n >= max(2, RECURRING_SHARE * len(sizes))}
    return [line for line in lines if not (at_edge(line) and (
        _shape(line.text) in recurring or re.fullmatch(r"[-–—\s]*\d{1,4}[-–—\s]*", line.text)))]


def reading_order(lines: list[Line], sizes: dict[int, tuple[float, float]]) -> list[Line]:
    """Each page top to bottom; where it has two columns, the left one before the right one,
    in the stretches between lines that span the page."""
    out: list[Line] = []
    for page in sorted(sizes):
        width = sizes[page][0]
        mid = width / 2
        on_page = sorted((line for line in lines if line.page == page), key=lambda l: (l.top, l.x0))
        left = [l for l in on_page if l.x1 <= mid + 2]
        right = [l for l in on_page if l.x0 >= mid - 2]
        two_columns = len(left) >= 3 and len(right) >= 3
        if not two_columns:
            out.extend(on_page)
            continue
        stretch: list[Line] = []
        for line in on_page:
            spans = line.x0 < mid - 2 and line.x1 > mid + 2
            if spans:
                out.extend(_columns(stretch, mid))
                stretch = []
                out.append(line)
            else:
                stretch.append(line)
        out.extend(_columns(stretch, mid))
    return out


def _columns(lines: list[Line], mid: float) -> list[Line]:
    return ([l for l in lines if l.x0 < mid - 2] + [l for l in lines if l.x0 >= mid - 2])


def _join(previous: str, line: str) -> str:
    """Append a line, joining a word hyphenated at the line end (but not "masing-" "masing")."""
    if previous.endswith("-") and line[:1].islower():
        head = previous[:-1]
        last = re.findall(r"(\w+)$", head)
        first = re.findall(r"^(\w+)", line)
        if last and first and last[0].lower() == first[0].lower():
            return previous + line  # reduplication: "masing-masing"
        return head + line
    return f"{previous} {line}" if previous else line


def heading_kind(text: str) -> tuple[str, str] | None:
    """("body"|"front"|"references", the heading's name in title case) or None."""
    if len(text.split()) > MAX_HEADING_WORDS:
        return None
    for kind, pattern in HEADING_RE.items():
        m = pattern.match(text.strip())
        if m:
            name = recase_title(m.group(1))
            return kind, name[:1].upper() + name[1:]
    return None


def journal_page_offset(pages: str | None, pdf_pages: int) -> int:
    """How much to add to a PDF page number to get the journal's: only when the article's
    range ("101-115") has as many pages as the PDF (else a cover page or a misprint)."""
    m = re.fullmatch(r"(\d+)-(\d+)", pages or "")
    if m and int(m[2]) - int(m[1]) + 1 == pdf_pages:
        return int(m[1]) - 1
    return 0


def full_text(data: bytes, *, pages: str | None = None) -> tuple[BodySection, ...]:
    """The article's body as sections split at page boundaries, sentence by sentence.

    ``pages``: the article's page range in the journal, when known (see
    :func:`journal_page_offset`).
    """
    if data[:5] != b"%PDF-":
        raise PdfProblem("not a PDF file")
    lines, sizes = _lines(data)
    if sum(len(line.text) for line in lines) < MIN_TEXT_CHARS:
        raise PdfProblem("no text in the PDF (a scan without OCR?); nothing to import")
    lines = reading_order(drop_running_lines(lines, sizes), sizes)
    offset = journal_page_offset(pages, len(sizes))
    out: list[BodySection] = []
    for name, page_lines in body_sections(lines, offset):
        out.extend(_by_page(name, *_joined(page_lines)))
    return tuple(out)


PageLines = list[tuple[int, str]]  # (page, text) of each line, in reading order


def body_sections(lines: list[Line], offset: int) -> list[tuple[str, PageLines]]:
    """(heading, lines) of each body section: front matter (abstract, keywords) skipped, the
    reference list and what follows it dropped; with no recognisable body heading, the whole
    text as one section. Pages are shifted by ``offset``."""
    sections: list[tuple[str, PageLines]] = []
    current: PageLines | None = None
    seen_body = False
    for line in lines:
        kind = heading_kind(line.text)
        if kind and kind[0] == "references" and seen_body:
            break
        if kind and kind[0] == "body":
            seen_body = True
            current = []
            sections.append((kind[1], current))
        elif kind and kind[0] == "front":
            current = None
        elif current is not None:
            current.append((line.page + offset, line.text))
    if not sections:
        return [("Teks lengkap", [(l.page + offset, l.text) for l in lines])]
    return sections


def _joined(page_lines: PageLines) -> tuple[str, list[tuple[int, int]]]:
    """A section's lines as one text (hyphenated line ends joined) and where each page starts
    in it: [(char offset, page)]."""
    text, starts = "", list[tuple[int, int]]()
    for page, line_text in page_lines:
        if not starts or starts[-1][1] != page:
            starts.append((len(text) + (1 if text else 0), page))
        text = _join(text, line_text)
    return text, starts


def _by_page(name: str, text: str, starts: list[tuple[int, int]]) -> list[BodySection]:
    """Sentences grouped by the page each starts on."""
    parts: list[BodySection] = []
    position = 0
    groups: list[tuple[int, list[str]]] = []
    for sentence in split_sentences(text):
        at = text.find(sentence[:30], position)
        position = max(position, at)
        page = max((p for offset, p in starts if offset <= max(at, 0)), default=starts[0][1] if starts else 1)
        if groups and groups[-1][0] == page:
            groups[-1][1].append(sentence)
        else:
            groups.append((page, [sentence]))
    for page, sentences in groups:
        parts.append(BodySection(name, page, " ".join(sentences)))
    return parts
