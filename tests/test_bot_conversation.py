"""Follow-ups, summaries and small talk through the real python-telegram-bot over HTTP
against the fake Bot API server (fake embedder)."""

import re

from tests.conftest import running_bot
from tests.fake_telegram import FakeTelegram


async def _ask(fake_tg, chat, user, text: str, after: int):
    """Send ``text`` and wait for the one reply that follows the ``after`` earlier ones."""
    fake_tg.send_text(chat, user, text)
    (reply,) = await fake_tg.until(fake_tg.replies(chat["id"], after=after))
    return reply


async def test_private_chat_follow_ups_continue_the_last_answer(fake_tg, bot_settings,
                                                               fake_engine):
    """"lanjut" shows a passage not yet shown; "in English please" the same one in English."""
    user = FakeTelegram.user(801, "Sari", "id")
    chat = fake_tg.private_chat(user)
    async with running_bot(bot_settings, fake_engine):
        fake_tg.send_text(chat, user, "Kapan artikel ini diterbitkan?")
        (first,) = await fake_tg.until(fake_tg.replies(chat["id"]))
        fake_tg.send_text(chat, user, "lanjut")
        (second,) = await fake_tg.until(fake_tg.replies(chat["id"], after=1))
        assert second.visible.split("\n")[0] not in first.visible
        fake_tg.send_text(chat, user, "in English please")
        (third,) = await fake_tg.until(fake_tg.replies(chat["id"], after=2))
        shown = next(p for p in fake_engine.searcher.passages
                     if p.text == second.visible.split("\n\n")[0])
        assert fake_engine.partner(shown).text in third.visible
        assert "et al. (2025)" in third.visible
    assert fake_tg.errors == []


async def test_group_threads_are_separate_conversations(fake_tg, bot_settings, fake_engine):
    """In a group, "lanjut" replying to the bot's answer continues that answer's thread;
    the same word as a new /tanya starts none."""
    group = fake_tg.group_chat()
    ani, dodi = fake_tg.user(811, "Ani"), fake_tg.user(812, "Dodi")
    async with running_bot(bot_settings, fake_engine):
        fake_tg.send_command(group, ani, "/tanya kapan artikel ini diterbitkan?")
        (answer,) = await fake_tg.until(fake_tg.replies(group["id"]))
        bot_message = fake_tg.messages[(group["id"], answer.message_id)]
        fake_tg.send_text(group, dodi, "lanjut", reply_to=bot_message)
        (more,) = await fake_tg.until(fake_tg.replies(group["id"], after=1))
        assert more.visible.split("\n")[0] not in answer.visible
        assert "📄" in more.visible
        fake_tg.send_command(group, ani, "/tanya lanjut")
        (fresh,) = await fake_tg.until(fake_tg.replies(group["id"], after=2))
        assert "Silakan tulis pertanyaan" in fresh.visible
    assert fake_tg.errors == []


async def test_summary_has_a_button_for_the_whole_abstract(fake_tg, bot_settings, fake_engine):
    """"rangkum dong": 2-3 abstract sentences under one citation; the button sends the whole
    abstract."""
    user = FakeTelegram.user(821, "Rina", "id")
    chat = fake_tg.private_chat(user)
    async with running_bot(bot_settings, fake_engine):
        fake_tg.send_text(chat, user, "rangkum dong")
        (summary,) = await fake_tg.until(fake_tg.replies(chat["id"]))
        assert summary.visible.startswith("Ringkasan abstrak:")
        assert summary.visible.count("📄") == 1  # one citation for the 2-3 sentences
        assert re.search(r"📄 Abstrak, kalimat 1(, \d)* dan \d — Agustina dkk\. \(2025\)",
                         summary.visible)
        fake_tg.press(user, summary, summary.button("Abstrak lengkap"))
        (whole,) = await fake_tg.until(fake_tg.replies(chat["id"], after=1))
        for p in fake_engine.abstract("paradiplomasi-kepala-daerah", "id"):
            assert p.text in whole.visible
    assert fake_tg.errors == []


async def test_small_talk_and_citation_requests(fake_tg, bot_settings, fake_engine):
    """Thanks get "sama-sama", never "not in the article"; a citation request the reference
    with a button per format."""
    user = FakeTelegram.user(831, "Tono", "id")
    chat = fake_tg.private_chat(user)
    async with running_bot(bot_settings, fake_engine):
        thanks = await _ask(fake_tg, chat, user, "makasih ya", after=0)
        assert "Sama-sama" in thanks.visible and "tidak membahas" not in thanks.visible
        cite = await _ask(fake_tg, chat, user, "cara sitasi artikel ini gimana?", after=1)
        assert "Agustina, I., Febriyanti, A. I., Putri, D. N., & Prasetio, L. O. (2025)" in cite.visible
        assert cite.button("BibTeX") and cite.button("MLA 9")
    assert fake_tg.errors == []


async def test_the_last_author_after_the_author_line(fake_tg, bot_settings, fake_engine):
    """"siapa penulisnya?" then "yg terakhir?": the last author named in bold above the
    author line and its citation."""
    user = FakeTelegram.user(802, "Budi", "id")
    chat = fake_tg.private_chat(user)
    async with running_bot(bot_settings, fake_engine):
        first = await _ask(fake_tg, chat, user, "siapa penulisnya?", after=0)
        item = await _ask(fake_tg, chat, user, "yg terakhir?", after=1)
        assert item.visible.startswith("Penulis ke-4 dari 4: Luki Oka Prasetio\n\n")
        assert first.visible.split("\n\n")[0] in item.visible and "📄" in item.visible
    assert fake_tg.errors == []
