"""Formatted references (index/references.py) against the style guides' rules."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest

from index.corpus import load_document
from index.references import (
    STYLES,
    Person,
    Reference,
    detect_style,
    format_reference,
    sentence_case,
)

SEED = Path(__file__).resolve().parent.parent / "corpus" / "paradiplomasi-kepala-daerah.toml"
TITLE = "Peran Strategis Kepala Daerah dalam Mendorong Paradiplomasi untuk Diplomasi Ekonomi Daerah"
TITLE_SENTENCE = ("Peran strategis kepala daerah dalam mendorong paradiplomasi untuk diplomasi "
                  "ekonomi daerah")
TRANSLATION = ("The strategic role of regional heads in encouraging paradiplomacy for regional "
               "economic diplomacy")
APA_AUTHORS = "Agustina, I., Febriyanti, A. I., Putri, D. N., & Prasetio, L. O."
FULL_NAMES = "Agustina, Istiq, Andini Ika Febriyanti, Desta Nindia Putri, and Luki Oka Prasetio"
IEEE_AUTHORS = "I. Agustina, A. I. Febriyanti, D. N. Putri, and L. O. Prasetio"
HARVARD_AUTHORS = "Agustina, I., Febriyanti, A.I., Putri, D.N. and Prasetio, L.O."
FULL_NAMES_ID = FULL_NAMES.replace(", and", ", dan")
IEEE_AUTHORS_ID = IEEE_AUTHORS.replace(", and", ", dan")
HARVARD_AUTHORS_ID = HARVARD_AUTHORS.replace(" and ", " dan ")
JOURNAL = "Jurnal Kebijakan Publik Daerah"
DOI = "10.1234/jkpd.v12i2.5678"


@pytest.fixture(scope="module")
def seed() -> Reference:
    return Reference.from_document(load_document(SEED))


@pytest.fixture(scope="module")
def full(seed: Reference) -> Reference:
    return dataclasses.replace(seed, journal=JOURNAL, volume="12", issue="2", pages="145-160",
                               doi=DOI)


def test_names_split_on_the_last_word(seed: Reference):
    """Indonesian names: the last word is the family name, the rest the given names."""
    assert seed.authors[1] == Person("Andini Ika", "Febriyanti")
    assert seed.authors[1].initials() == "A. I."
    assert Person.from_name("Sukarno") == Person("", "Sukarno")
    assert Person.from_name("Jean-Paul Sartre").initials() == "J.-P."


# -- the seed article: no journal, volume, pages or DOI ---------------------------------

SEED_EXPECTED = {
    ("apa", "id"): f"{APA_AUTHORS} (2025). {TITLE_SENTENCE}.",
    ("apa", "en"): f"{APA_AUTHORS} (2025). {TITLE_SENTENCE} [{TRANSLATION}].",
    ("mla", "en"): f"Agustina, Istiq, et al. “{TITLE}.” 2025.",
    ("mla", "id"): f"Agustina, Istiq, et al. “{TITLE}.” 2025.",
    ("chicago", "en"): f"{FULL_NAMES}. “{TITLE}.” 2025.",
    ("chicago", "id"): f"{FULL_NAMES_ID}. “{TITLE}.” 2025.",
    ("ieee", "en"): f"{IEEE_AUTHORS}, “{TITLE_SENTENCE},” Dec. 2025.",
    ("ieee", "id"): f"{IEEE_AUTHORS_ID}, “{TITLE_SENTENCE},” Des. 2025.",
    ("harvard", "en"): f"{HARVARD_AUTHORS} (2025) ‘{TITLE}’.",
    ("harvard", "id"): f"{HARVARD_AUTHORS_ID} (2025) ‘{TITLE}’.",
}


@pytest.mark.parametrize(("style", "language"), sorted(SEED_EXPECTED))
def test_seed_article_in_each_style(seed: Reference, style: str, language: str):
    """The seed article's reference, exactly, with nothing the corpus lacks (no journal)."""
    assert format_reference(seed, style, language) == SEED_EXPECTED[style, language]


def test_seed_bibtex_and_ris_exact(seed: Reference):
    """BibTeX and RIS of the seed article, exactly; the title braced against recasing."""
    assert format_reference(seed, "bibtex", "id") == (
        "@article{agustina2025peran,\n"
        "  author = {Agustina, Istiq and Febriyanti, Andini Ika and Putri, Desta Nindia and "
        "Prasetio, Luki Oka},\n"
        f"  title = {{{{{TITLE}}}}},\n"
        "  year = {2025},\n"
        "  month = dec,\n"
        "  language = {indonesian}\n"
        "}")
    assert format_reference(seed, "ris", "en") == "\n".join([
        "TY  - JOUR", "AU  - Agustina, Istiq", "AU  - Febriyanti, Andini Ika",
        "AU  - Putri, Desta Nindia", "AU  - Prasetio, Luki Oka", f"TI  - {TITLE}",
        "PY  - 2025", "DA  - 2025/12/30", "LA  - id", "ER  - "])


# -- a fuller article: journal, volume, issue, pages and DOI -----------------------------

FULL_EXPECTED = {
    "apa": (f"{APA_AUTHORS} (2025). {TITLE_SENTENCE}. {JOURNAL}, 12(2), 145–160. "
            f"https://doi.org/{DOI}"),
    "mla": (f"Agustina, Istiq, et al. “{TITLE}.” {JOURNAL}, vol. 12, no. 2, 2025, "
            f"pp. 145–60, https://doi.org/{DOI}."),
    "chicago": (f"{FULL_NAMES_ID}. “{TITLE}.” {JOURNAL} 12, no. 2 (2025): "
                f"145–60. https://doi.org/{DOI}."),
    "ieee": (f"{IEEE_AUTHORS_ID}, “{TITLE_SENTENCE},” {JOURNAL}, vol. 12, "
             f"no. 2, pp. 145–160, Des. 2025, doi: {DOI}."),
    "harvard": (f"{HARVARD_AUTHORS_ID} (2025) ‘{TITLE}’, {JOURNAL}, 12(2), "
                f"pp. 145–160. Tersedia di: https://doi.org/{DOI}."),
}


@pytest.mark.parametrize("style", sorted(FULL_EXPECTED))
def test_full_article_in_each_style(full: Reference, style: str):
    """With journal, volume, issue, pages and DOI, each style places them by its guide."""
    assert format_reference(full, style, "id") == FULL_EXPECTED[style]


def test_html_italicises_journal_and_volume(full: Reference):
    """HTML marks the journal (and APA's volume) in <i> and escapes the rest."""
    ref = dataclasses.replace(full, journal="Politik & Pemerintahan")
    assert "<i>Politik &amp; Pemerintahan</i>, <i>12</i>(2)" in format_reference(
        ref, "apa", "id", html=True)
    assert "<i>" not in format_reference(ref, "apa", "id")


def test_url_without_doi(seed: Reference):
    """A URL stands in for a missing DOI; Harvard adds the access date, IEEE "[Online]"."""
    ref = dataclasses.replace(seed, url="https://example.org/artikel/1")
    assert format_reference(ref, "apa", "id").endswith(" https://example.org/artikel/1")
    assert format_reference(ref, "mla", "en").endswith("2025, example.org/artikel/1.")
    assert format_reference(ref, "harvard", "en", accessed=dt.date(2026, 1, 5)).endswith(
        "Available at: https://example.org/artikel/1 (Accessed: 5 January 2026).")
    assert format_reference(ref, "ieee", "en").endswith(
        "Dec. 2025. [Online]. Available: https://example.org/artikel/1")


def test_author_counts(seed: Reference):
    """One and two authors, and the cut-offs: APA 20, IEEE 6, Chicago 10 names."""
    one = dataclasses.replace(seed, authors=seed.authors[:1])
    two = dataclasses.replace(seed, authors=seed.authors[:2])
    assert format_reference(one, "apa", "id").startswith("Agustina, I. (2025).")
    assert format_reference(two, "apa", "id").startswith("Agustina, I., & Febriyanti, A. I. (2025)")
    assert format_reference(two, "mla", "en").startswith(
        "Agustina, Istiq, and Andini Ika Febriyanti. “")
    assert format_reference(two, "chicago", "id").startswith(
        "Agustina, Istiq, dan Andini Ika Febriyanti. “")
    assert format_reference(two, "ieee", "en").startswith("I. Agustina and A. I. Febriyanti, “")
    many = dataclasses.replace(seed, authors=tuple(Person("Ana", f"Nama{i}") for i in range(22)))
    apa = format_reference(many, "apa", "en")
    assert "Nama18, A., . . . Nama21, A. (2025)" in apa and "Nama19" not in apa
    assert format_reference(many, "ieee", "en").startswith("A. Nama0 et al., “")
    assert format_reference(many, "chicago", "en").startswith(
        "Nama0, Ana, Ana Nama1, Ana Nama2, Ana Nama3, Ana Nama4, Ana Nama5, Ana Nama6, et al. “")


def test_page_ranges_abbreviated_by_each_guide(full: Reference):
    """Chicago (CMOS 9.61) and MLA shorten the second page number; APA and IEEE do not."""
    cases = {"95-102": ("95–102", "95–102"), "101-108": ("101–8", "101–08"),
             "1087-1089": ("1087–89", "1087–89"), "498-532": ("498–532", "498–532"),
             "100-104": ("100–104", "100–04"), "12": ("12", "12")}
    for pages, (chicago, mla) in cases.items():
        ref = dataclasses.replace(full, pages=pages)
        assert f": {chicago}." in format_reference(ref, "chicago", "en"), pages
        assert f"p{'p' if '-' in pages else ''}. {mla}," in format_reference(ref, "mla", "en")


def test_sentence_case_keeps_proper_nouns_and_acronyms():
    """Sentence case lowers title-cased words only; proper nouns, acronyms, mixed case stay."""
    nouns = frozenset({"Banten", "Indonesia"})
    title = "Paradiplomasi Provinsi Banten dan ASEAN: Studi Kasus e-KTP di Indonesia"
    assert sentence_case(title, nouns) == (
        "Paradiplomasi provinsi Banten dan ASEAN: Studi kasus e-KTP di Indonesia")
    assert sentence_case("Multi-Level Governance di Asia-Pasifik", frozenset({"Asia", "Pasifik"})) \
        == "Multi-level governance di Asia-Pasifik"


def test_proper_nouns_come_from_the_abstract(seed: Reference):
    """A title word capitalised mid-sentence in the abstract is a proper noun and kept."""
    ref = dataclasses.replace(seed, title="Paradiplomasi Pemerintah Provinsi Banten",
                              proper_nouns=frozenset({"Banten"}))
    assert "Paradiplomasi pemerintah provinsi Banten." in format_reference(ref, "apa", "id")
    assert "Dalam" not in seed.proper_nouns and "Paradiplomasi" not in seed.proper_nouns


def _parse_bibtex(text: str) -> tuple[str, str, dict[str, str]]:
    """A tiny BibTeX reader: one entry, fields `name = {balanced braces}` or `name = macro`."""
    m = re.fullmatch(r"@(\w+)\{([^,\s]+),\n(.*)\n\}", text, re.S)
    assert m, text
    kind, key, body = m.groups()
    fields: dict[str, str] = {}
    pos = 0
    while pos < len(body):
        fm = re.compile(r"\s*(\w+) = ").match(body, pos)
        assert fm, body[pos:]
        pos = fm.end()
        if body[pos] == "{":
            depth, start = 0, pos
            for pos in range(start, len(body)):
                depth += {"{": 1, "}": -1}.get(body[pos], 0) * (body[pos - 1] != "\\")
                if depth == 0:
                    break
            assert depth == 0, "unbalanced braces"
            fields[fm[1]] = body[start + 1:pos]
            pos += 1
        else:
            vm = re.compile(r"[a-z]+").match(body, pos)
            assert vm
            fields[fm[1]] = vm.group()
            pos = vm.end()
        assert body[pos:pos + 2] in (",\n", ""), body[pos:]
        pos += 2
    return kind, key, fields


def test_bibtex_parses_and_escapes(full: Reference):
    """BibTeX is one well-formed @article; LaTeX specials in values are escaped."""
    ref = dataclasses.replace(full, journal="Politik & Pemerintahan_50%", url="https://x.org/a")
    kind, key, fields = _parse_bibtex(format_reference(ref, "bibtex", "en"))
    assert (kind, key) == ("article", "agustina2025peran")
    assert fields["journal"] == r"Politik \& Pemerintahan\_50\%"
    assert fields["pages"] == "145--160" and fields["number"] == "2" and fields["month"] == "dec"
    assert fields["title"] == "{" + TITLE + "}"


def test_ris_lines_are_tag_value(full: Reference):
    """Every RIS line is `TAG  - value`; it starts with TY and ends with `ER  - `."""
    lines = format_reference(full, "ris", "id").split("\n")
    assert lines[0] == "TY  - JOUR" and lines[-1] == "ER  - "
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line) for line in lines)
    assert {"T2  - " + JOURNAL, "SP  - 145", "EP  - 160", "DO  - " + DOI} <= set(lines)


def test_every_style_renders_both_languages(full: Reference):
    """Each of STYLES gives a non-empty reference naming the first author, in both languages."""
    for style in STYLES:
        for language in ("id", "en"):
            assert "Agustina" in format_reference(full, style, language)
    with pytest.raises(ValueError):
        format_reference(full, "vancouver", "en")


# -- recognising a style in a message -----------------------------------------------------

@pytest.mark.parametrize(("text", "style"), [
    ("how do I cite this in APA?", "apa"),
    ("APA style reference please", "apa"),
    ("format apa", "apa"),
    ("sitasi apa 7 dong", "apa"),
    ("tolong buatkan daftar pustaka gaya apa", "apa"),
    ("mla format pls", "mla"),
    ("how to reference this article in chicago style", "chicago"),
    ("daftar pustaka format IEEE", "ieee"),
    ("harvard referencing?", "harvard"),
    ("format bibtex", "bibtex"),
    ("minta bib nya", "bibtex"),
    ("export to mendeley", "ris"),
    ("file RIS untuk zotero", "ris"),
    ("bisa buat endnote?", "ris"),
    ("APA or MLA?", "apa"),
    ("mla or apa style?", "mla"),
])
def test_detect_style_names(text: str, style: str):
    """Style names in students' messages, informal and in both languages, are recognised."""
    assert detect_style(text) == style


@pytest.mark.parametrize("text", [
    "apa itu paradiplomasi?",
    "APA ITU PARADIPLOMASI",
    "sitasinya pakai apa?",
    "format apa yang ada?",
    "cara sitasi artikel ini gimana?",
    "kesimpulannya apa?",
    "penulisnya siapa aja, terus metodenya apa",
    "apa bedanya paradiplomasi dan diplomasi?",
])
def test_detect_style_ignores_indonesian_apa(text: str):
    """Indonesian "apa" (= what) and messages naming no style give None."""
    assert detect_style(text) is None


def test_a_style_that_is_not_built_is_named_not_taken_for_another():
    """"vancouver" is a style the bot does not format: named, so the reply can say so;
    "ama" and "asa" are chat Indonesian ("sama", "hope"), never a style."""
    from index.references import unsupported_style

    assert unsupported_style("sitasi vancouver dong") == "Vancouver"
    assert unsupported_style("cite it in OSCOLA") == "OSCOLA"
    assert unsupported_style("samain ama yg tadi") is None
    assert unsupported_style("format apa aja yg ada?") is None


def test_in_text_citations_follow_each_guide(seed: Reference):
    """Three or more authors: the first "et al." in APA 7, MLA 9, Chicago author-date and
    Harvard; two authors joined ("&" in APA's parentheses, "and" elsewhere); one alone.
    IEEE cites by number, BibTeX by its key."""
    from index.references import asks_in_text, format_in_text

    assert format_in_text(seed, "apa", "en") == ("Parenthetical: (Agustina et al., 2025)\n"
                                                  "Narrative: Agustina et al. (2025)")
    assert format_in_text(seed, "mla", "id") == ("Dalam kurung: (Agustina et al.)\n"
                                                  "Naratif: Agustina et al.")
    assert "(Agustina et al. 2025)" in format_in_text(seed, "chicago", "en")
    assert format_in_text(seed, "bibtex", "en") == r"\cite{agustina2025peran}"
    assert format_in_text(seed, "ieee", "en").startswith("[1]")
    two = dataclasses.replace(seed, authors=seed.authors[:2])
    assert format_in_text(two, "apa", "en").splitlines() == [
        "Parenthetical: (Agustina & Febriyanti, 2025)", "Narrative: Agustina and Febriyanti (2025)"]
    one = dataclasses.replace(seed, authors=seed.authors[:1])
    assert "(Agustina, 2025)" in format_in_text(one, "harvard", "en")
    assert asks_in_text("in-text citation APA") and asks_in_text("sitasi dalam teks gimana")
    assert not asks_in_text("teks lengkapnya ada?")
