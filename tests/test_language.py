import pytest

from index.language import LanguageDetector


@pytest.fixture(scope="module")
def detector():
    return LanguageDetector()


@pytest.mark.parametrize("text, expected", [
    ("penulis?", "id"), ("kapan terbit?", "id"), ("apa judulnya?", "id"), ("judul?", "id"),
    ("kata kunci", "id"), ("paradiplomasi itu apa sih", "id"), ("siapa author nya", "id"),
    ("multi-level governance itu apa?", "id"), ("jelasin dong soal otonomi daerah", "id"),
    ("Apa yang dimaksud dengan paradiplomasi?", "id"), ("kalo versi bibtex?", "id"),
    ("bikinin ringkasan", "id"),
    ("keywords?", "en"), ("title?", "en"), ("who wrote it", "en"), ("paradiplomacy?", "en"),
    ("What is the title of the article?", "en"), ("published when?", "en"),
    ("regional autonomy", "en"),
])
def test_short_questions(detector, text, expected):
    """Short and code-mixed questions get the language a student means."""
    assert detector.detect(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "???", "12345", "😀😀"])
def test_no_words_defaults_to_indonesian(detector, text):
    """Text without words falls back to Indonesian, the students' usual language."""
    assert detector.detect(text) == "id"


@pytest.mark.parametrize("text, language", [
    ("ringkasan singkat pls", "id"),
    ("mla pls", "en"),
    ("kesimpulannya?", "id"),
    ("penulisnya siapa", "id"),
])
def test_pls_decides_only_when_nothing_else_does_and_nya_is_indonesian(text, language):
    """"pls" is Indonesian chat too: it makes a message English only when no other word
    decides ("mla pls"); a "-nya" word is Indonesian ("kesimpulannya?")."""
    from index.language import LanguageDetector

    assert LanguageDetector().detect(text) == language


@pytest.mark.parametrize("text, language", [
    ("see ya later", "en"),
    ("gotta go, see you soon", "en"),
    ("makasih ya kak", "id"),
])
def test_see_and_later_are_english_so_ya_after_them_is_no_indonesian_marker(text, language):
    """"see ya later" is English: "see", "later", "gotta" and "soon" weigh against the
    Indonesian "ya"."""
    from index.language import LanguageDetector

    assert LanguageDetector().detect(text) == language


def test_in_text_is_a_citation_name_in_either_language():
    """"in-text" names a kind of citation: "kalo MLA in-text?" is Indonesian ("kalo")."""
    from index.language import LanguageDetector

    assert LanguageDetector().detect("kalo MLA in-text?", "id") == "id"
