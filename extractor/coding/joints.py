"""Facet joints as coding levels: canonical names, spinal order, region and merged sides.

A level is one facet joint, whatever the number of nerves treated; right + left of one joint is
one bilateral level (coding-rules §1.2, §6).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..models import Evidence, JointFact, Region, Side

_SEGMENTS = (
    [f"C{n}" for n in range(2, 8)] + [f"T{n}" for n in range(1, 13)] + [f"L{n}" for n in range(1, 6)] + ["S1"]
)
CANONICAL_JOINTS: tuple[str, ...] = tuple(f"{a}-{b}" for a, b in zip(_SEGMENTS, _SEGMENTS[1:], strict=False))
_INDEX = {name: i for i, name in enumerate(CANONICAL_JOINTS)}
_FIRST_LUMBAR = _INDEX["L1-L2"]
T12_L1 = "T12-L1"
L1_L2 = "L1-L2"

_JOINT_RE = re.compile(
    r"^\s*([CTLS])\s*(\d{1,2})\s*[-/\u2013\u2014]\s*([CTLS])?\s*(\d{1,2})\s*$", re.IGNORECASE
)


def canonical_joint(name: str) -> str | None:
    """``"L4-5"``, ``"l4/l5"``, ``"L4–L5"`` -> ``"L4-L5"``; None when it is not a facet joint we code."""
    if name in _INDEX:  # the facts' joints are canonical already; every check asks again
        return name
    match = _JOINT_RE.match(name)
    if not match:
        return None
    upper_letter, upper_num, lower_letter, lower_num = match.groups()
    upper = f"{upper_letter.upper()}{int(upper_num)}"
    lower = f"{(lower_letter or upper_letter).upper()}{int(lower_num)}"
    candidate = f"{upper}-{lower}"
    return candidate if candidate in _INDEX else None


def joint_index(joint: str) -> int:
    """Position from cranial (C2-C3 = 0) to caudal (L5-S1)."""
    return _INDEX[joint]


def joint_region(joint: str) -> Region:
    """CPT regions: C2-C3 .. T12-L1 are cervical/thoracic, L1-L2 .. L5-S1 lumbar/sacral."""
    return "lumbar_sacral" if _INDEX[joint] >= _FIRST_LUMBAR else "cervical_thoracic"


def merge_sides(first: Side | None, second: Side | None) -> Side | None:
    if first is None:
        return second
    if second is None or first == second:
        return first
    return "bilateral"


def joint_sides(side: Side | None) -> int:
    """How many joint-sides a level counts for the no-imaging site count."""
    return 2 if side == "bilateral" else 1


@dataclass(frozen=True)
class Level:
    """One facet joint treated today, its side(s) merged across mentions and procedures."""

    joint: str
    side: Side | None
    evidence: tuple[Evidence, ...] = ()
    procedures: tuple[int, ...] = ()

    @property
    def index(self) -> int:
        return joint_index(self.joint)

    @property
    def region(self) -> Region:
        return joint_region(self.joint)


def levels_from_joints(joints: Iterable[JointFact], procedure_index: int) -> list[Level]:
    """Canonical levels of one procedure, cranial to caudal; joints we cannot name are dropped."""
    return merge_levels(
        Level(name, fact.side, tuple(fact.evidence), (procedure_index,))
        for fact in joints
        if (name := canonical_joint(fact.joint)) is not None
    )


def merge_levels(levels: Iterable[Level]) -> list[Level]:
    """Merge mentions of the same joint (left + right = bilateral), sorted cranial to caudal."""
    merged: dict[str, Level] = {}
    for level in levels:
        seen = merged.get(level.joint)
        if seen is None:
            merged[level.joint] = level
            continue
        merged[level.joint] = Level(
            level.joint,
            merge_sides(seen.side, level.side),
            seen.evidence + tuple(e for e in level.evidence if e not in seen.evidence),
            tuple(sorted(set(seen.procedures) | set(level.procedures))),
        )
    return sorted(merged.values(), key=lambda level: level.index)
