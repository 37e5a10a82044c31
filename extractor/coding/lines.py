"""Draft lines of one coding session: primary / second / additional codes, units, modifiers.

Decisions (coding-rules §1.2-§1.11): one primary per region and family, on a bilateral level
when there is one; the second level takes the second-level add-on; further injection levels
share one third-and-beyond add-on of 1 unit; further neurotomy joints take one unit each.
"""

from __future__ import annotations

from dataclasses import replace

from .draft import DraftLine, Slot
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


class _Drafter:
    """Makes the draft lines of one session, each carrying the session's family and base rules."""

    def __init__(self, session: Session, tables: CodeTables) -> None:
        self.session = session
        self.family_rank = tables.families.families.index(session.family)
        self.base_rules = (session.family.id,) + session.treatment_rules
        if session.guidance_unknown:
            self.base_rules += ("GUIDANCE-UNKNOWN-AS-IMAGED",)

    def line(
        self,
        code: str,
        slot: Slot,
        levels: list[Level],
        rules: tuple[str, ...],
        side: str | None = None,
        units: int = 1,
    ) -> DraftLine:
        owners = {i for level in levels for i in level.procedures}
        if slot in ("sites", "single") or not owners:
            owners |= set(self.session.procedures)
        return DraftLine(
            code=code,
            slot=slot,
            levels=tuple(levels),
            procedures=tuple(sorted(owners)),
            region=self.session.region,
            family_rank=self.family_rank,
            laterality=side,
            units=units,
            rules=self.base_rules + rules,
        )


def session_lines(session: Session, profile: Profile, tables: CodeTables) -> list[DraftLine]:
    """The lines of one session, in the profile's bilateral format, with KX when it applies."""
    family = session.family
    drafter = _Drafter(session, tables)
    levels = list(session.levels)
    if family.scheme == "sites":
        sites = sum(joint_sides(level.side) for level in levels) or 1
        return [drafter.line(family.site_code(sites), "sites", levels, ("SITES-JOINT-SIDES",))]
    if family.scheme == "single" and family.code:
        return [drafter.line(family.code, "single", levels, ("UNLISTED-ONE-LINE",))]
    if family.primary is None or family.additional is None:
        return []
    if levels:
        drafts = _level_drafts(session, drafter, family.primary, family.additional)
    else:
        rules = ("PRIMARY-ONE-PER-REGION", "LEVEL-UNKNOWN-PRIMARY-ONLY")
        drafts = [drafter.line(family.primary, "primary", [], rules)]
    drafts = [_with_region_rule(line, session.t12_l1_exception) for line in drafts]
    formatted = [out for line in drafts for out in apply_bilateral_format(line, profile, tables)]
    formatted = merge_same_modifiers(formatted)
    if session.diagnostic and profile.kx_on_diagnostic:
        formatted = [_with_kx(line, tables) for line in formatted]
    return formatted


def _level_drafts(session: Session, drafter: _Drafter, primary_code: str, additional: str) -> list[DraftLine]:
    """Primary on the first level of the coding order, then the second and additional add-ons."""
    family = session.family
    order = coding_order(session.levels, session.t12_l1_exception)
    primary, rest = order[0], order[1:]
    primary_rules: tuple[str, ...] = ("PRIMARY-ONE-PER-REGION",)
    if session.t12_l1_exception and family.t12_l1_exception_primary:
        primary_code = family.t12_l1_exception_primary
        primary_rules += ("REGION-T12L1-EXCEPTION",)
    elif primary.joint != session.levels[0].joint:
        primary_rules += ("PRIMARY-ON-BILATERAL",)
    side, side_rule = side_modifier([primary])
    drafts = [drafter.line(primary_code, "primary", [primary], primary_rules + (side_rule,), side)]
    if family.second and rest:
        side, side_rule = side_modifier([rest[0]])
        drafts.append(
            drafter.line(family.second, "second", [rest[0]], ("ADDON-SECOND-LEVEL", side_rule), side)
        )
        rest = rest[1:]
    if rest and family.additional_units == "one":
        side, side_rule = side_modifier(rest)
        rules = ("ADDON-ADDITIONAL-ONE-UNIT", side_rule)
        drafts.append(drafter.line(additional, "additional_one", rest, rules, side))
    elif rest:
        groups: dict[str | None, list[Level]] = {}
        for level in rest:
            groups.setdefault(side_modifier([level])[0], []).append(level)
        for side, group in groups.items():
            rules = ("ADDON-PER-JOINT", side_modifier([group[0]])[1])
            drafts.append(drafter.line(additional, "additional_per_joint", group, rules, side, len(group)))
    return drafts


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
