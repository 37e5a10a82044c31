"""A key=value note's field written again stands alone; other repeats stay as written."""

from __future__ import annotations

import pytest

from extractor.nlp.repeated_keys import repeated_keys
from extractor.nlp.rule_text import rule_text


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("proc=MBB; lvl=L4-5; sd=L; gd=FL; sd=B", "proc=MBB; lvl=L4-5;     ; gd=FL; sd=B"),
        ("proc=IA; sd=B; lvl=L3-4; pre=5\npost=NA; sd=R", "proc=IA;     ; lvl=L3-4; pre=5\npost=NA; sd=R"),
    ],
)
def test_the_last_field_of_a_key_stands(written: str, read: str) -> None:
    assert repeated_keys(written) == read
    assert len(rule_text(written)) == len(written)


@pytest.mark.parametrize(
    "kept",
    [
        "proc=RFA; lvl=L4-5; note=pt moved; note=L5 redone; sd=R",  # free text adds up
        "(a) proc=RFA; lvl=L4-5; side=bilat\n(b) proc=IA; lvl=C5-6; side=L",  # a second procedure
    ],
)
def test_repeats_that_are_not_corrections_stay(kept: str) -> None:
    assert repeated_keys(kept) == kept


def test_prose_with_one_or_two_equals_signs_stays() -> None:
    prose = "Side = right; levels L4-5 and L5-S1; side = right again per time-out"
    assert repeated_keys(prose) == prose
