"""Seeded synthetic data for scale tests and benchmarks.

* :func:`write_corpus`: abstract-like articles in Indonesian and English (parallel sentence
  by sentence), valid corpus TOML files, for build benchmarks with the real embedder.
* :func:`search_data`: clustered unit vectors of the real dimension and Zipf-distributed
  passage terms with topical words per cluster, plus queries near known passages, for search
  benchmarks at 100k-1M passages without embedding them.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

TOPICS = [  # (Indonesian, English)
    ("paradiplomasi", "paradiplomacy"), ("otonomi daerah", "regional autonomy"),
    ("kerja sama internasional", "international cooperation"), ("investasi asing", "foreign investment"),
    ("ekspor daerah", "regional exports"), ("kota kembar", "sister cities"),
    ("pariwisata", "tourism"), ("pembangunan berkelanjutan", "sustainable development"),
    ("tata kelola", "governance"), ("diplomasi ekonomi", "economic diplomacy"),
    ("perdagangan lintas batas", "cross-border trade"), ("usaha kecil", "small businesses"),
    ("kapasitas kelembagaan", "institutional capacity"), ("kebijakan publik", "public policy"),
    ("desentralisasi", "decentralisation"), ("globalisasi", "globalisation"),
]
ACTORS = [("pemerintah provinsi", "provincial governments"), ("wali kota", "mayors"),
          ("gubernur", "governors"), ("bupati", "regents"), ("pelaku usaha", "businesses")]
TEMPLATES = [
    ("Penelitian ini membahas {t1} dalam konteks {t2}.",
     "This study discusses {t1} in the context of {t2}."),
    ("Peran {a} sangat menentukan keberhasilan {t1}.",
     "The role of {a} largely determines the success of {t1}."),
    ("Data menunjukkan bahwa {t2} meningkatkan {t3} di tingkat daerah.",
     "The data show that {t2} improves {t3} at the regional level."),
    ("Artikel ini menggunakan metode kualitatif untuk menganalisis {t3}.",
     "This article uses a qualitative method to analyse {t3}."),
    ("Hambatan utama {t1} adalah keterbatasan {t2}.",
     "The main obstacle to {t1} is limited {t2}."),
    ("Kesimpulannya, {a} perlu memperkuat {t3} melalui {t1}.",
     "In conclusion, {a} need to strengthen {t3} through {t1}."),
]
FIRST = ["Ayu", "Budi", "Citra", "Dewi", "Eko", "Fajar", "Gita", "Hadi", "Indah", "Joko"]
LAST = ["Santoso", "Wijaya", "Pratama", "Lestari", "Nugroho", "Hidayat", "Saputra", "Rahayu"]


def document_toml(i: int, rng: np.random.Generator) -> str:
    picks = rng.choice(len(TOPICS), size=3, replace=False)
    (t1i, t1e), (t2i, t2e), (t3i, t3e) = (TOPICS[j] for j in picks)
    a_i, a_e = ACTORS[int(rng.integers(len(ACTORS)))]
    order = rng.permutation(len(TEMPLATES))[: int(rng.integers(4, 7))]
    fill_i = {"t1": t1i, "t2": t2i, "t3": t3i, "a": a_i}
    fill_e = {"t1": t1e, "t2": t2e, "t3": t3e, "a": a_e}
    abstract_id = " ".join(TEMPLATES[k][0].format(**fill_i) for k in order)
    abstract_en = " ".join(TEMPLATES[k][1].format(**fill_e) for k in order)
    author = f"{FIRST[int(rng.integers(len(FIRST)))]} {LAST[int(rng.integers(len(LAST)))]}"
    return (f'title = "{t1i.capitalize()} dan {t2i} dalam pembangunan daerah {i}"\n'
            f'language = "id"\npublished = 20{20 + i % 6}-0{1 + i % 9}-1{i % 10}\n'
            f'keywords = ["{t1i}", "{t2i}", "{t3i}"]\n\n'
            f'[[authors]]\nname = "{author}"\naffiliation = "Universitas Contoh"\n\n'
            f'[translation.en]\ntitle = "{t1e.capitalize()} and {t2e} in regional development {i}"\n\n'
            f'[abstract]\nid = """\n{abstract_id}\n"""\nen = """\n{abstract_en}\n"""\n')


def write_corpus(folder: Path, documents: int, seed: int = 0, start: int = 0) -> list[Path]:
    """``documents`` synthetic articles as ``folder/synthetic-<n>.toml``; same seed, same files."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + documents):
        rng = np.random.default_rng([seed, i])
        path = folder / f"synthetic-{i:06d}.toml"
        path.write_text(document_toml(i, rng), encoding="utf-8")
        paths.append(path)
    return paths


@dataclass(frozen=True)
class SearchData:
    xb: np.ndarray  # (n, d) unit vectors
    term_ids: np.ndarray  # flat term ids of every passage
    doc_of_term: np.ndarray  # passage of each entry of term_ids
    lengths: np.ndarray  # terms per passage
    vocabulary: int
    xq: np.ndarray  # queries: a passage's vector plus noise
    query_terms: list[list[int]]
    query_source: np.ndarray  # the passage each query was made from


SPREAD = 1.3  # noise around a cluster centre, relative to the centre's length: clusters overlap
QUERY_NOISE = 0.8  # how far a query lies from the passage it was made from


def search_data(n: int, d: int = 384, queries: int = 200, seed: int = 0, clusters: int = 1000,
                vocabulary: int = 50_000, terms_per_passage: int = 20) -> SearchData:
    """Vectors in ``clusters`` topical clusters; terms Zipf-distributed with each cluster's own
    topical words mixed in; queries near random passages, with three of their terms."""
    rng = np.random.default_rng(seed)
    centers = rng.standard_normal((clusters, d)).astype(np.float32)
    centers /= np.linalg.norm(centers, axis=1, keepdims=True)
    cluster = rng.integers(clusters, size=n)
    xb = np.empty((n, d), dtype=np.float32)
    for lo in range(0, n, 100_000):  # in chunks: bounded temporary memory
        hi = min(n, lo + 100_000)
        noise = rng.standard_normal((hi - lo, d)).astype(np.float32) * (SPREAD / np.sqrt(d))
        xb[lo:hi] = centers[cluster[lo:hi]] + noise
    xb /= np.linalg.norm(xb, axis=1, keepdims=True)
    zipf = np.minimum(rng.zipf(1.1, size=n * terms_per_passage) - 1, vocabulary - 1)
    topical = (cluster[:, None] * 7 + rng.integers(7, size=(n, 5))) % vocabulary
    term_ids = np.concatenate([zipf.reshape(n, -1), topical], axis=1)
    lengths = np.full(n, term_ids.shape[1], dtype=np.float32)
    source = rng.integers(n, size=queries)
    xq = xb[source] + rng.standard_normal((queries, d)).astype(np.float32) * (QUERY_NOISE /
                                                                               np.sqrt(d))
    xq /= np.linalg.norm(xq, axis=1, keepdims=True)
    query_terms = [list(rng.choice(term_ids[s], size=3, replace=False)) for s in source]
    return SearchData(xb, term_ids.ravel().astype(np.int64),
                      np.repeat(np.arange(n, dtype=np.int64), term_ids.shape[1]), lengths,
                      vocabulary, xq.astype(np.float32), query_terms, source)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.synthetic",
                                     description="Write a seeded synthetic corpus.")
    parser.add_argument("folder", type=Path)
    parser.add_argument("--documents", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    paths = write_corpus(args.folder, args.documents, args.seed)
    print(f"wrote {len(paths)} documents to {args.folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
