"""Defects found by misuse (issue #12), each pinned by the case that reproduced it: settings,
.env files, standard input, the database, the corpus beside the index, logs, start-up."""

import io
import math

import pytest
from pydantic import ValidationError

from bot.cli import main
from bot.settings import BotSettings
from index.embedders import BatchingEmbedder
from tests.conftest import wait_healthy

TOKEN = "123456789:AAHabcdefghijklmnopqrstuvwxyz012345"


def _numeric_fields():
    for name, field in BotSettings.model_fields.items():
        if field.annotation in (int, float):
            yield name, field.annotation


@pytest.mark.parametrize("bad", ["inf", "-inf", "nan", "1e300"])
def test_every_numeric_setting_is_bounded(monkeypatch, bad):
    """#11: inf, nan and absurd numbers are refused for every numeric setting at start-up
    (RETENTION_DAYS=inf used to pass and then fail every question with OverflowError)."""
    fields = list(_numeric_fields())
    assert len(fields) >= 10
    for name, kind in fields:
        value = bad if kind is float else ("10" + "0" * 300 if bad == "1e300" else bad)
        monkeypatch.setenv(name.upper(), value)
        with pytest.raises(ValidationError, match=name):
            BotSettings(_env_file=None)
        monkeypatch.delenv(name.upper())


def test_retention_and_link_ttl_at_their_bounds_do_not_overflow(tmp_path):
    """#11: the largest accepted RETENTION_DAYS and LINK_TTL_DAYS still work in the store."""
    from bot.storage import Interaction, SQLiteStore

    settings = BotSettings(_env_file=None, retention_days=36_500, link_ttl_days=36_500)
    store = SQLiteStore(tmp_path / "db.sqlite3", retention_days=settings.retention_days)
    store.record(Interaction("u", "private", "message", "id", "apa?", True))
    assert store.purge(settings.retention_days) == 0
    link = store.put_link("apa itu paradiplomasi?", "id", settings.link_ttl_days)
    assert store.get_link(link) == ("apa itu paradiplomasi?", "id")
    assert math.isfinite(settings.retention_days)
    store.close()


def _main_in(tmp_path, monkeypatch, capsys, env_bytes: bytes, argv=("ask", "apa?")):
    monkeypatch.chdir(tmp_path)
    for name in BotSettings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    (tmp_path / ".env").write_bytes(env_bytes)
    code = main(list(argv), stdin=io.StringIO(""), stdout=io.StringIO())
    return code, capsys.readouterr().err


def test_env_line_that_does_not_parse_stops_start_up(tmp_path, monkeypatch, capsys):
    """#17: a .env line with an unclosed quote (here: the token's) is one error naming the
    line, exit 1, without the value; not a skipped line and the terminal chat."""
    env = f'LOG_LEVEL=INFO\nTELEGRAM_BOT_TOKEN="{TOKEN}\nRETENTION_DAYS=30\n'.encode()
    code, err = _main_in(tmp_path, monkeypatch, capsys, env)
    assert code == 1
    assert err == ".env line 2: cannot be parsed (an unclosed quote?)\n".join(["error: ", ""])
    assert TOKEN not in err and "AAH" not in err


def test_utf16_env_is_one_line_error(tmp_path, monkeypatch, capsys):
    """#16: a .env saved as UTF-16 (Windows Notepad) is one line saying to save it as UTF-8,
    exit 1, not a UnicodeDecodeError traceback."""
    code, err = _main_in(tmp_path, monkeypatch, capsys, "LOG_LEVEL=INFO\n".encode("utf-16"))
    assert code == 1
    assert err == "error: .env is not UTF-8 text (it looks like UTF-16): save it as UTF-8\n"


BAD_UTF8 = b"apa itu\xff\xfe paradiplomasi?\nWho wrote this article?\n"


def _stdin(data: bytes) -> io.TextIOWrapper:
    """Standard input as Python opens it under a C/POSIX locale: undecodable bytes become
    lone surrogates."""
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors="surrogateescape")


@pytest.mark.parametrize("argv", [["ask", "--json"], ["ask"], ["chat"]])
def test_invalid_utf8_on_stdin_answers_every_line(fake_engine, argv, monkeypatch):
    """#12: bytes that are not UTF-8 on standard input are decoded with replacement and
    every line is answered (it crashed with UnicodeEncodeError and lost the rest)."""
    import json


    monkeypatch.setattr("bot.cli.setup_logging", lambda level, **kw: None)
    out = io.StringIO()
    code = main(argv, settings=BotSettings(_env_file=None, telegram_bot_token=None), engine=fake_engine,
                stdin=_stdin(BAD_UTF8), stdout=out)
    assert code == 0
    text = out.getvalue()
    assert "\ufffd" not in text or "apa itu\ufffd\ufffd paradiplomasi?" in text
    text.encode("utf-8")  # nothing unencodable reaches the output
    if argv == ["ask", "--json"]:
        rows = [json.loads(line) for line in text.splitlines()]
        assert [r["question"] for r in rows] == ["apa itu\ufffd\ufffd paradiplomasi?",
                                                 "Who wrote this article?"]
    else:
        assert text.count("Agustina") >= 1 and len(text.strip().split("\n\n")) >= 2


def test_invalid_utf8_in_the_question_argument(fake_engine, monkeypatch):
    """#12: `ask ARG` with bytes that are not UTF-8 (lone surrogates in argv) is answered."""

    monkeypatch.setattr("bot.cli.setup_logging", lambda level, **kw: None)
    out = io.StringIO()
    code = main(["ask", "--json", "apa itu\udcff\udcfe paradiplomasi?"],
                settings=BotSettings(_env_file=None, telegram_bot_token=None), engine=fake_engine, stdin=_stdin(b""),
                stdout=out)
    assert code == 0 and '"apa itu\ufffd\ufffd paradiplomasi?"' in out.getvalue()


# -- the salt of user hashes (#2) ----------------------------------------------------------

async def test_without_user_id_salt_stored_hashes_are_not_reversible(fake_tg, bot_settings,
                                                                    fake_engine):
    """#2: with USER_ID_SALT unset, a question's stored user hash is not the unsalted hash of
    the user's id (which hashing ids 0..3,000,000 would reverse); the random salt is kept in
    the database and used again after a restart."""
    import hashlib

    from bot.storage import SQLiteStore
    from tests.conftest import running_bot

    assert bot_settings.user_id_salt.get_secret_value() == ""
    user = fake_tg.user(2_000_001, "Budi")
    chat = fake_tg.private_chat(user)
    for count in (1, 2):  # two starts of the bot on the same database
        async with running_bot(bot_settings, fake_engine):
            fake_tg.send_text(chat, user, "Apa itu paradiplomasi?")
            await fake_tg.until(fake_tg.replies(chat["id"], count=count))
    store = SQLiteStore(bot_settings.database_path)
    hashes = {row.user_hash for row in store.interactions(0, 2**40)}
    store.close()
    assert len(hashes) == 1  # the same salt after the restart: still one user
    (stored,) = hashes
    unsalted = {hashlib.sha256(f"{prefix}{user['id']}".encode()).hexdigest()
                for prefix in ("", ":")}
    assert stored not in unsalted


def test_generated_salts_are_random_per_database_and_short_ones_warned(tmp_path, caplog):
    """#2: each database gets its own 256-bit salt; a USER_ID_SALT under 16 characters is
    used but warned about loudly."""
    from bot.storage import SQLiteStore, make_hasher

    a, b = SQLiteStore(tmp_path / "a.sqlite3"), SQLiteStore(tmp_path / "b.sqlite3")
    assert len(a.user_salt()) == 64 and a.user_salt() != b.user_salt()
    assert make_hasher("", a)(42) != make_hasher("", b)(42)
    with caplog.at_level("WARNING"):
        make_hasher("short", a)
    assert "USER_ID_SALT is only 5 characters" in caplog.text
    assert "short" not in caplog.text  # the value itself is never logged
    caplog.clear()
    with caplog.at_level("WARNING"):
        make_hasher("x" * 32, a)
    assert caplog.text == ""
    a.close()
    b.close()


# -- the database (#16, #8) ----------------------------------------------------------------

def _future_schema(path):
    import sqlite3

    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.close()


@pytest.mark.parametrize("kind", ["folder", "random bytes", "future schema"])
def test_unusable_database_is_one_line_naming_it(tmp_path, bot_settings, fake_engine, capsys,
                                                 monkeypatch, kind):
    """#16: DATABASE_PATH a folder, random bytes or a database from a newer schema: one line
    naming the path, exit 1, no traceback, and a newer schema is left untouched."""
    import os
    import sqlite3

    monkeypatch.setattr("bot.cli.setup_logging", lambda level, **kw: None)
    path = tmp_path / "db.sqlite3"
    if kind == "folder":
        path.mkdir()
    elif kind == "random bytes":
        path.write_bytes(os.urandom(8192))
    else:
        _future_schema(path)
    settings = bot_settings.model_copy(update={"database_path": path})
    code = main([], settings=settings, engine=fake_engine, stdin=io.StringIO(""),
                stdout=io.StringIO())
    err = capsys.readouterr().err
    assert code == 1
    assert len(err.splitlines()) == 1 and err.startswith("error: ") and str(path) in err
    assert "Traceback" not in err
    if kind == "future schema":
        assert "newer" in err
        db = sqlite3.connect(path)
        assert db.execute("PRAGMA user_version").fetchone()[0] == 99
        assert db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0] == 0
        db.close()


def test_reads_do_not_wait_for_a_write_blocked_by_another_process(tmp_path, monkeypatch):
    """#8: while another process holds the write lock and a record() waits for it, a user's
    language (read on every update) is answered at once, not after the busy timeout."""
    import sqlite3
    import threading
    import time

    from bot.storage import Interaction, SQLiteStore

    monkeypatch.setattr("bot.storage.BUSY_TIMEOUT_MS", 1500)
    path = tmp_path / "db.sqlite3"
    store = SQLiteStore(path)
    store.set_language("u1", "en")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO preferences VALUES ('x', 'id')")
    failed = []

    def write():
        try:
            store.record(Interaction("u2", "private", "message", "id", "apa?", True))
        except sqlite3.OperationalError as exc:
            failed.append(str(exc))

    writer = threading.Thread(target=write)
    writer.start()
    time.sleep(0.2)  # the writer now waits for the lock, holding the store's own
    start = time.perf_counter()
    assert store.language("u1") == "en"
    assert store.get_link("nosuchlink0") is None
    waited = time.perf_counter() - start
    writer.join()
    other.execute("ROLLBACK")
    other.close()
    store.close()
    assert waited < 0.5, waited
    assert failed and "locked" in failed[0]  # the blocked write did fail: the handler's case


# -- the index and the corpus (#16, #10) -----------------------------------------------------

@pytest.mark.parametrize("damage", ["files null", "unknown language"])
def test_hand_edited_index_at_start_up_is_one_line(built, fake_embedder, capsys, monkeypatch,
                                                   damage):
    """#16: a manifest with `"files": null`, or passages in a language the bot has no words
    for, stops start-up with one line naming the fix (not a traceback or a KeyError later)."""
    from index.store import current_build
    from tests.test_operations import _edit_build, _unknown_language

    monkeypatch.setattr("bot.cli.setup_logging", lambda level, **kw: None)
    monkeypatch.setattr("index.settings.Settings.make_embedder", lambda self: fake_embedder)
    build = current_build(built.index_dir)
    if damage == "files null":
        _edit_build(build, manifest=lambda m: m.update(files=None))
    else:
        _edit_build(build, passages=_unknown_language,
                    manifest=lambda m: m["languages"].update(fr=m["languages"].pop("en")))
    code = main(["ask", "apa itu paradiplomasi?"], settings=built, stdin=io.StringIO(""),
                stdout=io.StringIO())
    err = capsys.readouterr().err
    assert code == 1 and len(err.splitlines()) == 1 and "Traceback" not in err
    assert ("malformed (files)" in err) if damage == "files null" else ("'fr'" in err)
    assert "python -m index build" in err


def test_broken_corpus_beside_an_intact_index_still_serves(built, fake_embedder, capsys,
                                                          monkeypatch, caplog):
    """#10: a syntax error in a corpus file does not stop start-up when the built index is
    intact: answers (with their citations) come from what the index holds, and a warning
    names the problem."""
    from bot import serving
    from bot.settings import BotSettings

    monkeypatch.setattr("bot.cli.setup_logging", lambda level, **kw: None)
    monkeypatch.setattr("index.settings.Settings.make_embedder", lambda self: fake_embedder)
    for path in built.corpus_dir.glob("*.toml"):
        path.write_text(path.read_text(encoding="utf-8") + "\n[broken\n", encoding="utf-8")
    out = io.StringIO()
    with caplog.at_level("WARNING"):
        code = main(["ask", "Kapan artikel ini diterbitkan?"], settings=built,
                    stdin=io.StringIO(""), stdout=out)
    assert code == 0, capsys.readouterr().err
    assert "30 Desember 2025" in out.getvalue() and "Agustina dkk. (2025)" in out.getvalue()
    assert "the corpus has problems" in caplog.text and "invalid TOML" in caplog.text
    bot_settings = BotSettings(_env_file=None, corpus_dir=built.corpus_dir,
                               index_dir=built.index_dir, embed_workers=0)
    engine = serving.load_engine(bot_settings, batching=True)  # the bot's own path
    assert engine is not None and engine.documents
    assert isinstance(engine.embedder, BatchingEmbedder)
    engine.embedder.close()


# -- logs (#3) -------------------------------------------------------------------------------

@pytest.fixture
def root_logging():
    """setup_logging replaces the root logger's handlers: put them back afterwards."""
    import logging
    import sys
    import threading

    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    hooks = sys.excepthook, threading.excepthook
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    sys.excepthook, threading.excepthook = hooks


async def test_debug_log_holds_no_secret_and_no_personal_data(fake_tg, bot_settings,
                                                              fake_engine, unused_tcp_port,
                                                              root_logging):
    """#3: at LOG_LEVEL=DEBUG in webhook mode, an answered update leaves in the log neither
    the webhook secret, the token, the salt, nor the sender's first name, user id or chat id
    (python-telegram-bot's DEBUG lines carried all of them)."""
    import asyncio
    import json
    import time

    import httpx
    from pydantic import SecretStr

    from bot.cli import _secrets
    from bot.logs import setup_logging
    from bot.telegram import webhook
    from bot.telegram.app import build_application

    secret = "s3cret-token-for-tests_0123"
    salt = "pepper-salt-0123456789abcdef"
    settings = bot_settings.model_copy(update={
        "bot_mode": "webhook", "webhook_url": "https://bot.example.org/hook",
        "webhook_secret": SecretStr(secret), "webhook_port": unused_tcp_port,
        "webhook_path": "tg", "user_id_salt": SecretStr(salt), "log_level": "DEBUG"})
    log = io.StringIO()
    setup_logging("DEBUG", secrets=_secrets(settings), stream=log)
    app = build_application(settings, fake_engine)
    stop = asyncio.Event()
    server = asyncio.create_task(webhook.run_webhook(app, settings, stop))
    user = fake_tg.user(987_654_321, "Rahasiawati")
    chat = fake_tg.private_chat(user)
    message = {"message_id": 1, "date": int(time.time()), "chat": chat, "from": user,
               "text": "siapa penulisnya?"}
    try:
        async with httpx.AsyncClient() as client:
            await wait_healthy(client, unused_tcp_port)
            good = await client.post(f"http://127.0.0.1:{unused_tcp_port}/tg",
                                     content=json.dumps({"update_id": 1, "message": message}),
                                     headers={webhook.SECRET_HEADER: secret})
            assert good.status_code == 200
            await fake_tg.until(fake_tg.replies(chat["id"]))
    finally:
        stop.set()
        await server
    text = log.getvalue()
    assert "Calling Bot API endpoint `setWebhook`" in text  # DEBUG is on and useful
    assert "Processing update" in text
    for leak in (secret, salt, fake_tg.token, fake_tg.token.split(":")[1], "Rahasiawati",
                 "987654321", "siapa penulisnya"):
        assert leak not in text, leak


# -- start-up against the Bot API (#1, #9) ---------------------------------------------------

def _serve(settings, engine, capsys) -> tuple[int, str]:
    """`python -m bot` serving, in-process, with real logging to (captured) standard error."""
    import gc

    code = main([], settings=settings, engine=engine, stdin=io.StringIO(""),
                stdout=io.StringIO())
    gc.collect()  # an unclosed aiohttp session warns when collected
    err = capsys.readouterr().err
    # the fake Bot API server logs its requests to the same root logger: not the bot's lines
    return code, "".join(line for line in err.splitlines(keepends=True)
                         if " tornado.access: " not in line)


def test_rejected_token_is_one_line_without_the_token(fake_tg, bot_settings, fake_engine,
                                                      capsys, root_logging):
    """#1: a token Telegram rejects (getMe -> 401; here one character off) ends in one line
    naming TELEGRAM_BOT_TOKEN, exit 1: no traceback, no token, no "Unclosed client session"."""
    from pydantic import SecretStr

    token = fake_tg.token[:-1] + ("x" if fake_tg.token[-1] != "x" else "y")
    settings = bot_settings.model_copy(update={"telegram_bot_token": SecretStr(token)})
    code, err = _serve(settings, fake_engine, capsys)
    assert code == 1
    assert err.splitlines()[-1].startswith("error: Telegram rejected TELEGRAM_BOT_TOKEN")
    lines = err.splitlines()
    assert [line for line in lines if not line[:4].isdigit()] == lines[-1:], err  # no traceback
    assert not [line for line in lines if " ERROR " in line or " CRITICAL " in line], err
    for leak in (token, token.split(":")[1], "Traceback", "Unclosed"):
        assert leak not in err, leak


def _boom(*args, **kwargs):
    raise RuntimeError(f"failed with {TOKEN} in the message")


@pytest.mark.parametrize("step", ["store", "build_application", "getMe 500s then run",
                                  "set commands", "polling"])
def test_no_start_up_failure_prints_the_token(fake_tg, bot_settings, fake_engine, capsys,
                                              monkeypatch, root_logging, step):
    """#1: whatever fails at start-up (even with the token in an exception's text), standard
    error never holds the token, and the run ends with one `error:` line, exit 1; a
    failing command menu (setMyCommands) does not stop the bot at all."""
    import threading

    from pydantic import SecretStr

    settings = bot_settings.model_copy(update={"telegram_bot_token": SecretStr(TOKEN)})
    fake_tg.token = TOKEN  # the fake accepts this token
    monkeypatch.setattr("bot.telegram.boot.BOOT_RETRY_FIRST_SECONDS", 0.05)
    if step == "store":
        monkeypatch.setattr("bot.cli.SQLiteStore", _boom)
    elif step == "build_application":
        monkeypatch.setattr("bot.telegram.app.build_application", _boom)
    elif step == "getMe 500s then run":
        fake_tg.fail("getMe", times=2, code=500)
        monkeypatch.setattr("telegram.ext.Application.run_polling", _boom)
    elif step == "set commands":
        fake_tg.fail("setMyCommands", times=10, code=500)
        user = fake_tg.user(42, "Budi")
        chat = fake_tg.private_chat(user)
        fake_tg.send_text(chat, user, "siapa penulisnya?")

        def stop_when_answered():
            fake_tg.wait_for(fake_tg.replies(chat["id"]), timeout=30)
            import os
            import signal
            os.kill(os.getpid(), signal.SIGTERM)  # run_polling's own stop signal

        threading.Thread(target=stop_when_answered, daemon=True).start()
    else:
        monkeypatch.setattr("telegram.ext.Updater.start_polling", _boom)
    code, err = _serve(settings, fake_engine, capsys)
    assert TOKEN not in err and TOKEN.split(":")[1] not in err
    if step == "set commands":
        assert code == 0 and "could not set the command menu" in err
        return
    assert code == 1
    assert err.splitlines()[-1].startswith("error: "), err
    if step == "getMe 500s then run":
        assert err.count("the Bot API cannot be reached at start-up") == 2


def test_unreachable_bot_api_at_start_up_is_retried_with_one_line_each(fake_tg, bot_settings,
                                                                       fake_engine, capsys,
                                                                       monkeypatch,
                                                                       root_logging):
    """#9: with the Bot API unreachable at boot (connections refused), the bot retries with
    growing delays, one log line per attempt, and serves once it is reachable; it does not
    exit with "Failed run number 0 of 0" and a 200-line traceback."""
    import socket
    import threading

    monkeypatch.setattr("bot.telegram.boot.BOOT_RETRY_FIRST_SECONDS", 0.05)
    monkeypatch.setattr("bot.telegram.boot.BOOT_RETRY_MAX_SECONDS", 0.4)
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        dead = probe.getsockname()[1]
    real = bot_settings.telegram_base_url
    settings = bot_settings.model_copy(update={
        "telegram_base_url": f"http://127.0.0.1:{dead}/bot"})
    switched = threading.Event()

    def come_back():  # after a few refused attempts, the network is back
        import time

        time.sleep(1.0)
        settings_box["app"].bot._base_url = real + fake_tg.token
        switched.set()
        user = fake_tg.user(43, "Budi")
        chat = fake_tg.private_chat(user)
        fake_tg.send_text(chat, user, "siapa penulisnya?")
        fake_tg.wait_for(fake_tg.replies(chat["id"]), timeout=30)
        import os
        import signal
        os.kill(os.getpid(), signal.SIGTERM)

    settings_box = {}
    from bot.telegram import app as app_module

    build = app_module.build_application

    def keep(*args, **kwargs):
        settings_box["app"] = build(*args, **kwargs)
        return settings_box["app"]

    monkeypatch.setattr(app_module, "build_application", keep)
    threading.Thread(target=come_back, daemon=True).start()
    code, err = _serve(settings, fake_engine, capsys)
    assert switched.is_set() and code == 0, err
    attempts = err.count("the Bot API cannot be reached at start-up")
    assert attempts >= 3, err
    assert "Traceback" not in err and "Failed run number" not in err
    assert "reached the Bot API at attempt" in err
