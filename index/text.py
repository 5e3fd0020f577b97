"""Text analysis for BM25: normalise, tokenise, drop stop words, stem (Sastrawi / Snowball)."""

from __future__ import annotations

import functools
import re
import unicodedata

# Zero-width and bidi control characters: invisible, but they split or glue words.
_INVISIBLE = dict.fromkeys(
    map(ord, "\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u202a\u202b\u202c\u202d\u202e"), None
)
# Control characters (NUL, escapes, tabs; Unicode category Cc) separate words like spaces.
_CONTROL = {c: " " for c in (*range(0x00, 0x20), *range(0x7F, 0xA0))}
_TOKEN = re.compile(r"[^\W_]+")
# ANSI escape sequences ("\x1b[31m", pasted from a terminal): their letters are no words.
_TERMINAL_CODE = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")

ENGLISH_STOP_WORDS = frozenset("""
a about above after again against all am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further
had has have having he her here hers herself him himself his how i if in into is it its itself
just me more most my myself no nor not now of off on once only or other our ours ourselves out
over own same she should so some such than that the their theirs them themselves then there
these they this those through to too under until up very was we were what when where which
while who whom whose why will with would you your yours yourself yourselves tell please
explain describe does according say says said mean means meant
much many really actually thing things stuff deal kind sort lot lots basically exactly
else besides need needs needed require requires required
""".split())

# Chat Indonesian that Sastrawi's (formal) list lacks: particles, slang question words, address.
INFORMAL_INDONESIAN = frozenset("""
gimana gmn gmana knp kenapa apaan sih dong deh kok kah lho loh nih tuh aja doang gak nggak ga
enggak engga yg dgn utk tdk bgt banget ya yuk tolong jelasin jelaskan sebutin sebutkan kasih
tau tahu kak kakak min admin bro sis pak bu mas mbak bang nya dah udah emang emangnya maksudnya
ku mu gue gw lu elo butuh dibutuhkan membutuhkan
""".split())

# Words about the student's situation, not the question ("… buat ujian besok", "for my exam
# tomorrow"): they name nothing the article could say, so they neither search nor count as
# words the corpus does not know.
STUDY_CONTEXT = {
    "id": frozenset("ujian uts uas kuis besok kuliah kelas dosen presentasi tugas pr dapus"
                     .split()),
    "en": frozenset("exam exams quiz tomorrow class lecturer presentation midterm homework "
                     "assignment".split()),
}

# Verbs that ask whether the text speaks of something ("ada nyinggung soal ekspor gk?", "does
# the article mention exports?"): the something is the question, the verb names no content.
TEXT_TALK = {
    "id": frozenset("membahas dibahas bahas ngebahas nyinggung menyinggung disinggung nyebut "
                     "nyebutin menyebut menyebutkan disebut disebutkan dijelaskan".split()),
    "en": frozenset("mention mentions mentioned discuss discusses discussed covered talk talks "
                     "talking".split()),
}

# Words that name the document itself or its parts ("menurut artikel ini", "in this paper",
# "di kalimat terakhir"): in a corpus
# of articles every metadata sentence has them, so they only add noise to BM25.
DOCUMENT_WORDS = {
    "id": frozenset(("artikel", "jurnal", "makalah", "paper", "tulisan", "abstrak", "artikelnya",
                     "jurnalnya", "makalahnya", "papernya", "tulisannya", "abstraknya",
                     "kalimat", "kalimatnya", "paragraf", "paragrafnya")),
    "en": frozenset(("article", "paper", "journal", "abstract", "sentence", "sentences",
                     "paragraph", "paragraphs")),
}


# Whose view a question asks for ("apa pendapat Jokowi soal …", "what does president Prabowo
# think about …"); the groups hold the person. The name is framing when it is an author's,
# content when the corpus never names the person (the article gives no politician's view).
_PERSON_VIEW_PATTERN = (
    r"\bpendapat\s+((?:\S+\s+){1,4}?)(?=(?:tentang|soal|mengenai|terkait|ttg)\b)"
    r"|\bwhat\s+(?:do|does|did)\s+((?:\S+\s+){1,4}?)(?:say|think|argue|claim|write)\s+"
    r"(?=about\b)"
    # "Prabowo ngomong apa soal paradiplomasi?", "Jokowi bilang apa ttg otda"
    r"|^\W*((?:\S+\s+){1,3}?)(?:ngomong|bilang|berkata|mengatakan|berpendapat)\s+apa\s+"
    r"(?=(?:tentang|soal|mengenai|terkait|ttg)\b)"
)
_PERSON_VIEW = re.compile(_PERSON_VIEW_PATTERN, re.IGNORECASE)

# Words that frame a question rather than name its content: talk about the source ("menurut
# penulis", "according to the authors") and the word for a relation asked for. Left out of what
# BM25 and the coverage check see (the dense model still reads them), so that "pengertian
# paradiplomasi menurut penulis?" does not look like a question about the authors.
_FRAMING = re.compile(
    r"\b(?:menurut|kata|versi|dalam pandangan|(?:yang\s+)?(?:di)?maksud(?:kan)?(?:\s+oleh)?)\s+"
    r"(?:para\s+)?"
    r"(?:penulis(?:nya)?|pengarang(?:nya)?|peneliti|artikel|jurnal|makalah|tulisan)(?:\s+ini)?\b"
    r"|\baccording\s+to\s+(?:the\s+|this\s+)?(?:authors?|writers?|article|paper|abstract)\b"
    r"|\bbased\s+on\s+(?:the\s+|this\s+)?(?:article|paper|abstract|text)\b"
    r"|\bberdasarkan\s+(?:artikel|abstrak|tulisan)(?:\s+ini)?\b"
    r"|\b(?:do|does|did)\s+the\s+(?:authors?|writers?)\s+mean\b"
    # "what do the authors say about …", "penulisnya bilang …": the content is asked for
    r"|\b(?:the\s+)?(?:authors?|writers?|researchers?)\s+(?:say|said|think|argue|define|"
    r"describe|explain|claim|suggest|propose|write|see|view|find|conclude|recommend)s?\b"
    r"|\b(?:the\s+)?(?:authors?|writers?|researchers?)\s+(?:found|concluded|recommended)\b"
    r"|\b(?:para\s+)?penulis(?:nya)?\s+(?:bilang|berpendapat|mengatakan|menyebut(?:kan)?|"
    r"berkata|menjelaskan|menganggap|mendefinisikan|memandang|melihat|menulis|nulis)\b"
    # "apa yang ditulis tentang ekspor?", "what did they write about bureaucracy?"
    r"|\b(?:ditulis(?:kan)?|tertulis|menulis|nulis)\b(?=(?:\s+\S+){0,4}?\s+"
    r"(?:tentang|soal|mengenai|terkait|ttg)\b)"
    r"|\b(?:write|writes|wrote|written|writing)\b(?=(?:\s+\S+){0,4}?\s+about\b)"
    r"|\bwritten\s+in\s+(?:the\s+|this\s+)?(?:abstract|article|paper)\b"
    # "apa pendapat Istiq Agustina tentang …", "what does Prasetio say about …": a person's
    # view of a topic is the text's content, not a question about the author line
    rf"|{_PERSON_VIEW_PATTERN}",
    re.IGNORECASE,
)


def nya_form(word: str, min_length: int = 6) -> bool:
    """An Indonesian word with "-nya" ("syaratnya": its requirement) of at least
    ``min_length`` letters, which points back at what was talked about."""
    return word.endswith("nya") and len(word) >= min_length


# The relation asked for ("hubungan paradiplomasi dengan diplomasi pusat", "pemda sm pusat
# relasinya gmn", "how does it relate to national diplomacy"): with the two sides named,
# the word for "relation" names no content, and BM25 matched it to sentence 1's "hubungan
# internasional" / "international relations" (and "relasi" to "jejaring").
_RELATION = re.compile(
    r"\b(?:ber|ter)?hubung(?:an)?(?:nya)?\b(?!\s+internasional)|\brelasi(?:nya)?\b"
    r"|(?<!international\s)\b(?:relat(?:e|es|ed|ion|ions|ionship)|connect(?:s|ed|ion)?|"
    r"link(?:s|ed)?)\b", re.IGNORECASE)
# The words joining the two sides of a relation or a comparison ("X sama Y", "between X and
# Y", "X differs from Y")
SIDE_JOINERS = re.compile(
    r"\b(?:sama|sm|dengan|dgn|dan|ama|antara|to|with|between|and|from)\b", re.IGNORECASE)


def without_framing_words(text: str) -> str:
    text = _FRAMING.sub(" ", text)
    return _RELATION.sub(" ", text) if SIDE_JOINERS.search(text) else text


# Whose word a question cites ("daya saing menurut Porter", "according to Nye")
_ACCORDING_TO = re.compile(r"\b(?:menurut|according\s+to)\s+([^\W\d_]+)", re.IGNORECASE)


def authorities_named(text: str) -> list[str]:
    """The words right after "menurut" / "according to", lower case."""
    return [m.group(1).lower() for m in _ACCORDING_TO.finditer(text)]


def persons_asked(text: str) -> list[str]:
    """The words naming whose view a question asks for, lower case."""
    return [w for match in _PERSON_VIEW.finditer(text)
            for w in words(" ".join(g for g in match.groups() if g))]


def normalize(text: str) -> str:
    """NFKC, terminal colour codes and invisible characters removed, control characters
    (NUL, escapes) read as spaces, whitespace collapsed."""
    text = _TERMINAL_CODE.sub(" ", unicodedata.normalize("NFKC", text))
    text = text.translate(_INVISIBLE).translate(_CONTROL)
    return " ".join(text.split())


def words(text: str) -> list[str]:
    """Lowercased word tokens (letters and digits; hyphens and punctuation split)."""
    return _TOKEN.findall(normalize(text).lower())


@functools.cache
def _indonesian():
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory
    from Sastrawi.StopWordRemover.StopWordRemoverFactory import StopWordRemoverFactory

    return StemmerFactory().create_stemmer(), frozenset(StopWordRemoverFactory().get_stop_words())


def is_indonesian_root(word: str) -> bool:
    """Whether ``word`` is itself a root of Sastrawi's dictionary ("medan", "padang")."""
    stemmer, _ = _indonesian()
    return bool(stemmer.delegatedStemmer.dictionary.contains(word))


def indonesian_root(word: str) -> str | None:
    """The root of an Indonesian word by Sastrawi's dictionary ("dijalankan" -> "jalan"), or
    None when the word is not a known root nor a known root with affixes."""
    stemmer, _ = _indonesian()
    root = stemmer.stem(word)
    return root if is_indonesian_root(root) else None


@functools.cache
def _english():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


class Analyzer:
    """Turns text in one language into BM25 terms. Stems are cached: queries repeat words."""

    def __init__(self, language: str):
        if language not in ("id", "en"):
            raise ValueError(f"no analyzer for language {language!r}")
        self.language = language
        if language == "id":
            stemmer, stop_words = _indonesian()
            self.stop_words = stop_words | INFORMAL_INDONESIAN | DOCUMENT_WORDS["id"] \
                | STUDY_CONTEXT["id"] | TEXT_TALK["id"]
            self._stem = functools.lru_cache(maxsize=100_000)(stemmer.stem)
        else:
            self.stop_words = ENGLISH_STOP_WORDS | DOCUMENT_WORDS["en"] | STUDY_CONTEXT["en"] \
                | TEXT_TALK["en"]
            self._stem = functools.lru_cache(maxsize=100_000)(_english().stemWord)

    def stem(self, word: str) -> str:
        return self._stem(word) or word

    def content_words(self, text: str) -> list[str]:
        """Words that carry meaning: not stop words, not single letters."""
        return [w for w in words(text) if len(w) > 1 and w not in self.stop_words]

    def terms(self, text: str) -> list[str]:
        return [self.stem(w) for w in self.content_words(text)]
