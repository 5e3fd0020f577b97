"""The one way in: ``Engine.answer(question) -> Answer``.

The terminal CLI, the chat and the Telegram bot are faces of this function. It cleans and
normalises the message (chat Indonesian and English, typos), recognises what it wants besides
content (small talk, a citation, a summary, a follow-up, a fact the abstract does not state),
and otherwise searches passages in the question's language and answers with the best one or
declines. The core returns a kind and data; the faces put it into words (``bot/i18n.py``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np

from index import LANGUAGES, references
from index.answerability import Answerability, load_calibration
from index.citation import cite, cite_sentences
from index.conversation import Conversation, Turn
from index.corpus import CorpusError, Document, load_corpus
from index.derived import (
    cue_words,
    example_words,
    key_terms,
    make_recognizer,
    means_sentences,
    record_stems,
    summaries,
    vocabulary,
)
from index.embedders import Embedder
from index.informal import Normalizer
from index.intents import (
    FIELD,
    NONE,
    NOT_STATED,
    SMALLTALK,
    Intent,
    Recognizer,
    cue_forms,
)
from index.language import DEFAULT_LANGUAGE, STYLE_WORDS, LanguageDetector, indonesian_words
from index.limits import DEFINITION_ASKED, IDENTITY_WORDS, TOPIC_SHIFT, TextLimits
from index.passages import ABSTRACT, METADATA_SECTIONS, Passage
from index.places import Places, cities, gazetteer, home_cities
from index.reading import (
    CLARIFYING,
    LANGUAGE_PHRASE,
    LANGUAGE_WORDS,
    NUMBERED,
    WHY,
    asks_a_duty,
    asks_for_an_opinion,
    asks_for_help,
    asks_what_it_means,
    gesture,
    has_word,
    language_wanted,
    named_language,
    not_understood,
    ordinal,
    ordinals,
    record_field_asked,
    sentence_named,
    style_switched_to_apa,
    without_own_clauses,
)
from index.scope import ScopeBank, passages_digest
from index.search import Hit, Mode, QueryEvidence, Searcher
from index.settings import Settings
from index.store import load_index, read_documents
from index.text import (
    DOCUMENT_WORDS,
    Analyzer,
    indonesian_root,
    normalize,
    nya_form,
    without_framing_words,
    words,
)

logger = logging.getLogger(__name__)

Kind = Literal["passage", "summary", "citation", "smalltalk", "not_stated", "not_in_article",
               "not_a_question", "too_long"]
KINDS: tuple[Kind, ...] = ("passage", "summary", "citation", "smalltalk", "not_stated",
                           "not_in_article", "not_a_question", "too_long")
ANSWERED: frozenset[str] = frozenset(("passage", "summary", "citation"))

MAX_QUESTION_CHARS = 500  # longer text is cut at a word: a question, not an essay
MAX_INPUT_CHARS = 2000  # past this it is not a question but a pasted text: not searched
SUGGESTIONS = 3  # questions offered when the article has no answer
FOLLOW_UP_MAX_CONTENT_WORDS = 3  # "kenapa itu penting?": short, leaning on the last turn

FALLBACK_SUGGESTIONS = {
    "id": ("Apa judul artikel ini?", "Siapa penulis artikel ini?", "Kapan artikel ini diterbitkan?"),
    "en": ("What is the title of the article?", "Who wrote this article?",
           "When was the article published?"),
}
# Words that lean on the previous turn: "kenapa itu penting?", "and investment?", "where are
# they from?". Closed-class words of each language, not topics.
ANAPHORS = {
    "id": frozenset("itu ini tersebut mereka dia beliau tadi begitu demikian dan terus trus "
                    "lalu kalau kalo bagaimana gimana juga".split()),
    "en": frozenset("it its they them their this that these those he she his her and also "
                    "about then so".split()),
}
# either language's: a follow-up mixes them ("and investasi?" in Indonesian, "and investment?")
ALL_ANAPHORS = ANAPHORS["id"] | ANAPHORS["en"]
# A message of at most this many words stays in its conversation's language: one or two
# words ("harvard", "bibtex", "bye") say too little to switch the reply's language.
CONVERSATION_KEEPS_LANGUAGE = 2
# Not-stated requests about the article's topic as such (its examples, types, challenges,
# history): the abstract states none, unless the message names a part of the text.
ABOUT_THE_TOPIC = tuple(f"{NOT_STATED}.{field}"
                        for field in ("examples", "types", "challenges", "history"))
# Words asking for something besides what was shown ("apa lagi", "selain itu", "what else");
# not "terus"/"then", which also just go on ("trus peran dia apa?").
BEYOND_SHOWN = frozenset("lagi lain lainnya selain else more other another besides".split())
# Words for what an answer was about, never for the bot ("how do they do it?" is no "what do
# you do?")
THIRD_PERSON = {
    "id": frozenset("dia mereka beliau ia tersebut".split()),
    "en": frozenset("it its they them their he she his her".split()),
}
# So does an example of a kind of place or person ("an example of a city that did it well",
# "contoh provinsi yang berhasil"): the text gives none by name.
_INSTANCE_ASKED = re.compile(
    r"\b(?:contoh(?:nya)?|misal(?:nya)?|examples?|instances?)\s+(?:of\s+)?(?:a\s+|an\s+|the\s+)?"
    r"(?:kota|provinsi|kabupaten|negara|pemda|tokoh|orang|gubernur|bupati|wali\s?kota|"
    r"city|cities|provinces?|countries|country|regions?|states?|governors?|mayors?|people|"
    r"persons?|leaders?)\b", re.IGNORECASE)
# "dalam kerangka otonomi daerah, …", "within the framework of regional autonomy": the
# frame a question is asked in, not a question about the theory ("dalam kerangka teori
# apa?" asks it)
_FRAME = re.compile(r"\b(?:dalam|dlm|di|in|within|under)\s+(?:the\s+)?(?:kerangka|framework)"
                    r"(?=\s+(?:of\s+)?(?!teori|theor|konsep|concept|pemikiran|berpikir)\w)",
                    re.IGNORECASE)
PREAMBLE_MIN_QUESTION_WORDS = 2  # "…: apa itu paradiplomasi?" (not "jam: 10")
TRANSLATING = frozenset("translate terjemah terjemahkan terjemahin".split())
# What a request is for ("… buat referensi", "… for my thesis"): what follows is no request
_PURPOSE = re.compile(r"\b(?:buat|untuk|utk|for|biar|agar|supaya)\b", re.IGNORECASE)
# Words asking for examples of what is done ("contoh kegiatannya", "bentuknya apa aja"),
# not of a place or person
ACTIVITY_WORDS = frozenset("kegiatan kegiatannya aktivitas aktivitasnya bentuk bentuknya "
                           "activity activities forms kinds".split())
# What the authors found, concluded or say: their conclusion, not the author line
_AUTHORS_FOUND = re.compile(
    r"\b(?:authors?|writers?|researchers?|penulis(?:nya)?|peneliti(?:nya)?)\s+(?:\S+\s+)?"
    r"(?:find|finds|found|conclude|concludes|concluded|argue|argues|argued|say|says|said|"
    r"temukan|menemukan|simpulkan|menyimpulkan|bilang)\b", re.IGNORECASE)
# A message in another script (Japanese, Chinese, Arabic, ...) is in neither language the
# bot reads: it says so, in both, rather than "the article does not cover that".
_LATIN_LETTER = re.compile(r"[A-Za-zÀ-ɏ]")
# A sum or product asked ("berapa 2+2"): arithmetic, not the article's figures
_ARITHMETIC = re.compile(r"\d\s*[-+*/x×:^]\s*\d")
# Other works asked for by name ("artikel lain dari penulis yg sama", "other papers by them"):
# no record question about this one
_OTHER_WORKS = re.compile(
    r"\b(?:artikel|tulisan|karya|jurnal|paper|buku|penelitian)\s+(?:yang\s+|yg\s+)?lain(?:nya)?\b"
    r"|\b(?:other|another)\s+(?:articles?|papers?|works?|publications?|studies)\b",
    re.IGNORECASE)
# Words for being cited by others ("disitasi", "cited"), not for citing
CITED_BY = frozenset("disitasi dikutip dirujuk cited kali times".split())
# Words that count: a request for a reference never asks how many ("berapa referensinya?")
COUNT_WORDS = frozenset({"berapa", "jumlah", "how many", "number of"})
# "lebih detail", "elaborate": more about the point just made, not the next point
ELABORATE = frozenset("detail detailnya rinci rincinya elaborate elaborasi detailed".split())
# "jelasin pake bahasa simpel" after an answer: that answer, explained simply (the abstract has
# no simpler words: the sentence again, with its nearest other one), not the whole summary
SIMPLY = frozenset("simpel sederhana simple simpler simply".split())
EXPLAIN = frozenset("jelasin jelaskan dijelasin dijelaskan terangkan explain explained "
                    "maksudnya maksud".split())
# "kurang ngerti", "ga paham", "bingung", "I don't get it": the last answer not understood,
# whichever of these intents the rest of the message looks like ("jelasin lagi" is "more")
NOT_UNDERSTOOD_READS = ("more", "ack", "about")
# Small talk names nothing else: a message near a greeting or "menu", without any of the
# intent's own words ("halo", "makasih"), but with this many words neither its examples nor
# the corpus know is a question ("menu makan siang apa")
SMALLTALK_MAX_UNKNOWN = 2
# A message opening with these asks how to do something ("cara bikin CV yang bagus")
HOW_TO = re.compile(r"\s*(?:cara(?:nya)?|(?:gimana|bagaimana)\s+cara(?:nya)?|how\s+(?:to|do|can))\b",
                    re.IGNORECASE)
# Small talk that says two things is answered for the one that wants a reply most: "oke
# paham, thx kak" thanks, "oke see you" says goodbye, "mantap botnya" praises the bot (not
# "what is this bot?"); "ok" alone acknowledges
SMALLTALK_PRIORITY = ("thanks", "goodbye", "greeting", "praise", "apology", "about", "ack")
GREETING_OPENS = 2  # "selamat malam", "malam kak", "halo, …": the first words greet
# Verbs of doing without a "you": "siapa yang melakukan?" after an answer asks who does what
# it was about, not who the bot is ("apa yang bisa kamu lakukan?" names "kamu")
DOING = frozenset("melakukan melakukannya lakukan menjalankan mengejalankan menjalaninya "
                  "mengerjakan mulai memulai memulainya menginisiasi does doing start starts "
                  "started initiates initiated".split())
# With nothing before them, these can only mean the article's subject ("is attracting
# investment part of it?")
SUBJECT_PRONOUNS = {"en": frozenset(("it", "its"))}
SUBJECT_LEANING_COVERAGE = 0.5  # ... when most of what else they ask is the corpus's
SECOND_PERSON = frozenset("kamu anda kau lu lo elo you your bot".split())
# A "not stated" field the corpus may know after all: the metadata section whose passage
# states it, and the document fields that must be there for that passage to state it.
# A not-stated, summary or conclusion intent with none of its cue words must be this much
# nearer its examples than the threshold: "metodenya apa" (0.99) is clear, "berapa 2+2"
# (0.89) and "give me an example" (0.92 to "give me a summary") are not.
WITHOUT_CUE_MARGIN = 0.03
WEAK_WITHOUT_CUE = (NOT_STATED, "summary", "conclusion", "abstract")
# A translation names a language or asks to translate, always: "what about in indonesia" is
# 0.95 from "Indonesian please", but asks about the country; a request for the topic's
# examples, types, challenges or history names them ("paradiplomasi muncul di zaman apa?" is
# near "asal-usulnya dari mana?", but sentence 1 answers it).
NEEDS_CUE = ("translate", *ABOUT_THE_TOPIC)
# Two sentences whose fused scores differ by less than this are a near tie: both are shown.
# At 0.01 it is ~9% of the tuning sets' content questions, and among those the first and the
# second were right equally often (python -m index evaluate shows "right first" and "shown").
NEAR_TIE = 0.01
FIELD_SECTIONS = {
    "journal": ("journal", ("journal",)), "volume": ("journal", ("volume", "issue")),
    "pages": ("journal", ("pages",)), "doi": ("doi", ("doi", "url")),
    "title": ("title", ("title",)), "authors": ("authors", ("authors",)),
    "published": ("published", ("published",)), "keywords": ("keywords", ("keywords",)),
}

METADATA = frozenset(METADATA_SECTIONS) | {ABSTRACT}
LIST_FIELDS = frozenset(("authors", "keywords"))  # record sections that list items
ORDINAL_FOLLOW_UP_MAX_CONTENT_WORDS = 2  # "yg keempat apa?", "the second one?"
# A request that names an assignment ("bikinin makalah …") but also asks about the content
# with one of these ("jelasin peran kepala daerah buat tugasku") is a question, not homework.
QUESTION_WORDS = {
    "id": frozenset("apa apakah siapa bagaimana gimana kenapa mengapa kapan mana dimana "
                    "berapa jelaskan jelasin terangkan sebutkan sebutin".split()),
    "en": frozenset("what whats who whom how why when where which explain describe "
                    "define".split()),
}
ANY_QUESTION_WORD = QUESTION_WORDS["id"] | QUESTION_WORDS["en"]
# Words that ask to summarise, as opposed to "singkatnya", "briefly" (in short): with a
# language named after an answer, those ask for the answer in that language.
SUMMARISE = frozenset("rangkum rangkuman rangkumin ringkas ringkasan ringkasin ringkaskan "
                      "summary summarize summarise summarised summarized tldr".split())


@dataclass(frozen=True)
class ScoredPassage:
    passage: Passage
    score: float


@dataclass(frozen=True)
class ListItem:
    """One item of a list in the record: "the third keyword"."""

    field: str  # "authors" or "keywords"
    number: int  # 1-based
    total: int
    text: str | None  # None when the list has fewer than ``number`` items


@dataclass(frozen=True)
class Answer:
    question: str  # as cleaned: what the student typed, without invisible characters
    language: str  # "id" or "en": of the reply
    kind: Kind
    # What the answer shows first (``shown`` of them: 1 for a passage, 2-3 for a summary),
    # then the next best; for a refusal, what was closest.
    passages: tuple[ScoredPassage, ...] = ()
    shown: int = 0
    suggestions: tuple[str, ...] = ()  # questions to offer
    # summary: "summary", "conclusion" or "abstract" (all of it); citation: the style; not_stated: the field;
    # smalltalk: "greeting", "thanks", "praise", "apology", "ack", "goodbye", "about"; passage: "more", "translation",
    # "item", "again" (the sentence just shown answers it too; the next one follows) or a
    # record field, "means" (examples asked: the sentence listing what is done);
    # not_in_article: "exhausted" (all shown), "homework", "opinion" (the bot's own view
    # asked) or "place" (the question names a place the corpus never mentions)
    detail: str | None = None
    reference: str | None = None  # citation: the formatted reference
    document: str | None = None  # the document a summary, citation or not-stated is about
    searched: str | None = None  # the normalised text that was searched
    evidence: QueryEvidence | None = field(default=None, compare=False)
    item: ListItem | None = None  # passage with detail "item": the item asked for
    # not_in_article with detail "place": the place ("Quebec"); with detail "setting": the
    # term; citation: a style asked for that is not built ("Vancouver"; the reference is in
    # the style of ``detail``)
    named: str | None = None
    in_text: bool = False  # citation: the in-text form ("(Agustina et al., 2025)")

    @property
    def answered(self) -> bool:
        return self.kind in ANSWERED

    @property
    def reason(self) -> str | None:
        """Why it was not answered (the kind), None when answered."""
        return None if self.answered else self.kind

    @property
    def best(self) -> Passage | None:
        return self.passages[0].passage if self.answered and self.passages else None

    @property
    def shown_passages(self) -> tuple[Passage, ...]:
        return tuple(sp.passage for sp in self.passages[: self.shown])


def clean_question(text: str) -> str:
    """Normalised, invisible characters gone, cut to MAX_QUESTION_CHARS at a word boundary."""
    text = normalize(text)
    if len(text) > MAX_QUESTION_CHARS:
        text = text[:MAX_QUESTION_CHARS].rsplit(" ", 1)[0]
    return text


def _unreadable(text: str, too_long: bool) -> tuple[Kind, str | None] | None:
    """Why a message cannot be read as a question (kind, detail), or None: too long, no word
    ("?!", "😀"), or only another script ("パラディプロマシーとは", detail "language")."""
    if too_long:
        return "too_long", None
    if not _LATIN_LETTER.search(text) and any(c.isalpha() for c in text):
        # (before the word check: Devanagari's vowel signs are no letters to \w, so
        # "पैराडिप्लोमेसी क्या है" has no run of two)
        return "not_a_question", "language"
    if not has_word(text):
        return "not_a_question", None
    return None


class Engine:
    """Everything an answer needs, loaded once. ``answer`` is safe to call from many threads;
    turns of one conversation are answered one at a time (the conversation's lock)."""

    def __init__(self, searcher: Searcher, embedder: Embedder, documents: list[Document],
                 answerability: Answerability, detector: LanguageDetector | None = None,
                 top_k: int = 5, recognizer: Recognizer | None = None,
                 normalizer: Normalizer | None = None, places: Places | None = None):
        self.searcher = searcher
        self.embedder = embedder
        self.documents = {d.id: d for d in documents}
        self.answerability = answerability
        self.detector = detector or LanguageDetector()
        self.top_k = top_k
        self.recognizer = recognizer or make_recognizer(searcher, embedder)
        self._example_words = example_words(searcher)
        # the words requests are phrased with, so never names of something else
        self._request_words = frozenset().union(*self._example_words.values())
        self._cue_words = frozenset(cue_words(self.recognizer))
        self.normalizer = normalizer or Normalizer(
            vocabulary(searcher), key_terms=key_terms(documents) | cue_words(self.recognizer),
            known=self._request_words)
        searcher.glossary = searcher.glossary.read_as(
            lambda text, language: self.normalizer.normalize(text, language).text)
        self._analyzers = {lang: Analyzer(lang) for lang in LANGUAGES}
        self.limits = TextLimits(searcher, self._analyzers, self._request_words)
        self._summaries = summaries(searcher)
        self._means = means_sentences(searcher)
        self._record_stems = record_stems(searcher, self._analyzers)
        self.places = places or Places(gazetteer(), (p.text for p in searcher.passages),
                                       searcher.languages(), cities(),
                                       home_cities(searcher.languages()))

    @classmethod
    def load(cls, settings: Settings, embedder: Embedder | None = None) -> Engine:
        """Load the embedder, the index and the corpus metadata named by ``settings``."""
        embedder = embedder or settings.make_embedder()
        stored = load_index(Path(settings.index_dir), embedder.name, embedder.model,
                            embedder.dimension)
        try:
            documents = load_corpus(Path(settings.corpus_dir))
        except CorpusError as exc:
            # serving needs the index, not the editable corpus: use what the build holds
            built = read_documents(stored.path)
            if built is None:
                raise
            logger.warning("the corpus has problems (%s%s); serving the documents the index "
                           "was built from", exc.problems[0],
                           f" and {len(exc.problems) - 1} more" if len(exc.problems) > 1 else "")
            documents = built
        known = set(stored.manifest.documents)
        documents = [d for d in documents if d.id in known]
        searcher = Searcher(stored, nprobe=settings.ivf_nprobe)
        return cls(searcher, embedder, documents,
                   load_calibration(embedder.model, labelled_questions=len(stored.scope),
                                    passages_sha256=passages_digest(stored.passages)),
                   top_k=settings.top_k)

    # -- what faces need, without reaching into the searcher ------------------------------
    @property
    def version(self) -> str:
        """Short name of the index version this engine serves."""
        return self.searcher.version

    @property
    def passage_count(self) -> int:
        return len(self.searcher.passages)

    def passage(self, passage_id: str) -> Passage | None:
        return self.searcher.passage(passage_id)

    def passage_at(self, position: int) -> Passage | None:
        return self.searcher.passage_at(position)

    def position(self, passage: Passage) -> int:
        return self.searcher.position(passage)

    def partner(self, passage: Passage) -> Passage | None:
        """The same sentence in the other language, if the corpus has it."""
        return self.searcher.passage(passage.partner) if passage.partner else None

    def abstract(self, document_id: str, language: str) -> list[Passage]:
        return [p for p in self.searcher.passages if p.document == document_id
                and p.language == language and p.section == ABSTRACT]

    def suggestions(self, language: str, n: int = SUGGESTIONS) -> tuple[str, ...]:
        """Questions the corpus answers, in ``language``, from the documents' own lists."""
        out: list[str] = []
        for doc in self.documents.values():
            out.extend(q for lang, questions in doc.suggestions.items() if lang == language
                       for q in questions)
        out.extend(FALLBACK_SUGGESTIONS[language])
        return tuple(dict.fromkeys(out))[:n]

    def document(self, document_id: str) -> Document | None:
        return self.documents.get(document_id)

    def citation(self, passage: Passage, language: str | None = None) -> str:
        return cite(passage, self.document(passage.document), language or passage.language)

    def citation_of_sentences(self, passages: Sequence[Passage],
                              language: str | None = None) -> str | None:
        """One citation for several sentences of one abstract ("Abstrak, kalimat 1, 3 dan
        6 — Agustina dkk. (2025)"), or None."""
        if not passages:
            return None
        return cite_sentences(list(passages), self.document(passages[0].document),
                              language or passages[0].language)

    def reference(self, document_id: str, style: str, language: str,
                  in_text: bool = False) -> str | None:
        """The document's formatted reference in ``style`` (see index/references.py), or
        with ``in_text`` its in-text citation ("(Agustina et al., 2025)")."""
        doc = self.document(document_id)
        if doc is None:
            return None
        form = references.format_in_text if in_text else references.format_reference
        return form(references.Reference.from_document(doc), style, language)

    def detect_language(self, question: str, unsure: str | None = None) -> str:
        """The question's language; ``unsure`` (e.g. the conversation's) when undecided, and
        for a word or two in a conversation ("harvard", "bye" after Indonesian answers)."""
        tokens = words(question)
        if question.lstrip().startswith("/") and len(tokens) <= 1:  # "/start", "/help": a
            return unsure or DEFAULT_LANGUAGE  # command is no English
        if unsure is not None and len(tokens) <= CONVERSATION_KEEPS_LANGUAGE \
                and not ANY_QUESTION_WORD.intersection(tokens) \
                and not (unsure == "en" and indonesian_words(tokens)):
            return unsure  # (but "siapa penulisnya?" asks in Indonesian, and "rangkum dong"
            # after English answers is Indonesian: "bye" and "thx" are Indonesian chat too,
            # "dong" and "makasih" are no English)
        language = self.detector.detect(question, unsure or DEFAULT_LANGUAGE)
        available = self.searcher.languages()
        return language if language in available or not available else available[0]

    # -- answering ------------------------------------------------------------------------
    def answer(self, question: str, mode: Mode = "hybrid", language: str | None = None,
               conversation: Conversation | None = None) -> Answer:
        """Answer ``question``; ``language`` ("id"/"en") overrides detection (a user's choice);
        ``conversation`` lets follow-ups lean on the previous turns, and records this one."""
        lock = conversation.lock if conversation is not None else contextlib.nullcontext()
        with lock:
            last = conversation.last if conversation is not None else None
            answer, turn = self._answer(question, mode, language, last)
            if conversation is not None and turn is not None:
                conversation.add(turn)
            return answer

    def _answer(self, question: str, mode: Mode, language: str | None,
                last: Turn | None) -> tuple[Answer, Turn | None]:
        too_long = len(question) > MAX_INPUT_CHARS
        cleaned = clean_question(question)
        chosen = language if language in self.searcher.languages() else None
        if language not in self.searcher.languages():
            language = self.detect_language(cleaned, last.language if last else None)
        elif last is not None and last.language != language:
            last = self._turn_in(last, language)  # a language chosen: follow-ups in it too
        wordless = self._wordless(cleaned, language, too_long, last)
        if wordless is not None:
            return wordless, None
        asked = self._opinion(cleaned, language, last) \
            or self._asked_in_language(cleaned, language, mode, last)
        if asked is not None:
            return asked
        searched, xq = self._prepare(cleaned, language)
        named = self._named_in_few_words(cleaned, searched, language, mode, last)
        if named is not None:
            return named
        intent = self._recognize(xq, searched, language, last)
        if last is not None and last.kind == "passage" and last.question \
                and (intent is None or intent.label in NOT_UNDERSTOOD_READS) \
                and (not_understood(words(searched))
                     or self._elaborate(intent, searched, language, last)):
            # "jelasin lagi, kurang ngerti", "jelasin lebih detail": the sentence just shown
            # again, with the next best one for its question, not the sentence after it
            return self._shown_again(cleaned, language, mode, last)
        if (last is None or last.kind != "passage") and asks_for_help(words(cleaned)):
            # "gw bingung", "bantu aku dong" before anything was answered: what the bot does
            return Answer(cleaned, language, "smalltalk", detail="about",
                          suggestions=self.suggestions(language)), None
        listed = self._list_asked(intent, searched, language, last)
        if listed is not None:
            return self._list_item(cleaned, searched, language, last, *listed)
        if intent is not None and not self._is_content(intent, searched, language, last) \
                and not self._leans_on_last(intent, searched, language, last):
            language = self._intent_language(intent, cleaned, xq, language, chosen, last)
            refused = self._place_refused(cleaned, searched, language, last) \
                if intent.kind in ("summary", "conclusion") or intent.label == "more" else None
            # ("kerja sama Surabaya dgn Kitakyushu hasilnya apa?" asks about Surabaya)
            return refused or self._intent(intent, cleaned, searched, language, mode, last)
        seen = self._asks_for_more(intent, searched, last)
        return self._search_answer(cleaned, searched, xq, language, mode, last, seen)

    def _opinion(self, cleaned: str, language: str,
                 last: Turn | None) -> tuple[Answer, Turn | None] | None:
        """"in your opinion is it dangerous?": the bot has no view of its own; it reports the
        article (detail "opinion")."""
        if not asks_for_an_opinion(cleaned):
            return None
        return Answer(cleaned, language, "not_in_article", detail="opinion",
                      suggestions=self.suggestions(language)), \
            _keeping_topic(Turn(cleaned, language, "not_in_article", "opinion", (), ()), last)

    def _named_in_few_words(self, cleaned: str, searched: str, language: str, mode: Mode,
                            last: Turn | None) -> tuple[Answer, Turn | None] | None:
        """The reply to a message that names what it wants outright, or leans on the last
        reply in a word or two: a citation style ("APA format pls", "yg MLA dong", "kalo
        apa?" after a reference), a field of the record ("when?" after the authors), what a
        summary means ("maksudnya gmn?" after the conclusion); None for anything else."""
        style = references.detect_style(cleaned) or style_switched_to_apa(cleaned, last) \
            or ("apa" if self._unsupported_style_asked(cleaned, last) else None) \
            or self._in_text_style(cleaned, last)
        if style is not None and not self._asks_about_content(searched, language):
            # ("sitasi harvard tp bahasa inggris" asks for it in English)
            return self._citation(cleaned, named_language(cleaned) or language,
                                  self._document_of(last), style)
        place = sentence_named(searched)
        if place is not None:  # "kalimat kedua abstraknya maksudnya apa?"
            return self._sentence_at(cleaned, searched, language, mode, last, place)
        field = record_field_asked(words(searched), self._record_sections_shown(last))
        if field is not None:
            return self._record_field(cleaned, searched, language, mode,
                                      self._document_of(last), field, last)
        if last is not None and last.kind == "summary" and last.shown \
                and asks_what_it_means(words(searched)):
            return self._summary_explained(cleaned, language, last)
        return None

    def _sentence_at(self, cleaned: str, searched: str, language: str, mode: Mode,
                     last: Turn | None, place: int) -> tuple[Answer, Turn | None]:
        """The abstract's sentence at ``place`` (1 the first, -1 the last); a place beyond the
        abstract is searched like any question."""
        sentences = self.abstract(self._document_of(last), language)
        index = len(sentences) + place if place < 0 else place - 1
        if not 0 <= index < len(sentences):
            xq = self.embedder.embed_queries([searched])[0]
            return self._search_answer(cleaned, searched, xq, language, mode, last)
        chosen = sentences[index]
        answer = Answer(cleaned, language, "passage", (ScoredPassage(chosen, 1.0),), 1,
                        searched=searched)
        return answer, Turn(searched, language, "passage", None, (chosen.id,), (chosen.id,))

    def _in_text_style(self, cleaned: str, last: Turn | None) -> str | None:
        """The style an in-text citation is asked in without naming one: the last
        reference's ("in-text nya gimana?" after APA), else APA."""
        if not references.asks_in_text(cleaned):
            return None
        return last.detail if last is not None and last.kind == "citation" and last.detail \
            else "apa"

    def _unsupported_style_asked(self, cleaned: str, last: Turn | None) -> bool:
        """A style the bot does not format, asked after a reference ("kalo vancouver?") or
        with a word for citing ("AMA style please"), not "apa itu vancouver?" (a city)."""
        if references.unsupported_style(cleaned) is None:
            return False
        citing = self.recognizer.cues.get("citation", frozenset()) | STYLE_WORDS
        return (last is not None and last.kind == "citation") or bool(
            citing & cue_forms(cleaned))

    def _record_sections_shown(self, last: Turn | None) -> set[str]:
        """The sections of the record the last reply showed, when it showed nothing else."""
        if last is None or last.kind != "passage" or not last.shown:
            return set()
        shown = [self.searcher.passage(i) for i in last.shown[-last.latest:]]
        sections = {p.section for p in shown if p is not None}
        return sections if sections and sections <= set(METADATA_SECTIONS) else set()

    def _wordless(self, cleaned: str, language: str, too_long: bool,
                  last: Turn | None) -> Answer | None:
        """The reply to a message that is no text to search: an emoji that says something
        ("👍", "🙏": small talk), or one too long, without words, or in another script."""
        sent = gesture(cleaned, last)
        if sent is not None and not too_long:
            return Answer(cleaned, language, "smalltalk", detail=sent,
                          suggestions=self.suggestions(language))
        unreadable = _unreadable(cleaned, too_long)
        if unreadable is not None:
            kind, detail = unreadable
            return Answer(cleaned, language, kind, detail=detail,
                          suggestions=self.suggestions(language))
        return None

    def _intent_language(self, intent: Intent, cleaned: str, xq: np.ndarray, language: str,
                         chosen: str | None, last: Turn | None) -> str:
        """The language to answer an intent in: the one a request names ("rangkum dalam
        bahasa inggris"), or for small talk that nothing else decides, without a
        conversation or a chosen language, its nearest example's ("see ya" is English)."""
        if intent.label != "translate":
            language = named_language(cleaned) or language
        if intent.label in SMALLTALK and last is None and chosen is None \
                and self.detector.decided(cleaned) is None:
            language = self.recognizer.nearest_language(xq, intent.label) or language
        return language

    def _recognize(self, xq: np.ndarray, text: str, language: str,
                   last: Turn | None) -> Intent | None:
        """The recogniser's intent, checked: none when too weak without its words; a citation
        asked for a thesis is a citation; "tell me more about <the same topic>" is "more"."""
        intent = self.recognizer.classify(xq, text)
        if intent is not None and (self._weak_without_cue(intent, text)
                                   or self.recognizer.lacks_asking_word(intent.label, text)
                                   or self._language_as_adjective(intent, text)):
            intent = None
        if intent is None or intent.label in ABOUT_THE_TOPIC:
            intent = self._about_the_topic_named(text, language) or intent
        if intent is not None:
            intent = self._relabelled(intent, xq, text, language, last)
        if intent is not None and intent.label == "homework" and asks_a_duty(text) \
                and cue_forms(text) & self.recognizer.cues["homework"] <= {"tugas"}:
            intent = None  # "trus dia tugasnya ngapain aja?" asks the actor's duty
        if intent is None and _OTHER_WORKS.search(text):  # "ada artikel lain ttg …?"
            intent = Intent("other_works", self.recognizer.model.threshold)
        if intent is None and self._forms_of_the_subject(text, language):
            intent = Intent(f"{NOT_STATED}.examples", self.recognizer.model.threshold)
        if intent is None and self.limits.year_not_in_text(text, language):
            intent = Intent(f"{NOT_STATED}.history", self.recognizer.model.threshold)
        if intent is None and self._more_of_the_same(text, language, last):
            intent = Intent("more", self.recognizer.model.threshold)
        return intent

    def _relabelled(self, intent: Intent, xq: np.ndarray, text: str, language: str,
                    last: Turn | None) -> Intent:
        """An intent read as what the message asks: "bisa pake english ga? buat tugas" after
        an answer translates it, "citation for my thesis" cites, "singkatnya dlm bhs
        indonesia?" translates, what the authors found is their conclusion, a count of the
        references is not stated, and small talk saying two things is the weightier one."""
        if intent.label == "homework" and last is not None \
                and last.kind != "not_a_question" and LANGUAGE_PHRASE.search(text):
            intent = Intent("translate", intent.score)  # "bisa pake english ga? buat tugas"
        if intent.label == "homework" and cue_forms(text) \
                & self.recognizer.cues.get("citation", frozenset()):
            intent = Intent("citation", intent.score)  # "citation for my thesis" asks to cite
        if intent.label == "citation":  # "ini artikel terbit kapan, buat referensi"
            intent = self._field_before_its_purpose(intent, xq, text)
        if intent.label == "field.authors" \
                and _AUTHORS_FOUND.search(text) and not any(
                    self.searcher.coverage(w, language) > 0 for w in self._content_beyond(
                        {intent.label}, without_framing_words(text), language)):
            intent = Intent("conclusion", intent.score)  # "what did the authors find out?"
        if intent.label == "citation" \
                and cue_forms(text) & COUNT_WORDS:  # "daftar pustakanya ada berapa referensi?"
            # ("berapa kali artikel ini disitasi?" counts the citations it has received)
            field = "impact" if cue_forms(text) & CITED_BY else "references"
            intent = Intent(f"{NOT_STATED}.{field}", intent.score)
        if intent.kind == FIELD and _OTHER_WORKS.search(text):
            intent = Intent("other_works", intent.score)  # "ada artikel lain dari penulisnya?"
        if intent.label in SMALLTALK:
            intent = self._weightiest_small_talk(intent, xq, text)
        if intent.label == "more":
            intent = self._named_request(intent, xq, text)
        if intent.label == "summary":
            intent = self._summary_of_the_answer(intent, text, last)
        return intent

    def _summary_of_the_answer(self, intent: Intent, text: str, last: Turn | None) -> Intent:
        """Right after an answer, without a word for summarising, a summary-like request is
        about that answer: "singkatnya dlm bhs indonesia?" translates it, and "jelasin pake
        bahasa simpel" asks to explain it simply ("more", read as the point again), not for
        the whole summary."""
        if last is None or last.kind != "passage" or cue_forms(text) & SUMMARISE:
            return intent
        said = set(words(text))
        if LANGUAGE_PHRASE.search(text):
            return Intent("translate", intent.score)
        if SIMPLY & said and EXPLAIN & said:
            return Intent("more", intent.score)
        return intent

    def _field_before_its_purpose(self, intent: Intent, xq: np.ndarray, text: str) -> Intent:
        """"ini artikel terbit kapan ya, takut kelamaan buat referensi": a record field asked,
        and the citation named only as what the answer is for, or in a later clause."""
        # (what comes after the first clause or a word of purpose: "rilisnya kapan nih, mau
        # sy masukin ke dapus")
        ends = [m.start() for m in (_PURPOSE.search(text), re.search(r"[,;]", text)) if m]
        if not ends:
            return intent
        asked = cue_forms(text[:min(ends)])
        if asked & self.recognizer.cues.get(intent.label, frozenset()):
            return intent
        fields = [label for label in self.recognizer.labels_of(FIELD)
                  if asked & self.recognizer.cues.get(label, frozenset())]
        if not fields:
            return intent
        scores = self.recognizer.scores(xq, text)
        best = max(fields, key=lambda label: scores.get(label, 0.0))
        return Intent(best, scores.get(best, intent.score))

    def _named_request(self, intent: Intent, xq: np.ndarray, text: str) -> Intent:
        """"terus datanya?", "trs teorinya?": "terus" asks for more, but a request named by
        its own word (data, theory, citation, …) that the recogniser accepts is that request."""
        present = cue_forms(text)
        scores = self.recognizer.scores(xq, text)
        named = [label for label, cues in self.recognizer.cues.items()
                 if label != "more" and label not in SMALLTALK and present & cues
                 and scores.get(label, 0.0) >= self.recognizer.model.threshold]
        if not named:
            return intent
        best = max(named, key=scores.__getitem__)
        return Intent(best, scores[best])

    def _weightiest_small_talk(self, intent: Intent, xq: np.ndarray, text: str) -> Intent:
        """Of the small talk whose own words a message has and that the recogniser accepts,
        the one first in SMALLTALK_PRIORITY."""
        present = cue_forms(text)
        scores = self.recognizer.scores(xq, text)
        said = [label for label in SMALLTALK_PRIORITY
                if present & self.recognizer.cues.get(label, frozenset())
                and scores[label] >= self.recognizer.model.threshold]
        if not said or SMALLTALK_PRIORITY.index(said[0]) >= SMALLTALK_PRIORITY.index(intent.label):
            return intent
        return Intent(said[0], scores[said[0]])

    def _shown_again(self, cleaned: str, language: str, mode: Mode,
                     last: Turn) -> tuple[Answer, Turn | None]:
        """The passages the last reply showed, then the best one for its question that no
        reply has shown yet (detail "clarify")."""
        latest = [p for p in map(self.searcher.passage, last.shown[-last.latest:])
                  if p is not None]
        xq = self.embedder.embed_queries([last.question])[0]
        hits, evidence = self._search(xq, last.question, language, self.top_k, mode)
        extra = [h.passage for h in hits if h.passage.id not in last.shown
                 and h.passage.section not in METADATA_SECTIONS][:1]
        shown = latest + extra
        answer = Answer(cleaned, language, "passage",
                        tuple(ScoredPassage(p, 1.0) for p in shown), len(shown),
                        detail="clarify", searched=last.question, evidence=evidence)
        ids = tuple(p.id for p in shown)
        return answer, Turn(last.question, language, "passage", "clarify",
                            ids + tuple(h.passage.id for h in hits if h.passage.id not in ids),
                            last.shown + tuple(p.id for p in extra), len(shown))

    def _summary_explained(self, cleaned: str, language: str,
                           last: Turn) -> tuple[Answer, Turn | None]:
        """The sentences a summary or conclusion showed, again, with the abstract sentence
        nearest them that it did not show (detail "clarify")."""
        shown = [p for p in map(self.searcher.passage, last.shown) if p is not None]
        shown = [q for q in (self._in_language(p, language) for p in shown) if q is not None]
        if not shown:
            return self._declined(cleaned, language, "not_a_question")
        vectors = self.searcher.vectors([p.id for p in shown])
        rest = [p for p in self.abstract(shown[0].document, language)
                if p.id not in {q.id for q in shown}]
        extra = []
        if rest:
            similarity = self.searcher.vectors([p.id for p in rest]) @ vectors.mean(axis=0)
            extra = [rest[int(np.argmax(similarity))]]
        passages = tuple(ScoredPassage(p, 1.0) for p in shown + extra)
        answer = Answer(cleaned, language, "passage", passages, len(passages), detail="clarify",
                        searched=last.question)
        ids = tuple(p.passage.id for p in passages)
        return answer, Turn(last.question, language, "passage", "clarify", ids, ids, len(ids))

    def _elaborate(self, intent: Intent | None, text: str, language: str,
                   last: Turn | None) -> bool:
        """"jelasin lebih detail dong", "elaborate pls": more about the point just made (the
        abstract has no more detail, so the point again with its nearest other sentence),
        unless the message names something new ("lebih detail soal investasi")."""
        return intent is not None and intent.label == "more" \
            and bool((ELABORATE | SIMPLY) & set(words(text))) \
            and not self._more_is_a_question(text, language, last)

    def _about_the_topic_named(self, text: str, language: str) -> Intent | None:
        """"give me an example of paradiplomacy", "contoh paradiplomasi di indonesia apa": a
        request for the topic's examples (types, challenges, history) by its own word, about
        nothing of the text but its subject, even when the message's vector is nearer a
        question about the subject or another such request."""
        present = cue_forms(text)
        for label in ABOUT_THE_TOPIC:
            if present & self.recognizer.cues.get(label, frozenset()):
                named = Intent(label, self.recognizer.model.threshold)
                if not self._names_a_part_of_the_text(named, text, language) \
                        and not self._cue_as_the_text_uses_it(named, text, language):
                    return named
        return None

    def _asks_for_more(self, intent: Intent | None, text: str, last: Turn | None,
                       ) -> tuple[str, ...]:
        """What was shown, when a question also asks for more with a word of the request
        ("selain itu apa lagi perannya?": not the role already shown); else nothing."""
        if intent is None or intent.label != "more" or last is None:
            return ()
        return last.shown if cue_forms(text) & BEYOND_SHOWN else ()

    def _prepare(self, cleaned: str, language: str) -> tuple[str, np.ndarray]:
        """The text search sees (chat words normalised, typos mended) and its vector."""
        searched = self.normalizer.normalize(cleaned, language).text or cleaned
        searched = self._after_preamble(searched, language)
        return searched, self.embedder.embed_queries([searched])[0]

    def _search(self, xq: np.ndarray, text: str, language: str, k: int,
                mode: Mode = "hybrid") -> tuple[list[Hit], QueryEvidence]:
        """Search with the question's vector joined by that of the question read through
        the glossary ("gmn caranya kerja sama luar negeri gak cuma seremonial doang" also
        as "… simbolik …"): the dense model then meets the text's own words where a student
        used theirs. Only when the question names a word of the text as typed: "resep nasi
        goreng" is no "kunci" of anything the text says. The evidence adds how near the
        question, as typed, is to labelled questions of either side (index/scope.py)."""
        as_typed = xq
        read = self.searcher.glossary.apply(text, language)
        if read != text and self.searcher.names_a_text_word(text, language):
            joined = xq + self.embedder.embed_queries([read])[0]
            xq = joined / np.linalg.norm(joined)
        hits, evidence = self.searcher.search(xq, text, language, k, mode)
        near, far = self.searcher.stored.scope.nearest(as_typed)
        return hits, dataclasses.replace(evidence, nearest_answerable=near,
                                         nearest_unanswerable=far)

    def _after_preamble(self, text: str, language: str) -> str:
        """"maaf ganggu kak, mau nanya buat laporan bacaan: daerah pake paradiplomasi buat
        apa?": what follows a colon, when what precedes it names nothing the corpus knows
        (chatter before the question) and at least two words follow."""
        head, colon, tail = text.partition(":")
        if not colon or len(words(tail)) < PREAMBLE_MIN_QUESTION_WORDS \
                or self.searcher.coverage(head, language) > 0 \
                or TRANSLATING & set(words(head)):
            return text  # ("translate to english: …" says how to answer)
        return tail.strip()

    def prepare(self, question: str, language: str | None = None) -> tuple[str, np.ndarray]:
        """A question as :meth:`answer` reads it: cleaned, normalised, embedded."""
        cleaned = clean_question(question)
        if language not in self.searcher.languages():
            language = self.detect_language(cleaned)
        return self._prepare(cleaned, language)

    def evidence(self, question: str, language: str | None = None, mode: Mode = "hybrid",
                 scope: ScopeBank | None = None) -> QueryEvidence:
        """What the search behind :meth:`answer` finds for a content question (calibration
        and evaluation measure this, not a copy of it). With ``scope``, the nearest labelled
        questions are those, the question's own text left out (calibration)."""
        cleaned = clean_question(question)
        if language not in self.searcher.languages():
            language = self.detect_language(cleaned)
        searched, xq = self._prepare(cleaned, language)
        evidence = self._search(xq, searched, language, 1, mode)[1]
        if scope is None:
            return evidence
        near, far = scope.nearest(xq, leave_out=searched)
        return dataclasses.replace(evidence, nearest_answerable=near, nearest_unanswerable=far)

    def _leans_on_last(self, intent: Intent, text: str, language: str,
                       last: Turn | None) -> bool:
        """"and investment?" after an answer is a follow-up question, not a request for the
        whole article's summary or conclusion; "caranya gimana?" (no word of a method) after
        an answer asks how the answer's subject is done, not for the research method; "how
        do they do it?" and "kok bisa?" ask about the answer's subject, not what the bot
        does."""
        if intent.kind in WEAK_WITHOUT_CUE \
                and self.recognizer.cues.get(intent.label, frozenset()) & cue_forms(text):
            return False  # "kesimpulannya apa?" after an answer asks for the conclusion
        if intent.label == "about":  # "how do they do it?", "what do you mean?" are no
            # "what do you do?"; "siapa yg ngelakuin?" (who does it) asks about no "you"
            said = set(words(text))
            return bool((THIRD_PERSON[language] | CLARIFYING | WHY) & said
                        or (DOING & said and not SECOND_PERSON & said)) \
                and self._follow_up_text(text, language, last) is not None
        return intent.kind in ("summary", "conclusion", NOT_STATED) \
            and self._follow_up_text(text, language, last) is not None

    def _is_content(self, intent: Intent, text: str, language: str, last: Turn | None) -> bool:
        """Small talk with a question in it ("halo, apa itu paradiplomasi?") is a question, and
        so is "besides leadership, what else is needed?" when nothing was answered before it
        (there is nothing to say "more" of, but the corpus knows what it asks about), a
        record question about something the corpus does not know ("who wrote Harry Potter?"),
        a question asked for an assignment ("jelasin peran kepala daerah buat tugasku"), and
        a not-stated cue used in a phrase of the text ("is the legal framework important?")."""
        if intent.label in SMALLTALK:
            return self._small_talk_is_content(intent, text, language)
        if intent.kind == FIELD:
            return self._names_more_than_the_record(intent, text, language)
        if intent.label == "homework":
            present = cue_forms(text)
            if not present & self.recognizer.cues.get("homework", frozenset()):
                return True  # no assignment named ("… saingan diplomasi pusat gak sih")
            content = self._content_beyond({"homework"}, text, language)
            return bool(present & QUESTION_WORDS[language] or DEFINITION_ASKED.search(text)) \
                and any(self.searcher.coverage(w, language) > 0 for w in content)
        if intent.label == "more":
            return self._more_is_a_question(text, language, last)
        if intent.label in ABOUT_THE_TOPIC:  # "contoh instrumen diplomasi ekonomi?"
            return not (intent.label == f"{NOT_STATED}.history"
                        and self.limits.year_not_in_text(text, language)) \
                and self._names_a_part_of_the_text(intent, text, language)
        if intent.kind == NOT_STATED:  # ("berapa 2+2" asks a sum, not the article's figures)
            return bool(_ARITHMETIC.search(text)) \
                or self._cue_as_the_text_uses_it(intent, text, language) \
                or self._cue_only_as_a_frame(intent, text)
        return False

    def _cue_only_as_a_frame(self, intent: Intent, text: str) -> bool:
        """"dlm kerangka otda, peran strategis paradiplomasi apa?": the theory's cue only in
        the frame the question is asked in."""
        cues = self.recognizer.cues.get(intent.label, frozenset())
        return bool(cue_forms(text) & cues) and not cue_forms(_FRAME.sub(" ", text)) & cues

    def _more_is_a_question(self, text: str, language: str, last: Turn | None) -> bool:
        """"besides leadership, what else is needed?" with nothing answered before (nothing
        to say more of) asks about what the corpus knows; after an answer, a word of the
        corpus that the previous question did not have makes a question of it ("then what
        should it become?", "jelaskan lebih lanjut tentang investasi"), while "tell me more
        about paradiplomacy" after "what is paradiplomacy?" asks for the next passage."""
        beyond = self._beyond_examples("more", text, language)
        known = [w for w in beyond if self.searcher.coverage(w, language) > 0]
        if last is None or not last.ranked:
            return bool(known)
        if (QUESTION_WORDS[language] & set(words(text)) or TOPIC_SHIFT.match(text)) \
                and self._unknown_names(beyond, language):
            return True  # "terus ASEAN itu apa?", "trus kalo WTO?": a name the corpus does
            # not know (refused)
        return bool(self._not_asked_before(known, language, last))

    def _unknown_names(self, content: Iterable[str], language: str) -> list[str]:
        """Of these content words of an Indonesian message, those that name something the
        corpus never mentions: in no passage of either language, and no word of Sastrawi's
        Indonesian dictionary ("asean", "ridwan", "kamil"; not "gaji", which it has)."""
        if language != "id":  # (an English word is in no Indonesian dictionary)
            return []
        stop = self._analyzers[language].stop_words | self._request_words | self._cue_words
        return [w for w in content if w not in stop and indonesian_root(w) is None
                and not any(self.searcher.coverage(w, lang) > 0 for lang in LANGUAGES)]

    def _more_of_the_same(self, text: str, language: str, last: Turn | None) -> bool:
        """"tell me more about paradiplomacy" after "what is paradiplomacy?": a word asking
        for more, and every other content word already in the previous question (too far
        from the examples' "tell me more" for the recogniser, and searching it again would
        repeat the passage shown)."""
        if last is None or not last.ranked \
                or not cue_forms(text) & self.recognizer.cues.get("more", frozenset()):
            return False
        return not self._not_asked_before(self._content_beyond({"more"}, text, language),
                                          language, last)

    def _not_asked_before(self, content: list[str], language: str, last: Turn) -> list[str]:
        """The words of ``content`` whose stems the previous question did not have."""
        analyzer = self._analyzers[language]
        before = set(analyzer.terms(last.question))
        return [w for w in content if analyzer.stem(w) not in before]

    def _beyond_examples(self, label: str, text: str, language: str) -> list[str]:
        """The content words of ``text`` that are neither cue words nor words of the
        examples of intent ``label`` (how that request is phrased)."""
        examples = self._example_words.get(label, frozenset())
        return [w for w in self._content_beyond({label}, text, language) if w not in examples]

    def _names_a_part_of_the_text(self, intent: Intent, text: str, language: str) -> bool:
        """Whether a request for examples, types, challenges or history names something the
        text says beyond its subject (the words of most of its sentences): "contoh
        instrumen diplomasi ekonomi" is sentence 2's list, "peran kepala daerah misalnya?"
        sentence 3's, "contoh paradiplomasi" is not stated."""
        if intent.label == f"{NOT_STATED}.examples" and (
                IDENTITY_WORDS & set(words(text)) or _INSTANCE_ASKED.search(text)):
            return False  # "contoh kepala daerah yg sukses siapa aja?": the text names none
        analyzer = self._analyzers[language]
        text_stems = self.searcher.text_stems.get(language, frozenset())
        subject = self.searcher.subject_stems.get(language, frozenset())
        beyond = " ".join(self._beyond_examples(intent.label, text, language))
        stems = analyzer.terms(self.searcher.glossary.apply(beyond, language))  # "bupati"
        return any(s in text_stems and s not in subject for s in stems)


    def _cue_as_the_text_uses_it(self, intent: Intent, text: str, language: str) -> bool:
        """A not-stated cue word inside a phrase of the text is the text's word: "apakah
        kerangka hukum penting?" asks about sentence 6's legal framework, not the theory."""
        analyzer = self._analyzers[language]
        cues = frozenset(analyzer.stem(c) for c in self.recognizer.cues.get(intent.label, ())
                         if " " not in c)
        return self.searcher.in_text_phrase(text, language, cues)

    def _names_more_than_the_record(self, intent: Intent, text: str, language: str) -> bool:
        """A record question ("who wrote it?") that also names something else: a topic of
        the text ("apa kata penulis tentang kepemimpinan?" asks for the content) or a thing
        the corpus does not know ("yang nulis naruto siapa", "when was Facebook released?").
        One unknown word of the Indonesian dictionary is chatter, not a name, when the
        message names the field ("judul artikelnya apa ya lupa", "siapa penulis buku ini";
        not "kunci suksesnya apa aja", which is no question about the keyword list). A topic
        word that the record also lists counts as the record's only when the message names
        the field: "kata kunci paradiplomasi" is the keyword list, "apa kunci paradiplomasi?"
        is sentence 6."""
        section = FIELD_SECTIONS.get(intent.field or "", ("",))[0]
        record = self._record_stems.get((language, section), frozenset())
        text_stems = self.searcher.text_stems.get(language, frozenset())
        named = bool(self.recognizer.cues.get(intent.label, frozenset()) & cue_forms(text)) \
            or self.searcher.names_field(text, language, section)
        analyzer = self._analyzers[language]
        unknown = []
        # (a clause about the student, or what the answer is for, is chatter when the field
        # is named: "judul lengkapnya apa ya, sy lupa nyatet", "kapan terbit? buat sitasi")
        purpose = _PURPOSE.search(text)
        asked = without_own_clauses(text[:purpose.start()] if purpose else text) if named \
            else text
        for word in self._content_beyond({intent.label}, without_framing_words(asked), language):
            stem = analyzer.stem(word)
            if word in DOCUMENT_WORDS[language] or stem in DOCUMENT_WORDS[language] \
                    or ordinal(word) is not None or (stem in record and (
                        named or stem not in text_stems)):
                continue  # "artikelnya", "pertamanya", "universitas" of the author line
            if stem in text_stems or self.searcher.glossary.apply(word, language) != word:
                return True  # (a student's word for a term of the text: "gubernur")
            if self.searcher.coverage(word, language) == 0 \
                    and word not in self._example_words.get(intent.label, frozenset()):
                unknown.append(word)  # "come out" of "when did it come out" is phrasing
        if len(unknown) == 1 and named and language == "id" \
                and indonesian_root(unknown[0]) is not None:
            return False
        return bool(unknown)

    def _weak_without_cue(self, intent: Intent, text: str) -> bool:
        """"berapa 2+2" or "contohnya?" near a not-stated example, "give me an example" near
        a summary request, but without any of the intent's words (metode, jurnal, rangkum,
        summary, …): too little to claim "the abstract does not state the volume" or to
        summarise; search decides (and refuses what the article does not cover)."""
        if intent.kind not in WEAK_WITHOUT_CUE and intent.label not in NEEDS_CUE:
            return False
        cues = self.recognizer.cues.get(intent.label, frozenset())
        if cues & cue_forms(text) or (intent.label == "translate"
                                      and LANGUAGE_PHRASE.search(text)):
            return False  # ("dalam bahasa indonesia dong" names the language as a phrase)
        return intent.label in NEEDS_CUE \
            or intent.score < self.recognizer.model.threshold + WITHOUT_CUE_MARGIN

    def _language_as_adjective(self, intent: Intent, text: str) -> bool:
        """"how do indonesian regions attract investors?": a language's name that describes
        something the article covers, in no phrase asking for the language ("in English",
        "bahasa inggrisnya"), is no request to translate."""
        if intent.label != "translate" or LANGUAGE_PHRASE.search(text):
            return False
        # (a word of neither language's stop words: "translate ke indo" names nothing)
        content = set.intersection(*(set(self._content_beyond({"translate", "more"}, text, lang))
                                     for lang in LANGUAGES)) - set(LANGUAGE_WORDS)
        return any(self.searcher.coverage(w, lang) > 0 for w in content for lang in LANGUAGES)

    def _asks_about_content(self, text: str, language: str) -> bool:
        """Whether a message names something the corpus knows, beyond citation words."""
        content = self._content_beyond({"citation"}, text, language)
        return any(self.searcher.coverage(w, language) > 0 for w in content)

    def _small_talk_is_content(self, intent: Intent, text: str, language: str) -> bool:
        forms = cue_forms(text)
        if intent.label == "ack" and forms & QUESTION_WORDS[language] \
                and not forms & self.recognizer.cues.get("ack", frozenset()):
            return True  # "biar apa?" asks; "oh gitu" acknowledges
        if intent.label in ("praise", "thanks") and HOW_TO.match(text):
            return True  # "cara bikin CV yang bagus": a question, not praise
        content = self._content_beyond(SMALLTALK, text, language)
        examples = self._example_words.get(intent.label, frozenset())
        unknown = [w for w in content if w not in examples
                   and self.searcher.coverage(w, language) == 0]
        # (a greeting's word opens the message: "makan malam" is no "selamat malam")
        own = cue_forms(" ".join(words(text)[:GREETING_OPENS])) \
            if intent.label == "greeting" else forms
        if len(unknown) >= SMALLTALK_MAX_UNKNOWN \
                and not own & self.recognizer.cues.get(intent.label, frozenset()):
            return True  # "menu makan siang apa": a question (search declines it)
        return bool(content) and self.searcher.coverage(" ".join(content), language) >= 0.5

    def _content_beyond(self, labels: Iterable[str], text: str, language: str) -> list[str]:
        """The content words of ``text`` that are not cue words of the intents ``labels``."""
        cues = set().union(*(self.recognizer.cues.get(label, frozenset()) for label in labels))
        return [w for w in self._analyzers[language].content_words(text)
                if not cue_forms(w) & cues]

    def _intent(self, intent: Intent, cleaned: str, searched: str, language: str, mode: Mode,
                last: Turn | None) -> tuple[Answer, Turn | None]:
        kind = intent.kind
        if kind in SMALLTALK:
            return Answer(cleaned, language, "smalltalk", detail=kind,
                          suggestions=self.suggestions(language)), None
        if kind in ("homework", "other_works"):  # "bikinin makalah dong", "rekomendasi
            # jurnal lain dong": not a question about this article
            return Answer(cleaned, language, "not_in_article", detail=kind,
                          suggestions=self.suggestions(language)), None
        if kind == "more":
            return self._more(cleaned, language, mode, last)
        if kind == "translate":
            return self._translate(cleaned, searched, language, mode, last)
        document = self._document_of(last)
        if kind == "citation":
            style = references.detect_style(cleaned) or references.DEFAULT_STYLE
            return self._citation(cleaned, language, document, style)
        if kind in ("summary", "conclusion", "abstract"):
            return self._summary(cleaned, language, document, kind)
        if intent.label == f"{NOT_STATED}.examples":
            means = self._means_as_examples(cleaned, searched, language, last)
            if means is not None:
                return means
        assert intent.field is not None  # a not-stated or a record field
        return self._record_field(cleaned, searched, language, mode, document, intent.field,
                                  last)

    def _forms_of_the_subject(self, text: str, language: str) -> bool:
        """"apa aja bentuk paradiplomasi?", "what activities does paradiplomacy include?": the
        forms or activities of the subject and nothing else of the text (answered like
        examples: with the sentence listing its means)."""
        if not ACTIVITY_WORDS & set(words(text)):
            return False
        analyzer = self._analyzers[language]
        subject = self.searcher.defined_subject(language)
        content = [analyzer.stem(w) for w in analyzer.content_words(text)
                   if w not in ACTIVITY_WORDS]
        return bool(content) and all(stem in subject for stem in content)

    def _means_as_examples(self, cleaned: str, searched: str, language: str,
                           last: Turn | None) -> tuple[Answer, Turn | None] | None:
        """"contoh kegiatannya apa aja?" after "apa itu paradiplomasi?": the abstract names
        no particular case, but the sentence listing its subject's means is the nearest it
        has, shown under a lead saying so. Examples of a place or person ("contoh kota
        yang berhasil"), or once that sentence was shown, are not stated."""
        said = set(words(searched))
        if IDENTITY_WORDS & said or _INSTANCE_ASKED.search(searched) \
                or self.places.unknown(cleaned):
            return None
        answered = last is not None and last.kind == "passage" \
            and self._from_text(last.shown[-last.latest:])
        if not (ACTIVITY_WORDS & said or answered):
            return None
        means = self._means.get((self._document_of(last), language))
        shown = set(last.shown) if last is not None else set()
        partner = self.partner(means) if means is not None else None
        if means is None or means.id in shown or (partner is not None and partner.id in shown):
            return None
        answer = Answer(cleaned, language, "passage", (ScoredPassage(means, 1.0),), 1,
                        detail="means", searched=searched)
        ranked = (means.id, *(i for i in (last.ranked if last else ()) if i != means.id))
        return answer, Turn(last.question if last and last.question else searched, language,
                            "passage", "means", ranked,
                            (*(last.shown if last else ()), means.id), 1)

    def _document_of(self, last: Turn | None) -> str:
        """The document a question about "the article" means: the one the conversation is
        about, else the first of the corpus."""
        if last is not None and last.ranked:
            passage = self.searcher.passage(last.ranked[0])
            if passage is not None:
                return passage.document
        return next(iter(self.documents), "")

    def _citation(self, cleaned: str, language: str, document: str,
                  style: str) -> tuple[Answer, Turn | None]:
        in_text = references.asks_in_text(cleaned)  # "in-text citation APA"
        reference = self.reference(document, style, language, in_text)
        if reference is None:
            return self._declined(cleaned, language, "not_in_article")
        unsupported = references.unsupported_style(cleaned) \
            if references.detect_style(cleaned) in (None, "apa") else None  # "… vancouver"
        answer = Answer(cleaned, language, "citation", detail=style, reference=reference,
                        document=document, suggestions=self.suggestions(language),
                        named=unsupported, in_text=in_text)
        return answer, Turn(cleaned, language, "citation", style, (), ())

    def _summary(self, cleaned: str, language: str, document: str,
                 which: str) -> tuple[Answer, Turn | None]:
        sentences = self._summaries.get((document, language, which), ())
        if not sentences:
            return self._declined(cleaned, language, "not_in_article")
        passages = tuple(ScoredPassage(p, 1.0) for p in sentences)
        ranked = tuple(p.id for p in self.abstract(document, language))
        answer = Answer(cleaned, language, "summary", passages, len(passages), detail=which,
                        document=document)
        return answer, Turn(cleaned, language, "summary", which, ranked,
                            tuple(p.passage.id for p in passages))

    def _record_field(self, cleaned: str, searched: str, language: str, mode: Mode,
                      document: str, what: str,
                      last: Turn | None = None) -> tuple[Answer, Turn | None]:
        """A question about one field of the article (authors, journal, method, …): the
        record's sentence for it when the record has the field, else what the full text
        says of it, else "the abstract does not state …"."""
        found = [p for p in (self._record_passage(document, language, field)
                             for field in (what, *self._other_fields(what, searched)))
                 if p is not None]
        if found and found[0].section == FIELD_SECTIONS.get(what, ("",))[0]:
            ids = tuple(p.id for p in found)
            answer = Answer(cleaned, language, "passage",
                            tuple(ScoredPassage(p, 1.0) for p in found), len(found),
                            detail=what, searched=searched)
            return answer, Turn(searched, language, "passage", what, ids, ids, len(ids))
        # An imported article's full text may say it ("Metode, hlm. 4").
        xq = self.embedder.embed_queries([searched])[0]
        hits, evidence = self._search(xq, searched, language, self.top_k, mode)
        full_text = [h for h in hits if h.passage.section not in METADATA]
        if full_text and self.answerability.answerable(evidence):
            return self._passage_answer(cleaned, searched, language, full_text, evidence, None)
        answer = Answer(cleaned, language, "not_stated", detail=what, document=document,
                        suggestions=self.suggestions(language), searched=searched)
        return answer, _keeping_topic(Turn(searched, language, "not_stated", what, (), ()), last)

    def _record_passage(self, document: str, language: str, what: str) -> Passage | None:
        """The record's sentence for a field, when the record has the field."""
        section, fields = FIELD_SECTIONS.get(what, ("", ()))
        doc = self.document(document)
        if doc is None or not any(getattr(doc, f) for f in fields):
            return None
        return next((p for p in self.searcher.passages if p.document == document
                     and p.language == language and p.section == section), None)

    def _other_fields(self, what: str, text: str) -> list[str]:
        """Further record fields a question names by their words: "siapa penulisnya dan
        kapan terbit?" asks for the date too."""
        forms = cue_forms(text)
        return [label.split(".", 1)[1] for label in self.recognizer.labels_of(FIELD)
                if label != f"{FIELD}.{what}"
                and forms & self.recognizer.cues.get(label, frozenset())]

    def _more(self, cleaned: str, language: str, mode: Mode,
              last: Turn | None) -> tuple[Answer, Turn | None]:
        if last is None or not last.ranked:
            return self._declined(cleaned, language, "not_a_question")
        language = last.language
        ranked = list(last.ranked)
        passages = self._not_shown(ranked, last)
        if last.question and len(passages) < 2:  # running out: look further
            xq = self.embedder.embed_queries([last.question])[0]
            hits, _ = self._search(xq, last.question, language,
                                           len(self.searcher.passages), mode)
            ranked += [h.passage.id for h in hits if h.passage.id not in ranked]
            passages = self._not_shown(ranked, last)
        if not passages:  # everything the article says on it has been shown
            return Answer(cleaned, language, "not_in_article", detail="exhausted",
                          suggestions=self.suggestions(language)), None
        scored = tuple(ScoredPassage(p, 1.0) for p in passages[: self.top_k])
        answer = Answer(cleaned, language, "passage", scored, 1, detail="more",
                        searched=last.question)
        turn = Turn(last.question, language, "passage", "more", tuple(ranked),
                    last.shown + (passages[0].id,))
        return answer, turn

    def _list_asked(self, intent: Intent | None, text: str, language: str,
                    last: Turn | None) -> tuple[str, int] | None:
        """(field, n) when the message asks for the n-th author or keyword: a record
        question with an ordinal ("penulis pertamanya siapa?"), or a short ordinal right
        after a list was shown ("yg keempat apa?")."""
        numbers = ordinals(text)
        if not numbers:
            return None
        if intent is not None and intent.kind == FIELD and intent.field in LIST_FIELDS \
                and not self._is_content(intent, NUMBERED.sub(" ", text), language, last):
            return intent.field, numbers[0]
        shown = self.searcher.passage(last.shown[-1]) if last and last.shown else None
        analyzer = self._analyzers[language]
        content = [w for w in analyzer.content_words(NUMBERED.sub(" ", text))
                   if ordinal(w) is None]
        topical = any(analyzer.stem(w) in self.searcher.text_stems.get(language, frozenset())
                      for w in content)  # "yang pertama kali dilakukan kepala daerah?"
        if shown is not None and shown.section in LIST_FIELDS and not topical \
                and len(content) <= ORDINAL_FOLLOW_UP_MAX_CONTENT_WORDS:
            return shown.section, numbers[0]
        return None

    def _list_item(self, cleaned: str, searched: str, language: str, last: Turn | None,
                   section: str, number: int) -> tuple[Answer, Turn | None]:
        document = self._document_of(last)
        doc = self.document(document)
        record = next((p for p in self.searcher.passages if p.document == document
                       and p.language == language and p.section == section), None)
        if doc is None or record is None:
            return self._declined(cleaned, language, "not_in_article")
        items = [a.name for a in doc.authors] if section == "authors" \
            else list(doc.keywords_in(language)[0] or doc.keywords)
        index = len(items) + number if number < 0 else number - 1
        text = items[index] if 0 <= index < len(items) else None
        item = ListItem(section, index + 1 if text else number, len(items), text)
        answer = Answer(cleaned, language, "passage", (ScoredPassage(record, 1.0),), 1,
                        detail="item", searched=searched, item=item)
        # the topic stays the list's: "mereka dari mana?" after "yang kedua?" is the authors'
        topic = last.question if last is not None and record.id in last.shown else searched
        return answer, Turn(topic, language, "passage", "item", (record.id,), (record.id,))

    def _turn_in(self, turn: Turn, language: str) -> Turn:
        """The turn as if its passages had been shown in ``language`` (their partners)."""
        def moved(ids: tuple[str, ...]) -> tuple[str, ...]:
            found = (self.searcher.passage(pid) for pid in ids)
            partners = (self._in_language(p, language) for p in found if p is not None)
            return tuple(p.id for p in partners if p is not None)

        shown = moved(turn.shown)
        return Turn(turn.question, language, turn.kind, turn.detail, moved(turn.ranked), shown,
                    min(turn.latest, len(shown)) or 1)

    def _not_shown(self, ranked: list[str], last: Turn) -> list[Passage]:
        """The passages of ``ranked`` not shown yet; after a sentence of the text, only the
        text ("explain more" wants the text, not the keyword list), and first the sentence
        that follows the one shown, when it was not shown: an abstract is an argument, and
        "terus?", "selain itu?", "anything else?" read on (on the looked-at follow-up sets
        the next-best of the first search was another topic as often as not)."""
        passages = [p for p in map(self.searcher.passage, ranked)
                    if p is not None and p.id not in last.shown]
        if not self._from_text(last.shown):
            return passages
        passages = [p for p in passages if p.section not in METADATA_SECTIONS]
        following = self._following(last.shown[-1])
        if following is None or following.id in last.shown:
            return passages
        return [following] + [p for p in passages if p.id != following.id]

    def _following(self, passage_id: str) -> Passage | None:
        """The next sentence of the same document, language and section, if any."""
        passage = self.searcher.passage(passage_id)
        if passage is None:
            return None
        after = self.searcher.at(self.searcher.position(passage) + 1)
        same = after is not None and (after.document, after.language, after.section) == (
            passage.document, passage.language, passage.section)
        return after if same else None

    def _from_text(self, ids: Iterable[str]) -> bool:
        """Whether these passages are all sentences of the text (abstract or body)."""
        found = [self.searcher.passage(pid) for pid in ids]
        return bool(found) and all(p is not None and p.section not in METADATA_SECTIONS
                                   for p in found)

    def _asked_in_language(self, cleaned: str, language: str, mode: Mode,
                           last: Turn | None) -> tuple[Answer, Turn | None] | None:
        """"kata kunci dalam bahasa inggris apa?", "what is paradiplomacy in Indonesian?": a
        question asked for in a language (answered without those words, in it), not a
        request to translate the last answer ("in English please" has no question left)."""
        target = named_language(cleaned)
        if target is None:
            return None
        rest = " ".join(LANGUAGE_PHRASE.sub(" ", cleaned).split())
        content = self._content_beyond({"translate", "more"}, rest, language)
        if not any(self.searcher.coverage(w, lang) > 0 for w in content for lang in LANGUAGES):
            return None
        return self._answer(rest, mode, target, last)

    def _translate(self, cleaned: str, searched: str, language: str, mode: Mode,
                   last: Turn | None) -> tuple[Answer, Turn | None]:
        # the language asked for in a phrase ("answer in English, my friend can't read
        # indo"), else the last one named ("translate ke indo dong")
        asked = named_language(searched) or language_wanted(words(searched))
        if last is None:
            return self._declined(cleaned, asked or language, "not_a_question")
        target = asked or next(x for x in LANGUAGES if x != last.language)
        if last.kind == "citation" and last.detail:
            return self._citation(cleaned, target, self._document_of(last), last.detail)
        if last.kind == "summary" and last.detail:
            return self._summary(cleaned, target, self._document_of(last), last.detail)
        if last.kind != "passage" or not last.shown:  # a refusal: the same, translated
            kind: Kind = next((k for k in KINDS if k == last.kind), "not_a_question")
            places = self.places.unknown(last.question) if last.detail == "place" else []
            answer = Answer(cleaned, target, kind, detail=last.detail,
                            suggestions=self.suggestions(target),
                            named=places[0] if places else None)
            return answer, dataclasses.replace(last, language=target)
        shown = [self.searcher.passage(pid) for pid in last.shown[-last.latest:]]
        moved = [p for p in (self._in_language(p, target) for p in shown if p is not None)
                 if p is not None]
        ranked = [self._in_language(p, target) for p in map(self.searcher.passage, last.ranked)
                  if p is not None]
        passages = [p for p in moved + ranked if p is not None]
        passages = list(dict.fromkeys(passages))
        if not passages:
            return self._declined(cleaned, target, "not_in_article")
        count = max(len(moved), 1)
        answer = Answer(cleaned, target, "passage",
                        tuple(ScoredPassage(p, 1.0) for p in passages[: max(self.top_k, count)]),
                        count, detail="translation", searched=last.question)
        # what was seen before, in the new language too: "lanjut" after it shows none again
        seen = [self._in_language(p, target)
                for p in map(self.searcher.passage, last.shown[: -last.latest]) if p is not None]
        latest = tuple(p.id for p in passages[:count])
        earlier = tuple(p.id for p in seen if p is not None and p.id not in latest)
        return answer, Turn(last.question, target, "passage", "translation",
                            tuple(p.id for p in passages), earlier + latest, count)

    def _in_language(self, passage: Passage, language: str) -> Passage | None:
        if passage.language == language:
            return passage
        return self.partner(passage)

    def _search_answer(self, cleaned: str, searched: str, xq: np.ndarray, language: str,
                       mode: Mode, last: Turn | None, seen: tuple[str, ...] = (),
                       ) -> tuple[Answer, Turn | None]:
        """Search (joined with the last question when this one leans on it) and answer, or
        refuse; passages ``seen`` come last ("apa lagi …?" wants something not shown)."""
        refused = self._place_refused(cleaned, searched, language, last)
        if refused is not None:  # "how does Quebec do paradiplomacy?": near the topic
            return refused
        setting = self.limits.setting_defined(searched, language)
        if setting is not None:  # "apa itu globalisasi?": named, never explained
            return Answer(cleaned, language, "not_in_article", detail="setting", named=setting,
                          suggestions=self.suggestions(language)), \
                _keeping_topic(Turn(searched, language, "not_in_article", "setting", (), ()),
                               last)
        if self.limits.compares_with_the_unknown(searched, language) \
                or self.limits.defines_a_phrase_never_made(searched, language) \
                or self.limits.defines_the_unknown(searched, language) \
                or self.limits.asks_how_to_become(searched) \
                or self.limits.asks_who_holds_an_office(searched, language) \
                or self.limits.view_of_an_unknown_person(cleaned, language) \
                or self.limits.role_of_the_unknown(searched, language) \
                or self.limits.duty_of_an_outsider(searched, language) \
                or self.limits.names_a_law_or_year_not_in_it(searched):
            logger.debug("refused %r: compares with, or asks the view of, something the "
                         "corpus does not know", searched)
            return self._declined(cleaned, language, "not_in_article")[0], \
                _keeping_topic(Turn(searched, language, "not_in_article", None, (), ()), last)
        hits, evidence = self._search(xq, searched, language, self.top_k, mode)
        combined = self._follow_up_text(searched, language, last) \
            or self._of_the_subject(searched, language, last)
        if combined is not None and (self.limits.new_unknown_topic(searched, language) or (
                QUESTION_WORDS[language] & set(words(searched)) and self._unknown_names(
                    self._analyzers[language].content_words(searched), language))):
            combined = None  # "kalo pariwisata?", "terus ASEAN itu apa?": not the last
            # answer's topic, nor the corpus's
        if combined is not None:
            xc = self.embedder.embed_queries([combined])[0]
            c_hits, c_evidence = self._search(xc, combined, language, self.top_k, mode)
            alone = self.answerability.probability(evidence) if hits else 0.0
            leaning = self.answerability.probability(c_evidence) if c_hits else 0.0
            pointing = bool(THIRD_PERSON[language] & set(words(searched)))
            if c_hits and self.answerability.answerable(c_evidence) \
                    and (leaning > alone or pointing):  # "peran dia apa?": whose role?
                hits, evidence, searched = c_hits, c_evidence, combined
        if hits and (self.answerability.answerable(evidence)
                     or self.limits.asks_what_counts(searched, language)):  # the definition answers
            hits = [h for h in hits if h.passage.id not in seen] \
                + [h for h in hits if h.passage.id in seen]
            hits = self._definition_first(hits, searched, language)
            new = self._besides_the_repeat(hits, last) if not seen else None
            if new is not None:  # "kenapa?" answered by the sentence just shown, again
                hits = [hits[0], new, *(h for h in hits[1:] if h is not new)]
            undefined = self.limits.undefined_term(searched, language, hits[0]) if new is None \
                else None
            answer, turn = self._passage_answer(cleaned, searched, language, hits, evidence,
                                                "undefined" if undefined else
                                                None if new is None else "again")
            if undefined:  # "apa itu birokrasi?": named, never defined; what it says of it
                answer = dataclasses.replace(answer, named=undefined)
            return answer, dataclasses.replace(turn, shown=seen + turn.shown)
        logger.debug("refused %r: %s", searched, evidence)
        answer = Answer(cleaned, language, "not_in_article",
                        tuple(ScoredPassage(h.passage, h.score) for h in hits),
                        suggestions=self.suggestions(language), searched=searched,
                        evidence=evidence)
        return answer, _keeping_topic(Turn(searched, language, "not_in_article", None, (), ()),
                                      last)

    def _definition_first(self, hits: list[Hit], text: str, language: str) -> list[Hit]:
        """For a definition question, the sentence defining what it asks about first
        ("paradiplomasi tuh maksudnya apa, dosen nyebut terus tp aku blm ngerti": the chatter
        pulled another sentence of the subject ahead of its definition); for a question
        whether an example counts as the subject, the subject's definition."""
        if self.limits.asks_what_counts(text, language):  # "… itu termasuk paradiplomasi gak?"
            defining = [h for h in hits if self.searcher.defines_subject(h.passage, language)]
            return defining[:1] + [h for h in hits if h not in defining[:1]]
        if not DEFINITION_ASKED.search(text):
            return hits
        defining = [h for h in hits if self.searcher.defines(h.passage, text, language)]
        return defining[:1] + [h for h in hits if h not in defining[:1]]


    def _place_refused(self, cleaned: str, searched: str, language: str,
                       last: Turn | None) -> tuple[Answer, Turn] | None:
        """The refusal of a message that names a place the corpus never mentions."""
        places = self.places.unknown(cleaned)
        if not places or self.limits.asks_what_counts(searched, language):
            return None  # ("if my regent goes to Japan to trade, is that paradiplomacy?")
        logger.debug("refused %r: names %s", searched, places)
        return Answer(cleaned, language, "not_in_article", detail="place", named=places[0],
                      suggestions=self.suggestions(language), searched=searched), \
            _keeping_topic(Turn(searched, language, "not_in_article", "place", (), ()), last)

        # utama" nor "termasuk bagian dari paradiplomasi" (a part: the text's list answers)

    def _follow_up_text(self, searched: str, language: str, last: Turn | None) -> str | None:
        """The previous question joined to this one, when this one may lean on it."""
        if last is None or last.kind not in ("passage", "summary") or not last.question:
            return None
        tokens = words(searched)
        content = self._analyzers[language].content_words(searched)
        leaning = bool(ALL_ANAPHORS & set(tokens)) or not content \
            or (language == "id" and any(nya_form(w) for w in content))
        if len(content) > FOLLOW_UP_MAX_CONTENT_WORDS or not leaning:
            return None
        return f"{last.question} {searched}"

    def _of_the_subject(self, searched: str, language: str, last: Turn | None) -> str | None:
        """"is attracting investment part of it?" with nothing before it: "it" can only be
        the article's subject, named after the question."""
        if last is not None or not SUBJECT_PRONOUNS.get(language, frozenset()) \
                & set(words(searched)):
            return None
        subject = self.searcher.subject_named(language)
        if subject is None or set(self._analyzers[language].terms(searched)) \
                & self.searcher.defined_subject(language) \
                or self.searcher.coverage(searched, language) < SUBJECT_LEANING_COVERAGE:
            return None  # ("is it on the exam?" names nothing the text says)
        return f"{searched} {subject}"

    def _besides_the_repeat(self, hits: list[Hit], last: Turn | None) -> Hit | None:
        """When the best passage for a follow-up is a sentence of the text that the last
        reply showed ("siapa aktor utamanya?" then "kenapa?"), the best one not shown yet,
        to show after it: the repeat is right as often as not on the follow-up sets, but
        alone it tells the student nothing new."""
        if last is None or not hits or hits[0].passage.id not in last.shown[-last.latest:] \
                or hits[0].passage.section in METADATA_SECTIONS \
                or (_near_tie(hits) and hits[1].passage.id not in last.shown):
            return None  # (a near tie shows two already, unless both were just shown)
        return next((h for h in hits[1:] if h.passage.id not in last.shown
                     and h.passage.section not in METADATA_SECTIONS), None)

    def _passage_answer(self, cleaned: str, searched: str, language: str, hits: list[Hit],
                        evidence: QueryEvidence | None,
                        detail: str | None) -> tuple[Answer, Turn]:
        passages = tuple(ScoredPassage(h.passage, h.score) for h in hits)
        shown = 2 if _near_tie(hits) or detail == "again" else 1
        answer = Answer(cleaned, language, "passage", passages, shown, detail=detail,
                        searched=searched, evidence=evidence)
        ranked = tuple(h.passage.id for h in hits)
        return answer, Turn(searched, language, "passage", detail, ranked, ranked[:shown],
                            shown)

    def _declined(self, cleaned: str, language: str, kind: Kind) -> tuple[Answer, None]:
        return Answer(cleaned, language, kind, suggestions=self.suggestions(language)), None


def _keeping_topic(turn: Turn, last: Turn | None) -> Turn:
    """A refusal or a not-stated reply keeps the topic before it, its question and passages,
    so that "terus?" after "contohnya?" ("not stated") goes on with that topic, and "kenapa
    itu penting?" after that leans on the topic's question, not on "contohnya?"."""
    if last is None or not last.ranked:
        return turn
    return dataclasses.replace(turn, question=last.question or turn.question,
                               ranked=last.ranked, shown=last.shown, latest=last.latest)


def _near_tie(hits: list[Hit]) -> bool:
    """The two best passages are sentences of the text scored too close to tell apart: the
    reply shows both rather than guess. On our tuning questions, when the margin is under
    NEAR_TIE the first was right about as often as the second."""
    if len(hits) < 2 or any(h.passage.section in METADATA_SECTIONS for h in hits[:2]):
        return False
    return 0.0 <= hits[0].score - hits[1].score < NEAR_TIE  # (seen passages come last)


__all__ = ["ANSWERED", "KINDS", "Answer", "DEFAULT_LANGUAGE", "Engine", "Kind", "NONE",
           "ScoredPassage", "clean_question"]
