"""The engine in service, replaced whole when a new index is built.

``LiveEngine.current`` is one attribute read, so a caller that takes it once per question
gets an answer wholly from one index version, however the swap interleaves. ``reload``
loads the new index beside the old one, checks it, and only then swaps; a bad index (another
model, truncated, empty, failing a test question) is refused and the old one keeps serving.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from index.answer import Engine
from index.corpus import CorpusError
from index.embedders import Embedder
from index.store import IndexLoadError, current_build

logger = logging.getLogger(__name__)

SMOKE_QUESTIONS = ("apa judul artikel ini?", "what is the title of the article?")


@dataclass(frozen=True)
class ReloadResult:
    changed: bool  # a new index is now in service
    version: str  # the version in service after the call
    passages: int
    error: str | None = None  # why a new index was refused

    def describe(self) -> str:
        if self.error:
            return f"new index refused, still serving {self.version}: {self.error}"
        if self.changed:
            return f"now serving index {self.version} ({self.passages} passages)"
        return f"index {self.version} is current ({self.passages} passages)"


class LiveEngine:
    def __init__(self, engine: Engine, settings, embedder: Embedder):
        self._engine = engine
        self._settings = settings
        self._embedder = embedder
        self._lock = threading.Lock()  # one reload at a time
        self.last_refused: Path | None = None  # a bad build is reported once, not every check

    @property
    def current(self) -> Engine:
        return self._engine

    def _serving(self) -> Path:
        return self._engine.searcher.stored.path

    def has_new_build(self) -> bool:
        """True when INDEX_DIR/current points at a build other than the one in service
        (and not at one already refused)."""
        target = current_build(Path(self._settings.index_dir))
        return target is not None and target != self._serving() and target != self.last_refused

    def reload(self, force: bool = False) -> ReloadResult:
        with self._lock:
            old = self._engine
            target = current_build(Path(self._settings.index_dir))
            if not force and (target is None or target == self._serving()):
                return ReloadResult(False, old.version, len(old.searcher.passages))
            try:
                new = Engine.load(self._settings, embedder=self._embedder)
                self._check(new)
            except (IndexLoadError, CorpusError, ValueError, OSError) as exc:
                self.last_refused = target
                reason = str(exc) if not isinstance(exc, CorpusError) else exc.problems[0]
                logger.error("refused the new index: %s", reason)
                return ReloadResult(False, old.version, len(old.searcher.passages), reason)
            except Exception as exc:  # noqa: BLE001 - a build we did not foresee: refuse it once
                self.last_refused = target
                reason = f"it fails to load ({type(exc).__name__})"
                logger.exception("refused the new index: %s", reason)
                return ReloadResult(False, old.version, len(old.searcher.passages), reason)
            if new.searcher.stored.path == old.searcher.stored.path:
                return ReloadResult(False, old.version, len(old.searcher.passages))
            self._engine = new  # the swap: one assignment
            self.last_refused = None
            logger.info("now serving index %s (%d passages)", new.version,
                        len(new.searcher.passages))
            return ReloadResult(True, new.version, len(new.searcher.passages))

    @staticmethod
    def _check(engine: Engine) -> None:
        """A loaded index must have passages and answer a test question without error."""
        if not engine.searcher.passages or not engine.searcher.languages():
            raise ValueError("the new index has no passages")
        if not engine.documents:
            raise ValueError("the new index's documents are not in the corpus folder")
        for question in SMOKE_QUESTIONS:
            answer = engine.answer(question)
            if not answer.passages:
                raise ValueError(f"the new index found nothing for {question!r}")
