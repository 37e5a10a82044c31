"""A coding result for a coder at a terminal: the claim lines as an aligned table, then the
warnings grouped by severity (errors first), each with its message, quoted evidence and source."""

from __future__ import annotations

import textwrap

from ..models import ClaimLine, CodingResult

_SEVERITIES = {"error": "ERRORS", "warning": "WARNINGS", "info": "INFO"}
_HEADERS = ("Code", "Modifiers", "Units", "Joints", "Label")
_QUOTE_LIMIT = 100
_WIDTH = 100


def render_text(result: CodingResult) -> str:
    out = [f"Facet coding (payer: {result.payer})", ""]
    out.extend(_line_table(result.lines) if result.lines else ["No claim lines."])
    out.append("")
    if not result.warnings:
        out.append("No warnings.")
    for severity, heading in _SEVERITIES.items():
        warnings = [warning for warning in result.warnings if warning.severity == severity]
        if not warnings:
            continue
        out.append(f"{heading} ({len(warnings)})")
        for warning in warnings:
            out.append(f"  {warning.id}")
            out.extend(
                textwrap.wrap(warning.message, _WIDTH, initial_indent="    ", subsequent_indent="    ")
            )
            out.extend(f"    Evidence: {_quote(evidence.text)}" for evidence in warning.evidence)
            if warning.source:
                out.append(f"    Source: {warning.source}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _line_table(lines: list[ClaimLine]) -> list[str]:
    rows = [
        (line.code, "-".join(line.modifiers), str(line.units), ", ".join(line.joints), line.label)
        for line in lines
    ]
    widths = [max(len(header), *(len(row[i]) for row in rows)) for i, header in enumerate(_HEADERS)]

    def fmt(cells: tuple[str, ...]) -> str:
        code, modifiers, units, joints, label = cells
        return "  ".join(
            [
                f"  {code:<{widths[0]}}",
                f"{modifiers:<{widths[1]}}",
                f"{units:>{widths[2]}}",
                f"{joints:<{widths[3]}}",
                label,
            ]
        ).rstrip()

    rule = tuple("-" * width for width in widths)
    return [fmt(_HEADERS), fmt(rule), *(fmt(row) for row in rows)]


def _quote(text: str) -> str:
    flat = " ".join(text.split())
    if len(flat) > _QUOTE_LIMIT:
        flat = flat[: _QUOTE_LIMIT - 1] + "…"
    return f'"{flat}"'
