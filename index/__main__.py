"""Maintainers' commands for the corpus and the search index.

Commands:
  build       build the index from corpus/ (incremental; --if-stale, --full)
  evaluate    quality on a labelled question file (alias: python -m index.evaluate)
  calibrate   fit the answerability model for the current embedder
  import      add articles to corpus/: OJS pages, OAI-PMH harvests, PDFs (docs/import.md)

Each command has --help. Settings (EMBEDDER, EMBEDDING_MODEL, CORPUS_DIR, INDEX_DIR) come
from the environment or .env; see .env.example.
Exit codes: 0 done, 1 a problem (corpus, model, disk), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from index import build, calibrate, evaluate
from index.embedders import wait_passively
from index.importers import cli as import_cli

COMMANDS: dict[str, tuple[Callable[[list[str]], int], str]] = {
    "build": (build.main, "build the index from the corpus"),
    "evaluate": (evaluate.main, "quality on a labelled question file"),
    "calibrate": (calibrate.main, "fit the answerability model"),
    "import": (import_cli.main, "add articles to the corpus from journals"),
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m index", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (_, summary) in COMMANDS.items():
        sub.add_parser(name, help=summary, add_help=False)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Dispatch ``python -m index COMMAND ARGS...`` to the command's own ``main``."""
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] not in COMMANDS:
        _parser().parse_args(argv[:1])  # prints usage and exits 2 (or help, exit 0)
        return 2
    command, _ = COMMANDS[argv[0]]
    wait_passively()  # (evaluate, calibrate and build run the model many times)
    return command(argv[1:])


if __name__ == "__main__":
    sys.exit(main())
