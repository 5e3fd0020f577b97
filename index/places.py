"""Places a question names: countries and their provinces, states and regions (ISO 3166).

"how does Quebec do paradiplomacy?" or "paradiplomasi di Jepang gimana?" is near the topic:
the dense model finds the abstract's definition of paradiplomacy very close. When the corpus
never mentions the place, the honest reply is that the article does not discuss it, not the
general definition. Names come from pycountry (the ISO 3166 tables, maintained with the
Debian iso-codes project): countries in English and Indonesian, and their subdivisions by
their own and English names.
"""

from __future__ import annotations

import functools
import gettext
import re
import unicodedata
from collections.abc import Iterable

from index.text import ENGLISH_STOP_WORDS, is_indonesian_root, words

# Shorter names are too often words or abbreviations ("Ha", "Ica").
MIN_NAME_LETTERS = 4
# Subdivision names that are ordinary English words ("Central", "Northern" in a dozen
# countries): a question using them names no place.
_GENERIC = frozenset("""
central centre center north northern south southern east eastern west western capital coast
coastal upper lower middle island islands lakes lake river valley mountain highlands plains
national federal district region regional province state city metropolitan special southeast
northeast southwest northwest interior littoral border frontier
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
    return names


# The country an Indonesian-language article about "daerah" and "otonomi daerah" is about,
# though its abstract never names it: "paradiplomasi di Indonesia" is the article's topic.
HOME = {"id": ("indonesia",)}


class Places:
    """Finds the places a text names that the corpus never mentions, longest names first."""

    def __init__(self, names: dict[str, str], corpus: Iterable[str], languages: Iterable[str]):
        vocabulary: set[str] = set()
        for text in corpus:
            vocabulary.update(words(fold(text)))
        home = {name for lang in languages for name in HOME.get(lang, ())}
        # a name all of whose words the corpus uses counts as mentioned (never refuse wrongly)
        self._names = {k: v for k, v in names.items()
                       if k not in home and not all(w in vocabulary for w in k.split())}
        self._longest = max((n.count(" ") + 1 for n in self._names), default=0)

    def unknown(self, text: str) -> list[str]:
        """The places ``text`` names that the corpus does not, as shown ("Quebec", "Jepang")."""
        tokens = words(fold(text))
        found: list[str] = []
        i = 0
        while i < len(tokens):
            for n in range(min(self._longest, len(tokens) - i), 0, -1):
                name = self._names.get(" ".join(tokens[i:i + n]))
                if name is not None:
                    found.append(name)
                    i += n
                    break
            else:
                i += 1
        return found
