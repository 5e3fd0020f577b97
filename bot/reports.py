"""What students ask: summaries for /stats and the lecturer's report (HTML page and CSV)."""

from __future__ import annotations

import csv
import datetime as dt
import html
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.storage import StoredInteraction
from index.text import Analyzer, normalize

TOP = 5  # questions listed in each "most ..." list
SAME_QUESTION_JACCARD = 0.6  # share of stemmed content words two questions must share
DAY = 86400


@dataclass(frozen=True)
class Summary:
    since: float
    until: float
    questions: int
    answered: int
    by_language: dict[str, int]
    up: int
    down: int
    top_asked: list[tuple[str, int]]
    top_unanswered: list[tuple[str, int]]
    per_day: list[tuple[dt.date, int, int]]  # day, questions, answered

    @property
    def answered_share(self) -> float:
        return self.answered / self.questions if self.questions else 0.0


_analyzers: dict[str, Analyzer] = {}


def _terms(question: str, language: str) -> frozenset[str]:
    analyzer = _analyzers.setdefault(language, Analyzer(language if language in ("id", "en") else "id"))
    return frozenset(analyzer.terms(question))


def group_questions(questions: Sequence[tuple[str, str]], top: int = TOP) -> list[tuple[str, int]]:
    """The most frequent questions, near-duplicates counted together.

    Two questions are the same when they share most stemmed content words (Jaccard ≥ 0.6):
    "apa itu paradiplomasi?", "Apa itu Paradiplomasi", "paradiplomasi itu apa sih" are one.
    Each group is shown by its most frequent wording, as first typed."""
    exact: Counter = Counter()
    shown: dict[tuple[str, str], str] = {}
    for q, lang in questions:
        key = (normalize(q).lower().rstrip("?!. "), lang)
        exact[key] += 1
        shown.setdefault(key, normalize(q))
    groups: list[dict] = []
    for (text, lang), n in exact.most_common():
        terms = _terms(text, lang) or frozenset([text])
        for g in groups:
            union = g["terms"] | terms
            if g["language"] == lang and len(g["terms"] & terms) / len(union) >= SAME_QUESTION_JACCARD:
                g["count"] += n
                break
        else:
            groups.append({"terms": terms, "language": lang, "count": n,
                           "text": shown[(text, lang)]})
    groups.sort(key=lambda g: (-g["count"], g["text"]))
    return [(g["text"], g["count"]) for g in groups[:top]]


def summarize(rows: Sequence[StoredInteraction], since: float, until: float,
              top: int = TOP) -> Summary:
    days: dict[dt.date, list[int]] = {}
    first = dt.datetime.fromtimestamp(since, dt.timezone.utc).date()
    last = dt.datetime.fromtimestamp(max(since, until - 1), dt.timezone.utc).date()
    day = first
    while day <= last:
        days[day] = [0, 0]
        day += dt.timedelta(days=1)
    for r in rows:
        d = dt.datetime.fromtimestamp(r.at, dt.timezone.utc).date()
        slot = days.setdefault(d, [0, 0])
        slot[0] += 1
        slot[1] += int(r.answered)
    return Summary(
        since=since, until=until, questions=len(rows),
        answered=sum(r.answered for r in rows),
        by_language=dict(Counter(r.language for r in rows).most_common()),
        up=sum(r.up for r in rows), down=sum(r.down for r in rows),
        top_asked=group_questions([(r.question, r.language) for r in rows], top),
        top_unanswered=group_questions([(r.question, r.language) for r in rows
                                        if not r.answered and r.reason == "not_in_article"], top),
        per_day=[(d, n, a) for d, (n, a) in sorted(days.items())],
    )


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "—"


LABELS = {
    "id": {"title": "Statistik 7 hari terakhir", "questions": "Pertanyaan", "answered": "Terjawab",
           "languages": "Bahasa", "votes": "Penilaian", "top": "Paling sering ditanyakan",
           "unanswered": "Paling sering tidak terjawab", "none": "—"},
    "en": {"title": "Statistics, last 7 days", "questions": "Questions", "answered": "Answered",
           "languages": "Languages", "votes": "Votes", "top": "Most asked",
           "unanswered": "Most often not answered", "none": "—"},
}


def stats_message(s: Summary, language: str) -> str:
    """The /stats reply (Telegram HTML)."""
    L = LABELS[language]
    esc = lambda x: html.escape(str(x), quote=False)  # noqa: E731
    langs = ", ".join(f"{k} {_pct(v, s.questions)}" for k, v in s.by_language.items()) or L["none"]

    def listing(items):
        return "\n".join(f"{n}× {esc(q)}" for q, n in items) or L["none"]

    return (f"<b>{L['title']}</b>\n"
            f"{L['questions']}: {s.questions}\n"
            f"{L['answered']}: {s.answered} ({_pct(s.answered, s.questions)})\n"
            f"{L['languages']}: {langs}\n"
            f"{L['votes']}: 👍 {s.up} · 👎 {s.down}\n\n"
            f"<b>{L['top']}</b>\n{listing(s.top_asked)}\n\n"
            f"<b>{L['unanswered']}</b>\n{listing(s.top_unanswered)}")


CSV_FIELDS = ("id", "time_utc", "chat_type", "source", "language", "question", "answered",
              "reason", "passage_id", "document", "score", "up", "down")


def write_csv(rows: Sequence[StoredInteraction], path: Path) -> None:
    """One row per question. No user column: lecturers see questions, not who asked."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(CSV_FIELDS)
        for r in rows:
            when = dt.datetime.fromtimestamp(r.at, dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
            writer.writerow([r.id, when, r.chat_type, r.source, r.language, r.question,
                             int(r.answered), r.reason or "", r.passage_id or "", r.document or "",
                             "" if r.score is None else f"{r.score:.4f}", r.up, r.down])


def _chart_svg(per_day: list[tuple[dt.date, int, int]]) -> str:
    """Questions per day as bars, the answered part in the darker colour, share on top."""
    width, height, pad, label_h = 760, 240, 30, 40
    n = max(len(per_day), 1)
    peak = max((q for _, q, _ in per_day), default=0) or 1
    bar_w = (width - 2 * pad) / n
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height + label_h}" '
             f'role="img" aria-label="Questions per day and answered share">']
    for i, (day, q, a) in enumerate(per_day):
        x = pad + i * bar_w
        h_total = (height - 2 * pad) * q / peak
        h_ans = (height - 2 * pad) * a / peak
        y0 = height - pad
        parts.append(f'<rect x="{x + 2:.1f}" y="{y0 - h_total:.1f}" width="{max(bar_w - 4, 1):.1f}" '
                     f'height="{h_total:.1f}" fill="#f4a259"><title>{day}: {q} questions'
                     f'</title></rect>')
        parts.append(f'<rect x="{x + 2:.1f}" y="{y0 - h_ans:.1f}" width="{max(bar_w - 4, 1):.1f}" '
                     f'height="{h_ans:.1f}" fill="#2a9d8f"><title>{day}: {a} answered</title></rect>')
        if q:
            parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{y0 - h_total - 4:.1f}" font-size="11" '
                         f'text-anchor="middle">{_pct(a, q)}</text>')
        if n <= 31 or i % max(n // 15, 1) == 0:
            parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{height - pad + 14}" font-size="10" '
                         f'text-anchor="middle">{day.strftime("%d/%m")}</text>')
    parts.append("</svg>")
    return "".join(parts)


def report_html(s: Summary, title: str) -> str:
    """A self-contained page (inline CSS and SVG, no scripts or external files)."""
    esc = lambda x: html.escape(str(x))  # noqa: E731
    since = dt.datetime.fromtimestamp(s.since, dt.timezone.utc).date()
    until = dt.datetime.fromtimestamp(s.until - 1, dt.timezone.utc).date()

    def table(items, head):
        rows = "".join(f"<tr><td>{n}</td><td>{esc(q)}</td></tr>" for q, n in items)
        return (f"<table><tr><th>×</th><th>{head}</th></tr>{rows or '<tr><td colspan=2>—</td></tr>'}"
                "</table>")

    langs = "".join(f"<li>{esc(k)}: {v} ({_pct(v, s.questions)})</li>"
                    for k, v in s.by_language.items())
    days = "".join(f"<tr><td>{d}</td><td>{q}</td><td>{a}</td><td>{_pct(a, q)}</td></tr>"
                   for d, q, a in s.per_day)
    return f"""<!doctype html>
<html lang="id"><head><meta charset="utf-8"><title>{esc(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{{font-family:system-ui,sans-serif;max-width:820px;margin:2em auto;padding:0 1em;color:#222}}
h1{{font-size:1.4em}} table{{border-collapse:collapse;margin:.5em 0 1.5em}}
td,th{{border-bottom:1px solid #ddd;padding:.3em .6em;text-align:left;vertical-align:top}}
.kpi{{display:flex;gap:1.5em;flex-wrap:wrap}} .kpi div{{background:#f3f6f8;padding:.6em 1em;border-radius:6px}}
.kpi b{{display:block;font-size:1.5em}} .legend span{{display:inline-block;width:1em;height:1em;vertical-align:middle}}
</style></head><body>
<h1>{esc(title)}</h1>
<p>{since} – {until} (UTC)</p>
<div class="kpi"><div><b>{s.questions}</b>questions</div>
<div><b>{_pct(s.answered, s.questions)}</b>answered</div>
<div><b>👍 {s.up} · 👎 {s.down}</b>votes</div></div>
<h2>Questions per day</h2>
<p class="legend"><span style="background:#2a9d8f"></span> answered
<span style="background:#f4a259"></span> not answered; the percentage is the answered share</p>
{_chart_svg(s.per_day)}
<h2>Languages</h2><ul>{langs or '<li>—</li>'}</ul>
<h2>Most asked</h2>{table(s.top_asked, "question")}
<h2>Most often not answered</h2>{table(s.top_unanswered, "question")}
<h2>Per day</h2><table><tr><th>day</th><th>questions</th><th>answered</th><th>share</th></tr>{days}</table>
<p><small>No names, usernames or Telegram ids are stored; see the README's privacy section.</small></p>
</body></html>
"""
