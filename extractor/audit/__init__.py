"""Claim audit: check a claim someone else coded against what the note supports (issue #4).

``audit_lines`` is the pure core (a ``CodingResult`` and submitted lines in, findings out; no
spaCy); ``audit_claim`` codes the note first. Importing this package loads no NLP.
"""

from __future__ import annotations

from .api import audit_claim
from .claim_parser import parse_claim
from .models import AuditResult, Finding, SubmittedLine, format_line
from .reconcile import audit_lines

__all__ = [
    "AuditResult",
    "Finding",
    "SubmittedLine",
    "audit_claim",
    "audit_lines",
    "format_line",
    "parse_claim",
]
