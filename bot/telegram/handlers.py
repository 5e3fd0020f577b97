"""Telegram handlers. Each one is thin: parse the update, await the core off the event loop,
render with :mod:`bot.telegram.render`, reply."""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Hashable

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, MessageEntity, Update, User
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError, TimedOut

from bot import deeplinks, links, reports
from bot.deeplinks import AskQuestion, AskStored, ChooseLanguage
from bot.i18n import language_of, t
from bot.replies import plain_text, reply_for
from bot.reports import shorten
from bot.storage import Interaction, Store
from bot.telegram import callbacks, citations, flood, render
from bot.telegram.callbacks import (
    Cite,
    More,
    SetLanguage,
    Suggestion,
    Translate,
    Vote,
    WholeAbstract,
)
from bot.telegram.services import Context, remember_thread
from index.answer import Answer, Engine
from index.conversation import Conversation
from index.references import detect_style

logger = logging.getLogger(__name__)

INLINE_CACHE_SECONDS = 300  # the corpus changes rarely; Telegram may cache inline results
TYPING_MAX_IN_FLIGHT = 8  # more questions than this at once: no "typing…" (saves requests)
SEND_ATTEMPTS = 4  # an answer is sent up to this many times on network errors or 5xx
SEND_BACKOFF = 0.5  # seconds before the second attempt; doubles each time
VOTE_NOTICE = {"new": "vote_thanks", "changed": "vote_changed", "same": "vote_same"}
# Telegram's stand-ins for hidden senders: GroupAnonymousBot (anonymous group admins) and
# Channel_Bot (channels posting in groups); the real sender is the message's sender_chat.
SHARED_SENDERS = frozenset({1087968824, 136817688})


def message_of(update: Update) -> Message:
    """The message of a command or message update (their handlers' filters ensure one)."""
    message = update.effective_message
    if message is None:  # pragma: no cover - the handlers' filters let no other update in
        raise TypeError("a message handler got an update without a message")
    return message


def _engine(context: Context) -> Engine:
    """The index version in service now. Take it once per update and use it throughout, so
    that a reply is wholly from one version even if a new index is swapped in meanwhile."""
    return context.bot_data.engine.current


def _store(context: Context) -> Store:
    return context.bot_data.store


def _user_hash(context: Context, user: User | None, message: Message | None = None) -> str:
    """Who is asking, as stored. Anonymous group admins and channels all arrive "from" one
    shared account: they are known by the chat they speak as (``sender_chat``, a negative
    id, never a user's), so one group's /forget or flood limit is not another's."""
    hasher = context.bot_data.hasher
    if message is not None and message.sender_chat is not None:
        return hasher(message.sender_chat.id)
    if user is None:
        return "anonymous"
    if user.id in SHARED_SENDERS:
        return hasher(message.chat_id) if message is not None else "anonymous"
    return hasher(user.id)


def _anonymous(message: Message | None, user: User | None) -> bool:
    """Sent as a group or channel, not as a person."""
    return (message is not None and message.sender_chat is not None) or (
        user is not None and user.id in SHARED_SENDERS)


async def _choice(context: Context, user: User | None) -> str:
    """The stored language choice, read off the event loop (a database another process
    locks must not stall every other student's update)."""
    if user is None or user.id in SHARED_SENDERS:
        return "auto"
    return await asyncio.to_thread(_store(context).language, _user_hash(context, user))


async def ui_language(context: Context, user: User | None) -> str:
    """The user's chosen language, else their Telegram app's language, else Indonesian."""
    choice = await _choice(context, user)
    if choice != "auto":
        return choice
    return language_of(user.language_code if user else None)


async def ask(context: Context, engine: Engine, question: str,
              user: User | None, language: str = "auto",
              conversation: Conversation | None = None) -> Answer:
    """The core's answer, computed in a thread of the answer pool (``ANSWER_THREADS``, not
    asyncio's default pool, which the store's calls use) so the event loop keeps serving.
    ``language`` ("id"/"en") forces the answer language; else the user's choice, else auto.
    ``conversation``: the chat's recent turns, for follow-up questions."""
    choice = language if language != "auto" else await _choice(context, user)
    forced = None if choice == "auto" else choice
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(
        context.bot_data.executor,
        functools.partial(engine.answer, question, "hybrid", forced, conversation))


def conversation_key(context: Context, message: Message) -> Hashable:
    """Private chats are one conversation; in groups, each question starts a thread and a
    reply to one of the bot's answers continues that answer's thread."""
    chat = message.chat
    if chat.type == ChatType.PRIVATE:
        return ("private", chat.id)
    replied = message.reply_to_message
    if replied is not None:
        known = context.bot_data.threads.get((chat.id, replied.message_id))
        if known is not None:
            return known
    return ("group", chat.id, message.message_id)


def _interaction(context: Context, answer: Answer, user: User | None, chat_type: str,
                 source: str, message: Message | None = None) -> Interaction:
    best = answer.passages[0] if answer.answered and answer.passages else None
    return Interaction(
        user_hash=_user_hash(context, user, message), chat_type=chat_type, source=source,
        chat_hash=context.bot_data.hasher(message.chat_id) if message is not None else None,
        language=answer.language, question=answer.question, answered=answer.answered,
        reason=answer.reason, passage_id=best.passage.id if best else None,
        document=best.passage.document if best else None,
        score=round(best.score, 6) if best else None,
        answer=plain_text(reply_for(answer, _engine(context))))


async def answer_question(message: Message, context: Context, question: str,
                          user: User | None, source: str = "message",
                          language: str = "auto") -> None:
    """Typing…, the core, the stored record, the rendered reply (quoted in groups, where
    threads interleave), with 👍/👎 buttons tied to the record."""
    start = time.perf_counter()
    if not await flood.allow(context.bot_data.flood, message, user):
        return
    engine = _engine(context)
    metrics = context.bot_data.metrics
    typing = None
    if metrics.in_flight < TYPING_MAX_IN_FLIGHT:  # cosmetic: skipped when a class floods us
        typing = asyncio.create_task(context.bot.send_chat_action(message.chat_id,
                                                                  ChatAction.TYPING))
    metrics.in_flight += 1
    key = conversation_key(context, message)
    conversation = context.bot_data.conversations.get(key)
    try:
        answer = await ask(context, engine, question, user, language, conversation)
    finally:
        metrics.in_flight -= 1
    if typing is not None:
        await asyncio.gather(typing, return_exceptions=True)  # never fail an answer over it
    record = _interaction(context, answer, user, message.chat.type, source, message)
    interaction_id = await _record(context, record)
    rendered = render.render_answer(answer, engine, interaction_id)
    sent = await send_retrying(lambda: message.reply_html(
        rendered.text, reply_markup=rendered.keyboard,
        do_quote=message.chat.type != ChatType.PRIVATE))
    if interaction_id is not None and sent is not None:
        await _shown_in(context, interaction_id, sent.message_id)
    if message.chat.type != ChatType.PRIVATE and sent is not None:
        remember_thread(context.bot_data, message.chat.id, sent.message_id, key)
    metrics.answer_seconds.append(time.perf_counter() - start)


async def _shown_in(context: Context, interaction_id: int, message_id: int) -> None:
    """Note the message an answer went out as (its vote buttons count only there); a
    storage failure costs the binding, never the answer."""
    try:
        await asyncio.to_thread(_store(context).shown_in, interaction_id, message_id)
    except Exception as exc:  # noqa: BLE001 - the answer is already sent
        logger.warning("could not note where an answer was shown (%s)", type(exc).__name__)


async def _record(context: Context, record: Interaction) -> int | None:
    """Store a question; on failure (the database locked by another process past the busy
    timeout, a full disk) log a warning and return None: the answer is computed and is sent
    anyway, without vote buttons, rather than lost."""
    try:
        return await asyncio.to_thread(_store(context).record, record)
    except Exception as exc:  # noqa: BLE001 - no storage failure may cost a student an answer
        logger.warning("could not store a question (%s); answering without recording it",
                       type(exc).__name__)
        return None


async def send_retrying(send, attempts: int = SEND_ATTEMPTS):
    """Send an answer, trying again on network errors, timeouts and 5xx answers of the Bot
    API (a 4xx is final). The answer is computed and stored: it should not be lost to a blip."""
    for attempt in range(1, attempts + 1):
        try:
            return await send()
        except (BadRequest, Forbidden):
            raise
        except (NetworkError, TimedOut) as exc:
            if attempt == attempts:
                raise
            logger.warning("sending an answer failed (%s); trying again", type(exc).__name__)
            await asyncio.sleep(SEND_BACKOFF * 2 ** (attempt - 1))


# -- commands -----------------------------------------------------------------------------

async def start(update: Update, context: Context) -> None:
    """/start, or /start PAYLOAD from a deep link: answer its question or set its language.
    A malformed, unknown or expired payload gets the normal welcome."""
    user = update.effective_user
    message = message_of(update)
    link = deeplinks.decode(context.args[0]) if context.args else None
    match link:
        case AskQuestion(question, language):
            await answer_question(message, context, question, user, "deep_link", language)
            return
        case AskStored(link_id, language):
            stored = await asyncio.to_thread(_store(context).get_link, link_id)
            if stored is not None:
                question, stored_language = stored
                chosen = language if language != "auto" else stored_language
                await answer_question(message, context, question, user, "deep_link", chosen)
                return
        case ChooseLanguage(language) if user:
            await asyncio.to_thread(_store(context).set_language, _user_hash(context, user),
                                    language)
    lang = await ui_language(context, user)
    rendered = render.render_welcome(_engine(context), lang, user.first_name if user else None)
    await message.reply_html(rendered.text, reply_markup=rendered.keyboard)


async def forget(update: Update, context: Context) -> None:
    """/forget: delete everything stored about the sender, and say so. Sent as a group or a
    channel (anonymous admins share that identity), nothing is deleted: it would erase
    others' questions too."""
    user = update.effective_user
    lang = language_of(user.language_code if user else None)
    if _anonymous(message_of(update), user):
        await message_of(update).reply_html(render.esc(t(lang, "forget_anonymous")))
        return
    if user:
        lang = await ui_language(context, user)
        await asyncio.to_thread(_store(context).forget, _user_hash(context, user))
    await message_of(update).reply_html(render.esc(t(lang, "forgotten")))


async def stats(update: Update, context: Context) -> None:
    """/stats for admins: the last 7 days. Anyone else gets the unknown-command reply."""
    user = update.effective_user
    if not user or user.id not in context.bot_data.admins:
        await unknown_command(update, context)
        return
    engine = _engine(context)
    text = await asyncio.to_thread(reports.stats_reply, _store(context), time.time(),
                                   context.bot_data.timezone, await ui_language(context, user),
                                   engine.embedder.embed_queries)
    await message_of(update).reply_html(text)


async def link_command(update: Update, context: Context) -> None:
    """/link QUESTION: the bot's deep link that opens with QUESTION answered, and its QR code
    as a photo with the question as caption (for slides). A question too long for the link
    itself is stored in the bot's own database, so the link always resolves. Anyone may use
    it (a link only asks the article a question), within the flood limit."""
    user = update.effective_user
    message = message_of(update)
    lang = await ui_language(context, user)
    question = " ".join(context.args or ())
    if not question:
        await message.reply_html(t(lang, "link_usage"))
        return
    if not await flood.allow(context.bot_data.flood, message, user):
        return
    made = await asyncio.to_thread(links.make_link, _store(context),
                                   context.bot.username, question,
                                   context.bot_data.link_ttl_days)
    if made is None:
        await message.reply_html(t(lang, "link_usage"))
        return
    await message.reply_photo(made.png, caption=render.esc(shorten(made.question, 700))
                              + "\n" + made.link, parse_mode=ParseMode.HTML)


async def help_command(update: Update, context: Context) -> None:
    lang = await ui_language(context, update.effective_user)
    await message_of(update).reply_html(render.render_help(lang, context.bot.username))


async def about(update: Update, context: Context) -> None:
    lang = await ui_language(context, update.effective_user)
    for text in render.render_about(_engine(context), lang):
        await message_of(update).reply_html(text)


async def _abstract(update: Update, context: Context, language: str) -> None:
    for text in render.render_abstract(_engine(context), language):
        await message_of(update).reply_html(text)


async def abstract_id(update: Update, context: Context) -> None:
    await _abstract(update, context, "id")


async def abstract_en(update: Update, context: Context) -> None:
    await _abstract(update, context, "en")


async def language_command(update: Update, context: Context) -> None:
    user = update.effective_user
    lang = await ui_language(context, user)
    current = t(lang, f"lang_{await _choice(context, user)}")
    await message_of(update).reply_html(
        render.esc(t(lang, "language_prompt", current=current)),
        reply_markup=render.language_keyboard(lang))


async def ask_command(update: Update, context: Context) -> None:
    """/ask and /tanya: the question is the rest of the message."""
    question = " ".join(context.args or ())
    if not question.strip():
        lang = await ui_language(context, update.effective_user)
        await message_of(update).reply_html(t(lang, "ask_needs_question"))
        return
    await answer_question(message_of(update), context, question, update.effective_user,
                          "command")


async def cite_command(update: Update, context: Context) -> None:
    """/cite and /sitasi: the reference in APA 7, or in the style named ("/cite mla"), with a
    button for every format."""
    lang = await ui_language(context, update.effective_user)
    style = detect_style(" ".join(context.args or ()))
    for rendered in citations.render_citations(_engine(context), style, lang):
        await message_of(update).reply_html(rendered.text, reply_markup=rendered.keyboard)


async def unknown_command(update: Update, context: Context) -> None:
    lang = await ui_language(context, update.effective_user)
    await message_of(update).reply_html(render.esc(t(lang, "unknown_command")))


# -- messages -----------------------------------------------------------------------------

async def private_text(update: Update, context: Context) -> None:
    """In a private chat every text is a question."""
    message = message_of(update)
    await answer_question(message, context, message.text or "", update.effective_user)


def _mention_free_text(message: Message, username: str) -> str | None:
    """The text without '@username' if the message mentions this bot, else None."""
    target = f"@{username}".lower()
    mentions = [e for e in message.entities if e.type == MessageEntity.MENTION]
    hits = [e for e in mentions if message.parse_entity(e).lower() == target]
    if not hits:
        return None
    text = message.text or ""
    for e in sorted(hits, key=lambda e: e.offset, reverse=True):  # UTF-16 offsets
        raw = text.encode("utf-16-le")
        text = (raw[: 2 * e.offset] + raw[2 * (e.offset + e.length):]).decode("utf-16-le")
    return " ".join(text.split())


async def group_text(update: Update, context: Context) -> None:
    """In groups: answer messages that mention the bot or reply to it; ignore the rest."""
    message = message_of(update)
    question = _mention_free_text(message, context.bot.username)
    source = "mention"
    if question is None:
        replied = message.reply_to_message
        if not (replied and replied.from_user and replied.from_user.id == context.bot.id):
            return
        question, source = message.text or "", "reply"
    await answer_question(message, context, question, update.effective_user, source)


async def non_text(update: Update, context: Context) -> None:
    lang = await ui_language(context, update.effective_user)
    await message_of(update).reply_html(render.esc(t(lang, "only_text")))


# -- buttons and inline mode ----------------------------------------------------------------

async def button(update: Update, context: Context) -> None:
    query = update.callback_query
    if query is None:  # pragma: no cover - CallbackQueryHandler only passes callback queries
        return
    user = update.effective_user
    lang = await ui_language(context, user)
    action = callbacks.decode(query.data)
    if action is not None and await _press(action, query, context, user, lang):
        return
    logger.info("stale or unknown button data from a user")
    await query.answer(t(lang, "stale_button"))


async def _press(action: callbacks.Action, query: CallbackQuery, context: Context,
                 user: User | None, lang: str) -> bool:
    """Carry out a button's action; False if it is stale (from an older index, or a suggestion
    that is gone)."""
    message = query.message if isinstance(query.message, Message) else None
    engine = _engine(context)
    match action:
        case Vote(interaction_id, value):
            return await _vote(query, context, user, interaction_id, value, message, lang)
        case SetLanguage(choice):
            await _set_language(query, context, user, choice, message)
            return True
        case Suggestion(language, number):
            questions = engine.suggestions(language, n=render.SUGGESTION_BUTTONS)
            if number < len(questions) and message:
                await query.answer()
                await answer_question(message, context, questions[number], user, "suggestion")
                return True
        case Translate(version, positions) if version == engine.version and message:
            return await _translate(query, engine, positions, message)
        case More(version, positions) if version == engine.version and message:
            return await _more(query, engine, positions, message)
        case WholeAbstract(language) if message:
            await query.answer()
            for text in render.render_abstract(engine, language):
                await message.reply_html(text, do_quote=False)
            return True
        case Cite(version, document, style) if version == engine.version and message:
            return await _cite(query, engine, document, style, lang, message)
    return False


async def _vote(query: CallbackQuery, context: Context, user: User | None, interaction_id: int,
                value: int, message: Message | None, lang: str) -> bool:
    shown_in = context.bot_data.hasher(message.chat_id) if message else "no chat"
    pressed_on = message.message_id if message else -1
    result = await asyncio.to_thread(_store(context).vote, interaction_id,
                                     _user_hash(context, user), value, shown_in, pressed_on)
    if result not in VOTE_NOTICE:
        return False
    await query.answer(t(lang, VOTE_NOTICE[result]))
    return True


async def _set_language(query: CallbackQuery, context: Context, user: User | None,
                        choice: str, message: Message | None) -> None:
    await asyncio.to_thread(_store(context).set_language, _user_hash(context, user), choice)
    lang = await ui_language(context, user)
    notice = t(lang, "language_set", current=t(lang, f"lang_{choice}"))
    await query.answer(notice)
    if message:
        await query.edit_message_text(render.esc(notice), parse_mode=ParseMode.HTML)


async def _translate(query: CallbackQuery, engine: Engine, positions: tuple[int, ...],
                     message: Message) -> bool:
    found = [engine.passage_at(p) for p in positions]
    passages = [p for p in found if p is not None]
    if not passages or len(passages) != len(found):
        return False
    await query.answer()
    rows = (message.reply_markup or InlineKeyboardMarkup([])).inline_keyboard
    rendered = render.render_translation(engine, passages, rows)
    try:
        await query.edit_message_text(rendered.text, parse_mode=ParseMode.HTML,
                                      reply_markup=rendered.keyboard)
    except BadRequest as exc:  # pressed twice: "message is not modified"
        if "not modified" not in str(exc):
            raise
    return True


async def _more(query: CallbackQuery, engine: Engine, positions: tuple[int, ...],
                message: Message) -> bool:
    found = [engine.passage_at(p) for p in positions]
    passages = [p for p in found if p is not None]
    if len(passages) != len(found):
        return False
    await query.answer()
    for text in render.render_more(engine, passages, passages[0].language):
        await message.reply_html(text, do_quote=False)
    return True


async def _cite(query: CallbackQuery, engine: Engine, document: int, style: str, lang: str,
                message: Message) -> bool:
    """Show the citation in the pressed format; False if there is no such document or style."""
    rendered = citations.render_citation(engine, document, style, lang)
    if rendered is None:
        return False
    await query.answer()
    if message.reply_markup == rendered.keyboard:  # the format already shown
        return True
    try:
        await query.edit_message_text(rendered.text, parse_mode=ParseMode.HTML,
                                      reply_markup=rendered.keyboard)
    except BadRequest as exc:  # pressed twice quickly: "message is not modified"
        if "not modified" not in str(exc):
            raise
    return True


async def inline_query(update: Update, context: Context) -> None:
    query = update.inline_query
    if query is None:  # pragma: no cover - InlineQueryHandler only passes inline queries
        return
    if not query.query.strip():
        await query.answer([], cache_time=INLINE_CACHE_SECONDS)
        return
    user = update.effective_user
    limiter = context.bot_data.inline_flood
    if limiter is not None and limiter.check(f"inline:{flood.sender_key(None, user)}") != "ok":
        await query.answer([], cache_time=0, is_personal=True)  # typing too fast: nothing
        return
    engine = _engine(context)
    answer = await ask(context, engine, query.query, user)
    await query.answer(render.render_inline(answer, engine),
                       cache_time=INLINE_CACHE_SECONDS, is_personal=True)


async def chosen_inline_result(update: Update, context: Context) -> None:
    """An inline result the student sent: the question is stored now, once (each inline
    query is a keystroke, "apa", "apa i", "apa itu", ...; storing those stored 20 rows for
    one question). Telegram sends these only with inline feedback on (@BotFather,
    /setinlinefeedback)."""
    chosen = update.chosen_inline_result
    if chosen is None:  # pragma: no cover - ChosenInlineResultHandler only passes these
        return
    engine = _engine(context)
    answer = await ask(context, engine, chosen.query, chosen.from_user)
    await _record(context, _interaction(context, answer, chosen.from_user, "inline", "inline"))


# -- errors ---------------------------------------------------------------------------------

async def on_error(update: object, context: Context) -> None:
    """Log with the traceback (the log formatter redacts tokens); tell the user, briefly."""
    logger.error("error while handling an update", exc_info=context.error)
    if not isinstance(update, Update):
        return
    lang = language_of(update.effective_user.language_code if update.effective_user else None)
    try:
        if update.callback_query:
            await update.callback_query.answer(t(lang, "error"))
        elif update.effective_chat and update.effective_message:
            await context.bot.send_message(update.effective_chat.id, t(lang, "error"))
    except TelegramError:
        logger.warning("could not tell the user about the error")
