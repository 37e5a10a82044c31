"""A claim line while it is being built: code, levels, side, units, and the rules behind it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from ..models import Region
from .joints import Level

Slot = Literal["primary", "second", "additional_one", "additional_per_joint", "sites", "single"]
SLOT_ORDER: dict[str, int] = {
    "primary": 0,
    "second": 1,
    "additional_one": 2,
    "additional_per_joint": 2,
    "sites": 3,
    "single": 3,
}
REGION_ORDER: dict[str | None, int] = {"cervical_thoracic": 0, "lumbar_sacral": 1, None: 2}


@dataclass(frozen=True)
class DraftLine:
    code: str
    slot: Slot
    levels: tuple[Level, ...]
    procedures: tuple[int, ...]
    region: Region | None
    family_rank: int
    laterality: str | None = None
    units: int = 1
    kx: bool = False
    rules: tuple[str, ...] = ()

    def combine(self, other: DraftLine, units: int) -> DraftLine:
        """This line extended with the levels, procedures and rules of ``other``."""
        by_joint = {level.joint: level for level in other.levels} | {
            level.joint: level for level in self.levels
        }
        levels = tuple(sorted(by_joint.values(), key=lambda level: level.index))
        return replace(
            self,
            levels=levels,
            procedures=tuple(sorted(set(self.procedures) | set(other.procedures))),
            units=units,
            rules=self.rules + tuple(rule for rule in other.rules if rule not in self.rules),
        )

    @property
    def first_index(self) -> int:
        return min((level.index for level in self.levels), default=-1)

    @property
    def line_region(self) -> Region | None:
        if self.region is not None:
            return self.region
        return self.levels[0].region if self.levels else None
