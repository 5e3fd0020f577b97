import os
import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.settings import BotSettings

ROOT = Path(__file__).resolve().parent.parent


def test_env_example_lists_every_setting():
    """.env.example names exactly the settings the code reads."""
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    listed = set(re.findall(r"^([A-Z_]+)=", text, flags=re.M))
    assert listed == {name.upper() for name in BotSettings.model_fields}


def test_env_example_values_are_valid(monkeypatch):
    """The example file, used as a .env, gives valid settings."""
    for key in list(BotSettings.model_fields):
        monkeypatch.delenv(key.upper(), raising=False)
    settings = BotSettings(_env_file=ROOT / ".env.example")
    assert settings.telegram_bot_token is None and settings.admin_ids == []


def test_token_never_appears_in_validation_errors():
    """A malformed token is reported without its value."""
    secret = "123456:this-is-not-valid!!"
    with pytest.raises(ValidationError) as info:
        BotSettings(_env_file=None, telegram_bot_token=secret)
    assert secret not in str(info.value)
    assert "this-is-not" not in repr(info.value.errors(include_input=False))  # as the CLI prints


def test_embedding_workers_and_batch_sizes(monkeypatch):
    """auto: one worker per core and small batches; 0: in the bot's process, big batches;
    out-of-range values are refused with the setting's name."""
    cores = len(os.sched_getaffinity(0))
    auto = BotSettings(_env_file=None)
    assert auto.embed_worker_count() == cores and auto.embed_batch_size() == 8
    monkeypatch.setenv("EMBED_WORKERS", "0")
    in_process = BotSettings(_env_file=None)
    assert in_process.embed_worker_count() == 0 and in_process.embed_batch_size() == 64
    monkeypatch.setenv("EMBED_BATCH_MAX", "16")
    assert BotSettings(_env_file=None).embed_batch_size() == 16
    for name, bad in (("EMBED_WORKERS", "-1"), ("EMBED_WORKERS", "many"),
                      ("EMBED_BATCH_MAX", "0")):
        monkeypatch.setenv(name, bad)
        with pytest.raises(ValidationError, match=name.lower()):
            BotSettings(_env_file=None)
        monkeypatch.delenv(name)
