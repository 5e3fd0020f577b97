"""The Telegram bot end to end: real python-telegram-bot over HTTP against the fake server
(fake embedder, so these are fast)."""

import logging

import pytest

from tests.conftest import running_bot
from tests.fake_telegram import FakeTelegram

BOT = "TanyaParadiplomasiBot"


@pytest.fixture
def student(fake_tg):
    user = FakeTelegram.user(501, "Budi", "id")
    return user, fake_tg.private_chat(user)


async def test_start_welcomes_in_app_language_with_suggestions(fake_tg, bot_settings, fake_engine):
    """/start greets in Telegram's language_code (else Indonesian) with suggested questions."""
    cases = [(601, "id", "Halo, Budi!"), (602, "en", "Hello, Budi!"), (603, None, "Halo, Budi!"),
             (604, "de", "Halo, Budi!")]
    async with running_bot(bot_settings, fake_engine):
        for uid, code, greeting in cases:
            user = fake_tg.user(uid, "Budi", code)
            chat = fake_tg.private_chat(user)
            fake_tg.send_command(chat, user, "/start")
            (reply,) = await fake_tg.until(fake_tg.replies(chat["id"]))
            assert reply.visible.startswith(greeting)
            assert len(reply.buttons()) >= 3
    assert {"id", "en", ""} <= set(fake_tg.commands)
    assert {c["command"] for c in fake_tg.commands["en"]} >= {"ask", "about", "abstract", "language"}
    assert {c["command"] for c in fake_tg.commands["id"]} >= {"tanya", "abstrak", "bahasa"}
    assert fake_tg.errors == []


async def test_question_gets_typing_then_cited_answer(fake_tg, bot_settings, fake_engine, student):
    """A private question: 'typing', then the passage with its citation and two buttons."""
    user, chat = student
    async with running_bot(bot_settings, fake_engine) as app:
        fake_tg.send_text(chat, user, "Apa itu paradiplomasi?")
        (reply,) = await fake_tg.until(fake_tg.replies(chat["id"]))
        assert fake_tg.chat_actions and fake_tg.chat_actions[0]["action"] == "typing"
        expected = fake_engine.answer("Apa itu paradiplomasi?")
        assert expected.passages[0].passage.text in reply.visible
        assert "📄 " in reply.visible and "Agustina dkk. (2025)" in reply.visible
        assert [b["text"] for b in reply.buttons()] == ["🇬🇧 English", "➕ Lebih banyak", "👍", "👎"]
        await fake_tg.until(lambda: len(app.bot_data.metrics.answer_seconds) == 1)
    assert fake_tg.errors == []


async def test_buttons_translate_and_show_more(fake_tg, bot_settings, fake_engine, student):
    """'English' swaps the message to the parallel sentence and back, and 'more' with it
    (its label and its passages); 'more' lists the rest."""
    user, chat = student
    async with running_bot(bot_settings, fake_engine):
        fake_tg.send_text(chat, user, "Apa itu paradiplomasi?")
        (reply,) = await fake_tg.until(fake_tg.replies(chat["id"]))
        answer = fake_engine.answer("Apa itu paradiplomasi?")
        best = answer.passages[0].passage
        partner = fake_engine.partner(best)

        q1 = fake_tg.press(user, reply, reply.button("English"))
        await fake_tg.until(lambda: reply.edits == 1)
        assert partner.text in reply.visible and "Agustina et al. (2025)" in reply.visible
        assert q1 in fake_tg.callback_answers
        assert reply.button("Bahasa Indonesia") and reply.button("More")

        fake_tg.press(user, reply, reply.button("More"))  # now the English partners
        english = (await fake_tg.until(fake_tg.replies(chat["id"], after=1)))[0]
        assert english.visible.startswith("Other relevant passages:")
        for sp in answer.passages[1:]:
            assert fake_engine.partner(sp.passage).text in english.visible

        fake_tg.press(user, reply, reply.button("Bahasa Indonesia"))
        await fake_tg.until(lambda: reply.edits == 2)
        assert best.text in reply.visible

        fake_tg.press(user, reply, reply.button("Lebih banyak"))
        more = (await fake_tg.until(fake_tg.replies(chat["id"], after=2)))[0]
        for sp in answer.passages[1:]:
            assert sp.passage.text in more.visible
        assert best.text not in more.visible
    assert fake_tg.errors == []


async def test_english_button_on_a_near_tie_translates_both(fake_tg, bot_settings, fake_engine,
                                                            student, monkeypatch):
    """An answer showing two near-tied sentences: 'English' swaps both to their partners."""
    monkeypatch.setattr("index.answer.NEAR_TIE", 10.0)  # every pair of sentences is a tie
    user, chat = student
    question = "kapasitas kelembagaan kerangka hukum"
    one, two = fake_engine.answer(question).shown_passages
    async with running_bot(bot_settings, fake_engine):
        fake_tg.send_text(chat, user, question)
        (reply,) = await fake_tg.until(fake_tg.replies(chat["id"]))
        assert one.text in reply.visible and two.text in reply.visible
        fake_tg.press(user, reply, reply.button("English"))
        await fake_tg.until(lambda: reply.edits == 1)
        for passage in (one, two):
            assert fake_engine.partner(passage).text in reply.visible
        assert "Also relevant:" in reply.visible and one.text not in reply.visible
    assert fake_tg.errors == []


@pytest.mark.parametrize("data", ["tr:000000:3", "mo:abcdef:1,2", "tr:{v}:99999", "garbage",
                                  "sg:id:9", "lg:xx"])
async def test_tampered_or_stale_buttons_get_a_notice(fake_tg, bot_settings, fake_engine,
                                                     student, data, caplog):
    """Forged or outdated callback data: a short notice, no message, no exception."""
    user, chat = student
    async with running_bot(bot_settings, fake_engine):
        fake_tg.send_text(chat, user, "Apa itu paradiplomasi?")
        (reply,) = await fake_tg.until(fake_tg.replies(chat["id"]))
        qid = fake_tg.press(user, reply, data.format(v=fake_engine.version))
        answered = await fake_tg.until(lambda: fake_tg.callback_answers.get(qid))
        assert "kedaluwarsa" in answered["text"]
        await fake_tg.barrier(user)
    assert len(fake_tg.sent_to(chat["id"])) == 1 and reply.edits == 0
    assert "Traceback" not in caplog.text and fake_tg.errors == []


async def test_suggestion_button_asks_the_question(fake_tg, bot_settings, fake_engine, student):
    """Tapping a suggested question on the welcome screen answers it."""
    user, chat = student
    async with running_bot(bot_settings, fake_engine):
        fake_tg.send_command(chat, user, "/start")
        (welcome,) = await fake_tg.until(fake_tg.replies(chat["id"]))
        first = welcome.buttons()[0]
        fake_tg.press(user, welcome, first)
        (answer,) = await fake_tg.until(fake_tg.replies(chat["id"], after=1))
        assert fake_engine.answer(first["text"]).passages[0].passage.text in answer.visible


async def test_language_choice_is_remembered_across_restarts(fake_tg, bot_settings, fake_engine,
                                                            student):
    """/bahasa English: Indonesian questions get English passages, also after a restart."""
    user, chat = student
    async with running_bot(bot_settings, fake_engine):
        fake_tg.send_command(chat, user, "/bahasa")
        (menu,) = await fake_tg.until(fake_tg.replies(chat["id"]))
        fake_tg.press(user, menu, menu.button("English"))
        await fake_tg.until(lambda: menu.edits == 1)
        assert "Answer language: English" in menu.visible
    async with running_bot(bot_settings, fake_engine):
        fake_tg.send_text(chat, user, "siapa penulisnya?")
        reply = (await fake_tg.until(fake_tg.replies(chat["id"], after=1)))[0]
        assert "This article was written by" in reply.visible or "Agustina et al." in reply.visible
        fake_tg.send_command(chat, user, "/language")
        menu = (await fake_tg.until(fake_tg.replies(chat["id"], after=2)))[0]
        assert "now: English" in menu.visible
        fake_tg.press(user, menu, menu.button("Automatic"))
        await fake_tg.until(lambda: menu.edits == 1)
        fake_tg.send_text(chat, user, "siapa penulisnya?")
        reply = (await fake_tg.until(fake_tg.replies(chat["id"], after=3)))[0]
        assert "Agustina dkk." in reply.visible


async def test_info_commands(fake_tg, bot_settings, fake_engine, student):
    """/help, /about, /abstrak and /abstract answer with valid HTML in one message each."""
    user, chat = student
    async with running_bot(bot_settings, fake_engine):
        for n, command in enumerate(["/help", "/about", "/abstrak", "/abstract"]):
            fake_tg.send_command(chat, user, command)
            await fake_tg.until(fake_tg.replies(chat["id"], count=n + 1))
    help_, about, abstrak, abstract = fake_tg.sent_to(chat["id"])
    assert f"@{BOT}" in help_.visible and "/tanya" in help_.visible
    assert "Luki Oka Prasetio" in about.visible and "Otonomi Daerah" in about.visible
    assert abstrak.visible.count("Paradiplomasi merupakan") == 1
    assert "Paradiplomacy represents" in abstract.visible
    assert fake_tg.errors == []


async def test_group_answers_only_what_is_meant_for_it(fake_tg, bot_settings, fake_engine):
    """In a class group: /tanya, /ask@Bot, mentions and replies are answered; chatter, other
    bots' commands and bare /ask get nothing or a hint."""
    group = fake_tg.group_chat()
    ani, dodi = fake_tg.user(701, "Ani"), fake_tg.user(702, "Dodi", "en")
    async with running_bot(bot_settings, fake_engine):
        fake_tg.send_text(group, ani, "besok ada kuis ya?")
        fake_tg.send_command(group, dodi, "/ask@OtherBot what is love")
        fake_tg.send_command(group, ani, "/tanya apa itu paradiplomasi?")
        (r1,) = await fake_tg.until(fake_tg.replies(group["id"]))
        asked = fake_tg.messages[(group["id"], r1.reply_to)]
        assert asked["text"] == "/tanya apa itu paradiplomasi?"

        fake_tg.send_command(group, dodi, f"/ask@{BOT} who wrote the article?")
        text = f"@{BOT} siapa penulisnya?"
        fake_tg.send_text(group, ani, text, entities=fake_tg.mention_entities(text))
        await fake_tg.until(fake_tg.replies(group["id"], count=3))
        bot_message = fake_tg.messages[(group["id"], r1.message_id)]
        fake_tg.send_text(group, dodi, "and who are the primary actors?", reply_to=bot_message)
        other = "@someone_else lihat ini"
        fake_tg.send_text(group, ani, other, entities=fake_tg.mention_entities(other))
        fake_tg.send_command(group, ani, "/tanya")
        await fake_tg.until(fake_tg.replies(group["id"], count=5))
        await fake_tg.barrier(ani)
    replies = fake_tg.sent_to(group["id"])
    assert len(replies) == 5
    assert all(r.reply_to for r in replies)
    quoted = [fake_tg.messages[(group["id"], r.reply_to)]["text"] for r in replies]
    assert quoted.count("besok ada kuis ya?") == 0
    assert "/ask@OtherBot what is love" not in quoted
    assert f"@{BOT} siapa penulisnya?" in quoted
    assert "and who are the primary actors?" in quoted
    hint = replies[quoted.index("/tanya")]
    assert "/tanya apa itu paradiplomasi?" in hint.visible


async def test_non_text_gets_a_hint_and_edits_are_harmless(fake_tg, bot_settings, fake_engine,
                                                          student, caplog):
    """Stickers, photos, voice and files get one line each; an edited message breaks nothing."""
    user, chat = student
    async with running_bot(bot_settings, fake_engine):
        for kind in ["sticker", "photo", "voice", "document"]:
            fake_tg.send_media(chat, user, kind)
        replies = await fake_tg.until(fake_tg.replies(chat["id"], count=4))
        assert all(r.visible == "Saya hanya bisa menjawab pertanyaan berupa teks. 🙂" for r in replies)
        question = fake_tg.send_text(chat, user, "apa itu paradiplomasi")
        await fake_tg.until(fake_tg.replies(chat["id"], count=5))
        fake_tg.edit_text(question, "apa itu otonomi daerah")
        fake_tg.send_text(chat, user, "siapa penulisnya?")
        await fake_tg.until(fake_tg.replies(chat["id"], count=6))
        await fake_tg.barrier(user)
    assert len(fake_tg.sent_to(chat["id"])) == 6
    assert "error while handling" not in caplog.text


async def test_inline_query_lists_cited_passages(fake_tg, bot_settings, fake_engine):
    """@Bot question in any chat: the best passages, each with its citation, at most 50."""
    user = fake_tg.user(801, "Sari", "en")
    async with running_bot(bot_settings, fake_engine):
        qid = fake_tg.inline(user, "What are the keywords?")
        answer = await fake_tg.until(lambda: fake_tg.inline_answers.get(qid))
    results = answer["results"]
    assert 1 <= len(results) <= 50
    expected = fake_engine.answer("What are the keywords?").passages[0].passage
    assert results[0]["input_message_content"]["message_text"].startswith(expected.text)
    assert all("Agustina et al. (2025)" in r["description"] for r in results)


async def test_errors_are_logged_and_user_told_in_language(fake_tg, bot_settings, fake_engine,
                                                          student, caplog, monkeypatch):
    """A failure in the core: traceback in the log, a short apology to the user, no token."""
    user, chat = student

    def broken(*args, **kwargs):
        raise RuntimeError("index exploded")

    monkeypatch.setattr(fake_engine, "answer", broken)
    caplog.set_level(logging.INFO)
    async with running_bot(bot_settings, fake_engine):
        fake_tg.send_text(chat, user, "apa itu paradiplomasi?")
        (reply,) = await fake_tg.until(fake_tg.replies(chat["id"]))
    assert reply.visible == "Maaf, terjadi kesalahan. Silakan coba lagi sebentar lagi."
    assert "index exploded" not in reply.visible
    assert "RuntimeError: index exploded" in caplog.text


async def test_handlers_get_typed_services_from_settings(fake_tg, bot_settings, fake_engine):
    """Every callback's ``context.bot_data`` is one Services object, provided from the settings
    by build_application (no string keys)."""
    from bot.telegram.app import build_application
    from bot.telegram.services import Services

    settings = bot_settings.model_copy(update={"admin_ids": [7, 8], "max_update_age_seconds": 90,
                                               "flood_max_questions": 4})
    app = build_application(settings, fake_engine)
    services = app.bot_data
    assert type(services) is Services
    assert services.engine.current is fake_engine
    assert services.admins == frozenset({7, 8})
    assert services.max_update_age == 90
    assert services.flood is not None and services.flood.max_questions == 4
    assert services.hasher(7) == services.hasher(7) != services.hasher(8)
    with pytest.raises(AttributeError):
        services.engin = None  # type: ignore[attr-defined]  # a misspelt name must fail
    services.store.close()
    services.executor.shutdown()


async def test_shutdown_figures_are_written_as_one_json_line(fake_tg, bot_settings, fake_engine,
                                                             student, tmp_path):
    """With METRICS_PATH the bot appends its shutdown figures as one JSON line (what the load
    benchmark reads), counting the questions it answered."""
    import json

    user, chat = student
    path = tmp_path / "metrics.jsonl"
    settings = bot_settings.model_copy(update={"metrics_path": path})
    async with running_bot(settings, fake_engine):
        for n, question in enumerate(["Apa itu paradiplomasi?", "Siapa penulisnya?"], 1):
            fake_tg.send_text(chat, user, question)
            await fake_tg.until(fake_tg.replies(chat["id"], count=n))
    (line,) = path.read_text(encoding="utf-8").splitlines()
    figures = json.loads(line)
    assert figures["answered"] == 2
    assert 0 < figures["answer_median_ms"] <= figures["answer_p95_ms"]


def test_shutdown_figures_include_the_batching_embedder():
    """Behind a batching embedder the figures add its batches, sizes and cache hits."""
    from bot.telegram.services import Metrics
    from index.embedders import BatchingEmbedder
    from tests.fakes import FakeEmbedder

    batching = BatchingEmbedder(FakeEmbedder(), max_batch=8, max_wait=0, cache_size=10)
    try:
        batching.embed_queries(["apa itu paradiplomasi?"])
        batching.embed_queries(["apa itu paradiplomasi?"])  # from the cache
    finally:
        batching.close()
    figures = Metrics().figures(batching)
    assert figures["answered"] == 0 and "answer_median_ms" not in figures
    assert figures["embed_batches"] == 1 and figures["embed_batch_largest"] == 1
    assert figures["embed_cache_hits"] == 1
