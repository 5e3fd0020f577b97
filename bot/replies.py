"""What an answer says, in the student's language: the words of ``bot/i18n.py`` around the
data the core returns. Every face (terminal, JSON, Telegram) renders a :class:`Reply`."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.i18n import t
from index.answer import FIELD_SECTIONS, Answer, Engine, ListItem
from index.citation import author_short
from index.corpus import Document
from index.passages import Passage
from index.references import STYLE_NAMES

SMALLTALK_WITH_SUGGESTIONS = frozenset(("greeting", "thanks", "praise", "apology", "ack", "about"))


@dataclass(frozen=True)
class Reply:
    lead: str | None  # a sentence before the body
    body: tuple[str, ...]  # passage texts, or the formatted reference
    passages: tuple[Passage, ...]  # the passages of the body, for citations and buttons
    suggestions: tuple[str, ...]  # questions to offer
    code: bool = False  # the body is a machine format (BibTeX, RIS): shown as code
    note: str | None = None  # a remark under the body ("the record lacks the journal")
    captions: tuple[str | None, ...] = ()  # a label before each body text, if any
    # what the text faces add (Telegram shows buttons instead): the other citation styles
    hint: str | None = None

    def caption(self, i: int) -> str | None:
        return self.captions[i] if i < len(self.captions) else None


def reply_for(answer: Answer, engine: Engine) -> Reply:
    lang = answer.language
    kind = answer.kind
    if kind == "passage":
        shown = answer.shown_passages
        lead = t(lang, answer.detail) if answer.detail in ("again", "clarify", "means") \
            else t(lang, "undefined", term=answer.named or "") if answer.detail == "undefined" \
            else _item_lead(answer.item, lang)
        # two record fields asked together ("siapa penulisnya dan kapan terbit?") are both
        # the answer, not an aside
        captions = () if answer.detail in FIELD_SECTIONS else passage_captions(len(shown), lang)
        return Reply(lead, tuple(p.text for p in shown), shown, (), captions=captions)
    if kind == "summary":
        lead = t(lang, {"conclusion": "conclusion_lead", "abstract": "abstract_lead"}.get(
            answer.detail or "", "summary_lead"))
        shown = answer.shown_passages
        return Reply(lead, tuple(p.text for p in shown), shown, ())
    if kind == "citation":
        style = answer.detail or ""
        name = STYLE_NAMES.get(style, style.upper())
        lead = t(lang, "citation_in_text_lead", style=name) if answer.in_text \
            else t(lang, "citation_unsupported", asked=answer.named, style=name) \
            if answer.named else t(lang, "citation_lead", style=name)
        note = None if answer.in_text else incomplete_reference_note(
            engine.document(answer.document or ""), lang)
        return Reply(lead, (answer.reference or "",), (), (),
                     code=style in ("bibtex", "ris"), note=note, hint=t(lang, "citation_styles"))
    if kind == "smalltalk":
        act = answer.detail or "about"
        suggestions = answer.suggestions if act in SMALLTALK_WITH_SUGGESTIONS else ()
        extra = {"hello": _hello(answer.question, lang)} if act == "greeting" else {}
        return Reply(t(lang, act, **_article(engine, lang), **extra), (), (), suggestions)
    if kind == "not_in_article" and answer.detail == "place":
        return Reply(t(lang, "place", place=answer.named or ""), (), (), answer.suggestions)
    if kind == "not_in_article" and answer.detail == "setting":
        return Reply(t(lang, "setting", term=answer.named or ""), (), (), answer.suggestions)
    if kind == "not_in_article" and answer.detail in ("exhausted", "homework", "other_works",
                                                      "opinion"):
        key = "more_exhausted" if answer.detail == "exhausted" else answer.detail
        return Reply(t(lang, key), (), (), answer.suggestions)
    if kind == "not_a_question" and answer.detail == "language":
        return Reply(t(lang, "unreadable_language"), (), (), answer.suggestions)
    if kind == "not_stated":
        what = t(lang, f"field_{answer.detail}")
        return Reply(t(lang, "not_stated", what=what, covers=_covers(engine, answer, lang)), (),
                     (), answer.suggestions)
    return Reply(t(lang, kind), (), (), answer.suggestions)


# "assalamualaikum", "selamat malam", "good evening": answered in kind in the welcome
_SALAM = re.compile(r"\bas+alamu?\W?\s*a?laikum|\bsalam\b", re.IGNORECASE)
_TIME_OF_DAY = {
    "id": {"pagi": "pagi", "siang": "siang", "sore": "sore", "malam": "malam",
           "malem": "malam"},
    "en": {"morning": "morning", "afternoon": "afternoon", "evening": "evening"},
}


_HOW_ARE_YOU = re.compile(r"\bapa\s+kabar|\bgimana\s+kabar|\bhow\s+are\s+(?:you|u)\b|\bhow'?s\s+it\s+going",
                          re.IGNORECASE)


def _hello(question: str, language: str) -> str:
    """"Halo!", or the salam and time of day a greeting named, returned in kind
    ("Wa'alaikumsalam, halo!", "Halo, selamat malam!", "Hello, good evening!")."""
    salam = bool(_SALAM.search(question))
    said = re.findall(r"[^\W\d_]+", question.lower())
    times = _TIME_OF_DAY.get(language, {})
    time = next((times[w] for w in said if w in times), None)
    key = "greeting_" + ("salam" if salam else "") + ("_time" if salam and time else
                                                       "time" if time else "")
    hello = t(language, "greeting_hello" if key == "greeting_" else key, time=time or "")
    # "apa kabar?", "how are you?" get an answer first
    return f"{t(language, 'greeting_fine')} {hello}" if _HOW_ARE_YOU.search(question) else hello


def _item_lead(item: ListItem | None, language: str) -> str | None:
    """"Penulis ke-1 dari 4: Istiq Agustina", or "the article lists only 5 keywords"."""
    if item is None:
        return None
    if item.text is None:
        return t(language, f"item_missing_{item.field}", total=item.total)
    return t(language, f"item_{item.field}", n=item.number, total=item.total, item=item.text)


def passage_captions(count: int, language: str) -> tuple[str | None, ...]:
    """Labels of the passages of a passage answer: none for the best, "Also relevant:" for
    a near-tied second one."""
    return (None,) + (t(language, "also_relevant"),) * (count - 1) if count > 1 else ()


def _article(engine: Engine, language: str) -> dict[str, str]:
    doc = next(iter(engine.documents.values()), None)
    if doc is None:
        return {"title": "", "authors": "", "year": ""}
    title = (doc.title_in(language) or (doc.title, False))[0]
    return {"title": title, "authors": author_short(doc, language), "year": str(doc.year)}


def _covers(engine: Engine, answer: Answer, language: str) -> str:
    """What the article does cover: its keywords, in the reply's language."""
    doc = engine.document(answer.document or "") or next(iter(engine.documents.values()), None)
    if doc is None:
        return ""
    keywords, _ = doc.keywords_in(language)
    return ", ".join(keywords)


def incomplete_reference_note(document: Document | None, language: str) -> str | None:
    """A warning under a reference built from a record without journal, volume, pages or
    DOI: the reference invents nothing, so the student must complete it."""
    if document is None:
        return None
    if all((document.journal, document.volume, document.pages, document.doi or document.url)):
        return None
    return t(language, "citation_incomplete")


def plain_text(reply: Reply) -> str:
    """The reply as text: lead, body, note, hint, suggestions as bullets (the JSON
    ``answer``)."""
    parts = [reply.lead] if reply.lead else []
    parts += [f"{reply.caption(i)} {text}" if reply.caption(i) else text
              for i, text in enumerate(reply.body)]
    parts += [reply.note] if reply.note else []
    parts += [reply.hint] if reply.hint else []
    text = "\n".join(parts)
    return text + "".join(f"\n• {q}" for q in reply.suggestions)
