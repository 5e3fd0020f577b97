"""Import + build of N full-text articles, end to end through the commands a maintainer runs.

    python -m bench.import_benchmark [--articles 20] [--words 4500] [--runs 3] [--delay 1.0]
    python -m bench.import_benchmark --extractors     # pdfminer.six vs pdfplumber on the PDFs

A fake journal on 127.0.0.1 serves N OJS 3.4 article pages whose citation_pdf_url points to
a two-column, ~9-page PDF of about --words words (tests/pdf_maker.py; made before timing).
Each run times, in a fresh corpus and index, the two commands as separate processes:

    python -m index import URL... --fulltext --corpus DIR --delay D
    CORPUS_DIR=DIR INDEX_DIR=... python -m index build

and prints the medians over the runs. The politeness delay is part of the import time (two
requests per article), as it is against a real journal.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests import ojs_pages
from tests.journal_server import JournalServer, Reply
from tests.pdf_maker import long_paper, make_pdf

ROOT = Path(__file__).resolve().parent.parent


def _journal(server: JournalServer, folder: Path, n: int, words: int) -> list[str]:
    urls = []
    for i in range(1, n + 1):
        pdf = make_pdf(folder / f"{i}.pdf", long_paper(i, words=words))
        pdf_url = server.add(f"/index.php/jcip/article/download/{i}/{i}0",
                             Reply(body=pdf.read_bytes(), content_type="application/pdf"))
        view = f"{server.base}/index.php/jcip/article/view/{i}"
        page = (ojs_pages.ojs34(pdf_url=pdf_url, url=view)
                .replace(ojs_pages.TITLE_CAPS, f"{ojs_pages.TITLE_CAPS}: STUDI NOMOR {i}")
                .replace(ojs_pages.DOI, f"10.12345/jcip.v7i2.{i}"))
        urls.append(server.add(f"/index.php/jcip/article/view/{i}", Reply(body=page)))
    return urls


def _timed(cmd: list[str], env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd[:4])}… failed ({done.returncode}):\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return seconds, done.stdout + done.stderr


def run_once(urls: list[str], work: Path, delay: float) -> dict[str, float | str]:
    corpus, index = work / "corpus", work / "index"
    env = {**os.environ, "CORPUS_DIR": str(corpus), "INDEX_DIR": str(index)}
    t_import, out = _timed([sys.executable, "-m", "index", "import", *urls, "--fulltext",
                            "--corpus", str(corpus), "--delay", str(delay)], env)
    if out.count("added") < len(urls):
        sys.exit(f"import did not add every article:\n{out}")
    t_build, out = _timed([sys.executable, "-m", "index", "build", "--full"], env)
    passages = next((line for line in out.splitlines() if line.startswith("Built index")), out)
    return {"import": t_import, "build": t_build, "total": t_import + t_build, "summary": passages}


def extractors(folder: Path) -> None:
    """Seconds per page of pdfminer.six's layout (what index/importers/pdf.py uses) and of
    pdfplumber's text lines, on the same PDFs; and whether they see the same text."""
    import pdfplumber
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams

    pdfs = sorted(folder.glob("*.pdf"))
    miner, plumber, pages = [], [], 0
    chars_miner = chars_plumber = 0
    for pdf in pdfs:
        start = time.perf_counter()
        n = 0
        for layout in extract_pages(str(pdf), laparams=LAParams()):
            n += 1
            chars_miner += sum(len("".join(getattr(b, "get_text", lambda: "")().split()))
                               for b in layout)
        miner.append((time.perf_counter() - start) / n)
        start = time.perf_counter()
        with pdfplumber.open(pdf) as doc:
            for page in doc.pages:
                lines = page.extract_text_lines()
                chars_plumber += sum(len("".join(line["text"].split())) for line in lines)
        plumber.append((time.perf_counter() - start) / n)
        pages += n
    print(f"{len(pdfs)} PDFs, {pages} pages")
    print(f"pdfminer.six extract_pages(LAParams): median {statistics.median(miner) * 1000:.0f} ms/page, "
          f"{chars_miner} non-space characters")
    print(f"pdfplumber extract_text_lines:        median {statistics.median(plumber) * 1000:.0f} ms/page, "
          f"{chars_plumber} non-space characters")


def main(argv: list[str] | None = None) -> int:
    """Import + build benchmark (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=20)
    parser.add_argument("--words", type=int, default=4500, help="body words per article")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--delay", type=float, default=1.0, help="import's pause between requests")
    parser.add_argument("--extractors", action="store_true",
                        help="compare pdfminer.six and pdfplumber on the PDFs instead")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp, JournalServer() as server:
        folder = Path(tmp) / "pdfs"
        folder.mkdir()
        urls = _journal(server, folder, args.articles, args.words)
        if args.extractors:
            extractors(folder)
            return 0
        rows = []
        for run in range(args.runs):
            row = run_once(urls, Path(tmp) / f"run{run}", args.delay)
            rows.append(row)
            print(f"run {run + 1}: import {float(row['import']):.1f} s, build "
                  f"{float(row['build']):.1f} s, total {float(row['total']):.1f} s  "
                  f"({row['summary']})", flush=True)
        med = {k: statistics.median(float(r[k]) for r in rows) for k in ("import", "build", "total")}
        load = os.getloadavg()[0]
        print(f"median of {args.runs}: import {med['import']:.1f} s + build {med['build']:.1f} s = "
              f"{med['total']:.1f} s for {args.articles} full-text articles "
              f"(~{args.words} body words each, delay {args.delay} s; load average {load:.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
