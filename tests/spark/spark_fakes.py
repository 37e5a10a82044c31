"""A coder for the Spark tests that tells which Python worker coded a row, and which import of it."""

from __future__ import annotations

import os
import uuid

from extractor.models import ClaimLine, CodingResult

BUILD_ID = uuid.uuid4().hex  # new each time a process imports this module


def worker_identity_coder(text: str, payer: str = "medicare") -> CodingResult:
    return CodingResult(
        payer=f"{os.getpid()}:{BUILD_ID}", lines=[ClaimLine(code="64493", units=len(text) % 3 + 1)]
    )
