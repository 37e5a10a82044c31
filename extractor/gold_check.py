"""Checks a gold annotation against itself: its facts, coded by the engine, must give its lines
and warnings. Annotators run it (``facetcode eval DIR --check-gold``) before a note joins a corpus,
so that a scoring miss later means an extraction miss, not a gold file that contradicts the rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .coding import code_facts, load_profile
from .models import NoteFacts


def facts_from_gold(gold: dict[str, Any]) -> NoteFacts:
    """The gold format's facts as NoteFacts (its prior response and discrepancy are flattened)."""
    facts = {key: gold[key] for key in ("procedures", "agents", "sedation", "pain") if key in gold}
    if gold.get("prior_response_percent") is not None:
        facts["prior_response"] = {"percent_relief": gold["prior_response_percent"]}
    if gold.get("level_discrepancy"):
        facts["level_discrepancy"] = {"header_joints": [], "description_joints": []}
    return NoteFacts.model_validate(facts)


@dataclass(frozen=True)
class GoldConflict:
    note: str
    expected_lines: list[str]
    coded_lines: list[str]
    expected_warnings: list[str]
    coded_warnings: list[str]
    error: str | None = None


def _line_keys(lines: list[tuple[str, tuple[str, ...], int]]) -> list[str]:
    return sorted(f"{code}{''.join('-' + m for m in modifiers)} x{units}" for code, modifiers, units in lines)


def check_gold(pairs: list[tuple[Path, dict[str, Any]]], payer: str = "medicare") -> list[GoldConflict]:
    """Every gold file whose own facts do not code to its own lines and warnings."""
    profile = load_profile(payer)
    conflicts = []
    for note_path, gold in pairs:
        name = note_path.stem
        expected_lines = _line_keys(
            [
                (line["code"], tuple(line.get("modifiers") or []), line.get("units", 1))
                for line in gold.get("lines", [])
            ]
        )
        expected_warnings = sorted(set(gold.get("warnings", [])))
        try:
            lines, warnings = code_facts(facts_from_gold(gold), profile)
        except Exception as error:  # noqa: BLE001 - a malformed gold file is reported, not raised
            conflicts.append(
                GoldConflict(
                    name, expected_lines, [], expected_warnings, [], f"{type(error).__name__}: {error}"
                )
            )
            continue
        coded_lines = _line_keys([(line.code, tuple(line.modifiers), line.units) for line in lines])
        coded_warnings = sorted({warning.id for warning in warnings})
        if coded_lines != expected_lines or coded_warnings != expected_warnings:
            conflicts.append(
                GoldConflict(name, expected_lines, coded_lines, expected_warnings, coded_warnings)
            )
    return conflicts


def format_conflicts(conflicts: list[GoldConflict], checked: int) -> str:
    out = [f"gold files checked: {checked}, self-consistent: {checked - len(conflicts)}"]
    for conflict in conflicts:
        out.append(f"- {conflict.note}")
        if conflict.error:
            out.append(f"    invalid gold: {conflict.error}")
            continue
        if conflict.coded_lines != conflict.expected_lines:
            out.append(
                f"    lines: gold {conflict.expected_lines} / coded from gold facts {conflict.coded_lines}"
            )
        if conflict.coded_warnings != conflict.expected_warnings:
            out.append(
                f"    warnings: gold {conflict.expected_warnings}"
                f" / coded from gold facts {conflict.coded_warnings}"
            )
    return "\n".join(out)
