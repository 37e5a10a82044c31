"""Level phrases, nerve lists and needle targets -> canonical joints (coding-rules §6)."""

import json
from pathlib import Path

import pytest

from extractor.nlp.level_parser import (
    is_consecutive_pair,
    nerves_to_joints,
    parse_level_phrase,
    region_of,
    target_to_nerve,
    unit_joints,
)

CASES = json.loads((Path(__file__).parent / "level_cases.json").read_text())


@pytest.mark.parametrize("case", CASES["phrases"], ids=lambda c: c["text"])
def test_phrase_joints(case):
    units = parse_level_phrase(case["text"])
    joints = [j for unit in units if unit.kind != "single" for j in unit_joints(unit)]
    assert joints == case["joints"]


@pytest.mark.parametrize("case", CASES["nerves"], ids=lambda c: "+".join(c["nerves"]))
def test_nerves_to_joints(case):
    assert nerves_to_joints(case["nerves"]) == case["joints"]


@pytest.mark.parametrize("case", CASES["targets"], ids=lambda c: c["vertebra"])
def test_target_to_nerve(case):
    assert target_to_nerve(case["vertebra"]) == case["nerve"]


def test_joint_ranges_stay_joints_beside_nerve_words():
    (unit,) = parse_level_phrase("L2-3 to L4-5")
    assert is_consecutive_pair(unit)
    (gap,) = parse_level_phrase("L1-L4")
    assert not is_consecutive_pair(gap)


@pytest.mark.parametrize(
    ("joint", "region"),
    [
        ("C7-T1", "cervical_thoracic"),
        ("T12-L1", "cervical_thoracic"),
        ("L1-L2", "lumbar_sacral"),
        ("L5-S1", "lumbar_sacral"),
    ],
)
def test_region_boundaries(joint, region):
    assert region_of(joint) == region
