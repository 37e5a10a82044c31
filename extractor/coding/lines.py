"""Claim lines from coding sessions: primary / second / additional codes, units, modifiers.

Decisions (coding-rules §1.2-§1.11): one primary per region and family, on a bilateral level
when there is one; the second level takes the second-level add-on; further injection levels
share one third-and-beyond add-on of 1 unit; further neurotomy joints take one unit each.
"""

from __future__ import annotations

from dataclasses import replace

from ..models import ClaimLine, NoteFacts
from .draft import REGION_ORDER, SLOT_ORDER, DraftLine, Slot
from .evidence import evidence_union
from .joints import T12_L1, Level, joint_sides
from .laterality import apply_bilateral_format, merge_same_modifiers, side_modifier
from .profiles import Profile
from .sessions import Session
from .tables import CodeTables


def coding_order(levels: tuple[Level, ...], t12_l1_exception: bool) -> list[Level]:
    """Levels in the order codes are assigned: the primary's level first, then cranial to caudal."""
    ordered = sorted(levels, key=lambda level: level.index)
    primary = next((lv for lv in ordered if lv.joint == T12_L1), None) if t12_l1_exception else None
    if primary is None:
        primary = next((lv for lv in ordered if lv.side == "bilateral"), ordered[0] if ordered else None)
    if primary is None:
        return []
    return [primary] + [level for level in ordered if level is not primary]


def session_lines(session: Session, profile: Profile, tables: CodeTables) -> list[DraftLine]:
    family = session.family
    base_rules = (family.id,) + session.treatment_rules
    if session.guidance_unknown:
        base_rules += ("GUIDANCE-UNKNOWN-AS-IMAGED",)

    def draft(
        code: str,
        slot: Slot,
        levels: list[Level],
        rules: tuple[str, ...],
        side: str | None = None,
        units: int = 1,
    ) -> DraftLine:
        owners = {i for level in levels for i in level.procedures}
        if slot in ("sites", "single") or not owners:
            owners |= set(session.procedures)
        return DraftLine(
            code=code,
            slot=slot,
            levels=tuple(levels),
            procedures=tuple(sorted(owners)),
            region=session.region,
            family_rank=tables.families.families.index(family),
            laterality=side,
            units=units,
            rules=base_rules + rules,
        )

    if family.scheme == "sites":
        sites = sum(joint_sides(level.side) for level in session.levels) or 1
        return [draft(family.site_code(sites), "sites", list(session.levels), ("SITES-JOINT-SIDES",))]
    if family.scheme == "single" and family.code:
        return [draft(family.code, "single", list(session.levels), ("UNLISTED-ONE-LINE",))]
    if family.primary is None or family.additional is None:
        return []

    order = coding_order(session.levels, session.t12_l1_exception)
    if not order:
        return [
            draft(family.primary, "primary", [], ("PRIMARY-ONE-PER-REGION", "LEVEL-UNKNOWN-PRIMARY-ONLY"))
        ]
    drafts: list[DraftLine] = []
    primary, rest = order[0], order[1:]
    primary_code = family.primary
    primary_rules: tuple[str, ...] = ("PRIMARY-ONE-PER-REGION",)
    if session.t12_l1_exception and family.t12_l1_exception_primary:
        primary_code = family.t12_l1_exception_primary
        primary_rules += ("REGION-T12L1-EXCEPTION",)
    elif primary.joint != session.levels[0].joint:
        primary_rules += ("PRIMARY-ON-BILATERAL",)
    side, side_rule = side_modifier([primary])
    drafts.append(draft(primary_code, "primary", [primary], primary_rules + (side_rule,), side))
    if family.second and rest:
        side, side_rule = side_modifier([rest[0]])
        drafts.append(draft(family.second, "second", [rest[0]], ("ADDON-SECOND-LEVEL", side_rule), side))
        rest = rest[1:]
    if rest and family.additional_units == "one":
        side, side_rule = side_modifier(rest)
        drafts.append(
            draft(family.additional, "additional_one", rest, ("ADDON-ADDITIONAL-ONE-UNIT", side_rule), side)
        )
    elif rest:
        groups: dict[str | None, list[Level]] = {}
        for level in rest:
            groups.setdefault(side_modifier([level])[0], []).append(level)
        for side, group in groups.items():
            rules = ("ADDON-PER-JOINT", side_modifier([group[0]])[1])
            drafts.append(
                draft(family.additional, "additional_per_joint", group, rules, side, units=len(group))
            )
    drafts = [_with_region_rule(line, session.t12_l1_exception) for line in drafts]
    formatted = [out for line in drafts for out in apply_bilateral_format(line, profile, tables)]
    formatted = merge_same_modifiers(formatted)
    if session.diagnostic and profile.kx_on_diagnostic:
        formatted = [_with_kx(line, tables) for line in formatted]
    return formatted


def _with_region_rule(line: DraftLine, t12_l1_exception: bool) -> DraftLine:
    if t12_l1_exception:
        rule = "REGION-T12L1-EXCEPTION"
    elif any(level.joint == T12_L1 for level in line.levels):
        rule = "REGION-T12L1-CPT"
    else:
        return line
    return line if rule in line.rules else replace(line, rules=line.rules + (rule,))


def _with_kx(line: DraftLine, tables: CodeTables) -> DraftLine:
    if not tables.codes.codes[line.code].takes_kx:
        return line
    return replace(line, kx=True, rules=line.rules + ("KX-DIAGNOSTIC",))


def merge_note_level(lines: list[DraftLine]) -> list[DraftLine]:
    """Single-line codes (64999) from several families become one line for the note."""
    result: list[DraftLine] = []
    by_code: dict[str, int] = {}
    for line in lines:
        if line.slot != "single":
            result.append(line)
            continue
        if line.code in by_code:
            position = by_code[line.code]
            result[position] = result[position].combine(line, units=1)
        else:
            by_code[line.code] = len(result)
            result.append(line)
    return result


def line_sort_key(line: DraftLine, tables: CodeTables) -> tuple[object, ...]:
    modifiers = [tables.codes.modifier_rank(m) for m in _modifiers(line, tables)]
    return (
        REGION_ORDER[line.line_region],
        line.family_rank,
        SLOT_ORDER[line.slot],
        line.first_index,
        modifiers,
        line.code,
    )


def _modifiers(line: DraftLine, tables: CodeTables) -> list[str]:
    entry = tables.codes.codes[line.code]
    modifiers = []
    if line.laterality and entry.takes_laterality:
        modifiers.append(line.laterality)
    if line.kx and entry.takes_kx:
        modifiers.append("KX")
    return sorted(modifiers, key=tables.codes.modifier_rank)


def to_claim_line(line: DraftLine, facts: NoteFacts, tables: CodeTables) -> ClaimLine:
    modifiers = _modifiers(line, tables)
    rules = list(dict.fromkeys(line.rules + (("MODIFIER-ORDER",) if len(modifiers) > 1 else ())))
    evidence = evidence_union(
        *(level.evidence for level in line.levels),
        *(facts.procedures[i].evidence for i in line.procedures),
    )
    return ClaimLine(
        code=line.code,
        modifiers=modifiers,
        units=line.units,
        label=tables.label(line.code),
        joints=[level.joint for level in line.levels],
        evidence=evidence,
        rules=rules,
    )


def build_claim_lines(
    sessions: list[Session], facts: NoteFacts, profile: Profile, tables: CodeTables
) -> tuple[list[DraftLine], list[ClaimLine]]:
    drafts = merge_note_level(
        [line for session in sessions for line in session_lines(session, profile, tables)]
    )
    drafts.sort(key=lambda line: line_sort_key(line, tables))
    return drafts, [to_claim_line(line, facts, tables) for line in drafts]
