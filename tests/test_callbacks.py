import pytest

from bot.telegram import callbacks
from bot.telegram.callbacks import (
    MAX_CALLBACK_BYTES,
    More,
    SetLanguage,
    Suggestion,
    Translate,
    Vote,
)


@pytest.mark.parametrize("action", [
    Translate("a1b2c3", (0,)), Translate("ffffff", (9_999_999,)),
    Translate("ffffff", (9_999_999, 9_999_998)), More("a1b2c3", (1, 2, 3)),
    More("000000", (9_999_999,) * 6), Suggestion("id", 0), Suggestion("en", 3),
    SetLanguage("auto"), SetLanguage("en"), Vote(1, 1), Vote(999_999_999_999_999, -1),
])
def test_round_trip_within_64_bytes(action):
    """Every action encodes to at most 64 bytes and decodes back to itself."""
    data = callbacks.encode(action)
    assert len(data.encode()) <= MAX_CALLBACK_BYTES
    assert callbacks.decode(data) == action


@pytest.mark.parametrize("data", [
    None, "", "tr", "tr:a1b2c3", "tr:A1B2C3:1", "tr:a1b2c3:-1", "tr:a1b2c3:1:2", "tr:a1b2c3:1,2,3", "tr:a1b2c3:1,", "mo:a1b2c3:",
    "mo:a1b2c3:1,2,3,4,5,6,7", "sg:fr:1", "sg:id:123", "lg:de", "xx:1", "tr:a1b2c3:1 ",
    "lg:auto" + "x" * 80, "tr:a1b2c3:99999999", "fb:1:x", "fb::u", "fb:1234567890123456:u",
])
def test_tampered_data_is_rejected(data):
    """Data that is not exactly one of our formats decodes to None, never raises."""
    assert callbacks.decode(data) is None
