"""The fake Bot API server rejects what Telegram rejects, seen through python-telegram-bot."""

import logging

import pytest
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
)
from telegram.error import BadRequest

from bot.logs import REDACTED, RedactingFormatter
from tests.fake_telegram import FakeTelegram


@pytest.fixture
async def bot(fake_tg):
    async with Bot(fake_tg.token, base_url=fake_tg.base_url) as bot:
        yield bot


async def test_get_me_and_send(bot, fake_tg):
    """getMe has Telegram's fields (is_bot, username); sendMessage returns a real Message."""
    me = await bot.get_me()
    assert me.is_bot and me.username == "TanyaParadiplomasiBot"
    message = await bot.send_message(42, "<b>halo</b> &amp; selamat", parse_mode="HTML")
    assert message.text == "halo & selamat" and message.message_id == 1
    assert fake_tg.sent[0].visible == "halo & selamat"


@pytest.mark.parametrize("text, error", [
    ("<div>x</div>", "Unsupported start tag"),
    ("<b>x", "Can't find end tag"),
    ("1 < 2", "Unexpected character"),
    ("a & b", "must be escaped"),
    ("x" * 4097, "message is too long"),
    ("   ", "message text is empty"),
])
async def test_send_message_rejections(bot, text, error):
    """Bad HTML, over-long and empty texts get Telegram's 400 errors."""
    with pytest.raises(BadRequest, match=f"(?i){error}"):
        await bot.send_message(42, text, parse_mode="HTML")


async def test_callback_data_over_64_bytes_is_rejected(bot):
    """A button whose callback data exceeds 64 bytes is refused like Telegram does."""
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="y" * 65)]])
    with pytest.raises(BadRequest, match="(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(42, "ok", reply_markup=markup)
    ok = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="y" * 64)]])
    await bot.send_message(42, "ok", reply_markup=ok)


async def test_more_than_50_inline_results_rejected(bot):
    """answerInlineQuery takes at most 50 results."""
    def results(n):
        return [InlineQueryResultArticle(str(i), "t", InputTextMessageContent("m"))
                for i in range(n)]
    with pytest.raises(BadRequest, match="(?i)RESULTS_TOO_MUCH"):
        await bot.answer_inline_query("q1", results(51))
    assert await bot.answer_inline_query("q2", results(50))


async def test_get_updates_honours_offset_and_timeout(bot, fake_tg):
    """Long polling returns queued updates, drops confirmed ones, and waits for the timeout."""
    user = FakeTelegram.user(1)
    chat = fake_tg.private_chat(user)
    fake_tg.send_text(chat, user, "satu")
    fake_tg.send_text(chat, user, "dua")
    updates = await bot.get_updates(timeout=0)
    assert [u.message.text for u in updates] == ["satu", "dua"]
    assert updates[0].message.date.year >= 2025  # seconds, not milliseconds
    updates = await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0.3)
    assert updates == ()


def test_log_formatter_redacts_tokens():
    """A token inside a URL or a traceback is replaced in every formatted log line."""
    token = "123456789:AAHfakeTokenForTests_abcdefghijklmnop"
    record = logging.LogRecord("httpx", logging.WARNING, __file__, 1,
                               "HTTP Request: POST https://api.telegram.org/bot%s/getMe", (token,),
                               None)
    line = RedactingFormatter("%(message)s").format(record)
    assert token not in line and REDACTED in line
