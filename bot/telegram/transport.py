"""The bot's HTTP client for the Bot API: python-telegram-bot's ``BaseRequest`` over aiohttp.

python-telegram-bot ships an httpx client. On this 2-core machine the event loop and the
embedder share the CPU, and httpx's asyncio path (httpcore, anyio, sniffio) costs more:
through python-telegram-bot's request layer, 3.6 ms of CPU per ``sendMessage`` against
1.7 ms for aiohttp with its C HTTP parser, the fake server's share included
(`python -m bench.http_benchmark`). Same contract as ``HTTPXRequest``: form-encoded
parameters, multipart when there are files, timeouts raised as ``TimedOut``, other failures
as ``NetworkError``; status codes are judged by ``BaseRequest``.
"""

from __future__ import annotations

import asyncio

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from bot.logs import REDACTED, TOKEN_PATTERN


class AiohttpRequest(BaseRequest):
    """At most ``connections`` requests in flight; the others wait their turn in a semaphore
    (no pool timeout: under load an answer waits, it is not dropped). Timeouts as in
    ``HTTPXRequest``; aiohttp has no write timeout, so ``write_timeout`` is accepted and the
    read timeout covers a stalled server."""

    def __init__(self, connections: int = 8, read_timeout: float | None = 5.0,
                 connect_timeout: float | None = 5.0):
        self._connections = connections
        self._read_timeout = read_timeout
        self._connect_timeout = connect_timeout
        self._slots = asyncio.Semaphore(connections)
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._connections),
                headers={"User-Agent": self.USER_AGENT}, trust_env=True)

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout=BaseRequest.DEFAULT_NONE,
                         write_timeout=BaseRequest.DEFAULT_NONE,
                         connect_timeout=BaseRequest.DEFAULT_NONE,
                         pool_timeout=BaseRequest.DEFAULT_NONE) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("AiohttpRequest is not initialized")
        if isinstance(read_timeout, DefaultValue):
            read_timeout = self._read_timeout
        if isinstance(connect_timeout, DefaultValue):
            connect_timeout = self._connect_timeout
        timeout = aiohttp.ClientTimeout(total=None, sock_connect=connect_timeout,
                                        sock_read=read_timeout)
        try:
            async with self._slots, self._session.request(
                    method, url, data=_body(request_data), timeout=timeout) as response:
                return response.status, await response.read()
        except asyncio.TimeoutError as exc:  # aiohttp's timeouts derive from it
            raise TimedOut from exc
        except aiohttp.ClientError as exc:
            raise NetworkError(
                TOKEN_PATTERN.sub(REDACTED, f"aiohttp.{type(exc).__name__}: {exc}")) from exc


def _body(request_data: RequestData | None) -> dict[str, str] | aiohttp.FormData | None:
    """Parameters form-encoded (values JSON-encoded, as the Bot API expects), or multipart
    with the files when there are any."""
    if request_data is None:
        return None
    fields = request_data.json_parameters
    if not request_data.contains_files:
        return fields
    form = aiohttp.FormData()
    for name, value in fields.items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in request_data.multipart_data.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form
