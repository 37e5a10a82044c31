"""The working state of one audit: submitted and expected lines as slots that get matched,
taken or settled, and the emitting of findings in a deterministic order.

A submitted slot is ``open`` until a pass claims it; ``matched`` once paired with an identical
expected line (later passes may still judge it, e.g. an add-on without its primary); ``settled``
once a finding owns it. An expected line is ``taken`` once a submitted line or a finding's
suggestion accounts for it; what is left untaken becomes AUDIT_CODE_MISSING.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..models import ClaimLine, CodingResult, Evidence
from .catalogue import audited_modifiers, code_info, finding_definitions, order_modifiers, replacement_kind
from .models import Finding, SubmittedLine, format_line
from .note_context import NoteContext, merge_evidence

LATERALITY = frozenset({"50", "RT", "LT"})
ONE_SIDE = (frozenset({"RT"}), frozenset({"LT"}))
_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(eq=False)
class SubmittedSlot:
    position: int
    line: SubmittedLine
    side: frozenset[str]
    kx: bool
    state: str = "open"  # open | matched (paired, still checked) | settled (owned by a finding)


@dataclass(eq=False)
class ExpectedSlot:
    position: int
    line: ClaimLine
    side: frozenset[str]
    kx: bool
    taken: bool = False


@dataclass
class EmittedFinding:
    key: tuple[int, int, int]
    finding: Finding = field(compare=False)


class LinePools:
    def __init__(self, result: CodingResult, submitted: list[SubmittedLine], payer: str) -> None:
        self.context = NoteContext(result)
        self.payer = payer
        self.subs = [_submitted(i, line) for i, line in enumerate(submitted)]
        self.exps = [_expected(i, line) for i, line in enumerate(result.lines)]
        self.emitted: list[EmittedFinding] = []
        self.order = {finding_id: i for i, finding_id in enumerate(finding_definitions())}

    def findings(self) -> list[Finding]:
        return [emitted.finding for emitted in sorted(self.emitted, key=lambda emitted: emitted.key)]

    def emit(
        self,
        finding_id: str,
        variant: str = "default",
        *,
        sub: SubmittedSlot | None = None,
        position: int | None = None,
        suggestion: str | None = None,
        evidence: Iterable[Evidence] = (),
        **fields: Any,
    ) -> None:
        definition = finding_definitions()[finding_id]
        if sub is not None:
            fields.setdefault("submitted", str(sub.line))
            fields.setdefault("code", sub.line.code)
            position = sub.position
        fields.setdefault("payer", self.payer)
        finding = Finding(
            id=finding_id,
            severity=definition.severity,
            message=definition.message(variant, **fields),
            line=sub.line if sub is not None else None,
            suggestion=suggestion,
            evidence=merge_evidence(evidence),
            source=definition.source,
        )
        key = (
            _SEVERITY_ORDER[definition.severity],
            -1 if position is None else position,
            self.order[finding_id],
        )
        self.emitted.append(EmittedFinding(key, finding))

    # -- helpers ----------------------------------------------------------------------------

    def open(self) -> list[SubmittedSlot]:
        return [sub for sub in self.subs if sub.state == "open"]

    def untaken(self, code: str | None = None) -> list[ExpectedSlot]:
        return [exp for exp in self.exps if not exp.taken and (code is None or exp.line.code == code)]

    def best(self, sub: SubmittedSlot, candidates: list[ExpectedSlot]) -> ExpectedSlot | None:
        if not candidates:
            return None
        return max(
            candidates,
            key=lambda exp: (
                exp.side == sub.side,
                exp.kx == sub.kx,
                exp.line.units == sub.line.units,
                -exp.position,
            ),
        )

    def corrected(self, exp: ExpectedSlot, sub: SubmittedSlot | None = None) -> str:
        """The expected line, keeping the submitted line's modifiers the audit does not judge (GA, GZ...)."""
        kept = [m for m in sub.line.modifiers if m not in audited_modifiers()] if sub else []
        return format_line(exp.line.code, order_modifiers([*exp.line.modifiers, *kept]), exp.line.units)

    def group(self, code: str) -> tuple[str, str | None] | None:
        info = code_info(code)
        return (info.family, info.region) if info else None

    def absorb(self, anchor: ExpectedSlot) -> list[ExpectedSlot]:
        """Untaken expected lines of ``anchor``'s family and region that no open line claims."""
        group = self.group(anchor.line.code)
        open_codes = {sub.line.code for sub in self.open()}
        absorbed = [
            exp
            for exp in self.untaken()
            if self.group(exp.line.code) == group and exp.line.code not in open_codes
        ]
        for exp in absorbed:
            exp.taken = True
        return absorbed

    def supported_text(self) -> str:
        return ", ".join(self.corrected(exp) for exp in self.exps) or "no facet procedure line"

    # -- the passes -------------------------------------------------------------------------

    def replacement(self, sub: SubmittedSlot, same_rank: bool) -> ExpectedSlot | None:
        kind = replacement_kind(sub.line.code)
        if kind is None:
            return None
        for exp in self.untaken():
            if replacement_kind(exp.line.code) == kind and (
                not same_rank or rank_of(exp.line.code) == rank_of(sub.line.code)
            ):
                return exp
        return None


def _submitted(position: int, line: SubmittedLine) -> SubmittedSlot:
    return SubmittedSlot(position, line, frozenset(line.modifiers) & LATERALITY, "KX" in line.modifiers)


def _expected(position: int, line: ClaimLine) -> ExpectedSlot:
    return ExpectedSlot(position, line, frozenset(line.modifiers) & LATERALITY, "KX" in line.modifiers)


def levels(lines: Iterable[SubmittedLine | ClaimLine]) -> int:
    """Levels a set of lines reports: per code the largest units (RT and LT lines count once)."""
    units: dict[str, int] = {}
    for line in lines:
        units[line.code] = max(units.get(line.code, 0), line.units)
    return sum(units.values())


def rank_of(code: str) -> str | None:
    info = code_info(code)
    return info.rank if info else None


def region_of(code: str) -> str | None:
    info = code_info(code)
    return info.region if info else None


def bilateral_units(sub: SubmittedSlot, exp: ExpectedSlot) -> bool:
    """50 x 2 on a 50 x 1 line: a payer's bilateral convention, not nerve counting."""
    return sub.side == exp.side == {"50"} and sub.line.units == 2 * exp.line.units
