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
from dataclasses import dataclass
from urllib.parse import quote

MAX_PAYLOAD = 64  # Telegram's limit for start parameters
PAYLOAD_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
LINK_ID_RE = re.compile(r"^[A-Za-z0-9]{6,20}$")
MAX_QUESTION_CHARS = 500  # as the core accepts
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
        question = question.strip()
        if question and len(question) <= MAX_QUESTION_CHARS and question.isprintable():
            return AskQuestion(question, lang)
    return None


def bot_link(username: str, payload: str | None = None) -> str:
    """``https://t.me/<username>`` with ``?start=PAYLOAD`` if given."""
    base = f"https://t.me/{quote(username.lstrip('@'))}"
    return f"{base}?start={payload}" if payload else base
