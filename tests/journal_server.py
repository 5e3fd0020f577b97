"""A fake journal on 127.0.0.1 for the importer tests: OJS pages, OAI-PMH, PDFs, failures.

Routes map a path (with its query string, if any) to a list of responses served in turn (the
last one repeats), so a test can script "503 with Retry-After, then 200". Every request is
recorded with its headers.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    status: int = 200
    body: bytes | str = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering (for timeouts)


Route = list[Reply] | Callable[[str], Reply]


class JournalServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self._served: dict[str, int] = defaultdict(int)
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                server.requests.append((self.path, dict(self.headers)))
                reply = server._reply(self.path)
                if reply.delay:
                    threading.Event().wait(reply.delay)
                body = reply.body.encode("utf-8") if isinstance(reply.body, str) else reply.body
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", reply.content_type)
                    self.send_header("Content-Length", str(len(body)))
                    for k, v in reply.headers.items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def _reply(self, path: str) -> Reply:
        route = self.routes.get(path)
        if route is None:
            route = self.routes.get(path.split("?", 1)[0])
        if route is None:
            return Reply(404, "not found", "text/plain")
        if callable(route):
            return route(path)
        n = self._served[path]
        self._served[path] += 1
        return route[min(n, len(route) - 1)]

    def add(self, path: str, *replies: Reply) -> str:
        self.routes[path] = list(replies)
        return self.base + path

    def paths(self) -> list[str]:
        return [p for p, _ in self.requests]

    def __enter__(self) -> JournalServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
