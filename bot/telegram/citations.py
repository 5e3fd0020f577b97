"""/cite and /sitasi: an article's reference in one style, with a button for every style.

Plain functions of the engine, like :mod:`bot.telegram.render`; the handlers in
:mod:`bot.telegram.handlers` send what these return. The references themselves come from
:mod:`index.references`.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.replies import incomplete_reference_note
from bot.telegram import callbacks
from bot.telegram.render import Rendered, esc
from index.answer import Engine
from index.corpus import Document
from index.references import (
    CODE_STYLES,
    DEFAULT_STYLE,
    STYLE_NAMES,
    STYLES,
    Reference,
    format_reference,
)

MAX_DOCUMENTS = 5  # /cite sends one message per article; a larger corpus gets the first five
BUTTONS_PER_ROW = 4  # seven formats: two rows on a phone
CURRENT = "✓ "  # marks the format shown


def documents(engine: Engine) -> list[Document]:
    """The documents in the index version's order: a button names one by its position."""
    return list(engine.documents.values())


def style_keyboard(engine: Engine, document: int, current: str) -> InlineKeyboardMarkup:
    """One button per format; the one shown is marked."""
    buttons = [
        InlineKeyboardButton(
            (CURRENT if style == current else "") + STYLE_NAMES[style],
            callback_data=callbacks.encode(callbacks.Cite(engine.version, document, style)))
        for style in STYLES
    ]
    rows = [buttons[i:i + BUTTONS_PER_ROW] for i in range(0, len(buttons), BUTTONS_PER_ROW)]
    return InlineKeyboardMarkup(rows)


def render_citation(engine: Engine, document: int, style: str, language: str) -> Rendered | None:
    """Document number ``document`` as a reference in ``style``, or None if there is no such
    document or style. BibTeX and RIS come in <pre>, so a long press copies them whole."""
    docs = documents(engine)
    if not 0 <= document < len(docs) or style not in STYLES:
        return None
    reference = Reference.from_document(docs[document])
    if style in CODE_STYLES:
        body = f"<pre>{esc(format_reference(reference, style, language))}</pre>"
    else:
        body = format_reference(reference, style, language, html=True)
    text = f"📚 <b>{esc(STYLE_NAMES[style])}</b>\n{body}"
    note = incomplete_reference_note(docs[document], language)
    if note:
        text += f"\n\n<i>{esc(note)}</i>"
    return Rendered(text, style_keyboard(engine, document, style))


def render_citations(engine: Engine, style: str | None, language: str) -> list[Rendered]:
    """Every document (up to :data:`MAX_DOCUMENTS`) in ``style``, APA 7 when None."""
    chosen = style or DEFAULT_STYLE
    rendered = (render_citation(engine, i, chosen, language)
                for i in range(min(len(engine.documents), MAX_DOCUMENTS)))
    return [r for r in rendered if r is not None]
