"""Deep links: ``https://t.me/<bot>?start=PAYLOAD`` that open the bot with a question answered
or a language chosen.

Telegram allows 1-64 characters of ``A-Za-z0-9_-`` in a payload. The first character says
what the payload is, the second which language:

* ``q<l><base64url(question)>``  the question itself, when it fits
* ``s<l><id>``                   a stored question (too long to fit), by its short id
* ``l<l>``                       just the language

with ``<l>`` one of ``a`` (auto: the question's own), ``i`` (Indonesian), ``e`` (English).
"""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote

from index.answer import MAX_QUESTION_CHARS
from index.reading import has_word
from index.text import normalize

MAX_PAYLOAD = 64  # Telegram's limit for start parameters
PAYLOAD_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
LINK_ID_RE = re.compile(r"^[A-Za-z0-9]{6,20}$")
_LANG_CODE = {"auto": "a", "id": "i", "en": "e"}
_CODE_LANG = {v: k for k, v in _LANG_CODE.items()}


@dataclass(frozen=True)
class AskQuestion:
    question: str
    language: str  # "auto", "id" or "en"


@dataclass(frozen=True)
class AskStored:
    link_id: str
    language: str


@dataclass(frozen=True)
class ChooseLanguage:
    language: str  # "id" or "en" ("auto" is allowed too)


DeepLink = AskQuestion | AskStored | ChooseLanguage


class UnanswerableQuestion(ValueError):
    """A link's question the bot would not answer; the message says why."""


def _visible(text: str) -> str:
    """Normalised (index.text.normalize) and without format characters (Unicode Cf: soft
    hyphens, zero-width spaces and joiners, direction marks), which a link cannot show."""
    text = normalize(text)
    return " ".join("".join(c for c in text if unicodedata.category(c) != "Cf").split())


def link_question(text: str) -> str:
    """The question as a link carries it: normalised as the bot reads questions (NFKC,
    invisible characters such as soft hyphens and zero-width spaces from a PDF removed,
    whitespace collapsed). Raises :class:`UnanswerableQuestion` for what would only open
    the welcome: nothing left, no word (only emoji or digits), or too long."""
    question = _visible(text)
    if not question:
        raise UnanswerableQuestion("the question is empty once invisible characters are "
                                   "removed")
    if not has_word(question):
        raise UnanswerableQuestion("the question has no word in it: the bot would not "
                                   "answer it")
    if len(question) > MAX_QUESTION_CHARS:
        raise UnanswerableQuestion(f"the question must have at most {MAX_QUESTION_CHARS} "
                                   "characters")
    return question


def _b64encode(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode("utf-8")).decode("ascii").rstrip("=")


def inline_payload(question: str, language: str = "auto") -> str | None:
    """The payload carrying ``question`` itself, or None if it does not fit in 64 characters."""
    payload = f"q{_LANG_CODE[language]}{_b64encode(question)}"
    return payload if len(payload) <= MAX_PAYLOAD else None


def stored_payload(link_id: str, language: str = "auto") -> str:
    if not LINK_ID_RE.match(link_id):
        raise ValueError("not a link id")
    return f"s{_LANG_CODE[language]}{link_id}"


def language_payload(language: str) -> str:
    return f"l{_LANG_CODE[language]}"


def decode(payload: str | None) -> DeepLink | None:
    """What a payload asks for, or None if it is malformed (then: the normal welcome)."""
    if not payload or not PAYLOAD_RE.match(payload) or len(payload) < 2:
        return None
    kind, lang, data = payload[0], _CODE_LANG.get(payload[1]), payload[2:]
    if lang is None:
        return None
    if kind == "l" and not data:
        return ChooseLanguage(lang)
    if kind == "s" and LINK_ID_RE.match(data):
        return AskStored(data, lang)
    if kind == "q" and data:
        try:
            raw = base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
            question = raw.decode("utf-8")
        except (binascii.Error, ValueError):
            return None
        if _b64encode(question) != data:  # not canonical: tampered or truncated
            return None
        # links made before link_question carry soft hyphens and zero-width spaces
        question = "".join(c for c in question if unicodedata.category(c) != "Cf").strip()
        if question and len(question) <= MAX_QUESTION_CHARS and question.isprintable():
            return AskQuestion(question, lang)
    return None


def bot_link(username: str, payload: str | None = None) -> str:
    """``https://t.me/<username>`` with ``?start=PAYLOAD`` if given."""
    base = f"https://t.me/{quote(username.lstrip('@'))}"
    return f"{base}?start={payload}" if payload else base
