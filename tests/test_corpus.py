from pathlib import Path

import pytest

from index.corpus import CorpusError, corpus_files, corpus_hash, load_corpus


def test_real_corpus_loads_with_all_metadata():
    """The shipped article loads with title, translation, authors, keywords, date, both abstracts."""
    (doc,) = load_corpus(Path(__file__).parent.parent / "corpus")
    assert doc.id == "paradiplomasi-kepala-daerah"
    assert doc.title.startswith("Peran Strategis Kepala Daerah")
    assert doc.title_in("en") == (
        "The Strategic Role of Regional Heads in Encouraging Paradiplomacy for Regional "
        "Economic Diplomacy", True)
    assert doc.title_in("id") == (doc.title, False)
    assert [a.name for a in doc.authors][0] == "Istiq Agustina"
    assert len(doc.authors) == 4
    assert {a.affiliation for a in doc.authors} == {"Universitas Sultan Ageng Tirtayasa"}
    assert str(doc.published) == "2025-12-30"
    assert "Otonomi Daerah" in doc.keywords
    assert set(doc.abstract) == {"id", "en"}
    assert doc.abstract["en"].startswith("Paradiplomacy represents")


def test_several_documents_each_with_own_metadata(two_doc_corpus):
    """A second, English-only article loads beside the first with its own metadata."""
    docs = {d.id: d for d in load_corpus(two_doc_corpus)}
    assert set(docs) == {"paradiplomasi-kepala-daerah", "local-economic-diplomacy"}
    second = docs["local-economic-diplomacy"]
    assert second.language == "en" and set(second.abstract) == {"en"}
    assert second.title_in("id") is None


def _write(corpus: Path, name: str, text: str) -> None:
    (corpus / name).write_text(text, encoding="utf-8")


def _problems(corpus: Path) -> list[str]:
    with pytest.raises(CorpusError) as info:
        load_corpus(corpus)
    return info.value.problems


BASE = '''
title = "T"
language = "id"
published = 2025-01-01
[[authors]]
name = "A"
[abstract]
id = "Satu kalimat."
'''


def test_each_problem_is_one_line_naming_file_and_field(tmp_path):
    """Every problem of every file is reported, each as 'file: field: what is wrong'."""
    _write(tmp_path, "ok.toml", BASE)
    _write(tmp_path, "no-date.toml", BASE.replace("published = 2025-01-01\n", ""))
    _write(tmp_path, "bad-lang.toml", BASE.replace('language = "id"', 'language = "fr"'))
    _write(tmp_path, "extra.toml", 'colour = "blue"\n' + BASE)
    _write(tmp_path, "empty-abstract.toml", BASE.replace('id = "Satu kalimat."', 'id = "  "'))
    problems = _problems(tmp_path)
    assert len(problems) == 4
    assert all("\n" not in p for p in problems)
    joined = "\n".join(problems)
    assert "no-date.toml: published: Field required" in joined
    assert "bad-lang.toml: language:" in joined
    assert "extra.toml: colour: Extra inputs are not permitted" in joined
    assert "empty-abstract.toml: abstract:" in joined and "empty" in joined


def test_syntax_error_names_the_file(tmp_path):
    """Broken TOML is one line with the file and the parser's position."""
    _write(tmp_path, "broken.toml", 'title = "unterminated\n')
    (line,) = _problems(tmp_path)
    assert line.startswith(f"{tmp_path / 'broken.toml'}: (syntax): invalid TOML")


def test_file_name_becomes_id_and_must_be_simple(tmp_path):
    """A file name that cannot be an id is refused; an explicit id field is refused too."""
    _write(tmp_path, "Bad Name.toml", BASE)
    _write(tmp_path, "has-id.toml", 'id = "x"\n' + BASE)
    problems = _problems(tmp_path)
    assert any("Bad Name.toml: file name:" in p for p in problems)
    assert any("has-id.toml: id: not allowed" in p for p in problems)


def test_translation_must_be_into_the_other_language(tmp_path):
    """A 'translation' into the article's own language is refused."""
    _write(tmp_path, "t.toml", BASE + '[translation.id]\ntitle = "X"\n')
    (line,) = _problems(tmp_path)
    assert "translation.id" in line


def test_empty_or_missing_folder_is_an_error(tmp_path):
    """No documents is a clear error, not an empty index."""
    assert "no *.toml documents" in _problems(tmp_path)[0]
    assert "no such corpus folder" in _problems(tmp_path / "missing")[0]


def test_corpus_hash_changes_with_content(corpus_dir):
    """The hash recorded in the manifest follows every byte of the corpus."""
    before = corpus_hash(corpus_dir)
    path = corpus_files(corpus_dir)[0]
    path.write_text(path.read_text(encoding="utf-8") + "\n# edit\n", encoding="utf-8")
    assert corpus_hash(corpus_dir) != before


PUBLISHED_IN = '''
journal = "Jurnal Contoh"
volume = 5
issue = "2"
pages = "12 – 27"
doi = "https://doi.org/10.1234/jc.v5i2.101"
url = "https://jurnal.example.ac.id/index.php/jc/article/view/101"
pdf_url = "https://jurnal.example.ac.id/index.php/jc/article/download/101/88"
'''


def test_where_published_fields_are_optional_and_normalised(tmp_path):
    """Journal, volume, issue, pages, DOI and links load; numbers become text, DOIs bare."""
    _write(tmp_path, "a.toml", PUBLISHED_IN + BASE)
    _write(tmp_path, "b.toml", BASE)
    docs = {d.id: d for d in load_corpus(tmp_path)}
    a = docs["a"]
    assert (a.journal, a.volume, a.issue, a.pages) == ("Jurnal Contoh", "5", "2", "12-27")
    assert a.doi == "10.1234/jc.v5i2.101"
    assert a.doi_url == "https://doi.org/10.1234/jc.v5i2.101"
    assert a.url and a.url.endswith("/article/view/101")
    assert a.pdf_url and a.pdf_url.endswith("/download/101/88")
    b = docs["b"]
    assert (b.journal, b.volume, b.issue, b.pages, b.doi, b.url, b.pdf_url, b.doi_url) == (None,) * 8


def test_bad_where_published_fields_are_refused(tmp_path):
    """A malformed DOI, page range or address is one line naming the field."""
    _write(tmp_path, "d.toml", 'doi = "not a doi"\n' + BASE)
    _write(tmp_path, "p.toml", 'pages = "twelve"\n' + BASE)
    _write(tmp_path, "u.toml", 'url = "ftp://x.org/a"\n' + BASE)
    _write(tmp_path, "j.toml", 'journal = ""\n' + BASE)
    joined = "\n".join(_problems(tmp_path))
    assert "d.toml: doi: 'not a doi' is not a DOI" in joined
    assert "p.toml: pages: 'twelve' is not a page" in joined
    assert "u.toml: url: 'ftp://x.org/a' is not an http(s) address" in joined
    assert "j.toml: journal:" in joined
