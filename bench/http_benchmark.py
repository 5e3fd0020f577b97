"""CPU per Bot API request: python-telegram-bot's httpx client against ours (aiohttp).

    python -m bench.http_benchmark [--requests 2000] [--rounds 3]

Both through python-telegram-bot's ``BaseRequest.post`` (the same parameters, status
handling and JSON parsing), ``sendMessage`` to the fake Bot API server in this process, 8 at
a time as the bot sends. Reports the median over rounds (alternating clients) of the process
CPU time per request, which includes the fake server's share (the same for both), and wall
time per request.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time

from telegram.request import BaseRequest, HTTPXRequest, RequestData
from telegram.request._requestparameter import RequestParameter

from bot.telegram.transport import AiohttpRequest
from tests.fake_telegram import FakeTelegram

CONCURRENCY = 8


async def _measure(request: BaseRequest, url: str, chat_id: int, n: int) -> tuple[float, float]:
    await request.initialize()
    slots = asyncio.Semaphore(CONCURRENCY)
    data = [RequestParameter("chat_id", chat_id, None),
            RequestParameter("text", "Paradiplomasi adalah diplomasi oleh daerah. " * 6, None)]

    async def one() -> None:
        async with slots:
            await request.post(url, RequestData(data))

    await one()  # connections open, code paths warm
    cpu, wall = time.process_time(), time.perf_counter()
    await asyncio.gather(*(one() for _ in range(n)))
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    await request.shutdown()
    return cpu / n * 1000, wall / n * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.http_benchmark",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    clients = {"httpx (python-telegram-bot's HTTPXRequest)":
               lambda: HTTPXRequest(connection_pool_size=CONCURRENCY),
               "aiohttp (bot/telegram/transport.py AiohttpRequest)": lambda: AiohttpRequest(CONCURRENCY)}
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in clients}
    with FakeTelegram() as fake:
        chat = fake.private_chat(fake.user(1))
        url = f"{fake.base_url}{fake.token}/sendMessage"
        for _ in range(args.rounds):
            for name, make in clients.items():
                results[name].append(asyncio.run(_measure(make(), url, chat["id"],
                                                          args.requests)))
    print(f"{args.requests} sendMessage requests, {CONCURRENCY} at a time, median of "
          f"{args.rounds} rounds; CPU includes the fake server in this process")
    medians = {}
    for name, runs in results.items():
        cpu = statistics.median(r[0] for r in runs)
        wall = statistics.median(r[1] for r in runs)
        medians[name] = cpu
        print(f"  {name}: {cpu:.2f} ms CPU, {wall:.2f} ms wall per request")
    httpx_cpu, aiohttp_cpu = medians.values()
    print(f"  httpx / aiohttp CPU per request: {httpx_cpu / aiohttp_cpu:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
