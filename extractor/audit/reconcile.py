"""``audit_lines``: the pure core of the claim audit (no spaCy).

The note's own lines (``CodingResult.lines``) are the truth for the payer profile. Submitted
lines are reconciled with them in a fixed order, so a specific finding claims a line before the
generic ones can: lines the coding engine never emits (guidance, anesthesia), exact matches,
wrong code families (Category I with ultrasound, thermal codes for non-thermal denervation),
add-ons without their primary, units counted per nerve, bilateral levels split into RT + LT,
then pairs by code (laterality, KX, units), lines the note does not support and lines the claim
lacks. The biologic finding concerns the whole claim.
"""

from __future__ import annotations

from typing import Any

from ..models import CodingResult
from .catalogue import code_data, code_info, noncovered_modifiers
from .code_checks import CodeChecks
from .line_pools import ONE_SIDE, ExpectedSlot, SubmittedSlot
from .models import Finding, SubmittedLine

_SIDE_WORDS = {"RT": "right", "LT": "left"}


def audit_lines(result: CodingResult, submitted: list[SubmittedLine], profile: Any = None) -> list[Finding]:
    """Findings for ``submitted`` against the lines ``result`` supports, in a deterministic order.

    ``profile`` is the payer profile the result was coded with (an object with ``name``, or a
    name); it only names the payer in messages, because the expected lines already apply it.
    """
    payer = getattr(profile, "name", None) or (profile if isinstance(profile, str) else None) or result.payer
    return _Reconciliation(result, submitted, payer).run()


class _Reconciliation(CodeChecks):
    def run(self) -> list[Finding]:
        self.non_facet_lines()
        self.exact_matches()
        self.category_i_with_ultrasound()
        self.thermal_codes_for_nonthermal()
        self.addons_without_primary()
        self.units_per_nerve()
        self._bilateral_as_two_lines()
        self._pairs_by_code()
        self._unsupported()
        self._missing()
        self._biologic()
        return self.findings()

    def _bilateral_as_two_lines(self) -> None:
        for first in self.open():
            if first.state != "open" or first.side not in ONE_SIDE:
                continue
            exp = next((e for e in self.untaken(first.line.code) if e.side == {"50"}), None)
            if exp is None:
                continue
            partner_codes = {first.line.code}
            second_level = _second_level_of(first.line.code)
            if second_level and not any(e.line.code == second_level for e in self.exps):
                partner_codes.add(second_level)
            other_side = ONE_SIDE[1] if first.side == ONE_SIDE[0] else ONE_SIDE[0]
            second = next(
                (
                    s
                    for s in self.open()
                    if s is not first and s.side == other_side and s.line.code in partner_codes
                ),
                None,
            )
            if second is None:
                continue
            exp.taken = True
            first.state = second.state = "settled"
            pair = f"{first.line} and {second.line}"
            suggestion = self.corrected(exp, first)
            self.emit(
                "AUDIT_BILATERAL_AS_TWO_LINES",
                sub=first,
                suggestion=suggestion,
                evidence=exp.line.evidence,
                submitted=pair,
                expected=suggestion,
            )
            for sub in (first, second):
                self._check_kx(sub, exp)

    def _pairs_by_code(self) -> None:
        for sub in self.open():
            if sub.state != "open":
                continue
            exp = self.best(sub, self.untaken(sub.line.code))
            if exp is None:
                continue
            exp.taken, sub.state = True, "settled"
            fifty_on_one_side = False
            if sub.side != exp.side:
                fifty_on_one_side = self._check_laterality(sub, exp)
            self._check_kx(sub, exp)
            if not fifty_on_one_side and sub.line.units != exp.line.units:
                self.emit(
                    "AUDIT_UNITS_MISMATCH",
                    sub=sub,
                    suggestion=self.corrected(exp, sub),
                    evidence=exp.line.evidence,
                    units=sub.line.units,
                    expected_units=exp.line.units,
                    rule=_units_rule(exp),
                )

    def _check_laterality(self, sub: SubmittedSlot, exp: ExpectedSlot) -> bool:
        """Emit the laterality finding of a pair; True when it was 50 on one-sided levels."""
        code = sub.line.code
        both_sides = {e.side for e in self.exps if e.line.code == code} >= set(ONE_SIDE)
        if "50" in sub.side and exp.side in ONE_SIDE and not both_sides:
            lines = [exp, *self.absorb(exp)]
            suggestion = ", ".join(self.corrected(e, sub) for e in lines)
            self.emit(
                "AUDIT_50_ON_SAME_SIDE_LEVELS",
                sub=sub,
                suggestion=suggestion,
                evidence=[ev for e in lines for ev in e.line.evidence],
                side=_SIDE_WORDS[next(iter(exp.side))],
                expected=suggestion,
            )
            return True
        lines = [exp]
        if "50" in sub.side and exp.side in ONE_SIDE:
            lines += [e for e in self.untaken(code) if e.side in ONE_SIDE and e.side != exp.side][:1]
            for e in lines:
                e.taken = True
        suggestion = ", ".join(self.corrected(e, sub) for e in lines)
        self.emit(
            "AUDIT_MODIFIER_MISMATCH",
            sub=sub,
            suggestion=suggestion,
            evidence=[ev for e in lines for ev in e.line.evidence],
            got=_laterality_words(sub.side),
            wanted=" and ".join(_laterality_words(e.side) for e in lines),
            expected=suggestion,
        )
        return False

    def _check_kx(self, sub: SubmittedSlot, exp: ExpectedSlot) -> None:
        if sub.kx == exp.kx:
            return
        procedures = self.context.procedures_for_code(exp.line.code)
        evidence = self.context.field_evidence(procedures, "intent", "diagnostic_session")
        suggestion = self.corrected(exp, sub)
        if exp.kx:
            self.emit("AUDIT_KX_MISUSE", "missing", sub=sub, suggestion=suggestion, evidence=evidence)
        else:
            reason = self._kx_reason(exp)
            self.emit(
                "AUDIT_KX_MISUSE", "extra", sub=sub, suggestion=suggestion, evidence=evidence, reason=reason
            )

    def _kx_reason(self, exp: ExpectedSlot) -> str:
        info = code_info(exp.line.code)
        if info and info.family == "neurotomy":
            return "neurotomy lines (64633-64636) never take KX"
        if info is None or info.family != "injection":
            return "KX goes only on 64490-64495 lines of a diagnostic session"
        intents = self.context.intents(exp.line.code)
        if "therapeutic" in intents:
            return "the note documents a therapeutic injection"
        if "diagnostic" in intents and not any(e.kx for e in self.exps):
            return f"the {self.payer} profile does not use KX"
        return "the note does not document a diagnostic session"

    def _unsupported(self) -> None:
        for sub in self.open():
            duplicate = any(
                other.position < sub.position and other.state != "open" and other.line == sub.line
                for other in self.subs
            )
            exp = None if duplicate else self.replacement(sub, same_rank=True)
            if exp is not None:
                exp.taken = True
            self.emit(
                "AUDIT_CODE_NOT_SUPPORTED",
                "duplicate" if duplicate else "default",
                sub=sub,
                suggestion=f"Replace with {self.corrected(exp, sub)}" if exp else "Remove the line",
                evidence=exp.line.evidence if exp else [],
                supported=self.supported_text(),
            )
            sub.state = "settled"

    def _missing(self) -> None:
        for exp in self.untaken():
            exp.taken = True
            expected = self.corrected(exp)
            self.emit(
                "AUDIT_CODE_MISSING",
                position=len(self.subs) + exp.position,
                suggestion=f"Add {expected}",
                evidence=exp.line.evidence,
                expected=expected,
                label=exp.line.label or exp.line.code,
            )

    def _biologic(self) -> None:
        agents = self.context.biologic_agents()
        if not agents and not self.context.has_warning("BIOLOGIC_INJECTATE"):
            return
        marked = noncovered_modifiers()
        if all(marked & set(sub.line.modifiers) for sub in self.subs):
            return
        self.emit(
            "AUDIT_BIOLOGIC",
            suggestion="Hold the claim for review; if it goes out, mark every line GA (ABN on file) or GZ",
            evidence=self.context.biologic_evidence(),
            agents=", ".join(agents) or "see BIOLOGIC_INJECTATE",
        )


def _laterality_words(side: frozenset[str]) -> str:
    return f"modifier {'-'.join(sorted(side))}" if side else "no laterality modifier"


def _second_level_of(code: str) -> str | None:
    info = code_info(code)
    if info is None or info.rank != "primary":
        return None
    for addon, alternatives in _addon_table().items():
        addon_info = code_info(addon)
        if addon_info and addon_info.rank in {"second", "additional"} and [code] in alternatives[:1]:
            return addon
    return None


def _addon_table() -> dict[str, list[list[str]]]:
    return {code: alts for code, alts in code_data()["addon_requires"].items() if not code.startswith("_")}


def _units_rule(exp: ExpectedSlot) -> str:
    info = code_info(exp.line.code)
    rank = info.rank if info else None
    if rank == "third":
        return "the third-and-any-additional level add-on is 1 unit however many further levels"
    if rank == "additional":
        return f"one unit per additional joint ({exp.line.units} here)"
    if exp.side == {"50"}:
        units = exp.line.units
        return f"this profile reports a bilateral level as one line with modifier 50 and {units} unit(s)"
    return "one unit per line for this code"
