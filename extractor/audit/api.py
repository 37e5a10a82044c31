"""``audit_claim``: code the note, then check the submitted claim against what it supports."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import DEFAULT_MAX_CHARS
from ..models import CodingResult
from .claim_parser import parse_claim
from .models import AuditResult, SubmittedLine
from .reconcile import audit_lines


def audit_claim(
    text: str,
    claim: str | Sequence[Mapping[str, Any] | SubmittedLine],
    payer: str = "medicare",
    *,
    max_chars: int = DEFAULT_MAX_CHARS,
) -> AuditResult:
    """Audit ``claim`` (a claim string or a list of ``{code, modifiers, units}``) against ``text``.

    The claim is parsed first, so a malformed claim raises ``InvalidClaim`` before any NLP work;
    bad notes and payers raise the typed errors of ``code_note``.
    """
    submitted = parse_claim(claim)
    result = _code_note(text, payer, max_chars)
    findings = audit_lines(result, submitted, _load_profile(payer))
    return AuditResult(coding=result, submitted=submitted, findings=findings)


def _code_note(text: str, payer: str, max_chars: int) -> CodingResult:
    from ..api import code_note

    return code_note(text, payer=payer, max_chars=max_chars)


def _load_profile(payer: str) -> Any:
    from ..coding import load_profile

    return load_profile(payer)
