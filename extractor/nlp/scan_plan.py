"""The plan cache: where every rule of a scanner can start, kept on disk between processes.

Working out a plan parses every rule pattern (``start_keys``): about 0.4 s of a 2 s cold start
for the two scanners. The plan depends only on the patterns, the flags, the key length, the
Python version (its regex parser) and our analysis code, so a file named by a hash of those is
valid for as long as it exists. It is plain data written with ``marshal`` (no code runs when it
is read), holds rule patterns only (never note text), and is rebuilt if it is missing,
unreadable or malformed. A read-only or missing cache directory only costs the rebuild.

``FACETCODE_CACHE_DIR`` names the directory (empty: no cache); the default is
``$XDG_CACHE_HOME/facet-coder`` (``~/.cache/facet-coder``).
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

ByHead = dict[str, tuple[tuple[int, int, tuple[frozenset[str], ...]], ...]]
"""Head (first one or two keys) -> (pass, rule, key sets of the following characters)."""

CACHE_ENV = "FACETCODE_CACHE_DIR"
_ANALYSIS_CODE = ("start_keys.py", "rule_scan.py", "scan_plan.py")


class ScanPlan(NamedTuple):
    at_word: ByHead
    """Starts of rules that may match where a word starts."""
    elsewhere: ByHead
    """Starts of rules that may match at other characters."""
    whole: tuple[int, ...]
    """Passes with a rule that could start anywhere (run with ``finditer``)."""
    sweeps: tuple[str | None, str | None]
    """Patterns finding the non-word positions to try (see ``RuleScanner._sweep_patterns``)."""


def cache_dir() -> Path | None:
    configured = os.environ.get(CACHE_ENV)
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "facet-coder"


def plan_key(patterns: Sequence[Sequence[str]], flags: int, key_length: int) -> str:
    digest = hashlib.sha256()
    digest.update(
        repr((tuple(map(tuple, patterns)), flags, key_length, sys.version_info[:2], marshal.version)).encode()
    )
    here = Path(__file__).parent
    for name in _ANALYSIS_CODE:
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:32]


def _valid(data: object) -> bool:
    return (
        isinstance(data, tuple)
        and len(data) == 4
        and isinstance(data[0], dict)
        and isinstance(data[1], dict)
        and isinstance(data[2], tuple)
        and isinstance(data[3], tuple)
        and len(data[3]) == 2
    )


def _read(path: Path) -> ScanPlan | None:
    try:
        data = marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    return ScanPlan(*data) if _valid(data) else None


def _write(path: Path, plan: ScanPlan) -> None:
    """Written to a temporary file and renamed: a reader never sees half a plan."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(marshal.dumps(tuple(plan)))
            os.replace(temporary, path)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
    except (OSError, ValueError):
        return


def cached(
    patterns: Sequence[Sequence[str]], flags: int, key_length: int, build: Callable[[], ScanPlan]
) -> ScanPlan:
    """The plan from the cache, else ``build()`` (stored for the next process)."""
    directory = cache_dir()
    if directory is None:
        return build()
    path = directory / f"scan-plan-{plan_key(patterns, flags, key_length)}.marshal"
    plan = _read(path)
    if plan is None:
        plan = build()
        _write(path, plan)
    return plan
