"""A shorthand writer's abbreviation key: the key line as blanks, its abbreviations read as the
short forms the rules know, in the same width; a line that is no key stays."""

from __future__ import annotations

import pytest

from extractor.nlp.abbreviation_key import abbreviation_key
from extractor.nlp.rule_text import rule_text

KEY = "Key: FJ = facet jt, RFX = RF ablation, dxB = diagnostic block, bi = bilat, PRF = pulsed RF\n"


@pytest.mark.parametrize(
    ("written", "read"),
    [
        (KEY + "Today: bi lumbar MB dxB #1", " " * (len(KEY) - 1) + "\nToday: BL lumbar MB blk #1"),
        (KEY + "Plan: bi RFX if dxB #2 positive", " " * (len(KEY) - 1) + "\nPlan: BL RFA if blk #2 positive"),
        # other separators: slashes, pipes, stops; 'ABBR meaning' without '='
        (
            "KEY -- FJ facet jt / RFX RF ablation / dxB diagnostic block\nR RFX",
            " " * 59 + "\nR RFA",
        ),
        ("Key -- FJ: facet jt | IA: intra-artic (into jt) | cRFX: cooled RF\ncRFX", " " * 65 + "\nCRFA"),
    ],
)
def test_key_read(written: str, read: str) -> None:
    assert abbreviation_key(written) == read
    assert len(rule_text(written)) == len(written)


@pytest.mark.parametrize(
    "kept",
    [
        "Key points: patient tolerated well, no complications",  # fewer than three entries
        "Legend: R = right",
        "Today: bi lumbar MB dxB #1",  # no key
        # not at the top of the note
        "History\n" + "x" * 700 + "\nKey: RFX = RF ablation, dxB = diagnostic block, bi = bilat",
    ],
)
def test_no_key_stays(kept: str) -> None:
    assert abbreviation_key(kept) == kept
