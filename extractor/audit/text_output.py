"""The audit for a coder at a terminal: submitted vs supported lines side by side (``!`` marks a
submitted line with a finding or not among the supported lines), then the findings by severity,
each with its suggestion and the quoted evidence."""

from __future__ import annotations

from .catalogue import audited_modifiers
from .models import AuditResult, format_line

_SEVERITIES = ("error", "warning", "info")
_QUOTE_LIMIT = 100


def render_text(audit: AuditResult) -> str:
    supported_keys = {_key(line) for line in audit.coding.lines}
    flagged = {str(finding.line) for finding in audit.findings if finding.line is not None}
    submitted = [
        ("! " if str(line) in flagged or _key(line) not in supported_keys else "  ") + str(line)
        for line in audit.submitted
    ]
    supported = [format_line(line.code, line.modifiers, line.units) for line in audit.coding.lines]
    width = max([len("Submitted claim") + 2, *(len(text) for text in submitted)]) + 4
    out = [f"Claim audit (payer: {audit.coding.payer})", ""]
    out.append(f"  {'Submitted claim':<{width - 2}}Supported by the note")
    for row in range(max(len(submitted), len(supported), 1)):
        left = submitted[row] if row < len(submitted) else ""
        right = supported[row] if row < len(supported) else ("(no line)" if row == 0 else "")
        out.append(f"{left:<{width}}{right}".rstrip())
    out.append("")
    if not audit.findings:
        out.append("No findings: the claim matches what the note supports.")
    for severity in _SEVERITIES:
        findings = [finding for finding in audit.findings if finding.severity == severity]
        if not findings:
            continue
        out.append(f"{severity.upper()}S ({len(findings)})")
        for finding in findings:
            concerns = f" on {finding.line}" if finding.line is not None else ""
            out.append(f"  {finding.id}{concerns}")
            out.append(f"    {finding.message}")
            if finding.suggestion:
                out.append(f"    Suggestion: {finding.suggestion}")
            quotes = list(dict.fromkeys(_quote(evidence.text) for evidence in finding.evidence))
            if quotes:
                out.append(f"    Evidence: {', '.join(quotes)}")
        out.append("")
    if audit.coding.warnings:
        ids = ", ".join(sorted({warning.id for warning in audit.coding.warnings}))
        out.append(f"The note's own coding warnings (facetcode code for details): {ids}")
    return "\n".join(out).rstrip() + "\n"


def _key(line) -> tuple[str, frozenset[str], int]:
    return line.code, frozenset(line.modifiers) & audited_modifiers(), line.units


def _quote(text: str) -> str:
    flat = " ".join(text.split())
    if len(flat) > _QUOTE_LIMIT:
        flat = flat[: _QUOTE_LIMIT - 1] + "…"
    return f'"{flat}"'
