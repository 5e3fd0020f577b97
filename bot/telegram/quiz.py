"""Class quizzes on Telegram: ``/kuis`` (``/quiz``), the answers (``poll_answer``) and
``/hasil`` (``/results``). Thin handlers: the items come from :mod:`index.quiz`, the results
from :mod:`bot.quiz`, the storage from :mod:`bot.storage`.

* In a private chat ``/kuis`` starts a round of ROUND_SIZE quiz polls, one after another as
  the student answers; at the end, the score and the sentences to reread (with the passage
  buttons answers have). Items the student has not met come first.
* In a group, an admin (ADMIN_IDS, or an administrator of the group) posts a round for the
  class at once; polls are not anonymous, so each answer arrives as ``poll_answer``.
  ``/hasil`` closes the round's polls and shows, per item, the share right and the wrong
  option chosen most.

Answers are stored under the same salted user hashes as questions (retention, ``/forget``).
"""

from __future__ import annotations

import asyncio
import html
import logging
import secrets
from pathlib import Path

from telegram import (
    ChatMember,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Poll,
    Update,
    User,
)
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, TelegramError

from bot.i18n import t
from bot.quiz import ItemResult, round_results
from bot.storage import QuizPoll, QuizRound
from bot.telegram import callbacks, render
from bot.telegram.callbacks import Translate
from bot.telegram.handlers import ui_language
from bot.telegram.services import Context
from index import LANGUAGES
from index.answer import Engine
from index.corpus import CorpusError
from index.quiz import ROUND_SIZE, Quiz, QuizItem

logger = logging.getLogger(__name__)

ADMIN_STATUSES = (ChatMember.ADMINISTRATOR, ChatMember.OWNER)
ROUND_SEED_BITS = 31  # a round's seed: random, stored with the round

POLL_LOOKUP_WAITS = (0.0, 0.1, 0.3, 1.0)  # seconds: a poll is recorded right after it is sent


def load(corpus_dir: Path, engine: Engine) -> Quiz | None:
    """The quiz of the documents in service, with the hand-written items beside them; None
    (and a warning) if a quiz file is broken: the bot still answers questions."""
    try:
        return Quiz.load(Path(corpus_dir), list(engine.documents.values()))
    except CorpusError as exc:
        logger.warning("class quizzes are off: %d problem(s) in the corpus, e.g. %s",
                       len(exc.problems), exc.problems[0] if exc.problems else "?")
        return None


async def _language_arg(context: Context, user: User | None) -> str:
    """``/kuis en`` asks in English; else the user's answer language."""
    args = [a.lower() for a in (context.args or [])]
    chosen = next((a for a in args if a in LANGUAGES), None)
    return chosen or await ui_language(context, user)


async def _is_admin(context: Context, chat_id: int, user: User) -> bool:
    if user.id in context.bot_data.admins:
        return True
    try:
        member = await context.bot.get_chat_member(chat_id, user.id)
    except TelegramError as exc:
        logger.warning("could not check a group member's status (%s)", type(exc).__name__)
        return False
    return member.status in ADMIN_STATUSES


async def _send_poll(context: Context, chat_id: int, round_id: int, position: int,
                     item: QuizItem) -> None:
    message: Message = await context.bot.send_poll(
        chat_id, question=item.question, options=list(item.options), type=Poll.QUIZ,
        correct_option_ids=[item.correct],  # type: ignore[list-item]  # PTB types 0-11
        explanation=item.explanation, is_anonymous=False)
    if message.poll is None:  # pragma: no cover - Telegram always returns the poll
        return
    poll = QuizPoll(message.poll.id, round_id, position, item.id, item.passage, item.question,
                    item.options, item.correct, message.message_id)
    await asyncio.to_thread(context.bot_data.store.add_quiz_poll, poll)


async def quiz_command(update: Update, context: Context) -> None:
    """/kuis, /quiz: a round for this student (private) or for the class (group, admins)."""
    message, user, chat = update.effective_message, update.effective_user, update.effective_chat
    if message is None or user is None or chat is None:
        return
    services = context.bot_data
    language = await _language_arg(context, user)
    if services.quiz is None:
        await message.reply_text(t(language, "quiz_unavailable"))
        return
    private = chat.type == ChatType.PRIVATE
    if not private and not await _is_admin(context, chat.id, user):
        await message.reply_text(t(language, "quiz_admins_only"))
        return
    store = services.store
    chat_hash = services.hasher(chat.id)
    seen = await asyncio.to_thread(store.seen_quiz_items, chat_hash)
    seed = secrets.randbits(ROUND_SEED_BITS)
    items = services.quiz.round(language, ROUND_SIZE, seed, seen)
    if not items:
        await message.reply_text(t(language, "quiz_unavailable"))
        return
    round_id = await asyncio.to_thread(store.start_quiz, QuizRound(
        chat_hash=chat_hash, chat_type=chat.type, language=language, seed=seed,
        items=tuple(i.id for i in items), user_hash=services.hasher(user.id) if private else None))
    await message.reply_text(t(language, "quiz_start_private" if private else "quiz_start_group",
                               n=len(items)))
    for position, item in enumerate(items if not private else items[:1]):
        await _send_poll(context, chat.id, round_id, position, item)


async def _stored_poll(context: Context, poll_id: str) -> QuizPoll | None:
    """The stored poll, waiting a little for one whose sending is still being recorded
    (updates are handled concurrently: a quick student can answer before the record)."""
    for delay in POLL_LOOKUP_WAITS:
        await asyncio.sleep(delay)
        poll = await asyncio.to_thread(context.bot_data.store.quiz_poll, poll_id)
        if poll is not None:
            return poll
    return None


async def poll_answer(update: Update, context: Context) -> None:
    """A student chose an option: store it; in a private round, ask the next item or end."""
    answer = update.poll_answer
    if answer is None or answer.user is None or not answer.option_ids:
        return  # an anonymous voter, or a retracted vote (quizzes allow none)
    services = context.bot_data
    store = services.store
    poll = await _stored_poll(context, answer.poll_id)
    if poll is None:
        return  # not one of our quiz polls (or forgotten since)
    user_hash = services.hasher(answer.user.id)
    if not await asyncio.to_thread(store.answer_quiz, poll.poll_id, user_hash,
                                   answer.option_ids[0]):
        return
    quiz_round = await asyncio.to_thread(store.quiz_round, poll.round_id)
    if quiz_round is None or quiz_round.chat_type != ChatType.PRIVATE \
            or quiz_round.user_hash != user_hash or services.quiz is None:
        return
    chat_id = answer.user.id  # a private chat's id is its user's
    for position in range(poll.position + 1, len(quiz_round.items)):
        item = services.quiz.item(quiz_round.items[position], quiz_round.seed)
        if item is not None:  # an item gone since the quiz changed is skipped
            await _send_poll(context, chat_id, quiz_round.id, position, item)
            return
    await _finish_private(context, chat_id, quiz_round, user_hash)


async def _finish_private(context: Context, chat_id: int, quiz_round: QuizRound,
                          user_hash: str) -> None:
    store = context.bot_data.store
    answers = [a for a in await asyncio.to_thread(store.quiz_answers, quiz_round.id)
               if a.user_hash == user_hash]
    polls = await asyncio.to_thread(store.quiz_polls, quiz_round.id)
    language = quiz_round.language
    correct = sum(a.correct for a in answers)
    lines = [t(language, "quiz_score", correct=correct, total=len(polls))]
    missed = list(dict.fromkeys(a.poll.passage_id for a in answers if not a.correct))
    lines.append(t(language, "quiz_reread" if missed else "quiz_perfect"))
    await context.bot.send_message(chat_id, "\n".join(lines))
    engine = context.bot_data.engine.current
    for passage_id in missed:
        text, markup = _passage_message(engine, passage_id)
        if text:
            await context.bot.send_message(chat_id, text, parse_mode=ParseMode.HTML,
                                           reply_markup=markup)


def _passage_message(engine: Engine, passage_id: str) -> tuple[str | None, InlineKeyboardMarkup | None]:
    """A cited sentence as answers show it (text, citation, the other-language button)."""
    passage = engine.passage(passage_id)
    if passage is None:
        return None, None
    partner = engine.partner(passage)
    markup = None
    if partner is not None:
        markup = InlineKeyboardMarkup([[InlineKeyboardButton(
            t(passage.language, "other_language"),
            callback_data=callbacks.encode(Translate(engine.version,
                                                     (engine.position(partner),))))]])
    return render.passage_html(engine, passage), markup


async def results_command(update: Update, context: Context) -> None:
    """/hasil, /results: the latest round of this chat, per item; a group's polls close."""
    message, user, chat = update.effective_message, update.effective_user, update.effective_chat
    if message is None or user is None or chat is None:
        return
    services = context.bot_data
    language = await _language_arg(context, user)
    private = chat.type == ChatType.PRIVATE
    if not private and not await _is_admin(context, chat.id, user):
        await message.reply_text(t(language, "quiz_results_admins_only"))
        return
    store = services.store
    quiz_round = await asyncio.to_thread(store.latest_quiz_round, services.hasher(chat.id))
    if quiz_round is None:
        await message.reply_text(t(language, "quiz_no_round"))
        return
    polls = await asyncio.to_thread(store.quiz_polls, quiz_round.id)
    if not private:
        for poll in polls:
            if poll.message_id is not None:
                try:
                    await context.bot.stop_poll(chat.id, poll.message_id)
                except BadRequest:
                    pass  # already closed (an earlier /hasil), or deleted by an admin
    answers = await asyncio.to_thread(store.quiz_answers, quiz_round.id)
    results = round_results(polls, answers)
    students = len({a.user_hash for a in answers})
    await message.reply_text(render_results(results, quiz_round.language, len(answers), students),
                             parse_mode=ParseMode.HTML)


def render_results(results: list[ItemResult], language: str, answers: int,
                   students: int) -> str:
    """Per item: share right, the right answer, the wrong option chosen most."""
    lines = [t(language, "quiz_results_title", answers=answers, students=students)]
    for r in results:
        lines.append(t(language, "quiz_result_line", n=r.position + 1,
                        share=round(100 * r.share_correct), correct=r.correct,
                        answers=r.answers, answer=html.escape(r.answer, quote=False)))
        if r.answers == 0:
            lines.append(t(language, "quiz_no_answers"))
        elif r.top_wrong is not None:
            lines.append(t(language, "quiz_top_wrong",
                           option=html.escape(r.top_wrong, quote=False), count=r.top_wrong_count))
    return "\n".join(lines)
