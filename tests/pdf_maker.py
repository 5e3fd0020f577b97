"""Journal-style article PDFs for the importer's tests and benchmark (reportlab, BSD).

Like a typical Indonesian OJS journal's PDF: a running header and a page number on every
page, the title and abstract across the page, the body in two columns, words hyphenated at
line ends, numbered section headings, and a reference list at the end.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

WIDTH, HEIGHT = A4
MARGIN = 56
GAP = 20
COLUMN = (WIDTH - 2 * MARGIN - GAP) / 2
TOP = HEIGHT - 80
BOTTOM = 70
FONT, BOLD, SIZE, LEADING = "Times-Roman", "Times-Bold", 10, 12.5


@dataclass
class PaperSpec:
    title: str
    authors: str
    abstract: str
    sections: list[tuple[str, list[str]]]  # (heading, paragraphs)
    references: list[str] = field(default_factory=list)
    running_header: str = "Jurnal Contoh Ilmu Pemerintahan, Vol. 7 No. 2 (2025)"
    first_page: int = 1  # the journal's page number of the first page


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy wrap; a long word that does not fit is hyphenated."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if stringWidth(candidate, font, size) <= width:
            line = candidate
            continue
        if len(word) >= 9 and line:  # hyphenate: as much of the word as fits, then "-"
            for cut in range(len(word) - 3, 3, -1):
                head = f"{line} {word[:cut]}-"
                if stringWidth(head, font, size) <= width:
                    lines.append(head)
                    line = word[cut:]
                    break
            else:
                lines.append(line)
                line = word
            continue
        if line:
            lines.append(line)
        line = word
    if line:
        lines.append(line)
    return lines


class _Writer:
    def __init__(self, path: Path, spec: PaperSpec):
        self.c = Canvas(str(path), pagesize=A4)
        self.spec = spec
        self.page = 0
        self.column = 0
        self.y = TOP
        self.top = TOP
        self._new_page()

    def _new_page(self) -> None:
        if self.page:
            self.c.showPage()
        self.page += 1
        self.c.setFont("Times-Italic", 8)
        self.c.drawString(MARGIN, HEIGHT - 40, self.spec.running_header)
        self.c.drawRightString(WIDTH - MARGIN, HEIGHT - 40, "ISSN 2345-6789")
        self.c.setFont(FONT, 9)
        self.c.drawCentredString(WIDTH / 2, 36, str(self.spec.first_page + self.page - 1))
        self.column, self.y, self.top = 0, TOP, TOP

    def full_width(self, text: str, font: str, size: float, leading: float) -> None:
        for line in _wrap(text, font, size, WIDTH - 2 * MARGIN):
            self.c.setFont(font, size)
            self.c.drawString(MARGIN, self.y, line)
            self.y -= leading
        self.y -= leading / 2
        self.top = self.y

    def _advance(self) -> None:
        self.y -= LEADING
        if self.y < BOTTOM:
            if self.column == 0:
                self.column, self.y = 1, self.top
            else:
                self._new_page()

    def column_line(self, line: str, font: str = FONT) -> None:
        x = MARGIN + self.column * (COLUMN + GAP)
        self.c.setFont(font, SIZE)
        self.c.drawString(x, self.y, line)
        self._advance()

    def paragraph(self, text: str, font: str = FONT) -> None:
        for line in _wrap(text, font, SIZE, COLUMN):
            self.column_line(line, font)
        self._advance()

    def save(self) -> None:
        self.c.save()


def make_pdf(path: Path, spec: PaperSpec) -> Path:
    w = _Writer(path, spec)
    w.full_width(spec.title, BOLD, 14, 17)
    w.full_width(spec.authors, "Times-Italic", 10, 13)
    w.full_width("Abstrak", BOLD, 10, 13)
    w.full_width(spec.abstract, FONT, 9.5, 12)
    for heading, paragraphs in spec.sections:
        w.paragraph(heading, BOLD)
        for para in paragraphs:
            w.paragraph(para)
    if spec.references:
        w.paragraph("DAFTAR PUSTAKA", BOLD)
        for ref in spec.references:
            w.paragraph(ref)
    w.save()
    return path


def make_scanned_pdf(path: Path) -> Path:
    """A PDF with pages but no text layer (as a scan without OCR)."""
    c = Canvas(str(path), pagesize=A4)
    for _ in range(2):
        c.rect(MARGIN, BOTTOM, WIDTH - 2 * MARGIN, TOP - BOTTOM, fill=1)
        c.showPage()
    c.save()
    return path


METHOD_SENTENCE = ("Penelitian ini menggunakan metode kualitatif deskriptif dengan pendekatan "
                   "studi kasus pada tiga pemerintah provinsi.")


def seed_paper(n: int = 0, paragraphs_per_section: int = 6) -> PaperSpec:
    """An article in the seed's subject, with a method section that says how it was done."""
    filler = ("Kerja sama internasional pemerintah daerah berkembang pesat sejak reformasi "
              "desentralisasi memberikan kewenangan yang lebih luas kepada provinsi dan kabupaten. "
              "Pemerintah daerah menjalin hubungan dengan mitra luar negeri melalui perjanjian "
              "kota kembar, promosi investasi, dan pameran dagang yang diselenggarakan bersama.")
    sections = [
        ("1. PENDAHULUAN", [f"Artikel ke-{n} membahas paradiplomasi sebagai praktik internasionalisasi "
                            "pemerintahan daerah di Indonesia. " + filler] + [filler] * (paragraphs_per_section - 1)),
        ("2. METODE PENELITIAN", [METHOD_SENTENCE + " Data dikumpulkan melalui wawancara mendalam "
                                  "dengan pejabat biro kerja sama serta telaah dokumen perjanjian "
                                  "internasional daerah."] + [filler] * (paragraphs_per_section - 1)),
        ("3. HASIL DAN PEMBAHASAN", [filler] * paragraphs_per_section + [
            "Sebagai contoh, Provinsi Banten menandatangani nota kesepahaman dengan sebuah "
            "provinsi di Tiongkok untuk memperkuat ekspor produk unggulan daerah."]),
        ("4. KESIMPULAN", ["Paradiplomasi yang efektif memerlukan kepemimpinan kepala daerah "
                           "yang visioner dan kapasitas kelembagaan yang memadai."]),
    ]
    refs = [f"Penulis, A. ({2000 + i}). Judul rujukan nomor {i} tentang hubungan internasional. "
            "Jurnal Rujukan, 1(1), 1-10." for i in range(1, 9)]
    return PaperSpec(
        title=f"Paradiplomasi Daerah dalam Praktik: Studi Nomor {n}",
        authors="Istiq Agustina, Luki Oka Prasetio — Universitas Sultan Ageng Tirtayasa",
        abstract="Artikel ini membahas paradiplomasi daerah. " * 4,
        sections=sections, references=refs, first_page=101)


_SUBJECTS = ["Pemerintah provinsi", "Kepala daerah", "Biro kerja sama", "Dinas penanaman modal",
             "Pemerintah kota", "Badan perencanaan daerah", "Kementerian Luar Negeri",
             "Asosiasi pemerintah kabupaten", "Dewan perwakilan rakyat daerah", "Kamar dagang daerah"]
_VERBS = ["menjalin", "memperkuat", "mengevaluasi", "merancang", "mendorong", "memfasilitasi",
          "mengoordinasikan", "menegosiasikan", "mempromosikan", "mengawasi"]
_OBJECTS = ["kerja sama kota kembar", "promosi investasi asing", "misi dagang ke luar negeri",
            "perjanjian hibah internasional", "pertukaran pelajar dan budaya",
            "forum ekonomi regional", "program peningkatan ekspor", "kemitraan pariwisata",
            "transfer teknologi pertanian", "pembangunan kawasan industri"]
_CONTEXTS = ["dengan mitra di Asia Timur", "sesuai kewenangan otonomi daerah",
             "dalam kerangka diplomasi nasional", "melalui nota kesepahaman",
             "dengan dukungan pemerintah pusat", "selama periode penelitian",
             "meskipun anggaran daerah terbatas", "berdasarkan rencana pembangunan jangka menengah"]


def long_paper(n: int, words: int = 4500, seed: int = 0) -> PaperSpec:
    """A full-length article (about ``words`` words of body, 8–10 pages) of distinct sentences."""
    import random

    rng = random.Random(seed * 1000 + n)
    base = seed_paper(n)

    def para(k: int) -> str:
        return " ".join(f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} "
                        f"{rng.choice(_CONTEXTS)} pada tahap {rng.randint(1, 99)}." for _ in range(k))

    per_section = max(1, words // (4 * 5 * 12))  # 4 sections, 5 sentences of ~12 words
    sections = [(heading, paragraphs[:1] + [para(5) for _ in range(per_section)])
                for heading, paragraphs in base.sections]
    return PaperSpec(title=base.title, authors=base.authors, abstract=base.abstract,
                     sections=sections, references=base.references * 3, first_page=101)
