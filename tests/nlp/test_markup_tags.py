"""XHTML / C-CDA markup pasted as-is: tags read as blanks (a table cell's as a pipe), numeric
entities as their characters, in the same width; text that only looks like a tag is left alone."""

from __future__ import annotations

import pytest

from extractor.nlp.rule_text import rule_text


def test_tags_read_as_blanks_and_cells_as_pipes() -> None:
    note = (
        '<paragraph><content styleCode="Bold">Sedation:</content> none</paragraph>\n'
        "<tr><td>L4-L5</td><td>Right</td></tr>"
    )
    read = rule_text(note)
    assert len(read) == len(note)
    first, second = read.split("\n")
    assert first.split() == ["Sedation:", "none"]
    assert second.split() == ["|", "L4-L5", "|", "Right", "|"]


@pytest.mark.parametrize(
    ("written", "read"),
    [("80&#176;C for 90 s", "80     \u00b0C for 90 s"), ("if &#8805; 50%", "if \u2265       50%")],
)
def test_numeric_entities_read_as_their_characters(written: str, read: str) -> None:
    assert rule_text(written) == read


@pytest.mark.parametrize(
    "text",
    [
        "sensory threshold < 0.5 V, motor <2 V; pain <5/10 </ none",
        "VAS 7 -> 2 (<50% relief) and L4-5 </> L5-S1",
    ],
)
def test_comparisons_are_not_tags(text: str) -> None:
    assert rule_text(text) == text
