"""A question's deep link and QR code, made where the bot's database is (the bot's /link and
`python -m bot link` share this)."""

from __future__ import annotations

from dataclasses import dataclass

from bot import deeplinks, qr
from bot.storage import Store


@dataclass(frozen=True)
class MadeLink:
    question: str
    link: str
    link_id: str | None  # set when the question was stored (too long for the link itself)
    png: bytes  # the QR code with the question as caption


def clean(question: str) -> str | None:
    """The question as a link carries it (spaces collapsed), or None if it cannot be one."""
    question = " ".join(question.split())
    if not question or len(question) > deeplinks.MAX_QUESTION_CHARS:
        return None
    return question


def make_link(store: Store, username: str, question: str, ttl_days: float,
              language: str = "auto") -> MadeLink | None:
    """The link that opens the bot with ``question`` answered (stored in ``store`` when it
    does not fit in the link), and its QR code; None if the question cannot be linked.
    Blocking (database, PNG): run it off the event loop."""
    cleaned = clean(question)
    if cleaned is None:
        return None
    payload = deeplinks.inline_payload(cleaned, language)
    link_id = None
    if payload is None:
        link_id = store.put_link(cleaned, language, ttl_days)
        payload = deeplinks.stored_payload(link_id, language)
    link = deeplinks.bot_link(username, payload)
    png, _ = qr.png(link, cleaned)
    return MadeLink(cleaned, link, link_id, png)
