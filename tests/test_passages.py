from pathlib import Path

from index.corpus import load_corpus
from index.passages import (
    MAX_PASSAGE_CHARS,
    corpus_passages,
    cut_long,
    document_passages,
    split_sentences,
)

CORPUS = Path(__file__).parent.parent / "corpus"


def test_abstracts_are_parallel_sentences_with_partners():
    """Six sentences per abstract, each pointing at its translation in the other language."""
    passages = corpus_passages(load_corpus(CORPUS))
    by_id = {p.id: p for p in passages}
    abstract = [p for p in passages if p.section == "abstract"]
    assert len([p for p in abstract if p.language == "id"]) == 6
    assert len([p for p in abstract if p.language == "en"]) == 6
    for p in passages:
        assert p.partner is not None
        partner = by_id[p.partner]
        assert partner.partner == p.id
        assert partner.language != p.language
        assert (partner.section, partner.position) == (p.section, p.position)
    first = by_id["paradiplomasi-kepala-daerah:id:abstract:1"]
    assert first.text.startswith("Paradiplomasi merupakan wujud")
    assert first.partner is not None
    assert by_id[first.partner].text.startswith("Paradiplomacy represents")


def test_every_passage_fits_a_phone_screen():
    """No passage is longer than MAX_PASSAGE_CHARS."""
    assert all(len(p.text) <= MAX_PASSAGE_CHARS for p in corpus_passages(load_corpus(CORPUS)))


def test_metadata_becomes_sentences_in_both_languages():
    """Authors, date, keywords and title read as sentences in Indonesian and English."""
    texts = {(p.language, p.section): p.text for p in corpus_passages(load_corpus(CORPUS))}
    assert texts[("id", "authors")].startswith("Artikel ini ditulis oleh Istiq Agustina")
    assert "Luki Oka Prasetio" in texts[("id", "authors")]
    assert "Universitas Sultan Ageng Tirtayasa" in texts[("en", "authors")]
    assert "30 Desember 2025" in texts[("id", "published")]
    assert "30 December 2025" in texts[("en", "published")]
    assert "Tata Kelola Pemerintahan" in texts[("id", "keywords")]
    assert "Regional Autonomy" in texts[("en", "keywords")]
    assert "our translation" in texts[("en", "title")]
    assert "Peran Strategis Kepala Daerah" in texts[("en", "title")]


def test_passages_are_grouped_by_language():
    """All Indonesian passages come before all English ones (contiguous search ranges)."""
    langs = [p.language for p in corpus_passages(load_corpus(CORPUS))]
    assert langs == sorted(langs, key=["id", "en"].index)


def test_sentence_split_keeps_abbreviations():
    """Abbreviations and initials do not end a sentence; real boundaries do."""
    text = "Menurut Agustina dkk. 2020, daerah penting. Lihat J. Smith, e.g. 2019! Selesai?"
    assert split_sentences(text) == [
        "Menurut Agustina dkk. 2020, daerah penting.",
        "Lihat J. Smith, e.g. 2019!",
        "Selesai?",
    ]


def test_long_sentence_is_cut_at_clause_boundaries():
    """A long sentence is cut at commas into parts within the limit, losing no word."""
    sentence = ", ".join(f"bagian nomor {i} dari kalimat yang panjang sekali" for i in range(20))
    parts = cut_long(sentence, 120)
    assert all(len(p) <= 120 for p in parts)
    assert " ".join(parts).split() == sentence.split()
    assert all(p.endswith(",") for p in parts[:-1])


def test_unparallel_abstracts_get_no_partner(tmp_path, caplog):
    """Abstracts with different sentence counts are kept but not paired, with a warning."""
    (tmp_path / "x.toml").write_text('''
title = "T"
language = "id"
published = 2025-01-01
[[authors]]
name = "A"
[abstract]
id = "Satu. Dua. Tiga."
en = "One. Two."
''', encoding="utf-8")
    (doc,) = load_corpus(tmp_path)
    passages = document_passages(doc)
    abstract = [p for p in passages if p.section == "abstract"]
    assert len(abstract) == 5
    assert all(p.partner is None for p in abstract)
    assert "not sentence-parallel" in caplog.text


def test_one_citation_for_several_abstract_sentences():
    """A summary's sentences share one citation: "Abstrak, kalimat 1, 3 dan 6 — Agustina
    dkk. (2025)"; other passages have none together."""
    from index.citation import cite_sentences
    from index.passages import document_passages

    doc = load_corpus(Path("corpus"))[0]
    abstract = [p for p in document_passages(doc) if p.section == "abstract"
                and p.language == "id"]
    picked = [abstract[0], abstract[2], abstract[5]]
    assert cite_sentences(picked, doc, "id") == "Abstrak, kalimat 1, 3 dan 6 — Agustina dkk. (2025)"
    assert cite_sentences(picked[:2], None, "en") == "Abstract, sentences 1 and 3"
    assert cite_sentences(picked[:1], doc, "id") is None


def test_a_sentence_naming_the_subject_by_a_demonstrative_is_resolved(tmp_path):
    """"praktik ini" / "this practice" in a sentence without the subject is read as the
    subject (the first keyword found in two thirds of the abstract's sentences); sentences
    that name it, and articles whose keywords are no such subject, get nothing."""
    (tmp_path / "x.toml").write_text('''
title = "T"
language = "id"
published = 2025-01-01
keywords = ["Ekonomi", "Paradiplomasi"]
[[authors]]
name = "A"
[translation.en]
keywords = ["Economy", "Paradiplomacy"]
[abstract]
id = "Paradiplomasi itu kerja sama. Paradiplomasi juga diplomasi. Keberhasilan praktik ini ditentukan pemimpin."
en = "Paradiplomacy is cooperation. Paradiplomacy is also diplomacy. The success of this practice depends on leaders."
''', encoding="utf-8")
    (doc,) = load_corpus(tmp_path)
    resolved = {p.id.split(":", 1)[1]: p.resolved for p in document_passages(doc)
                if p.section == "abstract"}
    assert resolved == {
        "id:abstract:1": None, "id:abstract:2": None,
        "id:abstract:3": "Keberhasilan paradiplomasi ditentukan pemimpin.",
        "en:abstract:1": None, "en:abstract:2": None,
        "en:abstract:3": "The success of paradiplomacy depends on leaders.",
    }
    third = next(p for p in document_passages(doc) if p.id.endswith("id:abstract:3"))
    assert third.lexical_text == third.resolved  # what BM25 reads

    (tmp_path / "x.toml").write_text((tmp_path / "x.toml").read_text(encoding="utf-8")
                                     .replace('"Paradiplomasi"]', '"Otonomi"]')
                                     .replace('"Paradiplomacy"]', '"Autonomy"]'),
                                     encoding="utf-8")
    (doc,) = load_corpus(tmp_path)
    assert all(p.resolved is None for p in document_passages(doc))


def test_a_resolved_sentence_is_embedded_as_both_texts(fake_engine, fake_embedder):
    """The vector of a sentence with a resolved text is the normalised mean of the vectors
    of the sentence and of its resolved text (the sentence as written still counts)."""
    import numpy as np

    searcher = fake_engine.searcher
    (i, passage), = [(i, p) for i, p in enumerate(searcher.passages)
                     if p.resolved is not None and p.language == "id"]
    both = fake_embedder.embed_passages([passage.text, passage.resolved])
    mean = both.mean(axis=0)
    stored = searcher.stored.index.reconstruct(i)
    assert np.allclose(stored, mean / np.linalg.norm(mean), atol=1e-5)
