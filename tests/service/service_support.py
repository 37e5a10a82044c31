"""Helpers for the service tests: corpus notes, a stand-in coder, a real server process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from extractor.errors import DEFAULT_MAX_CHARS
from extractor.models import ClaimLine, CodingResult, CodingWarning, Evidence
from extractor.note_input import check_note

ROOT = Path(__file__).resolve().parents[2]
CORPORA = ROOT / "corpora"
SAMPLE_NOTE = CORPORA / "sample" / "sample.txt"


def corpus_notes() -> list[Path]:
    return sorted(CORPORA.glob("**/*.txt"))


def evidence_of(text: str, needle: str) -> list[Evidence]:
    start = text.find(needle)
    return [Evidence(start=start, end=start + len(needle), text=needle)] if start >= 0 else []


class FakeCoder:
    """Stands in for ``code_note``: checks the note like it, counts calls, codes 'L4-L5' as 64493."""

    def __init__(self) -> None:
        self.calls = 0
        self.fail_with: BaseException | None = None

    def __call__(
        self, text: str, payer: str = "medicare", *, max_chars: int = DEFAULT_MAX_CHARS
    ) -> CodingResult:
        self.calls += 1
        if self.fail_with is not None:
            raise self.fail_with
        check_note(text, max_chars)
        lines = []
        if "L4-L5" in text:
            lines.append(
                ClaimLine(
                    code="64493",
                    modifiers=["50", "KX"],
                    joints=["L4-L5"],
                    evidence=evidence_of(text, "L4-L5"),
                )
            )
        warnings_ = [
            CodingWarning(
                id="MISSING_PAIN_SCORES", severity="warning", message="No pain scores.", evidence=[]
            )
        ]
        return CodingResult(payer=payer, lines=lines, warnings=warnings_)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ServerProcess:
    """``python -m extractor.service`` on a free loopback port, stderr captured to a file."""

    def __init__(self, log_path: Path, *args: str, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self._log = open(log_path, "wb")  # noqa: SIM115 - closed in stop()
        environment = {k: v for k, v in os.environ.items() if not k.startswith("FACETCODE_")}
        environment.update(env or {})
        self.process = subprocess.Popen(
            [sys.executable, "-m", "extractor.service", "--port", str(self.port), *args],
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env=environment,
            cwd=log_path.parent,  # import extractor as this test process does, not from a checkout in cwd
        )

    def wait_ready(self, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited early:\n{self.log_path.read_text(errors='replace')}")
            try:
                if httpx.get(self.url + "/healthz", timeout=1.0).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise RuntimeError("the server did not answer /healthz in time")

    def stop(self) -> str:
        """Stop the server (SIGTERM, then SIGKILL) and return what it logged."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()
        return self.log_path.read_text(errors="replace")
