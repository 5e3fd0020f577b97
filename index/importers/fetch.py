"""Polite, robust HTTP for the importers: one client, a User-Agent naming the project, a
pause between requests, timeouts, retries with backoff on 429/5xx (honouring Retry-After),
and a size limit. Every failure is a :class:`FetchError` with one readable line."""

from __future__ import annotations

import email.utils
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

logger = logging.getLogger(__name__)

USER_AGENT = ("TanyaParadiplomasi-import/0.1 (corpus importer of the Tanya Paradiplomasi "
              "question-answering bot; python -m index import)")
DELAY_SECONDS = 1.0  # between two requests to the same journal: OJS sites are small servers
TIMEOUT_SECONDS = 30.0  # a page or an OAI-PMH list; PDFs stream within the same per-read limit
RETRIES = 3  # after the first try, on 429, 5xx, a timeout or a dropped connection
BACKOFF_SECONDS = 2.0  # first wait; doubles each retry
MAX_RETRY_AFTER_SECONDS = 120.0  # a longer Retry-After is a failure, not a wait
MAX_BYTES = 50 * 1024 * 1024  # an article's PDF is a few MB; more is not an article
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})


class FetchError(Exception):
    """A URL could not be fetched; the message is one line."""


@dataclass(frozen=True)
class Response:
    url: str  # after redirects
    content_type: str
    body: bytes

    @property
    def is_pdf(self) -> bool:
        return "pdf" in self.content_type or self.body[:5] == b"%PDF-"

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    when = email.utils.parsedate_to_datetime(value) if value else None
    return max(0.0, when.timestamp() - time.time()) if when else None


class Fetcher:
    """GET with the manners above. ``sleep`` and ``clock`` are passed in so tests need not wait."""

    def __init__(self, *, delay: float = DELAY_SECONDS, timeout: float = TIMEOUT_SECONDS,
                 retries: int = RETRIES, backoff: float = BACKOFF_SECONDS,
                 max_bytes: int = MAX_BYTES, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic,
                 transport: httpx.BaseTransport | None = None):
        self.delay, self.retries, self.backoff, self.max_bytes = delay, retries, backoff, max_bytes
        self.sleep, self.clock = sleep, clock
        self._last: float | None = None
        self.requests = 0
        self.client = httpx.Client(headers={"User-Agent": USER_AGENT}, timeout=timeout,
                                   follow_redirects=True, transport=transport)

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _pause(self) -> None:
        if self._last is not None:
            wait = self.delay - (self.clock() - self._last)
            if wait > 0:
                self.sleep(wait)
        self._last = self.clock()

    def _read(self, url: str, r: httpx.Response) -> Response:
        """The body of a successful answer, refused past ``max_bytes``."""
        length = r.headers.get("Content-Length")
        if length and length.isdigit() and int(length) > self.max_bytes:
            raise FetchError(f"{url}: {int(length) / 1e6:.0f} MB is more than the "
                             f"{self.max_bytes / 1e6:.0f} MB limit")
        chunks, size = [], 0
        for chunk in r.iter_bytes():
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchError(f"{url}: more than the {self.max_bytes / 1e6:.0f} MB limit")
            chunks.append(chunk)
        return Response(str(r.url), r.headers.get("Content-Type", ""), b"".join(chunks))

    def get(self, url: str, params: dict[str, str] | None = None) -> Response:
        """The body of ``url``; raises :class:`FetchError` after the retries are spent."""
        wait = self.backoff
        for attempt in range(self.retries + 1):
            self._pause()
            self.requests += 1
            try:
                with self.client.stream("GET", url, params=params) as r:
                    if r.status_code in RETRY_STATUS and attempt < self.retries:
                        after = _retry_after(r.headers.get("Retry-After"))
                        if after is not None and after > MAX_RETRY_AFTER_SECONDS:
                            raise FetchError(f"{url}: HTTP {r.status_code}, asked to come back "
                                             f"in {after:.0f} s; try again later")
                        pause = wait if after is None else max(after, self.delay)
                        logger.warning("%s: HTTP %s, retrying in %.0f s", url, r.status_code, pause)
                        self.sleep(pause)
                        wait *= 2
                        continue
                    if r.status_code >= 400:
                        raise FetchError(f"{url}: HTTP {r.status_code}")
                    return self._read(url, r)
            except (httpx.TimeoutException, httpx.TransportError) as exc:
                kind = "timed out" if isinstance(exc, httpx.TimeoutException) else "connection failed"
                if attempt >= self.retries:
                    raise FetchError(f"{url}: {kind} after {attempt + 1} tries") from None
                logger.warning("%s: %s, retrying in %.0f s", url, kind, wait)
                self.sleep(wait)
                wait *= 2
            except httpx.InvalidURL:
                raise FetchError(f"{url}: not a valid address") from None
        raise FetchError(f"{url}: failed after {self.retries + 1} tries")  # pragma: no cover
