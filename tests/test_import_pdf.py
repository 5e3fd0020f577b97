"""Full text from PDFs: sections, pages, running heads, columns, hyphens, references."""

from __future__ import annotations

import contextlib
import json
import threading

import pytest

from bot.chat import to_json
from index.citation import where
from index.corpus import load_corpus, load_document
from index.importers import cli
from index.importers.pdf import Line, PdfProblem, body_sections, full_text, heading_kind
from index.passages import BODY, document_passages
from tests import ojs_pages
from tests.journal_server import JournalServer, Reply
from tests.pdf_maker import METHOD_SENTENCE, make_pdf, make_scanned_pdf, seed_paper


@pytest.fixture(scope="module")
def paper(tmp_path_factory) -> bytes:
    return make_pdf(tmp_path_factory.mktemp("pdf") / "paper.pdf", seed_paper(1)).read_bytes()


def test_sections_in_order_without_front_matter_or_references(paper):
    """The body's sections come in order; title, abstract and the reference list are left out."""
    parts = full_text(paper)
    names = list(dict.fromkeys(p.section for p in parts))
    assert names == ["Pendahuluan", "Metode Penelitian", "Hasil dan Pembahasan", "Kesimpulan"]
    text = " ".join(p.text for p in parts)
    assert "Judul rujukan" not in text and "DAFTAR PUSTAKA" not in text
    assert "Artikel ini membahas paradiplomasi daerah" not in text  # the abstract


def test_body_sections_skip_front_matter_and_stop_at_references_after_the_body():
    """Abstract lines are skipped, a reference heading before the body does not end the text,
    one after it does; pages are shifted by the offset; no heading at all: one section."""
    def lines(*texts: str) -> list[Line]:
        return [Line(1 + i // 3, 0.0, 100.0, 10.0 * i, text) for i, text in enumerate(texts)]

    got = body_sections(lines("Abstrak", "ringkasan", "Referensi", "1. Pendahuluan", "isi satu",
                              "Metode", "isi dua", "Daftar Pustaka", "Judul rujukan"), 100)
    assert got == [("Pendahuluan", [(102, "isi satu")]), ("Metode", [(103, "isi dua")])]
    assert body_sections(lines("satu", "dua"), 0) == [("Teks lengkap", [(1, "satu"), (1, "dua")])]


def test_running_heads_and_page_numbers_are_removed(paper):
    """The journal's header line, the ISSN and the folios never reach the text."""
    text = " ".join(p.text for p in full_text(paper))
    assert "Jurnal Contoh" not in text and "ISSN" not in text
    assert not any(w.isdigit() and len(w) <= 3 for w in text.split())


def test_hyphenated_line_ends_are_joined(paper):
    """'kewena-' + 'ngan' at a line end reads 'kewenangan'."""
    text = " ".join(p.text for p in full_text(paper))
    assert "kewenangan" in text and "kewena-" not in text and "- " not in text


def test_two_columns_read_left_then_right(paper):
    """The method section continues from the left column into the right one in order."""
    (method,) = [p for p in full_text(paper) if p.section == "Metode Penelitian"][:1]
    assert method.text.startswith(METHOD_SENTENCE + " Data dikumpulkan melalui wawancara mendalam")


def test_pages_follow_the_journal_when_the_range_fits(paper):
    """With the article's range as long as the PDF, pages are the journal's; else the PDF's."""
    n = len({p.page for p in full_text(paper)})
    assert n == 2
    assert {p.page for p in full_text(paper, pages="101-102")} == {101, 102}
    assert {p.page for p in full_text(paper, pages="101-115")} == {1, 2}


def test_scanned_and_broken_pdfs_are_clear_problems(tmp_path):
    """A PDF without text, or a file that is not a PDF, is one clear message."""
    with pytest.raises(PdfProblem, match="no text in the PDF"):
        full_text(make_scanned_pdf(tmp_path / "scan.pdf").read_bytes())
    with pytest.raises(PdfProblem, match="cannot read"):
        full_text(b"%PDF-1.4\n garbage")
    with pytest.raises(PdfProblem, match="not a PDF"):
        full_text(b"<html>")


@pytest.mark.parametrize("line, expected", [
    ("2. METODE PENELITIAN", ("body", "Metode Penelitian")),
    ("III. Hasil dan Pembahasan", ("body", "Hasil dan Pembahasan")),
    ("Results and Discussion", ("body", "Results and Discussion")),
    ("DAFTAR PUSTAKA", ("references", "Daftar Pustaka")),
    ("Abstract:", ("front", "Abstract")),
    ("Metode ini digunakan oleh banyak peneliti di berbagai negara", None),
])
def test_headings_are_recognised_by_name(line, expected):
    """Numbered or not, any case, Indonesian or English; a sentence is no heading."""
    assert heading_kind(line) == expected


def test_fulltext_import_from_the_page_pdf_link(tmp_path, paper, capsys):
    """--fulltext fetches citation_pdf_url; the entry gets [[body]] parts that become
    passages cited with section and page, and a re-import without --fulltext keeps them."""
    with JournalServer() as server:
        pdf_url = server.add("/download/101/88", Reply(body=paper, content_type="application/pdf"))
        page = ojs_pages.ojs34(pdf_url=pdf_url).replace('citation_lastpage" content="115"',
                                                        'citation_lastpage" content="102"')
        url = server.add("/view/101", Reply(body=page))
        corpus = tmp_path / "corpus"
        assert cli.main([url, "--corpus", str(corpus), "--fulltext", "--delay", "0"]) == 0
        (doc,) = load_corpus(corpus)
        assert doc.body and {b.page for b in doc.body} == {101, 102}
        passages = [p for p in document_passages(doc) if p.section == BODY]
        method = next(p for p in passages if p.text == METHOD_SENTENCE)
        assert (method.heading, method.page, method.language) == ("Metode Penelitian", 101, "id")
        assert where(method, "id") == "Metode Penelitian, hlm. 101"
        assert where(method, "en") == "Metode Penelitian, p. 101"
        (path,) = corpus.glob("*.toml")
        before = path.read_bytes()
        capsys.readouterr()
        assert cli.main([url, "--corpus", str(corpus), "--delay", "0"]) == 0
        assert capsys.readouterr().out.startswith("unchanged") and path.read_bytes() == before


def test_fulltext_failure_keeps_the_article_and_says_why(tmp_path):
    """A PDF link that fails (404) still imports the abstract, with a note on the line."""
    with JournalServer() as server:
        url = server.add("/view/1", Reply(body=ojs_pages.ojs34(pdf_url=server.base + "/gone.pdf")))
        corpus = tmp_path / "corpus"
        out = tmp_path / "out"
        with out.open("w") as f, contextlib.redirect_stdout(f):
            assert cli.main([url, "--corpus", str(corpus), "--fulltext", "--delay", "0"]) == 0
        assert "no full text" in out.read_text() and "HTTP 404" in out.read_text()
        (doc,) = load_corpus(corpus)
        assert doc.body == ()


def test_pdf_file_into_an_existing_entry(tmp_path, paper, capsys):
    """A PDF file with --into ID adds the full text to that entry and keeps its metadata."""
    page = tmp_path / "page.html"
    page.write_text(ojs_pages.ojs34(), encoding="utf-8")
    corpus = tmp_path / "corpus"
    cli.main([str(page), "--corpus", str(corpus), "--delay", "0"])
    (path,) = corpus.glob("*.toml")
    doc_id = path.stem
    pdf = tmp_path / "paper.pdf"
    pdf.write_bytes(paper)
    assert cli.main([str(pdf), "--corpus", str(corpus)]) == 1
    assert "--into ID" in capsys.readouterr().out
    assert cli.main([str(pdf), "--into", doc_id, "--corpus", str(corpus)]) == 0
    doc = load_document(path)
    title_en = doc.title_in("en")
    assert doc.body and doc.doi == ojs_pages.DOI and title_en is not None and title_en[1] is False


def test_scanned_pdf_leaves_the_corpus_as_it_was(tmp_path, capsys):
    """Importing a scan into an entry is one failed line and no change."""
    page = tmp_path / "page.html"
    page.write_text(ojs_pages.ojs34(), encoding="utf-8")
    corpus = tmp_path / "corpus"
    cli.main([str(page), "--corpus", str(corpus), "--delay", "0"])
    (path,) = corpus.glob("*.toml")
    before = path.read_bytes()
    scan = make_scanned_pdf(tmp_path / "scan.pdf")
    capsys.readouterr()
    assert cli.main([str(scan), "--into", path.stem, "--corpus", str(corpus)]) == 1
    assert "no text in the PDF" in capsys.readouterr().out
    assert path.read_bytes() == before


def test_ask_json_passages_carry_section_and_page(tmp_path, paper, fake_embedder):
    """ask --json passages from the full text say their section and page."""
    from index.build import build_index
    from index.settings import Settings
    from tests.conftest import make_engine

    page = tmp_path / "page.html"
    page.write_text(ojs_pages.ojs34().replace('content="115"', 'content="102"'), encoding="utf-8")
    corpus = tmp_path / "corpus"
    cli.main([str(page), "--corpus", str(corpus), "--delay", "0"])
    pdf = tmp_path / "paper.pdf"
    pdf.write_bytes(paper)
    (path,) = corpus.glob("*.toml")
    assert cli.main([str(pdf), "--into", path.stem, "--corpus", str(corpus)]) == 0
    settings = Settings(_env_file=None, corpus_dir=corpus, index_dir=tmp_path / "index")
    build_index(corpus, settings.index_dir, fake_embedder)
    engine = make_engine(settings, fake_embedder)
    answer = engine.answer("metode kualitatif deskriptif studi kasus")
    rows = json.loads(json.dumps(to_json(answer, engine)))["passages"]
    body = [r for r in rows if "page" in r]
    assert body and all(r["section"] and r["page"] in (101, 102) for r in body)


def test_next_source_is_fetched_while_a_pdf_is_read(tmp_path, paper, capsys, monkeypatch):
    """Pipelined import: PDF 1's text is extracted while page 2 is fetched (the pause between
    requests is spent working); outcomes stay in order, each with its own notes."""
    real_full_text = cli.full_text
    overlapped: list[bool] = []

    with JournalServer() as server:
        def full_text_seeing_the_next_page(data, pages=None):
            if not overlapped:  # PDF 1: page 2 is requested while it is being read
                overlapped.append(any(threading.Event().wait(0.05) or "/view/2" in server.paths()
                                      for _ in range(200)))
            return real_full_text(data, pages=pages)

        monkeypatch.setattr(cli, "full_text", full_text_seeing_the_next_page)
        scan = make_scanned_pdf(tmp_path / "scan.pdf").read_bytes()
        urls = []
        for n, pdf in ((1, paper), (3, scan)):
            pdf_url = server.add(f"/download/{n}", Reply(body=pdf, content_type="application/pdf"))
            page = (ojs_pages.ojs34(pdf_url=pdf_url, url=f"{server.base}/view/{n}")
                    .replace(ojs_pages.TITLE_CAPS, f"{ojs_pages.TITLE_CAPS}: STUDI NOMOR {n}")
                    .replace(ojs_pages.DOI, f"10.12345/jcip.v7i2.{n}"))
            urls.append(server.add(f"/view/{n}", Reply(body=page)))
        urls.insert(1, f"{server.base}/view/2")  # not there: 404
        corpus = tmp_path / "corpus"
        assert cli.main([*urls, "--corpus", str(corpus), "--fulltext", "--delay", "0"]) == 1
    assert overlapped == [True]
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines[:3]] == ["added", "failed", "added"]
    assert "/view/2" in lines[1] and "no text in the PDF" in lines[2]
    assert "no full text" not in lines[0]
    one, three = sorted(load_corpus(corpus), key=lambda d: d.doi or "")
    assert one.body and three.body == ()
