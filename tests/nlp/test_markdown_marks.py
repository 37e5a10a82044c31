"""Markdown's marks read as blanks in the same width; what only looks like a mark stays."""

from __future__ import annotations

import pytest

from extractor.nlp.markdown_marks import markdown_marks
from extractor.nlp.rule_text import rule_text


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("**Sedation:** None", "  Sedation:   None"),
        ("## Procedure\n### Levels", "   Procedure\n    Levels"),
        ("> Note: right L1-L2 omitted", "  Note: right L1-L2 omitted"),
        ("- [x] `0.5% Sensorcaine` 0.5 mL", "- [x]  0.5% Sensorcaine  0.5 mL"),
    ],
)
def test_marks_are_blanks(written: str, read: str) -> None:
    assert markdown_marks(written) == read
    assert len(rule_text(written)) == len(written)


@pytest.mark.parametrize(
    "kept",
    [
        "> 50% relief expected",  # 'more than', not a block quote
        "#1 diagnostic block",
        "# 2 of 2",
        "pain 7 -> 2",
        "| L4-L5 | Right | [ ] |",
        "* bullet with one star",
    ],
)
def test_what_only_looks_like_a_mark_stays(kept: str) -> None:
    assert markdown_marks(kept) == kept
