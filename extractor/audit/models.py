"""The audit's public JSON contract: submitted lines, findings and the result.

A ``SubmittedLine`` is a claim line as someone else coded it (code, modifiers, units) with no
evidence; a ``Finding`` says what is wrong with one submitted line, or with the claim as a whole
(``line`` null), and how to fix it.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from ..models import CodingResult, Evidence, Severity


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SubmittedLine(_Model):
    """One line of the claim under audit; modifiers keep the order they were given in."""

    code: str
    modifiers: list[str] = Field(default_factory=list)
    units: int = Field(default=1, ge=1)

    def __str__(self) -> str:
        return format_line(self.code, self.modifiers, self.units)


class Finding(_Model):
    id: str
    severity: Severity
    message: str
    line: SubmittedLine | None = Field(
        default=None, description="The submitted line the finding concerns; null for the whole claim."
    )
    suggestion: str | None = Field(default=None, description="The corrected line(s), or the action to take.")
    evidence: list[Evidence] = Field(default_factory=list)
    source: str = ""


class AuditResult(_Model):
    """The note's own coding, the claim as submitted, and what the note does not support."""

    coding: CodingResult
    submitted: list[SubmittedLine]
    findings: list[Finding] = Field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(finding.severity == "error" for finding in self.findings)


def format_line(code: str, modifiers: list[str], units: int = 1) -> str:
    """``64493-50-KX``, with `` x2`` when units are not 1: the form ``parse_claim`` reads back."""
    text = "-".join([code, *modifiers])
    return text if units == 1 else f"{text} x{units}"
