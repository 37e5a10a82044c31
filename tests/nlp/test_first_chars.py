"""The first-character lookahead (``first_chars``) must never change what a pattern matches."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from extractor.nlp.first_chars import first_chars, with_first_char_lookahead
from extractor.nlp.rule_data import expand

ROOT = Path(__file__).resolve().parents[2]
PAIN_PATTERNS = json.loads((ROOT / "patterns" / "nlp" / "pain.json").read_text())["patterns"]


def test_first_characters_of_branches_behind_word_boundaries_and_lookbehinds() -> None:
    assert first_chars(r"\bpain|(?<![0-9])[0-9]+|\[x") == frozenset("pP0123456789[")
    assert first_chars(r"(?:NRS\s*)?(?P<n>10|[0-9])") == frozenset("Nn0123456789")


@pytest.mark.parametrize("pattern", [r".x", r"\w+", r"[^a]b", r"\s*x", r"a?", r"(?:x|)", r"\b"])
def test_unbounded_or_empty_starts_get_no_prefix(pattern: str) -> None:
    assert first_chars(pattern) is None
    assert with_first_char_lookahead(pattern).pattern == pattern


def test_a_wide_range_is_unbounded_but_a_short_one_is_listed() -> None:
    assert first_chars(r"[\u0400-\u04ff]x") is None
    assert first_chars(r"[a-f]x") == frozenset("abcdefABCDEF")


def test_class_specials_are_escaped_in_the_lookahead() -> None:
    pattern = with_first_char_lookahead(r"\]|\^|-|\\|\[")
    assert [m.group() for m in pattern.finditer("a]b^c-d\\e[")] == ["]", "^", "-", "\\", "["]


@pytest.mark.parametrize("name", sorted(PAIN_PATTERNS))
def test_pain_patterns_match_the_same_spans_with_the_lookahead(name: str) -> None:
    source = expand(PAIN_PATTERNS[name])
    plain = re.compile(source, re.IGNORECASE)
    fast = with_first_char_lookahead(source, re.IGNORECASE)
    assert fast.pattern != plain.pattern, "every pain pattern has a bounded first character"
    for path in sorted((ROOT / "corpora").rglob("*.txt"))[::7]:
        text = path.read_text(encoding="utf-8")
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)], path.name
