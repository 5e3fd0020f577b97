import string

from hypothesis import given, settings
from hypothesis import strategies as st

from bot import deeplinks
from bot.deeplinks import AskQuestion, AskStored, ChooseLanguage

questions = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp", "Co", "Cn")),
    min_size=1, max_size=200,
).map(str.strip).filter(lambda q: q and q.isprintable())
languages = st.sampled_from(["auto", "id", "en"])


@given(questions, languages)
def test_question_payload_round_trips_or_is_too_long(question, language):
    """Any question either fits a valid payload that decodes back to it, or reports None."""
    payload = deeplinks.inline_payload(question, language)
    if payload is None:
        assert len(deeplinks._b64encode(question)) + 2 > deeplinks.MAX_PAYLOAD
        return
    assert deeplinks.PAYLOAD_RE.match(payload) and len(payload) <= 64
    assert deeplinks.decode(payload) == AskQuestion(question, language)


@given(st.text(alphabet=string.ascii_letters + string.digits, min_size=6, max_size=20), languages)
def test_stored_payload_round_trips(link_id, language):
    """A stored question's id and language survive the payload."""
    payload = deeplinks.stored_payload(link_id, language)
    assert deeplinks.PAYLOAD_RE.match(payload)
    assert deeplinks.decode(payload) == AskStored(link_id, language)


@settings(max_examples=500)
@given(st.text(max_size=80))
def test_decode_never_raises(payload):
    """Whatever arrives as a start parameter, decoding returns a link or None."""
    result = deeplinks.decode(payload)
    assert result is None or isinstance(result, (AskQuestion, AskStored, ChooseLanguage))


def test_examples():
    """Language links, malformed and tampered payloads."""
    assert deeplinks.decode(deeplinks.language_payload("en")) == ChooseLanguage("en")
    for bad in [None, "", "x", "zzabc", "qx" + "QQ", "qi", "qi***", "qi" + "A" * 63, "s", "si12"]:
        assert deeplinks.decode(bad) is None, bad
    short = deeplinks.inline_payload("Apa itu paradiplomasi?", "id")
    assert short is not None
    assert deeplinks.decode(short[:-1]) is None  # truncated base64 is not canonical
    assert deeplinks.bot_link("@TanyaBot", short) == f"https://t.me/TanyaBot?start={short}"
