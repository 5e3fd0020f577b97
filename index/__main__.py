"""Maintainers' script: build the search index from corpus/.

Reads every document in the corpus folder, checks it, cuts it into passages in Indonesian
and English, embeds them and writes a new index next to the old one, switching over only
when it is complete. Settings (EMBEDDER, EMBEDDING_MODEL, CORPUS_DIR, INDEX_DIR) come from
the environment or .env; see .env.example.

Exit codes: 0 built (or already up to date with --if-stale), 1 a problem (corpus, model,
disk), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from index.build import build_index, is_fresh, print_progress
from index.corpus import CorpusError
from index.embedders import EmbedderError
from index.settings import Settings

logger = logging.getLogger("index")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m index", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    build = sub.add_parser("build", help="build the index from the corpus",
                           description="Build the index from the corpus folder.")
    build.add_argument("--corpus", type=Path, help="corpus folder (default: CORPUS_DIR, corpus/)")
    build.add_argument("--index-dir", type=Path,
                       help="index folder (default: INDEX_DIR, data/index/)")
    build.add_argument("--if-stale", action="store_true",
                       help="do nothing if the index already matches the corpus and embedder")
    build.add_argument("--full", action="store_true",
                       help="embed every passage again (default: reuse unchanged ones)")
    build.add_argument("--quiet", action="store_true", help="no progress line")
    return parser


def main(argv: list[str] | None = None, settings: Settings | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = settings or Settings()
    logging.basicConfig(level=settings.log_level, format="%(levelname)s %(name)s: %(message)s")
    corpus = args.corpus or settings.corpus_dir
    index_dir = args.index_dir or settings.index_dir
    try:
        embedder = settings.make_embedder()
        if args.if_stale and is_fresh(index_dir, corpus, embedder):
            print(f"Index in {index_dir} is up to date.")
            return 0
        summary = build_index(corpus, index_dir, embedder,
                              progress=None if args.quiet else print_progress,
                              index_kind=settings.index_type,
                              ann_threshold=settings.ann_threshold,
                              incremental=not args.full)
    except CorpusError as exc:
        print(f"The corpus has {len(exc.problems)} problem(s); the index was not changed:",
              file=sys.stderr)
        for line in exc.problems:
            print(f"  {line}", file=sys.stderr)
        return 1
    except EmbedderError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: cannot write the index in {index_dir}: {exc.strerror or exc}",
              file=sys.stderr)
        return 1
    print(summary.describe())
    return 0


if __name__ == "__main__":
    sys.exit(main())
