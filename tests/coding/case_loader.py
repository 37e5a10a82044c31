"""Load the table-driven coding cases (tests/coding/cases/*.json) into facts and expectations.

Shorthand kept so a coder can read a case at a glance:
- a joint is ``"L4-L5 bilateral"`` / ``"L3-L4 left"`` / ``"L4-L5"`` (side not stated);
- a procedure may name a ``preset`` of its file (then only the differences are written);
- an expected line is ``"64493-50-KX"`` or ``"64636-LT x2"`` (code, modifiers, units).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extractor.coding import Profile, load_profile
from extractor.models import NoteFacts

CASES_DIR = Path(__file__).parent / "cases"
PROFILES_DIR = Path(__file__).parent / "profiles"


@dataclass(frozen=True)
class Case:
    id: str
    facts: NoteFacts
    profile: Profile
    lines: list[tuple[str, tuple[str, ...], int]]
    warnings: list[str]
    severities: dict[str, str]


def parse_line(text: str) -> tuple[str, tuple[str, ...], int]:
    head, _, units = text.partition(" x")
    code, *modifiers = head.strip().split("-")
    return code, tuple(modifiers), int(units) if units else 1


def _joint(item: str | dict[str, Any]) -> dict[str, Any]:
    if isinstance(item, dict):
        return item
    name, _, side = item.partition(" ")
    return {"joint": name, "side": side or None}


def _procedure(raw: dict[str, Any], presets: dict[str, dict[str, Any]]) -> dict[str, Any]:
    raw = dict(raw)
    merged = dict(presets[raw.pop("preset")]) if "preset" in raw else {}
    merged.update(raw)
    merged["joints"] = [_joint(j) for j in merged.get("joints", [])]
    return merged


def _profile(ref: str | dict[str, str]) -> Profile:
    if isinstance(ref, dict):
        return load_profile(str(PROFILES_DIR / ref["file"]))
    return load_profile(ref)


def load_cases(filename: str) -> list[Case]:
    data = json.loads((CASES_DIR / filename).read_text(encoding="utf-8"))
    presets = data.get("presets", {})
    note_defaults = data.get("note_defaults", {})
    cases = []
    for raw in data["cases"]:
        note = {**note_defaults, **raw.get("note", {})}
        note["procedures"] = [_procedure(p, presets) for p in raw["procedures"]]
        cases.append(
            Case(
                id=raw["id"],
                facts=NoteFacts.model_validate(note),
                profile=_profile(raw.get("profile", "medicare")),
                lines=[parse_line(line) for line in raw["lines"]],
                warnings=sorted(raw["warnings"]),
                severities=raw.get("severities", {}),
            )
        )
    return cases


def all_cases() -> list[Case]:
    return [case for path in sorted(CASES_DIR.glob("*.json")) for case in load_cases(path.name)]
