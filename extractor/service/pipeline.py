"""The coding pipeline as one worker holds it: warmed once at start-up, called under a lock.

spaCy pipelines are not documented as thread-safe and coding is CPU-bound (the GIL gives
threads no parallelism), so each worker codes one note at a time; scale with ``--workers``.
The callables are injectable so the HTTP layer can be tested without the NLP half.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from ..errors import UnknownPayer, quoted_payer
from .settings import BUILTIN_PAYERS

CodeFunction = Callable[..., Any]
AuditFunction = Callable[..., Any]

# A tiny synthetic note: enough to load every pipe and rule table once.
WARM_UP_NOTE = (
    "PROCEDURE: Bilateral L4-L5 facet joint medial branch block #1, diagnostic.\n"
    "Under fluoroscopic guidance, needle position confirmed on AP and lateral views.\n"
    "0.5 mL of 0.5% bupivacaine at each level. No sedation. Pain 7/10 before, 1/10 after.\n"
)


def _default_code() -> CodeFunction:
    from ..api import code_note

    return code_note


def _default_audit() -> AuditFunction:
    from ..audit import audit_claim

    return audit_claim


class UnknownBuiltInPayer(UnknownPayer):
    """``UnknownPayer`` worded for HTTP callers, who may name built-in profiles only."""

    def __init__(self, name: str, known: list[str]) -> None:
        super().__init__(name, known)
        self.args = (
            f"Unknown payer profile {quoted_payer(name)}. Known profiles: {', '.join(sorted(known))} "
            "(the HTTP API takes built-in profile names only, not file paths).",
        )


def builtin_payers() -> list[str]:
    """The built-in payer profile names (the coding engine's, else the documented three)."""
    try:
        from ..coding.profiles import known_profiles
    except ImportError:
        return list(BUILTIN_PAYERS)
    return known_profiles()


def check_payer_name(payer: str, known: list[str]) -> str:
    """Over HTTP a payer is a built-in profile name: a file path would let a caller read server files."""
    if payer not in known:
        raise UnknownBuiltInPayer(payer, known)
    return payer


class Pipeline:
    def __init__(self, code: CodeFunction | None = None, audit: AuditFunction | None = None) -> None:
        self._code = code
        self._audit = audit
        self._lock = threading.Lock()
        self.warm_seconds: float | None = None

    @property
    def code_function(self) -> CodeFunction:
        if self._code is None:
            self._code = _default_code()
        return self._code

    @property
    def audit_function(self) -> AuditFunction:
        if self._audit is None:
            self._audit = _default_audit()
        return self._audit

    def warm_up(self) -> None:
        started = time.perf_counter()
        self.code(WARM_UP_NOTE, "medicare", max_chars=len(WARM_UP_NOTE))
        self.warm_seconds = time.perf_counter() - started

    def code(self, text: str, payer: str, *, max_chars: int) -> Any:
        try:
            with self._lock:
                return self.code_function(text, payer, max_chars=max_chars)
        except UnknownPayer as error:
            raise UnknownBuiltInPayer(error.name, error.known) from None

    def audit(self, text: str, claim: Any, payer: str, *, max_chars: int) -> Any:
        try:
            with self._lock:
                return self.audit_function(text, claim, payer, max_chars=max_chars)
        except UnknownPayer as error:
            raise UnknownBuiltInPayer(error.name, error.known) from None
