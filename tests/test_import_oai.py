"""OAI-PMH harvests: pages, both languages, incremental runs, deletions, failures."""

from __future__ import annotations

import json
import threading

import pytest

from index.corpus import load_corpus
from index.importers import cli
from tests.journal_server import JournalServer, Reply
from tests.oai_journal import OaiArticle, OaiJournal
from tests.pdf_maker import make_pdf, make_scanned_pdf, seed_paper


@pytest.fixture
def journal():
    with JournalServer() as server:
        oai = OaiJournal(server.base, [OaiArticle(n, f"2026-01-0{n}T10:00:00Z") for n in range(1, 6)])
        server.routes["/index.php/jcip/oai"] = oai
        server.oai = oai  # type: ignore[attr-defined]  # the tests' handle on the endpoint
        server.endpoint = server.base + "/index.php/jcip/oai"  # type: ignore[attr-defined]
        yield server


def started(out: str, action: str) -> int:
    return sum(line.startswith(action) for line in out.splitlines())


def harvest(journal, corpus, *extra: str) -> int:
    return cli.main(["--oai", journal.endpoint, "--corpus", str(corpus), "--delay", "0", *extra])


def test_harvest_follows_tokens_and_imports_every_article_once_in_both_languages(journal, tmp_path, capsys):
    """Five records over three pages become five files, each with both titles and abstracts,
    authors from "Family, Given; Affiliation", and the journal, volume, issue, pages and DOI."""
    corpus = tmp_path / "corpus"
    assert harvest(journal, corpus) == 0
    assert len(journal.oai.seen) == 3
    assert journal.oai.seen[0] == {"verb": "ListRecords", "metadataPrefix": "oai_dc"}
    assert journal.oai.seen[1] == {"verb": "ListRecords", "resumptionToken": "2||"}
    docs = {str(d.url).rsplit("/", 1)[1]: d for d in load_corpus(corpus)}
    assert sorted(docs) == ["1", "2", "3", "4", "5"]
    d = docs["3"]
    assert d.title == "Kerja Sama Luar Negeri Daerah Nomor 3" and d.language == "id"
    assert d.title_in("en") == ("Foreign Cooperation of Regions Number 3", False)
    assert d.abstract["id"].startswith("Artikel nomor 3") and d.abstract["en"].startswith("Article number 3")
    assert d.keywords == ("paradiplomasi", "kerja sama daerah")
    assert d.keywords_in("en") == (("paradiplomacy", "regional cooperation"), False)
    assert [(a.name, a.affiliation) for a in d.authors] == [
        ("Istiq Agustina", "Universitas Sultan Ageng Tirtayasa"),
        ("Luki Oka Prasetio", "Universitas Sultan Ageng Tirtayasa")]
    assert (d.journal, d.volume, d.issue, d.pages, d.doi) == (
        "Jurnal Contoh Ilmu Pemerintahan", "7", "2", "31-39", "10.12345/jcip.v7i2.3")
    assert str(d.pdf_url).endswith("/article/download/3/30")
    assert str(d.published) == "2025-12-13"
    assert started(capsys.readouterr().out, "added") == 5


def test_second_harvest_fetches_only_what_changed(journal, tmp_path, capsys):
    """The next run asks from just after the newest datestamp; a changed record is updated,
    a deleted one removed, nothing else touched."""
    corpus = tmp_path / "corpus"
    harvest(journal, corpus)
    state = json.loads((corpus / cli.STATE_FILE).read_text())
    assert state[journal.endpoint]["from"] == "2026-01-05T10:00:01Z"
    before = {p.name: p.read_bytes() for p in corpus.glob("*.toml")}
    journal.oai.articles[1] = OaiArticle(2, "2026-02-01T09:00:00Z", volume="8")
    journal.oai.articles[3] = OaiArticle(4, "2026-02-02T09:00:00Z", deleted=True)
    journal.oai.seen.clear()
    capsys.readouterr()
    assert harvest(journal, corpus) == 0
    assert journal.oai.seen == [{"verb": "ListRecords", "metadataPrefix": "oai_dc",
                                 "from": "2026-01-05T10:00:01Z"}]
    out = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in out[:2]] == ["updated", "removed"]
    docs = {str(d.url).rsplit("/", 1)[1]: d for d in load_corpus(corpus)}
    assert sorted(docs) == ["1", "2", "3", "5"] and docs["2"].volume == "8"
    after = {p.name: p.read_bytes() for p in corpus.glob("*.toml")}
    assert sum(after[n] == b for n, b in before.items() if n in after) == 3
    journal.oai.seen.clear()
    assert harvest(journal, corpus) == 0  # nothing new: noRecordsMatch
    assert journal.oai.seen[0]["from"] == "2026-02-02T09:00:01Z"


def test_set_and_from_are_passed_on(journal, tmp_path):
    """--set selects a section and --from overrides the remembered date."""
    journal.oai.articles[0].set_spec = "jcip:REV"
    corpus = tmp_path / "corpus"
    assert harvest(journal, corpus, "--set", "jcip:REV", "--from", "2026-01-01") == 0
    assert journal.oai.seen[0]["set"] == "jcip:REV" and journal.oai.seen[0]["from"] == "2026-01-01"
    assert len(load_corpus(corpus)) == 1


def test_bad_resumption_token_keeps_what_came_and_the_old_date(journal, tmp_path, capsys):
    """An expired token stops the harvest with one line; the first page's records stay and
    the next run starts from the same date again."""
    journal.oai.bad_token = True
    corpus = tmp_path / "corpus"
    assert harvest(journal, corpus) == 1
    out = capsys.readouterr().out
    assert "resumption token" in out and started(out, "added") == 2
    assert json.loads((corpus / cli.STATE_FILE).read_text())[journal.endpoint]["from"] is None


def test_malformed_xml_is_one_clear_line(journal, tmp_path, capsys):
    """Broken XML from the endpoint is reported in one line; the corpus is left as it was,
    harvest state included."""
    journal.oai.malformed = True
    corpus = tmp_path / "corpus"
    assert harvest(journal, corpus) == 1
    (line,) = [x for x in capsys.readouterr().out.splitlines() if x.startswith("failed")]
    assert "malformed XML" in line
    assert not list(corpus.glob("*.toml"))
    assert not (corpus / cli.STATE_FILE).exists()  # no harvest state for a harvest that failed


def test_503_with_retry_after_is_waited_out(journal, tmp_path):
    """A busy endpoint (503, Retry-After: 1) is asked again and the harvest completes."""
    journal.oai.busy_once = True
    corpus = tmp_path / "corpus"
    assert harvest(journal, corpus) == 0
    assert len(load_corpus(corpus)) == 5


def test_dry_run_harvest_writes_nothing(journal, tmp_path, capsys):
    """--dry-run lists what a harvest would add and writes no file and no state."""
    corpus = tmp_path / "corpus"
    assert harvest(journal, corpus, "--dry-run") == 0
    assert started(capsys.readouterr().out, "added") == 5
    assert not corpus.exists() or not any(corpus.iterdir())


def test_fulltext_harvest_reads_a_pdf_while_the_next_is_fetched(journal, tmp_path, capsys, monkeypatch):
    """With --fulltext, record 1's PDF is read while record 2's is fetched; every record is
    still written once, in order, with its own notes, and the harvest state moves on."""
    paper = make_pdf(tmp_path / "paper.pdf", seed_paper(1)).read_bytes()
    scan = make_scanned_pdf(tmp_path / "scan.pdf").read_bytes()
    for n in range(1, 6):
        journal.add(f"/index.php/jcip/article/download/{n}/{n}0",
                    Reply(body=scan if n == 2 else paper, content_type="application/pdf"))
    real_full_text = cli.full_text
    overlapped: list[bool] = []

    def full_text_seeing_the_next_pdf(data, pages=None):
        if not overlapped:  # PDF 1: PDF 2 is requested while it is being read
            overlapped.append(any(threading.Event().wait(0.05)
                                  or "/index.php/jcip/article/download/2/20" in journal.paths()
                                  for _ in range(200)))
        return real_full_text(data, pages=pages)

    monkeypatch.setattr(cli, "full_text", full_text_seeing_the_next_pdf)
    corpus = tmp_path / "corpus"
    assert harvest(journal, corpus, "--fulltext") == 0
    assert overlapped == [True]
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("added")]
    assert [line.split()[1].rstrip(":").rsplit("-", 1)[1] for line in lines] == ["1", "2", "3", "4", "5"]
    assert ["no text in the PDF" in line for line in lines] == [False, True, False, False, False]
    docs = {str(d.url).rsplit("/", 1)[1]: d for d in load_corpus(corpus)}
    assert [bool(docs[str(n)].body) for n in range(1, 6)] == [True, False, True, True, True]
    state = json.loads((corpus / cli.STATE_FILE).read_text(encoding="utf-8"))[journal.endpoint]
    assert len(state["records"]) == 5 and state["from"] > "2026-01-05"
