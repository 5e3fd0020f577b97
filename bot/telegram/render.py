"""Rendering: answers and pages as Telegram HTML and inline keyboards. Plain functions.

Everything taken from the corpus or from a user is escaped. No message is longer than
Telegram's 4096 characters: long texts are split between blocks (sentences, passages).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
)
from telegram.constants import ParseMode

from bot.i18n import t
from bot.replies import passage_captions, reply_for
from bot.telegram import callbacks
from bot.telegram.callbacks import More, SetLanguage, Suggestion, Translate, Vote, WholeAbstract
from index.answer import Answer, Engine
from index.citation import author_short
from index.passages import Passage, format_date, split_sentences

MAX_MESSAGE_CHARS = 4096  # Telegram's limit, counted after HTML is parsed
MAX_INLINE_RESULTS = 10  # Telegram allows 50; a phone shows a few
SHORT_TITLE_CHARS = 60
SUGGESTION_BUTTONS = 4
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Rendered:
    text: str  # HTML
    keyboard: InlineKeyboardMarkup | None = None


def visible_length(html_text: str) -> int:
    """Length as Telegram counts it: tags removed, entities decoded, UTF-16 code units."""
    plain = html.unescape(_TAG.sub("", html_text))
    return len(plain.encode("utf-16-le")) // 2


def split_blocks(blocks: Sequence[str], separator: str = "\n\n",
                 limit: int = MAX_MESSAGE_CHARS) -> list[str]:
    """Join HTML blocks into as few messages as fit ``limit``; never cut inside a block,
    except a single block too long on its own, which is cut between words (plain text)."""
    messages: list[str] = []
    current = ""
    for block in blocks:
        for piece in _fit(block, limit):
            candidate = f"{current}{separator}{piece}" if current else piece
            if visible_length(candidate) <= limit:
                current = candidate
            else:
                messages.append(current)
                current = piece
    if current:
        messages.append(current)
    return messages


def _fit(block: str, limit: int) -> list[str]:
    if visible_length(block) <= limit:
        return [block]
    plain = html.unescape(_TAG.sub("", block))  # a block this long is body text: drop markup
    pieces, current = [], ""
    for word in plain.split(" "):
        candidate = f"{current} {word}" if current else word
        if len(candidate.encode("utf-16-le")) // 2 > limit and current:
            pieces.append(html.escape(current, quote=False))
            current = word
        else:
            current = candidate
    if current:
        pieces.append(html.escape(current, quote=False))
    return pieces


def esc(text: str) -> str:
    return html.escape(text, quote=False)


def short_title(engine: Engine, passage: Passage, language: str) -> str:
    doc = engine.document(passage.document)
    if doc is None:
        return ""
    title = (doc.title_in(language) or (doc.title, False))[0]
    return title if len(title) <= SHORT_TITLE_CHARS else title[: SHORT_TITLE_CHARS - 1].rstrip() + "…"


def citation_html(engine: Engine, passage: Passage) -> str:
    """"📄 Abstrak, kalimat 2 — Agustina dkk. (2025), “Peran Strategis…”" in italics."""
    title = short_title(engine, passage, passage.language)
    where = engine.citation(passage)
    return f"📄 <i>{esc(where)}{', “' + esc(title) + '”' if title else ''}</i>"


def _summary_blocks(engine: Engine, passages: Sequence[Passage]) -> list[str]:
    """A summary's sentences, then one citation for all of them (on a phone, a citation
    under each of three sentences took a third of the message)."""
    if not passages:
        return []
    together = engine.citation_of_sentences(passages)
    if together is None:
        return [passage_html(engine, p) for p in passages]
    title = short_title(engine, passages[0], passages[0].language)
    source = f"📄 <i>{esc(together)}{', “' + esc(title) + '”' if title else ''}</i>"
    return [esc(p.text) for p in passages] + [source]


def passage_html(engine: Engine, passage: Passage) -> str:
    return f"{esc(passage.text)}\n\n{citation_html(engine, passage)}"


def passages_html(engine: Engine, passages: Sequence[Passage],
                  captions: Sequence[str | None] | None = None) -> str:
    """A passage answer's text: the best passage, and a near-tied second one under
    "Also relevant:" (or the ``captions`` given), each with its citation."""
    if captions is None:
        captions = passage_captions(len(passages), passages[0].language) if passages else ()
    labels = [captions[i] if i < len(captions) else None for i in range(len(passages))]
    return "\n\n".join(f"<b>{esc(c)}</b>\n{passage_html(engine, p)}" if c else
                        passage_html(engine, p) for p, c in zip(passages, labels, strict=True))


def _answer_buttons(engine: Engine, shown: Sequence[Passage], more: Sequence[Passage],
                    language: str) -> list[InlineKeyboardButton]:
    version = engine.version
    row = []
    partners = [engine.partner(p) for p in shown]
    if shown and all(p is not None for p in partners):
        positions = tuple(engine.position(p) for p in partners if p is not None)
        row.append(InlineKeyboardButton(
            t(shown[0].language, "other_language"),
            callback_data=callbacks.encode(Translate(version, positions))))
    if more:
        positions = tuple(engine.position(p) for p in more[: callbacks.MAX_MORE])
        row.append(InlineKeyboardButton(
            t(language, "more"), callback_data=callbacks.encode(More(version, positions))))
    return row


def suggestion_keyboard(engine: Engine, language: str) -> InlineKeyboardMarkup:
    questions = engine.suggestions(language, n=SUGGESTION_BUTTONS)
    return InlineKeyboardMarkup([
        [InlineKeyboardButton(q, callback_data=callbacks.encode(Suggestion(language, i)))]
        for i, q in enumerate(questions)
    ])


def feedback_row(interaction_id: int) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton("👍", callback_data=callbacks.encode(Vote(interaction_id, 1))),
            InlineKeyboardButton("👎", callback_data=callbacks.encode(Vote(interaction_id, -1)))]


def render_answer(answer: Answer, engine: Engine, interaction_id: int | None = None) -> Rendered:
    """The reply to a message, by the answer's kind: the passage and its citation with
    buttons; a summary with a button for the whole abstract; a reference with a button per
    format; or the words for small talk and refusals with suggested questions as buttons.
    👍/👎 when the answer was recorded."""
    lang = answer.language
    votes = [feedback_row(interaction_id)] if interaction_id is not None else []
    if answer.kind == "passage":
        shown = answer.shown_passages
        more = [sp.passage for sp in answer.passages[len(shown):]]
        buttons = [row for row in [_answer_buttons(engine, shown, more, lang)] if row] + votes
        reply = reply_for(answer, engine)
        lead = reply.lead
        text = passages_html(engine, shown, reply.captions)
        return Rendered(f"<b>{esc(lead)}</b>\n\n{text}" if lead else text,
                        InlineKeyboardMarkup(buttons) if buttons else None)
    if answer.kind == "citation" and answer.document and answer.detail:
        from bot.telegram import citations  # it builds on this module's Rendered and esc

        number = list(engine.documents).index(answer.document)
        rendered = citations.render_citation(engine, number, answer.detail, lang)
        if rendered is not None:
            return rendered
    reply = reply_for(answer, engine)
    blocks = [f"<b>{esc(reply.lead)}</b>" if reply.body else esc(reply.lead)] if reply.lead else []
    blocks += _summary_blocks(engine, reply.passages) if answer.kind == "summary" else [
        passage_html(engine, p) for p in reply.passages]
    rows: list[Sequence[InlineKeyboardButton]] = []
    if answer.kind == "summary" and answer.detail != "abstract":
        rows.append([InlineKeyboardButton(t(lang, "whole_abstract"),
                                          callback_data=callbacks.encode(WholeAbstract(lang)))])
    if reply.suggestions:
        rows.extend(suggestion_keyboard(engine, lang).inline_keyboard)
    if answer.kind in ("summary", "not_in_article", "not_stated"):
        rows.extend(votes)
    return Rendered("\n\n".join(blocks), InlineKeyboardMarkup(rows) if rows else None)


def render_translation(engine: Engine, passages: Sequence[Passage],
                       rows: Sequence[Sequence[InlineKeyboardButton]]) -> Rendered:
    """The same message showing ``passages`` (the other language): its language button now
    leads back; every other button of the message (``rows``) stays where it was."""
    language = passages[0].language
    swap = _answer_buttons(engine, passages, (), language)
    new_rows = []
    for row in rows:
        new_row = []
        for b in row:
            action = callbacks.decode(str(b.callback_data))
            if isinstance(action, Translate):
                new_row.extend(swap)
            elif isinstance(action, More):
                new_row.append(_more_in(engine, action, language) or b)
            else:
                new_row.append(b)
        if new_row:
            new_rows.append(new_row)
    return Rendered(passages_html(engine, passages),
                    InlineKeyboardMarkup(new_rows) if new_rows else None)


def _more_in(engine: Engine, action: More, language: str) -> InlineKeyboardButton | None:
    """The "more" button in ``language``: its label, and its passages' partners."""
    found = [engine.passage_at(p) for p in action.positions]
    moved = [p if p is None or p.language == language else engine.partner(p) for p in found]
    if not moved or any(p is None for p in moved):
        return None
    positions = tuple(engine.position(p) for p in moved if p is not None)
    return InlineKeyboardButton(t(language, "more"), callback_data=callbacks.encode(
        More(action.version, positions)))


def render_more(engine: Engine, passages: Sequence[Passage], language: str) -> list[str]:
    blocks = [f"<b>{esc(t(language, 'more_title'))}</b>"]
    blocks += [f"• {passage_html(engine, p)}" for p in passages]  # the answer showed 1 or 2
    return split_blocks(blocks)


def render_welcome(engine: Engine, language: str, first_name: str | None) -> Rendered:
    doc = next(iter(engine.documents.values()), None)
    title = (doc.title_in(language) or (doc.title, False))[0] if doc else ""
    text = t(language, "welcome", name=f", {esc(first_name)}" if first_name else "",
             title=esc(title), authors=esc(author_short(doc, language)) if doc else "",
             year=str(doc.year) if doc else "")
    return Rendered(text, suggestion_keyboard(engine, language))


def render_help(language: str, bot_username: str) -> str:
    return t(language, "help", bot=esc(bot_username))


def render_about(engine: Engine, language: str) -> list[str]:
    blocks = [t(language, "about_title")]
    for doc in engine.documents.values():
        title = doc.title_in(language)
        shown = esc(doc.title)
        if title and title[1]:
            shown += f"\n<i>({esc(title[0])} — {t(language, 'translation_note')})</i>"
        keywords, _ = doc.keywords_in(language)
        affiliations = dict.fromkeys(a.affiliation for a in doc.authors if a.affiliation)
        blocks.append(t(language, "about_fields",
                        title=shown,
                        authors=esc(", ".join(a.name for a in doc.authors)),
                        affiliations=esc("; ".join(affiliations) or "—"),
                        date=esc(format_date(doc.published, language)),
                        keywords=esc(", ".join(keywords or doc.keywords) or "—")))
    return split_blocks(blocks)


def render_abstract(engine: Engine, language: str) -> list[str]:
    """Every document's whole abstract in ``language``, split to fit Telegram."""
    label = {"id": "Abstrak", "en": "Abstract"}[language]
    messages: list[str] = []
    for doc in engine.documents.values():
        text = doc.abstract.get(language)  # type: ignore[call-overload]
        if not text:
            continue
        title = (doc.title_in(language) or (doc.title, False))[0]
        head = f"<b>{label}</b> — <i>{esc(title)}</i> ({esc(author_short(doc, language))}, {doc.year})"
        messages += split_blocks([head, " ".join(esc(s) for s in split_sentences(text))])
    return messages or [esc(t(language, "no_abstract"))]


def language_keyboard(ui_language: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([
        [InlineKeyboardButton(t(ui_language, f"lang_{choice}"),
                              callback_data=callbacks.encode(SetLanguage(choice)))]
        for choice in ("auto", "id", "en")
    ])


def render_inline(answer: Answer, engine: Engine) -> list[InlineQueryResultArticle]:
    """Inline-mode results: the best passages, each sent with its citation."""
    lang = answer.language
    if answer.kind not in ("passage", "summary"):
        return [InlineQueryResultArticle(
            id="none", title=t(lang, "inline_none"),
            description=answer.question[:100],
            input_message_content=InputTextMessageContent(
                esc(t(lang, "inline_none_text")), parse_mode=ParseMode.HTML))]
    results = []
    for i, sp in enumerate(answer.passages[:MAX_INLINE_RESULTS]):
        p = sp.passage
        results.append(InlineQueryResultArticle(
            id=f"{engine.version}-{engine.position(p)}-{i}",
            title=p.text[:100],
            description=engine.citation(p),
            input_message_content=InputTextMessageContent(
                passage_html(engine, p), parse_mode=ParseMode.HTML),
        ))
    return results
