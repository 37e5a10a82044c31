"""The JSONL output: one line per record, appended and flushed as results arrive.

A run killed mid-write can leave a torn last line (no newline). ``prepare_output`` with
``resume`` truncates it away, so its record is coded again rather than duplicated, and
returns the ids already done.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import OutputExists
from .summary import BatchTally


@dataclass
class ExistingOutput:
    done_ids: set[str] = field(default_factory=set)
    torn_bytes: int = 0
    unreadable_lines: int = 0


def prepare_output(path: Path, *, resume: bool, overwrite: bool, tally: BatchTally) -> ExistingOutput:
    """Make ``path`` ready to append to; with ``resume``, repair it and count what it holds."""
    if not path.exists() or path.stat().st_size == 0:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
        return ExistingOutput()
    if overwrite:
        path.write_bytes(b"")
        return ExistingOutput()
    if not resume:
        raise OutputExists(
            f"{path} already holds results: use --resume to continue that run, or --overwrite to start over."
        )
    existing = ExistingOutput()
    good_end = 0
    with open(path, "r+b") as handle:
        for raw in handle:
            if not raw.endswith(b"\n"):
                existing.torn_bytes = len(raw)
                break
            good_end += len(raw)
            try:
                obj = json.loads(raw)
                note_id = obj["id"]
            except (ValueError, KeyError, TypeError):
                existing.unreadable_lines += 1
                continue
            existing.done_ids.add(str(note_id))
            tally.add_output_line(obj)
        if existing.torn_bytes:
            handle.truncate(good_end)
            handle.flush()
            os.fsync(handle.fileno())
    return existing


class ResultWriter:
    """Appends lines; each batch of lines is one write followed by a flush."""

    def __init__(self, path: Path) -> None:
        self.handle = open(path, "ab")  # closed by close()

    def write(self, lines: Iterable[bytes]) -> None:
        data = b"".join(line + b"\n" for line in lines)
        if data:
            self.handle.write(data)
            self.handle.flush()

    def close(self) -> None:
        self.handle.close()
