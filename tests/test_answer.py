import json

from index.answer import MAX_QUESTION_CHARS, NOT_A_QUESTION, NOT_IN_ARTICLE, TOO_LONG, Engine
from index.answerability import Answerability
from tests.conftest import make_engine


def test_answer_rests_on_first_passage(fake_engine):
    """An answered question's text is passages[0], in the question's language."""
    answer = fake_engine.answer("Kapan artikel ini diterbitkan?")
    assert answer.answered and answer.language == "id"
    assert answer.text == answer.passages[0].passage.text
    assert answer.best == answer.passages[0].passage
    scores = [sp.score for sp in answer.passages]
    assert scores == sorted(scores, reverse=True)
    assert len(answer.passages) == fake_engine.top_k


def test_refusal_is_polite_in_language_with_suggestions(built, fake_embedder):
    """When the model says 'not answerable', the reply says so and offers answerable questions."""
    never = Answerability((0.0, 0.0, 0.0), -10.0)
    engine = make_engine(built, fake_embedder, never)
    for question, lang in [("Siapa presiden pertama Indonesia?", "id"),
                           ("What is the capital of France?", "en")]:
        answer = engine.answer(question)
        assert not answer.answered and answer.language == lang
        assert answer.text.startswith(NOT_IN_ARTICLE[lang])
        assert 2 <= len(answer.suggestions) <= 3
        assert all(s in answer.text for s in answer.suggestions)
        assert answer.best is None


def test_suggestions_come_from_the_corpus_in_language(fake_engine):
    """Suggested questions are the document's own, in the asked language."""
    assert fake_engine.suggestions("id")[0] == "Apa itu paradiplomasi?"
    assert fake_engine.suggestions("en")[0] == "What is paradiplomacy?"


def test_empty_and_junk_questions_do_not_search(fake_engine, fake_embedder):
    """Blank, invisible or symbol-only input gets a hint and never reaches the embedder."""
    for junk in ["", "   ", "\u200b\u200b", "?!?", "😀", "1234", "a b c", "\u0301\u0301"]:
        answer = fake_engine.answer(junk)
        assert not answer.answered and answer.passages == ()
        assert answer.text.startswith(NOT_A_QUESTION[answer.language])
    assert fake_embedder.queries == []


def test_long_question_is_cut_and_answered(fake_engine, fake_embedder):
    """A 1,400-character question is cut to the limit at a word boundary and still answered."""
    answer = fake_engine.answer("paradiplomasi " * 100)
    assert len(answer.question) <= MAX_QUESTION_CHARS
    assert answer.question.endswith("paradiplomasi")
    assert fake_embedder.queries[-1] == answer.question


def test_pasted_text_is_not_searched(fake_engine, fake_embedder):
    """10,000 characters: a polite 'too long' with suggestions, and no search at all."""
    answer = fake_engine.answer("paradiplomasi " * 720)
    assert not answer.answered and answer.reason == "too_long" and answer.passages == ()
    assert answer.text.startswith(TOO_LONG["id"])
    assert fake_embedder.queries == []


def test_json_contract(fake_engine):
    """to_json has exactly the CLI contract's fields and types ("page" only for full text)."""
    data = fake_engine.answer("What are the keywords?").to_json()
    assert set(data) == {"question", "language", "answered", "answer", "passages"}
    assert data["language"] in ("id", "en") and isinstance(data["answered"], bool)
    for p in data["passages"]:
        assert set(p) == {"text", "score", "language", "document", "section"}
        assert isinstance(p["score"], float) and p["document"] == "paradiplomasi-kepala-daerah"
    json.dumps(data)


def test_citation_names_section_sentence_authors_year(fake_engine):
    """Citations read like 'Abstrak, kalimat 2 — Agustina dkk. (2025)'."""
    passage = fake_engine.searcher.passage("paradiplomasi-kepala-daerah:id:abstract:2")
    assert fake_engine.citation(passage) == "Abstrak, kalimat 2 — Agustina dkk. (2025)"
    partner = fake_engine.searcher.passage(passage.partner)
    assert fake_engine.citation(partner) == "Abstract, sentence 2 — Agustina et al. (2025)"


def test_engine_loads_from_settings(built, fake_embedder):
    """Engine.load reads index and corpus named by the settings, with a given embedder."""
    engine = Engine.load(built, embedder=fake_embedder)
    assert engine.answer("siapa penulisnya?").language == "id"
