"""Import articles into the corpus: OJS article pages, OAI-PMH harvests, PDFs, copied page text.

    python -m index import SOURCE... [--corpus DIR] [--force] [--dry-run] [--fulltext]
    python -m index import --oai https://host/index.php/JOURNAL/oai [--set SPEC] [--from DATE]

SOURCE is an OJS article page (a URL, or the page saved as .html), the page's text as copied
from a browser (.txt), or a PDF of an article already in the corpus (a file with --into ID,
or a URL that is a document's pdf_url). --fulltext also fetches each page's (or harvested
record's) PDF and adds its text, which becomes passages cited with section and page.

Prints one line per article: added, updated, unchanged, skipped (a file a person wrote or
edited: the difference is shown; --force replaces it) or failed (with the reason; the others
go on). Never writes a file the build would refuse. Then run `python -m index build`.
Exit codes: 0 all imported, 1 some source failed, 2 wrong usage.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TypeVar

from index.corpus import CorpusError, load_document
from index.importers.article import Article, BodySection, from_document
from index.importers.browser import NotAnArticlePage, parse_browser_text
from index.importers.clean import AbstractSplitter
from index.importers.fetch import Fetcher, FetchError
from index.importers.oai import HarvestError, Record, harvest, next_from
from index.importers.ojs import NotAnOjsPage, parse_ojs_page
from index.importers.pdf import PdfProblem, full_text
from index.importers.writer import CorpusWriter, Outcome, atomic_write
from index.settings import Settings

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 50 * 1024 * 1024  # the same limit as a download: an article is far smaller
STATE_FILE = "oai-state.json"  # in the corpus folder: per endpoint, the newest datestamp seen


class ImportProblem(Exception):
    """One source could not be imported; the message is one line."""


@dataclass
class Pending:
    """An article read from its source; its PDF's text may still be being extracted."""

    article: Article
    body: Future[tuple[BodySection, ...]] | None = None
    notes: list[str] = field(default_factory=list)  # what went wrong beside the article


K = TypeVar("K")
# What a source or record became before it is written: an article (maybe with its PDF still
# being read), an outcome already known (a failure), or a change to make in its turn.
Staged = Pending | Outcome | Callable[[], Outcome]


class Importer:
    """Reads sources into articles and hands them to the writer. Dependencies passed in.

    With an ``extractor`` (an executor), a PDF's text is extracted there while the next
    source is fetched, so the pause between requests is spent working, not waiting.
    """

    def __init__(self, writer: CorpusWriter, fetcher: Fetcher, *, fulltext: bool = False,
                 into: str | None = None, splitter: AbstractSplitter | None = None,
                 extractor: Executor | None = None):
        self.writer, self.fetcher, self.fulltext, self.into = writer, fetcher, fulltext, into
        self.splitter = splitter or AbstractSplitter()
        self.extractor = extractor

    # -- reading ---------------------------------------------------------------------
    def read(self, source: str) -> Pending:
        if source.startswith(("http://", "https://")):
            response = self.fetcher.get(source)
            if response.is_pdf:
                return self._pdf(response.body, source, self.writer.find_key("pdf_url", source))
            return self._page(response.text(), response.url)
        path = Path(source)
        if not path.is_file():
            raise ImportProblem(f"{source}: no such file")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ImportProblem(f"{source}: {path.stat().st_size / 1e6:.0f} MB is more than the "
                                f"{MAX_FILE_BYTES / 1e6:.0f} MB limit; not an article")
        data = path.read_bytes()
        if data[:5] == b"%PDF-" or path.suffix.lower() == ".pdf":
            return self._pdf(data, source, None)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
        if path.suffix.lower() in (".html", ".htm") or text.lstrip()[:1] == "<":
            return self._page(text, path.name)
        try:
            return Pending(parse_browser_text(text, path.name, self.splitter))
        except NotAnArticlePage as exc:
            raise ImportProblem(f"{source}: {exc}") from None

    def _page(self, html_text: str, source: str) -> Pending:
        try:
            article = parse_ojs_page(html_text, source, self.splitter)
        except NotAnOjsPage as exc:
            raise ImportProblem(f"{source}: {exc}") from None
        return self.with_fulltext(article)

    def with_fulltext(self, article: Article) -> Pending:
        """With --fulltext: the article, and its PDF (fetched now) being read into text; a
        PDF that fails is a note, not a failure."""
        if not self.fulltext:
            return Pending(article)
        if not article.pdf_url:
            return Pending(article, notes=[f"{article.source}: no PDF link (citation_pdf_url): "
                                           "abstract only"])
        try:
            data = self.fetcher.get(article.pdf_url).body
        except FetchError as exc:
            return Pending(article, notes=[f"{article.pdf_url}: no full text: {exc}"])
        if self.extractor is None:
            body: Future[tuple[BodySection, ...]] = Future()
            try:
                body.set_result(full_text(data, pages=article.pages))
            except PdfProblem as exc:
                body.set_exception(exc)
        else:
            body = self.extractor.submit(full_text, data, pages=article.pages)
        return Pending(article, body)

    def _pdf(self, data: bytes, source: str, matched: str | None) -> Pending:
        """A PDF completes a corpus document: --into ID, or the one whose pdf_url it is."""
        doc_id = self.into or matched
        if doc_id is None:
            raise ImportProblem(f"{source}: a PDF alone has no reliable metadata; import the "
                                "article's page with --fulltext, or give --into ID")
        try:
            doc = load_document(self.writer.path(doc_id))
        except (CorpusError, OSError):
            raise ImportProblem(f"{source}: --into {doc_id}: no valid corpus file of that name") from None
        try:
            body = full_text(data, pages=doc.pages)
        except PdfProblem as exc:
            raise ImportProblem(f"{source}: {exc}") from None
        return Pending(from_document(doc, doc.url or source).with_changes(body=body))

    # -- writing ---------------------------------------------------------------------
    def _stage(self, source: str) -> Pending | Outcome:
        try:
            return self.read(source)
        except (ImportProblem, FetchError) as exc:
            return Outcome("failed", source, str(exc))

    def import_sources(self, sources: list[str]) -> Iterator[Outcome]:
        """Each source's outcome, in order (see :meth:`in_order`)."""
        for _, outcome in self.in_order((source, self._stage(source)) for source in sources):
            yield outcome

    def in_order(self, staged: Iterable[tuple[K, Staged]]) -> Iterator[tuple[K, Outcome]]:
        """Each staged item's outcome, in order, settled one behind: item N+1 is read (its
        page and PDF fetched) while item N's PDF is still being read, then N is settled
        (written). An error from ``staged`` comes after the item before it is settled."""
        waiting: tuple[K, Staged] | None = None
        try:
            for key, item in staged:
                if waiting is not None:
                    done, waiting = waiting, None
                    yield done[0], self._settle(done[1])
                waiting = key, item
        except Exception:
            if waiting is not None:
                yield waiting[0], self._settle(waiting[1])
            raise
        if waiting is not None:
            yield waiting[0], self._settle(waiting[1])

    def _settle(self, item: Staged) -> Outcome:
        if isinstance(item, Outcome):
            return item
        if isinstance(item, Pending):
            return self.write(item)
        return item()  # a change of the corpus kept for its turn (a removal)

    def write(self, pending: Pending) -> Outcome:
        article, notes = pending.article, list(pending.notes)
        if pending.body is not None:
            try:
                article = article.with_changes(body=pending.body.result())
            except PdfProblem as exc:
                notes.append(f"{article.pdf_url}: no full text: {exc}")
        outcome = self.writer.write(article)
        if article.missing and outcome.action in ("added", "updated", "replaced"):
            notes.insert(0, f"not on the source: {', '.join(article.missing)}")
        if notes:
            note = "; ".join(notes)
            outcome = replace(outcome, detail=f"{outcome.detail}; {note}" if outcome.detail else note)
        return outcome


class HarvestState:
    """Per endpoint and set: the newest datestamp harvested, and which file each record became.

    Kept as JSON beside the corpus files (not a *.toml, so the build ignores it); commit it
    with the corpus so the next harvest anywhere is incremental.
    """

    def __init__(self, path: Path):
        self.path = path
        try:
            self.data: dict = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.data = {}

    def endpoint(self, url: str, set_spec: str | None) -> dict:
        key = url if not set_spec else f"{url} set={set_spec}"
        return self.data.setdefault(key, {"from": None, "records": {}})

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(self.path, json.dumps(self.data, indent=2, sort_keys=True) + "\n")


def _staged_records(importer: Importer, records: Iterable[Record], entry: dict,
                    ) -> Iterator[tuple[tuple[str | None, str], Staged]]:
    """Each harvested record as the importer settles it, keyed by its datestamp and, where
    the record is written into a corpus file, its identifier."""
    for record in records:
        if record.deleted:
            doc_id = entry["records"].get(record.identifier)
            yield (None, record.datestamp), (
                partial(importer.writer.remove, doc_id) if doc_id
                else Outcome("unchanged", record.identifier, "deleted at the source"))
        elif record.article is None:
            yield (None, record.datestamp), Outcome("failed", record.identifier,
                                                    record.problem or "unreadable")
        else:
            yield (record.identifier, record.datestamp), importer.with_fulltext(record.article)


def harvest_into(importer: Importer, endpoint: str, *, set_spec: str | None, since: str | None,
                 state: HarvestState, out) -> Counter[str]:
    """Harvest ``endpoint`` into the corpus; the state moves on only after a clean harvest."""
    counts: Counter[str] = Counter()
    entry = state.endpoint(endpoint, set_spec)
    since = since or entry["from"]
    newest = ""
    endpoint_failed = False
    try:
        records = harvest(importer.fetcher, endpoint, set_spec=set_spec, since=since,
                          splitter=importer.splitter)
        for (identifier, datestamp), outcome in importer.in_order(
                _staged_records(importer, records, entry)):
            newest = max(newest, datestamp)
            if identifier is not None and outcome.action != "failed":
                entry["records"][identifier] = outcome.document
            counts[outcome.action] += 1
            _print(outcome, out)
    except HarvestError as exc:
        counts["failed"] += 1
        endpoint_failed = True
        print(f"failed    {exc}", file=out)
    if endpoint_failed and not newest:  # no record came: nothing to remember
        print("note: the harvest failed before any record; the corpus and the harvest state "
              "are as they were", file=out)
        return counts
    if counts["failed"]:
        print(f"note: {counts['failed']} record(s) failed; the next harvest starts from the same "
              "date again", file=out)
    elif newest:
        entry["from"] = next_from(newest)
    if not importer.writer.dry_run:
        state.save()
    return counts


def _print(outcome: Outcome, out) -> None:
    line = f"{outcome.action:<9} {outcome.document}"
    if outcome.detail:
        line += f": {outcome.detail}"
    print(line, file=out)
    if outcome.diff and outcome.action in ("skipped", "replaced"):
        print(outcome.diff.rstrip("\n"), file=out)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m index import", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sources", nargs="*", metavar="SOURCE",
                        help="OJS article URL or saved .html, copied page text (.txt), "
                             "or a PDF (with --into ID, or a document's pdf_url)")
    parser.add_argument("--corpus", type=Path, default=None,
                        help="corpus folder (default: CORPUS_DIR, i.e. corpus/)")
    parser.add_argument("--force", action="store_true",
                        help="replace files written or edited by hand")
    parser.add_argument("--dry-run", action="store_true",
                        help="say what would change, change nothing")
    parser.add_argument("--fulltext", action="store_true",
                        help="also fetch each article's PDF and import its full text")
    parser.add_argument("--into", metavar="ID",
                        help="the corpus document a PDF SOURCE is the full text of")
    parser.add_argument("--oai", metavar="URL",
                        help="harvest an OJS journal's OAI-PMH endpoint (…/index.php/JOURNAL/oai)")
    parser.add_argument("--set", dest="set_spec", metavar="SPEC",
                        help="only this OAI-PMH set (a journal section: JOURNAL:SECTION)")
    parser.add_argument("--from", dest="since", metavar="DATE",
                        help="only records changed since DATE (default: since the last harvest)")
    parser.add_argument("--delay", type=float, default=None, metavar="SECONDS",
                        help="pause between requests (default 1 s)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """``python -m index import``: see the module docstring."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if not args.sources and not args.oai:
        build_parser().print_usage(sys.stderr)
        print("python -m index import: error: give at least one SOURCE or --oai URL", file=sys.stderr)
        return 2
    if (args.set_spec or args.since) and not args.oai:
        print("python -m index import: error: --set and --from go with --oai", file=sys.stderr)
        return 2
    corpus = args.corpus or Settings().corpus_dir
    writer = CorpusWriter(corpus, force=args.force, dry_run=args.dry_run)
    fetch_kwargs = {} if args.delay is None else {"delay": args.delay}
    counts: Counter[str] = Counter()
    with Fetcher(**fetch_kwargs) as fetcher, ThreadPoolExecutor(
            1, thread_name_prefix="pdf-text") as extractor:
        importer = Importer(writer, fetcher, fulltext=args.fulltext, into=args.into,
                            extractor=extractor)
        for outcome in importer.import_sources(args.sources):
            counts[outcome.action] += 1
            _print(outcome, sys.stdout)
        if args.oai:
            counts += harvest_into(importer, args.oai, set_spec=args.set_spec, since=args.since,
                                   state=HarvestState(corpus / STATE_FILE), out=sys.stdout)
    summary = ", ".join(f"{counts[a]} {a}" for a in
                        ("added", "updated", "replaced", "unchanged", "skipped", "removed", "failed")
                        if counts[a])
    print(f"{'dry run, nothing written: ' if args.dry_run else ''}{summary or 'nothing to do'}"
          f"{'' if args.dry_run or not (counts['added'] or counts['updated'] or counts['replaced'] or counts['removed']) else '; now run: python -m index build'}")
    return 1 if counts["failed"] else 0
