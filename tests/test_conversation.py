"""Conversations: bounded, forgotten after an idle time, one lock each."""

from index.conversation import Conversations, Turn


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _turn(question: str) -> Turn:
    return Turn(question, "id", "passage", None, ("p1", "p2"), ("p1",))


def test_a_conversation_keeps_its_turns_until_idle():
    """The same key gives the same conversation; after the idle time, a fresh one."""
    clock = Clock()
    conversations = Conversations(idle_seconds=60, clock=clock)
    conversations.get("a").add(_turn("apa itu paradiplomasi"))
    clock.now = 59
    last = conversations.get("a").last
    assert last is not None and last.question == "apa itu paradiplomasi"
    clock.now = 59 + 61
    assert conversations.get("a").last is None


def test_least_recently_used_conversations_are_dropped_first():
    """At most max_conversations are kept; the one used longest ago goes first."""
    conversations = Conversations(max_conversations=2, clock=Clock())
    for key in ("a", "b"):
        conversations.get(key).add(_turn(key))
    conversations.get("a")  # used again: "b" is now the oldest
    conversations.get("c")
    assert len(conversations) == 2
    kept = conversations.get("a").last
    assert kept is not None and kept.question == "a"
    assert conversations.get("b").last is None


def test_turns_are_bounded_and_forget_removes_a_conversation():
    """Only the last few turns are kept; forget() drops the whole conversation."""
    conversations = Conversations(clock=Clock())
    conversation = conversations.get("a")
    for i in range(10):
        conversation.add(_turn(str(i)))
    assert len(conversation.turns) < 10
    assert conversation.last is not None and conversation.last.question == "9"
    conversations.forget("a")
    assert conversations.get("a").last is None
