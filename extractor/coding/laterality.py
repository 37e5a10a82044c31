"""Laterality and pricing modifiers: 50 / RT / LT for a level or a group of levels, and the
profile's bilateral format (one 50 line, 50 x 2, RT + LT lines, CPT-literal add-on units).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from .draft import DraftLine
from .joints import Level
from .profiles import Profile
from .tables import CodeTables

BILATERAL = "50"


def side_modifier(levels: Iterable[Level]) -> tuple[str | None, str]:
    """The modifier for levels reported on one line, and the rule id that decided it.

    Both sides on one level, or levels of both sides under one line, take 50; one side RT/LT;
    no documented side, none.
    """
    levels = list(levels)
    sides = {level.side for level in levels if level.side is not None}
    several = len(levels) > 1
    if "bilateral" in sides or {"left", "right"} <= sides:
        return BILATERAL, "LAT-50-BOTH-SIDES" if several else "LAT-50-BILATERAL"
    if sides == {"left"}:
        return "LT", "LAT-RT-LT"
    if sides == {"right"}:
        return "RT", "LAT-RT-LT"
    return None, "LAT-NO-SIDE"


def apply_bilateral_format(line: DraftLine, profile: Profile, tables: CodeTables) -> list[DraftLine]:
    """Rewrite a line with 50 in the profile's bilateral format."""
    if line.laterality != BILATERAL:
        return [line]
    entry = tables.codes.codes[line.code]
    if profile.bilateral_format == "rt_lt_lines":
        return [
            replace(line, laterality=side, rules=line.rules + ("BILAT-RT-LT-LINES",)) for side in ("RT", "LT")
        ]
    if entry.add_on and profile.bilateral_add_on == "units":
        return [
            replace(line, laterality=None, units=line.units * 2, rules=line.rules + ("BILAT-ADDON-UNITS",))
        ]
    if profile.bilateral_units != 1:
        units = line.units * profile.bilateral_units
        return [replace(line, units=units, rules=line.rules + ("BILAT-50-UNITS",))]
    return [line]


def merge_same_modifiers(lines: list[DraftLine]) -> list[DraftLine]:
    """Per-joint add-on lines of one session with the same code and side become one line (units add)."""
    merged: dict[tuple[str, str | None], DraftLine] = {}
    result: list[DraftLine] = []
    for line in lines:
        if line.slot != "additional_per_joint":
            result.append(line)
            continue
        key = (line.code, line.laterality)
        seen = merged.get(key)
        if seen is None:
            merged[key] = line
            result.append(line)
            continue
        combined = seen.combine(line, units=seen.units + line.units)
        merged[key] = combined
        result[result.index(seen)] = combined
    return result
