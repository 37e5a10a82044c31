"""Levels dictated by ordinal and place are read as levels, in the same width, and only there."""

from __future__ import annotations

import pytest

from extractor.nlp.level_parser import ordinal_vertebrae, parse_level_phrase, unit_joints
from extractor.nlp.ordinal_anatomy import ordinal_anatomy
from extractor.nlp.rule_text import rule_text


@pytest.mark.parametrize(
    ("said", "read"),
    [
        ("the dorsal ramus of the fifth at the ala", "the dorsal ramus of the L - 5 at the ala"),
        ("the dorsal rami of the fit on both sides", "the dorsal rami of the L 5 on both sides"),
        ("the joint below the twelfth thoracic vertebra", "the joint below the T12          -L1 vertebra"),
        (
            "the cervical vertebrae and the one below it between the third and fourth.",
            "the cervical vertebrae and the one below it between the C3            -4.",
        ),
    ],
)
def test_ordinal_place_reads_as_a_level(said: str, read: str) -> None:
    assert ordinal_anatomy(said) == read
    assert len(rule_text(said)) == len(said)


def test_joints_below_two_vertebrae_are_two_joints() -> None:
    read = ordinal_anatomy("the joints below the seventh and eighth thoracic vertebrae")
    phrase = read[len("the joints below the ") : -len(" vertebrae")]
    assert [j for unit in parse_level_phrase(phrase) for j in unit_joints(unit)] == ["T7-T8", "T8-T9"]


@pytest.mark.parametrize(
    "text",
    [
        "the dorsal ramus of the fifth cervical nerve",  # not the L5 dorsal ramus
        "a good fit between the probe and the skin",
        "between the first and second block she had 80% relief",  # no region said before
        "lumbar MBBs: between the first and second blocks she had 80% relief",
        "pain below the twelfth rib",
    ],
)
def test_other_ordinals_are_left_alone(text: str) -> None:
    assert ordinal_anatomy(text) == text


def test_ordinal_list_names_vertebrae() -> None:
    assert ordinal_vertebrae("the third and fourth lumbar") == ["L3", "L4"]
    assert ordinal_vertebrae("sixth, seventh and eighth thoracic") == ["T6", "T7", "T8"]
    assert ordinal_vertebrae("third to fourth lumbar") is None
