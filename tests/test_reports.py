import csv
import datetime as dt
import re

from bot import reports
from bot.storage import StoredInteraction

DAY0 = dt.datetime(2026, 11, 2, tzinfo=dt.timezone.utc).timestamp()


def _row(i, question, answered=True, language="id", day=0, up=0, down=0):
    return StoredInteraction(user_hash=f"h{i}", chat_type="private", source="message",
                             language=language, question=question, answered=answered,
                             reason=None if answered else "not_in_article",
                             at=DAY0 + day * 86400 + 60, id=i, up=up, down=down)


def test_near_duplicates_are_counted_together():
    """Case, punctuation, slang particles and word order do not split a question."""
    grouped = reports.group_questions([
        ("Apa itu paradiplomasi?", "id"), ("apa itu Paradiplomasi", "id"),
        ("paradiplomasi itu apa sih?", "id"), ("Siapa penulisnya?", "id"),
        ("What is paradiplomacy?", "en"),
    ])
    assert grouped[0] == ("Apa itu paradiplomasi?", 3)
    assert ("Siapa penulisnya?", 1) in grouped and ("What is paradiplomacy?", 1) in grouped


def test_summary_numbers():
    """Counts, shares, votes, per-day rows and the unanswered list add up."""
    rows = [_row(1, "apa itu paradiplomasi?", up=2), _row(2, "Apa itu paradiplomasi", day=1),
            _row(3, "siapa presiden indonesia?", answered=False, day=1, down=1),
            _row(4, "Who is the president?", answered=False, language="en", day=2)]
    s = reports.summarize(rows, DAY0, DAY0 + 3 * 86400)
    assert (s.questions, s.answered, s.up, s.down) == (4, 2, 2, 1)
    assert s.by_language == {"id": 3, "en": 1}
    assert [(d.day, q, a) for d, q, a in s.per_day] == [(2, 1, 1), (3, 2, 1), (4, 1, 0)]
    assert s.top_unanswered[0][1] == 1 and len(s.top_unanswered) == 2
    text = reports.stats_message(s, "en")
    assert "Questions: 4" in text and "Answered: 2 (50%)" in text and "👍 2 · 👎 1" in text


def test_html_is_self_contained_and_csv_has_no_user(tmp_path):
    """The page loads nothing from elsewhere and runs no script; the CSV names no user."""
    rows = [_row(1, "<script>x</script> apa?"), _row(2, "q2", answered=False, day=3)]
    s = reports.summarize(rows, DAY0, DAY0 + 5 * 86400)
    page = reports.report_html(s, "Kelas A")
    assert "<svg" in page and "<script>x" not in page and "&lt;script&gt;" in page
    assert not re.search(r'(src|href)="?(https?:)?//', page)
    reports.write_csv(rows, tmp_path / "r.csv")
    with open(tmp_path / "r.csv", encoding="utf-8") as f:
        header, *body = list(csv.reader(f))
    assert "user_hash" not in header and len(body) == 2
