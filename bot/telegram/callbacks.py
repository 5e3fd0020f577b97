"""Callback data of inline buttons: compact, under Telegram's 64 bytes, validated on return.

A button carries everything it needs (no server-side state), so buttons keep working across
restarts of the bot, and references to passages carry the index version they were made
with, so a button from before a rebuild is recognised as stale instead of pointing at a
different passage.

Formats (``v`` = index version, ``n`` = passage number in that version):

* ``tr:v:n[,n]``      show these passages instead (the shown ones' other-language partners)
* ``mo:v:n,n,...``    show these passages (the next best ones, not shown yet)
* ``sg:lang:i``       ask suggested question i in language lang
* ``lg:auto|id|en``   set the answer language
* ``fb:i:u|d``        👍 (u) or 👎 (d) on stored answer i
* ``ct:v:d:style``     show document d (its number in that index version) in a citation style
* ``ab:lang``         show the whole abstract in language lang
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_CALLBACK_BYTES = 64  # Telegram's limit for callback_data
MAX_MORE = 6  # passages listed behind one "more" button
MAX_SHOWN = 2  # passages of one answer (the best and a near-tied second): one language button

_PATTERNS = {
    "tr": re.compile(r"^tr:([0-9a-f]{6}):(\d{1,7}(?:,\d{1,7})?)$"),
    "mo": re.compile(r"^mo:([0-9a-f]{6}):(\d{1,7}(?:,\d{1,7}){0,5})$"),
    "sg": re.compile(r"^sg:(id|en):(\d{1,2})$"),
    "lg": re.compile(r"^lg:(auto|id|en)$"),
    "fb": re.compile(r"^fb:(\d{1,15}):([ud])$"),
    "ct": re.compile(r"^ct:([0-9a-f]{6}):(\d{1,4}):([a-z]{2,8})$"),
    "ab": re.compile(r"^ab:(id|en)$"),
}


@dataclass(frozen=True)
class Translate:
    version: str
    positions: tuple[int, ...]  # one, or two for an answer that shows a near-tied second


@dataclass(frozen=True)
class More:
    version: str
    positions: tuple[int, ...]


@dataclass(frozen=True)
class Suggestion:
    language: str
    number: int


@dataclass(frozen=True)
class SetLanguage:
    choice: str  # "auto", "id" or "en"


@dataclass(frozen=True)
class Vote:
    interaction_id: int
    value: int  # +1 or -1


@dataclass(frozen=True)
class Cite:
    version: str
    document: int  # position of the document in the index version's document order
    style: str  # one of index.references.STYLES (checked by the handler)


@dataclass(frozen=True)
class WholeAbstract:
    language: str


Action = Translate | More | Suggestion | SetLanguage | Vote | Cite | WholeAbstract


def encode(action: Action) -> str:
    match action:
        case Translate(version, positions):
            data = f"tr:{version}:{','.join(map(str, positions[:MAX_SHOWN]))}"
        case More(version, positions):
            data = f"mo:{version}:{','.join(map(str, positions[:MAX_MORE]))}"
        case Suggestion(language, number):
            data = f"sg:{language}:{number}"
        case SetLanguage(choice):
            data = f"lg:{choice}"
        case Vote(interaction_id, value):
            data = f"fb:{interaction_id}:{'u' if value > 0 else 'd'}"
        case Cite(version, document, style):
            data = f"ct:{version}:{document}:{style}"
        case WholeAbstract(language):
            data = f"ab:{language}"
        case _:
            raise TypeError(f"not a button action: {action!r}")
    if len(data.encode()) > MAX_CALLBACK_BYTES:  # pragma: no cover - formats are bounded
        raise ValueError("callback data over 64 bytes")
    return data


def decode(data: str | None) -> Action | None:
    """The action a button carries, or None if the data is not one of ours (tampered)."""
    if not data or len(data.encode()) > MAX_CALLBACK_BYTES:
        return None
    kind = data[:2]
    pattern = _PATTERNS.get(kind)
    m = pattern.match(data) if pattern else None
    if not m:
        return None
    if kind == "tr":
        return Translate(m[1], tuple(int(x) for x in m[2].split(",")))
    if kind == "mo":
        return More(m[1], tuple(int(x) for x in m[2].split(",")))
    if kind == "sg":
        return Suggestion(m[1], int(m[2]))
    if kind == "fb":
        return Vote(int(m[1]), 1 if m[2] == "u" else -1)
    if kind == "ct":
        return Cite(m[1], int(m[2]), m[3])
    if kind == "ab":
        return WholeAbstract(m[1])
    return SetLanguage(m[1])
