"""What a question asks of the text that the text does not hold.

Each test here reads a question against the index's own words and says whether it asks
for something the text never gives (a definition it does not make, the name of an office
holder, a comparison with something it never names, a year): the engine then declines, or
marks its answer, instead of showing a sentence that merely shares a word.
"""

from __future__ import annotations

import re

from index.search import Hit, Searcher
from index.text import (
    SIDE_JOINERS,
    Analyzer,
    authorities_named,
    indonesian_root,
    nya_form,
    persons_asked,
    words,
)

# Words asking which ones or who: a request for examples with one asks for named instances
# ("contoh kepala daerah yg sukses siapa aja?", "which countries do they cooperate with?"),
# which the text never gives, whatever else of the text it names.
IDENTITY_WORDS = frozenset("siapa siapakah mana manakah who whom which".split())
# A follow-up that turns to another topic: "kalo X?", "and X?", "what about X?"
TOPIC_SHIFT = re.compile(r"\s*(?:(?:terus|trus|lalu|then)\s+)?(?:kalo|kalau|klo|bagaimana\s+dengan|"
                         r"gimana\s+dengan|and|"
                         r"what\s+about|how\s+about)\b", re.IGNORECASE)
# ... unless it points back at the answer or asks why or how of it
POINTING_BACK = frozenset("itu ini tersebut dia mereka that this it its they them why how "
                          "kenapa mengapa gimana bagaimana".split())
# A comparison asked: "apa bedanya X sama Y", "perbedaan X dan Y", "difference between X and
# Y" (the sides follow: "between"), or "X vs Y", "X compared to Y" (the sides around it)
COMPARISON = re.compile(
    r"(?P<between>\b(?:apa\s+)?(?:beda(?:nya)?|perbedaan(?:nya)?|bedanya)\b|\bdifferences?\s+"
    r"between\b|\bdiffer(?:ence)?s?\b)|\b(?:vs\.?|versus|dibandingkan(?:\s+dengan)?|"
    r"compared\s+(?:to|with))\b", re.IGNORECASE)
# A question asking what a term means ("apa itu X", "X artinya apa", "what does X mean")
DEFINITION_ASKED = re.compile(
    r"\bapa\s+(?:itu|sih|si|yang\s+dimaksud)\b|\bitu\s+apa\b|\b(?:arti|pengertian|definisi|"
    r"maksud|makna)(?:nya)?\b|\bdimaksud\b"
    r"|\bwhat\s+(?:is|are|was)\b|\bwhat'?s\b|\bmean(?:s|t|ing)?\b|\bdefin(?:e|ed|ition)\b",
    re.IGNORECASE)
# The words asking to define what follows them, with an article after them
_DEFINE = (r"apa\s+itu|apa\s+sih|definisi|pengertian|what\s+is|what'?s|define|definition\s+of|"
           r"meaning\s+of")
_ARTICLE = r"(?:a\s+|an\s+|the\s+)?"
# A definition asked of what follows: "apa itu X", "jelasin X", "what is X", "define X"
# Words naming a definition, no part of the term defined ("jelaskan pengertian paradiplomasi")
DEFINING = frozenset("pengertian definisi arti artinya maksud maksudnya makna konsep meaning "
                     "definition concept".split())
PHRASE_DEFINED = re.compile(
    rf"\b(?:{_DEFINE}|jelasin|jelaskan|arti|explain)\s+{_ARTICLE}"
    r"(?P<x>[^\W\d_]+\s+[^\W\d_]+)", re.IGNORECASE)
# The word a definition is asked of, placed in a field the text names ("what is
# constructivism in international relations?", "apa itu realisme dalam hubungan
# internasional"); not "what is the goal of …", which asks something of what follows
WORD_DEFINED = re.compile(
    rf"\b(?:{_DEFINE})\s+{_ARTICLE}(?P<x>[^\W\d_]+)(?=\s+(?:in|within|dalam|di|pada)\b)",
    re.IGNORECASE)
# A term whose definition is asked: "apa itu X", "X itu apa", "arti X", "what is X", "what
# does X mean" (X one to three words; "what is the role of …" asks a role, not a definition;
# "X apa" without "itu" asks what X does or becomes: "pemda ngapain aja", "jadi apa")
TERM_DEFINED = re.compile(
    r"^\s*(?:apa\s+(?:itu|sih|arti(?:nya)?|yang\s+dimaksud(?:\s+dengan)?)|definisi|"
    r"pengertian|arti|what\s+is|what'?s|define|definition\s+of|meaning\s+of)\s+"
    r"(?:a\s+|an\s+|the\s+)?(?P<x>[^\W\d_]+(?:[\s-]+[^\W\d_]+){0,2}?)\s*"
    r"(?:\?|$|itu\b|sih\b|dong\b|ya\b|kak\b|min\b)"
    r"|^\s*(?P<y>[^\W\d_]+(?:[\s-]+[^\W\d_]+){0,2}?)\s+(?:itu\s+apa|artinya)\b"
    r"|^\s*what\s+does\s+(?P<z>[^\W\d_]+(?:[\s-]+[^\W\d_]+){0,2}?)\s+mean\b",
    re.IGNORECASE)
# Words tying a definition question to the article: "what does multi-level governance mean
# here?", "maksudnya apa di artikel ini?" ask what the text says of it
IN_THE_ARTICLE = re.compile(
    r"\b(?:here|di\s?sini|artikel|abstrak|jurnal|penulis|paper|article|abstract|authors?|"
    r"konteks|context|text|teks)\b", re.IGNORECASE)
# A question for a year or a start ("otonomi daerah mulai berlaku tahun berapa?", "kapan
# otonomi daerah mulai berlaku", "since when …?"): "kapan" alone also asks under what
# conditions ("kapan paradiplomasi efektif?")
YEAR_ASKED = re.compile(
    r"\btahun\s+(?:berapa|brp|kapan)\b|\b(?:sejak|mulai|dari)\s+kapan\b"
    r"|\bkapan\b.*\b(?:mulai|dimulai|pertama|berlaku|diberlakukan|lahir|muncul|disahkan)\b"
    r"|\b(?:what|which)\s+year\b|\bsince\s+when\b|\bwhen\s+did\b.*\b(?:start|begin|began)\b"
    # who started it, its origin: "siapa yg pertama kali memperkenalkan istilah …"
    r"|\bsiapa\b.*\b(?:pertama\s+kali|pencetus|penemu|mencetuskan|memperkenalkan)\b"
    r"|\bwho\s+(?:first|coined|invented|introduced)\b",
    re.IGNORECASE)
# A law or regulation named by its number ("UU 23 tahun 2014", "pasal 363", "Law No. 37"),
# and a year named: the text is none of these, and says nothing of a year it does not name
_LAW_NAMED = re.compile(
    r"\b(?:uu|undang[\s-]*undang|pp|perpres|permendagri|perda|pasal|law|act|regulation)\s*"
    r"(?:no\.?\s*|nomor\s+|nomer\s+|number\s+)?\d+", re.IGNORECASE)
_YEAR_NAMED = re.compile(r"\b(?:19|20)\d{2}\b")
# Which law, asked by its number or name: "uu nomor berapa yg ngatur …", "pasal brp",
# "which law regulates it?"
_LAW_ASKED = re.compile(
    r"\b(?:uu|undang[\s-]*undang|pp|perpres|permendagri|perda|pasal)\s*(?:no\.?\s*|nomor\s+|"
    r"nomer\s+)?(?:berapa|brp|apa|mana)\b|\b(?:which|what)\s+(?:law|act|regulation)s?\b"
    r"(?!\s+(?:is|was)\s+(?:this|it)\b)", re.IGNORECASE)
# Asking whether an example counts as something ("itu termasuk paradiplomasi gak?", "does
# that count as paradiplomacy?")
COUNTS_AS = re.compile(r"\b(?:termasuk|tergolong|terhitung|dianggap|disebut)\b"
                        r"|\bcounts?\s+as\b|\bconsidered\b|\bqualif(?:y|ies)\s+as\b",
                        re.IGNORECASE)
# Words between "counts as" and what it counts as ("termasuk sebagai paradiplomasi")
AS_WORDS = frozenset("sebagai as a an".split())
# Offices whose holder a "who" question may ask by name, and the words asking for now
OFFICES = frozenset("gubernur bupati walikota wali menteri presiden wapres camat lurah "
                    "governor mayor regent minister president".split())
NOW_WORDS = frozenset("sekarang skrg saat kini current now currently today".split())
RANK_WORDS = frozenset("pertama terakhir terbaik terbesar paling first last best greatest "
                       "most".split())
OF_WORDS = frozenset("of the dari di provinsi kabupaten kota".split())
# How to become an office holder ("gimana cara jadi kepala daerah?", "how do I become a
# governor?"): a career question, which an article on what regional heads do never answers
BECOMING = re.compile(
    r"\b(?:cara|gimana|bagaimana|syarat(?:nya)?|how\s+(?:to|do\s+i|can\s+i|does\s+one|do\s+you))"
    r"\s+(?:untuk\s+|biar\s+|agar\s+)?(?:jadi|menjadi|become|becoming)\s+(?:a\s+|an\s+|the\s+)?"
    r"(?:kepala\s+daerah|regional\s+head|diplomat|pejabat|official|"
    + "|".join(sorted(OFFICES)) + r")", re.IGNORECASE)


class TextLimits:
    """The limits of the text in ``searcher``, read with ``analyzers`` (per language);
    ``request_words`` are the words requests are phrased with (never part of a term)."""

    def __init__(self, searcher: Searcher, analyzers: dict[str, Analyzer],
                 request_words: frozenset[str]):
        self.searcher = searcher
        self.analyzers = analyzers
        self.request_words = request_words
        # whether any passage names a law by its number (then "uu nomor berapa" is searched)
        self._names_a_law = any(_LAW_NAMED.search(p.text) for p in searcher.passages)

    def undefined_term(self, text: str, language: str, best: Hit) -> str | None:
        """The term, as the best sentence writes it, that a definition question ("apa itu
        birokrasi?", "what does bureaucracy mean?") asks about when no sentence of the text
        defines it (the sentence shown is what the text says of it, not a definition)."""
        if IN_THE_ARTICLE.search(text):
            return None
        analyzer = self.analyzers[language]
        for match in TERM_DEFINED.finditer(text):
            term = match.group("x") or match.group("y") or match.group("z") or ""
            asked = [w for w in words(term) if w not in analyzer.stop_words]
            stems = set(analyzer.terms(" ".join(asked)))
            if not asked or not stems or self.searcher.is_defined(stems) \
                    or not stems <= set(analyzer.terms(best.passage.text)):
                continue
            written = re.search(r"\b" + r"[\s-]+".join(r"\w*" + re.escape(w[:4]) + r"\w*"
                                                       for w in asked) + r"\b",
                                best.passage.text, re.IGNORECASE)
            return written.group(0) if written else " ".join(asked)
        return None

    def names_a_law_or_year_not_in_it(self, text: str) -> bool:
        """"isi UU 23 tahun 2014 ttg pemda apa", "tarif ekspor 2024": a numbered law, or a
        year, that no passage of the corpus (text or record) names."""
        named = [m.group(0) for m in _LAW_NAMED.finditer(text)] \
            + [m.group(0) for m in _YEAR_NAMED.finditer(text)]
        return any(not self.searcher.names_literally(x) for x in named) \
            or (_LAW_ASKED.search(text) is not None and not self._names_a_law)

    def asks_who_holds_an_office(self, text: str, language: str) -> bool:
        """"siapa walikota bandung", "gubernur sekarang siapa", "who is the current
        president": the name of an office holder, which the text never gives ("yg mulai
        kerja sama siapa? walikota?" asks who acts, and the text says: regional heads)."""
        tokens = words(text)
        if not IDENTITY_WORDS & set(tokens):
            return False
        stop = self.analyzers[language].stop_words
        for i, token in enumerate(tokens):
            if token not in OFFICES:
                continue
            after = [w for w in tokens[i + 1:] if w not in OF_WORDS][:1]
            if NOW_WORDS & set(tokens) or (after and after[0] in RANK_WORDS):
                return True  # ("siapa bupati pertama di indonesia": a name in a ranking)
            if after and after[0] not in stop and after[0] not in OFFICES \
                    and self.searcher.coverage(after[0], language) == 0:
                return True  # the office of somewhere or someone the text never names
        return False

    def defines_a_phrase_never_made(self, text: str, language: str) -> bool:
        """"jelasin diplomasi publik dong", "apa itu diplomasi budaya": a definition of a
        two-word phrase whose words no passage has together (the text's "kebijakan publik"
        and "diplomasi nasional" say nothing of public diplomacy)."""
        if IN_THE_ARTICLE.search(text):
            return False
        stop = self.analyzers[language].stop_words
        for match in PHRASE_DEFINED.finditer(text):
            phrase = [w for w in words(match.group("x"))][:2]
            # (a request's word after the term is no part of it: "jelasin paradiplomasi
            # singkat"; a word of the text is: "good governance")
            if len(phrase) == 2 and not set(phrase) & stop and phrase[0] not in DEFINING \
                    and (phrase[1] not in self.request_words
                         or self.searcher.coverage(phrase[1], language) > 0) \
                    and not self.searcher.names_together(" ".join(phrase), language):
                return True
        return False

    def defines_the_unknown(self, text: str, language: str) -> bool:
        """"what is constructivism in international relations theory": a definition asked of
        a word no passage has (the words after it, which the text has, raise the coverage of
        the whole question but do not make the article define it)."""
        stop = self.analyzers[language].stop_words
        return any(word not in stop and word not in self.request_words
                   and self.searcher.coverage(word, language) == 0
                   for word in (m.group("x").lower() for m in WORD_DEFINED.finditer(text)))

    def asks_how_to_become(self, text: str) -> bool:
        """"gimana cara jadi kepala daerah? syaratnya apa aja": how to become one of the
        text's actors, which it never says."""
        return BECOMING.search(text) is not None

    def setting_defined(self, text: str, language: str) -> str | None:
        """The term a definition question asks about, when the corpus names it only as the
        setting of a claim ("di era globalisasi dan desentralisasi"): the sentence that
        names it does not say what it is. Asked of the article ("what does multi-level
        governance mean here?", "… dalam konteks paradiplomasi?") it is the text's."""
        if not DEFINITION_ASKED.search(text) or IN_THE_ARTICLE.search(text):
            return None
        return self.searcher.setting_term(text, language)

    def compares_with_the_unknown(self, text: str, language: str) -> bool:
        """"bedanya paradiplomasi sama soft power?", "difference between paradiplomacy and
        protodiplomacy": a comparison with something the corpus never names, which the
        article cannot make (the definition of one side is no answer). "bedanya
        paradiplomasi dengan diplomasi nasional" compares two things it names; "bedanya
        paradiplomasi sama diplomasi publik" names its words, but never together."""
        match = COMPARISON.search(text)
        if match is None:
            return False
        analyzer = self.analyzers[language]
        sides = SIDE_JOINERS.split(text[match.end():]) if match.group("between") \
            else [text[:match.start()], text[match.end():]]
        return any(any(self.searcher.coverage(w, language) == 0 for w in content)
                   or not self.searcher.names_together(" ".join(content), language)
                   for content in map(analyzer.content_words, sides) if content)

    def new_unknown_topic(self, text: str, language: str) -> bool:
        """"kalo pariwisata?", "and tourism?", "what about climate change?": a follow-up that
        turns to a topic none of whose words the corpus knows."""
        content = self.analyzers[language].content_words(text)
        said = set(words(text))
        if said & POINTING_BACK or any(nya_form(w) for w in said):
            return False  # "and why is that important?", "lalu tujuannya apa?"
        return bool(TOPIC_SHIFT.match(text)) and bool(content) \
            and self.searcher.coverage(text, language) == 0

    def role_of_the_unknown(self, text: str, language: str) -> bool:
        """"peran DPRD dalam paradiplomasi", "the role of universities in paradiplomacy": the
        role of someone the text never names (sentence 2's "paradiplomasi berperan" is no
        answer); "peran kepala daerah", "peran bupati" name the text's regional heads."""
        asked = self.searcher.role_asked_of(text, language)
        text_stems = self.searcher.text_stems.get(language, frozenset())
        return bool(asked) and not any(stem in text_stems for stem in asked or ())

    def duty_of_an_outsider(self, text: str, language: str) -> bool:
        """"tugas pokok kemenlu apa aja?": see :meth:`Searcher.duty_of_an_outsider`."""
        return self.searcher.duty_of_an_outsider(text, language)

    def view_of_an_unknown_person(self, text: str, language: str) -> bool:
        """"apa pendapat Jokowi soal paradiplomasi?": the view of someone the corpus never
        names (an author's view is the text's: "apa pendapat Istiq Agustina tentang …")."""
        stop = self.analyzers[language].stop_words
        # ("menurut Porter" cites a name; "menurut dosenku" someone of the student's own)
        cited = [w for w in authorities_named(text) if indonesian_root(w) is None]
        return any(w not in stop and self.searcher.coverage(w, language) == 0
                   for w in persons_asked(text) + cited)

    def asks_what_counts(self, text: str, language: str) -> bool:
        """Whether a message asks if an example counts as the subject the text defines ("misal
        bupati aku ke jepang buat kerja sama dagang, itu termasuk paradiplomasi gak?"): the
        place is the student's example, and the definition answers it."""
        defined = self.searcher.defined_subject(language)
        analyzer = self.analyzers[language]
        return any(defined & set(analyzer.terms(" ".join(
            [w for w in text[m.end():].split() if w.lower() not in AS_WORDS][:1])))
            for m in COUNTS_AS.finditer(text))  # "termasuk paradiplomasi", not "disebut aktor

    def year_not_in_text(self, text: str, language: str) -> bool:
        """A year or a start asked ("otonomi daerah mulai berlaku tahun berapa?") of a text
        that names no year: it dates nothing (the record's date is the article's)."""
        return bool(YEAR_ASKED.search(text)) and not self.searcher.text_has_years(language)
