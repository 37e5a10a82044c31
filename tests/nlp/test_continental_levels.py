"""Levels in continental notation are read as the level rules know them, in the same width, and
nothing else that looks like a Roman numeral is touched."""

from __future__ import annotations

import pytest

from extractor.nlp.continental_levels import continental_levels
from extractor.nlp.level_parser import parse_level_phrase, unit_joints
from extractor.nlp.rule_text import rule_text


@pytest.mark.parametrize(
    ("written", "joints"),
    [
        ("L IV/V", ["L4-L5"]),
        ("L V/S I", ["L5-S1"]),
        ("C V-VI", ["C5-C6"]),
        ("C VII/Th I", ["C7-T1"]),
        ("Th12/L1", ["T12-L1"]),
        ("Th X/XI", ["T10-T11"]),
        ("LWK 4/5", ["L4-L5"]),
        ("LV4/5", ["L4-L5"]),
        ("C II/III", ["C2-C3"]),
    ],
)
def test_continental_level_reads_as_its_joint(written: str, joints: list[str]) -> None:
    read = continental_levels(written)
    assert len(read) == len(written)
    assert [j for unit in parse_level_phrase(read) for j in unit_joints(unit)] == joints


@pytest.mark.parametrize(
    "text",
    [
        "SI joint injection; CVI risk; I placed the needle",
        "Type II diabetes, Grade IV, phase III trial",
        "LIV and LVI unchanged, XII cranial nerve",
        "L4-5 and L5-S1, T12-L1, C7-T1",
    ],
)
def test_other_text_is_left_alone(text: str) -> None:
    assert continental_levels(text) == text
    assert len(rule_text(text)) == len(text)
