"""Defects of the Telegram face found by misuse (issue #12): shared anonymous identities,
inline keystrokes, forged votes, a locked database, malformed webhook bodies, links that
open only the welcome, retention that waited for a question. Real python-telegram-bot
against the fake Bot API server, fake embedder."""

import asyncio
import io
import json
import sqlite3
import time

import httpx
import pytest
from pydantic import SecretStr

from bot.storage import Interaction, SQLiteStore
from tests.conftest import running_bot, wait_healthy
from tests.fake_telegram import FakeTelegram

BOT = "TanyaParadiplomasiBot"
GROUP_ANONYMOUS_BOT = {"id": 1087968824, "is_bot": True, "first_name": "Group",
                       "username": "GroupAnonymousBot"}


def _rows(settings) -> list:
    store = SQLiteStore(settings.database_path)
    try:
        return store.interactions(0, 2**40)
    finally:
        store.close()


def _results(inline_answer: dict) -> list:
    results = inline_answer.get("results", [])
    return json.loads(results) if isinstance(results, str) else results


def _anonymous_ask(fake_tg: FakeTelegram, group: dict, text: str) -> dict:
    """An anonymous admin of ``group`` mentions the bot: Telegram sends it "from"
    GroupAnonymousBot with the group as sender_chat."""
    text = f"@{BOT} {text}"
    message = fake_tg._new_message(group, GROUP_ANONYMOUS_BOT, text=text,
                                   entities=fake_tg.mention_entities(text), sender_chat=group)
    fake_tg.push({"message": message})
    return message


async def test_anonymous_admins_of_two_groups_are_two_identities(fake_tg, bot_settings,
                                                                 fake_engine):
    """#4: anonymous admins in two groups are stored as two identities (by sender_chat),
    have separate flood buckets, and /forget sent anonymously deletes nothing (it used to
    delete the other group's questions too)."""
    settings = bot_settings.model_copy(update={"flood_max_questions": 2})
    one, two = fake_tg.group_chat(-1001, "Kelas A"), fake_tg.group_chat(-1002, "Kelas B")
    async with running_bot(settings, fake_engine):
        for _ in range(2):
            _anonymous_ask(fake_tg, one, "siapa penulisnya?")
        await fake_tg.until(fake_tg.replies(one["id"], count=2))
        _anonymous_ask(fake_tg, two, "siapa penulisnya?")  # group one's limit is not two's
        await fake_tg.until(fake_tg.replies(two["id"]))
        rows = _rows(settings)
        assert len(rows) == 3 and len({r.user_hash for r in rows}) == 2
        forget = fake_tg._new_message(two, GROUP_ANONYMOUS_BOT, text="/forget", sender_chat=two,
                                      entities=[{"type": "bot_command", "offset": 0,
                                                 "length": 7}])
        fake_tg.push({"message": forget})
        (notice,) = await fake_tg.until(fake_tg.replies(two["id"], after=1))
        assert "/forget" in notice.visible
        assert len(_rows(settings)) == 3
    assert fake_tg.errors == []


async def test_inline_keystrokes_are_not_stored_and_are_rate_limited(fake_tg, bot_settings,
                                                                     fake_engine):
    """#5: inline queries typed letter by letter store nothing; the result the student sends
    (chosen_inline_result) is stored once; a student typing faster than the inline limit
    gets empty results, not an answer computed per keystroke."""
    from bot.telegram import flood

    settings = bot_settings.model_copy(update={"flood_max_questions": 2})
    limit = 2 * flood.INLINE_QUERIES_PER_QUESTION
    user = fake_tg.user(5001, "Budi")
    text = "apa itu paradiplomasi ekonomi daerah"
    keystrokes = [text[:n] for n in range(3, len(text) + 1)]
    assert len(keystrokes) > limit
    async with running_bot(settings, fake_engine):
        ids = [fake_tg.inline(user, q) for q in keystrokes]
        await fake_tg.until(lambda: all(i in fake_tg.inline_answers for i in ids))
        answered = [i for i in ids if _results(fake_tg.inline_answers[i])]
        assert 1 <= len(answered) <= limit
        assert _rows(settings) == []
        fake_tg.push({"chosen_inline_result": {"result_id": "x", "from": user, "query": text}})
        await fake_tg.until(lambda: len(_rows(settings)) == 1)
        (row,) = _rows(settings)
        assert row.question == text and row.source == "inline"
    assert fake_tg.errors == []


async def test_a_vote_counts_only_from_the_chat_the_answer_was_shown_in(fake_tg, bot_settings,
                                                                       fake_engine):
    """#6: pressing crafted callback data `fb:<id>:d` in one's own chat does not vote on
    someone else's answer (it is refused as a stale button); the real button still works."""
    alice, bob = fake_tg.user(6001, "Alice"), fake_tg.user(6002, "Bob")
    alice_chat, bob_chat = fake_tg.private_chat(alice), fake_tg.private_chat(bob)
    async with running_bot(bot_settings, fake_engine):
        fake_tg.send_text(alice_chat, alice, "siapa penulisnya?")
        (alice_answer,) = await fake_tg.until(fake_tg.replies(alice_chat["id"]))
        fake_tg.send_text(bob_chat, bob, "apa judulnya?")
        (bob_answer,) = await fake_tg.until(fake_tg.replies(bob_chat["id"]))
        down = alice_answer.button("👎")["callback_data"]
        assert down.startswith("fb:")
        forged = fake_tg.press(bob, bob_answer, down)  # Bob's own message, Alice's answer id
        await fake_tg.until(lambda: forged in fake_tg.callback_answers)
        real = fake_tg.press(alice, alice_answer, alice_answer.button("👍"))
        await fake_tg.until(lambda: real in fake_tg.callback_answers)
    votes = {r.question: (r.up, r.down) for r in _rows(bot_settings)}
    assert votes == {"siapa penulisnya?": (1, 0), "apa judulnya?": (0, 0)}


async def test_a_vote_counts_only_on_the_message_the_answer_was_shown_in(fake_tg, bot_settings,
                                                                         fake_engine):
    """#6: in a group, one student's forged `fb:<id>:d` pressed on another answer of the same
    chat does not vote on the first answer; its own button still does."""
    group = fake_tg.group_chat()
    ani, dodi = fake_tg.user(6101, "Ani"), fake_tg.user(6102, "Dodi")
    async with running_bot(bot_settings, fake_engine):
        fake_tg.send_command(group, ani, "/tanya siapa penulisnya?")
        (first,) = await fake_tg.until(fake_tg.replies(group["id"]))
        fake_tg.send_command(group, dodi, "/tanya apa judulnya?")
        (second,) = await fake_tg.until(fake_tg.replies(group["id"], after=1))
        down = first.button("👎")["callback_data"]
        forged = fake_tg.press(dodi, second, down)  # same chat, another message
        await fake_tg.until(lambda: forged in fake_tg.callback_answers)
        real = fake_tg.press(ani, first, first.button("👍"))
        await fake_tg.until(lambda: real in fake_tg.callback_answers)
    votes = {r.question: (r.up, r.down) for r in _rows(bot_settings)}
    assert votes == {"siapa penulisnya?": (1, 0), "apa judulnya?": (0, 0)}


async def test_answer_is_delivered_while_another_process_locks_the_database(
        fake_tg, bot_settings, fake_engine, monkeypatch, caplog):
    """#8: another process holding the write lock past the busy timeout no longer turns a
    computed answer into "Maaf, terjadi kesalahan": the answer is sent (without vote
    buttons), a warning is logged, and other students' commands are answered meanwhile."""
    monkeypatch.setattr("bot.storage.BUSY_TIMEOUT_MS", 1500)
    alice, bob = fake_tg.user(8001, "Alice"), fake_tg.user(8002, "Bob")
    alice_chat, bob_chat = fake_tg.private_chat(alice), fake_tg.private_chat(bob)
    async with running_bot(bot_settings, fake_engine):
        other = sqlite3.connect(bot_settings.database_path, isolation_level=None,
                                check_same_thread=False)
        other.execute("BEGIN IMMEDIATE")
        other.execute("INSERT INTO preferences VALUES ('someone', 'id')")
        try:
            fake_tg.send_text(alice_chat, alice, "Kapan artikel ini diterbitkan?")
            await asyncio.sleep(0.2)  # Alice's record now waits for the lock
            start = time.monotonic()
            fake_tg.send_command(bob_chat, bob, "/help")
            await fake_tg.until(fake_tg.replies(bob_chat["id"]), timeout=10)
            bob_waited = time.monotonic() - start
            (answer,) = await fake_tg.until(fake_tg.replies(alice_chat["id"]), timeout=15)
        finally:
            other.execute("ROLLBACK")
            other.close()
    assert "30 Desember 2025" in answer.visible
    assert "Maaf" not in answer.visible
    assert not [b for b in answer.buttons() if b.get("callback_data", "").startswith("fb:")]
    assert "could not store a question (OperationalError)" in caplog.text
    assert bob_waited < 1.0, bob_waited


@pytest.mark.parametrize("body", ["null", "[]", "123", '{"update_id":1,"message":"x"}',
                                  '"text"', "{", '{"update_id":"1"}'])
async def test_malformed_webhook_bodies_are_skipped_with_200(fake_tg, bot_settings,
                                                             fake_engine, unused_tcp_port, body):
    """#13: with the right secret, a body that is not an update gets 200 and is skipped (a
    500 made Telegram redeliver it forever); the next real update is answered."""
    from bot.telegram import webhook
    from bot.telegram.app import build_application

    secret = "s3cret-token-for-tests_0123"
    settings = bot_settings.model_copy(update={
        "bot_mode": "webhook", "webhook_url": "https://bot.example.org/hook",
        "webhook_secret": SecretStr(secret), "webhook_port": unused_tcp_port,
        "webhook_path": "tg"})
    app = build_application(settings, fake_engine)
    stop = asyncio.Event()
    server = asyncio.create_task(webhook.run_webhook(app, settings, stop))
    user = fake_tg.user(1301, "Budi")
    chat = fake_tg.private_chat(user)
    url = f"http://127.0.0.1:{unused_tcp_port}/tg"
    try:
        async with httpx.AsyncClient() as client:
            await wait_healthy(client, unused_tcp_port)
            bad = await client.post(url, content=body, headers={webhook.SECRET_HEADER: secret})
            assert bad.status_code == 200
            message = {"message_id": 1, "date": int(time.time()), "chat": chat, "from": user,
                       "text": "siapa penulisnya?"}
            good = await client.post(url, content=json.dumps({"update_id": 2,
                                                              "message": message}),
                                     headers={webhook.SECRET_HEADER: secret})
            assert good.status_code == 200
            (reply,) = await fake_tg.until(fake_tg.replies(chat["id"]))
            assert "Agustina dkk." in reply.visible
    finally:
        stop.set()
        await server


@pytest.mark.parametrize("question", ["apa itu para\u00addiplomasi?",
                                      "apa itu\u200b paradiplomasi?"])
async def test_links_with_invisible_characters_are_answered(fake_tg, bot_settings,
                                                             fake_engine, capsys, monkeypatch,
                                                             question):
    """#14: `link -q` with a soft hyphen or a zero-width space (text copied from a PDF)
    prints a link whose /start the bot answers (it used to open only the welcome)."""
    from bot.cli import main

    monkeypatch.setattr("bot.cli.setup_logging", lambda level, **kw: None)  # keep pytest's
    settings = bot_settings.model_copy(update={"telegram_bot_username": BOT})
    out = io.StringIO()
    assert main(["link", "-q", question], settings=settings, stdout=out) == 0
    payload = out.getvalue().strip().split("?start=")[1]
    user = fake_tg.user(1401, "Budi")
    chat = fake_tg.private_chat(user)
    async with running_bot(bot_settings, fake_engine):
        fake_tg.send_command(chat, user, f"/start {payload}")
        (reply,) = await fake_tg.until(fake_tg.replies(chat["id"]))
    expected = fake_engine.answer("apa itu paradiplomasi?")
    assert expected.passages[0].passage.text in reply.visible
    assert [r.question for r in _rows(bot_settings)] == ["apa itu paradiplomasi?"]


@pytest.mark.parametrize("question", ["😀😀😀", "\u200b\u00ad", "2025?"])
def test_link_to_a_question_that_would_not_be_answered_is_refused(bot_settings, capsys,
                                                                  monkeypatch, question):
    """#14: `link -q` with only emoji, only invisible characters or no word is one error
    line and exit 1, not a link that opens only the welcome."""
    from bot.cli import main

    monkeypatch.setattr("bot.cli.setup_logging", lambda level, **kw: None)  # keep pytest's
    settings = bot_settings.model_copy(update={"telegram_bot_username": BOT})
    out = io.StringIO()
    assert main(["link", "-q", question], settings=settings, stdout=out) == 1
    err = capsys.readouterr().err
    assert out.getvalue() == "" and len(err.splitlines()) == 1 and err.startswith("error: ")


async def test_retention_runs_at_start_up_and_on_a_schedule(fake_tg, bot_settings,
                                                            fake_engine, monkeypatch):
    """#15: rows older than RETENTION_DAYS are deleted at start-up and then periodically,
    with nobody asking anything (it used to run only when a new question was recorded)."""
    monkeypatch.setattr("bot.storage.PURGE_EVERY_SECONDS", 0.2)
    settings = bot_settings.model_copy(update={"retention_days": 30})
    old = time.time() - 40 * 86400
    store = SQLiteStore(settings.database_path)
    store.record(Interaction("u1", "private", "message", "id", "lama sekali?", True, at=old))
    store.record(Interaction("u2", "private", "message", "id", "baru?", True))
    store.close()
    async with running_bot(settings, fake_engine) as app:
        await fake_tg.until(lambda: [r.question for r in _rows(settings)] == ["baru?"],
                            timeout=5)
        writer = SQLiteStore(settings.database_path)  # another old row, while serving
        writer.record(Interaction("u3", "private", "message", "id", "juga lama?", True,
                                  at=old))
        writer.close()
        await fake_tg.until(lambda: [r.question for r in _rows(settings)] == ["baru?"],
                            timeout=5)
        assert app.bot_data.purger is not None and not app.bot_data.purger.done()
