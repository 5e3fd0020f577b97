"""Class quizzes from the corpus: items made from the article's own sentences, and checked.

Three kinds of generated items, in Indonesian and English, for every document:

* **cloze**: an abstract sentence with a key term taken out; the term among distractors of
  the same kind (terms of the same article or corpus, similar length);
* **statement**: "which statement does the article make?": a clause of one sentence as
  published, against clauses of other sentences altered (a term swapped or the predicate
  negated) so that the article no longer says them;
* **metadata** (few): a keyword of the article, the year, an author when the corpus has
  other authors to confuse them with.

Every distractor is checked against the article's own passages before it is offered: a
distractor that would make a sentence the article supports is rejected (see
:func:`supported`). Items are realised for a seed: the same seed gives the same distractors
in the same order. A maintainer adds or overrides items by hand in ``<document>.quiz.toml``
beside the article (format: ``corpus/README.md``); :func:`load_hand_items` validates it and
the index build runs it with the rest of the corpus.

Nothing here imports Telegram; the limits below are Telegram's, so that every item can be
sent as a quiz poll as it is.
"""

from __future__ import annotations

import functools
import logging
import random
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from index import LANGUAGES
from index.citation import where
from index.corpus import QUIZ_SUFFIX, CorpusError, Document
from index.passages import ABSTRACT, Passage, document_passages
from index.text import Analyzer, normalize

logger = logging.getLogger(__name__)

MAX_OPTION_CHARS = 100  # Telegram: a poll option is 1-100 characters
MAX_QUESTION_CHARS = 300  # Telegram: a poll question is 1-300 characters
MAX_EXPLANATION_CHARS = 200  # Telegram: a quiz explanation is 0-200 characters
MAX_OPTIONS = 10  # Telegram: a poll has 2-10 options
DISTRACTORS = 3  # four options: a guess is right one time in four, and all fit a phone screen
PLAUSIBLE = 6  # distractors are drawn from this many best-matching candidates per item
CLOZE_PER_PASSAGE = 3  # blanks per sentence: more would make items that give each other away
MAX_TERM_WORDS = 3  # longer "terms" are phrases, not terms
MIN_SINGLE_TERM_CHARS = 7  # a one-word term shorter than this is rarely a concept
MIN_STATEMENT_WORDS = 5  # a shorter clause is not a statement a student can judge
CONTEXT_WORDS = 2  # content words each side of a blank that make up its claim
ROUND_SIZE = 5  # items per round in the bot
MAX_METADATA_PER_ROUND = 1  # metadata items are few: the quiz is about what the article says
BLANK = "____"
KINDS = ("cloze", "statement", "metadata", "manual")

PROMPTS = {
    "id": {
        "cloze": "Lengkapi kalimat dari artikel:",
        "statement": "Pernyataan mana yang dibuat oleh artikel ini?",
        "keyword": "Manakah yang termasuk kata kunci artikel ini?",
        "year": "Tahun berapa artikel ini diterbitkan?",
        "author": "Siapa salah satu penulis artikel ini?",
        "in": "Artikel “{}”:",
    },
    "en": {
        "cloze": "Fill in the blank (a sentence of the article):",
        "statement": "Which statement does the article make?",
        "keyword": "Which of these is a keyword of the article?",
        "year": "In which year was the article published?",
        "author": "Who is one of the authors of the article?",
        "in": "Article “{}”:",
    },
}
SHORT_TITLE_CHARS = 60  # names the article in a question when the corpus has several

# Words that turn a clause into its negation ("tidak"/"bukan", "not"): compared, not stemmed.
NEGATIONS = {"id": frozenset({"tidak", "bukan", "tak", "belum"}),
             "en": frozenset({"not", "cannot", "never", "no"})}

# Clause boundaries for statements: a statement is the sentence cut before one of these.
CUT_WORDS = {
    "id": frozenset("untuk melalui yang dengan serta sebagai agar dalam di oleh karena sehingga "
                    "bagi pada antara".split()),
    "en": frozenset("to through which that who by for as in with while so into from among "
                    "toward towards".split()),
}
# A leading frame ("Dalam konteks otonomi daerah, ...") may be left out of a statement.
FRAME_WORDS = {
    "id": frozenset("dalam di pada melalui menurut berdasarkan bagi sebagai dengan".split()),
    "en": frozenset("in within through according based for as with at by".split()),
}
ID_VERB_PREFIX = re.compile(r"^(?:me|ber|be|di|ter|per)")
ID_PREDICATES = frozenset("mampu menjadi dapat perlu harus akan berperan berfungsi".split())
ID_INTENSIFIERS = frozenset("sangat amat juga selalu".split())
EN_AUXILIARIES = frozenset("is are was were can will should must may might could would has "
                           "have had".split())
EN_VERBS = frozenset("""
represent play function determine discuss show use need improve require strengthen become
bridge transform shape drive support enable increase reduce affect influence depend serve
remain provide offer create promote encourage help build lead make give find indicate suggest
reveal argue examine analyse analyze explore describe highlight emphasize emphasise
demonstrate contribute face lack involve include mean initiate direct realize realise bridge
propose apply assess compare identify investigate measure study focus""".split())
EN_NOUN_ENDINGS = ("tion", "sion", "acy", "ance", "ence", "ity", "ism", "ment", "ness", "ship",
                   "cracy", "ogy", "ics")
ID_NOUN_ENDINGS = ("asi", "an", "isme", "itas", "si")
_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
# The checks look at the same sentences and options again and again (every distractor of every
# item against every passage): text -> words, stems and normal form are remembered, this many.
TEXT_CACHE = 1 << 15


# -- the items ---------------------------------------------------------------------------

@dataclass(frozen=True)
class QuizItem:
    """One quiz poll: ``options[correct]`` is right; ``passage`` is the sentence it cites."""

    id: str
    kind: str  # one of KINDS
    language: str
    document: str
    passage: str  # id of the passage the explanation cites
    question: str
    options: tuple[str, ...]
    correct: int
    explanation: str

    @property
    def answer(self) -> str:
        return self.options[self.correct]

    def to_json(self) -> dict:
        """The CLI's JSON line (``python -m bot quiz --json``)."""
        return {"question": self.question, "options": list(self.options),
                "correct": self.correct, "explanation": self.explanation,
                "language": self.language, "passage": self.passage,
                "id": self.id, "kind": self.kind}


@dataclass(frozen=True)
class Candidate:
    """An item before a seed picks its distractors: the right answer and every valid wrong one,
    most plausible first (each already checked against the article)."""

    id: str
    kind: str
    language: str
    document: str
    passage: str
    question: str
    answer: str
    wrong: tuple[str, ...]
    explanation: str
    fixed: bool = False  # hand-written: all its wrong options are used, none drawn

    def realise(self, seed: int) -> QuizItem:
        rng = random.Random(f"{seed}:{self.id}")
        if self.fixed:
            wrong = list(self.wrong)
        else:
            pool = list(self.wrong[:PLAUSIBLE])
            wrong = rng.sample(pool, DISTRACTORS)
        options = [self.answer, *wrong]
        rng.shuffle(options)
        return QuizItem(self.id, self.kind, self.language, self.document, self.passage,
                        self.question, tuple(options), options.index(self.answer),
                        self.explanation)


# -- text helpers ------------------------------------------------------------------------

@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    text: str

    @property
    def lower(self) -> str:
        return self.text.lower()


@functools.lru_cache(maxsize=TEXT_CACHE)
def _tokens(text: str) -> tuple[_Token, ...]:
    return tuple(_Token(m.start(), m.end(), m.group()) for m in _WORD.finditer(text))


class _Lang:
    """What the quiz needs of one language: stems, stop words, verb-likeness."""

    def __init__(self, language: str):
        self.language = language
        self.analyzer = Analyzer(language)
        self._remembered_stems = functools.lru_cache(maxsize=TEXT_CACHE)(self._stems)

    def stem(self, word: str) -> str:
        return self.analyzer.stem(word.lower())

    def stems(self, text: str) -> tuple[str, ...]:
        """Content stems in order, hyphenated words split as BM25 splits them (remembered)."""
        return self._remembered_stems(text)

    def _stems(self, text: str) -> tuple[str, ...]:
        return tuple(self.analyzer.terms(text))

    def is_stop(self, word: str) -> bool:
        return word.lower() in self.analyzer.stop_words

    def is_verbish(self, word: str) -> bool:
        w = word.lower()
        if self.language == "id":
            return bool(ID_VERB_PREFIX.match(w)) and self.stem(w) != w or w in ID_PREDICATES
        if w in EN_VERBS or w in EN_AUXILIARIES or w.endswith("ly"):
            return True
        if len(w) > 5 and w.endswith(("ing", "ed")):
            return True
        return _third_person(w) is not None

    def is_termish(self, words: Sequence[str]) -> bool:
        if len(words) == 1:
            w = words[0].lower()
            endings = ID_NOUN_ENDINGS if self.language == "id" else EN_NOUN_ENDINGS
            return len(w) >= MIN_SINGLE_TERM_CHARS and w.endswith(endings)
        return True


_LANGS: dict[str, _Lang] = {}


def _lang(language: str) -> _Lang:
    if language not in _LANGS:
        _LANGS[language] = _Lang(language)
    return _LANGS[language]


@functools.lru_cache(maxsize=TEXT_CACHE)
def _norm(text: str) -> str:
    return " ".join(_WORD.findall(normalize(text).lower()))


def _display(term: str) -> str:
    """A keyword as listed ("Otonomi Daerah") as it reads inside a sentence."""
    return " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in term.split())


def _sentence_case(term: str) -> str:
    """All options of an item cased alike, so that case gives nothing away."""
    shown = _display(term)
    return shown[:1].upper() + shown[1:]


def _fit(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def _contains(haystack: Sequence[str], needle: Sequence[str]) -> bool:
    n = len(needle)
    return n > 0 and any(tuple(haystack[i:i + n]) == tuple(needle)
                         for i in range(len(haystack) - n + 1))


# -- terms -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Term:
    """A term of an article in one language: how it reads, and its stems."""

    text: str
    stems: tuple[str, ...]
    keyword: bool = False

    @property
    def words(self) -> int:
        return len(self.text.split())


@functools.lru_cache(maxsize=TEXT_CACHE)
def _runs(text: str, lang: _Lang) -> tuple[tuple[_Token, ...], ...]:
    """Maximal runs of content words not broken by punctuation, stop words or verbs
    (remembered: every build and bot start makes the quiz of the same sentences)."""
    return tuple(tuple(run) for run in _find_runs(text, lang))


def _find_runs(text: str, lang: _Lang) -> list[list[_Token]]:
    runs: list[list[_Token]] = []
    current: list[_Token] = []
    previous: _Token | None = None
    for tok in _tokens(text):
        breaks = (lang.is_stop(tok.text) or lang.is_verbish(tok.text) or len(tok.text) < 3
                  or any(c.isdigit() for c in tok.text))
        joined = previous is not None and text[previous.end:tok.start] == " "
        if current and (breaks or not joined):
            runs.append(current)
            current = []
        if not breaks:
            current.append(tok)
        previous = tok
    if current:
        runs.append(current)
    return runs


def passage_terms(text: str, language: str, keywords: Iterable[str] = (),
                  recurring: Iterable[str] = ()) -> list[tuple[int, int]]:
    """Character spans of the terms in ``text``: keywords found in it, and runs of up to three
    content words (of longer runs, the parts in ``recurring``), one-word runs only when
    they look like a concept (e.g. "-asi", "-tion")."""
    lang = _lang(language)
    spans: list[tuple[int, int]] = []
    low = text.lower()
    for kw in keywords:
        for m in re.finditer(r"(?<![\w-])" + re.escape(kw.lower()) + r"(?![\w-])", low):
            spans.append((m.start(), m.end()))
    recurring = {_norm(r) for r in recurring}
    for run in _runs(text, lang):
        if len(run) <= MAX_TERM_WORDS:
            subs = [run]
        else:  # a long run's parts are terms only where the article uses them elsewhere too
            subs = []
            for n in (MAX_TERM_WORDS, 2):  # the longest such part, not its pieces
                for i in range(len(run) - n + 1):
                    part = run[i:i + n]
                    if _norm(" ".join(t.text for t in part)) in recurring and not any(
                            part[0].start < s[-1].end and s[0].start < part[-1].end
                            for s in subs):
                        subs.append(part)
        for sub in subs:
            if lang.is_termish([t.text for t in sub]):
                spans.append((sub[0].start, sub[-1].end))
    return sorted(set(spans))


def _recurring(texts: Sequence[str], language: str) -> frozenset[str]:
    """Runs of two or three content words that occur in more than one of ``texts``."""
    lang = _lang(language)
    counts: dict[str, int] = {}
    for text in texts:
        grams: set[str] = set()
        for run in _runs(text, lang):
            words = [t.text.lower() for t in run]
            grams.update(" ".join(words[i:i + n]) for n in (2, MAX_TERM_WORDS)
                         for i in range(len(words) - n + 1))
        for g in grams:
            counts[g] = counts.get(g, 0) + 1
    return frozenset(g for g, c in counts.items() if c > 1)


def document_terms(doc: Document, article: Article) -> list[Term]:
    """Every term of one document in the article's language, keywords first, each once."""
    language = article.language
    lang = _lang(language)
    keywords = doc.keywords_in(language)[0]
    found: dict[tuple[str, ...], Term] = {}
    for kw in keywords:
        stems = lang.stems(kw)
        if stems:
            found.setdefault(stems, Term(_display(kw), stems, keyword=True))
    for p in article.passages:
        if p.section != ABSTRACT:
            continue
        for start, end in passage_terms(p.text, language, keywords, article.recurring):
            surface = p.text[start:end]
            stems = lang.stems(surface)
            if not stems:
                continue
            if stems in found and found[stems].keyword:
                found[stems] = Term(surface if surface[0].islower() or surface.isupper()
                                    else found[stems].text, stems, keyword=True)
            else:
                found.setdefault(stems, Term(surface if start else _display(surface), stems))
    return list(found.values())


# -- the article's support for a claim ---------------------------------------------------

@dataclass(frozen=True)
class Article:
    """One document's passages in one language, analysed once for the checks."""

    document: str
    language: str
    passages: tuple[Passage, ...]
    stems: tuple[tuple[str, ...], ...] = field(default=())
    negated: tuple[bool, ...] = field(default=())
    normed: tuple[str, ...] = field(default=())
    recurring: frozenset[str] = frozenset()

    @classmethod
    def of(cls, document: str, language: str, passages: Iterable[Passage]) -> Article:
        mine = tuple(p for p in passages if p.document == document and p.language == language)
        lang = _lang(language)
        return cls(document, language, mine,
                   tuple(lang.stems(p.text) for p in mine),
                   tuple(_negated(p.text, language) for p in mine),
                   tuple(_norm(p.text) for p in mine),
                   _recurring([p.text for p in mine], language))

    def passage(self, passage_id: str) -> Passage | None:
        return next((p for p in self.passages if p.id == passage_id), None)

    def says(self, text: str) -> bool:
        """The text occurs word for word in one of the passages."""
        n = _norm(text)
        return bool(n) and any(n in p for p in self.normed)


def _negated(text: str, language: str) -> bool:
    return any(w in NEGATIONS[language] for w in _norm(text).split())


def supported(claim: str, article: Article, only: Sequence[str] = ()) -> bool:
    """True when one passage of the article (of ``only`` if given) holds every content word of
    ``claim`` (stemmed) and agrees with it on negation: the article may well say it.

    Deliberately generous to the article: a distractor is rejected on suspicion, because a
    quiz whose "wrong" answer the article supports teaches the wrong thing.
    """
    lang = _lang(article.language)
    stems = set(lang.stems(claim))
    if not stems:
        return False
    neg = _negated(claim, article.language)
    for p, p_stems, p_neg in zip(article.passages, article.stems, article.negated, strict=True):
        if only and p.id not in only:
            continue
        if stems <= set(p_stems) and neg == p_neg:
            return True
    return False


def blank_claim(sentence: str, filler: str, language: str) -> str:
    """What a cloze sentence claims near its blank once ``filler`` is in it: the filler with up
    to CONTEXT_WORDS content words on each side."""
    lang = _lang(language)
    before, _, after = sentence.partition(BLANK)
    left = [t.text for t in _tokens(before) if not lang.is_stop(t.text)][-CONTEXT_WORDS:]
    right = [t.text for t in _tokens(after) if not lang.is_stop(t.text)][:CONTEXT_WORDS]
    return " ".join([*left, filler, *right])


def blanked_sentence(question: str) -> str:
    """The quoted sentence with the blank in a cloze question, without "…" at its cuts."""
    at = question.index(BLANK)
    start = question.rfind("“", 0, at) + 1
    end = question.find("”", at)
    return question[start:end if end >= 0 else len(question)].strip("…")


def fill(sentence: str, filler: str) -> str:
    return sentence.replace(BLANK, filler, 1)


# -- checks (also run by the tests on every realised item) -------------------------------

def check_limits(item: QuizItem) -> list[str]:
    """Telegram's limits and the one-correct-option shape."""
    problems = []
    if not 1 <= len(item.question) <= MAX_QUESTION_CHARS:
        problems.append(f"question has {len(item.question)} characters (1-{MAX_QUESTION_CHARS})")
    if len(item.explanation) > MAX_EXPLANATION_CHARS:
        problems.append(f"explanation has {len(item.explanation)} characters "
                        f"(at most {MAX_EXPLANATION_CHARS})")
    if not 2 <= len(item.options) <= MAX_OPTIONS:
        problems.append(f"{len(item.options)} options (2-{MAX_OPTIONS})")
    for option in item.options:
        if not 1 <= len(option) <= MAX_OPTION_CHARS:
            problems.append(f"option {option!r} has {len(option)} characters "
                            f"(1-{MAX_OPTION_CHARS})")
    if len({_norm(o) for o in item.options}) != len(item.options):
        problems.append("two options are the same")
    if not 0 <= item.correct < len(item.options):
        problems.append(f"correct index {item.correct} is not an option")
    return problems


def check_item(item: QuizItem, article: Article) -> list[str]:
    """Every rule an item must pass, as readable problems (empty: valid).

    The right option is in the cited sentence (cloze: the filled sentence is); no wrong option
    is supported by the article (:func:`supported`; cloze: the claim around the blank);
    Telegram's limits.
    """
    problems = check_limits(item)
    if problems:
        return problems
    cited = article.passage(item.passage)
    if cited is None:
        return [f"cites {item.passage!r}, not a passage of {article.document} ({article.language})"]
    check = _KIND_CHECKS.get(item.kind)
    if check is None:
        return [f"unknown kind {item.kind!r}"]
    wrong = [o for i, o in enumerate(item.options) if i != item.correct]
    return check(item, cited, wrong, article)


def _check_cloze(item: QuizItem, cited: Passage, wrong: list[str], article: Article) -> list[str]:
    """The answer restores the cited sentence; no distractor makes a sentence or a claim of the
    article, or is in the cited sentence."""
    if BLANK not in item.question:
        return ["cloze question without a blank"]
    problems = []
    sentence = blanked_sentence(item.question)
    if _norm(fill(sentence, item.answer)) not in _norm(cited.text):
        problems.append("the answer does not restore the cited sentence")
    for o in wrong:
        if article.says(fill(sentence, o)):
            problems.append(f"distractor {o!r} makes a sentence of the article")
        elif supported(blank_claim(sentence, o, item.language), article):
            problems.append(f"distractor {o!r} makes a claim the article supports")
        elif _norm(o) in _norm(cited.text):
            problems.append(f"distractor {o!r} is in the cited sentence")
    return problems


def _check_statement(item: QuizItem, cited: Passage, wrong: list[str],
                     article: Article) -> list[str]:
    """The right statement is in the cited sentence; no altered one is supported."""
    problems = []
    if _norm(item.answer) not in _norm(cited.text):
        problems.append("the right statement is not in the cited sentence")
    for o in wrong:
        if article.says(o) or supported(o, article):
            problems.append(f"altered statement {o!r} is supported by the article")
    return problems


def _check_metadata(item: QuizItem, cited: Passage, wrong: list[str],
                    article: Article) -> list[str]:
    """The answer is in the cited metadata passage; no wrong option is."""
    problems = []
    if not supported(item.answer, article, only=[cited.id]):
        problems.append("the answer is not in the cited metadata")
    for o in wrong:
        if supported(o, article, only=[cited.id]) or _norm(o) in _norm(cited.text):
            problems.append(f"wrong option {o!r} is in the cited metadata")
    return problems


def _check_manual(item: QuizItem, cited: Passage, wrong: list[str],
                  article: Article) -> list[str]:
    """A hand-written item: no wrong option is in the cited sentence (the rest is the
    maintainer's judgement)."""
    return [f"wrong option {o!r} is in the cited sentence"
            for o in wrong if _norm(o) in _norm(cited.text)]


_KIND_CHECKS = {"cloze": _check_cloze, "statement": _check_statement,
                "metadata": _check_metadata, "manual": _check_manual}


# -- generation --------------------------------------------------------------------------

def _in_title(doc: Document, language: str, corpus_size: int, question: str) -> str:
    if corpus_size <= 1:
        return question
    title = (doc.title_in(language) or (doc.title, False))[0]
    return f"{PROMPTS[language]['in'].format(_fit(title, SHORT_TITLE_CHARS))} {question}"


def _slug(text: str) -> str:
    return "-".join(_norm(text).split())[:40] or "x"


def _window(text: str, start: int, end: int, limit: int) -> str:
    """``text`` around ``[start, end)``, cut at words with "…" so that it fits ``limit``."""
    if len(text) <= limit:
        return text
    left, mid, right = text[:start], text[start:end], text[end:]
    room = max(limit - len(mid) - 2, 0)
    left_room = min(len(left), room // 2)
    right_room = room - left_room
    if len(right) < right_room:
        left_room = room - len(right)
    cut_left = left[len(left) - left_room:] if left_room < len(left) else left
    if cut_left != left:
        cut_left = "…" + cut_left.split(" ", 1)[-1] if " " in cut_left else "…"
    cut_right = right[:right_room] if right_room < len(right) else right
    if cut_right != right:
        cut_right = (cut_right.rsplit(" ", 1)[0] if " " in cut_right else "") + "…"
    return cut_left + mid + cut_right


def _explanation(p: Passage, language: str, start: int, end: int) -> str:
    head = f"{where(p, language)}: “"
    room = MAX_EXPLANATION_CHARS - len(head) - 1
    return head + _window(p.text, start, end, room) + "”"


def _ranked(answer: Term, pool: Sequence[Term]) -> list[Term]:
    """Distractor candidates of the same kind first: keywords with keywords, then by how close
    their length in words is; ties keep the pool's (deterministic) order."""
    return sorted(pool, key=lambda t: (t.keyword != answer.keyword, abs(t.words - answer.words)))


def _compatible(answer: Term, other: Term) -> bool:
    """Not the answer in other words: neither term's stems contain the other's."""
    return not (_contains(other.stems, answer.stems) or _contains(answer.stems, other.stems)
                or set(other.stems) == set(answer.stems))


def _case_like(option: str, at_start: bool) -> str:
    return option[:1].upper() + option[1:] if at_start else option


def _cloze(doc: Document, p: Passage, article: Article, terms: list[Term],
           pool: list[Term], corpus_size: int) -> list[Candidate]:
    """The cloze items of one sentence: each chosen term blanked (see :func:`_blank_spans`),
    kept when it has DISTRACTORS distractors the article does not support."""
    out: list[Candidate] = []
    ids: set[str] = set()
    prompt = _in_title(doc, p.language, corpus_size, PROMPTS[p.language]["cloze"])
    for start, end, term in _blank_spans(doc, p, article, terms):
        answer = p.text[start:end]
        room = MAX_QUESTION_CHARS - len(prompt) - 3 - len(BLANK) + len(answer)
        sentence = _blanked(p.text, start, end, room)
        wrong = _cloze_distractors(term, answer, sentence, start == 0, p, article, pool)
        if len(wrong) < DISTRACTORS or len(answer) > MAX_OPTION_CHARS:
            continue
        item_id = f"{doc.id}:{p.language}:cloze:{p.section}:{p.position}:{_slug(answer)}"
        if item_id in ids:
            item_id += f"-{start}"
        ids.add(item_id)
        out.append(Candidate(
            id=item_id,
            kind="cloze", language=p.language, document=doc.id, passage=p.id,
            question=f"{prompt} “{sentence}”", answer=answer, wrong=tuple(wrong),
            explanation=_explanation(p, p.language, start, end)))
    return out


def _blank_spans(doc: Document, p: Passage, article: Article,
                 terms: list[Term]) -> list[tuple[int, int, Term]]:
    """(start, end, term) of the terms to blank in the sentence, in text order: keywords first,
    then terms that recur in the article, then longer ones; none overlapping, none in a
    leading frame or after "a"/"an"; at most CLOZE_PER_PASSAGE."""
    lang = _lang(p.language)
    by_stems = {t.stems: t for t in terms}
    spans = passage_terms(p.text, p.language, doc.keywords_in(p.language)[0], article.recurring)
    frame = frame_end(p.text, p.language)
    ranked_spans = []
    for start, end in spans:
        term = by_stems.get(lang.stems(p.text[start:end]))
        if term is None or start < frame or _after_article(p.text, start):
            continue
        recurring = sum(_contains(s, term.stems) for s in article.stems) > 1
        ranked_spans.append(((not term.keyword, not recurring, -term.words, start),
                             start, end, term))
    chosen: list[tuple[int, int, Term]] = []
    for _, start, end, term in sorted(ranked_spans, key=lambda r: r[0]):
        if any(start < e and s < end for s, e, _ in chosen):
            continue
        chosen.append((start, end, term))
        if len(chosen) == CLOZE_PER_PASSAGE:
            break
    return sorted(chosen, key=lambda c: c[0])


def _blanked(text: str, start: int, end: int, room: int) -> str:
    """``text`` cut to ``room`` around ``[start, end)`` (see :func:`_window`), that span
    replaced by BLANK."""
    answer = text[start:end]
    shown = _window(text, start, end, room)
    offset = shown.find(answer, max(0, start - (len(text) - len(shown)) - 2)) \
        if shown != text else start
    if offset < 0:
        offset = shown.find(answer)
    return shown[:offset] + BLANK + shown[offset + len(answer):]


def _cloze_distractors(term: Term, answer: str, sentence: str, at_start: bool, p: Passage,
                       article: Article, pool: list[Term]) -> list[str]:
    """Up to PLAUSIBLE distractors for a blanked ``term``, most plausible first: other terms
    of the pool that are not the answer in other words, not in the sentence, fit an option,
    and make neither a sentence nor a claim (:func:`supported`) of the article."""
    sentence_stems = _lang(p.language).stems(p.text)
    wrong: list[str] = []
    seen = {_norm(answer)}
    for other in _ranked(term, pool):
        option = _case_like(other.text, at_start)
        if (_norm(option) in seen or not _compatible(term, other)
                or len(option) > MAX_OPTION_CHARS
                or _contains(sentence_stems, other.stems)
                or article.says(fill(sentence, option))
                or supported(blank_claim(sentence, option, p.language), article)):
            continue
        seen.add(_norm(option))
        wrong.append(option)
        if len(wrong) == PLAUSIBLE:
            break
    return wrong


def _after_article(text: str, start: int) -> bool:
    """After "a"/"an" only a term of the same number and sound fits: the grammar would tell."""
    return text[:start].rstrip().rsplit(" ", 1)[-1].lower() in ("a", "an")


def frame_end(text: str, language: str) -> int:
    """Where a short leading frame ("Dalam konteks otonomi daerah, ...") ends, else 0. Terms
    in a frame are neither blanked nor swapped: "in the context of X" is true of too many X."""
    head, sep, _ = text.partition(", ")
    if sep and head.split()[0].lower() in FRAME_WORDS[language] and len(head) < len(text) * 0.45:
        return len(head) + len(sep)
    return 0


def statement_clause(text: str, language: str) -> str | None:
    """The sentence's main clause as a statement of at most MAX_OPTION_CHARS: a short leading
    frame left out, cut before a clause word; None if no such clause has a predicate."""
    lang = _lang(language)
    body = text.strip().rstrip(".!?").strip()
    variants = [body]
    if cut := frame_end(body, language):
        variants.append(body[cut:cut + 1].upper() + body[cut + 1:])
    for variant in variants:
        toks = _tokens(variant)
        ends = [len(variant)] + [toks[i - 1].end for i in range(1, len(toks))
                                 if toks[i].lower in CUT_WORDS[language]]
        for end in sorted(set(ends), reverse=True):
            clause = variant[:end].rstrip(" ,;:")
            if len(clause) > MAX_OPTION_CHARS or len(clause.split()) < MIN_STATEMENT_WORDS:
                continue
            if negate(clause, language) is not None and lang.stems(clause):
                return clause
    return None


def negate(clause: str, language: str) -> str | None:
    """The clause with its predicate negated, or None if no predicate is recognised."""
    toks = _tokens(clause)
    if any(t.lower in NEGATIONS[language] for t in toks):
        return None
    if language == "id":
        return _negate_id(clause, toks, _lang(language))
    return _negate_en(clause, toks)


def _negate_id(clause: str, toks: Sequence[_Token], lang: _Lang) -> str | None:
    """"merupakan"/"adalah" -> "bukan"; "tidak" before the first predicate-like word (in place
    of an intensifier before it: "sangat mampu" -> "tidak mampu")."""
    for i, tok in enumerate(toks[1:], 1):
        w = tok.lower
        prev = toks[i - 1]
        if w in ("merupakan", "adalah"):
            return clause[:tok.start] + "bukan" + clause[tok.end:]
        if w in ID_PREDICATES or lang.is_verbish(w):
            if prev.lower in ID_INTENSIFIERS:
                return clause[:prev.start] + "tidak" + clause[prev.end:]
            return clause[:tok.start] + "tidak " + clause[tok.start:]
    return None


def _negate_en(clause: str, toks: Sequence[_Token]) -> str | None:
    """"not" after the first auxiliary (an adverb in -ly after it dropped; "can" -> "cannot"),
    else "does not"/"do not" before the first known verb (and in place of an adverb in -ly
    before it)."""
    for i, tok in enumerate(toks[1:], 1):
        w = tok.lower
        if w in EN_AUXILIARIES:
            after = toks[i + 1] if i + 1 < len(toks) else None
            tail_start = after.end if after is not None and after.lower.endswith("ly") else tok.end
            neg = "cannot" if w == "can" else f"{tok.text} not"
            return clause[:tok.start] + neg + clause[tail_start:]
        if w.endswith("ly"):
            continue
        negated = _negate_en_verb(clause, tok, toks[i - 1])
        if negated is not None:
            return negated
    return None


def _negate_en_verb(clause: str, tok: _Token, prev: _Token) -> str | None:
    """``tok`` as a known verb ("shows" -> "does not show", "show" -> "do not show"), or None."""
    w = tok.lower
    start = prev.start if prev.lower.endswith("ly") else tok.start
    if (v := _third_person(w)) is not None:
        return clause[:start] + f"does not {v}" + clause[tok.end:]
    if w in EN_VERBS:
        return clause[:start] + f"do not {w}" + clause[tok.end:]
    return None


def _third_person(word: str) -> str | None:
    """The verb of EN_VERBS that ``word`` is the third person singular of ("shows" -> "show",
    "focuses" -> "focus"), else None. (No verb of the list is another plus "s"/"es"/"e", so
    at most one fits.)"""
    for ending in ("s", "es"):
        if word.endswith(ending) and word[:-len(ending)] in EN_VERBS:
            return word[:-len(ending)]
    return None


def _alterations(clause: str, frame: int, doc: Document, article: Article, terms: list[Term],
                 pool: list[Term]) -> list[str]:
    """Versions of ``clause`` the article does not support: a term swapped for another term of
    the same kind, or the predicate negated; each checked by :func:`supported`."""
    language = article.language
    lang = _lang(language)
    by_stems = {t.stems: t for t in terms}
    out: list[str] = []
    for start, end in passage_terms(clause, language, doc.keywords_in(language)[0],
                                    article.recurring):
        term = by_stems.get(lang.stems(clause[start:end]))
        if term is None or start < frame or _after_article(clause, start):
            continue
        for other in _ranked(term, pool):
            if set(term.stems) & set(other.stems) or _contains(lang.stems(clause), other.stems):
                continue  # a swap that keeps part of the term says nearly the same
            altered = clause[:start] + _case_like(other.text, start == 0) + clause[end:]
            if len(altered) <= MAX_OPTION_CHARS and not article.says(altered) \
                    and not supported(altered, article):
                out.append(altered)
                break
    negated = negate(clause, language)
    if negated and len(negated) <= MAX_OPTION_CHARS and not supported(negated, article):
        out.append(negated)
    return out


def _statements(doc: Document, article: Article, terms: list[Term], pool: list[Term],
                corpus_size: int) -> list[Candidate]:
    abstract = [p for p in article.passages if p.section == ABSTRACT]
    clauses = {p.id: c for p in abstract if (c := statement_clause(p.text, p.language))}
    frames = {p.id: f if clauses.get(p.id, "").startswith(p.text[:f]) else 0
              for p in abstract if (f := frame_end(p.text, p.language))}
    altered = {pid: _alterations(c, frames.get(pid, 0), doc, article, terms, pool)
               for pid, c in clauses.items()}
    out = []
    language = article.language
    prompt = _in_title(doc, language, corpus_size, PROMPTS[language]["statement"])
    for p in abstract:
        clause = clauses.get(p.id)
        if clause is None:
            continue
        # other sentences' alterations first (one each, round-robin), then this one's own
        others = [a for q in abstract if q.id != p.id for a in altered.get(q.id, [])[:1]]
        others += [a for q in abstract if q.id != p.id for a in altered.get(q.id, [])[1:]]
        wrong = list(dict.fromkeys(o for o in [*others, *altered[p.id]]
                                   if _norm(o) != _norm(clause)))
        if len(wrong) < DISTRACTORS:
            continue
        start = p.text.find(clause)
        out.append(Candidate(
            id=f"{doc.id}:{language}:statement:{p.section}:{p.position}",
            kind="statement", language=language, document=doc.id, passage=p.id,
            question=prompt, answer=clause, wrong=tuple(wrong),
            explanation=_explanation(p, language, max(start, 0), max(start, 0) + len(clause))))
    return out


def _metadata(doc: Document, article: Article, terms: list[Term], others: Sequence[Document],
              corpus_size: int) -> list[Candidate]:
    language = article.language
    out = []
    sections = {p.section: p for p in article.passages if p.section != ABSTRACT}
    keywords = doc.keywords_in(language)[0]
    kp = sections.get("keywords")
    if kp and keywords:
        listed = [t for t in terms if t.keyword]
        wrong = [t.text for t in terms if not t.keyword and t.words > 1
                 and all(_compatible(k, t) for k in listed)
                 and not supported(t.text, article, only=[kp.id])
                 and len(t.text) <= MAX_OPTION_CHARS]
        for kw in keywords:
            if len(wrong) >= DISTRACTORS and len(kw) <= MAX_OPTION_CHARS:
                start = kp.text.find(kw)
                out.append(Candidate(
                    id=f"{doc.id}:{language}:metadata:keywords:{_slug(kw)}", kind="metadata",
                    language=language, document=doc.id, passage=kp.id,
                    question=_in_title(doc, language, corpus_size, PROMPTS[language]["keyword"]),
                    answer=_sentence_case(kw), wrong=tuple(_sentence_case(w) for w in wrong),
                    explanation=_explanation(kp, language, max(start, 0),
                                             max(start, 0) + len(kw))))
    pp = sections.get("published")
    if pp:
        year = doc.year
        out.append(Candidate(
            id=f"{doc.id}:{language}:metadata:published", kind="metadata", language=language,
            document=doc.id, passage=pp.id,
            question=_in_title(doc, language, corpus_size, PROMPTS[language]["year"]),
            answer=str(year), wrong=tuple(str(y) for y in (year - 1, year + 1, year - 2, year + 2,
                                                           year - 3, year + 3)),
            explanation=_explanation(pp, language, 0, len(pp.text))))
    ap = sections.get("authors")
    mine = {a.name for a in doc.authors}
    strangers = list(dict.fromkeys(a.name for d in others for a in d.authors
                                   if a.name not in mine))
    if ap:
        strangers = [s for s in strangers if _norm(s) not in _norm(ap.text)
                     and len(s) <= MAX_OPTION_CHARS]
    if ap and len(strangers) >= DISTRACTORS:
        name = doc.authors[0].name
        start = ap.text.find(name)
        out.append(Candidate(
            id=f"{doc.id}:{language}:metadata:authors", kind="metadata", language=language,
            document=doc.id, passage=ap.id,
            question=_in_title(doc, language, corpus_size, PROMPTS[language]["author"]),
            answer=name, wrong=tuple(strangers),
            explanation=_explanation(ap, language, max(start, 0), max(start, 0) + len(name))))
    return out


CORPUS_POOL = 200  # other articles' terms considered as distractors: plenty, and bounded


def document_candidates(doc: Document, language: str, corpus: Sequence[Document],
                        corpus_terms: Sequence[Term] = ()) -> list[Candidate]:
    """Every generated item of one document in one language, before a seed picks.

    ``corpus_terms``: terms of the other articles, offered after the article's own.
    """
    article = Article.of(doc.id, language, document_passages(doc))
    terms = document_terms(doc, article)
    pool = list(terms)
    known = {t.stems for t in pool}
    for t in corpus_terms:
        if t.stems not in known and len(pool) < len(terms) + CORPUS_POOL:
            known.add(t.stems)
            pool.append(t)
    out: list[Candidate] = []
    for p in article.passages:
        if p.section == ABSTRACT:
            out.extend(_cloze(doc, p, article, terms, pool, len(corpus)))
    out.extend(_statements(doc, article, terms, pool, len(corpus)))
    out.extend(_metadata(doc, article, terms, [d for d in corpus if d.id != doc.id],
                         len(corpus)))
    return out


def generate(docs: Sequence[Document]) -> list[Candidate]:
    """Every generated item of the corpus, both languages, in document order."""
    terms = {(d.id, lang): document_terms(d, Article.of(d.id, lang, document_passages(d)))
             for d in docs for lang in LANGUAGES}
    out = []
    for doc in docs:
        for lang in LANGUAGES:
            others = [t for d in docs if d.id != doc.id for t in terms[(d.id, lang)]]
            out.extend(document_candidates(doc, lang, docs, others[:CORPUS_POOL * 2]))
    return out


# -- hand-written items ------------------------------------------------------------------

class _HandItem(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    language: str = Field(pattern="^(id|en)$")
    question: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS)
    answer: str = Field(min_length=1, max_length=MAX_OPTION_CHARS)
    wrong: tuple[str, ...] = Field(min_length=1, max_length=MAX_OPTIONS - 1)
    explanation: str = Field(default="", max_length=MAX_EXPLANATION_CHARS)
    passage: str = Field(pattern=r"^[a-z]+:\d+(\.\d+)?$")
    replaces: str | None = None


class _HandFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    drop: tuple[str, ...] = ()
    items: tuple[_HandItem, ...] = ()


@dataclass(frozen=True)
class HandItems:
    """A document's hand-written items, and the generated ones they replace or drop."""

    document: str
    items: tuple[Candidate, ...]
    removed: frozenset[str]


def quiz_files(corpus_dir: Path) -> list[Path]:
    return sorted(p for p in corpus_dir.glob(f"*{QUIZ_SUFFIX}") if p.is_file())


def load_hand_items(corpus_dir: Path, docs: Sequence[Document],
                    generated: dict[str, set[str]] | None = None) -> list[HandItems]:
    """Every ``<document>.quiz.toml`` of the corpus, validated; :class:`CorpusError` lists
    every problem as ``FILE: FIELD: what is wrong``.

    ``generated`` (document id -> generated item ids) is computed when not given, to check
    that ``replaces`` and ``drop`` name items that exist.
    """
    by_id = {d.id: d for d in docs}
    problems: list[str] = []
    out: list[HandItems] = []
    for path in quiz_files(corpus_dir):
        name = str(path)
        doc_id = path.name[: -len(QUIZ_SUFFIX)]
        doc = by_id.get(doc_id)
        if doc is None:
            problems.append(f"{name}: (file): no article {doc_id}.toml beside it")
            continue
        parsed = _read_hand_file(path, problems)
        if parsed is None:
            continue
        if generated is None:
            generated = _ids_by_document(generate(docs))
        known = generated.get(doc_id, set())
        problems += [f"{name}: drop.{n}: {ref!r} is not a generated item of {doc_id} "
                     "(python -m bot quiz --json lists their ids)"
                     for n, ref in enumerate(parsed.drop) if ref not in known]
        passages = document_passages(doc)
        items = [c for n, item in enumerate(parsed.items)
                 if (c := _hand_item(item, n, name, doc_id, passages, known, problems))]
        removed = set(parsed.drop) | {i.replaces for i in parsed.items if i.replaces}
        out.append(HandItems(doc_id, tuple(items), frozenset(removed)))
    if problems:
        raise CorpusError(problems)
    return out


def _ids_by_document(candidates: Iterable[Candidate]) -> dict[str, set[str]]:
    """Document id -> the ids of its items."""
    ids: dict[str, set[str]] = {}
    for c in candidates:
        ids.setdefault(c.document, set()).add(c.id)
    return ids


def _read_hand_file(path: Path, problems: list[str]) -> _HandFile | None:
    """The parsed file, or None with its problems (encoding, TOML syntax, each invalid field)
    added to ``problems``."""
    name = str(path)
    try:
        return _HandFile(**tomllib.loads(path.read_text(encoding="utf-8")))
    except UnicodeDecodeError:
        problems.append(f"{name}: (file): not UTF-8 text")
    except tomllib.TOMLDecodeError as exc:
        problems.append(f"{name}: (syntax): invalid TOML: {exc}")
    except ValidationError as exc:
        for err in exc.errors(include_url=False, include_input=False):
            loc = ".".join(str(p) for p in err["loc"]) or "(file)"
            problems.append(f"{name}: {loc}: {err['msg'].removeprefix('Value error, ')}")
    return None


def _hand_item(item: _HandItem, n: int, name: str, doc_id: str, passages: Sequence[Passage],
               known: set[str], problems: list[str]) -> Candidate | None:
    """Item ``n`` of a hand file as a candidate, its problems added to ``problems``; None when
    the passage it cites does not exist."""
    where_ = f"{name}: items.{n}"
    section, _, position = item.passage.partition(":")
    pid = f"{doc_id}:{item.language}:{section}:{position}"
    cited = next((p for p in passages if p.id == pid), None)
    if cited is None:
        problems.append(f"{where_}.passage: no passage {item.passage!r} in the "
                        f"{item.language!r} text of {doc_id}")
        return None
    options = [item.answer, *item.wrong]
    for k, option in enumerate(item.wrong):
        if not 1 <= len(option) <= MAX_OPTION_CHARS:
            problems.append(f"{where_}.wrong.{k}: {len(option)} characters "
                            f"(1-{MAX_OPTION_CHARS})")
        elif _norm(option) in _norm(cited.text):
            problems.append(f"{where_}.wrong.{k}: {option!r} is in the cited sentence, "
                            "so it is not wrong")
    if len({_norm(o) for o in options}) != len(options):
        problems.append(f"{where_}: two options are the same")
    if item.replaces is not None and item.replaces not in known:
        problems.append(f"{where_}.replaces: {item.replaces!r} is not a generated item "
                        f"of {doc_id}")
    explanation = item.explanation or _explanation(cited, item.language, 0, 0)
    return Candidate(
        id=f"{doc_id}:{item.language}:manual:{n + 1}", kind="manual",
        language=item.language, document=doc_id, passage=pid,
        question=item.question, answer=item.answer, wrong=item.wrong,
        explanation=explanation, fixed=True)


# -- the quiz ----------------------------------------------------------------------------

class Quiz:
    """Every item of a corpus, per language; realised for a seed, chosen in rounds."""

    def __init__(self, candidates: Sequence[Candidate]):
        self.candidates = tuple(candidates)
        self._by_id = {c.id: c for c in self.candidates}

    @classmethod
    def build(cls, docs: Sequence[Document], hand: Sequence[HandItems] = (),
              generated: Sequence[Candidate] | None = None) -> Quiz:
        """The generated items of ``docs`` (``generated`` if already made) with the hand-written
        ones, less those they replace or drop."""
        removed = {ref for h in hand for ref in h.removed}
        candidates = [c for c in (generate(docs) if generated is None else generated)
                      if c.id not in removed]
        candidates += [c for h in hand for c in h.items]
        return cls(candidates)

    @classmethod
    def load(cls, corpus_dir: Path, docs: Sequence[Document]) -> Quiz:
        """The quiz of these documents with the hand-written items beside them in the corpus
        (the items are generated once: the hand files are checked against the same ones)."""
        generated = generate(docs)
        hand = load_hand_items(corpus_dir, docs, _ids_by_document(generated))
        return cls.build(docs, hand, generated)

    def candidate(self, item_id: str) -> Candidate | None:
        return self._by_id.get(item_id)

    def items(self, language: str, seed: int) -> list[QuizItem]:
        """Every item in ``language``, realised for ``seed``, in the bank's order."""
        return [c.realise(seed) for c in self.candidates if c.language == language]

    def item(self, item_id: str, seed: int) -> QuizItem | None:
        c = self._by_id.get(item_id)
        return c.realise(seed) if c else None

    def round(self, language: str, n: int, seed: int,
              seen: Iterable[str] = ()) -> list[QuizItem]:
        """``n`` items for one round: items not in ``seen`` first, no item twice, at most
        MAX_METADATA_PER_ROUND metadata items, different sentences where possible."""
        rng = random.Random(f"{seed}:{language}:round")
        seen = set(seen)
        pool = [c for c in self.candidates if c.language == language]
        rng.shuffle(pool)
        pool.sort(key=lambda c: c.id in seen)  # stable: unseen first, each group shuffled
        chosen: list[Candidate] = []
        for distinct in (True, False):
            for c in pool:
                if len(chosen) == n:
                    break
                if c in chosen:
                    continue
                if c.kind == "metadata" and sum(x.kind == "metadata" for x in chosen) \
                        >= MAX_METADATA_PER_ROUND:
                    continue
                if distinct and any(x.passage == c.passage for x in chosen):
                    continue
                chosen.append(c)
        return [c.realise(seed) for c in chosen]

