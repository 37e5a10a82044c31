"""Fuzz ``code_note`` for N minutes with the generators of the hardening tests.

    python bench/fuzz.py --minutes 10 [--long-line-chars 190000] [--input-seconds 20] [--out /tmp/facet-fuzz]

Runs the generators of ``tests/hardening/near_notes.py`` (arbitrary unicode, note vocabulary in
any order, damaged corpus notes with lines up to ``--long-line-chars``) in turns, each input
checked by ``check_outcome``: a result or a typed error, every evidence span equal to the text at
its offsets, the same JSON twice. An input that takes longer than ``--input-seconds`` counts as a
failure too (super-linear time). Hypothesis shrinks each new failure; the smallest failing input
is saved as JSON under ``--out``. A failure already seen (same exception and place) is counted,
not shrunk again. Exit status 1 when anything failed.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time
import traceback
import warnings
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve()
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from hardening.near_notes import (  # noqa: E402
    PAYERS,
    check_outcome,
    near_notes,
    token_soup,
    unicode_text,
)
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.errors import HypothesisWarning  # noqa: E402

BATCH = 40  # examples per hypothesis run; the clock is checked between runs


class Overtime(Exception):
    """The input took longer than --input-seconds."""


def _alarm(signum, frame) -> None:
    raise Overtime


def failure_key(error: BaseException) -> str:
    """Exception type, first line of its message and the innermost frame of the project (for
    ``Overtime``, where the clock ran out): one bug, one key."""
    frames = [
        frame for frame in traceback.extract_tb(error.__traceback__) if Path(frame.filename).resolve() != HERE
    ]
    where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
    if isinstance(error, Overtime):
        return f"Overtime at {where}"
    first_line = (str(error).splitlines() or [""])[0][:160]
    return f"{type(error).__name__} at {where}: {first_line}"


class FuzzRun:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.out = Path(args.out)
        self.out.mkdir(parents=True, exist_ok=True)
        self.deadline = time.monotonic() + args.minutes * 60
        self.stop_shrinking_at = self.deadline + args.shrink_minutes * 60
        self.tried: Counter[str] = Counter()
        self.outcomes: Counter[str] = Counter()
        self.failures: dict[str, dict] = {}
        self.failure_counts: Counter[str] = Counter()
        self.slowest = (0.0, "")
        self.last: dict | None = None

    def generators(self) -> list[tuple[str, st.SearchStrategy[str]]]:
        return [
            ("unicode", unicode_text(max_size=3000)),
            ("soup", token_soup(max_tokens=400)),
            ("near", near_notes(long_line_chars=self.args.long_line_chars, max_edits=6)),
        ]

    def check(self, name: str, text: str, payer: str) -> None:
        if time.monotonic() > self.stop_shrinking_at:
            return  # out of time: let hypothesis finish shrinking with what it has
        self.tried[name] += 1
        started = time.monotonic()
        signal.setitimer(signal.ITIMER_REAL, self.args.input_seconds)
        try:
            outcome = check_outcome(text, payer)
        except BaseException as error:
            key = failure_key(error)
            self.failure_counts[key] += 1
            if key in self.failures:
                return  # known: counted, not shrunk again
            self.last = {
                "generator": name,
                "key": key,
                "payer": payer,
                "chars": len(text),
                "text": text,
                "traceback": "".join(traceback.format_exception(error))[-6000:],
            }
            raise
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        elapsed = time.monotonic() - started
        if elapsed > self.slowest[0]:
            self.slowest = (elapsed, f"{name}, {len(text):,} chars")
        self.outcomes[outcome if outcome.startswith("error:") else "result"] += 1

    def run_batch(self, name: str, strategy: st.SearchStrategy[str]) -> None:
        @settings(
            max_examples=BATCH,
            deadline=None,
            database=None,
            phases=[Phase.generate, Phase.shrink],
            suppress_health_check=list(HealthCheck),
            report_multiple_bugs=False,
        )
        @given(strategy, st.sampled_from(PAYERS))
        def fuzz(text: str, payer: str) -> None:
            self.check(name, text, payer)

        self.last = None
        try:
            fuzz()
        except BaseException as error:  # noqa: BLE001 - whatever hypothesis re-raised after shrinking
            if isinstance(error, KeyboardInterrupt):
                raise
            if self.last is not None:
                self.save(self.last)

    def save(self, failure: dict) -> None:
        index = len(self.failures) + 1
        path = self.out / f"failure-{index:02d}-{failure['generator']}.json"
        path.write_text(json.dumps(failure, indent=2, ensure_ascii=True), encoding="ascii")
        self.failures[failure["key"]] = {**failure, "path": str(path)}
        print(f"FAILURE {index}: {failure['key']} ({failure['chars']:,} chars) -> {path}", flush=True)

    def run(self) -> int:
        warnings.simplefilter("ignore", HypothesisWarning)  # "overly large repr" of long inputs
        signal.signal(signal.SIGALRM, _alarm)
        started = time.monotonic()
        generators = self.generators()
        turn = 0
        while time.monotonic() < self.deadline:
            name, strategy = generators[turn % len(generators)]
            self.run_batch(name, strategy)
            turn += 1
        return self.report(time.monotonic() - started)

    def report(self, seconds: float) -> int:
        total = sum(self.tried.values())
        print(f"fuzz: {total:,} inputs in {seconds / 60:.1f} min ({total / max(seconds, 1e-9):.1f}/s)")
        print("  per generator: " + ", ".join(f"{name} {n:,}" for name, n in sorted(self.tried.items())))
        print("  outcomes: " + ", ".join(f"{name} {n:,}" for name, n in self.outcomes.most_common()))
        print(f"  slowest passing input: {self.slowest[0]:.2f}s ({self.slowest[1]})")
        if not self.failures:
            print("  failures: 0")
            return 0
        print(f"  failures: {len(self.failures)} distinct")
        for key, failure in self.failures.items():
            print(f"    {self.failure_counts[key]}x {key}\n       smallest: {failure['path']}")
        return 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=5.0, help="time to generate inputs (default 5)")
    parser.add_argument(
        "--shrink-minutes", type=float, default=3.0, help="extra time allowed to shrink the last failure"
    )
    parser.add_argument(
        "--long-line-chars", type=int, default=190_000, help="longest inserted line (default 190,000)"
    )
    parser.add_argument(
        "--input-seconds", type=float, default=20.0, help="an input slower than this fails (default 20)"
    )
    parser.add_argument("--out", default="/tmp/facet-fuzz", help="folder for failing inputs")
    return FuzzRun(parser.parse_args(argv)).run()


if __name__ == "__main__":
    sys.exit(main())
