"""Reading a message's own words: what a short follow-up asks, the language or list item
it names, an emoji sent alone. Pure functions, without the index."""

from __future__ import annotations

import re
from collections.abc import Iterable

from index import LANGUAGES
from index.conversation import Turn
from index.text import words

MIN_LETTERS = 2  # fewer letters than this is not a question

CONFUSED = frozenset("bingung confused confusing".split())

UNDERSTAND = frozenset("ngerti mengerti paham understand understood get".split())

NEGATIONS = frozenset("kurang gak ga enggak nggak ngga tidak tak belum not dont didnt don didn "
                      "doesn cannot cant".split())

# Words asking what the last answer means ("what do you mean?", "maksudnya?")
CLARIFYING = frozenset("mean meant maksud maksudnya artinya".split())

# A message asking what a summary means, or why, is this short ("maksudnya gimana sih?")
MEANING_ASKED_MAX_WORDS = 4

# Words asking why: "kok bisa?" (read "kenapa bisa?") asks why the answer holds, not what
# the bot can do
WHY = frozenset("kenapa mengapa why".split())

# After a reference, a message this short with "apa" switches to APA ("what about apa?")
STYLE_SWITCH_MAX_WORDS = 3

# After an answer from the article's record, a question word alone asks the field it names:
# "who wrote this?" then "when?" asks when the article appeared
RECORD_QUESTION_WORDS = {"kapan": "published", "kapankah": "published", "when": "published"}
# Asking the year and nothing else ("tahun berapa?", "what year?"), in any conversation: the
# year of the article (its text names none)
YEAR_ALONE = frozenset((("tahun", "berapa"), ("what", "year"), ("which", "year"),
                        ("year",), ("tahunnya",), ("tahun", "terbit")))
# Words around such a question word that ask nothing more ("kapan ya?", "and when?")
ASIDES = frozenset("ya sih kak min tuh nih dong deh and then terus trus lalu".split())

# "penulis pertamanya siapa?", "yg keempat apa?" after the keywords, "and the last one?":
# the n-th item of a list in the record (-1: the last).
ORDINALS = {
    "pertama": 1, "kesatu": 1, "kedua": 2, "ketiga": 3, "keempat": 4, "kelima": 5,
    "keenam": 6, "ketujuh": 7, "kedelapan": 8, "kesembilan": 9, "kesepuluh": 10,
    "terakhir": -1, "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
    "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "last": -1, "1st": 1, "2nd": 2,
    "3rd": 3, "4th": 4, "5th": 5,
}

# "dia tugasnya ngapain aja?", "apa saja tugas kepala daerah?": "tugas" as someone's duty
# (asked what it is), not an assignment ("ada tugas kuliah nih, bantu dong")
_DUTY_ASKED = re.compile(
    r"\btugas(?:nya)?\s+(?:(?:dia|mereka|beliau)\s+)?(?:apa|melakukan|ngapain)\b"
    r"|\bapa\s+(?:saja\s+|aja\s+)?tugas(?:nya)?\b")

# "dalam bahasa inggris", "in English", "bahasa indonesianya": the language a reply is asked in
# (not "indonesia" alone: "paradiplomasi di indonesia" names a country)
LANGUAGE_PHRASE = re.compile(
    r"\b(?:(?:dalam|dlm|pakai|pake|versi|ke)\s+)?(?:bahasa|bhs|b\.?)\s+"
    r"(?:inggris|indonesia|indo)(?:nya)?\b"
    r"|\b(?:in|into)\s+(?:english|indonesian|bahasa(?:\s+indonesia)?)\b"
    r"|\b(?:pakai|pake|pk|dalam|dlm|versi|ke|to)\s+(?:english|inggris|indonesian)\b"
    r"|\b(?:inggris\s?nya|indonesia\s?nya|english\s?nya)\b"
    r"|\benglish\s+(?:version|title|abstract|summary|keywords?)\b",
    re.IGNORECASE)

# A clause that opens with one of these is about the student ("…, sy lupa nyatet")
FIRST_PERSON = frozenset("saya aku gue gua gw i im my we kami kita".split())
_CLAUSE_END = re.compile(r"[,;.!?]+")

# The bot's own view asked ("in your opinion …", "menurut kamu … gak?", "do you agree with
# the authors?"): it has none, it reports the article
_OPINION = re.compile(
    r"\bin\s+your\s+(?:own\s+)?(?:opinion|view)\b"
    r"|\b(?:what(?:'s|\s+is)\s+)?your\s+(?:own\s+)?(?:take|opinion|view)\b"
    r"|\bwhat\s+do\s+(?:you|u)\s+think\s*,"
    r"|\b(?:kamu|km|lo|lu|anda|bot)\s+(?:pro|kontra)\b|\b(?:kamu|mu)\s+sendiri\b"
    r"|\bsendiri\s+(?:gimana|bagaimana)\b"  # "menurut kamu sendiri gimana, …?"
    r"|\b(?:what|how)\s+do\s+(?:you|u)\s+(?:think|feel)\b(?=\s+(?:about|of|abt)\b|\W*$)"
    r"|\bdo\s+(?:you|u)\s+(?:think|agree|believe)\b"
    # ("gimana pendapat kamu …?" asks the view itself, like "apa pendapat kamu")
    r"|\b(?:(?:apa|gimana|gmn|bagaimana)\s+)?(?:menurut|pendapat|opini)\s*"
    r"(?:kamu|km|mu|lo|lu|loe|anda|kau)\b"
    r"|\b(?:kamu|km|lo|lu|anda)\s+(?:setuju|sependapat)\b", re.IGNORECASE)
# Question words that ask something beyond a yes or no ("menurut kamu apa itu X?" asks what
# X is, and the article answers)
_WH_WORDS = frozenset("apa siapa kenapa mengapa bagaimana gimana kapan mana berapa what who "
                      "why how when where which".split())

# A sentence of the text named by its place ("kalimat kedua", "kalimat ke-3", "sentence 2",
# "the last sentence")
# ("2-3 sentences" counts them: a bare number names a place only after the word)
_SENTENCE_NAMED = re.compile(
    r"\b(?:kalimat|sentences?)(?:nya)?\s+(?P<after>ke\s*-?\s*\w+|no\s*\.?\s*\d+|nomor\s+\d+|\w+)",
    re.IGNORECASE)
_SENTENCE_NAMED_BEFORE = re.compile(r"\b(?P<before>(?:\w+\s+)?\w+)\s+sentences?\b",
                                    re.IGNORECASE)
# Numbers written as words after "sentence"/"kalimat" ("sentence three", "kalimat tiga")
_CARDINALS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
              "eight": 8, "nine": 9, "ten": 10, "satu": 1, "dua": 2, "tiga": 3, "empat": 4,
              "lima": 5, "enam": 6, "tujuh": 7, "delapan": 8, "sembilan": 9, "sepuluh": 10}

# A language's name in a message ("translate ke indo dong", "english pls")
LANGUAGE_WORDS = {"english": "en", "inggris": "en", "inggrisnya": "en", "indonesia": "id",
                  "indonesian": "id", "indonesianya": "id", "indo": "id"}
# Words before a language's name that say it is not the one wanted ("my friend dont
# understand indo", "ga ngerti bahasa inggris"): this many back
LANGUAGE_REFUSED_WINDOW = 3
LANGUAGE_REFUSED = NEGATIONS | frozenset("jangan bukan tanpa without".split())

# Emoji that say something on their own, sent instead of words: the small talk they are
# (a wave greets at the start of a conversation and says goodbye after an answer)
GESTURES = {"🙏": "thanks", "👍": "ack", "👌": "ack", "🆗": "ack", "✅": "ack", "😊": "ack",
            "🙂": "ack", "😁": "ack", "😂": "ack", "🤣": "ack", "❤": "praise", "😍": "praise",
            "🔥": "praise", "💯": "praise", "👏": "praise", "👋": "greeting"}

# "ke-2", "ke 3", "no. 4", "nomor 2", "number 3", "#3": numbers written as ordinals
NUMBERED = re.compile(r"(?:\bke\s*-?\s*|\bno\s*\.?\s*|\bnomor\s+|\bnumber\s+|#\s*)(\d{1,2})\b"
                       r"|\b(\d{1,2})\s?(?:st|nd|rd|th)\b", re.IGNORECASE)  # "3 rd": as normalised

def has_word(text: str) -> bool:
    """At least one run of MIN_LETTERS letters: "?!", "😀😀", "1234" and "a b" are no question."""
    return re.search(r"[^\W\d_]{%d,}" % MIN_LETTERS, text) is not None

def gesture(text: str, last: Turn | None) -> str | None:
    """The small talk a message of emoji only is ("👍", "🙏🙏"), or None."""
    marks = [c for c in text if not c.isspace() and c not in "\ufe0f\u200d"]
    if not marks or has_word(text):
        return None
    labels = {GESTURES.get(c) for c in marks} - {None}
    if len(labels) != 1:
        return None
    label = labels.pop()
    return "goodbye" if label == "greeting" and last is not None else label

def asks_what_it_means(tokens: list[str]) -> bool:
    """"maksudnya gmn?", "kenapa gitu?", "why?", "kurang ngerti": a short message asking what
    the last reply means or why it holds."""
    present = set(tokens)
    return len(tokens) <= MEANING_ASKED_MAX_WORDS and (
        bool(present & (CLARIFYING | WHY)) or not_understood(tokens))

def not_understood(tokens: list[str]) -> bool:
    """"kurang ngerti", "aku bingung", "I don't understand": the last answer was not
    understood (so it is shown again with the next best, not the sentence after it)."""
    present = set(tokens)
    return bool(present & CONFUSED) or bool(present & UNDERSTAND and present & NEGATIONS)

def style_switched_to_apa(text: str, last: Turn | None) -> str | None:
    """"kalo apa?", "what about apa?" right after a reference: APA, the style asked for in a
    few words (elsewhere "apa" is "what")."""
    tokens = words(text)
    if last is None or last.kind != "citation" or "apa" not in tokens \
            or len(tokens) > STYLE_SWITCH_MAX_WORDS:
        return None
    return "apa"

def named_language(text: str) -> str | None:
    """The language a message names ("dalam bahasa inggris", "in Indonesian"), if any."""
    match = LANGUAGE_PHRASE.search(text)
    if match is None:
        return None
    return "en" if re.search(r"ingg|english", match.group(0), re.IGNORECASE) else "id"

def ordinals(text: str) -> list[int]:
    """The ordinal numbers a message names, in order: words ("ketiga", "last") and numbers
    written as ordinals ("ke-2", "no 3", "3rd")."""
    found = [(m.start(), int(m.group(1) or m.group(2))) for m in NUMBERED.finditer(text)]
    rest = NUMBERED.sub(" ", text)
    found += [(len(text), n) for n in map(ordinal, words(rest)) if n is not None]
    return [n for _, n in sorted(found, key=lambda f: f[0]) if n != 0]

def ordinal(word: str) -> int | None:
    """The number an ordinal word names ("ketiga" 3, "pertamanya" 1, "last" -1), or None."""
    return ORDINALS.get(word, ORDINALS.get(word[:-3]) if word.endswith("nya") else None)


def record_field_asked(tokens: list[str], shown_sections: Iterable[str]) -> str | None:
    """The record field a lone question word asks for right after a reply that showed only
    the record's sentences (``shown_sections``: "who wrote this?", "penulis pertamanya?",
    "mereka dari mana?", then "when?": "published"), or the year asked alone at any time
    ("tahun berapa?"); else None."""
    shown = set(shown_sections)
    asked = [t for t in tokens if t not in ASIDES]
    if tuple(asked) in YEAR_ALONE:  # "tahun berapa?": the only year the record has
        return "published"
    if not shown or len(asked) != 1:
        return None
    field = RECORD_QUESTION_WORDS.get(asked[0])
    return None if field in shown else field


# "tolong bantu aku", "help me pls", "gw bingung", "i dont understand" with nothing answered
# yet: a student who does not know what to ask, to be told what the bot does
HELP = frozenset("bantu bantuin tolong help".split())
ABOUT_ONESELF = frozenset("aku saya gw gue gua aq i me my dong please pls plis kak min sih "
                          "nih deh ya banget bgt sangat so really very".split())


def asks_for_help(tokens: list[str]) -> bool:
    """A message that only asks for help or says the student is lost ("bantu aku dong",
    "gw bingung bgt", "i dont understand"), naming nothing to ask about."""
    rest = [t for t in tokens if t not in ABOUT_ONESELF]
    return bool(rest) and (set(rest) <= HELP or not_understood(rest)) \
        and all(t in HELP | CONFUSED | UNDERSTAND | NEGATIONS for t in rest)


def asks_a_duty(text: str) -> bool:
    """Whether "tugas" asks what someone's duty is ("trus dia tugasnya ngapain aja?"), not
    about an assignment."""
    return bool(_DUTY_ASKED.search(text))


def language_wanted(tokens: list[str]) -> str | None:
    """The language a message asks for by name: the last one named, passing over one named
    as not understood ("english pls, my friend dont understand indo" wants English), or the
    other of the two when that is all it names ("ga ngerti inggris")."""
    refused = None
    for i in range(len(tokens) - 1, -1, -1):
        language = LANGUAGE_WORDS.get(tokens[i])
        if language is None:
            continue
        if not LANGUAGE_REFUSED & set(tokens[max(0, i - LANGUAGE_REFUSED_WINDOW):i]):
            return language
        refused = refused or language
    return next((x for x in LANGUAGES if x != refused), None) if refused else None


def without_own_clauses(text: str) -> str:
    """A message without the clauses about the student ("judul lengkapnya apa ya, sy lupa
    nyatet" -> "judul lengkapnya apa ya"); the whole message when every clause is."""
    kept = [c for c in _CLAUSE_END.split(text) if c.strip()
            and words(c)[:1] != [] and words(c)[0] not in FIRST_PERSON]
    return ",".join(kept) if kept else text


def asks_for_an_opinion(text: str) -> bool:
    """Whether a message asks the bot's own view, yes or no ("in your opinion is
    paradiplomacy dangerous?", "kamu setuju gak sama penulisnya?"), rather than a question
    the article answers put politely ("menurut kamu apa itu paradiplomasi?")."""
    if _OPINION.search(text) is None:
        return False
    return not set(words(_OPINION.sub(" ", text))) & _WH_WORDS


def sentence_named(text: str) -> int | None:
    """The place of the sentence a message names ("kalimat kedua abstraknya maksudnya apa?"
    -> 2, "the last sentence" -> -1, "sentence 3" -> 3), or None."""
    for match in _SENTENCE_NAMED.finditer(text):
        after = match.group("after")
        numbers = ordinals(after) or [int(w) if w.isdigit() else _CARDINALS[w]
                                      for w in words(after) if w.isdigit() or w in _CARDINALS]
        if numbers and numbers[0] != 0:
            return numbers[0]
    for match in _SENTENCE_NAMED_BEFORE.finditer(text):
        numbers = ordinals(match.group("before"))
        if numbers and numbers[0] != 0:
            return numbers[0]
    return None
