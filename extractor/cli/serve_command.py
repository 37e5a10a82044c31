"""``facetcode serve``: the HTTP service and the coder page (FastAPI + uvicorn, extra ``serve``)."""

from __future__ import annotations

import argparse
import os

from ..errors import DEFAULT_MAX_CHARS

API_KEY_VARIABLE = "FACETCODE_API_KEY"
# Idle keep-alive connections are kept this long. uvicorn's default (5 s) equals httpx's client
# expiry (5 s): a client reusing a connection just as the server closes it gets a reset (the
# load test hit it under load). Longer than common client pools' expiry (httpx 5, aiohttp 15).
KEEP_ALIVE_SECONDS = 75


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="run the HTTP service and the coder web page",
        description="Serve POST /v1/code, POST /v1/audit and the coder page at /. Binds 127.0.0.1 by "
        f"default; any other address needs an API key (--api-key or {API_KEY_VARIABLE}).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    parser.add_argument("--workers", type=int, default=1, help="worker processes, each with its own pipeline")
    parser.add_argument(
        "--api-key",
        default=None,
        help=f"key every /v1 request must send (X-API-Key or Bearer); default ${API_KEY_VARIABLE}",
    )
    parser.add_argument(
        "--max-chars",
        type=int,
        default=DEFAULT_MAX_CHARS,
        help=f"note size limit (default {DEFAULT_MAX_CHARS:,})",
    )
    parser.add_argument(
        "--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"]
    )
    parser.set_defaults(run=run)


def settings_from_args(args: argparse.Namespace):
    from ..service.settings import ServiceSettings

    settings = ServiceSettings(
        host=args.host,
        port=args.port,
        workers=args.workers,
        api_key=args.api_key or os.environ.get(API_KEY_VARIABLE) or None,
        max_chars=args.max_chars,
    )
    settings.check_binding()
    return settings


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from ..service.logging_config import log_config

    settings = settings_from_args(args)
    # Each worker builds its app from these variables (uvicorn imports the factory per worker).
    os.environ.update(settings.to_env())
    uvicorn.run(
        "extractor.service.app:create_app_from_env",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        access_log=False,
        log_config=log_config(args.log_level),
        server_header=False,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
    )
    return 0
