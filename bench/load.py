"""Load the HTTP service: N concurrent clients on loopback for S seconds, then stop.

    python bench/load.py [--clients 50] [--seconds 60] [--bad-share 0.05] [--workers 1]

Starts ``facetcode serve`` on a free loopback port (or uses ``--url``), waits until it is warm,
then runs ``--clients`` clients, each sending requests one after another: dev-corpus notes to
``POST /v1/code``, with about ``--bad-share`` of bad requests mixed in (notes over the size
limit, bodies over the body limit, malformed JSON). Reports requests/s, p50/p99 latency of the
good requests and the errors; exits 1 unless every good request got its 200 and a result,
every bad one its 4xx with a JSON error, and the server logged no unhandled error.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpora" / "dev"

# kind -> (expected status, expected error type)
EXPECTED = {
    "good": (200, None),
    "over the note limit": (413, "NOTE_TOO_LARGE"),
    "over the body limit": (413, "NOTE_TOO_LARGE"),
    "malformed JSON": (400, "MALFORMED_JSON"),
}


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: {kind: [] for kind in EXPECTED})
    sent: Counter[str] = field(default_factory=Counter)
    as_expected: Counter[str] = field(default_factory=Counter)
    problems: Counter[str] = field(default_factory=Counter)
    details: list[str] = field(default_factory=list)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """``facetcode serve`` as a subprocess, its log in a temporary file."""

    def __init__(self, workers: int, max_chars: int) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.NamedTemporaryFile(prefix="facet-load-", suffix=".log", delete=False)  # noqa: SIM115
        env = {key: value for key, value in os.environ.items() if not key.startswith("FACETCODE_")}
        command = [sys.executable, "-m", "extractor.cli", "serve", "--port", str(self.port)]
        command += ["--workers", str(workers), "--max-chars", str(max_chars), "--log-level", "warning"]
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT, env=env, cwd=ROOT)

    def wait_warm(self, timeout: float = 180.0) -> float:
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited:\n{self.log_text()}")
            try:
                health = httpx.get(self.url + "/healthz", timeout=2.0)
                if health.status_code == 200 and health.json().get("warm"):
                    return time.monotonic() - started
            except httpx.TransportError:
                pass
            time.sleep(0.25)
        raise RuntimeError("the server was not warm in time")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def log_text(self) -> str:
        return Path(self.log.name).read_text(errors="replace")


def corpus_notes() -> list[str]:
    return [path.read_text(encoding="utf-8") for path in sorted(CORPUS.rglob("*.txt"))]


def request_for(kind: str, notes: list[str], rng: random.Random, max_chars: int) -> tuple[bytes, str]:
    """(body, kind): the JSON body of one request of ``kind``."""
    if kind == "good":
        return json.dumps({"text": rng.choice(notes)}).encode(), kind
    if kind == "over the note limit":  # parsed, then refused by the size check
        note = rng.choice(notes)
        return json.dumps({"text": (note * (max_chars // len(note) + 2))[: max_chars + 1]}).encode(), kind
    if kind == "over the body limit":  # refused from Content-Length, before it is read
        return b'{"text": "' + b"x" * (max_chars * 12 + 70 * 1024) + b'"}', kind
    note = rng.choice(notes)
    cut = rng.randrange(1, len(note))
    return ('{"text": "' + note[:cut].replace("\\", "").replace('"', "")).encode(), kind


async def client(
    http: httpx.AsyncClient,
    deadline: float,
    tally: Tally,
    notes: list[str],
    args: argparse.Namespace,
    seed: int,
) -> None:
    rng = random.Random(seed)
    bad_kinds = [kind for kind in EXPECTED if kind != "good"]
    while time.monotonic() < deadline:
        kind = rng.choice(bad_kinds) if rng.random() < args.bad_share else "good"
        body, kind = request_for(kind, notes, rng, args.max_chars)
        tally.sent[kind] += 1
        started = time.perf_counter()
        try:
            response = await http.post("/v1/code", content=body, headers={"content-type": "application/json"})
        except httpx.HTTPError as error:
            tally.problems[f"{kind}: {type(error).__name__}"] += 1
            elapsed = time.perf_counter() - started
            tally.details.append(f"{kind}: {type(error).__name__} ({error!r}) after {elapsed:.2f}s")
            continue
        tally.latencies[kind].append(time.perf_counter() - started)
        status, error_type = EXPECTED[kind]
        problem = _check(response, status, error_type)
        if problem:
            tally.problems[f"{kind}: {problem}"] += 1
        else:
            tally.as_expected[kind] += 1


def _check(response: httpx.Response, status: int, error_type: str | None) -> str | None:
    if response.status_code != status:
        return f"status {response.status_code}"
    try:
        body = response.json()
    except ValueError:
        return "a body that is not JSON"
    if error_type is None:
        return None if "lines" in body and "warnings" in body else "a 200 without a result"
    return None if body.get("error", {}).get("type") == error_type else f"error {body.get('error')}"


async def run_clients(url: str, args: argparse.Namespace, notes: list[str]) -> tuple[Tally, float]:
    tally = Tally()
    limits = httpx.Limits(max_connections=args.clients, max_keepalive_connections=args.clients)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=args.request_timeout) as http:
        started = time.monotonic()
        deadline = started + args.seconds
        await asyncio.gather(
            *(client(http, deadline, tally, notes, args, seed) for seed in range(args.clients))
        )
        return tally, time.monotonic() - started


def _ms(values: list[float], quantile: float) -> str:
    if not values:
        return "-"
    ordered = sorted(values)
    return f"{1000 * ordered[min(len(ordered) - 1, int(quantile * len(ordered)))]:.0f} ms"


def report(tally: Tally, seconds: float, server_errors: list[str], args: argparse.Namespace) -> int:
    total = sum(tally.sent.values())
    good = tally.latencies["good"]
    print(f"load: {args.clients} clients for {seconds:.1f}s on loopback, {args.workers} server worker(s)")
    print(f"  requests: {total:,} ({total / seconds:.1f}/s); good ones answered: {len(good):,}")
    if good:
        print(
            f"  good latency: p50 {_ms(good, 0.50)}, p99 {_ms(good, 0.99)}, max {_ms(good, 1.0)}, "
            f"mean {1000 * statistics.fmean(good):.0f} ms"
        )
    for kind, (status, _) in EXPECTED.items():
        print(f"  {kind}: sent {tally.sent[kind]:,}, got {status}: {tally.as_expected[kind]:,}")
    failed = sum(tally.problems.values()) + len(server_errors)
    print(f"  errors: {failed}")
    for problem, count in tally.problems.most_common():
        print(f"    {count}x {problem}")
    for line in tally.details[:10]:
        print(f"      {line}")
    for line in server_errors[:10]:
        print(f"    server: {line}")
    every_bad_answered = all(
        tally.as_expected[kind] == tally.sent[kind] for kind in EXPECTED if kind != "good"
    )
    print(f"  every oversized/malformed request got its 4xx: {'yes' if every_bad_answered else 'NO'}")
    print(f"  no good request failed: {'yes' if tally.as_expected['good'] == tally.sent['good'] else 'NO'}")
    return 0 if failed == 0 and tally.sent["good"] > 0 else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--bad-share", type=float, default=0.05, help="share of bad requests (default 0.05)")
    parser.add_argument("--workers", type=int, default=1, help="server worker processes (default 1)")
    parser.add_argument("--max-chars", type=int, default=200_000, help="the server's note size limit")
    parser.add_argument("--request-timeout", type=float, default=120.0)
    parser.add_argument("--url", help="load a server already running here instead of starting one")
    args = parser.parse_args(argv)
    notes = corpus_notes()
    server = None
    try:
        if args.url:
            url = args.url.rstrip("/")
        else:
            server = Server(args.workers, args.max_chars)
            print(
                f"server: facetcode serve on {server.url}, warm after {server.wait_warm():.1f}s", flush=True
            )
            url = server.url
        tally, seconds = asyncio.run(run_clients(url, args, notes))
    finally:
        if server is not None:
            server.stop()
    server_errors = []
    if server is not None:
        server_errors = [
            line for line in server.log_text().splitlines() if " ERROR " in line or "Traceback" in line
        ]
        Path(server.log.name).unlink(missing_ok=True)
    return report(tally, seconds, server_errors, args)


if __name__ == "__main__":
    sys.exit(main())
