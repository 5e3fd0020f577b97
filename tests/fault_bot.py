"""`python -m tests.fault_bot`: the bot as `python -m bot` serves (settings from the
environment, the store, start-up against the Bot API, long polling, SIGTERM), over the
fake embedder, so that tests/test_fault_injection.py can kill, lock and corrupt around a
real process without the real model."""

from __future__ import annotations

import sys

from bot.cli import main, read_settings
from tests.conftest import make_engine
from tests.fakes import FakeEmbedder


def run() -> int:
    settings = read_settings()
    if settings is None:
        return 1
    return main([], settings=settings, engine=make_engine(settings, FakeEmbedder()))


if __name__ == "__main__":
    sys.exit(run())
