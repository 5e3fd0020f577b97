"""The lecturer's report and QR codes in a real browser: Debian's chromium, headless, driven by
Playwright (its own browser download is not used). Screenshots go to test-output/browser/
(or $SCREENSHOT_DIR) for a developer to look at."""

from __future__ import annotations

import base64
import datetime as dt
import os
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import zxingcpp
from PIL import Image

from bot import qr, reports
from tests.fakes import class_rows

ROOT = Path(__file__).resolve().parent.parent
SHOTS = Path(os.environ.get("SCREENSHOT_DIR", ROOT / "test-output" / "browser"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
MIN_LABEL_PX = 10  # smallest chart text a phone user can read
# One xdist worker runs this file (make test-fast: --dist loadgroup): chromium starts once.
pytestmark = pytest.mark.xdist_group("chromium")
TZ = ZoneInfo("Asia/Jakarta")
RANGES = {"week": 7, "30days": 30, "semester": 111}
WIDTHS = (1280, 390)  # a laptop, a phone

LABELS_JS = """() => {
  const out = [];
  for (const fig of document.querySelectorAll('figure')) {
    if (getComputedStyle(fig).display === 'none') continue;
    const svg = fig.querySelector('svg');
    const scale = svg.getScreenCTM().a;
    for (const t of svg.querySelectorAll('text')) {
      const r = t.getBoundingClientRect();
      out.push({text: t.textContent, x: r.left, y: r.top, w: r.width, h: r.height,
                px: parseFloat(t.getAttribute('font-size')) * scale});
    }
  }
  return {labels: out, scrollWidth: document.documentElement.scrollWidth,
          lang: document.documentElement.lang};
}"""


def chromium_path() -> str:
    path = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists()
                                        else None)
    if path is None:
        pytest.fail("chromium is not installed: run `make browser` (apt-get install -y chromium)")
    return path


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield b
        b.close()


def _report(days: int, language: str = "id") -> tuple[str, reports.Summary]:
    since = dt.date(2026, 9, 1)
    until = since + dt.timedelta(days=days - 1)
    rows = class_rows(reports.day_start(since, TZ), days, seed=days)
    s = reports.summarize(rows, since, until, TZ, top=reports.REPORT_TOP)
    return reports.report_html(s, f"Kelas A: {since} – {until}", language), s


def _overlaps(a: dict, b: dict, slack: float = 0.5) -> bool:
    return (a["x"] + slack < b["x"] + b["w"] and b["x"] + slack < a["x"] + a["w"]
            and a["y"] + slack < b["y"] + b["h"] and b["y"] + slack < a["y"] + a["h"])


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", RANGES)
def test_report_chart_labels_readable_and_apart(browser, name, width):
    """At laptop and phone width, every chart label is ≥ 10 px, none touches another, and the
    page does not scroll sideways; one-week reports have a bar per day, longer ones per week."""
    page_html, summary = _report(RANGES[name])
    assert len(summary.buckets) == {"week": 7, "30days": 5, "semester": 16}[name]
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        page.set_content(page_html)
        found = page.evaluate(LABELS_JS)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"report-{name}-{width}.png"), full_page=True)
    finally:
        page.close()
    labels = found["labels"]
    assert found["lang"] == "id"
    assert found["scrollWidth"] <= width
    # the y-axis has counts; percentages where a bar is wide enough (a week's bars always are)
    assert any(label["text"] == "0" for label in labels)
    if name == "week":
        assert sum(label["text"].endswith("%") for label in labels) == 6  # Saturday is empty
    small = [(label["text"], round(label["px"], 1)) for label in labels
             if label["px"] < MIN_LABEL_PX]
    assert small == []
    touching = [(a["text"], b["text"]) for i, a in enumerate(labels) for b in labels[i + 1:]
                if _overlaps(a, b)]
    assert touching == []


def test_report_speaks_english_when_asked(browser):
    """--lang en: the page is in English and says so in its lang attribute."""
    page_html, _ = _report(7, "en")
    page = browser.new_page(viewport={"width": 390, "height": 900})
    try:
        page.set_content(page_html)
        lang = page.evaluate("() => document.documentElement.lang")
        heading = page.inner_text("h2")
    finally:
        page.close()
    assert lang == "en" and heading == "Questions per day"


def test_svg_qr_code_scans_on_a_dark_slide(browser, tmp_path):
    """The SVG QR code, scaled by CSS on a near-black page, still decodes (white card with its
    quiet zone), and its caption is drawn under it."""
    link = "https://t.me/TanyaParadiplomasiBot?start=sa0123456789"
    svg = qr.svg(link, "Bagaimana peran kepala daerah dalam paradiplomasi?")
    src = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    page = browser.new_page(viewport={"width": 700, "height": 700})
    try:
        page.set_content(f'<body style="background:#111;margin:40px"><img src="{src}" '
                         'style="width:360px"></body>')
        page.wait_for_function("() => document.images[0].complete")
        shot = tmp_path / "dark.png"
        page.screenshot(path=str(shot))
        SHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, SHOTS / "qr-svg-on-dark.png")
        height = page.evaluate("() => document.images[0].getBoundingClientRect().height")
    finally:
        page.close()
    assert [r.text for r in zxingcpp.read_barcodes(Image.open(shot))] == [link]
    assert height > 360  # taller than wide: the caption is under the code
