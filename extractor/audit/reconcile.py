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

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..models import ClaimLine, CodingResult, Evidence
from .catalogue import (
    addon_requirements,
    anesthesia_label,
    audited_modifiers,
    code_data,
    code_info,
    finding_definitions,
    guidance_label,
    noncovered_modifiers,
    order_modifiers,
    replacement_kind,
    ultrasound_equivalent,
)
from .models import Finding, SubmittedLine, format_line
from .note_context import NoteContext, describe_nonthermal, merge_evidence

LATERALITY = frozenset({"50", "RT", "LT"})
ONE_SIDE = (frozenset({"RT"}), frozenset({"LT"}))
FACET_FAMILIES = frozenset({"injection", "injection_ultrasound", "neurotomy"})
_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
_SIDE_WORDS = {"RT": "right", "LT": "left"}
_SEDATION_WORDS = {
    "none": "none",
    "local_only": "local anesthesia only",
    "moderate": "moderate sedation",
    "mac": "monitored anesthesia care",
    "general": "general anesthesia",
}


@dataclass(eq=False)
class _Submitted:
    position: int
    line: SubmittedLine
    side: frozenset[str]
    kx: bool
    state: str = "open"  # open | matched (paired, still checked) | settled (owned by a finding)


@dataclass(eq=False)
class _Expected:
    position: int
    line: ClaimLine
    side: frozenset[str]
    kx: bool
    taken: bool = False


@dataclass
class _Emitted:
    key: tuple[int, int, int]
    finding: Finding = field(compare=False)


def audit_lines(result: CodingResult, submitted: list[SubmittedLine], profile: Any = None) -> list[Finding]:
    """Findings for ``submitted`` against the lines ``result`` supports, in a deterministic order.

    ``profile`` is the payer profile the result was coded with (an object with ``name``, or a
    name); it only names the payer in messages, because the expected lines already apply it.
    """
    payer = getattr(profile, "name", None) or (profile if isinstance(profile, str) else None) or result.payer
    return _Reconciliation(result, submitted, payer).run()


class _Reconciliation:
    def __init__(self, result: CodingResult, submitted: list[SubmittedLine], payer: str) -> None:
        self.context = NoteContext(result)
        self.payer = payer
        self.subs = [_submitted(i, line) for i, line in enumerate(submitted)]
        self.exps = [_expected(i, line) for i, line in enumerate(result.lines)]
        self.emitted: list[_Emitted] = []
        self.order = {finding_id: i for i, finding_id in enumerate(finding_definitions())}

    def run(self) -> list[Finding]:
        self._non_facet_lines()
        self._exact_matches()
        self._category_i_with_ultrasound()
        self._thermal_codes_for_nonthermal()
        self._addons_without_primary()
        self._units_per_nerve()
        self._bilateral_as_two_lines()
        self._pairs_by_code()
        self._unsupported()
        self._missing()
        self._biologic()
        return [emitted.finding for emitted in sorted(self.emitted, key=lambda emitted: emitted.key)]

    # -- emitting ---------------------------------------------------------------------------

    def _emit(
        self,
        finding_id: str,
        variant: str = "default",
        *,
        sub: _Submitted | None = None,
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
        self.emitted.append(_Emitted(key, finding))

    # -- helpers ----------------------------------------------------------------------------

    def _open(self) -> list[_Submitted]:
        return [sub for sub in self.subs if sub.state == "open"]

    def _untaken(self, code: str | None = None) -> list[_Expected]:
        return [exp for exp in self.exps if not exp.taken and (code is None or exp.line.code == code)]

    def _best(self, sub: _Submitted, candidates: list[_Expected]) -> _Expected | None:
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

    def _corrected(self, exp: _Expected, sub: _Submitted | None = None) -> str:
        """The expected line, keeping the submitted line's modifiers the audit does not judge (GA, GZ...)."""
        kept = [m for m in sub.line.modifiers if m not in audited_modifiers()] if sub else []
        return format_line(exp.line.code, order_modifiers([*exp.line.modifiers, *kept]), exp.line.units)

    def _group(self, code: str) -> tuple[str, str | None] | None:
        info = code_info(code)
        return (info.family, info.region) if info else None

    def _absorb(self, anchor: _Expected) -> list[_Expected]:
        """Untaken expected lines of ``anchor``'s family and region that no open line claims."""
        group = self._group(anchor.line.code)
        open_codes = {sub.line.code for sub in self._open()}
        absorbed = [
            exp
            for exp in self._untaken()
            if self._group(exp.line.code) == group and exp.line.code not in open_codes
        ]
        for exp in absorbed:
            exp.taken = True
        return absorbed

    def _supported_text(self) -> str:
        return ", ".join(self._corrected(exp) for exp in self.exps) or "no facet procedure line"

    # -- the passes -------------------------------------------------------------------------

    def _non_facet_lines(self) -> None:
        has_facet_code = any(code_info(sub.line.code) for sub in self.subs)
        for sub in self.subs:
            code = sub.line.code
            if label := guidance_label(code):
                evidence = self.context.field_evidence(self.context.result.procedures, "guidance")
                self._emit(
                    "AUDIT_GUIDANCE_UNBUNDLED",
                    "default" if has_facet_code else "alone",
                    sub=sub,
                    suggestion="Remove the line",
                    evidence=evidence,
                    label=label,
                )
                sub.state = "settled"
            elif label := anesthesia_label(code):
                result = self.context.result
                self._emit(
                    "AUDIT_ANESTHESIA_BILLED",
                    sub=sub,
                    suggestion="Remove the line",
                    evidence=result.sedation_evidence,
                    label=label,
                    sedation=_SEDATION_WORDS.get(result.sedation or "", "not documented"),
                )
                sub.state = "settled"

    def _exact_matches(self) -> None:
        for sub in self._open():
            for exp in self._untaken(sub.line.code):
                if (exp.side, exp.kx, exp.line.units) == (sub.side, sub.kx, sub.line.units):
                    exp.taken, sub.state = True, "matched"
                    break

    def _category_i_with_ultrasound(self) -> None:
        for sub in self._open():
            equivalent = ultrasound_equivalent(sub.line.code)
            if equivalent is None:
                continue
            region = _region(sub.line.code)
            same_region = [code_info(exp.line.code) for exp in self.exps]
            fluoro_lines = [i for i in same_region if i and i.family == "injection" and i.region == region]
            us_lines = [
                i for i in same_region if i and i.family == "injection_ultrasound" and i.region == region
            ]
            procedures = self.context.ultrasound_injections(region)
            if fluoro_lines or not (us_lines or procedures):
                continue
            exp = self._best(sub, self._untaken(equivalent))
            if exp is not None:
                exp.taken = True
                suggestion = self._corrected(exp, sub)
            else:
                kept = [m for m in sub.line.modifiers if m != "KX"]
                suggestion = format_line(equivalent, order_modifiers(kept), sub.line.units)
            self._emit(
                "AUDIT_CATEGORY_I_WITH_ULTRASOUND",
                sub=sub,
                suggestion=suggestion,
                evidence=[
                    *self.context.field_evidence(procedures, "guidance"),
                    *(exp.line.evidence if exp else []),
                ],
                expected=suggestion,
            )
            sub.state = "settled"

    def _thermal_codes_for_nonthermal(self) -> None:
        replaced = False
        for sub in self._open():
            info = code_info(sub.line.code)
            if info is None or info.family != "neurotomy":
                continue
            if any(self._group(exp.line.code) == ("neurotomy", info.region) for exp in self.exps):
                continue
            procedures = self.context.nonthermal_neurotomies(info.region)
            if not procedures and not self.context.has_warning("NONTHERMAL_DENERVATION"):
                continue
            exp = self._best(sub, self._untaken("64999"))
            if exp is not None:
                exp.taken = True
            if exp is not None or not replaced:
                suggestion = self._corrected(exp, sub) if exp else "64999"
                replaced = True
            else:
                suggestion = "Remove the line (one 64999 line covers the session)"
            technique = (
                ", ".join(sorted({describe_nonthermal(p) for p in procedures})) or "non-thermal denervation"
            )
            self._emit(
                "AUDIT_RF_CODE_FOR_NONTHERMAL",
                sub=sub,
                suggestion=suggestion,
                evidence=[
                    *self.context.field_evidence(procedures, "technique", "temperature_c"),
                    *self.context.warning_evidence("NONTHERMAL_DENERVATION"),
                ],
                technique=technique,
            )
            sub.state = "settled"

    def _addons_without_primary(self) -> None:
        present = {sub.line.code for sub in self.subs if code_info(sub.line.code)}
        for sub in self.subs:
            if sub.state == "settled":
                continue
            alternatives = addon_requirements(sub.line.code)
            if not alternatives or any(all(code in present for code in alt) for alt in alternatives):
                continue
            missing = [code for code in alternatives[0] if code not in present]
            requires = " + ".join(alternatives[0])
            if len(alternatives) > 1:
                requires += " (or " + " + ".join(alternatives[1]) + " under the T12-L1 exception)"
            if sub.state == "matched":
                exp = next((e for e in self._untaken() if e.line.code in missing), None)
                suggestion = (
                    f"Add {self._corrected(exp)}" if exp else f"Add {' + '.join(missing)}, or remove the line"
                )
            else:
                exp = self._replacement(sub, same_rank=True) or next(
                    (e for e in self._untaken() if e.line.code in missing), None
                )
                suggestion = (
                    f"Replace with {self._corrected(exp, sub)}"
                    if exp
                    else f"Remove the line, or add {requires}"
                )
            if exp is not None:
                exp.taken = True
            self._emit(
                "AUDIT_ADDON_WITHOUT_PRIMARY",
                sub=sub,
                suggestion=suggestion,
                evidence=exp.line.evidence if exp else [],
                requires=requires,
            )
            sub.state = "settled"

    def _units_per_nerve(self) -> None:
        groups = {group for sub in self._open() if (group := self._group(sub.line.code)) is not None}
        for group in sorted(groups, key=str):
            family, _region = group
            if family not in FACET_FAMILIES:
                continue
            subs = [
                sub for sub in self.subs if self._group(sub.line.code) == group and sub.state != "settled"
            ]
            exps = [exp for exp in self.exps if self._group(exp.line.code) == group]
            if not exps:
                continue
            eligible = family == "neurotomy" or any(self.context.names_nerves(exp.line.code) for exp in exps)
            claimed, supported = _levels(s.line for s in subs), _levels(e.line for e in exps)
            if not eligible or claimed <= supported:
                continue
            joints = sorted({joint for exp in exps for joint in exp.line.joints}) or ["not named"]
            fields: dict[str, Any] = {"claimed": claimed, "supported": supported, "joints": ", ".join(joints)}
            for sub in [s for s in subs if s.state == "open"]:
                exp = self._best(sub, self._untaken(sub.line.code))
                if exp is None:
                    if _rank(sub.line.code) == "primary":
                        continue
                    self._emit(
                        "AUDIT_UNITS_PER_NERVE", "extra_line", sub=sub, suggestion="Remove the line", **fields
                    )
                elif sub.line.units > exp.line.units and not _bilateral_units(sub, exp):
                    exp.taken = True
                    lines = [exp, *self._absorb(exp)]
                    suggestion = ", ".join(self._corrected(e, sub) for e in lines)
                    evidence = [ev for e in lines for ev in e.line.evidence]
                    self._emit(
                        "AUDIT_UNITS_PER_NERVE", sub=sub, suggestion=suggestion, evidence=evidence, **fields
                    )
                else:
                    continue
                sub.state = "settled"

    def _bilateral_as_two_lines(self) -> None:
        for first in self._open():
            if first.state != "open" or first.side not in ONE_SIDE:
                continue
            exp = next((e for e in self._untaken(first.line.code) if e.side == {"50"}), None)
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
                    for s in self._open()
                    if s is not first and s.side == other_side and s.line.code in partner_codes
                ),
                None,
            )
            if second is None:
                continue
            exp.taken = True
            first.state = second.state = "settled"
            pair = f"{first.line} and {second.line}"
            suggestion = self._corrected(exp, first)
            self._emit(
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
        for sub in self._open():
            if sub.state != "open":
                continue
            exp = self._best(sub, self._untaken(sub.line.code))
            if exp is None:
                continue
            exp.taken, sub.state = True, "settled"
            fifty_on_one_side = False
            if sub.side != exp.side:
                fifty_on_one_side = self._check_laterality(sub, exp)
            self._check_kx(sub, exp)
            if not fifty_on_one_side and sub.line.units != exp.line.units:
                self._emit(
                    "AUDIT_UNITS_MISMATCH",
                    sub=sub,
                    suggestion=self._corrected(exp, sub),
                    evidence=exp.line.evidence,
                    units=sub.line.units,
                    expected_units=exp.line.units,
                    rule=_units_rule(exp),
                )

    def _check_laterality(self, sub: _Submitted, exp: _Expected) -> bool:
        """Emit the laterality finding of a pair; True when it was 50 on one-sided levels."""
        code = sub.line.code
        both_sides = {e.side for e in self.exps if e.line.code == code} >= set(ONE_SIDE)
        if "50" in sub.side and exp.side in ONE_SIDE and not both_sides:
            lines = [exp, *self._absorb(exp)]
            suggestion = ", ".join(self._corrected(e, sub) for e in lines)
            self._emit(
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
            lines += [e for e in self._untaken(code) if e.side in ONE_SIDE and e.side != exp.side][:1]
            for e in lines:
                e.taken = True
        suggestion = ", ".join(self._corrected(e, sub) for e in lines)
        self._emit(
            "AUDIT_MODIFIER_MISMATCH",
            sub=sub,
            suggestion=suggestion,
            evidence=[ev for e in lines for ev in e.line.evidence],
            got="-".join(sorted(sub.side)) or "none",
            wanted=" and ".join("-".join(sorted(e.side)) or "none" for e in lines),
            expected=suggestion,
        )
        return False

    def _check_kx(self, sub: _Submitted, exp: _Expected) -> None:
        if sub.kx == exp.kx:
            return
        procedures = self.context.procedures_for_code(exp.line.code)
        evidence = self.context.field_evidence(procedures, "intent", "diagnostic_session")
        suggestion = self._corrected(exp, sub)
        if exp.kx:
            self._emit("AUDIT_KX_MISUSE", "missing", sub=sub, suggestion=suggestion, evidence=evidence)
        else:
            reason = self._kx_reason(exp)
            self._emit(
                "AUDIT_KX_MISUSE", "extra", sub=sub, suggestion=suggestion, evidence=evidence, reason=reason
            )

    def _kx_reason(self, exp: _Expected) -> str:
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

    def _replacement(self, sub: _Submitted, same_rank: bool) -> _Expected | None:
        kind = replacement_kind(sub.line.code)
        if kind is None:
            return None
        for exp in self._untaken():
            if replacement_kind(exp.line.code) == kind and (
                not same_rank or _rank(exp.line.code) == _rank(sub.line.code)
            ):
                return exp
        return None

    def _unsupported(self) -> None:
        for sub in self._open():
            duplicate = any(
                other.position < sub.position and other.state != "open" and other.line == sub.line
                for other in self.subs
            )
            exp = None if duplicate else self._replacement(sub, same_rank=True)
            if exp is not None:
                exp.taken = True
            self._emit(
                "AUDIT_CODE_NOT_SUPPORTED",
                "duplicate" if duplicate else "default",
                sub=sub,
                suggestion=f"Replace with {self._corrected(exp, sub)}" if exp else "Remove the line",
                evidence=exp.line.evidence if exp else [],
                supported=self._supported_text(),
            )
            sub.state = "settled"

    def _missing(self) -> None:
        for exp in self._untaken():
            exp.taken = True
            expected = self._corrected(exp)
            self._emit(
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
        self._emit(
            "AUDIT_BIOLOGIC",
            suggestion="Hold the claim for review; if it goes out, mark every line GA (ABN on file) or GZ",
            evidence=self.context.biologic_evidence(),
            agents=", ".join(agents) or "see BIOLOGIC_INJECTATE",
        )


def _submitted(position: int, line: SubmittedLine) -> _Submitted:
    return _Submitted(position, line, frozenset(line.modifiers) & LATERALITY, "KX" in line.modifiers)


def _expected(position: int, line: ClaimLine) -> _Expected:
    return _Expected(position, line, frozenset(line.modifiers) & LATERALITY, "KX" in line.modifiers)


def _levels(lines: Iterable[SubmittedLine | ClaimLine]) -> int:
    """Levels a set of lines reports: per code the largest units (RT and LT lines count once)."""
    units: dict[str, int] = {}
    for line in lines:
        units[line.code] = max(units.get(line.code, 0), line.units)
    return sum(units.values())


def _rank(code: str) -> str | None:
    info = code_info(code)
    return info.rank if info else None


def _region(code: str) -> str | None:
    info = code_info(code)
    return info.region if info else None


def _bilateral_units(sub: _Submitted, exp: _Expected) -> bool:
    """50 x 2 on a 50 x 1 line: a payer's bilateral convention, not nerve counting."""
    return sub.side == exp.side == {"50"} and sub.line.units == 2 * exp.line.units


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


def _units_rule(exp: _Expected) -> str:
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
