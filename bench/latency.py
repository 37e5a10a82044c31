"""Latency of ``POST /v1/code`` for a one-page note: one uvicorn worker, pipeline warm, loopback.

A benchmark script, not a test. It starts ``python -m extractor.service`` on a free loopback
port (or uses ``--url``), sends ``--warmup`` untimed requests, then ``--requests`` timed ones
from ``--concurrency`` client threads, and prints p50/p90/p99/max. Target: p99 < 50 ms.

    /work/venv/bin/python bench/latency.py --requests 500
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_NOTE = ROOT / "corpora" / "sample" / "sample.txt"
TARGET_P99_MS = 50.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FACETCODE_")}
    return subprocess.Popen(
        [sys.executable, "-m", "extractor.service", "--port", str(port), "--workers", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=ROOT,
    )


def wait_ready(url: str, server: subprocess.Popen | None, timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server is not None and server.poll() is not None:
            sys.exit(f"the server exited with status {server.returncode}")
        try:
            if httpx.get(url + "/healthz", timeout=1.0).json().get("warm"):
                return
        except (httpx.TransportError, ValueError):
            pass
        time.sleep(0.2)
    sys.exit("the server did not become ready")


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    rank = max(1, min(len(sorted_values), round(fraction * len(sorted_values) + 0.5)))
    return sorted_values[rank - 1]


def run(url: str, body: bytes, requests: int, warmup: int, concurrency: int) -> list[float]:
    headers = {"content-type": "application/json"}
    with httpx.Client(base_url=url, timeout=30.0) as warm_client:
        for _ in range(warmup):
            warm_client.post("/v1/code", content=body, headers=headers).raise_for_status()

    def worker(count: int) -> list[float]:
        timings = []
        with httpx.Client(base_url=url, timeout=30.0) as client:  # keep-alive, one connection
            for _ in range(count):
                started = time.perf_counter()
                response = client.post("/v1/code", content=body, headers=headers)
                elapsed = (time.perf_counter() - started) * 1000
                response.raise_for_status()
                timings.append(elapsed)
        return timings

    shares = [requests // concurrency + (1 if i < requests % concurrency else 0) for i in range(concurrency)]
    with ThreadPoolExecutor(concurrency) as pool:
        return [t for timings in pool.map(worker, shares) for t in timings]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--note", type=Path, default=DEFAULT_NOTE, help="note to send (default: the sample)")
    parser.add_argument("--requests", type=int, default=500, help="timed requests (default 500)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests first (default 20)")
    parser.add_argument("--concurrency", type=int, default=1, help="client threads (default 1)")
    parser.add_argument("--url", help="benchmark a running server instead of starting one")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON line")
    args = parser.parse_args(argv)

    text = args.note.read_text(encoding="utf-8")
    body = json.dumps({"text": text, "payer": "medicare"}).encode()
    server = None
    url = args.url
    if url is None:
        url = f"http://127.0.0.1:{free_port()}"
        server = start_server(int(url.rsplit(":", 1)[1]))
    try:
        wait_ready(url, server)
        started = time.perf_counter()
        timings = sorted(run(url, body, args.requests, args.warmup, args.concurrency))
        wall = time.perf_counter() - started
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)

    figures = {
        "note_chars": len(text),
        "requests": len(timings),
        "concurrency": args.concurrency,
        "p50_ms": round(percentile(timings, 0.50), 2),
        "p90_ms": round(percentile(timings, 0.90), 2),
        "p99_ms": round(percentile(timings, 0.99), 2),
        "max_ms": round(timings[-1], 2),
        "mean_ms": round(statistics.fmean(timings), 2),
        "throughput_rps": round(len(timings) / wall, 1),
    }
    verdict = "met" if figures["p99_ms"] < TARGET_P99_MS else "NOT met"
    if args.json:
        print(json.dumps(figures))
    else:
        print(
            f"{figures['requests']} requests, note of {figures['note_chars']:,} characters, "
            f"{args.concurrency} client thread(s), 1 worker\n"
            f"p50 {figures['p50_ms']} ms   p90 {figures['p90_ms']} ms   p99 {figures['p99_ms']} ms   "
            f"max {figures['max_ms']} ms   mean {figures['mean_ms']} ms   {figures['throughput_rps']} req/s\n"
            f"target p99 < {TARGET_P99_MS:.0f} ms: {verdict}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
