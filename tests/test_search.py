import math
from collections import Counter

import numpy as np
import pytest

from index.bm25 import BM25, K1
from index.passages import Passage
from index.search import PHRASE, Searcher, with_bigrams
from index.store import IntentVectors, load_index, write_index


def _seeded_index(tmp_path, n_id=150, n_en=120, d=32, seed=7):
    rng = np.random.default_rng(seed)
    xb = rng.standard_normal((n_id + n_en, d)).astype(np.float32)
    xb /= np.linalg.norm(xb, axis=1, keepdims=True)
    vocab = [f"w{i}" for i in range(40)]
    passages, terms = [], []
    for i in range(n_id + n_en):
        lang = "id" if i < n_id else "en"
        t = list(rng.choice(vocab, size=int(rng.integers(3, 12))))
        passages.append(Passage(f"doc:{lang}:abstract:{i}", "doc", lang, "abstract", i + 1,
                                " ".join(t)))
        terms.append(t)
    write_index(tmp_path, passages, terms, xb, {
        "embedder": "seeded", "model": "seeded", "languages": {"id": [0, n_id], "en": [n_id, n_id + n_en]},
        "documents": ["doc"], "corpus_sha256": "0" * 64, "recipe_sha256": "0" * 64,
        "built_at": "now", "build_seconds": 0.0},
        intents=IntentVectors([], [], np.zeros((0, d), np.float32)))
    return load_index(tmp_path, "seeded", "seeded", d), xb, rng


def test_dense_search_equals_brute_force_cosine(tmp_path):
    """Dense ranking and scores equal brute-force cosine, restricted to the question's language."""
    stored, xb, rng = _seeded_index(tmp_path)
    searcher = Searcher(stored)
    for _ in range(20):
        xq = rng.standard_normal(xb.shape[1]).astype(np.float32)
        xq /= np.linalg.norm(xq)
        for lang, (a, b) in {"id": (0, 150), "en": (150, 270)}.items():
            hits, evidence = searcher.search(xq, "", lang, 10, mode="dense")
            brute = xb[a:b] @ xq
            order = np.argsort(-brute)[:10] + a
            assert [int(h.passage.id.rsplit(":", 1)[1]) for h in hits] == order.tolist()
            assert np.allclose([h.score for h in hits], np.sort(brute)[::-1][:10], atol=1e-5)
            assert all(h.passage.language == lang for h in hits)
            assert evidence.dense_top == pytest.approx(float(brute.max()), abs=1e-5)


def test_hybrid_score_is_cosine_plus_weighted_bm25(tmp_path):
    """The fused score of every hit is its cosine plus the weight times normalised BM25."""
    stored, xb, rng = _seeded_index(tmp_path)
    searcher = Searcher(stored, lexical_weight=0.25)
    xq = xb[3] + 0.1 * rng.standard_normal(xb.shape[1]).astype(np.float32)
    xq /= np.linalg.norm(xq)
    hits, _ = searcher.search(xq, "w1 w2 w3", "id", 20)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    for h in hits:
        i = int(h.passage.id.rsplit(":", 1)[1])
        assert h.dense == pytest.approx(float(xb[i] @ xq), abs=1e-5)
        assert h.score == pytest.approx(h.dense + 0.25 * h.lexical, abs=1e-6)


def _naive_bm25(docs, query, k1=1.2, b=0.75):
    n, avgdl = len(docs), sum(map(len, docs)) / len(docs)
    out = []
    for doc in docs:
        tf, s = Counter(doc), 0.0
        for t in set(query):
            df = sum(t in d for d in docs)
            if not df:
                continue
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            s += idf * tf[t] * (k1 + 1) / (tf[t] + k1 * (1 - b + b * len(doc) / avgdl))
        out.append(s)
    return np.array(out)


def test_bm25_matches_textbook_formula():
    """BM25 scores equal a direct implementation of the Okapi formula; normalised ≤ 1."""
    rng = np.random.default_rng(1)
    vocab = [f"t{i}" for i in range(30)]
    docs = [list(rng.choice(vocab, size=int(rng.integers(1, 15)))) for _ in range(60)]
    for k1 in (K1, 1.2):  # the project's value and the textbook's
        bm25 = BM25(docs, k1=k1)
        for _ in range(10):
            query = list(rng.choice(vocab + ["unknown"], size=4))
            assert np.allclose(bm25.scores(query), _naive_bm25(docs, query, k1=k1), atol=1e-4)
            norm = bm25.normalized_scores(query)
            assert norm.max() <= 1.0 + 1e-6
    assert not bm25.scores(["unknown"]).any()


def test_real_corpus_search_stays_in_language(fake_engine):
    """An English question only gets English passages, an Indonesian one Indonesian."""
    for question, lang in [("What is paradiplomacy?", "en"), ("Apa itu paradiplomasi?", "id")]:
        answer = fake_engine.answer(question)
        assert answer.language == lang
        assert answer.passages and all(sp.passage.language == lang for sp in answer.passages)


def test_bm25_finds_author_names_with_stemming(fake_engine):
    """Stemmed BM25 joins 'penulis' and 'ditulis': the authors passage ranks first."""
    answer = fake_engine.answer("siapa penulisnya?", mode="bm25")
    assert answer.passages[0].passage.section == "authors"


def test_bigrams_join_neighbouring_terms_only():
    """Each pair of neighbouring terms becomes one phrase term; single terms stay."""
    assert with_bigrams(["peran", "kepala", "daerah"]) == [
        "peran", "kepala", "daerah", f"peran{PHRASE}kepala", f"kepala{PHRASE}daerah"]
    assert with_bigrams(["paradiplomasi"]) == ["paradiplomasi"] and with_bigrams([]) == []


def test_a_phrase_counts_more_than_its_words_met_apart():
    """Two passages with the same words and length: over words alone BM25 ties them; over
    terms and bigrams the one with the question's "kepala daerah" as a phrase ranks first."""
    phrase = ["kepemimpinan", "kepala", "daerah", "aktor", "utama", "global"]
    apart = ["kepala", "dinas", "daya", "saing", "daerah", "global"]
    other = ["diplomasi", "nasional", "komplementer"]
    query = ["peran", "kepala", "daerah"]
    plain = BM25([phrase, apart, other]).scores(query)
    assert plain[0] == pytest.approx(plain[1])
    scores = BM25([with_bigrams(d) for d in (phrase, apart, other)]).scores(with_bigrams(query))
    assert scores[0] > scores[1] > scores[2] == 0


def test_a_metadata_sentence_whose_field_is_not_named_ranks_below_the_text(fake_engine):
    """A question as close in meaning to the keyword list as to an abstract sentence: the
    sentence ranks first unless the question names the field with a word the text does not
    use ("keyword"; "kunci" is also sentence 6's word, so "kunci paradiplomasi" names
    nothing)."""
    searcher = fake_engine.searcher
    passages = searcher.passages
    keywords = next(i for i, p in enumerate(passages)
                    if p.language == "id" and p.section == "keywords")
    sentence = next(i for i, p in enumerate(passages)
                    if p.language == "id" and p.section == "abstract" and p.position == 6)
    a, b = (searcher.stored.index.reconstruct(i) for i in (keywords, sentence))
    xq = a + 0.98 * b  # a little closer to the keyword list (sentence 6 says "kunci" too)
    xq /= np.linalg.norm(xq)
    assert a @ xq > b @ xq
    for text in ("zzz qqq", "kunci paradiplomasi"):
        hits, _ = searcher.search(xq, text, "id", 3)
        assert hits[0].passage == passages[sentence], text
    hits, _ = searcher.search(xq, "keyword", "id", 3)
    assert hits[0].passage == passages[keywords]
    hits, _ = searcher.search(xq, "zzz qqq", "id", 3, mode="dense")
    assert hits[0].passage == passages[keywords]  # dense mode ranks by meaning alone
    assert searcher.names_field("penulisnya siapa", "id", "authors")
    assert not searcher.names_field("apa kunci paradiplomasi", "id", "keywords")


@pytest.mark.parametrize("question, left", [
    ("menurut penulis apa itu paradiplomasi?", "apa itu paradiplomasi?"),
    ("what do the authors say about leadership?", "about leadership?"),
    ("how do the authors define paradiplomacy?", "how do paradiplomacy?"),
    ("penulisnya bilang kepemimpinan itu gimana", "kepemimpinan itu gimana"),
    ("who wrote this paper", "who wrote this paper"),
    ("where do the authors work", "where do the authors work"),
])
def test_talk_about_the_source_is_not_searched_as_words(question, left):
    """"what do the authors say about …" asks for the content: the words about the source
    are left out of BM25 and coverage; "who wrote this paper" asks about the authors."""
    from index.text import without_framing_words

    assert " ".join(without_framing_words(question).split()) == left


@pytest.mark.parametrize("question, left", [
    ("apa yang ditulis tentang ekspor?", "apa yang tentang ekspor?"),
    ("penulis nulis apa soal birokrasi?", "apa soal birokrasi?"),
    ("what did they write about bureaucracy?", "about bureaucracy?"),
    ("what is written in the abstract about exports?", "what is in the abstract about exports?"),
    ("siapa yang menulis artikel ini", "siapa yang menulis artikel ini"),
    ("apa pendapat Istiq Agustina tentang paradiplomasi?", "apa tentang paradiplomasi?"),
    ("what does Prasetio say about export?", "about export?"),
])
def test_writing_about_a_topic_is_talk_about_the_source(question, left):
    """"apa yang ditulis tentang X" or "what does <an author> say about X" asks what the
    text says about X: those words are left out of BM25 (where "ditulis" and the names are
    words of the author line); "siapa yang menulis" keeps them."""
    from index.text import without_framing_words

    assert " ".join(without_framing_words(question).split()) == left


def test_the_students_situation_is_not_searched():
    """"… buat ujian besok", "for my exam tomorrow": words about the student's situation are
    no content words (they neither search nor lower the coverage of known words)."""
    from index.text import Analyzer

    assert Analyzer("id").content_words("paradiplomasi buat ujian besok") == ["paradiplomasi"]
    assert Analyzer("id").content_words("judulnya mau ku tulis di tugas") == ["judulnya",
                                                                               "tulis"]
    assert Analyzer("en").content_words("paradiplomacy for my exam tomorrow") == [
        "paradiplomacy"]


@pytest.mark.parametrize("question, left", [
    ("hubungan paradiplomasi dengan diplomasi pusat gimana",
     "paradiplomasi dengan diplomasi pusat gimana"),
    ("apa hubungan paradiplomasi dan hubungan internasional",
     "apa paradiplomasi dan hubungan internasional"),
    ("how does it relate to national diplomacy", "how does it to national diplomacy"),
    ("what is the relationship between paradiplomacy and diplomacy",
     "what is the between paradiplomacy and diplomacy"),
    ("international relations and paradiplomacy", "international relations and paradiplomacy"),
])
def test_the_word_for_a_relation_asked_is_a_framing_word(question, left):
    """"hubungan X dengan Y", "how does X relate to Y" ask for a relation: the word names no
    content (BM25 matched it to sentence 1's "hubungan internasional"), while "hubungan
    internasional" and "international relations" stay the text's phrase."""
    from index.text import without_framing_words

    assert " ".join(without_framing_words(question).split()) == left


def test_glossary_reads_students_words_as_the_texts_terms(tmp_path):
    """Everyday words become the text's term: whole words only, any case, the longest
    phrase first ("pemerintah pusat" is one term, not "pemerintah" + a term); entries whose
    term the text lacks are dropped on load."""
    from index.glossary import Glossary

    glossary = Glossary({"id": {"diplomasi nasional": ["pusat", "pemerintah pusat"],
                                "kepala daerah": ["gubernur", "wali kota"]}})
    assert glossary.apply("Gubernur dan pemerintah pusat", "id") \
        == "kepala daerah dan diplomasi nasional"
    assert glossary.apply("wali kota di pusatnya", "id") == "kepala daerah di pusatnya"
    assert glossary.apply("the governor", "en") == "the governor"  # no English entries
    assert glossary.split("tugas pokok pemerintah pusat", "id") \
        == (["diplomasi nasional"], "tugas pokok  ")
    assert glossary.split("the governor", "en") == ([], "the governor")

    path = tmp_path / "glossary.toml"
    path.write_text('[en]\n"regional heads" = ["governor"]\n"unicorns" = ["horses"]\n',
                    encoding="utf-8")
    loaded = Glossary.load(lambda term, language: term != "unicorns", path)
    assert loaded.apply("governor and horses", "en") == "regional heads and horses"


@pytest.mark.real_model
def test_every_glossary_term_is_a_term_of_the_seed_text(e5_engine):
    """The shipped glossary's terms are all words of the seed article's text (a misspelt
    term would silently do nothing)."""
    import tomllib

    from index.glossary import GLOSSARY_FILE

    table = tomllib.loads(GLOSSARY_FILE.read_text(encoding="utf-8"))
    missing = [(language, term) for language, terms in table.items() for term in terms
               if not e5_engine.searcher._in_text(term, language)]
    assert missing == []


@pytest.mark.real_model
@pytest.mark.parametrize("question, sentence", [
    ("hubungan paradiplomasi sama pemerintah pusat gimana?", 5),
    ("does it compete with the foreign ministry?", 5),
    ("apakah regulasi penting buat paradiplomasi?", 6),
])
def test_students_words_for_the_texts_terms_find_its_sentence(e5_engine, question, sentence):
    """"pemerintah pusat", "foreign ministry", "regulasi": a student's word for a term of
    the text (index/glossary.toml) finds the sentence with that term."""
    answer = e5_engine.answer(question)
    assert answer.best is not None and answer.best.id.endswith(f"abstract:{sentence}"), answer


def test_a_repeated_word_adds_little_in_a_sentence():
    """With the project's low term-frequency saturation, a sentence that has a word twice
    ("kepala daerah … otonomi daerah") scores barely above one that has it once."""
    bm25 = BM25([["kepala", "daerah", "otonomi", "daerah"], ["kepala", "daerah", "aktor"]])
    once, twice = bm25.scores(["daerah"])[1], bm25.scores(["daerah"])[0]
    assert twice > once and twice < 1.1 * once


@pytest.mark.real_model
@pytest.mark.parametrize("question, not_sentence", [
    ("what role do regional heads play?", 2),
    ("peran strategis kepala daerah menurut artikel ini apa?", 2),
])
def test_the_role_of_something_other_than_the_subject(e5_engine, question, not_sentence):
    """"role"/"peran" frame a question about regional heads: sentence 2's "paradiplomacy
    plays a strategic role" is not the answer; the role of the subject still is."""
    answer = e5_engine.answer(question)
    assert answer.best is not None and not answer.best.id.endswith(f"abstract:{not_sentence}")
    subject = e5_engine.answer("apa peran paradiplomasi?")
    assert subject.best is not None and subject.best.id.endswith("abstract:2"), subject


def test_glossary_reads_words_as_the_normaliser_writes_them():
    """A question reaches the glossary normalised ("pegawai pemda" as "pegawai pemerintah
    daerah"): each glossary word is also read in that form."""
    from index.glossary import Glossary

    glossary = Glossary({"id": {"birokrasi": ["pegawai pemda"]}}).read_as(
        lambda text, language: text.replace("pemda", "pemerintah daerah"))
    assert glossary.apply("pegawai pemerintah daerah", "id") == "birokrasi"
    assert glossary.apply("pegawai pemda", "id") == "birokrasi"
