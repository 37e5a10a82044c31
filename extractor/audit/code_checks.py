"""Audit passes that judge a line by its code alone, before any pairing by code: lines the
coding engine never emits (guidance, anesthesia), exact matches, the wrong code family for the
guidance or the technique, add-ons without their primary, and units counted per nerve.
"""

from __future__ import annotations

from typing import Any

from .catalogue import (
    addon_requirements,
    anesthesia_label,
    code_info,
    guidance_label,
    order_modifiers,
    ultrasound_equivalent,
)
from .line_pools import LinePools, bilateral_units, levels, rank_of, region_of
from .models import format_line
from .note_context import describe_nonthermal

FACET_FAMILIES = frozenset({"injection", "injection_ultrasound", "neurotomy"})
_SEDATION_WORDS = {
    "none": "none",
    "local_only": "local anesthesia only",
    "moderate": "moderate sedation",
    "mac": "monitored anesthesia care",
    "general": "general anesthesia",
}


class CodeChecks(LinePools):
    def non_facet_lines(self) -> None:
        has_facet_code = any(code_info(sub.line.code) for sub in self.subs)
        for sub in self.subs:
            code = sub.line.code
            if label := guidance_label(code):
                evidence = self.context.field_evidence(self.context.result.procedures, "guidance")
                self.emit(
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
                self.emit(
                    "AUDIT_ANESTHESIA_BILLED",
                    sub=sub,
                    suggestion="Remove the line",
                    evidence=result.sedation_evidence,
                    label=label,
                    sedation=_SEDATION_WORDS.get(result.sedation or "", "not documented"),
                )
                sub.state = "settled"

    def exact_matches(self) -> None:
        for sub in self.open():
            for exp in self.untaken(sub.line.code):
                if (exp.side, exp.kx, exp.line.units) == (sub.side, sub.kx, sub.line.units):
                    exp.taken, sub.state = True, "matched"
                    break

    def category_i_with_ultrasound(self) -> None:
        for sub in self.open():
            equivalent = ultrasound_equivalent(sub.line.code)
            if equivalent is None:
                continue
            region = region_of(sub.line.code)
            same_region = [code_info(exp.line.code) for exp in self.exps]
            fluoro_lines = [i for i in same_region if i and i.family == "injection" and i.region == region]
            us_lines = [
                i for i in same_region if i and i.family == "injection_ultrasound" and i.region == region
            ]
            procedures = self.context.ultrasound_injections(region)
            if fluoro_lines or not (us_lines or procedures):
                continue
            exp = self.best(sub, self.untaken(equivalent))
            if exp is not None:
                exp.taken = True
                suggestion = self.corrected(exp, sub)
            else:
                kept = [m for m in sub.line.modifiers if m != "KX"]
                suggestion = format_line(equivalent, order_modifiers(kept), sub.line.units)
            self.emit(
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

    def thermal_codes_for_nonthermal(self) -> None:
        replaced = False
        for sub in self.open():
            info = code_info(sub.line.code)
            if info is None or info.family != "neurotomy":
                continue
            if any(self.group(exp.line.code) == ("neurotomy", info.region) for exp in self.exps):
                continue
            procedures = self.context.nonthermal_neurotomies(info.region)
            if not procedures and not self.context.has_warning("NONTHERMAL_DENERVATION"):
                continue
            exp = self.best(sub, self.untaken("64999"))
            if exp is not None:
                exp.taken = True
            if exp is not None or not replaced:
                suggestion = self.corrected(exp, sub) if exp else "64999"
                replaced = True
            else:
                suggestion = "Remove the line (one 64999 line covers the session)"
            technique = (
                ", ".join(sorted({describe_nonthermal(p) for p in procedures})) or "non-thermal denervation"
            )
            self.emit(
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

    def addons_without_primary(self) -> None:
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
                exp = next((e for e in self.untaken() if e.line.code in missing), None)
                suggestion = (
                    f"Add {self.corrected(exp)}" if exp else f"Add {' + '.join(missing)}, or remove the line"
                )
            else:
                exp = self.replacement(sub, same_rank=True) or next(
                    (e for e in self.untaken() if e.line.code in missing), None
                )
                suggestion = (
                    f"Replace with {self.corrected(exp, sub)}"
                    if exp
                    else f"Remove the line, or add {requires}"
                )
            if exp is not None:
                exp.taken = True
            self.emit(
                "AUDIT_ADDON_WITHOUT_PRIMARY",
                sub=sub,
                suggestion=suggestion,
                evidence=exp.line.evidence if exp else [],
                requires=requires,
            )
            sub.state = "settled"

    def units_per_nerve(self) -> None:
        groups = {group for sub in self.open() if (group := self.group(sub.line.code)) is not None}
        for group in sorted(groups, key=str):
            family, _region = group
            if family not in FACET_FAMILIES:
                continue
            subs = [sub for sub in self.subs if self.group(sub.line.code) == group and sub.state != "settled"]
            exps = [exp for exp in self.exps if self.group(exp.line.code) == group]
            if not exps:
                continue
            eligible = family == "neurotomy" or any(self.context.names_nerves(exp.line.code) for exp in exps)
            claimed, supported = levels(s.line for s in subs), levels(e.line for e in exps)
            if not eligible or claimed <= supported:
                continue
            joints = sorted({joint for exp in exps for joint in exp.line.joints}) or ["not named"]
            fields: dict[str, Any] = {"claimed": claimed, "supported": supported, "joints": ", ".join(joints)}
            for sub in [s for s in subs if s.state == "open"]:
                exp = self.best(sub, self.untaken(sub.line.code))
                if exp is None:
                    if rank_of(sub.line.code) == "primary":
                        continue
                    self.emit(
                        "AUDIT_UNITS_PER_NERVE", "extra_line", sub=sub, suggestion="Remove the line", **fields
                    )
                elif sub.line.units > exp.line.units and not bilateral_units(sub, exp):
                    exp.taken = True
                    lines = [exp, *self.absorb(exp)]
                    suggestion = ", ".join(self.corrected(e, sub) for e in lines)
                    evidence = [ev for e in lines for ev in e.line.evidence]
                    self.emit(
                        "AUDIT_UNITS_PER_NERVE", sub=sub, suggestion=suggestion, evidence=evidence, **fields
                    )
                else:
                    continue
                sub.state = "settled"
