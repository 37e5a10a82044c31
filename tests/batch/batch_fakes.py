"""A stand-in for ``code_note`` that tests the batch machinery without the NLP half.

It codes one claim line per ``L<n>`` level it finds and obeys markers in the text:
``DIE_ALWAYS`` (the worker exits at once), ``DIE_ONCE <path>`` (exits the first time, creating
``path``), ``SIGKILL_SELF``, ``RAISE``, ``HANG`` (never returns). ``BATCH_FAKE_DELAY`` (seconds)
slows every note down.
"""

from __future__ import annotations

import os
import re
import signal
import time
from pathlib import Path

from extractor.models import ClaimLine, CodingResult, CodingWarning, Evidence

_LEVEL = re.compile(r"\bL([1-5])\b")


def fake_code_note(text: str, payer: str = "medicare") -> CodingResult:
    delay = float(os.environ.get("BATCH_FAKE_DELAY", "0") or 0)
    if delay:
        time.sleep(delay)
    if "DIE_ALWAYS" in text:
        os._exit(3)
    if "SIGKILL_SELF" in text:
        os.kill(os.getpid(), signal.SIGKILL)
    once = re.search(r"DIE_ONCE (\S+)", text)
    if once and not Path(once.group(1)).exists():
        Path(once.group(1)).write_text("died")
        os._exit(3)
    if "HANG" in text:
        time.sleep(3600)
    if "RAISE" in text:
        raise RuntimeError("the fake coder was told to fail")
    lines = [
        ClaimLine(
            code=f"6449{match.group(1)}",
            evidence=[Evidence(start=match.start(), end=match.end(), text=match.group())],
        )
        for match in _LEVEL.finditer(text)
    ]
    warnings = (
        [] if lines else [CodingWarning(id="NO_FACET_PROCEDURE", severity="warning", message="no level")]
    )
    return CodingResult(payer=payer, lines=lines, warnings=warnings)


def expected_codes(text: str) -> list[str]:
    return [f"6449{level}" for level in _LEVEL.findall(text)]
