"""Is a question Indonesian or English? Reliable on two-word questions such as "penulis?".

Closed-class words decide first: a question with "apa", "yang", "itu" or "sih" is Indonesian
even when it quotes English terms ("multi-level governance itu apa?"), and one with "what",
"the", "is" is English. Without such words, lingua's character n-gram models decide; when
they are unsure the answer is Indonesian, the language most students write in.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from index import DEFAULT_LANGUAGE
from index.text import nya_form, words

if TYPE_CHECKING:
    import lingua

LINGUA_MIN_CONFIDENCE = 0.6  # below this, lingua is guessing on a short text
SHORT_TEXT_WORDS = 2  # "format bibtex", "keyword artikelnya": n-grams of two words decide little
LINGUA_MIN_CONFIDENCE_SHORT = 0.8

INDONESIAN_MARKERS = frozenset("""
apa apakah apaan siapa siapakah bagaimana bagaimanakah gimana gmn kapan mengapa kenapa knp
dimana mana manakah berapa yang dan atau itu ini tsb dari ke di untuk utk dengan dgn dalam pada
adalah ialah merupakan tidak tak nggak gak ga enggak bukan bisa dapat saja aja sih dong deh
kah nya tolong jelaskan jelasin sebutkan oleh para sebagai akan sudah udah belum juga tentang
menurut saya aku kamu anda kak mas mbak maksud maksudnya artinya arti tuh nih kok ya yg
halo hallo hai makasih terima kasih dadah sampai jumpa selamat pagi siang sore malam permisi min
malem met assalamualaikum wassalam trims makasi mksh
kalo kalau gitu gini lagi terus trus sama buat bikin bikinin minta coba mau pake pakai emang
""".split())

ENGLISH_MARKERS = frozenset("""
what whats who whom whose which when where why how is are was were the a an of and or to in
on for with by from does do did this that these those it its can could about according please
explain tell me i you be been has have should would between into
hi hello hey thanks thank bye goodbye please morning evening see later gotta soon instead
summary conclusion finding findings argument takeaway citation reference keywords idea
definition meaning
""".split())


# A "-nya" word this long is Indonesian: no English word ends so ("kenya" is a country)
NYA_WORD_LETTERS = 7


def indonesian_words(tokens: list[str]) -> int:
    """How many of ``tokens`` are Indonesian closed-class words or "-nya" forms."""
    return sum(t in INDONESIAN_MARKERS or nya_form(t, NYA_WORD_LETTERS) for t in tokens)


# English that Indonesian chat uses too ("ringkasan singkat pls"): it decides only when
# nothing else does ("mla pls").
WEAK_ENGLISH = frozenset(("pls", "plz"))
# Names that are no word of either language (citation styles): lingua guesses on them
NEUTRAL = frozenset("mla ieee chicago harvard bibtex ris apa7 vancouver".split())


# Words after which "APA" names the citation style, not "what": "apa style instead"
STYLE_WORDS = frozenset("style format citation reference referencing formatted gaya".split())


def _without_style_names(tokens: list[str]) -> list[str]:
    """``tokens`` without "apa" where it names the style ("apa style", "APA format"), nor
    "in text" ("in-text"), a citation's name in either language ("kalo MLA in-text?")."""
    kept = [t for i, t in enumerate(tokens)
            if not (t == "apa" and i + 1 < len(tokens) and tokens[i + 1] in STYLE_WORDS)]
    return [t for i, t in enumerate(kept)
            if not (t == "in" and kept[i + 1:i + 2] == ["text"])
            and not (t == "text" and kept[i - 1:i] == ["in"])]


class LanguageDetector:
    """Detects "id" or "en". Thread-safe; lingua's models load on first use."""

    def __init__(self) -> None:
        self._lingua: lingua.LanguageDetector | None = None
        self._lock = threading.Lock()

    def _lingua_detector(self):
        with self._lock:
            if self._lingua is None:
                from lingua import Language, LanguageDetectorBuilder

                self._lingua = (
                    LanguageDetectorBuilder.from_languages(Language.INDONESIAN, Language.ENGLISH)
                    .build()
                )
        return self._lingua

    def detect(self, text: str, unsure: str = DEFAULT_LANGUAGE) -> str:
        """"id" or "en"; ``unsure`` when neither closed-class words nor lingua decide (a
        conversation passes the language it is in: "RIS" alone stays in it)."""
        return self.decided(text) or unsure

    def decided(self, text: str) -> str | None:
        """"id" or "en" when closed-class words or lingua decide, else None."""
        tokens = _without_style_names(words(text))
        if not tokens:
            return None
        id_hits = indonesian_words(tokens)
        en_hits = sum(t in ENGLISH_MARKERS for t in tokens)
        if id_hits != en_hits:
            return "id" if id_hits > en_hits else "en"
        weak = [t for t in tokens if t in WEAK_ENGLISH]
        rest = [t for t in tokens if t not in WEAK_ENGLISH and t not in NEUTRAL]
        if not rest:  # "mla pls", "RIS"
            return "en" if weak else None
        detector = self._lingua_detector()
        best = detector.compute_language_confidence_values(" ".join(rest))[0]
        needed = LINGUA_MIN_CONFIDENCE_SHORT if len(rest) <= SHORT_TEXT_WORDS else LINGUA_MIN_CONFIDENCE
        if best.value < needed:
            return "en" if weak else None  # "mla pls"; but "ringkasan singkat pls" is id
        return "en" if best.language.name == "ENGLISH" else "id"

    def warm_up(self) -> None:
        """Load lingua's models now rather than on the first question."""
        self._lingua_detector().compute_language_confidence_values("paradiplomasi")
