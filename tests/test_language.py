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
