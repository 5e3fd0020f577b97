"""The importer: OJS pages (3.3/3.4/3.5), a browser copy, writing safely into the corpus."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index.corpus import load_corpus, load_document
from index.importers import cli
from index.importers.fetch import Fetcher, FetchError
from tests import ojs_pages
from tests.journal_server import JournalServer, Reply

ROOT = Path(__file__).resolve().parent.parent
SEED_TEXT = ROOT.parent / "shared" / "seed" / "article.txt"
HAND = load_document(ROOT / "corpus" / "paradiplomasi-kepala-daerah.toml")


@pytest.fixture
def journal():
    with JournalServer() as server:
        yield server


@pytest.fixture
def seed_text(tmp_path: Path) -> Path:
    """A copy of the seed page's browser text (../shared/seed/article.txt)."""
    target = tmp_path / "article.txt"
    shutil.copy(SEED_TEXT, target)
    return target


def run(*args: str) -> int:
    return cli.main([*args, "--delay", "0"])


def only_doc(corpus: Path):
    (doc,) = load_corpus(corpus)
    return doc


def assert_same_article(doc) -> None:
    assert doc.title == HAND.title and doc.language == HAND.language
    assert doc.published == HAND.published
    assert [a.name for a in doc.authors] == [a.name for a in HAND.authors]
    assert all(a.affiliation.startswith(h.affiliation) for a, h in zip(doc.authors, HAND.authors, strict=True))
    assert doc.keywords == HAND.keywords
    assert doc.abstract == HAND.abstract


def test_browser_text_of_the_seed_gives_the_hand_written_entry(tmp_path, seed_text, capsys):
    """The seed's copied page text imports to the hand-written file's title, authors, date,
    keywords and both abstracts, and names what the page lacks."""
    corpus = tmp_path / "corpus"
    assert run(str(seed_text), "--corpus", str(corpus)) == 0
    doc = only_doc(corpus)
    assert_same_article(doc)
    assert doc.authors == HAND.authors
    assert doc.journal is None and doc.doi is None  # the seed has none: nothing invented
    out = capsys.readouterr().out
    assert out.startswith("added") and "now run: python -m index build" in out
    assert "not on the source: en title" in out.splitlines()[0]  # said, not only in the file
    assert "Not on the source: en title" in next(corpus.glob("*.toml")).read_text(encoding="utf-8")


@pytest.mark.parametrize("version", sorted(ojs_pages.VERSIONS))
def test_ojs_page_of_each_version_gives_the_same_entry(tmp_path, journal, version):
    """An OJS 3.3, 3.4 or 3.5 page, fetched over HTTP, gives the seed's entry plus the
    journal, volume, issue, pages, DOI and links its tags carry."""
    url = journal.add(f"/index.php/jcip/article/view/{version}", Reply(body=ojs_pages.VERSIONS[version]()))
    corpus = tmp_path / "corpus"
    assert run(url, "--corpus", str(corpus)) == 0
    doc = only_doc(corpus)
    assert_same_article(doc)
    assert (doc.journal, doc.volume, doc.issue, doc.pages, doc.doi) == (
        ojs_pages.JOURNAL, "7", "2", "101-115", ojs_pages.DOI)
    assert (doc.url, doc.pdf_url) == (ojs_pages.VIEW, ojs_pages.PDF)
    if version == "3.3":  # no English title or keywords on a 3.3 page of this journal
        assert doc.translation == {}
    else:
        assert doc.title_in("en") == (HAND.translation["en"].title, False)  # the article's own
        assert doc.keywords_in("en") == (HAND.translation["en"].keywords, False)
    if version == "3.5":
        assert doc.authors[0].affiliation == ("Universitas Sultan Ageng Tirtayasa; "
                                              "Pusat Studi Paradiplomasi")
    _, headers = journal.requests[-1]
    assert "TanyaParadiplomasi" in headers["User-Agent"]


def test_saved_html_page_imports_like_the_url(tmp_path):
    """A page saved as .html imports without the network; its link comes from DC.Identifier.URI."""
    page = tmp_path / "page.html"
    page.write_text(ojs_pages.ojs33(), encoding="utf-8")
    corpus = tmp_path / "corpus"
    assert run(str(page), "--corpus", str(corpus)) == 0
    assert only_doc(corpus).url == ojs_pages.VIEW


def test_importing_twice_changes_nothing(tmp_path, seed_text, capsys):
    """A second import of the same source leaves the file byte for byte and says unchanged."""
    corpus = tmp_path / "corpus"
    run(str(seed_text), "--corpus", str(corpus))
    (path,) = corpus.glob("*.toml")
    before = path.read_bytes()
    capsys.readouterr()
    assert run(str(seed_text), "--corpus", str(corpus)) == 0
    assert path.read_bytes() == before
    assert capsys.readouterr().out.startswith("unchanged")


def test_hand_edited_file_is_kept_and_the_difference_shown(tmp_path, capsys):
    """An edited file is skipped with a diff; --dry-run changes nothing; --force replaces it."""
    page = tmp_path / "page.html"
    page.write_text(ojs_pages.ojs34(), encoding="utf-8")
    corpus = tmp_path / "corpus"
    run(str(page), "--corpus", str(corpus))
    (path,) = corpus.glob("*.toml")
    edited = path.read_text(encoding="utf-8").replace('volume = "7"', 'volume = "8"')
    path.write_text(edited, encoding="utf-8")
    capsys.readouterr()
    assert run(str(page), "--corpus", str(corpus)) == 0
    out = capsys.readouterr().out
    assert out.startswith("skipped") and "--force" in out
    assert '-volume = "8"' in out and '+volume = "7"' in out
    assert path.read_text(encoding="utf-8") == edited
    assert run(str(page), "--corpus", str(corpus), "--force", "--dry-run") == 0
    assert path.read_text(encoding="utf-8") == edited
    assert run(str(page), "--corpus", str(corpus), "--force") == 0
    assert load_document(path).volume == "7"


def test_reimport_into_the_hand_written_corpus_keeps_our_translation_and_suggestions(corpus_dir, seed_text, capsys):
    """Forcing the seed over the hand-written file keeps what only a person could add: our
    translation and the suggested questions; the content is then the hand-written file's."""
    assert run(str(seed_text), "--corpus", str(corpus_dir)) == 0
    assert capsys.readouterr().out.startswith("skipped   paradiplomasi-kepala-daerah")
    assert run(str(seed_text), "--corpus", str(corpus_dir), "--force") == 0
    doc = only_doc(corpus_dir)
    assert doc.model_dump() == HAND.model_dump()


def test_updated_source_replaces_an_untouched_import(tmp_path, journal):
    """A file the importer wrote and nobody edited follows the source (updated)."""
    url = journal.add("/a", Reply(body=ojs_pages.ojs34()), )
    corpus = tmp_path / "corpus"
    run(url, "--corpus", str(corpus))
    journal.routes["/a"] = [Reply(body=ojs_pages.ojs34().replace('content="7"', 'content="9"'))]
    journal._served.clear()
    assert run(url, "--corpus", str(corpus)) == 0
    assert only_doc(corpus).volume == "9"


def test_page_that_is_not_ojs_fails_clearly_and_others_go_on(tmp_path, journal, capsys):
    """A non-OJS page and a missing file each fail in one line; the good source is imported."""
    bad = journal.add("/blog", Reply(body="<html><head><title>Blog</title></head></html>"))
    good = journal.add("/good", Reply(body=ojs_pages.ojs34()))
    corpus = tmp_path / "corpus"
    assert run(bad, str(tmp_path / "missing.html"), good, "--corpus", str(corpus)) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("failed") and "not an OJS article page" in lines[0]
    assert lines[1].startswith("failed") and "no such file" in lines[1]
    assert lines[2].startswith("added")
    assert len(load_corpus(corpus)) == 1


def test_an_entry_the_build_would_refuse_is_never_written(tmp_path, capsys):
    """A page without a publication date fails validation and writes no file."""
    page = tmp_path / "page.html"
    text = ojs_pages.ojs34()
    for tag in ("citation_date", "DC.Date.issued"):
        text = text.replace(f'name="{tag}"', 'name="x-removed"')
    page.write_text(text, encoding="utf-8")
    corpus = tmp_path / "corpus"
    assert run(str(page), "--corpus", str(corpus)) == 1
    out = capsys.readouterr().out
    assert out.startswith("failed") and "published: Field required" in out
    assert not list(corpus.glob("*.toml")) if corpus.exists() else True


def test_too_large_file_is_refused(tmp_path, capsys, monkeypatch):
    """A file over the size limit is one clear line, nothing read into the corpus."""
    monkeypatch.setattr(cli, "MAX_FILE_BYTES", 1000)
    big = tmp_path / "big.html"
    big.write_text("x" * 2000)
    assert run(str(big), "--corpus", str(tmp_path / "c")) == 1
    assert "more than the" in capsys.readouterr().out


def test_no_source_is_usage_error(capsys):
    """Nothing to import is CLI misuse: exit 2 with a usage line."""
    assert cli.main([]) == 2
    assert "give at least one SOURCE" in capsys.readouterr().err


# -- the fetcher's manners --------------------------------------------------------------


def test_fetcher_waits_on_503_with_retry_after_then_succeeds(journal):
    """A 503 with Retry-After is retried after that many seconds; the page then arrives."""
    url = journal.add("/busy", Reply(503, "busy", headers={"Retry-After": "7"}), Reply(body="ok"))
    waits: list[float] = []
    with Fetcher(delay=0, sleep=waits.append) as fetcher:
        assert fetcher.get(url).text() == "ok"
    assert waits == [7.0]


def test_fetcher_backs_off_and_gives_up_with_one_line(journal):
    """Persistent 500s are retried with doubling waits, then one error line."""
    url = journal.add("/down", Reply(500, "no"))
    waits: list[float] = []
    with Fetcher(delay=0, retries=2, backoff=1.0, sleep=waits.append) as fetcher, \
            pytest.raises(FetchError, match=r"/down: HTTP 500$"):
        fetcher.get(url)
    assert waits == [1.0, 2.0]


def test_fetcher_times_out_clearly(journal):
    """A server that does not answer in time is 'timed out after N tries'."""
    url = journal.add("/slow", Reply(body="late", delay=1.0))
    with Fetcher(delay=0, timeout=0.2, retries=1, backoff=0.0, sleep=lambda s: None) as fetcher, \
            pytest.raises(FetchError, match="timed out after 2 tries"):
        fetcher.get(url)


def test_fetcher_refuses_a_download_over_the_limit(journal):
    """A response larger than the limit is refused, not read into memory."""
    url = journal.add("/huge.pdf", Reply(body=b"%PDF-" + b"0" * 5000, content_type="application/pdf"))
    with Fetcher(delay=0, max_bytes=1000) as fetcher, pytest.raises(FetchError, match="limit"):
        fetcher.get(url)


def test_fetcher_pauses_between_requests(journal):
    """Two requests in a row are spaced by the delay (a polite crawler)."""
    url = journal.add("/p", Reply(body="x"))
    now = [100.0]
    waits: list[float] = []
    with Fetcher(delay=1.5, sleep=waits.append, clock=lambda: now[0]) as fetcher:
        fetcher.get(url)
        now[0] += 0.5
        fetcher.get(url)
    assert waits == [1.0]
