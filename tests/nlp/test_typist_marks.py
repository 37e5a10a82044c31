"""A typed copy of a handwritten card: what the typist marks as crossed out reads as blanks, the words
inside the typist's other marks ('[margin: ...]', '[underlined: ...]', '[?...]') as written."""

from __future__ import annotations

import pytest

from extractor.nlp.rule_text import rule_text


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("[crossed out: B/L L4-5, L5-S1 MBB #1] R SIJ inj", " " * 37 + " R SIJ inj"),
        ("[struck through: L3-4] L4-5 IA", " " * 22 + " L4-5 IA"),
        ("[margin: R only] L4-5 IA", "         R only  L4-5 IA"),
        ("[underlined: bilat] MBB", "             bilat  MBB"),
        ("lvl [?L4-5] (circled R)", "lvl   L4-5  (circled R)"),
    ],
)
def test_typist_marks(typed: str, read: str) -> None:
    assert rule_text(typed) == read


# (a line of typed boxes, '[x] Yes [ ] No', is a pick-list: picked_options reads it)
@pytest.mark.parametrize("kept", ["[illegible] deg C", "[x] consent signed", "Signed [signature illegible]"])
def test_other_brackets_stay(kept: str) -> None:
    assert rule_text(kept) == kept
