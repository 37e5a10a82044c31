"""Progress on stderr: a tqdm bar on a terminal, plain periodic lines otherwise, nothing with --quiet.

Only counts are shown (done / total, notes per second, ETA, errors so far): never note text.
"""

from __future__ import annotations

import io
import os
import sys
import time
from typing import TextIO


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}h{minutes:02d}m{secs:02d}s" if hours else f"{minutes}m{secs:02d}s"


class Progress:
    """``advance`` after each batch of records written; ``note`` for events such as a worker death."""

    def __init__(
        self,
        total: int,
        initial: int = 0,
        *,
        quiet: bool = False,
        stream: TextIO | None = None,
        interval: float = 10.0,
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.total = max(total, initial)
        self.initial = initial
        self.done = initial
        self.errors = 0
        self.interval = interval
        self.started = time.monotonic()
        self.last_line = self.started
        self.mode = "quiet" if quiet else ("bar" if _is_tty(self.stream) else "plain")
        self.bar = None
        if self.mode == "bar":
            from tqdm import tqdm

            self.bar = tqdm(
                total=self.total,
                initial=initial,
                unit="note",
                file=self.stream,
                dynamic_ncols=True,
                smoothing=0.05,
                desc="facetcode batch",
            )
            self.bar.set_postfix(errors=0, refresh=False)

    def advance(self, records: int, errors: int) -> None:
        self.done += records
        self.errors += errors
        if self.bar is not None:
            self.bar.set_postfix(errors=self.errors, refresh=False)
            self.bar.update(records)
        elif self.mode == "plain":
            now = time.monotonic()
            if now - self.last_line >= self.interval:
                self.last_line = now
                self._line(now)

    def _line(self, now: float) -> None:
        elapsed = max(now - self.started, 1e-9)
        rate = (self.done - self.initial) / elapsed
        left = max(self.total - self.done, 0)
        eta = _duration(left / rate) if rate > 0 else "?"
        percent = 100.0 * self.done / self.total if self.total else 100.0
        print(
            f"facetcode batch: {self.done}/{self.total} ({percent:.0f}%) | {rate:.1f} notes/s | "
            f"ETA {eta} | errors {self.errors}",
            file=self.stream,
            flush=True,
        )

    def note(self, message: str) -> None:
        if self.mode == "quiet":
            return
        if self.bar is not None:
            self.bar.write(f"facetcode batch: {message}", file=self.stream)
        else:
            print(f"facetcode batch: {message}", file=self.stream, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
        elif self.mode == "plain":
            self._line(time.monotonic())


def _is_tty(stream: TextIO) -> bool:
    """A terminal a bar can be drawn on (a pseudo-terminal of 0 columns gets plain lines)."""
    try:
        if not stream.isatty():
            return False
        return os.get_terminal_size(stream.fileno()).columns > 0
    except (AttributeError, ValueError, OSError, io.UnsupportedOperation):
        return _claims_tty(stream)  # a stream without a file descriptor, e.g. in tests


def _claims_tty(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
