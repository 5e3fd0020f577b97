"""The Bot API client (bot/transport.py) over real HTTP against the fake server: parameters,
files, status codes, timeouts, dead servers; and the bot living through slow Bot API answers."""

import socket

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, NetworkError, TimedOut

from bot.telegram.transport import AiohttpRequest
from tests.conftest import running_bot


def make_bot(fake_tg, read_timeout=5.0) -> Bot:
    return Bot(fake_tg.token, base_url=fake_tg.base_url,
               request=AiohttpRequest(2, read_timeout=read_timeout, connect_timeout=2.0),
               get_updates_request=AiohttpRequest(1))


async def test_messages_keyboards_and_errors_go_through(fake_tg):
    """Form-encoded parameters (JSON values included) arrive as sent; a 400 is BadRequest."""
    user = fake_tg.user(21, "Budi")
    chat = fake_tg.private_chat(user)
    async with make_bot(fake_tg) as bot:
        assert bot.username == fake_tg.bot["username"]
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("English", callback_data="lg:en")]])
        message = await bot.send_message(chat["id"], "<b>Halo</b> &amp; selamat",
                                         parse_mode="HTML", reply_markup=keyboard)
        with pytest.raises(BadRequest, match="(?i)message text is empty"):
            await bot.send_message(chat["id"], "")
    (sent,) = fake_tg.sent_to(chat["id"])
    assert sent.visible == "Halo & selamat" and message.text == "Halo & selamat"
    assert sent.reply_markup["inline_keyboard"][0][0]["callback_data"] == "lg:en"


async def test_files_are_sent_as_multipart(fake_tg):
    user = fake_tg.user(22, "Budi")
    chat = fake_tg.private_chat(user)
    content = bytes(range(256)) * 40  # binary, not text
    async with make_bot(fake_tg) as bot:
        message = await bot.send_document(chat["id"], content, filename="laporan.csv",
                                          caption="Laporan minggu ini")
    (doc,) = fake_tg.documents
    assert doc["content"] == content and doc["filename"] == "laporan.csv"
    assert doc["caption"] == "Laporan minggu ini" and doc["chat_id"] == chat["id"]
    assert message.document is not None and message.document.file_size == len(content)


async def test_a_late_answer_is_a_timeout(fake_tg):
    """The server acts but answers after the read timeout: TimedOut, and the next call works."""
    user = fake_tg.user(23, "Budi")
    chat = fake_tg.private_chat(user)
    async with make_bot(fake_tg, read_timeout=0.3) as bot:
        fake_tg.stall("sendMessage", 1.5)
        with pytest.raises(TimedOut):
            await bot.send_message(chat["id"], "pertama")
        await bot.send_message(chat["id"], "kedua")
    assert [s.text for s in fake_tg.sent_to(chat["id"])] == ["pertama", "kedua"]


async def test_no_server_is_a_network_error_without_the_token(fake_tg):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    request = AiohttpRequest(1, connect_timeout=1.0)
    await request.initialize()
    try:
        with pytest.raises(NetworkError) as err:
            await request.post(f"http://127.0.0.1:{port}/bot{fake_tg.token}/getMe")
    finally:
        await request.shutdown()
    assert fake_tg.token not in str(err.value)
    assert fake_tg.token.split(":")[1] not in str(err.value)


async def test_calls_before_initialize_are_refused():
    request = AiohttpRequest(1)
    with pytest.raises(RuntimeError, match="not initialized"):
        await request.do_request("http://127.0.0.1:9/bot1:x/getMe", "POST")


async def test_bot_lives_through_slow_bot_api_answers(fake_tg, bot_settings, fake_engine,
                                                      caplog):
    """getUpdates and sendMessage answering after BOT_API_TIMEOUT_SECONDS: polling goes on,
    the timed-out answer is sent again (so it arrives once or twice, never zero times)."""
    settings = bot_settings.model_copy(update={"bot_api_timeout_seconds": 0.5})
    user = fake_tg.user(24, "Budi")
    chat = fake_tg.private_chat(user)
    async with running_bot(settings, fake_engine):
        fake_tg.stall("getUpdates", 3.0)  # beyond the 1 s long poll + 0.5 s
        fake_tg.stall("sendMessage", 1.5)
        fake_tg.send_text(chat, user, "siapa penulisnya?")
        (first,) = await fake_tg.until(fake_tg.replies(chat["id"], count=1), timeout=30)
        fake_tg.send_text(chat, user, "apa itu paradiplomasi?")
        await fake_tg.until(lambda: any(r.visible != first.visible
                                        for r in fake_tg.sent_to(chat["id"])), timeout=30)
        await fake_tg.barrier(user)
    replies = [r.visible for r in fake_tg.sent_to(chat["id"])]  # stopped: all sends are done
    assert 1 <= replies.count(first.visible) <= 2 and len(set(replies)) == 2
    assert all("📄" in r for r in replies)
    assert not fake_tg.stalls["getUpdates"] and not fake_tg.stalls["sendMessage"]  # both met
    assert "sending an answer failed (TimedOut); trying again" in caplog.text


def test_the_http_benchmark_measures_both_clients(capsys):
    """bench.http_benchmark, small: every request of both clients succeeds (a failed one
    raises), and each gets its figure."""
    from bench import http_benchmark

    assert http_benchmark.main(["--requests", "20", "--rounds", "1"]) == 0
    out = capsys.readouterr().out
    assert "httpx" in out and "aiohttp" in out and "httpx / aiohttp CPU per request" in out
