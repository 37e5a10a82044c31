"""``facetcode serve`` keeps idle connections open longer than HTTP clients keep them in their pools.

With uvicorn's default (5 s, the same as httpx's pool expiry) a client reusing a connection at
the moment the server closes it gets a connection reset on a good request: ``bench/load.py``
hit it under load (one ``ReadError`` in 3,000 requests), and 20 clients idling ~5 s between
requests hit it 7 times in 160.
"""

from __future__ import annotations

import os

import httpx
import uvicorn

from extractor.cli import main

AIOHTTP_KEEPALIVE_TIMEOUT = 15.0  # aiohttp.TCPConnector's default keepalive_timeout


def test_idle_connections_outlive_client_pool_expiry(monkeypatch) -> None:
    calls: list[dict] = []
    monkeypatch.delenv("FACETCODE_API_KEY", raising=False)
    monkeypatch.setattr(os, "environ", os.environ.copy())  # serve exports FACETCODE_* for its workers
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: calls.append(options))
    assert main(["serve", "--port", "8765"]) == 0
    (options,) = calls
    assert options["port"] == 8765
    client_expiry = max(httpx.Limits().keepalive_expiry or 0.0, AIOHTTP_KEEPALIVE_TIMEOUT)
    assert options.get("timeout_keep_alive", 5) > client_expiry
