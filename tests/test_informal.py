"""Chat language normalised before search: lexicon, fillers, typos against the index."""

import pytest

from index.informal import Normalizer

VOCABULARY = {"id": {"paradiplomasi", "kepemimpinan", "diplomasi", "daerah", "ekonomi"},
              "en": {"paradiplomacy", "leadership", "competitiveness"}}


@pytest.fixture
def normalizer() -> Normalizer:
    return Normalizer(VOCABULARY, steps="typos")


@pytest.mark.parametrize("typed, read", [
    ("gmn peran kepala daerah", "bagaimana peran kepala daerah"),
    ("yg nulis siapa", "yang menulis siapa"),
    ("knp penting bgt", "kenapa penting banget"),
    ("paradiplomasi tuh apaan sih kak", "paradiplomasi apa"),
    ("definisi paradiplomasi dong min", "definisi paradiplomasi"),
    ("apaaa itu paradiplomasiii", "apa itu paradiplomasi"),
    ("nilai ekspor tahun 2024 brp", "nilai ekspor tahun 2024 berapa"),
    ("tl;dr dong", "tldr"),
])
def test_colloquial_indonesian_is_read_formally(normalizer, typed, read):
    """Slang from the lexicon becomes formal words; particles and forms of address go."""
    assert normalizer.normalize(typed, "id").text == read


@pytest.mark.parametrize("typed, read", [
    ("whats paradiplomacy", "what is paradiplomacy"),
    ("can u explain leadership pls", "can you explain leadership"),
    ("why is it important tbh", "why is it important"),
])
def test_casual_english_is_read_plainly(normalizer, typed, read):
    """Casual spellings are expanded; "pls" and "tbh" carry nothing."""
    assert normalizer.normalize(typed, "en").text == read


def test_typos_are_mended_only_towards_the_index_vocabulary(normalizer):
    """One or two edits from exactly one index word: mended; otherwise left as typed."""
    assert normalizer.normalize("pengertian paradiplomsi", "id").text == "pengertian paradiplomasi"
    assert normalizer.normalize("kepemimpnan daerah", "id").text == "kepemimpinan daerah"
    assert normalizer.normalize("what is leadrship", "en").text == "what is leadership"
    assert normalizer.normalize("kalkulus", "id").text == "kalkulus"  # nothing near
    assert normalizer.normalize("ekon", "id").text == "ekon"  # too short to guess
    assert normalizer.normalize("xaradiplomasi", "id").text == "xaradiplomasi"  # first letter


def test_ambiguous_typos_are_not_guessed():
    """A word equally near two index words is left as typed."""
    normalizer = Normalizer({"id": {"kebijakan", "kebijaksan"}}, steps="typos")
    assert normalizer.normalize("kebijakxn", "id").text in ("kebijakxn", "kebijakan")
    two = Normalizer({"id": {"abcdefg", "abcdefh"}}, steps="typos")
    assert two.normalize("abcdefx", "id").text == "abcdefx"


def test_no_steps_leaves_the_text_alone():
    """steps="none" is the baseline the evaluation compares with."""
    assert Normalizer(VOCABULARY, steps="none").normalize("yg gmn sih", "id").text == "yg gmn sih"


def test_changes_are_reported(normalizer):
    """What was read differently is listed (as typed -> as read; fillers -> "")."""
    changed = normalizer.normalize("yg nulis sih", "id").changed
    assert ("yg", "yang") in changed and ("sih", "") in changed


def test_typos_are_off_by_default():
    """The typo step is measured, not applied: the default reads chat words only."""
    assert Normalizer(VOCABULARY).normalize("paradiplomsi yg", "id").text == "paradiplomsi yang"


@pytest.mark.parametrize("typed, read", [
    ("APA itu paradiplomasi", "apa itu paradiplomasi"),
    ("APA ITU PARADIPLOMASI", "apa itu paradiplomasi"),
    ("KENAPA KEPALA DAERAH PENTING", "kenapa kepala daerah penting"),
    ("format MLA dong", "format MLA"),
    ("sitasi IEEE", "sitasi IEEE"),
])
def test_capitals_are_read_as_meant(normalizer, typed, read):
    """A message in capitals is read in lower case; one capitalised word of the language is
    too, but an acronym the language does not know ("MLA", "IEEE") keeps its capitals."""
    assert normalizer.normalize(typed, "id").text == read


@pytest.mark.parametrize("typed, read", [
    ("ujung2nya buat apa", "ujung-ujungnya untuk apa"),
    ("kenapa ikut2an", "kenapa ikut-ikutan"),
    ("faktor yg dibutuhin", "faktor yang dibutuhkan"),
    ("kalo dijalanin", "kalau dijalankan"),
    ("klo kyk gitu", "kalau seperti begitu"),
    ("pemda ngapain", "pemerintah daerah melakukan apa"),
    ("otda itu apa", "otonomi daerah itu apa"),
    ("ingin main", "ingin main"),
])
def test_chat_morphology_is_read_formally(normalizer, typed, read):
    """A 2 writes reduplication, Jakarta "-in" is "-kan"/"-i" when the dictionary knows the
    root (never for standard words such as "ingin", "main"), and slang chains are followed."""
    assert normalizer.normalize(typed, "id").text == read


def test_control_characters_read_as_spaces():
    """A NUL or escape inside a message separates words instead of gluing them; a terminal
    colour code ("\\x1b[31m") is no word."""
    from index.text import normalize

    assert normalize("apa\x00itu\x1bparadiplomasi\t?") == "apa itu paradiplomasi ?"
    assert normalize("apa\x07 itu\x1b[31m paradiplomasi\x1b[0m") == "apa itu paradiplomasi"


@pytest.mark.parametrize("typed, language, read", [
    ("jurnal ini tentang apa", "id", "artikel ini tentang apa"),
    ("isi jurnalnya apa", "id", "isi artikelnya apa"),
    ("what is this journal about", "en", "what is this article about"),
    ("terbit di jurnal apa", "id", "terbit di jurnal apa"),
    ("which journal is it in", "en", "which journal is it in"),
])
def test_the_article_called_a_journal_is_the_article(normalizer, typed, language, read):
    """Students call the article a "jurnal": "jurnal ini", "isi jurnal", "this journal" are
    the article; asking in which journal it appeared keeps the word."""
    assert normalizer.normalize(typed, language).text == read


def test_misspelt_key_terms_are_mended_by_default():
    """The long words of titles and keyword lists are mended without the typo step
    ("paradiplomsi", "pradiplomasi"); shorter words are not ("diplomat" is a word, two
    edits from "diplomasi"), nor words of the index, nor two equally near terms."""
    normalizer = Normalizer(VOCABULARY, key_terms=["paradiplomasi", "paradiplomacy",
                                                   "kepemimpinan", "diplomasi"])
    assert normalizer.normalize("paradiplomsi itu apa", "id").text == "paradiplomasi itu apa"
    assert normalizer.normalize("pradiplomasi apa", "id").text == "paradiplomasi apa"
    assert normalizer.normalize("kepemimpnan penting", "id").text == "kepemimpinan penting"
    assert normalizer.normalize("siapa diplomat terkenal", "id").text \
        == "siapa diplomat terkenal"
    assert normalizer.normalize("paradiplomacy itu apa", "id").text == "paradiplomacy itu apa"


def test_key_terms_mend_misspellings_but_never_a_known_word():
    """A long word one edit from a key term is read as it ("ringkesan" -> "ringkasan"); a word
    known to be spelt right ("penelitian", a word of the intents' examples) is left alone,
    though it is one edit from "penelitinya"."""
    normalizer = Normalizer({"id": {"artikel"}}, key_terms=["ringkasan", "penelitinya"],
                            known=["penelitian"])
    assert normalizer.normalize("ringkesan artikel", "id").text == "ringkasan artikel"
    assert normalizer.normalize("penelitian ini", "id").text == "penelitian ini"
    assert Normalizer({"id": {"artikel"}}, key_terms=["penelitinya"]).normalize(
        "penelitian ini", "id").text == "penelitinya ini"  # what "known" prevents


def test_short_key_terms_are_mended_one_edit_and_run_together_words_split():
    """A six-letter key word typed wrong is mended one edit ("keplaa" -> "kepala"), two key
    words run together are split ("kepaladaerah"), and a five-letter word is left alone
    ("darah" is blood, not "daerah")."""
    normalizer = Normalizer({"id": {"artikel"}}, key_terms=["kepala", "daerah"])
    assert normalizer.normalize("keplaa daerah", "id").text == "kepala daerah"
    assert normalizer.normalize("kepaladaerah", "id").text == "kepala daerah"
    assert normalizer.normalize("donor darah", "id").text == "donor darah"


@pytest.mark.parametrize("typed, read", [
    ("well, what is paradiplomacy?", ", what is paradiplomacy?"),
    ("so who wrote it", "who wrote it"),
    ("does it work well?", "does it work well?"),
    ("what is it like in practice", "what is it like in practice"),
])
def test_well_so_and_like_are_fillers_only_when_they_open(typed, read):
    assert Normalizer(VOCABULARY).normalize(typed, "en").text == read


def test_a_word_of_the_dictionary_is_never_mended_to_a_key_term():
    """"situasi" is an Indonesian word, not a misspelt "sitasi" (a key term when it is a cue
    word); "paradiplomsi" is still mended."""
    normalizer = Normalizer({"id": {"sitasi", "paradiplomasi"}},
                            key_terms=["sitasi", "paradiplomasi"])
    assert normalizer.normalize("situasi internasional", "id").text == "situasi internasional"
    assert normalizer.normalize("paradiplomsi itu apa", "id").text == "paradiplomasi itu apa"


def test_two_index_words_typed_as_one_are_split_once_unambiguous():
    """"kerjasama" is the text's "kerja sama" (and "kerjasamanya" its own); a word of the
    index ("paradiplomasi", "paradiplomasinya") or a split with a short part ("bersama") is
    left as typed."""
    normalizer = Normalizer({"id": {"kerja", "sama", "para", "diplomasi", "paradiplomasi"}})
    assert normalizer.normalize("kerjasama daerah", "id").text == "kerja sama daerah"
    assert normalizer.normalize("kerjasamanya gimana", "id").text == "kerja samanya bagaimana"
    assert normalizer.normalize("paradiplomasinya", "id").text == "paradiplomasinya"
    assert normalizer.normalize("bersama", "id").text == "bersama"


def test_british_spellings_are_read_as_the_index_spells_them():
    normalizer = Normalizer({"en": {"globalization", "decentralization"}})
    assert normalizer.normalize("globalisation and decentralisation or smth?", "en").text \
        == "globalization and decentralization or something?"
    assert normalizer.normalize("organisation", "en").text == "organisation"  # not indexed
    assert normalizer.normalize("advise", "en").text == "advise"
