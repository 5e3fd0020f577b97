"""Quiz items from the corpus: validity over seeds and a synthetic corpus, rounds, hand-written
items and their validation, the ``python -m bot quiz`` command."""

from __future__ import annotations

import dataclasses
import io
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.synthetic import write_corpus
from bot.cli import main
from bot.settings import BotSettings
from index.build import build_index
from index.corpus import CorpusError, corpus_files, corpus_hash, load_corpus
from index.passages import document_passages
from index.quiz import (
    MAX_EXPLANATION_CHARS,
    MAX_OPTION_CHARS,
    MAX_QUESTION_CHARS,
    Article,
    Quiz,
    QuizItem,
    check_item,
    load_hand_items,
    negate,
    statement_clause,
)
from tests.conftest import CORPUS
from tests.fakes import FakeEmbedder

SEEDS = range(200)  # the bar: 200 seeds x both languages, every item valid


@pytest.fixture(scope="module")
def real_quiz() -> tuple[Quiz, dict[tuple[str, str], Article]]:
    docs = load_corpus(CORPUS)
    return Quiz.load(CORPUS, docs), _articles(docs)


def _articles(docs) -> dict[tuple[str, str], Article]:
    out = {}
    for doc in docs:
        passages = document_passages(doc)
        for lang in ("id", "en"):
            out[(doc.id, lang)] = Article.of(doc.id, lang, passages)
    return out


def _raw_rules(item: QuizItem, article: Article) -> None:
    """The rules stated plainly, independent of the checker's wording."""
    assert len(item.question) <= MAX_QUESTION_CHARS
    assert len(item.explanation) <= MAX_EXPLANATION_CHARS
    assert all(1 <= len(o) <= MAX_OPTION_CHARS for o in item.options)
    assert len(item.options) == len({o.lower() for o in item.options}) >= 2
    assert 0 <= item.correct < len(item.options)
    cited = article.passage(item.passage)
    assert cited is not None
    if item.kind == "statement":
        # a leading frame may be left out, so the first letter may be capitalised
        assert item.answer.lower() in cited.text.lower()
        assert sum(o.lower() in cited.text.lower() for o in item.options) == 1
    if item.kind == "cloze":
        at = item.question.index("____")
        blanked = item.question[item.question.rfind("“", 0, at) + 1:
                                item.question.find("”", at)].strip("…")
        assert blanked.replace("____", item.answer) in cited.text
        for i, o in enumerate(item.options):
            if i != item.correct:
                assert not any(blanked.replace("____", o) in p.text for p in article.passages)


def test_every_item_valid_for_200_seeds_both_languages(real_quiz):
    """For seeds 0-199 in both languages every item of the article passes every rule."""
    quiz, articles = real_quiz
    counts = {"id": 0, "en": 0}
    for seed in SEEDS:
        for lang in counts:
            for item in quiz.items(lang, seed):
                article = articles[(item.document, lang)]
                assert check_item(item, article) == [], (seed, item)
                _raw_rules(item, article)
                counts[lang] += 1
    # cloze, statement and metadata items in both languages
    for lang in counts:
        kinds = {i.kind for i in quiz.items(lang, 0)}
        assert {"cloze", "statement", "metadata"} <= kinds
        assert counts[lang] >= 20 * len(SEEDS)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corpus_seed=st.integers(0, 10_000), documents=st.integers(1, 4),
       seed=st.integers(0, 10_000))
def test_items_valid_on_synthetic_corpora(corpus_seed, documents, seed):
    """On seeded synthetic corpora of 1-4 articles, every item in both languages is valid."""
    with tempfile.TemporaryDirectory() as tmp:
        write_corpus(Path(tmp), documents, seed=corpus_seed)
        docs = load_corpus(Path(tmp))
        quiz = Quiz.build(docs)
        articles = _articles(docs)
        for lang in ("id", "en"):
            items = quiz.items(lang, seed)
            assert {i.document for i in items} == {d.id for d in docs}
            for item in items:
                assert check_item(item, articles[(item.document, lang)]) == [], item
                _raw_rules(item, articles[(item.document, lang)])


def test_same_seed_same_items_other_seed_other_choices(real_quiz):
    """A seed fixes distractors and option order; other seeds vary them."""
    quiz, _ = real_quiz
    assert quiz.items("id", 7) == quiz.items("id", 7)
    assert quiz.round("en", 5, 7) == quiz.round("en", 5, 7)
    variants = {tuple(i.options for i in quiz.items("en", s)) for s in range(5)}
    assert len(variants) == 5


def test_checker_rejects_a_distractor_the_article_supports(real_quiz):
    """An item whose wrong option the article states, or whose answer is not in the cited
    sentence, is reported invalid."""
    quiz, articles = real_quiz
    statement = next(i for i in quiz.items("en", 0) if i.kind == "statement")
    article = articles[(statement.document, "en")]
    other = next(p for p in article.passages
                 if p.section == "abstract" and p.id != statement.passage)
    true_clause = statement_clause(other.text, "en")
    wrong_at = (statement.correct + 1) % len(statement.options)
    options = list(statement.options)
    options[wrong_at] = true_clause
    bad = dataclasses.replace(statement, options=tuple(options))
    assert any("supported" in p for p in check_item(bad, article))
    cloze = next(i for i in quiz.items("en", 0) if i.kind == "cloze")
    swapped = dataclasses.replace(cloze, correct=(cloze.correct + 1) % len(cloze.options))
    assert "the answer does not restore the cited sentence" in check_item(
        swapped, articles[(cloze.document, "en")])
    long = dataclasses.replace(cloze, explanation="x" * (MAX_EXPLANATION_CHARS + 1))
    assert check_item(long, articles[(cloze.document, "en")])


def test_round_new_items_first_no_repeats_few_metadata(real_quiz):
    """A round has n different items, at most one metadata item, and items already seen only
    once every unseen one has been used."""
    quiz, _ = real_quiz
    seen: set[str] = set()
    total = len(quiz.items("id", 0))
    rounds = 0
    while len(seen) < total - 5:
        items = quiz.round("id", 5, seed=rounds, seen=seen)
        ids = [i.id for i in items]
        assert len(ids) == len(set(ids)) == 5
        assert sum(i.kind == "metadata" for i in items) <= 1
        assert not seen & set(ids), "a seen item came before unseen ones"
        seen |= set(ids)
        rounds += 1
    assert rounds >= 4


def test_negation_and_statement_clause():
    """Statements are a sentence's main clause within Telegram's limit; negation finds the
    predicate in both languages."""
    assert negate("Paradiplomacy represents the involvement of local governments", "en") == \
        "Paradiplomacy does not represent the involvement of local governments"
    assert negate("Leadership is capable of change", "en") == "Leadership is not capable of change"
    assert negate("Paradiplomasi merupakan wujud keterlibatan", "id") == \
        "Paradiplomasi bukan wujud keterlibatan"
    assert negate("Keberhasilan praktik ini sangat ditentukan oleh kualitas", "id") == \
        "Keberhasilan praktik ini tidak ditentukan oleh kualitas"
    clause = statement_clause(
        "Within the framework of multi-level governance, paradiplomacy functions complementarily "
        "to national diplomacy, bridging local interests with global opportunities.", "en")
    assert clause is not None and len(clause) <= MAX_OPTION_CHARS
    assert clause.endswith("functions complementarily")


def test_hand_items_are_in_the_quiz_and_replace_generated_ones(real_quiz):
    """The shipped quiz file's items are offered as written; the one it replaces is not."""
    quiz, articles = real_quiz
    manual = [i for i in quiz.items("en", 3) if i.kind == "manual"]
    assert [i.answer for i in manual] == ["Regional heads"]
    assert check_item(manual[0], articles[(manual[0].document, "en")]) == []
    assert quiz.candidate("paradiplomasi-kepala-daerah:en:cloze:abstract:3:primary-actors") is None
    assert quiz.candidate("paradiplomasi-kepala-daerah:id:cloze:abstract:3:aktor-utama")


HAND_OK = '''
[[items]]
language = "id"
question = "Siapa aktor utama?"
answer = "Kepala daerah"
wrong = ["Pemerintah pusat", "Presiden"]
passage = "abstract:3"
'''


def _quiz_problems(corpus: Path, text: str, name: str = "paradiplomasi-kepala-daerah") -> list[str]:
    (corpus / f"{name}.quiz.toml").write_text(text, encoding="utf-8")
    with pytest.raises(CorpusError) as info:
        load_hand_items(corpus, load_corpus(corpus))
    return info.value.problems


@pytest.mark.parametrize("text, field", [
    (HAND_OK.replace('"Presiden"', '"' + "x" * 101 + '"'), "items.0.wrong.1"),
    (HAND_OK.replace("abstract:3", "abstract:99"), "items.0.passage"),
    (HAND_OK.replace('"Presiden"', '"aktor utama"'), "items.0.wrong.1"),
    (HAND_OK.replace('"Presiden"', '"Kepala daerah"'), "items.0"),
    (HAND_OK + 'replaces = "no-such-item"\n', "items.0.replaces"),
    ('drop = ["no-such-item"]\n' + HAND_OK, "drop.0"),
    (HAND_OK.replace('language = "id"', 'language = "fr"'), "items.0.language"),
    (HAND_OK.replace("question =", "questoin ="), "items.0"),
    ("[[items]\n", "(syntax)"),
])
def test_bad_quiz_file_is_one_line_naming_file_and_field(corpus_dir, text, field):
    """Each problem in a quiz file is one line 'FILE: FIELD: what is wrong'."""
    problems = _quiz_problems(corpus_dir, text)
    assert problems
    assert all(p.startswith(str(corpus_dir / "paradiplomasi-kepala-daerah.quiz.toml") + ": ")
               for p in problems)
    assert any(p.split(": ")[1].startswith(field) for p in problems), problems


def test_quiz_file_without_its_article_is_a_problem(corpus_dir):
    """A quiz file must sit beside an article of the same name."""
    (problem,) = _quiz_problems(corpus_dir, HAND_OK, name="no-such-article")
    assert "no article no-such-article.toml" in problem


def test_build_refuses_a_broken_quiz_file_and_rehashes_it(corpus_dir, tmp_path):
    """The index build checks quiz files with the corpus; a quiz file is part of the corpus
    hash but never read as an article."""
    assert [p.name for p in corpus_files(corpus_dir)] == ["paradiplomasi-kepala-daerah.toml"]
    before = corpus_hash(corpus_dir)
    quiz_file = corpus_dir / "paradiplomasi-kepala-daerah.quiz.toml"
    quiz_file.write_text(HAND_OK.replace("abstract:3", "abstract:99"), encoding="utf-8")
    assert corpus_hash(corpus_dir) != before
    with pytest.raises(CorpusError):
        build_index(corpus_dir, tmp_path / "index", FakeEmbedder())
    assert not (tmp_path / "index").exists() or not any((tmp_path / "index").iterdir())
    quiz_file.write_text(HAND_OK, encoding="utf-8")
    build_index(corpus_dir, tmp_path / "index", FakeEmbedder())


def _cli(args: list[str], corpus: Path) -> tuple[int, str]:
    out = io.StringIO()
    code = main(args, settings=BotSettings(_env_file=None, corpus_dir=corpus, telegram_bot_token=None), stdout=out)
    return code, out.getvalue()


@pytest.fixture
def _quiet(monkeypatch):
    monkeypatch.setattr("bot.cli.setup_logging", lambda *args, **kwargs: None)


def test_cli_quiz_json_lines_deterministic(_quiet):
    """`quiz --json -n 3 --lang en --seed 5` prints three JSON items with the contract's fields,
    the same every time."""
    code, out = _cli(["quiz", "--json", "-n", "3", "--lang", "en", "--seed", "5"], CORPUS)
    assert code == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert len(lines) == 3
    for item in lines:
        assert {"question", "options", "correct", "explanation", "language", "passage"} <= set(item)
        assert item["language"] == "en" and 0 <= item["correct"] < len(item["options"])
    assert _cli(["quiz", "--json", "-n", "3", "--lang", "en", "--seed", "5"], CORPUS)[1] == out


def test_cli_quiz_text_marks_the_right_option(_quiet):
    """The review text shows each item's id, its options lettered and the right one ticked."""
    code, out = _cli(["quiz", "--lang", "id"], CORPUS)
    assert code == 0
    blocks = [b for b in out.split("\n\n") if b.strip()]
    assert len(blocks) >= 20
    assert all(b.count("✓") == 1 and b.startswith("[") for b in blocks)


def test_cli_quiz_broken_corpus_one_line_exit_1(corpus_dir, capsys, _quiet):
    """A broken quiz file makes `quiz` say so on one line of stderr and exit 1."""
    (corpus_dir / "paradiplomasi-kepala-daerah.quiz.toml").write_text("[[items]\n")
    code, out = _cli(["quiz"], corpus_dir)
    err = capsys.readouterr().err
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and "invalid TOML" in err


def test_cli_quiz_bad_n_is_usage_error(capsys):
    """`quiz -n 0` is wrong usage: exit 2."""
    with pytest.raises(SystemExit) as info:
        _cli(["quiz", "-n", "0"], CORPUS)
    assert info.value.code == 2
