"""Chat language to search language: colloquial Indonesian and casual English normalised,
typos mended against the index's own vocabulary, fillers and greetings left out.

Students write "paradiplomasi tuh apaan sih kak" or "whats the deal w/ leadership pls"; the
passages are formal. Three steps, each measured on the student sets
(``python -m index evaluate FILE --normalize none|lexicon|typos``, figures in
docs/students.md). Steps 1 and 2 (``lexicon``, the default) helped; step 3 (``typos``) changed
nothing on either student set, since the dense model already reads most typos, so it is off
by default and kept only as a measured option:

1. **Lexicon.** Indonesian slang and abbreviations from the Colloquial Indonesian Lexicon
   (Salsabila et al., "kamus alay", as shipped by the ``indoNLP`` package: 4,300 entries such
   as yg → yang, gmn → bagaimana, nentuin → menentukan), plus the few chat words it lacks;
   casual English spellings (whats, u, pls, abt).
   Capitals are read as the student meant them: a message typed in capitals ("APA ITU
   PARADIPLOMASI") is read in lower case, and a capitalised word inside a normal message
   ("APA itu paradiplomasi") when it is a word of the language or of the index, not an
   acronym ("format MLA", "IEEE"). The cased model reads "APA" as another token than "apa".
2. **Fillers out.** Discourse particles and forms of address (sih, dong, tuh, kak, min, pls,
   bro) carry no content: left in, they pull the dense vector towards chatty text and add
   noise to BM25.
3. **Typos.** A word the index does not know is replaced by the index word it is one or two
   edits away from (Damerau-Levenshtein, with rapidfuzz), when exactly one such word is
   nearest: "paradiplomsi" → "paradiplomasi". Only the index's own words are targets, so a
   typo can never turn into a word the article does not use.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from rapidfuzz.distance import DamerauLevenshtein
from rapidfuzz.process import extract

from index.language import ENGLISH_MARKERS, INDONESIAN_MARKERS
from index.text import indonesian_root

Steps = Literal["none", "lexicon", "typos"]
STEPS: tuple[Steps, ...] = ("none", "lexicon", "typos")

SHOUTING_SHARE = 0.7  # of a message's letters in capitals: typed with caps lock, not acronyms
SHOUTING_MIN_LETTERS = 6  # "DOI?", "APA" alone may be acronyms
MIN_TYPO_LENGTH = 5  # shorter words have too many one-edit neighbours to guess from
# Key terms (long words of titles and keyword lists) are mended by default: "paradiplomsi" is
# refused otherwise. Shorter words have real words one or two edits away ("diplomat").
MIN_KEY_TERM_LENGTH = 6
# A word this short or shorter is mended only one edit (and words of five letters not at all:
# "darah" is no misspelt "daerah"); longer ones two
KEY_TERM_ONE_EDIT_MAX = 9
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*|\d+(?:[.,]\d+)*|\S")  # numbers whole: "2024"
_ELONGATED = re.compile(r"([a-z])\1{2,}")  # "apaaa" -> "apa", "sihhh" -> "sih"
# "ikut2an", "ujung2nya", "gara2": a 2 writes the reduplication ("ikut-ikutan").
_REDUPLICATED = re.compile(r"\b([^\W\d_]{2,}?)2([^\W\d_]*)\b")
# Students call the article a "jurnal": "jurnal ini tentang apa", "isi jurnalnya" and "this
# journal" ask about the article, not for the journal it appeared in ("jurnalnya apa?",
# "terbit di jurnal apa?", "which journal?").
_JOURNAL_AS_ARTICLE = {
    "id": re.compile(r"\bjurnal(?=\s+(?:ini|tersebut)\b)|(?<=\bisi\s)jurnal", re.IGNORECASE),
    "en": re.compile(r"(?<=\bthis\s)journal\b", re.IGNORECASE),
}
ARTICLE = {"id": "artikel", "en": "article"}
# "tl;dr", "tl dr": one word split by its punctuation ("dr" alone is Indonesian "dari")
_TLDR = re.compile(r"\btl\s*[;:,./]?\s*dr\b", re.IGNORECASE)
# "kok bisa?", "kok gitu?" (how come?) ask why; "kok" alone is a particle and dropped
_HOW_COME = re.compile(r"\bkok(?=\s+(?:bisa|gitu|gt|begitu|gini|penting)\b)", re.IGNORECASE)
# Jakarta "-in" for the standard "-kan"/"-i" ("dijalanin", "dibutuhin", "ngelengkapin"), with the
# colloquial nasal prefixes' standard forms; a reading is kept only when Sastrawi's dictionary
# knows its root, so "ingin" or "main" are never rewritten.
_COLLOQUIAL_PREFIXES = (("nge", "me"), ("ng", "meng"), ("ny", "meny"), ("", ""))
MIN_IN_WORD = 6  # "dijalanin": shorter words ending in -in are standard words (ingin, main)
# Two words of the index typed as one ("kerjasama" for the text's "kerja sama"): each part at
# least this long ("bersama" is no "ber" + "sama")
MIN_JOINED_PART = 4
# British spellings of the -ize words of an English index ("globalisation", "organised")
_BRITISH = re.compile(r"is(?=(?:ation|ations|e|ed|es|ing)$)")

# Chat Indonesian the lexicon lacks, or maps to something unhelpful for search.
INDONESIAN_EXTRA = {
    "apaan": "apa", "apasih": "apa", "gmna": "bagaimana", "gimana": "bagaimana",
    "ngaruh": "berpengaruh", "ngelengkapin": "melengkapi", "jelasin": "jelaskan",
    "kerjain": "kerjakan", "ngejelasin": "menjelaskan", "nulis": "menulis",
    "nyebutin": "menyebutkan", "sebutin": "sebutkan", "ngebahas": "membahas",
    "bahas": "membahas", "pake": "pakai", "dipake": "dipakai", "buat": "untuk",
    "gunanya": "gunanya", "knp": "kenapa", "emg": "memang", "ttg": "tentang",
    "pny": "punya", "krn": "karena", "tgl": "tanggal", "thn": "tahun", "org": "orang",
    "kalo": "kalau", "biar": "agar", "bikin": "membuat", "dibikin": "dibuat",
    "pengen": "ingin", "pengin": "ingin", "kayak": "seperti", "ngapain": "melakukan apa",
    "duluan": "lebih dahulu", "nyambung": "berhubungan", "cuman": "cuma",
    # Government abbreviations every student uses for the article's actors.
    "pemda": "pemerintah daerah", "pemkot": "pemerintah kota", "pemkab": "pemerintah kabupaten",
    "pemprov": "pemerintah provinsi", "pempus": "pemerintah pusat",
    "otda": "otonomi daerah", "kada": "kepala daerah", "walkot": "walikota",
}

# Particles, interjections and forms of address: no content, whatever the sentence.
INDONESIAN_FILLERS = frozenset("""
sih dong deh tuh nih kok lho loh lah kan kak kakak ka min mimin admin bang bro sis gan
mas mbak pak bu bapak ibu yuk yah ya ye wkwk wkwkwk haha hehe hihi eh ah oh nah tolong
plis pliss please mohon bantu bantuin infoin ok oke okay okey btw
""".split())

ENGLISH_EXTRA = {
    "whats": "what is", "what's": "what is", "wats": "what is", "wat": "what", "u": "you",
    "ur": "your", "r": "are", "abt": "about", "bc": "because", "cuz": "because", "coz": "because",
    "tho": "though", "thx": "thanks", "ty": "thanks", "pls": "please", "plz": "please",
    "w/": "with", "w/o": "without", "ppl": "people", "govt": "government", "gov": "government",
    "info": "information", "hows": "how is", "whos": "who is", "wheres": "where is",
    "whys": "why is", "isnt": "is not", "doesnt": "does not", "dont": "do not",
    "cant": "cannot", "ya": "you", "wanna": "want to", "gonna": "going to", "gimme": "give me",
    "lemme": "let me", "tbh": "", "btw": "", "idk": "i do not know", "tldr": "summary",
    "smth": "something", "sth": "something", "bcs": "because", "bcoz": "because",
}
ENGLISH_FILLERS = frozenset("""
pls plz please hey hi hello yo bro sis dude man lol lmao haha hehe okay ok um uh hmm so
well like just kindly btw
""".split())
# ... at the start of a message ("well, what is it?", "so who wrote it?"); later they mean
# something ("does it work well?", "what is it like?")
OPENING_ONLY = frozenset("well so like".split())


@functools.cache
def _indonesian_lexicon() -> dict[str, str]:
    from indoNLP.preprocessing.slang_data import SLANG_DATA

    lexicon = dict(SLANG_DATA)
    lexicon.update(INDONESIAN_EXTRA)
    return lexicon


def _standard_suffix(word: str) -> str | None:
    """"dijalanin" -> "dijalankan", "ngelengkapin" -> "melengkapi": -in read as -kan or -i."""
    if len(word) < MIN_IN_WORD or not word.endswith("in") or indonesian_root(word) is not None:
        return None
    base = word[:-2]
    for colloquial, standard in _COLLOQUIAL_PREFIXES:
        if not base.startswith(colloquial):
            continue
        stem = standard + base[len(colloquial):]
        for suffix in ("kan", "i"):
            if indonesian_root(stem + suffix) not in (None, stem + suffix):
                return stem + suffix
    return None


def _read_word(word: str, language: str) -> str:
    """A chat word as the lexicon reads it, following chains ("klo" -> "kalo" -> "kalau")."""
    lexicon = _lexicon(language)
    seen = {word}
    read = lexicon.get(word, word)
    while read in lexicon and read not in seen:
        seen.add(read)
        read = lexicon[read]
    if read == word and language == "id":
        read = _standard_suffix(word) or word
    return read


def _lexicon(language: str) -> dict[str, str]:
    return _indonesian_lexicon() if language == "id" else ENGLISH_EXTRA


def _fillers(language: str) -> frozenset[str]:
    return INDONESIAN_FILLERS if language == "id" else ENGLISH_FILLERS


@dataclass(frozen=True)
class Normalized:
    text: str  # what search, the intent recogniser and the embedder see
    changed: tuple[tuple[str, str], ...] = ()  # (as typed, as read), for logs and evaluation


class Normalizer:
    """Normalises questions in one index's vocabulary. Read-only after construction."""

    def __init__(self, vocabulary: Mapping[str, Iterable[str]] | None = None,
                 steps: Steps = "lexicon", key_terms: Iterable[str] = (),
                 known: Iterable[str] = ()):
        self.steps = steps
        self._known = frozenset(known)  # correct words besides the index's: never mended
        self._vocabulary = {lang: frozenset(words) for lang, words in (vocabulary or {}).items()}
        self._choices = {lang: sorted(words) for lang, words in self._vocabulary.items()}
        self._key_terms = sorted({w for w in key_terms if len(w) >= MIN_KEY_TERM_LENGTH})
        self._key_term_set = frozenset(self._key_terms)

    def with_steps(self, steps: Steps) -> Normalizer:
        """The same vocabulary with other steps (the evaluation measures each step)."""
        return Normalizer(self._vocabulary, steps, self._key_terms, self._known)

    def normalize(self, text: str, language: str) -> Normalized:
        if self.steps == "none":
            return Normalized(text)
        fillers = _fillers(language)
        out: list[str] = []
        changed: list[tuple[str, str]] = []
        shouting = _is_shouting(text)
        text = _phrases(text, language)
        for token in _WORD.findall(text):
            word = token.lower()
            if shouting or self._is_capitalised_word(token, word, language):
                token = word
            if not word[0].isalpha():
                out.append(token)
                continue
            if not (token.isupper() and len(token) > 1):  # "IEEE", "WWW" are not "sooo"
                word = _ELONGATED.sub(r"\1", word)
            read = _read_word(word, language)
            if (word in fillers or read in fillers) \
                    and not (word in OPENING_ONLY and any(w[0].isalpha() for w in out)):
                changed.append((token, ""))
                continue
            if read == word and self.steps == "typos":
                read = self._mend(word, language)
            elif read == word:
                read = self._key_term(word, language)
            if read != token.lower():
                changed.append((token, read))
                out.append(read)
            else:
                out.append(token)  # as typed, capitals kept
        return Normalized(_join(out), tuple(changed))

    def _is_capitalised_word(self, token: str, word: str, language: str) -> bool:
        """"APA" in "APA itu paradiplomasi": a word of the language in capitals, not an acronym."""
        if len(token) < 2 or not token.isupper():
            return False
        markers = INDONESIAN_MARKERS if language == "id" else ENGLISH_MARKERS
        return word in markers or word in self._vocabulary.get(language, ())

    @functools.lru_cache(maxsize=20_000)  # noqa: B019 - one normaliser per index, kept for its life
    def _key_term(self, word: str, language: str) -> str:
        """The key term of the corpus (a long word of a title or keyword list) that ``word``
        misspells: "paradiplomsi", "pradiplomasi", "paradiplomcy". Only those few long words
        are mended by default; mending towards every word of the index answered more
        out-of-scope questions than it saved (see docs/students.md)."""
        if len(word) < MIN_KEY_TERM_LENGTH or word in self._vocabulary.get(language, ()) \
                or word in self._known or (language == "id" and indonesian_root(word) == word):
            return word  # ("situasi" is a word of the dictionary, no misspelt "sitasi")
        joined = self._joined_terms(word) or self._joined_words(word, language) \
            or self._american(word, language)
        if joined is not None:  # "kepaladaerah", "kerjasama", "globalisation"
            return joined
        limit = 2 if len(word) > KEY_TERM_ONE_EDIT_MAX else 1
        best = extract(word, self._key_terms, scorer=DamerauLevenshtein.distance, limit=2,
                       score_cutoff=limit)
        if not best or (len(best) > 1 and best[1][1] == best[0][1]) or best[0][1] == 0:
            return word
        candidate = best[0][0]
        return candidate if candidate[0] == word[0] else word

    def _joined_terms(self, word: str) -> str | None:
        """Two key terms typed as one word ("kepaladaerah", "otonomidaerah"), apart."""
        for i in range(MIN_KEY_TERM_LENGTH - 1, len(word) - MIN_KEY_TERM_LENGTH + 2):
            head, tail = word[:i], word[i:]
            if head in self._key_term_set and tail in self._key_term_set:
                return f"{head} {tail}"
        return None

    def _joined_words(self, word: str, language: str) -> str | None:
        """Two words of the index typed as one ("kerjasama" where the text has "kerja sama"),
        apart; only when exactly one split makes two index words."""
        known = self._vocabulary.get(language, frozenset())
        base = word.removesuffix("nya") if language == "id" else word  # "kerjasamanya"
        if base in known:
            return None  # ("paradiplomasinya")
        splits = [(base[:i], base[i:]) for i in range(MIN_JOINED_PART,
                                                      len(base) - MIN_JOINED_PART + 1)
                  if base[:i] in known and base[i:] in known]
        return " ".join(splits[0]) + word[len(base):] if len(splits) == 1 else None

    def _american(self, word: str, language: str) -> str | None:
        """"globalisation" -> "globalization" when the index spells it so."""
        if language != "en":
            return None
        spelt = _BRITISH.sub("iz", word)
        return spelt if spelt != word and spelt in self._vocabulary.get(language, ()) else None

    def _mend(self, word: str, language: str) -> str:
        """The index word ``word`` is a typo of, or ``word`` itself."""
        known = self._vocabulary.get(language)
        if not known or word in known or len(word) < MIN_TYPO_LENGTH:
            return word
        limit = 1 if len(word) < 8 else 2
        best = extract(word, self._choices[language], scorer=DamerauLevenshtein.distance,
                       limit=2, score_cutoff=limit)
        if not best or (len(best) > 1 and best[1][1] == best[0][1]):
            return word  # nothing close, or two equally close: do not guess
        candidate = best[0][0]
        return candidate if candidate[0] == word[0] else word


def _reduplicate(match: re.Match[str]) -> str:
    """"ikut2an" -> "ikut-ikutan", "ujung2nya" -> "ujung-ujungnya"."""
    word, rest = match.group(1), match.group(2)
    return f"{word}-{word}{rest}"


def _is_shouting(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    if len(letters) < SHOUTING_MIN_LETTERS:
        return False
    return sum(c.isupper() for c in letters) >= SHOUTING_SHARE * len(letters)


def _phrases(text: str, language: str) -> str:
    """Rewrites spanning words: reduplication ("ikut2an"), "kok bisa" (why), "jurnal ini"
    for the article and "tl;dr"."""
    text = _TLDR.sub("tldr", text)
    if language == "id":
        text = _REDUPLICATED.sub(_reduplicate, text)
        text = _HOW_COME.sub("kenapa", text)
    if language in _JOURNAL_AS_ARTICLE:
        text = _JOURNAL_AS_ARTICLE[language].sub(ARTICLE[language], text)
    return text


def _join(tokens: list[str]) -> str:
    text = " ".join(tokens)
    return re.sub(r"\s+([?.!,;:])", r"\1", text).strip()
