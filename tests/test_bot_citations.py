"""/cite and /sitasi in Telegram: real python-telegram-bot against the fake Bot API server."""

from __future__ import annotations

import asyncio
import re

import pytest

from bot.i18n import t
from bot.telegram import callbacks
from bot.telegram.callbacks import MAX_CALLBACK_BYTES, Cite
from index.references import STYLES
from tests.conftest import running_bot
from tests.fake_telegram import FakeTelegram

APA = "Agustina, I., Febriyanti, A. I., Putri, D. N., & Prasetio, L. O. (2025). Peran strategis"


@pytest.fixture
def student(fake_tg):
    user = FakeTelegram.user(511, "Sari", "id")
    return user, fake_tg.private_chat(user)


@pytest.mark.parametrize("action", [Cite("a1b2c3", 0, style) for style in STYLES]
                         + [Cite("ffffff", 9999, "harvard")])
def test_cite_button_round_trip(action: Cite):
    """Every citation button encodes within 64 bytes and decodes back to itself."""
    data = callbacks.encode(action)
    assert len(data.encode()) <= MAX_CALLBACK_BYTES
    assert callbacks.decode(data) == action


@pytest.mark.parametrize("data", ["ct:a1b2c3:0", "ct:a1b2c3:x:apa", "ct:a1b2c3:0:APA",
                                  "ct:a1b2c3:12345:apa", "ct:a1b2c3:0:a", "ct:A1B2C3:0:apa"])
def test_tampered_cite_data_is_rejected(data: str):
    """Malformed citation button data decodes to None."""
    assert callbacks.decode(data) is None


async def test_sitasi_gives_apa_with_a_button_per_format(fake_tg, bot_settings, fake_engine,
                                                         student):
    """/sitasi replies with the APA 7 reference and seven format buttons, APA marked."""
    user, chat = student
    async with running_bot(bot_settings, fake_engine):
        fake_tg.send_command(chat, user, "/sitasi")
        (reply,) = await fake_tg.until(fake_tg.replies(chat["id"]))
        assert reply.visible.startswith("📚 APA 7\n" + APA)
        assert reply.visible.endswith(t("id", "citation_incomplete"))  # no journal, no DOI
        assert [b["text"] for b in reply.buttons()] == [
            "✓ APA 7", "MLA 9", "Chicago 17", "IEEE", "Harvard", "BibTeX", "RIS"]
        assert all(len(b["callback_data"].encode()) <= 64 for b in reply.buttons())
    assert {c["command"] for c in fake_tg.commands["id"]} >= {"sitasi"}
    assert {c["command"] for c in fake_tg.commands["en"]} >= {"cite"}
    assert fake_tg.errors == []


async def test_buttons_switch_format_in_place(fake_tg, bot_settings, fake_engine, student):
    """Pressing a format edits the message to it; BibTeX and RIS come as <pre> blocks."""
    user, chat = student
    async with running_bot(bot_settings, fake_engine):
        fake_tg.send_command(chat, user, "/cite")
        (reply,) = await fake_tg.until(fake_tg.replies(chat["id"]))

        fake_tg.press(user, reply, reply.button("MLA 9"))
        await fake_tg.until(lambda: reply.edits == 1)
        assert "Agustina, Istiq, et al. “Peran Strategis" in reply.visible
        assert reply.button("✓ MLA 9")

        fake_tg.press(user, reply, reply.button("BibTeX"))
        await fake_tg.until(lambda: reply.edits == 2)
        assert "<pre>@article{agustina2025peran," in reply.text
        assert "@article{agustina2025peran," in reply.visible

        fake_tg.press(user, reply, reply.button("RIS"))
        await fake_tg.until(lambda: reply.edits == 3)
        assert re.search(r"<pre>TY  - JOUR\n.*\nER  - </pre>\n\n<i>[^<]+</i>$", reply.text, re.S)

        qid = fake_tg.press(user, reply, reply.button("✓ RIS"))  # the one shown: no change
        await fake_tg.until(lambda: qid in fake_tg.callback_answers)
        await asyncio.sleep(0.2)
        assert reply.edits == 3
        assert len(fake_tg.sent_to(chat["id"])) == 1
    assert fake_tg.errors == []


async def test_cite_with_a_style_name_and_in_english(fake_tg, bot_settings, fake_engine):
    """'/cite ieee' from an English user: the IEEE reference with 'and', IEEE marked."""
    user = FakeTelegram.user(512, "Ann", "en")
    chat = fake_tg.private_chat(user)
    async with running_bot(bot_settings, fake_engine):
        fake_tg.send_command(chat, user, "/cite ieee")
        (reply,) = await fake_tg.until(fake_tg.replies(chat["id"]))
        assert reply.visible.startswith(
            "📚 IEEE\nI. Agustina, A. I. Febriyanti, D. N. Putri, and L. O. Prasetio, “Peran")
        assert reply.button("✓ IEEE")
    assert fake_tg.errors == []


async def test_stale_cite_button_gets_a_notice(fake_tg, bot_settings, fake_engine, student):
    """A citation button from another index version or for no such document: a notice."""
    user, chat = student
    async with running_bot(bot_settings, fake_engine):
        fake_tg.send_command(chat, user, "/sitasi")
        (reply,) = await fake_tg.until(fake_tg.replies(chat["id"]))
        for data in ("ct:000000:0:mla", f"ct:{fake_engine.version}:7:mla"):
            qid = fake_tg.press(user, reply, data)
            answered = await fake_tg.until(lambda q=qid: fake_tg.callback_answers.get(q))
            assert "kedaluwarsa" in answered["text"]
        assert reply.edits == 0
    assert fake_tg.errors == []
