"""Write imported articles into the corpus folder: validated, idempotent, never over a person's edits.

For each article: render the TOML, validate it exactly as the build will
(:func:`index.corpus.load_document` on a scratch copy), find the file it belongs to (same
URL, DOI or title as an existing file, else a new name from the title), then

* no such file: write it (added);
* the same bytes: nothing (unchanged);
* a file the importer wrote and nobody touched since (its recorded hash matches): replace
  it (updated);
* a file written or edited by a person: show the difference and leave it (skipped), unless
  ``force`` (replaced).

Writes are atomic (a temporary file renamed over the old one), so an interrupted import
never leaves half a file.
"""

from __future__ import annotations

import difflib
import os
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

from index.corpus import CORPUS_SUFFIX, CorpusError, Document, corpus_files, load_document
from index.importers.article import Article, body_of, edited_by_hand, render, slug, split_header


@dataclass(frozen=True)
class Outcome:
    action: str  # added, updated, unchanged, skipped, replaced, removed, failed
    document: str  # the id, or the source when it failed before having one
    detail: str = ""
    diff: str = ""


def _norm(text: str | None) -> str:
    return " ".join((text or "").lower().split())


class CorpusWriter:
    def __init__(self, corpus_dir: Path, *, force: bool = False, dry_run: bool = False):
        self.corpus_dir, self.force, self.dry_run = corpus_dir, force, dry_run
        self._keys: dict[tuple[str, str], str] = {}  # ("url"|"doi"|"title", value) -> id
        if corpus_dir.is_dir():
            for path in corpus_files(corpus_dir):
                try:
                    raw = tomllib.loads(path.read_text(encoding="utf-8"))
                except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                    continue
                self._remember(path.name[: -len(CORPUS_SUFFIX)], raw)

    def _remember(self, doc_id: str, raw: dict) -> None:
        for key in ("url", "doi", "title", "pdf_url"):
            if isinstance(raw.get(key), str):
                self._keys.setdefault((key, _norm(raw[key])), doc_id)

    def path(self, doc_id: str) -> Path:
        return self.corpus_dir / f"{doc_id}{CORPUS_SUFFIX}"

    def find_key(self, key: str, value: str) -> str | None:
        """The id of the file whose ``key`` (url, doi, title, pdf_url) is ``value``."""
        return self._keys.get((key, _norm(value)))

    def find(self, article: Article) -> str | None:
        """The id of the file already holding this article, if any."""
        for key, value in (("url", article.url), ("doi", article.doi),
                           ("title", article.title.get(article.language))):
            if value and (key, _norm(value)) in self._keys:
                return self._keys[(key, _norm(value))]
        return None

    def _new_id(self, article: Article) -> str:
        base = slug(article.title[article.language])
        doc_id, n = base, 1
        while self.path(doc_id).exists() or doc_id in self._keys.values():
            n += 1
            doc_id = f"{base[: 80 - len(str(n)) - 1]}-{n}"
        return doc_id

    def existing(self, article: Article) -> Document | None:
        """The valid corpus document already holding this article, if any."""
        doc_id = self.find(article)
        if doc_id is None:
            return None
        try:
            return load_document(self.path(doc_id))
        except (CorpusError, OSError):
            return None

    def write(self, article: Article) -> Outcome:
        existing = self.existing(article)
        if existing is not None:
            article = keep_additions(article, existing)
        doc_id = self.find(article) or self._new_id(article)
        text = render(article)
        problems = validate(doc_id, text)
        if problems:
            return Outcome("failed", doc_id, "; ".join(problems))
        path = self.path(doc_id)
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old == text or old is not None and split_header(old)[1] == split_header(text)[1]:
            return Outcome("unchanged", doc_id)  # same content; a person's comments stay
        if old is None:
            action = "added"
        elif not edited_by_hand(old):
            action = "updated"
        elif self.force:
            action = "replaced"
        else:
            return Outcome("skipped", doc_id, "written or edited by hand; --force replaces it",
                           diff=unified_diff(old, text, path))
        diff = "" if old is None else unified_diff(old, text, path)
        if not self.dry_run:
            self.corpus_dir.mkdir(parents=True, exist_ok=True)
            atomic_write(path, text)
            self._remember(doc_id, tomllib.loads(text))
        return Outcome(action, doc_id, diff=diff)

    def remove(self, doc_id: str) -> Outcome:
        """An article deleted at the source: remove its file if the importer wrote it untouched."""
        path = self.path(doc_id)
        if not path.exists():
            return Outcome("unchanged", doc_id, "deleted at the source; no file")
        if edited_by_hand(path.read_text(encoding="utf-8")):
            return Outcome("skipped", doc_id, "deleted at the source but edited by hand: kept")
        if not self.dry_run:
            path.unlink()
        return Outcome("removed", doc_id, "deleted at the source")


def keep_additions(article: Article, existing: Document) -> Article:
    """What the corpus file has that this source cannot give: suggested questions, our
    translation of the title and keywords (when the source has none), and the full text
    (when this import brings none)."""
    ours = {lang: (tr.title, tr.keywords) for lang, tr in existing.translation.items()
            if tr.source == "ours"}
    suggestions = {lang: qs for lang, qs in existing.suggestions.items() if qs}
    return article.with_changes(our_translation={**ours, **article.our_translation},
                                suggestions={**suggestions, **article.suggestions},
                                body=article.body or body_of(existing))


def validate(doc_id: str, text: str) -> list[str]:
    """The problems :func:`load_document` finds in ``text`` as file ``doc_id``.toml."""
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp) / f"{doc_id}{CORPUS_SUFFIX}"
        scratch.write_text(text, encoding="utf-8")
        try:
            load_document(scratch)
        except CorpusError as exc:
            return [p.replace(str(scratch), f"{doc_id}{CORPUS_SUFFIX}") for p in exc.problems]
    return []


def unified_diff(old: str, new: str, path: Path) -> str:
    return "".join(difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                        f"{path.name} (now)", f"{path.name} (imported)"))


def atomic_write(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
