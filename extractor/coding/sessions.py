"""Group today's facet procedures into coding sessions: one per code family and region.

A session is what gets one primary code: all levels of one family (e.g. fluoroscopic facet
injection, IA and MBB alike) in one region, merged across procedures, so right L4-L5 in one
procedure and left L4-L5 in another make one bilateral level.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..models import NoteFacts, Procedure, Region
from .joints import L1_L2, T12_L1, Level, levels_from_joints, merge_levels
from .profiles import Profile
from .tables import CodeTables, Family, Treatment, guidance_key


@dataclass(frozen=True)
class Session:
    """Levels that share one primary code (scheme levels) or one note-level line (sites, single)."""

    family: Family
    region: Region | None
    levels: tuple[Level, ...]
    procedures: tuple[int, ...]
    diagnostic: bool
    guidance_unknown: bool
    t12_l1_exception: bool = False
    treatment_rules: tuple[str, ...] = ()


def treatment_of(procedure: Procedure, tables: CodeTables) -> Treatment | None:
    """injection / neurotomy_thermal / neurotomy_nonthermal, or None for a non-facet procedure."""
    treatments = tables.families.treatments
    nonthermal = treatments["neurotomy_nonthermal"]
    if procedure.kind in treatments["injection"].kinds:
        return "injection"
    if procedure.kind in nonthermal.kinds or procedure.technique in nonthermal.techniques:
        return "neurotomy_nonthermal"
    if procedure.kind in treatments["neurotomy_thermal"].kinds:
        below = nonthermal.below_temperature_c
        exempt = procedure.technique in nonthermal.temperature_exempt_techniques
        if below is not None and not exempt and procedure.temperature_c is not None:
            if procedure.temperature_c < below:
                return "neurotomy_nonthermal"
        return "neurotomy_thermal"
    return None


def split_by_region(
    levels: list[Level], profile: Profile, lumbar_family: Family | None
) -> dict[Region, tuple[list[Level], bool]]:
    """Levels per coding region, and whether T12-L1 is the forced primary of the lumbar session.

    T12-L1 is cervical/thoracic per CPT; with the profile's CGS/NGS exception on, T12-L1 + L1-L2
    in one session move together into one lumbar session whose primary is on T12-L1.
    """
    joints = {level.joint for level in levels}
    exception = bool(
        profile.t12_l1_lumbar_exception
        and lumbar_family is not None
        and lumbar_family.t12_l1_exception_primary
        and {T12_L1, L1_L2} <= joints
    )
    regions: dict[Region, tuple[list[Level], bool]] = {}
    for level in levels:
        region: Region = "lumbar_sacral" if exception and level.joint == T12_L1 else level.region
        regions.setdefault(region, ([], exception and region == "lumbar_sacral"))[0].append(level)
    return regions


def build_sessions(facts: NoteFacts, profile: Profile, tables: CodeTables) -> list[Session]:
    buckets: dict[tuple[str, ...], list[int]] = {}
    for index, procedure in enumerate(facts.procedures):
        treatment = treatment_of(procedure, tables)
        if treatment is None:
            continue
        key = _family_key(treatment, procedure, tables)
        if key:
            buckets.setdefault(key, []).append(index)
    sessions: list[Session] = []
    for indices in buckets.values():
        sessions.extend(_bucket_sessions(facts, indices, profile, tables))
    return sessions


def _family_key(treatment: Treatment, procedure: Procedure, tables: CodeTables) -> tuple[str, ...]:
    guidance = guidance_key(procedure.guidance)
    found = [
        tables.families.find(treatment, guidance, region) for region in ("cervical_thoracic", "lumbar_sacral")
    ]
    return tuple(family.id for family in found if family is not None)


def _bucket_sessions(
    facts: NoteFacts, indices: list[int], profile: Profile, tables: CodeTables
) -> list[Session]:
    first = facts.procedures[indices[0]]
    treatment = treatment_of(first, tables)
    if treatment is None:
        return []
    guidance = guidance_key(first.guidance)
    per_procedure = {i: levels_from_joints(facts.procedures[i].joints, i) for i in indices}
    levels = merge_levels(level for i in indices for level in per_procedure[i])
    without_levels = [i for i in indices if not per_procedure[i]]
    rule = tables.families.treatments[treatment].rule
    treatment_rules = (rule,) if rule else ()

    def session(
        family: Family, region: Region | None, chosen: list[Level], extra: list[int], forced: bool
    ) -> Session:
        owners = sorted({i for level in chosen for i in level.procedures} | set(extra))
        return Session(
            family=family,
            region=region,
            levels=tuple(chosen),
            procedures=tuple(owners),
            diagnostic=any(facts.procedures[i].intent == "diagnostic" for i in owners),
            guidance_unknown=any(facts.procedures[i].guidance is None for i in owners),
            t12_l1_exception=forced,
            treatment_rules=treatment_rules,
        )

    note_level = tables.families.find(treatment, guidance, None)
    if note_level is not None:
        return [session(note_level, None, levels, without_levels, False)]

    lumbar = tables.families.find(treatment, guidance, "lumbar_sacral")
    result: list[Session] = []
    by_region = split_by_region(levels, profile, lumbar)
    for region, (chosen, forced) in by_region.items():
        family = tables.families.find(treatment, guidance, region)
        if family is not None:
            result.append(session(family, region, chosen, [], forced))
    # A procedure with no level but a known region still had one level done there: primary only.
    unplaced: dict[Region, list[int]] = {}
    for i in without_levels:
        stated = facts.procedures[i].region
        if stated is not None and stated not in by_region:
            unplaced.setdefault(stated, []).append(i)
    for region, owners in unplaced.items():
        family = tables.families.find(treatment, guidance, region)
        if family is not None:
            result.append(session(family, region, [], owners, False))
    return result
