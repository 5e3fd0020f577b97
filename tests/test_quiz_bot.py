"""Class quizzes through the real python-telegram-bot and the fake Bot API server: a student's
private round, a class of 30 in a group with /hasil, storage, /forget and retention."""

from __future__ import annotations

import asyncio
import datetime as dt
import html
import io
import random
import re
from collections import Counter

import pytest

from bot.cli import main as bot_main
from bot.storage import QuizRound, SQLiteStore
from bot.telegram.callbacks import Translate, decode
from index.quiz import ROUND_SIZE
from tests.conftest import running_bot
from tests.fake_telegram import FakeTelegram

LECTURER = 77


async def _answer_round(fake_tg, chat, user, wrong_at: set[int]) -> list[dict]:
    """Answer each poll as it comes: wrong at the given positions, right elsewhere."""
    polls = []
    for position in range(ROUND_SIZE):
        await fake_tg.until(lambda n=position: len(fake_tg.polls_in(chat["id"])) > n, timeout=60)
        poll = fake_tg.polls_in(chat["id"])[position]
        polls.append(poll)
        right = poll["correct_option_ids"][0]
        choice = (right + 1) % len(poll["options"]) if position in wrong_at else right
        fake_tg.answer_poll(user, poll["id"], choice)
    return polls


async def test_private_round_one_poll_at_a_time_then_score_and_reread(fake_tg, bot_settings,
                                                                      fake_engine):
    """/kuis in private: five quiz polls, each after the previous answer, then the score and
    the missed sentences with their other-language button; a second round brings new items."""
    user = FakeTelegram.user(801, "Sari", "id")
    chat = fake_tg.private_chat(user)
    async with running_bot(bot_settings, fake_engine) as app:
        fake_tg.send_command(chat, user, "/kuis")
        (intro,) = await fake_tg.until(fake_tg.replies(chat["id"]))
        assert "5 soal" in intro.visible
        await fake_tg.until(lambda: fake_tg.polls_in(chat["id"]), timeout=60)
        assert len(fake_tg.polls_in(chat["id"])) == 1  # one at a time
        first = fake_tg.polls_in(chat["id"])[0]
        assert first["type"] == "quiz" and first["is_anonymous"] is False
        polls = await _answer_round(fake_tg, chat, user, wrong_at={1, 3})
        sent = await fake_tg.until(fake_tg.replies(chat["id"], count=4), timeout=60)
        assert "Skor: 3/5" in sent[1].visible
        quiz = app.bot_data.quiz
        rounds = app.bot_data.store.latest_quiz_round(app.bot_data.hasher(user["id"]))
        missed = [quiz.item(rounds.items[i], rounds.seed).passage for i in (1, 3)]
        rereads = sent[2:]
        expected = [fake_engine.searcher.passage(pid).text for pid in dict.fromkeys(missed)]
        assert [r.visible.split("\n\n")[0] for r in rereads] == expected
        for r in rereads:
            (button,) = r.buttons()
            assert isinstance(decode(button["callback_data"]), Translate)
        # the question texts sent are the round's items, in order, in Indonesian
        assert [p["question"] for p in polls] == [quiz.item(i, rounds.seed).question
                                                   for i in rounds.items]
        assert all(quiz.item(i, 0).language == "id" for i in rounds.items)
        first_items = set(rounds.items)
        fake_tg.send_command(chat, user, "/quiz en")
        await _answer_round_from(fake_tg, chat, user, start=ROUND_SIZE)
        second = app.bot_data.store.latest_quiz_round(app.bot_data.hasher(user["id"]))
        assert second.id != rounds.id and second.language == "en"
        assert not first_items & set(second.items)
    assert fake_tg.errors == []


async def _answer_round_from(fake_tg, chat, user, start: int) -> None:
    for position in range(start, start + ROUND_SIZE):
        await fake_tg.until(lambda n=position: len(fake_tg.polls_in(chat["id"])) > n, timeout=60)
        poll = fake_tg.polls_in(chat["id"])[position]
        fake_tg.answer_poll(user, poll["id"], poll["correct_option_ids"][0])


async def test_class_of_30_group_quiz_results_match_what_they_chose(fake_tg, bot_settings,
                                                                    fake_engine, tmp_path):
    """An admin's /kuis posts five non-anonymous quiz polls; 30 students answer (seeded
    choices); /hasil closes the polls and shows per item the share right and the wrong option
    chosen most, exactly as counted from the choices; late answers change nothing; the
    lecturer's report lists the cited sentences by wrong answers, matching the choices."""
    group = fake_tg.group_chat()
    lecturer = FakeTelegram.user(LECTURER, "Dosen", "id")
    fake_tg.chat_admins[group["id"]] = {LECTURER}
    students = [FakeTelegram.user(9000 + i, f"S{i}", "id") for i in range(30)]
    rng = random.Random(15)
    async with running_bot(bot_settings, fake_engine) as app:
        fake_tg.send_command(group, students[0], "/kuis")
        (refusal,) = await fake_tg.until(fake_tg.replies(group["id"]))
        assert "admin" in refusal.visible and not fake_tg.polls_in(group["id"])
        fake_tg.send_command(group, lecturer, "/kuis")
        polls = await fake_tg.until(lambda: len(fake_tg.polls_in(group["id"])) == ROUND_SIZE
                                    and fake_tg.polls_in(group["id"]), timeout=60)
        assert all(p["is_anonymous"] is False and p["type"] == "quiz" for p in polls)
        chosen: dict[str, Counter] = {p["id"]: Counter() for p in polls}
        for poll in polls:
            weights = [3 if i == poll["correct_option_ids"][0] else 1 + i
                       for i in range(len(poll["options"]))]
            for s in students:
                if rng.random() < 0.9:  # a few students skip a question
                    option = rng.choices(range(len(poll["options"])), weights)[0]
                    fake_tg.answer_poll(s, poll["id"], option)
                    chosen[poll["id"]][option] += 1
        total = sum(sum(c.values()) for c in chosen.values())
        store = app.bot_data.store
        await fake_tg.until(lambda: len(store.quiz_answers()) == total, timeout=60)
        fake_tg.send_command(group, lecturer, "/hasil")
        replies = await fake_tg.until(fake_tg.replies(group["id"], count=3), timeout=60)
        results = replies[2].visible
        assert all(p["is_closed"] for p in fake_tg.polls_in(group["id"]))
        assert fake_tg.answer_poll(students[0], polls[0]["id"], 0) is None  # closed
        assert f"({total} jawaban dari " in results
        lines = results.splitlines()
        for n, poll in enumerate(polls, 1):
            counts = chosen[poll["id"]]
            right = poll["correct_option_ids"][0]
            answers = sum(counts.values())
            share = round(100 * counts[right] / answers)
            line = next(x for x in lines if x.startswith(f"{n}. "))
            assert line.startswith(f"{n}. {share}% benar ({counts[right]}/{answers})")
            assert poll["options"][right]["text"] in line
            wrong = {o: c for o, c in counts.items() if o != right}
            if wrong:
                top = max(sorted(wrong), key=lambda o: wrong[o])
                following = lines[lines.index(line) + 1]
                assert following.strip() == (f"Salah terbanyak: {poll['options'][top]['text']} "
                                             f"({wrong[top]})")
        cited = {p["id"]: store.quiz_poll(p["id"]).passage_id for p in polls}
    assert fake_tg.errors == []
    # the lecturer's report: per cited sentence, wrong answers / answers, as chosen
    expected: dict[str, list[int]] = {}
    for poll in polls:
        counts = chosen[poll["id"]]
        wrong_here = sum(c for o, c in counts.items() if o != poll["correct_option_ids"][0])
        row = expected.setdefault(cited[poll["id"]], [0, 0])
        row[0] += wrong_here
        row[1] += sum(counts.values())
    # (the report's days are the configured zone's, WIB: after 17:00 UTC it is tomorrow there)
    today = dt.datetime.now(bot_settings.zone()).date().isoformat()
    page = tmp_path / "report.html"
    code = await asyncio.to_thread(
        bot_main, ["report", "--from", today, "--to", today, "--html", str(page),
                   "--csv", str(tmp_path / "r.csv")], bot_settings, fake_engine, None,
        io.StringIO())
    assert code == 0
    section = page.read_text(encoding="utf-8").split("Kuis: kalimat yang paling sering salah")[1]
    assert f"{total} jawaban kuis dari 30 mahasiswa" in section
    found = re.findall(r"<tr><td>(\d+)/(\d+)</td><td>(.*?) <small class=\"muted\">([^<]+)</small>",
                       section)
    assert {pid: [int(w), int(n)] for w, n, _, pid in found} == \
        {pid: row for pid, row in expected.items() if row[0]}
    wrongs = [int(w) for w, *_ in found]
    assert wrongs == sorted(wrongs, reverse=True)
    for _, _, text, pid in found:
        assert html.unescape(text) == fake_engine.searcher.passage(pid).text


async def test_forget_deletes_quiz_answers_and_private_rounds(fake_tg, bot_settings,
                                                               fake_engine):
    """/forget removes the student's answers and their private rounds with the rest."""
    user = FakeTelegram.user(802, "Tono", "id")
    chat = fake_tg.private_chat(user)
    async with running_bot(bot_settings, fake_engine) as app:
        fake_tg.send_command(chat, user, "/kuis")
        await _answer_round_from(fake_tg, chat, user, start=0)
        await fake_tg.until(fake_tg.replies(chat["id"], count=2), timeout=60)
        store, me = app.bot_data.store, app.bot_data.hasher(user["id"])
        assert len([a for a in store.quiz_answers() if a.user_hash == me]) == ROUND_SIZE
        n = len(fake_tg.sent_to(chat["id"]))
        fake_tg.send_command(chat, user, "/forget")
        await fake_tg.until(fake_tg.replies(chat["id"], count=n + 1), timeout=60)
        assert [a for a in store.quiz_answers() if a.user_hash == me] == []
        assert store.latest_quiz_round(me) is None and store.seen_quiz_items(me) == set()
    assert fake_tg.errors == []


def test_retention_purges_old_rounds_and_answers(tmp_path):
    """Rounds, polls and answers older than the retention period are deleted."""
    now = [1_000_000.0]
    store = SQLiteStore(tmp_path / "q.sqlite3", clock=lambda: now[0])
    from bot.storage import QuizPoll
    old = store.start_quiz(QuizRound("c", "group", "id", 1, ("a",), at=now[0]))
    store.add_quiz_poll(QuizPoll("p-old", old, 0, "a", "x:id:abstract:1", "Q", ("a", "b"), 0))
    store.answer_quiz("p-old", "u", 1)
    now[0] += 200 * 86400
    new = store.start_quiz(QuizRound("c", "group", "id", 2, ("b",), at=now[0]))
    store.add_quiz_poll(QuizPoll("p-new", new, 0, "b", "x:id:abstract:2", "Q", ("a", "b"), 0))
    store.answer_quiz("p-new", "u", 0)
    assert store.purge(180) > 0
    assert [a.poll.poll_id for a in store.quiz_answers()] == ["p-new"]
    assert store.quiz_round(old) is None and store.quiz_poll("p-old") is None
    assert store.seen_quiz_items("c") == {"b"}
    store.close()


@pytest.mark.parametrize("command", ["/hasil", "/results"])
async def test_results_without_a_round_says_so(fake_tg, bot_settings, fake_engine, command):
    """/hasil before any quiz in the chat tells how to start one."""
    user = FakeTelegram.user(803, "Ani", "id")
    chat = fake_tg.private_chat(user)
    async with running_bot(bot_settings, fake_engine):
        fake_tg.send_command(chat, user, command)
        (reply,) = await fake_tg.until(fake_tg.replies(chat["id"]))
        assert "/kuis" in reply.visible


def test_report_quiz_section_without_answers_says_so():
    """A period without quiz answers gets a one-line quiz section in both languages."""
    from bot.quiz import quiz_report, quiz_section_html

    assert "Belum ada jawaban kuis" in quiz_section_html(quiz_report([]), "id")
    assert "No quiz answers" in quiz_section_html(quiz_report([]), "en")


def test_every_quiz_reply_is_in_both_languages():
    """Each text the quiz handlers send is a key of bot/i18n in Indonesian and in English."""
    from pathlib import Path

    import bot.telegram.quiz
    from bot.i18n import TEXTS

    keys = set(re.findall(r'"(quiz_\w+)"', Path(bot.telegram.quiz.__file__).read_text("utf-8")))
    assert len(keys) >= 10
    assert keys <= set(TEXTS["id"]) and keys <= set(TEXTS["en"])
    assert {k for k in TEXTS["id"] if k.startswith("quiz_")} == \
        {k for k in TEXTS["en"] if k.startswith("quiz_")}
